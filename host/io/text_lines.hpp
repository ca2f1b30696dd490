// Lines of a text file, plain or gzip-compressed (zlib reads both the same way), streamed
// through a fixed buffer: the text is never held whole, so a 2-million-row table costs the
// memory of one buffer. A UTF-8 byte-order mark before the first line and the CR of CRLF
// line ends are dropped.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <zlib.h>

namespace turnpoint {

class LineReader {
 public:
  // Throws invalid_input "<path>: cannot open file".
  explicit LineReader(const std::string& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line (valid until the next call); false at the end of the file. Throws
  // invalid_input naming the file when the gzip stream is damaged or truncated.
  bool next(std::string_view& line);
  // 1-based number of the line last returned.
  std::uint32_t line_no() const { return line_no_; }
  // Bytes of the file consumed so far (compressed bytes for a gzip file): for progress.
  std::uint64_t bytes_read() const;
  const std::string& path() const { return path_; }

 private:
  void fill();

  std::string path_;
  gzFile gz_ = nullptr;
  std::vector<char> buf_;
  std::size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  std::uint32_t line_no_ = 0;
};

}  // namespace turnpoint
