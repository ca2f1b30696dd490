"""turnpoint.detect against the CLI: the same input through `turnpoint detect` (a separate
process, its own HDF5 reader and writer) and through the Python API must give the same
turning points, kinds, shapes, confidences, intervals, gains and steps, to the bit.

Real data: a slice of the shipped Carbon Monitor China panel (demo/), every sector of three
provinces (Hubei among them), so the default (pattern) model runs in seconds; the raw solver
on the whole panel.
"""
from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

import turnpoint
from tp_testing import BIN, REPO, needs_bin, run

DEMO = REPO / "demo" / "carbon_monitor_china_daily.h5"
PROVINCES = ("Hubei", "Beijing", "Guangdong")


@pytest.fixture(scope="module")
def panel():
    return turnpoint.read_series(DEMO)


@pytest.fixture(scope="module")
def subset(panel, tmp_path_factory):
    """Every sector of PROVINCES as a series file (written by the Python API)."""
    rows = [i for i, r in enumerate(panel.region) if r in PROVINCES]
    path = tmp_path_factory.mktemp("subset") / "series.h5"
    turnpoint.write_series(path, panel.values[rows], panel.dates, region=[panel.region[i] for i in rows],
                           sector=[panel.sector[i] for i in rows],
                           series_id=[panel.series_id[i] for i in rows], units=panel.units,
                           source=panel.source)
    return turnpoint.read_series(path)


@pytest.fixture(scope="module")
def subset_result(subset):
    """The default detection of the subset (the pattern model: seconds, so once)."""
    return turnpoint.detect(subset)


def cli_detect(tmp_path, series_path, *args):
    out = tmp_path / "cli-detections.h5"
    done = run("detect", series_path, "-o", out, "-q", *args)
    assert done.returncode == 0, done.stderr
    return turnpoint.read_detections(out)


def assert_same(ours, theirs):
    assert len(ours) == len(theirs)
    assert ours.series_id == theirs.series_id
    np.testing.assert_array_equal(ours._set.time, theirs._set.time)
    for name, col in theirs.points.items():
        np.testing.assert_array_equal(ours.points[name], col, err_msg=f"points.{name}")
    for name, col in theirs.summary.items():
        np.testing.assert_array_equal(ours.summary[name], col, err_msg=f"summary.{name}")


def test_read_series_gives_the_demo_panel(panel):
    assert panel.values.shape == (155, 1461)
    assert panel.values.dtype == np.float64 and panel.values.flags.c_contiguous
    assert panel.dates[0] == np.datetime64("2019-01-01") and panel.dates[-1] == np.datetime64("2022-12-31")
    assert panel.series_id[panel.index_of("Hubei/Industry")] == "Hubei/Industry"


@needs_bin
def test_default_equals_cli_default_on_real_series(subset, subset_result, tmp_path):
    ours = subset_result
    assert ours.model == "pattern" and "years" in ours.model_reason
    theirs = cli_detect(tmp_path, subset.path)
    assert len(ours.points["index"]) > 0
    assert_same(ours, theirs)
    # the per-series views agree with the columns
    i = subset.index_of("Hubei/Industry")
    hubei = ours[i]
    assert hubei.series_id == "Hubei/Industry"
    np.testing.assert_array_equal(hubei.dates, subset.dates[hubei.changes])
    assert set(hubei.kinds) <= {"event", "seasonal"}
    assert np.all((hubei.confidences >= 0) & (hubei.confidences <= 1))
    lo, hi = hubei.intervals[:, 0], hubei.intervals[:, 1]
    assert np.all((lo <= hubei.changes) & (hubei.changes <= hi))


@needs_bin
def test_default_on_arrays_equals_default_on_the_series(subset, subset_result):
    a = subset_result
    b = turnpoint.detect(subset.values, subset.dates.astype(str), series_id=subset.series_id,
                         region=subset.region, sector=subset.sector)
    for name, col in a.points.items():
        np.testing.assert_array_equal(b.points[name], col)


@needs_bin
@pytest.mark.parametrize("args", [
    dict(method="pelt", cost="mean", penalty="mbic"),
    dict(method="binseg", cost="meanvar", penalty="bic", max_changes=5, min_size=7),
    dict(method="segneigh", cost="mean", penalty=25.0, noise="none", max_changes=4),
])
def test_raw_solver_equals_cli_on_the_whole_real_panel(panel, tmp_path, args):
    kw = dict(args)
    if kw.get("noise") == "none":
        kw["penalty"] = 25.0 * 1e-4  # the panel is in MtCO2/day: a raw-L2 penalty on that scale
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the CLI's warnings about settings, said once
        ours = turnpoint.detect(panel, **kw)
    cli = []
    for k, v in kw.items():
        cli += [f"--{k.replace('_', '-')}", repr(v) if isinstance(v, float) else str(v)]
    theirs = cli_detect(tmp_path, DEMO, *cli)
    assert ours.model == "raw"
    assert_same(ours, theirs)
    for a, b in zip(ours.path, theirs.path):
        assert a.keys() == b.keys()
        for k in a:
            np.testing.assert_array_equal(a[k], b[k])
    if kw["method"] == "segneigh":
        assert any(len(p) == 5 for p in ours.path), "no K = 0..4 path"


def test_the_model_is_chosen_as_the_cli_chooses(subset):
    x = subset.values[:2]
    assert turnpoint.detect(x, subset.dates).model == "pattern"
    short = turnpoint.detect(x[:, :200], subset.dates[:200])
    assert short.model == "generic" and "200 days" in short.model_reason
    none = turnpoint.detect(x)
    assert none.model == "generic" and none.time is None and none.dates is None
    assert turnpoint.detect(x, subset.dates, method="pelt").model == "raw"
    assert turnpoint.detect(x, subset.dates, model="generic").model == "generic"
    with pytest.raises(ValueError, match="pattern model needs dates"):
        turnpoint.detect(x, model="pattern")
    with pytest.raises(ValueError, match="segments model only"):
        turnpoint.detect(x, subset.dates, bootstrap=10)
    with pytest.raises(ValueError, match="CPU only"):
        turnpoint.detect(x, subset.dates, backend="cuda")


@needs_bin
def test_generic_model_on_a_monthly_axis_equals_cli(tmp_path):
    rng = np.random.default_rng(3)
    months = np.array([np.datetime64("2010-01") + i for i in range(120)]).astype("datetime64[D]")
    x = np.vstack([np.r_[np.full(60, 10.0), np.full(60, 14.0)] + rng.normal(0, 1, 120),
                   10.0 + rng.normal(0, 1, 120)])
    path = tmp_path / "monthly.h5"
    turnpoint.write_series(path, x, months, region=["Hubei", "Hubei"], sector=["Power", "Industry"])
    ours = turnpoint.detect(turnpoint.read_series(path))
    assert ours.model == "generic" and "monthly" in ours.model_reason
    assert_same(ours, cli_detect(tmp_path, path))
    assert 60 in ours.changes[0]


@needs_bin
def test_missing_values_are_skipped_as_the_cli_skips_them(tmp_path):
    rng = np.random.default_rng(5)
    n = 400
    x = np.vstack([np.r_[np.zeros(200), np.full(200, 4.0)] + rng.normal(0, 1, n) for _ in range(3)])
    x[0, 50:80] = np.nan          # a gap
    x[1, ::7] = np.nan            # every 7th day missing
    x[2, :] = np.nan              # nothing at all
    days = np.arange(n) + 18262   # 2020-01-01
    ours = turnpoint.detect(x, days, method="pelt", cost="mean", penalty="mbic")
    path = tmp_path / "gaps.h5"
    turnpoint.write_series(path, x, days)
    assert_same(ours, cli_detect(tmp_path, path, "--method", "pelt", "--cost", "mean", "--penalty", "mbic"))
    assert [list(c) for c in ours.changes[:2]] == [[200], [200]]
    assert ours.status == ["ok", "ok", "empty"]
    assert list(ours.summary["n_valid"]) == [n - 30, n - len(range(0, n, 7)), 0]
    # the default model too: NaN is missing, not an error
    assert turnpoint.detect(x, days).status[2] == "empty"


def test_to_pandas_has_one_row_per_turning_point(subset, subset_result):
    pd = pytest.importorskip("pandas")
    r = subset_result
    df = r.to_pandas()
    assert len(df) == len(r.points["index"])
    assert list(df.columns[:6]) == ["series", "series_id", "region", "sector", "index", "date"]
    row = df.iloc[0]
    assert row["date"] == pd.Timestamp(subset.dates[row["index"]])
    assert row["series_id"] == subset.series_id[row["series"]]
    assert set(df["kind"]) <= {"event", "seasonal", "unclassified"}
    ok = df["ci_lo"] >= 0
    assert (df.loc[ok, "ci_lo_date"] <= df.loc[ok, "date"]).all()
    assert len(r.summary_to_pandas()) == len(r)


@needs_bin
def test_files_written_by_python_are_read_by_the_cli(subset_result, tmp_path):
    r = subset_result
    path = tmp_path / "py-detections.h5"
    turnpoint.write_detections(path, r)
    shown = run("show", path, "--json")
    assert shown.returncode == 0, shown.stderr
    assert len(json.loads(shown.stdout)["points"]) == len(r.points["index"])
    back = turnpoint.read_detections(path)
    assert_same(back, r)
    assert back.model == "pattern"


@needs_bin
def test_join_and_report_equal_the_cli(subset_result, tmp_path):
    r = subset_result
    det = tmp_path / "det.h5"
    turnpoint.write_detections(det, r)
    done = run("join", det, "-o", tmp_path / "matches.jsonl", "-q")
    assert done.returncode == 0, done.stderr
    theirs = [json.loads(x) for x in (tmp_path / "matches.jsonl").read_text().splitlines()]
    assert turnpoint.join(r) == theirs
    assert any(m["matches"] for m in theirs), "no turning point of Hubei/Beijing/Guangdong linked"

    ours = turnpoint.report(r, tmp_path / "py-report", lang="en", analysed_at="2026-11-21 00:00:00")
    done = run("report", det, "-o", tmp_path / "cli-report", "--lang", "en", "--analysed-at",
               "2026-11-21 00:00:00", "-q")
    assert done.returncode == 0, done.stderr
    assert ours["plotted"], ours["plot_note"]
    py_files = sorted(p.name for p in (tmp_path / "py-report").iterdir())
    assert py_files == sorted(p.name for p in (tmp_path / "cli-report").iterdir())
    md = "Hubei_Industry.md"
    assert (tmp_path / "py-report" / md).read_text() == (tmp_path / "cli-report" / md).read_text()


def test_report_of_arrays_plots_the_values_given(tmp_path, subset):
    r = turnpoint.detect(subset.values[:3], subset.dates, series_id=subset.series_id[:3],
                         region=subset.region[:3], sector=subset.sector[:3], method="pelt")
    assert not turnpoint.report(r, tmp_path / "bare")["plotted"]
    assert turnpoint.report(r, tmp_path / "plotted", series=subset.values[:3])["plotted"]


def test_catalogue_is_the_built_in_one():
    entries = turnpoint.catalogue()
    assert len(entries) > 100
    assert {"id", "title", "date", "regions"} <= set(entries[0])
