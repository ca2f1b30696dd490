"""ruptures' Pelt, Binseg and Dynp on turnpoint's solvers (docs/python.md).

    from turnpoint.compat import ruptures as rpt
    bkps = rpt.Pelt(model="l2", min_size=2, jump=5).fit(signal).predict(pen=10.0)

Same constructor, fit / predict / fit_predict and answers as ruptures 1.1.9: breakpoints are
segment ends with n last. Models:

* "l2": CostL2, the raw sum of squared deviations from each segment's mean (summed over the
  columns of a 2-D signal); `pen` is on that scale (turnpoint.detect(..., noise="none")).
* "normal": CostNormal on a 1-D signal, len * log(var + 1e-6) (params={"add_small_diag":
  False} drops the 1e-6, as in ruptures).
* "linear": CostLinear, column 0 regressed on the other columns (the covariates, no
  intercept unless one is given) by least squares. A segment with no more samples than
  covariates costs 0, as numpy's lstsq makes it in ruptures; a segment whose covariates are
  collinear costs 0 in ruptures (lstsq returns no residual) but its least-squares residual
  here.

The candidate grid is ruptures': with jump J only multiples of J can be breakpoints and every
segment holds at least min_size samples (min_size raised to the cost's own minimum: 1 for
l2, 2 for normal and linear). Pelt solves the grid exactly (PELT for J = 1, optimal
partitioning for J > 1), Dynp by segment neighbourhood, Binseg by ruptures' greedy rule
(ties to the largest position within a segment, the leftmost segment across them).
Signals must be complete (no NaN: ruptures has no missing values; turnpoint.detect has).
"""
from __future__ import annotations

from math import ceil

import numpy as np

from .. import _turnpoint

__all__ = ["Pelt", "Binseg", "Dynp", "BadSegmentationParameters", "SUPPORTED_MODELS"]

# ruptures' cost classes' own min_size.
_COST_MIN_SIZE = {"l2": 1, "normal": 2, "linear": 2}
SUPPORTED_MODELS = tuple(_COST_MIN_SIZE)


class BadSegmentationParameters(ValueError):
    """No segmentation fits n, n_bkps, jump and min_size (ruptures' exception of that name)."""


def sanity_check(n_samples, n_bkps, jump, min_size):
    """ruptures.utils.sanity_check: whether a segmentation with n_bkps breakpoints exists."""
    if n_bkps > n_samples // jump:
        return False
    if n_bkps * ceil(min_size / jump) * jump + min_size > n_samples:
        return False
    return True


class _Estimator:
    _method = ""

    def __init__(self, model="l2", custom_cost=None, min_size=2, jump=5, params=None):
        if custom_cost is not None:
            raise NotImplementedError(
                "custom_cost: turnpoint.compat.ruptures runs compiled costs only (supported "
                f"models: {', '.join(SUPPORTED_MODELS)}); use ruptures for a custom cost")
        if model not in _COST_MIN_SIZE:
            raise ValueError(f"model {model!r} is not supported by turnpoint.compat.ruptures "
                             f"(supported: {', '.join(SUPPORTED_MODELS)})")
        params = dict(params or {})
        self.add_small_diag = bool(params.pop("add_small_diag", True)) if model == "normal" else True
        if params:
            raise ValueError(f"model {model!r} takes no parameters {sorted(params)}")
        for name, v in (("min_size", min_size), ("jump", jump)):
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
                raise ValueError(f"{name} must be an integer >= 1 (got {v!r})")
        self.model = model
        self.min_size = max(int(min_size), _COST_MIN_SIZE[model])
        self.jump = int(jump)
        self.n_samples = None
        self.signal = None

    def fit(self, signal):
        """Keeps the signal [n_samples] or [n_samples, n_features] (float64, complete)."""
        s = np.asarray(signal)
        if s.dtype.kind not in "iuf":
            raise ValueError(f"signal must be real numbers, got dtype {s.dtype}")
        if s.ndim not in (1, 2):
            raise ValueError(f"signal must be 1-D or 2-D [n_samples, n_features], got shape {s.shape}")
        if s.shape[0] == 0:
            raise ValueError("signal is empty")
        s2 = np.ascontiguousarray(s.reshape(len(s), -1), dtype=np.float64)
        if not np.isfinite(s2).all():
            raise ValueError("signal has NaN or inf values: ruptures' models need complete signals "
                             "(turnpoint.detect treats NaN as missing)")
        if self.model == "linear" and s2.shape[1] < 2:
            raise ValueError("model 'linear' needs a 2-D signal: the series in column 0, "
                             "covariates in the other columns")
        if self.model == "normal" and s2.shape[1] != 1:
            raise NotImplementedError("model 'normal' on a multi-column signal (a full covariance "
                                      "per segment) is not supported; supported: normal on one "
                                      "column, l2 on any number of columns")
        self.signal = s2
        self.n_samples = s2.shape[0]
        return self

    def _predict(self, n_bkps=-1, pen=float("nan"), epsilon=float("nan")):
        if self.signal is None:
            raise RuntimeError(f"{type(self).__name__}.predict before fit")
        if not sanity_check(self.n_samples, max(n_bkps, 0), self.jump, self.min_size):
            raise BadSegmentationParameters(
                f"no segmentation of {self.n_samples} samples with {max(n_bkps, 0)} breakpoints, "
                f"jump {self.jump}, min_size {self.min_size}")
        return _turnpoint.ruptures_predict(self.signal, self.model, self._method, self.min_size,
                                           self.jump, self.add_small_diag, int(n_bkps),
                                           float(pen), float(epsilon))

    def cost_of(self, bkps):
        """The summed cost of a segmentation (breakpoints with n last), as ruptures'
        cost.sum_of_costs."""
        return _turnpoint.ruptures_sum_of_costs(self.signal, self.model, self.add_small_diag,
                                                [int(b) for b in bkps])


def _count(n_bkps):
    if isinstance(n_bkps, bool) or not isinstance(n_bkps, (int, np.integer)) or n_bkps < 0:
        raise ValueError(f"n_bkps must be an integer >= 0 (got {n_bkps!r})")
    return int(n_bkps)


class Pelt(_Estimator):
    """Penalised change points (PELT / optimal partitioning on ruptures' grid)."""
    _method = "pelt"

    def predict(self, pen):
        """The optimal breakpoints for penalty `pen` per breakpoint (n last)."""
        return self._predict(pen=float(pen))

    def fit_predict(self, signal, pen):
        return self.fit(signal).predict(pen)


class Dynp(_Estimator):
    """The best segmentation with exactly n_bkps breakpoints (segment neighbourhood)."""
    _method = "dynp"

    def predict(self, n_bkps):
        return self._predict(n_bkps=_count(n_bkps))

    def fit_predict(self, signal, n_bkps):
        return self.fit(signal).predict(n_bkps)


class Binseg(_Estimator):
    """Binary segmentation, stopped by n_bkps, pen (a split's gain must exceed it) or epsilon
    (the summed cost must exceed it), checked in that order as in ruptures."""
    _method = "binseg"

    def predict(self, n_bkps=None, pen=None, epsilon=None):
        if n_bkps is not None:
            return self._predict(n_bkps=_count(n_bkps))
        if pen is not None:
            return self._predict(pen=float(pen))
        if epsilon is not None:
            return self._predict(epsilon=float(epsilon))
        raise ValueError("give n_bkps, pen or epsilon")

    def fit_predict(self, signal, n_bkps=None, pen=None, epsilon=None):
        return self.fit(signal).predict(n_bkps=n_bkps, pen=pen, epsilon=epsilon)
