#pragma once
// Output files that are complete or absent. Text outputs (JSON, CSV) are written to
// "<path>.tmp-<pid>" and renamed over path, like the library's graph writers. While a temporary
// file exists it is registered with the SIGINT/SIGTERM handler, which removes it and exits with
// 128 + signal (130 for Ctrl-C), so an interrupted run leaves neither a partial file nor litter.
#include <nlohmann/json.hpp>
#include <string>

#include "cascade/graph.hpp"

namespace cascade::cli {

/// Installs the SIGINT / SIGTERM handler (once, at start-up).
void install_signal_handlers();

/// The temporary name the writers use for path: "<path>.tmp-<pid>".
std::string temp_name(const std::string& path);

/// While alive, the signal handler removes `path` (a temporary file) before exiting.
class TempFileGuard {
 public:
  explicit TempFileGuard(const std::string& path);
  ~TempFileGuard();
  TempFileGuard(const TempFileGuard&) = delete;
  TempFileGuard& operator=(const TempFileGuard&) = delete;

 private:
  int slot_ = -1;
};

/// Writes text to path atomically (temporary + rename); "-" writes to stdout. Throws FileError
/// naming the path.
void write_text_file(const std::string& path, const std::string& text);

/// Saves a graph in the format of path's extension (cascade::save_graph), removing the writer's
/// temporary file if interrupted. Throws FileError.
void write_graph_file(const Graph& g, const std::string& path);

/// JSON text with 2-space indentation, but arrays of numbers (and arrays of such arrays) kept on
/// one line, so curves and histograms stay readable; ends with a newline.
std::string json_text(const nlohmann::ordered_json& j);

/// Creates directory dir (and parents). Throws FileError naming it.
void make_directory(const std::string& dir);

}  // namespace cascade::cli
