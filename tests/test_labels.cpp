// String node labels and the formats that carry them: CSV with a header, GraphML, GML and
// Pajek (read by libigraph). Oracles: NetworkX-written fixtures (tests/data/networkx, made by
// make_fixtures.py) against the edges that script wrote, the karate club against
// data/karate.el, and round trips compared edge by edge through the labels.
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "cascade/error.hpp"
#include "cascade/io.hpp"
#include "cascade/labels.hpp"
#include "cascade/seeds.hpp"
#include "catch.hpp"
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "test_helpers.hpp"

using namespace cascade;
using cascade::testing::TempDir;

namespace {

const std::string kFixtures = std::string(CASCADE_SOURCE_DIR) + "/tests/data/networkx/";

using NamedArc = std::tuple<std::string, std::string, float>;

// The arcs of g by vertex names (labels, or ids), with weights (1 when unweighted).
std::set<NamedArc> named_arcs(const Graph& g) {
  std::set<NamedArc> arcs;
  for (Vertex u = 0; u < g.num_vertices(); ++u) {
    const auto nbrs = g.out_neighbors(u);
    const auto ws = g.out_weights(u);
    for (std::size_t k = 0; k < nbrs.size(); ++k)
      arcs.emplace(vertex_name(g, u), vertex_name(g, nbrs[k]), ws.empty() ? 1.0f : ws[k]);
  }
  return arcs;
}

void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// The message of the FileError that loading path throws ("" when none).
std::string load_error(const std::string& path, const LoadOptions& options = {}) {
  try {
    load_graph(path, options);
  } catch (const FileError& e) {
    return e.what();
  }
  return "";
}

// A labelled, weighted, directed graph with awkward labels (space, comma, quote, ampersand,
// non-ASCII) and an isolated vertex.
Graph awkward_graph() {
  EdgeList list;
  list.num_vertices = 6;
  list.edges = {{0, 1}, {1, 2}, {2, 0}, {0, 3}, {3, 4}};
  list.weights = {0.5f, 0.25f, 1.0f, 0.125f, 0.1f};
  list.labels = make_labels({"alice", "Mr. Hi", "a, b", "O'Brien & \"Q\"", "Zo\xc3\xab", "lone"});
  return build_csr(list);
}

}  // namespace

TEST_CASE("labels: identity names carry no labels; duplicates and control bytes refused",
          "[engine]") {
  CHECK(make_labels({"0", "1", "2"}) == nullptr);
  REQUIRE(make_labels({"1", "0"}) != nullptr);
  CHECK_THROWS_WITH(VertexLabels({"a", "b", "a"}),
                    Catch::Contains("label 'a' names two vertices (0 and 2)"));
  CHECK_THROWS_WITH(VertexLabels({"a\tb"}), Catch::Contains("control character"));
  CHECK_THROWS_WITH(VertexLabels({""}), Catch::Contains("vertex 0 has an empty label"));
  const Graph g = awkward_graph();
  REQUIRE(g.has_labels());
  CHECK(find_vertex(g, "a, b") == Vertex{2});
  CHECK(find_vertex(g, "4") == Vertex{4});  // not a label: an id
  CHECK(find_vertex(g, "6") == std::nullopt);
  CHECK(find_vertex(g, "nobody") == std::nullopt);
}

TEST_CASE("NetworkX GraphML, GML and Pajek: names become labels, weights and direction kept",
          "[engine]") {
  // What make_fixtures.py wrote: four weighted arcs among named people, dave alone.
  const std::set<NamedArc> expected = {{"alice", "bob", 0.5f},
                                       {"bob", "carol", 0.25f},
                                       {"carol", "alice", 1.0f},
                                       {"alice", "Mr. Hi", 0.125f}};
  for (const char* name : {"people.graphml", "people.gml", "people.net"}) {
    INFO(name);
    const Graph g = load_graph(kFixtures + name);
    REQUIRE(g.has_labels());
    CHECK(g.num_vertices() == 5);
    CHECK_FALSE(g.is_symmetric());
    CHECK(named_arcs(g) == expected);
    CHECK(find_vertex(g, "dave").has_value());
    CHECK(g.out_degree(*find_vertex(g, "dave")) == 0);
  }
}

TEST_CASE("NetworkX karate club (GraphML, GML) equals data/karate.el, without labels", "[engine]") {
  const Graph karate = load_graph(std::string(CASCADE_DATA_DIR) + "/karate.el");
  REQUIRE(karate.num_arcs() == 156);
  for (const char* name : {"karate.graphml", "karate.gml"}) {
    INFO(name);
    const Graph g = load_graph(kFixtures + name);
    CHECK_FALSE(g.has_labels());  // nodes 0..33 in order: their own ids
    CHECK(g.is_symmetric());      // undirected in the file
    CHECK(g == karate);
  }
  LoadOptions directed;
  directed.directed = true;
  CHECK(load_graph(kFixtures + "karate.graphml", directed).num_arcs() == 78);
}

TEST_CASE("round trips keep labels, weights and direction (csv, graphml, gml, net)", "[engine]") {
  TempDir dir;
  const Graph labelled = awkward_graph();
  const Graph karate = load_graph(std::string(CASCADE_DATA_DIR) + "/karate.el");
  for (const char* ext :
       {".csv", ".graphml", ".gml", ".net", ".csr", ".csv.gz", ".graphml.zst", ".csr.zst"}) {
    for (const Graph* g : {&labelled, &karate}) {
      const std::string path = (dir / (std::string("g") + ext)).string();
      INFO(path << (g->has_labels() ? " labelled" : " unlabelled"));
      if (std::string(ext) == ".net" && g == &labelled) {
        // Pajek cannot quote a '"': refused by name, no file left behind.
        CHECK_THROWS_WITH(save_graph(*g, path), Catch::Contains("holds a '\"'"));
        CHECK_FALSE(std::filesystem::exists(path));
        continue;
      }
      save_graph(*g, path);
      const Graph back = load_graph(path);
      CHECK(back.has_labels() == g->has_labels());
      CHECK(back.is_symmetric() == g->is_symmetric());
      CHECK(named_arcs(back) == named_arcs(*g));
      const bool keeps_order = std::string(ext).find(".csv") == std::string::npos;
      if (keeps_order || !g->has_labels()) {  // CSV numbers labels by first appearance
        CHECK(back == *g);
        CHECK(same_labels(back, *g));
      }
      if (!keeps_order && g->has_labels()) CHECK(back.num_vertices() == 5);  // "lone" has no arc
    }
  }
  // text -> .csr -> text for each labelled format: the NetworkX file's arcs come back by name.
  for (const char* name : {"people.graphml", "people.gml", "people.net"}) {
    INFO(name);
    const Graph original = load_graph(kFixtures + name);
    const std::string csr = (dir / "p.csr").string();
    save_graph(original, csr);
    CHECK(read_csr_header(csr).labelled());
    const std::string ext = std::filesystem::path(name).extension().string();
    const std::string text = (dir / ("back" + ext)).string();
    save_graph(load_graph(csr), text);
    const Graph back = load_graph(text);
    CHECK(named_arcs(back) == named_arcs(original));
    CHECK(same_labels(back, original));
  }
  // An unlabelled graph is still written as version 1.
  save_graph(karate, (dir / "k.csr").string());
  CHECK(read_csr_header((dir / "k.csr").string()).version == 1);
}

TEST_CASE(".csr label section: forged labels are refused even with a valid checksum", "[engine]") {
  TempDir dir;
  EdgeList list;
  list.num_vertices = 2;
  list.edges = {{0, 1}};
  list.labels = make_labels({"ab", "cd"});
  const std::string path = (dir / "l.csr").string();
  save_graph(build_csr(list), path);
  std::string bytes = cascade::testing::slurp(path);
  const std::size_t text = bytes.rfind("abcd");
  REQUIRE(text != std::string::npos);
  // Rewrites the payload and its checksum (header offset 40) so that only the labels are wrong.
  auto forge = [&](std::size_t at, const std::string& with) {
    std::string b = bytes;
    b.replace(at, with.size(), with);
    const std::uint64_t sum = XXH3_64bits(b.data() + 64, b.size() - 64);
    std::memcpy(b.data() + 40, &sum, 8);
    write_file(path, b);
    return load_error(path);
  };
  CHECK_THAT(forge(text, "abab"), Catch::Contains("invalid labels: label 'ab' names two vertices"));
  CHECK_THAT(forge(text, "a\nab"), Catch::Contains("control character"));
  const std::uint64_t beyond = 99;
  CHECK_THAT(forge(text - 8, std::string(reinterpret_cast<const char*>(&beyond), 8)),
             Catch::Contains("label section: label 1 ends at byte 99"));
  CHECK_THAT(forge(text + 4, "x"), Catch::Contains("label padding is not zero"));
}

TEST_CASE("CSV: header names the columns; ids or labels; weight rules apply", "[engine]") {
  TempDir dir;
  const auto csv = dir / "g.csv";
  write_file(csv, "from,Weight,to,comment\nann,5,bob,x\n\"b, c\",10,ann,\"said \"\"hi\"\"\"\n");
  LoadOptions max;
  max.weights = WeightRule::parse("max");
  const Graph g = load_graph(csv.string(), max);
  REQUIRE(g.has_labels());
  CHECK(named_arcs(g) == std::set<NamedArc>{{"ann", "bob", 0.5f}, {"b, c", "ann", 1.0f}});
  CHECK_THAT(load_error(csv.string()),
             Catch::Contains("g.csv:2: weight '5' outside [0, 1], read as a probability"));

  write_file(csv, "src,dst\n0,3\n3,1\n");  // all integers: vertex ids, no labels
  const Graph ids = load_graph(csv.string());
  CHECK_FALSE(ids.has_labels());
  CHECK(ids.num_vertices() == 4);
  CHECK(named_arcs(ids) == std::set<NamedArc>{{"0", "3", 1.0f}, {"3", "1", 1.0f}});

  LoadOptions undirected;
  undirected.build.symmetrize = true;
  CHECK(load_graph(csv.string(), undirected).num_arcs() == 4);
}

TEST_CASE("seeds by label equal seeds by id", "[engine]") {
  TempDir dir;
  const Graph g = load_graph(kFixtures + "people.gml");
  write_file(dir / "names.txt", "# people\ncarol\nMr. Hi\n  alice  \n");
  const std::vector<Vertex> by_label = read_seed_file((dir / "names.txt").string(), g);
  const std::vector<Vertex> expected = {*find_vertex(g, "carol"), *find_vertex(g, "Mr. Hi"),
                                        *find_vertex(g, "alice")};
  write_file(dir / "ids.txt", std::to_string(expected[0]) + "\n" + std::to_string(expected[1]) +
                                  "\n" + std::to_string(expected[2]) + "\n");
  CHECK(by_label == expected);
  CHECK(read_seed_file((dir / "ids.txt").string(), g) == expected);
  write_file(dir / "bad.txt", "alice\nmallory\n");
  CHECK_THROWS_WITH(read_seed_file((dir / "bad.txt").string(), g),
                    Catch::Contains("bad.txt:2: no vertex labelled 'mallory'"));
}

TEST_CASE("bad GraphML, GML, Pajek and CSV files: one line naming the file", "[engine]") {
  TempDir dir;
  struct Case {
    std::string name, text, expected;
  };
  const std::vector<Case> cases = {
      {"trunc.graphml", "<graphml><graph edgedefault=\"directed\"><node id=\"a\"/>",
       "trunc.graphml: not a valid GraphML file: "},
      {"junk.graphml", "hello world\n", "junk.graphml: not a valid GraphML file: "},
      {"dup.gml", "graph [\n node [ id 0 label \"a\" ]\n node [ id 1 label \"a\" ]\n]\n",
       "dup.gml: label 'a' names two vertices (0 and 1)"},
      {"w.graphml",
       "<graphml><key id=\"d0\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>"
       "<graph edgedefault=\"directed\"><node id=\"a\"/><node id=\"b\"/><edge source=\"a\" "
       "target=\"b\"><data key=\"d0\">2.5</data></edge></graph></graphml>",
       "w.graphml: edge 1 ('a' -> 'b'): weight 2.5 outside [0, 1]"},
      {"target.gml", "graph [\n node [ id 0 ]\n edge [ source 0 target 5 ]\n]\n",
       "target.gml: not a valid GML file: Unknown target node id found in an edge in GML file, "
       "line 3"},
      {"open.gml", "graph [\n node [ id 0\n", "open.gml: not a valid GML file: Parse error"},
      {"range.net", "*Vertices 2\n*Arcs\n1 7\n", "range.net: not a valid Pajek file: "},
      {"count.net", "*Vertices x\n",
       "count.net: not a valid Pajek file: Parse error in Pajek file, line 1"},
      {"empty.gml", "", "empty.gml: empty file"},
      {"nohead.csv", "a,b\n1,2\n",
       "nohead.csv:1: the CSV header names no source column (one of source, src, from, u, "
       "node1); its columns: 'a', 'b'"},
      {"fields.csv", "source,target\nx,y\nx,y,z\n",
       "fields.csv:3: 3 fields, but the header (line 1) has 2"},
      {"quote.csv", "source,target\n\"x,y\n", "quote.csv:2: unterminated quoted field"},
      {"weight.csv", "source,target,weight\nx,y,heavy\n",
       "weight.csv:2: expected a weight, got 'heavy'"},
      {"only.csv", "source,target\n", "only.csv:1: no edges after the CSV header"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const auto path = dir / c.name;
    write_file(path, c.text);
    const std::string message = load_error(path.string());
    CHECK_THAT(message, Catch::Contains(c.expected));
    CHECK(message.find('\n') == std::string::npos);
    CHECK(message.rfind(path.string(), 0) == 0);
  }
}
