#include "text_parse.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "cascade/error.hpp"
#include "file_util.hpp"

namespace cascade::detail {

namespace {

constexpr std::size_t kBlockBytes = std::size_t{1} << 21;
constexpr std::uint64_t kUnlimited = std::numeric_limits<std::uint64_t>::max();

inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

enum class Fault { kNone, kMessage, kWeightMismatch, kTooMany };

// One block of whole lines and what parsing it produced.
struct Block {
  const char* begin = nullptr;
  const char* end = nullptr;
  std::vector<Edge> edges;
  std::vector<float> weights;
  std::uint64_t max_id = 0;
  bool nodes_declared = false;
  std::uint64_t declared_nodes = 0;
  bool has_data = false;         // at least one entry line
  std::uint64_t first_data = 0;  // its line index within the block
  bool first_weighted = false;   // whether it had a weight
  Fault fault = Fault::kNone;    // the first bad line of the block (parsing stops there)
  std::uint64_t fault_line = 0;
  std::string message;
};

// Reads the next whitespace-delimited token of [q, eol); empty at end of line.
inline std::string_view next_token(const char*& q, const char* eol) {
  while (q < eol && is_space(*q)) ++q;
  const char* t = q;
  while (q < eol && !is_space(*q)) ++q;
  return {t, static_cast<std::size_t>(q - t)};
}

// Parses an id token; on failure returns false with msg set.
inline bool parse_id(std::string_view tok, const std::string& name, std::uint64_t base,
                     std::uint64_t limit, const std::string& limit_text, std::uint64_t& out,
                     std::string& msg) {
  if (tok.empty()) {
    msg = "expected a " + name + ", got end of line";
    return false;
  }
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), v);
  if (ec == std::errc::result_out_of_range && ptr == tok.data() + tok.size()) {
    msg = name + " " + quote(tok) + " exceeds " + limit_text;
    return false;
  }
  if (ec != std::errc() || ptr != tok.data() + tok.size()) {
    if (tok.size() > 1 && tok[0] == '-' && tok[1] >= '0' && tok[1] <= '9')
      msg = "negative " + name + " " + quote(tok);
    else
      msg = "expected a " + name + ", got " + quote(tok);
    return false;
  }
  if (v < base) {
    msg = name + " " + quote(tok) + " out of range (ids start at " + std::to_string(base) + ")";
    return false;
  }
  if (v - base >= limit) {
    msg = name + " " + quote(tok) + " exceeds " + limit_text;
    return false;
  }
  out = v - base;
  return true;
}

inline bool parse_weight(std::string_view tok, const std::string& name, float& out,
                         std::string& msg) {
  const char* first = tok.data();
  const char* last = first + tok.size();
  float w = 0.0f;
  auto [ptr, ec] = std::from_chars(first, last, w);
  if (ec == std::errc::result_out_of_range && ptr == last) {
    // Too small or too large for a float: decide by the double value (1e-50 is a valid 0).
    double d = 0.0;
    const auto r = std::from_chars(first, last, d);
    if (r.ec != std::errc()) {
      msg = name + " " + quote(tok) + " outside [0, 1]";
      return false;
    }
    w = static_cast<float>(d);
    ec = std::errc();
  }
  if (ec != std::errc() || ptr != last) {
    msg = "expected a " + name + ", got " + quote(tok);
    return false;
  }
  if (!(w >= 0.0f && w <= 1.0f)) {  // also rejects NaN
    msg = name + " " + quote(tok) + " outside [0, 1]";
    return false;
  }
  out = w + 0.0f;  // -0 becomes +0: weights are compared by bit pattern downstream
  return true;
}

// "Nodes: N" in a comment line (SNAP header), e.g. "# Nodes: 4039 Edges: 88234".
inline void scan_nodes_header(std::string_view comment, Block& b) {
  const std::size_t at = comment.find("Nodes:");
  if (at == std::string_view::npos) return;
  const char* q = comment.data() + at + 6;
  const char* end = comment.data() + comment.size();
  const std::string_view tok = next_token(q, end);
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), v);
  if (tok.empty() || ptr != tok.data() + tok.size()) return;  // some other comment: ignore
  if (ec != std::errc() || v > kMaxVertices) {
    b.fault = Fault::kMessage;
    b.message = "header declares " + quote(tok) + " nodes, more than the limit of " +
                std::to_string(kMaxVertices);
    return;
  }
  b.nodes_declared = true;
  b.declared_nodes = std::max(b.declared_nodes, v);
}

// Parses the lines of one block; stops at the first bad line (or the entry beyond stop_after).
void parse_block(Block& b, const TextSpec& spec, std::uint64_t stop_after) {
  std::string msg;
  const char* p = b.begin;
  for (std::uint64_t line = 0; p < b.end; ++line) {
    const char* eol = static_cast<const char*>(std::memchr(p, '\n', b.end - p));
    if (eol == nullptr) eol = b.end;
    const char* q = p;
    p = eol == b.end ? b.end : eol + 1;
    while (q < eol && is_space(*q)) ++q;
    if (q == eol) continue;  // blank line
    auto fail = [&](Fault f, std::string m) {
      b.fault = f;
      b.fault_line = line;
      b.message = std::move(m);
    };
    if (*q == '#' || *q == '%') {
      if (spec.snap_header) {
        scan_nodes_header({q, static_cast<std::size_t>(eol - q)}, b);
        if (b.fault != Fault::kNone) {
          b.fault_line = line;
          return;
        }
      }
      continue;
    }
    std::uint64_t src = 0, dst = 0;
    if (!parse_id(next_token(q, eol), spec.src_name, spec.id_base, spec.src_limit,
                  spec.src_limit_text, src, msg) ||
        !parse_id(next_token(q, eol), spec.dst_name, spec.id_base, spec.dst_limit,
                  spec.dst_limit_text, dst, msg)) {
      fail(Fault::kMessage, std::move(msg));
      return;
    }
    const std::string_view third = next_token(q, eol);
    const bool has_weight = !third.empty() && spec.weights != TextSpec::Weights::kNever;
    float w = 1.0f;
    if (has_weight && !parse_weight(third, spec.weight_name, w, msg)) {
      fail(Fault::kMessage, std::move(msg));
      return;
    }
    if (!third.empty() && !has_weight) {
      fail(Fault::kMessage, "unexpected " + quote(third) + " after the edge" + spec.extra_column_text);
      return;
    }
    if (third.empty() && spec.weights == TextSpec::Weights::kAlways) {
      fail(Fault::kMessage, "expected a " + spec.weight_name + ", got end of line");
      return;
    }
    const std::string_view extra = next_token(q, eol);
    if (!extra.empty()) {
      fail(Fault::kMessage, "unexpected " + quote(extra) + " after the " +
                                (has_weight ? spec.weight_name : std::string("edge")));
      return;
    }
    if (!b.has_data) {
      b.has_data = true;
      b.first_data = line;
      b.first_weighted = has_weight;
    } else if (has_weight != b.first_weighted) {
      fail(Fault::kWeightMismatch, "");
      return;
    }
    if (b.edges.size() == stop_after) {
      fail(Fault::kTooMany, spec.too_many_text);
      return;
    }
    b.edges.push_back({static_cast<Vertex>(src), static_cast<Vertex>(dst)});
    if (has_weight) b.weights.push_back(w);
    b.max_id = std::max(b.max_id, std::max(src, dst));
  }
}

std::string mismatch_text(bool has_weight, std::uint64_t other_line) {
  return std::string(has_weight ? "line has a weight but line " : "line has no weight but line ") +
         std::to_string(other_line) + (has_weight ? " has none" : " has one") +
         " (weights go on every line or on none)";
}

}  // namespace

std::uint64_t count_lines(std::string_view text, std::size_t pos) {
  std::uint64_t lines = 0;
  const char* p = text.data();
  const char* end = text.data() + std::min(pos, text.size());
  while ((p = static_cast<const char*>(std::memchr(p, '\n', end - p))) != nullptr) {
    ++lines;
    ++p;
  }
  return lines;
}

TextEdges parse_edge_text(std::string_view text, std::uint64_t first_line, const std::string& path,
                          const TextSpec& spec) {
  // Blocks of ~2 MiB, each starting just after a '\n' (a long line may leave a block empty).
  const std::size_t count = std::max<std::size_t>(1, (text.size() + kBlockBytes - 1) / kBlockBytes);
  std::vector<Block> blocks(count);
  const char* base = text.data();
  std::size_t start = 0;
  for (std::size_t i = 0; i < count; ++i) {
    std::size_t stop = text.size();
    if (i + 1 < count) {
      const std::size_t nominal = std::max(start, (i + 1) * kBlockBytes - 1);
      const std::size_t nl = text.find('\n', nominal);
      stop = nl == std::string_view::npos ? text.size() : nl + 1;
    }
    blocks[i].begin = base + start;
    blocks[i].end = base + stop;
    start = stop;
  }
  tbb::parallel_for(std::size_t{0}, count,
                    [&](std::size_t i) { parse_block(blocks[i], spec, kUnlimited); });

  auto line_of = [&](const Block& b, std::uint64_t local) {
    return first_line + count_lines(text, static_cast<std::size_t>(b.begin - base)) + local + 1;
  };
  auto fail_at = [&](const Block& b, std::uint64_t local, const std::string& what) {
    throw FileError(located(path, line_of(b, local), what));
  };

  // The first problem in file order: a bad line, or a block whose weight column disagrees with
  // the first entry line of the file.
  TextEdges out;
  const Block* first = nullptr;  // block holding the file's first entry line
  std::uint64_t total = 0;
  for (const Block& b : blocks) {
    if (b.has_data) {
      if (first == nullptr)
        first = &b;
      else if (b.first_weighted != first->first_weighted)
        fail_at(b, b.first_data, mismatch_text(b.first_weighted, line_of(*first, first->first_data)));
    }
    if (b.fault == Fault::kWeightMismatch)
      fail_at(b, b.fault_line, mismatch_text(!b.first_weighted, line_of(*first, first->first_data)));
    if (b.fault != Fault::kNone) fail_at(b, b.fault_line, b.message);
    total += b.edges.size();
    out.max_id = std::max(out.max_id, b.max_id);
    out.nodes_declared = out.nodes_declared || b.nodes_declared;
    out.declared_nodes = std::max(out.declared_nodes, b.declared_nodes);
  }

  if (total > spec.max_entries) {  // name the line of the first surplus entry
    std::uint64_t before = 0;
    for (Block& b : blocks) {
      if (before + b.edges.size() > spec.max_entries) {
        Block again;
        again.begin = b.begin;
        again.end = b.end;
        parse_block(again, spec, spec.max_entries - before);
        fail_at(again, again.fault_line, again.message);
      }
      before += b.edges.size();
    }
  }

  const bool weighted = first != nullptr && first->first_weighted;
  if (count == 1) {
    out.edges = std::move(blocks[0].edges);
    out.weights = std::move(blocks[0].weights);
    return out;
  }
  std::vector<std::uint64_t> at(count + 1, 0);
  for (std::size_t i = 0; i < count; ++i) at[i + 1] = at[i] + blocks[i].edges.size();
  out.edges.resize(total);
  if (weighted) out.weights.resize(total);
  tbb::parallel_for(std::size_t{0}, count, [&](std::size_t i) {
    std::copy(blocks[i].edges.begin(), blocks[i].edges.end(), out.edges.begin() + at[i]);
    if (weighted)
      std::copy(blocks[i].weights.begin(), blocks[i].weights.end(), out.weights.begin() + at[i]);
    std::vector<Edge>().swap(blocks[i].edges);  // release as we go
    std::vector<float>().swap(blocks[i].weights);
  });
  return out;
}

}  // namespace cascade::detail
