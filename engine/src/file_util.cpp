#include "file_util.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "cascade/error.hpp"
#include "cascade/memory.hpp"

namespace cascade::detail {

std::string errno_text(int err) { return std::strerror(err); }

std::string at_offset(const std::string& path, std::uint64_t offset, const std::string& what) {
  return path + ": offset " + std::to_string(offset) + ": " + what;
}

std::string quote(std::string_view token) {
  constexpr std::size_t kMax = 40;
  std::string out = "'";
  for (std::size_t i = 0; i < token.size() && i < kMax; ++i) {
    const auto c = static_cast<unsigned char>(token[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  if (token.size() > kMax) out += "...";
  return out + "'";
}

void refuse_binary(std::string_view text, const std::string& path) {
  const std::size_t nul = text.substr(0, std::size_t{1} << 16).find('\0');
  if (nul == std::string_view::npos) return;
  throw FileError(at_offset(path, nul,
                            "binary data (a NUL byte), not a text graph file (read: edge lists, "
                            "Matrix Market, .csr by extension; gzip or zstd compressed)"));
}

void advise_huge_pages(void* data, std::size_t bytes) {
  constexpr std::uintptr_t kHuge = std::uintptr_t{1} << 21;
  if (bytes < 4 * kHuge) return;
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

namespace {

// Closes fd on scope exit.
struct FdGuard {
  int fd;
  ~FdGuard() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::shared_ptr<const InputFile> InputFile::open(const std::string& path, bool map) {
  // O_NONBLOCK: opening a FIFO for reading must not wait for a writer that may never come.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    const int err = errno;
    throw FileError(path + ": cannot open: " + errno_text(err));
  }
  FdGuard guard{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw FileError(path + ": cannot stat: " + errno_text(errno));
  if (S_ISDIR(st.st_mode)) throw FileError(path + ": is a directory, not a graph file");
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))  // /dev/zero, /dev/urandom, a terminal, a disk
    throw FileError(path + ": is a device, not a file (give a regular file, a pipe or a FIFO)");

  std::shared_ptr<InputFile> file(new InputFile());
  auto take = [&](std::vector<char>& bytes) {
    file->buffer_.reset(new char[std::max<std::size_t>(bytes.size(), 1)]);
    std::memcpy(file->buffer_.get(), bytes.data(), bytes.size());
    file->data_ = file->buffer_.get();
    file->size_ = bytes.size();
    return file;
  };
  if (S_ISREG(st.st_mode)) {
    char head[4];
    const ssize_t got = ::pread(fd, head, sizeof head, 0);
    const Compression kind =
        compression_from_magic({head, got > 0 ? static_cast<std::size_t>(got) : 0});
    if (kind != Compression::kNone) {
      std::vector<char> text;
      decompress_stream(fd, {}, kind, path, text);
      return take(text);
    }
  }
  if (S_ISREG(st.st_mode) && map) {
    file->size_ = static_cast<std::size_t>(st.st_size);
    if (file->size_ == 0) return file;  // mmap of 0 bytes is an error; nothing to map
    void* mapped = ::mmap(nullptr, file->size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (mapped == MAP_FAILED) throw FileError(path + ": cannot map: " + errno_text(errno));
    file->data_ = static_cast<const char*>(mapped);
    file->mapped_ = true;
    return file;
  }
  if (S_ISREG(st.st_mode)) {
    // A private copy: what is parsed and verified cannot change or vanish afterwards (a mapped
    // file truncated by another process raises SIGBUS at the next touch).
    const auto size = static_cast<std::uint64_t>(st.st_size);
    require_memory(size, path + ": reading " + format_bytes(size) + " into memory");
    file->buffer_.reset(new char[std::max<std::size_t>(size, 1)]);  // uninitialised
    std::size_t used = 0;
    while (used < size) {
      const ssize_t got = ::read(fd, file->buffer_.get() + used, size - used);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) throw FileError(path + ": read failed: " + errno_text(errno));
      if (got == 0) break;
      used += static_cast<std::size_t>(got);
    }
    char extra;
    if (used != size || ::read(fd, &extra, 1) > 0)
      throw FileError(path + ": the file changed size while it was read (" + std::to_string(size) +
                      " bytes when opened)");
    file->data_ = file->buffer_.get();
    file->size_ = size;
    return file;
  }
  // A pipe or FIFO: read it all, within the memory limit. A FIFO that has no writer reads as
  // end of file at once (an empty file), so nothing waits for a writer that never comes; once
  // a writer is there, reads block as usual.
  const int fl = ::fcntl(fd, F_GETFL);
  if (fl >= 0) ::fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
  constexpr std::size_t kBlock = std::size_t{1} << 20;
  std::vector<char> buffer(4);
  std::size_t used = 0;
  while (used < 4) {  // the magic bytes: a compressed stream is decompressed as it arrives
    const ssize_t got = ::read(fd, buffer.data() + used, 4 - used);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw FileError(path + ": read failed: " + errno_text(errno));
    if (got == 0) break;
    used += static_cast<std::size_t>(got);
  }
  const Compression kind = compression_from_magic({buffer.data(), used});
  if (kind != Compression::kNone) {
    std::vector<char> text;
    decompress_stream(fd, {buffer.data(), used}, kind, path, text);
    return take(text);
  }
  for (;;) {
    if (buffer.size() - used < kBlock) {
      require_memory(used + 4 * kBlock,
                     path + ": reading a pipe of more than " + format_bytes(used) + " into memory");
      buffer.resize(used + 4 * kBlock);
    }
    const ssize_t got = ::read(fd, buffer.data() + used, buffer.size() - used);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw FileError(path + ": read failed: " + errno_text(errno));
    }
    if (got == 0) break;
    used += static_cast<std::size_t>(got);
  }
  buffer.resize(used);
  return take(buffer);
}

InputFile::~InputFile() {
  if (mapped_) ::munmap(const_cast<char*>(data_), size_);
}

}  // namespace cascade::detail

namespace cascade {

std::string read_input_text(const std::string& path) {
  const auto file = detail::InputFile::open(path);
  return std::string(file->text());
}

}  // namespace cascade
