// One batch's entry in a sweep's journal (docs/sweep.md, "Journal"): the results of its
// scenarios over the panel, written a block of series at a time as records and read back the
// same way, so that neither running a batch nor assembling the sweep file holds a batch's
// results for the whole panel. A record is a small header (which scenarios and series, and
// how many turning points each scenario has there: what the assembly needs to place every
// row before reading any result) and a body (the results, CBOR). The entry appears under
// its name only once complete (written to a temporary, fsynced, renamed), so a sweep killed
// at any point resumes from whole entries.
#pragma once
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <vector>

#include <nlohmann/json.hpp>

namespace turnpoint {

struct JournalRecord {
  std::int64_t first_scenario = 0, scenarios = 0;  // scenarios [first, first + scenarios)
  std::int64_t first_series = 0, series = 0;       // series [first, first + series)
  std::vector<std::int64_t> points;                // turning points of each scenario here
  nlohmann::json body;                             // the results; read only when asked
};

class JournalEntryWriter {
 public:
  explicit JournalEntryWriter(std::filesystem::path target);
  JournalEntryWriter(const JournalEntryWriter&) = delete;
  JournalEntryWriter& operator=(const JournalEntryWriter&) = delete;
  ~JournalEntryWriter();  // an entry never committed leaves no file
  void append(const JournalRecord& record);
  // Flushes, fsyncs and renames the entry into place (then fsyncs its folder).
  void commit();

 private:
  std::filesystem::path target_, temp_;
  std::ofstream out_;
  bool committed_ = false;
};

// Calls f for each record of the entry at `path`, in order; with `bodies` false the bodies
// are skipped, not parsed. A damaged or truncated entry is an error naming it.
void read_journal_entry(const std::filesystem::path& path, bool bodies,
                        const std::function<void(const JournalRecord&)>& f);

// fsync of a file or a folder; false when it failed (a folder that cannot be opened is
// skipped: true).
bool fsync_path(const std::filesystem::path& p, bool directory);

}  // namespace turnpoint
