#pragma once
// Output files that are complete or absent, through cascade::OutputFile (cascade/output_file.hpp):
// a private temporary file renamed over the path; a device, FIFO or /dev/stdout written through;
// a directory or a symbolic link refused. The signal handlers (SIGINT, SIGTERM, SIGHUP, SIGPIPE,
// SIGXFSZ) remove temporary files and exit with 128 + signal. A command with several outputs
// writes them all before renaming any (write_text_files), so it leaves all or none.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "cascade/graph.hpp"

namespace cascade::cli {

/// Installs the signal handlers that remove temporary files (once, at start-up).
void install_signal_handlers();

/// Throws UsageError when two of the named outputs ({flag, path}; empty paths ignored) are the
/// same file (same path, or the same existing file by device and inode): "--csv: X is also
/// the output of --json".
void check_distinct_outputs(const std::vector<std::pair<std::string, std::string>>& outputs);

/// Writes text to path atomically (temporary + rename); "-" writes to stdout. Throws FileError
/// naming the path.
void write_text_file(const std::string& path, const std::string& text);

/// Writes several {path, text} outputs, all or none: every file is written and closed before any
/// is renamed into place ("-" is stdout, written last). Throws FileError naming the path.
void write_text_files(const std::vector<std::pair<std::string, std::string>>& files);

/// Saves a graph in the format of path's extension (cascade::save_graph), removing the writer's
/// temporary file if interrupted. Throws FileError.
void write_graph_file(const Graph& g, const std::string& path);

/// JSON text with 2-space indentation, but arrays of numbers (and arrays of such arrays) kept on
/// one line, so curves and histograms stay readable; ends with a newline.
std::string json_text(const nlohmann::ordered_json& j);

/// Creates directory dir (and parents). Throws FileError naming it.
void make_directory(const std::string& dir);

}  // namespace cascade::cli
