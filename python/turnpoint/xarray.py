"""turnpoint on xarray DataArrays of any shape, chunked with Dask or not (docs/python.md).

    import turnpoint.xarray as tpx
    ds = tpx.detect_dataarray(da, dim="time")           # da: (region, sector, time)
    ds = tpx.detect_dataarray(da.chunk({"region": 8}))  # lazily, chunk by chunk (Dask)

Every series along `dim` is independent, so each chunk of series is detected by itself
(xr.apply_ufunc(..., dask="parallelized")) and the answers equal one call on the whole
array. The result is a Dataset on da's own dims with, per time step:

* turning_point (bool): True on the first time step of each new segment;
* confidence (float64): the turning point's confidence (NaN elsewhere or not computed);
* level_change (float64): its relative level change (-0.3 = a 30 % drop; NaN elsewhere);
* kind (int8): 0 none, 1 event, 2 seasonal, 3 unclassified (a raw solver's points).
"""
from __future__ import annotations

import numpy as np

from ._detect import detect

KIND_CODES = {"event": 1, "seasonal": 2, "unclassified": 3}
OUTPUTS = ("turning_point", "confidence", "level_change", "kind")


def detect_block(values, days=None, **kwargs):
    """The per-block function: values [..., time] -> (turning_point, confidence, level_change, kind),
    each shaped like values. `days`: int days since 1970-01-01 (or None). Keyword arguments
    go to turnpoint.detect."""
    values = np.asarray(values)
    shape = values.shape
    flat = values.reshape(-1, shape[-1])
    tp = np.zeros(flat.shape, dtype=bool)
    conf = np.full(flat.shape, np.nan)
    step = np.full(flat.shape, np.nan)
    kind = np.zeros(flat.shape, dtype=np.int8)
    if flat.shape[0] > 0:
        r = detect(flat, days, **kwargs)
        p = r.points
        s, i = p["series"], p["index"]
        tp[s, i] = True
        conf[s, i] = p["confidence"]
        step[s, i] = p["step"]
        kind[s, i] = [KIND_CODES[k] for k in _kind_names(p["kind"])]
    return (tp.reshape(shape), conf.reshape(shape), step.reshape(shape), kind.reshape(shape))


def _kind_names(codes):
    from ._result import _CODES

    return [_CODES["kind"][int(k)] for k in codes]


def detect_dataarray(da, dim="time", **kwargs):
    """Turning points of every series of `da` along `dim` (see the module's doc). Dates come
    from da[dim] when it holds datetime64 values. With a Dask-backed `da`, the result is lazy
    (call .compute() or .load()); `dim` is put in one chunk first, series chunks stay."""
    import xarray as xr

    if dim not in da.dims:
        raise ValueError(f"{dim!r} is not a dimension of the array (dims: {da.dims})")
    clash = set(OUTPUTS) & set(da.dims)
    if clash:
        raise ValueError(f"dimension names {sorted(clash)} clash with the result's variables {OUTPUTS}")
    days = None
    if dim in da.coords and np.issubdtype(da[dim].dtype, np.datetime64):
        days = da[dim].values.astype("datetime64[D]").astype(np.int64).astype(np.int32)
    if da.chunks is not None:
        da = da.chunk({dim: -1})
    kwargs = dict(kwargs, days=days)
    out = xr.apply_ufunc(
        detect_block, da, input_core_dims=[[dim]], output_core_dims=[[dim]] * len(OUTPUTS),
        dask="parallelized", output_dtypes=[bool, np.float64, np.float64, np.int8],
        kwargs=kwargs)
    ds = xr.Dataset(dict(zip(OUTPUTS, out)))
    ds["kind"].attrs.update(flag_values=np.array([0, 1, 2, 3], dtype=np.int8),
                            flag_meanings="none event seasonal unclassified")
    ds["level_change"].attrs["long_name"] = "relative level change at the turning point"
    ds["confidence"].attrs["long_name"] = "confidence of the turning point"
    return ds
