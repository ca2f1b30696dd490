"""End-to-end: `turnpoint detect` (plain and with --kinds/--confidence) and `turnpoint demo`,
as a user runs them, checked with h5py (a reader independent of turnpoint's HDF5 code).

Expectations come from the input the test writes (a level shift it placed) or from the
documented contract (docs/schema.md), never from an earlier run of the code under test.
"""
import json
import os
import shutil
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


def test_fpop_finds_what_pelt_finds_and_refuses_other_costs(tmp_path):
    """--method fpop: the placed shifts, the same rows as --method pelt (exact solvers),
    recorded as fpop; --method auto runs (and records) fpop for the mean cost with a fixed
    penalty, pelt with MBIC or another cost; a cost without FPOP support is refused with exit code 2."""
    rng = np.random.default_rng(3)
    x = shifted_panel(rng, n_series=6)
    x[1, 40:55] = np.nan
    series = tmp_path / "series.h5"
    write_series(series, x)
    rows = {}
    for method in ("pelt", "fpop"):
        out = tmp_path / f"{method}.h5"
        r = run("detect", series, "-o", out, "--method", method, "--cost", "mean",
                "--penalty", "mbic", "--min-size", "3")
        assert r.returncode == 0, r.stderr
        with h5py.File(out) as f:
            d = f["detections"]
            rows[method] = (list(d["series"][:]), list(d["index"][:]))
            assert f["config"].attrs["method"] == method
    assert rows["fpop"] == rows["pelt"]
    for s, at in enumerate([150, 260] * 3):
        assert at in [i for k, i in zip(*rows["fpop"]) if k == s]
    # --method auto, recorded as run: fpop for the mean cost with a fixed penalty; pelt with
    # MBIC (fpop is exact there but slower, kernels/fpop.hpp) and for other costs.
    for cost, penalty, solver in (("mean", "30", "fpop"), ("mean", "mbic", "pelt"), ("meanvar", "mbic", "pelt")):
        out = tmp_path / f"auto-{cost}-{penalty}.h5"
        r = run("detect", series, "-o", out, "--method", "auto", "--cost", cost, "--penalty", penalty, "-q")
        assert r.returncode == 0, r.stderr
        with h5py.File(out) as f:
            assert f["config"].attrs["method"] == solver
    r = run("detect", series, "-o", tmp_path / "mv.h5", "--method", "fpop", "--cost", "meanvar")
    assert r.returncode == 2
    assert "--method fpop supports --cost mean only" in r.stderr
    assert not (tmp_path / "mv.h5").exists()


def weekly_panel_with_a_shift(rng, n=3, days=730, at=300):
    t = np.arange(days)
    weekly = 0.05 * np.sin(2 * np.pi * t / 7)
    return np.stack([1.0 + weekly + 0.01 * rng.standard_normal(days) + 0.4 * (t >= at) for _ in range(n)])


def check_explained(path, at=300):
    """Kinds, confidences in [0, 1], intervals around the day, ranks 1..k; the placed level
    shift found as an event within a week in every series."""
    with h5py.File(path) as f:
        d = f["detections"]
        assert len(d["index"]) >= 3
        assert set(d["kind"][:]) <= {0, 1}
        conf = d["confidence"][:]
        assert ((conf >= 0) & (conf <= 1)).all()
        lo, hi, idx = d["ci_lo"][:], d["ci_hi"][:], d["index"][:]
        assert ((lo <= hi) & (lo >= 0)).all()
        for s in range(3):
            rows = d["series"][:] == s
            near = np.abs(idx[rows] - at) <= 7
            assert near.any(), idx[rows]
            assert (d["kind"][rows][near] == 0).all()
            ranks = sorted(d["rank"][rows])
            assert ranks == list(range(1, len(ranks) + 1))
        return json.loads(f["config"].attrs["json"])


def test_default_is_the_pattern_model_with_kinds_and_confidence(tmp_path):
    series = tmp_path / "series.h5"
    write_series(series, weekly_panel_with_a_shift(np.random.default_rng(2)))
    out = tmp_path / "det.h5"
    r = run("detect", series, "-o", out)
    assert r.returncode == 0, r.stderr
    assert "model pattern (daily series spanning 2.0 years)" in r.stderr
    assert "candidate turning points" in r.stderr  # the summary says what happened
    cfg = check_explained(out)
    assert cfg["explain"]["model"] == "pattern"
    with h5py.File(out) as f:  # the shift is a level step on its day, its interval around it
        d = f["detections"]
        at = np.abs(d["index"][:] - 300) <= 1
        assert (d["shape"][:][at] == 0).all()
        assert ((d["ci_lo"][:][at] <= 300) & (d["ci_hi"][:][at] >= 299)).all()
    quiet = run("detect", series, "-o", tmp_path / "q.h5", "-q")
    assert quiet.returncode == 0 and quiet.stderr == ""
    # --kinds / --confidence alone keep the default model
    r = run("detect", series, "-o", tmp_path / "k.h5", "--confidence", "-q")
    assert r.returncode == 0, r.stderr
    assert check_explained(tmp_path / "k.h5")["explain"]["model"] == "pattern"


def test_segments_model_on_request(tmp_path):
    series = tmp_path / "series.h5"
    write_series(series, weekly_panel_with_a_shift(np.random.default_rng(2)))
    out = tmp_path / "det.h5"
    r = run("detect", series, "-o", out, "--model", "segments", "--bootstrap", "30", "--backend", "cpu", "-q")
    assert r.returncode == 0, r.stderr
    cfg = check_explained(out)
    assert cfg["explain"]["model"] == "segments" and cfg["explain"]["bootstrap"] == 30
    with h5py.File(out) as f:
        assert f["config"].attrs["method"] == "binseg"
    # the previous spelling: --kinds with a solver setting is the segments model
    r = run("detect", series, "-o", tmp_path / "k.h5", "--kinds", "--method", "binseg", "-q")
    assert r.returncode == 0, r.stderr
    with h5py.File(tmp_path / "k.h5") as f:
        assert json.loads(f["config"].attrs["json"])["explain"]["model"] == "segments"
        assert np.isnan(f["detections"]["confidence"][:]).all()  # kinds only, no bootstrap


def test_segments_options_are_refused_with_another_model(tmp_path):
    series = tmp_path / "series.h5"
    write_series(series, weekly_panel_with_a_shift(np.random.default_rng(2)))
    r = run("detect", series, "-o", tmp_path / "x.h5", "--bootstrap", "30")
    assert r.returncode == 2 and "--bootstrap" in r.stderr and "segments" in r.stderr
    assert not (tmp_path / "x.h5").exists()


def test_generic_model_for_a_monthly_axis_and_raw_solver_when_asked(tmp_path):
    rng = np.random.default_rng(4)
    days = [int((np.datetime64(f"{2010 + m // 12}-{1 + m % 12:02d}-01") - np.datetime64("1970-01-01"))
                 .astype(int)) for m in range(120)]
    x = 5.0 + 0.2 * rng.standard_normal((2, 120))
    x[:, 70:] += 2.0
    series = tmp_path / "monthly.h5"
    write_series(series, x, days=days)
    out = tmp_path / "det.h5"
    r = run("detect", series, "-o", out)
    assert r.returncode == 0, r.stderr
    assert "model generic (a monthly axis, not daily)" in r.stderr
    with h5py.File(out) as f:
        d = f["detections"]
        for s in range(2):
            idx = d["index"][:][d["series"][:] == s]
            assert any(abs(i - 70) <= 1 for i in idx), idx
        assert np.isnan(d["confidence"][:]).all()  # no calibrated confidence for generic series
    r = run("detect", series, "-o", tmp_path / "raw.h5", "--method", "pelt")
    assert r.returncode == 0 and "raw solver pelt/mean/mbic" in r.stderr, r.stderr


def test_min_confidence_filters_the_reported_points(tmp_path):
    # Several series with a clear shift and some with month-to-month level steps only (like
    # Carbon Monitor's monthly-disaggregated sectors): --min-confidence 0 lists every point
    # the model found, the default (0.5) only the confident ones.
    rng = np.random.default_rng(3)
    t = np.arange(730)
    clear = [1.0 + 0.01 * rng.standard_normal(730) + 0.4 * (t >= 300) for _ in range(3)]
    months = t // 30
    noisy = [1.0 + 0.04 * rng.standard_normal(months.max() + 1)[months]
             + 0.01 * rng.standard_normal(730) for _ in range(3)]
    series = tmp_path / "series.h5"
    write_series(series, np.stack(clear + noisy))
    outs = {}
    for cut in ("0", "0.5"):
        outs[cut] = tmp_path / f"det{cut}.h5"
        r = run("detect", series, "-o", outs[cut], "--min-confidence", cut, "--month-step-z", "0", "-q")
        assert r.returncode == 0, r.stderr

    def points(path):
        with h5py.File(path) as f:
            d = f["detections"]
            assert '"min_confidence"' in f["config"].attrs["json"]
            return {(int(s), int(i)): float(c)
                    for s, i, c in zip(d["series"][:], d["index"][:], d["confidence"][:])}

    everything, confident = points(outs["0"]), points(outs["0.5"])
    assert confident == {k: c for k, c in everything.items() if c >= 0.5}
    for s in range(3):  # the clear shifts are reported
        assert any(abs(i - 300) <= 7 for (ser, i) in confident if ser == s), confident

    # Each point carries its level step: the clear shifts are +40 % (series of level 1, the
    # model is fitted to log values), many times the series' month-to-month wandering.
    show = run("show", outs["0.5"], "--json")
    assert show.returncode == 0, show.stderr
    shifts = [p for p in json.loads(show.stdout)["points"]
              if p["series"] < 3 and abs(p["index"] - 300) <= 7]
    assert len(shifts) >= 3
    for p in shifts:
        assert abs(p["step"] - 0.4) < 0.05, p
        assert p["step_z"] > 10, p
        assert p["shape"] == "level", p
    table = run("show", outs["0.5"])
    assert "step" in table.stdout.splitlines()[1]
    assert any(f"+{v}." in table.stdout for v in (38, 39, 40, 41, 42)), table.stdout

    r = run("detect", series, "-o", tmp_path / "bad.h5", "--min-confidence", "1.5")
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


def test_demo_runs_the_whole_chain_on_the_real_panel(tmp_path):
    out = tmp_path / "demo"
    r = run("demo", "-o", out, "--backend", "cpu", timeout=900, cwd=Path(__file__).resolve().parents[2])
    assert r.returncode == 0, r.stderr
    assert (out / "detections.h5").exists() and (out / "reports" / "index.html").exists()
    assert "model pattern" in r.stdout and "reports:" in r.stdout
    assert "Liu et al. 2020" in r.stdout
    # the COVID onset of January 2020 is found in Ground Transport and linked to its cause
    lines = [l for l in r.stdout.splitlines() if "Ground Transport" in l and "2020-01-2" in l]
    assert lines and any("一级响应" in l for l in lines), r.stdout
    with h5py.File(out / "detections.h5") as f:
        assert len(f["detections"]["index"]) > 0
    covid_pages_show_their_causes(out / "reports")
    # Issue 15: the Shanghai lockdown of spring 2022 (Pudong 03-28, the whole city 04-01) is a
    # turning point of Shanghai Power linked to it -- an episode of two whole months that the
    # month effects half explain, found as a pair of steps (kernels/pattern_search_cpu.cpp)
    page = json.loads((out / "reports" / "Shanghai_Power.json").read_text(encoding="utf-8"))
    spring = [p for p in page["turning_points"] if "2022-03-25" <= p["day"] <= "2022-04-10"]
    assert spring, [p["day"] for p in page["turning_points"]]
    ids = {e["id"] for p in spring for e in p["entries"]}
    assert ids & {"covid-2022-shanghai-lockdown", "covid-2022-shanghai-pudong-lockdown"}, ids


def covid_pages_show_their_causes(reports):
    """Issue 15: a reader of the demo's reports sees the COVID turning points of 2020 and of
    2022 with their causes -- checked in the JSON, then in a real browser (DOM and screenshot)."""
    pages = {}
    for f in sorted(reports.glob("*.json")):
        j = json.loads(f.read_text(encoding="utf-8"))
        for p in j.get("turning_points", []):
            covid = [e for e in p["entries"] if e.get("topic") == "covid"]
            if covid:
                pages.setdefault(p["day"][:4], (f.with_suffix(".html"), p["day"], covid[0]["title"]))
    assert "2020" in pages and "2022" in pages, sorted(pages)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("chromium not installed (Debian package `chromium`): the pages were not opened in a browser")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1100,900"]
    for year, (page, day, title) in sorted(pages.items()):
        dom = subprocess.run([chromium, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                             timeout=120).stdout
        assert title in dom and day in dom and "<svg" in dom, (year, page)
        png = page.with_suffix(".png")
        subprocess.run([chromium, *flags, f"--screenshot={png}", page.as_uri()], capture_output=True, timeout=120)
        data = png.read_bytes()
        assert data[1:4] == b"PNG" and len(data) > 20000, (year, page, len(data))  # a chart, not a blank page


def test_demo_on_a_synthetic_panel_is_scored_and_links_nothing(tmp_path):
    out = tmp_path / "demo"
    r = run("demo", "-o", out, "--synthetic", "--backend", "cpu", timeout=900)
    assert r.returncode == 0, r.stderr
    assert "precision" in r.stdout and "F1" in r.stdout
    assert "0 of" in r.stdout  # no turning point of simulated data gets a real cause
    assert "合成数据" in (out / "reports" / "index.html").read_text(encoding="utf-8")


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
