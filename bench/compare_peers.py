"""turnpoint (fpop and pelt) side by side with the peer change-point tools on the same inputs:
fastcpd (C++ PELT, PyPI), changepoint-doctor (Rust PELT and FPOP, PyPI `cpd`), ruptures (pure
Python; a few series only, extrapolated per series and said so). R's changepoint is absent:
Debian 12 has no r-cran-changepoint and CRAN is not reachable here (bench/peers_setup.sh).

Objective, the same for every tool: L2 cost (sum of squared deviations from the segment
mean, sigma 1: turnpoint --noise none), penalty 3 log n per change, min segment length 1
(fastcpd has none), on z-scored series. fastcpd's mean family minimises half of it
(-log likelihood with variance 1), so it gets beta = penalty / 2.

Checks: every tool's turning points against turnpoint fpop's, series by series; on a
difference both penalised costs are printed, so a tie or a peer's lost optimum can be told
from a wrong answer. Times: the minimum of --repeats runs, wall clock and CPU (turnpoint: the
`turnpoint detect` subprocess end to end, HDF5 in and out included; peers: in process,
one thread, the loop over series included).

Setup and run (from the repository root):
    bench/peers_setup.sh
    .venv-peers/bin/python bench/compare_peers.py --turnpoint build/tools/turnpoint
"""
from __future__ import annotations

import argparse
import functools
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import compare_ruptures as cr  # noqa: E402  (series.h5 writer, detections reader)

print = functools.partial(print, flush=True)  # noqa: A001  (progress while the slow peers run)


def synthetic_panel(n_series, n_days, seed=2026):
    """0..8 level changes of 1..4 noise units per series, Gaussian noise, z-scored."""
    rng = np.random.default_rng(seed)
    out = np.empty((n_series, n_days))
    for i in range(n_series):
        k = int(rng.integers(0, 9))
        cps = np.sort(rng.integers(30, n_days - 30, size=k))
        level = np.zeros(n_days)
        for c in cps:
            level[c:] += rng.choice([-1.0, 1.0]) * rng.uniform(1.0, 4.0)
        out[i] = level + rng.normal(0.0, 1.0, n_days)
    return zscore(out)


def long_series(n, every=2000, seed=2027):
    """One series: a level change every `every` days on average."""
    rng = np.random.default_rng(seed)
    jumps = (rng.uniform(size=n) < 1.0 / every) * rng.choice([-1.0, 1.0], n) * rng.uniform(1.0, 4.0, n)
    return zscore((np.cumsum(jumps) + rng.normal(0.0, 1.0, n))[None, :])


def zscore(x):
    return (x - x.mean(axis=1, keepdims=True)) / x.std(axis=1, keepdims=True)


def l2_penalised(x, changes, pen):
    return cr.penalised_cost(x, changes, pen)


class Timer:
    """Wall and CPU seconds of a block; CPU of this process plus its finished children."""

    def __enter__(self):
        self.w0 = time.perf_counter()
        self.c0 = self._cpu()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.w0
        self.cpu = self._cpu() - self.c0

    @staticmethod
    def _cpu():
        s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def best_of(repeats, fn):
    """(answers, min wall, min cpu) over `repeats` runs of fn()."""
    walls, cpus, answer = [], [], None
    for _ in range(repeats):
        with Timer() as t:
            answer = fn()
        walls.append(t.wall)
        cpus.append(t.cpu)
    return answer, min(walls), min(cpus)


def run_turnpoint(binary, values, pen, method, threads, tmp):
    series_h5 = tmp / "series.h5"
    det_h5 = tmp / f"det-{method}.h5"
    cr.write_series_h5(series_h5, values)
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))

    def once():
        cmd = [str(binary), "detect", str(series_h5), "-o", str(det_h5), "--method", method,
               "--cost", "mean", "--penalty", repr(pen), "--min-size", "1", "--noise", "none",
               "--backend", "cpu", "--quiet"]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr}")
        return cr.read_detections(det_h5)["changes"]
    return once


def peers(values, pen, ruptures_series):
    """name -> (callable returning per-series change lists, series it covers)."""
    out = {}
    try:
        from fastcpd.segmentation import detect_mean

        def fastcpd_all():
            return [[int(c) for c in detect_mean(x, beta=pen / 2, cost_adjustment="BIC",
                                                 variance_estimation=np.eye(1), trim=0,
                                                 cp_only=True).cp_set] for x in values]
        out["fastcpd 1.3.1 (PELT)"] = (fastcpd_all, len(values))
    except ImportError as e:
        print(f"fastcpd not installed ({e}); run bench/peers_setup.sh", file=sys.stderr)
    try:
        import cpd

        def doctor(cls):
            def run_all():
                return [list(cls(min_segment_len=1, jump=1).fit(x).predict(pen=pen).change_points)
                        for x in values]
            return run_all
        out["changepoint-doctor 0.0.3 (PELT)"] = (doctor(lambda **k: cpd.Pelt(model="l2", **k)), len(values))
        out["changepoint-doctor 0.0.3 (FPOP)"] = (doctor(cpd.Fpop), len(values))
    except ImportError as e:
        print(f"changepoint-doctor not installed ({e}); run bench/peers_setup.sh", file=sys.stderr)
    if ruptures_series > 0:
        try:
            import ruptures as rpt
            k = min(ruptures_series, len(values))

            def ruptures_some():
                return [cr.without_end(rpt.Pelt(model="l2", min_size=1, jump=1).fit(x).predict(pen=pen),
                                       len(x)) for x in values[:k]]
            out[f"ruptures {rpt.__version__} (PELT)"] = (ruptures_some, k)
        except ImportError:
            pass
    return out


def compare(values, pen, reference, answers, name):
    """'identical' or a count with the first differences described."""
    diff = [i for i, a in enumerate(answers) if list(a) != list(reference[i])]
    if not diff:
        return "identical"
    lines = [f"{len(diff)} of {len(answers)} series differ"]
    for i in diff[:3]:
        ours = l2_penalised(values[i], reference[i], pen)
        theirs = l2_penalised(values[i], answers[i], pen)
        verdict = "turnpoint lower" if ours < theirs - 1e-9 * abs(ours) else (
            "tie" if abs(ours - theirs) <= 1e-9 * abs(ours) else "PEER LOWER")
        lines.append(f"  series {i}: turnpoint {reference[i][:8]}... cost {ours:.6f}; {name} "
                     f"{list(answers[i])[:8]}... cost {theirs:.6f} ({verdict})")
    return "\n".join(lines)


def workload(title, values, args, tmp):
    n = values.shape[1]
    pen = 3.0 * float(np.log(n))
    print(f"\n### {title}: {values.shape[0]} x {n}, L2, penalty 3 log n = {pen:.4f}, min size 1")
    rows = []
    ref = None
    for method in ("fpop", "pelt"):
        for threads in sorted({1, args.threads}):
            ans, wall, cpu = best_of(args.repeats, run_turnpoint(args.turnpoint, values, pen, method,
                                                                 threads, tmp))
            if ref is None:
                ref = ans
            rows.append((f"turnpoint {method} ({threads} thread{'s' if threads > 1 else ''})",
                         values.shape[0], wall, cpu, compare(values, pen, ref, ans, method)))
    for name, (fn, covered) in peers(values, pen, args.ruptures_series if n <= 20000 else 0).items():
        ans, wall, cpu = best_of(1 if name.startswith("ruptures") else args.repeats, fn)
        rows.append((name, covered, wall, cpu, compare(values[:covered], pen, ref[:covered], ans, name)))
    base = rows[0][3]
    print("| tool | series run | wall (s) | CPU (s) | CPU for all series (s) | CPU / turnpoint fpop 1 thread | answers vs turnpoint fpop |")
    print("|---|---|---|---|---|---|---|")
    for name, covered, wall, cpu, verdict in rows:
        scale = values.shape[0] / covered
        note = f" (extrapolated x{scale:.0f})" if scale > 1 else ""
        first = verdict.splitlines()[0]
        print(f"| {name} | {covered} | {wall:.3f} | {cpu:.3f} | {cpu * scale:.3f}{note} | "
              f"{cpu * scale / base:.1f}x | {first} |")
    for name, *_, verdict in rows:
        if "\n" in verdict:
            print(f"{name}:\n{verdict}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--turnpoint", required=True, type=pathlib.Path)
    ap.add_argument("--series", type=int, default=1000, help="panel series (1,461 days each; 0: no panel)")
    ap.add_argument("--long", type=int, nargs="*", default=[100000], help="lengths of the single series")
    ap.add_argument("--ruptures-series", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2, help="turnpoint threads besides 1")
    args = ap.parse_args()
    print(f"machine: {os.uname().nodename}, {os.cpu_count()} CPUs; load average "
          f"{os.getloadavg()[0]:.1f}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    with tempfile.TemporaryDirectory() as d:
        tmp = pathlib.Path(d)
        if args.series > 0:
            workload("synthetic panel", synthetic_panel(args.series, 1461), args, tmp)
        for n in args.long:
            workload("one series", long_series(n), args, tmp)
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
