"""`python3 -m hotpath info|demo` in a child process."""
import os
import re
import subprocess
import sys

from conftest import BINDINGS


def _python(args, timeout=120, cwd=None):
    """`python3 args...` in a child process that imports hotpath from this checkout."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(BINDINGS)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run([sys.executable] + list(args), env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=timeout, cwd=cwd)


def _run(*args, timeout=120):
    return _python(["-m", "hotpath"] + list(args), timeout, cwd=str(BINDINGS.parent))


def _run_example(name):
    """examples/python/<name>, as a user would run it from the checkout; it must succeed."""
    p = _python([str(BINDINGS.parent / "examples" / "python" / name)])
    assert p.returncode == 0, p.stderr[-2000:]
    return p


def test_info(hp, backend_name):
    p = _run("info")
    assert p.returncode == 0, p.stderr
    assert backend_name in p.stdout
    assert "williams" in p.stdout
    info = hp.backend_info()
    if info["library"]:
        assert os.path.basename(info["library"]) in p.stdout
        assert "0.1.0" in p.stdout


def test_demo(hp, backend_name):
    p = _run("demo", timeout=180)
    assert p.returncode == 0, p.stderr[-2000:]
    assert backend_name in p.stdout
    assert p.stdout.strip()


def test_unknown_command_fails():
    p = _run("no-such-command")
    assert p.returncode != 0


def test_bench_quick(backend_name):
    p = _run("bench", timeout=180)
    assert p.returncode == 0, p.stderr[-2000:]
    assert "space_bound" in p.stdout
    assert "levenshtein one_to_many over 5000 texts" in p.stdout
    assert backend_name in p.stdout


def test_python_example_runs(backend_name):
    """examples/python/williams_ocr.py, as a user would run it from the checkout."""
    p = _run_example("williams_ocr.py")
    assert "on the %s backend" % backend_name in p.stdout
    # 50,000 documents, 2048 MB at 5 MB each: floor(409 * sqrt(efficiency(50000))).
    assert "batch size: 1547" in p.stdout
    assert "rejected: argument 'base_confidence' is 1.5" in p.stdout


def test_python_consensus_example_runs(backend_name):
    """examples/python/expert_consensus.py: every number below is worked out by hand
    from the example's three answers (see the comments)."""
    p = _run_example("expert_consensus.py")
    assert "on the %s backend" % backend_name in p.stdout
    # Two of four distinct recommendations reach 3 * 0.5 mentions; mean confidence
    # 0.7567: 0.6 * 0.7567 + 0.4 * 0.5 = 0.654, "medium" (below 0.7).
    assert ("structured consensus: 0.654 (medium); key points: add a write-through cache; "
            "profile the slow queries") in p.stdout
    assert "contributing experts: architect, performance" in p.stdout
    # "write thru cache" vs "add a write-through cache" (folded): 10 edits over 25.
    assert "'Add a write-through cache' (similarity 0.60)" in p.stdout


def test_python_agent_memory_example_runs(backend_name):
    """examples/python/agent_memory.py: the values below are worked out by hand from the
    example's three memories."""
    p = _run_example("agent_memory.py")
    assert "on the %s backend" % backend_name in p.stdout
    # 5 front-matter lines + 3 body lines for each cache note, 5 + 1 for the build note.
    assert "audit: 3 files, 22 lines," in p.stdout
    assert re.search(r"20251001_080000_old-build-note\.md +6 lines  The release build", p.stdout)
    # Only the build note is 50 days old; the two cache notes differ only in their
    # created: line: 29 shared words of 31 distinct (0.935 > 0.8).
    assert "scan: 3 files, 1 older than 30 days, 1 near-duplicate pair(s)" in p.stdout
    # Both cache notes score (0.7 + 0.8 + 0.5) / 3 ("chose"/"decision", "learned"),
    # the build note 0.5: the tie goes by file name.
    assert ("top memories: 20260110_090000_cache-decision.md, "
            "20260111_100000_cache-decision-copy.md") in p.stdout
    assert ("cluster: 20260110_090000_cache-decision.md + "
            "20260111_100000_cache-decision-copy.md") in p.stdout
    assert "LZ4 frame), 601 bytes restored" in p.stdout
