"""The Python API's speed against the CLI and its per-call overhead (bench/RESULTS.md,
"python"). Run with an interpreter where turnpoint is installed (pip install .):

    python bench/python_bench.py --cli build/tools/turnpoint [--repeats 3]

1. The real panel (demo/carbon_monitor_china_daily.h5, 155 x 1,461 days): `turnpoint detect`
   as a process (read series.h5, detect, write detections.h5) against the same three steps
   in one Python process (turnpoint.read_series, detect, write_detections), for the default
   model and a raw solver; best of --repeats, alternating the two so that the machine's load
   falls on both alike. The CLI's process start (`turnpoint --version`) is printed too: the
   CLI's in-process time is its time less that.
2. The per-call overhead for one 1,000-point series (raw solver): timeit's best per call of
   turnpoint.detect(x, ...) minus the engine alone on the same input (turnpoint::detect
   called in a C++ loop in the same process, _turnpoint.engine_seconds), and the binding
   alone (_turnpoint.detect_raw, no Python layer).
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import tempfile
import time
import timeit
from pathlib import Path

import numpy as np

import turnpoint
from turnpoint import _turnpoint

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "demo" / "carbon_monitor_china_daily.h5"


def _seconds(cmd):
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def panel_times(cli, args, repeats, tmp):
    out_cli, out_py = Path(tmp) / "cli.h5", Path(tmp) / "py.h5"
    kw = {}
    for a, b in zip(args[::2], args[1::2]):
        kw[a.lstrip("-").replace("-", "_")] = b
    cli_s, py_s = [], []
    for _ in range(repeats):
        cli_s.append(_seconds([cli, "detect", str(DEMO), "-o", str(out_cli), "-q", *args]))
        t0 = time.perf_counter()
        r = turnpoint.detect(turnpoint.read_series(DEMO), **kw)
        turnpoint.write_detections(out_py, r)
        py_s.append(time.perf_counter() - t0)
    same = all(np.array_equal(a, b, equal_nan=a.dtype.kind == "f") for a, b in
               zip(turnpoint.read_detections(out_cli).points.values(), turnpoint.read_detections(out_py).points.values()))
    return min(cli_s), min(py_s), same


def overhead(n=1000, batch=200, rounds=15):
    """Seconds per call of the Python API, the binding alone and the engine alone: each the
    mean over a batch of calls, the best of `rounds` batches, the three measured in turn in
    every round (so that the machine's load falls on all three alike)."""
    rng = np.random.default_rng(0)
    x = np.r_[np.zeros(n // 2), np.full(n - n // 2, 3.0)] + rng.normal(0, 1, n)
    x2 = x.reshape(1, -1)
    rows = []
    for label, kw in (("pelt mean mbic", dict(method="pelt", cost="mean", penalty="mbic")),
                      ("binseg mean bic, max 2", dict(method="binseg", cost="mean", penalty="bic", max_changes=2))):
        o = _turnpoint.DetectOptions()
        for k, v in kw.items():
            setattr(o, k, str(v) if k == "penalty" else v)
        python = lambda: turnpoint.detect(x, **kw)  # noqa: E731
        binding = lambda: _turnpoint.detect_raw(x2, None, o, [], [], [], "", "")  # noqa: E731
        best = [np.inf, np.inf, np.inf]
        for _ in range(rounds):
            best[0] = min(best[0], timeit.timeit(python, number=batch) / batch)
            best[1] = min(best[1], timeit.timeit(binding, number=batch) / batch)
            best[2] = min(best[2], _turnpoint.engine_seconds(x2, o, batch))
        rows.append((label, *best))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cli", default=str(REPO / "build" / "tools" / "turnpoint"))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--skip-panel", action="store_true")
    args = ap.parse_args()
    print(f"turnpoint {turnpoint.__version__} at {turnpoint.__file__}; {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '(unset)')}, "
          f"load {os.getloadavg()[0]:.1f}; {time.strftime('%Y-%m-%d')}")
    if not args.skip_panel:
        # The CLI's time includes starting a process (loading its shared libraries, HDF5's
        # initialisation); said here so that the CLI's in-process time can be read off.
        start = min(_seconds([args.cli, "--version"]) for _ in range(max(args.repeats, 5)))
        print(f"CLI process start (turnpoint --version): {start * 1e3:.1f} ms")
        with tempfile.TemporaryDirectory() as tmp:
            for label, cli_args in (("default (pattern model)", []),
                                    ("raw: pelt mean mbic", ["--method", "pelt", "--cost", "mean", "--penalty", "mbic"])):
                c, p, same = panel_times(args.cli, cli_args, args.repeats, tmp)
                print(f"real panel, {label}: CLI {c:.3f} s, Python {p:.3f} s ({(p / c - 1) * 100:+.1f} %), "
                      f"{'identical' if same else 'DIFFERENT'} turning points")
    for label, python, binding, engine in overhead():
        print(f"1,000 points, {label}: turnpoint.detect {python * 1e6:.1f} us, binding {binding * 1e6:.1f} us, "
              f"engine {engine * 1e6:.1f} us -> overhead {(python - engine) * 1e6:.1f} us "
              f"(Python layer {(python - binding) * 1e6:.1f} us, binding {(binding - engine) * 1e6:.1f} us)")


if __name__ == "__main__":
    main()
