// One trial of one mobilize regime (mobilize_trial.hpp): targets, the trial's report record,
// curves, tree sizes, and the byte encoding of records for MPI.
#include "incentive/mobilize_trial.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <span>

#include "cascade/incentive.hpp"
#include "cascade/random.hpp"
#include "cascade/sybil.hpp"

namespace cascade::detail {

TargetOutcome find_targets(const TimedCascade& c, const Scenario& s, std::uint64_t trial) {
  const std::uint64_t n = c.time.size();
  TargetOutcome out;
  const TargetSpec& spec = s.targets;
  for (std::uint64_t t = 0; t < spec.count; ++t) {
    rng::Stream stream(s.master_seed, rng::Purpose::kTarget, trial, t);
    double best = std::numeric_limits<double>::infinity();
    Vertex finder = kNoVertex;
    for (std::uint64_t i = 0; i < spec.witnesses; ++i) {
      const auto w = static_cast<Vertex>(stream.next_below(n));
      const double sighting = spec.appear_hours + spec.sighting_median_hours *
                                                      -std::log(rng::unit_open0(stream.next())) /
                                                      std::numbers::ln2;
      if (!c.joined[w]) continue;
      const double at = std::max(static_cast<double>(c.time[w]), sighting);
      if (at <= s.horizon_hours && (at < best || (at == best && w < finder))) {
        best = at;
        finder = w;
      }
    }
    out.hours.push_back(finder == kNoVertex ? kNaN : best - spec.appear_hours);
    if (finder != kNoVertex) out.finders.push_back(finder);
  }
  return out;
}

CompactTrial compact_trial(const TimedCascade& c, const TargetOutcome& targets) {
  CompactTrial t;
  t.vertex.reserve(c.joined_count);
  for (const Vertex v : c.reached_vertices)
    if (c.joined[v]) t.vertex.push_back(v);
  // Vertex -> member: a binary search for a small cascade, an n-long table for a large one.
  const std::uint64_t n = c.joined.size();
  std::vector<Vertex> table;
  if (t.vertex.size() > n / 16) {
    table.assign(n, kNoVertex);
    for (std::size_t i = 0; i < t.vertex.size(); ++i) table[t.vertex[i]] = static_cast<Vertex>(i);
  }
  const auto member = [&t, &table](Vertex v) {  // a joiner's recruiter is a joiner
    if (!table.empty()) return table[v];
    return static_cast<Vertex>(std::lower_bound(t.vertex.begin(), t.vertex.end(), v) -
                               t.vertex.begin());
  };
  t.recruiter.resize(t.vertex.size());
  for (std::size_t i = 0; i < t.vertex.size(); ++i) {
    const Vertex up = c.recruiter[t.vertex[i]];
    t.recruiter[i] = up == kNoVertex ? kNoVertex : member(up);
  }
  t.joined.assign(t.vertex.size(), 1);
  for (const Vertex f : targets.finders) t.finders.push_back(member(f));
  return t;
}

namespace {

// Counts per grid point: how many times fall at or before hours[j] (cumulative), from a
// difference array over the reached vertices and the members (integers: deterministic).
struct Curves {
  std::vector<std::uint64_t> reached, joined, active;
};

Curves trial_curves(const TimedCascade& c, const CompactTrial& t, const ForestShape& shape,
                    double step, std::size_t points) {
  const std::size_t members = t.vertex.size();
  // Latest join time among each member's recruits.
  std::vector<float> last(members, 0.0f);
  for (std::size_t i = 0; i < members; ++i)
    if (t.recruiter[i] != kNoVertex)
      last[t.recruiter[i]] = std::max(last[t.recruiter[i]], c.time[t.vertex[i]]);
  std::vector<std::int64_t> reached(points + 1, 0), joined(points + 1, 0), active(points + 1, 0);
  auto first_point = [step](double time) {
    return static_cast<std::size_t>(std::ceil(time / step));
  };
  for (const Vertex v : c.reached_vertices)
    if (const std::size_t j = first_point(c.time[v]); j < points) ++reached[j];
  for (std::size_t i = 0; i < members; ++i) {
    const std::size_t j = first_point(c.time[t.vertex[i]]);
    if (j >= points) continue;
    ++joined[j];
    if (shape.offspring[i] == 0) continue;  // active from joining until the last recruit
    const auto end = static_cast<std::size_t>(std::floor(static_cast<double>(last[i]) / step));
    if (j <= end) {
      ++active[j];
      --active[std::min(end + 1, points)];
    }
  }
  Curves out{std::vector<std::uint64_t>(points), std::vector<std::uint64_t>(points),
             std::vector<std::uint64_t>(points)};
  std::int64_t r = 0, jn = 0, a = 0;
  for (std::size_t j = 0; j < points; ++j) {
    r += reached[j];
    jn += joined[j];
    a += active[j];
    out.reached[j] = static_cast<std::uint64_t>(r);
    out.joined[j] = static_cast<std::uint64_t>(jn);
    out.active[j] = static_cast<std::uint64_t>(a);
  }
  return out;
}

// Sizes of the recruitment trees (log2 bins, kTreeSizeBins): subtree sizes accumulate from the
// deepest members up (a recruit's depth is its recruiter's plus one), then each root's size is
// binned. Sequential O(members); the depth buckets come from the depth histogram.
std::vector<std::uint64_t> tree_size_histogram(const CompactTrial& t, const ForestShape& shape,
                                               std::span<const std::uint64_t> per_depth) {
  std::vector<std::uint64_t> start(per_depth.size() + 1, 0);
  for (std::size_t d = 0; d < per_depth.size(); ++d) start[d + 1] = start[d] + per_depth[d];
  std::vector<Vertex> by_depth(start.back());
  std::vector<std::uint64_t> next(start.begin(), start.end() - 1);
  for (std::size_t i = 0; i < t.vertex.size(); ++i)
    by_depth[next[shape.depth[i]]++] = static_cast<Vertex>(i);
  std::vector<std::uint64_t> size(t.vertex.size(), 0);
  std::vector<std::uint64_t> bins(kTreeSizeBins, 0);
  for (std::size_t k = by_depth.size(); k-- > 0;) {
    const Vertex i = by_depth[k];
    size[i] += 1;  // the member itself
    if (shape.depth[i] > 0) {
      size[t.recruiter[i]] += size[i];
    } else {
      ++bins[std::min<std::size_t>(std::bit_width(size[i]) - 1, kTreeSizeBins - 1)];
    }
  }
  return bins;
}

}  // namespace

TrialResult evaluate_trial(const TimedCascade& c, const Scenario& s, const IncentiveScheme& scheme,
                           const RegimeBehaviour& behaviour, std::uint64_t trial,
                           std::size_t points) {
  TrialResult r;
  r.recruits = static_cast<double>(c.joined_count);
  r.reached = static_cast<double>(c.reached);
  r.network_size = c.joined.size();

  const TargetOutcome targets = find_targets(c, s, trial);
  r.target_hours = targets.hours;
  r.found = static_cast<double>(targets.finders.size());
  if (s.targets.count > 0 && targets.finders.size() == s.targets.count)
    r.hours_to_all = *std::max_element(targets.hours.begin(), targets.hours.end());

  const CompactTrial t = compact_trial(c, targets);
  const PayoffResult pay =
      propagate_payoffs(t.forest(), scheme, s.targets.count, s.recruitment.withheld_share);
  r.payout = static_cast<double>(pay.payout_cents) / 100.0;
  r.charity = static_cast<double>(pay.charity_cents) / 100.0;
  r.max_payoff = static_cast<double>(pay.max_payoff_cents) / 100.0;
  r.gini = pay.gini;

  if (s.attack.active()) {
    std::vector<std::uint8_t> attacker(t.vertex.size());
    for (std::size_t i = 0; i < t.vertex.size(); ++i)
      attacker[i] = is_sybil_attacker(s.attack, s.master_seed, t.vertex[i]) ? 1 : 0;
    const SybilOutcome o =
        sybil_outcome(t.forest(), scheme, s.targets.count, attacker, s.attack.fakes, s.attack.role);
    r.attack_gain = static_cast<double>(o.gain_cents) / 100.0;
    r.attack_honest_loss = static_cast<double>(o.honest_loss_cents) / 100.0;
    r.attack_charity_loss = static_cast<double>(o.charity_loss_cents) / 100.0;
    r.attackers = static_cast<double>(o.attackers);
  }

  const ForestShape shape = forest_shape(t.recruiter, t.joined);
  r.tally = realised_tally(t.forest(), shape.depth, scheme, pay);
  r.depth_max = shape.max_depth;
  r.depth_histogram.assign(shape.max_depth + 1, 0);
  r.offspring_histogram.assign(kOffspringBins, 0);
  for (std::size_t i = 0; i < t.vertex.size(); ++i) {
    const Vertex v = t.vertex[i];
    ++r.depth_histogram[shape.depth[i]];
    ++r.offspring_histogram[std::min<std::size_t>(shape.offspring[i], kOffspringBins - 1)];
    // Horvitz-Thompson: a recruit of v arrives before the horizon with chance F(left / f_v).
    if (shape.depth[i] == 0) continue;
    const double window = (s.horizon_hours - c.time[v]) / behaviour.delay_factor[v];
    const double seen = s.delay.cdf(window);
    if (seen < 0.5) continue;  // joined less than one median delay before the horizon
    r.branching_parents += 1;
    r.branching_children += shape.offspring[i] / seen;
  }
  r.tree_size_histogram = tree_size_histogram(t, shape, r.depth_histogram);

  Curves curves = trial_curves(c, t, shape, s.curve_step_hours, points);
  r.reached_curve = std::move(curves.reached);
  r.joined_curve = std::move(curves.joined);
  r.active_curve = std::move(curves.active);
  return r;
}

namespace {

// The ten sums of a RealisedTally, in declaration order.
std::array<double*, 10> tally_fields(RealisedTally& t) {
  return {&t.joiners,       &t.recruits,     &t.deep_recruits,  &t.payout_cents,  &t.paid_joiners,
          &t.recruit_cents, &t.recruit_paid, &t.recruit2_cents, &t.recruit2_paid, &t.charity_cents};
}

}  // namespace

void put_tally(detail::ByteWriter& w, RealisedTally t) {
  for (double* x : tally_fields(t)) w.put(*x);
}

RealisedTally get_tally(detail::ByteReader& r) {
  RealisedTally t;
  for (double* x : tally_fields(t)) *x = r.get<double>();
  return t;
}

// One belief round's trial: the cascade, its targets and payoffs, tallied.
RealisedTally belief_trial(const TimedCascade& c, const Scenario& s, const IncentiveScheme& scheme,
                           std::uint64_t trial) {
  const CompactTrial t = compact_trial(c, find_targets(c, s, trial));
  const PayoffResult pay =
      propagate_payoffs(t.forest(), scheme, s.targets.count, s.recruitment.withheld_share);
  const ForestShape shape = forest_shape(t.recruiter, t.joined);
  return realised_tally(t.forest(), shape.depth, scheme, pay);
}

namespace {

// Bit-exact encoding of a trial's record, to gather the records of other ranks.
void put_trial(detail::ByteWriter& w, const TrialResult& t) {
  for (double x : {t.recruits, t.reached, t.payout, t.charity, t.found, t.max_payoff, t.gini,
                   t.depth_max, t.hours_to_all, t.branching_parents, t.branching_children})
    w.put(x);
  w.put_vector(t.target_hours);
  w.put_vector(t.depth_histogram);
  w.put_vector(t.offspring_histogram);
  w.put_vector(t.tree_size_histogram);
  w.put_vector(t.reached_curve);
  w.put_vector(t.joined_curve);
  w.put_vector(t.active_curve);
  put_tally(w, t.tally);
  w.put(t.network_size);
  for (double x : {t.attack_gain, t.attack_honest_loss, t.attack_charity_loss, t.attackers})
    w.put(x);
}

TrialResult get_trial(detail::ByteReader& r) {
  TrialResult t;
  for (double* x :
       {&t.recruits, &t.reached, &t.payout, &t.charity, &t.found, &t.max_payoff, &t.gini,
        &t.depth_max, &t.hours_to_all, &t.branching_parents, &t.branching_children})
    *x = r.get<double>();
  t.target_hours = r.get_vector<double>();
  t.depth_histogram = r.get_vector<std::uint64_t>();
  t.offspring_histogram = r.get_vector<std::uint64_t>();
  t.tree_size_histogram = r.get_vector<std::uint64_t>();
  t.reached_curve = r.get_vector<std::uint64_t>();
  t.joined_curve = r.get_vector<std::uint64_t>();
  t.active_curve = r.get_vector<std::uint64_t>();
  t.tally = get_tally(r);
  t.network_size = r.get<std::uint64_t>();
  for (double* x : {&t.attack_gain, &t.attack_honest_loss, &t.attack_charity_loss, &t.attackers})
    *x = r.get<double>();
  return t;
}

}  // namespace

// Replaces each regime's records of this rank's trials by every rank's, in trial order, on rank
// 0 (other ranks end with none).
void gather_trials(const Communicator& comm, std::vector<std::vector<TrialResult>>& results) {
  detail::ByteWriter w;
  for (const auto& regime : results) {
    w.put<std::uint64_t>(regime.size());
    for (const TrialResult& t : regime) put_trial(w, t);
  }
  const auto parts = comm.gather(w.bytes(), /*to_all=*/false);
  for (auto& regime : results) regime.clear();
  for (const auto& part : parts) {  // rank order: contiguous blocks, so trial order
    detail::ByteReader r(part);
    for (auto& regime : results) {
      const auto n = r.get<std::uint64_t>();
      for (std::uint64_t k = 0; k < n; ++k) regime.push_back(get_trial(r));
    }
  }
}

}  // namespace cascade::detail
