// Real files in (issue 18): weight rules over GAPBS .wel and NetworkX weighted edge lists,
// gzip/zstd input (by magic bytes) and output (by extension) against the plain files, the
// file's own "undirected" declaration, and one-line errors for bad input.
#include <zlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cascade/builder.hpp"
#include "cascade/error.hpp"
#include "cascade/io.hpp"
#include "cascade/weights.hpp"
#include "catch.hpp"
#include "test_helpers.hpp"

using namespace cascade;
using cascade::testing::TempDir;
namespace fs = std::filesystem;

namespace {

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

template <class Body>
std::string error_of(Body body) {
  try {
    body();
  } catch (const Error& e) {
    return e.what();
  }
  return "(nothing thrown)";
}

LoadOptions with_rule(const std::string& rule) {
  LoadOptions o;
  o.weights = WeightRule::parse(rule);
  return o;
}

// Weight of arc u->v (the test graphs have it).
float weight(const Graph& g, Vertex u, Vertex v) {
  const auto nbrs = g.out_neighbors(u);
  for (std::size_t k = 0; k < nbrs.size(); ++k)
    if (nbrs[k] == v) return g.out_weights(u)[k];
  FAIL("no arc " << u << "->" << v);
  return -1;
}

// What GAPBS `converter -g 10 -w -e g.wel` writes: "u v w", integer weights in [1, 255].
const char* kWel = "0 1 218\n1 2 4\n2 0 255\n0 2 1\n";
// What NetworkX write_weighted_edgelist writes for float weights.
const char* kNetworkx = "0 1 4.0\n1 2 0.5\n2 3 2.0\n";

}  // namespace

TEST_CASE("weight rules give the documented probabilities", "[engine][formats]") {
  TempDir dir;
  const std::string wel = (dir / "g10.wel").string();
  const std::string nx = (dir / "nx.edgelist").string();
  write_file(wel, kWel);
  write_file(nx, kNetworkx);

  // probability: out of range is a one-line error naming the file, the line and the option.
  const std::string err = error_of([&] { load_graph(wel); });
  CHECK(err.find(wel + ":1: weight '218' outside [0, 1]") == 0);
  CHECK(err.find("--weights") != std::string::npos);
  CHECK(err.find('\n') == std::string::npos);

  const Graph by_max = load_graph(wel, with_rule("max"));
  CHECK(weight(by_max, 0, 1) == static_cast<float>(218.0 / 255.0));
  CHECK(weight(by_max, 2, 0) == 1.0f);
  const Graph scaled = load_graph(wel, with_rule("scale:0.002"));
  CHECK(weight(scaled, 0, 1) == static_cast<float>(0.002 * 218.0f));
  CHECK(weight(scaled, 1, 2) == static_cast<float>(0.002 * 4.0f));
  // scale that leaves [0, 1]: the line and the rule are named.
  CHECK(error_of([&] {
          load_graph(wel, with_rule("scale:0.01"));
        }).find(wel + ":1: weight '218' outside [0, 100]") == 0);
  const Graph expo = load_graph(nx, with_rule("exp:2"));
  CHECK(weight(expo, 0, 1) == static_cast<float>(1.0 - std::exp(-4.0 / 2.0)));
  CHECK(weight(expo, 1, 2) == static_cast<float>(1.0 - std::exp(-0.5 / 2.0)));
  const Graph nx_max = load_graph(nx, with_rule("max"));
  CHECK(weight(nx_max, 2, 3) == 0.5f);
  CHECK_FALSE(load_graph(nx, with_rule("none")).has_weights());
  CHECK_FALSE(load_graph(wel, with_rule("ignore")).has_weights());

  // wc: 1/in-degree of the target, the file's weights ignored (vertex 2 has in-degree 2).
  const Graph wc = load_graph(wel, with_rule("wc"));
  CHECK(weight(wc, 1, 2) == 0.5f);
  CHECK(weight(wc, 0, 2) == 0.5f);
  CHECK(weight(wc, 0, 1) == 1.0f);

  // Negative weights: any real is readable by none, refused by max with the line named.
  write_file(dir / "neg.el", "0 1 -3.5\n1 0 2\n");
  CHECK_FALSE(load_graph((dir / "neg.el").string(), with_rule("none")).has_weights());
  CHECK(error_of([&] {
          load_graph((dir / "neg.el").string(), with_rule("max"));
        }).find(":1: weight '-3.5' is negative (--weights max") != std::string::npos);

  // Matrix Market integer values (SciPy mmwrite) read by max.
  write_file(dir / "m.mtx",
             "%%MatrixMarket matrix coordinate integer general\n3 3 2\n1 2 4\n2 3 8\n");
  const Graph mm = load_graph((dir / "m.mtx").string(), with_rule("max"));
  CHECK(weight(mm, 0, 1) == 0.5f);
  CHECK(weight(mm, 1, 2) == 1.0f);

  // Rules parse back from their names; bad rules name the option.
  for (const char* r : {"probability", "none", "scale:0.25", "max", "exp:3", "wc", "trivalency"})
    CHECK(WeightRule::parse(WeightRule::parse(r).name()).name() == r);
  CHECK_THROWS_AS(WeightRule::parse("scale:0"), InvalidArgument);
  CHECK_THROWS_AS(WeightRule::parse("exp:"), InvalidArgument);
  CHECK(error_of([] {
          WeightRule::parse("bogus", "network.weights");
        }).find("network.weights 'bogus'") == 0);
}

TEST_CASE("trivalency draws 0.1, 0.01, 0.001 each a third of the time, per arc",
          "[engine][formats]") {
  // A ring of 30000 arcs both ways: the three levels each about 1/3 (binomial sd ~ 0.27%).
  EdgeList list;
  list.num_vertices = 15000;
  for (Vertex u = 0; u < 15000; ++u) list.edges.push_back({u, (u + 1) % 15000});
  list.undirected = true;
  const Graph g = apply_weight_rule(build_csr(list), WeightRule::parse("trivalency"));
  std::size_t count[3] = {0, 0, 0}, asymmetric = 0;
  for (Vertex u = 0; u < g.num_vertices(); ++u)
    for (std::size_t k = 0; k < g.out_degree(u); ++k) {
      const float w = g.out_weights(u)[k];
      REQUIRE((w == 0.1f || w == 0.01f || w == 0.001f));
      ++count[w == 0.1f ? 0 : w == 0.01f ? 1 : 2];
      CHECK(w == trivalency_probability(u, g.out_neighbors(u)[k]));
      asymmetric += w != weight(g, g.out_neighbors(u)[k], u);
    }
  const double n = static_cast<double>(g.num_arcs());
  const double sd = std::sqrt(n / 3 * 2 / 3);
  for (std::size_t c : count) CHECK(std::abs(static_cast<double>(c) - n / 3) < 5 * sd);
  // Per arc, not per edge: the two directions disagree about 2/3 of the time.
  CHECK(std::abs(static_cast<double>(asymmetric) - n * 2 / 3) < 5 * std::sqrt(n * 2 / 9));
  CHECK_FALSE(g.is_symmetric());
}

TEST_CASE("gzip and zstd files equal their plain files", "[engine][formats]") {
  TempDir dir;
  const std::string karate = CASCADE_DATA_DIR "/karate.el";
  const Graph plain = load_graph(karate);
  // Written compressed by extension, read back by magic bytes (also under a neutral name).
  for (const char* name : {"k.el.gz", "k.el.zst", "k.mtx.gz", "k.csr.zst"}) {
    const std::string path = (dir / name).string();
    save_graph(plain, path);
    const std::string bytes = read_file(path);
    REQUIRE(bytes.size() > 4);
    const bool gz = std::string(name).ends_with(".gz");
    CHECK(static_cast<unsigned char>(bytes[0]) == (gz ? 0x1f : 0x28));
    CHECK(load_graph(path) == plain);
    save_graph(load_graph(path), (dir / "again.csr").string());
    save_graph(plain, (dir / "plain.csr").string());
    CHECK(read_csr_header((dir / "again.csr").string()).checksum ==
          read_csr_header((dir / "plain.csr").string()).checksum);
  }
  // A .gz made by zlib itself (two members, as `cat a.gz b.gz` gives), named like a plain file.
  const std::string text = read_file(karate);
  std::string gz;
  for (const std::string& part : {text.substr(0, 200), text.substr(200)}) {
    z_stream z{};
    REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(part.size() + 1024, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(part.data()));
    z.avail_in = static_cast<uInt>(part.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(out.size() - z.avail_out);
    deflateEnd(&z);
    gz += out;
  }
  write_file(dir / "karate.el", gz);
  CHECK(load_graph((dir / "karate.el").string()) == plain);

  // Truncated and corrupt streams: one line naming the file.
  write_file(dir / "cut.el.gz", gz.substr(0, gz.size() / 3));
  const std::string cut = error_of([&] { load_graph((dir / "cut.el.gz").string()); });
  CHECK(cut.find((dir / "cut.el.gz").string() + ": ") == 0);
  CHECK(cut.find("gzip") != std::string::npos);
  CHECK(cut.find('\n') == std::string::npos);
  const std::string zst = read_file(dir / "k.el.zst");
  write_file(dir / "cut.el.zst", zst.substr(0, zst.size() - 3));
  CHECK(error_of([&] {
          load_graph((dir / "cut.el.zst").string());
        }).find((dir / "cut.el.zst").string() + ": truncated zstd data") == 0);
  std::string bad = zst;
  bad[bad.size() / 2] ^= 0x55;  // zstd frames carry a checksum (written with one)
  write_file(dir / "bad.el.zst", bad);
  CHECK(error_of([&] { load_graph((dir / "bad.el.zst").string()); }).find("corrupt zstd data") !=
        std::string::npos);
  std::string badgz = read_file(dir / "k.el.gz");
  badgz[badgz.size() / 2] ^= 0x55;  // gzip members carry a CRC-32
  write_file(dir / "bad.el.gz", badgz);
  CHECK(error_of([&] { load_graph((dir / "bad.el.gz").string()); }).find("corrupt gzip data") !=
        std::string::npos);
  // A parse error inside compressed text keeps its file:line.
  save_graph(plain, (dir / "ok.el.gz").string());
  write_file(dir / "typo.txt", "0 1\n1 x\n");
  save_graph(plain, (dir / "unused.el").string());
  {
    std::string t = "0 1\n1 x\n";
    z_stream z{};
    REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(1024, '\0');
    z.next_in = reinterpret_cast<Bytef*>(t.data());
    z.avail_in = static_cast<uInt>(t.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(out.size() - z.avail_out);
    deflateEnd(&z);
    write_file(dir / "typo.el.gz", out);
  }
  CHECK(error_of([&] { load_graph((dir / "typo.el.gz").string()); }) ==
        (dir / "typo.el.gz").string() + ":2: expected a vertex id, got 'x'");
}

TEST_CASE("binary input and unwritable formats are one-line errors", "[engine][formats]") {
  TempDir dir;
  const Graph plain = load_graph(CASCADE_DATA_DIR "/karate.el");
  save_graph(plain, (dir / "k.csr").string());
  fs::copy_file(dir / "k.csr", dir / "k.el");
  const std::string bin = error_of([&] { load_graph((dir / "k.el").string()); });
  CHECK(bin.find((dir / "k.el").string() + ": offset ") == 0);
  CHECK(bin.find("binary data") != std::string::npos);
  CHECK(bin.find('\n') == std::string::npos);
  for (const char* name : {"x.gexf", "x.json", "x.dot.gz", "x.png"}) {
    const std::string path = (dir / name).string();
    CHECK(error_of([&] { save_graph(plain, path); }).find("unknown output format") !=
          std::string::npos);
    CHECK_FALSE(fs::exists(path));
  }
}

TEST_CASE("a file's undirected declaration is honoured; karate equals --symmetrize",
          "[engine][formats]") {
  const std::string karate = CASCADE_DATA_DIR "/karate.el";
  LoadOptions sym;
  sym.build.symmetrize = true;
  sym.directed = true;  // symmetrized by request, not by the header
  const Graph declared = load_graph(karate);
  CHECK(declared.is_symmetric());
  CHECK(declared.num_arcs() == 156);
  CHECK(declared == load_graph(karate, sym));
  LoadOptions directed;
  directed.directed = true;
  CHECK(load_graph(karate, directed).num_arcs() == 78);
  CHECK_FALSE(read_edge_list(CASCADE_DATA_DIR "/weighted.el").undirected);
  // SNAP's own header line.
  TempDir dir;
  write_file(dir / "snap.txt",
             "# Undirected graph: ../../data/output/as20graph.txt\n# Nodes: 3 Edges: 2\n"
             "# FromNodeId\tToNodeId\n0\t1\n1\t2\n");
  CHECK(load_graph((dir / "snap.txt").string()).num_arcs() == 4);
  // "Undirected" after the first edge is only a comment.
  write_file(dir / "late.txt", "0 1\n# Undirected\n1 2\n");
  CHECK(load_graph((dir / "late.txt").string()).num_arcs() == 2);
}
