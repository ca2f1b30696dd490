// The CUDA runtime side of kernels/device_select.hpp.
#include "kernels/cuda_check.hpp"

namespace turnpoint::detail {

int cuda_device_count_runtime() {
  int count = 0;
  // Without a driver or a device this is an error code, not a failure: no device.
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    (void)cudaGetLastError();
    return 0;
  }
  return count;
}

void cuda_set_device(int device) {
  TURNPOINT_CUDA_TRY_AS(cudaSetDevice(device), "selecting this rank's GPU (cudaSetDevice)");
}

}  // namespace turnpoint::detail
