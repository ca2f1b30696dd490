"""Inputs that are not what they claim (issue 20, item 5), tried as a user would: an output
that is one of the command's inputs, `eval --truth` with the truth of another panel, a sweep
resumed after its input was replaced by another file of the same size. Each must be refused
with exit 2 and a message that says what is wrong, leaving every file as it was."""
import os
import signal
import subprocess
import time

import numpy as np

from tp_testing import BIN, needs_bin, run, write_series

pytestmark = needs_bin


def panel(seed, n_series=3, n_days=200):
    rng = np.random.default_rng(seed)
    x = 1.0 + 0.02 * rng.standard_normal((n_series, n_days))
    x[:, 120:] += 0.3
    return x


RAW = ["--method", "pelt", "--cost", "mean", "--penalty", "mbic", "--backend", "cpu"]


def test_detect_refuses_to_overwrite_its_input_however_named(tmp_path):
    series = tmp_path / "series.h5"
    write_series(series, panel(1))
    before = series.read_bytes()
    os.symlink(series, tmp_path / "link.h5")
    os.link(series, tmp_path / "hard.h5")
    for out in [series, tmp_path / "." / "series.h5", tmp_path / "sub" / ".." / "series.h5",
                tmp_path / "link.h5", tmp_path / "hard.h5"]:
        (tmp_path / "sub").mkdir(exist_ok=True)
        r = run("detect", series, "-o", out, *RAW)
        assert r.returncode == 2, (out, r.stderr)
        assert "is also an input of `turnpoint detect`" in r.stderr, r.stderr
        assert series.read_bytes() == before
    # A different file is fine.
    r = run("detect", series, "-o", tmp_path / "det.h5", *RAW)
    assert r.returncode == 0, r.stderr


def test_join_report_and_import_refuse_their_inputs_as_output(tmp_path):
    series = tmp_path / "series.h5"
    write_series(series, panel(2))
    det = tmp_path / "det.h5"
    assert run("detect", series, "-o", det, *RAW).returncode == 0
    before = det.read_bytes()
    r = run("join", det, "-o", det, "-q")
    assert r.returncode == 2 and "is also an input of `turnpoint join`" in r.stderr, r.stderr
    assert det.read_bytes() == before

    csv = tmp_path / "in.csv"
    csv.write_text("province,date,sector,value\nHubei,2019-01-01,Power,1.0\nHubei,2019-01-02,Power,1.5\n")
    csv_before = csv.read_bytes()
    r = run("import", csv, "-o", csv)
    assert r.returncode == 2 and "is also an input of `turnpoint import`" in r.stderr, r.stderr
    assert csv.read_bytes() == csv_before


def test_eval_refuses_the_truth_of_another_panel(tmp_path):
    # Two generator panels of the same shape and axis: only their content differs.
    a, b = tmp_path / "a.h5", tmp_path / "b.h5"
    for path, seed in [(a, 3), (b, 4)]:
        r = run("generate", "-o", path, "--series", "6", "--days", "400", "--seed", seed, "-q")
        assert r.returncode == 0, r.stderr
    det = tmp_path / "det.h5"
    assert run("detect", a, "-o", det, *RAW).returncode == 0
    ok = run("eval", det, "--truth", a)
    assert ok.returncode == 0, ok.stderr
    r = run("eval", det, "--truth", b)
    assert r.returncode == 2, r.stderr
    assert f"{b} is not the truth of the panel {det} was computed from" in r.stderr, r.stderr
    assert "other values" in r.stderr

    # Another axis (other series count): refused, naming the difference.
    c = tmp_path / "c.h5"
    assert run("generate", "-o", c, "--series", "4", "--days", "400", "--seed", "3", "-q").returncode == 0
    r = run("eval", det, "--truth", c)
    assert r.returncode == 2 and "is not the truth of the panel" in r.stderr, r.stderr


GRID = """method = ["pelt", "binseg"]
cost = ["mean", "meanvar"]
penalty = ["mbic", "bic", "30"]
min_size = [2, 5, 10]
"""


def test_sweep_resumed_on_a_replaced_input_of_the_same_size_is_refused(tmp_path):
    series = tmp_path / "series.h5"
    other = tmp_path / "other.h5"
    write_series(series, panel(5, n_series=40, n_days=730))  # same shapes: same file size
    write_series(other, panel(6, n_series=40, n_days=730))
    grid = tmp_path / "grid.toml"
    grid.write_text(GRID)
    out = tmp_path / "sweep.h5"
    cmd = [BIN, "sweep", str(series), "--grid", str(grid), "-o", str(out), "--batch", "1", "-q"]
    manifest = tmp_path / "sweep.h5.journal" / "manifest.json"
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not manifest.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert manifest.exists() and not out.exists(), "the sweep ended before it could be interrupted"

    # Same name, same size, other content.
    assert series.stat().st_size == other.stat().st_size
    os.replace(other, series)
    r = subprocess.run(cmd, capture_output=True, text=True)
    assert r.returncode == 2, r.stderr
    assert "is the journal of a different sweep" in r.stderr and "input_fingerprint" in r.stderr, r.stderr
    assert not out.exists()


def test_a_file_declaring_more_than_memory_holds_is_refused_by_name(tmp_path):
    """A corrupt (or hostile) file can declare 10^11 names or a day axis of 10^12 days in a
    few kilobytes (chunked datasets never written). turnpoint must refuse it naming the
    dataset before allocating, not abort or be killed (found by fuzzing, docs/reliability.md)."""
    import h5py
    for name, shape, dtype in [("time", (10**12,), np.int32),
                               ("region", (10**11,), h5py.string_dtype("utf-8"))]:
        series = tmp_path / f"huge-{name}.h5"
        write_series(series, panel(2))
        with h5py.File(series, "a") as f:
            del f[name]
            f.create_dataset(name, shape=shape, dtype=dtype, chunks=(1024,))  # nothing written
        assert series.stat().st_size < 100_000
        out = tmp_path / "d.h5"
        r = run("detect", series, "-o", out)
        assert r.returncode == 2, (name, r.returncode, r.stderr)
        assert f"/{name} declares" in r.stderr and "more than this machine's" in r.stderr, r.stderr
        assert not out.exists()
