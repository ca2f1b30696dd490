// Small text helpers the report writers share (Markdown and HTML).
#pragma once
#include <string>

namespace turnpoint::report_text {

// The link text of a source is the site it points to (www.gov.cn, www.reuters.com), never
// an issuer name: a link labelled with one body must not lead to another's site.
std::string url_host(const std::string& url);

// Whether `s` holds CJK text (a lead byte of U+3000 and above): English reports leave such
// fields out rather than mix scripts.
bool has_cjk(const std::string& s);

// "strong" / "moderate" / "weak" in Chinese: 强 / 中 / 弱.
std::string grade_zh(const std::string& grade);

}  // namespace turnpoint::report_text
