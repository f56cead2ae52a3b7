#include "grammar.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <regex>
#include <string>
#include <vector>

namespace cascade::cli {

std::string readable(double v) { return fmt::format("{}", v); }

namespace {

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// Is input a number of the option's type (CLI11's type names: FLOAT, INT, UINT, with ":..."
// suffixes from validators)? Empty when it is, else the message.
std::string not_a_number(const std::string& type, const std::string& input) {
  if (starts_with(type, "FLOAT")) {
    double v = 0;
    if (!CLI::detail::lexical_cast(input, v)) return "'" + input + "' is not a number";
    if (!std::isfinite(v)) return "value " + input + " is not a finite number";
  } else if (starts_with(type, "UINT")) {
    static const std::string kMax = "18446744073709551615";
    const bool digits =
        !input.empty() && input.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) {
      double v = 0;
      return CLI::detail::lexical_cast(input, v)
                 ? "value " + input + " is not a non-negative integer"
                 : "'" + input + "' is not a number (a non-negative integer is expected)";
    }
    // CLI11 reads "-1" into an unsigned type as 2^64 - 1 and saturates 2^64: refuse both.
    const std::string v = input.substr(std::min(input.find_first_not_of('0'), input.size() - 1));
    if (v.size() > kMax.size() || (v.size() == kMax.size() && v > kMax))
      return "value " + input + " is more than 2^64 - 1 (" + kMax + ")";
  } else if (starts_with(type, "INT")) {
    long long v = 0;
    if (!CLI::detail::lexical_cast(input, v)) {
      double d = 0;
      return CLI::detail::lexical_cast(input, d) ? "value " + input + " is not an integer"
                                                 : "'" + input + "' is not a number";
    }
  }
  return {};
}

// CLI11 2.1's Range says "Value 0 not in range 0.000000 to 17976931348623157...(309 digits)":
// say what is wanted, with the bounds printed readably.
std::string readable_range_message(const std::string& message, const std::string& name) {
  static const std::regex range(R"(Value (.*) not in range (\S+) to (\S+))");
  std::smatch m;
  if (!std::regex_match(message, m, range)) return message;
  const double lo = std::stod(m[2].str()), hi = std::stod(m[3].str());
  const std::string value = m[1].str();
  const bool no_top = hi >= 1e15;  // the largest double or integer: no upper bound meant
  if (name == "POSITIVE") return "value " + value + " must be positive (> 0)";
  if (no_top) return "value " + value + " must be at least " + readable(lo);
  return "value " + value + " must be in [" + readable(lo) + ", " + readable(hi) + "]";
}

void check_option(CLI::Option* opt) {
  const std::string type = opt->get_type_name();
  const bool numeric =
      starts_with(type, "FLOAT") || starts_with(type, "UINT") || starts_with(type, "INT");
  // Wrap every validator in place (CLI11 runs them in order; the number check has to come
  // first, or a range check answers "not in range" for "abc").
  for (int i = 0;; ++i) {
    CLI::Validator* v = nullptr;
    try {
      v = opt->get_validator(i);
    } catch (const CLI::OptionNotFound&) {
      break;
    }
    CLI::Validator original = *v;
    const bool first = i == 0;
    *v = CLI::Validator(
        [original, type, numeric, first](std::string& input) {
          if (numeric && first) {
            std::string bad = not_a_number(type, input);
            if (!bad.empty()) return bad;
          }
          return readable_range_message(original(input), original.get_description());
        },
        original.get_description(), original.get_name());
  }
  if (numeric)
    opt->check(
        CLI::Validator([type](std::string& input) { return not_a_number(type, input); }, ""));
}

// Edit distance with adjacent transpositions counted as one ("trails" -> "trials": 1).
std::size_t distance(const std::string& a, const std::string& b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

// The closest of names to word, when close enough to be a typo ("" otherwise).
std::string closest(const std::string& word, const std::vector<std::string>& names) {
  std::string best;
  std::size_t best_d = std::numeric_limits<std::size_t>::max();
  for (const auto& name : names) {
    const std::size_t d = distance(word, name);
    if (d < best_d) best_d = d, best = name;
  }
  const std::size_t allowed = word.size() <= 4 ? 1 : 2;
  return best_d <= allowed && best_d < word.size() ? best : std::string();
}

}  // namespace

void add_number_checks(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    for (CLI::Option* opt : sub->get_options()) check_option(opt);
  for (CLI::Option* opt : app.get_options()) check_option(opt);
}

std::string did_you_mean(const CLI::App& app, const CLI::App* sub, const std::string& word) {
  if (starts_with(word, "--")) {
    const std::string name = word.substr(2, word.find('=') - 2);
    std::vector<std::string> names;
    auto collect = [&names](const CLI::App& a) {
      for (const CLI::Option* opt : a.get_options())
        for (const auto& l : opt->get_lnames()) names.push_back(l);
    };
    if (sub) collect(*sub);
    collect(app);
    const std::string best = closest(name, names);
    return best.empty() ? "" : " (did you mean --" + best + "?)";
  }
  if (sub || word.empty() || word[0] == '-') return "";
  std::vector<std::string> names;
  for (const CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(s->get_name());
  const std::string best = closest(word, names);
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

CLI::Option* add_json_option(CLI::App* sub, std::string& path, const std::string& what) {
  return sub
      ->add_option("--json", path,
                   "write " + what +
                       " as JSON: '--json' alone or '--json -' on stdout, "
                       "'--json FILE' into FILE")
      ->expected(0, 1)
      ->default_str("-")
      ->type_name("[FILE]")
      ->check(CLI::Validator(
          [](std::string& input) {
            if (input.size() > 1 && input[0] == '-')
              return "'" + input +
                     "' is not a file name (a value starting with '-' never is; "
                     "write ./" +
                     input + " for such a file)";
            return std::string();
          },
          ""))
      ->group("Output");
}

}  // namespace cascade::cli
