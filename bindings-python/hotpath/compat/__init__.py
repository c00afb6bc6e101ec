"""Drop-in replacements for the interfaces of services that hotpath accelerates.

hotpath.compat.circle_of_experts: the Circle of Experts service's RustIntegration
(utils/rust_integration.py), backed by hotpath.consensus.
"""
