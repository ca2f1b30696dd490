"""turnpoint.detect: the turning points of one series or a panel of series.

What runs is decided exactly as `turnpoint detect` decides it (tools/cmd_detect.cpp,
resolve and run_model):

* no solver setting (method, cost, penalty, noise, crops all None) and model="auto": the
  model host/explain/explain.hpp's choose_model picks from the dates -- the pattern model for
  a daily axis spanning a year or more, the generic model otherwise; without dates the
  series are an index with no calendar, so the generic model runs (without a seasonal
  cycle);
* a solver setting given: that raw solver, exactly as asked (with kinds/confidence: the
  segments model with that solver);
* model="pattern" / "generic" / "segments": that model.
"""
from __future__ import annotations

import warnings

import numpy as np

from . import _turnpoint
from ._arrays import as_days, as_values, labels
from ._io import Series
from ._result import Detections

_SEGMENTS_ONLY = ("bootstrap", "window", "search", "block", "scored", "alpha", "seed")
_MODELS = ("auto", "pattern", "generic", "segments")


def detect(values, dates=None, *, method=None, cost=None, penalty=None, noise=None, crops=None,
           min_size=None, max_changes=None, trend=None, weekly=None, yearly=None,
           backend="auto", model="auto", kinds=False, confidence=False,
           max_points=None, min_confidence=None, month_step_z=None, penalty_scale=None,
           month_effects=None, holidays=None,
           bootstrap=None, window=None, search=None, block=None, scored=None, alpha=None,
           seed=None, series_id=None, region=None, sector=None, units=None) -> Detections:
    """Turning points of every series.

    values: a 1-D array (one series) or a 2-D array [series, time] of real numbers, NaN =
        missing; float64 C-contiguous arrays are read where they lie (no copy). Or a
        turnpoint.Series (read_series), which brings its dates and names.
    dates: one per time step (datetime64, 'YYYY-MM-DD' strings or int days since
        1970-01-01); they choose the model and give each turning point its date.

    Raw solver (any of these given; names and meanings of `turnpoint detect --help`):
      method: pelt, op, segneigh, binseg;  cost: mean, meanvar, poisson, regression;
      penalty: mbic, bic, aic, hq or a number;  noise: mad or none (none = ruptures' raw L2);
      crops: (min, max) penalty range;  max_changes, min_size;  trend/weekly/yearly: the
      regression basis (weekly/yearly need dates);  backend: auto, cpu, cuda.
    Models (docs/seasonality.md): model (auto, pattern, generic, segments), max_points,
      min_confidence, month_step_z, penalty_scale, month_effects, holidays (china, none or a
      CSV file), min_size (the least gap between turning points), max_changes, weekly,
      yearly, trend; kinds/confidence with a solver setting: the segments model; the
      segments model's own bootstrap, window, search, block, scored, alpha, seed.
    series_id / region / sector / units: names carried into the result and reports.

    Returns a Detections (turnpoint.Detections). Raises ValueError for bad input (with
    turnpoint's message, naming the series), OSError for HDF5 errors.
    """
    input_path = ""
    if isinstance(values, Series):
        if dates is not None:
            raise ValueError("dates come from the Series; do not pass them too")
        s = values
        values, dates, input_path = s.values, s.dates, s.path or ""
        series_id = s.series_id if series_id is None else series_id
        region = s.region if region is None else region
        sector = s.sector if sector is None else sector
        units = s.units if units is None else units
    arr, _ = as_values(values)
    n, t = arr.shape
    days = as_days(dates, t)
    names = dict(region=labels(region, n, "regions"), sector=labels(sector, n, "sectors"),
                 series_id=labels(series_id, n, "series ids"), units=units or "", input=input_path)
    if backend not in ("auto", "cpu", "cuda"):
        raise ValueError(f"backend must be auto, cpu or cuda (got {backend!r})")
    if model not in _MODELS:
        raise ValueError(f"model must be one of {', '.join(_MODELS)} (got {model!r})")

    solver = any(x is not None for x in (method, cost, penalty, noise, crops))
    solver_args = dict(method=method, cost=cost, penalty=penalty, noise=noise, crops=crops,
                       min_size=min_size, max_changes=max_changes, trend=trend, weekly=weekly,
                       yearly=yearly)
    if model == "auto" and solver and not (kinds or confidence):
        return _run_raw(arr, days, backend, names, **solver_args)
    if model == "auto" and solver:
        chosen, why = "segments", "kinds/confidence with solver settings"
    elif model == "auto":
        if days is None:
            chosen, why = "generic", "no dates: an index without a calendar"
        else:
            try:
                chosen, why = _turnpoint.choose_model(days)
            except ValueError as e:
                raise ValueError(f"dates: {e}") from None
    else:
        chosen, why = model, "model given"
    segments_args = dict(bootstrap=bootstrap, window=window, search=search, block=block,
                         scored=scored, alpha=alpha, seed=seed)
    model_args = dict(max_points=max_points, min_confidence=min_confidence,
                      month_step_z=month_step_z, penalty_scale=penalty_scale,
                      month_effects=month_effects, holidays=holidays)
    return _run_model(arr, days, chosen, why, backend, names, kinds, confidence, solver_args,
                      segments_args, model_args)


def _penalty_text(penalty):
    if isinstance(penalty, str):
        return penalty
    if isinstance(penalty, (int, float, np.integer, np.floating)) and not isinstance(penalty, bool):
        return repr(float(penalty))
    raise ValueError(f"penalty must be mbic, bic, aic, hq or a number (got {penalty!r})")


def _solver_options(method, cost, penalty, noise, crops, min_size, max_changes, trend, weekly,
                    yearly):
    o = _turnpoint.DetectOptions()
    if method is not None:
        o.method = str(method)
    if cost is not None:
        o.cost = str(cost)
    if penalty is not None:
        o.penalty = _penalty_text(penalty)
    if noise is not None:
        o.noise = str(noise)
    if crops is not None:
        lo, hi = crops
        o.crops = [float(lo), float(hi)]
    if min_size is not None:
        o.min_size = _int(min_size, "min_size", 1)
    if max_changes is not None:
        o.max_changes = _int(max_changes, "max_changes", 0)
    if trend is not None:
        o.trend = bool(trend)
    if weekly is not None:
        o.weekly = _int(weekly, "weekly", 0)
    if yearly is not None:
        o.yearly = _int(yearly, "yearly", 0)
    for name, value, known in (("method", o.method, ("pelt", "op", "segneigh", "binseg")),
                               ("cost", o.cost, ("mean", "meanvar", "poisson", "regression")),
                               ("noise", o.noise, ("mad", "none"))):
        if value not in known:
            raise ValueError(f"{name} must be one of {', '.join(known)} (got {value!r})")
    return o


def _int(x, name, lowest):
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or x < lowest:
        raise ValueError(f"{name} must be an integer >= {lowest} (got {x!r})")
    return int(x)


def _run_raw(arr, days, backend, names, **solver_args):
    o = _solver_options(**solver_args)
    o.backend = backend
    if days is None and o.cost == "regression" and (o.weekly or o.yearly):
        raise ValueError("weekly/yearly terms of the regression basis need dates")
    # The CLI's warnings about settings (tools/cmd_detect.cpp, warn_about_settings).
    if solver_args["max_changes"] is not None and o.method in ("pelt", "op"):
        warnings.warn(f"max_changes is ignored by method {o.method} (the penalty decides the "
                      f"number of changes)", stacklevel=3)
    if (o.noise == "none" and o.cost in ("mean", "regression")
            and o.penalty in ("mbic", "bic", "aic", "hq")):
        warnings.warn("noise='none' compares the penalty with the raw sum of squares: the "
                      "answer depends on the units of the data", stacklevel=3)
    handle = _turnpoint.detect_raw(arr, days, o, **names)
    result = Detections(handle, dates_given=days is not None, model="raw",
                        model_reason="solver settings given")
    if o.method == "binseg" and handle.n_points >= o.max_changes:
        s = result.summary
        ok = s["status"] == 0
        if ok.any() and np.all(s["n_changes"][ok] >= o.max_changes):
            warnings.warn(f"binary segmentation stopped at max_changes {o.max_changes} in every "
                          f"series: there may be more (raise max_changes)", stacklevel=3)
    return result


def _run_model(arr, days, chosen, why, backend, names, kinds, confidence, solver_args,
               segments_args, model_args):
    if chosen != "segments":
        for name in _SEGMENTS_ONLY:
            if segments_args[name] is not None:
                raise ValueError(f"{name} applies to the segments model only (model='segments'); "
                                 f"this run uses the {chosen} model")
        if backend == "cuda":
            raise ValueError(f"backend 'cuda': the {chosen} model runs on the CPU only; use "
                             f"backend 'auto' or 'cpu', or a raw solver")
    ex = _turnpoint.ExplainOptions()
    ex.model = chosen
    if solver_args["weekly"] is not None:
        ex.weekly = _int(solver_args["weekly"], "weekly", 0)
    if solver_args["yearly"] is not None:
        ex.yearly = ex.pattern_yearly = _int(solver_args["yearly"], "yearly", 0)
    if solver_args["trend"] is not None:
        ex.trend = bool(solver_args["trend"])
    if solver_args["max_changes"] is not None:
        ex.max_changes = _int(solver_args["max_changes"], "max_changes", 0)
    if solver_args["min_size"] is not None:
        ex.min_gap = _int(solver_args["min_size"], "min_size", 1)
    if model_args["holidays"] is not None:
        ex.holidays = str(model_args["holidays"])
    if model_args["max_points"] is not None:
        ex.max_points = _int(model_args["max_points"], "max_points", 1)
    if model_args["min_confidence"] is not None:
        ex.min_confidence = float(model_args["min_confidence"])
    if model_args["month_step_z"] is not None:
        ex.month_step_z = float(model_args["month_step_z"])
    if model_args["penalty_scale"] is not None:
        ex.penalty_multiplier = float(model_args["penalty_scale"])
    if model_args["month_effects"] is not None:
        ex.months = bool(model_args["month_effects"])
    if chosen == "generic":
        # No calendar: the series as it is (no logs), changes 3 steps apart at the least.
        if solver_args["min_size"] is None:
            ex.min_gap = 3
        ex.log_scale = False
    base = None
    if chosen == "segments":
        if kinds and not confidence:
            ex.replicates = 0
        for name, field in (("bootstrap", "replicates"), ("window", "tolerance"),
                            ("search", "search"), ("block", "block"), ("scored", "scored")):
            if segments_args[name] is not None:
                setattr(ex, field, _int(segments_args[name], name, 0))
        if segments_args["alpha"] is not None:
            ex.alpha = float(segments_args["alpha"])
        if segments_args["seed"] is not None:
            ex.seed = int(segments_args["seed"])
        given = dict(solver_args)
        given["cost"] = "regression"
        # Binary segmentation unless asked otherwise: on the 21-column basis PELT prunes
        # nothing inside a long segment (docs/seasonality.md, "Speed").
        if given["method"] is None:
            given["method"] = "binseg"
        if given["max_changes"] is None:
            given["max_changes"] = 20
        base = _solver_options(**given)
        base.backend = backend
    ex.validate()
    handle, tally = _turnpoint.detect_model(arr, days, ex, base, backend, **names)
    return Detections(handle, dates_given=days is not None, model=chosen, model_reason=why,
                      tally=tally)
