#include "host/io/text_lines.hpp"

#include <algorithm>
#include <cstring>

#include "kernels/error.hpp"

namespace turnpoint {

LineReader::LineReader(const std::string& path) : path_(path), buf_(std::size_t{1} << 20) {
  gz_ = gzopen(path.c_str(), "rb");
  TURNPOINT_EXPECTS(gz_ != nullptr, "{}: cannot open file", path);
  gzbuffer(gz_, 1u << 18);
}

LineReader::~LineReader() {
  if (gz_) gzclose(gz_);
}

std::uint64_t LineReader::bytes_read() const {
  const z_off_t off = gzoffset(gz_);
  return off < 0 ? 0 : static_cast<std::uint64_t>(off);
}

void LineReader::fill() {
  // Keep the unfinished line at the front; grow only for a line longer than the buffer.
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
  const unsigned want = static_cast<unsigned>(std::min<std::size_t>(buf_.size() - end_, 1u << 30));
  const int n = gzread(gz_, buf_.data() + end_, want);
  if (n < 0) {
    int code = 0;
    const char* why = gzerror(gz_, &code);
    TURNPOINT_FAIL("{}: cannot read the file ({}), after line {}", path_, why ? why : "read error",
                   line_no_);
  }
  if (n == 0) {
    int code = 0;
    const char* why = gzerror(gz_, &code);
    // zlib reports a gzip stream cut short only here, as Z_BUF_ERROR at the end.
    TURNPOINT_EXPECTS(code == Z_OK || code == Z_STREAM_END,
                      "{}: damaged or truncated gzip data ({}), after line {}", path_,
                      why ? why : "?", line_no_);
    eof_ = true;
  }
  end_ += static_cast<std::size_t>(n);
}

bool LineReader::next(std::string_view& line) {
  while (true) {
    const char* b = buf_.data() + begin_;
    const void* nl = std::memchr(b, '\n', end_ - begin_);
    if (nl || (eof_ && end_ > begin_)) {
      const std::size_t len = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - b) : end_ - begin_;
      line = std::string_view(b, len);
      begin_ += nl ? len + 1 : len;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line_no_ == 0 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
      ++line_no_;
      return true;
    }
    if (eof_) return false;
    fill();
  }
}

}  // namespace turnpoint
