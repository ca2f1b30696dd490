#include "host/catalogue/catalogue_text.hpp"

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "host/core/atomic_file.hpp"
#include "kernels/error.hpp"

namespace turnpoint::text {

std::u32string to_u32(const std::string& s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) {  // invalid byte: keep it as U+FFFD
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

std::string to_utf8(const std::u32string& s) {
  std::string out;
  out.reserve(s.size() * 3);
  for (char32_t c : s) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
         c == 0x3000 || c == 0xA0 || c == 0xFEFF;
}

std::u32string trim(const std::u32string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::string trim(const std::string& s) { return to_utf8(trim(to_u32(s))); }

bool starts_with(const std::string& s, const std::string& p) {
  return s.size() >= p.size() && s.compare(0, p.size(), p) == 0;
}
bool ends_with(const std::string& s, const std::string& p) {
  return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}
bool contains(const std::string& s, const std::string& n) { return s.find(n) != std::string::npos; }

std::size_t count_of(const std::string& s, const std::string& n) {
  std::size_t count = 0;
  for (std::size_t pos = s.find(n); pos != std::string::npos; pos = s.find(n, pos + n.size()))
    ++count;
  return count;
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(s);
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::string remove_ascii_spaces(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\t') out.push_back(c);
  return out;
}

std::string normalise_title(const std::string& title) {
  static const std::u32string kDrop = U"《》〈〉“”‘’\"'「」『』()（）[]【】、，,.。:：;；!！?？-—_·~ ";
  std::u32string out;
  for (char32_t c : to_u32(title)) {
    if (is_space(c) || kDrop.find(c) != std::u32string::npos) continue;
    if (c >= 'A' && c <= 'Z') c = c - 'A' + 'a';
    out.push_back(c);
  }
  return to_utf8(out);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  TURNPOINT_EXPECTS(in.good(), "{}: cannot open file", path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {

void fill(const AtomicFile& file, const std::string& content) {
  std::ofstream out(file.temp_path(), std::ios::binary | std::ios::trunc);
  TURNPOINT_EXPECTS(out.good(), "{}: cannot write (temporary file {})", file.target(), file.temp_path());
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.flush();
  TURNPOINT_EXPECTS(out.good(), "{}: write failed (disk full?)", file.target());
}

}  // namespace

void write_file_atomic(const std::string& path, const std::string& content) {
  write_files_atomic({{path, content}});
}

void write_files_atomic(const std::vector<std::pair<std::string, std::string>>& path_and_content) {
  std::vector<std::unique_ptr<AtomicFile>> files;
  for (const auto& [path, content] : path_and_content) {
    const std::filesystem::path target(path);
    if (!target.parent_path().empty()) std::filesystem::create_directories(target.parent_path());
    files.push_back(std::make_unique<AtomicFile>(path));
    fill(*files.back(), content);
  }
  for (auto& f : files) f->commit();
}

}  // namespace turnpoint::text
