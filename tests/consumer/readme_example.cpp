// The C++ example of the README, as a program: R-MAT 2^SCALE (default 18), p = 0.05, the 50
// highest-degree seeds, TRIALS trials (default 256). Usage: readme_example [SCALE [TRIALS]].
// Prints the estimate and its time, to compare with
//   cascade generate rmat --scale 18 --seed 1 -o g.csr
//   cascade simulate g.csr --p 0.05 --top-degree-seeds 50 --trials 256 --seed 0 --json
#include <cascade/builder.hpp>
#include <cascade/generators.hpp>
#include <cascade/monte_carlo.hpp>
#include <cstdio>
#include <string>

int main(int argc, char** argv) {
  cascade::RmatParams rmat;  // Graph500 a=.57, b=c=.19
  rmat.scale = argc > 1 ? static_cast<unsigned>(std::stoul(argv[1])) : 18;
  const cascade::Graph g = cascade::build_csr(cascade::generate_rmat(rmat, /*seed=*/1));
  cascade::McOptions mc;  // engine auto: the fused IC engine for >= 128 trials
  mc.ic.probability = cascade::ArcProbability::uniform(0.05);
  mc.seeds = cascade::SeedSpec::top_degree(50);
  mc.trials = argc > 2 ? std::stoull(argv[2]) : 256;
  const cascade::Estimate e = cascade::estimate_spread(g, mc);  // e.mean, e.ci95, e.curve, ...
  std::printf("mean %.6f  ci95 [%.6f, %.6f]  trials %llu  engine %s  seconds %.3f\n", e.mean,
              e.ci95.lo, e.ci95.hi, static_cast<unsigned long long>(e.trials),
              e.engine == cascade::McEngine::kFused ? "fused" : "trial", e.seconds);
  return e.trials == mc.trials && e.mean >= 50 ? 0 : 1;
}
