#!/usr/bin/env bash
# Peak memory and time of detect on a generated panel: whole-panel read (--chunk = series)
# vs the default chunks, and --shard 0/2 + 1/2 + merge, with byte-identity checks.
# Usage: bench/cluster_bench.sh BUILD_DIR WORK_DIR [SERIES]   (default 100000 series)
# Results: bench/RESULTS.md, "detect: chunks, shards and merge (issue 21)".
set -euo pipefail
bin="$(cd "$1" && pwd)/tools/turnpoint"
mkdir -p "$2" && cd "$2"
n="${3:-100000}"
export SOURCE_DATE_EPOCH=1790000000
measure() {
  echo "== $*"
  /usr/bin/time -v "$@" 2>&1 | grep -E "Elapsed|Maximum resident|User time|System time|Exit status"
}
[ -f "g$n.h5" ] || measure "$bin" generate -o "g$n.h5" --series "$n" --seed 3 --missing 0.02 -q
solver=(--method pelt --backend cpu -q)
measure "$bin" detect "g$n.h5" -o whole.h5 "${solver[@]}"
measure "$bin" detect "g$n.h5" -o whole_one_chunk.h5 "${solver[@]}" --chunk "$n"
measure "$bin" detect "g$n.h5" -o part0.h5 "${solver[@]}" --shard 0/2
measure "$bin" detect "g$n.h5" -o part1.h5 "${solver[@]}" --shard 1/2
measure "$bin" merge part0.h5 part1.h5 -o merged.h5 -q
cmp whole.h5 whole_one_chunk.h5 && echo "chunked == one chunk: identical bytes"
cmp whole.h5 merged.h5 && echo "merged == one process: identical bytes"
ls -l "g$n.h5" whole.h5 part0.h5 part1.h5
