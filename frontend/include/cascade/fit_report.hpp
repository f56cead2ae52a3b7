#pragma once
// The files of `cascade fit`: the tree CSV it reads (the columns `cascade mobilize --trees`
// writes, cascade/trees.hpp), the summaries file that carries a published record's statistics
// without a tree, and the fit report (JSON; schema in tools/cli/OUTPUT.md).
#include <string>
#include <vector>

#include "cascade/fit.hpp"
#include "cascade/tree_summaries.hpp"

namespace cascade {

/// Reads recruitment trees from CSV text: a header naming the columns trial, regime, person,
/// recruiter, join_hours, found_target (any order; other columns ignored), then one row per
/// member; one tree per (trial, regime), in order of first appearance. Throws FileError
/// "origin:LINE: what" for a missing column, a malformed row or field, a negative or non-finite
/// time, a duplicate person, an unknown recruiter, a member who joins before its recruiter, a
/// recruiter cycle, or no rows. O(rows log rows).
std::vector<RecruitmentTree> parse_trees_csv(const std::string& text, const std::string& origin);

/// Groups trees by regime (first appearance) and summarises each, sign-ups counted at hours.
std::vector<TreeSummaries> summaries_by_regime(const std::vector<RecruitmentTree>& trees,
                                               const std::vector<double>& hours);

/// Reads a summaries file (format in data/records/README.md): per regime the published
/// statistics, any of them absent or null when unknown. Throws FileError "origin: key 'x': what"
/// for bad JSON, unknown keys and bad values.
std::vector<TreeSummaries> parse_summaries_json(const std::string& text, const std::string& origin);

/// True when the text is JSON (a summaries file) rather than CSV (trees).
bool looks_like_json(const std::string& text);

/// The whole file as text; FileError naming it when it cannot be read.
std::string read_data_file(const std::string& path);

/// The fit as JSON (schema in tools/cli/OUTPUT.md); data names the file fitted.
std::string to_json(const FitResult& fit, const std::string& data);

/// A short text report: per key the posterior and the identifiability verdict.
std::string format_table(const FitResult& fit);

}  // namespace cascade
