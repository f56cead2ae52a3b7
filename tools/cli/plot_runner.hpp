#pragma once
// Runs tools/plot.py (python3 + matplotlib) from the CLI.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace cascade::cli {

/// A python interpreter that can import matplotlib: $CASCADE_PYTHON, python3 on PATH, then
/// /usr/bin/python3. Throws FileError (one line, with the fix) when none can.
std::string find_plot_python();

/// plot.py: $CASCADE_PLOT_SCRIPT, next to the executable's install prefix (share/cascade),
/// the source tree the executable was built from (tools/plot.py), the install data dir.
/// Throws FileError when it is nowhere.
std::string find_plot_script();

/// Runs `python plot.py args...`, its output passed through to stderr; throws Error with the
/// exit status when it fails.
void run_plot(const std::string& python, const std::string& script,
              const std::vector<std::string>& args);

/// Adds --plot-format png|pdf|svg (the file format of every --plot figure; default png).
void add_plot_format_option(CLI::App* sub, std::string& format);

/// Draws the figures of a JSON report into plot_dir in the given format (png, pdf or svg):
/// plot.py reads a file, so when the report went to no file or to stdout (json_path "" or "-")
/// it is also written to plot_dir/copy_name. extra_args go to plot.py as they are.
void plot_json_report(const std::string& python, const std::string& script, const std::string& json,
                      const std::string& json_path, const std::string& plot_dir,
                      const std::string& copy_name, const std::string& format, bool quiet,
                      const std::vector<std::string>& extra_args = {});

/// Runs a program (PATH lookup) and returns its exit status (-1 if it could not start).
/// Output is discarded when silent.
int spawn_wait(const std::vector<std::string>& argv, bool silent);

}  // namespace cascade::cli
