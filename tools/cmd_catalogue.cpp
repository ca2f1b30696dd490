// turnpoint catalogue validate|merge|import-seed|import-plan|import-csv|list: build and
// check the policy catalogue (JSON Lines, docs/catalogue.md).
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "host/catalogue/catalogue.hpp"
#include "host/catalogue/catalogue_text.hpp"
#include "tools/command_registry.hpp"
#include "kernels/error.hpp"
#include "host/catalogue/plan_import.hpp"
#include "host/catalogue/policy_csv_import.hpp"
#include "host/catalogue/seed_import.hpp"
#include "host/core/regions.hpp"
#include "host/core/output_guard.hpp"

namespace turnpoint::cli {
namespace {

struct CatalogueArgs {
  std::vector<std::string> inputs;
  std::string output;
  std::string title, date, region, issuer, url, id_prefix;
  bool quiet = false, strict = false;
};

void run_validate(const CatalogueArgs& a) {
  int bad = 0;
  for (const std::string& path : a.inputs) {
    std::vector<CatalogueProblem> problems;
    const Catalogue c = parse_catalogue(text::read_file(path), path, &problems, a.strict);
    for (const auto& p : problems) std::fprintf(stderr, "%s:%d: %s\n", path.c_str(), p.line, p.message.c_str());
    bad += static_cast<int>(problems.size());
    if (!a.quiet)
      std::printf("%s: %zu valid entries, %zu bad line(s)\n", path.c_str(), c.entries.size(), problems.size());
  }
  TURNPOINT_EXPECTS(bad == 0, "{} bad line(s) (listed above)", bad);
}

void write_entries(const CatalogueArgs& a, std::vector<CatalogueEntry> entries) {
  refuse_output_that_is_input(a.output, a.inputs, "catalogue");
  Catalogue c{std::move(entries)};
  for (const auto& e : c.entries) {
    const auto problems = validate_entry(e);
    TURNPOINT_EXPECTS(problems.empty(), "{}: imported entry {} is invalid: {}", e.source.file, e.id, problems.front());
  }
  write_catalogue(a.output, c);
  if (!a.quiet) std::fprintf(stderr, "turnpoint catalogue: %zu entries -> %s\n", c.entries.size(), a.output.c_str());
}

void run_merge(const CatalogueArgs& a) {
  std::vector<Catalogue> parts;
  for (const auto& p : a.inputs) parts.push_back(read_catalogue(p));
  int removed = 0;
  Catalogue merged = merge_catalogues(parts, &removed);
  if (!a.quiet) std::fprintf(stderr, "turnpoint catalogue merge: %d duplicate(s) removed\n", removed);
  write_entries(a, std::move(merged.entries));
}

void run_import_seed(const CatalogueArgs& a) {
  std::vector<CatalogueEntry> all;
  for (const auto& p : a.inputs) {
    SeedReport r = read_seed_report(p);
    auto entries = seed_report_to_entries(r);
    if (!a.quiet)
      for (const auto& w : r.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    all.insert(all.end(), entries.begin(), entries.end());
  }
  write_entries(a, std::move(all));
}

void run_import_plan(const CatalogueArgs& a) {
  TURNPOINT_EXPECTS(a.inputs.size() == 1, "import-plan takes one plan text");
  PlanImportOptions o;
  o.title = a.title;
  o.region = a.region;
  o.issuer = a.issuer;
  o.url = a.url;
  o.id_prefix = a.id_prefix;
  if (!a.date.empty()) {
    o.date = PolicyDate::parse(a.date);
    TURNPOINT_EXPECTS(o.date.has_value(), "--date \"{}\": expected YYYY-MM-DD, YYYY-MM or YYYY", a.date);
  }
  write_entries(a, import_plan_text(text::read_file(a.inputs[0]), a.inputs[0], o));
}

void run_import_csv(const CatalogueArgs& a) {
  std::vector<CatalogueEntry> all;
  PolicyCsvOptions o;
  o.region = a.region;
  if (!a.id_prefix.empty()) o.id_prefix = a.id_prefix;
  for (const auto& p : a.inputs) {
    auto entries = import_policy_csv(text::read_file(p), p, o);
    all.insert(all.end(), entries.begin(), entries.end());
  }
  write_entries(a, std::move(all));
}

// Counts for the docs: entries by topic, kind, direction and onset, and the provinces covered.
void run_stats(const CatalogueArgs& a) {
  const Catalogue c = load_catalogue_or_builtin(a.inputs.empty() ? "" : a.inputs[0]);
  std::map<std::string, int> by_topic, by_kind, by_direction, by_onset, by_region;
  int national = 0, verified = 0, with_url = 0;
  for (const auto& e : c.entries) {
    ++by_topic[e.topic.empty() ? "(none)" : e.topic];
    ++by_kind[to_string(e.kind)];
    ++by_direction[e.direction == Direction::unknown ? "(not stated)" : to_string(e.direction)];
    ++by_onset[to_string(e.effective_onset())];
    if (e.scope == Scope::national) ++national;
    for (const auto& r : e.regions) ++by_region[r];
    verified += !e.verified.page.empty();
    with_url += !e.url.empty();
  }
  auto print = [](const char* what, const std::map<std::string, int>& m) {
    std::printf("%s:", what);
    for (const auto& [k, n] : m) std::printf(" %s=%d", k.c_str(), n);
    std::printf("\n");
  };
  std::printf("entries: %zu (with url %d, with verified.page %d, national scope %d)\n", c.entries.size(), with_url,
              verified, national);
  print("topic", by_topic);
  print("kind", by_kind);
  print("direction", by_direction);
  print("onset", by_onset);
  std::vector<std::string> missing;
  for (const auto& p : provinces())
    if (!by_region.count(p.name)) missing.push_back(p.name);
  std::printf("provinces covered: %zu of %zu", provinces().size() - missing.size(), provinces().size());
  if (!missing.empty()) {
    std::printf(" (missing:");
    for (const auto& m : missing) std::printf(" %s", m.c_str());
    std::printf(")");
  }
  std::printf("\n");
  print("entries per province", by_region);
}

void run_list(const CatalogueArgs& a) {
  const Catalogue c = load_catalogue_or_builtin(a.inputs.empty() ? "" : a.inputs[0]);
  for (const auto& e : c.entries) {
    std::string regions = e.scope == Scope::national ? "national" : "";
    for (const auto& r : e.regions) regions += (regions.empty() ? "" : ",") + r;
    std::string sectors;
    for (const auto& s : e.sectors) sectors += (sectors.empty() ? "" : ",") + s;
    std::printf("%s\t%s\t%s\t%s\t%s\t%s\n", e.id.c_str(), e.date.to_string().c_str(), to_string(e.kind),
                regions.c_str(), sectors.empty() ? "(all)" : sectors.c_str(), e.title.c_str());
  }
}

const RegisterCommand reg([](CLI::App& root) {
  auto args = std::make_shared<CatalogueArgs>();
  CLI::App* cat = root.add_subcommand("catalogue", "Build and check the policy catalogue (JSON Lines)");
  cat->require_subcommand(1);

  CLI::App* v = cat->add_subcommand("validate", "Check catalogue files; names every bad line");
  v->add_option("files", args->inputs, "Catalogue files (.jsonl)")->required()->check(CLI::ExistingFile);
  v->add_flag("-q,--quiet", args->quiet, "Only the problems");
  v->add_flag("--strict", args->strict,
              "Curated-catalogue rules too: every entry has a source url and verified.page, and no two "
              "entries share title, date and regions");
  v->callback([args] { run_validate(*args); });

  CLI::App* m = cat->add_subcommand("merge", "Concatenate catalogues, removing duplicates (normalised title + date)");
  m->add_option("files", args->inputs, "Catalogue files")->required()->check(CLI::ExistingFile);
  m->add_option("-o,--output", args->output, "Output catalogue")->required();
  m->add_flag("-q,--quiet", args->quiet, "No summary");
  m->callback([args] { run_merge(*args); });

  CLI::App* s = cat->add_subcommand("import-seed", "Import reports in the seed format (one record per numbered entry)");
  s->add_option("files", args->inputs, "Seed reports (.txt/.md)")->required()->check(CLI::ExistingFile);
  s->add_option("-o,--output", args->output, "Output catalogue")->required();
  s->add_flag("-q,--quiet", args->quiet, "No warnings or summary");
  s->callback([args] { run_import_seed(*args); });

  CLI::App* p = cat->add_subcommand("import-plan", "Import a policy plan text (one record for the plan, one per section)");
  p->add_option("file", args->inputs, "Plan text extracted from a PDF")->required()->check(CLI::ExistingFile);
  p->add_option("-o,--output", args->output, "Output catalogue")->required();
  p->add_option("--date", args->date, "Issuing date (YYYY-MM-DD, YYYY-MM or YYYY) when the text states none");
  p->add_option("--region", args->region, "Region when the title names none");
  p->add_option("--title", args->title, "Title (default: the first line)");
  p->add_option("--issuer", args->issuer, "Issuing body");
  p->add_option("--url", args->url, "Source URL");
  p->add_option("--id-prefix", args->id_prefix, "Id prefix (default plan-<file stem>)");
  p->add_flag("-q,--quiet", args->quiet, "No summary");
  p->callback([args] { run_import_plan(*args); });

  CLI::App* c = cat->add_subcommand("import-csv", "Import a CSV policy list");
  c->add_option("files", args->inputs, "CSV files")->required()->check(CLI::ExistingFile);
  c->add_option("-o,--output", args->output, "Output catalogue")->required();
  c->add_option("--region", args->region, "Region of every row (default: national scope)");
  c->add_option("--id-prefix", args->id_prefix, "Id prefix (default csv-)");
  c->add_flag("-q,--quiet", args->quiet, "No summary");
  c->callback([args] { run_import_csv(*args); });

  CLI::App* st = cat->add_subcommand("stats", "Counts by topic, kind, direction and onset, and provinces covered");
  st->add_option("file", args->inputs, "Catalogue (default: the built-in one)")->check(CLI::ExistingFile);
  st->callback([args] { run_stats(*args); });

  CLI::App* l = cat->add_subcommand("list", "One line per entry: id, date, kind, regions, sectors, title");
  l->add_option("file", args->inputs, "Catalogue (default: the built-in one)")->check(CLI::ExistingFile);
  l->callback([args] { run_list(*args); });
});

}  // namespace
}  // namespace turnpoint::cli
