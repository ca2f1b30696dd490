#!/usr/bin/env python3
"""Makes demo/carbon_monitor_china_daily.h5: a compressed, derived copy of the Carbon Monitor
China daily panel (31 provinces x 5 sectors x 1,461 days, 2019-01-01..2022-12-31, MtCO2/day)
in turnpoint's series.h5 layout (docs/schema.md), so that the demo and the reports can run on
real data without ../shared/datasets.

    .venv/bin/python tools/make_cm_panel.py [--input ../shared/datasets/carbon_monitor_china_daily]
                                            [--output demo/carbon_monitor_china_daily.h5]

What is kept: the daily values (float64, exactly as in the CSV files: no rounding), the day
axis, and the region / sector / series_id of each row, in the order `turnpoint import` gives
(provinces by canonical name, sectors Power, Industry, Ground Transport, Residential,
Aviation). Nothing else. The values are stored with shuffle + deflate level 9 in chunks of
whole series (about 1.1 MB; the script fails when the file reaches 2 MB). The file is written
byte-for-byte reproducibly (no object timestamps, a fixed `created`).

Source: Carbon Monitor China (KowComical/CM_China_Database, data/<Sector>/cleaned/
<Sector>_result.csv). Cite: Liu et al. 2020, Sci Data 7:392 (Carbon Monitor); the attributes
`source`, `citation` and `derived` say so in the file.
"""
import argparse
import csv
import hashlib
import os
import sys
from datetime import date, timedelta
from pathlib import Path

import h5py
import numpy as np

REPO = Path(__file__).resolve().parents[1]
SECTORS = ["Power", "Industry", "Ground Transport", "Residential", "Aviation"]  # turnpoint's order
FILES = {"Power": "Power_result.csv", "Industry": "Industry_result.csv",
         "Ground Transport": "Ground_Transport_result.csv", "Residential": "Residential_result.csv",
         "Aviation": "Aviation_result.csv"}
# Spellings in the CSV files that differ from turnpoint's canonical names (host/core/regions.hpp).
REGION_NAMES = {"InnerMongolia": "Inner Mongolia"}
EPOCH = date(1970, 1, 1)
MAX_BYTES = 2 * 1024 * 1024
CITATION = "Liu et al. 2020, Sci Data 7:392 (Carbon Monitor); Carbon Monitor fair-use open-data policy"


def read_sector(path, sector):
    """{region: {day: value}} from one <Sector>_result.csv (UTF-8 with BOM)."""
    out = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            region = REGION_NAMES.get(row["state"], row["state"])
            day = (date.fromisoformat(row["date"]) - EPOCH).days
            out.setdefault(region, {})[day] = float(row["value"])
            if row["sector"].replace("_", " ") != sector:
                sys.exit(f"{path}: row for sector {row['sector']!r}, expected {sector!r}")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", default=str(REPO.parent / "shared" / "datasets" / "carbon_monitor_china_daily"))
    ap.add_argument("--output", default=str(REPO / "demo" / "carbon_monitor_china_daily.h5"))
    args = ap.parse_args()
    src = Path(args.input)
    data = {s: read_sector(src / FILES[s], s) for s in SECTORS}
    regions = sorted(set().union(*(d.keys() for d in data.values())))
    days = sorted(set().union(*(set(v) for d in data.values() for v in d.values())))
    if days != list(range(days[0], days[-1] + 1)):
        sys.exit(f"{src}: the day axis has gaps")
    rows, region_col, sector_col, ids = [], [], [], []
    for r in regions:
        for s in SECTORS:
            series = data[s].get(r)
            if series is None:
                sys.exit(f"{src}: no {s} series for {r}")
            rows.append([series.get(d, np.nan) for d in days])
            region_col.append(r)
            sector_col.append(s)
            ids.append(f"{r}/{s}")
    values = np.asarray(rows, dtype=np.float64)
    digest = hashlib.sha256()
    for s in SECTORS:
        digest.update((src / FILES[s]).read_bytes())

    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name("." + out.name + ".tmp")
    str_t = h5py.string_dtype("utf-8")
    with h5py.File(tmp, "w", track_order=False) as f:
        f.attrs["format"] = "turnpoint.series"
        f.attrs["format_version"] = np.int64(1)
        f.attrs["units"] = "MtCO2/day"
        f.attrs["source"] = ("Carbon Monitor China daily, KowComical/CM_China_Database commit e2474f99, "
                             "data/<Sector>/cleaned/<Sector>_result.csv (copied in ../shared/datasets/"
                             "carbon_monitor_china_daily)")
        f.attrs["citation"] = CITATION
        f.attrs["derived"] = ("values and dates only, unchanged float64; rows ordered by province then "
                              "Power, Industry, Ground Transport, Residential, Aviation; shuffle + deflate 9; "
                              "made by tools/make_cm_panel.py")
        f.attrs["input_sha256"] = digest.hexdigest()
        f.attrs["turnpoint_version"] = "tools/make_cm_panel.py"
        f.attrs["created"] = "2026-11-27T00:00:00Z"  # fixed: the file is reproducible
        kw = dict(track_times=False)
        f.create_dataset("time", data=np.asarray(days, dtype=np.int32), **kw)
        f.create_dataset("values", data=values, chunks=(min(64, len(rows)), len(days)), compression="gzip",
                         compression_opts=9, shuffle=True, **kw)
        f.create_dataset("region", data=region_col, dtype=str_t, **kw)
        f.create_dataset("sector", data=sector_col, dtype=str_t, **kw)
        f.create_dataset("series_id", data=ids, dtype=str_t, **kw)
    size = tmp.stat().st_size
    if size >= MAX_BYTES:
        tmp.unlink()
        sys.exit(f"{out}: {size} bytes, over the 2 MB limit")
    # Round trip: what was written reads back exactly.
    with h5py.File(tmp) as f:
        back = f["values"][:]
        if not np.array_equal(np.isnan(back), np.isnan(values)) or not np.array_equal(
                np.nan_to_num(back), np.nan_to_num(values)):
            tmp.unlink()
            sys.exit(f"{out}: the values do not read back exactly")
    os.replace(tmp, out)
    first = EPOCH + timedelta(days=days[0])
    last = EPOCH + timedelta(days=days[-1])
    print(f"{out}: {len(rows)} series x {len(days)} days ({first} .. {last}), {size} bytes")


if __name__ == "__main__":
    main()
