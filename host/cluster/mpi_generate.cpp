#include "host/cluster/mpi_generate.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <type_traits>
#include <vector>

#include "host/cluster/mpi_placement.hpp"
#include "host/cluster/mpi_world.hpp"
#include "host/core/atomic_file.hpp"
#include "host/io/generator_io.hpp"
#include "kernels/error.hpp"

namespace turnpoint::cluster {

namespace {

static_assert(std::is_trivially_copyable_v<TruthPoint>, "truth points travel as bytes");

// Tags of the two messages per chunk (its truth points, then its values).
constexpr int kPointsTag = 1;
constexpr int kValuesTag = 2;

int owner(std::int64_t first, std::int64_t chunk_series, int ranks) {
  return static_cast<int>((first / chunk_series) % ranks);
}

// A rank other than 0: its chunks, generated and sent to rank 0 in order.
void send_chunks(const MpiSession& mpi, const Generator& gen, const GeneratorConfig& config,
                 std::int64_t chunk_series) {
  std::vector<double> rows;
  std::vector<TruthPoint> points;
  for (std::int64_t first = 0; first < config.n_series; first += chunk_series) {
    if (owner(first, chunk_series, mpi.size()) != mpi.rank()) continue;
    const std::int64_t count = std::min(chunk_series, config.n_series - first);
    rows.resize(static_cast<std::size_t>(count) * static_cast<std::size_t>(config.n_days));
    points.clear();
    gen.generate(first, count, rows.data(), &points);
    mpi.send_bytes(points.data(), points.size() * sizeof(TruthPoint), 0, kPointsTag);
    mpi.send_bytes(rows.data(), rows.size() * sizeof(double), 0, kValuesTag);
  }
}

// Rank 0: a chunk from the rank that owns it (or generated here when that is rank 0).
GeneratedChunk receive_chunks(const MpiSession& mpi, const Generator& gen, const GeneratorConfig& config,
                              std::int64_t chunk_series) {
  return [&mpi, &gen, &config, chunk_series](std::int64_t first, std::int64_t count, double* rows,
                                             std::vector<TruthPoint>* points) {
    const int from = owner(first, chunk_series, mpi.size());
    if (from == 0) {
      gen.generate(first, count, rows, points);
      return;
    }
    const std::vector<char> p = mpi.receive_bytes(from, kPointsTag);
    TURNPOINT_EXPECTS(p.size() % sizeof(TruthPoint) == 0, "rank {} sent {} bytes of truth points", from, p.size());
    const std::size_t n_points = p.size() / sizeof(TruthPoint);
    const std::size_t at = points->size();
    points->resize(at + n_points);
    if (n_points > 0) std::memcpy(points->data() + at, p.data(), p.size());
    const std::vector<char> v = mpi.receive_bytes(from, kValuesTag);
    const std::size_t expected = static_cast<std::size_t>(count) * static_cast<std::size_t>(config.n_days) * sizeof(double);
    TURNPOINT_EXPECTS(v.size() == expected, "rank {} sent {} bytes of values for series {}..{}, not {}", from,
                      v.size(), first, first + count, expected);
    std::memcpy(rows, v.data(), v.size());
  };
}

}  // namespace

void mpi_generate(const GeneratorConfig& config, const std::string& output, std::int64_t chunk_series,
                  bool quiet) {
  MpiSession mpi;
  const JobPlacement placed = place_ranks(mpi, false);  // the generator runs on the CPU
  if (mpi.rank() == 0 && !quiet)
    std::fprintf(stderr, "turnpoint generate: MPI placement: %s\n", placed.summary.c_str());
  // Everything that can be refused is refused before the chunks flow, on every rank at once.
  std::vector<Generator> gen;  // constructed only if the settings are valid
  const RankError refused = mpi.together([&] {
    TURNPOINT_EXPECTS(chunk_series >= 1, "chunk size must be >= 1 (got {})", chunk_series);
    gen.emplace_back(config);
    if (mpi.rank() == 0) {
      const AtomicFile probe(output);  // the folder exists and takes a file (removed unused)
    }
  });
  if (refused.code != 0) mpi.fail(refused);

  try {
    if (mpi.rank() == 0)
      generate_to_file(config, output, chunk_series, quiet, receive_chunks(mpi, gen.front(), config, chunk_series));
    else
      send_chunks(mpi, gen.front(), config, chunk_series);
  } catch (...) {
    // The other ranks may wait for this one forever (a send, a receive): end the job. The
    // writer's temporary is gone by now (AtomicFile, unwound).
    mpi.abort(rank_error(std::current_exception()));
  }
  if (const RankError e = mpi.agree({}); e.code != 0) mpi.fail(e);
}

}  // namespace turnpoint::cluster
