// mobilize_harness: runs a scenario's virality-vs-incentive comparison end to end (network
// generation included), prints the side-by-side table, wall times and peak memory, and writes
// the JSON report and the CSV curves.
//
//   mobilize_harness data/scenarios/two-million.json [--trials N] [--threads N]
//                    [--json out.json] [--csv curves.csv] [--quiet]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "cascade/error.hpp"
#include "cascade/mobilize.hpp"
#include "cascade/mobilize_report.hpp"
#include "cascade/parallel.hpp"
#include "cascade/scenario_file.hpp"

namespace {

void write_file(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary);
    out << text;
    if (!out.flush()) throw cascade::FileError(path + ": cannot write");
  }
  std::filesystem::rename(temporary, path);
}

double peak_rss_gib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / (1024.0 * 1024.0);  // ru_maxrss is KiB
}

std::uint64_t number(const char* flag, const char* text) {
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (!end || *end != '\0')
    throw cascade::InvalidArgument(std::string(flag) + ": not a number: " + text);
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::string scenario_path, json_path, csv_path;
    cascade::MobilizeOptions options;
    bool quiet = false;
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      auto value = [&]() -> const char* {
        if (i + 1 >= argc) throw cascade::InvalidArgument(arg + " needs a value");
        return argv[++i];
      };
      if (arg == "--trials")
        options.trials = number("--trials", value());
      else if (arg == "--threads")
        options.threads = number("--threads", value());
      else if (arg == "--json")
        json_path = value();
      else if (arg == "--csv")
        csv_path = value();
      else if (arg == "--quiet")
        quiet = true;
      else if (arg == "-h" || arg == "--help") {
        std::cout << "usage: mobilize_harness SCENARIO.json [--trials N] [--threads N] "
                     "[--json OUT] [--csv OUT] [--quiet]\n";
        return 0;
      } else if (scenario_path.empty())
        scenario_path = arg;
      else
        throw cascade::InvalidArgument("unexpected argument '" + arg + "'");
    }
    if (scenario_path.empty())
      throw cascade::InvalidArgument("no scenario file given (try --help)");

    const auto start = std::chrono::steady_clock::now();
    cascade::ThreadLimit limit(options.threads);
    const cascade::Scenario scenario = cascade::read_scenario(scenario_path);
    const cascade::Graph g = cascade::build_scenario_network(scenario);
    const double network_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!quiet)
      std::fprintf(stderr, "network: %llu vertices, %llu arcs in %.1f s\n",
                   static_cast<unsigned long long>(g.num_vertices()),
                   static_cast<unsigned long long>(g.num_arcs()), network_seconds);
    if (!quiet)
      options.progress = [](double done) { std::fprintf(stderr, "\r%5.1f%%", 100.0 * done); };
    cascade::MobilizationReport report = cascade::mobilize(g, scenario, options);
    if (!quiet) std::fprintf(stderr, "\n");
    report.network_seconds = network_seconds;
    const double total =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    std::cout << cascade::format_table(report);
    std::printf("network %.1f s, simulation %.1f s, total %.1f s, peak RSS %.2f GiB, %zu threads\n",
                network_seconds, report.simulate_seconds, total, peak_rss_gib(),
                cascade::max_threads());
    if (!json_path.empty()) write_file(json_path, cascade::to_json(report));
    if (!csv_path.empty()) write_file(csv_path, cascade::to_csv(report));
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mobilize_harness: %s\n", e.what());
    return 1;
  }
}
