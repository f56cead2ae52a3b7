// cascade: the command-line program. git-style subcommands (CLI11), one file each:
//   generate.cpp  convert.cpp  info.cpp  simulate.cpp  mobilize.cpp  sweep.cpp  fit.cpp
//   maximize.cpp
// This file parses the command line and maps errors to exit codes:
//   0 success; 2 usage (bad flag, impossible value: CLI11 errors, UsageError, InvalidArgument);
//   1 runtime (FileError, ResourceError, out of memory, anything else); 128 + signal when
//   interrupted (the handler in output.cpp removes temporary files first).
// Every error is one line on stderr: "cascade: error: <what>".
// Global option (before or after the subcommand): --max-memory SIZE replaces the memory limit
// that large graphs and simulations are checked against up front (cascade/memory.hpp).
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <climits>
#include <cmath>
#include <cstdio>
#include <exception>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "cascade/error.hpp"
#include "cascade/memory.hpp"
#include "cascade/output_file.hpp"
#include "cli.hpp"
#include "grammar.hpp"
#include "output.hpp"

#ifndef CASCADE_VERSION
#define CASCADE_VERSION "unknown"
#endif

namespace cascade::cli {

void add_common_options(CLI::App* sub, CommonOptions& common, const std::string& seed_help) {
  const char* group = "Common";
  sub->add_option("-t,--threads", common.threads, "worker threads (0: all cores)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{0}, kMaxThreads))
      ->group(group);
  sub->add_option_function<std::uint64_t>(
         "-s,--seed",
         [&common](const std::uint64_t& s) {
           common.seed = s;
           common.seed_given = true;
         },
         seed_help)
      ->group(group);
  sub->add_flag("-q,--quiet", common.quiet,
                "no progress bar, no notes on stderr, and no table when the results go to files")
      ->group(group);
}

void note(const CommonOptions& common, const std::string& message) {
  if (!common.quiet) std::fprintf(stderr, "cascade: %s\n", message.c_str());
}

std::string& command_line() {
  static std::string line;
  return line;
}

std::string executable_path() {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

namespace {

bool g_max_memory_given = false;  // --max-memory was on the command line

// One line: newlines in a message become spaces.
void error_line(std::string message) {
  for (char& c : message)
    if (c == '\n' || c == '\r') c = ' ';
  while (!message.empty() && message.back() == ' ') message.pop_back();
  std::fflush(stdout);
  std::fprintf(stderr, "cascade: error: %s\n", message.c_str());
}

int report_failure();

int run_guarded(const Runner& run) {
  try {
    return run();
  } catch (...) {
    // A signal handler on another thread may have just removed the temporary file this run was
    // writing: the failure is its doing, and it exits 128 + signal. Let it (no error line).
    wait_if_exiting_on_signal();
    return report_failure();
  }
}

int report_failure() {
  try {
    throw;
  } catch (const UsageError& e) {
    error_line(e.what());
    return 2;
  } catch (const CLI::ParseError& e) {
    error_line(e.what());
    return 2;
  } catch (const InvalidArgument& e) {
    error_line(e.what());
    return 2;
  } catch (const ResourceError& e) {
    // The library names the need and the limit; say how to change the limit.
    error_line(std::string(e.what()) +
               (g_max_memory_given ? "" : "; --max-memory SIZE overrides the limit"));
    return 1;
  } catch (const std::bad_alloc&) {
    error_line("out of memory");
    return 1;
  } catch (const std::exception& e) {  // FileError, ResourceError, anything else at run time
    error_line(e.what());
    return 1;
  }
}

}  // namespace
}  // namespace cascade::cli

int main(int argc, char** argv) {
  using namespace cascade::cli;
  for (int i = 1; i < argc; ++i) command_line() += (i > 1 ? " " : "") + std::string(argv[i]);
  install_signal_handlers();

  CLI::App app{
      "cascade " CASCADE_VERSION
      ": parallel cascade engine -- graphs, independent cascade / linear threshold / timed "
      "cascades, and virality vs incentive-weighted recruitment.\n"
      "Run 'cascade SUBCOMMAND --help' for the options of each subcommand.",
      "cascade"};
  app.set_version_flag("--version", "cascade " CASCADE_VERSION);
  app.require_subcommand(0, 1);
  app.get_formatter()->column_width(34);
  // Options of the main program are also accepted after the subcommand (inherited by the
  // subcommands added below): cascade generate ... --max-memory 8G.
  app.fallthrough();
  std::string max_memory;
  app.add_option("--max-memory", max_memory,
                 "memory limit for the up-front checks, e.g. 8G or 512M (default: MemAvailable, "
                 "or the cgroup limit when lower); accepted after the subcommand too");

  std::vector<std::pair<CLI::App*, Runner>> commands;
  auto add = [&](const char* name, Runner (*reg)(CLI::App&)) {
    Runner r = reg(app);
    commands.emplace_back(app.get_subcommand(name), std::move(r));
  };
  add("generate", add_generate);
  add("convert", add_convert);
  add("info", add_info);
  add("simulate", add_simulate);
  add("mobilize", add_mobilize);
  add("sweep", add_sweep);
  add("fit", add_fit);
  add("maximize", add_maximize);
  add_number_checks(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version: stdout, exit 0
    std::string where, message = e.what();
    std::vector<std::string> unknown = app.remaining();
    const CLI::App* given = nullptr;
    for (auto& [sub, run] : commands)
      if (sub->parsed()) {
        given = sub;
        where = " " + sub->get_name();
        for (auto& r : sub->remaining()) unknown.push_back(r);
      }
    // A missing positional is checked before unexpected arguments; name the bad flag first.
    if (dynamic_cast<const CLI::RequiredError*>(&e) && !unknown.empty())
      message = fmt::format("unknown option or extra argument: {}", fmt::join(unknown, " "));
    // A mistyped flag or subcommand: name the closest one (--trails -> --trials).
    for (const std::string& word : unknown) {
      const std::string hint = did_you_mean(app, given, word);
      if (hint.empty()) continue;
      message += hint;
      break;
    }
    error_line(fmt::format("{} (see 'cascade{} --help')", message, where));
    return 2;
  }
  if (!max_memory.empty()) {
    try {
      const std::uint64_t bytes = cascade::parse_bytes(max_memory);
      if (bytes == 0)
        throw cascade::InvalidArgument("memory size '" + max_memory + "': must be > 0");
      cascade::set_memory_limit(bytes, "--max-memory " + max_memory);
      g_max_memory_given = true;
    } catch (const cascade::InvalidArgument& e) {
      error_line(fmt::format("--max-memory: {}", e.what()));
      return 2;
    }
  }
  for (auto& [sub, run] : commands)
    if (sub->parsed()) return run_guarded(run);
  error_line(
      "a subcommand is required: generate, convert, info, simulate, mobilize, sweep, fit or "
      "maximize "
      "(see 'cascade --help')");
  return 2;
}
