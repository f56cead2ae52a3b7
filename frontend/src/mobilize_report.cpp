// The JSON / CSV / table forms of a mobilize() report (schema in data/scenarios/README.md).
#include "cascade/mobilize_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cascade/text_format.hpp"
#include "scheme_json.hpp"

namespace cascade {

namespace {

// ordered_json: the report keeps the documented key order (nlohmann::json sorts keys).
using Json = nlohmann::ordered_json;

Json summary_json(const Summary& s) {
  return {{"mean", s.mean}, {"se", s.se}, {"ci95", {s.lo, s.hi}}, {"min", s.min}, {"max", s.max}};
}

Json band_json(const Band& b) { return {{"mean", b.mean}, {"lo", b.lo}, {"hi", b.hi}}; }

Json scheme_json(const IncentiveScheme& s) {
  Json j = {{"kind", s.kind_name()}};
  detail::put_scheme_fields(j, s);
  return j;
}

Json number_or_null(double x) { return std::isfinite(x) ? Json(x) : Json(nullptr); }

Json beliefs_json(const RegimeReport& r) {
  const Beliefs &p = r.beliefs.perceived, &q = r.beliefs.realised;
  return {{"mode", r.belief_mode == BeliefMode::kAssumed ? "assumed" : "consistent"},
          {"rounds", r.beliefs.rounds},
          {"converged", r.beliefs.converged},
          {"last_relative_change", r.beliefs.last_change},
          {"perceived_join_dollars", p.join_dollars},
          {"realised_join_dollars", q.join_dollars},
          {"perceived_recruit_dollars", p.recruit_dollars},
          {"realised_recruit_dollars", q.recruit_dollars},
          {"perceived_recruit2_dollars", p.recruit2_dollars},
          {"realised_recruit2_dollars", q.recruit2_dollars},
          {"perceived_join_paid_chance", p.join_paid_chance},
          {"realised_join_paid_chance", q.join_paid_chance},
          {"perceived_recruit_paid_chance", p.recruit_paid_chance},
          {"realised_recruit_paid_chance", q.recruit_paid_chance},
          {"perceived_charity_dollars", p.charity_dollars},
          {"realised_charity_dollars", q.charity_dollars}};
}

Json attack_json(const RegimeReport& r) {
  auto mean_ci = [](const Summary& x) { return Json{{"mean", x.mean}, {"ci95", {x.lo, x.hi}}}; };
  return {{"role", sybil_role_name(r.attack_role)},
          {"attackers_mean", r.attackers_mean},
          {"attacker_gain_dollars", mean_ci(r.attack_gain_dollars)},
          {"honest_loss_dollars", mean_ci(r.attack_honest_loss_dollars)},
          {"charity_loss_dollars", mean_ci(r.attack_charity_loss_dollars)}};
}

}  // namespace

std::string to_json(const MobilizationReport& report) {
  Json regimes = Json::array();
  for (const RegimeReport& r : report.regimes) {
    Json targets = Json::array();
    for (const TargetReport& t : r.targets)
      targets.push_back({{"found_count", t.found_count},
                         {"found_fraction", t.found_fraction},
                         {"hours_mean", t.found_count ? Json(t.hours_mean) : Json(nullptr)}});
    regimes.push_back({
        {"name", r.name},
        {"scheme", scheme_json(r.scheme)},
        {"strength", r.strength},
        {"beliefs", beliefs_json(r)},
        {"probability_weighting", report.probability_weighting
                                      ? Json{{"gamma", report.weighting_gamma},
                                             {"join_dollars", r.weighted_join_dollars},
                                             {"recruit_dollars", r.weighted_recruit_dollars}}
                                      : Json(nullptr)},
        {"recruits_mean", r.recruits.mean},
        {"reached_mean", r.reached.mean},
        {"payout_mean", r.payout_dollars.mean},
        {"budget", r.budget_dollars},
        {"charity_mean", r.charity_dollars.mean},
        {"cost_per_recruit", r.cost_per_recruit},
        {"targets_found_mean", r.targets_found.mean},
        {"hours_to_all_targets",
         {{"mean", r.all_targets_count ? Json(r.hours_to_all_mean) : Json(nullptr)},
          {"count", r.all_targets_count},
          {"sorted", r.hours_to_all_sorted}}},
        {"recruits", summary_json(r.recruits)},
        {"reached", summary_json(r.reached)},
        {"payout", summary_json(r.payout_dollars)},
        {"charity", summary_json(r.charity_dollars)},
        {"targets_found", summary_json(r.targets_found)},
        {"targets", targets},
        {"payoff", {{"max", summary_json(r.max_payoff_dollars)}, {"gini", summary_json(r.gini)}}},
        {"behaviour",
         {{"mean_share_probability", r.mean_share_probability},
          {"mean_join_probability", r.mean_join_probability}}},
        {"tree",
         {{"r0_theory", r.r0_theory},
          {"branching_observed", r.branching_observed},
          {"branching_parents", r.branching_parents},
          {"branching_by_depth", r.branching_by_depth},
          {"depth_max", summary_json(r.depth_max)},
          {"depth_histogram", r.depth_histogram},
          {"offspring_histogram", r.offspring_histogram},
          {"tree_size_histogram", r.tree_size_histogram}}},
        {"theory",
         {{"growth_factor", r.theory.growth_factor},
          {"takeoff_probability", r.theory.takeoff_probability},
          {"final_fraction", r.theory.final_fraction},
          {"doubling_time_hours", number_or_null(r.theory.doubling_time_hours)}}},
        {"observed",
         {{"takeoff_fraction", r.observed.takeoff_fraction},
          {"takeoff_trials", r.observed.takeoff_trials},
          {"final_fraction",
           r.observed.takeoff_trials ? Json(r.observed.final_fraction.mean) : Json(nullptr)},
          {"final_fraction_se", r.observed.final_fraction.se},
          {"doubling_time_hours", number_or_null(r.observed.doubling_time_hours)},
          {"doubling_trials", r.observed.doubling_trials},
          {"offspring_mean", r.observed.offspring_mean},
          {"recruiting_share", r.observed.recruiting_share}}},
        {"attack", r.attack ? attack_json(r) : Json(nullptr)},
        {"curves",
         {{"hours", report.hours},
          {"reached", band_json(r.reached_curve)},
          {"joined", band_json(r.joined_curve)},
          {"active_recruiters", band_json(r.active_curve)}}},
    });
  }
  const Json root = {
      {"schema", {{"name", "cascade.mobilize"}, {"version", 1}}},
      {"scenario", report.scenario},
      {"network",
       {{"generator", report.generator}, {"vertices", report.vertices}, {"arcs", report.arcs}}},
      {"trials", report.trials},
      {"seed", report.master_seed},
      {"seeds_per_trial", report.seeds_per_trial},
      {"targets", report.num_targets},
      {"targets_appear_hours", report.targets_appear_hours},
      {"horizon_hours", report.horizon_hours},
      {"curve_step_hours", report.curve_step_hours},
      {"takeoff_recruits", report.takeoff_recruits},
      {"warnings", report.warnings},
      {"timing",
       {{"network_seconds", report.network_seconds},
        {"simulate_seconds", report.simulate_seconds}}},
      {"regimes", regimes},
  };
  return root.dump(2) + "\n";
}

std::string to_csv(const MobilizationReport& report) {
  std::ostringstream out;
  out.precision(10);
  out << "regime,hour,reached_mean,reached_lo,reached_hi,joined_mean,joined_lo,joined_hi,"
         "active_recruiters_mean,active_recruiters_lo,active_recruiters_hi\n";
  for (const RegimeReport& r : report.regimes) {
    std::string name = r.name;
    if (name.find_first_of(",\"\n") != std::string::npos) {
      std::string quoted = "\"";
      for (char ch : name) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      name = quoted + "\"";
    }
    for (std::size_t j = 0; j < report.hours.size(); ++j) {
      out << name << ',' << report.hours[j];
      for (const Band* b : {&r.reached_curve, &r.joined_curve, &r.active_curve})
        out << ',' << b->mean[j] << ',' << b->lo[j] << ',' << b->hi[j];
      out << '\n';
    }
  }
  return out.str();
}

std::string format_table(const MobilizationReport& report) {
  auto hours_pair = [](double theory, double observed) {
    return (std::isfinite(theory) ? printf_string("%.1f", theory) : std::string("-")) + " / " +
           (std::isfinite(observed) ? printf_string("%.1f", observed) : std::string("-"));
  };
  std::vector<std::pair<std::string, std::vector<std::string>>> rows = {
      {"scheme", {}},
      {"beliefs (rounds)", {}},
      {"join $ perceived / realised", {}},
      {"recruit $ perceived / realised", {}},
      {"recruits (joined)", {}},
      {"  95% interval", {}},
      {"reached", {}},
      {"targets found", {}},
      {"hours to all targets", {}},
      {"payout $", {}},
      {"budget $", {}},
      {"charity $", {}},
      {"cost per recruit $", {}},
      {"growth factor (theory)", {}},
      {"takeoff theory / observed", {}},
      {"final fraction theory / obs.", {}},
      {"doubling h theory / obs.", {}},
      {"offspring mean / share >= 1", {}},
      {"max tree depth", {}},
      {"largest payoff $", {}},
  };
  for (const RegimeReport& r : report.regimes) {
    const Beliefs &bp = r.beliefs.perceived, &br = r.beliefs.realised;
    std::vector<std::string> v = {
        r.scheme.kind_name(),
        r.belief_mode == BeliefMode::kAssumed
            ? std::string("assumed")
            : printf_string("consistent %u%s", r.beliefs.rounds, r.beliefs.converged ? "" : " (!)"),
        printf_string("%.2f / %.2f", bp.join_dollars, br.join_dollars),
        printf_string("%.2f / %.2f", bp.recruit_dollars, br.recruit_dollars),
        grouped_rounded(r.recruits.mean),
        grouped_rounded(std::max(0.0, r.recruits.lo)) + " .. " + grouped_rounded(r.recruits.hi),
        grouped_rounded(r.reached.mean),
        printf_string("%.2f / %llu", r.targets_found.mean,
                      static_cast<unsigned long long>(report.num_targets)),
        r.all_targets_count
            ? printf_string("%.1f (%llu/%llu)", r.hours_to_all_mean,
                            static_cast<unsigned long long>(r.all_targets_count),
                            static_cast<unsigned long long>(report.trials))
            : printf_string("- (0/%llu)", static_cast<unsigned long long>(report.trials)),
        grouped_rounded(r.payout_dollars.mean),
        grouped_rounded(r.budget_dollars),
        grouped_rounded(r.charity_dollars.mean),
        printf_string("%.4f", r.cost_per_recruit),
        printf_string("%.2f", r.theory.growth_factor),
        printf_string("%.3f / %.3f", r.theory.takeoff_probability, r.observed.takeoff_fraction),
        r.observed.takeoff_trials
            ? printf_string("%.3f / %.3f", r.theory.final_fraction, r.observed.final_fraction.mean)
            : printf_string("%.3f / -", r.theory.final_fraction),
        hours_pair(r.theory.doubling_time_hours, r.observed.doubling_time_hours),
        printf_string("%.2f / %.2f", r.observed.offspring_mean, r.observed.recruiting_share),
        printf_string("%.1f", r.depth_max.mean),
        grouped_rounded(r.max_payoff_dollars.mean),
    };
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i].second.push_back(v[i]);
  }
  std::size_t label_width = 0;
  for (const auto& row : rows) label_width = std::max(label_width, row.first.size());
  std::vector<std::size_t> widths;
  for (std::size_t c = 0; c < report.regimes.size(); ++c) {
    std::size_t w = report.regimes[c].name.size();
    for (const auto& row : rows) w = std::max(w, row.second[c].size());
    widths.push_back(w);
  }
  std::ostringstream out;
  out << report.scenario << ": " << grouped_rounded(static_cast<double>(report.vertices))
      << " vertices, " << grouped_rounded(static_cast<double>(report.arcs)) << " arcs, "
      << report.trials << " trials, " << report.horizon_hours
      << " h horizon; takeoff = " << grouped_rounded(static_cast<double>(report.takeoff_recruits))
      << " recruits\n";
  auto line = [&](const std::string& label, const std::vector<std::string>& cells) {
    out << label << std::string(label_width - label.size(), ' ');
    for (std::size_t c = 0; c < cells.size(); ++c)
      out << "  " << std::string(widths[c] - cells[c].size(), ' ') << cells[c];
    out << '\n';
  };
  std::vector<std::string> names;
  for (const RegimeReport& r : report.regimes) names.push_back(r.name);
  line("", names);
  for (const auto& row : rows) line(row.first, row.second);
  for (const std::string& w : report.warnings) out << "warning: " << w << '\n';
  return out.str();
}

}  // namespace cascade
