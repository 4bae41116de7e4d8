// Reading what page scripts say without running them: comments removed,
// call arguments, numbers and strings after a key, object literals.
#ifndef NIANBAO_EXTRACT_LISTING_SCRIPT_H_
#define NIANBAO_EXTRACT_LISTING_SCRIPT_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nianbao::extract::listing {

// `js` without // and /* */ comments (strings are respected) and without
// <!-- --> markers: a commented-out createPageHTML(9, …) must not be read.
std::string StripScriptComments(std::string_view js);

// The arguments of each call `name(…)` in `js` (name not preceded by an
// identifier character), in order; string arguments unquoted, every
// argument trimmed. Parentheses and quotes nest; at most `limit` calls.
std::vector<std::vector<std::string>> CallArgs(std::string_view js, std::string_view name, size_t limit = 8);

// The integer right after `key` and any of  :='" and spaces ("countPage = 17",
// "totalRecord:42", "pageCount:'3'"), for each occurrence of key that is not
// part of a longer identifier. Values above 10,000,000 are dropped.
std::vector<long> NumbersAfter(std::string_view text, std::string_view key);
std::optional<long> NumberAfter(std::string_view text, std::string_view key);

// The quoted string right after `key` and : or = ("proxyUrl: '/module/…'").
std::optional<std::string> StringAfter(std::string_view text, std::string_view key);

// The object or array literal starting at text[at] ('{' or '['), read as
// JSON with JavaScript's liberties (bare or single-quoted keys, single-quoted
// strings, trailing commas). nullopt if it does not parse.
std::optional<nlohmann::ordered_json> JsLiteral(std::string_view text, size_t at);

// The literal assigned to or following `key` ("var param_1 = {…}",
// "TREE: […]"): the first '{' or '[' after it.
std::optional<nlohmann::ordered_json> JsLiteralAfter(std::string_view text, std::string_view key);

// The string literals of `js` in order, each at most `max_size` bytes
// (longer ones are skipped): their content (unquoted, escapes as written)
// and the index just past the closing quote.
struct StringLiteral {
  std::string text;
  size_t end = 0;
};
std::vector<StringLiteral> StringLiterals(std::string_view js, size_t max_size);

// A positive integer from a string or a JSON number; nullopt otherwise.
std::optional<long> ToCount(std::string_view s);
std::optional<long> JsonCount(const nlohmann::ordered_json& j);

}  // namespace nianbao::extract::listing

#endif  // NIANBAO_EXTRACT_LISTING_SCRIPT_H_
