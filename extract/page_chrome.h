// Page chrome as data (trafilatura keeps its xpaths the same way): the
// strings of extract/chrome.txt, compiled in, plus the metadata line
// shapes of detail pages (日期:/来源:/浏览次数:…). See docs/extraction.md.
#ifndef NIANBAO_EXTRACT_PAGE_CHROME_H_
#define NIANBAO_EXTRACT_PAGE_CHROME_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nianbao::extract {

class PageChrome {
 public:
  static const PageChrome& Instance();

  // True if `text` (any line or cell) contains a chrome string, compared on
  // MatchKey() forms, or is a page metadata line.
  bool Matches(std::string_view text) const;

  // The first chrome string found in `text`, "" if none (for tests/reports).
  std::string Find(std::string_view text) const;

  // The chrome.txt strings only (what must never leak), in MatchKey form.
  const std::vector<std::string>& spec_strings() const { return spec_; }

 private:
  PageChrome();
  std::vector<std::string> spec_;      // from chrome.txt
  std::vector<std::string> extra_;     // nianbao's own additions, contained anywhere
  std::vector<std::string> prefixes_;  // metadata line starts
  std::vector<std::string> contained_;  // spec_ then extra_
  std::vector<std::pair<char32_t, size_t>> by_first_;  // (first code point, index in contained_), sorted
};

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_PAGE_CHROME_H_
