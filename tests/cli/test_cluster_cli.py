"""`turnpoint detect --shard I/N` + `turnpoint merge`, and the chunked detect, as a user runs
them: the merged file must be byte for byte the one-process file (with SOURCE_DATE_EPOCH
fixing the timestamp), whatever N, the order of the parts or the chunk size; merge must
refuse missing, duplicate, overlapping, mismatched and truncated parts with exit 2.

The expectation is always the one-process run of the same build, and the balance is checked
against weights computed here from the panel (observed days), not read from the code.
"""
import os
import shutil

import h5py
import numpy as np
import pytest

from tp_testing import needs_bin, run, write_series

pytestmark = needs_bin
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1790000000")


def ragged_panel(n=7, days=400, seed=5):
    """Daily series with a weekly cycle and a level shift; ragged: late starts, gaps, one
    series all missing, one constant."""
    rng = np.random.default_rng(seed)
    t = np.arange(days)
    x = np.stack([1.0 + 0.05 * np.sin(2 * np.pi * t / 7) + 0.01 * rng.standard_normal(days)
                  + 0.4 * (t >= 120 + 30 * s) for s in range(n)])
    x[1, :150] = np.nan          # starts late
    x[2, 200:260] = np.nan       # a gap
    x[3, :] = np.nan             # nothing observed
    x[4, :] = 2.0                # constant
    x[5, :300] = np.nan
    return x


def detect(*args):
    r = run("detect", *args, "-q", env=ENV)
    assert r.returncode == 0, r.stderr
    return r


def sharded(tmp_path, series, n, *opts, tag="p"):
    parts = []
    for i in range(n):
        out = tmp_path / f"{tag}{i}of{n}.h5"
        detect(series, "-o", out, "--shard", f"{i}/{n}", *opts)
        parts.append(out)
    return parts


def merge(*args):
    return run("merge", *map(str, args), env=ENV)


@pytest.fixture(scope="module")
def panel(tmp_path_factory):
    d = tmp_path_factory.mktemp("cluster")
    series = d / "series.h5"
    write_series(series, ragged_panel())
    whole = d / "whole.h5"
    detect(series, "-o", whole)
    return d, series, whole


@pytest.mark.parametrize("n", [1, 2, 3, 9])  # 9 > 7 series: some shards hold none
def test_merged_parts_are_the_one_process_file(panel, tmp_path, n):
    _, series, whole = panel
    parts = sharded(tmp_path, series, n)
    out = tmp_path / "merged.h5"
    r = merge(*reversed(parts), "-o", out)  # any order
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == whole.read_bytes()


def test_chunk_size_does_not_change_a_byte(panel, tmp_path):
    _, series, whole = panel
    for chunk in (1, 3):
        out = tmp_path / f"c{chunk}.h5"
        detect(series, "-o", out, "--chunk", chunk)
        assert out.read_bytes() == whole.read_bytes(), chunk


@pytest.mark.parametrize("solver", [["--method", "pelt", "--penalty", "5"],
                                    ["--method", "binseg", "--max-changes", "3", "--penalty", "5"],
                                    ["--method", "pelt", "--crops", "1,50"]])
def test_streamed_results_equal_the_one_chunk_file(panel, tmp_path, solver):
    """Each chunk's results are appended to a scratch file as they are made; the file written
    from it must not depend on the chunk size (one chunk = the whole result at once)."""
    _, series, _ = panel
    one = tmp_path / "one.h5"
    detect(series, "-o", one, *solver, "--backend", "cpu", "--chunk", "7")
    for chunk in ("1", "3", None):
        out = tmp_path / f"c{chunk}.h5"
        detect(series, "-o", out, *solver, "--backend", "cpu", *(["--chunk", chunk] if chunk else []))
        assert out.read_bytes() == one.read_bytes(), chunk
    with h5py.File(one) as f:  # rows in every group the solver makes, renumbered across chunks
        assert len(f["detections/series"]) > 7 or "--crops" in solver
        group = {"binseg": "path"}.get(solver[1], "crops" if "--crops" in solver else None)
        if group:
            assert set(f[group + "/series"][:]) >= {0, 6}
            assert f[group + "/offset"][-1] == len(f[group + "/changes"])
    assert sorted(os.listdir(tmp_path)) == ["c1.h5", "c3.h5", "cNone.h5", "one.h5"]


def test_a_failure_mid_stream_leaves_no_file(tmp_path):
    """Series 5 cannot be costed (a negative value under the Poisson cost): with chunks of 2
    the run fails in its third chunk, after two were streamed. Nothing may be left under the
    output's name, no scratch or temporary beside it, and an older output stays as it was."""
    x = np.abs(ragged_panel()) * 10
    x[5, 350] = -1.0
    series = tmp_path / "bad.h5"
    write_series(series, x)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "d.h5"
    args = ("detect", series, "-o", out, "--method", "pelt", "--cost", "poisson", "--backend",
            "cpu", "--chunk", "2", "-q")
    r = run(*args, env=ENV)
    assert r.returncode == 2, r.stderr
    assert "series 5" in r.stderr and "Poisson" in r.stderr, r.stderr
    assert os.listdir(out_dir) == []
    out.write_bytes(b"an older result")
    r = run(*args, env=ENV)
    assert r.returncode == 2, r.stderr
    assert os.listdir(out_dir) == ["d.h5"] and out.read_bytes() == b"an older result"


@pytest.mark.parametrize("solver", [["--method", "pelt", "--cost", "mean"],
                                    ["--method", "binseg", "--max-changes", "3"]])
def test_raw_solvers_shard_and_merge_identically(panel, tmp_path, solver):
    _, series, _ = panel
    whole = tmp_path / "whole.h5"
    detect(series, "-o", whole, *solver, "--backend", "cpu", "--chunk", "2")
    parts = sharded(tmp_path, series, 3, *solver, "--backend", "cpu")
    out = tmp_path / "merged.h5"
    assert merge(*parts, "-o", out).returncode == 0
    assert out.read_bytes() == whole.read_bytes()
    with h5py.File(whole) as f:  # something to renumber: points, and binseg's /path
        assert len(f["detections/series"]) > 0
        assert ("path" in f) == (solver[1] == "binseg")
        if "path" in f:
            assert set(f["path/series"][:]) >= {0, 6}


def test_shards_are_balanced_by_observed_days(tmp_path):
    # 12 series: the first 8 nearly empty, the last 4 complete. Equal counts would give
    # shard 0 almost no work.
    x = ragged_panel(n=12, seed=8)
    x[:8, 20:] = np.nan
    x[:8, :20] = 1.0 + 0.01 * np.arange(20)
    series = tmp_path / "series.h5"
    write_series(series, x)
    weights = 1 + np.sum(~np.isnan(x), axis=1)
    parts = sharded(tmp_path, series, 2, "--method", "pelt")
    ranges = []
    for p in parts:
        with h5py.File(p) as f:
            ranges.append((int(f.attrs["first_series"]), int(f.attrs["n_series"])))
            assert f.attrs["total_series"] == 12
            assert len(f.attrs["settings_hash"]) == 16 and len(f.attrs["input_hash"]) == 16
    assert ranges[0][0] == 0 and ranges[0][0] + ranges[0][1] == ranges[1][0]
    assert ranges[1][0] + ranges[1][1] == 12
    work0 = weights[:ranges[0][1]].sum()
    assert abs(work0 - weights.sum() / 2) <= weights.max(), (ranges, weights)
    assert ranges[0][1] > 6  # more series than half: they are short


def refused(tmp_path, *parts, says):
    out = tmp_path / "refused.h5"
    r = merge(*parts, "-o", out)
    assert r.returncode == 2, (r.returncode, r.stderr)
    for s in says:
        assert s in r.stderr, r.stderr
    assert not out.exists()


def test_merge_refuses_missing_duplicate_and_overlapping_parts(panel, tmp_path):
    _, series, _ = panel
    p = sharded(tmp_path, series, 3)
    refused(tmp_path, p[0], p[2], says=["missing part", "shards missing: 1 of 3"])
    refused(tmp_path, p[0], p[1], says=["missing part", "shards missing: 2 of 3"])
    refused(tmp_path, p[0], p[1], p[1], p[2], says=["given twice", str(p[1])])
    # A part claiming rows another part has (as a hand-edited or mislabelled part would).
    bad = tmp_path / "overlap.h5"
    shutil.copy(p[2], bad)
    with h5py.File(bad, "a") as f:  # shard 2 moved one series back, into shard 1's rows
        first = int(f.attrs["first_series"])
        f.attrs["first_series"] = first - 1
    with h5py.File(p[1]) as f:
        assert int(f.attrs["first_series"]) < first - 1 < first
    refused(tmp_path, p[0], p[1], bad, says=["overlapping parts", str(bad)])


def test_merge_refuses_parts_of_other_runs(panel, tmp_path):
    d, series, whole = panel
    p = sharded(tmp_path, series, 2)
    other_settings = sharded(tmp_path, series, 2, "--min-confidence", "0.9", tag="s")
    refused(tmp_path, p[0], other_settings[1], says=["different settings"])
    other_n = sharded(tmp_path, series, 3, tag="n")
    refused(tmp_path, p[0], other_n[1], says=["different shardings", "0/2", "1/3"])
    # Same path, other content: the panel changed between the shards.
    moved = tmp_path / "series.h5"
    x = ragged_panel()
    write_series(moved, x)
    first = sharded(tmp_path, moved, 2, tag="a")
    write_series(moved, x * 1.5)
    second = sharded(tmp_path, moved, 2, tag="b")
    refused(tmp_path, first[0], second[1], says=["different input panels"])
    # A detections file is not a part.
    refused(tmp_path, whole, p[1], says=["not a turnpoint", "turnpoint.detections-part"])
    refused(tmp_path, p[0], tmp_path / "nope.h5", says=["no such file"])


def test_merge_refuses_a_truncated_part(panel, tmp_path):
    _, series, _ = panel
    p = sharded(tmp_path, series, 2)
    data = p[1].read_bytes()
    for keep in (len(data) // 2, len(data) - 100):
        cut = tmp_path / f"cut{keep}.h5"
        cut.write_bytes(data[:keep])
        refused(tmp_path, p[0], cut, says=[str(cut)])
        r = merge(p[0], cut, "-o", tmp_path / "x.h5")
        assert "truncated" in r.stderr or "not an HDF5 file" in r.stderr, r.stderr


def test_bad_shard_options(panel, tmp_path):
    _, series, _ = panel
    for bad in ("3/3", "1", "x/2"):
        r = run("detect", series, "-o", tmp_path / "x.h5", "--shard", bad)
        assert r.returncode == 2 and "--shard" in r.stderr, r.stderr
    r = run("detect", series, "-o", tmp_path / "x.h5", "--shard", "0/2", "--model", "segments")
    assert r.returncode == 2 and "segments" in r.stderr, r.stderr
    assert not (tmp_path / "x.h5").exists()
