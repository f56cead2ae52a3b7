// Output integrity of the `cascade` program: every output file is written to a temporary name and
// renamed into place (so a reader sees the old file or the complete new one, never a partial
// one), a failed run leaves an existing output untouched, and an interrupted run (SIGINT,
// SIGTERM) exits 128 + signal leaving neither the output nor a temporary file behind.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cascade/error.hpp"
#include "cascade/io.hpp"
#include "catch.hpp"
#include "test_helpers.hpp"

namespace fs = std::filesystem;
using cascade::testing::TempDir;

extern char** environ;

namespace {

const std::string kCli = CASCADE_CLI;
const std::string kData = CASCADE_DATA_DIR;

// tests/CMakeLists.txt builds this file only with the program (else it registers a SKIP), so a
// missing program is a failure here, never a silent pass.
void require_cli() {
  INFO("the cascade program (CASCADE_CLI) " << kCli);
  REQUIRE_FALSE(kCli.empty());
  REQUIRE(fs::exists(kCli));
}

using cascade::testing::slurp;

std::vector<std::string> temp_files(const fs::path& dir) {
  std::vector<std::string> found;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.path().filename().string().find(".tmp-") != std::string::npos)
      found.push_back(e.path().string());
  return found;
}

// Starts `cascade args...` in cwd with stdout and stderr to /dev/null; returns its pid.
pid_t spawn(const std::vector<std::string>& args, const fs::path& cwd) {
  std::vector<std::string> all = {kCli};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, kCli.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

// Exit code as a shell reports it: 128 + signal when killed by one.
int wait_exit(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int run(const std::string& args, const fs::path& cwd) {
  const std::string command =
      "cd '" + cwd.string() + "' && '" + kCli + "' " + args + " >/dev/null 2>&1 </dev/null";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

TEST_CASE("output integrity: every output file is replaced by rename, never rewritten in place",
          "[cli]") {
  require_cli();
  TempDir dir;
  REQUIRE(run("convert '" + kData + "/karate.el' k.csr --symmetrize", dir.path()) == 0);
  const std::string scenario = R"({
    "name": "tiny", "seed": 7, "trials": 2, "horizon_hours": 12, "curve_step_hours": 2,
    "network": {"generator": "barabasi-albert", "vertices": 500, "degree": 3, "seed": 1},
    "seeds": {"choice": "top-degree", "count": 2},
    "targets": {"count": 2, "witnesses": 10},
    "regimes": [{"name": "incentive", "scheme": "recursive", "reward_dollars": 2000,
                 "split": 0.5}]})";
  std::ofstream(dir / "tiny.json") << scenario;

  // Each output path starts as a hard link to a witness file. Writing the path in place would
  // change the witness too (same inode); a temporary file renamed over the path leaves it alone.
  struct Output {
    std::string command, file;
  };
  const std::vector<Output> outputs = {
      {"generate er -n 200 --degree 4 -o g.csr", "g.csr"},
      {"generate er -n 200 --degree 4 -o g.el", "g.el"},
      {"generate er -n 200 --degree 4 -o g.mtx", "g.mtx"},
      {"convert k.csr c.wel --weights 0.5", "c.wel"},
      {"convert k.csr c.csr", "c.csr"},
      {"info k.csr -o info.json", "info.json"},
      {"simulate k.csr --trials 20 -q -o sim.json", "sim.json"},
      {"simulate k.csr --trials 20 -q --csv sim.csv", "sim.csv"},
      {"mobilize tiny.json -q --json mob.json", "mob.json"},
      {"mobilize tiny.json -q --csv mob.csv", "mob.csv"},
      {"sweep tiny.json -q --set seeds.count=1,2 --json sw.json", "sw.json"},
      {"sweep tiny.json -q --budget 100,400 --csv sw.csv", "sw.csv"},
  };
  for (const auto& o : outputs) {
    INFO("cascade " << o.command);
    const fs::path witness = dir / ("witness-" + o.file);
    std::ofstream(witness) << "old content\n";
    fs::remove(dir / o.file);
    fs::create_hard_link(witness, dir / o.file);
    CHECK(run(o.command, dir.path()) == 0);
    CHECK(slurp(witness) == "old content\n");
    CHECK(slurp(dir / o.file) != "old content\n");
    CHECK(fs::hard_link_count(dir / o.file) == 1);
  }

  // Figures (plot.py, run by mobilize --plot) follow the same rule.
  if (std::system("python3 -c 'import matplotlib' >/dev/null 2>&1") != 0) {
    WARN("SKIPPED: plot outputs: python3 with matplotlib not found");
  } else {
    fs::create_directories(dir / "plots");
    const fs::path witness = dir / "witness.png";
    std::ofstream(witness) << "old content\n";
    fs::create_hard_link(witness, dir / "plots" / "recruits_over_time.png");
    CHECK(run("mobilize tiny.json -q --plot plots", dir.path()) == 0);
    CHECK(slurp(witness) == "old content\n");
    CHECK(slurp(dir / "plots" / "recruits_over_time.png").substr(1, 3) == "PNG");
    CHECK(fs::exists(dir / "plots" / "payoffs.png"));
  }
  CHECK(temp_files(dir.path()).empty());
}

TEST_CASE("output integrity: a failed run leaves an existing output file untouched", "[cli]") {
  require_cli();
  TempDir dir;
  std::ofstream(dir / "bad.el") << "0 1\n1 2 junk\n";
  for (const char* out : {"out.csr", "out.el", "out.mtx"}) {
    std::ofstream(dir / out) << "previous\n";
    CHECK(run(std::string("convert bad.el ") + out, dir.path()) == 1);
    CHECK(slurp(dir / out) == "previous\n");
  }
  std::ofstream(dir / "r.json") << "previous\n";
  CHECK(run("info bad.el -o r.json", dir.path()) == 1);
  CHECK(slurp(dir / "r.json") == "previous\n");
  CHECK(temp_files(dir.path()).empty());
}

TEST_CASE("output integrity: .csr checksum verified by default, --no-verify skips it", "[cli]") {
  require_cli();
  TempDir dir;
  // A weighted graph whose stored weight 0.5 becomes 0.375: still a valid graph, wrong checksum.
  REQUIRE(run("convert '" + kData + "/weighted.el' w.csr", dir.path()) == 0);
  std::string bytes = slurp(dir / "w.csr");
  const cascade::Graph g = cascade::load_csr((dir / "w.csr").string());
  REQUIRE(g.has_weights());
  const std::size_t weights_at = bytes.size() - ((4 * g.num_arcs() + 7) / 8) * 8;
  std::size_t changed = bytes.size();
  for (std::size_t i = 0; i < g.num_arcs(); ++i) {
    float w;
    std::memcpy(&w, bytes.data() + weights_at + 4 * i, 4);
    if (w > 0.25f && w < 1.0f) {
      w = 0.375f;
      std::memcpy(bytes.data() + weights_at + 4 * i, &w, 4);
      changed = i;
      break;
    }
  }
  REQUIRE(changed < g.num_arcs());
  std::ofstream(dir / "changed.csr", std::ios::binary) << bytes;

  cascade::LoadOptions trusted;
  trusted.verify_checksum = false;
  CHECK_THROWS_AS(cascade::load_csr((dir / "changed.csr").string()), cascade::FileError);
  const cascade::Graph h = cascade::load_csr((dir / "changed.csr").string(), trusted);
  CHECK(h.weights()[changed] == 0.375f);

  CHECK(run("info changed.csr", dir.path()) == 1);
  CHECK(run("convert changed.csr out.el", dir.path()) == 1);
  CHECK_FALSE(fs::exists(dir / "out.el"));
  CHECK(run("info changed.csr --no-verify", dir.path()) == 0);
  CHECK(run("convert changed.csr out.el --no-verify", dir.path()) == 0);
  CHECK(slurp(dir / "out.el").find(" 0.375\n") != std::string::npos);
}

namespace {

// Starts a long command, waits until `ready` holds (or the command ended), sends sig, and
// checks exit 128 + sig and that neither `output` nor any temporary file is left.
template <class Ready>
void interrupt(const std::vector<std::string>& args, const fs::path& dir, const fs::path& output,
               int sig, Ready ready) {
  const pid_t pid = spawn(args, dir);
  REQUIRE(pid > 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  bool running = true;
  while (!ready()) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      running = false;
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  REQUIRE(running);  // the command must still be working when the signal comes
  ::kill(pid, sig);
  CHECK(wait_exit(pid) == 128 + sig);
  CHECK_FALSE(fs::exists(output));
  CHECK(temp_files(dir).empty());
}

}  // namespace

TEST_CASE("interrupts: SIGINT and SIGTERM while an output file is being written", "[cli]") {
  require_cli();
  for (int sig : {SIGINT, SIGTERM}) {
    INFO("signal " << sig);
    TempDir dir;
    // A 2^18-vertex R-MAT written as text (~8 M lines, ~100 MB): the signal is sent as soon as
    // the temporary file appears, i.e. in the middle of writing.
    const fs::path out = dir / "big.el";
    interrupt({"generate", "rmat", "--scale", "18", "--edge-factor", "16", "-q", "-o", "big.el"},
              dir.path(), out, sig, [&] { return !temp_files(dir.path()).empty(); });
  }
}

TEST_CASE("interrupts: SIGINT and SIGTERM during a long simulation with output files", "[cli]") {
  require_cli();
  TempDir dir;
  REQUIRE(run("generate er -n 20000 --degree 8 -o g.csr", dir.path()) == 0);
  for (int sig : {SIGINT, SIGTERM}) {
    INFO("signal " << sig);
    // p = 0.5 on a graph of mean degree 8: every trial reaches most of the 20,000 vertices, so
    // 10^7 trials run for hours; the signal comes after 300 ms.
    const auto start = std::chrono::steady_clock::now();
    interrupt({"simulate", "g.csr", "--p", "0.5", "--trials", "10000000", "-q", "-o", "sim.json",
               "--csv", "sim.csv"},
              dir.path(), dir / "sim.json", sig, [&] {
                return std::chrono::steady_clock::now() - start > std::chrono::milliseconds(300);
              });
    CHECK_FALSE(fs::exists(dir / "sim.csv"));
  }
}
