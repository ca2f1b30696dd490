#!/usr/bin/env python3
"""Runs the same detections through turnpoint and ruptures on the real 155-series Carbon
Monitor China panel, checks that the turning points are identical, and prints both times
and their ratio (issue 2, Targets).

  .venv/bin/python bench/compare_ruptures.py --turnpoint build-<name>/tools/turnpoint \
      [--pelt-bench build-<name>/bench/pelt_bench] [--segneigh-bench ...] \
      [--dynp-series 3] [--pelt-series 155]

Cases
  PELT + MBIC, mean cost:  turnpoint detect --method pelt --cost mean --penalty mbic
      --noise mad --min-size 2  vs  rpt.Pelt(custom_cost=MbicL2Cost(sigma), min_size=2,
      jump=1).predict(pen=3 log n) looped over the series (sigma read from /series/sigma).
  Segment neighbourhood K = 10: turnpoint --method segneigh --max-changes 10 --noise none
      (row K = 10 of /path)  vs  rpt.Dynp(model="l2", min_size=2, jump=1).predict(n_bkps=10).
      ruptures Dynp takes tens of seconds per 1461-day series, so it runs on a few series
      and its time for 155 is extrapolated (printed as such).

Turnpoint is timed end to end (the `detect` subprocess: HDF5 read, detection, HDF5 write)
and, when the Google Benchmark binaries are given, by the in-process detect() time of the
same configuration on the same panel (bench/pelt_bench, bench/segneigh_bench).

The helpers here (CSV loading, series.h5 writing, detections.h5 reading, the MBIC cost for
ruptures) are shared with tests/kernels/test_ruptures.py.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

REPO = pathlib.Path(__file__).resolve().parent.parent
DATA_DIR = REPO.parent / "shared" / "datasets" / "carbon_monitor_china_daily"
SECTOR_FILES = ["Aviation", "Ground_Transport", "Industry", "Power", "Residential"]
EPOCH = dt.date(1970, 1, 1)


# ---- inputs ------------------------------------------------------------------------------
def load_carbon_monitor(data_dir: pathlib.Path = DATA_DIR):
    """The five sector CSVs (date,state,value,sector by header name, BOM tolerated) as a
    panel: (days int32 [T], values float64 [N, T] NaN = missing, regions, sectors).
    Series order: sector file order, then province name (as bench/bench_common.hpp)."""
    cells: dict[tuple[str, str], dict[int, float]] = {}
    keys: list[tuple[str, str]] = []
    all_days: set[int] = set()
    for sector in SECTOR_FILES:
        path = data_dir / f"{sector}_result.csv"
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = csv.DictReader(f)
            sector_keys = []
            for line, row in enumerate(rows, start=2):
                try:
                    day = (dt.date.fromisoformat(row["date"]) - EPOCH).days
                    value = float(row["value"])
                except (KeyError, ValueError) as e:
                    raise ValueError(f"{path}:{line}: {e}") from e
                key = (sector, row["state"])
                if key not in cells:
                    cells[key] = {}
                    sector_keys.append(key)
                cells[key][day] = value
                all_days.add(day)
        keys += sorted(sector_keys)
    days = np.array(sorted(all_days), dtype=np.int32)
    assert np.all(np.diff(days) == 1), "the Carbon Monitor axis is expected to be daily"
    values = np.full((len(keys), len(days)), np.nan)
    for i, key in enumerate(keys):
        for day, v in cells[key].items():
            values[i, day - days[0]] = v
    return days, values, [k[1] for k in keys], [k[0] for k in keys]


def write_series_h5(path, values, days=None, regions=None, sectors=None):
    """series.h5 as docs/schema.md describes it, written with h5py directly."""
    values = np.atleast_2d(np.asarray(values, dtype=np.float64))
    n, t = values.shape
    if days is None:
        days = (dt.date(2019, 1, 1) - EPOCH).days + np.arange(t)
    regions = regions or [f"R{i}" for i in range(n)]
    sectors = sectors or ["Power"] * n
    ids = [f"{r}/{s}#{i}" for i, (r, s) in enumerate(zip(regions, sectors))]
    sdt = h5py.string_dtype("utf-8")
    with h5py.File(path, "w") as f:
        f.create_dataset("time", data=np.asarray(days, dtype=np.int32))
        f.create_dataset("values", data=values)
        f.create_dataset("region", data=regions, dtype=sdt)
        f.create_dataset("sector", data=sectors, dtype=sdt)
        f.create_dataset("series_id", data=ids, dtype=sdt)
        f.attrs["format"] = "turnpoint.series"
        f.attrs["format_version"] = np.int64(1)
        f.attrs["units"] = "MtCO2/day"
        f.attrs["source"] = "compare_ruptures.py"
        f.attrs["turnpoint_version"] = "test"
        f.attrs["created"] = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---- turnpoint ---------------------------------------------------------------------------
def run_detect(turnpoint, series_h5, out_h5, method, penalty, min_size, cost="mean",
               noise="none", max_changes=10):
    """Runs `turnpoint detect` (CPU backend); returns the wall time of the subprocess."""
    cmd = [str(turnpoint), "detect", str(series_h5), "-o", str(out_h5), "--method", method,
           "--cost", cost, "--penalty", str(penalty), "--max-changes", str(max_changes),
           "--min-size", str(min_size), "--noise", noise, "--backend", "cpu", "--quiet"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr}")
    return elapsed


def read_detections(path):
    """{'changes': [list per series], 'sigma', 'n_valid', 'status', 'path': {(series, k): list}}"""
    with h5py.File(path, "r") as f:
        n = f["series/status"].shape[0]
        changes = [[] for _ in range(n)]
        for s, i in zip(f["detections/series"][:], f["detections/index"][:]):
            changes[int(s)].append(int(i))
        out = {"changes": [sorted(c) for c in changes],
               "sigma": f["series/sigma"][:], "n_valid": f["series/n_valid"][:],
               "status": f["series/status"][:], "path": {}}
        if "path" in f:
            off = f["path/offset"][:]
            ch = f["path/changes"][:]
            for row, (s, k) in enumerate(zip(f["path/series"][:], f["path/k"][:])):
                out["path"][(int(s), int(k))] = [int(c) for c in ch[off[row]:off[row + 1]]]
    return out


# ---- ruptures ----------------------------------------------------------------------------
def mbic_cost_class():
    """ruptures cost reproducing turnpoint's mean cost with --penalty mbic --noise mad:
    error(a, b) = CostL2(a, b) / sigma^2 + log(b - a); penalty 3 log n per change."""
    import ruptures as rpt
    from ruptures.base import BaseCost

    class MbicL2Cost(BaseCost):
        model = "mbic_l2"

        def __init__(self, sigma, min_size=1):
            self.l2 = rpt.costs.CostL2()
            self.inv_var = 1.0 / (sigma * sigma)
            self.min_size = min_size

        def fit(self, signal):
            self.l2.fit(signal)
            self.signal = self.l2.signal  # ruptures' predict() reads cost.signal
            return self

        def error(self, start, end):
            return self.l2.error(start, end) * self.inv_var + math.log(end - start)

    return MbicL2Cost


def without_end(bkps, n):
    assert bkps and bkps[-1] == n, bkps
    return list(bkps[:-1])


def ruptures_pelt_mbic(x, sigma, min_size):
    import ruptures as rpt
    cost = mbic_cost_class()(sigma, min_size)
    pen = 3.0 * math.log(np.count_nonzero(~np.isnan(x)))
    algo = rpt.Pelt(custom_cost=cost, min_size=min_size, jump=1).fit(x)
    return without_end(algo.predict(pen=pen), len(x))


# ---- independent exact reference (diagnosis of mismatches) --------------------------------
def l2_cost(x, a, b):
    seg = x[a:b]
    return float(((seg - seg.mean()) ** 2).sum())


def penalised_cost(x, changes, pen, seg_cost=l2_cost):
    bounds = [0] + list(changes) + [len(x)]
    return sum(seg_cost(x, a, b) for a, b in zip(bounds, bounds[1:])) + pen * len(changes)


def optimal_partitioning_numpy(x, pen, min_size, inv_var=1.0, mbic=False):
    """Exact OP (no pruning) over prefix sums, ties to the smallest last change: the
    arbiter when turnpoint and ruptures disagree."""
    n = len(x)
    m = max(1, min_size)
    c1 = np.concatenate([[0.0], np.cumsum(x)])
    c2 = np.concatenate([[0.0], np.cumsum(x * x)])
    F = np.full(n + 1, np.inf)
    last = np.zeros(n + 1, dtype=int)
    F[0] = 0.0
    for s in range(m, n + 1):
        t = np.concatenate([[0], np.arange(m, s - m + 1)]) if s - m >= m else np.array([0])
        L = s - t
        rss = np.maximum((c2[s] - c2[t]) - (c1[s] - c1[t]) ** 2 / L, 0.0) * inv_var
        if mbic:
            rss = rss + np.log(L)
        v = F[t] + rss + pen
        j = int(np.argmin(v))
        F[s], last[s] = v[j], t[j]
    out, s = [], last[n]
    while s > 0:
        out.append(int(s))
        s = last[s]
    return sorted(out), F[n] - pen


def ruptures_unpruned_mbic(x, sigma, min_size):
    """ruptures' own Pelt search with its pruning switched off (every admissible last
    change kept: optimal partitioning), same MBIC cost: O(n^2) Python, diagnosis only."""
    import ruptures as rpt

    class UnprunedPelt(rpt.Pelt):
        def _seg(self, pen):
            partitions = {0: {(0, 0): 0}}
            admissible = []
            for bkp in [k for k in range(self.n_samples) if k >= self.min_size] + [self.n_samples]:
                admissible.append(bkp - self.min_size)
                subproblems = []
                for t in admissible:
                    if t not in partitions:
                        continue
                    part = partitions[t].copy()
                    part[(t, bkp)] = self.cost.error(t, bkp) + pen
                    subproblems.append(part)
                partitions[bkp] = min(subproblems, key=lambda d: sum(d.values()))
            best = partitions[self.n_samples]
            del best[(0, 0)]
            return best

    pen = 3.0 * math.log(np.count_nonzero(~np.isnan(x)))
    algo = UnprunedPelt(custom_cost=mbic_cost_class()(sigma, min_size), min_size=min_size, jump=1)
    return without_end(algo.fit(x).predict(pen=pen), len(x))


def diagnose_mbic(x, sigma, min_size, ours, theirs, unpruned=True):
    """Why turnpoint and ruptures' Pelt differ: penalised MBIC costs of both answers, and
    which of them the exact optimum is (NumPy OP; optionally ruptures without pruning)."""
    pen = 3.0 * math.log(np.count_nonzero(~np.isnan(x)))
    cost = lambda y, a, b: l2_cost(y, a, b) / sigma**2 + math.log(b - a)  # noqa: E731
    exact, _ = optimal_partitioning_numpy(x, pen, min_size, 1.0 / sigma**2, mbic=True)
    po, pt = penalised_cost(x, ours, pen, cost), penalised_cost(x, theirs, pen, cost)
    out = {"penalised_turnpoint": po, "penalised_ruptures": pt,
           "numpy_op_equals_turnpoint": exact == ours, "numpy_op_equals_ruptures": exact == theirs}
    if unpruned:
        op = ruptures_unpruned_mbic(x, sigma, min_size)
        out["ruptures_unpruned_equals_turnpoint"] = op == ours
    # ruptures prunes with K = 0, invalid for the MBIC log(length) term (docs/ruptures.md)
    out["ruptures_pruning_lost_optimum"] = bool(exact == ours and po < pt - 1e-9 * abs(pt)
                                                 and out.get("ruptures_unpruned_equals_turnpoint", True))
    return out


# ---- the comparison ----------------------------------------------------------------------
def google_benchmark_seconds(binary, name_regex):
    """Real time (s) of one Google Benchmark case, from its JSON output."""
    if not binary:
        return None
    proc = subprocess.run([str(binary), f"--benchmark_filter={name_regex}",
                           "--benchmark_format=json", "--benchmark_min_time=0.5"],
                          capture_output=True, text=True, check=True)
    runs = json.loads(proc.stdout)["benchmarks"]
    return runs[0]["real_time"] / 1e3 if runs[0]["time_unit"] == "ms" else None


def compare_pelt(args, values, labels, series_h5, tmp, mismatches):
    """PELT + MBIC on every series: turnpoint's changes against ruptures' Pelt, and the times."""
    n_series = values.shape[0]
    m = args.min_size
    det_h5 = pathlib.Path(tmp) / "pelt.h5"
    t_tp = run_detect(args.turnpoint, series_h5, det_h5, "pelt", "mbic", m, noise="mad")
    ours = read_detections(det_h5)
    t_gb = google_benchmark_seconds(args.pelt_bench, "BM_pelt_real/mean_mbic") if m == 2 else None
    n_rp = min(args.pelt_series, n_series)
    t0 = time.perf_counter()
    theirs = {}
    for i in range(n_rp):
        if ours["status"][i] != 0:  # constant (all-zero Residential): nothing to detect
            theirs[i] = []
            continue
        theirs[i] = ruptures_pelt_mbic(values[i], float(ours["sigma"][i]), m)
    t_rp = time.perf_counter() - t0
    t_rp155 = t_rp * n_series / n_rp
    same = sum(ours["changes"][i] == theirs[i] for i in range(n_rp))
    ruptures_suboptimal = []
    for i in range(n_rp):
        if ours["changes"][i] != theirs[i]:
            diag = diagnose_mbic(values[i], float(ours["sigma"][i]), m, ours["changes"][i], theirs[i])
            o, t = set(ours["changes"][i]), set(theirs[i])
            record = ("pelt+mbic", labels[i], f"turnpoint only {sorted(o - t)}",
                      f"ruptures only {sorted(t - o)}", diag)
            (ruptures_suboptimal if diag["ruptures_pruning_lost_optimum"] else mismatches).append(record)
    n_changes = sum(len(ours["changes"][i]) for i in range(n_rp))
    print("\nPELT + MBIC, mean cost (ruptures: Pelt(custom MBIC L2 cost, jump=1) looped)")
    print(f"  identical turning points: {same}/{n_rp} series ({n_changes} turning points)")
    for r in ruptures_suboptimal:
        d = r[4]
        print(f"  differs: {r[1]}: {r[2]}, {r[3]}; penalised cost turnpoint "
              f"{d['penalised_turnpoint']:.6f} < ruptures {d['penalised_ruptures']:.6f}; turnpoint "
              f"= exact optimum (NumPy OP, and ruptures' own search without pruning): ruptures' "
              f"K=0 pruning dropped the optimum (MBIC's log term is not sub-additive)")
    print(f"  turnpoint detect, end to end (subprocess): {t_tp:.3f} s")
    if t_gb is not None:
        print(f"  turnpoint detect(), in process (pelt_bench BM_pelt_real/mean_mbic): {t_gb:.4f} s")
    extra = "" if n_rp == n_series else f" (measured on {n_rp} series: {t_rp:.1f} s, scaled)"
    print(f"  ruptures Pelt, {n_series} series: {t_rp155:.1f} s{extra}")
    print(f"  ratio end to end: {t_rp155 / t_tp:,.0f}x" + (f"; in process: {t_rp155 / t_gb:,.0f}x" if t_gb else ""))


def compare_segneigh(args, values, labels, series_h5, tmp, mismatches):
    """Segment neighbourhood with K = kmax on a few series: turnpoint against ruptures' Dynp."""
    import ruptures as rpt

    n_series, n_time = values.shape
    m = args.min_size
    det_h5 = pathlib.Path(tmp) / "segneigh.h5"
    K = args.kmax
    t_tp = run_detect(args.turnpoint, series_h5, det_h5, "segneigh", 0, m, noise="none",
                      max_changes=K)
    ours = read_detections(det_h5)
    t_gb = (google_benchmark_seconds(args.segneigh_bench, "BM_segneigh_real_l2")
            if m == 2 and K == 10 else None)
    picked = [i for i in range(n_series) if ours["status"][i] == 0][: args.dynp_series]
    t0 = time.perf_counter()
    same = 0
    for i in picked:
        algo = rpt.Dynp(model="l2", min_size=m, jump=1).fit(values[i])
        theirs_k = without_end(algo.predict(n_bkps=K), n_time)
        ours_k = ours["path"].get((i, K))
        same += ours_k == theirs_k
        if ours_k != theirs_k:
            mismatches.append((f"segneigh K={K}", labels[i], ours_k, theirs_k))
    t_rp = time.perf_counter() - t0
    t_rp155 = t_rp / len(picked) * n_series
    print(f"\nSegment neighbourhood, K = {K}, L2 cost (ruptures: Dynp(model='l2', jump=1))")
    print(f"  identical turning points: {same}/{len(picked)} series compared")
    print(f"  turnpoint detect, end to end (subprocess, {n_series} series): {t_tp:.3f} s")
    if t_gb is not None:
        print(f"  turnpoint detect(), in process (segneigh_bench BM_segneigh_real_l2): {t_gb:.4f} s")
    print(f"  ruptures Dynp: {t_rp:.1f} s for {len(picked)} series -> "
          f"{t_rp155:.0f} s for {n_series} (EXTRAPOLATED, linear in series)")
    print(f"  ratio end to end: {t_rp155 / t_tp:,.0f}x" + (f"; in process: {t_rp155 / t_gb:,.0f}x" if t_gb else ""))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--turnpoint", default=os.environ.get("TURNPOINT_BIN"), required="TURNPOINT_BIN" not in os.environ)
    ap.add_argument("--pelt-bench", help="bench/pelt_bench binary (adds the in-process time)")
    ap.add_argument("--segneigh-bench", help="bench/segneigh_bench binary")
    ap.add_argument("--pelt-series", type=int, default=155, help="series ruptures Pelt runs on")
    ap.add_argument("--dynp-series", type=int, default=3, help="series ruptures Dynp runs on")
    ap.add_argument("--min-size", type=int, default=2)
    ap.add_argument("--kmax", type=int, default=10)
    ap.add_argument("--skip-dynp", action="store_true")
    args = ap.parse_args()

    if not DATA_DIR.is_dir():
        sys.exit(f"real panel absent: {DATA_DIR} not found")
    days, values, regions, sectors = load_carbon_monitor()
    n_series, n_time = values.shape
    labels = [f"{r}/{s}" for r, s in zip(regions, sectors)]
    print(f"panel: {n_series} series x {n_time} days ({DATA_DIR.name}), min size {args.min_size}")
    mismatches = []
    with tempfile.TemporaryDirectory() as tmp:
        series_h5 = pathlib.Path(tmp) / "series.h5"
        write_series_h5(series_h5, values, days, regions, sectors)
        compare_pelt(args, values, labels, series_h5, tmp, mismatches)
        if not args.skip_dynp:
            compare_segneigh(args, values, labels, series_h5, tmp, mismatches)

    if mismatches:
        print("\nMISMATCHES (case, series, turnpoint, ruptures):")
        for mm in mismatches:
            print("  ", mm)
        sys.exit(1)
    print("\nall compared turning points identical")


if __name__ == "__main__":
    main()
