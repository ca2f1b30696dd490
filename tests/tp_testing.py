"""What the Python tests share: the turnpoint executable under test, where the shared data
is, and a series.h5 writer that uses h5py directly (a writer independent of turnpoint's own
HDF5 code, following docs/schema.md)."""
import os
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = os.environ.get("TURNPOINT_BIN")
needs_bin = pytest.mark.skipif(not BIN, reason="TURNPOINT_BIN (path of the turnpoint executable) is not set")
EPOCH_2019 = 17897  # 2019-01-01 in days since 1970-01-01


def shared_dir():
    """The folder holding datasets/ and seeds/: $TURNPOINT_SHARED or ../shared."""
    return Path(os.environ.get("TURNPOINT_SHARED", REPO.parent / "shared"))


def run(*args, **kw):
    """Runs `turnpoint ARGS...`; returns the CompletedProcess (text mode)."""
    return subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, **kw)


def write_series(path, values, days=None, regions=None, sectors=None, ids=None, truth=None):
    """series.h5 with values [N, T] (NaN = missing) on the daily axis from 2019-01-01 unless
    `days` is given; `truth`: (series, index, subtype) rows in the generator's /truth layout."""
    values = np.atleast_2d(np.asarray(values, dtype=np.float64))
    n, t = values.shape
    if days is None:
        days = np.arange(EPOCH_2019, EPOCH_2019 + t, dtype=np.int32)
    regions = regions or ["Hubei"] * n
    sectors = sectors or ["Industry"] * n
    ids = ids or [f"{r}/S{i}" for i, r in enumerate(regions)]
    str_t = h5py.string_dtype("utf-8")
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "turnpoint.series"
        f.attrs["format_version"] = 1
        f.attrs["units"] = "MtCO2/day"
        f.attrs["source"] = "test"
        f.attrs["turnpoint_version"] = "test"
        f.attrs["created"] = "2026-11-21T00:00:00Z"
        f["time"] = np.asarray(days, dtype=np.int32)
        f["values"] = values
        f.create_dataset("region", data=regions, dtype=str_t)
        f.create_dataset("sector", data=sectors, dtype=str_t)
        f.create_dataset("series_id", data=ids, dtype=str_t)
        if truth is not None:
            g = f.create_group("truth")
            g["series"] = np.array([r[0] for r in truth], dtype=np.int32)
            g["index"] = np.array([r[1] for r in truth], dtype=np.int32)
            g["day"] = np.asarray(days, dtype=np.int32)[g["index"][:]] if len(truth) else np.zeros(0, np.int32)
            g["subtype"] = np.array([r[2] for r in truth], dtype=np.int8)
            g["kind"] = np.array([0 if r[2] < 3 else 1 for r in truth], dtype=np.int8)
            g["size"] = np.zeros(len(truth))
            g["annotator"] = np.zeros(len(truth), dtype=np.int32)
