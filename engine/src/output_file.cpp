#include "cascade/output_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>

#include "cascade/error.hpp"

namespace cascade {
namespace {

std::string errno_text(int err) { return std::strerror(err); }

// ---- the signal handler's table: fixed storage it can read without allocating
constexpr int kSlots = 64;
constexpr std::size_t kPathMax = 4096;
std::array<std::array<char, kPathMax>, kSlots> g_paths;
// 0: free, 1: claimed by a writer filling in the path, 2: published (the handler unlinks it).
std::array<std::atomic<int>, kSlots> g_state{};

// The signal being handled (0: none). Set first, so a thread that fails because the handler
// just removed its temporary file can tell, and leave the exit to the handler.
std::atomic<int> g_exiting_on{0};

extern "C" void on_signal(int sig) {
  g_exiting_on.store(sig);
  for (int i = 0; i < kSlots; ++i)
    if (g_state[i].load() == 2) ::unlink(g_paths[i].data());
  if (sig == SIGBUS) {  // the only mapped inputs are trusted .csr files (--no-verify)
    static const char kBus[] =
        "cascade: error: bus error: a memory-mapped input file (.csr loaded with --no-verify) was "
        "truncated or changed while in use\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, kBus, sizeof kBus - 1);
    ::_exit(1);
  }
  static const char kMessage[] = "\ncascade: interrupted\n";
  [[maybe_unused]] auto n = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  ::_exit(128 + sig);
}

int register_temp(const std::string& path) {
  if (path.size() >= kPathMax) return -1;
  for (int i = 0; i < kSlots; ++i) {
    int expected = 0;
    if (!g_state[i].compare_exchange_strong(expected, 1)) continue;
    std::memcpy(g_paths[i].data(), path.c_str(), path.size() + 1);
    g_state[i].store(2);
    return i;
  }
  return -1;
}

void unregister_temp(int slot) {
  if (slot >= 0) g_state[slot].store(0);
}

// ---- names
constexpr std::size_t kRandomChars = 12;
constexpr auto kStaleAge = std::chrono::seconds(60);

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string random_suffix() {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::array<unsigned char, kRandomChars> bytes{};
  if (::getrandom(bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size())) {
    // No entropy source: clock and pid still make a collision unlikely, and O_EXCL makes it safe.
    auto x =
        static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
        (static_cast<std::uint64_t>(::getpid()) << 32);
    for (auto& b : bytes) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      b = static_cast<unsigned char>(x >> 56);
    }
  }
  std::string s;
  for (unsigned char b : bytes) s += kAlphabet[b % (sizeof kAlphabet - 1)];
  return s;
}

bool is_temp_name(const char* name) {
  return std::strncmp(name, kTempFilePrefix.data(), kTempFilePrefix.size()) == 0 &&
         std::strlen(name) == kTempFilePrefix.size() + kRandomChars;
}

// Removes leftovers of writers killed by SIGKILL: our own, unlocked, at least kStaleAge old.
void remove_stale_temps(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  const int dfd = ::dirfd(d);
  const auto now = std::time(nullptr);
  while (const dirent* e = ::readdir(d)) {
    if (!is_temp_name(e->d_name)) continue;
    const int fd = ::openat(dfd, e->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid() &&
        now - st.st_mtime >= kStaleAge.count() && ::flock(fd, LOCK_EX | LOCK_NB) == 0)
      ::unlinkat(dfd, e->d_name, 0);
    ::close(fd);
  }
  ::closedir(d);
}

// /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: the descriptor number, else -1.
int standard_stream(const std::string& path) {
  if (path == "/dev/stdin") return 0;
  if (path == "/dev/stdout") return 1;
  if (path == "/dev/stderr") return 2;
  for (const char* prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    const std::size_t n = std::strlen(prefix);
    if (path.compare(0, n, prefix) != 0 || path.size() == n || path.size() > n + 6) continue;
    if (!std::all_of(path.begin() + static_cast<std::ptrdiff_t>(n), path.end(),
                     [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    return std::stoi(path.substr(n));
  }
  return -1;
}

}  // namespace

void wait_if_exiting_on_signal() {
  if (g_exiting_on.load() == 0) return;
  for (;;) ::pause();  // the handler, on another thread, is about to _exit(128 + signal)
}

void remove_temporary_files_on_signals() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGXFSZ, SIGBUS}) sigaction(sig, &sa, nullptr);
}

OutputFile::OutputFile(std::string path) : path_(std::move(path)) {
  if (path_.empty()) throw FileError("output path is empty");
  if (const int stream = standard_stream(path_); stream >= 0) {
    fd_ = ::fcntl(stream, F_DUPFD_CLOEXEC, 3);
    if (fd_ < 0) fail("cannot write to this descriptor", errno);
    return;
  }
  struct stat link {};
  if (::lstat(path_.c_str(), &link) == 0) {
    struct stat target {};
    const bool resolves = ::stat(path_.c_str(), &target) == 0;
    if (S_ISDIR(link.st_mode) || (resolves && S_ISDIR(target.st_mode)))
      throw FileError(path_ + ": is a directory, not a file to write");
    if (resolves && !S_ISREG(target.st_mode)) {
      // A device, FIFO or socket: write through, never replace. A FIFO without a reader blocks
      // here, as it would for any program writing to it.
      fd_ = ::open(path_.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
      if (fd_ < 0) fail("cannot open", errno);
      return;
    }
    if (S_ISLNK(link.st_mode))
      throw FileError(path_ +
                      ": is a symbolic link; refusing to write through it or replace it (give "
                      "the target's path, or remove the link)");
  }
  const std::string dir = directory_of(path_);
  const std::string dir_prefix = path_.substr(0, path_.rfind('/') + 1);  // "" or ".../"
  remove_stale_temps(dir);
  for (int attempt = 0; attempt < 100; ++attempt) {
    temp_ = dir_prefix + std::string(kTempFilePrefix) + random_suffix();
    // Registered before it exists: a signal between open() and registering would leave it.
    slot_ = register_temp(temp_);
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd_ >= 0) break;
    const int err = errno;
    unregister_temp(slot_);
    slot_ = -1;
    errno = err;
    if (err != EEXIST) break;
  }
  if (fd_ < 0) {
    const int err = errno;
    temp_.clear();
    throw FileError(path_ + ": cannot create a temporary file in " + dir + ": " + errno_text(err));
  }
  ::flock(fd_, LOCK_EX | LOCK_NB);  // tells remove_stale_temps that a writer is alive
}

OutputFile::~OutputFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
  unregister_temp(slot_);
}

void OutputFile::fail(const std::string& what, int err) {
  // The destructor removes the temporary file when the exception unwinds.
  throw FileError(path_ + ": " + what + ": " + errno_text(err));
}

void OutputFile::write(const void* data, std::size_t bytes) {
  // write(2) may write less than asked (and Linux caps one call near 2 GiB): loop.
  const char* p = static_cast<const char*>(data);
  constexpr std::size_t kMaxCall = std::size_t{1} << 30;
  while (bytes > 0) {
    const ssize_t put = ::write(fd_, p, std::min(bytes, kMaxCall));
    if (put < 0) {
      if (errno == EINTR) continue;
      fail("write failed", errno);
    }
    p += put;
    bytes -= static_cast<std::size_t>(put);
  }
}

void OutputFile::finish() {
  if (finished_) return;
  finished_ = true;
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail("write failed (close)", errno);
}

void OutputFile::commit() {
  finish();
  if (!temp_.empty() && ::rename(temp_.c_str(), path_.c_str()) != 0)
    fail("cannot rename the temporary file " + temp_ + " to it", errno);
  committed_ = true;
  unregister_temp(slot_);
  slot_ = -1;
}

}  // namespace cascade
