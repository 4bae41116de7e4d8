// sim/test_links.h: link resolution shared by the simulator's tests (a
// reference walk of the served pages, apart from nianbao's own parser).
#ifndef NIANBAO_SIM_TEST_LINKS_H_
#define NIANBAO_SIM_TEST_LINKS_H_

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace nianbao::sim::test {

// &amp; &quot; &lt; &gt; &#39; decoded.
inline std::string UnescapeHtml(std::string s) {
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"&amp;", "&"}, {"&quot;", "\""}, {"&lt;", "<"}, {"&gt;", ">"}, {"&#39;", "'"}}) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
      s.replace(at, from.size(), to);
  }
  return s;
}

inline std::string PathOf(const std::string& target) { return target.substr(0, target.find('?')); }

// Resolves href (as found on the page at base, a path with a query) to a
// target on origin, or "" if off-site or not a link.
inline std::string ResolveLink(const std::string& origin, const std::string& base, std::string href) {
  href = UnescapeHtml(href);
  if (href.starts_with("javascript:") || href.starts_with("#") || href.empty()) return "";
  if (href.starts_with("http://") || href.starts_with("https://"))
    return href.starts_with(origin + "/") ? href.substr(origin.size()) : "";
  if (href.starts_with("//")) return "";
  if (href.starts_with("/")) return href;
  const std::string base_path = PathOf(base);
  if (href.starts_with("?")) return base_path + href;
  const std::string query = href.find('?') == std::string::npos ? "" : href.substr(href.find('?'));
  const std::string path = base_path.substr(0, base_path.rfind('/') + 1) + PathOf(href);
  std::vector<std::string> segments;
  for (size_t start = 1; start <= path.size();) {
    const size_t end = std::min(path.find('/', start), path.size());
    const std::string segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out;
  for (const std::string& s : segments) out += "/" + s;
  if (path.ends_with("/") || path.ends_with("/.") || path.ends_with("/..")) out += "/";
  return out + query;
}

}  // namespace nianbao::sim::test

#endif  // NIANBAO_SIM_TEST_LINKS_H_
