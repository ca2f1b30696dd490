"""The package under test is the one `pip install .` builds and installs into a fresh virtual
environment, as a user would get it (docs/python.md, "Install").

Once per change of the sources (a hash of everything the extension is built from), under a
file lock so that parallel ctest jobs install once (and CI's second, sanitizer build reuses
the install: the package does not depend on the C++ build folder):
  1. a new venv build-python/venv (python -m venv, no packages of its own);
     a .pth file lets it see the project venv's packages (numpy, pandas, ruptures, xarray,
     dask, scikit-build-core, nanobind), so nothing is downloaded;
  2. `pip install --no-index --no-build-isolation .` into it, the CMake build kept in
     build-python/cmake (incremental) and compiled through ccache when found;
     the CUDA backend off unless TURNPOINT_PYTHON_CUDA=ON|AUTO (it compiles for minutes);
  3. this pytest process imports turnpoint from that venv's site-packages (checked), and
     subprocesses (examples, Dask workers) get it through PYTHONPATH.
TURNPOINT_PYTHON_INSTALLED=1 skips all this and tests whatever `import turnpoint` finds.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("TURNPOINT_PYTHON_BUILD_DIR", REPO / "build-python"))
VENV = BUILD / "venv"
PIP_BUILD = BUILD / "cmake"
STAMP = VENV / "turnpoint-sources.sha256"

# What the extension and the package are built from.
_SOURCES = ["pyproject.toml", "CMakeLists.txt", "cmake", "python/CMakeLists.txt", "python/src",
            "python/turnpoint", "kernels", "host", "datasets", "catalogue/builtin.jsonl"]


def _sources_hash():
    h = hashlib.sha256()
    for top in _SOURCES:
        p = REPO / top
        files = sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p]
        for f in files:
            if "__pycache__" in f.parts:
                continue
            h.update(str(f.relative_to(REPO)).encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def _venv_python():
    return VENV / "bin" / "python"


def _venv_site():
    out = subprocess.run([str(_venv_python()), "-c", "import sysconfig; print(sysconfig.get_paths()['platlib'])"],
                         capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def _install():
    if VENV.exists():
        shutil.rmtree(VENV)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(VENV)], check=True)
    # The project venv's packages (this interpreter's site-packages), visible but not copied.
    (_venv_site() / "_turnpoint_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = dict(os.environ, CMAKE_BUILD_PARALLEL_LEVEL=os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2"))
    cmd = [str(_venv_python()), "-m", "pip", "install", "--no-index", "--no-build-isolation", "-q",
           "-C", f"build-dir={PIP_BUILD}",
           "-C", f"cmake.define.TURNPOINT_CUDA={os.environ.get('TURNPOINT_PYTHON_CUDA', 'OFF')}"]
    if shutil.which("ccache"):
        cmd += ["-C", "cmake.define.CMAKE_CXX_COMPILER_LAUNCHER=ccache",
                "-C", "cmake.define.CMAKE_CUDA_COMPILER_LAUNCHER=ccache"]
    t0 = time.monotonic()
    done = subprocess.run(cmd + [str(REPO)], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.exit(f"`pip install .` into {VENV} failed ({done.returncode}):\n{done.stdout[-6000:]}\n"
                    f"{done.stderr[-6000:]}", returncode=1)
    print(f"turnpoint: pip install . into {VENV}: {time.monotonic() - t0:.0f} s", file=sys.stderr)


def _ensure_installed():
    BUILD.mkdir(parents=True, exist_ok=True)
    digest = _sources_hash()
    with open(BUILD / "install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (STAMP.exists() and STAMP.read_text() == digest and _venv_python().exists()):
            _install()
            STAMP.write_text(digest)
    site = _venv_site()
    sys.path.insert(0, str(site))
    os.environ["PYTHONPATH"] = os.pathsep.join([str(site)] + [p for p in [os.environ.get("PYTHONPATH")] if p])
    import turnpoint

    if not Path(turnpoint.__file__).resolve().is_relative_to(site.resolve()):
        pytest.exit(f"imported turnpoint from {turnpoint.__file__}, not from the fresh install in "
                    f"{site}", returncode=1)


if os.environ.get("TURNPOINT_PYTHON_INSTALLED") != "1":
    _ensure_installed()


@pytest.fixture(scope="session")
def venv_python():
    """The interpreter of the fresh install (sys.executable with TURNPOINT_PYTHON_INSTALLED)."""
    if os.environ.get("TURNPOINT_PYTHON_INSTALLED") == "1":
        return Path(sys.executable)
    return _venv_python()
