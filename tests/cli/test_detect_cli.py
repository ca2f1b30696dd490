"""End-to-end: `turnpoint detect` (plain and with --kinds/--confidence) and `turnpoint demo`,
as a user runs them, checked with h5py (a reader independent of turnpoint's HDF5 code).

Expectations come from the input the test writes (a level shift it placed) or from the
documented contract (docs/schema.md), never from an earlier run of the code under test.
"""
import json
import os
import subprocess
import time
from pathlib import Path

import h5py
import numpy as np
import pytest

from tp_testing import EPOCH_2019, needs_bin, run, write_series

pytestmark = needs_bin


def shifted_panel(rng, n_series=4, n_days=400, shift_at=(150, 260)):
    x = 1.0 + 0.02 * rng.standard_normal((n_series, n_days))
    for s in range(n_series):
        x[s, shift_at[s % len(shift_at)]:] += 0.3
    return x


def test_detect_finds_the_shift_and_records_its_settings(tmp_path):
    rng = np.random.default_rng(1)
    x = shifted_panel(rng)
    series = tmp_path / "series.h5"
    write_series(series, x)
    out = tmp_path / "det.h5"
    r = run("detect", series, "-o", out, "--method", "pelt", "--cost", "mean", "--penalty", "mbic",
            "--min-size", "5", "--backend", "cpu")
    assert r.returncode == 0, r.stderr
    with h5py.File(out) as f:
        d = f["detections"]
        for s, at in enumerate([150, 260, 150, 260]):
            rows = d["series"][:] == s
            assert list(d["index"][rows]) == [at]
            assert list(d["day"][rows]) == [EPOCH_2019 + at]
        assert set(d["kind"][:]) == {-1}            # plain detect does not classify
        assert np.isnan(d["confidence"][:]).all()
        cfg = f["config"].attrs
        assert cfg["method"] == "pelt" and cfg["cost"] == "mean" and cfg["penalty"] == "mbic"
        assert int(cfg["min_size"]) == 5
        assert "engine_version" in cfg


def test_detect_kinds_and_confidence(tmp_path):
    rng = np.random.default_rng(2)
    t = np.arange(730)
    weekly = 0.05 * np.sin(2 * np.pi * t / 7)
    x = np.stack([1.0 + weekly + 0.01 * rng.standard_normal(730) + 0.4 * (t >= 300) for _ in range(3)])
    series = tmp_path / "series.h5"
    write_series(series, x)
    out = tmp_path / "det.h5"
    r = run("detect", series, "-o", out, "--confidence", "--bootstrap", "30", "--backend", "cpu", "-q")
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""  # --quiet
    with h5py.File(out) as f:
        d = f["detections"]
        assert len(d["index"]) >= 3
        assert set(d["kind"][:]) <= {0, 1}
        conf = d["confidence"][:]
        assert ((conf >= 0) & (conf <= 1)).all()
        lo, hi, idx = d["ci_lo"][:], d["ci_hi"][:], d["index"][:]
        assert ((lo <= hi) & (lo >= 0)).all()
        for s in range(3):
            rows = d["series"][:] == s
            # the placed level shift is found, as an event, within a week
            near = np.abs(idx[rows] - 300) <= 7
            assert near.any(), idx[rows]
            assert (d["kind"][rows][near] == 0).all()
            ranks = sorted(d["rank"][rows])
            assert ranks == list(range(1, len(ranks) + 1))
        assert "explain" in f["config"].attrs["json"]


def test_min_confidence_filters_the_scored_points(tmp_path):
    # Several series with a clear shift and noisy ones with none: --min-confidence 0 lists every
    # scored point, the default (0.5) only the confident ones, and the method defaults to binseg.
    rng = np.random.default_rng(3)
    t = np.arange(730)
    clear = [1.0 + 0.01 * rng.standard_normal(730) + 0.4 * (t >= 300) for _ in range(3)]
    # month-to-month level steps (like Carbon Monitor's monthly-disaggregated sectors):
    # detected at some month boundaries, but not reproducibly under the bootstrap
    months = t // 30
    noisy = [1.0 + 0.04 * rng.standard_normal(months.max() + 1)[months]
             + 0.01 * rng.standard_normal(730) for _ in range(3)]
    series = tmp_path / "series.h5"
    write_series(series, np.stack(clear + noisy))
    outs = {}
    for cut in ("0", "0.5"):
        outs[cut] = tmp_path / f"det{cut}.h5"
        r = run("detect", series, "-o", outs[cut], "--confidence", "--bootstrap", "40",
                "--min-confidence", cut, "--backend", "cpu", "-q")
        assert r.returncode == 0, r.stderr

    def points(path):
        with h5py.File(path) as f:
            d = f["detections"]
            cfg = f["config"].attrs
            assert cfg["method"] == "binseg"
            assert '"min_confidence"' in cfg["json"]
            return {(int(s), int(i)): float(c)
                    for s, i, c in zip(d["series"][:], d["index"][:], d["confidence"][:])}

    everything, confident = points(outs["0"]), points(outs["0.5"])
    assert confident == {k: c for k, c in everything.items() if c >= 0.5}
    assert len(everything) > len(confident)
    for s in range(3):  # the clear shifts are reported
        assert any(abs(i - 300) <= 7 for (ser, i) in confident if ser == s), confident

    # Each point carries its level step: the clear shifts are +40 % (series of level 1, the
    # model is fitted to log values), tens of times the series' month-to-month wandering.
    show = run("show", outs["0.5"], "--json")
    assert show.returncode == 0, show.stderr
    shifts = [p for p in json.loads(show.stdout)["points"]
              if p["series"] < 3 and abs(p["index"] - 300) <= 7]
    assert len(shifts) >= 3
    for p in shifts:
        assert abs(p["step"] - 0.4) < 0.05, p
        assert p["step_z"] > 10, p
    table = run("show", outs["0.5"])
    assert "step" in table.stdout.splitlines()[1] and "+40" in table.stdout

    r = run("detect", series, "-o", tmp_path / "bad.h5", "--confidence", "--min-confidence", "1.5")
    assert r.returncode != 0
    assert "min-confidence" in r.stderr
    assert not (tmp_path / "bad.h5").exists()


def test_bad_input_gives_a_clear_error_and_keeps_existing_output(tmp_path):
    series = tmp_path / "series.h5"
    x = np.ones((2, 50))
    x[1, 10] = -1.0
    x[1, 20:] = 3.0
    write_series(series, x, ids=["Hubei/A", "Hubei/B"])
    out = tmp_path / "det.h5"
    out.write_bytes(b"previous result")
    r = run("detect", series, "-o", out, "--cost", "poisson", "--backend", "cpu")
    assert r.returncode == 2
    assert "series 1 (Hubei/B)" in r.stderr and "day 10" in r.stderr, r.stderr
    assert out.read_bytes() == b"previous result"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("det.h5.")]  # no temporaries

    r = run("detect", series, "-o", tmp_path / "x.h5", "--penalty", "lots")
    assert r.returncode == 2 and "penalty" in r.stderr
    corrupt = tmp_path / "corrupt.h5"
    corrupt.write_bytes(os.urandom(4096))
    r = run("detect", corrupt, "-o", tmp_path / "y.h5")
    assert r.returncode != 0 and "corrupt.h5" in r.stderr
    assert not (tmp_path / "y.h5").exists()
    r = run("detect", series, "-o", tmp_path / "z.h5", "--backend", "cuda")
    assert r.returncode != 0  # no usable GPU here, or no CUDA backend compiled in
    assert "cuda" in r.stderr.lower()


def test_every_subcommand_has_help():
    r = run("--help")
    assert r.returncode == 0
    for sub in ["import", "detect", "show", "generate", "eval", "sweep", "catalogue", "join", "report",
                "audit", "demo"]:
        h = run(sub, "--help")
        assert h.returncode == 0 and "Usage" in h.stdout, sub


def test_demo_runs_the_whole_chain(tmp_path):
    out = tmp_path / "demo"
    r = run("demo", "-o", out, "--bootstrap", "5", "--backend", "cpu", timeout=900)
    assert r.returncode == 0, r.stderr
    assert (out / "series.h5").exists() and (out / "detections.h5").exists()
    assert (out / "reports" / "index.html").exists()
    assert "precision" in r.stdout and "reports:" in r.stdout
    with h5py.File(out / "detections.h5") as f:
        assert len(f["detections"]["index"]) > 0


def test_fixed_analysis_time_gives_identical_files(tmp_path):
    # SOURCE_DATE_EPOCH fixes the `created` attribute; HDF5 must not stamp objects with the
    # time of day either, so two runs a second apart write the same bytes.
    rng = np.random.default_rng(3)
    series = tmp_path / "series.h5"
    write_series(series, shifted_panel(rng))
    env = dict(os.environ, SOURCE_DATE_EPOCH="1790000000")
    outs = []
    for k in range(2):
        out = tmp_path / f"det{k}.h5"
        r = run("detect", series, "-o", out, "--method", "pelt", "-q", env=env)
        assert r.returncode == 0, r.stderr
        outs.append(out.read_bytes())
        if k == 0:
            time.sleep(1.1)
    assert outs[0] == outs[1]
    with h5py.File(tmp_path / "det0.h5") as f:
        assert f.attrs["created"] == "2026-09-21T14:13:20Z"
