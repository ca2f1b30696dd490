// Writes that never leave a half-written file: the writer fills a temporary in the target's
// folder (so the final rename() is atomic on POSIX file systems), and commit() renames it
// over the target. Destroyed without commit() (an exception on the way), it removes the
// temporary, so an existing target survives a failed write untouched.
//
// Killed (SIGKILL, a crash, the power), a process cannot clean up: its temporary is named
// "<folder>/.<name>.tmp-<pid>-XXXXXX", and the next AtomicFile of the same target (the same
// command run again) removes those whose process no longer runs. (An unnamed O_TMPFILE would
// leave nothing, but HDF5 cannot create a file through /proc/self/fd.) docs/reliability.md.
#pragma once
#include <string>

namespace turnpoint {

class AtomicFile {
 public:
  // Creates a unique, empty temporary "<folder>/.<name>.tmp-<pid>-XXXXXX" next to `target`
  // (after removing those of dead processes); throws invalid_input when `target` is a folder.
  explicit AtomicFile(std::string target);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  // The path the writer opens (and truncates) to fill the temporary.
  const std::string& temp_path() const { return temp_; }
  const std::string& target() const { return target_; }
  // Renames the (closed) temporary over the target; throws naming the target on failure,
  // keeping the old target.
  void commit();

 private:
  std::string target_;
  std::string temp_;  // removed by the destructor unless committed
  bool committed_ = false;
};

// Removes the temporaries "<folder>/.<name>.tmp-<pid>-*" of `target` left by processes that
// no longer run (killed before their commit). Called by every AtomicFile; exposed for tests.
void remove_stale_temporaries(const std::string& target);

}  // namespace turnpoint
