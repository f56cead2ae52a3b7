#pragma once
// Internal: whole-file input (read into memory, or memory-mapped for trusted .csr files when
// file, e.g. a pipe); atomic output is cascade::OutputFile (cascade/output_file.hpp).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cascade/output_file.hpp"
#include "compression.hpp"  // AtomicWriter: output files, compressed by extension

namespace cascade::detail {

/// strerror(err) as a std::string.
std::string errno_text(int err);

/// "path: offset N: what", the prefix of every binary-file error.
std::string at_offset(const std::string& path, std::uint64_t offset, const std::string& what);

/// Printable excerpt of an input token for error messages: at most 40 characters, bytes outside
/// printable ASCII shown as \xNN.
std::string quote(std::string_view token);

/// FileError "path: binary data (a NUL byte at offset N), not a text graph file ..." when the
/// first 64 KiB of text hold a NUL byte (a .csr or image renamed, an unknown compression).
void refuse_binary(std::string_view text, const std::string& path);

/// Asks the kernel to back [data, data + bytes) with transparent huge pages before it is first
/// touched (fewer page faults when filling large arrays); a no-op for small ranges or where
/// unsupported.
void advise_huge_pages(void* data, std::size_t bytes);

/// The bytes of an input file. Kept alive by shared_ptr so a Graph can borrow them.
class InputFile {
 public:
  /// Opens path read-only and reads it into private memory (within the memory limit), so a file
  /// changed or truncated by another process afterwards cannot change or crash what was read;
  /// map = true maps a regular file instead (MAP_PRIVATE, pre-faulted: zero-copy, for trusted
  /// files only -- a truncation then raises SIGBUS). Devices are refused; pipes and FIFOs are
  /// read to their end (a FIFO without a writer reads as empty). FileError names the path when
  /// it is missing, a directory, a device, unreadable, or changes size while being read.
  /// gzip and zstd data (by their magic bytes) is decompressed while it is read (never mapped).
  static std::shared_ptr<const InputFile> open(const std::string& path, bool map = false);
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
  std::unique_ptr<char[]> buffer_;  // when not mapped
};

}  // namespace cascade::detail
