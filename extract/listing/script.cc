#include "extract/listing/script.h"

#include <cctype>

namespace nianbao::extract::listing {
namespace {

bool IdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

constexpr long kMaxCount = 10'000'000;

// Index just past the string literal that starts at s[i] (a quote).
size_t SkipString(std::string_view s, size_t i) {
  const char q = s[i];
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == q || s[i] == '\n') {
      return i + 1;
    }
  }
  return s.size();
}

// Where `key` occurs in text as a whole identifier.
std::vector<size_t> KeyPositions(std::string_view text, std::string_view key) {
  std::vector<size_t> at;
  if (key.empty()) return at;
  for (size_t i = text.find(key); i != std::string_view::npos; i = text.find(key, i + 1)) {
    const bool before = i > 0 && IdentChar(text[i - 1]) && IdentChar(key.front());
    const size_t end = i + key.size();
    const bool after = end < text.size() && IdentChar(text[end]) && IdentChar(key.back());
    if (!before && !after) at.push_back(i);
  }
  return at;
}

}  // namespace

std::string StripScriptComments(std::string_view js) {
  std::string out;
  out.reserve(js.size());
  for (size_t i = 0; i < js.size();) {
    const char c = js[i];
    if (c == '"' || c == '\'' || c == '`') {
      size_t end = SkipString(js, i);
      out.append(js.substr(i, end - i));
      i = end;
    } else if (c == '/' && i + 1 < js.size() && js[i + 1] == '/') {
      // A line comment, unless it is the "//" of a URL written outside a string (rare; kept as code).
      if (i > 0 && js[i - 1] == ':') {
        out.push_back(c);
        ++i;
        continue;
      }
      i = js.find('\n', i);
      if (i == std::string_view::npos) i = js.size();
    } else if (c == '/' && i + 1 < js.size() && js[i + 1] == '*') {
      size_t end = js.find("*/", i + 2);
      i = end == std::string_view::npos ? js.size() : end + 2;
      out.push_back(' ');
    } else if (js.compare(i, 4, "<!--") == 0) {
      i += 4;
    } else if (js.compare(i, 3, "-->") == 0) {
      i += 3;
    } else {
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

std::vector<std::vector<std::string>> CallArgs(std::string_view js, std::string_view name, size_t limit) {
  std::vector<std::vector<std::string>> calls;
  for (size_t at : KeyPositions(js, name)) {
    if (calls.size() >= limit) break;
    size_t i = at + name.size();
    while (i < js.size() && (js[i] == ' ' || js[i] == '\t')) ++i;
    if (i >= js.size() || js[i] != '(') continue;
    std::vector<std::string> args;
    std::string cur;
    int depth = 0;
    bool closed = false;
    for (++i; i < js.size() && !closed; ++i) {
      const char c = js[i];
      if (c == '"' || c == '\'' || c == '`') {
        size_t end = SkipString(js, i);
        if (depth == 0) {
          cur += js.substr(i + 1, end >= i + 2 ? end - i - 2 : 0);
        } else {
          cur += js.substr(i, end - i);
        }
        i = end - 1;
      } else if (c == '(' || c == '{' || c == '[') {
        ++depth;
        cur.push_back(c);
      } else if ((c == ')' || c == '}' || c == ']') && depth > 0) {
        --depth;
        cur.push_back(c);
      } else if (c == ')') {
        closed = true;
      } else if (c == ',' && depth == 0) {
        args.push_back(cur);
        cur.clear();
      } else {
        cur.push_back(c);
      }
    }
    if (!closed) continue;
    args.push_back(cur);
    for (auto& a : args) {
      size_t b = a.find_first_not_of(" \t\r\n");
      size_t e = a.find_last_not_of(" \t\r\n");
      a = b == std::string::npos ? "" : a.substr(b, e - b + 1);
    }
    if (args.size() == 1 && args[0].empty()) args.clear();
    calls.push_back(std::move(args));
  }
  return calls;
}

std::vector<long> NumbersAfter(std::string_view text, std::string_view key) {
  std::vector<long> out;
  for (size_t at : KeyPositions(text, key)) {
    size_t i = at + key.size();
    while (i < text.size() && std::string_view(" \t:='\"").find(text[i]) != std::string_view::npos) ++i;
    size_t j = i;
    long v = 0;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j])) && v <= kMaxCount) {
      v = v * 10 + (text[j] - '0');
      ++j;
    }
    if (j > i && v <= kMaxCount) out.push_back(v);
  }
  return out;
}

std::optional<long> NumberAfter(std::string_view text, std::string_view key) {
  auto all = NumbersAfter(text, key);
  if (all.empty()) return std::nullopt;
  return all.front();
}

std::optional<std::string> StringAfter(std::string_view text, std::string_view key) {
  for (size_t at : KeyPositions(text, key)) {
    size_t i = at + key.size();
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '"' || text[i] == '\'')) {
      if (text[i] == '"' || text[i] == '\'') {  // a quoted key: "proxyUrl": …
        size_t end = SkipString(text, i);
        if (end - i > 2) break;
        i = end;
        continue;
      }
      ++i;
    }
    if (i >= text.size() || (text[i] != ':' && text[i] != '=')) continue;
    ++i;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i >= text.size() || (text[i] != '"' && text[i] != '\'')) continue;
    size_t end = SkipString(text, i);
    if (end < i + 2) continue;
    return std::string(text.substr(i + 1, end - i - 2));
  }
  return std::nullopt;
}

std::optional<nlohmann::ordered_json> JsLiteral(std::string_view text, size_t at) {
  if (at >= text.size() || (text[at] != '{' && text[at] != '[')) return std::nullopt;
  // Rewrite into JSON: quote bare keys, single-quoted strings become double-quoted,
  // drop trailing commas; stop at the matching bracket.
  std::string json;
  int depth = 0;
  size_t i = at;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"' || c == '\'') {
      size_t end = SkipString(text, i);
      std::string_view inner = text.substr(i + 1, end >= i + 2 ? end - i - 2 : 0);
      json.push_back('"');
      for (size_t k = 0; k < inner.size(); ++k) {
        if (inner[k] == '\\' && k + 1 < inner.size()) {
          if (inner[k + 1] == '\'') {
            json.push_back('\'');
          } else {
            json.push_back('\\');
            json.push_back(inner[k + 1]);
          }
          ++k;
        } else if (inner[k] == '"') {
          json += "\\\"";
        } else if (static_cast<unsigned char>(inner[k]) < 0x20) {
          json.push_back(' ');
        } else {
          json.push_back(inner[k]);
        }
      }
      json.push_back('"');
      i = end - 1;
    } else if (c == '{' || c == '[') {
      ++depth;
      json.push_back(c);
    } else if (c == '}' || c == ']') {
      while (!json.empty() && (json.back() == ',' || std::isspace(static_cast<unsigned char>(json.back())))) json.pop_back();
      json.push_back(c);
      if (--depth == 0) break;
    } else if (IdentChar(c) && !std::isdigit(static_cast<unsigned char>(c))) {
      size_t j = i;
      while (j < text.size() && IdentChar(text[j])) ++j;
      std::string_view word = text.substr(i, j - i);
      size_t k = j;
      while (k < text.size() && (text[k] == ' ' || text[k] == '\t' || text[k] == '\n' || text[k] == '\r')) ++k;
      if (k < text.size() && text[k] == ':') {
        json += "\"" + std::string(word) + "\"";  // a bare key
      } else if (word == "true" || word == "false" || word == "null") {
        json += word;
      } else {
        json += "null";  // an identifier or expression: not a value JSON can hold
        // Skip the rest of the expression up to the next separator at this depth.
        int inner = 0;
        while (k < text.size() && !(inner == 0 && (text[k] == ',' || text[k] == '}' || text[k] == ']'))) {
          if (text[k] == '(' || text[k] == '{' || text[k] == '[') ++inner;
          if (text[k] == ')' || text[k] == '}' || text[k] == ']') --inner;
          if (text[k] == '"' || text[k] == '\'') {
            k = SkipString(text, k);
            continue;
          }
          ++k;
        }
        j = k;
      }
      i = j - 1;
    } else {
      json.push_back(c);
    }
    if (json.size() > (4u << 20)) return std::nullopt;
  }
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(json, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

std::optional<nlohmann::ordered_json> JsLiteralAfter(std::string_view text, std::string_view key) {
  for (size_t at : KeyPositions(text, key)) {
    size_t i = at + key.size();
    while (i < text.size() && std::string_view(" \t\r\n:='\"").find(text[i]) != std::string_view::npos) ++i;
    if (i < text.size() && (text[i] == '{' || text[i] == '[')) {
      if (auto j = JsLiteral(text, i)) return j;
    }
  }
  return std::nullopt;
}

std::vector<StringLiteral> StringLiterals(std::string_view js, size_t max_size) {
  std::vector<StringLiteral> out;
  for (size_t i = 0; i < js.size();) {
    const char c = js[i];
    if (c != '"' && c != '\'' && c != '`') {
      ++i;
      continue;
    }
    const size_t end = SkipString(js, i);
    if (end >= i + 2 && end - i - 2 <= max_size) out.push_back({std::string(js.substr(i + 1, end - i - 2)), end});
    i = end;
  }
  return out;
}

std::optional<long> ToCount(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return std::nullopt;
  long v = 0;
  size_t i = b;
  for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
    v = v * 10 + (s[i] - '0');
    if (v > kMaxCount) return std::nullopt;
  }
  if (i == b || s.find_first_not_of(" \t", i) != std::string_view::npos) return std::nullopt;
  return v;
}

std::optional<long> JsonCount(const nlohmann::ordered_json& j) {
  if (j.is_number_integer() && j.get<long>() >= 0 && j.get<long>() <= kMaxCount) return j.get<long>();
  if (j.is_number_unsigned() && j.get<unsigned long>() <= static_cast<unsigned long>(kMaxCount)) return static_cast<long>(j.get<unsigned long>());
  if (j.is_string()) return ToCount(std::string_view(j.get<std::string>()));
  return std::nullopt;
}

}  // namespace nianbao::extract::listing
