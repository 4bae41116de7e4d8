#include "config/url.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "config/hash.h"

namespace nianbao {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
  return s;
}

// RFC 3986 5.2.4.
std::string RemoveDotSegments(std::string_view in) {
  std::vector<std::string_view> out;
  bool trailing_slash = false;
  size_t i = 0;
  while (i <= in.size()) {
    size_t j = in.find('/', i);
    if (j == std::string_view::npos) j = in.size();
    std::string_view seg = in.substr(i, j - i);
    trailing_slash = false;
    if (seg == ".") {
      trailing_slash = true;
    } else if (seg == "..") {
      if (!out.empty()) out.pop_back();
      trailing_slash = true;
    } else if (!(seg.empty() && i == 0)) {
      out.push_back(seg);
    }
    i = j + 1;
  }
  std::string path;
  for (auto seg : out) {
    path += '/';
    path += seg;
  }
  if (trailing_slash && (path.empty() || path.back() != '/')) path += '/';
  if (path.empty()) path = "/";
  return path;
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
  text = Trim(text);
  size_t colon = text.find("://");
  if (colon == std::string_view::npos) return std::nullopt;
  Url u;
  u.scheme = Lower(text.substr(0, colon));
  if (u.scheme != "http" && u.scheme != "https") return std::nullopt;
  std::string_view rest = text.substr(colon + 3);
  size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);
  std::string_view host = authority, port;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') port = authority.substr(close + 2);
  } else if (size_t c = authority.rfind(':'); c != std::string_view::npos) {
    host = authority.substr(0, c);
    port = authority.substr(c + 1);
  }
  if (host.empty()) return std::nullopt;
  u.host = Lower(host);
  if (!port.empty()) {
    int p = 0;
    for (char c : port) {
      if (!std::isdigit(static_cast<unsigned char>(c)) || p > 65535) return std::nullopt;
      p = p * 10 + (c - '0');
    }
    if (p <= 0 || p > 65535) return std::nullopt;
    if (!((u.scheme == "http" && p == 80) || (u.scheme == "https" && p == 443))) u.port = p;
  }
  size_t hash = rest.find('#');
  if (hash != std::string_view::npos) {
    u.fragment = std::string(rest.substr(hash + 1));
    rest = rest.substr(0, hash);
  }
  size_t q = rest.find('?');
  if (q != std::string_view::npos) {
    u.has_query = true;
    u.query = std::string(rest.substr(q + 1));
    rest = rest.substr(0, q);
  }
  u.path = RemoveDotSegments(rest.empty() ? "/" : rest);
  return u;
}

std::optional<Url> ResolveUrl(const Url& base, std::string_view ref) {
  ref = Trim(ref);
  size_t scheme_end = ref.find(':');
  size_t first_delim = ref.find_first_of("/?#");
  if (scheme_end != std::string_view::npos && (first_delim == std::string_view::npos || scheme_end < first_delim)) {
    return ParseUrl(ref);  // absolute (or a non-http scheme, which ParseUrl refuses)
  }
  if (ref.substr(0, 2) == "//") return ParseUrl(base.scheme + ":" + std::string(ref));
  Url u = base;
  u.fragment.clear();
  std::string_view r = ref;
  std::string frag;
  if (size_t h = r.find('#'); h != std::string_view::npos) {
    frag = std::string(r.substr(h + 1));
    r = r.substr(0, h);
  }
  std::string_view query;
  bool has_query = false;
  if (size_t q = r.find('?'); q != std::string_view::npos) {
    query = r.substr(q + 1);
    has_query = true;
    r = r.substr(0, q);
  }
  if (r.empty()) {
    if (has_query) {
      u.query = std::string(query);
      u.has_query = true;
    }
  } else {
    if (r.front() == '/') {
      u.path = RemoveDotSegments(r);
    } else {
      std::string merged = base.path.substr(0, base.path.rfind('/') + 1);
      merged += r;
      u.path = RemoveDotSegments(merged);
    }
    u.query = std::string(query);
    u.has_query = has_query;
  }
  u.fragment = frag;
  return u;
}

std::string CanonicalUrl(const Url& url) {
  Url c = url;
  c.fragment.clear();
  if (c.has_query) {
    std::vector<std::string> params;
    size_t i = 0;
    while (i <= c.query.size()) {
      size_t j = c.query.find('&', i);
      if (j == std::string::npos) j = c.query.size();
      if (j > i) params.emplace_back(c.query.substr(i, j - i));
      i = j + 1;
    }
    std::stable_sort(params.begin(), params.end());
    c.query.clear();
    for (size_t k = 0; k < params.size(); ++k) c.query += (k ? "&" : "") + params[k];
    c.has_query = !c.query.empty();
  }
  return c.ToString();
}

std::string ReportIdForCanonicalUrl(std::string_view canonical_url) {
  return Sha256Hex(canonical_url).substr(0, 32);
}

}  // namespace nianbao
