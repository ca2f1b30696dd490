// The time axis of a panel: strictly increasing days since 1970-01-01 at one regular
// frequency -- daily, weekly, monthly (one point per calendar month), quarterly or annual.
// The frequency decides the default model (host/explain/explain.hpp) and the seasonal terms
// of the generic model; a missing step is a NaN column of /values, never a gap in the axis.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace turnpoint {

enum class Frequency { daily, weekly, monthly, quarterly, annual };
const char* to_string(Frequency f);

// The frequency of `time` (2 or more points), or throws invalid_input naming `file` and the
// first element that breaks it. A single point or an empty axis counts as daily.
Frequency axis_frequency(const std::vector<std::int32_t>& time, const std::string& file);

}  // namespace turnpoint
