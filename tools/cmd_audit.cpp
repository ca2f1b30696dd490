// turnpoint audit REPORT...: re-join the links of reports in the seed format and list
// their defects (anachronism, other-region, other-sector, count-mismatch, ...).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "host/report/audit.hpp"
#include "host/catalogue/catalogue_text.hpp"
#include "host/core/output_guard.hpp"
#include "tools/command_registry.hpp"
#include "tools/join_cli.hpp"
#include "kernels/error.hpp"

namespace turnpoint::cli {
namespace {

struct AuditArgs {
  std::vector<std::string> inputs;
  std::string output;
  JoinWindowArgs windows;
  bool json = false, strict = false;
};

// A folder stands for the reports in it: *.txt / *.md files whose first line is a '# ' title
// and that hold a "## 转折点" section heading.
std::vector<std::string> expand(const std::vector<std::string>& inputs) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const auto& in : inputs) {
    if (!fs::is_directory(in)) {
      files.push_back(in);
      continue;
    }
    std::vector<std::string> found;
    for (const auto& de : fs::directory_iterator(in)) {
      const auto ext = de.path().extension().string();
      if (!de.is_regular_file() || (ext != ".txt" && ext != ".md")) continue;
      const std::string content = text::read_file(de.path().string());
      if (text::starts_with(content, "# ") && text::contains(content, "\n## 转折点"))
        found.push_back(de.path().string());
    }
    std::sort(found.begin(), found.end());
    TURNPOINT_EXPECTS(!found.empty(), "{}: no report in the seed format in this folder", in);
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

void run_audit(const AuditArgs& a) {
  JoinOptions options;
  a.windows.apply(options);
  const AuditResult r = audit_seed_files(expand(a.inputs), options);
  const std::string out = a.json ? format_audit_json(r) : format_audit_text(r);
  if (a.output.empty()) std::fputs(out.c_str(), stdout);
  else {
    refuse_output_that_is_input(a.output, expand(a.inputs), "audit");
    text::write_file_atomic(a.output, out);
  }
  TURNPOINT_EXPECTS(!a.strict || r.findings.empty(), "{} defect(s) found", r.findings.size());
}

const RegisterCommand reg([](CLI::App& root) {
  auto args = std::make_shared<AuditArgs>();
  CLI::App* sub = root.add_subcommand(
      "audit", "Check the links of reports in the seed format (anachronisms, other province or sector, counts)");
  sub->add_option("reports", args->inputs, "Report files or folders (e.g. ../shared/seeds)")
      ->required()
      ->check(CLI::ExistingPath);
  sub->add_option("-o,--output", args->output, "Write the findings here instead of stdout");
  sub->add_flag("--json", args->json, "Findings as JSON");
  sub->add_flag("--strict", args->strict, "Exit with status 2 when any defect is found");
  add_join_window_options(sub, args->windows);
  sub->callback([args] { run_audit(*args); });
});

}  // namespace
}  // namespace turnpoint::cli
