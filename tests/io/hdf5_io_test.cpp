// series.h5 / detections.h5 round trips, validation errors, corrupt files and atomic writes
// (host/io/series_io.hpp, host/io/detections_io.hpp, host/io/hdf5.hpp, host/core/atomic_file.hpp).
// Expected values are the inputs typed in here; the files are also checked with the raw
// HDF5 C API (an independent reader of the attributes and the layout).
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include <gtest/gtest.h>
#include <hdf5.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/core/atomic_file.hpp"
#include "host/core/dates.hpp"
#include "host/io/detections_io.hpp"
#include "kernels/error.hpp"
#include "host/io/hdf5.hpp"
#include "host/io/series_io.hpp"
#include "tests/testing.hpp"

namespace turnpoint {
namespace {

namespace fs = std::filesystem;

class Hdf5Io : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return tmp_.path(name); }
  std::size_t files_in_dir() const { return tmp_.file_count(); }

  static Panel small_panel() {
    Panel p;
    p.time = {18262, 18263, 18264};  // 2020-01-01..03
    p.values = {1.5, std::nan(""), -2.25, 0.0, 1e-300, 7.0};
    p.region = {"Hubei", "内蒙古"};
    p.sector = {"Industry", "Power"};
    p.series_id = {"Hubei/Industry", "Inner Mongolia/Power"};
    p.units = "MtCO2/day";
    p.source = "hand-written test panel";
    return p;
  }

  testing::TempDir tmp_;
};

template <class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

void expect_same_panel(const Panel& a, const Panel& b) {
  EXPECT_EQ(a.time, b.time);
  ASSERT_EQ(a.values.size(), b.values.size());
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    if (std::isnan(a.values[i])) EXPECT_TRUE(std::isnan(b.values[i])) << i;
    else EXPECT_EQ(a.values[i], b.values[i]) << i;
  }
  EXPECT_EQ(a.region, b.region);
  EXPECT_EQ(a.sector, b.sector);
  EXPECT_EQ(a.series_id, b.series_id);
  EXPECT_EQ(a.units, b.units);
  EXPECT_EQ(a.source, b.source);
}

TEST_F(Hdf5Io, SeriesRoundTrip) {
  const Panel p = small_panel();
  write_series(path("s.h5"), p);
  expect_same_panel(p, read_series(path("s.h5")));
  EXPECT_EQ(files_in_dir(), 1u);  // no temporary left behind
}

TEST_F(Hdf5Io, SeriesLayoutSeenByTheCApi) {
  write_series(path("s.h5"), small_panel());
  hid_t f = H5Fopen(path("s.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  hid_t d = H5Dopen2(f, "values", H5P_DEFAULT);
  hid_t dcpl = H5Dget_create_plist(d);
  EXPECT_EQ(H5Pget_layout(dcpl), H5D_CHUNKED);
  hsize_t chunk[2] = {0, 0};
  EXPECT_EQ(H5Pget_chunk(dcpl, 2, chunk), 2);
  EXPECT_EQ(chunk[0], 2u);  // min(64, N)
  EXPECT_EQ(chunk[1], 3u);  // whole series
  hid_t t = H5Dget_type(d);
  EXPECT_EQ(H5Tget_class(t), H5T_FLOAT);
  EXPECT_EQ(H5Tget_size(t), 8u);
  H5Tclose(t);
  H5Pclose(dcpl);
  H5Dclose(d);
  hid_t r = H5Dopen2(f, "region", H5P_DEFAULT);
  hid_t rt = H5Dget_type(r);
  EXPECT_TRUE(H5Tis_variable_str(rt) > 0);
  EXPECT_EQ(H5Tget_cset(rt), H5T_CSET_UTF8);
  H5Tclose(rt);
  H5Dclose(r);
  H5Fclose(f);

  const h5::File file = h5::File::open(path("s.h5"));
  EXPECT_EQ(h5::read_attr_string(file, "format"), "turnpoint.series");
  EXPECT_EQ(h5::read_attr_int(file, "format_version"), 1);
  EXPECT_EQ(h5::read_attr_string(file, "turnpoint_version"), TURNPOINT_VERSION);
  const std::string created = h5::read_attr_string(file, "created");
  EXPECT_EQ(created.size(), 20u);
  EXPECT_EQ(created.back(), 'Z');
}

TEST_F(Hdf5Io, ReadSeriesIgnoresUnknownGroups) {
  const Panel p = small_panel();
  write_series(path("s.h5"), p);
  {  // what the scenario generator may add
    hid_t f = H5Fopen(path("s.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(f, 0);
    hid_t g = H5Gcreate2(f, "truth", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(g, 0);
    H5Gclose(g);
    H5Fclose(f);
  }
  expect_same_panel(p, read_series(path("s.h5")));
}

TEST_F(Hdf5Io, WriteSeriesRejectsBadPanels) {
  Panel p = small_panel();
  p.series_id[1] = p.series_id[0];
  EXPECT_NE(message_of([&] { write_series(path("s.h5"), p); }).find("duplicate series id 'Hubei/Industry'"),
            std::string::npos);
  p = small_panel();
  p.time[2] = p.time[1];
  EXPECT_NE(message_of([&] { write_series(path("s.h5"), p); }).find("/time is not a regular axis"),
            std::string::npos);
  p = small_panel();
  p.values.pop_back();
  EXPECT_NE(message_of([&] { write_series(path("s.h5"), p); }).find("/values has 5 elements"),
            std::string::npos);
  EXPECT_EQ(files_in_dir(), 0u);
}

// Writes a file in the series layout whose content breaks one rule, with the wrappers.
void write_raw_series(const std::string& file, const std::vector<std::int32_t>& time,
                      hsize_t rows, const std::vector<std::string>& ids, const char* format = "turnpoint.series") {
  h5::File f = h5::File::create(file);
  h5::write(f, "time", time);
  std::vector<double> values(rows * time.size(), 1.0);
  h5::write(f, "values", values.data(), {rows, static_cast<hsize_t>(time.size())});
  h5::write_strings(f, "region", ids);
  h5::write_strings(f, "sector", ids);
  h5::write_strings(f, "series_id", ids);
  h5::write_attr_string(f, "format", format);
  h5::write_attr_int(f, "format_version", 1);
  f.close();
}

TEST_F(Hdf5Io, ReadSeriesValidatesAndNamesFileAndDataset) {
  const std::string f = path("bad.h5");
  write_raw_series(f, {5, 7, 8}, 2, {"a", "b"});
  std::string e = message_of([&] { read_series(f); });
  EXPECT_NE(e.find(f + ": /time is not a regular axis"), std::string::npos) << e;

  write_raw_series(f, {5, 6, 7}, 3, {"a", "b"});
  e = message_of([&] { read_series(f); });
  EXPECT_NE(e.find(f + ": /values has shape [3, 3], but /region has 2 entries"), std::string::npos) << e;

  write_raw_series(f, {5, 6, 7}, 2, {"a", "a"});
  e = message_of([&] { read_series(f); });
  EXPECT_NE(e.find(f + ": /series_id: duplicate series id 'a'"), std::string::npos) << e;

  write_raw_series(f, {5, 6, 7}, 2, {"a", "b"}, "something.else");
  e = message_of([&] { read_series(f); });
  EXPECT_NE(e.find(f + ": not a turnpoint series file"), std::string::npos) << e;

  {
    h5::File g = h5::File::create(f);
    h5::write_attr_string(g, "format", "turnpoint.series");
    h5::write_attr_int(g, "format_version", 1);
    h5::write(g, "time", std::vector<std::int32_t>{1, 2});
    g.close();
  }
  e = message_of([&] { read_series(f); });
  EXPECT_NE(e.find(f + ": dataset /values is missing"), std::string::npos) << e;

  {
    h5::File g = h5::File::create(f);
    h5::write_attr_string(g, "format", "turnpoint.series");
    h5::write_attr_int(g, "format_version", 1);
    h5::write_strings(g, "time", {"2020-01-01"});
    g.close();
  }
  e = message_of([&] { read_series(f); });
  EXPECT_NE(e.find(f + ": dataset /time holds string values, expected integer"), std::string::npos) << e;
}

TEST_F(Hdf5Io, RandomBytesAreNotAnHdf5File) {
  const std::string f = path("random.h5");
  std::mt19937 rng(42);
  std::ofstream out(f, std::ios::binary);
  for (int i = 0; i < 4096; ++i) out.put(static_cast<char>(rng() & 0xff));
  out.close();
  try {
    read_series(f);
    FAIL() << "no error";
  } catch (const invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find(f + ": not an HDF5 file"), std::string::npos) << e.what();
  }
}

TEST_F(Hdf5Io, TruncatedFileIsReportedWithItsName) {
  Panel p = small_panel();
  // A bigger panel so that the data lies well past the superblock.
  p.time.resize(400);
  for (std::size_t t = 0; t < p.time.size(); ++t) p.time[t] = 18262 + static_cast<std::int32_t>(t);
  p.values.assign(2 * p.time.size(), 0.5);
  write_series(path("full.h5"), p);
  const std::string f = path("cut.h5");
  fs::copy_file(path("full.h5"), f);
  fs::resize_file(f, fs::file_size(f) / 2);
  try {
    read_series(f);
    FAIL() << "no error";
  } catch (const hdf5_error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find(f + ": cannot open HDF5 file"), std::string::npos) << m;
    EXPECT_NE(m.find("HDF5 error stack"), std::string::npos) << m;
    EXPECT_NE(m.find("truncated"), std::string::npos) << m;  // HDF5's own diagnosis, from the stack
  }
}

TEST_F(Hdf5Io, MissingFileIsNamed) {
  const std::string f = path("absent.h5");
  EXPECT_NE(message_of([&] { read_series(f); }).find(f + ": no such file"), std::string::npos);
}

TEST_F(Hdf5Io, FailedWriteKeepsTheExistingFile) {
  const Panel old_panel = small_panel();
  write_series(path("s.h5"), old_panel);
  Panel bad = small_panel();
  bad.sector.pop_back();
  EXPECT_THROW(write_series(path("s.h5"), bad), invalid_input);
  expect_same_panel(old_panel, read_series(path("s.h5")));
  EXPECT_EQ(files_in_dir(), 1u);
}

TEST_F(Hdf5Io, FailureHalfwayThroughWritingDetectionsKeepsTheExistingFile) {
  write_series(path("d.h5"), small_panel());  // any existing file at the target
  const auto before = fs::file_size(path("d.h5"));
  DetectionSet set;
  set.time = {1, 2, 3};
  set.region = set.sector = set.series_id = {"a"};
  set.summary.resize(1);
  set.config.basis.dummy_names = {"holiday", "weekend"};
  set.config.basis.dummies = {1, 0, 0};  // 3 values for 2 names: fails inside the write
  EXPECT_THROW(write_detections(path("d.h5"), set), invalid_input);
  EXPECT_EQ(fs::file_size(path("d.h5")), before);
  EXPECT_NO_THROW(read_series(path("d.h5")));
  EXPECT_EQ(files_in_dir(), 1u);  // the temporary is gone
}

TEST_F(Hdf5Io, AtomicFileRemovesItsTemporaryWithoutCommit) {
  const std::string target = path("t.txt");
  std::ofstream(target) << "old";
  std::string temp;
  try {
    AtomicFile out(target);
    temp = out.temp_path();
    EXPECT_EQ(fs::path(temp).parent_path(), tmp_.dir());
    std::ofstream(temp) << "half";
    throw std::runtime_error("writer failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_FALSE(fs::exists(temp));
  std::string content;
  std::ifstream(target) >> content;
  EXPECT_EQ(content, "old");
  {
    AtomicFile out(target);
    std::ofstream(out.temp_path()) << "new";
    out.commit();
  }
  std::ifstream(target) >> content;
  EXPECT_EQ(content, "new");
  EXPECT_EQ(files_in_dir(), 1u);
}

TEST_F(Hdf5Io, AtomicFileNamesAreUnique) {
  AtomicFile a(path("x.h5")), b(path("x.h5"));
  EXPECT_NE(a.temp_path(), b.temp_path());
}

// A killed writer leaves its temporary "<folder>/.<name>.tmp-<pid>-XXXXXX"; the next writer
// of the same target removes it, and keeps those of a process still running (a concurrent
// writer) and those of other targets.
TEST_F(Hdf5Io, AtomicFileRemovesTemporariesOfDeadProcesses) {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);  // `child` is now a pid no process has
  const std::string dead = path(".x.h5.tmp-" + std::to_string(child) + "-AbC123");
  const std::string alive = path(".x.h5.tmp-" + std::to_string(getpid()) + "-AbC123");
  const std::string other = path(".y.h5.tmp-" + std::to_string(child) + "-AbC123");
  for (const std::string& p : {dead, alive, other}) std::ofstream(p) << "half";
  {
    AtomicFile out(path("x.h5"));
    std::ofstream(out.temp_path()) << "new";
    out.commit();
  }
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists(alive));
  EXPECT_TRUE(fs::exists(other));
}

TEST_F(Hdf5Io, AtomicFileRefusesAFolderAsTarget) {
  fs::create_directory(path("folder.h5"));
  EXPECT_THROW(AtomicFile out(path("folder.h5")), invalid_input);
  EXPECT_TRUE(fs::is_directory(path("folder.h5")));
}

// ---- detections.h5 -------------------------------------------------------------------------

DetectionSet sample_detections() {
  DetectionSet s;
  s.time = {18262, 18263, 18264, 18265, 18266, 18267};
  s.region = {"Hubei", "Beijing"};
  s.sector = {"Industry", "Ground Transport"};
  s.series_id = {"Hubei/Industry", "Beijing/Ground Transport"};
  s.input = "series.h5";
  s.units = "MtCO2/day";
  s.config.method = Method::segneigh;
  s.config.cost = CostKind::regression;
  s.config.penalty = Penalty{PenaltyKind::manual, 3.25};
  s.config.max_changes = 4;
  s.config.min_size = 3;
  s.config.noise = NoiseScale::none;
  s.config.basis.trend = false;
  s.config.basis.weekly = 2;
  s.config.basis.yearly = 1;
  s.config.basis.dummy_names = {"spring_festival"};
  s.config.basis.dummies = {0, 1, 1, 0, 0, 0};
  s.config.crops_min = 1.0;
  s.config.crops_max = 10.0;
  s.config_json = R"({"method":"segneigh","penalty":"3.25"})";
  s.engine_version = "9.9.9-test";
  s.backend = "cpu";
  s.summary = {{SeriesStatus::ok, 6, 2, 1.5, 3.25, 0.125}, {SeriesStatus::constant, 5, 0, 0.0, 3.25, 1.0}};
  TurningPoint a;
  a.series = 0;
  a.index = 2;
  a.day = 18264;
  a.kind = TurnKind::event;
  a.confidence = 0.875;
  a.ci_lo = 1;
  a.ci_hi = 3;
  a.gain = 12.5;
  a.step = -0.25;
  a.step_z = 7.5;
  a.rank = 1;
  TurningPoint b;  // defaults: unclassified, NaN confidence, no interval
  b.series = 0;
  b.index = 4;
  b.day = 18266;
  b.gain = 0.5;
  b.rank = 2;
  TurningPoint c = a;
  c.series = 1;
  c.kind = TurnKind::seasonal;
  s.points = {a, b, c};
  s.path = {{0, 0, 9.0, {}}, {0, 1, 4.0, {2}}, {0, 2, 1.5, {2, 4}}};
  s.crops = {{0, 1.0, 2.5, 1.5, {2, 4}}, {0, 2.5, 10.0, 4.0, {2}}};
  return s;
}

void expect_same_detections(const DetectionSet& a, const DetectionSet& b) {
  EXPECT_EQ(a.time, b.time);
  EXPECT_EQ(a.region, b.region);
  EXPECT_EQ(a.sector, b.sector);
  EXPECT_EQ(a.series_id, b.series_id);
  EXPECT_EQ(a.input, b.input);
  EXPECT_EQ(a.units, b.units);
  EXPECT_EQ(a.config.method, b.config.method);
  EXPECT_EQ(a.config.cost, b.config.cost);
  EXPECT_EQ(a.config.penalty.kind, b.config.penalty.kind);
  EXPECT_EQ(a.config.penalty.value, b.config.penalty.value);
  EXPECT_EQ(a.config.max_changes, b.config.max_changes);
  EXPECT_EQ(a.config.min_size, b.config.min_size);
  EXPECT_EQ(a.config.noise, b.config.noise);
  EXPECT_EQ(a.config.basis.trend, b.config.basis.trend);
  EXPECT_EQ(a.config.basis.weekly, b.config.basis.weekly);
  EXPECT_EQ(a.config.basis.yearly, b.config.basis.yearly);
  EXPECT_EQ(a.config.basis.dummy_names, b.config.basis.dummy_names);
  EXPECT_EQ(a.config.basis.dummies, b.config.basis.dummies);
  EXPECT_EQ(a.config.crops_min, b.config.crops_min);
  EXPECT_EQ(a.config.crops_max, b.config.crops_max);
  EXPECT_EQ(a.config_json, b.config_json);
  EXPECT_EQ(a.engine_version, b.engine_version);
  EXPECT_EQ(a.backend, b.backend);
  ASSERT_EQ(a.summary.size(), b.summary.size());
  for (std::size_t i = 0; i < a.summary.size(); ++i) {
    EXPECT_EQ(a.summary[i].status, b.summary[i].status);
    EXPECT_EQ(a.summary[i].n_valid, b.summary[i].n_valid);
    EXPECT_EQ(a.summary[i].n_changes, b.summary[i].n_changes);
    EXPECT_EQ(a.summary[i].cost, b.summary[i].cost);
    EXPECT_EQ(a.summary[i].penalty, b.summary[i].penalty);
    EXPECT_EQ(a.summary[i].sigma, b.summary[i].sigma);
  }
  ASSERT_EQ(a.points.size(), b.points.size());
  for (std::size_t i = 0; i < a.points.size(); ++i) {
    const TurningPoint &p = a.points[i], &q = b.points[i];
    EXPECT_EQ(p.series, q.series);
    EXPECT_EQ(p.index, q.index);
    EXPECT_EQ(p.day, q.day);
    EXPECT_EQ(p.kind, q.kind);
    if (std::isnan(p.confidence)) EXPECT_TRUE(std::isnan(q.confidence));
    else EXPECT_EQ(p.confidence, q.confidence);
    EXPECT_EQ(p.ci_lo, q.ci_lo);
    EXPECT_EQ(p.ci_hi, q.ci_hi);
    EXPECT_EQ(p.gain, q.gain);
    for (const auto& [x, y] : {std::pair{p.step, q.step}, std::pair{p.step_z, q.step_z}}) {
      if (std::isnan(x)) EXPECT_TRUE(std::isnan(y));  // b: not computed
      else EXPECT_EQ(x, y);
    }
    EXPECT_EQ(p.rank, q.rank);
  }
  ASSERT_EQ(a.path.size(), b.path.size());
  for (std::size_t i = 0; i < a.path.size(); ++i) {
    EXPECT_EQ(a.path[i].series, b.path[i].series);
    EXPECT_EQ(a.path[i].k, b.path[i].k);
    EXPECT_EQ(a.path[i].cost, b.path[i].cost);
    EXPECT_EQ(a.path[i].changes, b.path[i].changes);
  }
  ASSERT_EQ(a.crops.size(), b.crops.size());
  for (std::size_t i = 0; i < a.crops.size(); ++i) {
    EXPECT_EQ(a.crops[i].series, b.crops[i].series);
    EXPECT_EQ(a.crops[i].pen_lo, b.crops[i].pen_lo);
    EXPECT_EQ(a.crops[i].pen_hi, b.crops[i].pen_hi);
    EXPECT_EQ(a.crops[i].cost, b.crops[i].cost);
    EXPECT_EQ(a.crops[i].changes, b.crops[i].changes);
  }
}

TEST_F(Hdf5Io, DetectionsRoundTrip) {
  const DetectionSet s = sample_detections();
  write_detections(path("d.h5"), s);
  expect_same_detections(s, read_detections(path("d.h5")));
  EXPECT_EQ(files_in_dir(), 1u);

  const h5::File f = h5::File::open(path("d.h5"));
  EXPECT_EQ(h5::read_attr_string(f, "format"), "turnpoint.detections");
  EXPECT_EQ(h5::read_attr_string(f, "backend"), "cpu");
  const auto config = f.open_group("config");
  EXPECT_EQ(h5::read_attr_string(config, "method"), "segneigh");
  EXPECT_EQ(h5::read_attr_string(config, "cost"), "regression");
  EXPECT_EQ(h5::read_attr_string(config, "penalty"), "3.25");
  EXPECT_EQ(h5::read_attr_string(config, "noise"), "none");
  EXPECT_EQ(h5::read_attr_int(config, "min_size"), 3);
  EXPECT_EQ(h5::read_attr_int(config, "max_changes"), 4);
  EXPECT_EQ(h5::read_attr_string(config, "engine_version"), "9.9.9-test");
  // Ragged path: rows' changes are changes[offset[i]:offset[i+1]].
  const auto path_group = f.open_group("path");
  EXPECT_EQ(h5::read_vector<std::int64_t>(path_group, "offset"), (std::vector<std::int64_t>{0, 0, 1, 3}));
  EXPECT_EQ(h5::read_vector<std::int32_t>(path_group, "changes"), (std::vector<std::int32_t>{2, 2, 4}));
  const auto det = f.open_group("detections");
  EXPECT_EQ(h5::read_vector<std::int8_t>(det, "kind"), (std::vector<std::int8_t>{0, -1, 1}));
}

TEST_F(Hdf5Io, DetectionsWithoutPointsPathOrCrops) {
  DetectionSet s = sample_detections();
  s.points.clear();
  s.path.clear();
  s.crops.clear();
  s.config.basis.dummy_names.clear();
  s.config.basis.dummies.clear();
  s.config.penalty = Penalty{PenaltyKind::mbic, 0.0};
  write_detections(path("d.h5"), s);
  expect_same_detections(s, read_detections(path("d.h5")));
  const h5::File f = h5::File::open(path("d.h5"));
  EXPECT_FALSE(f.has("path"));
  EXPECT_FALSE(f.has("crops"));
  EXPECT_TRUE(f.has("detections"));
}

TEST_F(Hdf5Io, ReadDetectionsRejectsASeriesFile) {
  write_series(path("s.h5"), small_panel());
  const std::string e = message_of([&] { read_detections(path("s.h5")); });
  EXPECT_NE(e.find(path("s.h5") + ": not a turnpoint detections file (format is 'turnpoint.series'"),
            std::string::npos)
      << e;
}

TEST_F(Hdf5Io, WriteDetectionsRejectsAPointOfAnUnknownSeries) {
  DetectionSet s = sample_detections();
  s.points[1].series = 7;
  const std::string e = message_of([&] { write_detections(path("d.h5"), s); });
  EXPECT_NE(e.find("turning point 1 refers to series 7 (set has 2)"), std::string::npos) << e;
  EXPECT_EQ(files_in_dir(), 0u);
}

TEST(TurnKindNames, ToString) {
  EXPECT_STREQ(to_string(TurnKind::unclassified), "unclassified");
  EXPECT_STREQ(to_string(TurnKind::event), "event");
  EXPECT_STREQ(to_string(TurnKind::seasonal), "seasonal");
}

}  // namespace
}  // namespace turnpoint

// ---- the axis frequency and the self-describing attributes (issue 18) ---------------------

namespace turnpoint {
namespace {

void delete_root_attribute(const std::string& file, const char* name) {
  hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  EXPECT_GE(H5Adelete(f, name), 0);
  H5Fclose(f);
}

TEST_F(Hdf5Io, FrequencyIsStoredAndInferredForOlderFiles) {
  Panel p = small_panel();
  p.time = {days_from_civil(2020, 11, 1), days_from_civil(2020, 12, 1), days_from_civil(2021, 1, 1)};
  p.frequency = Frequency::monthly;
  write_series(path("m.h5"), p);
  EXPECT_EQ(h5::read_attr_string(h5::File::open(path("m.h5")), "frequency"), "monthly");
  EXPECT_EQ(read_series(path("m.h5")).frequency, Frequency::monthly);
  delete_root_attribute(path("m.h5"), "frequency");  // as written before issue 18
  EXPECT_EQ(read_series(path("m.h5")).frequency, Frequency::monthly);

  p.time = {0, 1, 2};
  p.frequency = Frequency::index;
  write_series(path("i.h5"), p);
  const Panel back = read_series(path("i.h5"));
  EXPECT_EQ(back.frequency, Frequency::index);
  EXPECT_EQ(back.time, p.time);
  // A stored frequency that does not fit the axis is refused, naming the file.
  {
    h5::File g = h5::File::create(path("bad.h5"));
    h5::write_attr_string(g, "format", "turnpoint.series");
    h5::write_attr_int(g, "format_version", 1);
    h5::write_attr_string(g, "frequency", "weekly");
    h5::write(g, "time", std::vector<std::int32_t>{10, 11});
    std::vector<double> v{1, 2};
    h5::write(g, "values", v.data(), {1, 2});
    h5::write_strings(g, "region", {"a"});
    h5::write_strings(g, "sector", {"b"});
    h5::write_strings(g, "series_id", {"a/b"});
    g.close();
  }
  const std::string e = message_of([&] { read_series(path("bad.h5")); });
  EXPECT_NE(e.find(path("bad.h5") + ": /time is not a regular axis: element 0 is 1970-01-11 and element 1 is "
                                    "1970-01-12 (a weekly axis steps one week"),
            std::string::npos)
      << e;
}

// What h5py and xarray users see without docs/schema.md: CF units and long names, and the
// netCDF dimension scales (checked with the raw C API).
TEST_F(Hdf5Io, SeriesDatasetsDescribeThemselves) {
  write_series(path("s.h5"), small_panel());
  const h5::File f = h5::File::open(path("s.h5"));
  const h5::Location time = f.open_object("time");
  EXPECT_EQ(h5::read_attr_string(time, "units"), "days since 1970-01-01");
  EXPECT_EQ(h5::read_attr_string(time, "calendar"), "proleptic_gregorian");
  EXPECT_EQ(h5::read_attr_string(time, "frequency"), "daily");
  EXPECT_EQ(h5::read_attr_string(time, "CLASS"), "DIMENSION_SCALE");
  EXPECT_EQ(h5::read_attr_string(time, "NAME"), "time");
  const h5::Location values = f.open_object("values");
  EXPECT_EQ(h5::read_attr_string(values, "units"), "MtCO2/day");
  EXPECT_EQ(h5::read_attr_string(values, "coordinates"), "region sector");
  EXPECT_TRUE(values.has_attr("DIMENSION_LIST"));
  EXPECT_EQ(h5::read_attr_string(f.open_object("series_id"), "NAME"), "series_id");
  EXPECT_FALSE(h5::read_attr_string(f.open_object("region"), "long_name").empty());
}

TEST_F(Hdf5Io, DetectionsKeepTheFrequencyAndLabelTheirCodes) {
  DetectionSet s = sample_detections();
  write_detections(path("d.h5"), s);
  EXPECT_EQ(read_detections(path("d.h5")).frequency, Frequency::daily);
  {
    const h5::File f = h5::File::open(path("d.h5"));
    const h5::Location kind = f.open_group("detections").open_object("kind");
    EXPECT_EQ(h5::read_attr_string(kind, "flag_meanings"), "unclassified event seasonal");
    const h5::Location status = f.open_group("series").open_object("status");
    EXPECT_EQ(h5::read_attr_string(status, "flag_meanings"), "ok constant empty");
    const h5::Location shape = f.open_group("detections").open_object("shape");
    EXPECT_EQ(h5::read_attr_string(shape, "flag_meanings"),
              "unknown level trend level_trend transient weekly yearly");
    EXPECT_EQ(h5::read_attr_string(f.open_group("series").open_object("time"), "units"),
              "days since 1970-01-01");
  }
  delete_root_attribute(path("d.h5"), "frequency");  // as written before issue 18
  expect_same_detections(s, read_detections(path("d.h5")));
  EXPECT_EQ(read_detections(path("d.h5")).frequency, Frequency::daily);

  s.frequency = Frequency::index;
  s.time.assign(s.time.size(), 0);
  for (std::size_t t = 0; t < s.time.size(); ++t) s.time[t] = static_cast<std::int32_t>(t);
  write_detections(path("i.h5"), s);
  EXPECT_EQ(read_detections(path("i.h5")).frequency, Frequency::index);
}

}  // namespace
}  // namespace turnpoint
