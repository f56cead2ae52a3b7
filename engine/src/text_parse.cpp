#include "text_parse.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "cascade/error.hpp"
#include "cascade/memory.hpp"
#include "file_util.hpp"

namespace cascade::detail {

namespace {

constexpr std::size_t kBlockBytes = std::size_t{1} << 21;
constexpr std::uint64_t kUnlimited = std::numeric_limits<std::uint64_t>::max();

inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

// Number of '\n' in [p, end), eight bytes at a time: a byte of x = word ^ "\n\n..." is zero
// exactly where the high bit of ~(((x & 0x7f..) + 0x7f..) | x | 0x7f..) is set (no carries
// cross bytes, so there are no false hits).
std::uint64_t count_newlines(const char* p, const char* end) {
  constexpr std::uint64_t kLow7 = 0x7f7f7f7f7f7f7f7fULL;
  constexpr std::uint64_t kNewlines = 0x0a0a0a0a0a0a0a0aULL;
  std::uint64_t n = 0;
  for (; end - p >= 8; p += 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    const std::uint64_t x = word ^ kNewlines;
    const std::uint64_t hits = (~(((x & kLow7) + kLow7) | x | kLow7)) >> 7;  // 0/1 per byte
    n += (hits * 0x0101010101010101ULL) >> 56;  // sum of the bytes (at most 8)
  }
  for (; p < end; ++p) n += *p == '\n';
  return n;
}

enum class Fault { kNone, kMessage, kWeightMismatch, kTooMany };

// One block of whole lines and what parsing it produced. Entries go straight into the result
// arrays at out/wout (room for one entry per line of the block); the gaps that comment lines
// leave are closed afterwards.
struct Block {
  const char* begin = nullptr;
  const char* end = nullptr;
  Edge* out = nullptr;
  float* wout = nullptr;  // null when the file is unweighted
  std::uint64_t capacity = 0;
  std::uint64_t count = 0;
  std::uint64_t max_id = 0;
  bool nodes_declared = false;
  std::uint64_t declared_nodes = 0;
  Fault fault = Fault::kNone;  // the first bad line of the block (parsing stops there)
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
bool parse_id(std::string_view tok, const std::string& name, std::uint64_t base,
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

bool parse_weight(std::string_view tok, const TextSpec& spec, float& out, std::string& msg) {
  const std::string& name = spec.weight_name;
  const char* first = tok.data();
  const char* last = first + tok.size();
  float w = 0.0f;
  auto [ptr, ec] = std::from_chars(first, last, w);
  if (ec == std::errc::result_out_of_range && ptr == last) {
    // Too small or too large for a float: decide by the double value (1e-50 is a valid 0).
    // Beyond a double too (1e-400, 1e999): strtod saturates to 0 or infinity, so every
    // underflow reads as 0 and every overflow is out of range, whatever the type's limits.
    double d = 0.0;
    if (std::from_chars(first, last, d).ec != std::errc())
      d = std::strtod(std::string(tok).c_str(), nullptr);
    w = static_cast<float>(d);
    ec = std::errc();
  }
  if (ec != std::errc() || ptr != last) {
    msg = "expected a " + name + ", got " + quote(tok);
    return false;
  }
  if (!std::isfinite(w)) {
    msg = name + " " + quote(tok) + " is not a finite number";
    return false;
  }
  if (!(w >= spec.weight_min && w <= spec.weight_max)) {
    msg = name + " " + quote(tok) + " " + spec.weight_range_text;
    return false;
  }
  out = w + 0.0f;  // -0 becomes +0: weights are compared by bit pattern downstream
  return true;
}

// "Nodes: N" in a comment line (SNAP header), e.g. "# Nodes: 4039 Edges: 88234".
void scan_nodes_header(std::string_view comment, Block& b) {
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

// One entry line.
struct Entry {
  std::uint64_t src = 0, dst = 0;
  bool has_weight = false;
  float weight = 1.0f;
};

// The reference parser of one entry line [q, eol) (not blank, not a comment): defines what is
// accepted and words every error. Returns false with msg set on a bad line.
bool parse_entry_line(const char* q, const char* eol, const TextSpec& spec, Entry& e,
                      std::string& msg) {
  if (!parse_id(next_token(q, eol), spec.src_name, spec.id_base, spec.src_limit,
                spec.src_limit_text, e.src, msg) ||
      !parse_id(next_token(q, eol), spec.dst_name, spec.id_base, spec.dst_limit,
                spec.dst_limit_text, e.dst, msg))
    return false;
  const std::string_view third = next_token(q, eol);
  e.has_weight = !third.empty() && spec.weights != TextSpec::Weights::kNever;
  e.weight = 1.0f;
  if (e.has_weight && !parse_weight(third, spec, e.weight, msg)) return false;
  if (!third.empty() && !e.has_weight) {
    msg = "unexpected " + quote(third) + " after the edge" + spec.extra_column_text;
    return false;
  }
  if (third.empty() && spec.weights == TextSpec::Weights::kAlways) {
    msg = "expected a " + spec.weight_name + ", got end of line";
    return false;
  }
  const std::string_view extra = next_token(q, eol);
  if (!extra.empty()) {
    msg = "unexpected " + quote(extra) + " after the " +
          (e.has_weight ? spec.weight_name : std::string("edge"));
    return false;
  }
  return true;
}

inline bool is_delimiter(const char* p, const char* end) {
  return p == end || *p == '\n' || is_space(*p);
}

// The fast path: accepts only plain "digits ws digits [ws number] ws* (\n|end)" lines that the
// reference parser accepts with the same result; anything else returns false and goes to the
// reference parser. On success p is past the line's '\n'.
inline bool fast_entry_line(const char*& p, const char* end, const TextSpec& spec, Entry& e) {
  const char* q = p;
  auto id = [&](std::uint64_t limit, std::uint64_t& out) {
    while (q < end && is_space(*q)) ++q;
    // At most 19 digits cannot overflow; longer numbers take the reference path.
    const char* d = q;
    std::uint64_t v = 0;
    for (; d < end && d - q < 19 && static_cast<unsigned char>(*d - '0') < 10; ++d)
      v = 10 * v + static_cast<unsigned char>(*d - '0');
    if (d == q || !is_delimiter(d, end) || v < spec.id_base || v - spec.id_base >= limit)
      return false;
    out = v - spec.id_base;
    q = d;
    return true;
  };
  if (!id(spec.src_limit, e.src) || !id(spec.dst_limit, e.dst)) return false;
  while (q < end && is_space(*q)) ++q;
  e.has_weight = q < end && *q != '\n';
  if (e.has_weight) {
    if (spec.weights == TextSpec::Weights::kNever) return false;
    float w = 0.0f;
    const auto [ptr, ec] = std::from_chars(q, end, w);
    if (ec != std::errc() || ptr == q || !is_delimiter(ptr, end) ||
        !(w >= spec.weight_min && w <= spec.weight_max) || !std::isfinite(w))
      return false;
    e.weight = w + 0.0f;
    q = ptr;
    while (q < end && is_space(*q)) ++q;
    if (q < end && *q != '\n') return false;
  } else if (spec.weights == TextSpec::Weights::kAlways) {
    return false;
  }
  p = q < end ? q + 1 : end;
  return true;
}

// Parses the lines of one block into b.out / b.wout; stops at the first bad line, at a line
// whose weight column disagrees with the file's first entry line, or at the entry beyond
// stop_after.
void parse_block(Block& b, const TextSpec& spec, bool weighted, std::uint64_t stop_after) {
  std::string msg;
  Entry e;
  const char* p = b.begin;
  const char* const end = b.end;
  for (std::uint64_t line = 0; p < end; ++line) {
    const char* q = p;
    while (q < end && is_space(*q)) ++q;
    if (q == end) break;
    if (*q == '\n') {  // blank line
      p = q + 1;
      continue;
    }
    if (*q == '#' || *q == '%' || !fast_entry_line(p, end, spec, e)) {
      const char* eol = static_cast<const char*>(std::memchr(q, '\n', end - q));
      if (eol == nullptr) eol = end;
      p = eol == end ? end : eol + 1;
      if (*q == '#' || *q == '%') {
        if (spec.snap_header) scan_nodes_header({q, static_cast<std::size_t>(eol - q)}, b);
        if (b.fault != Fault::kNone) {
          b.fault_line = line;
          return;
        }
        continue;
      }
      if (!parse_entry_line(q, eol, spec, e, msg)) {
        b.fault = Fault::kMessage;
        b.fault_line = line;
        b.message = std::move(msg);
        return;
      }
    }
    if (e.has_weight != weighted) {
      b.fault = Fault::kWeightMismatch;
      b.fault_line = line;
      return;
    }
    if (b.count == stop_after) {
      b.fault = Fault::kTooMany;
      b.fault_line = line;
      b.message = spec.too_many_text;
      return;
    }
    b.out[b.count] = {static_cast<Vertex>(e.src), static_cast<Vertex>(e.dst)};
    if (weighted) b.wout[b.count] = e.weight;
    ++b.count;
    b.max_id = std::max(b.max_id, std::max(e.src, e.dst));
  }
}

// The first entry line of text (sequential scan): its 1-based line number within text and
// whether it has a third column; {0, false} when there is none. Sets the weight mode of the
// whole file (every other line must agree).
std::pair<std::uint64_t, bool> first_entry_line(std::string_view text) {
  std::uint64_t line = 1;
  for (std::size_t pos = 0; pos < text.size(); ++line) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const char* q = text.data() + pos;
    const char* e = text.data() + eol;
    pos = eol + 1;
    while (q < e && is_space(*q)) ++q;
    if (q == e || *q == '#' || *q == '%') continue;
    next_token(q, e);
    next_token(q, e);
    return {line, !next_token(q, e).empty()};
  }
  return {0, false};
}

std::string mismatch_text(bool has_weight, std::uint64_t other_line) {
  return std::string(has_weight ? "line has a weight but line " : "line has no weight but line ") +
         std::to_string(other_line) + (has_weight ? " has none" : " has one") +
         " (weights go on every line or on none)";
}

}  // namespace

std::uint64_t count_lines(std::string_view text, std::size_t pos) {
  return count_newlines(text.data(), text.data() + std::min(pos, text.size()));
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

  // The weight mode comes from the file's first entry line.
  const auto [first_entry, first_weighted] = first_entry_line(text);
  const bool weighted = spec.weights == TextSpec::Weights::kAlways ||
                        (spec.weights == TextSpec::Weights::kOptional && first_weighted);

  // Room for one entry per line, so that blocks parse in parallel straight into the result.
  tbb::parallel_for(std::size_t{0}, count, [&](std::size_t i) {
    blocks[i].capacity = count_newlines(blocks[i].begin, blocks[i].end) + 1;
  });
  std::vector<std::uint64_t> slot(count + 1, 0);
  for (std::size_t i = 0; i < count; ++i) slot[i + 1] = slot[i] + blocks[i].capacity;
  // Up to one entry per line: a file of newlines asks for 8-12 bytes per byte of text, so check
  // the limit before reserving (cascade/memory.hpp).
  require_memory(edge_list_bytes(slot[count], weighted),
                 located(path, 0, "room for " + std::to_string(slot[count]) + " lines of edges"));
  TextEdges out;
  out.edges.reserve(slot[count]);
  advise_huge_pages(out.edges.data(), slot[count] * sizeof(Edge));
  out.edges.resize(slot[count]);
  if (weighted) {
    out.weights.reserve(slot[count]);
    advise_huge_pages(out.weights.data(), slot[count] * sizeof(float));
    out.weights.resize(slot[count]);
  }
  for (std::size_t i = 0; i < count; ++i) {
    blocks[i].out = out.edges.data() + slot[i];
    blocks[i].wout = weighted ? out.weights.data() + slot[i] : nullptr;
  }
  tbb::parallel_for(std::size_t{0}, count,
                    [&](std::size_t i) { parse_block(blocks[i], spec, weighted, kUnlimited); });

  auto line_of = [&](const Block& b, std::uint64_t local) {
    return first_line + count_lines(text, static_cast<std::size_t>(b.begin - base)) + local + 1;
  };
  auto fail_at = [&](const Block& b, std::uint64_t local, const std::string& what) {
    throw FileError(located(path, line_of(b, local), what));
  };

  // The first bad line in file order: a bad line, or the first entry beyond max_entries
  // (found by parsing its block again with a limit; same values into the same slots).
  std::uint64_t total = 0;
  for (const Block& b : blocks) {
    if (total + b.count > spec.max_entries) {
      Block again = b;
      again.count = 0;
      again.fault = Fault::kNone;
      parse_block(again, spec, weighted, spec.max_entries - total);
      fail_at(again, again.fault_line, again.message);
    }
    if (b.fault == Fault::kWeightMismatch)
      fail_at(b, b.fault_line, mismatch_text(!weighted, first_line + first_entry));
    if (b.fault != Fault::kNone) fail_at(b, b.fault_line, b.message);
    total += b.count;
    out.max_id = std::max(out.max_id, b.max_id);
    out.nodes_declared = out.nodes_declared || b.nodes_declared;
    out.declared_nodes = std::max(out.declared_nodes, b.declared_nodes);
  }

  // Close the gaps left by comment and blank lines (memmove within the arrays).
  std::uint64_t at = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (at != slot[i]) {
      std::memmove(out.edges.data() + at, blocks[i].out, blocks[i].count * sizeof(Edge));
      if (weighted)
        std::memmove(out.weights.data() + at, blocks[i].wout, blocks[i].count * sizeof(float));
    }
    at += blocks[i].count;
  }
  out.edges.resize(at);
  if (weighted) out.weights.resize(at);
  return out;
}

}  // namespace cascade::detail
