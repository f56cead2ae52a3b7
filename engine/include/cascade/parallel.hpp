#pragma once
// Thread control. cascade never starts threads of its own: all parallel work runs in oneTBB's
// arena, whose size a ThreadLimit caps for as long as it lives (like tbb::global_control).
#include <cstddef>
#include <memory>
#include <string>

namespace cascade {

/// Caps the number of worker threads oneTBB uses while this object lives. 0 means "all cores".
class ThreadLimit {
 public:
  explicit ThreadLimit(std::size_t threads);
  ~ThreadLimit();
  ThreadLimit(const ThreadLimit&) = delete;
  ThreadLimit& operator=(const ThreadLimit&) = delete;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Number of threads parallel algorithms may use right now (respects any live ThreadLimit).
std::size_t max_threads();

/// The CPU's model name ("AMD EPYC 7B13", from /proc/cpuinfo on Linux; "unknown CPU" elsewhere),
/// for reports that state the machine a speed was measured on.
std::string cpu_model();

}  // namespace cascade
