#include "host/io/truth_io.hpp"

#include <fmt/format.h>

#include "kernels/error.hpp"
#include "host/io/hdf5.hpp"

namespace turnpoint {
namespace {
constexpr hsize_t kChunk = 4096;
}  // namespace

// Creates /truth and returns the root, so the members below can name "truth/<column>".
static hid_t with_truth_group(h5s::DeterministicFile& file) {
  file.group("truth");
  return file.root();
}

TruthWriter::TruthWriter(h5s::DeterministicFile& file, std::int32_t n_annotators)
    : series_(file, with_truth_group(file), "truth/series", kChunk),
      index_(file, file.root(), "truth/index", kChunk),
      day_(file, file.root(), "truth/day", kChunk),
      annotator_(file, file.root(), "truth/annotator", kChunk),
      kind_(file, file.root(), "truth/kind", kChunk),
      subtype_(file, file.root(), "truth/subtype", kChunk),
      size_(file, file.root(), "truth/size", kChunk) {
  const hid_t root = file.root();
  h5::Id g(H5Gopen2(root, "truth", H5P_DEFAULT), H5Gclose);
  h5s::write_attr(file, g.get(), "n_annotators", static_cast<std::int64_t>(n_annotators));
  h5s::write_attr(file, g.get(), "kind_names", "0=event,1=seasonal");
  std::string names;
  for (int k = 0; k <= 5; ++k)
    names += fmt::format("{}{}={}", k ? "," : "", k, to_string(static_cast<TruthSubtype>(k)));
  h5s::write_attr(file, g.get(), "subtype_names", names);
  h5s::write_attr(file, g.get(), "index_meaning",
                  "0-based index of the first day of the new segment");
}

void TruthWriter::append(const std::vector<TruthPoint>& points) {
  const std::size_t n = points.size();
  std::vector<std::int32_t> s(n), ix(n), d(n), a(n);
  std::vector<std::int8_t> k(n), st(n);
  std::vector<double> z(n);
  for (std::size_t j = 0; j < n; ++j) {
    s[j] = static_cast<std::int32_t>(points[j].series);
    ix[j] = points[j].index;
    d[j] = points[j].day;
    a[j] = points[j].annotator;
    k[j] = static_cast<std::int8_t>(points[j].kind);
    st[j] = static_cast<std::int8_t>(points[j].subtype);
    z[j] = points[j].size;
  }
  series_.append(s);
  index_.append(ix);
  day_.append(d);
  annotator_.append(a);
  kind_.append(k);
  subtype_.append(st);
  size_.append(z);
}

Truth read_truth(const std::string& path) {
  h5::File file = h5::File::open(path);
  TURNPOINT_EXPECTS(file.has("truth"),
                    "{}: no /truth group (is it a file written by `turnpoint generate`?)", path);
  h5::Location g = file.open_group("truth");
  Truth truth;
  truth.n_annotators = static_cast<std::int32_t>(h5::read_attr_int(g, "n_annotators"));
  TURNPOINT_EXPECTS(truth.n_annotators >= 1, "{}: /truth: n_annotators must be >= 1", path);
  const auto s = h5::read_vector<std::int32_t>(g, "series");
  const auto ix = h5::read_vector<std::int32_t>(g, "index");
  const auto d = h5::read_vector<std::int32_t>(g, "day");
  const auto a = h5::read_vector<std::int32_t>(g, "annotator");
  const auto k = h5::read_vector<std::int8_t>(g, "kind");
  const auto st = h5::read_vector<std::int8_t>(g, "subtype");
  const auto z = h5::read_vector<double>(g, "size");
  const std::size_t n = s.size();
  TURNPOINT_EXPECTS(ix.size() == n && d.size() == n && a.size() == n && k.size() == n &&
                        st.size() == n && z.size() == n,
                    "{}: /truth: datasets have different lengths", path);
  truth.points.resize(n);
  for (std::size_t j = 0; j < n; ++j) {
    TURNPOINT_EXPECTS(k[j] == 0 || k[j] == 1, "{}: /truth/kind[{}] = {} is not 0 or 1", path, j,
                      k[j]);
    TURNPOINT_EXPECTS(st[j] >= 0 && st[j] <= 5, "{}: /truth/subtype[{}] = {} is out of range",
                      path, j, st[j]);
    TURNPOINT_EXPECTS(a[j] >= 0 && a[j] < truth.n_annotators,
                      "{}: /truth/annotator[{}] = {} is not below n_annotators = {}", path, j,
                      a[j], truth.n_annotators);
    TURNPOINT_EXPECTS(s[j] >= 0 && ix[j] >= 0, "{}: /truth row {}: negative series or index",
                      path, j);
    truth.points[j] = {s[j], ix[j], d[j], static_cast<TurnKind>(k[j]),
                       static_cast<TruthSubtype>(st[j]), z[j], a[j]};
    if (j > 0) {
      const auto& p = truth.points[j - 1];
      const auto& q = truth.points[j];
      const bool ordered = p.series < q.series || (p.series == q.series && (p.annotator < q.annotator ||
                                                   (p.annotator == q.annotator && p.index < q.index)));
      TURNPOINT_EXPECTS(ordered, "{}: /truth row {}: rows must be sorted by (series, annotator, "
                                 "index) without duplicates", path, j);
    }
  }
  return truth;
}

}  // namespace turnpoint
