"""`mpirun -n N turnpoint detect|generate|sweep` (the TURNPOINT_MPI build, ctest label `mpi`).

detect: the ranks
split the panel and write one detections.h5 through parallel HDF5, and that file must be the
one-process run's byte for byte (SOURCE_DATE_EPOCH fixes the timestamp) whatever N -- with
N not dividing the panel, ragged series, more ranks than series -- for the default pipeline
and for raw solvers with a /path and a /crops group. A rank that fails makes the job fail
with that rank's message and leaves no output. generate and sweep: the one-process file
byte for byte for any N, refused settings said once, and (sweep) a 2-rank job killed on a
random rank 10 times finishing the same file.

The one-process run is the same executable started without a launcher (the ordinary code
path, serial writes); with TURNPOINT_SERIAL_BIN (the default build's executable, linked
against the serial HDF5) the file must be that build's too. Registered by tests/CMakeLists.txt
only in the MPI build; not named test_*.py so that the default build does not collect it.
"""
import os
import subprocess

import numpy as np
import pytest

from test_cluster_cli import ragged_panel
from tp_testing import BIN, needs_bin, run, write_series

MPIEXEC = os.environ.get("TURNPOINT_MPIEXEC")
SERIAL_BIN = os.environ.get("TURNPOINT_SERIAL_BIN")
pytestmark = [needs_bin, pytest.mark.skipif(not MPIEXEC, reason="TURNPOINT_MPIEXEC (mpirun) is not set")]
# One OpenMP thread per rank: the ranks share the machine's cores. The launcher's own
# variables are kept out of the one-process runs (they would look launched).
ENV = {k: v for k, v in os.environ.items() if not k.startswith(("OMPI_", "PMIX_", "PMI_"))}
ENV.update(SOURCE_DATE_EPOCH="1790000000", OMP_NUM_THREADS="1")


def mpirun(n, *args, launcher=(), env=ENV):
    # --oversubscribe: more ranks than this machine's cores; --allow-run-as-root: CI runs as
    # root in a container.
    cmd = [MPIEXEC, "--oversubscribe", "--allow-run-as-root", *launcher, "-n", str(n), BIN, *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)


def one_process(binary, *args):
    r = subprocess.run([binary, *map(str, args)], capture_output=True, text=True, env=ENV)
    assert r.returncode == 0, r.stderr
    return r


@pytest.fixture(scope="module")
def panel(tmp_path_factory):
    d = tmp_path_factory.mktemp("mpi")
    series = d / "series.h5"
    write_series(series, ragged_panel())  # 7 ragged series: late starts, a gap, empty, constant
    return d, series


SETTINGS = {
    "default": [],                                  # the pattern model
    "binseg": ["--method", "binseg", "--max-changes", "3"],  # a /path group
    "crops": ["--crops", "2,40"],                   # a /crops group
}


@pytest.mark.parametrize("name", SETTINGS)
@pytest.mark.parametrize("n", [1, 2, 3])  # 3 does not divide 7
def test_ranks_write_the_one_process_file(panel, tmp_path, name, n):
    d, series = panel
    whole = d / f"whole-{name}.h5"
    if not whole.exists():
        one_process(BIN, "detect", series, "-o", whole, "-q", *SETTINGS[name])
    out = tmp_path / "mpi.h5"
    r = mpirun(n, "detect", series, "-o", out, "-q", *SETTINGS[name])
    assert r.returncode == 0, r.stdout + r.stderr
    assert out.read_bytes() == whole.read_bytes()


@pytest.mark.parametrize("name", SETTINGS)
@pytest.mark.parametrize("n", [2, 3])
def test_ranks_writing_their_rows_in_pieces_write_the_same_file(panel, tmp_path, name, n):
    """Each rank streams its result to a scratch file and writes it a piece at a time; with
    pieces of 2 rows the ranks write different numbers of pieces (a rank with none left
    selects nothing), and the file must still be the one-process run's."""
    d, series = panel
    whole = d / f"whole-{name}.h5"
    if not whole.exists():
        one_process(BIN, "detect", series, "-o", whole, "-q", *SETTINGS[name])
    out = tmp_path / "mpi.h5"
    r = mpirun(n, "detect", series, "-o", out, "-q", *SETTINGS[name],
               env=dict(ENV, TURNPOINT_MPI_PIECE_ROWS="2"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert out.read_bytes() == whole.read_bytes()
    assert sorted(os.listdir(tmp_path)) == ["mpi.h5"]  # no rank's scratch left


def test_rank_0_says_the_whole_jobs_progress(tmp_path):
    """Every rank tells rank 0 the series it finished; rank 0 prints a line per tenth of the
    job's series (plain lines: a launcher's stderr is no terminal), counting all ranks."""
    import re
    rng = np.random.default_rng(3)
    x = 1.0 + 0.05 * rng.standard_normal((40, 300))
    x[:, 150:] += 0.5
    series = tmp_path / "p.h5"
    write_series(series, x)
    r = mpirun(2, "detect", series, "-o", tmp_path / "o.h5", "--method", "pelt", "--chunk", "2")
    assert r.returncode == 0, r.stdout + r.stderr
    lines = re.findall(r"detect: (\d+)0 % of the job \((\d+) of 40 series, all ranks\)", r.stderr)
    assert lines, r.stderr
    tenths = [int(t) for t, _ in lines]
    done = [int(d) for _, d in lines]
    assert tenths == sorted(set(tenths)) and done == sorted(done), r.stderr
    assert all(10 * d >= 40 * t for t, d in zip(tenths, done)) and max(done) <= 40, r.stderr
    q = mpirun(2, "detect", series, "-o", tmp_path / "q.h5", "--method", "pelt", "--chunk", "2", "-q")
    assert q.returncode == 0 and "% of the job" not in q.stderr, q.stderr


def test_more_ranks_than_series(tmp_path):
    series = tmp_path / "two.h5"
    write_series(series, ragged_panel(n=7)[[0, 2]])
    whole = tmp_path / "whole.h5"
    one_process(BIN, "detect", series, "-o", whole, "-q")
    out = tmp_path / "mpi.h5"
    r = mpirun(3, "detect", series, "-o", out)  # rank 2 holds no series
    assert r.returncode == 0, r.stdout + r.stderr
    assert out.read_bytes() == whole.read_bytes()
    # Progress and the summary come from rank 0 only: one summary line for the job.
    assert r.stderr.count("turning points ->") == 1, r.stderr
    assert "MPI, 3 ranks" in r.stderr


@pytest.mark.skipif(not SERIAL_BIN, reason="TURNPOINT_SERIAL_BIN (the default build's turnpoint) is not set")
@pytest.mark.parametrize("name", SETTINGS)
def test_the_serial_build_writes_the_same_file(panel, tmp_path, name):
    _, series = panel
    serial = tmp_path / "serial.h5"
    one_process(SERIAL_BIN, "detect", series, "-o", serial, "-q", *SETTINGS[name])
    out = tmp_path / "mpi.h5"
    r = mpirun(2, "detect", series, "-o", out, "-q", *SETTINGS[name])
    assert r.returncode == 0, r.stdout + r.stderr
    assert out.read_bytes() == serial.read_bytes()


def test_a_failing_rank_fails_the_job_with_its_message(tmp_path):
    x = ragged_panel()
    x[6, 10] = -1.0  # the Poisson cost refuses it: only the rank holding series 6 fails
    series = tmp_path / "bad.h5"
    write_series(series, x)
    out = tmp_path / "out.h5"
    r = mpirun(2, "detect", series, "-o", out, "--cost", "poisson")
    assert r.returncode == 2, r.stdout + r.stderr
    assert "rank 1 of 2" in r.stderr and "Hubei/S6" in r.stderr and "Poisson" in r.stderr, r.stderr
    assert r.stderr.count("turnpoint: error:") == 1, r.stderr  # said once, by rank 0
    assert not out.exists()
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".out.h5")]  # no temporary left


# Placement (host/cluster/placement.hpp): ranks that share CPUs split them; each rank's line
# part comes from the ranks' real affinity masks, gathered over the node.
CPUS = len(os.sched_getaffinity(0))
NO_OMP_ENV = {k: v for k, v in ENV.items() if k != "OMP_NUM_THREADS"}


def test_ranks_that_share_the_cpus_split_them(panel, tmp_path):
    d, series = panel
    whole = d / "whole-default.h5"
    if not whole.exists():
        one_process(BIN, "detect", series, "-o", whole, "-q")
    out = tmp_path / "mpi.h5"
    # --bind-to none: every rank may run on every CPU, so each takes an equal share.
    r = mpirun(2, "detect", series, "-o", out, launcher=["--bind-to", "none"], env=NO_OMP_ENV)
    assert r.returncode == 0, r.stdout + r.stderr
    share = max(1, CPUS // 2)
    assert f"MPI placement: 2 ranks on 1 node; OpenMP threads per rank: {share}; no GPU" in r.stderr, r.stderr
    assert out.read_bytes() == whole.read_bytes()  # the thread count changes no result


@pytest.mark.skipif(CPUS < 2, reason="binding 2 ranks to their own cores needs 2 CPUs")
def test_ranks_bound_to_their_own_cores_run_one_thread_each(panel, tmp_path):
    _, series = panel
    r = mpirun(2, "generate", "--series", "4", "--seed", "3", "-o", tmp_path / "g.h5",
               launcher=["--bind-to", "core", "--map-by", "core"], env=NO_OMP_ENV)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "MPI placement: 2 ranks on 1 node; OpenMP threads per rank: 1; no GPU" in r.stderr, r.stderr


def test_omp_num_threads_is_kept_and_said(panel, tmp_path):
    _, series = panel
    r = mpirun(3, "detect", series, "-o", tmp_path / "o.h5", "--method", "pelt",
               launcher=["--bind-to", "none"], env=dict(NO_OMP_ENV, OMP_NUM_THREADS="2"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "OpenMP threads per rank: 2 (OMP_NUM_THREADS)" in r.stderr, r.stderr


def test_shard_with_a_launcher_is_refused(panel, tmp_path):
    _, series = panel
    r = mpirun(2, "detect", series, "-o", tmp_path / "o.h5", "--shard", "0/2")
    assert r.returncode == 2 and "--shard with an MPI launcher" in r.stderr, r.stderr


def test_an_output_rank_0_cannot_write_fails_every_rank(panel, tmp_path):
    _, series = panel
    r = mpirun(3, "detect", series, "-o", tmp_path / "missing" / "out.h5", "-q")
    assert r.returncode == 2, r.stdout + r.stderr
    assert "rank 0 of 3" in r.stderr and "cannot create a temporary file" in r.stderr, r.stderr
    assert r.stderr.count("turnpoint: error:") == 1, r.stderr


# ---- generate ----------------------------------------------------------------------------
# 23 series in chunks of 4: 6 chunks, dealt to the ranks round-robin (3 ranks: 2 each; 2
# ranks: 3 each, rank 0 included); missing days and three annotators in /truth.
GENERATE = ["--series", "23", "--days", "400", "--seed", "5", "--chunk", "4", "--missing", "0.05",
            "--annotators", "3", "-q"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    d = tmp_path_factory.mktemp("generate")
    whole = d / "whole.h5"
    one_process(BIN, "generate", "-o", whole, *GENERATE)
    return whole


@pytest.mark.parametrize("n", [1, 2, 3, 7])  # 7 ranks for 6 chunks: one rank has none
def test_ranks_generate_the_one_process_file(generated, tmp_path, n):
    out = tmp_path / "mpi.h5"
    r = mpirun(n, "generate", "-o", out, *GENERATE)
    assert r.returncode == 0, r.stdout + r.stderr
    assert out.read_bytes() == generated.read_bytes()


@pytest.mark.skipif(not SERIAL_BIN, reason="TURNPOINT_SERIAL_BIN (the default build's turnpoint) is not set")
def test_the_serial_build_generates_the_same_file(generated, tmp_path):
    serial = tmp_path / "serial.h5"
    one_process(SERIAL_BIN, "generate", "-o", serial, *GENERATE)
    assert serial.read_bytes() == generated.read_bytes()


@pytest.mark.parametrize("args, says", [
    (["-o", "{tmp}/missing/out.h5"], "cannot create a temporary file"),  # rank 0 cannot write
    (["-o", "{tmp}/out.h5", "--chunk", "0"], "chunk size must be >= 1"),  # every rank refuses
])
def test_generate_refused_settings_fail_the_job_once(tmp_path, args, says):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    r = mpirun(3, "generate", *args, "--series", "10")
    assert r.returncode == 2, r.stdout + r.stderr
    assert "rank 0 of 3" in r.stderr and says in r.stderr, r.stderr
    assert r.stderr.count("turnpoint: error:") == 1, r.stderr
    assert not (tmp_path / "out.h5").exists()
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".out.h5")]


# ---- sweep -------------------------------------------------------------------------------
# 12 raw-solver scenarios and the default pipeline's (an empty model grid is a separate
# test: its scenarios are the pattern model) in batches of 2: 6 batches, dealt round-robin.
SWEEP_GRID = """method = ["pelt", "binseg"]
cost = ["mean", "meanvar"]
penalty = ["mbic", "bic", "30"]
"""


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    d = tmp_path_factory.mktemp("sweep")
    series = d / "series.h5"
    one_process(BIN, "generate", "-o", series, "--series", "40", "--days", "730", "--seed", "11", "-q")
    grids = {}
    for name, text in {"raw": SWEEP_GRID, "default": 'min_confidence = [0.5, 0.9]\n'}.items():
        grid = d / f"{name}.toml"
        grid.write_text(text)
        whole = d / f"whole-{name}.h5"
        one_process(BIN, "sweep", series, "--grid", grid, "-o", whole, "--batch", "2", "-q")
        grids[name] = (grid, whole)
    return series, grids


@pytest.mark.parametrize("name", ["raw", "default"])
@pytest.mark.parametrize("n", [1, 2, 3])
def test_ranks_sweep_into_the_one_process_file(swept, tmp_path, name, n):
    series, grids = swept
    grid, whole = grids[name]
    out = tmp_path / "mpi.h5"
    r = mpirun(n, "sweep", series, "--grid", grid, "-o", out, "--batch", "2", "-q")
    assert r.returncode == 0, r.stdout + r.stderr
    assert out.read_bytes() == whole.read_bytes()
    assert not (tmp_path / "mpi.h5.journal").exists()


def test_a_two_rank_sweep_killed_ten_times_finishes_with_the_same_file(swept, tmp_path):
    """Issue 21: SIGKILL to one rank (chosen at random) at a random moment, >= 10 times, the
    same command re-run each time; the last run finishes the file of an uninterrupted run."""
    import random
    import signal
    import time

    series, grids = swept
    grid, whole = grids["raw"]
    out = tmp_path / "killed.h5"
    cmd = [MPIEXEC, "--oversubscribe", "--allow-run-as-root", "-n", "2", BIN, "sweep", str(series),
           "--grid", str(grid), "-o", str(out), "--batch", "2", "-q"]
    t0 = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=300)
    full = time.monotonic() - t0
    assert r.returncode == 0, r.stderr
    out.unlink()
    rng = random.Random(2026)
    kills = attempts = 0
    while kills < 10:
        attempts += 1
        assert attempts < 100, "could not kill the sweep 10 times"
        if out.exists():  # finished before a kill landed: start over
            out.unlink()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV,
                                start_new_session=True)
        time.sleep(rng.uniform(0.2, max(full, 0.5) * 0.8))
        ranks = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
        if proc.poll() is None and ranks:
            try:
                os.kill(int(rng.choice(ranks)), signal.SIGKILL)
            except ProcessLookupError:  # that rank ended between pgrep and the kill: no kill landed
                proc.wait(timeout=300)
                continue
            try:
                proc.wait(timeout=60)  # mpirun ends the job when a rank dies
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            kills += 1
        else:
            proc.wait(timeout=300)
            assert proc.returncode == 0
    r = subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=300)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == whole.read_bytes()
    assert not (tmp_path / "killed.h5.journal").exists()
    assert not [p for p in os.listdir(tmp_path) if ".tmp" in p]


def test_rank_0_says_the_whole_sweeps_progress(swept, tmp_path):
    import re
    series, grids = swept
    grid, whole = grids["raw"]  # 12 scenarios
    out = tmp_path / "s.h5"
    r = mpirun(2, "sweep", series, "--grid", grid, "-o", out, "--batch", "1")
    assert r.returncode == 0, r.stdout + r.stderr
    done = [int(x) for x in re.findall(r"sweep: \d+0 % of the job \((\d+) of \d+ scenarios, all ranks\)", r.stderr)]
    assert done and done == sorted(done) and max(done) <= 12, r.stderr
    assert out.read_bytes() == whole.read_bytes()  # the batch size is not the journal's: same file


def test_a_failing_rank_fails_the_sweep_with_its_message(tmp_path):
    x = ragged_panel()
    x[6, 10] = -1.0  # the Poisson cost refuses it
    series = tmp_path / "bad.h5"
    write_series(series, x)
    grid = tmp_path / "grid.toml"
    grid.write_text('method = ["pelt"]\ncost = ["mean", "poisson"]\n')  # batch 1 (rank 1): Poisson
    out = tmp_path / "o.h5"
    r = mpirun(2, "sweep", series, "--grid", grid, "-o", out, "--batch", "1", "-q")
    assert r.returncode == 2, r.stdout + r.stderr
    assert "rank 1 of 2" in r.stderr and "Poisson" in r.stderr, r.stderr
    assert r.stderr.count("turnpoint: error:") == 1, r.stderr
    assert not out.exists()
