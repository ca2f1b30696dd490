"""Kill a sweep (SIGKILL) at random moments at least 20 times, re-run the same command each
time, and check the final file equals an uninterrupted run's: every dataset and attribute
(h5py) and every byte."""
import os
import random
import signal
import subprocess
import time

import h5py
import numpy as np
import pytest

BIN = os.environ.get("TURNPOINT_BIN")

GRID = """# 2 x 2 x 3 x 2 = 24 scenarios
method = ["pelt", "binseg"]
cost = ["mean", "meanvar"]
penalty = ["mbic", "bic", "30"]
min_size = [2, 10]
"""


def run(args, **kw):
    return subprocess.run([BIN] + args, check=True, capture_output=True, **kw)


def assert_same_h5(a, b):
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        assert dict(fa.attrs) == dict(fb.attrs)
        names_a, names_b = [], []
        fa.visit(names_a.append)
        fb.visit(names_b.append)
        assert names_a == names_b
        for name in names_a:
            if isinstance(fa[name], h5py.Dataset):
                x, y = fa[name][()], fb[name][()]
                if x.dtype.kind == "f":
                    np.testing.assert_array_equal(x, y)  # NaN == NaN here
                else:
                    assert (x == y).all(), name


@pytest.mark.skipif(not BIN, reason="TURNPOINT_BIN is not set (run through ctest)")
def test_sweep_survives_sigkill(tmp_path):
    series = str(tmp_path / "series.h5")
    grid = tmp_path / "grid.toml"
    grid.write_text(GRID)
    run(["generate", "-o", series, "--series", "60", "--days", "730", "--seed", "11", "-q"])

    reference = str(tmp_path / "reference.h5")
    t0 = time.monotonic()
    run(["sweep", series, "--grid", str(grid), "-o", reference, "--batch", "2", "-q"])
    full = time.monotonic() - t0

    out = str(tmp_path / "killed.h5")
    cmd = [BIN, "sweep", series, "--grid", str(grid), "-o", out, "--batch", "2", "-q"]
    rng = random.Random(1234)
    kills = 0
    attempts = 0
    while kills < 20:
        attempts += 1
        assert attempts < 200, "could not kill the sweep 20 times"
        if os.path.exists(out):  # finished before a kill landed: start the sweep over
            os.remove(out)
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.0, max(full, 0.05) * 0.6))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
        else:
            assert proc.returncode == 0, proc.stderr.read().decode()
    # Resume to the end.
    subprocess.run(cmd, check=True, capture_output=True)
    assert not os.path.exists(out + ".journal")
    assert_same_h5(reference, out)
    with open(reference, "rb") as a, open(out, "rb") as b:
        assert a.read() == b.read(), "files differ in bytes although datasets are equal"
    # Nothing left behind by the killed runs.
    leftovers = [p.name for p in tmp_path.iterdir() if ".tmp" in p.name]
    assert leftovers == []


@pytest.mark.skipif(not BIN, reason="TURNPOINT_BIN is not set (run through ctest)")
def test_sweep_refuses_a_journal_of_another_grid(tmp_path):
    series = str(tmp_path / "series.h5")
    run(["generate", "-o", series, "--series", "10", "--days", "400", "--seed", "3", "-q"])
    out = str(tmp_path / "sweep.h5")
    os.makedirs(out + ".journal")
    (tmp_path / "sweep.h5.journal" / "manifest.json").write_text('{"grid": "other"}')
    grid = tmp_path / "grid.toml"
    grid.write_text('penalty = ["mbic"]\n')
    r = subprocess.run([BIN, "sweep", series, "--grid", str(grid), "-o", out, "-q"],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert "journal of a different sweep" in r.stderr


@pytest.mark.skipif(not BIN, reason="TURNPOINT_BIN is not set (run through ctest)")
def test_sweep_reads_the_panel_in_chunks_and_the_file_does_not_depend_on_them(tmp_path):
    """Issue 21 (bounded memory): the sweep reads --chunk series at a time; any chunk --
    one series, one not dividing the panel nor the 16-series work units, the whole panel --
    gives the same bytes, for raw solvers and the default pipeline (a ragged panel: missing
    days, series of different spans)."""
    series = str(tmp_path / "series.h5")
    run(["generate", "-o", series, "--series", "37", "--days", "800", "--seed", "4", "--missing", "0.05",
         "-q"])
    for name, text in {"raw": 'method = ["pelt", "binseg"]\ncost = ["mean"]\npenalty = ["mbic", "30"]\n',
                       "default": 'min_confidence = [0.5]\n'}.items():
        grid = tmp_path / f"{name}.toml"
        grid.write_text(text)
        files = []
        for chunk in ["1", "7", "37", "4096"]:
            out = str(tmp_path / f"{name}-{chunk}.h5")
            run(["sweep", series, "--grid", str(grid), "-o", out, "--chunk", chunk, "-q"])
            files.append(open(out, "rb").read())
        assert all(f == files[-1] for f in files), name
    r = subprocess.run([BIN, "sweep", series, "--grid", str(grid), "-o", str(tmp_path / "x.h5"), "--chunk", "0"],
                       capture_output=True, text=True)
    assert r.returncode != 0 and "--chunk" in r.stderr
