// Memory estimates and the process-wide memory limit (cascade/memory.hpp).
#include "cascade/memory.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <mutex>
#include <sstream>
#include <string_view>

#include "cascade/error.hpp"

namespace cascade {

namespace {

constexpr std::uint64_t kUnknown = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t kAlwaysFits = std::uint64_t{16} << 20;  // 16 MiB

// Saturating arithmetic: a hostile header must give a huge estimate, never a wrapped small one.
std::uint64_t add(std::uint64_t a, std::uint64_t b) { return a > kUnknown - b ? kUnknown : a + b; }
std::uint64_t mul(std::uint64_t a, std::uint64_t b) {
  return a != 0 && b > kUnknown / a ? kUnknown : a * b;
}

// The override of set_memory_limit(): bytes (0: none) and its name for messages.
std::atomic<std::uint64_t> g_limit{0};
std::mutex g_source_mutex;
std::string g_source;

// First whitespace-delimited number in a file (memory.max holds "max" or a byte count).
bool read_number(const std::string& path, std::uint64_t& out) {
  std::ifstream in(path);
  std::string word;
  if (!(in >> word)) return false;
  if (word == "max") {
    out = kUnknown;
    return true;
  }
  std::uint64_t v = 0;
  std::istringstream s(word);
  if (!(s >> v)) return false;
  out = v;
  return true;
}

// The smallest limit set on the cgroup `rel` (a path like "/a/b") or any ancestor, under
// `mount` (e.g. /sys/fs/cgroup), reading file `name` at each level; kUnknown when none.
std::uint64_t cgroup_limit(const std::string& mount, std::string rel, const std::string& name) {
  std::uint64_t best = kUnknown;
  for (;;) {
    std::uint64_t v = 0;
    if (read_number(mount + rel + (rel.empty() || rel.back() != '/' ? "/" : "") + name, v))
      best = std::min(best, v);
    if (rel.empty() || rel == "/") break;
    const std::size_t slash = rel.find_last_of('/');
    rel = slash == std::string::npos || slash == 0 ? "/" : rel.substr(0, slash);
  }
  return best;
}

// The memory limit of this process's cgroup (v2 unified or v1 memory controller).
std::uint64_t cgroup_memory_limit() {
  std::ifstream in("/proc/self/cgroup");
  std::uint64_t best = kUnknown;
  for (std::string line; std::getline(in, line);) {
    // "hierarchy-id:controllers:path"; v2 is "0::path".
    const std::size_t a = line.find(':');
    const std::size_t b = a == std::string::npos ? a : line.find(':', a + 1);
    if (b == std::string::npos) continue;
    const std::string controllers = line.substr(a + 1, b - a - 1);
    const std::string path = line.substr(b + 1);
    if (controllers.empty()) {
      best = std::min(best, cgroup_limit("/sys/fs/cgroup", path, "memory.max"));
    } else {
      std::istringstream list(controllers);
      for (std::string c; std::getline(list, c, ',');)
        if (c == "memory")
          best =
              std::min(best, cgroup_limit("/sys/fs/cgroup/memory", path, "memory.limit_in_bytes"));
    }
  }
  return best;
}

std::uint64_t mem_available() {
  std::ifstream in("/proc/meminfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("MemAvailable:", 0) != 0) continue;
    std::istringstream s(line.substr(13));
    std::uint64_t kib = 0;
    if (s >> kib) return mul(kib, 1024);
  }
  return kUnknown;
}

}  // namespace

std::uint64_t csr_bytes(std::uint64_t n, std::uint64_t m, bool weighted) {
  return add(mul(add(n, 1), 8), mul(m, weighted ? 8 : 4));
}

std::uint64_t edge_list_bytes(std::uint64_t m, bool weighted) { return mul(m, weighted ? 12 : 8); }

std::uint64_t build_csr_bytes(std::uint64_t n, std::uint64_t m, bool weighted, bool symmetrize) {
  // Matches detail::assemble(): offsets[n+1] + kept degrees[n] + final offsets[n+1] (24 B per
  // vertex); each arc is filed by source bucket into its final array (4 B target, compacted in
  // place) with 2 B of its source beside it; weighted arcs travel as 8-byte packed keys and are
  // then split into the final targets and weights (8 + 4 + 4 B, after the 2 B are freed).
  const std::uint64_t arcs = symmetrize ? mul(m, 2) : m;
  return add(mul(add(n, 1), 24), mul(arcs, weighted ? 16 : 6));
}

std::uint64_t monte_carlo_bytes(std::uint64_t n, std::uint64_t m, bool weighted,
                                std::uint64_t trials, std::uint64_t workers) {
  // Fused IC at 512 lanes, at most: seen[] (8 * 512 / 64 B per vertex), a frontier mask and a
  // next_before entry as large for a frontier of every vertex, and the vertex lists.
  constexpr std::uint64_t kScratchPerVertex = 3 * 8 * 512 / 64 + 16;
  const std::uint64_t scratch = mul(mul(n, kScratchPerVertex), std::max<std::uint64_t>(workers, 1));
  return add(add(csr_bytes(n, m, weighted), scratch), mul(trials, 16));
}

std::uint64_t available_memory() { return std::min(mem_available(), cgroup_memory_limit()); }

void set_memory_limit(std::uint64_t bytes, const std::string& source) {
  std::lock_guard<std::mutex> lock(g_source_mutex);
  g_source = source;
  g_limit.store(bytes);
}

std::uint64_t memory_limit() {
  const std::uint64_t set = g_limit.load();
  return set != 0 ? set : available_memory();
}

void require_memory(std::uint64_t need, const std::string& what) {
  std::uint64_t limit = g_limit.load();
  std::string source;
  if (limit != 0) {
    std::lock_guard<std::mutex> lock(g_source_mutex);
    source = g_source;
  } else {
    // Without an override, needs this small are not worth reading /proc and /sys for (build_csr
    // and the readers check on every call, also on tiny graphs).
    if (need < kAlwaysFits) return;
    const std::uint64_t avail = mem_available();
    const std::uint64_t cgroup = cgroup_memory_limit();
    limit = std::min(avail, cgroup);
    source = cgroup < avail ? "cgroup memory limit" : "MemAvailable in /proc/meminfo";
  }
  if (need <= limit) return;
  throw ResourceError(what + ": needs about " + format_bytes(need) + " of memory, more than the " +
                      format_bytes(limit) + " available (" + source + ")");
}

std::string format_bytes(std::uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " bytes";
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double v = static_cast<double>(bytes) / 1024.0;
  int unit = 0;
  while (v >= 1024.0 && unit < 5) {
    v /= 1024.0;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[unit]);
  return buf;
}

std::uint64_t parse_bytes(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument("memory size '" + text + "': " + why);
  };
  std::size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
    ++i;
  const std::string number = text.substr(0, i);
  std::string suffix = text.substr(i);
  for (char& c : suffix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (number.empty() || number == "." || std::count(number.begin(), number.end(), '.') > 1)
    throw bad("expected a number of bytes with an optional K, M, G or T suffix, e.g. 8G");
  int shift = 0;
  if (!suffix.empty()) {
    const std::string_view unit = std::string_view(suffix).substr(0, 1);
    const std::string_view rest = std::string_view(suffix).substr(1);
    if (unit == "K")
      shift = 10;
    else if (unit == "M")
      shift = 20;
    else if (unit == "G")
      shift = 30;
    else if (unit == "T")
      shift = 40;
    else if (unit == "B" && rest.empty())
      shift = 0;
    else
      throw bad("unknown unit '" + suffix + "' (K, M, G or T)");
    if (unit != "B" && !rest.empty() && rest != "B" && rest != "IB")
      throw bad("unknown unit '" + suffix + "' (K, M, G or T)");
  }
  const long double value = std::stold(number) * std::ldexp(1.0L, shift);
  if (!(value < 18446744073709551616.0L)) throw bad("too large");
  return static_cast<std::uint64_t>(value);
}

}  // namespace cascade
