#pragma once
// Typed errors. Every error a user can cause (bad file, bad parameter, not enough memory) is
// one of these, with a one-line message that names the file, line or value. The CLI prints
// what() on one line and exits non-zero.
#include <cstdint>
#include <stdexcept>
#include <string>

namespace cascade {

/// Base of every error the library throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A parameter value is impossible (negative probability, zero vertices, ...).
class InvalidArgument : public Error {
 public:
  using Error::Error;
};

/// A file cannot be opened, read, parsed or written. The message starts with "path:line:" when a
/// line is known (text formats) or "path: offset N:" for binary files.
class FileError : public Error {
 public:
  using Error::Error;
};

/// A request would need more memory (or other resource) than allowed; the message gives the need.
class ResourceError : public Error {
 public:
  using Error::Error;
};

/// Builds "path:line: what" (line 0 omits the line).
std::string located(const std::string& path, std::uint64_t line, const std::string& what);

}  // namespace cascade
