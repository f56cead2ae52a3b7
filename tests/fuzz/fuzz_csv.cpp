// libFuzzer target: the CSV edge-table reader, then build_csr on whatever it accepted.
#include "cascade/io.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = cascade::fuzz::input_file(data, size, ".csv");
  cascade::fuzz::expect_clean([&] {
    const cascade::EdgeList list = cascade::read_csv(path);
    if (list.num_vertices <= (1u << 20)) cascade::build_csr(list);
  });
  return 0;
}
