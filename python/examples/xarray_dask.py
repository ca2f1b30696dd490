"""turnpoint at scale from Python: the real panel as an xarray DataArray (region x sector x
time), detected chunk by chunk with xr.apply_ufunc(..., dask="parallelized") -- first with
Dask's local threads, then on a dask.distributed LocalCluster -- and checked against one call
on the whole panel (every series is independent, so the answers must be identical).

    python python/examples/xarray_dask.py                      # the whole panel (minutes)
    python python/examples/xarray_dask.py --regions Hubei,Beijing,Guangdong --chunk 1

A real cluster is the same code with Client("scheduler-address") instead of LocalCluster.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import xarray as xr

import turnpoint
from turnpoint.xarray import OUTPUTS, detect_dataarray

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "demo" / "carbon_monitor_china_daily.h5"


def load(panel_path=DEMO, regions=None):
    """The panel as a DataArray (region, sector, time), optionally only some regions."""
    da = turnpoint.read_series(panel_path).to_xarray()
    if regions:
        da = da.sel(region=list(regions))
    return da


def one_call(da, **kw):
    """turnpoint.detect on the whole panel at once ([region x sector, time]), laid out like
    detect_dataarray's result."""
    assert da.dims == ("region", "sector", "time")
    shape = da.shape
    r = turnpoint.detect(da.values.reshape(-1, shape[-1]), da["time"].values, **kw)
    s, i = r.points["series"], r.points["index"]
    tp = np.zeros((shape[0] * shape[1], shape[2]), dtype=bool)
    tp[s, i] = True
    conf = np.full(tp.shape, np.nan)
    conf[s, i] = r.points["confidence"]
    return xr.Dataset({"turning_point": (da.dims, tp.reshape(shape)),
                       "confidence": (da.dims, conf.reshape(shape))}, coords=da.coords)


def run(da, chunk=2, workers=1, threads=2, **kw):
    """(whole, threads, distributed, reference): the same detection four ways."""
    timings = {}
    t0 = time.perf_counter()
    whole = detect_dataarray(da, **kw)                                    # numpy, one call
    timings["one apply_ufunc call"] = time.perf_counter() - t0
    lazy = detect_dataarray(da.chunk({"region": chunk}), **kw)             # a Dask graph
    t0 = time.perf_counter()
    threads_result = lazy.compute(scheduler="threads")
    timings["dask threads"] = time.perf_counter() - t0
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=threads, processes=False,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        t0 = time.perf_counter()
        distributed = client.compute(detect_dataarray(da.chunk({"region": chunk}), **kw)).result()
        timings["dask.distributed LocalCluster"] = time.perf_counter() - t0
    reference = one_call(da, **kw)
    return whole, threads_result, distributed, reference, timings


def same(a, b):
    return all(np.array_equal(a[v].values, b[v].values, equal_nan=a[v].dtype.kind == "f")
               for v in OUTPUTS if v in a and v in b)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--panel", default=str(DEMO), help="series.h5 (default: the shipped real panel)")
    ap.add_argument("--regions", default="", help="comma-separated regions (default: all)")
    ap.add_argument("--chunk", type=int, default=4, help="regions per Dask chunk")
    args = ap.parse_args(argv)
    da = load(args.panel, [r for r in args.regions.split(",") if r])
    print(f"{dict(da.sizes)}: {da.sizes['region'] * da.sizes['sector']} series")
    whole, threads_result, distributed, reference, timings = run(da, chunk=args.chunk)
    for name, s in timings.items():
        print(f"  {name:32s} {s:7.2f} s")
    n = int(whole["turning_point"].sum())
    print(f"{n} turning points; most in one series: "
          f"{int(whole['turning_point'].sum('time').max())}")
    ok = same(whole, threads_result) and same(whole, distributed)
    ok = ok and np.array_equal(whole["turning_point"].values, reference["turning_point"].values) and \
        np.array_equal(whole["confidence"].values, reference["confidence"].values, equal_nan=True)
    print("identical to one call" if ok else "MISMATCH between the chunked runs and one call")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
