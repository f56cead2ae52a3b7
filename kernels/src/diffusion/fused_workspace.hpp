#pragma once
// Internal to fused_ic.cpp: the per-thread memory of the fused IC batch (the word arrays and
// frontier lists one worker reuses from batch to batch). In an unnamed namespace on purpose:
// fused_ic.cpp is the only includer, and internal linkage keeps the compiler's inlining of the
// hot sweep exactly what it was when this lived in that file.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "cascade/error.hpp"
#include "cascade/graph.hpp"

namespace cascade {
namespace {

using Word = std::uint64_t;
constexpr unsigned kWordBits = 64;

/// Zero-initialised array of words, 64-byte aligned; large ones are backed by transparent huge
/// pages where the OS offers them: the sweep reads it at random, one access per arc, and with
/// 4 KiB pages nearly every access would also miss the TLB.
class WordArray {
 public:
  WordArray() = default;
  ~WordArray() { std::free(data_); }
  WordArray(const WordArray&) = delete;
  WordArray& operator=(const WordArray&) = delete;
  void reset(std::size_t size) {
    if (size != size_) {
      std::free(data_);
      data_ = nullptr;
      size_ = 0;
      constexpr std::size_t kHugePage = std::size_t{1} << 21;
      const std::size_t align = size * sizeof(Word) >= kHugePage ? kHugePage : 64;
      const std::size_t bytes = (size * sizeof(Word) + align - 1) / align * align;
      if (bytes > 0) {
        data_ = static_cast<Word*>(std::aligned_alloc(align, bytes));
        if (data_ == nullptr)
          throw ResourceError("fused IC: cannot allocate " + std::to_string(bytes) +
                              " bytes of per-thread state");
#ifdef MADV_HUGEPAGE
        if (align == kHugePage) ::madvise(data_, bytes, MADV_HUGEPAGE);  // a hint; may fail
#endif
      }
      size_ = size;
    }
    if (size_ > 0) std::memset(data_, 0, size_ * sizeof(Word));
  }
  Word* data() { return data_; }
  std::size_t size() const { return size_; }

 private:
  Word* data_ = nullptr;
  std::size_t size_ = 0;
};

/// One worker thread's memory. Invariant between batches: state and the in_next bitmap are zero.
struct Workspace {
  // Per vertex K words, seen[v]: the trials in which v is active or activated at the step being
  // built. The only state read at random (one access per arc visit), so it is kept this small:
  // the lanes activated at a step are seen[v] & ~next_before, not a second array.
  WordArray state;
  WordArray in_next;   // n bits: v is in next_list
  unsigned words = 0;  // K the arrays were laid out for
  bool dirty = true;   // arrays may be non-zero (new, or a batch threw)
  std::vector<Vertex> frontier, next_list, touched;
  std::vector<Word> next_before;      // K words per next_list entry: seen[v] before this step
  std::vector<std::uint32_t> rank;    // per in_next word: set bits before it
  std::vector<Word> frontier_mask;    // K words per frontier entry
  std::vector<std::uint64_t> counts;  // [step][lane] activations

  void prepare(std::uint64_t n, unsigned k) {
    if (dirty || words != k || state.size() != n * k) {
      state.reset(n * k);
      in_next.reset((n + kWordBits - 1) / kWordBits);
    }
    words = k;
    dirty = true;
  }
};

}  // namespace
}  // namespace cascade
