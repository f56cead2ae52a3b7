#include "progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace cascade::cli {
namespace {

constexpr auto kRedrawEvery = std::chrono::milliseconds(100);  // 10 Hz
constexpr int kBarWidth = 30;

std::string format_seconds(double s) {
  if (s < 60) return fmt::format("{:.1f} s", s);
  if (s < 3600) return fmt::format("{}:{:02d}", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  return fmt::format("{}:{:02d}:{:02d}", static_cast<int>(s) / 3600, static_cast<int>(s) / 60 % 60,
                     static_cast<int>(s) % 60);
}

}  // namespace

bool Progress::wanted(bool quiet) { return !quiet && ::isatty(STDERR_FILENO) == 1; }

Progress::Progress(std::string label, std::uint64_t total, bool enabled)
    : enabled_(enabled),
      label_(std::move(label)),
      total_(total),
      start_(std::chrono::steady_clock::now()) {
  if (enabled_) ticker_ = std::thread([this] { run(); });
}

Progress::~Progress() { finish(); }

void Progress::set_fraction(double f) {
  // Fractions are kept as parts per million of a virtual total.
  total_.store(1000000, std::memory_order_relaxed);
  done_.store(static_cast<std::uint64_t>(std::clamp(f, 0.0, 1.0) * 1e6), std::memory_order_relaxed);
}

void Progress::phase(std::string label, std::uint64_t total) {
  std::lock_guard lock(mutex_);
  label_ = std::move(label);
  total_.store(total, std::memory_order_relaxed);
  done_.store(0, std::memory_order_relaxed);
  start_ = std::chrono::steady_clock::now();
}

void Progress::finish() {
  if (!ticker_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  ticker_.join();
  std::fputs("\r\033[K", stderr);  // erase the bar: the terminal is left as it was
  std::fflush(stderr);
}

void Progress::run() {
  std::unique_lock lock(mutex_);
  // The first frame waits one period, so work that finishes quickly draws nothing.
  while (!wake_.wait_for(lock, kRedrawEvery, [this] { return stop_; })) draw();
}

// Called by the ticker with mutex_ held.
void Progress::draw() {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const std::uint64_t total = total_.load(std::memory_order_relaxed);
  const std::uint64_t done = std::min(done_.load(std::memory_order_relaxed), total);
  std::string line;
  if (total == 0) {
    static constexpr const char* kSpin[] = {"|", "/", "-", "\\"};
    line = fmt::format("{} {}  {}", kSpin[static_cast<int>(elapsed * 10) % 4], label_,
                       format_seconds(elapsed));
  } else {
    const double f = static_cast<double>(done) / static_cast<double>(total);
    const int full = static_cast<int>(f * kBarWidth);
    std::string eta;
    if (f > 0.02 && f < 1.0) eta = "  eta " + format_seconds(elapsed * (1 - f) / f);
    line = fmt::format("{} [{}{}] {:5.1f}%  {}{}", label_, std::string(full, '#'),
                       std::string(kBarWidth - full, '.'), 100 * f, format_seconds(elapsed), eta);
  }
  std::fputs(("\r\033[K" + line).c_str(), stderr);
  std::fflush(stderr);
}

}  // namespace cascade::cli
