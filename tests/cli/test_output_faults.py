"""Fault injection on outputs (issue 20, item 4): `generate`, `detect`, `join`, `report` and
`import` re-run over their previous output while the disk fills up (at the first byte and
half-way), the output folder is read-only, or the process is killed (SIGKILL) half-way
through its writes. The previous output must survive byte for byte, a refusal must say what
failed with exit 2 or 3, and no temporary may be left behind (after a kill: once the same
command has run again). The faults come from an LD_PRELOAD shim (tests/cli/write_fault_shim.c)
that acts on one folder only, so no root, tmpfs or read-only mount is needed."""
import os
from pathlib import Path

import numpy as np
import pytest

from tp_testing import needs_bin, run, write_series

SHIM = os.environ.get("TURNPOINT_FAULT_SHIM")
pytestmark = [needs_bin, pytest.mark.skipif(not SHIM, reason="TURNPOINT_FAULT_SHIM is not set (run through ctest)")]

RAW = ["--method", "pelt", "--cost", "mean", "--penalty", "mbic", "--backend", "cpu"]


def snapshot(folder):
    """Every file under `folder` (temporaries included), by relative path, with its bytes."""
    out = {}
    for root, _, files in os.walk(folder):
        for name in files:
            p = Path(root) / name
            out[str(p.relative_to(folder))] = p.read_bytes()
    return out


def temporaries(files):
    return [f for f in files if ".tmp" in Path(f).name]


def run_with_fault(args, folder, fault, nbytes):
    env = dict(os.environ, LD_PRELOAD=SHIM, TP_FAULT=fault, TP_FAULT_DIR=str(folder),
               TP_FAULT_BYTES=str(nbytes),
               # a sanitized build: the shim is preloaded ahead of the ASan runtime
               ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0")
    return run(*args, env=env)


@pytest.fixture
def inputs(tmp_path):
    """series.h5 and det.h5 in an input folder that no fault touches."""
    folder = tmp_path / "in"
    folder.mkdir()
    rng = np.random.default_rng(7)
    x = 1.0 + 0.02 * rng.standard_normal((4, 300))
    x[:, 150:] += 0.3
    write_series(folder / "series.h5", x)
    r = run("detect", folder / "series.h5", "-o", folder / "det.h5", *RAW)
    assert r.returncode == 0, r.stderr
    days = [f"2020-01-{d:02d}" for d in range(1, 29)]
    (folder / "in.csv").write_text("region,date,sector,value\n" + "".join(
        f"Hubei,{d},Power,{1.0 + 0.1 * i}\n" for i, d in enumerate(days)))
    return folder


def commands(inputs, out):
    return {
        "generate": ["generate", "-o", out / "gen.h5", "--series", "4", "--days", "300", "--seed", "3", "-q"],
        "detect": ["detect", inputs / "series.h5", "-o", out / "det.h5", *RAW],
        "join": ["join", inputs / "det.h5", "-o", out / "matches.jsonl", "-q"],
        "report": ["report", inputs / "det.h5", "-o", out / "report", "-q", "--analysed-at", "2026-01-01"],
        "import": ["import", inputs / "in.csv", "-o", out / "imported.h5"],
    }


@pytest.mark.parametrize("command", ["generate", "detect", "join", "report", "import"])
def test_previous_output_survives_every_fault(inputs, tmp_path, command):
    out = tmp_path / "out"
    out.mkdir()
    args = commands(inputs, out)[command]
    r = run(*args)
    assert r.returncode == 0, r.stderr
    before = snapshot(out)
    assert before and not temporaries(before)
    total = sum(len(b) for b in before.values())

    for fault, nbytes in [("enospc", 0), ("enospc", total // 2), ("erofs", 0), ("kill", total // 2)]:
        what = f"{command} with {fault} after {nbytes} of {total} bytes"
        r = run_with_fault(args, out, fault, nbytes)
        after = snapshot(out)
        for name, content in before.items():
            assert after.get(name) == content, f"{what}: {name} changed or vanished"
        if fault == "kill":
            assert r.returncode == -9, f"{what}: not killed (exit {r.returncode}): {r.stderr}"
            # The same command again finishes and removes what the killed run left.
            again = run(*args)
            assert again.returncode == 0, again.stderr
            assert not temporaries(snapshot(out)), f"{what}: temporaries left after the re-run"
        else:
            assert r.returncode in (2, 3), f"{what}: exit {r.returncode}: {r.stderr}"
            assert str(out) in r.stderr, f"{what}: the message does not name the output: {r.stderr}"
            assert sorted(after) == sorted(before), f"{what}: left behind {temporaries(after)}"
