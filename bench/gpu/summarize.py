#!/usr/bin/env python3
"""The headline figures of cuda_detect_bench JSON files (Google Benchmark --benchmark_out),
against the targets of issue 16; bench/gpu/run.sh appends them to summary.txt.

  python3 bench/gpu/summarize.py cuda_detect_targets.json [cuda_detect_bench.json ...]

Standard library only. Prints one line per figure, 'not measured' where a case is missing
(filtered out, failed or timed out), and the table of every case last.
"""
import json
import sys


def load(path):
    with open(path) as f:
        doc = json.load(f)
    cases = {}
    for b in doc.get("benchmarks", []):
        if b.get("run_type", "iteration") != "iteration" or b.get("error_occurred"):
            continue
        cases[b["name"].split("/manual_time")[0].split("/real_time")[0]] = b
    return doc.get("context", {}), cases


def ms(b, key=None):
    """The case's time in ms: its real_time (kernel time for cuda_*), or a counter."""
    if key:
        return b.get(key)
    scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b.get("time_unit", "ns")]
    return b["real_time"] * scale


def figure(cases, name, what, target_ms=None):
    b = cases.get(name)
    if b is None:
        return f"{what}: not measured ({name} missing)"
    kern, wall = ms(b), ms(b, "wall_ms")
    text = f"{what}: kernels {kern:.2f} ms, wall {wall:.1f} ms"
    if target_ms is not None:
        text += f" (target <= {target_ms} ms device time: {'MET' if kern <= target_ms else 'NOT met'})"
    return text


def crossover(cases):
    """Smallest batch where the GPU's wall time beats the CPU backend's real time."""
    sizes = sorted(int(k.split("/")[1]) for k in cases if k.startswith("cuda_pelt_mean/"))
    for s in sizes:
        g, c = cases.get(f"cuda_pelt_mean/{s}/1461"), cases.get(f"cpu_pelt_mean/{s}/1461")
        if g and c and ms(g, "wall_ms") < ms(c):
            return f"GPU faster than the CPU backend (wall) from a batch of {s} series " \
                   f"(target: from 8; GPU {ms(g, 'wall_ms'):.2f} ms vs CPU {ms(c):.2f} ms)"
    return "GPU never faster than the CPU backend (wall) among the measured batches, or not measured"


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    ctx, cases = {}, {}
    for path in sys.argv[1:]:
        c, more = load(path)
        ctx = ctx or c
        cases.update(more)
    print(f"bench host: {ctx.get('num_cpus', '?')} CPUs; {len(cases)} cases")
    print(figure(cases, "cuda_pelt_mean/100000/1461", "PELT mean MBIC, 10^5 x 1461", 100))
    print(figure(cases, "cuda_segneigh_mean_k10/10000/1461", "segneigh K=10, 10^4 x 1461", 100))
    print(crossover(cases))
    print(figure(cases, "cuda_real_pelt_mean", "real panel PELT mean (155 x 1461)"))
    print(f"{'case':44s} {'time ms':>10s} {'wall ms':>10s} {'series/s':>12s}")
    for name, b in cases.items():
        wall = b.get("wall_ms")
        rate = b.get("series_per_s")
        print(f"{name:44s} {ms(b):10.3f} {wall if wall is not None else float('nan'):10.2f} "
              f"{rate if rate is not None else float('nan'):12.4g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
