"""Drop-in replacements for the interfaces of services that hotpath accelerates: each
keeps the replaced code's behaviour by default (values, keys, file formats, errors);
the deviations and their reasons are listed in docs/compat.md.

hotpath.compat.circle_of_experts: the Circle of Experts service's RustIntegration
(utils/rust_integration.py), with text_consensus from hotpath.consensus.

hotpath.compat.whitemagic: the functions the WhiteMagic memory system imports from its
native core (similarity, directory audit, batch reading, gzip files, memory
consolidation), backed by hotpath.text, hotpath.files, hotpath.compress and
hotpath.memory.
"""
