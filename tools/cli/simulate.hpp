#pragma once
// cascade simulate: its options (flags) and its report (JSON, key-value summary, tables), shared
// by simulate.cpp (flags and run) and simulate_report.cpp (output).
#include <CLI/CLI.hpp>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cascade/distributed.hpp"
#include "cascade/graph.hpp"
#include "cascade/monte_carlo.hpp"
#include "cli.hpp"
#include "graph_util.hpp"

namespace cascade::cli {

struct SimulateOptions {
  CommonOptions common;
  std::string input;
  std::string model = "ic";
  std::string p_text = "0.1";  // --p: one probability, or LO:HI:STEP
  double p = 0.1;              // the probability of the run in progress
  bool use_weights = false;    // --weights given
  std::string weights_rule;    // its RULE ("probability" when given alone)
  bool weighted_cascade = false;
  std::uint64_t seeds = 1;
  std::string seed_file;
  std::uint64_t top_degree = 0;
  std::uint64_t trials = 1000;
  double ci_half_width = 0.0;
  std::uint64_t batch = 1000;
  std::vector<double> quantiles = {0.05, 0.25, 0.5, 0.75, 0.95};
  std::string engine = "auto";
  std::string direction = "auto";
  std::string parallelism = "auto";
  unsigned lanes = 0;
  std::string delay = "exponential";
  double median_hours = 1.0;
  double shape = 1.0;
  double horizon_hours = std::numeric_limits<double>::infinity();
  double curve_step_hours = 1.0;
  std::string json;  // "" table; "-" JSON on stdout; else JSON into that file
  std::string output;
  std::string csv;
  DirectionFlags reading;
  CLI::App* app = nullptr;
};

/// The JSON report of one estimate (tools/cli/OUTPUT.md); engine: "fused", "trial" or "timed".
nlohmann::ordered_json simulate_report_json(const SimulateOptions& o, const Graph& g,
                                            const McOptions& mc, const Estimate& e,
                                            const std::string& engine, const Communicator& comm);

/// The key-value summary and the thinned curve of one estimate, on stdout.
void print_simulate_report(const SimulateOptions& o, const Graph& g, const Estimate& e,
                           const nlohmann::ordered_json& report, bool timed);

/// One row per probability of a --p LO:HI:STEP run, on stdout.
void print_p_range_table(const SimulateOptions& o, const Graph& g, const std::vector<double>& ps,
                         const std::vector<Estimate>& estimates, const std::string& engine);

}  // namespace cascade::cli
