#include "extract/page_chrome.h"

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
}

const PageChrome& PageChrome::Instance() {
  static const PageChrome* chrome = new PageChrome();
  return *chrome;
}

std::string PageChrome::Find(std::string_view text) const {
  std::string key = MatchKey(text);
  for (const auto& s : spec_) {
    if (key.find(s) != std::string::npos) return s;
  }
  for (const auto& s : extra_) {
    if (key.find(s) != std::string::npos) return s;
  }
  if (key.size() < 160) {
    for (const auto& p : prefixes_) {
      if (key.compare(0, p.size(), p) == 0) return p;
    }
  }
  return "";
}

bool PageChrome::Matches(std::string_view text) const { return !Find(text).empty(); }

}  // namespace nianbao::extract
