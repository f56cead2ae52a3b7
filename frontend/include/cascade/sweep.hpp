#pragma once
// sweep(): a scenario run at every point of a grid, each point through mobilize() with the
// scenario's master seed (common random numbers across points, not only across regimes).
//
// Two kinds of grid:
//  - keys: one or two scenario paths ("incentive.recruit_probability_max",
//    "regimes.3.bounty_dollars": dots between keys, numbers index arrays), each with a list of
//    values; every point of their cartesian product is the scenario with those values set in its
//    JSON and read again by the scenario reader, so every key the reader accepts can be swept and
//    a bad key or value fails with the reader's message.
//  - budgets (the equal-spend frontier): at each total budget B every regime's money is scaled
//    (scale_to_budget) so that every scheme has the same budget, and outcomes are compared per
//    actual dollar paid.
// The network is built once per distinct network (points are run grouped by it), so only a
// swept network.* key costs a rebuild. A scenario with "query_incentive" runs that experiment
// (cascade/query_incentive.hpp) at every point instead, on random trees: no network is built.
// Results are identical for any thread count.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cascade/budget.hpp"
#include "cascade/incentive.hpp"
#include "cascade/mobilize.hpp"
#include "cascade/query_incentive.hpp"

namespace cascade {

/// One swept key and its values (each a JSON value as text: 0.2, true, "rmat" or rmat).
struct SweepAxis {
  std::string key;
  std::vector<std::string> values;
};

/// Parses "KEY=V1,V2,...". Throws InvalidArgument naming the text (no '=', no key, an empty
/// list or an empty value). A value that is not JSON is taken as a string. O(length).
SweepAxis parse_sweep_axis(const std::string& text);

/// Parses "B1,B2,..." (dollars, each a finite number > 0). Throws InvalidArgument naming the
/// bad value or the empty list.
std::vector<double> parse_budgets(const std::string& text);

/// The scenario (JSON text from origin) with each dotted key set to its value (JSON text, as in
/// --set), read again by the scenario reader: the one mechanism by which sweep and fit change a
/// scenario. Throws InvalidArgument "FLAG KEY=VALUE: the reader's message" for an unknown key or
/// a bad value (flag names the command-line option in messages). O(scenario size).
Scenario scenario_with(const std::string& scenario_text, const std::string& origin,
                       const std::vector<std::pair<std::string, std::string>>& values,
                       const std::string& flag = "--set");

/// The value at a dotted key of the scenario's canonical JSON (all defaults filled in) as JSON
/// text, or "" when the scenario has no such key. O(scenario size).
std::string scenario_value_at(const Scenario& scenario, const std::string& key);

struct SweepOptions {
  std::vector<SweepAxis> axes;               ///< at most 2; exclusive with budgets_dollars
  std::vector<double> budgets_dollars;       ///< the equal-spend frontier (each > 0)
  std::uint64_t trials = 0;                  ///< 0: the scenario's (a swept "trials" key wins)
  std::optional<std::uint64_t> master_seed;  ///< replaces the scenario's (a swept "seed" wins)
  std::size_t threads = 0;                   ///< 0: all cores
  std::function<void(double)> progress;      ///< fraction of all points' trials done, in [0, 1]
};

/// One point: the values set (key -> JSON text; "budget_dollars" on the frontier), the scenario
/// that ran and its full mobilize() report.
struct SweepPoint {
  std::vector<std::pair<std::string, std::string>> values;
  Scenario scenario;
  MobilizationReport report;  ///< empty for a query-incentive point
  QueryReport query;          ///< the query-incentive experiment (SweepReport::query)
};

struct SweepReport {
  std::string scenario;          ///< the base scenario's name
  bool budget_frontier = false;  ///< points are budgets (else key values)
  bool query = false;  ///< points are query-incentive experiments (scenario "query_incentive")
  std::vector<std::string> keys;   ///< the swept keys, or {"budget_dollars"}
  std::vector<SweepPoint> points;  ///< in grid order: first key slowest
  std::uint64_t networks_built = 0;
  double network_seconds = 0.0, simulate_seconds = 0.0;
};

/// Runs the sweep of the scenario (JSON text; origin is the file it came from, used in error
/// messages and to find a network file). Every point is built and validated before the first
/// runs. Throws FileError for a bad base scenario (as read_scenario does) and InvalidArgument
/// naming the key and value for a bad sweep (unknown key, wrong type, out of range, more than
/// two axes, a repeated key, keys and budgets together). Cost: sum over points of mobilize(),
/// plus one network build per distinct network.
SweepReport sweep(const std::string& scenario_text, const std::string& origin,
                  const SweepOptions& options);

/// The sweep as JSON (schema and key order in tools/cli/OUTPUT.md), ending with a newline.
std::string to_json(const SweepReport& report);
/// One CSV row per point and regime (columns in tools/cli/OUTPUT.md).
std::string to_csv(const SweepReport& report);
/// A short text table (one line per point and regime), for terminals.
std::string format_table(const SweepReport& report);

}  // namespace cascade
