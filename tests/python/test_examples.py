"""The documented examples run and say what they promise: python/examples/xarray_dask.py
gives identical answers chunk by chunk (Dask threads, a dask.distributed LocalCluster) and in
one call; python/examples/real_panel.py plots a series and writes the reports. Both run on
a slice of the shipped real panel (two provinces, 10 series) to stay fast."""
from __future__ import annotations

import importlib.util
import subprocess

import numpy as np
import pytest

from tp_testing import REPO

EXAMPLES = REPO / "python" / "examples"
REGIONS = ["Hubei", "Beijing"]


def load_example(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_xarray_and_dask_give_the_answers_of_one_call():
    pytest.importorskip("xarray")
    pytest.importorskip("dask.distributed")
    ex = load_example("xarray_dask")
    da = ex.load(regions=REGIONS)
    assert da.dims == ("region", "sector", "time") and da.shape == (2, 5, 1461)
    whole, threads, distributed, reference, _ = ex.run(da, chunk=1, workers=1, threads=2)
    for name in ("turning_point", "confidence", "level_change", "kind"):
        for other in (threads, distributed):
            np.testing.assert_array_equal(whole[name].values, other[name].values, err_msg=name)
    np.testing.assert_array_equal(whole["turning_point"].values, reference["turning_point"].values)
    np.testing.assert_array_equal(whole["confidence"].values, reference["confidence"].values)
    assert whole["turning_point"].sum() > 0
    hubei = whole.sel(region="Hubei", sector="Ground Transport")
    assert hubei["turning_point"].sel(time=slice("2020-01-15", "2020-02-15")).any(), \
        "no turning point at the Hubei lockdown (January 2020)"
    # kind codes where (and only where) there is a turning point
    assert ((whole["kind"] > 0) == whole["turning_point"]).all()


def test_xarray_with_a_raw_solver_and_no_dates():
    xr = pytest.importorskip("xarray")
    pytest.importorskip("dask")
    from turnpoint.xarray import detect_dataarray

    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 3, 300))
    x[..., 150:] += 10.0
    da = xr.DataArray(x, dims=("a", "b", "t"))
    kw = dict(dim="t", method="pelt", cost="mean", penalty="mbic")
    eager = detect_dataarray(da, **kw)
    lazy = detect_dataarray(da.chunk({"a": 1, "b": 2}), **kw).compute()
    np.testing.assert_array_equal(eager["turning_point"].values, lazy["turning_point"].values)
    assert eager["turning_point"].isel(t=150).all()
    assert (eager["kind"].values[eager["turning_point"].values] == 3).all()  # unclassified


def test_real_panel_example_plots_and_reports(tmp_path, venv_python):
    out = tmp_path / "out"
    done = subprocess.run([str(venv_python), str(EXAMPLES / "real_panel.py"), "--regions", ",".join(REGIONS),
                           "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    assert "model: pattern" in done.stdout
    png = out / "Hubei_Industry.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    assert (out / "report" / "index.html").exists()
    assert (out / "report" / "Hubei_Industry.md").exists()
    assert (out / "detections.h5").exists()
