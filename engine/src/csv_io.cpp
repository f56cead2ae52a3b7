// CSV edge tables with a header row naming the columns ("source,target,weight", as pandas and
// spreadsheets write them). Node ids are vertex ids when every one is a non-negative integer,
// else labels (vertex ids in order of first appearance).
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cascade/error.hpp"
#include "cascade/io.hpp"
#include "cascade/labels.hpp"
#include "file_util.hpp"
#include "text_write.hpp"

namespace cascade {

namespace {

constexpr const char* kSourceNames[] = {"source", "src", "from", "u", "node1"};
constexpr const char* kTargetNames[] = {"target", "dst", "to", "v", "node2"};
constexpr const char* kWeightNames[] = {"weight", "w", "p", "probability"};

std::string names_text(const auto& names) {
  std::string out;
  for (const char* n : names) out += std::string(out.empty() ? "" : ", ") + n;
  return out;
}

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// The fields of one line (RFC 4180 quoting: "a ""b""" is a "b"; no line breaks inside).
// Unquoted fields are trimmed of spaces and tabs. Returns "" or the fault.
std::string split_fields(std::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  std::size_t i = 0;
  for (;;) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::string field;
    if (i < line.size() && line[i] == '"') {
      for (++i;; ++i) {
        if (i == line.size()) return "unterminated quoted field (a field cannot span lines)";
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            ++i;
            continue;
          }
          ++i;
          break;
        }
        field += line[i];
      }
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      if (i < line.size() && line[i] != ',')
        return "unexpected " + detail::quote(line.substr(i, 1)) + " after a quoted field";
    } else {
      const std::size_t comma = line.find(',', i);
      const std::size_t end = comma == std::string_view::npos ? line.size() : comma;
      field = std::string(trim(line.substr(i, end - i)));
      i = end;
    }
    fields.push_back(std::move(field));
    if (i >= line.size()) return "";
    ++i;                     // the comma
    if (i == line.size()) {  // a trailing comma: one more, empty field
      fields.emplace_back();
      return "";
    }
  }
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The header column holding one of names; -1 when none. Two such columns are an error.
int find_column(const std::vector<std::string>& header, const auto& names, const char* role,
                const std::string& where) {
  int found = -1;
  for (std::size_t c = 0; c < header.size(); ++c)
    for (const char* n : names)
      if (lower(header[c]) == n) {
        if (found >= 0)
          throw FileError(where + "two " + role + " columns (" + detail::quote(header[found]) +
                          " and " + detail::quote(header[c]) + ")");
        found = static_cast<int>(c);
      }
  return found;
}

bool parse_id(std::string_view text, std::uint64_t& id) {
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  return !text.empty() && ec == std::errc() && ptr == text.data() + text.size() &&
         id < kMaxVertices;
}

// A CSV field as it must be written to read back as the same text.
std::string csv_field(const std::string& s) {
  const bool plain = s.find_first_of(",\"") == std::string::npos && !s.empty() &&
                     s.front() != ' ' && s.front() != '\t' && s.back() != ' ' && s.back() != '\t';
  if (plain) return s;
  std::string out = "\"";
  for (const char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

EdgeList read_csv(const std::string& path, const WeightRule& rule) {
  const auto file = detail::InputFile::open(path);
  std::string_view text = file->text();
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw FileError(path + ": empty file");
  detail::refuse_binary(text, path);

  std::vector<std::string> header, fields;
  std::uint64_t header_line = 0;
  int src_col = -1, dst_col = -1, weight_col = -1;
  bool undirected = false;
  std::uint64_t declared_nodes = 0;
  struct Row {
    std::string src, dst;
  };
  std::vector<Row> rows;
  std::vector<float> weights;
  std::uint64_t line_no = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (trim(line).empty()) continue;
    const std::string where = located(path, line_no, "");
    if (header_line == 0 && trim(line).starts_with('#')) {  // comments before the header
      const std::string_view note = trim(trim(line).substr(1));
      if (note.starts_with("Undirected")) undirected = true;
      if (note.starts_with("Nodes:")) {
        std::uint64_t n = 0;
        const std::string_view digits = trim(note.substr(6));
        const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
        if (ec != std::errc() || n > kMaxVertices)
          throw FileError(where + "header declares " + detail::quote(digits) +
                          " nodes, more than the limit of " + std::to_string(kMaxVertices));
        (void)ptr;
        declared_nodes = n;
      }
      continue;
    }
    if (const std::string fault = split_fields(line, fields); !fault.empty())
      throw FileError(where + fault);
    if (header_line == 0) {
      header = fields;
      header_line = line_no;
      src_col = find_column(header, kSourceNames, "source", where);
      dst_col = find_column(header, kTargetNames, "target", where);
      weight_col = find_column(header, kWeightNames, "weight", where);
      std::string columns;
      for (const auto& h : header) columns += (columns.empty() ? "" : ", ") + detail::quote(h);
      if (src_col < 0)
        throw FileError(where + "the CSV header names no source column (one of " +
                        names_text(kSourceNames) + "); its columns: " + columns);
      if (dst_col < 0)
        throw FileError(where + "the CSV header names no target column (one of " +
                        names_text(kTargetNames) + "); its columns: " + columns);
      continue;
    }
    if (fields.size() != header.size())
      throw FileError(where + std::to_string(fields.size()) + " fields, but the header (line " +
                      std::to_string(header_line) + ") has " + std::to_string(header.size()));
    Row row{std::move(fields[static_cast<std::size_t>(src_col)]),
            std::move(fields[static_cast<std::size_t>(dst_col)])};
    if (row.src.empty()) throw FileError(where + "empty " + header[src_col] + " field");
    if (row.dst.empty()) throw FileError(where + "empty " + header[dst_col] + " field");
    if (weight_col >= 0) {
      const std::string& w = fields[static_cast<std::size_t>(weight_col)];
      double value = 0;
      const auto [ptr, ec] = std::from_chars(w.data(), w.data() + w.size(), value);
      if (w.empty()) throw FileError(where + "expected a weight, got an empty field");
      if ((ec != std::errc() && ec != std::errc::result_out_of_range) || ptr != w.data() + w.size())
        throw FileError(where + "expected a weight, got " + detail::quote(w));
      if (ec == std::errc::result_out_of_range) value = std::strtod(w.c_str(), nullptr);
      if (!std::isfinite(value))
        throw FileError(where + "weight " + detail::quote(w) + " is not a finite number");
      if (!(value >= rule.min_value() && value <= rule.max_value()))
        throw FileError(where + "weight " + detail::quote(w) + " " + rule.range_text());
      weights.push_back(static_cast<float>(value) + 0.0f);
    }
    rows.push_back(std::move(row));
  }
  if (header_line == 0) throw FileError(path + ": no CSV header (only comments)");
  if (rows.empty()) throw FileError(located(path, header_line, "no edges after the CSV header"));

  EdgeList list;
  list.undirected = undirected;
  list.weights = std::move(weights);
  list.edges.reserve(rows.size());
  std::uint64_t id_s = 0, id_t = 0;
  bool numeric = true;
  for (const Row& r : rows)
    if (!parse_id(r.src, id_s) || !parse_id(r.dst, id_t)) {
      numeric = false;
      break;
    }
  if (numeric) {
    std::uint64_t max_id = 0;
    for (const Row& r : rows) {
      parse_id(r.src, id_s);
      parse_id(r.dst, id_t);
      list.edges.push_back({static_cast<Vertex>(id_s), static_cast<Vertex>(id_t)});
      max_id = std::max({max_id, id_s, id_t});
    }
    list.num_vertices = std::max(max_id + 1, declared_nodes);
  } else {
    std::unordered_map<std::string, Vertex> ids;
    std::vector<std::string> names;
    auto id_of = [&](const std::string& label) {
      const auto [at, fresh] = ids.emplace(label, static_cast<Vertex>(names.size()));
      if (fresh) names.push_back(label);
      return at->second;
    };
    for (const Row& r : rows) {
      const Vertex s = id_of(r.src);
      list.edges.push_back({s, id_of(r.dst)});
    }
    list.num_vertices = names.size();
    try {
      list.labels = make_labels(std::move(names));
    } catch (const InvalidArgument& e) {
      throw FileError(path + ": " + e.what());
    }
  }
  try {
    apply_weight_values(list, rule);
  } catch (const InvalidArgument& e) {
    throw FileError(path + ": " + e.what());
  }
  return list;
}

void write_csv(const Graph& g, const std::string& path) {
  detail::AtomicWriter out(path);
  const bool weighted = g.has_weights();
  std::string text;
  if (g.is_symmetric()) text += "# Undirected: both arcs of each edge listed\n";
  if (!g.has_labels()) text += "# Nodes: " + std::to_string(g.num_vertices()) + "\n";
  text += weighted ? "source,target,weight\n" : "source,target\n";
  std::vector<std::string> names(g.num_vertices());
  for (Vertex v = 0; v < g.num_vertices(); ++v) names[v] = csv_field(vertex_name(g, v));
  char buf[32];
  for (Vertex u = 0; u < g.num_vertices(); ++u) {
    const auto nbrs = g.out_neighbors(u);
    const auto ws = g.out_weights(u);
    for (std::size_t k = 0; k < nbrs.size(); ++k) {
      text += names[u];
      text += ',';
      text += names[nbrs[k]];
      if (weighted) {
        text += ',';
        text.append(buf, detail::put_float(buf, ws[k]));
      }
      text += '\n';
    }
    if (text.size() > (std::size_t{1} << 20)) {
      out.write(text);
      text.clear();
    }
  }
  out.write(text);
  out.commit();
}

}  // namespace cascade
