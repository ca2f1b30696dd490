// Tuning numbers of the CUDA backend, kept as data in one place so that a measurement
// changes a number here and nothing else.
//
// Provenance: NONE of these has been measured on a GPU yet. The CUDA backend was written
// and compiled on a machine without a GPU (issue 3 stays blocked until a GPU run); each
// value below is a conventional starting point, and its comment says why it was chosen.
// When bench/cuda_detect_bench has run on a GPU, replace the values with measured ones and
// cite bench/RESULTS.md (device name, date) in the comment.
#pragma once
#include <cstdint>

namespace turnpoint::kernels::tuning {

// Threads per block of the one-thread-per-unit kernels (prefix sums, OP/PELT, segment
// neighbourhood, binary segmentation). 128 is the usual default for kernels with a large
// per-thread stack (the regression cost keeps a 24 x 24 matrix in local memory), which
// limits occupancy more than the block size does. Not measured.
constexpr int kThreadsPerBlock = 128;

// Fraction of the free device memory (cudaMemGetInfo at the start of a call) that one
// detect call may allocate; the rest is headroom for the CUDA context's own growth
// (local memory for deep stacks, CUB temporaries) and for other processes. Not measured.
constexpr double kDeviceMemoryFraction = 0.80;

// Fraction of the free device memory that one classify or bootstrap call
// (kernels/classify_cuda.cu, kernels/bootstrap_cuda.cu) may allocate. Lower than the
// detection's: their kernels run the split test with 35 x 35 normal equations in local
// memory, and the runtime reserves that stack for every resident thread: 17,168 bytes per
// thread for split_test_kernel and replicate_kernel (ptxas -v, sm_90, CUDA 13), x 2,048
// resident threads x 132 SMs of an H100 = 4.6 GB outside our allocation. Not measured on a
// GPU.
constexpr double kExplainMemoryFraction = 0.50;

// Most series in one chunk. Bounds the pinned host staging buffers (two sets, one per
// stream: 16384 series x 1461 days x 8 bytes = 191 MB each) and keeps at least a few chunks
// in flight for 10^5-series batches, so transfers of one chunk overlap compute of the
// other. Not measured.
constexpr std::int64_t kMaxChunkSeries = 16384;

// Streams (and buffer sets) used to overlap one chunk's transfers with another's compute.
// Two is the minimum for overlap; more only helps when transfers dominate. Not measured.
constexpr int kStreams = 2;

}  // namespace turnpoint::kernels::tuning
