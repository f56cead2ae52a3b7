#pragma once
// Shared by the libFuzzer targets: the readers take paths, so each input is written to a file in
// a private temporary directory first. Expected failures are cascade::Error; anything else (a
// crash, a sanitizer report, another exception type) is a finding.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "cascade/error.hpp"

namespace cascade::fuzz {

inline std::string input_file(const std::uint8_t* data, std::size_t size, const char* suffix) {
  static const std::string dir = [] {
    char pattern[] = "/tmp/cascade-fuzz-XXXXXX";
    const char* made = ::mkdtemp(pattern);
    if (made == nullptr) std::abort();
    return std::string(made);
  }();
  const std::string path = dir + "/input" + suffix;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) std::abort();
  if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  return path;
}

/// Runs body(); cascade::Error is an accepted outcome, any other exception escapes (a finding).
template <class Body>
void expect_clean(Body body) {
  try {
    body();
  } catch (const cascade::Error&) {
  }
}

}  // namespace cascade::fuzz
