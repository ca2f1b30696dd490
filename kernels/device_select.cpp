#include "kernels/device_select.hpp"

namespace turnpoint {

#if defined(TURNPOINT_HAVE_CUDA)
namespace detail {
// kernels/device_select_cuda.cu: the two runtime calls, kept out of this file so that it
// compiles without the CUDA headers.
int cuda_device_count_runtime();
void cuda_set_device(int device);
}  // namespace detail
#endif

int device_for_local_rank(int local_rank, int device_count) {
  if (device_count < 1 || local_rank < 0) return -1;
  return local_rank % device_count;
}

int cuda_device_count() {
#if defined(TURNPOINT_HAVE_CUDA)
  return detail::cuda_device_count_runtime();
#else
  return 0;
#endif
}

int use_cuda_device_for(int local_rank) {
  const int device = device_for_local_rank(local_rank, cuda_device_count());
#if defined(TURNPOINT_HAVE_CUDA)
  if (device >= 0) detail::cuda_set_device(device);
#endif
  return device;
}

}  // namespace turnpoint
