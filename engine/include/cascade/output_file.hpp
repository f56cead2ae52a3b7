#pragma once
// Output files that are complete or absent, and that cannot be turned against the user.
//
// A regular output (or a new one) is written to a temporary file created exclusively
// (O_CREAT|O_EXCL|O_NOFOLLOW, a random name ".cascade.tmp-XXXXXXXXXXXX" in the output's own
// directory, mode 0666 minus the umask) and renamed over the path by commit(). The name does not
// depend on the output's name, so it never exceeds NAME_MAX and cannot be predicted or planted.
// What already sits at the path decides the rest:
//   - a device, FIFO or socket (/dev/null, /dev/full, a terminal): written through directly,
//     never replaced (what is written cannot be taken back);
//   - /dev/stdout, /dev/stderr, /dev/fd/N: the process's own descriptor, written through;
//   - a directory: refused ("is a directory");
//   - any other symbolic link (to a file, or dangling): refused, never followed or replaced.
// While a temporary file exists it is locked (flock) and registered with the handlers of
// remove_temporary_files_on_signals(). A process killed by SIGKILL leaves its temporary file;
// the next OutputFile created in the same directory removes such leftovers: files of the
// fixed pattern, owned by this user, unlocked (their writer is gone) and at least a minute old.
#include <cstddef>
#include <string>
#include <string_view>

namespace cascade {

/// Prefix of every temporary file name (followed by 12 random letters and digits).
inline constexpr std::string_view kTempFilePrefix = ".cascade.tmp-";

/// Installs handlers for SIGINT, SIGTERM, SIGHUP, SIGPIPE and SIGXFSZ that remove the temporary
/// files of every live OutputFile, print "cascade: interrupted" and exit with 128 + signal; and
/// for SIGBUS (a mapped trusted .csr truncated under the process), the same cleanup, one error
/// line and exit 1.
/// For programs (the cascade CLI calls it first thing); a library user may keep their own.
void remove_temporary_files_on_signals();
/// Blocks forever when one of those handlers is running on another thread (it is about to exit
/// with 128 + signal); returns at once otherwise. For error paths: a write that failed because
/// the handler removed its temporary file must not exit 1 before the handler exits 128 + signal.
void wait_if_exiting_on_signal();

/// One output file. Every failure is a FileError naming the path (and the errno text).
class OutputFile {
 public:
  /// Checks what is at path (see above) and opens the temporary file or the device.
  explicit OutputFile(std::string path);
  /// Removes the temporary file unless committed.
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  /// Writes all bytes (loops over short writes and EINTR).
  void write(const void* data, std::size_t bytes);
  void write(std::string_view s) { write(s.data(), s.size()); }
  /// Closes the file, so that every write error (a full disk) has surfaced; renames nothing.
  /// Several outputs of one command: finish() each, then commit() each (all or none).
  void finish();
  /// finish() if not done, then renames the temporary file over path.
  void commit();
  /// True when the output is written through (device, FIFO, standard stream), not renamed.
  bool direct() const { return temp_.empty(); }
  const std::string& path() const { return path_; }

 private:
  [[noreturn]] void fail(const std::string& what, int err);
  std::string path_;
  std::string temp_;  // empty when written through
  int fd_ = -1;
  int slot_ = -1;  // in the signal handler's table
  bool finished_ = false, committed_ = false;
};

}  // namespace cascade
