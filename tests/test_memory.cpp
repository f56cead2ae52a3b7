// Memory estimates and the memory limit (cascade/memory.hpp): the estimates against the arrays
// the library really allocates, size parsing and printing, the limit read from /proc/meminfo,
// and up-front refusals by build_csr, the generators and the text readers.
#include <cstdint>
#include <fstream>
#include <limits>
#include <string>

#include "cascade/builder.hpp"
#include "cascade/error.hpp"
#include "cascade/generators.hpp"
#include "cascade/io.hpp"
#include "cascade/memory.hpp"
#include "catch.hpp"
#include "test_helpers.hpp"

using cascade::testing::TempDir;

namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

// Sets a memory limit for a scope and restores the automatic one.
struct Limit {
  explicit Limit(std::uint64_t bytes, const std::string& source = "test limit") {
    cascade::set_memory_limit(bytes, source);
  }
  ~Limit() { cascade::set_memory_limit(0); }
};

// MemTotal from /proc/meminfo in bytes (0 when unknown).
std::uint64_t mem_total() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  while (in >> key >> kib) {
    if (key == "MemTotal:") return kib * 1024;
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return 0;
}

}  // namespace

TEST_CASE("memory: csr_bytes is exactly what a built graph holds", "[engine]") {
  cascade::EdgeList el;
  el.num_vertices = 1000;
  for (cascade::Vertex u = 0; u < 999; ++u) el.edges.push_back({u, u + 1});
  for (bool weighted : {false, true}) {
    el.weights.assign(weighted ? el.edges.size() : 0, 0.5f);
    const cascade::Graph g = cascade::build_csr(el);
    const std::uint64_t held =
        g.offsets().size_bytes() + g.targets().size_bytes() + g.weights().size_bytes();
    CHECK(cascade::csr_bytes(g.num_vertices(), g.num_arcs(), weighted) == held);
  }
  CHECK(cascade::csr_bytes(0, 0, false) == 8);
  CHECK(cascade::edge_list_bytes(10, false) == 80);
  CHECK(cascade::edge_list_bytes(10, true) == 120);
  // Builder scratch: 24 bytes per vertex, 6 (16 weighted) per arc; symmetrize doubles the arcs.
  CHECK(cascade::build_csr_bytes(99, 10, false, false) == 24 * 100 + 6 * 10);
  CHECK(cascade::build_csr_bytes(99, 10, true, true) == 24 * 100 + 16 * 20);
  // A hostile size saturates instead of wrapping to something small.
  CHECK(cascade::csr_bytes(kMax, 1, false) == kMax);
  CHECK(cascade::build_csr_bytes(1, kMax / 2, true, true) == kMax);
  CHECK(cascade::monte_carlo_bytes(1, 1, false, kMax / 8, 1) == kMax);
  CHECK(cascade::monte_carlo_bytes(100, 1000, false, 10, 2) ==
        cascade::csr_bytes(100, 1000, false) + 2 * 100 * 208 + 16 * 10);
}

TEST_CASE("memory: parse_bytes and format_bytes", "[engine]") {
  CHECK(cascade::parse_bytes("4096") == 4096);
  CHECK(cascade::parse_bytes("1K") == 1024);
  CHECK(cascade::parse_bytes("512M") == 512ull << 20);
  CHECK(cascade::parse_bytes("8G") == 8ull << 30);
  CHECK(cascade::parse_bytes("8g") == 8ull << 30);
  CHECK(cascade::parse_bytes("8GB") == 8ull << 30);
  CHECK(cascade::parse_bytes("8GiB") == 8ull << 30);
  CHECK(cascade::parse_bytes("1.5G") == 3ull << 29);
  CHECK(cascade::parse_bytes("2T") == 2ull << 40);
  CHECK(cascade::parse_bytes("100B") == 100);
  for (const char* bad : {"", "G", "-1G", "1.2.3G", "8X", "8GG", "nan", "1e3", " 8G", "8 G",
                          "99999999999T", "18446744073709551616"}) {
    INFO(bad);
    CHECK_THROWS_AS(cascade::parse_bytes(bad), cascade::InvalidArgument);
  }
  CHECK_THROWS_MATCHES(
      cascade::parse_bytes("12Q"), cascade::InvalidArgument,
      Catch::Matchers::Message("memory size '12Q': unknown unit 'Q' (K, M, G or T)"));
  CHECK(cascade::format_bytes(0) == "0 bytes");
  CHECK(cascade::format_bytes(1023) == "1023 bytes");
  CHECK(cascade::format_bytes(1536) == "1.5 KiB");
  CHECK(cascade::format_bytes(std::uint64_t{96} << 30) == "96.0 GiB");
  CHECK(cascade::format_bytes(kMax) == "16.0 EiB");
}

TEST_CASE("memory: the automatic limit is MemAvailable or less", "[engine][may-skip]") {
  const std::uint64_t total = mem_total();
  if (total == 0) {
    WARN("SKIP: no /proc/meminfo: the automatic limit is unknown here");
    return;
  }
  const std::uint64_t avail = cascade::available_memory();
  CHECK(avail > 0);
  CHECK(avail <= total);
}

TEST_CASE("memory: the override replaces the automatic limit", "[engine]") {
  const std::uint64_t avail = cascade::available_memory();
  CHECK(cascade::memory_limit() == avail);
  {
    Limit limit(12345, "--max-memory 12345");
    CHECK(cascade::memory_limit() == 12345);
    CHECK_NOTHROW(cascade::require_memory(12345, "exactly"));
    CHECK_THROWS_MATCHES(cascade::require_memory(12346, "one more"), cascade::ResourceError,
                         Catch::Matchers::Message("one more: needs about 12.1 KiB of memory, more "
                                                  "than the 12.1 KiB available (--max-memory "
                                                  "12345)"));
  }
  CHECK(cascade::memory_limit() == avail);
  // Without an override small needs pass unchecked, and impossible ones are refused.
  CHECK_NOTHROW(cascade::require_memory(1, "tiny"));
  CHECK_THROWS_AS(cascade::require_memory(kMax, "everything"), cascade::ResourceError);
}

TEST_CASE("memory: build_csr, generators and readers refuse up front", "[engine]") {
  // A header-declared vertex count that would need 96 GiB of offsets.
  cascade::EdgeList el;
  el.num_vertices = cascade::kMaxVertices;
  el.edges = {{0, 1}};
  {
    Limit limit(std::uint64_t{1} << 30, "--max-memory 1G");
    CHECK_THROWS_MATCHES(
        cascade::build_csr(el), cascade::ResourceError,
        Catch::Matchers::Message("building a graph of 4294967295 vertices and 1 edges: needs "
                                 "about 96.0 GiB of memory, more than the 1.0 GiB available "
                                 "(--max-memory 1G)"));
  }
  {
    Limit limit(1 << 20, "--max-memory 1M");
    cascade::RmatParams p;
    p.scale = 16;  // 2^20 edges: 8 MiB
    CHECK_THROWS_MATCHES(
        cascade::generate_rmat(p, 1), cascade::ResourceError,
        Catch::Matchers::Message("rmat: an edge list of 1048576 edges: needs about 8.0 MiB of "
                                 "memory, more than the 1.0 MiB available (--max-memory 1M)"));
    CHECK_THROWS_AS(cascade::generate_erdos_renyi(1 << 16, 1 << 18, 1), cascade::ResourceError);
    CHECK_THROWS_AS(cascade::generate_barabasi_albert(1 << 16, 8, 1), cascade::ResourceError);
    CHECK_THROWS_AS(cascade::generate_watts_strogatz(1 << 16, 10, 0.1, 1), cascade::ResourceError);
    CHECK_THROWS_AS(cascade::generate_chung_lu(1 << 16, 16, 2.5, 1), cascade::ResourceError);

    // 200,000 lines of text reserve 1.6 MB of edges before parsing.
    TempDir dir;
    const std::string path = (dir / "lines.el").string();
    {
      std::ofstream out(path);
      for (int i = 0; i < 200000; ++i) out << "0 1\n";
    }
    CHECK_THROWS_MATCHES(cascade::read_edge_list(path), cascade::ResourceError,
                         Catch::Matchers::Message(
                             path + ": room for 200001 lines of edges: needs about 1.5 MiB of "
                                    "memory, more than the 1.0 MiB available (--max-memory 1M)"));
    // Small work still passes under the low limit.
    CHECK(cascade::build_csr(cascade::generate_rmat({4, 4}, 1)).num_vertices() == 16);
  }
  // With the automatic limit an impossible generator request fails cleanly (not by the OOM
  // killer): R-MAT scale 31, edge factor 2^16 is 2^47 edges, a PiB-sized edge list.
  cascade::RmatParams huge;
  huge.scale = 31;
  huge.edge_factor = 1 << 16;
  CHECK_THROWS_AS(cascade::generate_rmat(huge, 1), cascade::ResourceError);
}
