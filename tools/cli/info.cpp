// cascade info FILE: what a graph file holds -- sizes, symmetry, weights, degree statistics
// with a power-law tail fit, weakly connected components, and the .csr checksum status.
#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "cascade/parallel.hpp"
#include "cli.hpp"
#include "grammar.hpp"
#include "graph_util.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "table.hpp"

namespace cascade::cli {
namespace {

using Json = nlohmann::ordered_json;

struct InfoOptions {
  CommonOptions common;
  std::string input;
  std::string json;  // "" table; "-" JSON on stdout; else JSON into that file
  std::string output;
  DirectionFlags reading;
  std::string weights = "probability";
  bool no_verify = false;
};

// ---- degree statistics -------------------------------------------------------------------

struct PowerLawFit {
  double alpha = 0, alpha_stderr = 0, ks = 0;
  std::uint64_t xmin = 0, tail = 0;
};

struct DegreeStats {
  std::uint64_t min = 0, max = 0, zero = 0;
  double mean = 0, stddev = 0;
  std::vector<std::pair<double, double>> quantiles;
  std::optional<PowerLawFit> power_law;
};

constexpr double kQuantiles[] = {0.5, 0.9, 0.99, 0.999};
constexpr std::uint64_t kMinTail = 50;        // fewer tail samples give no meaningful fit
constexpr std::size_t kMaxCandidates = 2000;  // x_min candidates tried (distinct degrees)

// Discrete power law P(k) ~ k^-alpha for k >= xmin (Clauset, Shalizi & Newman, SIAM Review
// 2009): alpha by the discrete MLE approximation alpha = 1 + n / sum ln(k / (xmin - 1/2)),
// xmin the distinct degree minimising the Kolmogorov-Smirnov distance between the tail's
// empirical CCDF and the fitted one ((k - 1/2) / (xmin - 1/2))^(1 - alpha). hist[k] = count.
std::optional<PowerLawFit> fit_power_law(const std::vector<std::uint64_t>& hist) {
  std::vector<std::uint64_t> values;  // distinct degrees >= 1, ascending
  for (std::size_t k = 1; k < hist.size(); ++k)
    if (hist[k]) values.push_back(k);
  // Suffix sums over the distinct values: tail count and sum of count * ln k.
  const std::size_t d = values.size();
  std::vector<double> tail_count(d + 1, 0), tail_log(d + 1, 0);
  for (std::size_t i = d; i-- > 0;) {
    const auto c = static_cast<double>(hist[values[i]]);
    tail_count[i] = tail_count[i + 1] + c;
    tail_log[i] = tail_log[i + 1] + c * std::log(static_cast<double>(values[i]));
  }
  std::optional<PowerLawFit> best;
  const std::size_t step = std::max<std::size_t>(1, d / kMaxCandidates);
  for (std::size_t i = 0; i < d; i += step) {
    const double n = tail_count[i];
    if (n < kMinTail) break;
    const double shift = std::log(static_cast<double>(values[i]) - 0.5);
    const double denom = tail_log[i] - n * shift;
    if (!(denom > 0)) continue;
    const double alpha = 1 + n / denom;
    double ks = 0;
    for (std::size_t j = i; j < d; ++j) {
      const double empirical = tail_count[j] / n;  // P(K >= values[j] | tail)
      const double model = std::exp((1 - alpha) * (std::log(values[j] - 0.5) - shift));
      ks = std::max(ks, std::fabs(empirical - model));
    }
    if (!best || ks < best->ks)
      best = PowerLawFit{alpha, (alpha - 1) / std::sqrt(n), ks, values[i],
                         static_cast<std::uint64_t>(n)};
  }
  return best;
}

DegreeStats degree_stats(const std::vector<std::uint64_t>& degree) {
  DegreeStats s;
  const std::uint64_t n = degree.size();
  if (n == 0) return s;
  std::uint64_t max = 0;
  for (auto k : degree) max = std::max(max, k);
  std::vector<std::uint64_t> hist(max + 1, 0);
  double sum = 0, sum2 = 0;
  for (auto k : degree) {
    ++hist[k];
    sum += static_cast<double>(k);
    sum2 += static_cast<double>(k) * static_cast<double>(k);
  }
  s.max = max;
  s.zero = hist[0];
  s.min = 0;
  while (hist[s.min] == 0) ++s.min;
  s.mean = sum / static_cast<double>(n);
  s.stddev =
      n > 1 ? std::sqrt(std::max(0.0, (sum2 - sum * s.mean) / static_cast<double>(n - 1))) : 0.0;
  // Type-7 quantiles (numpy's default) from the histogram: the value of order statistic i.
  auto order_stat = [&](std::uint64_t i) {
    std::uint64_t seen = 0;
    for (std::uint64_t k = 0; k <= max; ++k) {
      seen += hist[k];
      if (seen > i) return static_cast<double>(k);
    }
    return static_cast<double>(max);
  };
  for (double q : kQuantiles) {
    const double h = q * static_cast<double>(n - 1);
    const auto lo = static_cast<std::uint64_t>(std::floor(h));
    const double a = order_stat(lo), b = order_stat(std::min(lo + 1, n - 1));
    s.quantiles.emplace_back(q, a + (h - static_cast<double>(lo)) * (b - a));
  }
  s.power_law = fit_power_law(hist);
  return s;
}

// ---- weakly connected components: lock-free parallel union-find -------------------------------

struct Components {
  std::uint64_t count = 0, largest = 0, isolated = 0;
};

// Roots only ever point to smaller ids (parent[x] <= x), so no cycle can form; find() halves
// paths with a CAS that may fail harmlessly. The partition found is independent of the schedule.
Components weak_components(const Graph& g) {
  const std::uint64_t n = g.num_vertices();
  Components c;
  if (n == 0) return c;
  std::unique_ptr<std::atomic<Vertex>[]> parent(new std::atomic<Vertex>[n]);
  tbb::parallel_for(std::uint64_t{0}, n, [&](std::uint64_t v) {
    parent[v].store(static_cast<Vertex>(v), std::memory_order_relaxed);
  });
  auto find = [&](Vertex x) {
    while (true) {
      Vertex p = parent[x].load(std::memory_order_relaxed);
      if (p == x) return x;
      const Vertex gp = parent[p].load(std::memory_order_relaxed);
      if (gp != p) parent[x].compare_exchange_weak(p, gp, std::memory_order_relaxed);
      x = gp;
    }
  };
  const bool symmetric = g.is_symmetric();
  tbb::parallel_for(
      tbb::blocked_range<std::uint64_t>(0, n, 1024),
      [&](const tbb::blocked_range<std::uint64_t>& r) {
        for (auto u = static_cast<Vertex>(r.begin()); u < r.end(); ++u)
          for (Vertex v : g.out_neighbors(u)) {
            if (symmetric && v < u) continue;  // each edge once
            Vertex a = u, b = v;
            while (true) {
              a = find(a);
              b = find(b);
              if (a == b) break;
              if (a < b) std::swap(a, b);  // link the larger root below the smaller
              Vertex expected = a;
              if (parent[a].compare_exchange_strong(expected, b, std::memory_order_relaxed)) break;
            }
          }
      });
  std::vector<std::uint64_t> size(n, 0);
  for (std::uint64_t v = 0; v < n; ++v) ++size[find(static_cast<Vertex>(v))];
  for (std::uint64_t v = 0; v < n; ++v) {
    if (size[v] == 0) continue;
    ++c.count;
    c.largest = std::max(c.largest, size[v]);
    if (size[v] == 1) ++c.isolated;
  }
  return c;
}

// ---- output --------------------------------------------------------------------------------

std::string format_name(FileFormat f) {
  switch (f) {
    case FileFormat::kCsr:
      return "csr";
    case FileFormat::kMatrixMarket:
      return "matrix-market";
    case FileFormat::kEdgeList:
      return "edge-list";
    case FileFormat::kCsv:
      return "csv";
    case FileFormat::kGraphMl:
      return "graphml";
    case FileFormat::kGml:
      return "gml";
    case FileFormat::kPajek:
      return "pajek";
  }
  return "?";
}

std::string qkey(double q) { return fmt::format("{}", q); }

Json degree_json(const DegreeStats& s) {
  Json q = Json::object();
  for (auto [p, v] : s.quantiles) q[qkey(p)] = v;
  Json j = {{"min", s.min},       {"max", s.max},   {"mean", s.mean},
            {"stddev", s.stddev}, {"zero", s.zero}, {"quantiles", q}};
  if (s.power_law)
    j["power_law"] = {{"alpha", s.power_law->alpha},
                      {"alpha_stderr", s.power_law->alpha_stderr},
                      {"xmin", s.power_law->xmin},
                      {"tail_vertices", s.power_law->tail},
                      {"ks_distance", s.power_law->ks}};
  else
    j["power_law"] = nullptr;
  return j;
}

std::string degree_line(const DegreeStats& s) {
  std::string q;
  for (auto [p, v] : s.quantiles) q += fmt::format(" p{}={}", p * 100, number(v, 6));
  return fmt::format("min {}  mean {}  max {}  sd {} |{}", s.min, number(s.mean), grouped(s.max),
                     number(s.stddev), q);
}

std::string power_law_line(const DegreeStats& s) {
  if (!s.power_law) return "not enough tail (< 50 vertices)";
  const auto& p = *s.power_law;
  return fmt::format("alpha {:.3f} +- {:.2g} for degree >= {} ({} vertices, KS distance {:.3g})",
                     p.alpha, p.alpha_stderr, p.xmin, grouped(p.tail), p.ks);
}

int run_info(const InfoOptions& o) {
  check_distinct_outputs({{"--json", o.json}, {"--output", o.output}});
  ThreadLimit limit(o.common.threads);
  Progress progress("loading " + o.input, 0, Progress::wanted(o.common.quiet));
  const FileFormat format = format_from_path(o.input);
  const auto t0 = std::chrono::steady_clock::now();
  LoadOptions load = load_options(o.reading, parse_weight_rule(o.weights, "--weights"));
  load.verify_checksum = !o.no_verify;
  Graph g = load_input(o.input, load);
  const double load_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  progress.phase("degree statistics");
  const std::uint64_t n = g.num_vertices();
  std::vector<std::uint64_t> out_deg(n), in_deg(n, 0);
  for (Vertex v = 0; v < n; ++v) out_deg[v] = g.out_degree(v);
  const DegreeStats out = degree_stats(out_deg);
  std::optional<DegreeStats> in;
  if (!g.is_symmetric()) {
    for (Vertex v : g.targets()) ++in_deg[v];
    in = degree_stats(in_deg);
  }
  progress.phase("connected components");
  const Components comp = weak_components(g);
  progress.finish();

  std::string checksum = "none (text format)";
  std::string checksum_status = "none";
  std::optional<CsrHeader> header;
  if (format == FileFormat::kCsr) {
    header = read_csr_header(o.input);  // the engine's reader: the stored checksum
    checksum_status = o.no_verify ? "not verified" : "ok";
    checksum = fmt::format("{} (XXH3-64 {:#018x})", o.no_verify ? "not verified" : "ok",
                           header ? header->checksum : 0);
  }
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(o.input, ec);
  double wmin = 1, wmax = 0, wsum = 0;
  for (float w : g.weights()) {
    wmin = std::min<double>(wmin, w);
    wmax = std::max<double>(wmax, w);
    wsum += w;
  }

  Json j;
  j["schema"] = schema_json("info", 1);
  j["file"] = o.input;
  j["format"] = format_name(format);
  j["file_bytes"] = ec ? 0 : bytes;
  j["vertices"] = n;
  j["arcs"] = g.num_arcs();
  j["symmetric"] = g.is_symmetric();
  j["direction"] = g.is_symmetric() ? "undirected" : "directed";
  j["weight_rule"] = parse_weight_rule(o.weights, "--weights").name();
  j["weighted"] = g.has_weights();
  if (g.is_symmetric()) j["edges"] = g.num_arcs() / 2;
  j["csr_bytes"] = g.csr_bytes();
  Json cs = {{"status", checksum_status}};
  if (header) cs["xxh3"] = fmt::format("{:#018x}", header->checksum);
  j["checksum"] = cs;
  j["degree"] = {{"out", degree_json(out)}, {"in", degree_json(in ? *in : out)}};
  if (g.has_weights())
    j["weights"] = {
        {"min", wmin}, {"mean", wsum / static_cast<double>(g.num_arcs())}, {"max", wmax}};
  j["components"] = {
      {"kind", "weak"},
      {"count", comp.count},
      {"largest", comp.largest},
      {"largest_fraction", n ? static_cast<double>(comp.largest) / static_cast<double>(n) : 0.0},
      {"isolated_vertices", comp.isolated}};
  j["load_seconds"] = load_s;

  write_text_files({{o.output, o.output.empty() ? "" : json_text(j)},
                    {o.json, o.json.empty() ? "" : json_text(j)}});  // "-": stdout
  if (!table_wanted(o.common.quiet, {o.json, o.output})) return 0;
  std::vector<std::pair<std::string, std::string>> kv = {
      {"file",
       fmt::format("{} ({}, {} bytes)", o.input, format_name(format), grouped(ec ? 0 : bytes))},
      {"vertices", grouped(n)},
      {"arcs", grouped(g.num_arcs()) + (g.is_symmetric() ? fmt::format(" ({} undirected edges)",
                                                                       grouped(g.num_arcs() / 2))
                                                         : "")},
      {"direction", g.is_symmetric() ? "undirected (both arcs of each edge stored)"
                                     : "directed (--undirected to read edges both ways)"},
      {"weighted", g.has_weights()
                       ? fmt::format("yes (min {} mean {} max {})", number(wmin),
                                     number(wsum / static_cast<double>(g.num_arcs())), number(wmax))
                       : "no"},
      {g.is_symmetric() ? "degree" : "out-degree", degree_line(out)},
      {"  power-law tail", power_law_line(out)},
  };
  if (in) {
    kv.emplace_back("in-degree", degree_line(*in));
    kv.emplace_back("  power-law tail", power_law_line(*in));
  }
  kv.emplace_back("isolated vertices", grouped(comp.isolated) + " (no arc in or out)");
  kv.emplace_back(
      "weak components",
      fmt::format("{}, largest {} ({:.2f}% of vertices)", grouped(comp.count),
                  grouped(comp.largest),
                  n ? 100.0 * static_cast<double>(comp.largest) / static_cast<double>(n) : 0.0));
  kv.emplace_back("checksum", checksum);
  kv.emplace_back(
      "memory", fmt::format("{} bytes of CSR; loaded in {:.3f} s", grouped(g.csr_bytes()), load_s));
  std::fputs(key_values(kv).c_str(), stdout);
  return 0;
}

}  // namespace

Runner add_info(CLI::App& app) {
  auto o = std::make_shared<InfoOptions>();
  auto* sub = app.add_subcommand(
      "info", "Describe a graph file: sizes, degrees, power-law fit, components, checksum");
  sub->footer(
      "Describe a graph file: vertices, arcs, symmetry, weights, degree statistics "
      "(min/mean/max, quantiles, power-law tail fit by discrete MLE with x_min chosen by "
      "Kolmogorov-Smirnov), weakly connected components, and the .csr checksum status.");
  sub->add_option("FILE", o->input, "graph file (.csr, .mtx, edge list)")->required();
  add_json_option(sub, o->json, "the description");
  sub->add_option("-o,--output", o->output, "the same as --json FILE ('-': stdout)")
      ->group("Output");
  add_direction_options(sub, o->reading);
  sub->add_option("--weights", o->weights,
                  "what the file's weights mean: probability, none, scale:C, max, exp:S "
                  "(1-exp(-w/S)), wc (1/in-degree) or trivalency")
      ->capture_default_str();
  sub->add_flag("--no-verify", o->no_verify, ".csr: skip the XXH3 checksum check");
  add_common_options(sub, o->common, "unused (accepted like in the other subcommands)");
  return [o] { return run_info(*o); };
}

}  // namespace cascade::cli
