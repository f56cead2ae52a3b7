// Trials split over ranks (cascade/distributed.hpp) without MPI: a communicator whose ranks are
// threads of this process. Checks that estimate_spread / estimate_with (one-trial and fused
// engines, early stop) and mobilize() give results bit-identical to one process for 1, 2, 3 and
// more ranks than trials, that every trial runs exactly once, and the block partition itself.
// The same code runs across processes with MPI (tests/mpi/run_mpi_tests.py).
#include <barrier>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "cascade/builder.hpp"
#include "cascade/distributed.hpp"
#include "cascade/error.hpp"
#include "cascade/fused_ic.hpp"
#include "cascade/generators.hpp"
#include "cascade/maximize.hpp"
#include "cascade/mobilize.hpp"
#include "cascade/mobilize_report.hpp"
#include "cascade/monte_carlo.hpp"
#include "cascade/scenario_file.hpp"
#include "cascade/seeds.hpp"
#include "catch.hpp"

using namespace cascade;

namespace {

// `size` ranks as threads: gather() exchanges through shared slots between two barriers.
class ThreadGroup {
 public:
  explicit ThreadGroup(int size)
      : size_(size), slots_(static_cast<std::size_t>(size)), sync_(size) {}

  class Rank final : public Communicator {
   public:
    Rank(ThreadGroup& group, int rank) : group_(group), rank_(rank) {}
    int rank() const override { return rank_; }
    int size() const override { return group_.size_; }
    std::vector<std::vector<std::byte>> gather(std::span<const std::byte> mine,
                                               bool to_all) const override {
      group_.slots_[static_cast<std::size_t>(rank_)].assign(mine.begin(), mine.end());
      group_.sync_.arrive_and_wait();  // every part is in
      std::vector<std::vector<std::byte>> parts;
      if (to_all || rank_ == 0) parts = group_.slots_;
      group_.sync_.arrive_and_wait();  // every rank has copied before the slots are reused
      return parts;
    }

   private:
    ThreadGroup& group_;
    int rank_;
  };

  /// Runs body(rank communicator) on `size` threads; returns the results by rank.
  template <class T>
  std::vector<T> run(const std::function<T(const Communicator&)>& body) {
    std::vector<T> results(static_cast<std::size_t>(size_));
    std::vector<std::thread> threads;
    for (int r = 0; r < size_; ++r)
      threads.emplace_back([&, r] {
        const Rank comm(*this, r);
        results[static_cast<std::size_t>(r)] = body(comm);
      });
    for (auto& t : threads) t.join();
    return results;
  }

 private:
  int size_;
  std::vector<std::vector<std::byte>> slots_;
  std::barrier<> sync_;
};

// Every deterministic field of an Estimate (not the timings or the parallel mode).
void require_same(const Estimate& a, const Estimate& b) {
  REQUIRE(a.trials == b.trials);
  REQUIRE(a.spreads == b.spreads);
  REQUIRE(std::memcmp(&a.mean, &b.mean, sizeof(double)) == 0);
  REQUIRE(std::memcmp(&a.stddev, &b.stddev, sizeof(double)) == 0);
  REQUIRE(std::memcmp(&a.standard_error, &b.standard_error, sizeof(double)) == 0);
  REQUIRE(a.ci95.lo == b.ci95.lo);
  REQUIRE(a.ci95.hi == b.ci95.hi);
  REQUIRE(a.quantiles == b.quantiles);
  REQUIRE(a.curve == b.curve);
  REQUIRE(a.arcs_examined == b.arcs_examined);
  REQUIRE(a.stopped_early == b.stopped_early);
}

Graph test_graph() { return build_csr(generate_barabasi_albert(3000, 3, 11)); }

McOptions ic_options(std::uint64_t trials) {
  McOptions o;
  o.model = Model::kIc;
  o.ic.probability = ArcProbability::uniform(0.12);
  o.master_seed = 5;
  o.seeds = SeedSpec::random(2);
  o.trials = trials;
  return o;
}

Estimate estimate_on(ThreadGroup& group, const Graph& g, const McOptions& base) {
  const auto all = group.run<Estimate>([&](const Communicator& comm) {
    McOptions o = base;
    o.communicator = &comm;
    return estimate_spread(g, o);
  });
  for (std::size_t r = 1; r < all.size(); ++r) require_same(all[0], all[r]);  // every rank agrees
  return all[0];
}

}  // namespace

TEST_CASE("distributed: rank_trials splits into contiguous near-equal blocks", "[kernels]") {
  for (std::uint64_t count : {0, 1, 2, 3, 7, 10, 1000, 1001}) {
    for (int size : {1, 2, 3, 5, 16}) {
      std::uint64_t next = 0, smallest = count, largest = 0;
      for (int r = 0; r < size; ++r) {
        const TrialRange b = rank_trials(count, r, size);
        REQUIRE(b.begin == next);
        next = b.end;
        smallest = std::min(smallest, b.size());
        largest = std::max(largest, b.size());
      }
      REQUIRE(next == count);
      REQUIRE(largest - smallest <= 1);
    }
  }
  REQUIRE(rank_trials(7, 0, 3).size() == 3);  // lower ranks take the extra trials
  REQUIRE(rank_trials(2, 2, 3).size() == 0);  // more ranks than trials
}

TEST_CASE("distributed: Monte Carlo estimates are bit-identical for 1, 2, 3, 5 ranks",
          "[kernels]") {
  const Graph g = test_graph();
  struct Case {
    const char* name;
    McOptions options;
  };
  std::vector<Case> cases;
  cases.push_back({"ic, 37 trials over trials", ic_options(37)});
  cases.back().options.parallelism = McParallelism::kOverTrials;
  cases.push_back({"ic, 2 trials (fewer than ranks) inside trials", ic_options(2)});
  cases.back().options.parallelism = McParallelism::kInsideTrial;
  McOptions lt = ic_options(50);
  lt.model = Model::kLt;
  lt.master_seed = 9;
  cases.push_back({"lt, 50 trials, top-degree seeds", lt});
  cases.back().options.seeds = SeedSpec::top_degree(3);
  McOptions stop = ic_options(400);
  stop.target_ci_half_width = 40.0;  // met after a few batches of 23, not before
  stop.batch_trials = 23;
  cases.push_back({"ic, early stop, batches of 23", stop});

  for (const Case& c : cases) {
    SECTION(c.name) {
      const Estimate one = estimate_spread(g, c.options);
      if (c.options.target_ci_half_width > 0) {
        REQUIRE(one.stopped_early);  // after a few batches, not the first
        REQUIRE(one.trials > 2 * c.options.batch_trials);
        REQUIRE(one.trials < c.options.trials);
      }
      for (int ranks : {1, 2, 3, 5}) {
        ThreadGroup group(ranks);
        INFO(ranks << " ranks");
        require_same(one, estimate_on(group, g, c.options));
      }
    }
  }
}

TEST_CASE("distributed: every trial runs once, on the rank that owns its block", "[kernels]") {
  McOptions o = ic_options(41);
  o.first_trial = 100;
  o.target_ci_half_width = 1e-9;  // never met: batches of 10 up to 41 trials
  o.batch_trials = 10;
  std::mutex m;
  std::map<std::uint64_t, int> ran;  // trial -> rank
  bool twice = false;                // no Catch assertions off the main thread
  ThreadGroup group(3);
  group.run<int>([&](const Communicator& comm) {
    McOptions mine = o;
    mine.communicator = &comm;
    estimate_with(mine, [&](std::uint64_t first, std::uint64_t count, TrialBlock& out) {
      for (std::uint64_t t = first; t < first + count; ++t) {
        std::lock_guard lock(m);
        if (!ran.emplace(t, comm.rank()).second) twice = true;
        out.spreads.push_back(t);  // a result that depends on the trial id alone
      }
      out.per_step_sum = {count};
    });
    return 0;
  });
  REQUIRE_FALSE(twice);
  REQUIRE(ran.size() == 41);
  REQUIRE(ran.begin()->first == 100);
  REQUIRE(ran.rbegin()->first == 140);
  // Batch [100, 110): ranks 0, 0, 0, 0, 1, 1, 1, 2, 2, 2; last batch [140, 141): rank 0.
  REQUIRE(ran[100] == 0);
  REQUIRE(ran[103] == 0);
  REQUIRE(ran[104] == 1);
  REQUIRE(ran[107] == 2);
  REQUIRE(ran[140] == 0);
}

TEST_CASE("distributed: the fused engine splits the same way", "[kernels]") {
  const Graph g = test_graph();
  const McOptions o = ic_options(300);
  const LiveArcs coins(g, o.ic.probability, o.master_seed);
  auto seeds_of = [&g, &o](std::uint64_t trial) {
    return random_seeds(g, o.seeds.k, o.master_seed, trial);
  };
  const Estimate one = estimate_with(o, fused_ic_runner(g, coins, seeds_of));
  McOptions trial_engine = o;
  trial_engine.engine = McEngine::kTrial;  // the independent reference: one trial at a time
  require_same(one, estimate_spread(g, trial_engine));
  ThreadGroup group(3);
  const auto all = group.run<Estimate>([&](const Communicator& comm) {
    McOptions mine = o;
    mine.communicator = &comm;
    return estimate_with(mine, fused_ic_runner(g, coins, seeds_of));
  });
  for (const Estimate& e : all) require_same(one, e);
}

TEST_CASE("distributed: mobilize reports are bit-identical on rank 0", "[kernels]") {
  Scenario s = parse_scenario(R"({
    "name": "tiny", "seed": 7, "trials": 5, "horizon_hours": 24, "curve_step_hours": 2,
    "network": {"generator": "barabasi-albert", "vertices": 3000, "degree": 3, "seed": 1},
    "seeds": {"choice": "random", "count": 2},
    "targets": {"count": 3, "witnesses": 50},
    "regimes": [{"name": "virality", "scheme": "none"},
                {"name": "incentive", "scheme": "recursive", "reward_dollars": 2000, "split": 0.5}]
  })");
  const Graph g = build_scenario_network(s);
  auto without_timing = [](MobilizationReport r) {
    r.simulate_seconds = r.network_seconds = 0;
    return std::make_pair(to_json(r), to_csv(r));
  };
  for (std::uint64_t trials : {5, 2}) {
    MobilizeOptions options;
    options.trials = trials;
    const auto one = without_timing(mobilize(g, s, options));
    for (int ranks : {1, 2, 3}) {
      INFO(trials << " trials, " << ranks << " ranks");
      ThreadGroup group(ranks);
      const auto all = group.run<MobilizationReport>([&](const Communicator& comm) {
        MobilizeOptions mine = options;
        mine.communicator = &comm;
        return mobilize(g, s, mine);
      });
      REQUIRE(without_timing(all[0]) == one);
      for (std::size_t r = 1; r < all.size(); ++r) {  // the others: header only
        REQUIRE(all[r].regimes.empty());
        REQUIRE(all[r].trials == trials);
      }
    }
  }
}

TEST_CASE("distributed: ranks with different inputs stop before running, all of them",
          "[kernels]") {
  // Three ranks as threads; rank 2 holds a different graph (one arc less). Before the check the
  // trials of both graphs were merged into one report silently.
  const Graph same = test_graph();
  EdgeList other_list = generate_barabasi_albert(3000, 3, 11);
  other_list.edges.pop_back();
  const Graph other = build_csr(other_list);
  REQUIRE(graph_fingerprint(same) == graph_fingerprint(test_graph()));  // a pure function
  REQUIRE(graph_fingerprint(same) != graph_fingerprint(other));
  REQUIRE(text_fingerprint("--trials 10", 7) != text_fingerprint("--trials 11", 7));
  REQUIRE(text_fingerprint("--trials 10", 7) != text_fingerprint("--trials 10", 8));

  ThreadGroup group(3);
  const auto messages = group.run<std::string>([&](const Communicator& comm) {
    const Graph& g = comm.rank() == 2 ? other : same;
    try {
      require_same_inputs(comm, text_fingerprint("simulate g.csr", graph_fingerprint(g)),
                          "graph and parameters");
    } catch (const InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string();
  });
  for (const std::string& m : messages) {
    CHECK(m.rfind("ranks were given different inputs: rank 2's graph and parameters hash to 0x",
                  0) == 0);
    CHECK(m.find(", rank 0's to 0x") != std::string::npos);
    CHECK(m.find("(give every rank the same files and flags)") != std::string::npos);
  }
  // The same inputs everywhere pass.
  const auto ok = group.run<int>([&](const Communicator& comm) {
    require_same_inputs(comm, graph_fingerprint(same), "graph");
    return 1;
  });
  CHECK(ok == std::vector<int>{1, 1, 1});
}

TEST_CASE("RR sets and maximize split over ranks equal one process's", "[kernels]") {
  const Graph g = test_graph();
  InfluenceModel ic;
  ic.probability = ArcProbability::uniform(0.05);
  ic.master_seed = 9;
  InfluenceModel lt;
  lt.model = Model::kLt;
  lt.master_seed = 9;
  for (const InfluenceModel& model : {ic, lt}) {
    RrSets one;  // 20001 sets: more than one exchange of 2^14 (rr_sets.cpp's kExchangeSets)
    const std::uint64_t one_work = RrSampler(g, model).sample(17, 20001, one);
    for (int ranks : {1, 2, 3, 7}) {
      ThreadGroup group(ranks);
      using Sampled = std::pair<RrSets, std::uint64_t>;
      const auto all = group.run<Sampled>([&](const Communicator& comm) {
        Sampled s;
        s.second = RrSampler(g, model, &comm).sample(17, 20001, s.first);
        return s;
      });
      for (const Sampled& s : all) {  // every rank holds the very collection one process draws
        REQUIRE(s.first.offsets == one.offsets);
        REQUIRE(s.first.vertices == one.vertices);
        REQUIRE(s.second == one_work);
      }
    }
  }
  for (MaximizeMethod method : {MaximizeMethod::kImm, MaximizeMethod::kOpimC}) {
    MaximizeOptions o;
    o.model = ic;
    o.k = 4;
    o.method = method;
    const MaximizeResult one = maximize(g, o);
    for (int ranks : {2, 3}) {
      ThreadGroup group(ranks);
      const auto all = group.run<MaximizeResult>([&](const Communicator& comm) {
        MaximizeOptions mine = o;
        mine.communicator = &comm;
        return maximize(g, mine);
      });
      for (const MaximizeResult& r : all) {
        REQUIRE(r.seeds == one.seeds);
        REQUIRE(r.marginal_gains == one.marginal_gains);
        REQUIRE(r.estimated_spread == one.estimated_spread);
        REQUIRE(r.rr_sets == one.rr_sets);
        REQUIRE(r.rr_vertices == one.rr_vertices);
        REQUIRE(r.work == one.work);
      }
    }
  }
}
