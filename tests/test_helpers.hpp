#pragma once
// Small helpers shared by tests: temporary directories, whole-file reads, shell quoting.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace cascade::testing {

/// A fresh directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("cascade-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// The whole file as bytes ("" if it cannot be opened).
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// s as one single-quoted POSIX shell word.
inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

/// What a command printed and how it ended.
struct CommandRun {
  int rc = -1;  ///< exit status, or 128 + signal number
  std::string out, err;
  /// stderr's lines
  std::vector<std::string> err_lines() const {
    std::vector<std::string> lines;
    std::istringstream in(err);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    return lines;
  }
  std::size_t err_line_count() const {
    std::size_t n = 0;
    for (char c : err) n += c == '\n';
    return n;
  }
};

/// Runs `program ARGS` (ARGS: a shell word list, redirections allowed) in directory cwd,
/// capturing stdout and stderr into files outside cwd.
inline CommandRun run_command(const std::string& program, const std::string& args,
                              const std::filesystem::path& cwd) {
  static TempDir capture;
  static int counter = 0;
  const std::filesystem::path out = capture / ("out" + std::to_string(counter));
  const std::filesystem::path err = capture / ("err" + std::to_string(counter++));
  const std::string command = "cd " + shell_quote(cwd.string()) + " && " + shell_quote(program) +
                              " " + args + " >" + shell_quote(out.string()) + " 2>" +
                              shell_quote(err.string());
  const int status = std::system(command.c_str());
  CommandRun r;
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

}  // namespace cascade::testing
