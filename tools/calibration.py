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

Fit (--fit): reads the raw bootstrap stability and step-z records (explain_test's
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
    ap.add_argument("records")
    ap.add_argument("doc", help="docs page (table) or, with --fit, the .inc file")
    args = ap.parse_args()
    if args.fit:
        fit(args.records, args.doc)
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
