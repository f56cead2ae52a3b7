#pragma once
// Internal: whole-file input (memory-mapped, or read into memory when the path is not a regular
// file, e.g. a pipe); atomic output is cascade::OutputFile (cascade/output_file.hpp).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cascade/output_file.hpp"

namespace cascade::detail {

/// strerror(err) as a std::string.
std::string errno_text(int err);

/// "path: offset N: what", the prefix of every binary-file error.
std::string at_offset(const std::string& path, std::uint64_t offset, const std::string& what);

/// Printable excerpt of an input token for error messages: at most 40 characters, bytes outside
/// printable ASCII shown as \xNN.
std::string quote(std::string_view token);

/// Asks the kernel to back [data, data + bytes) with transparent huge pages before it is first
/// touched (fewer page faults when filling large arrays); a no-op for small ranges or where
/// unsupported.
void advise_huge_pages(void* data, std::size_t bytes);

/// The bytes of an input file. Kept alive by shared_ptr so a Graph can borrow them.
class InputFile {
 public:
  /// Opens path read-only: mmap (MAP_PRIVATE, PROT_READ; populate pre-faults the pages) for a
  /// regular file, read() into memory otherwise. FileError names the path when it is missing,
  /// a directory, or unreadable.
  static std::shared_ptr<const InputFile> open(const std::string& path, bool populate = false);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  const char* data() const { return data_; }
  std::size_t size() const { return size_; }
  std::string_view text() const { return {data_, size_}; }

 private:
  InputFile() = default;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  bool mapped_ = false;
  std::vector<char> buffer_;  // when not mapped
};

/// Output files are written through cascade::OutputFile (temporary file + rename).
using AtomicWriter = cascade::OutputFile;

}  // namespace cascade::detail
