// Strict JSON reading for scenario files (json_reader.hpp).
#include "json_reader.hpp"

#include <cmath>
#include <sstream>
#include <vector>

#include "cascade/error.hpp"

namespace cascade::detail {

namespace {

// The deepest nesting of objects and arrays a scenario may have (real ones use 3 or 4).
constexpr std::size_t kMaxDepth = 64;

std::string show(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

}  // namespace

std::string excerpt(const Json& j) {
  constexpr std::size_t kMax = 60;
  if (j.is_object()) return "an object of " + std::to_string(j.size()) + " keys";
  if (j.is_array()) return "an array of " + std::to_string(j.size()) + " values";
  std::string text = j.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > kMax) text = text.substr(0, kMax) + "...";
  return text;
}

Json parse_strict(const std::string& text, const std::string& origin) {
  struct Frame {
    bool array = false;
    std::size_t index = 0;
    std::string key;
    std::set<std::string> keys;
  };
  std::vector<Frame> stack;
  const auto where = [&stack] {
    std::string path;
    for (const Frame& f : stack) {
      if (f.array) {
        path += "[" + std::to_string(f.index) + "]";
      } else if (&f != &stack.back()) {
        path += (path.empty() ? "" : ".") + f.key;
      }
    }
    return path;
  };
  const auto value_done = [&stack] {
    if (!stack.empty() && stack.back().array) ++stack.back().index;
  };
  const Json::parser_callback_t check = [&](int, Json::parse_event_t event, Json& parsed) {
    using E = Json::parse_event_t;
    switch (event) {
      case E::object_start:
      case E::array_start:
        if (stack.size() >= kMaxDepth)
          throw FileError(origin + ": JSON nested deeper than " + std::to_string(kMaxDepth) +
                          " levels");
        stack.emplace_back();
        stack.back().array = event == E::array_start;
        break;
      case E::key: {
        Frame& f = stack.back();
        f.key = parsed.get<std::string>();
        if (!f.keys.insert(f.key).second) {
          const std::string parent = where();
          const std::string key = f.key.size() > 60 ? f.key.substr(0, 60) + "..." : f.key;
          throw FileError(origin + ": duplicate key '" + (parent.empty() ? "" : parent + ".") +
                          key + "'");
        }
        break;
      }
      case E::object_end:
      case E::array_end:
        stack.pop_back();
        value_done();
        break;
      case E::value:
        value_done();
        break;
    }
    return true;
  };
  try {
    return Json::parse(text, check);
  } catch (const Json::exception& e) {  // syntax errors, numbers out of range
    std::string what = e.what();
    constexpr std::size_t kMax = 200;  // the parser quotes the last token read: keep it short
    if (what.size() > kMax) what = what.substr(0, kMax) + "...";
    for (char& c : what)
      if (c == '\n' || c == '\r') c = ' ';
    throw FileError(origin + ": invalid JSON: " + what);
  }
}

Reader::Reader(const Json& object, std::string prefix, std::string origin)
    : object_(object), prefix_(std::move(prefix)), origin_(std::move(origin)) {
  if (!object_.is_object()) fail("", "expected a JSON object");
}

void Reader::fail(const std::string& key, const std::string& what) const {
  const std::string name = prefix_ + key;
  throw FileError(origin_ + ": " + (name.empty() ? "" : "key '" + name + "': ") + what);
}

const Json* Reader::find(const std::string& key) {
  used_.insert(key);
  const auto it = object_.find(key);
  return it == object_.end() ? nullptr : &*it;
}

double Reader::number(const std::string& key, double fallback) {
  const Json* j = find(key);
  if (!j) return fallback;
  if (!j->is_number()) fail(key, "expected a number, got " + excerpt(*j));
  const double x = j->get<double>();
  if (!std::isfinite(x)) fail(key, "expected a finite number, got " + excerpt(*j));
  return x;
}

double Reader::probability(const std::string& key, double fallback) {
  const double p = number(key, fallback);
  if (!(p >= 0.0 && p <= 1.0)) fail(key, "expected a probability in [0, 1], got " + show(p));
  return p;
}

double Reader::non_negative(const std::string& key, double fallback) {
  const double x = number(key, fallback);
  if (!(x >= 0.0) || !std::isfinite(x)) fail(key, "expected a number >= 0, got " + show(x));
  return x;
}

double Reader::positive(const std::string& key, double fallback) {
  const double x = number(key, fallback);
  if (!(x > 0.0) || !std::isfinite(x)) fail(key, "expected a number > 0, got " + show(x));
  return x;
}

std::uint64_t Reader::count(const std::string& key, std::uint64_t fallback) {
  const Json* j = find(key);
  if (!j) return fallback;
  if (!j->is_number_unsigned() && !(j->is_number_integer() && j->get<std::int64_t>() >= 0))
    fail(key, "expected a non-negative integer, got " + excerpt(*j));
  return j->get<std::uint64_t>();
}

std::uint64_t Reader::count_in(const std::string& key, std::uint64_t fallback, std::uint64_t lo,
                               std::uint64_t hi) {
  const std::uint64_t x = count(key, fallback);
  if (x < lo || x > hi)
    fail(key, "expected an integer in " + std::to_string(lo) + " .. " + std::to_string(hi) +
                  ", got " + std::to_string(x));
  return x;
}

bool Reader::boolean(const std::string& key, bool fallback) {
  const Json* j = find(key);
  if (!j) return fallback;
  if (!j->is_boolean()) fail(key, "expected true or false, got " + excerpt(*j));
  return j->get<bool>();
}

std::string Reader::string(const std::string& key, const std::string& fallback) {
  const Json* j = find(key);
  if (!j) return fallback;
  if (!j->is_string()) fail(key, "expected a string, got " + excerpt(*j));
  return j->get<std::string>();
}

Reader Reader::object(const std::string& key) {
  static const Json kEmpty = Json::object();
  const Json* j = find(key);
  return Reader(j ? *j : kEmpty, prefix_ + key + ".", origin_);
}

void Reader::finish(const std::string& context) const {
  for (const auto& item : object_.items())
    if (!used_.count(item.key()))
      fail(item.key(), "unknown key" + (context.empty() ? "" : " (" + context + ")"));
}

}  // namespace cascade::detail
