#!/usr/bin/env python3
"""Confidence calibration of turning points (issue 4, docs/seasonality.md).

Reliability table: reads the held-out records written by tests/explain_test (one reported
turning point per row: confidence and whether a true change of the same kind lies within
+-7 days, generator seeds disjoint from the fit), bins the confidence, and writes per bin:
count, mean confidence, fraction correct and whether the two agree within +-0.1. The table
replaces the block between the markers <!-- calibration:begin --> and
<!-- calibration:end --> of the docs page (written to a temporary file, then renamed).

    TURNPOINT_CALIBRATION_CSV=cal.csv build/tests/explain_test --gtest_filter=*Calibrated*
    .venv/bin/python tools/calibration.py cal.csv docs/seasonality.md

Fit of the pattern model (--fit-pattern): reads the records of every point the pattern model
found on generator panels with known truth (x = log(gain / penalty), its shape, whether it is
correct; explain_pattern_test's CalibrationFitRecords) and fits one logistic map per shape:

    TURNPOINT_PATTERN_FIT_CSV=fit.csv build/tests/explain_pattern_test --gtest_filter=*FitRecords
    .venv/bin/python tools/calibration.py --fit-pattern fit.csv host/explain/pattern_calibration.inc

Fit of the segments model (--fit): reads the raw bootstrap stability and step-z records (explain_test's
CalibrationFitRecords), fits the monotone map stability -> P(correct) by isotonic regression
(pool adjacent violators) once over every record and once per band of the step z (Z_EDGES),
and writes them as host/explain/confidence_calibration.inc (C++ tables of knots: each block's mean
stability and fraction true, with the seeds and counts they came from).

    TURNPOINT_CALIBRATION_FIT_CSV=fit.csv build/tests/explain_test --gtest_filter=*FitRecords
    .venv/bin/python tools/calibration.py --fit fit.csv host/explain/confidence_calibration.inc
"""
import argparse
import csv
import os
import sys
import tempfile

import numpy as np

BEGIN = "<!-- calibration:begin -->"
END = "<!-- calibration:end -->"
EDGES = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0 + 1e-9]  # the bins tests/explain_test checks


def pava(x, y):
    """Isotonic (non-decreasing) fit of y on sorted x: blocks as (mean x, mean y, count)."""
    blocks = []  # [sum_x, sum_y, n]
    groups = []  # tied x values form one starting block
    for xi, yi in zip(x, y):
        if groups and groups[-1][0] / groups[-1][2] == xi:
            groups[-1] = [groups[-1][0] + xi, groups[-1][1] + yi, groups[-1][2] + 1]
        else:
            groups.append([xi, yi, 1])
    for g in groups:
        blocks.append(list(g))
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            a = blocks.pop()
            blocks[-1] = [blocks[-1][0] + a[0], blocks[-1][1] + a[1], blocks[-1][2] + a[2]]
    return [(sx / n, sy / n, n) for sx, sy, n in blocks]


# Bands of the step z (TurningPoint::step_z: the level move across a point in units of the
# series' month-to-month wandering): a separate isotonic map of the stability of `event`
# points is fitted in each (a `seasonal` point need not move the level: its map is one fit
# over the seasonal points). Why: an event re-found in every replicate is true ~97 % of the
# time when it moves the level by >= 10 such units and 10-20 % of the time when it moves it
# by < 4 (month steps of monthly-disaggregated series), so one map of the stability alone
# tops out at ~0.7 for both. Edges chosen on the fit seeds; each band holds >= 200 event
# records of seeds 1001-1010 (docs/seasonality.md §3 has the held-out comparison).
Z_EDGES = [0.0, 4.0, 6.0, 10.0]


def isotonic(stab, correct):
    order = np.argsort(stab, kind="stable")
    return pava(np.array(stab)[order], np.array(correct, dtype=float)[order])


def knot_lines(name, blocks):
    lines = [f"constexpr Knot {name}[] = {{"]
    for bx, by, n in blocks:
        lines.append(f"    {{{bx:.6f}, {by:.6f}}},  // {n}")
    lines.append("};")
    return lines


def fit(records, out):
    seeds, stab, zs, kinds, correct = set(), [], [], [], []
    with open(records, newline="") as f:
        for row, rec in enumerate(csv.DictReader(f), start=2):
            try:
                s, z, ok = float(rec["stability"]), float(rec["step_z"]), int(rec["correct"])
            except (KeyError, ValueError) as e:
                sys.exit(f"{records}:{row}: bad record ({e})")
            if np.isnan(s):
                continue
            seeds.add(rec["seed"])
            stab.append(s)
            zs.append(z)
            kinds.append(rec["kind"])
            correct.append(ok)
    if len(stab) < 50:
        sys.exit(f"{records}: {len(stab)} records, need at least 50 to fit")
    stab, zs, correct = np.array(stab), np.array(zs), np.array(correct)
    seasonal = np.array(kinds) == "seasonal"
    if seasonal.sum() < 50:
        sys.exit(f"{records}: {int(seasonal.sum())} seasonal records, need 50")
    lines = ["// Written by tools/calibration.py --fit; do not edit.",
             "// Isotonic fits of P(true turning point of the same kind within +-7 days) on the",
             f"// bootstrap stability (B = 200, h = 7): {len(stab)} scored points of generator",
             "// panels (datasets/generator.hpp, demo_config, 155 series each) seeds "
             f"{', '.join(sorted(seeds))}.",
             "// kPooled: every point (used when an event has no step z); kSeasonal: the seasonal",
             "// points; kBands: the event points, one fit per band of the step z, [z_lo, next",
             "// z_lo). Knots: (mean stability of a block, fraction true in it)  // points in it"]
    lines += knot_lines("kPooled", isotonic(stab, correct))
    lines += knot_lines("kSeasonal", isotonic(stab[seasonal], correct[seasonal]))
    bands = []
    uppers = Z_EDGES[1:] + [np.inf]
    for b, (lo, hi) in enumerate(zip(Z_EDGES, uppers)):
        sel = ~seasonal & ~np.isnan(zs) & (zs >= lo) & (zs < hi)
        if sel.sum() < 50:
            sys.exit(f"{records}: {int(sel.sum())} event records with step z in [{lo}, {hi}), need 50")
        lines += knot_lines(f"kBand{b}", isotonic(stab[sel], correct[sel]))
        bands.append(f"    {{{lo:.1f}, kBand{b}, std::size(kBand{b})}},  // {int(sel.sum())} events")
    lines.append("constexpr Band kBands[] = {")
    lines += bands
    lines.append("};")
    lines.append(f'constexpr const char* kSource = "isotonic fits: seasonal; events per step-z band '
                 f'{"/".join(f"{e:g}" for e in Z_EDGES)}, generator seeds '
                 f'{" ".join(sorted(seeds))}, {len(stab)} points";')
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(out)), suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, out)
    print("\n".join(lines))


# The pattern model's shapes, in the order of TurnShape (host/core/detections.hpp).
SHAPES = ["level", "trend", "level+trend", "transient", "weekly", "yearly"]


def logistic_fit(X, y, ridge=1e-3, iters=100):
    """Maximum-likelihood logistic regression of y on the columns of X (the first is the
    intercept) by Newton's method, with a small ridge on the slopes. The slope of x (column
    1) is kept >= 0 so the confidence never falls as the gain grows: a negative fit (too few
    or too mixed points) drops that column."""
    def newton(X):
        w = np.zeros(X.shape[1])
        R = ridge * np.diag([0.0] + [1.0] * (X.shape[1] - 1))
        for _ in range(iters):
            p = 1.0 / (1.0 + np.exp(-X @ w))
            g = X.T @ (y - p) - R @ w
            H = X.T @ (X * (p * (1 - p))[:, None]) + R
            step = np.linalg.solve(H, g)
            w += step
            if np.max(np.abs(step)) < 1e-10:
                break
        return w
    w = newton(X)
    if w[1] < 0:
        keep = [0] + list(range(2, X.shape[1]))
        w2 = newton(X[:, keep])
        w = np.zeros(X.shape[1])
        w[keep] = w2
    return w


def fit_pattern(records, out):
    """The pattern model's map: per shape, P(correct) = logistic(a + b x + c log(width)),
    x = log(gain / penalty) (the uncalibrated confidence) and width the days of its interval,
    from records seed,shape,x,width,correct."""
    seeds, shapes, xs, widths, correct = set(), [], [], [], []
    with open(records, newline="") as f:
        for row, rec in enumerate(csv.DictReader(f), start=2):
            try:
                x, w, ok, shape = float(rec["x"]), float(rec["width"]), int(rec["correct"]), rec["shape"]
            except (KeyError, ValueError) as e:
                sys.exit(f"{records}:{row}: bad record ({e})")
            if shape not in SHAPES:
                sys.exit(f"{records}:{row}: unknown shape '{shape}' (known: {', '.join(SHAPES)})")
            if not (w >= 1):
                sys.exit(f"{records}:{row}: interval width {w} < 1 day")
            seeds.add(rec["seed"])
            shapes.append(shape)
            xs.append(x)
            widths.append(w)
            correct.append(ok)
    xs, correct, shapes = np.array(xs), np.array(correct, dtype=float), np.array(shapes)
    u = np.log(np.array(widths))
    if len(xs) < 200:
        sys.exit(f"{records}: {len(xs)} records, need at least 200 to fit")
    lines = ["// Written by tools/calibration.py --fit-pattern; do not edit.",
             "// Logistic fits of P(true turning point of the same kind within +-7 days) on",
             "// x = log(gain / penalty) and u = log(days in the interval), one per shape",
             "// (TurnShape order), from every point the pattern model found on generator",
             "// panels (datasets/generator.hpp, demo_config, 155 series each) seeds",
             f"// {', '.join(sorted(seeds))}: {len(xs)} points.",
             "// {a, b, c}: P = 1 / (1 + exp(-(a + b x + c u)))  // points, fraction true"]
    pooled = logistic_fit(np.column_stack([np.ones(len(xs)), xs, u]), correct)
    lines.append("constexpr Logistic kPatternShapes[] = {")
    for shape in SHAPES:
        sel = shapes == shape
        if sel.sum() < 30:  # too few to fit: the map of every point
            a, b, c = pooled
            lines.append(f"    {{{a:.6f}, {b:.6f}, {c:.6f}}},  // {shape}: {int(sel.sum())} points, "
                         "too few: the pooled map")
            continue
        X = np.column_stack([np.ones(int(sel.sum())), xs[sel], u[sel]])
        a, b, c = logistic_fit(X, correct[sel])
        lines.append(f"    {{{a:.6f}, {b:.6f}, {c:.6f}}},  // {shape}: {int(sel.sum())} points, "
                     f"{correct[sel].mean():.3f} true")
    lines.append("};")
    a, b, c = pooled
    lines.append(f"constexpr Logistic kPatternPooled = {{{a:.6f}, {b:.6f}, {c:.6f}}};  // every point")
    lines.append(f'constexpr const char* kPatternSource = "logistic fits per shape of log(gain / '
                 f'penalty) and log(interval days), generator seeds {" ".join(sorted(seeds))}, '
                 f'{len(xs)} points";')
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(out)), suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, out)
    print("\n".join(lines))


def read_records(path):
    conf, correct = [], []
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        for row, rec in enumerate(reader, start=2):
            try:
                c = float(rec["confidence"])
                ok = int(rec["correct"])
            except (KeyError, ValueError) as e:
                sys.exit(f"{path}:{row}: bad record ({e})")
            if np.isnan(c):
                continue
            conf.append(c)
            correct.append(ok)
    if not conf:
        sys.exit(f"{path}: no records with a confidence")
    return np.array(conf), np.array(correct)


def table(conf, correct):
    lines = ["| confidence bin | points | mean confidence | fraction true | within +-0.1 |",
             "|---|---:|---:|---:|---|"]
    for lo, hi in zip(EDGES[:-1], EDGES[1:]):
        sel = (conf >= lo) & (conf < hi)
        n = int(sel.sum())
        label = f"[{lo:.2f}, {min(hi, 1.0):.2f}{']' if hi > 1 else ')'}"
        if n == 0:
            lines.append(f"| {label} | 0 | - | - | - |")
            continue
        mc, fr = conf[sel].mean(), correct[sel].mean()
        lines.append(f"| {label} | {n} | {mc:.3f} | {fr:.3f} | {'yes' if abs(mc - fr) <= 0.1 else 'NO'} |")
    lines.append(f"| all | {len(conf)} | {conf.mean():.3f} | {correct.mean():.3f} | "
                 f"{'yes' if abs(conf.mean() - correct.mean()) <= 0.1 else 'NO'} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fit", action="store_true",
                    help="fit the map from stability records and write the .inc table")
    ap.add_argument("--fit-pattern", action="store_true",
                    help="fit the pattern model's map from x records and write the .inc file")
    ap.add_argument("records")
    ap.add_argument("doc", help="docs page (table) or, with --fit, the .inc file")
    args = ap.parse_args()
    if args.fit:
        fit(args.records, args.doc)
        return
    if args.fit_pattern:
        fit_pattern(args.records, args.doc)
        return
    conf, correct = read_records(args.records)
    block = table(conf, correct)
    with open(args.doc, encoding="utf-8") as f:
        text = f.read()
    if BEGIN not in text or END not in text:
        sys.exit(f"{args.doc}: markers {BEGIN} / {END} not found")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    out = head + BEGIN + "\n" + block + "\n" + END + tail
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(args.doc)), suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(out)
    os.replace(tmp, args.doc)
    print(block)


if __name__ == "__main__":
    main()
