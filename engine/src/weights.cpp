// Weight rules: what a file's weight column means (cascade/weights.hpp).
#include "cascade/weights.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <vector>

#include "cascade/error.hpp"
#include "cascade/random.hpp"

namespace cascade {

namespace {

// The positive finite number after "name:", or InvalidArgument naming the option.
double positive_parameter(std::string_view text, std::size_t colon, const std::string& option) {
  const std::string_view digits = text.substr(colon + 1);
  double v = 0;
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size() || !(v > 0) ||
      !std::isfinite(v))
    throw InvalidArgument(option + " '" + std::string(text) +
                          "': " + std::string(text.substr(0, colon)) +
                          " needs a positive number after ':'");
  return v;
}

std::string number_text(double v) {
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

}  // namespace

WeightRule WeightRule::parse(std::string_view text, std::string option) {
  WeightRule r;
  r.option = std::move(option);
  const std::size_t colon = text.find(':');
  const std::string_view head = text.substr(0, colon);
  if (colon == std::string_view::npos) {
    if (text == "probability") return r;
    if (text == "none" || text == "ignore") return r.kind = Kind::kNone, r;
    if (text == "max") return r.kind = Kind::kMax, r;
    if (text == "wc") return r.kind = Kind::kWeightedCascade, r;
    if (text == "trivalency") return r.kind = Kind::kTrivalency, r;
  } else if (head == "scale" || head == "exp") {
    r.kind = head == "scale" ? Kind::kScale : Kind::kExponential;
    r.parameter = positive_parameter(text, colon, r.option);
    return r;
  }
  throw InvalidArgument(r.option + " '" + std::string(text) +
                        "': expected probability, none, scale:C, max, exp:S, wc or trivalency");
}

std::string WeightRule::name() const {
  switch (kind) {
    case Kind::kProbability:
      return "probability";
    case Kind::kNone:
      return "none";
    case Kind::kScale:
      return "scale:" + number_text(parameter);
    case Kind::kMax:
      return "max";
    case Kind::kExponential:
      return "exp:" + number_text(parameter);
    case Kind::kWeightedCascade:
      return "wc";
    case Kind::kTrivalency:
      break;
  }
  return "trivalency";
}

bool WeightRule::reads_values() const {
  return kind == Kind::kProbability || kind == Kind::kScale || kind == Kind::kMax ||
         kind == Kind::kExponential;
}

double WeightRule::min_value() const {
  return reads_values() ? 0.0 : -std::numeric_limits<double>::max();
}

double WeightRule::max_value() const {
  if (kind == Kind::kProbability) return 1.0;
  if (kind == Kind::kScale) return 1.0 / parameter;
  return std::numeric_limits<double>::max();
}

std::string WeightRule::range_text() const {
  const std::string meaning = option + " " + name();
  switch (kind) {
    case Kind::kProbability:
      return "outside [0, 1], read as a probability (" + meaning + "; for other weights give " +
             option + " max, scale:C or exp:S)";
    case Kind::kScale:
      return "outside [0, " + number_text(max_value()) + "]: times " + number_text(parameter) +
             " it is not a probability (" + meaning + ")";
    case Kind::kMax:
    case Kind::kExponential:
      return "is negative (" + meaning + " needs weights >= 0)";
    default:
      break;
  }
  return "is not a finite number";
}

void apply_weight_values(EdgeList& list, const WeightRule& rule) {
  if (!list.has_weights()) return;
  std::vector<float>& w = list.weights;
  const std::size_t m = w.size();
  // A caller may hand weights not checked by a reader: refuse what the rule cannot read.
  const double lo = rule.min_value(), hi = rule.max_value();
  for (std::size_t i = 0; i < m; ++i)
    if (!(w[i] >= lo && w[i] <= hi) || !std::isfinite(w[i]))
      throw InvalidArgument("edge " + std::to_string(i) + ": weight " + number_text(w[i]) + " " +
                            rule.range_text());
  switch (rule.kind) {
    case WeightRule::Kind::kProbability:
      return;
    case WeightRule::Kind::kNone:
    case WeightRule::Kind::kWeightedCascade:
    case WeightRule::Kind::kTrivalency:
      w.clear();
      w.shrink_to_fit();
      return;
    case WeightRule::Kind::kScale: {
      const double c = rule.parameter;
      tbb::parallel_for(std::size_t{0}, m, [&](std::size_t i) {
        // w <= 1/C was checked; min() absorbs the last rounding of the product.
        w[i] = static_cast<float>(std::min(1.0, c * w[i])) + 0.0f;
      });
      return;
    }
    case WeightRule::Kind::kMax: {
      const float top = tbb::parallel_reduce(
          tbb::blocked_range<std::size_t>(0, m), 0.0f,
          [&](const tbb::blocked_range<std::size_t>& r, float best) {
            for (std::size_t i = r.begin(); i < r.end(); ++i) best = std::max(best, w[i]);
            return best;
          },
          [](float a, float b) { return std::max(a, b); });
      if (top > 0)
        tbb::parallel_for(std::size_t{0}, m, [&](std::size_t i) {
          w[i] = static_cast<float>(static_cast<double>(w[i]) / top) + 0.0f;
        });
      return;
    }
    case WeightRule::Kind::kExponential: {
      const double s = rule.parameter;
      tbb::parallel_for(std::size_t{0}, m, [&](std::size_t i) {
        w[i] = static_cast<float>(-std::expm1(-static_cast<double>(w[i]) / s)) + 0.0f;
      });
      return;
    }
  }
}

float trivalency_probability(Vertex u, Vertex v) {
  static constexpr float kLevels[3] = {0.1f, 0.01f, 0.001f};
  const std::uint64_t h = rng::arc_hash(0, rng::Purpose::kVertexTrait, u, v);
  return kLevels[(h >> 32) % 3];  // 2^32 mod 3 = 1: bias below 1e-9
}

Graph apply_weight_rule(const Graph& g, const WeightRule& rule) {
  using Kind = WeightRule::Kind;
  if (rule.kind == Kind::kProbability) return g;
  if (rule.reads_values() && !g.has_weights()) return g;
  std::vector<Offset> offsets(g.offsets().begin(), g.offsets().end());
  std::vector<Vertex> targets(g.targets().begin(), g.targets().end());
  std::vector<float> weights;
  bool symmetric = g.is_symmetric();
  const std::uint64_t n = g.num_vertices();
  if (rule.kind == Kind::kWeightedCascade) {
    // 1/in-degree(v); the in-degrees counted from the targets directly.
    std::vector<std::uint64_t> in(n, 0);
    for (Vertex v : targets) ++in[v];
    weights.resize(targets.size());
    tbb::parallel_for(std::size_t{0}, targets.size(), [&](std::size_t i) {
      weights[i] = static_cast<float>(1.0 / static_cast<double>(in[targets[i]]));
    });
    symmetric = false;  // 1/in-degree differs between the two arcs of an edge
  } else if (rule.kind == Kind::kTrivalency) {
    weights.resize(targets.size());
    tbb::parallel_for(std::uint64_t{0}, n, [&](std::uint64_t u) {
      for (Offset i = offsets[u]; i < offsets[u + 1]; ++i)
        weights[i] = trivalency_probability(static_cast<Vertex>(u), targets[i]);
    });
    symmetric = false;  // drawn per arc: u->v and v->u differ
  } else if (rule.kind != Kind::kNone) {
    EdgeList values;
    values.weights.assign(g.weights().begin(), g.weights().end());
    apply_weight_values(values, rule);
    weights = std::move(values.weights);
  }
  return Graph(std::move(offsets), std::move(targets), std::move(weights), symmetric)
      .with_labels(g.labels());
}

}  // namespace cascade
