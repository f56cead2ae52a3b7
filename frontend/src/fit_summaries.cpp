// The summaries file of `cascade fit` (cascade/fit_report.hpp; format in
// data/records/README.md): a published record's statistics without a tree. Every error names
// the file and the key.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "cascade/error.hpp"
#include "cascade/fit_report.hpp"

namespace cascade {

namespace {

using Json = nlohmann::ordered_json;

[[noreturn]] void bad_key(const std::string& origin, const std::string& key,
                          const std::string& what) {
  throw FileError(origin + ": key '" + key + "': " + what);
}

double number_or_unknown(const Json& v, const std::string& origin, const std::string& key,
                         bool non_negative = true) {
  if (v.is_null()) return kUnknown;
  if (!v.is_number()) bad_key(origin, key, "expected a number or null");
  const double x = v.get<double>();
  if (!std::isfinite(x) || (non_negative && x < 0)) bad_key(origin, key, "expected a number >= 0");
  return x;
}

std::vector<double> numbers(const Json& v, const std::string& origin, const std::string& key,
                            std::size_t max_size) {
  if (!v.is_array()) bad_key(origin, key, "expected an array of numbers (null: unknown)");
  if (v.size() > max_size) bad_key(origin, key, "at most " + std::to_string(max_size) + " entries");
  std::vector<double> out;
  for (std::size_t i = 0; i < v.size(); ++i)
    out.push_back(number_or_unknown(v[i], origin, key + "." + std::to_string(i)));
  return out;
}

void only_keys(const Json& obj, const std::vector<std::string>& allowed, const std::string& origin,
               const std::string& prefix) {
  for (const auto& [k, v] : obj.items())
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
      bad_key(origin, prefix + k, "unknown key");
}

TreeSummaries regime_summaries(const Json& r, const std::string& origin, const std::string& at) {
  if (!r.is_object()) bad_key(origin, at, "expected an object");
  only_keys(r,
            {"regime", "trials", "signups", "offspring_share", "depth_share", "targets_found",
             "hours_to_all_targets", "notes"},
            origin, at + ".");
  TreeSummaries s;
  if (!r.contains("regime") || !r["regime"].is_string())
    bad_key(origin, at + ".regime", "expected the regime's name (a string)");
  s.regime = r["regime"].get<std::string>();
  s.trials = 1;
  if (r.contains("trials")) {
    if (!r["trials"].is_number_unsigned() || r["trials"].get<std::uint64_t>() == 0)
      bad_key(origin, at + ".trials", "expected an integer >= 1");
    s.trials = r["trials"].get<std::uint64_t>();
  }
  if (r.contains("signups")) {
    const Json& su = r["signups"];
    if (!su.is_object())
      bad_key(origin, at + ".signups", "expected {\"hours\": [...], \"counts\": [...]}");
    only_keys(su, {"hours", "counts"}, origin, at + ".signups.");
    if (!su.contains("hours") || !su.contains("counts"))
      bad_key(origin, at + ".signups", "needs both 'hours' and 'counts'");
    s.hours = numbers(su["hours"], origin, at + ".signups.hours", 1000);
    s.signups = numbers(su["counts"], origin, at + ".signups.counts", 1000);
    if (s.hours.size() != s.signups.size())
      bad_key(origin, at + ".signups", "'hours' and 'counts' differ in length");
    for (std::size_t j = 0; j < s.hours.size(); ++j)
      if (std::isnan(s.hours[j]))
        bad_key(origin, at + ".signups.hours." + std::to_string(j), "an hour cannot be null");
  }
  if (r.contains("offspring_share") && !r["offspring_share"].is_null())
    s.offspring_share =
        numbers(r["offspring_share"], origin, at + ".offspring_share", kOffspringClasses);
  if (r.contains("depth_share") && !r["depth_share"].is_null())
    s.depth_share = numbers(r["depth_share"], origin, at + ".depth_share", kDepthClasses);
  if (r.contains("targets_found"))
    s.targets_found = number_or_unknown(r["targets_found"], origin, at + ".targets_found");
  if (r.contains("hours_to_all_targets"))
    s.hours_to_all_targets =
        number_or_unknown(r["hours_to_all_targets"], origin, at + ".hours_to_all_targets");
  return s;
}

}  // namespace

bool looks_like_json(const std::string& text) {
  const std::size_t i = text.find_first_not_of(" \t\r\n");
  return i != std::string::npos && text[i] == '{';
}

std::vector<TreeSummaries> parse_summaries_json(const std::string& text,
                                                const std::string& origin) {
  Json doc;
  try {
    doc = Json::parse(text);
  } catch (const Json::parse_error& e) {
    throw FileError(origin + ": not valid JSON: " + e.what());
  }
  if (!doc.is_object()) throw FileError(origin + ": expected a JSON object");
  only_keys(doc, {"format", "name", "description", "source", "notes", "regimes"}, origin, "");
  if (!doc.contains("format") || doc["format"] != "cascade-summaries")
    bad_key(origin, "format", "expected \"cascade-summaries\"");
  if (!doc.contains("regimes") || !doc["regimes"].is_array() || doc["regimes"].empty())
    bad_key(origin, "regimes", "expected a non-empty array");
  std::vector<TreeSummaries> out;
  for (std::size_t i = 0; i < doc["regimes"].size(); ++i)
    out.push_back(regime_summaries(doc["regimes"][i], origin, "regimes." + std::to_string(i)));
  return out;
}

}  // namespace cascade
