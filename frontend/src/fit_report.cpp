// The files of `cascade fit` (cascade/fit_report.hpp): tree CSV in, summaries file in, report
// out. Every error a user's file can cause names the file and its line (CSV) or key (JSON).
#include "cascade/fit_report.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cascade/error.hpp"

namespace cascade {

namespace {

using Json = nlohmann::ordered_json;

const char* const kColumns[] = {"trial",     "regime",     "person",
                                "recruiter", "join_hours", "found_target"};
enum Column { kTrial, kRegime, kPerson, kRecruiter, kJoinHours, kFoundTarget, kNumColumns };

// One CSV line split into fields (RFC 4180 quotes within the line).
std::vector<std::string> csv_fields(const std::string& line, const std::string& where) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  if (quoted) throw FileError(where + ": unterminated quote");
  return fields;
}

std::uint64_t parse_count(const std::string& text, const std::string& where, const char* what) {
  std::uint64_t x = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    throw FileError(where + ": " + what + " '" + text + "' is not a non-negative integer");
  return x;
}

struct Row {
  std::uint64_t person = 0, recruiter = 0;
  bool has_recruiter = false;
  double hours = 0;
  std::uint32_t found = 0;
  std::size_t line = 0;
};

struct Group {
  std::uint64_t trial = 0;
  std::string regime;
  std::vector<Row> rows;
};

std::string name_of(const Group& g) {
  return "trial " + std::to_string(g.trial) + " regime '" + g.regime + "'";
}

// The checks that need the whole tree, then the tree itself (members in row order).
RecruitmentTree build_tree(const Group& g, const std::string& origin) {
  std::map<std::uint64_t, std::uint32_t> index;
  for (const Row& r : g.rows) {
    const auto [it, fresh] = index.emplace(r.person, static_cast<std::uint32_t>(index.size()));
    if (!fresh)
      throw FileError(origin + ":" + std::to_string(r.line) + ": person " +
                      std::to_string(r.person) + " appears twice in " + name_of(g) +
                      " (first on line " + std::to_string(g.rows[it->second].line) + ")");
  }
  RecruitmentTree tree;
  tree.trial = g.trial;
  tree.regime = g.regime;
  for (const Row& r : g.rows) {
    const std::string where = origin + ":" + std::to_string(r.line);
    std::uint32_t parent = RecruitmentTree::kRootMember;
    if (r.has_recruiter) {
      const auto it = index.find(r.recruiter);
      if (it == index.end())
        throw FileError(where + ": recruiter " + std::to_string(r.recruiter) + " of person " +
                        std::to_string(r.person) + " is not a member of " + name_of(g));
      const Row& up = g.rows[it->second];
      if (r.hours < up.hours)
        throw FileError(where + ": person " + std::to_string(r.person) + " joins at " +
                        std::to_string(r.hours) + " h, before its recruiter " +
                        std::to_string(up.person) + " (" + std::to_string(up.hours) + " h, line " +
                        std::to_string(up.line) + ")");
      parent = it->second;
    }
    tree.parent.push_back(parent);
    tree.join_hours.push_back(r.hours);
    tree.found.push_back(r.found);
  }
  // Cycles: walk up from every member; state 1 = on the current walk, 2 = reaches a root.
  std::vector<std::uint8_t> state(tree.parent.size(), 0);
  std::vector<std::uint32_t> walk;
  for (std::uint32_t i = 0; i < tree.parent.size(); ++i) {
    std::uint32_t u = i;
    while (u != RecruitmentTree::kRootMember && state[u] == 0) {
      state[u] = 1;
      walk.push_back(u);
      u = tree.parent[u];
    }
    if (u != RecruitmentTree::kRootMember && state[u] == 1) {
      std::string chain = std::to_string(g.rows[u].person);
      for (std::uint32_t v = tree.parent[u];; v = tree.parent[v]) {
        chain += " -> " + std::to_string(g.rows[v].person);
        if (v == u) break;
      }
      throw FileError(origin + ":" + std::to_string(g.rows[u].line) + ": recruiter cycle in " +
                      name_of(g) + ": " + chain);
    }
    for (const std::uint32_t v : walk) state[v] = 2;
    walk.clear();
  }
  return tree;
}

// ---- summaries file ------------------------------------------------------------------------

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

Json number_json(double x) { return std::isfinite(x) ? Json(x) : Json(nullptr); }

Json numbers_json(const std::vector<double>& v) {
  Json a = Json::array();
  for (const double x : v) a.push_back(number_json(x));
  return a;
}

}  // namespace

std::vector<RecruitmentTree> parse_trees_csv(const std::string& text, const std::string& origin) {
  std::istringstream in(text);
  std::string line;
  std::size_t line_no = 0;
  int column[kNumColumns];
  std::size_t width = 0;
  std::map<std::pair<std::uint64_t, std::string>, std::size_t> group_of;
  std::vector<Group> groups;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string where = origin + ":" + std::to_string(line_no);
    if (line_no == 1) {
      const std::vector<std::string> names = csv_fields(line, where);
      width = names.size();
      for (int c = 0; c < kNumColumns; ++c) {
        const auto it = std::find(names.begin(), names.end(), kColumns[c]);
        if (it == names.end())
          throw FileError(where + ": missing column '" + kColumns[c] +
                          "' (expected trial,regime,person,recruiter,join_hours,found_target)");
        column[c] = static_cast<int>(it - names.begin());
      }
      continue;
    }
    if (line.empty()) continue;
    const std::vector<std::string> f = csv_fields(line, where);
    if (f.size() != width)
      throw FileError(where + ": expected " + std::to_string(width) + " fields, got " +
                      std::to_string(f.size()));
    Row r;
    r.line = line_no;
    const std::uint64_t trial = parse_count(f[column[kTrial]], where, "trial");
    r.person = parse_count(f[column[kPerson]], where, "person");
    r.has_recruiter = !f[column[kRecruiter]].empty();
    if (r.has_recruiter) r.recruiter = parse_count(f[column[kRecruiter]], where, "recruiter");
    const std::string& h = f[column[kJoinHours]];
    double hours = 0;
    const auto [end, ec] = std::from_chars(h.data(), h.data() + h.size(), hours);
    if (h.empty() || ec != std::errc() || end != h.data() + h.size() || !std::isfinite(hours))
      throw FileError(where + ": join_hours '" + h + "' is not a finite number");
    if (hours < 0) throw FileError(where + ": negative join time " + h + " h");
    r.hours = hours;
    const std::uint64_t found = parse_count(f[column[kFoundTarget]], where, "found_target");
    if (found > 0xffffffffULL)
      throw FileError(where + ": found_target " + f[column[kFoundTarget]] + " is too large");
    r.found = static_cast<std::uint32_t>(found);
    const std::string& regime = f[column[kRegime]];
    const auto [it, fresh] = group_of.emplace(std::make_pair(trial, regime), groups.size());
    if (fresh) groups.push_back({trial, regime, {}});
    groups[it->second].rows.push_back(r);
  }
  if (line_no == 0) throw FileError(origin + ":1: empty file (expected a header line)");
  if (groups.empty()) throw FileError(origin + ":2: no rows after the header");
  std::vector<RecruitmentTree> trees;
  for (const Group& g : groups) trees.push_back(build_tree(g, origin));
  return trees;
}

std::string read_data_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError(path + ": cannot open");
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw FileError(path + ": read error");
  return s.str();
}

std::vector<RecruitmentTree> read_trees_csv(const std::string& path) {
  return parse_trees_csv(read_data_file(path), path);
}

std::vector<TreeSummaries> summaries_by_regime(const std::vector<RecruitmentTree>& trees,
                                               const std::vector<double>& hours) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<RecruitmentTree>> by;
  for (const RecruitmentTree& t : trees) {
    if (!by.count(t.regime)) order.push_back(t.regime);
    by[t.regime].push_back(t);
  }
  std::vector<TreeSummaries> out;
  for (const std::string& r : order) out.push_back(summarize_trees(by[r], hours));
  return out;
}

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

std::string to_json(const FitResult& fit, const std::string& data) {
  Json root;
  root["schema"] = {{"name", "cascade.fit"}, {"version", 1}};
  root["scenario"] = fit.scenario;
  root["data"] = data;
  root["seed"] = fit.seed;
  root["particles"] = fit.samples.size();
  root["generations"] = fit.generations.size() - 1;
  root["simulations"] = fit.simulations;
  Json params = Json::object(), ident = Json::object();
  for (const FitParameter& p : fit.parameters) {
    params[p.prior.key] = {{"median", p.median},
                           {"interval90", {p.lo90, p.hi90}},
                           {"mean", p.mean},
                           {"sd", p.sd},
                           {"prior", {p.prior.lo, p.prior.hi}}};
    ident[p.prior.key] = {{"width_ratio", p.width_ratio},
                          {"verdict", p.pinned ? "pinned" : "not identified"}};
  }
  root["parameters"] = params;
  root["identifiability"] = {{"pinned_below", kPinnedWidthRatio}, {"keys", ident}};
  Json gens = Json::array();
  for (const FitGeneration& g : fit.generations)
    gens.push_back({{"epsilon", number_json(g.epsilon)},
                    {"effective_size", g.effective_size},
                    {"simulations", g.simulations}});
  root["tolerances"] = gens;
  Json observed = Json::array();
  for (const TreeSummaries& s : fit.observed)
    observed.push_back({{"regime", s.regime},
                        {"trials", s.trials},
                        {"signups", {{"hours", s.hours}, {"counts", numbers_json(s.signups)}}},
                        {"offspring_share", numbers_json(s.offspring_share)},
                        {"depth_share", numbers_json(s.depth_share)},
                        {"targets_found", number_json(s.targets_found)},
                        {"hours_to_all_targets", number_json(s.hours_to_all_targets)}});
  root["observed"] = observed;
  Json predictive = Json::array();
  for (const PredictiveStat& p : fit.predictive)
    predictive.push_back({{"regime", p.regime},
                          {"statistic", p.name},
                          {"observed", number_json(p.observed)},
                          {"median", number_json(p.median)},
                          {"interval90", {number_json(p.lo), number_json(p.hi)}}});
  root["predictive"] = predictive;
  Json keys = Json::array();
  for (const FitParameter& p : fit.parameters) keys.push_back(p.prior.key);
  Json values = Json::array();
  for (const auto& s : fit.samples) values.push_back(s);
  Json distances = Json::array();
  for (const double d : fit.distances) distances.push_back(number_json(d));
  root["samples"] = {
      {"keys", keys}, {"values", values}, {"weights", fit.weights}, {"distances", distances}};
  root["timing"] = {{"seconds", fit.seconds}};
  return root.dump(2) + "\n";
}

std::string format_table(const FitResult& fit) {
  std::ostringstream out;
  char line[512];
  std::snprintf(line, sizeof line, "%-40s %12s %25s %8s  %s\n", "key", "median", "90% interval",
                "width", "identifiability");
  out << line;
  for (const FitParameter& p : fit.parameters) {
    char interval[64];
    std::snprintf(interval, sizeof interval, "[%.4g, %.4g]", p.lo90, p.hi90);
    std::snprintf(line, sizeof line, "%-40s %12.4g %25s %8.2f  %s\n", p.prior.key.c_str(), p.median,
                  interval, p.width_ratio, p.pinned ? "pinned" : "not identified");
    out << line;
  }
  std::snprintf(line, sizeof line,
                "(width: posterior 90%% interval / prior width; pinned below %.2f; %llu "
                "simulations, final tolerance %.3g)\n",
                kPinnedWidthRatio, static_cast<unsigned long long>(fit.simulations),
                fit.generations.empty() ? 0.0 : fit.generations.back().epsilon);
  out << line;
  return out.str();
}

}  // namespace cascade
