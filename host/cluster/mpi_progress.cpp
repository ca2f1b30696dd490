#include "host/cluster/mpi_progress.hpp"

#include <cstdio>
#include <deque>
#include <vector>
#include <stdexcept>

#include <fmt/format.h>
#include <mpi.h>

namespace turnpoint::cluster {

namespace {

constexpr int kProgressTag = 7301;  // distinct from every other tag of the cluster code

void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) throw std::runtime_error(fmt::format("MPI: {} failed (code {})", what, rc));
}

}  // namespace

// A deque: its elements stay where they are as it grows (each is a send's buffer until the
// send completes); the requests are plain handles, copied freely.
struct JobProgress::Sends {
  std::deque<std::int64_t> values;
  std::vector<MPI_Request> requests;
};

JobProgress::JobProgress(const MpiSession& mpi, std::string label, std::string unit, std::int64_t total,
                         bool quiet)
    : mpi_(mpi), label_(std::move(label)), unit_(std::move(unit)), total_(total), quiet_(quiet),
      sends_(std::make_unique<Sends>()) {}

JobProgress::~JobProgress() {
  // Not closed (an error on the way): the sends complete on their own (MPI_Request_free).
  for (MPI_Request& r : sends_->requests)
    if (r != MPI_REQUEST_NULL) MPI_Request_free(&r);
}

void JobProgress::add(std::int64_t n) {
  if (mpi_.rank() != 0) {
    sends_->values.push_back(n);
    sends_->requests.push_back(MPI_REQUEST_NULL);
    check(MPI_Isend(&sends_->values.back(), 1, MPI_INT64_T, 0, kProgressTag, MPI_COMM_WORLD,
                    &sends_->requests.back()),
          "MPI_Isend");
    return;
  }
  done_ += n;
  drain();
  report();
}

// Rank 0: every count that has arrived so far.
void JobProgress::drain() {
  for (;;) {
    int flag = 0;
    MPI_Status status;
    check(MPI_Iprobe(MPI_ANY_SOURCE, kProgressTag, MPI_COMM_WORLD, &flag, &status), "MPI_Iprobe");
    if (!flag) break;
    std::int64_t n = 0;
    check(MPI_Recv(&n, 1, MPI_INT64_T, status.MPI_SOURCE, kProgressTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
          "MPI_Recv");
    done_ += n;
    ++received_;
  }
}

void JobProgress::report() {
  if (quiet_ || total_ <= 0) return;
  const auto tenths = static_cast<int>(10 * done_ / total_);
  if (tenths <= tenths_ || tenths >= 10) return;  // the last tenth is the job's summary line
  tenths_ = tenths;
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(stderr, "turnpoint %s: %d0 %% of the job (%lld of %lld %s, all ranks), %.1f s\n", label_.c_str(),
               tenths, static_cast<long long>(done_), static_cast<long long>(total_), unit_.c_str(), secs);
  std::fflush(stderr);
}

void JobProgress::close() {
  if (closed_) return;
  closed_ = true;
  // How many counts each rank sent: rank 0 takes exactly the ones still on their way.
  const std::vector<std::int64_t> sent = mpi_.allgather({static_cast<std::int64_t>(sends_->values.size())});
  if (mpi_.rank() == 0) {
    std::int64_t expected = 0;
    for (const std::int64_t k : sent) expected += k;
    while (received_ < expected) {
      std::int64_t n = 0;
      check(MPI_Recv(&n, 1, MPI_INT64_T, MPI_ANY_SOURCE, kProgressTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
            "MPI_Recv");
      done_ += n;
      ++received_;
    }
  } else if (!sends_->requests.empty()) {
    check(MPI_Waitall(static_cast<int>(sends_->requests.size()), sends_->requests.data(), MPI_STATUSES_IGNORE),
          "MPI_Waitall");
  }
}

}  // namespace turnpoint::cluster
