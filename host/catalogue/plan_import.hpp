// Importer for policy plan texts extracted from PDFs (../shared/seeds/004_*.txt, e.g.
// 甘肃省碳达峰实施方案): one record for the plan and one per section heading
// (一、 / （一） / 1.), with sector tags and quantified targets; lines broken at page ends
// are rejoined first. Issuing date and region are options when the text does not state them.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "host/catalogue/catalogue.hpp"

namespace turnpoint {

struct PlanImportOptions {
  std::string title;                 // default: the first non-empty line
  std::optional<PolicyDate> date;    // default: a date stated in the first lines, else error
  std::string region;                // default: the province named in the title
  std::string issuer;
  std::string url;
  std::string id_prefix;             // default: "plan-" + file stem
};

struct Paragraph {
  std::string text;
  int line = 0;  // 1-based line where it starts
};
// Paragraphs of a PDF text: blank lines dropped, and a long line (40+ characters) that
// does not end a sentence (。；！？：…) joined to the next one unless that one starts a
// heading: PDF extraction breaks lines mid-sentence at page ends.
std::vector<Paragraph> rejoin_page_breaks(const std::vector<std::string>& lines);

// Heading level of a paragraph: 1 for 一、, 2 for （一）/(一), 3 for 1. / 1．; 0 otherwise.
int heading_level(const std::string& paragraph);

// Quantified targets in a passage: each clause after 到YYYY年 with a number, e.g.
// 到2025年，非化石能源消费比重达到30% -> {2025, 非化石能源消费比重, 30, %}. A falling
// quantity keeps its verb in the metric (…比2020年下降, 12.5, %).
std::vector<Target> extract_targets(const std::string& passage);

struct PlanSection {
  int level = 0;
  std::string number;  // "二、(三) 3." style path
  std::string heading; // heading text up to the first 。
  std::string body;    // own text (heading line included), without sub-sections
  std::string text;    // own text and all sub-sections (for the sector rules)
  int line = 0;        // line of the heading in the source
};
std::vector<PlanSection> plan_sections(const std::vector<Paragraph>& paragraphs);

// Throws invalid_input naming the file when there is no date (neither stated nor given)
// or no region.
std::vector<CatalogueEntry> import_plan_text(const std::string& text, const std::string& file,
                                             const PlanImportOptions& options);

}  // namespace turnpoint
