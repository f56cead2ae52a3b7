// The report of `cascade fit` (cascade/fit_report.hpp): JSON (schema in tools/cli/OUTPUT.md)
// and a short text table. The files fit reads are fit_trees_csv.cpp and fit_summaries.cpp.
#include "cascade/fit_report.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

namespace cascade {

namespace {

using Json = nlohmann::ordered_json;

Json number_json(double x) { return std::isfinite(x) ? Json(x) : Json(nullptr); }

Json numbers_json(const std::vector<double>& v) {
  Json a = Json::array();
  for (const double x : v) a.push_back(number_json(x));
  return a;
}

}  // namespace

std::string to_json(const FitResult& fit, const std::string& data) {
  Json root;
  root["schema"] = {{"name", "cascade.fit"}, {"version", 1}};
  root["scenario"] = fit.scenario;
  root["data"] = data;
  root["seed"] = fit.seed;
  root["particles"] = fit.samples.size();
  root["generations"] = fit.generations.size() - 1;
  root["simulations"] = fit.simulations;
  Json params = Json::object(), ident = Json::object();
  for (const FitParameter& p : fit.parameters) {
    params[p.prior.key] = {{"median", p.median},
                           {"interval90", {p.lo90, p.hi90}},
                           {"mean", p.mean},
                           {"sd", p.sd},
                           {"prior", {p.prior.lo, p.prior.hi}}};
    ident[p.prior.key] = {{"width_ratio", p.width_ratio},
                          {"verdict", p.pinned ? "pinned" : "not identified"}};
  }
  root["parameters"] = params;
  root["identifiability"] = {{"pinned_below", kPinnedWidthRatio}, {"keys", ident}};
  Json gens = Json::array();
  for (const FitGeneration& g : fit.generations)
    gens.push_back({{"epsilon", number_json(g.epsilon)},
                    {"effective_size", g.effective_size},
                    {"simulations", g.simulations}});
  root["tolerances"] = gens;
  Json observed = Json::array();
  for (const TreeSummaries& s : fit.observed)
    observed.push_back({{"regime", s.regime},
                        {"trials", s.trials},
                        {"signups", {{"hours", s.hours}, {"counts", numbers_json(s.signups)}}},
                        {"offspring_share", numbers_json(s.offspring_share)},
                        {"depth_share", numbers_json(s.depth_share)},
                        {"targets_found", number_json(s.targets_found)},
                        {"hours_to_all_targets", number_json(s.hours_to_all_targets)}});
  root["observed"] = observed;
  Json predictive = Json::array();
  for (const PredictiveStat& p : fit.predictive)
    predictive.push_back({{"regime", p.regime},
                          {"statistic", p.name},
                          {"observed", number_json(p.observed)},
                          {"median", number_json(p.median)},
                          {"interval90", {number_json(p.lo), number_json(p.hi)}}});
  root["predictive"] = predictive;
  Json keys = Json::array();
  for (const FitParameter& p : fit.parameters) keys.push_back(p.prior.key);
  Json values = Json::array();
  for (const auto& s : fit.samples) values.push_back(s);
  Json distances = Json::array();
  for (const double d : fit.distances) distances.push_back(number_json(d));
  root["samples"] = {
      {"keys", keys}, {"values", values}, {"weights", fit.weights}, {"distances", distances}};
  root["timing"] = {{"seconds", fit.seconds}};
  return root.dump(2) + "\n";
}

std::string format_table(const FitResult& fit) {
  std::ostringstream out;
  char line[512];
  std::snprintf(line, sizeof line, "%-40s %12s %25s %8s  %s\n", "key", "median", "90% interval",
                "width", "identifiability");
  out << line;
  for (const FitParameter& p : fit.parameters) {
    char interval[64];
    std::snprintf(interval, sizeof interval, "[%.4g, %.4g]", p.lo90, p.hi90);
    std::snprintf(line, sizeof line, "%-40s %12.4g %25s %8.2f  %s\n", p.prior.key.c_str(), p.median,
                  interval, p.width_ratio, p.pinned ? "pinned" : "not identified");
    out << line;
  }
  std::snprintf(line, sizeof line,
                "(width: posterior 90%% interval / prior width; pinned below %.2f; %llu "
                "simulations, final tolerance %.3g)\n",
                kPinnedWidthRatio, static_cast<unsigned long long>(fit.simulations),
                fit.generations.empty() ? 0.0 : fit.generations.back().epsilon);
  out << line;
  return out.str();
}

}  // namespace cascade
