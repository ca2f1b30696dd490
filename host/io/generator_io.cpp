#include "host/io/generator_io.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "host/core/atomic_file.hpp"
#include "kernels/error.hpp"
#include "host/io/h5_stream.hpp"
#include "host/core/progress.hpp"
#include "host/io/truth_io.hpp"

namespace turnpoint {

void generate_to_file(const GeneratorConfig& config, const std::string& path,
                      std::int64_t chunk_series, bool quiet) {
  generate_to_file(config, path, chunk_series, quiet, {});
}

void generate_to_file(const GeneratorConfig& config, const std::string& path,
                      std::int64_t chunk_series, bool quiet, const GeneratedChunk& source) {
  TURNPOINT_EXPECTS(chunk_series >= 1, "chunk size must be >= 1 (got {})", chunk_series);
  const Generator gen(config);
  AtomicFile out(path);
  {
    h5s::DeterministicFile file(out.temp_path());
    {
    const hid_t root = file.root();
    const auto n = static_cast<hsize_t>(config.n_series);
    const auto t = static_cast<hsize_t>(config.n_days);
    // The HDF5 chunk is fixed (not the generation chunk), so the file layout and bytes do
    // not depend on how many series are generated at a time.
    const hsize_t h5_chunk_rows = std::max<hsize_t>(1, std::min<hsize_t>(64, (1u << 20) / (8 * t)));
    h5s::write_vector(file, root, "time", gen.time());
    h5s::SliceWriter<double> values(file, root, "values", n, t, h5_chunk_rows);
    h5s::StringSliceWriter region(file, root, "region", n, 4096);
    h5s::StringSliceWriter sector(file, root, "sector", n, 4096);
    h5s::StringSliceWriter series_id(file, root, "series_id", n, 4096);
    TruthWriter truth(file, config.n_annotators);
    h5s::write_attr(file, root, "units", "MtCO2/day");
    h5s::write_attr(file, root, "source",
                    fmt::format("turnpoint generate --series {} --days {} --seed {} (synthetic)",
                                config.n_series, config.n_days, config.seed));
    h5s::write_attr(file, root, "generator",
                    fmt::format("{{\"seed\":{},\"series\":{},\"days\":{},\"start_day\":{},"
                                "\"missing\":{},\"max_events\":{},\"max_seasonal\":{},"
                                "\"edge_days\":{},\"min_spacing\":{},\"noise\":{},"
                                "\"annotators\":{},\"annotator_jitter\":{},"
                                "\"annotator_miss\":{}}}",
                                config.seed, config.n_series, config.n_days, config.start_day,
                                config.missing, config.max_events, config.max_seasonal,
                                config.edge_days, config.min_spacing, config.noise,
                                config.n_annotators, config.annotator_jitter,
                                config.annotator_miss));
    // The series.h5 schema of host/io/series_io.cpp. No `created` time: the same seed must give
    // the same bytes.
    h5s::write_attr(file, root, "format", "turnpoint.series");
    h5s::write_attr(file, root, "format_version", std::int64_t{1});
    h5s::write_attr(file, root, "turnpoint_version", TURNPOINT_VERSION);

    Progress progress("generate", config.n_series, quiet);
    std::vector<double> rows;
    std::vector<TruthPoint> points;
    std::vector<std::string> r, s, id;
    for (std::int64_t first = 0; first < config.n_series; first += chunk_series) {
      const std::int64_t count = std::min(chunk_series, config.n_series - first);
      rows.resize(static_cast<std::size_t>(count) * t);
      points.clear();
      if (source)
        source(first, count, rows.data(), &points);
      else
        gen.generate(first, count, rows.data(), &points);
      values.write(static_cast<hsize_t>(first), static_cast<hsize_t>(count), rows.data());
      r.clear();
      s.clear();
      id.clear();
      for (std::int64_t i = first; i < first + count; ++i) {
        r.push_back(gen.region(i));
        s.push_back(gen.sector(i));
        id.push_back(gen.series_id(i));
      }
      region.write(static_cast<hsize_t>(first), r);
      sector.write(static_cast<hsize_t>(first), s);
      series_id.write(static_cast<hsize_t>(first), id);
      truth.append(points);
      progress.update(first + count);
    }
    progress.finish();
    }  // datasets closed here, before the file
    file.close();
  }
  out.commit();
}

}  // namespace turnpoint
