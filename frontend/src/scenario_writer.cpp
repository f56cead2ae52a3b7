// The canonical scenario writer (cascade/scenario_file.hpp): every key, defaults filled in, so
// that parse_scenario of the text gives back the same scenario.
#include <nlohmann/json.hpp>

#include "cascade/scenario_file.hpp"
#include "scheme_json.hpp"

namespace cascade {

using Json = nlohmann::json;

std::string scenario_to_json(const Scenario& s) {
  Json network = {{"generator", s.network.generator}};
  const NetworkSpec& n = s.network;
  if (n.generator == "file") {
    network["path"] = n.path;
    network["weights"] = n.weights;
    if (n.undirected) network["undirected"] = *n.undirected;
  } else {
    network["seed"] = n.seed;
    if (n.generator == "chung-lu")
      network.update(
          {{"vertices", n.vertices}, {"mean_degree", n.mean_degree}, {"gamma", n.gamma}});
    if (n.generator == "barabasi-albert")
      network.update({{"vertices", n.vertices}, {"degree", n.degree}});
    if (n.generator == "rmat")
      network.update(
          {{"scale", n.scale}, {"edge_factor", n.edge_factor}, {"a", n.a}, {"b", n.b}, {"c", n.c}});
    if (n.generator == "watts-strogatz")
      network.update({{"vertices", n.vertices}, {"k", n.k}, {"beta", n.beta}});
    if (n.generator == "erdos-renyi")
      network.update({{"vertices", n.vertices}, {"edges", n.edges}});
  }
  Json seeds = {{"choice", s.seeds.choice}};
  if (s.seeds.choice == "ids" && !s.seeds.names.empty())
    seeds["ids"] = s.seeds.names;
  else if (s.seeds.choice == "ids")
    seeds["ids"] = s.seeds.ids;
  else
    seeds["count"] = s.seeds.count;
  const RecruitmentParams& p = s.recruitment;
  Json regimes = Json::array();
  for (const RegimeSpec& regime : s.regimes) {
    const IncentiveScheme& sc = regime.scheme;
    Json j = {{"name", regime.name}, {"scheme", sc.kind_name()}, {"strength", regime.strength}};
    detail::put_scheme_fields(j, sc);
    regimes.push_back(j);
  }
  Json root = {
      {"name", s.name},
      {"description", s.description},
      {"seed", s.master_seed},
      {"trials", s.trials},
      {"horizon_hours", s.horizon_hours},
      {"curve_step_hours", s.curve_step_hours},
      {"network", network},
      {"seeds", seeds},
      {"delay",
       {{"distribution", delay_distribution_name(s.delay.distribution)},
        {"median_hours", s.delay.median_hours},
        {"shape", s.delay.shape},
        {"delta_hours", s.delta_hours}}},
      {"population",
       {{"share_probability", p.share_probability}, {"join_probability", p.join_probability}}},
      {"incentive",
       {{"recruit_probability_max", p.recruit_probability_max},
        {"join_probability_max", p.join_probability_max},
        {"delay_speedup_max", p.delay_speedup_max},
        {"reward_scale_dollars", p.reward_scale_dollars},
        {"perceived_find_chance", p.perceived_find_chance},
        {"perceived_branching", p.perceived_branching},
        {"perceived_levels", p.perceived_levels},
        {"entertainment_dollars", p.entertainment_dollars},
        {"withheld_share", p.withheld_share},
        {"motivation",
         {{"profit", p.motivation.profit},
          {"charity", p.motivation.charity},
          {"reciprocity", p.motivation.reciprocity},
          {"entertainment", p.motivation.entertainment}}}}},
      {"preferences",
       {{"probability_weighting",
         p.probability_weighting ? Json{{"gamma", p.weighting_gamma}} : Json(false)}}},
      {"beliefs",
       {{"mode", s.beliefs.mode == BeliefMode::kAssumed ? "assumed" : "consistent"},
        {"damping", s.beliefs.damping},
        {"tolerance", s.beliefs.tolerance},
        {"max_rounds", s.beliefs.max_rounds},
        {"trials", s.beliefs.trials},
        {"start", s.beliefs.start_assumed ? "assumed" : "zero"}}},
      {"targets",
       {{"count", s.targets.count},
        {"witnesses", s.targets.witnesses},
        {"appear_hours", s.targets.appear_hours},
        {"sighting_median_hours", s.targets.sighting_median_hours}}},
      {"regimes", regimes}};
  if (s.attack.share > 0 || s.attack.fakes > 0)
    root["attack"] = {{"sybil_share", s.attack.share},
                      {"fakes", s.attack.fakes},
                      {"role", sybil_role_name(s.attack.role)}};
  if (s.query.enabled) {
    const QueryIncentiveParams& q = s.query.params;
    root["query_incentive"] = {{"offspring", offspring_name(q.offspring)},
                               {"children", q.children},
                               {"activity", q.activity},
                               {"mean", q.mean},
                               {"rarity", q.rarity},
                               {"success", q.success},
                               {"max_reward", q.max_reward},
                               {"strategy", s.query.split ? "split" : "equilibrium"},
                               {"split", s.query.split_share},
                               {"reward", s.query.reward}};
  }
  return root.dump(2) + "\n";
}

}  // namespace cascade
