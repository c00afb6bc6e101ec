"""Command line: python3 -m hotpath info | demo | bench [--calibrate]"""

from __future__ import annotations

import argparse
import sys


def _info(hotpath):
    info = hotpath.backend_info()
    print("hotpath %s (Python package, C ABI %d)" % (hotpath.__version__, hotpath.ABI_VERSION))
    print("backend:   %s" % info["backend"])
    print("library:   %s" % (info["library"] or "none (pure-Python kernels)"))
    print("version:   %s" % (info["version"] or "-"))
    print("abi:       %s" % (info["abi"] if info["abi"] is not None else "-"))
    print("modules:   %s" % ", ".join(info["modules"]))
    print("threads:   %d" % info["threads"])
    print("dispatch:  %s" % info["dispatch"])
    if info["attempts"]:
        print("attempts:")
        for attempt in info["attempts"]:
            print("  " + attempt)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python3 -m hotpath",
        description="hotpath: native kernels with pure-Python twins. HOTPATH_BACKEND "
                    "(auto|ctypes|cffi|python) and HOTPATH_DISPATCH (auto|native|python) "
                    "choose how calls run.")
    commands = parser.add_subparsers(dest="command", metavar="command")
    commands.required = True
    commands.add_parser("info", help="which backend and library are in use")
    commands.add_parser("demo", help="a short tour of every module on synthetic data")
    bench = commands.add_parser("bench", help="speed of the public API against pure Python")
    bench.add_argument("--calibrate", action="store_true",
                       help="measure the native/pure-Python crossover of every function "
                            "(the THRESHOLDS constants)")
    args = parser.parse_args(argv)

    try:
        import hotpath
    except ImportError as exc:  # HotpathLoadError: a forced backend could not load
        print(str(exc), file=sys.stderr)
        return 1

    if args.command == "info":
        return _info(hotpath)
    if args.command == "demo":
        from . import demo
        return demo.main()
    from . import bench as bench_module
    return bench_module.main(calibrate=args.calibrate)


if __name__ == "__main__":
    sys.exit(main())
