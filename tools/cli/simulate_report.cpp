// The output of cascade simulate (simulate.hpp): the JSON report, the key-value summary and
// the tables.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "cascade/fused_ic.hpp"
#include "cascade/parallel.hpp"
#include "grammar.hpp"
#include "output.hpp"
#include "simulate.hpp"
#include "table.hpp"

namespace cascade::cli {
namespace {

using Json = nlohmann::ordered_json;

std::string parallelism_name(McParallelism p) {
  switch (p) {
    case McParallelism::kOverTrials:
      return "over-trials";
    case McParallelism::kInsideTrial:
      return "inside-trial";
    case McParallelism::kAuto:
      break;
  }
  return "auto";
}

}  // namespace

// The JSON report of one estimate (tools/cli/OUTPUT.md).
Json simulate_report_json(const SimulateOptions& o, const Graph& g, const McOptions& mc,
                          const Estimate& e, const std::string& engine, const Communicator& comm) {
  const bool timed = o.model == "timed";
  Json j;
  j["schema"] = schema_json("simulate", 1);
  j["graph"] = graph_json(o.input, g);
  put_model_json(j, o.model, o.use_weights, o.weighted_cascade, o.p);
  if (timed)
    j["delay"] = {
        {"distribution", o.delay},
        {"median_hours", o.median_hours},
        {"shape", o.shape},
        {"horizon_hours", std::isfinite(o.horizon_hours) ? Json(o.horizon_hours) : Json(nullptr)}};
  switch (mc.seeds.kind) {
    case SeedSpec::Kind::kRandom:
      j["seeds"] = {{"kind", "random"}, {"k", mc.seeds.k}};
      break;
    case SeedSpec::Kind::kTopDegree:
      j["seeds"] = {{"kind", "top-degree"}, {"k", mc.seeds.k}};
      break;
    case SeedSpec::Kind::kExplicit:
      j["seeds"] = {{"kind", "list"}, {"file", o.seed_file}, {"ids", mc.seeds.ids}};
      break;
  }
  j["master_seed"] = o.common.seed;
  j["trials"] = e.trials;
  j["stopped_early"] = e.stopped_early;
  j["mean"] = e.mean;
  j["stddev"] = e.stddev;
  j["stderr"] = e.standard_error;
  j["ci95"] = {e.ci95.lo, e.ci95.hi};
  Json q = Json::object();
  for (auto [p, v] : e.quantiles) q[fmt::format("{}", p)] = v;
  j["quantiles"] = q;
  j["curve_unit"] = timed ? "hour" : "step";
  j["curve_step"] = timed ? o.curve_step_hours : 1.0;
  j["curve"] = e.curve;
  std::map<std::uint64_t, std::uint64_t> hist;
  for (auto s : e.spreads) ++hist[s];
  Json h = Json::array();
  for (auto [size, count] : hist) h.push_back({size, count});
  j["size_histogram"] = h;
  j["arcs_examined"] = e.arcs_examined;
  j["seconds_per_trial"] = e.seconds_per_trial_median;
  j["run"] = {
      {"engine", engine},
      // The fused coin loop (avx512, avx2 or portable): every speed figure names its ISA path.
      {"coin_isa", engine == "fused" ? isa_name(fused_coin_isa()) : "scalar"},
      {"cpu", cpu_model()},
      {"parallelism", parallelism_name(e.parallelism)},
      {"threads", max_threads()},
      {"ranks", comm.size()},
      {"seconds", e.seconds},
      {"seconds_per_trial_median", e.seconds_per_trial_median},
      {"arcs_per_second", e.seconds > 0 ? static_cast<double>(e.arcs_examined) / e.seconds : 0.0}};

  return j;
}

// The key-value summary and the thinned curve of one estimate.
void print_simulate_report(const SimulateOptions& o, const Graph& g, const Estimate& e,
                           const Json& j, bool timed) {
  std::vector<std::pair<std::string, std::string>> kv = {
      {"graph", fmt::format("{} ({} vertices, {} arcs)", o.input, grouped(g.num_vertices()),
                            grouped(g.num_arcs()))},
      {"model", o.model + (j.contains("probability")
                               ? " " + j["probability"]["kind"].get<std::string>() +
                                     (j["probability"].contains("p") ? fmt::format(" p={}", o.p)
                                                                     : std::string())
                               : std::string())},
      {"trials", fmt::format("{}{}", grouped(e.trials), e.stopped_early ? " (stopped early)" : "")},
      {"spread mean", fmt::format("{}  (se {}, sd {})", number(e.mean, 6),
                                  number(e.standard_error, 3), number(e.stddev, 4))},
      {"95% interval", fmt::format("[{}, {}]", number(e.ci95.lo, 6), number(e.ci95.hi, 6))},
  };
  std::string qs;
  for (auto [p, v] : e.quantiles) qs += fmt::format("p{}={}  ", p * 100, number(v, 6));
  kv.emplace_back("quantiles", qs);
  kv.emplace_back(
      "time",
      fmt::format("{:.3f} s total, {:.3g} s per trial (median), {:.3g} "
                  "arcs/s, engine {} ({} coins)",
                  e.seconds, e.seconds_per_trial_median, j["run"]["arcs_per_second"].get<double>(),
                  j["run"]["engine"].get<std::string>(), j["run"]["coin_isa"].get<std::string>()));
  std::fputs(key_values(kv).c_str(), stdout);
  // The curve, at most ~16 rows (evenly thinned).
  Table t({timed ? "hour" : "step", "mean active", "share of final"});
  const std::size_t points = e.curve.size();
  const std::size_t every = std::max<std::size_t>(1, (points + 15) / 16);
  for (std::size_t s = 0; s < points; s += every) {
    const double at = timed ? static_cast<double>(s) * o.curve_step_hours : static_cast<double>(s);
    t.add({number(at, 6), number(e.curve[s], 6),
           fmt::format("{:.1f}%", e.mean > 0 ? 100 * e.curve[s] / e.mean : 0.0)});
  }
  if (points && (points - 1) % every)
    t.add({number(timed ? static_cast<double>(points - 1) * o.curve_step_hours
                        : static_cast<double>(points - 1),
                  6),
           number(e.curve.back(), 6), "100.0%"});
  std::fputs(("\n" + t.str()).c_str(), stdout);
}

// One row per probability of a --p LO:HI:STEP run.
void print_p_range_table(const SimulateOptions& o, const Graph& g, const std::vector<double>& ps,
                         const std::vector<Estimate>& estimates, const std::string& engine) {
  std::fputs(key_values({{"graph", fmt::format("{} ({} vertices, {} arcs)", o.input,
                                               grouped(g.num_vertices()), grouped(g.num_arcs()))},
                         {"model", o.model + " uniform p, " + std::to_string(ps.size()) +
                                       " values, engine " + engine}})
                 .c_str(),
             stdout);
  Table t({"p", "trials", "spread mean", "95% interval", "s per trial"});
  for (std::size_t i = 0; i < ps.size(); ++i) {
    const Estimate& e = estimates[i];
    t.add({readable(ps[i]), grouped(e.trials), number(e.mean, 6),
           fmt::format("[{}, {}]", number(e.ci95.lo, 6), number(e.ci95.hi, 6)),
           fmt::format("{:.3g}", e.seconds_per_trial_median)});
  }
  std::fputs(("\n" + t.str()).c_str(), stdout);
}

}  // namespace cascade::cli
