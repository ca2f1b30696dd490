// Packs the real Carbon Monitor China panel (five CSV files, ~11 MB) into one binary panel
// file (~1.8 MB, bench/cm_panel.hpp) for the GPU bundle, then reads it back and checks that
// every value, day and name survived.
//   pack_cm_panel <csv folder> <output file>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "bench/cm_panel.hpp"

int main(int argc, char** argv) {
  using namespace turnpoint::bench;
  if (argc != 3) {
    std::fprintf(stderr, "usage: pack_cm_panel <carbon_monitor_china_daily folder> <output file>\n");
    return 2;
  }
  const CmPanel p = load_cm_csv(argv[1]);
  if (!p.ok()) {
    std::fprintf(stderr, "pack_cm_panel: %s\n", p.error.empty() ? "empty panel" : p.error.c_str());
    return 1;
  }
  if (!write_cm_file(p, argv[2])) {
    std::fprintf(stderr, "pack_cm_panel: cannot write %s: %s\n", argv[2], std::strerror(errno));
    return 1;
  }
  const CmPanel back = read_cm_file(argv[2]);
  bool same = back.ok() && back.n_series == p.n_series && back.n_time == p.n_time &&
              back.days == p.days && back.names == p.names && back.values.size() == p.values.size();
  for (std::size_t i = 0; same && i < p.values.size(); ++i)  // NaN == NaN here: compare bits
    same = std::memcmp(&p.values[i], &back.values[i], sizeof(double)) == 0;
  if (!same) {
    std::fprintf(stderr, "pack_cm_panel: %s does not read back as written (%s)\n", argv[2],
                 back.error.c_str());
    return 1;
  }
  std::printf("pack_cm_panel: %lld series x %d days -> %s\n",
              static_cast<long long>(p.n_series), p.n_time, argv[2]);
  return 0;
}
