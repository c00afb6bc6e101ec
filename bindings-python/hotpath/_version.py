"""Version of the Python package and the C ABI major it was written against."""

__version__ = "0.1.0"

# Must equal HOTPATH_ABI_VERSION in include/hotpath/common.h: the loader refuses
# any library whose hotpath_abi_version() reports another value.
ABI_VERSION = 1
