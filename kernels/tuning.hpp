// Tuning numbers of the CUDA backend, kept as data in one place so that a measurement
// changes a number here and nothing else.
//
// Provenance: NONE of these has been measured on a GPU yet. The CUDA backend was written
// and compiled on machines without a GPU (no device was lent to the sessions of issues 3,
// 4 and 16); each value below is a starting point chosen by reasoning, and its comment says
// which reasoning. When bench/gpu/run.sh has run on a GPU, replace the values with measured
// ones and cite bench/RESULTS.md (device name, date) in the comment. The first candidates to
// measure are marked "measure first".
#pragma once
#include <cstdint>

namespace turnpoint::kernels::tuning {

// ---- detection (kernels/detect_cuda.cu) ----------------------------------------------

// Threads per block of the one-thread-per-series prefix-sum kernel. Its stack is small for
// the mean, mean-variance and Poisson costs (one instantiation per cost now); 128 is the
// usual default. Not measured.
constexpr int kThreadsPerBlock = 128;

// PELT: warps (= series) per block. Four warps of 32 give 128 threads and, with
// kPeltSharedCandidates, 4 x 256 x 24 bytes = 24 KB of shared memory per block: up to 9
// blocks (36 warps) per H100 SM by shared memory; registers decide the rest. Not measured:
// measure first (2, 4, 8).
constexpr int kPeltWarpsPerBlock = 4;

// PELT: candidates per warp kept in shared memory (24 bytes each: t, F[t], kill step, value);
// more live candidates spill to the series' global-memory overflow. Live candidates counted
// on the CPU (serial PELT, mean cost, MBIC, 1,461 days; bench/README.md, 2026-11-27): real
// panel 28 on average (more than 256 in 1 % of the steps), the bench's synthetic panel 185
// (25 % of the steps), at most 862; series with no change keep up to n. GPU speed for the
// value: not measured, measure first (128, 256, 512).
constexpr int kPeltSharedCandidates = 256;

// OP (no pruning): threads of the block that owns one series; every step evaluates all
// s - 2m + 2 candidates, so a block keeps its threads busy from s ~ 128 on. Not measured.
constexpr int kOpThreads = 128;

// Segment neighbourhood: threads of the block that owns one series (8 warps: 8 slices of t
// for each lane's s). Its per-thread running minima take kmax x 256 x 12 bytes of shared
// memory (30 KB for K = 10), which must stay under kSegNeighSharedBytes, else they go to
// global memory. Not measured: measure first (128, 256, 512).
constexpr int kSegNeighThreads = 256;

// Shared memory a segment-neighbourhood block may use without the opt-in attribute (the
// 48 KB every CUDA device grants a block by default).
constexpr int kSegNeighSharedBytes = 48 * 1024;

// Binary segmentation: warps (= series) per block. Not measured.
constexpr int kBinsegWarpsPerBlock = 4;

// Fraction of the free device memory (cudaMemGetInfo at the start of a call) that one
// detect call may allocate; the rest is headroom for the CUDA context's own growth
// (local memory for deep stacks, CUB temporaries) and for other processes. Not measured.
constexpr double kDeviceMemoryFraction = 0.80;

// Chunks: a batch is split by device memory only, and, when it is large, into at least
// kPipelineChunks chunks so that one chunk's transfers and host work overlap another's
// kernels (two streams). A chunk never gets fewer than kFillSeries series unless the batch
// is smaller: 132 SMs x 64 resident warps = 8,448 warps on an H100, one series per warp.
// Not measured.
constexpr int kPipelineChunks = 4;
constexpr std::int64_t kFillSeries = 8448;

// Streams (and buffer sets) used to overlap one chunk's transfers with another's compute.
// Two is the minimum for overlap; more only helps when transfers dominate. Not measured.
constexpr int kStreams = 2;

// ---- explanation (kernels/classify_cuda.cu, kernels/bootstrap_cuda.cu) -----------------

// Most series in one chunk of the explanation launchers (one thread per series or per
// series x replicate; issue 4). Bounds their pinned staging buffers. Not measured.
constexpr std::int64_t kMaxChunkSeries = 16384;

// Fraction of the free device memory that one classify or bootstrap call
// (kernels/classify_cuda.cu, kernels/bootstrap_cuda.cu) may allocate. Lower than the
// detection's: their kernels run the split test with 35 x 35 normal equations in local
// memory, and the runtime reserves that stack for every resident thread: 17,168 bytes per
// thread for split_test_kernel and replicate_kernel (ptxas -v, sm_90, CUDA 13), x 2,048
// resident threads x 132 SMs of an H100 = 4.6 GB outside our allocation. Not measured on a
// GPU.
constexpr double kExplainMemoryFraction = 0.50;

}  // namespace turnpoint::kernels::tuning
