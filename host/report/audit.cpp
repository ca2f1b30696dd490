#include "host/report/audit.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "host/catalogue/catalogue_dates.hpp"
#include "host/catalogue/catalogue_text.hpp"

namespace turnpoint {

int AuditResult::count(const std::string& defect) const {
  return static_cast<int>(std::count_if(findings.begin(), findings.end(),
                                        [&](const AuditFinding& f) { return f.defect == defect; }));
}

namespace {
std::string join_list(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}
}  // namespace

std::optional<std::string> report_period_problem(const SeedEntry& en, const CatalogueEntry& rec) {
  // A report about a period (a year's verification report, statistical bulletin, annual
  // report) is published after that period ends; dating it inside the period puts it
  // before it existed. Two forms: the title names "<year>年...报告/核查/公报/年报/统计", or
  // the date field itself names a period ("2021年度统计报告").
  static const char* kReportWords[] = {"报告", "核查", "公报", "年报", "统计", "公示"};
  bool report = false;
  for (const char* w : kReportWords) report = report || text::contains(en.title, w);
  if (report) {
    const auto y = find_date_in_text(en.title);
    if (y && rec.date.year <= y->year && rec.date.year >= y->year - 1)
      return fmt::format("dated {}, but the entry is a report on {} (published after that period ends): the date "
                         "is not when anything happened",
                         rec.date.to_string(), y->year);
  }
  if (text::contains(en.date_text, "年度") &&
      (text::contains(en.date_text, "报告") || text::contains(en.date_text, "统计") || text::contains(en.date_text, "公报")))
    return fmt::format("the date field \"{}\" names a reporting period, not the day something happened or was "
                       "published",
                       en.date_text);
  return std::nullopt;
}

void audit_seed_report(const SeedReport& r, const JoinOptions& options, AuditResult& into) {
  ++into.reports;
  const int listed = static_cast<int>(r.sections.size());
  if (r.announced >= 0 && r.announced != listed)
    into.findings.push_back({r.file, 0, "", 0, "", "count-mismatch",
                             fmt::format("the header announces {} turning points, {} are listed",
                                         r.announced, listed)});
  for (const SeedSection& s : r.sections) {
    ++into.sections;
    const std::string tp = cal::format_day(s.day);
    for (const SeedEntry& en : s.entries) {
      ++into.entries;
      if (en.url.empty())
        into.findings.push_back({r.file, en.line, tp, en.number, en.title, "incomplete-entry",
                                 "no complete source link (the entry is cut off or has none)"});
      auto rec = seed_entry_to_record(r, s, en);
      if (!rec) {
        into.findings.push_back({r.file, en.line, tp, en.number, en.title, "incomplete-entry",
                                 "no date or no title: cannot be checked"});
        continue;
      }
      if (auto why = report_period_problem(en, *rec))
        into.findings.push_back({r.file, en.line, tp, en.number, en.title, "report-period-date", *why});
      const LinkCheck c = check_link(s.day, s.kind, r.province, r.sector, *rec, options);
      for (const std::string& flag : c.flags) {
        std::string detail;
        if (flag == "anachronism" || flag == "before-window")
          detail = fmt::format("dated {} ({}), the window is {} to {}", rec->date.to_string(),
                               en.date_text, cal::format_day(c.window_first), cal::format_day(c.window_last));
        else if (flag == "other-region")
          detail = fmt::format("about {} ({}), the report is for {}", join_list(rec->regions),
                               text::trim(en.issuer + " " + en.place), r.province);
        else if (flag == "other-sector")
          detail = fmt::format("sector {}, the report is for {}", join_list(rec->sectors), r.sector);
        into.findings.push_back({r.file, en.line, tp, en.number, en.title, flag, detail});
      }
    }
  }
}

AuditResult audit_seed_files(const std::vector<std::string>& paths, const JoinOptions& options) {
  AuditResult result;
  for (const std::string& p : paths) audit_seed_report(read_seed_report(p), options, result);
  return result;
}

std::string format_audit_text(const AuditResult& r) {
  std::string out;
  std::string file;
  for (const AuditFinding& f : r.findings) {
    if (f.file != file) {
      file = f.file;
      out += fmt::format("{}\n", file);
    }
    if (f.turning_point.empty())
      out += fmt::format("  {}: {}\n", f.defect, f.detail);
    else
      out += fmt::format("  line {} [{} #{}] {}: \"{}\": {}\n", f.line, f.turning_point, f.entry,
                         f.defect, f.title, f.detail);
  }
  out += fmt::format(
      "{} report(s), {} turning point(s), {} entries: {} anachronism, {} before-window, "
      "{} other-region, {} other-sector, {} count-mismatch, {} incomplete-entry, {} report-period-date\n",
      r.reports, r.sections, r.entries, r.count("anachronism"), r.count("before-window"),
      r.count("other-region"), r.count("other-sector"), r.count("count-mismatch"),
      r.count("incomplete-entry"), r.count("report-period-date"));
  return out;
}

std::string format_audit_json(const AuditResult& r) {
  nlohmann::ordered_json j;
  j["reports"] = r.reports;
  j["turning_points"] = r.sections;
  j["entries"] = r.entries;
  auto& fs = j["findings"] = nlohmann::ordered_json::array();
  for (const AuditFinding& f : r.findings)
    fs.push_back({{"file", f.file}, {"line", f.line}, {"turning_point", f.turning_point},
                  {"entry", f.entry}, {"title", f.title}, {"defect", f.defect}, {"detail", f.detail}});
  return j.dump(2) + "\n";
}

}  // namespace turnpoint
