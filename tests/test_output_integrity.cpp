// Output integrity of the `cascade` program: every output file is written to a temporary name and
// renamed into place (so a reader sees the old file or the complete new one, never a partial
// one), a failed run leaves an existing output untouched, and an interrupted run (SIGINT,
// SIGTERM) exits 128 + signal leaving neither the output nor a temporary file behind.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
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

// A two-trial mobilize scenario on a 500-person network: every output path of mobilize and sweep.
const std::string kTinyScenario = R"({
    "name": "tiny", "seed": 7, "trials": 2, "horizon_hours": 12, "curve_step_hours": 2,
    "network": {"generator": "barabasi-albert", "vertices": 500, "degree": 3, "seed": 1},
    "seeds": {"choice": "top-degree", "count": 2},
    "targets": {"count": 2, "witnesses": 10},
    "regimes": [{"name": "incentive", "scheme": "recursive", "reward_dollars": 2000,
                 "split": 0.5}]})";

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
  std::ofstream(dir / "tiny.json") << kTinyScenario;

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

  CHECK(temp_files(dir.path()).empty());
}

TEST_CASE("output integrity: figures are replaced by rename too", "[cli][plots]") {
  require_cli();
  // The interpreters `--plot` tries, in its order (tools/cli/plot_runner.cpp).
  std::vector<std::string> pythons = {"python3", "/usr/bin/python3"};
  if (const char* env = std::getenv("CASCADE_PYTHON"); env && *env)
    pythons.insert(pythons.begin(), env);
  const bool have_matplotlib =
      std::any_of(pythons.begin(), pythons.end(), [](const std::string& py) {
        return std::system(("'" + py + "' -c 'import matplotlib' >/dev/null 2>&1").c_str()) == 0;
      });
  if (!have_matplotlib) {
    WARN("SKIP: no python3 with matplotlib (CASCADE_PYTHON, python3, /usr/bin/python3)");
    return;
  }
  TempDir dir;
  std::ofstream(dir / "tiny.json") << kTinyScenario;
  fs::create_directories(dir / "plots");
  const fs::path witness = dir / "witness.png";
  std::ofstream(witness) << "old content\n";
  fs::create_hard_link(witness, dir / "plots" / "recruits_over_time.png");
  CHECK(run("mobilize tiny.json -q --plot plots", dir.path()) == 0);
  CHECK(slurp(witness) == "old content\n");
  CHECK(slurp(dir / "plots" / "recruits_over_time.png").substr(1, 3) == "PNG");
  CHECK(fs::exists(dir / "plots" / "payoffs.png"));
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

TEST_CASE("interrupts: SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGXFSZ while an output is written",
          "[cli]") {
  require_cli();
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGXFSZ}) {
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

namespace {

struct Captured {
  int rc = -1;
  std::string err;
};

// `cascade ARGS` in cwd (a shell command line: ARGS may hold redirections), stderr captured.
Captured run_capture(const std::string& args, const fs::path& cwd) {
  const fs::path err = cwd / "stderr.txt";
  const std::string command = "cd " + cascade::testing::shell_quote(cwd.string()) + " && " +
                              cascade::testing::shell_quote(kCli) + " " + args + " 2>" +
                              cascade::testing::shell_quote(err.string()) + " </dev/null";
  const int status = std::system(command.c_str());
  Captured c;
  c.rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  c.err = slurp(err);
  fs::remove(err);
  return c;
}

}  // namespace

TEST_CASE("output safety: devices and FIFOs are written through, never replaced", "[cli]") {
  require_cli();
  TempDir dir;
  const std::string karate = cascade::testing::shell_quote(kData + "/karate.el");
  // /dev/null: written through (before: a temporary file in /dev, refused or, as root, renamed
  // over the device).
  Captured r = run_capture("convert " + karate + " /dev/null -q", dir.path());
  CHECK(r.rc == 0);
  CHECK(r.err.empty());
  struct stat st {};
  REQUIRE(::stat("/dev/null", &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
  r = run_capture("simulate " + karate + " --trials 5 -q -o /dev/stdout >sim.json", dir.path());
  CHECK(r.rc == 0);
  CHECK(slurp(dir / "sim.json").find("\"master_seed\": 1") != std::string::npos);

  // A FIFO with a reader: the reader gets the file, the FIFO stays a FIFO.
  const fs::path fifo = dir / "out.el";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string received;
  std::thread reader([&] { received = slurp(fifo); });
  r = run_capture("convert " + karate + " out.el", dir.path());
  reader.join();
  CHECK(r.rc == 0);
  CHECK(received.find("# cascade edge list") == 0);
  REQUIRE(::lstat(fifo.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));

  // A full device: one line, exit 1, and the command's other output is not left behind.
  r = run_capture("simulate " + karate + " --trials 5 -q --csv t.csv -o /dev/full", dir.path());
  CHECK(r.rc == 1);
  CHECK(r.err == "cascade: error: /dev/full: write failed: No space left on device\n");
  CHECK_FALSE(fs::exists(dir / "t.csv"));
  r = run_capture("simulate " + karate + " --trials 5 -q -o t.json --csv /dev/full", dir.path());
  CHECK(r.rc == 1);
  CHECK_FALSE(fs::exists(dir / "t.json"));
  CHECK(temp_files(dir.path()).empty());
}

TEST_CASE("output safety: symbolic links and directories at the output path are refused", "[cli]") {
  require_cli();
  TempDir dir;
  const std::string karate = cascade::testing::shell_quote(kData + "/karate.el");
  std::ofstream(dir / "precious.txt") << "keep me\n";
  fs::create_symlink(dir / "precious.txt", dir / "link.json");
  fs::create_symlink(dir / "nowhere.txt", dir / "dangling.json");
  for (const char* link : {"link.json", "dangling.json"}) {
    INFO(link);
    const Captured r = run_capture("info " + karate + " -o " + link, dir.path());
    CHECK(r.rc == 1);
    CHECK(r.err == std::string("cascade: error: ") + link +
                       ": is a symbolic link; refusing to write through it or replace it (give the "
                       "target's path, or remove the link)\n");
    CHECK(fs::is_symlink(dir / link));
  }
  CHECK(slurp(dir / "precious.txt") == "keep me\n");
  CHECK_FALSE(fs::exists(dir / "nowhere.txt"));
  fs::create_directories(dir / "adir.json");
  const Captured r = run_capture("info " + karate + " -o adir.json", dir.path());
  CHECK(r.rc == 1);
  CHECK(r.err == "cascade: error: adir.json: is a directory, not a file to write\n");
  CHECK(temp_files(dir.path()).empty());
}

TEST_CASE("output safety: one command's outputs are all written or none", "[cli]") {
  require_cli();
  TempDir dir;
  const std::string karate = cascade::testing::shell_quote(kData + "/karate.el");
  // The same file twice is a usage error, found before any work.
  Captured r = run_capture("simulate " + karate + " -q -o x.json --csv x.json", dir.path());
  CHECK(r.rc == 2);
  CHECK(r.err == "cascade: error: --csv: x.json is also the output of --output\n");
  r = run_capture("simulate " + karate + " -q -o x.json --csv ./x.json", dir.path());
  CHECK(r.rc == 0);  // different spellings of a new file cannot be compared before it exists
  r = run_capture("simulate " + karate + " -q -o x.json --csv ./x.json", dir.path());
  CHECK(r.rc == 2);  // ... but an existing one can (same device and inode)
  CHECK(r.err == "cascade: error: --csv: ./x.json is also the output of --output\n");
  r = run_capture("mobilize " + cascade::testing::shell_quote(kData + "/scenarios/default.json") +
                      " -q --json m.out --csv m.out",
                  dir.path());
  CHECK(r.rc == 2);
  CHECK(r.err == "cascade: error: --csv: m.out is also the output of --json\n");
  CHECK_FALSE(fs::exists(dir / "m.out"));
  // Second output unwritable: the first is not left behind.
  fs::create_directories(dir / "sub");
  r = run_capture("simulate " + karate + " -q -o a.json --csv no/such/dir/a.csv", dir.path());
  CHECK(r.rc == 1);
  CHECK(r.err ==
        "cascade: error: no/such/dir/a.csv: cannot create a temporary file in no/such/dir: No "
        "such file or directory\n");
  CHECK_FALSE(fs::exists(dir / "a.json"));
  CHECK(temp_files(dir.path()).empty());
}

TEST_CASE("output safety: long names, the umask, and leftovers of killed writers", "[cli]") {
  require_cli();
  TempDir dir;
  const std::string karate = cascade::testing::shell_quote(kData + "/karate.el");
  // 253 characters: a name-based temporary ("<name>.tmp-<pid>") would exceed NAME_MAX (255).
  const std::string long_name = std::string(249, 'k') + ".csr";
  REQUIRE(long_name.size() == 253);
  Captured r = run_capture("convert " + karate + " " + long_name, dir.path());
  CHECK(r.rc == 0);
  CHECK(r.err.find("error") == std::string::npos);
  CHECK(fs::file_size(dir / long_name) > 0);

  // Mode 0666 minus the umask, like any file a shell creates.
  r = run_capture("convert " + karate + " u.el", dir.path());  // warm-up: not under umask 027
  REQUIRE(std::system(("cd " + cascade::testing::shell_quote(dir.path().string()) +
                       " && umask 027 && " + cascade::testing::shell_quote(kCli) + " convert " +
                       karate + " m.el -q")
                          .c_str()) == 0);
  CHECK((fs::status(dir / "m.el").permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));

  // Leftovers of a SIGKILLed writer match the fixed pattern; the next write in the directory
  // removes those that are unlocked and at least a minute old, and keeps the others.
  const auto hour_ago = fs::file_time_type::clock::now() - std::chrono::hours(1);
  const fs::path stale = dir / ".cascade.tmp-AAAAAAAAAAAA";
  const fs::path fresh = dir / ".cascade.tmp-BBBBBBBBBBBB";
  const fs::path locked = dir / ".cascade.tmp-CCCCCCCCCCCC";
  const fs::path other = dir / ".cascade.tmp-notours";
  for (const auto& p : {stale, fresh, locked, other}) std::ofstream(p) << "partial";
  for (const auto& p : {stale, locked, other}) fs::last_write_time(p, hour_ago);
  const int lock_fd = ::open(locked.c_str(), O_RDONLY);
  REQUIRE(::flock(lock_fd, LOCK_EX) == 0);  // a live writer holds its lock
  r = run_capture("convert " + karate + " again.el -q", dir.path());
  ::close(lock_fd);
  CHECK(r.rc == 0);
  CHECK_FALSE(fs::exists(stale));
  CHECK(fs::exists(fresh));
  CHECK(fs::exists(locked));
  CHECK(fs::exists(other));

  // A real SIGKILL while writing leaves exactly one file of the pattern.
  TempDir killed;
  const pid_t pid =
      spawn({"generate", "rmat", "--scale", "18", "-q", "-o", "big.el"}, killed.path());
  REQUIRE(pid > 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (temp_files(killed.path()).empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  ::kill(pid, SIGKILL);
  CHECK(wait_exit(pid) == 128 + SIGKILL);
  const auto left = temp_files(killed.path());
  REQUIRE(left.size() == 1);
  const std::string name = fs::path(left[0]).filename().string();
  CHECK(name.rfind(".cascade.tmp-", 0) == 0);
  CHECK(name.size() == 13 + 12);
  CHECK_FALSE(fs::exists(killed / "big.el"));
}
