#include "host/cluster/mpi_world.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>
#include <mpi.h>

#include "kernels/error.hpp"

namespace turnpoint::cluster {

namespace {

void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) throw std::runtime_error(fmt::format("MPI: {} failed (code {})", what, rc));
}

}  // namespace

bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"})
    if (const char* s = std::getenv(v); s && *s) return true;
  return false;
}

RankError rank_error(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const invalid_input& x) {
    return {2, x.what()};
  } catch (const hdf5_error& x) {
    return {3, x.what()};
  } catch (const cuda_error& x) {
    return {4, x.what()};
  } catch (const std::exception& x) {
    return {1, x.what()};
  } catch (...) {
    return {1, "unknown exception"};
  }
}

MpiSession::MpiSession() {
  int initialised = 0;
  check(MPI_Initialized(&initialised), "MPI_Initialized");
  if (!initialised) {
    check(MPI_Init(nullptr, nullptr), "MPI_Init");
    owns_ = true;
  }
  check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "MPI_Comm_rank");
  check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "MPI_Comm_size");
}

MpiSession::~MpiSession() {
  int finalised = 0;
  MPI_Finalized(&finalised);
  if (owns_ && !finalised) MPI_Finalize();
}

namespace {
// Buffers move in pieces an int count can carry (the weights of 10^9 series are 8 GB):
// `move(offset, bytes)` for each piece of a `size`-byte buffer.
template <class Move>
void in_pieces(std::size_t size, Move&& move) {
  constexpr std::size_t kPieceBytes = std::size_t{1} << 30;  // < INT_MAX
  for (std::size_t done = 0; done < size; done += kPieceBytes)
    move(done, static_cast<int>(std::min(kPieceBytes, size - done)));
}
}  // namespace

std::vector<std::int64_t> MpiSession::allgather(const std::vector<std::int64_t>& values) const {
  std::vector<std::int64_t> all(values.size() * static_cast<std::size_t>(size_));
  check(MPI_Allgather(values.data(), static_cast<int>(values.size()), MPI_INT64_T, all.data(),
                      static_cast<int>(values.size()), MPI_INT64_T, MPI_COMM_WORLD),
        "MPI_Allgather");
  return all;
}

std::string MpiSession::broadcast(const std::string& value, int root) const {
  std::int64_t n = static_cast<std::int64_t>(value.size());
  check(MPI_Bcast(&n, 1, MPI_INT64_T, root, MPI_COMM_WORLD), "MPI_Bcast");
  std::string out = rank_ == root ? value : std::string(static_cast<std::size_t>(n), '\0');
  in_pieces(out.size(), [&](std::size_t at, int bytes) {
    check(MPI_Bcast(out.data() + at, bytes, MPI_CHAR, root, MPI_COMM_WORLD), "MPI_Bcast");
  });
  return out;
}

void MpiSession::send_bytes(const void* data, std::size_t bytes, int dest, int tag) const {
  const auto n = static_cast<std::uint64_t>(bytes);
  check(MPI_Send(&n, 1, MPI_UINT64_T, dest, tag, MPI_COMM_WORLD), "MPI_Send");
  const char* p = static_cast<const char*>(data);
  in_pieces(bytes, [&](std::size_t at, int piece) {
    check(MPI_Send(p + at, piece, MPI_BYTE, dest, tag, MPI_COMM_WORLD), "MPI_Send");
  });
}

std::vector<char> MpiSession::receive_bytes(int source, int tag) const {
  std::uint64_t n = 0;
  check(MPI_Recv(&n, 1, MPI_UINT64_T, source, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "MPI_Recv");
  std::vector<char> out(static_cast<std::size_t>(n));
  in_pieces(out.size(), [&](std::size_t at, int piece) {
    check(MPI_Recv(out.data() + at, piece, MPI_BYTE, source, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
          "MPI_Recv");
  });
  return out;
}

RankError MpiSession::agree(const RankError& mine) const {
  int first = mine.code != 0 ? rank_ : size_;
  int lowest = size_;
  check(MPI_Allreduce(&first, &lowest, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD), "MPI_Allreduce");
  if (lowest == size_) return {};
  RankError e;
  e.rank = lowest;
  int code = mine.code;
  check(MPI_Bcast(&code, 1, MPI_INT, lowest, MPI_COMM_WORLD), "MPI_Bcast");
  e.code = code;
  e.message = broadcast(mine.message, lowest);
  return e;
}

RankError MpiSession::together(const std::function<void()>& step) const {
  RankError mine;
  try {
    step();
  } catch (...) {
    mine = rank_error(std::current_exception());
  }
  return agree(mine);
}

void MpiSession::fail(const RankError& e) {
  if (rank_ == 0) {
    // As main.cpp says an error, naming the rank; before any rank leaves: a launcher ends the
    // job when the first process exits non-zero, which could cut rank 0 short.
    const char* kind = e.code == 2 ? "error" : e.code == 3 ? "HDF5 error"
                     : e.code == 4 ? "CUDA error" : "internal error";
    std::fprintf(stderr, "turnpoint: %s: rank %d of %d: %s\n", kind, e.rank, size_, e.message.c_str());
  }
  std::fflush(nullptr);
  MPI_Barrier(MPI_COMM_WORLD);
  MPI_Finalize();
  std::_Exit(e.code);
}

void MpiSession::abort(const RankError& e) const {
  std::fprintf(stderr, "turnpoint: error: rank %d of %d: %s\n", rank_, size_, e.message.c_str());
  std::fflush(nullptr);
  MPI_Abort(MPI_COMM_WORLD, e.code != 0 ? e.code : 1);
  std::_Exit(e.code != 0 ? e.code : 1);
}

}  // namespace turnpoint::cluster
