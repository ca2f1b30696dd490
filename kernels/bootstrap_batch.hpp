// Batched bootstrap confidence and day intervals of turning points (host interface; no
// CUDA types). The math is kernels/bootstrap.hpp; kernels/bootstrap_cpu.cpp runs it over
// (series x replicate) with OpenMP.
#pragma once
#include <cstdint>
#include <vector>

#include "kernels/bootstrap.hpp"
#include "kernels/classify_batch.hpp"

namespace turnpoint::kernels {

struct BootstrapSettings {
  int replicates = 200;     // B
  int block = 0;            // block length in days; 0 = default_block_length(n_valid)
  int tolerance = 7;        // h: a replicate's change counts within +- h days
  int search = 14;          // W: a replicate re-locates a change within +- W days
  double interval = 0.90;   // central coverage of the day interval (5 %..95 %)
  double alpha = 1e-3;      // level of the seasonal-group test
  int min_size = 2;         // minimum segment length
  bool mbic = true;         // detection used the MBIC segment term
  std::uint64_t seed = 20261121;
  std::int64_t max_chunk_series = 0;  // GPU: most series per chunk (0 = tuning default; tests)
};

struct ChangeScore {
  double confidence = 0.0;  // share of replicates that find the change (same kind, +- h);
                            // NaN for a change not scored (ChangeList::score)
  int ci_lo = -1, ci_hi = -1;  // quantiles of the re-located index over replicates
};

// values: [n_series][d.n] divided by each series' noise scale; list: changes and kinds;
// penalty: [n_series] penalty per change used by the detection. One score per change.
void bootstrap_changes_cpu(const double* values, std::int64_t n_series, const DesignMatrix& d,
                           const ChangeList& list, const double* penalty,
                           const BootstrapSettings& s, std::vector<ChangeScore>& out);

// The score of change t (kind `kind`) from its B replicate hits (hits[r * stride]): the
// share found (significant, same kind, within +- s.tolerance) and the s.interval quantile
// range of the re-located days (of the significant replicates, stretched to contain t; t
// itself when none is significant). Both backends summarise with this. `days`: scratch.
ChangeScore summarize_hits(const ReplicateHit* hits, long stride, int t, int kind,
                           const BootstrapSettings& s, std::vector<int>& days);

#if defined(TURNPOINT_HAVE_CUDA)
// The same on the GPU (kernels/bootstrap_cuda.cu): one thread per (series x replicate)
// running replicate_hits, chunks of series sized from the free device memory; the scores
// are summarised on the host with summarize_hits. Throws cuda_error on a CUDA failure.
void bootstrap_changes_cuda(const double* values, std::int64_t n_series, const DesignMatrix& d,
                            const ChangeList& list, const double* penalty,
                            const BootstrapSettings& s, std::vector<ChangeScore>& out);
#endif

}  // namespace turnpoint::kernels
