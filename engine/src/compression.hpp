#pragma once
// Internal: gzip (zlib) and zstd (libzstd) streams. Input is recognised by its magic bytes
// whatever the file is called, and decompressed while it is read (1 MiB of compressed bytes at a
// time, straight into the text the parsers read); output is compressed by the extension of the
// path (.gz, .zst) while it is written.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cascade/output_file.hpp"

namespace cascade::detail {

enum class Compression { kNone, kGzip, kZstd };

/// The compression named by the first bytes of a file (gzip 1f 8b, zstd 28 b5 2f fd).
Compression compression_from_magic(std::string_view head);

/// The compression named by the extension of path (.gz, .zst; case-insensitive).
Compression compression_from_path(const std::string& path);

/// path without a trailing .gz / .zst (the name that carries the graph format).
std::string strip_compression_extension(const std::string& path);

/// Decompresses the stream read from fd (after `head`, bytes already read from it) into out,
/// within the memory limit. FileError naming path for corrupt or truncated data.
void decompress_stream(int fd, std::string_view head, Compression kind, const std::string& path,
                       std::vector<char>& out);

/// An output file compressed by the extension of its path (none, .gz or .zst), complete or
/// absent like cascade::OutputFile. Interface of OutputFile: write(), commit().
class AtomicWriter {
 public:
  explicit AtomicWriter(const std::string& path);
  ~AtomicWriter();
  AtomicWriter(const AtomicWriter&) = delete;
  AtomicWriter& operator=(const AtomicWriter&) = delete;
  void write(const void* data, std::size_t bytes);
  void write(std::string_view s) { write(s.data(), s.size()); }
  /// Ends the compressed stream, then commits the file.
  void commit();

 private:
  struct Codec;
  OutputFile file_;
  std::unique_ptr<Codec> codec_;  // null when not compressed
};

}  // namespace cascade::detail
