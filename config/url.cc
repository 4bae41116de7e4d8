#include "config/url.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstddef>
#include <exception>
#include <memory>
#include <vector>

#include "config/hash.h"

namespace nianbao {
namespace {

// libcurl refuses URLs longer than this (CURL_MAX_INPUT_LENGTH); refusing
// them before encoding saves the work.
constexpr size_t kMaxUrlBytes = 8000000;

enum class Part { kPath, kQuery, kFragment };

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = LowerAscii(c);
  return out;
}

bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'); }
int HexValue(char c) { return IsDigit(c) ? c - '0' : LowerAscii(c) - 'a' + 10; }
bool IsUnreserved(char c) { return IsAlpha(c) || IsDigit(c) || c == '-' || c == '.' || c == '_' || c == '~'; }

// RFC 3986: pchar = unreserved / pct-encoded / sub-delims / ":" / "@";
// query and fragment also allow "/" and "?". '%' is handled by the callers.
bool IsAllowed(char c, Part part) {
  if (IsUnreserved(c)) return true;
  switch (c) {
    case '!': case '$': case '&': case '\'': case '(': case ')': case '*': case '+': case ',': case ';':
    case '=': case ':': case '@': case '/':
      return true;
    case '?':
      return part != Part::kPath;
    default:
      return false;
  }
}

bool IsEscapeAt(std::string_view s, size_t i) {
  return s[i] == '%' && i + 2 < s.size() && IsHex(s[i + 1]) && IsHex(s[i + 2]);
}

void AppendHex(std::string* out, unsigned char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  *out += '%';
  *out += kHex[c >> 4];
  *out += kHex[c & 15];
}

// Percent-encodes exactly once: valid %XX kept as written, a lone '%' and
// every byte not allowed in `part` become %XX.
void AppendEncoded(std::string* out, std::string_view in, Part part) {
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      if (IsEscapeAt(in, i)) {
        out->append(in.substr(i, 3));
        i += 2;
      } else {
        *out += "%25";
      }
    } else if (IsAllowed(c, part)) {
      *out += c;
    } else {
      AppendHex(out, static_cast<unsigned char>(c));
    }
  }
}

// As AppendEncoded, and browsers' dot segments written with %2e (".%2e",
// "%2E%2e", ...) become "." / ".." so that curl removes them.
void AppendEncodedPath(std::string* out, std::string_view in) {
  size_t i = 0;
  while (true) {
    const size_t slash = in.find('/', i);
    std::string_view seg = in.substr(i, slash == std::string_view::npos ? std::string_view::npos : slash - i);
    std::string lower = Lower(seg);
    if (lower == "%2e") lower = ".";
    if (lower == ".%2e" || lower == "%2e." || lower == "%2e%2e") lower = "..";
    if (lower == "." || lower == "..") *out += lower;
    else AppendEncoded(out, seg, Part::kPath);
    if (slash == std::string_view::npos) break;
    *out += '/';
    i = slash + 1;
  }
}

// Canonical escapes: hex upper case, unreserved characters decoded,
// everything else as AppendEncoded.
void AppendCanonical(std::string* out, std::string_view in, Part part) {
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%' && IsEscapeAt(in, i)) {
      const auto v = static_cast<unsigned char>(HexValue(in[i + 1]) * 16 + HexValue(in[i + 2]));
      if (IsUnreserved(static_cast<char>(v))) *out += static_cast<char>(v);
      else AppendHex(out, v);
      i += 2;
    } else if (c != '%' && IsAllowed(c, part)) {
      *out += c;
    } else {
      AppendHex(out, static_cast<unsigned char>(c));
    }
  }
}

// What browsers do to an href before parsing it: trim leading and trailing
// C0 controls and spaces, drop tabs and newlines anywhere.
std::string Clean(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != '\t' && c != '\n' && c != '\r') out += c;
  }
  return out;
}

// Length of "scheme" when `s` starts with scheme ":" (RFC 3986 3.1:
// ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )), else 0.
size_t SchemeLength(std::string_view s) {
  if (s.empty() || !IsAlpha(s[0])) return 0;
  for (size_t i = 1; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ':') return i;
    if (!(IsAlpha(c) || IsDigit(c) || c == '+' || c == '-' || c == '.')) return 0;
  }
  return 0;
}

bool IsHttpScheme(std::string_view lower_scheme) { return lower_scheme == "http" || lower_scheme == "https"; }

// A cleaned reference (absolute or relative) made ready for curl: "\" before
// the query read as "/", path, query and fragment encoded once, scheme and
// authority left to curl. nullopt when a NUL byte would reach curl (which
// reads C strings) or the text is too long.
std::optional<std::string> PrepareForCurl(std::string in) {
  if (in.size() > kMaxUrlBytes) return std::nullopt;
  const size_t end_of_path = std::min(in.find_first_of("?#"), in.size());
  std::replace(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(end_of_path), '\\', '/');
  size_t i = SchemeLength(in);
  if (i > 0) ++i;  // past ':'
  std::string out = in.substr(0, i);
  if (in.compare(i, 2, "//") == 0) {
    const size_t authority_end = std::min(in.find_first_of("/?#", i + 2), in.size());
    out.append(in, i, authority_end - i);
    i = authority_end;
  }
  const std::string_view rest = std::string_view(in).substr(i);
  const size_t q = std::min(rest.find_first_of("?#"), rest.size());
  AppendEncodedPath(&out, rest.substr(0, q));
  if (q < rest.size() && rest[q] == '?') {
    const size_t h = std::min(rest.find('#', q), rest.size());
    out += '?';
    AppendEncoded(&out, rest.substr(q + 1, h - q - 1), Part::kQuery);
    if (h < rest.size()) {
      out += '#';
      AppendEncoded(&out, rest.substr(h + 1), Part::kFragment);
    }
  } else if (q < rest.size()) {
    out += '#';
    AppendEncoded(&out, rest.substr(q + 1), Part::kFragment);
  }
  if (out.find('\0') != std::string::npos || out.size() > kMaxUrlBytes) return std::nullopt;
  return out;
}

struct CurluFree {
  void operator()(CURLU* h) const { curl_url_cleanup(h); }
};
using Curlu = std::unique_ptr<CURLU, CurluFree>;

// Part of a parsed handle; CURLUE_NO_* codes mean "absent".
CURLUcode GetPart(CURLU* h, CURLUPart part, std::string* out) {
  char* s = nullptr;
  const CURLUcode rc = curl_url_get(h, part, &s, 0);
  if (rc == CURLUE_OK) *out = s ? s : "";
  curl_free(s);
  return rc;
}

std::optional<Url> FromHandle(CURLU* h) {
  Url u;
  std::string s;
  if (GetPart(h, CURLUPART_SCHEME, &s) != CURLUE_OK) return std::nullopt;
  u.scheme = Lower(s);
  if (!IsHttpScheme(u.scheme)) return std::nullopt;
  if (GetPart(h, CURLUPART_HOST, &s) != CURLUE_OK) return std::nullopt;
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  if (s.empty()) return std::nullopt;
  u.host = Lower(s);
  const CURLUcode port_rc = GetPart(h, CURLUPART_PORT, &s);
  if (port_rc == CURLUE_OK) {
    if (s.empty() || s.size() > 5 || !std::all_of(s.begin(), s.end(), IsDigit)) return std::nullopt;
    const int p = std::stoi(s);
    if (p <= 0 || p > 65535) return std::nullopt;
    if (!((u.scheme == "http" && p == 80) || (u.scheme == "https" && p == 443))) u.port = p;
  } else if (port_rc != CURLUE_NO_PORT) {
    return std::nullopt;
  }
  // curl keeps what it was given; encoding again is a no-op on prepared
  // input and a guard should curl ever hand back something else.
  if (GetPart(h, CURLUPART_PATH, &s) != CURLUE_OK) return std::nullopt;
  AppendEncoded(&u.path, s, Part::kPath);
  if (u.path.empty() || u.path.front() != '/') u.path.insert(0, "/");
  if (GetPart(h, CURLUPART_QUERY, &s) == CURLUE_OK) {
    u.has_query = true;
    AppendEncoded(&u.query, s, Part::kQuery);
  }
  if (GetPart(h, CURLUPART_FRAGMENT, &s) == CURLUE_OK) AppendEncoded(&u.fragment, s, Part::kFragment);
  return u;
}

// Sets `text` (cleaned) on `h`: absolute, or relative to the URL already there.
bool SetOnHandle(CURLU* h, std::string cleaned) {
  std::optional<std::string> prepared = PrepareForCurl(std::move(cleaned));
  return prepared && curl_url_set(h, CURLUPART_URL, prepared->c_str(), 0) == CURLUE_OK;
}

std::optional<Url> ParseCleaned(std::string cleaned) {
  const size_t n = SchemeLength(cleaned);
  if (n == 0 || !IsHttpScheme(Lower(std::string_view(cleaned).substr(0, n)))) return std::nullopt;
  Curlu h(curl_url());
  if (!h || !SetOnHandle(h.get(), std::move(cleaned))) return std::nullopt;
  return FromHandle(h.get());
}

}  // namespace

std::string Url::Authority() const {
  std::string a = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != -1) a += ":" + std::to_string(port);
  return a;
}

int Url::EffectivePort() const {
  if (port != -1) return port;
  return scheme == "https" ? 443 : 80;
}

std::string Url::ToString() const {
  std::string s = scheme + "://" + Authority() + path;
  if (has_query) s += "?" + query;
  if (!fragment.empty()) s += "#" + fragment;
  return s;
}

std::optional<Url> ParseUrl(std::string_view text) {
  try {
    if (text.size() > kMaxUrlBytes) return std::nullopt;
    return ParseCleaned(Clean(text));
  } catch (const std::exception&) {  // bad_alloc
    return std::nullopt;
  }
}

std::optional<Url> ResolveUrl(const Url& base_in, std::string_view ref_in) {
  try {
    if (ref_in.size() > kMaxUrlBytes) return std::nullopt;
    Curlu h(curl_url());
    if (!h || !SetOnHandle(h.get(), Clean(base_in.ToString()))) return std::nullopt;
    std::optional<Url> base = FromHandle(h.get());
    if (!base) return std::nullopt;
    std::string ref = Clean(ref_in);
    // RFC 3986 5.2.2 for an empty path and no query: the base's path and
    // query, the reference's fragment. (curl 7.88 gets these wrong.)
    if (ref.empty() || ref.front() == '#') {
      base->fragment.clear();
      if (!ref.empty()) AppendEncoded(&base->fragment, std::string_view(ref).substr(1), Part::kFragment);
      return base;
    }
    if (const size_t n = SchemeLength(ref); n > 0) {
      const std::string scheme = Lower(std::string_view(ref).substr(0, n));
      if (!IsHttpScheme(scheme)) return std::nullopt;
      auto slash = [&ref](size_t i) { return i < ref.size() && (ref[i] == '/' || ref[i] == '\\'); };
      // "http:x" and "http:/x" against an http base are relative (WHATWG).
      if (scheme != base->scheme || (slash(n + 1) && slash(n + 2))) return ParseCleaned(std::move(ref));
      ref.erase(0, n + 1);
      if (ref.empty() || ref.front() == '#') return ResolveUrl(*base, ref);
    }
    // RFC 3986 5.2.3: a relative path is merged with the base's directory
    // here because curl 7.88 drops the '/' of "./?a" and "../?a"; curl then
    // removes the dot segments. Merging also keeps a first segment holding
    // ':' ("2024:x.pdf", no scheme) from being read as a scheme.
    if (ref.front() != '/' && ref.front() != '\\' && ref.front() != '?') {
      ref.insert(0, base->path, 0, base->path.rfind('/') + 1);
    }
    if (!SetOnHandle(h.get(), std::move(ref))) return std::nullopt;
    return FromHandle(h.get());
  } catch (const std::exception&) {  // bad_alloc
    return std::nullopt;
  }
}

std::string CanonicalUrl(const Url& url) {
  Url c;
  c.scheme = Lower(url.scheme);
  c.host = Lower(url.host);
  c.port = url.port;
  if ((c.scheme == "http" && c.port == 80) || (c.scheme == "https" && c.port == 443)) c.port = -1;
  AppendCanonical(&c.path, url.path, Part::kPath);
  if (c.path.empty() || c.path.front() != '/') c.path.insert(0, "/");
  if (url.has_query) {
    std::vector<std::string> params;
    std::string_view q = url.query;
    size_t i = 0;
    while (i <= q.size()) {
      const size_t j = std::min(q.find('&', i), q.size());
      if (j > i) {
        params.emplace_back();
        AppendCanonical(&params.back(), q.substr(i, j - i), Part::kQuery);
      }
      i = j + 1;
    }
    std::stable_sort(params.begin(), params.end());
    for (size_t k = 0; k < params.size(); ++k) {
      if (k) c.query += '&';
      c.query += params[k];
    }
    c.has_query = !c.query.empty();
  }
  return c.ToString();
}

std::string ReportIdForCanonicalUrl(std::string_view canonical_url) {
  return Sha256Hex(canonical_url).substr(0, 32);
}

}  // namespace nianbao
