#include "extract/charset.h"

#include <iconv.h>
#include <uchardet/uchardet.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <memory>

#include "extract/text.h"

namespace nianbao::extract {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsValidUtf8(std::string_view s, bool* has_multibyte) {
  size_t i = 0;
  *has_multibyte = false;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    *has_multibyte = true;
    size_t start = i;
    char32_t cp = NextCodePoint(s, &i);
    if (cp == 0xFFFD && s.substr(start, 3) != "\xEF\xBF\xBD") return false;
  }
  return true;
}

// How many bytes at the end of `s` begin a UTF-8 character that the end
// cuts short (a lead byte and fewer continuation bytes than it announces):
// 0-3. A page cut at a size cap, or by a server, ends so.
size_t CutUtf8Tail(std::string_view s) {
  const size_t n = s.size();
  for (size_t back = 1; back <= 3 && back <= n; ++back) {
    const unsigned char c = static_cast<unsigned char>(s[n - back]);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte: look further back
    const size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    return len > back ? back : 0;
  }
  return 0;
}

std::string Detect(std::string_view bytes) {
  std::unique_ptr<std::remove_pointer_t<uchardet_t>, void (*)(uchardet_t)> ud(uchardet_new(), uchardet_delete);
  // A sample is enough and bounds the time on huge pages.
  std::string_view sample = bytes.substr(0, 256 * 1024);
  if (uchardet_handle_data(ud.get(), sample.data(), sample.size()) != 0) return "";
  uchardet_data_end(ud.get());
  const char* cs = uchardet_get_charset(ud.get());
  return cs ? CanonicalCharset(cs) : "";
}

// Converts with iconv; undecodable bytes become U+FFFD. A character that
// the end of the input cuts short (EINVAL: a page cut at a size cap) is left
// out, as in UTF-8 (DecodeToUtf8). Returns false if iconv does not know
// `charset`.
bool Convert(std::string_view bytes, const std::string& charset, std::string* out, size_t* replaced) {
  iconv_t cd = iconv_open("UTF-8", charset.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  out->clear();
  out->reserve(bytes.size() * 3 / 2);
  char buf[16384];
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  while (in_left > 0) {
    char* o = buf;
    size_t o_left = sizeof buf;
    size_t r = iconv(cd, &in, &in_left, &o, &o_left);
    out->append(buf, o - buf);
    if (r == static_cast<size_t>(-1)) {
      if (errno == E2BIG) continue;
      if (errno == EINVAL) break;  // only the cut character is left
      // EILSEQ: skip one byte.
      AppendUtf8(out, 0xFFFD);
      ++*replaced;
      ++in;
      --in_left;
      iconv(cd, nullptr, nullptr, nullptr, nullptr);
    }
  }
  iconv_close(cd);
  *out = SanitizeUtf8(*out);
  return true;
}

}  // namespace

std::string CanonicalCharset(std::string_view label) {
  std::string l = Lower(label);
  l.erase(std::remove_if(l.begin(), l.end(), [](char c) { return c == '"' || c == '\'' || c == ' '; }), l.end());
  if (l == "utf8" || l == "utf-8") return "utf-8";
  if (l == "gb2312" || l == "gbk" || l == "x-gbk" || l == "cp936" || l == "gb_2312-80" || l == "euc-cn" ||
      l == "gb18030" || l == "windows-936" || l == "csgb2312") {
    return "gb18030";
  }
  if (l == "big5" || l == "big5-hkscs" || l == "x-x-big5") return "big5";
  if (l == "ascii" || l == "us-ascii") return "utf-8";  // ASCII is a subset
  return l;
}

std::string CharsetOfContentType(std::string_view content_type) {
  std::string lower = Lower(content_type);
  size_t at = lower.find("charset=");
  if (at == std::string::npos) return "";
  std::string cs = lower.substr(at + 8);
  return cs.substr(0, cs.find_first_of("; "));
}

std::string SniffMetaCharset(std::string_view bytes) {
  std::string head = Lower(bytes.substr(0, 4096));
  size_t pos = 0;
  while ((pos = head.find("<meta", pos)) != std::string::npos) {
    size_t end = head.find('>', pos);
    if (end == std::string::npos) break;
    std::string tag = head.substr(pos, end - pos);
    size_t c = tag.find("charset");
    if (c != std::string::npos) {
      size_t v = c + 7;
      while (v < tag.size() && (tag[v] == ' ' || tag[v] == '=' || tag[v] == '"' || tag[v] == '\'')) ++v;
      size_t e = v;
      while (e < tag.size() && (std::isalnum(static_cast<unsigned char>(tag[e])) || tag[e] == '-' || tag[e] == '_')) ++e;
      if (e > v) return CanonicalCharset(tag.substr(v, e - v));
    }
    pos = end;
  }
  return "";
}

DecodedText DecodeToUtf8(std::string_view bytes, std::string_view header_charset) {
  DecodedText d;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    d.charset = "utf-8";
    d.utf8 = SanitizeUtf8(bytes.substr(3));
    return d;
  }
  if (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF") {
    d.charset = bytes[0] == '\xFF' ? "utf-16le" : "utf-16be";
    Convert(bytes.substr(2), d.charset, &d.utf8, &d.replaced);
    return d;
  }
  d.declared = CanonicalCharset(header_charset);
  if (d.declared.empty()) d.declared = SniffMetaCharset(bytes);

  // A UTF-8 page cut inside its last character is UTF-8 all the same (it
  // was decoded as GB18030 before, every character of it garbled): read as
  // UTF-8, the cut character is left out. Other charsets get every byte.
  std::string_view utf8 = bytes;
  utf8.remove_suffix(CutUtf8Tail(bytes));
  bool multibyte = false;
  const bool valid_utf8 = IsValidUtf8(utf8, &multibyte);
  if (!valid_utf8) utf8 = bytes;
  std::string chosen = d.declared;
  if (valid_utf8 && (multibyte || chosen.empty())) {
    // Valid multi-byte UTF-8 is almost never an accident; trust the bytes.
    chosen = "utf-8";
  } else if (chosen.empty() || chosen == "utf-8") {
    std::string detected = Detect(bytes);
    chosen = detected.empty() || detected == "utf-8" ? "gb18030" : detected;
  }
  if (chosen != "utf-8" && Convert(bytes, chosen, &d.utf8, &d.replaced)) {
    d.charset = chosen;
  } else if (chosen != "utf-8" && Convert(bytes, "gb18030", &d.utf8, &d.replaced)) {
    d.charset = "gb18030";  // unknown label: the most likely charset of a Chinese government page
  } else {
    d.charset = "utf-8";
    d.utf8 = valid_utf8 ? std::string(utf8) : SanitizeUtf8(utf8);
  }
  d.disagreement = !d.declared.empty() && d.declared != d.charset;
  return d;
}

}  // namespace nianbao::extract
