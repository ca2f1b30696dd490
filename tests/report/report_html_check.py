"""Parses a turnpoint HTML report as XML (it is written well-formed) and prints its
structure as JSON for tests/report/report_test.cpp: the SVG chart, the series path, the
turning-point marks and the table rows."""
import json
import sys
import xml.etree.ElementTree as ET

NS = {"h": "http://www.w3.org/1999/xhtml", "s": "http://www.w3.org/2000/svg"}

root = ET.parse(sys.argv[1]).getroot()
svgs = root.findall(".//s:svg", NS)
out = {"title": root.findtext("h:head/h:title", default="", namespaces=NS), "svg": len(svgs)}
if svgs:
    svg = svgs[0]
    paths = [p for p in svg.iter("{%s}path" % NS["s"]) if p.get("class") == "series"]
    out["series_paths"] = len(paths)
    out["path_points"] = sum(p.get("d", "").count("M") + p.get("d", "").count("L") for p in paths)
    out["path_moves"] = sum(p.get("d", "").count("M") for p in paths)
    marks = []
    for g in svg.iter("{%s}g" % NS["s"]):
        cls = (g.get("class") or "").split()
        if "tp" in cls:
            line = g.find("s:line", NS)
            label = g.find("s:text", NS)
            marks.append({"kind": [c for c in cls if c.startswith("tp-")][0][3:],
                          "day": g.get("data-day"), "entries": int(g.get("data-entries")),
                          "x": float(line.get("x1")), "label": label.text if label is not None else ""})
    out["marks"] = marks
    out["entry_marks"] = [g.get("data-day") for g in svg.iter("{%s}g" % NS["s"])
                          if "entry-mark" in (g.get("class") or "").split()]
    out["yticks"] = [t.text for t in svg.iter("{%s}text" % NS["s"]) if t.get("class") == "ytick"]
    out["ytitle"] = next((t.text for t in svg.iter("{%s}text" % NS["s"]) if t.get("class") == "ytitle"), None)
out["rows"] = len([tr for tr in root.iter("{%s}tr" % NS["h"]) if tr.get("class") == "tp-row"])
out["links"] = [a.get("href") for a in root.iter("{%s}a" % NS["h"])]
out["row_regions"] = [tr.get("data-region") for tr in root.iter("{%s}tr" % NS["h"]) if tr.get("class") == "series-row"]
out["series_rows"] = len([tr for tr in root.iter("{%s}tr" % NS["h"]) if tr.get("class") == "series-row"])
out["filters"] = [s.get("id") for s in root.iter("{%s}select" % NS["h"])]
print(json.dumps(out, ensure_ascii=False))
