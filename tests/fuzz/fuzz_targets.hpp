// The fuzz targets of every parser of outside input (docs/reliability.md), one function per
// target. Each takes the bytes of one input and returns normally when turnpoint either
// accepts it or refuses it the documented way (invalid_input: exit 2, hdf5_error: exit 3);
// any other exception, a crash or a sanitizer report is a finding. The same functions run
// two ways:
//   * under libFuzzer: tests/fuzz/fuzz_main.cpp, one executable per target, built with -DTURNPOINT_FUZZ=ON
//     (clang, ASan + UBSan), run by tools/fuzz.sh and by the last step of .ci/run;
//   * over the seed corpus and every past finding (tests/fuzz/corpus/<target>/ and
//     tests/fuzz/regressions/<target>/) as the ordinary ctest fuzz_regressions_test, in
//     every build (plain and sanitized), so that a fixed crash stays fixed.
// Parsers that read a path get the bytes through a file in a per-process temporary folder.
#pragma once
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <hdf5.h>

#include "host/catalogue/catalogue.hpp"
#include "host/catalogue/plan_import.hpp"
#include "host/catalogue/policy_csv_import.hpp"
#include "host/catalogue/seed_import.hpp"
#include "host/core/detections.hpp"
#include "host/explain/holidays.hpp"
#include "host/io/csv_import.hpp"
#include "host/io/detections_io.hpp"
#include "host/io/series_io.hpp"
#include "host/io/truth_io.hpp"
#include "host/sweep/sweep_grid.hpp"
#include "kernels/error.hpp"

namespace turnpoint::fuzz {

// An exception that is not one of turnpoint's documented refusals: the CLI would answer
// "internal error" (exit 1) to a bad file, which the rules forbid.
struct finding : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Runs `parse`; the documented refusals are fine, anything else becomes a `finding`.
template <class F>
void expect_clean(const char* target, F&& parse) {
  try {
    parse();
  } catch (const invalid_input&) {
  } catch (const hdf5_error&) {
  } catch (const finding&) {
    throw;
  } catch (const std::exception& e) {
    throw finding(std::string(target) + ": undocumented exception: " + e.what());
  } catch (...) {
    throw finding(std::string(target) + ": undocumented non-std exception");
  }
}

inline std::string text_of(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// A per-process scratch folder (on /dev/shm when there is one: fuzzing writes a file per
// input), removed at exit.
class Scratch {
 public:
  static Scratch& get() {
    static Scratch s;
    return s;
  }
  std::string write(const std::string& name, const std::uint8_t* data, std::size_t size) {
    const std::string p = dir_ + "/" + name;
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return p;
  }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

 private:
  Scratch() {
    namespace fs = std::filesystem;
    const fs::path base = fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    std::string pattern = (base / "turnpoint-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    dir_ = pattern;
  }
  std::string dir_;
};

// After an HDF5 file was read (accepted or refused), turnpoint must have closed every
// object it opened. (Memory HDF5 itself keeps after a refused corrupt file is HDF5's, and
// tools/fuzz.sh tells LeakSanitizer to ignore allocations made inside libhdf5: this check
// is what catches an id that turnpoint forgot to close.)
inline void expect_all_hdf5_closed(const char* target) {
  const ssize_t open = H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL);
  if (open != 0) {
    std::vector<hid_t> ids(static_cast<std::size_t>(open > 0 ? open : 0));
    if (open > 0) H5Fget_obj_ids(H5F_OBJ_ALL, H5F_OBJ_ALL, ids.size(), ids.data());
    for (hid_t id : ids)  // closed, not to report the same ids again for every later input
      while (H5Iis_valid(id) > 0 && H5Idec_ref(id) > 0) {
      }
    throw finding(std::string(target) + ": " + std::to_string(open) + " HDF5 object(s) left open");
  }
}

// ---- the targets ------------------------------------------------------------------------

// CSV import, every format (Carbon Monitor, long, Cui; told apart by the header). The first
// byte picks the options, the rest is the file.
inline void csv_import(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return;
  ImportOptions options;
  options.allow_unknown_regions = (data[0] & 1) != 0;
  const std::string path = Scratch::get().write("input.csv", data + 1, size - 1);
  expect_clean("csv_import", [&] {
    const Panel p = import_csv({path}, options);
    // What import accepts, series.h5 must be able to hold.
    if (p.values.size() != static_cast<std::size_t>(p.n_series()) * p.time.size())
      throw finding("csv_import: panel shape disagrees with its values");
  });
}

// series.h5 reader (and the truth reader of `eval --truth`, which reads the same files).
// A file it accepts must survive write_series -> read_series.
inline void series_h5(const std::uint8_t* data, std::size_t size) {
  const std::string path = Scratch::get().write("series.h5", data, size);
  expect_clean("series_h5", [&] {
    const Panel p = read_series(path);
    const std::string again = Scratch::get().path("series-again.h5");
    write_series(again, p);
    const Panel q = read_series(again);
    if (q.series_id != p.series_id || q.time != p.time || q.values.size() != p.values.size())
      throw finding("series_h5: a panel read back differs from the one written");
  });
  expect_clean("series_h5 (truth)", [&] { (void)read_truth(path); });
  expect_all_hdf5_closed("series_h5");
}

// detections.h5 reader. A set it accepts must survive write_detections -> read_detections.
inline void detections_h5(const std::uint8_t* data, std::size_t size) {
  const std::string path = Scratch::get().write("detections.h5", data, size);
  expect_clean("detections_h5", [&] {
    const DetectionSet d = read_detections(path);
    const std::string again = Scratch::get().path("detections-again.h5");
    write_detections(again, d);
    const DetectionSet e = read_detections(again);
    if (e.points.size() != d.points.size() || e.series_id != d.series_id)
      throw finding("detections_h5: a set read back differs from the one written");
  });
  expect_all_hdf5_closed("detections_h5");
}

// Catalogue JSONL (strict and lenient). What it accepts must parse back from its own JSONL.
inline void catalogue_jsonl(const std::uint8_t* data, std::size_t size) {
  const std::string text = text_of(data, size);
  expect_clean("catalogue_jsonl", [&] {
    std::vector<CatalogueProblem> problems;
    (void)parse_catalogue(text, "fuzz.jsonl", &problems, true);
  });
  expect_clean("catalogue_jsonl", [&] {
    const Catalogue c = parse_catalogue(text, "fuzz.jsonl");
    const Catalogue back = parse_catalogue(catalogue_to_jsonl(c), "round-trip.jsonl");
    if (back.entries.size() != c.entries.size())
      throw finding("catalogue_jsonl: its own JSONL parses back to a different number of entries");
    int removed = 0;
    (void)merge_catalogues({c, back}, &removed);
  });
}

// Seed report (Markdown) import, and the records made from it.
inline void seed_report(const std::uint8_t* data, std::size_t size) {
  const std::string text = text_of(data, size);
  expect_clean("seed_report", [&] {
    SeedReport r = parse_seed_report(text, "fuzz.md");
    (void)seed_report_to_entries(r);
  });
}

// Plan text import: once with nothing given (the text must state date and region), once
// with both given.
inline void plan_text(const std::uint8_t* data, std::size_t size) {
  const std::string text = text_of(data, size);
  expect_clean("plan_text", [&] { (void)import_plan_text(text, "fuzz.txt", PlanImportOptions{}); });
  expect_clean("plan_text", [&] {
    PlanImportOptions o;
    o.date = PolicyDate::of_month(2021, 12);
    o.region = "Gansu";
    (void)import_plan_text(text, "fuzz.txt", o);
  });
}

// Policy CSV import.
inline void policy_csv(const std::uint8_t* data, std::size_t size) {
  const std::string text = text_of(data, size);
  expect_clean("policy_csv", [&] { (void)import_policy_csv(text, "fuzz.csv"); });
}

// Holiday files, and their regressors on a short axis around the dates they name.
inline void holidays(const std::uint8_t* data, std::size_t size) {
  const std::string path = Scratch::get().write("holidays.csv", data, size);
  expect_clean("holidays", [&] {
    const std::vector<Holiday> h = read_holiday_file(path);
    std::vector<std::int32_t> axis;
    if (!h.empty())
      for (std::int32_t d = h.front().day - 3; d <= h.front().day + 3; ++d) axis.push_back(d);
    const HolidayRegressors r = holiday_regressors(h, axis);
    if (r.dummies.size() != r.names.size() * axis.size())
      throw finding("holidays: regressor matrix has the wrong size");
  });
}

// Sweep grid (TOML subset or JSON), and the detection settings of every scenario.
inline void sweep_grid(const std::uint8_t* data, std::size_t size) {
  const std::string text = text_of(data, size);
  expect_clean("sweep_grid", [&] {
    const SweepGrid g = parse_grid_text(text, "fuzz.toml");
    std::size_t n = 1;
    for (std::size_t k : {g.method.size(), g.cost.size(), g.penalty.size(), g.min_size.size(),
                          g.max_changes.size()})
      n *= k;
    if (n > 100000) return;  // the product of long lists: not worth materialising
    for (const Scenario& s : g.scenarios()) (void)s.config();
    (void)g.canonical_json();
  });
}

struct Target {
  const char* name;
  void (*run)(const std::uint8_t*, std::size_t);
};

inline const std::vector<Target>& targets() {
  static const std::vector<Target> all = {
      {"csv_import", csv_import},   {"series_h5", series_h5},   {"detections_h5", detections_h5},
      {"catalogue_jsonl", catalogue_jsonl}, {"seed_report", seed_report}, {"plan_text", plan_text},
      {"policy_csv", policy_csv},   {"holidays", holidays},     {"sweep_grid", sweep_grid},
  };
  return all;
}

}  // namespace turnpoint::fuzz
