"""tools/oracle_localisation.py: the oracle that bounds the +-3-day recall (docs/seasonality.md §5).

Noise-free series built here (the generator's multiplicative form, with its festival shape and
month steps) must give the true day back; a noisy generator panel must give the abrupt
subtypes back within +-3 days; the comparison columns must count a hand-made detections file
as counted by hand.
"""
import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

TOOLS = Path(__file__).resolve().parents[2] / "tools"
sys.path.insert(0, str(TOOLS))
import oracle_localisation as oracle  # noqa: E402

from tp_testing import BIN, EPOCH_2019, write_series  # noqa: E402

N_DAYS = 1461
SUB = {name: k for k, name in enumerate(oracle.SUBTYPES)}


def write_panel(path, values, sectors, truth):
    """truth: (series, index, subtype) rows, in the generator's /truth layout."""
    write_series(path, values, sectors=list(sectors),
                 ids=[f"Hubei/{s}/{i}" for i, s in enumerate(sectors)], truth=truth)


def regular_pattern(cal, month_steps, rng):
    t = cal.t
    weekday = ((EPOCH_2019 + t.astype(int)) + 3) % 7          # Monday = 0
    weekly = np.where(weekday >= 5, -5.0 / 7, 2.0 / 7)
    months = np.ones(len(t))
    if month_steps:
        levels = 1.0 + 0.05 * rng.standard_normal(cal.month.max() - cal.month.min() + 1)
        months = levels[cal.month - cal.month.min()]
    return (1.0 + 0.1 * np.cos(2 * np.pi * t / 365.25)) * (1.0 + 0.05 * weekly) \
        * (1.0 - 0.3 * cal.festival) * months, weekly


def test_noise_free_series_give_the_true_day(tmp_path):
    rng = np.random.default_rng(3)
    cal = oracle.Calendar(np.arange(EPOCH_2019, EPOCH_2019 + N_DAYS, dtype=float))
    t = cal.t
    rows, truth, sectors = [], [], []
    # Level shift in a month-step sector, mid-month (2020-02-14 is day 409: inside the 2020
    # festival window, where the dip must not hide it).
    base, _ = regular_pattern(cal, True, rng)
    rows.append(base * np.where(t >= 409, 0.8, 1.0)); truth.append((0, 409, SUB["level_shift"]))
    sectors.append("Industry")
    # Trend break (linear in the level, as the generator makes it).
    base, _ = regular_pattern(cal, False, rng)
    rows.append(base * (1.0 + 0.3 * np.maximum(t - 700, 0) / 365.25))
    truth.append((1, 700, SUB["trend_break"])); sectors.append("Power")
    # Weekly cycle tripled, then a shock, in one series: each is searched between the others.
    base, weekly = regular_pattern(cal, False, rng)
    amp = np.where(t >= 500, 3.0, 1.0)
    rows.append(base / (1.0 + 0.05 * weekly) * (1.0 + 0.05 * amp * weekly)
                * (1.0 - 0.4 * np.where(t >= 900, np.exp(-np.maximum(t - 900, 0) / 30.0), 0.0)))
    truth += [(2, 500, SUB["weekly_amplitude"]), (2, 900, SUB["shock"])]
    sectors.append("Ground Transport")
    path = tmp_path / "panel.h5"
    write_panel(path, rows, sectors, truth)

    out = oracle.run(path)
    assert out["level_shift"][0][0] == 0
    assert out["weekly_amplitude"][0][0] == 0
    assert out["shock"][0][0] == 0
    assert out["trend_break"][0][0] == 0
    assert all(e is None for _, e in out["level_shift"])   # no detections given


def test_detections_are_counted_by_distance(tmp_path):
    rng = np.random.default_rng(4)
    cal = oracle.Calendar(np.arange(EPOCH_2019, EPOCH_2019 + N_DAYS, dtype=float))
    base, _ = regular_pattern(cal, False, rng)
    t = cal.t
    rows = [base * np.where(t >= 300, 1.3, 1.0), base * np.where(t >= 800, 0.7, 1.0)]
    path = tmp_path / "panel.h5"
    write_panel(path, rows, ["Power", "Power"],
                [(0, 300, SUB["level_shift"]), (1, 800, SUB["level_shift"])])
    det = tmp_path / "det.h5"
    with h5py.File(det, "w") as f:
        g = f.create_group("detections")
        # series 0: a point 5 days late (within 7, not 3); series 1: one 2 days early with
        # confidence 0.4 and one 40 days late with 0.9.
        g["series"] = np.array([0, 1, 1], dtype=np.int64)
        g["index"] = np.array([305, 798, 840], dtype=np.int32)
        g["confidence"] = np.array([0.8, 0.4, 0.9])
    every = oracle.run(path, det)["level_shift"]
    assert [e for _, e in every] == [5, 2]
    confident = oracle.run(path, det, min_confidence=0.5)["level_shift"]
    assert [e for _, e in confident] == [5, 40]
    text = oracle.table(oracle.run(path, det), markdown=True)
    assert "| level_shift | 2 | 2 | 2 | 2 | 1 | 2 | 2 |" in text
    assert "oracle 2 of 2 (100.0 %), turnpoint 1 of 2 (50.0 %)" in text


def test_a_file_without_truth_is_refused(tmp_path):
    path = tmp_path / "plain.h5"
    with h5py.File(path, "w") as f:
        f["values"] = np.ones((1, 10))
    r = subprocess.run([sys.executable, str(TOOLS / "oracle_localisation.py"), str(path)],
                       capture_output=True, text=True)
    assert r.returncode != 0
    assert "no /truth group" in r.stderr and "plain.h5" in r.stderr


@pytest.mark.skipif(not BIN, reason="TURNPOINT_BIN (path of the turnpoint executable) is not set")
def test_generator_panel_abrupt_points_within_three_days(tmp_path):
    path = tmp_path / "g.h5"
    r = subprocess.run([BIN, "generate", "-o", str(path), "--series", "30", "--seed", "5", "-q"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    out = oracle.run(path)
    abrupt = [o for name in ("level_shift", "shock") for o, _ in out.get(name, [])]
    assert len(abrupt) >= 10
    within = sum(1 for o in abrupt if o is not None and o <= 3)
    assert within >= 0.9 * len(abrupt), (within, len(abrupt))
