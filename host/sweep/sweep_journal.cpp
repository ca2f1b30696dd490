#include "host/sweep/sweep_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <system_error>

#include "kernels/error.hpp"

namespace turnpoint {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr char kMagic[8] = {'T', 'P', 'S', 'W', 'J', '2', '\n', '\0'};

void put_block(std::ofstream& out, const std::vector<std::uint8_t>& bytes) {
  const std::uint64_t n = bytes.size();
  out.write(reinterpret_cast<const char*>(&n), sizeof n);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

bool fsync_path(const fs::path& p, bool directory) {
  const int fd = ::open(p.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
  if (fd < 0) return directory;  // a folder that cannot be opened: nothing to flush
  const bool ok = ::fsync(fd) == 0;
  return ::close(fd) == 0 && ok;
}

JournalEntryWriter::JournalEntryWriter(fs::path target)
    : target_(std::move(target)), temp_(target_.string() + ".tmp") {
  out_.open(temp_, std::ios::binary | std::ios::trunc);
  TURNPOINT_EXPECTS(out_.good(), "{}: cannot write the sweep journal", temp_.string());
  out_.write(kMagic, sizeof kMagic);
}

JournalEntryWriter::~JournalEntryWriter() {
  if (committed_) return;
  out_.close();
  std::error_code ec;
  fs::remove(temp_, ec);
}

void JournalEntryWriter::append(const JournalRecord& r) {
  const json header = {{"first_scenario", r.first_scenario}, {"scenarios", r.scenarios},
                       {"first_series", r.first_series}, {"series", r.series}, {"points", r.points}};
  put_block(out_, json::to_cbor(header));
  put_block(out_, json::to_cbor(r.body));
  TURNPOINT_EXPECTS(out_.good(), "{}: cannot write the sweep journal", temp_.string());
}

void JournalEntryWriter::commit() {
  // A full disk or quota often shows only at close or fsync (NFS): an entry that did not
  // reach the disk whole must not be renamed into place.
  out_.flush();
  out_.close();
  TURNPOINT_EXPECTS(!out_.fail() && fsync_path(temp_, false), "{}: cannot write the sweep journal (disk full?)",
                    temp_.string());
  fs::rename(temp_, target_);
  committed_ = true;
  fsync_path(target_.parent_path(), true);
}

void read_journal_entry(const fs::path& path, bool bodies, const std::function<void(const JournalRecord&)>& f) {
  const auto damaged = [&](const std::string& what) {
    TURNPOINT_FAIL("{}: damaged sweep journal entry ({}); delete it to run that batch again", path.string(), what);
  };
  std::ifstream in(path, std::ios::binary);
  TURNPOINT_EXPECTS(in.good(), "{}: cannot read the sweep journal entry", path.string());
  std::error_code ec;
  const std::uint64_t size = fs::file_size(path, ec);
  char magic[sizeof kMagic];
  if (ec || !in.read(magic, sizeof magic) || std::memcmp(magic, kMagic, sizeof kMagic) != 0)
    damaged("not a journal entry of this version");
  std::uint64_t at = sizeof kMagic;
  // The next block's length, checked against what is left of the file.
  const auto length = [&]() -> std::uint64_t {
    std::uint64_t n = 0;
    if (!in.read(reinterpret_cast<char*>(&n), sizeof n) || n > size - at - sizeof n) damaged("truncated");
    at += sizeof n + n;
    return n;
  };
  while (at < size) {
    const std::uint64_t header_bytes = length();
    std::vector<std::uint8_t> buf(header_bytes);
    if (!in.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(buf.size()))) damaged("truncated");
    JournalRecord r;
    try {
      const json h = json::from_cbor(buf);
      r.first_scenario = h.at("first_scenario").get<std::int64_t>();
      r.scenarios = h.at("scenarios").get<std::int64_t>();
      r.first_series = h.at("first_series").get<std::int64_t>();
      r.series = h.at("series").get<std::int64_t>();
      r.points = h.at("points").get<std::vector<std::int64_t>>();
    } catch (const json::exception& e) {
      damaged(e.what());
    }
    if (at >= size) damaged("a record without its results");
    const std::uint64_t body_bytes = length();
    if (bodies) {
      buf.resize(body_bytes);
      if (!in.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(buf.size()))) damaged("truncated");
      try {
        r.body = json::from_cbor(buf);
      } catch (const json::exception& e) {
        damaged(e.what());
      }
    } else {
      in.seekg(static_cast<std::streamoff>(body_bytes), std::ios::cur);
    }
    f(r);
  }
}

}  // namespace turnpoint
