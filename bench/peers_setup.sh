#!/usr/bin/env bash
# Installs the peer change-point tools that bench/compare_peers.py runs side by side with
# turnpoint into a project-local virtualenv (.venv-peers, ignored by git), from PyPI,
# idempotently: fastcpd (C++ PELT), changepoint-doctor (Rust PELT/FPOP), ruptures (Python),
# plus numpy and h5py for the series files. R's changepoint is not installed: Debian 12 has
# no r-cran-changepoint package, and CRAN is not reachable from this machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$here/.venv-peers"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import numpy, h5py, ruptures, fastcpd, cpd" 2>/dev/null; then
  echo "peers_setup: installing fastcpd, changepoint-doctor, ruptures into .venv-peers" >&2
  "$venv/bin/python" -m pip install -q numpy h5py ruptures fastcpd==1.3.1 changepoint-doctor==0.0.3
fi
echo "peers_setup: ok ($venv)" >&2
