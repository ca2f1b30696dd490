"""Every real panel in ../shared/datasets through `turnpoint import` and `turnpoint detect`
with its defaults (issue 18's acceptance): Carbon Monitor China daily (5 sector files), Carbon
Monitor China monthly, Cui et al. 2021, and the Carbon Monitor power panel by country and fuel
(2 million rows, gzip, ragged). Counts of what import reads come from the files' own
descriptions (../shared/datasets/README.md); the detect counts must be sensible (some turning
points, far fewer than the days). The numbers of a full run are in docs/import.md.
Labelled slow (minutes): the default model on 155 x 1461 days takes most of it.
"""
import csv
import gzip
import re

import h5py
import numpy as np
import pytest

from tp_testing import needs_bin, run, shared_dir

pytestmark = needs_bin
DATA = shared_dir() / "datasets"


def need(*paths):
    missing = [p for p in paths if not p.exists()]
    if missing:
        pytest.skip(f"real data not found: {missing[0]} (../shared/datasets is absent)")


def detect_defaults(series, out):
    r = run("detect", series, "-o", out)
    assert r.returncode == 0, r.stderr
    points = int(re.search(r"(\d+) turning points -> ", r.stderr).group(1))
    model = re.search(r"model (\w+) \(", r.stderr).group(1)
    with h5py.File(out) as f:
        assert len(f["detections/index"]) == points
        n_series = len(f["series/series_id"])
    return model, points, n_series


def test_china_daily(tmp_path):
    d = DATA / "carbon_monitor_china_daily"
    files = [d / f"{s}_result.csv" for s in ("Power", "Industry", "Ground_Transport", "Residential", "Aviation")]
    need(*files)
    r = run("import", *files, "-o", tmp_path / "cm.h5")
    assert r.returncode == 0, r.stderr
    assert "155 series x 1461 days, 2019-01-01 .. 2022-12-31, 0 missing series-days" in r.stderr
    assert "warning" not in r.stderr
    model, points, n = detect_defaults(tmp_path / "cm.h5", tmp_path / "det.h5")
    assert (model, n) == ("pattern", 155)
    assert 155 <= points <= 155 * 8, points


def test_china_monthly(tmp_path):
    path = DATA / "carbon_monitor_china_monthly" / "panel_co2_monthly.csv"
    need(path)
    r = run("import", path, "--value-col", "co2_tonnes", "--units", "tCO2/month", "-o", tmp_path / "m.h5")
    assert r.returncode == 0, r.stderr
    assert "31 series x 83 months, 2019-01 .. 2025-11, 0 missing series-months" in r.stderr
    model, points, n = detect_defaults(tmp_path / "m.h5", tmp_path / "det.h5")
    assert (model, n) == ("generic", 31)
    assert 5 <= points <= 31 * 6, points
    show = run("show", tmp_path / "det.h5")
    assert re.search(r"\n\S+\s+20\d\d-\d\d\s+\d+ ", show.stdout), show.stdout  # dates as YYYY-MM


def test_cui2021(tmp_path):
    path = DATA / "cui2021_china_daily" / "cui2021_long.csv"
    need(path)
    r = run("import", path, "-o", tmp_path / "cui.h5")
    assert r.returncode == 0, r.stderr
    assert "96 series x 731 days, 2019-01-01 .. 2020-12-31, 32 missing series-days" in r.stderr
    model, points, n = detect_defaults(tmp_path / "cui.h5", tmp_path / "det.h5")
    assert (model, n) == ("pattern", 96)
    assert 96 <= points <= 96 * 8, points


def test_power_by_country_and_fuel(tmp_path):
    path = DATA / "carbon_monitor_power_daily" / "cm_power_7dmean_country_source_daily.csv.gz"
    need(path)
    r = run("import", path, "--id-cols", "country,type", "-o", tmp_path / "power.h5")
    assert r.returncode == 0, r.stderr
    assert "770 series x 2783 days, 2019-01-01 .. 2026-08-14" in r.stderr
    assert "2078208 values read" in r.stderr
    assert r.stderr.count("region name(s) are not provinces") == 1
    assert "11 sector name(s) are not Carbon Monitor sectors and are kept as written: total, coal" in r.stderr
    # Georgia's rows start on 2021-12-19 (a ragged series): NaN before, the CSV's value on it.
    with gzip.open(path, "rt") as g:
        first = next(row for row in csv.DictReader(g) if row["country"] == "Georgia" and row["type"] == "total")
    assert first["date"] == "2021-12-19"
    with h5py.File(tmp_path / "power.h5") as f:
        ids = [s.decode() for s in f["series_id"][:]]
        assert f.attrs["units"] == "gwh_7day_mean"
        row = f["values"][ids.index("Georgia/total")]
        t0 = int((np.datetime64("2021-12-19") - np.datetime64("2019-01-01")).astype(int))
        assert np.isnan(row[:t0]).all()
        assert row[t0] == float(first["value_gwh_7day_mean"])
    # detect with the defaults on a part of it (9 series, two of them starting late): the
    # whole panel takes many minutes (docs/import.md has its numbers).
    part = tmp_path / "part.csv"
    with gzip.open(path, "rt") as g, open(part, "w", newline="") as out:
        reader = csv.reader(g)
        w = csv.writer(out)
        w.writerow(next(reader))
        for row in reader:
            if row[0] in ("China", "Georgia", "Kosovo") and row[2] in ("total", "coal", "wind"):
                w.writerow(row)
    r = run("import", part, "--id-cols", "country,type", "-o", tmp_path / "part.h5")
    assert r.returncode == 0, r.stderr
    assert re.search(r"9 series x \d+ days, 2019-01-01 \.\. ", r.stderr), r.stderr
    model, points, n = detect_defaults(tmp_path / "part.h5", tmp_path / "det.h5")
    assert (model, n) == ("pattern", 9)
    assert 1 <= points <= 9 * 10, points
    with h5py.File(tmp_path / "det.h5") as f:
        ids = [s.decode() for s in f["series/series_id"][:]]
        d = f["detections"]
        georgia = ids.index("Georgia/total")
        t0 = int((np.datetime64("2021-12-19") - np.datetime64("2019-01-01")).astype(int))
        # A ragged series' span is the series: no turning point where its data merely begin.
        assert all(i > t0 for i in d["index"][:][d["series"][:] == georgia])
