"""The real Carbon Monitor China daily panel through turnpoint's Python API, notebook style:
read it, detect its turning points (the CLI's default model), look at them as a table, plot
one series with its turning points, link them to the policy catalogue and write the reports.

    python python/examples/real_panel.py                       # all 155 series (a minute or so)
    python python/examples/real_panel.py --regions Hubei --out hubei-out

The panel is demo/carbon_monitor_china_daily.h5 (shipped; Liu et al. 2020, Sci Data 7:392),
or any series.h5 given with --panel (e.g. made by `turnpoint import` from
../shared/datasets/carbon_monitor_china_daily/*.csv).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files, no display
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import turnpoint  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "demo" / "carbon_monitor_china_daily.h5"
KIND_COLOURS = {"event": "tab:red", "seasonal": "tab:blue", "unclassified": "tab:gray"}


def find_panel(given):
    if given:
        return Path(given)
    if DEMO.exists():
        return DEMO
    sys.exit(f"no panel: {DEMO} is missing; give --panel series.h5 (see `turnpoint import`)")


def plot_series(panel, result, series_id, path):
    """The series with a line at each turning point (colour = kind), its interval shaded and
    its confidence written next to it."""
    i = panel.index_of(series_id)
    s = result[i]
    fig, ax = plt.subplots(figsize=(11, 4))
    ax.plot(panel.dates, panel.values[i], lw=0.7, color="0.25", label=series_id)
    top = np.nanmax(panel.values[i])
    for k, (c, d) in enumerate(zip(s.changes, s.dates)):
        colour = KIND_COLOURS[s.kinds[k]]
        ax.axvline(d, color=colour, lw=1.2)
        lo, hi = s.intervals[k]
        if lo >= 0:
            ax.axvspan(panel.dates[lo], panel.dates[hi], color=colour, alpha=0.15, lw=0)
        conf = s.confidences[k]
        label = f"{s.shapes[k]} {s.steps[k]:+.0%}" if np.isfinite(s.steps[k]) else s.shapes[k]
        if np.isfinite(conf):
            label += f"\nconf {conf:.2f}"
        ax.annotate(label, (d, top), fontsize=7, color=colour, rotation=90, va="top", ha="right")
    for kind, colour in KIND_COLOURS.items():
        if kind in s.kinds:
            ax.plot([], [], color=colour, label=f"{kind} turning point")
    ax.set_ylabel(panel.units)
    ax.set_title(f"{series_id}: {len(s.changes)} turning points ({result.model} model)")
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--panel", help="series.h5 (default: the shipped real panel)")
    ap.add_argument("--regions", default="", help="comma-separated regions to keep (default: all)")
    ap.add_argument("--series", default="Hubei/Industry", help="the series to plot")
    ap.add_argument("--out", default="real-panel-out", help="output folder")
    ap.add_argument("--lang", default="en", choices=("en", "zh"), help="language of the reports")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    # 1. Read the panel: values [series, time] (NaN = missing), dates, region/sector names.
    panel = turnpoint.read_series(find_panel(args.panel))
    regions = [r for r in args.regions.split(",") if r]
    if regions:
        rows = [k for k, r in enumerate(panel.region) if r in regions]
        subset = out / "series.h5"
        turnpoint.write_series(subset, panel.values[rows], panel.dates,
                               region=[panel.region[k] for k in rows], sector=[panel.sector[k] for k in rows],
                               series_id=[panel.series_id[k] for k in rows], units=panel.units,
                               source=panel.source)
        panel = turnpoint.read_series(subset)
    print(f"panel: {len(panel)} series x {len(panel.dates)} days, {panel.dates[0]} .. {panel.dates[-1]}")

    # 2. Detect, as `turnpoint detect` does with no option.
    result = turnpoint.detect(panel)
    print(f"model: {result.model} ({result.model_reason}); {len(result.points['index'])} turning points")

    # 3. The turning points as a table: the most confident ones.
    table = result.to_pandas()
    cols = ["series_id", "date", "kind", "shape", "confidence", "step", "rank"]
    print(table.sort_values("confidence", ascending=False)[cols].head(10).to_string(index=False))

    # 4. One series and its turning points.
    png = out / (args.series.replace("/", "_").replace(" ", "_") + ".png")
    plot_series(panel, result, args.series, png)
    print(f"plot: {png}")

    # 5. Keep the result (turnpoint show/join/report read it) and link it to the catalogue.
    turnpoint.write_detections(out / "detections.h5", result)
    links = turnpoint.join(result)
    for rec in links:
        if rec["series_id"] == args.series and rec["matches"]:
            best = rec["matches"][0]
            print(f"  {rec['day']} {rec['kind']}: {best['title']} ({best['grade']}: {best['reason']})")

    # 6. The reports: Markdown, JSON and HTML per series, and index.html.
    summary = turnpoint.report(result, out / "report", lang=args.lang)
    print(f"reports: {summary['series']} series, {summary['points']} turning points, "
          f"{summary['links']} links -> {out / 'report' / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
