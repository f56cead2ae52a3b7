// libFuzzer target: the GraphML, GML and Pajek readers (libigraph behind our error handler),
// chosen by the first byte of the input, then build_csr on whatever they accepted.
#include "cascade/io.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int kind = data[0] % 3;
  const char* suffix = kind == 0 ? ".graphml" : kind == 1 ? ".gml" : ".net";
  const std::string path = cascade::fuzz::input_file(data + 1, size - 1, suffix);
  cascade::fuzz::expect_clean([&] {
    const cascade::EdgeList list = kind == 0   ? cascade::read_graphml(path)
                                   : kind == 1 ? cascade::read_gml(path)
                                               : cascade::read_pajek(path);
    if (list.num_vertices <= (1u << 20)) cascade::build_csr(list);
  });
  return 0;
}
