// Writes that never leave a half-written file: the writer fills a temporary sibling of the
// target (same folder, so rename() is atomic on POSIX file systems), and commit() renames it
// over the target. Destroyed without commit() (an exception on the way), it removes the
// temporary, so an existing target survives a failed write untouched.
#pragma once
#include <string>

namespace turnpoint {

class AtomicFile {
 public:
  // Creates a unique, empty temporary "<folder>/.<name>.tmp-XXXXXX" next to `target`.
  explicit AtomicFile(std::string target);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  const std::string& temp_path() const { return temp_; }
  const std::string& target() const { return target_; }
  // Renames the (closed) temporary over the target; throws naming both on failure.
  void commit();

 private:
  std::string target_;
  std::string temp_;
  bool committed_ = false;
};

}  // namespace turnpoint
