// libFuzzer target: the scenario-file parser (JSON text -> Scenario, with validation), and the
// scenario's own JSON form parsed back.
#include "cascade/scenario_file.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  cascade::fuzz::expect_clean([&] {
    const cascade::Scenario s = cascade::parse_scenario(text, "fuzz.json");
    cascade::parse_scenario(cascade::scenario_to_json(s), "round-trip.json");
  });
  return 0;
}
