#pragma once
// Internal to frontend/: strict JSON reading for scenario files -- the parser that rejects
// duplicate keys and deep nesting, and Reader, which reads one object's keys with their checks
// and rejects the keys nobody read. Every error names the file (origin) and the key's path.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace cascade::detail {

using Json = nlohmann::json;

/// A short, one-line picture of a value for error messages: scalars as written (strings cut to
/// 60 characters), containers by their size. Never a recursive dump of an arbitrary value.
std::string excerpt(const Json& j);

/// Parses JSON text with a depth limit (64) and duplicate keys as errors (nlohmann keeps the
/// last value silently). Throws FileError "origin: ..." naming the key's path or the syntax error.
Json parse_strict(const std::string& text, const std::string& origin);

/// Reads one JSON object, remembering which keys were used; finish() rejects the rest. Every
/// reader throws FileError "origin: key 'prefix.key': what" on a wrong type or value.
class Reader {
 public:
  Reader(const Json& object, std::string prefix, std::string origin);

  [[noreturn]] void fail(const std::string& key, const std::string& what) const;
  const std::string& origin() const { return origin_; }
  std::string path(const std::string& key) const { return prefix_ + key; }

  bool has(const std::string& key) const { return object_.contains(key); }
  /// The value of key (marked used), or nullptr when it is missing.
  const Json* find(const std::string& key);

  // Each returns fallback when the key is missing.
  double number(const std::string& key, double fallback);        // finite
  double probability(const std::string& key, double fallback);   // in [0, 1]
  double non_negative(const std::string& key, double fallback);  // >= 0
  double positive(const std::string& key, double fallback);      // > 0
  std::uint64_t count(const std::string& key, std::uint64_t fallback);
  std::uint64_t count_in(const std::string& key, std::uint64_t fallback, std::uint64_t lo,
                         std::uint64_t hi);
  bool boolean(const std::string& key, bool fallback);
  std::string string(const std::string& key, const std::string& fallback);
  /// A nested object (an empty one when missing).
  Reader object(const std::string& key);

  /// Throws for the first key nobody read ("unknown key (context)").
  void finish(const std::string& context = "") const;

 private:
  const Json& object_;
  std::string prefix_, origin_;
  std::set<std::string> used_;
};

}  // namespace cascade::detail
