// sweep(): the grid of points (key values set in the scenario's JSON, or equal budgets), each
// point validated by the scenario reader, then run through mobilize() grouped by network.
#include "cascade/sweep.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "cascade/error.hpp"
#include "cascade/parallel.hpp"
#include "cascade/scenario_file.hpp"

namespace cascade {

namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxAxes = 2;

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find(sep, start);
    parts.push_back(text.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

// A command-line value as JSON: numbers, true / false, null, quoted strings; anything else is
// a bare string (so "rmat" and rmat both mean the string).
Json value_of(const std::string& text) {
  try {
    return Json::parse(text);
  } catch (const Json::exception&) {
    return Json(text);
  }
}

bool is_index(const std::string& part) {
  return !part.empty() && part.size() < 10 &&
         std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Sets doc at the dotted path key to value; objects missing on the way are created (the reader
// then rejects keys it does not know), array indices must exist. default_regimes fills in the
// reader's default regimes when the file has none and the key indexes them.
void set_path(Json& doc, const std::string& key, const Json& value, const Json& default_regimes,
              const std::string& flag = "--set") {
  const std::vector<std::string> parts = split(key, '.');
  for (const std::string& part : parts)
    if (part.empty()) throw InvalidArgument(flag + " " + key + ": empty component in the key");
  if (parts[0] == "regimes" && !doc.contains("regimes")) doc["regimes"] = default_regimes;
  Json* node = &doc;
  std::string where;
  for (const std::string& part : parts) {
    if (node->is_array()) {
      if (!is_index(part))
        throw InvalidArgument(flag + " " + key + ": '" + where +
                              "' is an array; expected an index, " + "got '" + part + "'");
      const std::size_t i = std::stoul(part);
      if (i >= node->size())
        throw InvalidArgument(flag + " " + key + ": index " + part + " is out of range ('" + where +
                              "' has " + std::to_string(node->size()) + " entries)");
      node = &(*node)[i];
    } else if (node->is_object()) {
      node = &(*node)[part];  // creates null for a new key; the assignment below replaces it
    } else {
      throw InvalidArgument(flag + " " + key + ": '" + where + "' is a value, not an object");
    }
    if (node->is_null() && &part != &parts.back()) *node = Json::object();
    where += (where.empty() ? "" : ".") + part;
  }
  *node = value;
}

// "--set a=1 --set b=x" or "--budget 4000": how errors name a point.
std::string describe(const std::vector<std::pair<std::string, std::string>>& values, bool budget) {
  std::string out;
  for (const auto& [key, value] : values)
    out += (out.empty() ? "" : " ") + (budget ? "--budget " + value : "--set " + key + "=" + value);
  return out;
}

// The reader's message without its "origin: " prefix (the point names itself instead).
std::string reader_message(const std::string& what, const std::string& origin) {
  const std::string prefix = origin + ": ";
  return what.rfind(prefix, 0) == 0 ? what.substr(prefix.size()) : what;
}

struct PointSpec {
  std::vector<std::pair<std::string, std::string>> values;
  Scenario scenario;
  std::string network_key;  // the canonical network object: equal keys share one graph
};

// Progress units of one trial: one per regime, or one query-incentive tree.
std::uint64_t steps_per_trial(const Scenario& s) { return s.query.enabled ? 1 : s.regimes.size(); }

std::string network_key(const Scenario& s) {
  return Json::parse(scenario_to_json(s))["network"].dump();
}

std::vector<PointSpec> key_points(const Json& base_doc, const Scenario& base,
                                  const std::string& origin, const SweepOptions& o) {
  const Json default_regimes = Json::parse(scenario_to_json(base))["regimes"];
  // The grid in order, first key slowest: indices into each axis's values.
  std::vector<std::vector<std::size_t>> grid = {{}};
  for (const SweepAxis& axis : o.axes) {
    std::vector<std::vector<std::size_t>> next;
    for (const auto& prefix : grid)
      for (std::size_t i = 0; i < axis.values.size(); ++i) {
        next.push_back(prefix);
        next.back().push_back(i);
      }
    grid = std::move(next);
  }
  std::vector<PointSpec> points;
  for (const auto& indices : grid) {
    Json doc = base_doc;
    PointSpec p;
    for (std::size_t a = 0; a < o.axes.size(); ++a) {
      const Json value = value_of(o.axes[a].values[indices[a]]);
      set_path(doc, o.axes[a].key, value, default_regimes);
      p.values.emplace_back(o.axes[a].key, value.dump());
    }
    try {
      p.scenario = parse_scenario(doc.dump(), origin);
    } catch (const FileError& e) {
      throw InvalidArgument(describe(p.values, false) + ": " + reader_message(e.what(), origin));
    }
    points.push_back(std::move(p));
  }
  return points;
}

std::vector<PointSpec> budget_points(const Scenario& base, const SweepOptions& o) {
  std::vector<PointSpec> points;
  for (const double dollars : o.budgets_dollars) {
    PointSpec p;
    const bool whole = dollars == std::floor(dollars) && std::abs(dollars) < 1e15;
    p.values.emplace_back(
        "budget_dollars",
        (whole ? Json(static_cast<std::int64_t>(dollars)) : Json(dollars)).dump());
    if (!(dollars > 0.0) || !std::isfinite(dollars))
      throw InvalidArgument(describe(p.values, true) + ": a budget must be a number > 0");
    p.scenario = base;
    const auto cents = static_cast<std::int64_t>(std::llround(dollars * 100.0));
    for (RegimeSpec& regime : p.scenario.regimes) {
      try {
        regime.scheme = scale_to_budget(regime.scheme, base.targets.count, cents);
        regime.scheme.validate();
      } catch (const InvalidArgument& e) {
        throw InvalidArgument(describe(p.values, true) + ": regime '" + regime.name +
                              "': " + e.what());
      }
    }
    points.push_back(std::move(p));
  }
  return points;
}

void check_options(const SweepOptions& o) {
  if (!o.axes.empty() && !o.budgets_dollars.empty())
    throw InvalidArgument("--set and --budget exclude each other: sweep keys or budgets");
  if (o.axes.size() > kMaxAxes)
    throw InvalidArgument("--set " + o.axes[kMaxAxes].key + ": at most " +
                          std::to_string(kMaxAxes) + " keys can be swept (got " +
                          std::to_string(o.axes.size()) + ")");
  std::set<std::string> keys;
  for (const SweepAxis& axis : o.axes) {
    if (axis.values.empty()) throw InvalidArgument("--set " + axis.key + ": empty list of values");
    if (!keys.insert(axis.key).second)
      throw InvalidArgument("--set " + axis.key + ": the key is swept twice");
  }
}

}  // namespace

Scenario scenario_with(const std::string& scenario_text, const std::string& origin,
                       const std::vector<std::pair<std::string, std::string>>& values,
                       const std::string& flag) {
  Json doc = Json::parse(scenario_text);
  const Json default_regimes =
      Json::parse(scenario_to_json(parse_scenario(scenario_text, origin)))["regimes"];
  std::string name;
  for (const auto& [key, value] : values) {
    set_path(doc, key, value_of(value), default_regimes, flag);
    if (!name.empty()) name += ' ';
    name.append(flag).append(" ").append(key).append("=").append(value);
  }
  try {
    return parse_scenario(doc.dump(), origin);
  } catch (const FileError& e) {
    throw InvalidArgument(name + ": " + reader_message(e.what(), origin));
  }
}

std::string scenario_value_at(const Scenario& scenario, const std::string& key) {
  const Json doc = Json::parse(scenario_to_json(scenario));
  const Json* node = &doc;
  for (const std::string& part : split(key, '.')) {
    if (node->is_object() && node->contains(part)) {
      node = &(*node)[part];
    } else if (node->is_array() && is_index(part) && std::stoul(part) < node->size()) {
      node = &(*node)[std::stoul(part)];
    } else {
      return "";
    }
  }
  return node->dump();
}

SweepAxis parse_sweep_axis(const std::string& text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos) throw InvalidArgument("--set " + text + ": expected KEY=V1,V2,...");
  SweepAxis axis;
  axis.key = text.substr(0, eq);
  if (axis.key.empty()) throw InvalidArgument("--set " + text + ": no key before '='");
  const std::string list = text.substr(eq + 1);
  if (list.empty()) throw InvalidArgument("--set " + text + ": empty list of values");
  axis.values = split(list, ',');
  for (const std::string& v : axis.values)
    if (v.empty()) throw InvalidArgument("--set " + text + ": empty value in the list");
  return axis;
}

std::vector<double> parse_budgets(const std::string& text) {
  if (text.empty()) throw InvalidArgument("--budget: empty list of budgets");
  std::vector<double> budgets;
  for (const std::string& item : split(text, ',')) {
    char* end = nullptr;
    const double b = item.empty() ? 0.0 : std::strtod(item.c_str(), &end);
    if (item.empty() || end != item.c_str() + item.size() || !std::isfinite(b) || !(b > 0.0))
      throw InvalidArgument("--budget " + item + ": expected a number of dollars > 0");
    budgets.push_back(b);
  }
  return budgets;
}

SweepReport sweep(const std::string& scenario_text, const std::string& origin,
                  const SweepOptions& options) {
  check_options(options);
  const Scenario base = parse_scenario(scenario_text, origin);  // FileError: the file's fault
  Json doc = Json::parse(scenario_text);
  // Command-line overrides go into the document, under the swept keys.
  if (options.trials) doc["trials"] = options.trials;
  if (options.master_seed) doc["seed"] = *options.master_seed;
  const Scenario base_run =
      options.trials || options.master_seed ? parse_scenario(doc.dump(), origin) : base;

  SweepReport report;
  report.scenario = base.name;
  report.budget_frontier = !options.budgets_dollars.empty();
  std::vector<PointSpec> specs;
  if (report.budget_frontier) {
    report.keys = {"budget_dollars"};
    specs = budget_points(base_run, options);
  } else {
    for (const SweepAxis& axis : options.axes) report.keys.push_back(axis.key);
    specs = key_points(doc, base_run, origin, options);
  }
  report.query = base_run.query.enabled || (!specs.empty() && specs.front().scenario.query.enabled);
  if (report.budget_frontier && report.query)
    throw InvalidArgument(
        "--budget: a query_incentive scenario has no schemes to scale; sweep "
        "query_incentive.reward with --set");
  bool network_swept = false;
  for (const std::string& key : report.keys) network_swept |= key.rfind("network.", 0) == 0;

  // Run grouped by network (in order of first appearance), each graph built once.
  std::map<std::string, std::size_t> group_of;
  double total_steps = 0;
  for (PointSpec& p : specs) {
    p.network_key = network_key(p.scenario);
    group_of.emplace(p.network_key, group_of.size());
    total_steps += static_cast<double>(p.scenario.trials * steps_per_trial(p.scenario));
  }
  std::vector<std::size_t> order(specs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return group_of[specs[a].network_key] < group_of[specs[b].network_key];
  });

  ThreadLimit limit(options.threads);
  report.points.resize(specs.size());
  Graph graph;
  std::string built_key;
  double steps_done = 0;
  for (const std::size_t i : order) {
    PointSpec& p = specs[i];
    const std::string name = describe(p.values, report.budget_frontier);
    if (p.scenario.query.enabled) {
      SweepPoint& out = report.points[i];
      const auto t0 = Clock::now();
      try {
        out.query =
            run_query_experiment(p.scenario.query, p.scenario.trials, p.scenario.master_seed);
      } catch (const InvalidArgument& e) {
        throw InvalidArgument(name + ": query_incentive: " + e.what());
      }
      report.simulate_seconds += std::chrono::duration<double>(Clock::now() - t0).count();
      steps_done += static_cast<double>(p.scenario.trials);
      if (options.progress) options.progress(steps_done / total_steps);
      out.values = std::move(p.values);
      out.scenario = std::move(p.scenario);
      continue;
    }
    double network_seconds = 0;
    if (report.networks_built == 0 || p.network_key != built_key) {
      const auto t0 = Clock::now();
      graph = Graph();  // release the previous network first
      try {
        graph = build_scenario_network(p.scenario);
      } catch (const InvalidArgument& e) {
        if (!network_swept) throw FileError(origin + ": network: " + e.what());
        throw InvalidArgument(name + ": network: " + e.what());
      }
      built_key = p.network_key;
      ++report.networks_built;
      network_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
      report.network_seconds += network_seconds;
    }
    MobilizeOptions m;
    m.threads = options.threads;
    const double steps = static_cast<double>(p.scenario.trials * steps_per_trial(p.scenario));
    if (options.progress)
      m.progress = [&](double f) { options.progress((steps_done + f * steps) / total_steps); };
    SweepPoint& out = report.points[i];
    try {
      out.report = mobilize(graph, p.scenario, m);
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(name + ": " + e.what());
    }
    out.report.network_seconds = network_seconds;
    report.simulate_seconds += out.report.simulate_seconds;
    steps_done += steps;
    out.values = std::move(p.values);
    out.scenario = std::move(p.scenario);
  }
  return report;
}

}  // namespace cascade
