#include "host/report/report_text.hpp"

namespace turnpoint::report_text {

std::string url_host(const std::string& url) {
  auto start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  return url.substr(start, url.find_first_of("/?#", start) - start);
}

bool has_cjk(const std::string& s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0xE3) return true;
  return false;
}

std::string grade_zh(const std::string& g) { return g == "strong" ? "强" : g == "moderate" ? "中" : "弱"; }

}  // namespace turnpoint::report_text
