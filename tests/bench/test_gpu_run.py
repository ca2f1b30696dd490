"""bench/gpu/run.sh, the one prepared command for a lent GPU machine, exercised on the CPU
machine: its arguments, its refusal of an incomplete bundle, its clean failure where there is
no GPU, and its whole course with stand-ins for the GPU tools and the bundle's executables
(shell scripts that record how they were called), so that its logic is tested before the one
device run that counts. The real bundle is run through it by the ctest gpu_bundle.
"""
import json
import os
import re
import stat
import subprocess
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUN = ROOT / "bench" / "gpu" / "run.sh"
NEEDED = ["cuda_detect_test", "cuda_explain_test", "cuda_detect_bench", "cuda_explain_bench"]


def write_exe(path, text):
    path.write_text("#!/usr/bin/env bash\n" + text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def fake_bundle(tmp, fail=None, sleep=None):
    """A bundle whose executables log their arguments and environment to calls.log and
    write the bench JSON where asked; `fail` exits 1, `sleep` sleeps 30 s."""
    b = tmp / "bundle"
    b.mkdir()
    (b / "MANIFEST.txt").write_text("turnpoint GPU bundle\ncommit: test\n")
    (b / "cm_china_daily.tpp").write_bytes(b"TPPANEL1")
    for name in NEEDED:
        body = f'echo "{name} $* REQUIRE=$TURNPOINT_REQUIRE_GPU PANEL=$TURNPOINT_CM_PANEL ITER=$TURNPOINT_BENCH_ITERATIONS" >> "{tmp}/calls.log"\n'
        body += 'for a in "$@"; do case $a in --benchmark_out=*) echo \'{"context": {"num_cpus": 16}, "benchmarks": []}\' > "${a#--benchmark_out=}";; esac; done\n'
        if name == fail:
            body += "echo failing on purpose; exit 1\n"
        if name == sleep:
            body += "sleep 30\n"
        write_exe(b / name, body)
    return b


def fake_tools(tmp, gpu=True):
    """A PATH folder with nvidia-smi (working or not) and compute-sanitizer stand-ins."""
    d = tmp / "tools"
    d.mkdir()
    if gpu:
        write_exe(d / "nvidia-smi", 'case "$*" in *query-gpu*) echo "NVIDIA H100 80GB HBM3, 580.159.04, 81559 MiB, 1980 MHz";; *) echo "fake nvidia-smi";; esac\n')
    else:
        write_exe(d / "nvidia-smi", 'echo "NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver" >&2; exit 9\n')
    write_exe(d / "compute-sanitizer", f'echo "compute-sanitizer $*" >> "{tmp}/calls.log"\n'
              'while [ $# -gt 0 ] && [ "${1#-}" != "$1" -o "$1" = memcheck -o "$1" = racecheck -o "$1" = 1 -o "$1" = no ]; do shift; done\nexec "$@"\n')
    return d


def run(tmp, bundle, out, tools=None, extra=(), env_extra=None):
    env = {"PATH": (f"{tools}:" if tools else "") + "/usr/bin:/bin", "HOME": str(tmp),
           "TMPDIR": str(tmp)}
    env.update(env_extra or {})
    return subprocess.run(["bash", str(RUN), str(bundle), str(out), *extra], capture_output=True,
                          text=True, env=env, timeout=120)


def check_outputs(out):
    """What the device tool can bring back: at most 8 files, plain names, no deeper folders."""
    files = [p for p in out.rglob("*") if p.is_file()]
    assert 1 <= len(files) <= 8, files
    for p in files:
        rel = p.relative_to(out)
        assert len(rel.parts) <= 3
        assert all(re.fullmatch(r"[A-Za-z0-9._-]+", part) for part in rel.parts), rel
    return {str(p.relative_to(out)) for p in files}


def test_usage_and_missing_bundle(tmp_path):
    r = subprocess.run(["bash", str(RUN)], capture_output=True, text=True)
    assert r.returncode == 2 and "usage" in r.stderr
    r = run(tmp_path, tmp_path / "nope", tmp_path / "out")
    assert r.returncode == 2 and "no bundle folder" in r.stderr


def test_incomplete_bundle_is_refused_before_anything_runs(tmp_path):
    b = fake_bundle(tmp_path)
    (b / "cm_china_daily.tpp").unlink()
    r = run(tmp_path, b, tmp_path / "out", fake_tools(tmp_path))
    assert r.returncode == 2
    assert "lacks: cm_china_daily.tpp" in r.stdout
    assert not (tmp_path / "calls.log").exists()


def test_dry_run_lists_the_steps_within_the_budget(tmp_path):
    b = fake_bundle(tmp_path)
    r = run(tmp_path, b, tmp_path / "out", extra=["--dry-run"])
    assert r.returncode == 0, r.stderr
    steps = re.findall(r"^(\w+)\s+(\d+)s\s+(.*)$", r.stdout, re.M)
    names = [s[0] for s in steps]
    assert names == ["test_detect_core", "test_detect_random", "test_explain", "memcheck",
                     "racecheck", "bench_targets", "bench_detect", "bench_explain"]
    # Under 8 minutes even if every step runs into its limit (5 s kill grace each).
    assert sum(int(s[1]) + 5 for s in steps) <= 465
    assert "--tool memcheck" in steps[3][2] and "--gtest_filter=*CudaSmall.*" in steps[3][2]
    assert not (tmp_path / "calls.log").exists()


def test_no_gpu_fails_cleanly(tmp_path):
    b = fake_bundle(tmp_path)
    out = tmp_path / "out"
    r = run(tmp_path, b, out, fake_tools(tmp_path, gpu=False))
    assert r.returncode == 1
    assert "no GPU here" in (out / "summary.txt").read_text()
    assert not (tmp_path / "calls.log").exists()  # nothing was run
    check_outputs(out)


def test_full_course_with_stand_ins(tmp_path):
    b = fake_bundle(tmp_path)
    out = tmp_path / "out"
    r = run(tmp_path, b, out, fake_tools(tmp_path))
    assert r.returncode == 0, r.stdout + r.stderr
    calls = (tmp_path / "calls.log").read_text().splitlines()
    # every executable ran with the GPU required and the bundle's panel
    assert all("REQUIRE=1" in c and f"PANEL={b}/cm_china_daily.tpp" in c
               for c in calls if c.startswith("cuda_"))
    assert any(c.startswith("compute-sanitizer --tool memcheck") for c in calls)
    assert any(c.startswith("compute-sanitizer --tool racecheck") for c in calls)
    assert any("cuda_detect_bench" in c and "ITER=5" in c for c in calls)
    files = check_outputs(out)
    assert {"summary.txt", "cuda_detect_targets.json", "cuda_detect_bench.json",
            "cuda_explain_bench.json", "logs.tar.gz"} <= files
    summary = (out / "summary.txt").read_text()
    assert "NVIDIA H100" in summary and "result: PASS" in summary
    json.loads((out / "cuda_detect_bench.json").read_text())
    with tarfile.open(out / "logs.tar.gz") as t:
        names = t.getnames()
    assert any(n.endswith("test_detect_core.log") for n in names)
    assert any(n.endswith("nvidia-smi.txt") for n in names)


def test_a_failing_step_fails_the_run_but_not_the_other_steps(tmp_path):
    b = fake_bundle(tmp_path, fail="cuda_explain_test")
    out = tmp_path / "out"
    r = run(tmp_path, b, out, fake_tools(tmp_path))
    assert r.returncode == 1
    summary = (out / "summary.txt").read_text()
    assert re.search(r"test_explain\s+FAIL \(exit 1\)", summary)
    assert re.search(r"bench_detect\s+ok", summary)  # later steps still ran
    assert "result: FAIL" in summary


def test_a_filter_that_matches_no_test_fails(tmp_path):
    b = fake_bundle(tmp_path)
    write_exe(b / "cuda_explain_test", 'echo "[==========] Running 0 tests from 0 test suites."\n')
    out = tmp_path / "out"
    r = run(tmp_path, b, out, fake_tools(tmp_path))
    assert r.returncode == 1
    assert re.search(r"test_explain\s+FAIL \(no test matched\)", (out / "summary.txt").read_text())


def test_a_step_over_its_limit_is_stopped(tmp_path):
    b = fake_bundle(tmp_path, sleep="cuda_explain_bench")
    out = tmp_path / "out"
    r = run(tmp_path, b, out, fake_tools(tmp_path), env_extra={"TURNPOINT_RUN_MAX_STEP_S": "2"})
    assert r.returncode == 1
    assert re.search(r"bench_explain\s+TIMEOUT", (out / "summary.txt").read_text())
