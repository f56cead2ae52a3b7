#include "output.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "cascade/error.hpp"
#include "cascade/io.hpp"
#include "cascade/output_file.hpp"
#include "cli.hpp"

namespace cascade::cli {

void install_signal_handlers() { remove_temporary_files_on_signals(); }

void check_distinct_outputs(const std::vector<std::pair<std::string, std::string>>& outputs) {
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    for (std::size_t k = 0; k < i; ++k) {
      const auto& [flag, path] = outputs[i];
      const auto& [first_flag, first_path] = outputs[k];
      if (path.empty() || first_path.empty()) continue;
      if (path == "-" && first_path == "-")
        throw UsageError(flag + ": stdout ('-') is also the output of " + first_flag);
      if (path == "-" || first_path == "-") continue;
      struct stat a {
      }, b{};
      const bool same_file = ::stat(path.c_str(), &a) == 0 && ::stat(first_path.c_str(), &b) == 0 &&
                             a.st_dev == b.st_dev && a.st_ino == b.st_ino && S_ISREG(a.st_mode);
      if (path == first_path || same_file)
        throw UsageError(flag + ": " + path + " is also the output of " + first_flag);
    }
  }
}

void write_text_files(const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<std::unique_ptr<OutputFile>> outputs;
  for (const auto& [path, text] : files) {
    if (path.empty() || path == "-") continue;
    outputs.push_back(std::make_unique<OutputFile>(path));
    outputs.back()->write(text);
  }
  for (auto& out : outputs) out->finish();  // every write error (a full disk) surfaces here
  for (auto& out : outputs) out->commit();
  for (const auto& [path, text] : files) {
    if (path != "-") continue;
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  }
}

void write_text_file(const std::string& path, const std::string& text) {
  write_text_files({{path, text}});
}

void check_graph_output(const std::string& path) {
  if (path != "-") check_graph_output_path(path);
}

void write_graph_file(const Graph& g, const std::string& path) {
  std::fflush(stdout);
  save_graph(g, path == "-" ? "/dev/stdout" : path);
}

std::string json_text(const nlohmann::ordered_json& j) {
  const std::string in = j.dump(2);
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '"') {  // a string is copied as it is: brackets inside it are text
      std::size_t k = i + 1;
      while (k < in.size() && in[k] != '"') k += in[k] == '\\' ? 2 : 1;
      out.append(in, i, k + 1 - i);
      i = k;
      continue;
    }
    if (in[i] != '[') {
      out += in[i];
      continue;
    }
    // Find the matching ']' unless an object or a string comes first.
    std::size_t depth = 0, k = i;
    bool plain = true;
    for (; k < in.size(); ++k) {
      const char c = in[k];
      if (c == '{' || c == '"') {
        plain = false;
        break;
      }
      if (c == '[') ++depth;
      if (c == ']' && --depth == 0) break;
    }
    if (!plain || k == in.size()) {
      out += in[i];
      continue;
    }
    // Collapse the whitespace of in[i..k]: "[\n    1,\n    2\n  ]" -> "[1, 2]".
    for (std::size_t m = i; m <= k; ++m) {
      const char c = in[m];
      if (c == '\n' || c == ' ') continue;
      out += c;
      if (c == ',') out += ' ';
    }
    i = k;
  }
  return out + "\n";
}

nlohmann::ordered_json schema_json(const std::string& name, int version) {
  return {{"name", "cascade." + name}, {"version", version}};
}

bool table_wanted(bool quiet, std::initializer_list<std::string_view> outputs) {
  bool to_file = false;
  for (const std::string_view path : outputs) {
    if (path == "-") return false;
    to_file = to_file || !path.empty();
  }
  return !(quiet && to_file);
}

nlohmann::ordered_json graph_json(const std::string& file, const Graph& g) {
  return {{"file", file},
          {"vertices", g.num_vertices()},
          {"arcs", g.num_arcs()},
          {"symmetric", g.is_symmetric()},
          {"weighted", g.has_weights()}};
}

void put_model_json(nlohmann::ordered_json& j, const std::string& model, bool use_weights,
                    bool weighted_cascade, double p) {
  j["model"] = model;
  if (model == "lt")
    j["influence"] = use_weights ? "weights" : "1/in-degree";
  else if (use_weights)
    j["probability"] = {{"kind", "weights"}};
  else if (weighted_cascade)
    j["probability"] = {{"kind", "weighted-cascade"}};
  else
    j["probability"] = {{"kind", "uniform"}, {"p", p}};
}

void write_summary_json(const std::string& path, const std::string& command, const Graph& g,
                        const std::string& output, const nlohmann::ordered_json& extra) {
  if (path.empty()) return;
  nlohmann::ordered_json j;
  j["schema"] = schema_json(command, 1);
  j["command"] = command;
  j["output"] = output;
  j["vertices"] = g.num_vertices();
  j["arcs"] = g.num_arcs();
  j["symmetric"] = g.is_symmetric();
  j["weighted"] = g.has_weights();
  for (const auto& [key, value] : extra.items()) j[key] = value;
  write_text_file(path, json_text(j));
}

void make_directory(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    throw FileError(dir + ": cannot create directory" + (ec ? ": " + ec.message() : ""));
}

}  // namespace cascade::cli
