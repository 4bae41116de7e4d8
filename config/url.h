// URLs as nianbao uses them: parsing, resolving a link against the page it
// was found on, and the canonical form that names a Report (record.md).
#ifndef NIANBAO_CONFIG_URL_H_
#define NIANBAO_CONFIG_URL_H_

#include <optional>
#include <string>
#include <string_view>

namespace nianbao {

struct Url {
  std::string scheme;    // lower case: "http" | "https"
  std::string host;      // lower case, no brackets for IPv6
  int port = -1;         // -1 = the scheme's default
  std::string path;      // starts with "/" (never empty)
  std::string query;     // without '?', may be empty
  bool has_query = false;
  std::string fragment;  // without '#'

  // "host" or "host:port" as written for a non-default port.
  std::string Authority() const;
  // The port actually used (80/443 when port == -1).
  int EffectivePort() const;
  std::string ToString() const;
};

// Parses an absolute http(s) URL. Returns nullopt for anything else.
std::optional<Url> ParseUrl(std::string_view text);

// Resolves `ref` (as found in an href) against `base` (RFC 3986 section 5.2).
// Returns nullopt for non-http(s) results (mailto:, javascript:, ...).
std::optional<Url> ResolveUrl(const Url& base, std::string_view ref);

// Canonical URL string: lower-case scheme and host, default port and fragment
// dropped, query parameters sorted (record.md).
std::string CanonicalUrl(const Url& url);

// First 32 hex digits of SHA-256 of the canonical URL string.
std::string ReportIdForCanonicalUrl(std::string_view canonical_url);

}  // namespace nianbao

#endif  // NIANBAO_CONFIG_URL_H_
