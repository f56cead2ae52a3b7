// The tree CSV that `cascade fit` reads (cascade/fit_report.hpp): parse, check and group the
// rows into recruitment trees. Every error names the file and its line.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "cascade/error.hpp"
#include "cascade/fit_report.hpp"

namespace cascade {

namespace {

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

}  // namespace cascade
