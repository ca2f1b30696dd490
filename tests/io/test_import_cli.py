"""End-to-end: `turnpoint import` and `turnpoint show` as a user runs them.

The expected numbers are the ones typed into the CSV fixtures; the output is read with
h5py, a reader independent of turnpoint's own HDF5 code.
"""
import os
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest

BIN = os.environ.get("TURNPOINT_BIN")
REPO = Path(__file__).resolve().parents[2]
CM_DIR = REPO.parent / "shared" / "datasets" / "carbon_monitor_china_daily"

pytestmark = pytest.mark.skipif(not BIN, reason="TURNPOINT_BIN (path of the turnpoint executable) is not set")


def run(*args):
    return subprocess.run([BIN, *map(str, args)], capture_output=True, text=True)


def test_import_writes_a_series_file(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text("\ufeffdate,state,value,sector\n2020-01-01,InnerMongolia,1.5,Power\n"
                 "2020-01-03,InnerMongolia,3.5,Power\n", encoding="utf-8")
    b = tmp_path / "b.csv"
    b.write_text("province,date,sector,value_MtCO2_per_day,holiday\n"
                 "陕西,2020-01-02,工业,0.25,\n山西,2020-01-02,工业,0.75,\n", encoding="utf-8")
    out = tmp_path / "series.h5"
    r = run("import", a, b, "-o", out, "--source", "fixtures", "--units", "tCO2/day")
    assert r.returncode == 0, r.stderr
    assert "3 series x 3 days, 2020-01-01 .. 2020-01-03, 5 missing series-days" in r.stderr
    with h5py.File(out) as f:
        assert f.attrs["format"] == "turnpoint.series"
        assert f.attrs["format_version"] == 1
        assert f.attrs["source"] == "fixtures"
        assert f.attrs["units"] == "tCO2/day"
        days = (np.datetime64("2020-01-01") - np.datetime64("1970-01-01")).astype(int)
        assert list(f["time"][:]) == [days, days + 1, days + 2]
        assert [s.decode() for s in f["series_id"][:]] == [
            "Inner Mongolia/Power", "Shaanxi/Industry", "Shanxi/Industry"]
        v = f["values"][:]
        assert v.dtype == np.float64 and v.shape == (3, 3)
        assert v[0, 0] == 1.5 and np.isnan(v[0, 1]) and v[0, 2] == 3.5
        assert np.isnan(v[1, 0]) and v[1, 1] == 0.25 and v[2, 1] == 0.75


def test_bad_csv_exits_2_names_the_line_and_keeps_the_old_output(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("region,date,sector,value\nHubei,2020-01-01,Power,1\n")
    out = tmp_path / "series.h5"
    assert run("import", good, "-o", out).returncode == 0
    before = out.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text("region,date,sector,value\nHubei,2020-01-01,Power,1\nHubei,2020-01-02,Power,abc\n")
    r = run("import", bad, "-o", out)
    assert r.returncode == 2
    assert f"{bad}:3: value 'abc' is not a finite number" in r.stderr
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "good.csv", "series.h5"]


def test_show_rejects_a_file_that_is_not_hdf5(tmp_path):
    junk = tmp_path / "junk.h5"
    junk.write_bytes(os.urandom(2048))
    r = run("show", junk)
    assert r.returncode == 2
    assert f"{junk}: not an HDF5 file" in r.stderr


def test_import_real_carbon_monitor_china(tmp_path):
    files = [CM_DIR / f"{s}_result.csv" for s in ("Power", "Industry", "Ground_Transport", "Residential", "Aviation")]
    if not all(f.exists() for f in files):
        pytest.skip(f"real data not found in {CM_DIR} (../shared/datasets is absent)")
    out = tmp_path / "cm.h5"
    r = run("import", *files, "-o", out)
    assert r.returncode == 0, r.stderr
    assert "155 series x 1461 days, 2019-01-01 .. 2022-12-31, 0 missing series-days" in r.stderr
    # Hubei Industry on 2020-01-01, straight from the CSV text.
    line = next(l for l in (CM_DIR / "Industry_result.csv").read_text(encoding="utf-8-sig").splitlines()
                if l.startswith("2020-01-01,Hubei,"))
    expected = float(line.split(",")[2])
    with h5py.File(out) as f:
        ids = [s.decode() for s in f["series_id"][:]]
        t = int((np.datetime64("2020-01-01") - np.datetime64("1970-01-01")).astype(int) - f["time"][0])
        assert f["values"][ids.index("Hubei/Industry"), t] == expected
        assert f["values"].chunks == (64, 1461)
        assert f["values"].compression == "gzip"
