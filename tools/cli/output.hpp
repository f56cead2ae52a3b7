#pragma once
// Output files that are complete or absent, through cascade::OutputFile (cascade/output_file.hpp):
// a private temporary file renamed over the path; a device, FIFO or /dev/stdout written through;
// a directory or a symbolic link refused. The signal handlers (SIGINT, SIGTERM, SIGHUP, SIGPIPE,
// SIGXFSZ) remove temporary files and exit with 128 + signal. A command with several outputs
// writes them all before renaming any (write_text_files), so it leaves all or none.
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
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

/// Throws InvalidArgument (exit 2) unless write_graph_file can write path: "-" (stdout, an edge
/// list) or an extension of cascade::graph_output_extensions(). Called before any work is done.
void check_graph_output(const std::string& path);

/// Saves a graph in the format of path's extension (cascade::save_graph), removing the writer's
/// temporary file if interrupted; "-" writes an edge list on stdout. Throws FileError.
void write_graph_file(const Graph& g, const std::string& path);

/// JSON text with 2-space indentation, but arrays of numbers (and arrays of such arrays) kept on
/// one line, so curves and histograms stay readable; ends with a newline.
std::string json_text(const nlohmann::ordered_json& j);

/// The first key of every JSON document the program writes: {"name": "cascade.<name>",
/// "version": version}. A reader checks the name and refuses a version it does not know; the
/// version goes up when a key changes meaning or disappears (not when one is added).
nlohmann::ordered_json schema_json(const std::string& name, int version);

/// Whether a subcommand prints its human table on stdout, given the paths of its result
/// outputs (--json, -o, --csv, --plot ...; "" when not asked for): not when one of them is
/// stdout ("-"), which carries that output instead, and not with --quiet when the results went
/// to files (then only errors are printed).
bool table_wanted(bool quiet, std::initializer_list<std::string_view> outputs);

/// {"file": file, "vertices", "arcs", "symmetric", "weighted"}: the graph as simulate and
/// maximize report it.
nlohmann::ordered_json graph_json(const std::string& file, const Graph& g);

/// Sets j["model"] and the arc model beside it, as simulate and maximize report them: "influence"
/// for lt ("weights" or "1/in-degree"), else "probability" (weights, weighted-cascade or uniform
/// p).
void put_model_json(nlohmann::ordered_json& j, const std::string& model, bool use_weights,
                    bool weighted_cascade, double p);

/// generate / convert --json: what was written ({schema, command, output, vertices, arcs,
/// symmetric, weighted} then the keys of extra) into path ("-": stdout; "": nothing).
void write_summary_json(const std::string& path, const std::string& command, const Graph& g,
                        const std::string& output, const nlohmann::ordered_json& extra);

/// Creates directory dir (and parents). Throws FileError naming it.
void make_directory(const std::string& dir);

}  // namespace cascade::cli
