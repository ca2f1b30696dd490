// A sweep journal entry (host/sweep/sweep_journal.hpp): records read back as written, with or
// without their bodies; an entry appears only when committed; a truncated or foreign entry
// is refused naming the file, never read as fewer results.
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "host/sweep/sweep_journal.hpp"
#include "kernels/error.hpp"
#include "tests/testing.hpp"

namespace turnpoint {
namespace {

using turnpoint::testing::TempDir;
namespace fs = std::filesystem;

JournalRecord record(std::int64_t first_series, std::int64_t series) {
  JournalRecord r;
  r.first_scenario = 4;
  r.scenarios = 2;
  r.first_series = first_series;
  r.series = series;
  r.points = {series, 2 * series};
  r.body = nlohmann::json::array({{{"status", std::vector<int>(static_cast<std::size_t>(series), 0)}},
                                  {{"status", std::vector<int>(static_cast<std::size_t>(series), 1)}}});
  return r;
}

std::vector<JournalRecord> read_all(const fs::path& p, bool bodies) {
  std::vector<JournalRecord> out;
  read_journal_entry(p, bodies, [&](const JournalRecord& r) { out.push_back(r); });
  return out;
}

TEST(SweepJournal, RecordsReadBackAsWrittenWithOrWithoutBodies) {
  TempDir dir;
  const fs::path entry = dir.path("batch-000001.rec");
  {
    JournalEntryWriter w(entry);
    w.append(record(0, 3));
    w.append(record(3, 5));
    w.append(record(8, 1));
    EXPECT_FALSE(fs::exists(entry));  // not before commit
    w.commit();
  }
  ASSERT_TRUE(fs::exists(entry));
  EXPECT_FALSE(fs::exists(entry.string() + ".tmp"));
  for (bool bodies : {true, false}) {
    const auto rs = read_all(entry, bodies);
    ASSERT_EQ(rs.size(), 3u);
    EXPECT_EQ(rs[1].first_series, 3);
    EXPECT_EQ(rs[1].series, 5);
    EXPECT_EQ(rs[1].points, (std::vector<std::int64_t>{5, 10}));
    EXPECT_EQ(rs[2].first_scenario, 4);
    if (bodies)
      EXPECT_EQ(rs[1].body, record(3, 5).body);
    else
      EXPECT_TRUE(rs[1].body.is_null());
  }
}

TEST(SweepJournal, AnEntryNeverCommittedLeavesNoFile) {
  TempDir dir;
  const fs::path entry = dir.path("batch-000000.rec");
  {
    JournalEntryWriter w(entry);
    w.append(record(0, 2));
  }  // killed before commit, as an exception unwinding would
  EXPECT_EQ(dir.file_count(), 0u);
}

TEST(SweepJournal, TruncatedOrForeignEntriesAreRefusedByName) {
  TempDir dir;
  const fs::path entry = dir.path("batch-000002.rec");
  {
    JournalEntryWriter w(entry);
    w.append(record(0, 4));
    w.append(record(4, 4));
    w.commit();
  }
  std::ifstream in(entry, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  // Every cut short of the whole file loses a record: each must be refused, none read as less.
  for (std::size_t cut = 0; cut < bytes.size(); cut += 7) {
    const fs::path cut_path = dir.path("cut.rec");
    std::ofstream(cut_path, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(cut));
    try {
      read_all(cut_path, true);
      // The only cuts that read cleanly end exactly after a whole record.
      const auto rs = read_all(cut_path, false);
      EXPECT_EQ(rs.size(), 1u) << "cut at " << cut;
    } catch (const invalid_input& e) {
      EXPECT_NE(std::string(e.what()).find("cut.rec: damaged sweep journal entry"), std::string::npos) << e.what();
    }
  }
  const fs::path old = dir.path("batch-000003.cbor");
  std::ofstream(old, std::ios::binary) << "\xa1\x65" "first" "\x00";  // a version-1 entry (CBOR)
  EXPECT_THROW(read_all(old, true), invalid_input);
}

}  // namespace
}  // namespace turnpoint
