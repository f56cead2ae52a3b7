#pragma once
// Shared pieces of the `cascade` command-line program: the options every subcommand takes,
// the usage error, and the subcommand registry. One file per subcommand (generate.cpp, ...)
// registers itself through one of the add_* functions below, called from main.cpp.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

namespace cascade::cli {

/// A usage error found after parsing (a missing positional, flags that contradict each other, an
/// impossible value): printed as one line, exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The largest --threads: far above any machine, small enough that a typo (2^32) cannot start
/// thousands of threads.
inline constexpr std::size_t kMaxThreads = 4096;

/// The program's arguments after argv[0], joined by spaces (set by main; part of the inputs'
/// fingerprint that MPI ranks compare).
std::string& command_line();

/// Options every subcommand accepts (--threads, --seed, --quiet).
struct CommonOptions {
  std::size_t threads = 0;  ///< 0: all cores
  std::uint64_t seed = 1;   ///< master random seed
  bool seed_given = false;  ///< --seed appeared on the command line
  bool quiet = false;       ///< no progress bar, no chatter on stderr
};

/// Adds --threads, --seed (with the given help text) and --quiet to a subcommand.
void add_common_options(CLI::App* sub, CommonOptions& common, const std::string& seed_help);

/// What a subcommand does once its command line parsed; returns the exit code.
using Runner = std::function<int()>;

/// Each registers one subcommand on app and returns what runs it.
Runner add_generate(CLI::App& app);
Runner add_convert(CLI::App& app);
Runner add_info(CLI::App& app);
Runner add_simulate(CLI::App& app);
Runner add_mobilize(CLI::App& app);
Runner add_maximize(CLI::App& app);
Runner add_sweep(CLI::App& app);
Runner add_fit(CLI::App& app);

/// Prints "cascade: <message>" on stderr unless quiet (chatter: what was written, timings).
void note(const CommonOptions& common, const std::string& message);

/// Path of the running executable (from /proc/self/exe), "" when unknown.
std::string executable_path();

}  // namespace cascade::cli
