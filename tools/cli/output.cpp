#include "output.hpp"

#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "cascade/error.hpp"
#include "cascade/io.hpp"

namespace cascade::cli {
namespace {

// Fixed storage the handler can read without allocating: a path per slot, published by `used`.
constexpr int kSlots = 16;
constexpr std::size_t kPathMax = 4096;
std::array<std::array<char, kPathMax>, kSlots> g_paths;
std::array<std::atomic<bool>, kSlots> g_used{};

extern "C" void on_signal(int sig) {
  for (int i = 0; i < kSlots; ++i)
    if (g_used[i].load()) ::unlink(g_paths[i].data());
  static const char kMessage[] = "\ncascade: interrupted\n";
  [[maybe_unused]] auto n = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  ::_exit(128 + sig);
}

std::string errno_text() { return std::strerror(errno); }

}  // namespace

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

std::string temp_name(const std::string& path) {
  return path + ".tmp-" + std::to_string(::getpid());
}

TempFileGuard::TempFileGuard(const std::string& path) {
  if (path.size() >= kPathMax) return;
  for (int i = 0; i < kSlots; ++i) {
    if (g_used[i].load()) continue;
    std::memcpy(g_paths[i].data(), path.c_str(), path.size() + 1);
    g_used[i].store(true);
    slot_ = i;
    return;
  }
}

TempFileGuard::~TempFileGuard() {
  if (slot_ >= 0) g_used[slot_].store(false);
}

void write_text_file(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return;
  }
  const std::string tmp = temp_name(path);
  TempFileGuard guard(tmp);
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw FileError(path + ": cannot write: " + errno_text());
  const bool wrote = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  const int saved = errno;
  if (std::fclose(f) != 0 || !wrote) {
    ::unlink(tmp.c_str());
    errno = wrote ? errno : saved;
    throw FileError(path + ": cannot write: " + errno_text());
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = errno_text();
    ::unlink(tmp.c_str());
    throw FileError(path + ": cannot rename the temporary file into place: " + why);
  }
}

void write_graph_file(const Graph& g, const std::string& path) {
  TempFileGuard guard(temp_name(path));
  save_graph(g, path);
}

std::string json_text(const nlohmann::ordered_json& j) {
  const std::string in = j.dump(2);
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '[') {
      out += in[i];
      continue;
    }
    // Find the matching ']' unless an object or a string comes first.
    std::size_t depth = 0, k = i;
    bool plain = true;
    for (; k < in.size(); ++k) {
      const char c = in[k];
      if (c == '{' || c == '"') {
        plain = false;
        break;
      }
      if (c == '[') ++depth;
      if (c == ']' && --depth == 0) break;
    }
    if (!plain || k == in.size()) {
      out += in[i];
      continue;
    }
    // Collapse the whitespace of in[i..k]: "[\n    1,\n    2\n  ]" -> "[1, 2]".
    for (std::size_t m = i; m <= k; ++m) {
      const char c = in[m];
      if (c == '\n' || c == ' ') continue;
      out += c;
      if (c == ',') out += ' ';
    }
    i = k;
  }
  return out + "\n";
}

void make_directory(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    throw FileError(dir + ": cannot create directory" + (ec ? ": " + ec.message() : ""));
}

}  // namespace cascade::cli
