#include "extract/page_kind.h"

#include <algorithm>
#include <string>

#include "extract/text.h"

namespace nianbao::extract {
const char* PageKindName(PageKind kind) {
  switch (kind) {
    case PageKind::kNormal: return "normal";
    case PageKind::kSoft404: return "soft404";
    case PageKind::kChallenge: return "challenge";
  }
  return "normal";
}

PageKind ClassifyPage(const HtmlPage& page) {
  size_t text = 0;
  std::string visible;
  for (const auto& line : page.page_lines) {
    text += line.size();
    if (visible.size() < 4000) visible += MatchKey(line);
  }
  if (!page.tables.empty() || text > 6000) return PageKind::kNormal;  // a real page has content
  std::string heads = MatchKey(page.title_tag);
  for (const auto& h : page.headings) heads += MatchKey(h);
  // WAF / JavaScript challenges: a script that sets a cookie and reloads,
  // or the vendors' own words, on a page with almost no text.
  const std::string& js = page.scripts;
  bool reloads = js.find("document.cookie") != std::string::npos &&
                 (js.find("location.reload") != std::string::npos || js.find("location.href") != std::string::npos ||
                  js.find("location.replace") != std::string::npos);
  if ((reloads && text < 1500) ||
      ContainsAny(visible + heads, {"安全验证", "请开启JavaScript", "请启用JavaScript", "正在进行安全检测", "访问验证", "人机验证",
                               "滑动验证", "请完成验证", "浏览器安全检查", "安全狗", "云锁"}) ||
      ContainsAny(js, {"__jsluid", "_waf_", "yunsuo", "/cdn-cgi/challenge"})) {
    return PageKind::kChallenge;
  }
  if (ContainsAny(heads + visible.substr(0, 600),
             {"页面不存在", "页面未找到", "找不到页面", "找不到您要访问的页面", "页面已删除", "页面已被删除", "404NotFound",
              "404notfound", "错误404", "404错误", "抱歉,您访问的页面", "您访问的页面不存在"}) ||
      (heads.find("404") != std::string::npos && text < 1500)) {
    return PageKind::kSoft404;
  }
  return PageKind::kNormal;
}

}  // namespace nianbao::extract
