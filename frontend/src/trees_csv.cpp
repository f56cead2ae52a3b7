// CSV rows of a recruitment forest (cascade/trees_csv.hpp).
#include "cascade/trees_csv.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

namespace cascade {

namespace {

template <typename T>
void put_number(std::string& out, T x) {
  char buf[32];
  // Floats in their shortest round-trip form: the file reproduces the simulated times exactly.
  const auto end = std::to_chars(buf, buf + sizeof buf, x).ptr;
  out.append(buf, end);
}

// A CSV field, quoted (RFC 4180) when it holds a comma, quote or line break.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

}  // namespace

std::string trees_csv_header(bool labelled) {
  return std::string("trial,regime,person,recruiter,join_hours,found_target") +
         (labelled ? ",person_label,recruiter_label\n" : "\n");
}

void append_trees_csv(std::string& out, const TrialTree& tree, const std::string& regime_name,
                      const VertexLabels* labels) {
  std::vector<Vertex> finders(tree.finders.begin(), tree.finders.end());
  std::sort(finders.begin(), finders.end());
  const std::string regime = csv_field(regime_name);
  for (const Vertex v : tree.reached) {
    if (!tree.joined[v]) continue;
    const auto found = std::equal_range(finders.begin(), finders.end(), v);
    put_number(out, tree.trial);
    out += ',';
    out += regime;
    out += ',';
    put_number(out, static_cast<std::uint64_t>(v));
    out += ',';
    if (tree.recruiter[v] != kNoVertex) put_number(out, tree.recruiter[v]);
    out += ',';
    put_number(out, tree.join_hours[v]);
    out += ',';
    put_number(out, static_cast<std::uint64_t>(found.second - found.first));
    if (labels != nullptr) {
      out += ',';
      out += csv_field((*labels)[v]);
      out += ',';
      if (tree.recruiter[v] != kNoVertex) out += csv_field((*labels)[tree.recruiter[v]]);
    }
    out += '\n';
  }
}

}  // namespace cascade
