#pragma once
// A progress bar on stderr for work that can take more than a second.
//
// Shown only when stderr is a terminal and --quiet is off; never touches stdout. Any thread may
// report progress (add / set_fraction only store into atomics); one small ticker thread redraws
// the line at most 10 times per second, so reporting costs nothing measurable. With total 0 it
// is a spinner with the elapsed time, for library calls that report no progress of their own.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace cascade::cli {

class Progress {
 public:
  /// Starts showing `label` (when enabled). total: units of work, 0 for a spinner.
  Progress(std::string label, std::uint64_t total, bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /// n more units done. Thread-safe, wait-free.
  void add(std::uint64_t n = 1) { done_.fetch_add(n, std::memory_order_relaxed); }
  /// Sets the fraction done in [0, 1] (for callbacks that report a fraction). Thread-safe.
  void set_fraction(double f);
  /// Changes the label (e.g. the next phase) and resets to a spinner or a new total.
  void phase(std::string label, std::uint64_t total = 0);
  /// Erases the line and stops the ticker. Called by the destructor.
  void finish();

  /// Should progress be drawn: stderr is a terminal and not quiet.
  static bool wanted(bool quiet);

 private:
  void run();
  void draw();

  bool enabled_;
  std::mutex mutex_;  // guards label_, stop_ (ticker wake-up), not the counters
  std::condition_variable wake_;
  bool stop_ = false;
  std::string label_;
  std::atomic<std::uint64_t> total_;
  std::atomic<std::uint64_t> done_{0};
  std::chrono::steady_clock::time_point start_;
  std::thread ticker_;
};

}  // namespace cascade::cli
