// The sweep's writers: JSON (ordered keys), CSV (one row per point and regime), a text table.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cascade/monte_carlo.hpp"
#include "cascade/sweep.hpp"
#include "cascade/text_format.hpp"
#include "scheme_json.hpp"

namespace cascade {

namespace {

using Json = nlohmann::ordered_json;

// What the sweep reports of one regime at one point, derived from its mobilize() report.
struct Outcome {
  const RegimeReport& r;
  std::uint64_t trials;

  double p_all_found() const {
    return static_cast<double>(r.all_targets_count) / static_cast<double>(trials);
  }
  Interval p_all_found_ci() const { return wilson_interval(r.all_targets_count, trials); }
  bool any_all_found() const { return r.all_targets_count > 0; }
  // Outcome per actual dollar paid (none when nothing was paid).
  bool paid() const { return r.payout_dollars.mean > 0; }
  double per_dollar(double outcome) const { return outcome / r.payout_dollars.mean; }
};

Json ci(const Summary& s) { return Json::array({s.lo, s.hi}); }

Json scheme_json(const IncentiveScheme& s) {
  Json j = {{"kind", s.kind_name()}};
  detail::put_scheme_fields(j, s);
  return j;
}

Json regime_json(const RegimeReport& r, std::uint64_t trials) {
  const Outcome o{r, trials};
  const Interval p = o.p_all_found_ci();
  Json j;
  j["name"] = r.name;
  j["scheme"] = scheme_json(r.scheme);
  j["strength"] = r.strength;
  j["budget"] = r.budget_dollars;
  j["recruits_mean"] = r.recruits.mean;
  j["recruits_ci95"] = ci(r.recruits);
  j["reached_mean"] = r.reached.mean;
  j["reached_ci95"] = ci(r.reached);
  j["targets_found_mean"] = r.targets_found.mean;
  j["targets_found_ci95"] = ci(r.targets_found);
  j["p_all_found"] = o.p_all_found();
  j["p_all_found_ci95"] = Json::array({p.lo, p.hi});
  j["all_found_count"] = r.all_targets_count;
  j["hours_to_all_mean"] = o.any_all_found() ? Json(r.hours_to_all.mean) : Json(nullptr);
  j["hours_to_all_ci95"] = o.any_all_found() ? ci(r.hours_to_all) : Json(nullptr);
  j["spend_mean"] = r.payout_dollars.mean;
  j["spend_ci95"] = ci(r.payout_dollars);
  j["charity_mean"] = r.charity_dollars.mean;
  j["charity_ci95"] = ci(r.charity_dollars);
  j["recruits_per_dollar"] = o.paid() ? Json(o.per_dollar(r.recruits.mean)) : Json(nullptr);
  j["targets_found_per_dollar"] =
      o.paid() ? Json(o.per_dollar(r.targets_found.mean)) : Json(nullptr);
  return j;
}

// A value's JSON text as a CSV / table cell: strings without their quotes.
std::string cell(const std::string& json_text) {
  const Json v = Json::parse(json_text);
  return v.is_string() ? v.get<std::string>() : json_text;
}

std::string csv_field(std::string s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char ch : s) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return quoted + "\"";
}

// A query-incentive point: the exact equilibrium (KR's prediction) beside the simulation.
Json query_json(const SweepPoint& p) {
  const QueryReport& q = p.query;
  const QueryIncentiveParams& m = p.scenario.query.params;
  const Interval ci = wilson_interval(q.found, q.trials);
  const auto reward_or_null = [](std::uint64_t r) { return r > 0 ? Json(r) : Json(nullptr); };
  Json j;
  j["offspring"] = offspring_name(m.offspring);
  j["branching"] = q.branching;
  j["rarity"] = m.rarity;
  j["success"] = m.success;
  j["strategy"] = p.scenario.query.split ? "split" : "equilibrium";
  j["expected_depth"] = std::isfinite(q.expected_depth) ? Json(q.expected_depth) : Json(nullptr);
  j["answer_anywhere"] = q.answer_anywhere;
  j["required_reward"] = reward_or_null(q.required_reward);
  j["simulated_required_reward"] = reward_or_null(q.simulated_required_reward);
  j["reward"] = q.reward;
  j["offer"] = q.offer;
  j["exact_success"] = q.exact_success;
  j["simulated_success"] = q.simulated_success;
  j["simulated_ci95"] = Json::array({ci.lo, ci.hi});
  j["standard_error"] = q.standard_error;
  j["found"] = q.found;
  return j;
}

std::string optional_count(std::uint64_t r) { return r > 0 ? std::to_string(r) : ""; }

std::string query_csv(const SweepReport& report) {
  std::ostringstream out;
  out.precision(10);
  for (const std::string& key : report.keys) out << csv_field(key) << ',';
  out << "offspring,branching,rarity,success,strategy,expected_depth,answer_anywhere,"
         "required_reward,simulated_required_reward,reward,offer,exact_success,"
         "simulated_success,simulated_lo,simulated_hi,standard_error,trials\n";
  for (const SweepPoint& p : report.points) {
    const QueryReport& q = p.query;
    const Interval ci = wilson_interval(q.found, q.trials);
    for (const auto& value : p.values) out << csv_field(cell(value.second)) << ',';
    out << offspring_name(p.scenario.query.params.offspring) << ',' << q.branching << ','
        << p.scenario.query.params.rarity << ',' << p.scenario.query.params.success << ','
        << (p.scenario.query.split ? "split" : "equilibrium") << ',';
    if (std::isfinite(q.expected_depth)) out << q.expected_depth;
    out << ',' << q.answer_anywhere << ',' << optional_count(q.required_reward) << ','
        << optional_count(q.simulated_required_reward) << ',' << q.reward << ',' << q.offer << ','
        << q.exact_success << ',' << q.simulated_success << ',' << ci.lo << ',' << ci.hi << ','
        << q.standard_error << ',' << q.trials << '\n';
  }
  return out.str();
}

}  // namespace

std::string to_json(const SweepReport& report) {
  Json points = Json::array();
  for (const SweepPoint& p : report.points) {
    Json values = Json::object();
    for (const auto& [key, text] : p.values) values[key] = Json::parse(text);
    if (report.query) {
      Json point;
      point["values"] = values;
      point["trials"] = p.scenario.trials;
      point["query"] = query_json(p);
      points.push_back(point);
      continue;
    }
    Json regimes = Json::array();
    for (const RegimeReport& r : p.report.regimes)
      regimes.push_back(regime_json(r, p.report.trials));
    Json point;
    point["values"] = values;
    point["trials"] = p.report.trials;
    point["network"] = {{"vertices", p.report.vertices}, {"arcs", p.report.arcs}};
    point["regimes"] = regimes;
    points.push_back(point);
  }
  Json root;
  root["schema"] = {{"name", "cascade.sweep"}, {"version", 1}};
  root["scenario"] = report.scenario;
  root["mode"] = report.query ? "query" : report.budget_frontier ? "budget" : "keys";
  root["keys"] = report.keys;
  root["seed"] = report.points.empty() ? 0
                 : report.query        ? report.points.front().scenario.master_seed
                                       : report.points.front().report.master_seed;
  root["points"] = points;
  root["timing"] = {{"networks_built", report.networks_built},
                    {"network_seconds", report.network_seconds},
                    {"simulate_seconds", report.simulate_seconds}};
  return root.dump(2) + "\n";
}

std::string to_csv(const SweepReport& report) {
  if (report.query) return query_csv(report);
  std::ostringstream out;
  out.precision(10);
  for (const std::string& key : report.keys) out << csv_field(key) << ',';
  out << "regime,scheme,strength,trials,budget";
  for (const char* q :
       {"recruits", "reached", "targets_found", "p_all_found", "hours_to_all", "spend", "charity"})
    out << ',' << q << "_mean," << q << "_lo," << q << "_hi";
  out << ",recruits_per_dollar,targets_found_per_dollar\n";
  for (const SweepPoint& p : report.points) {
    for (const RegimeReport& r : p.report.regimes) {
      const Outcome o{r, p.report.trials};
      for (const auto& value : p.values) out << csv_field(cell(value.second)) << ',';
      out << csv_field(r.name) << ',' << r.scheme.kind_name() << ',' << r.strength << ','
          << p.report.trials << ',' << r.budget_dollars;
      for (const Summary* s : {&r.recruits, &r.reached, &r.targets_found})
        out << ',' << s->mean << ',' << s->lo << ',' << s->hi;
      const Interval pi = o.p_all_found_ci();
      out << ',' << o.p_all_found() << ',' << pi.lo << ',' << pi.hi;
      if (o.any_all_found())
        out << ',' << r.hours_to_all.mean << ',' << r.hours_to_all.lo << ',' << r.hours_to_all.hi;
      else
        out << ",,,";
      for (const Summary* s : {&r.payout_dollars, &r.charity_dollars})
        out << ',' << s->mean << ',' << s->lo << ',' << s->hi;
      if (o.paid())
        out << ',' << o.per_dollar(r.recruits.mean) << ',' << o.per_dollar(r.targets_found.mean);
      else
        out << ",,";
      out << '\n';
    }
  }
  return out.str();
}

std::string format_table(const SweepReport& report) {
  std::ostringstream out;
  out << report.scenario << ": " << report.points.size() << " points ("
      << (report.budget_frontier ? "equal-spend budgets" : "swept keys") << "), "
      << report.networks_built << (report.networks_built == 1 ? " network" : " networks")
      << " built\n";
  auto join = [](const std::vector<std::string>& parts) {
    std::string s;
    for (const std::string& part : parts) s += (s.empty() ? "" : " ") + part;
    return s;
  };
  std::vector<std::string> labels;  // the point's values, under the keys
  for (const SweepPoint& p : report.points) {
    std::vector<std::string> cells;
    for (const auto& value : p.values) cells.push_back(cell(value.second));
    labels.push_back(join(cells));
  }
  const std::string header = join(report.keys);
  std::size_t width = header.size(), name_width = 6;
  for (const std::string& label : labels) width = std::max(width, label.size());
  auto pad = [](const std::string& s, std::size_t w) { return s + std::string(w - s.size(), ' '); };
  if (report.query) {  // r* and P(found): exact equilibrium beside the simulation
    out << pad(header, width)
        << printf_string(" %6s %9s %6s %10s %10s %10s %8s %20s\n", "b", "rarity", "depth",
                         "r* exact", "r* sim", "reward r", "P exact", "P sim (95% interval)");
    for (std::size_t i = 0; i < report.points.size(); ++i) {
      const SweepPoint& p = report.points[i];
      const QueryReport& q = p.query;
      const Interval ci = wilson_interval(q.found, q.trials);
      const auto r = [&](std::uint64_t x) { return x > 0 ? std::to_string(x) : std::string("-"); };
      out << pad(labels[i], width)
          << printf_string(" %6.3g %9.4g %6.2f %10s %10s %10llu %8.4f %6.4f (%.3f..%.3f)\n",
                           q.branching, p.scenario.query.params.rarity, q.expected_depth,
                           r(q.required_reward).c_str(), r(q.simulated_required_reward).c_str(),
                           static_cast<unsigned long long>(q.reward), q.exact_success,
                           q.simulated_success, ci.lo, ci.hi);
    }
    return out.str();
  }
  for (const SweepPoint& p : report.points)
    for (const RegimeReport& r : p.report.regimes) name_width = std::max(name_width, r.name.size());
  out << pad(header, width) << "  " << pad("regime", name_width)
      << printf_string(" %12s %23s %9s %12s %12s\n", "recruits", "95% interval", "P(all)",
                       "spend $", "recruits/$");
  for (std::size_t i = 0; i < report.points.size(); ++i) {
    const SweepPoint& p = report.points[i];
    for (const RegimeReport& r : p.report.regimes) {
      const Outcome o{r, p.report.trials};
      out << pad(labels[i], width) << "  " << pad(r.name, name_width)
          << printf_string(
                 " %12.1f %11.1f .. %-8.1f %9.3f %12.0f %12s\n", r.recruits.mean,
                 std::max(0.0, r.recruits.lo), r.recruits.hi, o.p_all_found(),
                 r.payout_dollars.mean,
                 o.paid() ? printf_string("%.4g", o.per_dollar(r.recruits.mean)).c_str() : "-");
    }
  }
  return out.str();
}

}  // namespace cascade
