// DetectConfig <-> JSON, the form stored in detections.h5 /config so a result can be
// traced and re-run with exactly the same settings.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "kernels/detect.hpp"

namespace turnpoint {

nlohmann::json config_to_json(const DetectConfig& config);
// Inverse of config_to_json (regression dummies' per-day values are not stored: only
// their names; callers rebuild them from the named holiday set).
DetectConfig config_from_json(const nlohmann::json& j);

}  // namespace turnpoint
