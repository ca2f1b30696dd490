// What the join's and the reports' tests share: days by date and catalogue entries built
// field by field (tests/report/join_test.cpp, report_test.cpp).
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "host/catalogue/catalogue.hpp"
#include "host/catalogue/catalogue_dates.hpp"

namespace turnpoint::testing {

inline std::int32_t D(int y, int m, int d) { return cal::days_from_civil(y, m, d); }

// An entry with the fields the join weighs; its title is "title <id>" unless given.
inline CatalogueEntry make_entry(const std::string& id, EntryKind kind, PolicyDate date, Scope scope,
                                 std::vector<std::string> regions, std::vector<std::string> sectors,
                                 const std::string& title = "", const std::string& url = "") {
  CatalogueEntry e;
  e.id = id;
  e.title = title.empty() ? "title " + id : title;
  e.kind = kind;
  e.date = date;
  e.scope = scope;
  e.regions = std::move(regions);
  e.sectors = std::move(sectors);
  e.url = url;
  return e;
}

}  // namespace turnpoint::testing
