// Public interface of the numerical core: batched change-point detection over a panel.
// No CUDA or Thrust types here; backends live in detect_cpu.cpp / detect_cuda.cu.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace turnpoint {

// fpop: functional pruning (kernels/fpop.hpp), exact like op/pelt, mean cost only, CPU only.
enum class Method { op, pelt, segneigh, binseg, fpop };
enum class CostKind { mean, meanvar, poisson, regression };
enum class PenaltyKind { manual, bic, mbic, aic, hq };
enum class Backend { automatic, cpu, cuda };
// How the noise scale sigma of the mean and regression costs is set:
// mad = robust estimate from first differences (default), none = sigma 1 (raw RSS, the
// convention of ruptures' CostL2).
enum class NoiseScale { mad, none };

struct Penalty {
  PenaltyKind kind = PenaltyKind::mbic;
  double value = 0.0;  // for manual
};

// Regression basis, shared by all series of a panel (one day axis).
struct RegressionBasis {
  bool trend = true;
  int weekly = 0;
  int yearly = 0;
  std::vector<std::string> dummy_names;
  std::vector<std::uint8_t> dummies;  // [dummy_names.size()][n_time], row-major
};

struct DetectConfig {
  Method method = Method::pelt;
  CostKind cost = CostKind::mean;
  Penalty penalty{};
  int max_changes = 10;  // segneigh: K = 0..max; binseg: cap; op/pelt/fpop: not used
  int min_size = 2;
  NoiseScale noise = NoiseScale::mad;
  RegressionBasis basis{};
  // CROPS (Haynes et al. 2017): with crops_max > crops_min >= 0, every optimal PELT
  // segmentation for penalties in [crops_min, crops_max] (manual penalties, no MBIC term).
  double crops_min = -1.0;
  double crops_max = -1.0;
};

// One optimal segmentation on the CROPS path: optimal for penalties in [pen_lo, pen_hi].
struct CropsSegmentation {
  double pen_lo = 0.0;
  double pen_hi = 0.0;
  double cost = 0.0;  // unpenalised
  std::vector<int> changes;
};

enum class SeriesStatus : std::int8_t { ok = 0, constant = 1, empty = 2 };

struct SeriesDetection {
  SeriesStatus status = SeriesStatus::ok;
  std::vector<int> changes;     // ascending; first day of each new segment
  std::vector<double> gains;    // per change: C(prev, next) - C(prev, t) - C(t, next)
  double cost = 0.0;            // sum of segment costs of the chosen segmentation
  double penalty = 0.0;         // the penalty value used (per change)
  double sigma = 1.0;           // noise scale used by mean/regression costs
  int n_valid = 0;              // non-missing days
  // segneigh: best cost for K = 0..max_changes and the changes of each (path[K]);
  // binseg: the same for the greedy path.
  std::vector<double> path_cost;
  std::vector<std::vector<int>> path;
  std::vector<CropsSegmentation> crops;  // by decreasing number of changes
};

struct DetectResult {
  std::vector<SeriesDetection> series;
  Backend backend_used = Backend::cpu;
};

// Penalty per change, as R's changepoint package defines it (docs/penalties.md):
// n = number of non-missing days, d = parameters that change at a turning point.
double penalty_value(const Penalty& p, int n, int d);

// Number of parameters that change at a turning point for the cost (R's diffparam).
int changing_parameters(const DetectConfig& config);

// The exact solver `--method auto` stands for: fpop for the mean cost on the CPU (the same
// answers as pelt and op, faster on every workload measured: bench/RESULTS.md, "fpop"), pelt
// otherwise (other costs, CROPS, --backend cuda).
Method auto_method(const DetectConfig& config, Backend backend);

// Detects the turning points of every series. values: [n_series][n_time], NaN = missing;
// days: [n_time] days since 1970-01-01 (used by the regression basis).
DetectResult detect(const double* values, std::int64_t n_series, int n_time,
                    const std::int32_t* days, const DetectConfig& config,
                    Backend backend = Backend::automatic);

namespace detail {
// A backend's entry point, as detect_cpu.
using BackendFn = std::function<DetectResult(const double* values, std::int64_t n_series, int n_time,
                                             const std::int32_t* days, const DetectConfig& config)>;
// Runs `backend` once per span of the panel's series (kernels/series_prep.hpp span_groups),
// each group's series cut to their own span, and puts the results back in panel order with
// days of the panel: how a backend whose batches share one series length (CUDA) segments a
// series padded with missing days exactly as the same series alone.
DetectResult detect_by_span(const double* values, std::int64_t n_series, int n_time,
                            const std::int32_t* days, const DetectConfig& config, const BackendFn& backend);
DetectResult detect_cpu(const double* values, std::int64_t n_series, int n_time,
                        const std::int32_t* days, const DetectConfig& config);
#if defined(TURNPOINT_HAVE_CUDA)
DetectResult detect_cuda(const double* values, std::int64_t n_series, int n_time,
                         const std::int32_t* days, const DetectConfig& config);
bool cuda_usable();
#endif
}  // namespace detail

// Names, for the CLI, /config and messages.
const char* to_string(Method m);
const char* to_string(CostKind c);
const char* to_string(Backend b);
const char* to_string(SeriesStatus s);
std::string to_string(const Penalty& p);
Method parse_method(const std::string& s);
CostKind parse_cost(const std::string& s);
Backend parse_backend(const std::string& s);
Penalty parse_penalty(const std::string& s);

}  // namespace turnpoint
