"""Cross-check of turnpoint's solvers against ruptures (jump=1, same min size), through the
CLI: `turnpoint detect` on a series.h5 written here with h5py, detections.h5 read back.

Mapping (docs/ruptures.md): a turnpoint turning point is the first day of the new segment,
i.e. ruptures' breakpoint list without the final n.
  --method pelt --cost mean --noise none --penalty P  ==  Pelt(model="l2").predict(pen=P)
  segneigh /path row K (--noise none)                  ==  Dynp(model="l2").predict(n_bkps=K)
  binseg --penalty 0 /path row K (--noise none)        ==  Binseg(model="l2").predict(n_bkps=K)
  pelt --penalty mbic --noise mad                      ==  Pelt(custom MbicL2Cost(sigma))
                                                           .predict(pen=3 log n)
Expected answers come from ruptures (an independent implementation), never from turnpoint.
On a mismatch the message names the case and series, both answers, and both penalised
costs (and the exact optimum from a plain NumPy optimal partitioning), so a tie or a
rounding difference can be told from a wrong answer.
"""
from __future__ import annotations

import math
import os
import pathlib
import sys

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))
import compare_ruptures as cr  # noqa: E402  (shared helpers: series.h5 writer, readers, MBIC cost)

rpt = pytest.importorskip("ruptures", reason="ruptures is not installed (tools/requirements.txt)")

TURNPOINT = os.environ.get("TURNPOINT_BIN")
pytestmark = pytest.mark.skipif(
    not TURNPOINT, reason="TURNPOINT_BIN is not set (ctest sets it to the turnpoint executable)")


def piecewise_panel(rng, n_series, n, max_changes):
    """n_series series of length n: 0..max_changes level shifts of 1.5..5 noise units."""
    out = np.empty((n_series, n))
    for i in range(n_series):
        k = int(rng.integers(0, max_changes + 1))
        cps = np.sort(rng.choice(np.arange(1, n), size=min(k, n - 1), replace=False))
        level = np.zeros(n)
        for c in cps:
            level[c:] += rng.choice([-1.0, 1.0]) * rng.uniform(1.5, 5.0)
        out[i] = 10.0 + level + rng.normal(0.0, 1.0, n)
    return out


def detect(tmp_path, values, method, penalty, min_size, noise="none", max_changes=10, tag=""):
    series_h5 = tmp_path / f"series{tag}.h5"
    det_h5 = tmp_path / f"det{tag}.h5"
    cr.write_series_h5(series_h5, values)
    cr.run_detect(TURNPOINT, series_h5, det_h5, method, penalty, min_size, noise=noise,
                  max_changes=max_changes)
    return cr.read_detections(det_h5)


def describe(case, label, x, ours, theirs, pen=0.0, seg_cost=cr.l2_cost):
    po = cr.penalised_cost(x, ours, pen, seg_cost) if ours is not None else float("nan")
    pt = cr.penalised_cost(x, theirs, pen, seg_cost)
    return (f"{case} {label}: turnpoint {ours} (penalised cost {po:.12g}) vs ruptures "
            f"{theirs} ({pt:.12g}), difference {po - pt:.3g}")


# ---- (a) random series --------------------------------------------------------------------
# Panels share one length; 40 panels x 5 series = 200 series per solver.
RANDOM_PANELS = [(int(n), int(m)) for n, m in zip(
    np.random.default_rng(7).integers(20, 301, 40), np.random.default_rng(8).integers(1, 6, 40))]


def test_pelt_equals_ruptures_pelt_on_random_series(tmp_path):
    rng = np.random.default_rng(11)
    mismatches, compared = [], 0
    for p, (n, m) in enumerate(RANDOM_PANELS):
        pen = float(rng.uniform(2.0, 40.0))
        x = piecewise_panel(rng, 5, n, 6)
        ours = detect(tmp_path, x, "pelt", repr(pen), m, tag=p)
        for i in range(len(x)):
            theirs = cr.without_end(
                rpt.Pelt(model="l2", min_size=m, jump=1).fit(x[i]).predict(pen=pen), n)
            compared += 1
            if ours["changes"][i] != theirs:
                exact, _ = cr.optimal_partitioning_numpy(x[i], pen, m)
                mismatches.append(describe(f"pelt n={n} m={m} pen={pen!r}", f"panel {p} series {i}",
                                           x[i], ours["changes"][i], theirs, pen)
                                  + f"; exact numpy OP {exact}")
    assert compared == 200
    assert not mismatches, "\n".join(mismatches)


def test_segneigh_path_equals_ruptures_dynp_on_random_series(tmp_path):
    # ruptures' Dynp is O(K n^2) in Python: short series keep this test fast.
    rng = np.random.default_rng(12)
    mismatches, compared = [], 0
    for p in range(30):
        n, m = int(rng.integers(12, 50)), int(rng.integers(1, 5))
        kmax = min(4, n // m - 1)
        x = piecewise_panel(rng, 4, n, 4)
        ours = detect(tmp_path, x, "segneigh", "0", m, max_changes=kmax, tag=p)
        for i in range(len(x)):
            algo = rpt.Dynp(model="l2", min_size=m, jump=1).fit(x[i])
            for k in range(1, kmax + 1):
                theirs = cr.without_end(algo.predict(n_bkps=k), n)
                got = ours["path"].get((i, k))
                compared += 1
                if got != theirs:
                    mismatches.append(describe(f"segneigh n={n} m={m} K={k}", f"panel {p} series {i}",
                                               x[i], got, theirs))
    assert compared > 300
    assert not mismatches, "\n".join(mismatches)


def test_binseg_path_equals_ruptures_binseg_on_random_series(tmp_path):
    rng = np.random.default_rng(13)
    mismatches, compared = [], 0
    for p, (n, m) in enumerate(RANDOM_PANELS):
        kmax = min(8, n // m - 1)
        x = piecewise_panel(rng, 5, n, 6)
        ours = detect(tmp_path, x, "binseg", "0", m, max_changes=kmax, tag=p)
        for i in range(len(x)):
            algo = rpt.Binseg(model="l2", min_size=m, jump=1).fit(x[i])
            for k in range(1, kmax + 1):
                got = ours["path"].get((i, k))
                theirs = cr.without_end(algo.predict(n_bkps=k), n)
                compared += 1
                if got is None and len(theirs) < k:
                    continue  # neither can place k changes (no segment long enough to split)
                if got != theirs:
                    mismatches.append(describe(f"binseg n={n} m={m} K={k}", f"panel {p} series {i}",
                                               x[i], got, theirs))
    assert compared > 1000
    assert not mismatches, "\n".join(mismatches)


# ---- (b) real series: Carbon Monitor China daily -------------------------------------------
@pytest.fixture(scope="module")
def real_panel():
    if not (cr.DATA_DIR / "Power_result.csv").is_file():
        pytest.skip(f"real data absent: {cr.DATA_DIR} (../shared/datasets/carbon_monitor_china_daily)")
    days, values, regions, sectors = cr.load_carbon_monitor()
    labels = [f"{r}/{s}" for r, s in zip(regions, sectors)]
    # Non-constant series only (8 Residential series are all zero), spread over sectors.
    varying = [i for i in range(len(values)) if np.nanmax(values[i]) > np.nanmin(values[i])]
    return days, values, labels, varying


def test_pelt_mbic_equals_ruptures_custom_cost_on_real_series(tmp_path, real_panel):
    """Equal to ruptures' Pelt with the MBIC cost, except where ruptures' pruning (K = 0,
    invalid for MBIC's non-sub-additive log(length) term) provably lost the optimum: there
    turnpoint must equal an exact unpruned optimal partitioning (NumPy) and have the lower
    penalised cost. Tianjin/Aviation is such a series (found by bench/compare_ruptures.py);
    it is included so that branch is exercised."""
    days, values, labels, varying = real_panel
    picked = varying[::20] + [labels.index("Tianjin/Aviation")]
    m = 2
    ours = detect(tmp_path, values[picked], "pelt", "mbic", m, noise="mad")
    mismatches, ruptures_lost = [], []
    for j, i in enumerate(picked):
        sigma = float(ours["sigma"][j])
        theirs = cr.ruptures_pelt_mbic(values[i], sigma, m)
        if ours["changes"][j] != theirs:
            d = cr.diagnose_mbic(values[i], sigma, m, ours["changes"][j], theirs, unpruned=False)
            if d["ruptures_pruning_lost_optimum"]:
                ruptures_lost.append(labels[i])
            else:
                mismatches.append(f"pelt+mbic {labels[i]}: turnpoint {ours['changes'][j]} vs ruptures "
                                  f"{theirs}; {d}")
    assert sum(len(c) for c in ours["changes"]) > 0
    assert not mismatches, "\n".join(mismatches)
    assert len(ruptures_lost) <= 2, f"ruptures lost the optimum on more series than expected: {ruptures_lost}"


def scaled(x):
    """A real series in noise units (robust scale of first differences), so one numeric
    penalty suits every sector."""
    d = np.abs(np.diff(x))
    s = np.median(d) or d.std() or 1.0
    return (x - x.mean()) / s


def test_pelt_l2_numeric_penalty_equals_ruptures_on_real_series(tmp_path, real_panel):
    days, values, labels, varying = real_panel
    picked = varying[5::25]
    x = np.array([scaled(values[i]) for i in picked])
    pen, m = 40.0, 3
    ours = detect(tmp_path, x, "pelt", "40", m)
    mismatches = []
    for j, i in enumerate(picked):
        theirs = cr.without_end(
            rpt.Pelt(model="l2", min_size=m, jump=1).fit(x[j]).predict(pen=pen), len(x[j]))
        if ours["changes"][j] != theirs:
            exact, _ = cr.optimal_partitioning_numpy(x[j], pen, m)
            mismatches.append(describe("pelt l2 pen=40", labels[i], x[j], ours["changes"][j], theirs,
                                       pen) + f"; exact numpy OP {exact}")
    assert not mismatches, "\n".join(mismatches)


def test_segneigh_equals_ruptures_dynp_on_real_series_first_year(tmp_path, real_panel):
    days, values, labels, varying = real_panel
    picked = [varying[3], varying[70], varying[120]]
    x = np.array([scaled(values[i][:365]) for i in picked])
    kmax, m = 4, 2
    ours = detect(tmp_path, x, "segneigh", "0", m, max_changes=kmax)
    mismatches = []
    for j, i in enumerate(picked):
        algo = rpt.Dynp(model="l2", min_size=m, jump=1).fit(x[j])
        for k in range(1, kmax + 1):
            theirs = cr.without_end(algo.predict(n_bkps=k), 365)
            got = ours["path"].get((j, k))
            if got != theirs:
                mismatches.append(describe(f"segneigh K={k} (first 365 days)", labels[i], x[j], got,
                                           theirs))
    assert not mismatches, "\n".join(mismatches)


def test_binseg_equals_ruptures_binseg_on_real_series(tmp_path, real_panel):
    days, values, labels, varying = real_panel
    picked = varying[1::30]
    x = np.array([scaled(values[i]) for i in picked])
    kmax, m = 10, 5
    ours = detect(tmp_path, x, "binseg", "0", m, max_changes=kmax)
    mismatches = []
    for j, i in enumerate(picked):
        algo = rpt.Binseg(model="l2", min_size=m, jump=1).fit(x[j])
        for k in range(1, kmax + 1):
            theirs = cr.without_end(algo.predict(n_bkps=k), len(x[j]))
            got = ours["path"].get((j, k))
            if got != theirs:
                mismatches.append(describe(f"binseg K={k}", labels[i], x[j], got, theirs))
    assert not mismatches, "\n".join(mismatches)
