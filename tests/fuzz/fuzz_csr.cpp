// libFuzzer target: the .csr loader, without the checksum (so the fuzzer reaches the structural
// checks behind it), then a full walk of every accepted graph.
#include "cascade/io.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = cascade::fuzz::input_file(data, size, ".csr");
  for (bool verify : {false, true}) {
    cascade::fuzz::expect_clean([&] {
      cascade::LoadOptions options;
      options.verify_checksum = verify;
      const cascade::Graph g = cascade::load_csr(path, options);
      std::uint64_t sum = 0;
      for (cascade::Vertex u = 0; u < g.num_vertices(); ++u)
        for (cascade::Vertex v : g.out_neighbors(u)) sum += v;
      if (sum == 1) std::fputc(' ', stderr);  // keep the walk from being optimised away
    });
  }
  return 0;
}
