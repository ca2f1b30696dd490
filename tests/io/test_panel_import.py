"""Any panel in, end to end: `turnpoint import` of the same ragged panel spelled as a long
table, a wide table (by columns and by rows), a 2-D dataset written with h5py, and netCDF-4
written by xarray (both engines) must give the same series.h5; series.h5 itself reads in
xarray with named dimensions and decoded dates; bad input exits 2 naming file and row and
leaves nothing behind. The reference panel is built here with numpy; the files are written
with pandas, h5py and xarray, independent of turnpoint's own code.
"""
import gzip
import os

import h5py
import numpy as np
import pytest

from tp_testing import BIN, needs_bin, run

pd = pytest.importorskip("pandas")
xr = pytest.importorskip("xarray")

pytestmark = needs_bin

IDS = ["Argentina/coal", "Hubei/Power", "Hubei/Industry"]
# Sorted as turnpoint sorts them: region, then known sectors in Carbon Monitor order
# (Power before Industry), then other sectors.
ORDER = ["Argentina/coal", "Hubei/Power", "Hubei/Industry"]
T = 40
DAYS = pd.date_range("2020-01-01", periods=T, freq="D")


def reference():
    rng = np.random.default_rng(18)
    v = np.round(rng.normal(10.0, 1.0, (3, T)), 6)
    v[0, :5] = np.nan      # starts late
    v[1, 30:] = np.nan     # stops early
    v[2, 17] = np.nan      # a missing day inside
    return v


def read_panel(path):
    with h5py.File(path) as f:
        return {
            "time": f["time"][:],
            "values": f["values"][:],
            "ids": [s.decode() for s in f["series_id"][:]],
            "region": [s.decode() for s in f["region"][:]],
            "sector": [s.decode() for s in f["sector"][:]],
            "frequency": f.attrs["frequency"],
        }


def assert_same_panel(a, b):
    assert a["ids"] == b["ids"]
    assert a["region"] == b["region"] and a["sector"] == b["sector"]
    assert a["frequency"] == b["frequency"]
    np.testing.assert_array_equal(a["time"], b["time"])
    np.testing.assert_array_equal(a["values"], b["values"])  # NaN equal to NaN


def imported(tmp_path, name, *args):
    out = tmp_path / f"{name}.h5"
    r = run("import", *args, "-o", out)
    assert r.returncode == 0, r.stderr
    return read_panel(out)


def test_the_same_panel_from_every_format(tmp_path):
    v = reference()
    region = [i.split("/")[0] for i in IDS]
    sector = [i.split("/")[1] for i in IDS]

    # Long: one row per series and day, NaN rows written as empty cells.
    long = pd.DataFrame({"country": np.repeat(region, T), "type": np.repeat(sector, T),
                         "date": np.tile(DAYS.strftime("%Y-%m-%d"), 3), "value_gwh": v.ravel()})
    long.to_csv(tmp_path / "long.csv", index=False)
    ref = imported(tmp_path, "long", tmp_path / "long.csv", "--id-cols", "country,type")
    assert ref["ids"] == ORDER
    assert ref["frequency"] == "daily"
    days0 = (np.datetime64("2020-01-01") - np.datetime64("1970-01-01")).astype(int)
    np.testing.assert_array_equal(ref["time"], np.arange(days0, days0 + T))
    np.testing.assert_array_equal(ref["values"], v[[IDS.index(i) for i in ORDER]])

    # The same long table gzip-compressed, rows shuffled, missing rows dropped instead of empty.
    shuffled = long.dropna().sample(frac=1.0, random_state=1)
    with gzip.open(tmp_path / "long.csv.gz", "wt") as g:
        shuffled.to_csv(g, index=False)
    assert_same_panel(ref, imported(tmp_path, "gz", tmp_path / "long.csv.gz", "--id-cols", "country,type"))

    # Wide by columns (pandas' DatetimeIndex as the first column) and by rows.
    wide = pd.DataFrame(v.T, index=DAYS, columns=IDS).rename_axis("date")
    wide.to_csv(tmp_path / "wide.csv")
    assert_same_panel(ref, imported(tmp_path, "wide", tmp_path / "wide.csv"))
    by_rows = pd.DataFrame(v, columns=DAYS.strftime("%Y-%m-%d"))
    by_rows.insert(0, "sector", sector)
    by_rows.insert(0, "region", region)
    by_rows.to_csv(tmp_path / "rows.tsv", sep="\t", index=False)
    assert_same_panel(ref, imported(tmp_path, "rows", tmp_path / "rows.tsv"))

    # h5py: a [time, series] dataset (transposed), CF time units, names in a dataset.
    with h5py.File(tmp_path / "user.h5", "w") as f:
        f["data/gen"] = v.T
        t = f.create_dataset("data/t", data=np.arange(T, dtype=np.int64) + 3)
        t.attrs["units"] = "days since 2019-12-29"
        f.create_dataset("data/names", data=IDS, dtype=h5py.string_dtype())
    # (imported into user_series.h5: writing over the input itself is refused, exit 2)
    assert_same_panel(ref, imported(tmp_path, "user_series", tmp_path / "user.h5", "--dataset", "/data/gen",
                                    "--time-dataset", "/data/t", "--names-dataset", "/data/names"))

    # xarray netCDF-4, both engines, with region as a non-dimension coordinate.
    da = xr.DataArray(v, dims=("series", "time"), name="generation",
                      coords={"series": IDS, "time": DAYS, "region": ("series", region)})
    da.attrs["units"] = "GWh"
    for engine in ("netcdf4", "h5netcdf"):
        path = tmp_path / f"x_{engine}.nc"
        da.to_netcdf(path, engine=engine)
        got = imported(tmp_path, engine, path)
        assert_same_panel(ref, got)
        with h5py.File(tmp_path / f"{engine}.h5") as f:
            assert f.attrs["units"] == "GWh"

    # series.h5 itself, as an input, and read back by xarray with named dimensions.
    assert_same_panel(ref, imported(tmp_path, "again", tmp_path / "long.h5"))
    ds = xr.open_dataset(tmp_path / "long.h5", engine="h5netcdf")
    assert ds["values"].dims == ("series_id", "time")
    assert ds["time"].values[0] == np.datetime64("2020-01-01")
    assert list(ds["series_id"].values) == ORDER
    assert list(ds["region"].values) == ["Argentina", "Hubei", "Hubei"]
    ds.to_netcdf(tmp_path / "from_series.nc", engine="h5netcdf")
    ds.close()
    assert_same_panel(ref, imported(tmp_path, "from_series", tmp_path / "from_series.nc"))


def test_series_h5_describes_itself(tmp_path):
    long = tmp_path / "m.csv"
    long.write_text("region,date,value_t\nA,2021-01,1\nA,2021-02,2\nA,2021-04,4\n")
    r = run("import", long, "-o", tmp_path / "m.h5")
    assert r.returncode == 0, r.stderr
    assert "1 series x 4 months, 2021-01 .. 2021-04, 1 missing series-months" in r.stderr
    with h5py.File(tmp_path / "m.h5") as f:
        assert f.attrs["frequency"] == "monthly"
        assert f["time"].attrs["units"] == "days since 1970-01-01"
        assert f["time"].attrs["frequency"] == "monthly"
        assert f["values"].attrs["units"] == "t"
        assert "NaN = missing" in f["values"].attrs["long_name"]
    ds = xr.open_dataset(tmp_path / "m.h5", engine="h5netcdf")
    assert [str(t)[:7] for t in ds["time"].values] == ["2021-01", "2021-02", "2021-03", "2021-04"]
    ds.close()


def test_monthly_axis_detect_and_show(tmp_path):
    rng = np.random.default_rng(5)
    months = pd.date_range("2012-01-01", periods=96, freq="MS")
    x = 5.0 + 0.1 * rng.standard_normal((2, 96))
    x[:, 60:] += 2.0
    a = pd.DataFrame({"region": np.repeat(["P", "Q"], 96), "date": np.tile(months.strftime("%Y-%m"), 2),
                      "value": x.ravel()})
    a.to_csv(tmp_path / "ym.csv", index=False)
    b = a.assign(date=np.tile(months.strftime("%Y-%m-01"), 2))
    b.to_csv(tmp_path / "ymd.csv", index=False)
    assert_same_panel(imported(tmp_path, "ym", tmp_path / "ym.csv"), imported(tmp_path, "ymd", tmp_path / "ymd.csv"))
    r = run("detect", tmp_path / "ym.h5", "-o", tmp_path / "det.h5")
    assert r.returncode == 0, r.stderr
    assert "model generic (a monthly axis, not daily)" in r.stderr
    r = run("show", tmp_path / "det.h5")
    assert r.returncode == 0, r.stderr
    assert "2017-01 " in r.stdout, r.stdout  # index 60 of a monthly axis from 2012-01
    with h5py.File(tmp_path / "det.h5") as f:
        assert f.attrs["frequency"] == "monthly"
        kind = f["detections/kind"]
        assert kind.attrs["flag_meanings"] == "unclassified event seasonal"
        assert list(kind.attrs["flag_values"]) == [-1, 0, 1]
        assert f["series/status"].attrs["flag_meanings"] == "ok constant empty"
        assert f["detections/day"].attrs["units"] == "days since 1970-01-01"


def test_index_axis_from_a_bare_dataset(tmp_path):
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, 200))
    x[:, 120:] += 3.0
    with h5py.File(tmp_path / "bare.h5", "w") as f:
        f["x"] = x
    r = run("import", tmp_path / "bare.h5", "-o", tmp_path / "s.h5")
    assert r.returncode == 0, r.stderr
    assert "2 series x 200 steps, 0 .. 199" in r.stderr
    with h5py.File(tmp_path / "s.h5") as f:
        assert f.attrs["frequency"] == "index"
        assert [s.decode() for s in f["series_id"][:]] == ["x_0", "x_1"]
        assert f["time"].attrs["units"] == "1"
    r = run("detect", tmp_path / "s.h5", "-o", tmp_path / "d.h5")
    assert r.returncode == 0, r.stderr
    assert "model generic (an index axis (no dates))" in r.stderr
    r = run("show", tmp_path / "d.h5", "--json")
    assert r.returncode == 0, r.stderr
    assert '"date": "120"' in r.stdout, r.stdout


def test_show_prints_the_crops_and_segneigh_paths(tmp_path):
    rng = np.random.default_rng(9)
    x = np.concatenate([np.zeros(60), np.full(60, 3.0), np.ones(60)]) + 0.3 * rng.standard_normal(180)
    pd.DataFrame({"date": pd.date_range("2020-01-01", periods=180).strftime("%Y-%m-%d"), "value": x}) \
        .to_csv(tmp_path / "one.csv", index=False)
    assert run("import", tmp_path / "one.csv", "-o", tmp_path / "one.h5").returncode == 0
    r = run("detect", tmp_path / "one.h5", "-o", tmp_path / "c.h5", "--method", "pelt", "--cost", "mean",
            "--crops", "1,100000")
    assert r.returncode == 0, r.stderr
    r = run("show", tmp_path / "c.h5")
    assert "# CROPS path of value: the optimal segmentation for each penalty range" in r.stdout, r.stdout
    rows = r.stdout.split("# CROPS path of value")[1].strip().splitlines()[2:]
    assert rows[-1].split()[2] == "0"   # the largest penalties: no change
    assert any(l.split()[2] == "2" and "2020-03-01" in l and "2020-04-30" in l for l in rows), rows
    r = run("detect", tmp_path / "one.h5", "-o", tmp_path / "s.h5", "--method", "segneigh", "--cost", "mean",
            "--max-changes", "3")
    assert r.returncode == 0, r.stderr
    r = run("show", tmp_path / "s.h5", "--json")
    import json
    path = json.loads(r.stdout)["path"]
    assert [p["k"] for p in path] == [0, 1, 2, 3]
    assert path[2]["dates"] == ["2020-03-01", "2020-04-30"]


@pytest.mark.parametrize("name,text,args,message", [
    ("dup.csv", "region,date,value\nA,2021-01-01,1\nA,2021-01-02,2\nA,2021-01-01,3\n", [],
     "dup.csv:4: duplicate row for (A, 2021-01-01); first given at {dir}/dup.csv:2"),
    ("mixed.csv", "region,date,value\nA,2021-01,1\nB,2021-Q1,2\n", [],
     "mixed.csv:3: mixed frequencies: time '2021-Q1' is a quarter"),
    ("nan.csv", "region,date,value\nA,2021-01-01,1\nA,2021-01-02,1.2.3\n", [],
     "nan.csv:3: value '1.2.3' is not a finite number"),
    ("cols.csv", "country,type,date,value\nX,coal,2021-01-01,1\n", ["--id-cols", "country,fuel"],
     "cols.csv:1: no column named 'fuel' (--id-cols); the columns are: country,type,date,value"),
    ("irregular.csv", "region,date,value\nA,2021-01-01,1\nA,2021-02-01,2\nA,2021-02-17,2\nA,2021-04-01,2\n"
     "A,2021-05-01,2\n", [], "irregular.csv:4: date 2021-02-17 is not on this panel's monthly axis"),
])
def test_bad_input_exits_2_names_file_and_row_and_writes_nothing(tmp_path, name, text, args, message):
    good = tmp_path / "good.csv"
    good.write_text("region,date,value\nA,2021-01-01,1\n")
    out = tmp_path / "series.h5"
    assert run("import", good, "-o", out).returncode == 0
    before = out.read_bytes()
    bad = tmp_path / name
    bad.write_text(text)
    r = run("import", bad, *args, "-o", out)
    assert r.returncode == 2, r.stderr
    assert message.format(dir=tmp_path) in r.stderr, r.stderr
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["good.csv", name, "series.h5"])


def test_the_same_file_twice(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text("region,sector,date,value\nHubei,Power,2020-01-01,1\n")
    r = run("import", f, f, "-o", tmp_path / "x.h5")
    assert r.returncode == 2
    assert f"{f}: the same file is given twice (input 1 and input 2)" in r.stderr
    assert not (tmp_path / "x.h5").exists()


def test_unknown_names_are_listed_once(tmp_path):
    f = tmp_path / "p.csv"
    rows = "".join(f"{c},{t},2021-01-0{d},1\n" for c in ("Chile", "Peru") for t in ("coal", "wind") for d in (1, 2))
    f.write_text("country,type,date,value\n" + rows + "Hubei,Power,2021-01-01,1\n")
    r = run("import", f, "--id-cols", "country,type", "-o", tmp_path / "x.h5")
    assert r.returncode == 0, r.stderr
    assert r.stderr.count("warning") == 2, r.stderr
    assert "2 region name(s) are not provinces of mainland China and are kept as written: Chile, Peru" in r.stderr
    assert "2 sector name(s) are not Carbon Monitor sectors and are kept as written: coal, wind" in r.stderr


def test_a_ragged_series_is_its_span(tmp_path):
    # Three series on an 800-day axis, NaN before their start and after their end, one shift
    # each: the turning points found in the panel are those found on each span alone.
    rng = np.random.default_rng(1)
    x = 10 + 0.1 * rng.standard_normal((3, 800))
    spans = [(200, 800), (0, 600), (100, 700)]
    for s, (a, b) in enumerate(spans):
        x[s, :a] = np.nan
        x[s, b:] = np.nan
    x[:, 400:] += 1.0
    days = pd.date_range("2019-01-01", periods=800).strftime("%Y-%m-%d")
    wide = pd.DataFrame(x.T, index=days, columns=["a", "b", "c"]).rename_axis("date")
    wide.to_csv(tmp_path / "ragged.csv")
    r = run("import", tmp_path / "ragged.csv", "-o", tmp_path / "ragged.h5")
    assert "3 series start late or stop early" in r.stderr, r.stderr

    def points(series_file, rows):
        out = tmp_path / "d.h5"
        r = run("detect", series_file, "-o", out, "--model", "pattern", "--min-confidence", "0")
        assert r.returncode == 0, r.stderr
        with h5py.File(out) as f:
            d = f["detections"]
            assert list(f["series/n_valid"][:]) == [b - a for a, b in spans][:rows]
            return [sorted(int(i) for i in d["index"][:][d["series"][:] == s]) for s in range(rows)]

    in_panel = points(tmp_path / "ragged.h5", 3)
    assert all(400 in p for p in in_panel), in_panel
    for s, (a, b) in enumerate(spans):
        one = tmp_path / f"one{s}.csv"
        wide.iloc[a:b, [s]].to_csv(one)
        assert run("import", one, "-o", tmp_path / f"one{s}.h5").returncode == 0
        out = tmp_path / "d1.h5"
        r = run("detect", tmp_path / f"one{s}.h5", "-o", out, "--model", "pattern", "--min-confidence", "0")
        assert r.returncode == 0, r.stderr
        with h5py.File(out) as f:
            alone = sorted(int(i) + a for i in f["detections/index"][:])
        assert alone == in_panel[s], (s, alone, in_panel[s])
