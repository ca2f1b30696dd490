"""turnpoint.compat.ruptures against ruptures 1.1.9 itself: the same breakpoints for Pelt,
Binseg and Dynp, models l2 (jump 1, 3 and 5, min sizes 1..10), normal and linear, on random
and real series; the same errors for impossible settings. Expected answers come from
ruptures (an independent implementation), never from turnpoint. A mismatch names the case
and both answers with their costs, so that a tie can be told from a wrong answer."""
from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

import turnpoint
from turnpoint.compat import ruptures as tpr
from tp_testing import REPO

rpt = pytest.importorskip("ruptures", reason="ruptures is not installed (tools/requirements.txt)")

MIN_SIZES = (1, 2, 3, 5, 7, 10)
JUMPS = (1, 3, 5)


def piecewise(rng, n, k, d=1):
    """n samples, k random level shifts of 1.5..5 noise units (d columns)."""
    level = np.zeros((n, d))
    for c in np.sort(rng.choice(np.arange(1, n), size=min(k, n - 1), replace=False)):
        level[c:] += rng.choice([-1.0, 1.0], size=d) * rng.uniform(1.5, 5.0, size=d)
    x = 10.0 + level + rng.normal(0.0, 1.0, (n, d))
    return x[:, 0] if d == 1 else x


def outcome(make, predict):
    """The breakpoints, or the name of the exception ruptures/turnpoint raised."""
    try:
        return predict(make())
    except (rpt.exceptions.BadSegmentationParameters, tpr.BadSegmentationParameters):
        return "BadSegmentationParameters"


def compare(case, x, theirs_est, ours_est, predict):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # CostNormal's note about add_small_diag
        theirs = outcome(lambda: theirs_est().fit(x), predict)
    ours = outcome(lambda: ours_est().fit(x), predict)
    if ours == theirs:
        return None
    est = ours_est().fit(x)
    cost = lambda b: est.cost_of(b) if isinstance(b, list) else float("nan")  # noqa: E731
    return f"{case}: turnpoint {ours} (cost {cost(ours):.12g}) vs ruptures {theirs} (cost {cost(theirs):.12g})"


def random_cases(seed, count):
    rng = np.random.default_rng(seed)
    for i in range(count):
        n = int(rng.integers(12, 160))
        m = MIN_SIZES[i % len(MIN_SIZES)]
        j = JUMPS[(i // len(MIN_SIZES)) % len(JUMPS)]
        yield i, n, m, j, rng


def test_pelt_l2_equals_ruptures_on_random_series():
    bad = []
    for i, n, m, j, rng in random_cases(1, 72):
        x = piecewise(rng, n, int(rng.integers(0, 5)), d=1 + (i % 4 == 3))
        pen = float(rng.uniform(2.0, 60.0))
        bad.append(compare(f"#{i} n={n} min_size={m} jump={j} pen={pen:.3f} d={x.ndim}", x,
                           lambda: rpt.Pelt(model="l2", min_size=m, jump=j),
                           lambda: tpr.Pelt(model="l2", min_size=m, jump=j),
                           lambda e: e.predict(pen=pen)))
    bad = [b for b in bad if b]
    assert not bad, "\n".join(bad)


def test_binseg_l2_equals_ruptures_on_random_series():
    bad = []
    for i, n, m, j, rng in random_cases(2, 72):
        x = piecewise(rng, n, int(rng.integers(0, 5)))
        k = int(rng.integers(0, 5))
        pen = float(rng.uniform(2.0, 60.0))
        eps = float(rng.uniform(0.5, 1.5)) * n
        case = f"#{i} n={n} min_size={m} jump={j}"
        for label, pred in ((f"n_bkps={k}", lambda e: e.predict(n_bkps=k)),
                            (f"pen={pen:.3f}", lambda e: e.predict(pen=pen)),
                            (f"epsilon={eps:.3f}", lambda e: e.predict(epsilon=eps))):
            bad.append(compare(f"{case} {label}", x, lambda: rpt.Binseg(model="l2", min_size=m, jump=j),
                               lambda: tpr.Binseg(model="l2", min_size=m, jump=j), pred))
    bad = [b for b in bad if b]
    assert not bad, "\n".join(bad)


def test_dynp_l2_equals_ruptures_on_random_series():
    bad = []
    for i, n, m, j, rng in random_cases(3, 54):
        n = min(n, 90)  # ruptures' Dynp is O(K n^2) Python calls
        x = piecewise(rng, n, int(rng.integers(0, 4)))
        k = int(rng.integers(0, 4))
        bad.append(compare(f"#{i} n={n} min_size={m} jump={j} n_bkps={k}", x,
                           lambda: rpt.Dynp(model="l2", min_size=m, jump=j),
                           lambda: tpr.Dynp(model="l2", min_size=m, jump=j),
                           lambda e: e.predict(n_bkps=k)))
    bad = [b for b in bad if b]
    assert not bad, "\n".join(bad)


def test_jump_changes_the_answer_as_in_ruptures():
    """A change at 52: with jump 5 only multiples of 5 can be breakpoints."""
    rng = np.random.default_rng(9)
    x = np.r_[np.zeros(52), np.full(48, 6.0)] + rng.normal(0, 1, 100)
    assert tpr.Pelt(jump=1).fit(x).predict(pen=20.0) == [52, 100]
    ours = tpr.Pelt(jump=5).fit(x).predict(pen=20.0)
    assert ours[0] % 5 == 0 and ours == rpt.Pelt(jump=5).fit(x).predict(pen=20.0)


@pytest.fixture(scope="module")
def real():
    panel = turnpoint.read_series(REPO / "demo" / "carbon_monitor_china_daily.h5")
    rows = [panel.index_of(s) for s in ("Hubei/Industry", "Beijing/Ground Transport", "Guangdong/Power",
                                        "Hubei/Aviation", "Shanghai/Residential")]
    return [panel.values[r] for r in rows]


def raw_l2_penalty(x, c=3.0):
    """c sigma^2 log n on the raw L2 scale, sigma from the first differences (robust)."""
    d = np.diff(x)
    sigma = 1.4826 * np.median(np.abs(d - np.median(d))) / np.sqrt(2) or np.std(d) / np.sqrt(2)
    return c * sigma ** 2 * np.log(len(x))


def test_l2_equals_ruptures_on_real_series(real):
    bad = []
    for s, x in enumerate(real):
        pen = raw_l2_penalty(x)
        y = x[365:730]  # one year (2020) for the O(n^2) searches; Dynp (O(K n^2)) its first 200 days
        for m, j in itertools.product((2, 7), (1, 5)):
            case = f"real #{s} min_size={m} jump={j}"
            full = x if j == 5 else y
            bad.append(compare(f"{case} pelt pen={pen:.3g}", full, lambda: rpt.Pelt(min_size=m, jump=j),
                               lambda: tpr.Pelt(min_size=m, jump=j), lambda e: e.predict(pen=pen)))
            bad.append(compare(f"{case} binseg n_bkps=5", full, lambda: rpt.Binseg(min_size=m, jump=j),
                               lambda: tpr.Binseg(min_size=m, jump=j), lambda e: e.predict(n_bkps=5)))
            bad.append(compare(f"{case} dynp n_bkps=3", y[:200] if j == 1 else y[:300],
                               lambda: rpt.Dynp(min_size=m, jump=j), lambda: tpr.Dynp(min_size=m, jump=j),
                               lambda e: e.predict(n_bkps=3)))
    bad = [b for b in bad if b]
    assert not bad, "\n".join(bad)


def test_pelt_l2_jump_1_is_turnpoint_detect_with_noise_none(real):
    x = real[0][:400]
    pen = raw_l2_penalty(x)
    r = turnpoint.detect(x, method="pelt", cost="mean", noise="none", penalty=pen, min_size=3)
    assert list(r.changes[0]) + [len(x)] == tpr.Pelt(min_size=3, jump=1).fit(x).predict(pen=pen)


def test_normal_and_linear_equal_ruptures():
    rng = np.random.default_rng(12)
    bad = []
    for i in range(24):
        n = int(rng.integers(30, 120))
        m, j = (2, 3, 5)[i % 3], (1, 5)[i % 2]
        # normal: changes in variance and mean
        x = piecewise(rng, n, 2) * np.where(np.arange(n) < n // 2, 1.0, 3.0)
        pen = float(rng.uniform(5, 30))
        bad.append(compare(f"normal #{i} n={n} m={m} j={j}", x, lambda: rpt.Pelt(model="normal", min_size=m, jump=j),
                           lambda: tpr.Pelt(model="normal", min_size=m, jump=j), lambda e: e.predict(pen=pen)))
        bad.append(compare(f"normal binseg #{i}", x, lambda: rpt.Binseg(model="normal", min_size=m, jump=j),
                           lambda: tpr.Binseg(model="normal", min_size=m, jump=j), lambda e: e.predict(n_bkps=2)))
        # linear: a slope that changes, covariates intercept + time + a random regressor
        t = np.arange(n, dtype=float)
        z = rng.normal(size=n)
        y = np.where(t < n // 2, 0.1 * t, 0.1 * n / 2 - 0.2 * (t - n // 2)) + 0.5 * z + rng.normal(0, 0.3, n)
        sig = np.column_stack([y, np.ones(n), t, z])
        mm = max(m, 4)
        bad.append(compare(f"linear #{i} n={n} m={mm} j={j}", sig,
                           lambda: rpt.Pelt(model="linear", min_size=mm, jump=j),
                           lambda: tpr.Pelt(model="linear", min_size=mm, jump=j), lambda e: e.predict(pen=2.0)))
        bad.append(compare(f"linear dynp #{i}", sig, lambda: rpt.Dynp(model="linear", min_size=mm, jump=j),
                           lambda: tpr.Dynp(model="linear", min_size=mm, jump=j), lambda e: e.predict(n_bkps=1)))
    bad = [b for b in bad if b]
    assert not bad, "\n".join(bad)


def test_breakpoints_end_with_n_and_fit_predict_works():
    x = piecewise(np.random.default_rng(0), 80, 2)
    for est in (tpr.Pelt(jump=1), tpr.Binseg(jump=1), tpr.Dynp(jump=1)):
        kw = {"pen": 10.0} if isinstance(est, tpr.Pelt) else {"n_bkps": 2}
        bkps = est.fit_predict(x, **kw)
        assert bkps[-1] == 80 and bkps == sorted(bkps)


def test_unsupported_settings_say_what_is_supported():
    with pytest.raises(ValueError, match=r"'rbf' is not supported.*supported: l2, normal, linear"):
        tpr.Pelt(model="rbf")
    with pytest.raises(NotImplementedError, match="custom_cost"):
        tpr.Pelt(custom_cost=object())
    with pytest.raises(NotImplementedError, match="normal.*multi-column"):
        tpr.Pelt(model="normal").fit(np.zeros((10, 2)))
    with pytest.raises(ValueError, match="linear.*covariates"):
        tpr.Dynp(model="linear").fit(np.zeros(10))
    with pytest.raises(ValueError, match="NaN"):
        tpr.Pelt().fit(np.r_[1.0, np.nan, 2.0])
    with pytest.raises(tpr.BadSegmentationParameters):
        tpr.Dynp(min_size=5, jump=5).fit(np.zeros(20)).predict(n_bkps=5)
    with pytest.raises(ValueError, match="n_bkps, pen or epsilon"):
        tpr.Binseg().fit(np.zeros(20)).predict()
