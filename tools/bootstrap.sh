#!/usr/bin/env bash
# Installs what turnpoint needs to build and test, idempotently: Debian packages
# (only those missing) and the Python tooling into a project-local virtualenv.
# Safe to run again: it does nothing when everything is present. `--fuzz` also installs
# clang and libFuzzer (tools/fuzz.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

debs=(build-essential cmake pkg-config git
      libhdf5-dev zlib1g-dev libeigen3-dev libcli11-dev nlohmann-json3-dev libfmt-dev
      libgtest-dev libgmock-dev libbenchmark-dev libomp-dev libthrust-dev libcub-dev
      python3 python3-venv python3-pip ccache
      chromium fonts-noto-cjk  # a real browser (and CJK fonts) for the HTML report checks
      # The MPI build (TURNPOINT_MPI=ON, build-mpi/, docs/cluster.md): OpenMPI and the parallel
      # HDF5 flavour, installed next to the serial one (the default build keeps serial HDF5).
      openmpi-bin libopenmpi-dev libhdf5-openmpi-dev)
# --fuzz (tools/fuzz.sh): clang and its libFuzzer/sanitizer runtimes, for the fuzzing build.
if [ "${1:-}" = "--fuzz" ]; then
  debs+=(clang libclang-rt-dev time)  # time: the CPU seconds of each run
fi
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing Debian packages: ${missing[*]}" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python tools for the cross-checks (ruptures), plots, HDF5 inspection, and the Python
# package's build (scikit-build-core, nanobind) and tests (pandas, xarray, dask).
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import numpy, h5py, matplotlib, ruptures, pytest, scikit_build_core, nanobind, pandas, xarray, dask.array, distributed, netCDF4, h5netcdf" 2>/dev/null; then
  echo "bootstrap: installing Python tools into .venv" >&2
  "$venv/bin/python" -m pip install -q --upgrade pip >/dev/null
  "$venv/bin/python" -m pip install -q -r "$here/tools/requirements.txt"
fi
echo "bootstrap: ok" >&2
