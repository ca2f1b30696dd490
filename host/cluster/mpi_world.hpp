// The MPI side of `mpirun -n N turnpoint ...` (built with TURNPOINT_MPI=ON only): whether
// this process was started by an MPI launcher, the session (MPI_Init .. MPI_Finalize) and
// the few collective steps the commands need -- counts gathered from every rank, and one
// agreed outcome when a rank fails, so that a job never half-succeeds. mpi.h stays out of
// this header: the commands that use it need no MPI include paths.
#pragma once
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <vector>

namespace turnpoint::cluster {

// True when an MPI launcher started this process (mpirun/mpiexec of OpenMPI, srun with
// PMIx, a PMI launcher): its environment says so before MPI_Init. Run by hand, an MPI build
// behaves as the one-process build.
bool launched_by_mpi();

// What a rank's failure was: its exit code (main.cpp: 2 bad input, 3 HDF5, 4 CUDA, 1
// internal) and message; code 0 = no failure.
struct RankError {
  int code = 0;
  std::string message;
  int rank = -1;  // the rank that failed (the lowest one when several did)
};
// The error an exception thrown by a command means, with main.cpp's exit codes.
RankError rank_error(const std::exception_ptr& e);

// MPI_Init on construction (unless already initialised), MPI_Finalize on destruction.
class MpiSession {
 public:
  MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  ~MpiSession();
  int rank() const { return rank_; }
  int size() const { return size_; }

  // Every rank's `values` (the same length on all), rank by rank: MPI_Allgather.
  std::vector<std::int64_t> allgather(const std::vector<std::int64_t>& values) const;
  // Rank `root`'s string on every rank.
  std::string broadcast(const std::string& value, int root = 0) const;
  // Point to point (MPI_COMM_WORLD): `bytes` bytes to rank `dest`, sent as their size and
  // then in pieces an int count can carry; receive_bytes takes the next such message from
  // `source`. Messages between two ranks with one tag arrive in the order they were sent.
  void send_bytes(const void* data, std::size_t bytes, int dest, int tag) const;
  std::vector<char> receive_bytes(int source, int tag) const;
  // Collective: the error of the lowest failing rank on every rank (code 0 when none did).
  RankError agree(const RankError& mine) const;
  // Collective: runs `step` on this rank, then agree() on its outcome (an exception is its
  // error, with main.cpp's exit code).
  RankError together(const std::function<void()>& step) const;
  // Ends the job after agree() found an error, on every rank: rank 0 prints the error as
  // main.cpp would, naming the rank, then every rank leaves (MPI_Finalize, _Exit) with its
  // exit code, so the job says it once. Like main.cpp, it leaves by _Exit: the caller
  // removes its temporaries first.
  [[noreturn]] void fail(const RankError& e);
  // Ends the whole job at once from one rank (a failure inside a collective write, where
  // the other ranks may wait for this one forever): prints this rank's message, MPI_Abort.
  [[noreturn]] void abort(const RankError& e) const;

 private:
  int rank_ = 0;
  int size_ = 1;
  bool owns_ = false;  // this session called MPI_Init
};

}  // namespace turnpoint::cluster
