// `turnpoint audit`: re-joins the seed reports' own links with the checked join and lists
// their defects: entries dated after the window (anachronism), about another province
// (other-region) or another sector (other-sector), entries before the window, headers
// that announce more turning points than they list (count-mismatch), entries cut off
// (incomplete-entry), and entries dated inside the period they report on (a 2020
// verification report dated 2020-01-01: report-period-date).
#pragma once
#include <string>
#include <vector>

#include "host/report/join.hpp"
#include "host/catalogue/seed_import.hpp"

namespace turnpoint {

struct AuditFinding {
  std::string file;
  int line = 0;
  std::string turning_point;  // YYYY-MM-DD, empty for report-level findings
  int entry = 0;              // entry number in its section, 0 for report-level findings
  std::string title;
  std::string defect;         // anachronism | before-window | other-region | other-sector |
                              // count-mismatch | incomplete-entry | report-period-date
  std::string detail;
};

struct AuditResult {
  int reports = 0, sections = 0, entries = 0;
  std::vector<AuditFinding> findings;
  int count(const std::string& defect) const;
};

void audit_seed_report(const SeedReport& report, const JoinOptions& options, AuditResult& into);
AuditResult audit_seed_files(const std::vector<std::string>& paths, const JoinOptions& options);
std::string format_audit_text(const AuditResult& result);
std::string format_audit_json(const AuditResult& result);

}  // namespace turnpoint
