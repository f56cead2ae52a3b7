// Graph files: edge lists, Matrix Market and .csr. Round trips against the in-memory builder,
// the documented parsing rules on hand-written files, and every bad-input case: a FileError
// naming the file and the line or byte offset, and no output file left behind.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "cascade/builder.hpp"
#include "cascade/error.hpp"
#include "cascade/io.hpp"
#include "cascade/parallel.hpp"
#include "catch.hpp"
#include "test_helpers.hpp"

using namespace cascade;
using cascade::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// Substring matcher under both Catch2 v2 and v3.
auto Contains(const std::string& s) {
#if defined(CATCH_VERSION_MAJOR) && CATCH_VERSION_MAJOR >= 3
  return Catch::Matchers::ContainsSubstring(s);
#else
  return Catch::Matchers::Contains(s);
#endif
}

// The message of the FileError that body() throws (a test failure if it throws nothing or
// another type).
template <class Body>
std::string file_error(Body body) {
  try {
    body();
  } catch (const FileError& e) {
    return e.what();
  } catch (const std::exception& e) {
    FAIL("expected FileError, got another exception: " << e.what());
  }
  FAIL("expected FileError, nothing was thrown");
  return {};
}

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  REQUIRE(out.good());
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Names in dir (to check that failed writes leave nothing behind).
std::vector<std::string> listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

EdgeList random_list(std::uint64_t n, std::size_t m, bool weighted, unsigned seed) {
  std::mt19937_64 gen(seed);
  EdgeList list;
  list.num_vertices = n;
  if (n == 0) return list;
  std::uniform_int_distribution<Vertex> pick(0, static_cast<Vertex>(n - 1));
  std::uniform_real_distribution<float> weight(0.0f, 1.0f);
  for (std::size_t i = 0; i < m; ++i) {
    list.edges.push_back({pick(gen), pick(gen)});
    if (weighted) list.weights.push_back(i % 11 == 0 ? 1.0f : weight(gen));
  }
  return list;
}

Graph random_graph(std::uint64_t n, std::size_t m, bool weighted, bool symmetric, unsigned seed) {
  BuildOptions options;
  options.symmetrize = symmetric;
  return build_csr(random_list(n, m, weighted, seed), options);
}

// An edge list text of list with assorted comments, whitespace and line endings.
std::string messy_text(const EdgeList& list, unsigned seed) {
  std::mt19937 gen(seed);
  std::string text = "\xEF\xBB\xBF# Directed graph (each unordered pair of nodes is saved once)\n";
  text += "# Nodes: " + std::to_string(list.num_vertices) +
          " Edges: " + std::to_string(list.edges.size()) + "\n";
  const char* gaps[] = {" ", "\t", "  ", " \t "};
  for (std::size_t i = 0; i < list.edges.size(); ++i) {
    switch (gen() % 16) {
      case 0:
        text += "% a comment\n";
        break;
      case 1:
        text += "\n";
        break;
      case 2:
        text += "  \t\r\n";
        break;
      default:
        break;
    }
    if (gen() % 4 == 0) text += " ";
    text += std::to_string(list.edges[i].src) + gaps[gen() % 4] + std::to_string(list.edges[i].dst);
    if (list.has_weights()) {
      std::ostringstream w;
      w.precision(9);  // enough digits to read back the same float
      w << list.weights[i];
      text += gaps[gen() % 4] + w.str();
    }
    if (gen() % 3 == 0) text += " ";
    text += gen() % 2 ? "\r\n" : "\n";
  }
  return text;
}

}  // namespace

TEST_CASE(".csr round trip: write, mmap load, identical graph", "[engine]") {
  TempDir dir;
  const auto path = (dir / "g.csr").string();
  for (bool weighted : {false, true}) {
    for (bool symmetric : {false, true}) {
      for (auto [n, m] : {std::pair<std::uint64_t, std::size_t>{0, 0},
                          {1, 0},
                          {7, 0},
                          {2, 5},
                          {100, 37},
                          {1000, 20000}}) {
        const Graph g = random_graph(n, m, weighted, symmetric, static_cast<unsigned>(n + m));
        INFO("n=" << n << " m=" << m << " weighted=" << weighted << " symmetric=" << symmetric);
        write_csr(g, path);
        for (bool verify : {true, false}) {
          LoadOptions options;
          options.verify_checksum = verify;
          const Graph h = load_csr(path, options);
          CHECK(h == g);
          CHECK(h.num_vertices() == g.num_vertices());
          CHECK(h.num_arcs() == g.num_arcs());
          CHECK(h.has_weights() == (weighted && g.num_arcs() > 0));
          CHECK(h.is_symmetric() == symmetric);
          CHECK(h.transpose() == g.transpose());
        }
        // Size on disk is exactly the documented layout.
        const std::uint64_t targets = (4 * g.num_arcs() + 7) / 8 * 8;
        CHECK(fs::file_size(path) ==
              64 + 8 * (g.num_vertices() + 1) + targets + (g.has_weights() ? targets : 0));
        CHECK(listing(dir.path()) == std::vector<std::string>{"g.csr"});
      }
    }
  }
}

// The loader's check of the symmetric flag (a cursor per vertex over sorted rows) against a
// plain oracle: the multiset of arcs (u, v, w) equals the multiset of reversed arcs (v, u, w).
// Small random multigraphs with self-loops, duplicates (unweighted) and one-off weights, loaded
// with 1, 2 and 3 threads (each worker owns a range of targets).
TEST_CASE(".csr symmetric flag: accepted exactly when every arc's reverse appears as often",
          "[engine]") {
  TempDir dir;
  const auto path = (dir / "g.csr").string();
  std::mt19937_64 rng(7);
  int accepted = 0, refused = 0;
  for (int round = 0; round < 400; ++round) {
    const std::uint64_t n = 1 + rng() % 7;
    const bool weighted = round % 2 == 1;
    std::vector<std::tuple<Vertex, Vertex, float>> arcs;
    const std::size_t pairs = rng() % 10;
    for (std::size_t i = 0; i < pairs; ++i) {
      const auto u = static_cast<Vertex>(rng() % n), v = static_cast<Vertex>(rng() % n);
      const float w = weighted ? 0.25f * static_cast<float>(1 + rng() % 3) : 0.0f;
      arcs.emplace_back(u, v, w);
      if (u != v && rng() % 4 != 0) arcs.emplace_back(v, u, w);  // usually add the reverse
    }
    if (rng() % 4 == 0 && !arcs.empty()) {  // sometimes spoil one weight or drop one arc
      auto& [u, v, w] = arcs[rng() % arcs.size()];
      if (weighted && rng() % 2 == 0)
        w = 1.0f;
      else
        v = static_cast<Vertex>(rng() % n);
    }
    std::sort(arcs.begin(), arcs.end());
    if (weighted)  // weighted rows without duplicate targets (a duplicate's weight order is moot)
      arcs.erase(std::unique(arcs.begin(), arcs.end(),
                             [](const auto& a, const auto& b) {
                               return std::get<0>(a) == std::get<0>(b) &&
                                      std::get<1>(a) == std::get<1>(b);
                             }),
                 arcs.end());
    auto reversed = arcs;
    for (auto& [u, v, w] : reversed) std::swap(u, v);
    std::sort(reversed.begin(), reversed.end());
    const bool oracle = reversed == arcs;

    std::vector<Offset> offsets(n + 1, 0);
    std::vector<Vertex> targets;
    std::vector<float> weights;
    for (const auto& [u, v, w] : arcs) {
      ++offsets[u + 1];
      targets.push_back(v);
      if (weighted) weights.push_back(w);
    }
    for (std::uint64_t u = 0; u < n; ++u) offsets[u + 1] += offsets[u];
    write_csr(Graph(offsets, targets, weights, /*symmetric=*/true), path);
    INFO("round " << round << ": n=" << n << ", " << arcs.size() << " arcs");
    for (std::size_t threads : {1, 2, 3}) {
      ThreadLimit limit(threads);
      bool loaded = true;
      try {
        load_csr(path);
      } catch (const FileError& e) {
        loaded = false;
        CHECK_THAT(std::string(e.what()), Contains("header flags the graph symmetric, but "));
      }
      CHECK(loaded == oracle);
    }
    (oracle ? accepted : refused) += 1;
  }
  CHECK(accepted > 50);  // both outcomes are exercised
  CHECK(refused > 50);
}

TEST_CASE(".csr header: read_csr_header gives the stored fields", "[engine]") {
  TempDir dir;
  const auto path = (dir / "g.csr").string();
  const Graph g = random_graph(300, 2000, true, false, 5);
  write_csr(g, path);
  const CsrHeader h = read_csr_header(path);
  CHECK(h.version == 1);
  CHECK(h.weighted());
  CHECK_FALSE(h.symmetric());
  CHECK(h.vertices == 300);
  CHECK(h.arcs == g.num_arcs());
  CHECK(64 + h.payload_bytes == fs::file_size(path));
  // The stored checksum is the XXH3-64 of the payload at bytes 40..47 (the documented layout).
  std::ifstream in(path, std::ios::binary);
  std::uint64_t stored = 0;
  in.seekg(40);
  in.read(reinterpret_cast<char*>(&stored), 8);
  CHECK(h.checksum == stored);
  {
    std::ofstream bad((dir / "bad.csr").string(), std::ios::binary);
    bad << "CASCSQ\0\0 and more than sixty-four bytes of anything at all, to be sure of it.";
  }
  CHECK_THROWS_AS(read_csr_header((dir / "bad.csr").string()), FileError);
  CHECK_THROWS_AS(read_csr_header((dir / "missing.csr").string()), FileError);
}

TEST_CASE("a loaded .csr outlives its file name and copies share the mapping", "[engine]") {
  TempDir dir;
  const auto path = (dir / "g.csr").string();
  const Graph g = random_graph(300, 2000, true, false, 3);
  write_csr(g, path);
  Graph copy;
  {
    const Graph h = load_csr(path);
    copy = h;
  }
  fs::remove(path);  // the mapping stays valid while a Graph holds it
  CHECK(copy == g);
  // Overwriting an existing file replaces it as a whole.
  write_csr(g, path);
  const Graph small = random_graph(5, 4, false, false, 1);
  write_csr(small, path);
  CHECK(load_csr(path) == small);
}

TEST_CASE("text -> CSR -> .csr -> load gives the builder's graph", "[engine]") {
  TempDir dir;
  for (bool weighted : {false, true}) {
    for (bool symmetric : {false, true}) {
      const EdgeList list = random_list(500, 4000, weighted, 11 + weighted + 2 * symmetric);
      BuildOptions options;
      options.symmetrize = symmetric;
      const Graph expected = build_csr(list, options);
      const auto text_path = (dir / "in.txt").string();
      write_file(text_path, messy_text(list, 5));

      const EdgeList read = read_edge_list(text_path);
      CHECK(read.num_vertices == list.num_vertices);
      CHECK(read.edges == list.edges);
      CHECK(read.weights == list.weights);

      LoadOptions load;
      load.build = options;
      const Graph built = load_graph(text_path, load);
      CHECK(built == expected);
      const auto csr_path = (dir / "out.csr").string();
      save_graph(built, csr_path);
      CHECK(load_graph(csr_path) == expected);

      // And back to text: every extension the format table knows.
      for (const char* name : {"back.el", "back.wel", "back.txt", "back.mtx"}) {
        INFO(name << " weighted=" << weighted << " symmetric=" << symmetric);
        const auto back = (dir / name).string();
        save_graph(expected, back);
        CHECK(load_graph(back, load) == expected);
      }
    }
  }
}

TEST_CASE("edge list parsing: comments, CRLF, BOM, tabs, SNAP header", "[engine]") {
  TempDir dir;
  const auto path = (dir / "g.el").string();
  write_file(path,
             "\xEF\xBB\xBF# Directed graph (each unordered pair of nodes is saved once): x.txt\r\n"
             "# Nodes: 10 Edges: 4\r\n"
             "# FromNodeId\tToNodeId\r\n"
             "0\t1\r\n"
             "\r\n"
             "   \t \r\n"
             "% also a comment\n"
             "  2   3  \n"
             "3\t\t0\r\n"
             "5 5");  // no final newline
  const EdgeList list = read_edge_list(path);
  CHECK(list.num_vertices == 10);  // the header wins over max id + 1 = 6
  CHECK(list.edges == std::vector<Edge>{{0, 1}, {2, 3}, {3, 0}, {5, 5}});
  CHECK_FALSE(list.has_weights());
  CHECK_FALSE(list.undirected);

  // A header smaller than the ids (SNAP files with sparse ids) does not cut vertices off.
  write_file(path, "# Nodes: 2\n0 7\n");
  CHECK(read_edge_list(path).num_vertices == 8);
  // Comments alone with a header: isolated vertices, no arcs.
  write_file(path, "# Nodes: 4 Edges: 0\n");
  CHECK(read_edge_list(path).num_vertices == 4);
  CHECK(read_edge_list(path).edges.empty());
  // Largest allowed id.
  write_file(path, "4294967294 0\n");
  CHECK(read_edge_list(path).num_vertices == kMaxVertices);

  // Weights: exact float values, GAPBS .wel style; -0 is read as 0.
  write_file(path, "0 1 0.5\n1 2 1\n2 0 0\n2 1 1e-3\n1 0 -0\n0 2 1e-50\n");
  const EdgeList w = read_edge_list(path);
  CHECK(w.weights == std::vector<float>{0.5f, 1.0f, 0.0f, 1e-3f, 0.0f, 0.0f});
  CHECK_FALSE(std::signbit(w.weights[4]));
}

TEST_CASE("data files: karate club, tiny.mtx, weighted.el", "[engine]") {
  const std::string data = CASCADE_DATA_DIR;
  const EdgeList karate = read_edge_list(data + "/karate.el");
  CHECK(karate.num_vertices == 34);
  CHECK(karate.edges.size() == 78);
  LoadOptions undirected;
  undirected.build.symmetrize = true;
  const Graph k = load_graph(data + "/karate.el", undirected);
  CHECK(k.num_arcs() == 156);
  CHECK(k.is_symmetric());
  CHECK(k.out_degree(0) == 16);   // the instructor
  CHECK(k.out_degree(33) == 17);  // the administrator
  CHECK(k.out_degree(32) == 12);
  CHECK(k.out_degree(11) == 1);

  const EdgeList tiny = read_matrix_market(data + "/tiny.mtx");
  CHECK(tiny.undirected);
  CHECK(tiny.num_vertices == 6);
  CHECK(tiny.edges.size() == 6);
  const Graph t = load_graph(data + "/tiny.mtx");
  CHECK(t.is_symmetric());
  CHECK(t.num_arcs() == 12);
  CHECK(std::vector<Vertex>(t.out_neighbors(0).begin(), t.out_neighbors(0).end()) ==
        std::vector<Vertex>{1, 2, 3});
  CHECK(std::vector<Vertex>(t.out_neighbors(5).begin(), t.out_neighbors(5).end()) ==
        std::vector<Vertex>{4});

  const Graph w = load_graph(data + "/weighted.el");
  CHECK(w.num_vertices() == 6);
  CHECK(w.num_arcs() == 8);
  REQUIRE(w.has_weights());
  CHECK(w.out_weights(1)[1] == 0.125f);  // 1 -> 3
}

TEST_CASE("Matrix Market: general/symmetric, pattern/real", "[engine]") {
  TempDir dir;
  const auto path = (dir / "m.mtx").string();
  write_file(path,
             "%%MatrixMarket matrix coordinate real general\n"
             "% comment\n"
             "%\n"
             "\n"
             "3 4 3\n"
             "1 2 0.5\n"
             "3 4 1\r\n"
             "% a comment among the entries\n"
             "2 1 0.25");
  EdgeList list = read_matrix_market(path);
  CHECK(list.num_vertices == 4);  // max(rows, columns)
  CHECK_FALSE(list.undirected);
  CHECK(list.edges == std::vector<Edge>{{0, 1}, {2, 3}, {1, 0}});
  CHECK(list.weights == std::vector<float>{0.5f, 1.0f, 0.25f});

  write_file(path, "%%matrixmarket MATRIX Coordinate Integer Symmetric\n2 2 2\n2 1 1\n1 1 0\n");
  list = read_matrix_market(path);
  CHECK(list.undirected);
  CHECK(list.edges == std::vector<Edge>{{1, 0}, {0, 0}});
  CHECK(list.weights == std::vector<float>{1.0f, 0.0f});

  write_file(path, "%%MatrixMarket matrix coordinate pattern general\n0 0 0\n");
  list = read_matrix_market(path);
  CHECK(list.num_vertices == 0);
  CHECK(list.edges.empty());

  // Writer round trips, including the empty and arc-less graphs.
  for (bool weighted : {false, true}) {
    for (bool symmetric : {false, true}) {
      for (auto [n, m] : {std::pair<std::uint64_t, std::size_t>{0, 0}, {5, 0}, {300, 2000}}) {
        const Graph g = random_graph(n, m, weighted, symmetric, 7);
        write_matrix_market(g, path);
        const std::string text = read_file(path);
        CHECK_THAT(text, Contains(symmetric ? "symmetric" : "general"));
        CHECK_THAT(text, Contains(weighted && m > 0 ? "real" : "pattern"));
        CHECK(load_graph(path) == g);  // a symmetric file symmetrizes: same flag, same arcs
      }
    }
  }
}

TEST_CASE("edge list writer round trips arc-less and weighted graphs", "[engine]") {
  TempDir dir;
  const auto path = (dir / "g.el").string();
  for (bool weighted : {false, true}) {
    for (auto [n, m] : {std::pair<std::uint64_t, std::size_t>{0, 0}, {9, 0}, {2000, 30000}}) {
      const Graph g = random_graph(n, m, weighted, false, 9);
      write_edge_list(g, path);
      CHECK(load_graph(path) == g);
    }
  }
}

TEST_CASE("large edge lists parse in blocks: same result and same first error for any thread count",
          "[engine]") {
  TempDir dir;
  const auto path = (dir / "big.el").string();
  const EdgeList list = random_list(1u << 20, 400000, true, 21);  // ~8 MB: several blocks
  write_file(path, messy_text(list, 8));
  for (std::size_t threads : {1, 2, 4}) {
    ThreadLimit limit(threads);
    const EdgeList read = read_edge_list(path);
    CHECK(read.edges == list.edges);
    CHECK(read.weights == list.weights);
  }

  // Many lines, bad ones in late blocks: the first in file order is reported.
  std::string text;
  for (int i = 0; i < 600000; ++i)
    text += std::to_string(i % 1000) + " " + std::to_string(i % 997) + "\n";
  std::string bad = text + "7 x\n" + text + "8 -9\n";
  write_file(path, bad);
  for (std::size_t threads : {1, 4}) {
    ThreadLimit limit(threads);
    CHECK_THAT(file_error([&] { read_edge_list(path); }),
               Contains("big.el:600001: expected a vertex id, got 'x'"));
  }
  // A weight column that appears only in a late block.
  write_file(path, text + "1 2 0.5\n");
  CHECK_THAT(file_error([&] { read_edge_list(path); }),
             Contains("big.el:600001: line has a weight but line 1 has none"));
}

TEST_CASE("edge list reader agrees with a plain reference on random token soup", "[engine]") {
  // Lines built from tokens that are valid, borderline or bad; the reference splits on
  // whitespace and applies the documented rules one line at a time.
  const std::vector<std::string> tokens = {
      "0",  "7",   "123", "00012", "4294967294", "4294967295", "99999999999999999999",
      "-1", "-0",  "0.5", "1",     "1.0",        "1e-3",       "1e0",
      "2",  "nan", "inf", "0.25x", "x",          "1x",         "#",
      "%",  ".5"};
  const std::vector<std::string> gaps = {" ", "\t", "  ", " \t", "\v"};
  struct Expect {
    bool ok = true;
    std::uint64_t bad_line = 0;
    EdgeList list;
  };
  auto reference = [](const std::vector<std::string>& lines) {
    Expect e;
    int mode = -1;  // -1 unknown, 0 unweighted, 1 weighted
    std::uint64_t max_id = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::istringstream in(lines[i]);
      std::vector<std::string> t;
      for (std::string w; in >> w;) t.push_back(w);
      if (t.empty() || t[0][0] == '#' || t[0][0] == '%') continue;
      auto id = [](const std::string& s, std::uint64_t& v) {
        if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos)
          return false;
        v = std::stoull(s);
        return v <= kMaxVertices - 1;
      };
      std::uint64_t u = 0, v = 0;
      float w = 1.0f;
      bool good = (t.size() == 2 || t.size() == 3) && id(t[0], u) && id(t[1], v);
      if (good && t.size() == 3) {
        const auto [ptr, ec] = std::from_chars(t[2].data(), t[2].data() + t[2].size(), w);
        good = ec == std::errc() && ptr == t[2].data() + t[2].size() && w >= 0.0f && w <= 1.0f;
      }
      const int has = t.size() == 3 ? 1 : 0;
      if (good && mode == -1) mode = has;
      if (!good || has != mode) {
        e.ok = false;
        e.bad_line = i + 1;
        return e;
      }
      e.list.edges.push_back({static_cast<Vertex>(u), static_cast<Vertex>(v)});
      if (has) e.list.weights.push_back(w + 0.0f);
      max_id = std::max({max_id, u, v});
    }
    e.list.num_vertices = e.list.edges.empty() ? 0 : max_id + 1;
    return e;
  };

  TempDir dir;
  const auto path = (dir / "soup.el").string();
  std::mt19937 gen(2024);
  int rejected = 0;
  for (int trial = 0; trial < 600; ++trial) {
    std::vector<std::string> lines;
    const int count = 1 + static_cast<int>(gen() % 6);
    for (int l = 0; l < count; ++l) {
      std::string line;
      const int fields =
          trial % 3 == 0 ? 1 + static_cast<int>(gen() % 4) : 2 + static_cast<int>(gen() % 2);
      if (gen() % 4 == 0) line += gaps[gen() % gaps.size()];
      for (int k = 0; k < fields; ++k) {
        if (k > 0) line += gaps[gen() % gaps.size()];
        // Mostly plain ids and weights, so that many files are accepted.
        if (gen() % 3 != 0)
          line += k < 2 ? std::to_string(gen() % 50) : std::string(gen() % 2 ? "0.5" : "1");
        else
          line += tokens[gen() % tokens.size()];
      }
      if (gen() % 4 == 0) line += " ";
      lines.push_back(line);
    }
    std::string text;
    for (const std::string& line : lines) text += line + (gen() % 2 ? "\r\n" : "\n");
    write_file(path, text);
    const Expect expect = reference(lines);
    INFO("file:\n" << text);
    if (!expect.ok) {
      ++rejected;
      CHECK_THAT(file_error([&] { read_edge_list(path); }),
                 Contains("soup.el:" + std::to_string(expect.bad_line) + ":"));
    } else if (expect.list.edges.empty()) {
      CHECK_THAT(file_error([&] { read_edge_list(path); }), Contains("no edges"));
    } else {
      const EdgeList got = read_edge_list(path);
      CHECK(got.num_vertices == expect.list.num_vertices);
      CHECK(got.edges == expect.list.edges);
      CHECK(got.weights == expect.list.weights);
    }
  }
  CHECK(rejected > 50);  // both outcomes are exercised
  CHECK(rejected < 550);
}

TEST_CASE("bad edge lists: FileError naming file and line, no output", "[engine]") {
  TempDir dir;
  struct Case {
    std::string text;
    std::vector<std::string> expect;
  };
  const std::vector<Case> cases = {
      {"0 1\n1 x\n", {"bad.el:2:", "expected a vertex id, got 'x'"}},
      {"0 1\n-1 2\n", {"bad.el:2:", "negative vertex id '-1'"}},
      {"0 1\n2 -7\n", {"bad.el:2:", "negative vertex id '-7'"}},
      {"0 1\n1\n", {"bad.el:2:", "expected a vertex id, got end of line"}},
      {"0 1\n4294967295 0\n", {"bad.el:2:", "exceeds the largest allowed id 4294967294"}},
      {"0 99999999999999999999999\n", {"bad.el:1:", "exceeds"}},
      {"0 1x\n", {"bad.el:1:", "expected a vertex id, got '1x'"}},
      {"0 1.5\n", {"bad.el:1:", "got '1.5'"}},
      {"0 1 0.5\n1 2 1.5\n", {"bad.el:2:", "weight '1.5' outside [0, 1]"}},
      {"0 1 -0.25\n", {"bad.el:1:", "weight '-0.25' outside [0, 1]"}},
      {"0 1 nan\n", {"bad.el:1:", "weight 'nan' is not a finite number"}},
      {"0 1 inf\n", {"bad.el:1:", "is not a finite number"}},
      {"0 1 1e999\n", {"bad.el:1:", "is not a finite number"}},
      {"0 1 0.5x\n", {"bad.el:1:", "expected a weight, got '0.5x'"}},
      {"0 1 0.5\n\n# c\n1 2\n", {"bad.el:4:", "line has no weight but line 1 has one"}},
      {"# h\n0 1\n1 2 0.5\n", {"bad.el:3:", "line has a weight but line 2 has none"}},
      {"0 1 0.5 7\n", {"bad.el:1:", "unexpected '7' after the weight"}},
      {"0 1\r\n2 3 # note\n", {"bad.el:2:", "expected a weight, got '#'"}},
      {"0 1\n2\x01 3\n", {"bad.el:2:", "\\x01"}},
      {"# Nodes: 99999999999\n0 1\n", {"bad.el:1:", "more than the limit"}},
      {"", {"bad.el: empty file"}},
      {"# only a comment\n\n", {"bad.el: no edges"}},
      {"\xEF\xBB\xBF", {"bad.el: no edges"}},
  };
  const auto in = (dir / "bad.el").string();
  const auto out = (dir / "bad.csr").string();
  for (const Case& c : cases) {
    INFO("input: " << c.text);
    write_file(in, c.text);
    const std::string message = file_error([&] { save_graph(load_graph(in), out); });
    for (const std::string& part : c.expect) CHECK_THAT(message, Contains(part));
    CHECK(listing(dir.path()) == std::vector<std::string>{"bad.el"});
  }
  CHECK_THAT(file_error([&] { read_edge_list((dir / "missing.el").string()); }),
             Contains("missing.el: cannot open: No such file"));
  fs::create_directory(dir / "folder.el");
  CHECK_THAT(file_error([&] { read_edge_list((dir / "folder.el").string()); }),
             Contains("folder.el: is a directory"));
}

TEST_CASE("bad Matrix Market files: FileError naming file and line", "[engine]") {
  TempDir dir;
  const std::string head = "%%MatrixMarket matrix coordinate pattern general\n";
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"hello\n1 1 0\n", {"bad.mtx:1:", "not a Matrix Market file"}},
      {"%%MatrixMarket matrix coordinate\n1 1 0\n", {"bad.mtx:1:", "bad Matrix Market banner"}},
      {"%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n", {"bad.mtx:1:", "'array'"}},
      {"%%MatrixMarket matrix coordinate complex general\n1 1 1\n1 1 1 0\n",
       {"bad.mtx:1:", "'complex'"}},
      {"%%MatrixMarket matrix coordinate real skew-symmetric\n2 2 1\n2 1 1\n",
       {"bad.mtx:1:", "'skew-symmetric'"}},
      {"%%MatrixMarket vector coordinate real general\n2 2 1\n2 1 1\n", {"bad.mtx:1:", "'vector'"}},
      {head + "% only comments\n", {"bad.mtx:2:", "missing the size line"}},
      {head + "3 3\n", {"bad.mtx:2:", "size line"}},
      {head + "3 -3 1\n", {"bad.mtx:2:", "size line"}},
      {head + "5000000000 1 0\n", {"bad.mtx:2:", "exceeds the limit"}},
      {"%%MatrixMarket matrix coordinate pattern symmetric\n3 4 0\n", {"bad.mtx:2:", "square"}},
      {head + "3 3 2\n1 2\n4 1\n",
       {"bad.mtx:4:", "row index '4' exceeds the 3 rows declared on line 2"}},
      {head + "3 2 2\n1 2\n1 3\n", {"bad.mtx:4:", "column index '3' exceeds the 2 columns"}},
      {head + "3 3 1\n0 1\n", {"bad.mtx:3:", "row index '0' out of range (ids start at 1)"}},
      {head + "3 3 1\n1 2\n2 3\n", {"bad.mtx:4:", "more entries than the 1 declared on line 2"}},
      {head + "3 3 1\n1 2\n2 3\nx y\n", {"bad.mtx:4:", "more entries than the 1 declared"}},
      {head + "% c\n3 3 3\n1 2\n", {"bad.mtx:3:", "declares 3 entries but the file has 1"}},
      {head + "3 3 1\n1 2 0.5\n", {"bad.mtx:3:", "pattern matrix has no values"}},
      {"%%MatrixMarket matrix coordinate real general\n3 3 1\n1 2\n",
       {"bad.mtx:3:", "expected a value, got end of line"}},
      {"%%MatrixMarket matrix coordinate real general\n3 3 1\n1 2 2.5\n",
       {"bad.mtx:3:", "value '2.5' outside [0, 1]"}},
      {"", {"bad.mtx: empty file"}},
  };
  const auto in = (dir / "bad.mtx").string();
  const auto out = (dir / "bad.csr").string();
  for (const auto& [text, expect] : cases) {
    INFO("input: " << text);
    write_file(in, text);
    const std::string message = file_error([&] { save_graph(load_graph(in), out); });
    for (const std::string& part : expect) CHECK_THAT(message, Contains(part));
    CHECK(listing(dir.path()) == std::vector<std::string>{"bad.mtx"});
  }
}

TEST_CASE("bad .csr files: FileError naming file and byte offset", "[engine]") {
  TempDir dir;
  const auto good_path = (dir / "good.csr").string();
  const Graph g = random_graph(100, 600, true, false, 4);
  write_csr(g, good_path);
  const std::string good = read_file(good_path);
  const auto path = (dir / "g.csr").string();
  auto load_error = [&](const std::string& bytes, bool verify = true) {
    write_file(path, bytes);
    LoadOptions options;
    options.verify_checksum = verify;
    return file_error([&] { load_csr(path, options); });
  };
  auto patched = [&](std::size_t at, const void* value, std::size_t size) {
    std::string bytes = good;
    std::memcpy(bytes.data() + at, value, size);
    return bytes;
  };

  CHECK_THAT(load_error(good.substr(0, good.size() - 12)),
             Contains("g.csr: offset " + std::to_string(good.size() - 12) +
                      ": truncated: header says " + std::to_string(good.size()) +
                      " bytes, file has " + std::to_string(good.size() - 12)));
  CHECK_THAT(load_error(good.substr(0, 30)), Contains("g.csr: offset 30: truncated header"));
  CHECK_THAT(load_error(good + "x"),
             Contains("g.csr: offset " + std::to_string(good.size()) + ": trailing data"));
  CHECK_THAT(load_error(""), Contains("g.csr: offset 0: empty file"));
  CHECK_THAT(load_error("CASC"), Contains("g.csr: offset 4: truncated header"));
  CHECK_THAT(load_error("not a graph at all, just some text that is long enough to be a header"),
             Contains("g.csr: offset 0: not a cascade .csr file (bad magic)"));
  CHECK_THAT(load_error(patched(0, "CASCSV", 6)), Contains("g.csr: offset 0: not a cascade .csr"));
  const std::uint32_t version = 3;
  CHECK_THAT(load_error(patched(8, &version, 4)),
             Contains("g.csr: offset 8: unsupported .csr version 3"));
  const std::uint32_t labelled_version = 2;  // version 2 without the labelled flag
  CHECK_THAT(load_error(patched(8, &labelled_version, 4)),
             Contains("g.csr: offset 12: flags ") && Contains("do not match version 2"));
  const std::uint32_t flags = 0x10;
  CHECK_THAT(load_error(patched(12, &flags, 4)), Contains("g.csr: offset 12: unknown flags"));
  const std::uint64_t many_vertices = std::uint64_t{1} << 33;
  CHECK_THAT(load_error(patched(16, &many_vertices, 8)),
             Contains("g.csr: offset 16: header claims 8589934592 vertices"));
  const std::uint64_t payload = 8;
  CHECK_THAT(load_error(patched(32, &payload, 8)), Contains("g.csr: offset 32: payload size 8"));
  CHECK_THAT(load_error(patched(50, "x", 1)), Contains("g.csr: offset 48: reserved"));

  // Flipped payload byte: the checksum catches it; without the checksum, validation does.
  std::string flipped = good;
  const std::size_t target_byte = 64 + 8 * 101 + 4 * 10 + 3;  // high byte of the 11th target
  flipped[target_byte] = static_cast<char>(flipped[target_byte] ^ 0x40);
  CHECK_THAT(load_error(flipped), Contains("g.csr: offset 64: checksum mismatch (file corrupt)"));
  CHECK_THAT(load_error(flipped, false), Contains("g.csr: offset 64: invalid graph"));

  // A hostile header: 2^40 arcs (and a payload size to match) in a 100-byte file.
  std::string hostile = good.substr(0, 100);
  const std::uint64_t arcs = std::uint64_t{1} << 40;
  const std::uint64_t vertices = 3;
  const std::uint64_t hostile_payload = 8 * 4 + 4 * arcs + 4 * arcs;
  std::memcpy(hostile.data() + 16, &vertices, 8);
  std::memcpy(hostile.data() + 24, &arcs, 8);
  std::memcpy(hostile.data() + 32, &hostile_payload, 8);
  for (bool verify : {true, false})
    CHECK_THAT(load_error(hostile, verify),
               Contains("g.csr: offset 24: header claims 1099511627776 arcs"));
  // Sizes that fit the file but disagree: 10 arcs claimed, payload size consistent, file short.
  const std::uint64_t ten = 10, ten_payload = 8 * 4 + 40 + 40;
  std::memcpy(hostile.data() + 24, &ten, 8);
  std::memcpy(hostile.data() + 32, &ten_payload, 8);
  CHECK_THAT(load_error(hostile), Contains("g.csr: offset 100: truncated: header says 176 bytes"));

  CHECK_THAT(file_error([&] { load_csr((dir / "none.csr").string()); }),
             Contains("none.csr: cannot open"));
  fs::create_directory(dir / "dir.csr");
  CHECK_THAT(file_error([&] { load_graph((dir / "dir.csr").string()); }),
             Contains("dir.csr: is a directory"));
}

TEST_CASE("failed writes throw FileError and leave no file behind", "[engine]") {
  TempDir dir;
  const Graph g = random_graph(50, 200, true, false, 2);
  for (const char* name : {"g.csr", "g.el", "g.mtx"}) {
    const auto missing = (dir / "no-such-dir" / name).string();
    CHECK_THAT(file_error([&] { save_graph(g, missing); }),
               Contains(missing + ": cannot create a temporary file in "));
    CHECK(listing(dir.path()).empty());
    // A directory at the target is refused before any temporary file is created.
    fs::create_directory(dir / name);
    CHECK_THAT(file_error([&] { save_graph(g, (dir / name).string()); }),
               Contains((dir / name).string() + ": is a directory, not a file to write"));
    CHECK(listing(dir.path()) == std::vector<std::string>{name});
    fs::remove(dir / name);
  }
}

TEST_CASE("format_from_path picks the format by extension", "[engine]") {
  CHECK(format_from_path("a/b.csr") == FileFormat::kCsr);
  CHECK(format_from_path("B.CSR") == FileFormat::kCsr);
  CHECK(format_from_path("x.mtx") == FileFormat::kMatrixMarket);
  CHECK(format_from_path("x.mm") == FileFormat::kMatrixMarket);
  CHECK(format_from_path("x.el") == FileFormat::kEdgeList);
  CHECK(format_from_path("x.wel") == FileFormat::kEdgeList);
  CHECK(format_from_path("x.txt") == FileFormat::kEdgeList);
  CHECK(format_from_path("edges") == FileFormat::kEdgeList);
  CHECK(format_from_path("dir.csr/edges") == FileFormat::kEdgeList);
}
