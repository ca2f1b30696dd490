#!/usr/bin/env python3
"""Reliability table of the turning-point confidence (issue 4, docs/seasonality.md).

Reads the records written by tests/explain_test (one reported turning point per row:
confidence and whether a true change of the same kind lies within +-7 days), bins the
confidence, and writes per bin: count, mean confidence, fraction correct and whether the
two agree within +-0.1. The table replaces the block between the markers
<!-- calibration:begin --> and <!-- calibration:end --> of the docs page (written to a
temporary file, then renamed).

    .venv/bin/python tools/calibration.py build/seasonality_calibration.csv docs/seasonality.md
"""
import argparse
import csv
import os
import sys
import tempfile

import numpy as np

BEGIN = "<!-- calibration:begin -->"
END = "<!-- calibration:end -->"
EDGES = [0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0 + 1e-9]


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
    ap.add_argument("records")
    ap.add_argument("doc")
    args = ap.parse_args()
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
