"""The policy catalogue, the join and the reports (docs/catalogue.md, docs/reports.md):
the functions behind `turnpoint catalogue`, `turnpoint join` and `turnpoint report`."""
from __future__ import annotations

import json
import os
import tempfile

from . import _turnpoint
from ._result import Detections


def catalogue(path=None):
    """The catalogue's entries as dicts (one per policy or event): `path` (a .jsonl file) or
    the built-in catalogue."""
    text = _turnpoint.catalogue_jsonl(os.fspath(path) if path else "")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _windows(window, window_event, window_seasonal):
    return dict(window=window or "", window_event=window_event or "",
                window_seasonal=window_seasonal or "")


def join(detections: Detections, catalogue=None, *, explain=False, lead_days=7,
         min_strength=0.25, max_matches=0, window=None, window_event=None, window_seasonal=None):
    """Links each turning point with the catalogue entries that explain it (time, place,
    sector, direction; a strength and a reason per link). Returns one dict per turning point,
    the records `turnpoint join` writes to matches.jsonl (with near misses when `explain`).
    Windows are "MONTHS_BEFORE:MONTHS_AFTER" strings, e.g. "3:3"."""
    _check(detections)
    text = _turnpoint.join(detections._set, os.fspath(catalogue) if catalogue else "", bool(explain),
                           int(lead_days), float(min_strength), int(max_matches),
                           **_windows(window, window_event, window_seasonal))
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def report(detections: Detections, out_dir, catalogue=None, *, series=None, lang="zh",
           analysed_at=None, max_entries=5, top=0, lead_days=7, min_strength=0.25, window=None,
           window_event=None, window_seasonal=None):
    """Writes the reports `turnpoint report` writes: per series a Markdown report, a JSON
    record and an HTML page with an SVG chart, and out_dir/index.html. The charts draw the
    series' values from the series file the detections came from; for detections of arrays,
    pass the values as `series` (a turnpoint.Series or an array [series, time]).
    Returns {series, points, links, plotted, plot_note}."""
    _check(detections)
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be zh or en (got {lang!r})")
    out_dir = os.fspath(out_dir)
    args = (os.fspath(catalogue) if catalogue else "", out_dir, lang, analysed_at or "",
            int(max_entries), int(top), int(lead_days), float(min_strength))
    windows = _windows(window, window_event, window_seasonal)
    if series is None:
        return _turnpoint.write_reports(detections._set, *args, **windows)
    # The charts read the values from a series file: write one next to nothing else.
    from ._io import Series, write_series

    with tempfile.TemporaryDirectory(prefix="turnpoint-report-") as tmp:
        path = os.path.join(tmp, "series.h5")
        if isinstance(series, Series):
            write_series(path, series)
        else:
            write_series(path, series, detections.time if detections.dates_given else
                         detections._set.time, region=detections.region, sector=detections.sector,
                         series_id=detections.series_id)
        saved = detections._set.input
        detections._set.input = path
        try:
            return _turnpoint.write_reports(detections._set, *args, **windows)
        finally:
            detections._set.input = saved


def _check(detections):
    if not isinstance(detections, Detections):
        raise TypeError(f"expected a turnpoint.Detections, got {type(detections).__name__}")
