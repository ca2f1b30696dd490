// The catalogue, the join and the reports from Python (host/catalogue, host/report): the
// same functions as `turnpoint catalogue`, `turnpoint join` and `turnpoint report`. The join
// comes back as the JSON lines `turnpoint join` writes (the Python layer parses them), so
// both give the same records.
#include <string>

#include <nanobind/stl/string.h>

#include "host/catalogue/catalogue.hpp"
#include "host/core/detections.hpp"
#include "host/report/join.hpp"
#include "host/report/report.hpp"
#include "python/src/bindings.hpp"

namespace turnpoint::python {
namespace {

namespace nb = nanobind;

// The join's settings by their CLI names (turnpoint join --help).
JoinOptions join_options(int lead_days, double min_strength, int max_matches, const std::string& window,
                         const std::string& window_event, const std::string& window_seasonal) {
  JoinOptions o;
  o.lead_days = lead_days;
  o.min_strength = min_strength;
  o.max_matches = max_matches;
  set_join_windows(o, window, window_event, window_seasonal);
  return o;
}

}  // namespace

void bind_report(nb::module_& m) {
  using namespace nb::literals;
  m.def(
      "catalogue_jsonl",
      [](const std::string& path) {
        nb::gil_scoped_release release;
        return catalogue_to_jsonl(load_catalogue_or_builtin(path));
      },
      "path"_a, "The catalogue at `path` (empty: the built-in one) as JSON lines");

  m.def(
      "join",
      [](const DetectionSet& set, const std::string& catalogue, bool explain, int lead_days,
         double min_strength, int max_matches, const std::string& window, const std::string& window_event,
         const std::string& window_seasonal) {
        const JoinOptions o = join_options(lead_days, min_strength, max_matches, window, window_event,
                                           window_seasonal);
        nb::gil_scoped_release release;
        const Catalogue cat = load_catalogue_or_builtin(catalogue);
        return matches_to_jsonl(set, cat, join(set, cat, o), explain);
      },
      "detections"_a, "catalogue"_a, "explain"_a, "lead_days"_a, "min_strength"_a, "max_matches"_a,
      "window"_a, "window_event"_a, "window_seasonal"_a);

  m.def(
      "write_reports",
      [](const DetectionSet& set, const std::string& catalogue, const std::string& dir, const std::string& lang,
         const std::string& analysed_at, int max_entries, int max_points, int lead_days, double min_strength,
         const std::string& window, const std::string& window_event, const std::string& window_seasonal) {
        ReportOptions o;
        o.lang = lang;
        o.analysed_at = analysed_at;
        o.max_entries = max_entries;
        o.max_points = max_points;
        o.join = join_options(lead_days, min_strength, 0, window, window_event, window_seasonal);
        ReportSummary s;
        {
          nb::gil_scoped_release release;
          const Catalogue cat = load_catalogue_or_builtin(catalogue);
          s = write_reports(set, cat, dir, o);
        }
        nb::dict d;
        d["series"] = s.series;
        d["points"] = s.points;
        d["links"] = s.links;
        d["plotted"] = s.plotted;
        d["plot_note"] = s.plot_note;
        return d;
      },
      "detections"_a, "catalogue"_a, "dir"_a, "lang"_a, "analysed_at"_a, "max_entries"_a, "max_points"_a,
      "lead_days"_a, "min_strength"_a, "window"_a, "window_event"_a, "window_seasonal"_a);
}

}  // namespace turnpoint::python
