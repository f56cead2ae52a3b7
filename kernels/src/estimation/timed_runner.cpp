// The timed model as a Monte Carlo engine (monte_carlo.hpp, timed_cascade_runner): one
// delta-stepping cascade per trial, parallel inside the trial, summarized into a TrialBlock
// whose "steps" are curve bins of curve_step_hours.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

#include "cascade/error.hpp"
#include "cascade/monte_carlo.hpp"
#include "cascade/timed.hpp"

namespace cascade {

TrialRunner timed_cascade_runner(const Graph& g, const LiveArcs& live, TrialSeedsFn seeds_of,
                                 const TimedOptions& options, double curve_step_hours) {
  if (!seeds_of) throw InvalidArgument("timed runner: empty seed function");
  if (!(curve_step_hours > 0.0 && std::isfinite(curve_step_hours)))
    throw InvalidArgument("curve step " + std::to_string(curve_step_hours) +
                          " hours is not a finite number > 0");
  options.delay.validate();
  return [&g, &live, seeds_of = std::move(seeds_of), options, step = curve_step_hours](
             std::uint64_t first, std::uint64_t count, TrialBlock& out) {
    for (std::uint64_t i = 0; i < count; ++i) {
      const auto start = std::chrono::steady_clock::now();
      const std::uint64_t trial = first + i;
      const TimedCascade c = timed_cascade(g, live, seeds_of(trial), trial, options);
      // Bin s of the curve holds the vertices reached in ((s-1) step, s step] hours.
      std::uint64_t arcs = 0;
      for (Vertex v = 0; v < g.num_vertices(); ++v) {
        const float h = c.time[v];
        if (!std::isfinite(h)) continue;
        const double at = std::max(0.0, std::ceil(h / step));
        if (!(at < kMaxCurvePoints)) {  // no horizon: bounded once the times are known
          char what[200];
          std::snprintf(what, sizeof what,
                        "--curve-step %g: a cascade reached hour %g, %g curve points, more than "
                        "the limit of %g (give --horizon or a larger --curve-step)",
                        step, static_cast<double>(h), at + 1, kMaxCurvePoints);
          throw InvalidArgument(what);
        }
        const auto bin = static_cast<std::size_t>(at);
        if (out.per_step_sum.size() <= bin) out.per_step_sum.resize(bin + 1, 0);
        ++out.per_step_sum[bin];
        if (c.joined[v]) arcs += g.out_degree(v);
      }
      out.spreads.push_back(c.reached);
      out.arcs_examined += arcs;
      out.seconds.push_back(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
  };
}

}  // namespace cascade
