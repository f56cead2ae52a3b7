// Scenario files in (cascade/scenario_file.hpp): strict JSON reading -- unknown keys are
// errors, missing keys take their defaults -- into the Scenario value, whose limits live in
// kernels/. The JSON tools are json_reader.hpp; the writer is scenario_writer.cpp.
#include "cascade/scenario_file.hpp"

#include <filesystem>
#include <set>
#include <string>

#include "cascade/builder.hpp"
#include "cascade/error.hpp"
#include "cascade/generators.hpp"
#include "cascade/io.hpp"
#include "cascade/memory.hpp"
#include "json_reader.hpp"

namespace cascade {

namespace {

using detail::excerpt;
using detail::Json;
using detail::parse_strict;
using detail::Reader;

NetworkSpec read_network(Reader r) {
  NetworkSpec n;
  n.generator = r.string("generator", n.generator);
  n.seed = r.count("seed", n.seed);
  // Every name and alias of the generator registry is accepted and stored as its scenario name.
  if (n.generator != "file") {
    try {
      n.generator = std::string(find_generator(n.generator).scenario_name);
    } catch (const InvalidArgument&) {
      r.fail("generator", "unknown generator '" + n.generator +
                              "' (expected chung-lu, barabasi-albert, rmat, watts-strogatz, "
                              "erdos-renyi (or their short names chunglu, ba, ws, er) or file)");
    }
  }
  const std::string& g = n.generator;
  if (g == "chung-lu") {
    n.vertices = r.count("vertices", n.vertices);
    n.mean_degree = r.positive("mean_degree", n.mean_degree);
    n.gamma = r.number("gamma", n.gamma);
    if (!(n.gamma > 2.0)) r.fail("gamma", "expected a power-law exponent > 2");
  } else if (g == "barabasi-albert") {
    n.vertices = r.count("vertices", n.vertices);
    n.degree = r.count("degree", n.degree);
    if (n.degree == 0) r.fail("degree", "expected at least 1 edge per new vertex");
  } else if (g == "rmat") {
    n.scale = static_cast<unsigned>(r.count_in("scale", n.scale, 1, 31));
    n.edge_factor = static_cast<unsigned>(r.count_in("edge_factor", n.edge_factor, 1, 1024));
    n.a = r.probability("a", n.a);
    n.b = r.probability("b", n.b);
    n.c = r.probability("c", n.c);
    if (n.a + n.b + n.c > 1.0) r.fail("a", "a + b + c must be <= 1");
    n.vertices = std::uint64_t{1} << n.scale;
  } else if (g == "watts-strogatz") {
    n.vertices = r.count("vertices", n.vertices);
    n.k = r.count("k", n.k);
    if (n.k == 0 || n.k % 2 != 0) r.fail("k", "expected a positive even number of ring neighbours");
    n.beta = r.probability("beta", n.beta);
  } else if (g == "erdos-renyi") {
    n.vertices = r.count("vertices", n.vertices);
    n.edges = r.count("edges", n.edges);
  } else if (g == "file") {
    n.path = r.string("path", "");
    if (n.path.empty()) r.fail("path", "a 'file' network needs the graph's path");
    if (!r.origin().empty() && std::filesystem::path(n.path).is_relative()) {
      const auto dir = std::filesystem::path(r.origin()).parent_path();
      if (!dir.empty() && std::filesystem::exists(r.origin())) n.path = (dir / n.path).string();
    }
    n.weights = r.string("weights", n.weights);
    try {
      WeightRule::parse(n.weights, "network.weights");
    } catch (const InvalidArgument&) {
      r.fail("weights", "expected probability, none, scale:C, max, exp:S, wc or trivalency, got '" +
                            n.weights + "'");
    }
    if (r.has("undirected")) n.undirected = r.boolean("undirected", false);
  }
  if (g != "file" && g != "rmat" && (n.vertices < 2 || n.vertices > kMaxVertices))
    r.fail("vertices", "expected 2 .. 2^32 - 1 vertices, got " + std::to_string(n.vertices));
  r.finish("for generator " + g);
  return n;
}

RegimeSpec read_regime(Reader r, std::size_t index) {
  RegimeSpec regime;
  regime.name = r.string("name", "regime" + std::to_string(index));
  std::string kind = r.string("scheme", "none");
  try {
    regime.scheme.kind = IncentiveScheme::parse_kind(kind);
  } catch (const InvalidArgument& e) {
    r.fail("scheme", e.what());
  }
  regime.strength = r.non_negative("strength", regime.strength);
  IncentiveScheme& s = regime.scheme;
  switch (s.kind) {
    case SchemeKind::kNone:
      break;
    case SchemeKind::kRecursive:
      s.reward_dollars = r.non_negative("reward_dollars", 2000.0);
      s.split = r.number("split", 0.5);
      if (!(s.split >= 0.0 && s.split < 1.0)) r.fail("split", "expected alpha in [0, 1)");
      s.remainder_to_charity = r.boolean("remainder_to_charity", true);
      break;
    case SchemeKind::kFinderOnly:
      s.reward_dollars = r.non_negative("reward_dollars", 2000.0);
      s.remainder_to_charity = r.boolean("remainder_to_charity", true);
      break;
    case SchemeKind::kAlmostUniform:
      s.reward_dollars = r.non_negative("reward_dollars", 2000.0);
      s.level_dollars = r.non_negative("level_dollars", 100.0);
      s.max_chain =
          static_cast<std::uint32_t>(r.count_in("max_chain", 20, 1, IncentiveScheme::kMaxChain));
      s.remainder_to_charity = r.boolean("remainder_to_charity", true);
      break;
    case SchemeKind::kFlatBounty:
      s.bounty_dollars = r.non_negative("bounty_dollars", 10.0);
      s.bounty_cap = r.count("bounty_cap", 0);
      s.pool_dollars = r.non_negative("pool_dollars", 40000.0);
      s.remainder_to_charity = r.boolean("remainder_to_charity", true);
      break;
  }
  try {
    s.validate();
  } catch (const InvalidArgument& e) {
    r.fail("", e.what());
  }
  r.finish("for scheme " + kind);
  return regime;
}

DelayDistribution parse_distribution(Reader& r, const std::string& name) {
  if (const auto d = delay_distribution_named(name)) return *d;
  r.fail("distribution",
         "unknown distribution '" + name + "' (expected " + kDelayDistributionNames + ")");
}

}  // namespace

Scenario parse_scenario(const std::string& json_text, const std::string& origin) {
  const Json root = parse_strict(json_text, origin);
  Scenario s;
  s.path = origin;
  Reader r(root, "", origin);
  s.name = r.string("name", s.name);
  s.description = r.string("description", "");
  s.master_seed = r.count("seed", s.master_seed);
  s.trials = r.count("trials", s.trials);
  if (s.trials == 0) r.fail("trials", "expected at least 1 trial");
  s.horizon_hours = r.positive("horizon_hours", s.horizon_hours);
  s.curve_step_hours = r.positive("curve_step_hours", s.curve_step_hours);

  s.network = read_network(r.object("network"));

  {
    Reader seeds = r.object("seeds");
    s.seeds.choice = seeds.string("choice", s.seeds.choice);
    if (s.seeds.choice == "ids") {
      const Json* ids = seeds.find("ids");
      if (!ids || !ids->is_array() || ids->empty())
        seeds.fail("ids", "choice 'ids' needs a non-empty array of vertex ids");
      bool by_name = false;
      for (const Json& id : *ids) by_name = by_name || id.is_string();
      for (const Json& id : *ids) {
        if (by_name) {  // labels (cascade/labels.hpp), resolved on the graph; numbers as ids
          if (id.is_string() && !id.get<std::string>().empty())
            s.seeds.names.push_back(id.get<std::string>());
          else if (id.is_number_unsigned())
            s.seeds.names.push_back(std::to_string(id.get<std::uint64_t>()));
          else
            seeds.fail("ids", "expected vertex ids or labels, got " + excerpt(id));
          continue;
        }
        if (!id.is_number_unsigned() || id.get<std::uint64_t>() >= kMaxVertices)
          seeds.fail("ids", "expected vertex ids, got " + excerpt(id));
        s.seeds.ids.push_back(static_cast<Vertex>(id.get<std::uint64_t>()));
      }
    } else if (s.seeds.choice == "random" || s.seeds.choice == "top-degree") {
      s.seeds.count = seeds.count("count", s.seeds.count);
      if (s.seeds.count == 0) seeds.fail("count", "expected at least 1 seed");
    } else {
      seeds.fail("choice", "unknown seed choice '" + s.seeds.choice +
                               "' (expected random, top-degree or ids)");
    }
    seeds.finish("for choice " + s.seeds.choice);
  }
  {
    Reader delay = r.object("delay");
    s.delay.distribution = parse_distribution(delay, delay.string("distribution", "lognormal"));
    s.delay.median_hours = delay.positive("median_hours", s.delay.median_hours);
    s.delay.shape = delay.positive("shape", s.delay.shape);
    s.delta_hours = delay.non_negative("delta_hours", s.delta_hours);
    delay.finish();
  }
  RecruitmentParams& p = s.recruitment;
  {
    Reader pop = r.object("population");
    p.share_probability = pop.probability("share_probability", p.share_probability);
    p.join_probability = pop.probability("join_probability", p.join_probability);
    pop.finish();
  }
  {
    Reader inc = r.object("incentive");
    p.recruit_probability_max =
        inc.probability("recruit_probability_max", p.recruit_probability_max);
    p.join_probability_max = inc.probability("join_probability_max", p.join_probability_max);
    p.delay_speedup_max = inc.probability("delay_speedup_max", p.delay_speedup_max);
    p.reward_scale_dollars = inc.positive("reward_scale_dollars", p.reward_scale_dollars);
    p.perceived_find_chance = inc.probability("perceived_find_chance", p.perceived_find_chance);
    p.perceived_branching = inc.non_negative("perceived_branching", p.perceived_branching);
    p.perceived_levels =
        static_cast<unsigned>(inc.count_in("perceived_levels", p.perceived_levels, 0, 64));
    p.entertainment_dollars = inc.non_negative("entertainment_dollars", p.entertainment_dollars);
    p.withheld_share = inc.probability("withheld_share", p.withheld_share);
    Reader m = inc.object("motivation");
    p.motivation.profit = m.non_negative("profit", p.motivation.profit);
    p.motivation.charity = m.non_negative("charity", p.motivation.charity);
    p.motivation.reciprocity = m.non_negative("reciprocity", p.motivation.reciprocity);
    p.motivation.entertainment = m.non_negative("entertainment", p.motivation.entertainment);
    m.finish();
    inc.finish();
  }
  {
    Reader prefs = r.object("preferences");
    if (const Json* w = prefs.find("probability_weighting")) {
      if (w->is_boolean() && !w->get<bool>()) {
        p.probability_weighting = false;
      } else if (w->is_object()) {
        Reader weighting = prefs.object("probability_weighting");
        p.probability_weighting = true;
        p.weighting_gamma = weighting.number("gamma", p.weighting_gamma);
        if (!(p.weighting_gamma >= 0.28 && p.weighting_gamma <= 1.0))
          weighting.fail("gamma", "expected gamma in [0.28, 1] (0.61: Tversky & Kahneman 1992)");
        weighting.finish();
      } else {
        prefs.fail("probability_weighting", "expected false or {\"gamma\": g}, got " + w->dump());
      }
    }
    prefs.finish();
  }
  {
    Reader a = r.object("attack");
    s.attack.share = a.probability("sybil_share", 0.0);
    s.attack.fakes = static_cast<std::uint32_t>(
        a.count_in("fakes", a.has("sybil_share") ? 1 : 0, 0, SybilAttack::kMaxFakes));
    try {
      s.attack.role = parse_sybil_role(a.string("role", "both"));
    } catch (const InvalidArgument& e) {
      a.fail("role", e.what());
    }
    a.finish("expected sybil_share, fakes, role");
  }
  if (r.has("query_incentive")) {
    Reader qi = r.object("query_incentive");
    QueryExperiment& e = s.query;
    QueryIncentiveParams& q = e.params;
    e.enabled = true;
    try {
      q.offspring = parse_offspring(qi.string("offspring", offspring_name(q.offspring)));
    } catch (const InvalidArgument& ex) {
      qi.fail("offspring", ex.what());
    }
    q.children = static_cast<std::uint32_t>(
        qi.count_in("children", q.children, 1, QueryIncentiveParams::kMaxChildren));
    q.activity = qi.probability("activity", q.activity);
    q.mean = qi.positive("mean", q.mean);
    q.rarity = qi.number("rarity", q.rarity);
    q.success = qi.probability("success", q.success);
    q.max_reward = qi.count_in("max_reward", q.max_reward, 1, QueryIncentiveParams::kMaxReward);
    const std::string strategy = qi.string("strategy", "equilibrium");
    if (strategy == "split")
      e.split = true;
    else if (strategy != "equilibrium")
      qi.fail("strategy", "unknown strategy '" + strategy + "' (expected equilibrium or split)");
    e.split_share = qi.number("split", e.split_share);
    if (!(e.split_share >= 0.0 && e.split_share < 1.0))
      qi.fail("split", "expected a share in [0, 1)");
    e.reward = qi.count_in("reward", 0, 0, q.max_reward);
    try {
      q.validate();
    } catch (const InvalidArgument& ex) {  // names the field: "rarity 0.5 is not in [1, 1e+09]"
      const std::string what = ex.what();
      qi.fail(what.substr(0, what.find(' ')), what);
    }
    qi.finish(
        "expected offspring, children, activity, mean, rarity, success, max_reward, "
        "strategy, split, reward");
  }
  {
    Reader b = r.object("beliefs");
    BeliefOptions& o = s.beliefs;
    const std::string mode = b.string("mode", "consistent");
    if (mode == "assumed")
      o.mode = BeliefMode::kAssumed;
    else if (mode != "consistent")
      b.fail("mode", "unknown belief mode '" + mode + "' (expected consistent or assumed)");
    o.damping = b.number("damping", o.damping);
    if (!(o.damping > 0.0 && o.damping <= 1.0)) b.fail("damping", "expected eta in (0, 1]");
    o.tolerance = b.positive("tolerance", o.tolerance);
    o.max_rounds = static_cast<unsigned>(b.count_in("max_rounds", o.max_rounds, 1, 1000));
    o.trials = b.count("trials", o.trials);
    const std::string start = b.string("start", "assumed");
    if (start == "zero")
      o.start_assumed = false;
    else if (start != "assumed")
      b.fail("start", "unknown start '" + start + "' (expected zero or assumed)");
    b.finish();
  }
  try {
    p.validate();
  } catch (const InvalidArgument& e) {
    r.fail("", e.what());
  }
  {
    Reader t = r.object("targets");
    s.targets.count = t.count("count", s.targets.count);
    s.targets.witnesses = t.count("witnesses", s.targets.witnesses);
    if (s.targets.count > 0 && s.targets.witnesses == 0)
      t.fail("witnesses", "each target needs at least 1 witness");
    s.targets.appear_hours = t.non_negative("appear_hours", s.targets.appear_hours);
    s.targets.sighting_median_hours =
        t.positive("sighting_median_hours", s.targets.sighting_median_hours);
    t.finish();
  }
  if (const Json* regimes = r.find("regimes")) {
    if (!regimes->is_array() || regimes->empty())
      r.fail("regimes", "expected a non-empty array of regime objects");
    std::set<std::string> names;
    for (std::size_t i = 0; i < regimes->size(); ++i) {
      s.regimes.push_back(
          read_regime(Reader((*regimes)[i], "regimes[" + std::to_string(i) + "].", origin), i));
      if (!names.insert(s.regimes.back().name).second)
        r.fail("regimes", "duplicate regime name '" + s.regimes.back().name + "'");
    }
  } else {
    s.regimes = {{"virality", IncentiveScheme::none(), 0.0},
                 {"incentive", IncentiveScheme::recursive(2000.0, 0.5), 1.0}};
  }
  r.finish();
  check_scenario_limits(s);
  return s;
}

std::string read_scenario_text(const std::string& path) {
  return read_input_text(path);  // refuses devices, never waits on a FIFO
}

Scenario read_scenario(const std::string& path) {
  return parse_scenario(read_scenario_text(path), path);
}

}  // namespace cascade
