"""Checks and conversions of what the user passes, before the engine sees it.

Values: real numbers as float64, C-contiguous, [series, time] (a 1-D array is one series);
NaN marks a missing value. An array that already has that layout reaches the engine where
it lies (no copy); any other real dtype or layout is converted once (a copy, said in the
docs). The dates: days since 1970-01-01 as int32, from datetime64 values, ISO date strings,
or integers that already count days.
"""
from __future__ import annotations

import numpy as np

# float16/32/64 and integers convert to float64 exactly enough; bool, complex, strings,
# objects and datetimes are not series values.
_REAL_KINDS = "iuf"


def as_values(values, name="values"):
    """(array [series, time] float64 C-contiguous, was_1d). Raises ValueError when the
    input is not a non-empty 1-D or 2-D array of real numbers."""
    a = values if isinstance(values, np.ndarray) else np.asarray(values)
    if a.dtype.kind not in _REAL_KINDS:
        raise ValueError(f"{name} must be real numbers (float64; NaN marks a missing value), "
                         f"got dtype {a.dtype}")
    if a.ndim not in (1, 2):
        raise ValueError(f"{name} must be 1-D (one series) or 2-D (series x time), got a "
                         f"{a.ndim}-D array of shape {a.shape}")
    if a.size == 0:
        raise ValueError(f"{name} are empty (shape {a.shape}): nothing to detect")
    was_1d = a.ndim == 1
    if was_1d:
        a = a.reshape(1, -1)
    if a.dtype != np.float64 or not a.flags.c_contiguous:
        a = np.ascontiguousarray(a, dtype=np.float64)
    return a, was_1d


_DAY = np.timedelta64(1, "D")


def as_days(dates, n_time, name="dates"):
    """dates -> int32 days since 1970-01-01 (strictly increasing, one per time step), or
    None when dates is None."""
    if dates is None:
        return None
    d = np.asarray(dates)
    if d.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one per time step), got shape {d.shape}")
    if d.dtype.kind == "M":
        if np.isnat(d).any():
            raise ValueError(f"{name} contain NaT (a missing date); a missing value is a NaN in "
                             f"the values, never a gap in the dates")
        days = d.astype("datetime64[D]").astype(np.int64)
    elif d.dtype.kind in "iu":
        days = d.astype(np.int64)
    elif d.dtype.kind in "UOS":
        try:
            days = d.astype("datetime64[D]").astype(np.int64)
        except ValueError as e:
            raise ValueError(f"{name}: not dates ({e}); give datetime64 values or "
                             f"'YYYY-MM-DD' strings") from None
    else:
        raise ValueError(f"{name} must be datetime64 values, 'YYYY-MM-DD' strings or integer "
                         f"days since 1970-01-01, got dtype {d.dtype}")
    if len(days) != n_time:
        raise ValueError(f"{len(days)} {name} for {n_time} time steps")
    if len(days) > 1:
        bad = np.flatnonzero(np.diff(days) <= 0)
        if len(bad):
            i = int(bad[0])
            raise ValueError(f"{name} must increase strictly: element {i} is "
                             f"{to_datetime64(days[i])} and element {i + 1} is "
                             f"{to_datetime64(days[i + 1])}")
    if days.min() < np.iinfo(np.int32).min or days.max() > np.iinfo(np.int32).max:
        raise ValueError(f"{name} outside the int32 day range")
    return np.ascontiguousarray(days, dtype=np.int32)


def to_datetime64(days):
    """int days since 1970-01-01 -> numpy datetime64[D] (array or scalar)."""
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]")


def labels(given, n, name):
    """A list of n strings (or [] to let the engine number the series)."""
    if given is None:
        return []
    out = [str(x) for x in given]
    if len(out) != n:
        raise ValueError(f"{len(out)} {name} for {n} series")
    return out
