"""How arrays reach the engine (no copy for float64 C-contiguous input), that the GIL is
released while it runs, and that bad input is a ValueError with a message that says what is
wrong and where."""
from __future__ import annotations

import threading
import time
import tracemalloc

import numpy as np
import pytest

import turnpoint
from turnpoint import _turnpoint
from turnpoint._arrays import as_values
from tp_testing import REPO

DEMO = REPO / "demo" / "carbon_monitor_china_daily.h5"


def series(n=600, seed=0):
    rng = np.random.default_rng(seed)
    return np.r_[np.zeros(n // 2), np.full(n - n // 2, 3.0)] + rng.normal(0, 1, n)


# ---- no copies --------------------------------------------------------------------------------

def test_float64_c_contiguous_values_reach_the_engine_where_they_lie():
    x = np.random.default_rng(1).normal(size=(40, 500))
    arr, _ = as_values(x)
    assert arr is x
    assert _turnpoint.values_address(arr) == x.ctypes.data
    one = x[3]  # a 1-D row: reshaped, still the same memory
    arr1, was_1d = as_values(one)
    assert was_1d and _turnpoint.values_address(arr1) == one.ctypes.data


def test_other_layouts_are_converted_once():
    x = np.random.default_rng(2).normal(size=(500, 40))
    for other in (x.T, x.astype(np.float32), (x * 100).astype(np.int64)):
        arr, _ = as_values(other)
        assert arr.dtype == np.float64 and arr.flags.c_contiguous
        assert not np.shares_memory(arr, x)
    # the engine refuses what was not prepared: no hidden conversion in the binding
    with pytest.raises(TypeError):
        _turnpoint.values_address(x.T)


def test_detect_allocates_nothing_of_the_input_size():
    x = np.random.default_rng(3).normal(size=(400, 5000))  # 16 MB
    x[:, 2500:] += 8.0
    kw = dict(method="binseg", cost="mean", penalty="bic", max_changes=3)
    turnpoint.detect(x[:2], **kw)  # warm up (imports, caches)
    tracemalloc.start()
    try:
        r = turnpoint.detect(x, **kw)
        changes = r.changes
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert all(2500 in c for c in changes)
    assert peak < x.nbytes / 20, f"detect allocated {peak} bytes for a {x.nbytes}-byte input"


# The C++ side is invisible to tracemalloc: a copy there would show in the process's peak
# resident memory. A fresh process (this one's peak is whatever earlier tests needed).
_PEAK_RSS_SCRIPT = """
import resource, sys
import numpy as np
import turnpoint
x = np.random.default_rng(3).normal(size=(2500, 5000))  # 100 MB, every page touched
x[:, 2500:] += 8.0
turnpoint.detect(x[:2], method="binseg", cost="mean", penalty="bic", max_changes=1)  # warm up
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
r = turnpoint.detect(x, method="binseg", cost="mean", penalty="bic", max_changes=1)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
assert all(list(c) == [2500] for c in r.changes), "wrong answer"
print(after - before, x.nbytes)
"""


def test_detect_copies_nothing_of_the_input_size_in_the_engine(venv_python):
    import subprocess

    done = subprocess.run([str(venv_python), "-c", _PEAK_RSS_SCRIPT], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    grew, nbytes = map(int, done.stdout.split())
    assert grew < nbytes / 4, f"peak resident memory grew by {grew} bytes for a {nbytes}-byte input"


# ---- the GIL -----------------------------------------------------------------------------------

def _pattern_call():
    """The default (pattern) model on two real series: the model path's own GIL release."""
    panel = turnpoint.read_series(DEMO)
    return lambda: turnpoint.detect(panel.values[:2], panel.dates)


def _raw_call():
    """PELT-free optimal partitioning without changes: O(n^2), about a second."""
    x = np.random.default_rng(4).normal(size=(1, 30000))
    return lambda: turnpoint.detect(x, method="op", cost="mean", penalty=1e9, noise="none")


@pytest.mark.parametrize("make_call", [_raw_call, _pattern_call], ids=["raw", "pattern"])
def test_the_gil_is_released_while_the_engine_runs(make_call):
    call = make_call()
    started = threading.Event()
    done = {}

    def work():
        started.set()
        t0 = time.perf_counter()
        done["r"] = call()
        done["s"] = time.perf_counter() - t0

    worker = threading.Thread(target=work)
    worker.start()
    started.wait()
    ticks = 0
    while worker.is_alive():
        ticks += 1
        time.sleep(0.001)
    worker.join()
    assert "r" in done, "the call failed"
    # Holding the GIL for the whole call would leave this thread a few ticks at most (before
    # the call starts); released, it ticks about once a millisecond while the engine runs.
    assert done["s"] > 0.1, f"the call took {done['s']:.3f} s: too short to tell"
    assert ticks >= 20, f"{ticks} ticks in {done['s']:.2f} s"


# ---- bad input ---------------------------------------------------------------------------------

@pytest.mark.parametrize("bad, message", [
    (np.array([["a", "b"]]), "real numbers.*dtype <U1"),
    (np.array([1 + 2j, 3.0]), "real numbers.*complex128"),
    (np.array([True, False, True]), "real numbers.*bool"),
    (np.array([object(), 1.0], dtype=object), "real numbers.*object"),
    (np.zeros((2, 3, 4)), "1-D.*or 2-D.*3-D array of shape \\(2, 3, 4\\)"),
    (np.zeros(0), "empty"),
    (np.zeros((3, 0)), "empty"),
    (np.zeros((0, 10)), "empty"),
])
def test_bad_values_raise_a_clear_value_error(bad, message):
    with pytest.raises(ValueError, match=message):
        turnpoint.detect(bad, method="pelt")
    with pytest.raises(ValueError, match=message):
        turnpoint.detect(bad)


@pytest.mark.parametrize("value", [np.inf, -np.inf])
@pytest.mark.parametrize("kw", [dict(method="pelt"), dict()])
def test_inf_names_the_series_and_the_time_step(value, kw):
    x = np.vstack([series(), series(seed=1)])
    x[1, 17] = value
    with pytest.raises(ValueError, match=r"series 1, time step 17: value -?inf \(values must be finite"):
        turnpoint.detect(x, **kw)
    days = np.arange(x.shape[1]) + 18262
    with pytest.raises(ValueError, match=r"series 1 \(b\), time step 17 \(2020-01-18\)"):
        turnpoint.detect(x, days, series_id=["a", "b"], **kw)


@pytest.mark.parametrize("method", ["pelt", "binseg"])
def test_engine_errors_name_the_series_by_its_id(method):
    """An error the engine raises inside its parallel loop ("series 1: day 5 ...") reaches
    Python as turnpoint.InvalidInput (a ValueError) with the series' id added."""
    y = np.vstack([np.ones(50), np.r_[np.ones(5), -1.0, np.ones(44)], np.ones(50)])
    with pytest.raises(turnpoint.InvalidInput,
                       match=r"^series 1 \(b\): day 5 is -1 but the Poisson cost needs values >= 0"):
        turnpoint.detect(y, method=method, cost="poisson", series_id=["a", "b", "c"])
    with pytest.raises(ValueError, match=r"^series 1: day 5 is -1"):
        turnpoint.detect(y, method=method, cost="poisson")
    # the exception leaves the engine in a usable state
    assert turnpoint.detect(y[[0, 2]], method=method, cost="poisson").status == ["constant", "constant"]


def test_errors_are_value_errors_with_turnpoints_message():
    assert issubclass(turnpoint.InvalidInput, ValueError)
    assert issubclass(turnpoint.HDF5Error, OSError)
    x = series()
    with pytest.raises(turnpoint.InvalidInput, match="unknown penalty|penalty"):
        turnpoint.detect(x, penalty="huge")
    with pytest.raises(ValueError, match="method must be one of"):
        turnpoint.detect(x, method="fast")
    with pytest.raises(ValueError, match="min_size must be an integer >= 1"):
        turnpoint.detect(x, method="pelt", min_size=0)
    with pytest.raises(ValueError, match="backend must be"):
        turnpoint.detect(x, backend="gpu")
    with pytest.raises(ValueError, match="3 dates for 600 time steps"):
        turnpoint.detect(x, ["2020-01-01", "2020-01-02", "2020-01-03"])
    with pytest.raises(ValueError, match="increase strictly: element 1"):
        turnpoint.detect(x[:3], np.array(["2020-01-01", "2020-01-03", "2020-01-02"], dtype="datetime64[D]"))
    with pytest.raises(ValueError, match="dates:.*not a regular axis"):
        turnpoint.detect(x[:3], np.array(["2020-01-01", "2020-01-03", "2020-01-04"], dtype="datetime64[D]"))
    with pytest.raises(ValueError, match="weekly/yearly terms.*need dates"):
        turnpoint.detect(x, cost="regression", weekly=2)


def test_file_errors_name_the_file(tmp_path):
    missing = tmp_path / "missing.h5"
    with pytest.raises((OSError, ValueError), match="missing.h5"):
        turnpoint.read_series(missing)
    junk = tmp_path / "junk.h5"
    junk.write_text("not hdf5")
    with pytest.raises((OSError, ValueError), match="junk.h5"):
        turnpoint.read_detections(junk)
    x = np.random.default_rng(0).normal(size=(2, 30))
    days = np.arange(30)
    ok = tmp_path / "ok.h5"
    turnpoint.write_series(ok, x, days)
    with pytest.raises(ValueError, match="not a turnpoint detections file|format"):
        turnpoint.read_detections(ok)
