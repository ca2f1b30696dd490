// The whole job's progress, said by rank 0 (built with TURNPOINT_MPI=ON only): every rank
// tells rank 0 how many series (or scenarios) it finished (small non-blocking messages: no rank waits for
// another), and rank 0, each time it counts its own, prints a line on stderr when the job
// passed another tenth of its series -- plain lines, since a launcher's stderr is a pipe,
// not a terminal that a progress bar could redraw. mpi.h stays out of this header.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "host/cluster/mpi_world.hpp"

namespace turnpoint::cluster {

class JobProgress {
 public:
  // `label`: the command ("detect"); `total`: the job's `unit`s ("series", "scenarios");
  // `quiet`: count, print nothing.
  JobProgress(const MpiSession& mpi, std::string label, std::string unit, std::int64_t total, bool quiet);
  void set_total(std::int64_t total) { total_ = total; }
  JobProgress(const JobProgress&) = delete;
  JobProgress& operator=(const JobProgress&) = delete;
  ~JobProgress();
  // This rank finished `n` more units.
  void add(std::int64_t n);
  // Collective, after every rank's last add: rank 0 takes the messages still on their way,
  // every rank completes its sends.
  void close();

 private:
  void drain();
  void report();

  const MpiSession& mpi_;
  std::string label_, unit_;
  std::int64_t total_;
  bool quiet_;
  std::int64_t done_ = 0;      // rank 0: series finished by every rank, as heard so far
  std::int64_t received_ = 0;  // rank 0: messages taken
  int tenths_ = 0;             // rank 0: the last tenth said
  struct Sends;                  // other ranks: the counts sent and their requests (mpi.h types)
  std::unique_ptr<Sends> sends_;
  bool closed_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace turnpoint::cluster
