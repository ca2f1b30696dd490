// Backend selection: `auto` takes the GPU when the CUDA backend is compiled in and a
// device is usable, else the CPU; `cuda` without one is an error that says why.
#include <cstdio>

#include "kernels/error.hpp"
#include "kernels/detect.hpp"

namespace turnpoint {

Method auto_method(const DetectConfig& config, Backend backend) {
  const bool crops = config.crops_max >= 0.0 || config.crops_min >= 0.0;
  const bool fpop = config.cost == CostKind::mean && !crops && backend != Backend::cuda;
  return fpop ? Method::fpop : Method::pelt;
}

DetectResult detect(const double* values, std::int64_t n_series, int n_time,
                    const std::int32_t* days, const DetectConfig& config, Backend backend) {
  TURNPOINT_EXPECTS(n_series >= 0 && n_time >= 0, "bad panel shape {} x {}", n_series, n_time);
  // FPOP has no CUDA path: its envelope of intervals is a serial, branchy list walk.
  TURNPOINT_EXPECTS(config.method != Method::fpop || backend != Backend::cuda,
                    "--method fpop runs on the CPU only (use --backend cpu or auto)");
  if (config.method == Method::fpop) return detail::detect_cpu(values, n_series, n_time, days, config);
#if defined(TURNPOINT_HAVE_CUDA)
  if (backend == Backend::cuda) {
    TURNPOINT_EXPECTS(detail::cuda_usable(), "--backend cuda: no usable CUDA device");
    return detail::detect_cuda(values, n_series, n_time, days, config);
  }
  if (backend == Backend::automatic && detail::cuda_usable())
    return detail::detect_cuda(values, n_series, n_time, days, config);
#else
  TURNPOINT_EXPECTS(backend != Backend::cuda,
                    "--backend cuda: this build of turnpoint has no CUDA backend "
                    "(configure with -DTURNPOINT_CUDA=ON where nvcc is installed)");
#endif
  return detail::detect_cpu(values, n_series, n_time, days, config);
}

}  // namespace turnpoint
