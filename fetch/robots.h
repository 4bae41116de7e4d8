// robots.txt: parsing and matching (the fetch of it is the Fetcher's).
// Groups by User-agent (the most specific matching product token wins,
// else "*"), Allow/Disallow with the longest match winning (Allow on a tie),
// "*" and "$" wildcards, and Crawl-delay. RFC 9309.
#ifndef NIANBAO_FETCH_ROBOTS_H_
#define NIANBAO_FETCH_ROBOTS_H_

#include <string>
#include <string_view>
#include <vector>

namespace nianbao::fetch {

class RobotsRules {
 public:
  // Everything allowed (no robots.txt, or a 4xx for it).
  RobotsRules() = default;
  // Nothing allowed (robots.txt unavailable after retries).
  static RobotsRules DisallowAll();
  // Parses `text` for the crawler whose User-Agent header is `user_agent`
  // (its product token, e.g. "nianbao" of "nianbao/0.1 (+…)", is matched).
  static RobotsRules Parse(std::string_view text, std::string_view user_agent);

  // `path_and_query` starts with "/".
  bool Allowed(std::string_view path_and_query) const;
  // Seconds from Crawl-delay, 0 if none.
  double crawl_delay_s() const { return crawl_delay_s_; }

 private:
  struct Rule {
    std::string pattern;
    bool allow;
  };
  std::vector<Rule> rules_;
  double crawl_delay_s_ = 0;
  bool disallow_all_ = false;
};

}  // namespace nianbao::fetch

#endif  // NIANBAO_FETCH_ROBOTS_H_
