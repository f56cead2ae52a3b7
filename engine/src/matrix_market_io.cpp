// Matrix Market coordinate files: a banner, '%' comments, a size line "rows columns entries",
// then one "row column [value]" entry per line, 1-based. Entry (i, j) is the arc i-1 -> j-1.
#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

#include "cascade/error.hpp"
#include "cascade/io.hpp"
#include "file_util.hpp"
#include "text_parse.hpp"
#include "text_write.hpp"

namespace cascade {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    const std::size_t start = i;
    while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i > start) words.push_back(line.substr(start, i - start));
  }
  return words;
}

bool parse_count(std::string_view word, std::uint64_t& out) {
  const auto [ptr, ec] = std::from_chars(word.data(), word.data() + word.size(), out);
  return ec == std::errc() && ptr == word.data() + word.size();
}

}  // namespace

EdgeList read_matrix_market(const std::string& path, const WeightRule& weights) {
  const auto file = detail::InputFile::open(path);
  std::string_view text = file->text();
  if (text.empty()) throw FileError(path + ": empty file");
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  detail::refuse_binary(text, path);

  // Header lines, one at a time: banner, comments, size line.
  std::size_t pos = 0;
  std::uint64_t line_no = 0;
  auto next_line = [&]() {
    const std::size_t nl = text.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    return line;
  };

  const auto banner = split_words(next_line());
  auto fail = [&](const std::string& what) { throw FileError(located(path, line_no, what)); };
  if (banner.empty() || lower(banner[0]) != "%%matrixmarket")
    fail("not a Matrix Market file: the first line must start with %%MatrixMarket");
  if (banner.size() != 5)
    fail(
        "bad Matrix Market banner: expected '%%MatrixMarket matrix coordinate <field> "
        "<symmetry>'");
  if (lower(banner[1]) != "matrix")
    fail("unsupported Matrix Market object " + detail::quote(banner[1]) + " (only 'matrix')");
  if (lower(banner[2]) != "coordinate")
    fail("unsupported Matrix Market format " + detail::quote(banner[2]) +
         " (only 'coordinate'; dense 'array' matrices are not graphs)");
  const std::string field = lower(banner[3]);
  if (field != "pattern" && field != "real" && field != "integer" && field != "double")
    fail("unsupported Matrix Market field " + detail::quote(banner[3]) +
         " (pattern, real or integer)");
  const std::string symmetry = lower(banner[4]);
  if (symmetry != "general" && symmetry != "symmetric")
    fail("unsupported Matrix Market symmetry " + detail::quote(banner[4]) +
         " (general or symmetric)");

  std::vector<std::string_view> size_words;
  for (;;) {
    if (pos >= text.size()) fail("missing the size line 'rows columns entries'");
    const std::string_view line = next_line();
    const std::size_t first = line.find_first_not_of(" \t\r\v\f");
    if (first == std::string_view::npos || line[first] == '%') continue;
    size_words = split_words(line);
    break;
  }
  std::uint64_t rows = 0, cols = 0, entries = 0;
  if (size_words.size() != 3)
    fail("expected the size line 'rows columns entries' (three non-negative integers)");
  // A count beyond 2^64 - 1 is named as such (not as a malformed line): it is a hostile or
  // corrupt header, and the message should say which number is wrong.
  const char* kSizeNames[] = {"rows", "columns", "entries"};
  std::uint64_t* counts[] = {&rows, &cols, &entries};
  for (int i = 0; i < 3; ++i) {
    if (parse_count(size_words[i], *counts[i])) continue;
    if (!size_words[i].empty() &&
        size_words[i].find_first_not_of("0123456789") == std::string::npos)
      fail(std::string("size line: ") + kSizeNames[i] + " " + detail::quote(size_words[i]) +
           " is too large");
    fail("expected the size line 'rows columns entries' (three non-negative integers), got " +
         detail::quote(size_words[i]) + " for " + kSizeNames[i]);
  }
  if (rows > kMaxVertices || cols > kMaxVertices)
    fail("matrix size " + std::to_string(rows) + " x " + std::to_string(cols) +
         " exceeds the limit of " + std::to_string(kMaxVertices) + " vertices");
  if (symmetry == "symmetric" && rows != cols)
    fail("a symmetric matrix must be square, this one is " + std::to_string(rows) + " x " +
         std::to_string(cols));
  const std::uint64_t size_line = line_no;

  detail::TextSpec spec;
  spec.id_base = 1;
  spec.src_limit = rows;
  spec.dst_limit = cols;
  spec.src_name = "row index";
  spec.dst_name = "column index";
  spec.weight_name = "value";
  detail::set_weight_rule(spec, weights);
  spec.src_limit_text =
      "the " + std::to_string(rows) + " rows declared on line " + std::to_string(size_line);
  spec.dst_limit_text =
      "the " + std::to_string(cols) + " columns declared on line " + std::to_string(size_line);
  spec.weights =
      field == "pattern" ? detail::TextSpec::Weights::kNever : detail::TextSpec::Weights::kAlways;
  spec.extra_column_text = " (a pattern matrix has no values)";
  spec.snap_header = false;
  spec.max_entries = entries;
  spec.too_many_text = "more entries than the " + std::to_string(entries) + " declared on line " +
                       std::to_string(size_line);
  detail::TextEdges parsed = detail::parse_edge_text(text.substr(pos), line_no, path, spec);
  if (parsed.edges.size() < entries)
    throw FileError(located(path, size_line,
                            "declares " + std::to_string(entries) + " entries but the file has " +
                                std::to_string(parsed.edges.size())));

  EdgeList list;
  list.num_vertices = std::max(rows, cols);
  list.edges = std::move(parsed.edges);
  list.weights = std::move(parsed.weights);
  list.undirected = symmetry == "symmetric";
  apply_weight_values(list, weights);
  return list;
}

void write_matrix_market(const Graph& g, const std::string& path) {
  // A symmetric graph is written as a symmetric matrix: only the lower triangle (v <= u).
  const bool symmetric = g.is_symmetric();
  const bool weighted = g.has_weights();
  const std::uint64_t n = g.num_vertices();
  auto kept = [&](Vertex u) -> std::size_t {
    const auto nbrs = g.out_neighbors(u);
    if (!symmetric) return nbrs.size();
    return static_cast<std::size_t>(std::upper_bound(nbrs.begin(), nbrs.end(), u) - nbrs.begin());
  };
  const std::uint64_t entries = tbb::parallel_reduce(
      tbb::blocked_range<std::uint64_t>(0, n), std::uint64_t{0},
      [&](const tbb::blocked_range<std::uint64_t>& r, std::uint64_t sum) {
        for (std::uint64_t u = r.begin(); u < r.end(); ++u) sum += kept(static_cast<Vertex>(u));
        return sum;
      },
      [](std::uint64_t a, std::uint64_t b) { return a + b; });

  detail::AtomicWriter out(path);
  out.write(std::string("%%MatrixMarket matrix coordinate ") + (weighted ? "real" : "pattern") +
            (symmetric ? " symmetric" : " general") + "\n% written by cascade: " +
            std::to_string(n) + " vertices, " + std::to_string(g.num_arcs()) + " arcs" +
            (symmetric ? " (lower triangle of a symmetric graph)" : "") + "\n" + std::to_string(n) +
            " " + std::to_string(n) + " " + std::to_string(entries) + "\n");
  const std::size_t bytes_per_arc = 10 + 1 + 10 + 1 + (weighted ? 33 : 0);
  detail::write_vertex_text(out, g, bytes_per_arc, [&](Vertex u, char* o) {
    const auto nbrs = g.out_neighbors(u);
    const auto ws = g.out_weights(u);
    const std::size_t count = kept(u);
    for (std::size_t k = 0; k < count; ++k) {
      o = detail::put_uint(o, std::uint64_t{u} + 1);
      *o++ = ' ';
      o = detail::put_uint(o, std::uint64_t{nbrs[k]} + 1);
      if (weighted) {
        *o++ = ' ';
        o = detail::put_float(o, ws[k]);
      }
      *o++ = '\n';
    }
    return o;
  });
  out.commit();
}

}  // namespace cascade
