#!/usr/bin/env bash
# Speed and peak memory of `turnpoint import` on the largest real panel: the Carbon Monitor
# power panel, 2,078,208 rows (83 MB of CSV text, 9.5 MB gzip), 770 ragged series x 2,783
# days. Runs the import REPEATS times (default 3) and prints wall clock, CPU time and peak RSS
# of each run (GNU time). Results: bench/RESULTS.md, "import".
#   bench/import_bench.sh [BUILD_DIR] [REPEATS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build}"
repeats="${2:-3}"
data="$here/../shared/datasets/carbon_monitor_power_daily/cm_power_7dmean_country_source_daily.csv.gz"
[ -f "$data" ] || { echo "import_bench: $data not found (../shared/datasets is absent)" >&2; exit 77; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$repeats"); do
  /usr/bin/time -f "run $i: %e s wall, %U s user + %S s system CPU, %M kB peak RSS" \
    "$build/tools/turnpoint" import "$data" --id-cols country,type -o "$out/power.h5" --quiet
done
ls -l "$out/power.h5" | awk '{print "output:", $5, "bytes"}'
