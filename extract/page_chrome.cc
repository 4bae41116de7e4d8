#include "extract/page_chrome.h"

#include <algorithm>

#include "extract/embedded_data.h"
#include "extract/text.h"

namespace nianbao::extract {

PageChrome::PageChrome() {
  std::string_view all = kChromeTxt;
  while (!all.empty()) {
    size_t nl = all.find('\n');
    std::string_view line = all.substr(0, nl);
    all = nl == std::string_view::npos ? std::string_view() : all.substr(nl + 1);
    std::string key = MatchKey(line);
    if (!key.empty() && key[0] != '#') spec_.push_back(key);
  }
  // Variants of the same chrome seen on real templates.
  for (const char* s : {"字体:大中小", "字号:[大中小]", "[打印]", "[关闭]", "【打印本页】", "【关闭窗口】",
                        "扫一扫在手机上查看当前页面", "【字体:", "[字体:", "打印本页关闭窗口"}) {
    extra_.push_back(MatchKey(s));
  }
  for (const char* s : {"日期:", "发布日期:", "发布时间:", "时间:", "来源:", "信息来源:", "文章来源:", "浏览次数:",
                        "访问量:", "访问次数:", "点击数:", "点击量:", "阅读次数:", "阅读量:", "作者:", "编辑:",
                        "责任编辑:"}) {
    prefixes_.push_back(MatchKey(s));
  }
  // Contained strings by their first code point, so a line is read once.
  contained_ = spec_;
  contained_.insert(contained_.end(), extra_.begin(), extra_.end());
  for (size_t k = 0; k < contained_.size(); ++k) {
    size_t i = 0;
    if (!contained_[k].empty()) by_first_.push_back({NextCodePoint(contained_[k], &i), k});
  }
  std::sort(by_first_.begin(), by_first_.end());
}

const PageChrome& PageChrome::Instance() {
  static const PageChrome* chrome = new PageChrome();
  return *chrome;
}

std::string PageChrome::Find(std::string_view text) const {
  std::string key = MatchKey(text);
  // The first string in list order (chrome.txt, then nianbao's) found anywhere.
  size_t best = contained_.size();
  for (size_t i = 0; i < key.size();) {
    const size_t at = i;
    const char32_t cp = NextCodePoint(key, &i);
    auto it = std::lower_bound(by_first_.begin(), by_first_.end(), std::pair<char32_t, size_t>{cp, 0});
    for (; it != by_first_.end() && it->first == cp; ++it) {
      if (it->second < best && key.compare(at, contained_[it->second].size(), contained_[it->second]) == 0) best = it->second;
    }
  }
  if (best < contained_.size()) return contained_[best];
  if (key.size() < 160) {
    for (const auto& p : prefixes_) {
      if (key.compare(0, p.size(), p) == 0) return p;
    }
  }
  return "";
}

bool PageChrome::Matches(std::string_view text) const { return !Find(text).empty(); }

}  // namespace nianbao::extract
