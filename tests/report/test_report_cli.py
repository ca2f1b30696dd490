"""End-to-end checks of the catalogue, audit, join and report subcommands through the
`turnpoint` executable (TURNPOINT_BIN). The reports of the 155 real series are checked
independently here: every linked entry must overlap its turning point's window and match
its region (or be national) and sector (or be economy-wide)."""
import calendar
import datetime as dt
import glob
import json
import os
import re
import subprocess

import pytest

BIN = os.environ.get("TURNPOINT_BIN", "build/tools/turnpoint")
SEEDS = "../shared/seeds"
DAILY = "../shared/datasets/carbon_monitor_china_daily"


def run(*args, check=True):
    p = subprocess.run([BIN, *args], capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError(f"{args}: rc {p.returncode}\n{p.stderr}")
    return p


def test_validate_names_every_bad_line(tmp_path):
    f = tmp_path / "bad.jsonl"
    f.write_text('{"id":"a","title":"t","kind":"event","date":"2021","scope":"national"}\n'
                 '{"id":"b"}\n'
                 '\n'
                 '{"id":"c","title":"t","kind":"event","date":"2021-02-30","scope":"national"}\n'
                 'not json\n', encoding="utf-8")
    p = run("catalogue", "validate", str(f), check=False)
    assert p.returncode == 2
    for line in (2, 4, 5):
        assert f"bad.jsonl:{line}:" in p.stderr
    assert "bad.jsonl:1:" not in p.stderr


def test_merge_removes_duplicates(tmp_path):
    a, b, out = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "m.jsonl"
    a.write_text('{"id":"a","title":"《某方案》","kind":"policy","date":"2023-12","scope":"national"}\n', encoding="utf-8")
    b.write_text('{"id":"b","title":"某方案","kind":"policy","date":"2023-12-18","scope":"national"}\n'
                 '{"id":"c","title":"某方案","kind":"policy","date":"2022","scope":"national"}\n', encoding="utf-8")
    run("catalogue", "merge", str(a), str(b), "-o", str(out))
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in lines] == ["a", "c"]
    assert lines[0]["date"] == "2023-12-18"


def test_builtin_catalogue_is_valid():
    p = run("catalogue", "list")
    assert len(p.stdout.splitlines()) >= 30


@pytest.mark.skipif(not os.path.isdir(SEEDS), reason="../shared/seeds not mounted")
def test_audit_finds_the_seed_defects():
    p = run("audit", SEEDS, "--json")
    r = json.loads(p.stdout)
    found = {(f["file"][:3], f["defect"], f["turning_point"], f["entry"]) for f in r["findings"]}
    assert ("001", "anachronism", "2020-11-20", 1) in found  # a 2023-12 policy for a 2020-11 change
    assert {("003", "other-region", "2024-11-08", n) for n in (1, 2, 3)} <= found  # Shaanxi in Shanxi
    assert ("002", "other-sector", "2022-03-01", 1) in found  # building sector under Industry
    assert ("002", "other-sector", "2022-06-01", 1) in found  # power plant under Industry
    assert {(x, "count-mismatch", "", 0) for x in ("000", "001", "002")} <= found
    assert run("audit", SEEDS, "--strict", check=False).returncode == 2


def add_months(d, months):
    total = d.year * 12 + d.month - 1 + months
    y, m = divmod(total, 12)
    m += 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def interval(date):
    parts = [int(x) for x in date.split("-")]
    if len(parts) == 3:
        d = dt.date(*parts)
        return d, d
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], 1), dt.date(parts[0], parts[1], calendar.monthrange(*parts)[1])
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def public_day(e):
    """The first day an entry was public: the earlier of its announcement and effect."""
    first = interval(e["date"])[0]
    if e.get("announced"):
        first = min(first, interval(e["announced"])[0])
    return first


@pytest.mark.skipif(not os.path.isdir(DAILY), reason="Carbon Monitor daily data not mounted")
def test_reports_for_the_real_panel(tmp_path):
    series = tmp_path / "series.h5"
    det = tmp_path / "det.h5"
    out = tmp_path / "reports"
    run("import", *sorted(glob.glob(f"{DAILY}/*_result.csv")), "-o", str(series))
    run("detect", str(series), "-o", str(det), "-q")
    run("report", str(det), "-o", str(out), "--top", "10", "--analysed-at", "2024-01-02 03:04:05")
    md = sorted(out.glob("*.md"))
    assert len(md) == 155
    assert (out / "index.html").exists()
    links = 0
    for f in md:
        text = f.read_text(encoding="utf-8")
        n = int(re.search(r"共包含 (\d+) 个重要转折点的相关信息", text).group(1))
        assert n == len(re.findall(r"^## 转折点: \d{4}-\d\d-\d\d \((Event|Seasonal|Unclassified)\) - 置信度: ", text, re.M))
        assert n <= 10
        rep = json.loads(f.with_suffix(".json").read_text(encoding="utf-8"))
        for tp in rep["turning_points"]:
            day = dt.date.fromisoformat(tp["day"])
            month_end = dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
            for e in tp["entries"]:
                links += 1
                # Cause before effect: public at most 7 days after the turning point (or within
                # the month of a step on the first day of a month), and not over after too long.
                pub = public_day(e)
                assert pub <= day + dt.timedelta(days=7) or (day.day == 1 and pub <= month_end), (f.name, tp["day"], e["id"])
                assert interval(e["date"])[1] >= day - dt.timedelta(days=183), (f.name, tp["day"], e["id"])
                assert e["scope"] == "national" or rep["region"] in e["regions"], (f.name, e["id"])
                assert not e["sectors"] or rep["sector"] in e["sectors"], (f.name, e["id"])
                assert e["direction_match"] != "contradicts", (f.name, tp["day"], e["id"])
                # Every link says why: time, place, sector (four parts, 关联依据).
                assert len(e["reason"].split("；")) == 4, e["reason"]
    assert links > 0
    # The join without --catalogue uses the built-in one.
    m = tmp_path / "m.jsonl"
    run("join", str(det), "-o", str(m), "--explain", "-q")
    rows = [json.loads(x) for x in m.read_text(encoding="utf-8").splitlines()]
    assert rows and all("near_misses" in r for r in rows)
    assert all(not x.get("flags") for r in rows for x in r["matches"])
    assert all(x["reason"] and x["grade"] in ("strong", "moderate", "weak") for r in rows for x in r["matches"])


def test_validate_checks_urls_regions_and_curated_rules(tmp_path):
    f = tmp_path / "c.jsonl"
    good = {"id": "a", "title": "武汉封城", "kind": "event", "date": "2020-01-23", "scope": "city",
            "regions": ["Hubei"], "sectors": [], "direction": "down", "onset": "immediate",
            "url": "https://www.example.org/a", "verified": {"via": "search:pages", "page": "https://www.example.org/a"}}
    lines = [good,
             dict(good, id="b", url="https://exa mple.org/x"),                 # a blank in the URL
             dict(good, id="c", url="http://localhost/x"),                      # not a domain name
             dict(good, id="d", regions=["Shensi"]),                            # unknown region
             dict(good, id="e", regions=["hubei"]),                             # not canonical
             dict(good, id="f", sectors=["Steel"]),                             # unknown sector
             dict(good, id="g", direction="sideways"),                          # bad direction
             dict(good, id="h", announced="2020-02-30"),                        # not a real date
             dict(good, id="i", verified={}),                                   # strict: where checked?
             dict(good, id="a", title="另一个")]                                  # duplicate id
    f.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    p = run("catalogue", "validate", "--strict", str(f), check=False)
    assert p.returncode == 2
    for line in range(2, 11):
        assert f"c.jsonl:{line}:" in p.stderr, (line, p.stderr)
    assert "c.jsonl:1:" not in p.stderr
    # Without --strict a missing verification record is fine (imported seed entries have none).
    p = run("catalogue", "validate", str(f), check=False)
    assert "c.jsonl:9:" not in p.stderr


def test_builtin_catalogue_is_curated_and_covers_every_province():
    p = run("catalogue", "validate", "--strict", "catalogue/builtin.jsonl")
    assert "0 bad line(s)" in p.stdout
    stats = run("catalogue", "stats").stdout
    assert "provinces covered: 31 of 31" in stats
    entries = [json.loads(x) for x in open("catalogue/builtin.jsonl", encoding="utf-8")]
    assert len(entries) >= 300
    for e in entries:
        assert e["url"].startswith(("http://", "https://")) and e["verified"]["page"] and e["verified"]["seen"]
    ids = {e["id"] for e in entries}
    # The facts the issue names are there.
    for must in ("covid-2020-wuhan-lockdown", "covid-2020-wuhan-lifted", "covid-2022-shanghai-lockdown",
                 "covid-2022-shanghai-lifted", "climate-2020-3060-pledge", "climate-2021-national-ets-trading",
                 "shock-2021-henan-floods", "shock-2022-sichuan-power-rationing", "shock-2022-olympics-curbs",
                 "covid-2022-national-ten-measures"):
        assert must in ids, must


@pytest.mark.skipif(not os.path.isdir(SEEDS), reason="../shared/seeds not mounted")
def test_audit_flags_report_period_dates():
    r = json.loads(run("audit", SEEDS, "--json").stdout)
    found = {(f["file"][:3], f["defect"], f["turning_point"], f["entry"]) for f in r["findings"]}
    assert ("000", "report-period-date", "2020-01-01", 1) in found  # a 2020 verification report dated 2020-01-01
    text = run("audit", SEEDS).stdout
    assert "report-period-date" in text


def test_show_series_ignores_case_and_says_when_nothing_matches(tmp_path):
    import numpy as np
    from tp_testing import write_series
    series = tmp_path / "s.h5"
    det = tmp_path / "d.h5"
    values = np.concatenate([np.ones(100), np.full(100, 3.0)]) + 0.01 * np.sin(np.arange(200))
    write_series(series, np.vstack([values, values]), regions=["Hubei", "Hunan"], sectors=["Industry", "Power"],
                 ids=["Hubei/Industry", "Hunan/Power"])
    run("detect", str(series), "-o", str(det), "-q")
    lower = run("show", str(det), "--series", "hubei")
    assert lower.returncode == 0
    assert "Hubei/Industry" in lower.stdout and "Hunan/Power" not in lower.stdout
    unknown = run("show", str(det), "--series", "Atlantis", check=False)
    assert unknown.returncode == 2
    assert "no series id contains \"Atlantis\"" in unknown.stderr


def test_demo_panel_is_the_real_panel_compressed(tmp_path):
    import h5py
    import numpy as np
    panel = "demo/carbon_monitor_china_daily.h5"
    assert os.path.getsize(panel) < 2 * 1024 * 1024
    with h5py.File(panel) as f:
        assert f.attrs["format"] == "turnpoint.series" and f.attrs["units"] == "MtCO2/day"
        assert "Liu et al. 2020, Sci Data 7:392" in f.attrs["citation"]
        assert "Carbon Monitor" in f.attrs["source"]
        assert f["values"].shape == (155, 1461) and f["values"].dtype == np.float64
        demo_ids = [s.decode() for s in f["series_id"][:]]
        demo_values = f["values"][:]
    if os.path.isdir(DAILY):  # the same numbers as `turnpoint import` of the CSV files
        imported = tmp_path / "cm.h5"
        run("import", *sorted(glob.glob(f"{DAILY}/*_result.csv")), "-o", str(imported))
        with h5py.File(imported) as f:
            assert [s.decode() for s in f["series_id"][:]] == demo_ids
            assert np.array_equal(f["values"][:], demo_values)
    # turnpoint reads it (read_series) and reports on it.
    det = tmp_path / "det.h5"
    run("detect", panel, "-o", str(det), "-q")
    run("report", str(det), "-o", str(tmp_path / "r"), "--top", "2", "--lang", "en", "-q")
    assert (tmp_path / "r" / "Hubei_Industry.html").exists()
