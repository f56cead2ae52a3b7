#pragma once
// The command-line grammar shared by every subcommand: checks applied to every numeric option
// (readable "not a number" / "must be in [0, 1]" messages instead of CLI11's 309-digit bounds),
// "did you mean" for mistyped flags and subcommands, and the one meaning of --json [FILE].
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace cascade::cli {

/// Applies the number checks to every option of every subcommand of app (call once, after all
/// subcommands registered): a FLOAT option must be a finite number, a UINT option a plain
/// decimal in 0 .. 2^64 - 1, an INT option an integer; a value that is not a number says so
/// before any range check; range messages print their bounds readably.
void add_number_checks(CLI::App& app);

/// " (did you mean --trials?)" for the closest option of sub (or the closest subcommand of app
/// when word is not a flag and no subcommand was given), "" when nothing is close.
std::string did_you_mean(const CLI::App& app, const CLI::App* sub, const std::string& word);

/// Adds `--json [FILE]`: alone or with '-', JSON on stdout; with FILE, JSON into FILE. A value
/// that starts with '-' (other than '-' itself) is never taken as a file name. path stays ""
/// when the flag is absent. `what` names the document ("the JSON report").
CLI::Option* add_json_option(CLI::App* sub, std::string& path, const std::string& what);

/// A double printed readably in messages: shortest round-trip form ("0.1", "1e+300", "5").
std::string readable(double v);

}  // namespace cascade::cli
