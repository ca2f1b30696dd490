"""turnpoint: the turning points of many series at once, explained.

    import turnpoint
    panel = turnpoint.read_series("demo/carbon_monitor_china_daily.h5")
    result = turnpoint.detect(panel)             # the CLI's default: the model for the data
    result.to_pandas()                           # one row per turning point
    turnpoint.detect(x, method="pelt", cost="mean", penalty=10.0)  # a raw solver, as asked

See docs/python.md. ruptures users: turnpoint.compat.ruptures (Pelt, Binseg, Dynp);
xarray/Dask: turnpoint.xarray.detect_dataarray.
"""
from . import _turnpoint
from ._detect import detect
from ._io import Series, read_detections, read_series, write_detections, write_series
from ._report import catalogue, join, report
from ._result import Detections, SeriesResult

#: ValueError subclass: bad input (turnpoint's message names the series, file or option).
InvalidInput = _turnpoint.InvalidInput
#: OSError subclass: an HDF5 call failed.
HDF5Error = _turnpoint.HDF5Error
#: RuntimeError subclass: a CUDA call failed.
CUDAError = _turnpoint.CUDAError

__version__ = _turnpoint.version
#: Whether this build has the CUDA backend (backend="auto" uses a GPU when one is usable).
cuda_built = _turnpoint.cuda_built

__all__ = ["detect", "Detections", "SeriesResult", "Series", "read_series", "write_series",
           "read_detections", "write_detections", "catalogue", "join", "report",
           "InvalidInput", "HDF5Error", "CUDAError", "cuda_built", "__version__"]
