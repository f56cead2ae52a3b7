#include "plot_runner.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "cascade/error.hpp"
#include "cli.hpp"
#include "output.hpp"

extern char** environ;

#ifndef CASCADE_SOURCE_DIR
#define CASCADE_SOURCE_DIR ""
#endif
#ifndef CASCADE_INSTALL_DATADIR
#define CASCADE_INSTALL_DATADIR ""
#endif

namespace cascade::cli {

int spawn_wait(const std::vector<std::string>& argv, bool silent) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (silent) {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  } else {
    posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);  // keep stdout clean
  }
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string find_plot_python() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("CASCADE_PYTHON"); env && *env) candidates.emplace_back(env);
  candidates.emplace_back("python3");
  candidates.emplace_back("/usr/bin/python3");
  bool any_python = false;
  for (const auto& py : candidates) {
    const int rc = spawn_wait({py, "-c", "import matplotlib"}, true);
    if (rc == 0) return py;
    any_python = any_python || rc > 0;
  }
  throw FileError(any_python ? "--plot needs matplotlib for python3 (Debian: apt-get install "
                               "python3-matplotlib; or set CASCADE_PYTHON to a python that has it)"
                             : "--plot needs python3 with matplotlib, and no python3 was found "
                               "(Debian: apt-get install python3 python3-matplotlib)");
}

std::string find_plot_script() {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("CASCADE_PLOT_SCRIPT"); env && *env)
    candidates.emplace_back(env);
  const std::string exe = executable_path();
  if (!exe.empty()) {
    const fs::path dir = fs::path(exe).parent_path();
    candidates.push_back(dir.parent_path() / "share" / "cascade" / "plot.py");  // installed
    candidates.push_back(dir / "plot.py");
  }
  if (*CASCADE_SOURCE_DIR) candidates.push_back(fs::path(CASCADE_SOURCE_DIR) / "tools" / "plot.py");
  if (*CASCADE_INSTALL_DATADIR) candidates.push_back(fs::path(CASCADE_INSTALL_DATADIR) / "plot.py");
  for (const auto& c : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(c, ec)) return c.string();
  }
  throw FileError(
      "--plot: cannot find plot.py (looked in share/cascade next to the executable "
      "and in the source tree; set CASCADE_PLOT_SCRIPT to its path)");
}

void add_plot_format_option(CLI::App* sub, std::string& format) {
  sub->add_option("--plot-format", format, "file format of the --plot figures: png, pdf or svg")
      ->capture_default_str()
      ->check(CLI::IsMember({"png", "pdf", "svg"}))
      ->group("Output");
}

void run_plot(const std::string& python, const std::string& script,
              const std::vector<std::string>& args) {
  std::vector<std::string> argv = {python, script};
  argv.insert(argv.end(), args.begin(), args.end());
  const int rc = spawn_wait(argv, false);
  if (rc != 0)
    throw Error(rc < 0 ? fmt::format("cannot run {} {}", python, script)
                       : fmt::format("{} failed (exit status {})", script, rc));
}

void plot_json_report(const std::string& python, const std::string& script, const std::string& json,
                      const std::string& json_path, const std::string& plot_dir,
                      const std::string& copy_name, const std::string& format, bool quiet,
                      const std::vector<std::string>& extra_args) {
  make_directory(plot_dir);
  std::string path = json_path;
  if (path.empty() || path == "-") {
    path = (std::filesystem::path(plot_dir) / copy_name).string();
    write_text_file(path, json);
  }
  std::vector<std::string> args = {path, "--out", plot_dir, "--format", format};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  if (quiet) args.push_back("--quiet");
  run_plot(python, script, args);
}

}  // namespace cascade::cli
