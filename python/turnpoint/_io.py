"""series.h5 and detections.h5 (docs/schema.md) from Python, through the same C++ readers
and writers as the CLI: a file written here is one `turnpoint detect/show/report` reads."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import List, Optional

import numpy as np

from . import _turnpoint
from ._arrays import as_days, as_values, labels, to_datetime64
from ._result import Detections


@dataclass
class Series:
    """A panel of series on one time axis (series.h5): values [series, time] (NaN =
    missing), dates (datetime64[D]; None for an index axis, whose times are step numbers),
    and a region, sector and id per series; frequency as series.h5 stores it (daily,
    weekly, monthly, quarterly, annual, index)."""
    values: np.ndarray
    dates: Optional[np.ndarray]
    region: List[str]
    sector: List[str]
    series_id: List[str]
    units: str = "MtCO2/day"
    source: str = ""
    path: Optional[str] = field(default=None, compare=False)  # the file it was read from
    frequency: str = "daily"

    def __len__(self):
        return self.values.shape[0]

    def index_of(self, series_id):
        try:
            return self.series_id.index(series_id)
        except ValueError:
            raise KeyError(f"no series '{series_id}' (of {len(self)})") from None

    def to_xarray(self):
        """The panel as an xarray.DataArray: dims (region, sector, time) when every
        (region, sector) pair occurs exactly once, else (series, time)."""
        import xarray as xr

        regions = list(dict.fromkeys(self.region))
        sectors = list(dict.fromkeys(self.sector))
        pairs = set(zip(self.region, self.sector))
        attrs = {"units": self.units, "source": self.source, "frequency": self.frequency}
        time = self.dates if self.dates is not None else np.arange(self.values.shape[1])
        if len(pairs) == len(self) == len(regions) * len(sectors):
            r = {x: i for i, x in enumerate(regions)}
            s = {x: i for i, x in enumerate(sectors)}
            cube = np.full((len(regions), len(sectors), self.values.shape[1]), np.nan)
            for i, (a, b) in enumerate(zip(self.region, self.sector)):
                cube[r[a], s[b]] = self.values[i]
            return xr.DataArray(cube, dims=("region", "sector", "time"),
                                coords={"region": regions, "sector": sectors, "time": time},
                                name="emissions", attrs=attrs)
        return xr.DataArray(self.values, dims=("series", "time"),
                            coords={"series": self.series_id, "time": time,
                                    "region": ("series", self.region),
                                    "sector": ("series", self.sector)},
                            name="emissions", attrs=attrs)


def read_series(path) -> Series:
    """Reads a series.h5 (the values come to numpy without a copy). Raises ValueError for a
    file that is not a valid series file (naming the file and dataset), OSError for HDF5
    errors."""
    path = os.fspath(path)
    d = _turnpoint.read_series(path)
    index = d["frequency"] == "index"
    return Series(values=d["values"], dates=None if index else to_datetime64(d["time"]),
                  region=list(d["region"]), sector=list(d["sector"]), series_id=list(d["series_id"]),
                  units=d["units"], source=d["source"], path=path, frequency=d["frequency"])


def write_series(path, values, dates=None, *, region=None, sector=None, series_id=None,
                 units="MtCO2/day", source="python"):
    """Writes a series.h5 (atomically). `values` may be a Series (then the other arguments
    are taken from it); a 1-D array is one series. Series ids default to "region/sector"
    when both are given, else to the row number (as turnpoint.detect numbers them)."""
    path = os.fspath(path)
    if isinstance(values, Series):
        s = values
        values, dates, region, sector, series_id = s.values, s.dates, s.region, s.sector, s.series_id
        units, source = s.units, s.source
    arr, _ = as_values(values)
    n, t = arr.shape
    if dates is None:
        raise ValueError("a series file needs dates (one per time step)")
    days = as_days(dates, t)
    region = labels(region, n, "regions") or [""] * n
    sector = labels(sector, n, "sectors") or [""] * n
    if series_id is None:
        series_id = ([f"{r}/{s}" for r, s in zip(region, sector)] if all(region) and all(sector)
                     else [str(i) for i in range(n)])
    _turnpoint.write_series(path, arr, days, region, sector, labels(series_id, n, "series ids"),
                            units, source)


def read_detections(path) -> Detections:
    """Reads a detections.h5 (from `turnpoint detect` or write_detections)."""
    return Detections(_turnpoint.read_detections(os.fspath(path)))


def write_detections(path, detections: Detections):
    """Writes a detections.h5 (atomically) that `turnpoint show/join/report` read."""
    if not isinstance(detections, Detections):
        raise TypeError(f"write_detections takes a turnpoint.Detections, got {type(detections).__name__}")
    _turnpoint.write_detections(os.fspath(path), detections._set)
