// UTF-8 text helpers shared by the extractor. Pure functions.
#ifndef NIANBAO_EXTRACT_TEXT_H_
#define NIANBAO_EXTRACT_TEXT_H_

#include <initializer_list>
#include <string>
#include <string_view>

namespace nianbao::extract {

// Replaces every invalid or truncated UTF-8 sequence with U+FFFD.
std::string SanitizeUtf8(std::string_view s);

// Runs of whitespace (ASCII, NBSP U+00A0, ideographic space U+3000, other
// Unicode spaces, zero-width spaces) become one ' '; leading and trailing
// whitespace is dropped. Nothing else changes (record.md cell text rule).
std::string NormalizeWhitespace(std::string_view s);

// The matching form used for labels and chrome: a small NFKC (full-width
// ASCII U+FF01..U+FF5E → ASCII, U+3000 → space, ideographic full stop kept),
// then all whitespace removed, quote marks removed, （）→ ().
std::string MatchKey(std::string_view s);

// Full-width digits, '．' and '－' → ASCII, for parsing numbers.
std::string AsciiDigits(std::string_view s);

// True if `text` contains any of `words`.
bool ContainsAny(std::string_view text, std::initializer_list<std::string_view> words);

// Decodes the multi-byte UTF-8 code point at s[*i] (NextCodePoint's slow path).
char32_t NextMultiByteCodePoint(std::string_view s, size_t* i);

// Decodes one UTF-8 code point at s[*i], advancing *i; returns U+FFFD on error.
inline char32_t NextCodePoint(std::string_view s, size_t* i) {
  const auto c = static_cast<unsigned char>(s[*i]);
  if (c < 0x80) {
    ++*i;
    return c;
  }
  return NextMultiByteCodePoint(s, i);
}
void AppendUtf8(std::string* out, char32_t cp);

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_TEXT_H_
