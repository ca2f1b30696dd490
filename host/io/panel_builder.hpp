// The half of the import that every input format shares (host/io/panel_import.hpp): series
// named by their id values (normalised region and sector names, unknown ones kept as
// written), time labels parsed once per distinct text, observations kept per series as
// (time, value, where) records, then the axis: its frequency found from the labels or given,
// every record put on it, duplicates and irregular time stamps refused with the row.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "host/io/panel_import.hpp"

namespace turnpoint {

class PanelBuilder {
 public:
  explicit PanelBuilder(const ImportOptions& options);

  // Starts the rows of one input: `file` names it in messages, and `element` (empty for
  // tables) says what a row number is in it, e.g. "time step" of an HDF5 dataset.
  void begin_source(const std::string& file, const std::string& element = "");

  // The series named by `ids` (as written). With `roles`, ids[0] is a region and ids[1] a
  // sector: known names are normalised (host/core/regions.hpp), others kept as written and
  // listed once in a warning. `columns` names the id columns for messages.
  std::uint32_t series(const std::vector<std::string_view>& ids, bool roles,
                       const std::vector<std::string>& columns, std::uint32_t row);

  // A time label parsed (cached per distinct text); throws naming the row and `column`.
  // `steps`: integers are step numbers (a column named step, t or index), never years.
  const TimeLabel& label(std::string_view text, std::uint32_t row, std::string_view column,
                         bool steps = false);

  // Records that labels of kind `k` are used (for labels made without text: row numbers).
  void note_kind(LabelKind k, std::uint32_t row, const std::string& text);

  void add(std::uint32_t series, const TimeLabel& t, double value, std::uint32_t row);

  // "file:line" (tables) or "file (time step 5)" for a row of the current input.
  std::string at_current(std::uint32_t row) const;

  // Builds the panel and clears the records.
  ImportResult finish(const std::string& source, const std::string& units);

 private:
  struct Record {
    double value;
    std::int32_t t;       // the label's value: a day, or a step number
    std::uint32_t where;  // global row number: sources_ maps it back to file and row
  };
  struct Series {
    std::string region, sector, id;
    std::vector<std::string> parts;  // the names shown in messages
    int sector_rank = 0;
    std::vector<Record> records;
  };
  struct Source {
    std::string file, element;
    std::uint32_t base = 0;  // global row of its row 0
  };

  std::string at(std::uint32_t where) const;  // "file:line" of a global row
  std::uint32_t global(std::uint32_t row) const { return sources_.back().base + row; }
  Frequency find_frequency(std::int32_t& anchor);
  Frequency infer_from_dates(std::int32_t& anchor);
  // The steps of inferring the frequency (infer_from_dates) and of building the panel (finish).
  struct StepCounts;
  StepCounts count_steps();
  Frequency modal_frequency(const StepCounts& steps) const;
  void check_no_coarse_series() const;
  std::int32_t weekly_anchor(const std::string& hint) const;
  void check_same_place_in_period(Frequency f, const std::string& hint) const;
  std::pair<std::int64_t, std::int64_t> place_records(Frequency f, std::int32_t anchor);
  void fill_rows(ImportResult& out, std::int64_t first, std::int64_t n_time);
  void warn_unknown_names(ImportResult& out) const;
  [[noreturn]] void fail_at(std::uint32_t where, const std::string& what) const;

  const ImportOptions& options_;
  std::vector<Source> sources_;
  std::uint32_t next_base_ = 0;
  std::vector<Series> series_;
  std::unordered_map<std::string, std::uint32_t> by_raw_, by_name_;
  std::string key_;
  std::unordered_map<std::string, TimeLabel> labels_;
  // The first label of each kind (kind -> global row, text): mixed kinds are refused.
  std::map<LabelKind, std::pair<std::uint32_t, std::string>> kinds_;
  std::vector<std::string> unknown_regions_, unknown_sectors_;
  std::int64_t rows_ = 0;
};

}  // namespace turnpoint
