#!/usr/bin/env python3
"""How close to its true day can ANY method put a generator's turning point? (issue 4)

For every true turning point of a generator panel (`turnpoint generate`, annotator 0) this
fits an *oracle* model that knows far more than turnpoint does -- the point's subtype, the
neighbouring true points of its series (it only looks between them), the generator's
festival shape and which sectors have month steps -- and puts the point on the day that
minimises the residual sum of squares of that model. The share of points it places within
+-3 days is an estimate of what the issue's recall criterion ("90 % of true turning points
within +-3 days") can reach on this generator: a method that must also find the points,
their number and their kind will not do better on average.

The model, in logs (the generator multiplies its components), on the days between the
neighbouring true points:
  base    intercept, trend, weekly harmonics k = 1..3, yearly harmonics k = 1..3,
          one level per calendar month where the sector has month steps (Industry, Aviation:
          docs/generator.md), the Spring Festival dip as an offset log(1 - d * shape(t)) with
          the generator's own shape and d fitted on a grid;
  change  level_shift  1[t >= tau]
          shock        1[t >= tau] * exp(-(t - tau) / r), r = 15, 30, 60 days
          trend_break  log(1 + s (t - tau)+ / 365.25), the generator's own form, one
                       alternative per s = +-0.100, 0.125, ..., 0.450 (the best s wins)
          weekly_*     1[t >= tau] x the weekly harmonics
          yearly_*     1[t >= tau] x the yearly harmonics k = 1, 2
tau runs over every day at least 14 days inside the window.

    .venv/bin/python tools/oracle_localisation.py series.h5 [--detections d.h5]
                     [--min-confidence 0.5] [--markdown]

With --detections the same table lists turnpoint's own recall (a detected point of the
series within the distance, any kind) beside the oracle's, over the same true points.
"""
import argparse
import datetime as dt
import re
import sys
from pathlib import Path

import h5py
import numpy as np

SUBTYPES = ["level_shift", "trend_break", "shock", "weekly_amplitude", "yearly_amplitude",
            "yearly_phase"]
# Sectors the generator gives month-to-month level steps (docs/generator.md).
MONTH_STEP_SECTORS = {"Industry", "Aviation"}
# Chinese New Year's days: read from the engine's own table (host/core/calendar.hpp, 1990-2060),
# so the facts live in one place.
CALENDAR_HPP = Path(__file__).resolve().parent.parent / "host" / "core" / "calendar.hpp"


def spring_festival_days():
    text = CALENDAR_HPP.read_text()
    first = int(re.search(r"kFirstNewYearTable\s*=\s*(\d+)", text).group(1))
    block = re.search(r"kNewYear\[\]\s*=\s*\{(.*?)\};", text, re.S).group(1)
    block = re.sub(r"//[^\n]*", "", block)
    pairs = re.findall(r"\{\s*(\d+)\s*,\s*(\d+)\s*\}", block)
    return [dt.date(first + k, int(m), int(d)) for k, (m, d) in enumerate(pairs)]


# Trend-break sizes the oracle tries (the generator draws +-0.15..0.40 per year).
TREND_SIZES = np.concatenate([-np.arange(0.1, 0.4501, 0.025), np.arange(0.1, 0.4501, 0.025)])
EDGE = 14          # a candidate day lies at least this far inside the window
DISTANCES = (3, 7, 30)
EPOCH = dt.date(1970, 1, 1)


def festival_profile(k):
    """The generator's dip depth k days after New Year's Day (datasets/generator.cpp)."""
    if k < -10 or k > 27:
        return 0.0
    if k < 0:
        return (10.0 + k) / 10.0
    if k <= 6:
        return 1.0
    return (27.0 - k) / 21.0


class Calendar:
    """Columns that depend only on the time axis."""

    def __init__(self, days):
        n = len(days)
        t = np.arange(n, dtype=float)
        dates = [EPOCH + dt.timedelta(days=int(d)) for d in days]
        self.n = n
        self.t = t
        self.weekly = np.column_stack([f(2 * np.pi * k * days / 7.0)
                                       for k in (1, 2, 3) for f in (np.sin, np.cos)])
        self.yearly = np.column_stack([f(2 * np.pi * k * t / 365.2425)
                                       for k in (1, 2, 3) for f in (np.sin, np.cos)])
        self.month = np.array([d.year * 12 + d.month for d in dates])
        self.festival = np.zeros(n)
        for ny in spring_festival_days():
            k0 = (ny - dates[0]).days
            for k in range(-10, 28):
                if 0 <= k0 + k < n:
                    self.festival[k0 + k] = festival_profile(k)


def residualise(Q, C):
    """C minus its projection on the orthonormal columns Q; C is (K, m, q)."""
    return C - np.einsum("mp,kpq->kmq", Q, np.einsum("mp,kmq->kpq", Q, C))


def change_columns(subtype, tt, taus, cal, idx):
    """(K, m, q): the change's columns for every candidate day."""
    since = tt[None, :] - taus[:, None]                      # (K, m)
    after = (since >= 0).astype(float)
    name = SUBTYPES[subtype]
    if name == "level_shift":
        return after[:, :, None]
    if name == "shock":
        s = np.maximum(since, 0.0)
        return np.stack([after * np.exp(-s / r) for r in (15.0, 30.0, 60.0)], axis=2)
    if name == "trend_break":
        s = np.maximum(since, 0.0) / 365.25
        return np.stack([np.log(np.maximum(1.0 + size * s, 1e-3)) for size in TREND_SIZES], axis=2)
    if name == "weekly_amplitude":
        return after[:, :, None] * cal.weekly[idx][None, :, :]
    return after[:, :, None] * cal.yearly[idx][None, :, :4]


def oracle_day(y, lo, hi, subtype, month_steps, cal):
    """The least-squares day of the oracle model on days [lo, hi), or None (too short)."""
    idx = np.arange(lo, hi)
    ok = np.isfinite(y[idx]) & (y[idx] > 0)
    idx = idx[ok]
    if hi - lo < 2 * EDGE + 2 or len(idx) < 60:
        return None
    tt = cal.t[idx]
    yy = np.log(y[idx])
    centre = (tt - tt.mean()) / 365.0
    base = [np.ones(len(idx)), centre, cal.weekly[idx], cal.yearly[idx]]
    if month_steps:
        months = cal.month[idx]
        base = [(months == m).astype(float) for m in np.unique(months)[1:]] + base
    B = np.column_stack(base)
    # Festival depth: a grid on the no-change model; then a fixed offset.
    shape = cal.festival[idx]
    best = None
    if shape.any():
        for d in np.arange(0.0, 0.62, 0.02):
            z = yy - np.log(np.maximum(1.0 - d * shape, 1e-6))
            r = z - B @ np.linalg.lstsq(B, z, rcond=None)[0]
            if best is None or r @ r < best[0]:
                best = (r @ r, d)
        yy = yy - np.log(np.maximum(1.0 - best[1] * shape, 1e-6))
    Q, R = np.linalg.qr(B)
    Q = Q[:, np.abs(np.diag(R)) > 1e-10 * np.abs(np.diag(R)).max()]   # drop empty columns
    r = yy - Q @ (Q.T @ yy)
    taus = np.arange(lo + EDGE, hi - EDGE, dtype=float)
    gains = np.empty(len(taus))
    for a in range(0, len(taus), 128):
        C = residualise(Q, change_columns(subtype, tt, taus[a:a + 128], cal, idx))
        b = np.einsum("kmq,m->kq", C, r)
        if SUBTYPES[subtype] == "trend_break":   # each column is one alternative
            cc = np.einsum("kmq,kmq->kq", C, C)
            gains[a:a + len(b)] = (b * b / np.maximum(cc, 1e-300)).max(axis=1)
            continue
        G = np.einsum("kmq,kmr->kqr", C, C)
        for j in range(len(b)):
            coef = np.linalg.lstsq(G[j], b[j], rcond=1e-10)[0]
            gains[a + j] = b[j] @ coef
    return int(taus[int(np.argmax(gains))])


def read_truth(f):
    T = f["truth"]
    keep = T["annotator"][:] == 0
    return (T["series"][:][keep], T["index"][:][keep], T["subtype"][:][keep])


def run(series_path, detections_path=None, min_confidence=0.0):
    """{subtype: [(oracle error, engine error), ...]} in days, one pair per true point. The
    oracle error is None where the window is too short to fit; the engine error is None
    without a detections file and 10**9 where the series has no detection."""
    with h5py.File(series_path, "r") as f:
        if "truth" not in f:
            raise SystemExit(f"{series_path}: no /truth group (not written by `turnpoint generate`)")
        values = f["values"][:]
        sectors = [s.decode() if isinstance(s, bytes) else s for s in f["sector"][:]]
        cal = Calendar(f["time"][:].astype(float))
        ts, ti, tsub = read_truth(f)
    det = None
    if detections_path:
        with h5py.File(detections_path, "r") as g:
            D = g["detections"]
            keep = D["confidence"][:] >= min_confidence
            det = (D["series"][:][keep], D["index"][:][keep])
    out = {}
    for s, i, st in zip(ts, ti, tsub):
        others = np.sort(ti[(ts == s) & (ti != i)])
        lo = int(max([0] + [o for o in others if o < i]))
        hi = int(min([cal.n] + [o for o in others if o > i]))
        day = oracle_day(values[s], lo, hi, int(st), sectors[s] in MONTH_STEP_SECTORS, cal)
        oracle_err = None if day is None else abs(day - int(i))
        engine_err = None
        if det is not None:
            d = np.abs(det[1][det[0] == s] - i)
            engine_err = int(d.min()) if len(d) else 10 ** 9
        out.setdefault(SUBTYPES[st], []).append((oracle_err, engine_err))
    return out


def table(out, markdown):
    has_engine = any(e is not None for rows in out.values() for _, e in rows)
    head = ["subtype", "true"] + [f"oracle +-{d}" for d in DISTANCES]
    if has_engine:
        head += [f"turnpoint +-{d}" for d in DISTANCES]
    lines = []
    total = {"n": 0, "o": 0, "e": 0}
    for name in SUBTYPES:
        rows = out.get(name, [])
        if not rows:
            continue
        o = np.array([1e9 if a is None else a for a, _ in rows])
        cells = [name, str(len(rows))] + [str(int((o <= d).sum())) for d in DISTANCES]
        total["n"] += len(rows)
        total["o"] += int((o <= 3).sum())
        if has_engine:
            e = np.array([b for _, b in rows])
            cells += [str(int((e <= d).sum())) for d in DISTANCES]
            total["e"] += int((e <= 3).sum())
        lines.append(cells)
    n = max(total["n"], 1)
    summary = f"within +-3 days: oracle {total['o']} of {total['n']} ({100.0 * total['o'] / n:.1f} %)"
    if has_engine:
        summary += f", turnpoint {total['e']} of {total['n']} ({100.0 * total['e'] / n:.1f} %)"
    if markdown:
        text = ["| " + " | ".join(head) + " |", "|" + "---|" + "---:|" * (len(head) - 1)]
        text += ["| " + " | ".join(c) + " |" for c in lines]
    else:
        w = [max(len(h), 8) for h in head]
        text = ["  ".join(h.rjust(x) if k else h.ljust(18) for k, (h, x) in enumerate(zip(head, w)))]
        text += ["  ".join(c.rjust(x) if k else c.ljust(18) for k, (c, x) in enumerate(zip(cells, w)))
                 for cells in lines]
    return "\n".join(text + ["", summary])


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("series", help="a generator panel (turnpoint generate), with /truth")
    p.add_argument("--detections", help="turnpoint detections.h5 of the same panel, for comparison")
    p.add_argument("--min-confidence", type=float, default=0.0,
                   help="count only detections with at least this confidence (default 0: all)")
    p.add_argument("--markdown", action="store_true", help="print a markdown table")
    a = p.parse_args(argv)
    print(table(run(a.series, a.detections, a.min_confidence), a.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
