#include "compression.hpp"

#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "cascade/error.hpp"
#include "cascade/memory.hpp"
#include "file_util.hpp"

namespace cascade::detail {

namespace {

constexpr std::size_t kChunk = std::size_t{1} << 20;

std::string lower_extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

const char* name_of(Compression kind) { return kind == Compression::kGzip ? "gzip" : "zstd"; }

// Reads up to kChunk bytes of fd into buf; the count (0 at end of file).
std::size_t read_chunk(int fd, char* buf, const std::string& path) {
  for (;;) {
    const ssize_t got = ::read(fd, buf, kChunk);
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno != EINTR) throw FileError(path + ": read failed: " + errno_text(errno));
  }
}

// Room for at least kChunk more bytes at the end of out (used bytes: `used`).
void grow(std::vector<char>& out, std::size_t used, const std::string& path) {
  if (out.size() - used >= kChunk) return;
  const std::size_t want = std::max(2 * out.size(), used + 4 * kChunk);
  require_memory(want, path + ": decompressing more than " + format_bytes(used) + " into memory");
  out.resize(want);
}

// Passes head, then each chunk read from fd until its end, to decode(input) (a string_view of
// compressed bytes, consumed whole); consumed counts the bytes passed, for messages.
template <class Decode>
void for_each_chunk(int fd, std::string_view head, const std::string& path, std::uint64_t& consumed,
                    Decode&& decode) {
  std::vector<char> in(kChunk);
  std::string_view input = head;
  for (;;) {
    if (input.empty()) {
      const std::size_t got = read_chunk(fd, in.data(), path);
      if (got == 0) return;
      input = {in.data(), got};
    }
    decode(input);
    consumed += input.size();
    input = {};
  }
}

}  // namespace

Compression compression_from_magic(std::string_view head) {
  if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
      static_cast<unsigned char>(head[1]) == 0x8b)
    return Compression::kGzip;
  if (head.size() >= 4 && head.substr(0, 4) == std::string_view("\x28\xb5\x2f\xfd", 4))
    return Compression::kZstd;
  return Compression::kNone;
}

Compression compression_from_path(const std::string& path) {
  const std::string ext = lower_extension(path);
  if (ext == ".gz") return Compression::kGzip;
  if (ext == ".zst") return Compression::kZstd;
  return Compression::kNone;
}

std::string strip_compression_extension(const std::string& path) {
  if (compression_from_path(path) == Compression::kNone) return path;
  return path.substr(0, path.size() - std::filesystem::path(path).extension().string().size());
}

void decompress_stream(int fd, std::string_view head, Compression kind, const std::string& path,
                       std::vector<char>& out) {
  std::size_t used = 0;        // bytes of out filled
  std::uint64_t consumed = 0;  // compressed bytes read, for messages
  auto corrupt = [&](const std::string& what) {
    throw FileError(path + ": corrupt " + std::string(name_of(kind)) + " data (after " +
                    std::to_string(consumed) + " compressed bytes): " + what);
  };
  bool pending = false;  // a stream (gzip member, zstd frame) started and not yet ended
  if (kind == Compression::kGzip) {
    z_stream z{};
    if (inflateInit2(&z, 15 + 32) != Z_OK) throw ResourceError(path + ": zlib inflateInit failed");
    struct End {
      z_stream* z;
      ~End() { inflateEnd(z); }
    } end{&z};
    for_each_chunk(fd, head, path, consumed, [&](std::string_view input) {
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
      z.avail_in = static_cast<uInt>(input.size());
      while (z.avail_in > 0) {
        grow(out, used, path);
        z.next_out = reinterpret_cast<Bytef*>(out.data() + used);
        z.avail_out = static_cast<uInt>(std::min<std::size_t>(out.size() - used, 1u << 30));
        pending = true;
        const int rc = inflate(&z, Z_NO_FLUSH);
        used = static_cast<std::size_t>(reinterpret_cast<char*>(z.next_out) - out.data());
        if (rc == Z_STREAM_END) {
          pending = false;
          inflateReset(&z);  // another gzip member may follow (concatenated .gz files)
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
          corrupt(z.msg ? z.msg : "inflate error " + std::to_string(rc));
        }
      }
    });
  } else {
    ZSTD_DStream* z = ZSTD_createDStream();
    if (z == nullptr) throw ResourceError(path + ": ZSTD_createDStream failed");
    struct End {
      ZSTD_DStream* z;
      ~End() { ZSTD_freeDStream(z); }
    } end{z};
    for_each_chunk(fd, head, path, consumed, [&](std::string_view input) {
      ZSTD_inBuffer zin{input.data(), input.size(), 0};
      while (zin.pos < zin.size) {
        grow(out, used, path);
        ZSTD_outBuffer zout{out.data() + used, out.size() - used, 0};
        const std::size_t rc = ZSTD_decompressStream(z, &zout, &zin);
        used += zout.pos;
        if (ZSTD_isError(rc)) corrupt(ZSTD_getErrorName(rc));
        pending = rc != 0;  // 0: a frame ended exactly here
      }
    });
  }
  if (pending)
    throw FileError(path + ": truncated " + std::string(name_of(kind)) +
                    " data (the file ends inside a compressed stream)");
  out.resize(used);
}

struct AtomicWriter::Codec {
  Compression kind = Compression::kNone;
  z_stream z{};
  ZSTD_CStream* zs = nullptr;
  std::vector<char> buf = std::vector<char>(kChunk);
  ~Codec() {
    if (kind == Compression::kGzip) deflateEnd(&z);
    if (zs != nullptr) ZSTD_freeCStream(zs);
  }
};

AtomicWriter::AtomicWriter(const std::string& path) : file_(path) {
  const Compression kind = compression_from_path(path);
  if (kind == Compression::kNone) return;
  codec_ = std::make_unique<Codec>();
  if (kind == Compression::kGzip) {
    // 15 + 16: a gzip header and trailer; level 6 (zlib's default).
    if (deflateInit2(&codec_->z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      throw ResourceError(path + ": zlib deflateInit failed");
    codec_->kind = kind;
  } else {
    // Level 3 (zstd's default) with a content checksum, so corrupt data is detected on input.
    codec_->zs = ZSTD_createCStream();
    if (codec_->zs == nullptr ||
        ZSTD_isError(ZSTD_CCtx_setParameter(codec_->zs, ZSTD_c_compressionLevel, 3)) ||
        ZSTD_isError(ZSTD_CCtx_setParameter(codec_->zs, ZSTD_c_checksumFlag, 1)))
      throw ResourceError(path + ": ZSTD_createCStream failed");
    codec_->kind = kind;
  }
}

AtomicWriter::~AtomicWriter() = default;

void AtomicWriter::write(const void* data, std::size_t bytes) {
  if (!codec_) return file_.write(data, bytes);
  Codec& c = *codec_;
  if (c.kind == Compression::kGzip) {
    const char* p = static_cast<const char*>(data);
    while (bytes > 0) {
      const std::size_t part = std::min<std::size_t>(bytes, 1u << 30);
      c.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(p));
      c.z.avail_in = static_cast<uInt>(part);
      while (c.z.avail_in > 0) {
        c.z.next_out = reinterpret_cast<Bytef*>(c.buf.data());
        c.z.avail_out = static_cast<uInt>(c.buf.size());
        deflate(&c.z, Z_NO_FLUSH);
        file_.write(c.buf.data(), c.buf.size() - c.z.avail_out);
      }
      p += part;
      bytes -= part;
    }
    return;
  }
  ZSTD_inBuffer in{data, bytes, 0};
  while (in.pos < in.size) {
    ZSTD_outBuffer out{c.buf.data(), c.buf.size(), 0};
    const std::size_t rc = ZSTD_compressStream2(c.zs, &out, &in, ZSTD_e_continue);
    if (ZSTD_isError(rc)) throw ResourceError(file_.path() + ": " + ZSTD_getErrorName(rc));
    file_.write(c.buf.data(), out.pos);
  }
}

void AtomicWriter::commit() {
  if (codec_) {
    Codec& c = *codec_;
    if (c.kind == Compression::kGzip) {
      c.z.avail_in = 0;
      int rc = Z_OK;
      while (rc != Z_STREAM_END) {
        c.z.next_out = reinterpret_cast<Bytef*>(c.buf.data());
        c.z.avail_out = static_cast<uInt>(c.buf.size());
        rc = deflate(&c.z, Z_FINISH);
        file_.write(c.buf.data(), c.buf.size() - c.z.avail_out);
      }
    } else {
      std::size_t left = 1;
      while (left != 0) {
        ZSTD_outBuffer out{c.buf.data(), c.buf.size(), 0};
        left = ZSTD_endStream(c.zs, &out);
        if (ZSTD_isError(left)) throw ResourceError(file_.path() + ": " + ZSTD_getErrorName(left));
        file_.write(c.buf.data(), out.pos);
      }
    }
  }
  file_.commit();
}

}  // namespace cascade::detail
