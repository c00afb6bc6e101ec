"""Drop-in replacements for the interfaces of services that hotpath accelerates.

hotpath.compat.circle_of_experts: the Circle of Experts service's RustIntegration
(utils/rust_integration.py), backed by hotpath.consensus.

hotpath.compat.whitemagic: the functions the WhiteMagic memory system imports from its
native core (similarity, directory audit, batch reading, LZ4 files, memory
consolidation), backed by hotpath.text, hotpath.files, hotpath.compress and
hotpath.memory.
"""
