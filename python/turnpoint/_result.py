"""The result of turnpoint.detect / read_detections: the turning points of a panel.

It wraps the engine's DetectionSet (what detections.h5 holds, docs/schema.md) and reads its
columns on first use, so a call that only needs the change indices pays for nothing else.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from typing import List, Optional

import numpy as np

from . import _turnpoint
from ._arrays import to_datetime64

_CODES = _turnpoint.code_names()


@dataclass(frozen=True)
class SeriesResult:
    """The turning points of one series. A turning point is the 0-based index of the first
    time step of the new segment (ruptures' breakpoint without the final n)."""
    series: int
    series_id: str
    region: str
    sector: str
    status: str                   # ok, constant (no variation) or empty (too few values)
    changes: np.ndarray           # int, ascending
    dates: Optional[np.ndarray]   # datetime64[D] of each change (None without dates)
    kinds: List[str]              # event, seasonal or unclassified (raw solvers)
    shapes: List[str]             # level, trend, level+trend, transient, weekly, yearly, unknown
    confidences: np.ndarray       # in [0, 1]; NaN = not computed (raw solvers)
    intervals: np.ndarray         # [k, 2] index interval of each change; -1 = not computed
    gains: np.ndarray             # cost decrease each change brings given its neighbours
    steps: np.ndarray             # relative level change (-0.3 = a 30 % drop); NaN = not computed
    ranks: np.ndarray             # 1 = most important in its series


class Detections:
    """Turning points of every series of a panel.

    Per series (lists with one entry per series): ``changes``, ``dates``, ``kinds``,
    ``shapes``, ``confidences``, ``intervals``, ``gains``, ``steps``, ``ranks``; one series:
    ``result[i]``; every point as a table: ``to_pandas()``; the raw columns: ``points``
    and ``summary`` (dicts of numpy arrays, as in detections.h5).
    """

    def __init__(self, handle, *, dates_given=True, model=None, model_reason="", tally=None):
        self._set = handle
        self.dates_given = bool(dates_given)
        #: "raw" (a solver as asked), or the model that ran: pattern, generic, segments.
        self.model = model or _model_from_config(handle.config_json)
        #: Why that model (as `turnpoint detect` says on stderr).
        self.model_reason = model_reason
        #: What happened to the candidates (models only): candidates, below_confidence, ...
        self.tally = tally

    # ---- the panel -------------------------------------------------------------------------
    def __len__(self):
        return int(self._set.n_series)

    @property
    def n_series(self):
        return len(self)

    @cached_property
    def series_id(self):
        return list(self._set.series_id)

    @cached_property
    def region(self):
        return list(self._set.region)

    @cached_property
    def sector(self):
        return list(self._set.sector)

    @cached_property
    def time(self):
        """The time axis as datetime64[D] (None when the values had no dates)."""
        return to_datetime64(self._set.time) if self.dates_given else None

    @property
    def n_time(self):
        return len(self._set.time)

    @property
    def backend(self):
        return self._set.backend

    @property
    def input(self):
        """The series file the values came from ('' for arrays)."""
        return self._set.input

    @cached_property
    def config(self):
        """Every setting that produced the result (the /config JSON of detections.h5)."""
        return json.loads(self._set.config_json) if self._set.config_json else {}

    # ---- the columns -----------------------------------------------------------------------
    @cached_property
    def points(self):
        """One entry per turning point: series, index, day, kind, shape, confidence, ci_lo,
        ci_hi, gain, step, step_z, rank (numpy arrays; kind/shape as codes, see to_pandas)."""
        return self._set.points()

    @cached_property
    def summary(self):
        """One entry per series: status, n_valid, n_changes, cost, penalty, sigma."""
        return self._set.summary()

    @cached_property
    def _bounds(self):
        series = self.points["series"]
        if len(series) > 1 and np.any(np.diff(series) < 0):  # the engine sorts; be sure
            order = np.lexsort((self.points["index"], series))
            self.__dict__["points"] = {k: v[order] for k, v in self.points.items()}
            series = self.points["series"]
        return np.searchsorted(series, np.arange(len(self) + 1), side="left")

    def _split(self, column):
        b = self._bounds
        col = self.points[column]
        return [col[b[i]:b[i + 1]] for i in range(len(self))]

    @cached_property
    def changes(self):
        """Per series: the change indices (first time step of each new segment)."""
        return [c.astype(np.int64) for c in self._split("index")]

    @cached_property
    def dates(self):
        """Per series: the date of each change (None when the values had no dates)."""
        if not self.dates_given:
            return None
        return [to_datetime64(d) for d in self._split("day")]

    @cached_property
    def kinds(self):
        return [[_CODES["kind"][int(k)] for k in c] for c in self._split("kind")]

    @cached_property
    def shapes(self):
        return [[_CODES["shape"][int(k)] for k in c] for c in self._split("shape")]

    @cached_property
    def confidences(self):
        return self._split("confidence")

    @cached_property
    def intervals(self):
        """Per series: [k, 2] index interval (inclusive) of each change; -1 = not computed."""
        lo, hi = self._split("ci_lo"), self._split("ci_hi")
        return [np.stack([a, b], axis=1).astype(np.int64) for a, b in zip(lo, hi)]

    @cached_property
    def gains(self):
        return self._split("gain")

    @cached_property
    def steps(self):
        return self._split("step")

    @cached_property
    def ranks(self):
        return self._split("rank")

    @cached_property
    def status(self):
        return [_CODES["status"][int(s)] for s in self.summary["status"]]

    def __getitem__(self, i) -> SeriesResult:
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"series {i} of {n}")
        i %= n
        return SeriesResult(
            series=i, series_id=self.series_id[i], region=self.region[i], sector=self.sector[i],
            status=self.status[i], changes=self.changes[i],
            dates=self.dates[i] if self.dates is not None else None,
            kinds=self.kinds[i], shapes=self.shapes[i], confidences=self.confidences[i],
            intervals=self.intervals[i], gains=self.gains[i], steps=self.steps[i],
            ranks=self.ranks[i])

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def index_of(self, series_id):
        """The row of a series by its id ("Hubei/Industry")."""
        try:
            return self.series_id.index(series_id)
        except ValueError:
            raise KeyError(f"no series '{series_id}' (of {len(self)})") from None

    # ---- paths (segneigh / binseg) and CROPS -----------------------------------------------
    @cached_property
    def path(self):
        """Per series: {K: changes} for every feasible K of the segment-neighbourhood or
        binary-segmentation path (empty for other methods)."""
        p = self._set.path()
        out = [dict() for _ in range(len(self))]
        off, ch = p["offsets"], p["changes"]
        for j, (s, k) in enumerate(zip(p["series"], p["k"])):
            out[int(s)][int(k)] = ch[off[j]:off[j + 1]].astype(np.int64)
        return out

    @cached_property
    def crops(self):
        """Per series: the CROPS path, a list of (pen_lo, pen_hi, cost, changes)."""
        c = self._set.crops()
        out = [[] for _ in range(len(self))]
        off, ch = c["offsets"], c["changes"]
        for j, s in enumerate(c["series"]):
            out[int(s)].append((float(c["pen_lo"][j]), float(c["pen_hi"][j]), float(c["cost"][j]),
                                ch[off[j]:off[j + 1]].astype(np.int64)))
        return out

    # ---- tables ----------------------------------------------------------------------------
    def to_pandas(self):
        """One row per turning point: series, series_id, region, sector, index, date (with
        dates), kind, shape, confidence, ci_lo, ci_hi (indices; ci_lo_date, ci_hi_date with
        dates), gain, step, step_z, rank."""
        import pandas as pd

        p = self.points
        s = p["series"]
        ids, regions, sectors = (np.asarray(x, dtype=object) for x in
                                 (self.series_id, self.region, self.sector))
        cols = {"series": s.astype(np.int64), "series_id": ids[s] if len(ids) else ids,
                "region": regions[s] if len(regions) else regions,
                "sector": sectors[s] if len(sectors) else sectors,
                "index": p["index"].astype(np.int64)}
        if self.dates_given:
            cols["date"] = to_datetime64(p["day"])
        cols["kind"] = pd.Categorical([_CODES["kind"][int(k)] for k in p["kind"]],
                                      categories=list(_CODES["kind"].values()))
        cols["shape"] = pd.Categorical([_CODES["shape"][int(k)] for k in p["shape"]],
                                       categories=list(_CODES["shape"].values()))
        cols["confidence"] = p["confidence"]
        cols["ci_lo"] = p["ci_lo"].astype(np.int64)
        cols["ci_hi"] = p["ci_hi"].astype(np.int64)
        if self.dates_given:
            t = self._set.time
            for name in ("ci_lo", "ci_hi"):
                i = p[name]
                d = np.full(len(i), np.datetime64("NaT"), dtype="datetime64[D]")
                ok = i >= 0
                d[ok] = to_datetime64(t[i[ok]])
                cols[f"{name}_date"] = d
        cols["gain"] = p["gain"]
        cols["step"] = p["step"]
        cols["step_z"] = p["step_z"]
        cols["rank"] = p["rank"].astype(np.int64)
        return pd.DataFrame(cols)

    def summary_to_pandas(self):
        """One row per series: series_id, region, sector, status, n_valid, n_changes, cost,
        penalty, sigma."""
        import pandas as pd

        s = self.summary
        return pd.DataFrame({"series_id": self.series_id, "region": self.region,
                             "sector": self.sector, "status": self.status,
                             "n_valid": s["n_valid"], "n_changes": s["n_changes"],
                             "cost": s["cost"], "penalty": s["penalty"], "sigma": s["sigma"]})

    def __repr__(self):
        n_points = len(self.points["index"])
        return (f"<turnpoint.Detections: {n_points} turning points in {len(self)} series x "
                f"{self.n_time} time steps, model {self.model}, backend {self.backend}>")


def _model_from_config(config_json):
    """The model recorded in a detections file's settings ('raw' for a solver)."""
    try:
        cfg = json.loads(config_json) if config_json else {}
    except ValueError:
        return "unknown"
    explain = cfg.get("explain") if isinstance(cfg, dict) else None
    if isinstance(explain, dict) and "model" in explain:
        return str(explain["model"])
    return "raw"
