// URLs as browsers and servers see them: parsing, resolving a link against
// the page it was found on, and the canonical form that names a Report
// (record.md). Parsing and resolution are libcurl's URL API (CURLU), the
// parser the fetcher's requests go through.
#ifndef NIANBAO_CONFIG_URL_H_
#define NIANBAO_CONFIG_URL_H_

#include <optional>
#include <string>
#include <string_view>

namespace nianbao {

// An http(s) URL. ParseUrl and ResolveUrl fill every field percent-encoded
// exactly once: path, query and fragment hold only RFC 3986 characters
// (unreserved, sub-delims, ":", "@", "/", and "?" outside the path) and %XX
// escapes. Escapes found in the input are kept as written (a lower-case
// %e5 stays lower case); CanonicalUrl normalises them.
struct Url {
  std::string scheme;    // lower case: "http" | "https"
  std::string host;      // lower case (ASCII letters), no brackets for IPv6
  int port = -1;         // -1 = the scheme's default (an explicit :80/:443 is -1 too)
  std::string path;      // starts with "/" (never empty), no "." / ".." segments
  std::string query;     // without '?', may be empty
  bool has_query = false;
  std::string fragment;  // without '#'; empty = none

  // "host" or "host:port" for a non-default port; IPv6 hosts in brackets.
  std::string Authority() const;
  // The port actually used (80/443 when port == -1).
  int EffectivePort() const;
  // scheme://Authority()path[?query][#fragment], fields joined as they are
  // (no re-encoding). The fragment is left out when empty.
  std::string ToString() const;
};

// Parses an absolute http(s) URL (scheme case-insensitive). Returns nullopt
// for any other scheme (mailto:, javascript:, ftp:, data:, ...), for a
// missing or malformed host, for a port outside 1..65535, and for input curl
// refuses; never throws. Before parsing, leading and trailing C0 controls and
// spaces are trimmed and tabs/CR/LF anywhere are removed (as browsers do with
// an href), and "\" before the query is read as "/". In path, query and
// fragment, every byte outside the allowed set above (space, non-ASCII UTF-8,
// control, '"', '<', '>', '\', '^', '`', '{', '|', '}', '[', ']') becomes %XX
// with upper-case hex, a valid %XX is kept, and a '%' not followed by two
// hex digits becomes %25. Dot segments (also %2e forms) are removed. Userinfo
// is dropped. Host names are not IDNA-converted (non-ASCII stays UTF-8).
std::optional<Url> ParseUrl(std::string_view text);

// Resolves `ref` (as found in an href) against `base` (RFC 3986 section 5.2),
// with the same cleaning and encoding as ParseUrl. Handles path ("a/b",
// "./a", "../a", "/a"), query-only ("?page=2"), fragment-only ("#2845": base
// path and query kept), network-path ("//host/x": base scheme) and empty
// ("": base without its fragment) references; a first segment holding ':'
// that is not a scheme ("2024:x.pdf") is a path, and "http:x" or "http:/x"
// against an http base is relative, as in browsers. Returns nullopt when the result is
// not http(s) (mailto:, javascript:, ...) or does not parse.
std::optional<Url> ResolveUrl(const Url& base, std::string_view ref);

// Canonical URL string (record.md): lower-case scheme and host, default port
// and fragment dropped, percent-encoding normalised (disallowed bytes
// encoded as in ParseUrl, hex upper case, %XX of unreserved characters
// A-Z a-z 0-9 - . _ ~ decoded), then query parameters ('&'-separated, empty
// ones dropped) sorted with a stable byte-wise sort; '+' stays '+'. So the
// raw and the percent-encoded form of one URL give the same string.
std::string CanonicalUrl(const Url& url);

// First 32 hex digits (lower case) of SHA-256 of the canonical URL string.
std::string ReportIdForCanonicalUrl(std::string_view canonical_url);

}  // namespace nianbao

#endif  // NIANBAO_CONFIG_URL_H_
