// The items of an HTML listing: the links of the list(s) that hold report
// titles or dated items. Links of one list share a container (page.cc), so
// every item of that list is counted — the count a portal prints (共N条)
// includes its look-alikes and everything else it lists — while navigation,
// pager and footer links are not items.
#include <map>
#include <string>

#include "extract/listing/readers.h"
#include "extract/text.h"

namespace nianbao::extract::listing {

bool IsPagerLink(const PageLink& l) {
  if (l.href.rfind("javascript", 0) == 0 || l.href.rfind("JavaScript", 0) == 0 || (!l.href.empty() && l.href[0] == '#')) {
    return true;
  }
  const std::string k = AsciiDigits(MatchKey(l.text));
  if (k.empty() && l.title.empty()) return true;
  if (!k.empty() && k.size() <= 4 && k.find_first_not_of("0123456789") == std::string::npos) return true;
  for (const char* word : {"下一页", "下页", "上一页", "上页", "首页", "末页", "尾页", "后页", "前页", "最后一页", "第一页", ">", ">>",
                           "<", "<<", "›", "»", "«", "‹", "更多", "更多>>", ">>更多", "查看更多", "more", "More", "MORE", "GO",
                           "go", "跳转", "确定", "下一页>>", "<<上一页", "下一页>", "<上一页"}) {
    if (k == word) return true;
  }
  return false;
}

void ReadEntries(ListingBuilder* b) {
  const ListingPage& p = b->page();
  if (p.kind != ListingPage::Kind::kHtml) return;
  struct Group {
    int links = 0, reportish = 0, lookalike = 0, dated = 0;
    bool chrome = true;
  };
  std::map<int, Group> groups;
  for (const auto& l : p.links) {
    if (l.url.empty() || IsPagerLink(l)) continue;
    Group& g = groups[l.group];
    ++g.links;
    const std::string& title = l.title.size() > l.text.size() ? l.title : l.text;
    const EntryVerdict v = JudgeTitle(title);
    g.reportish += v == EntryVerdict::kReport || v == EntryVerdict::kMaybe;
    g.lookalike += v == EntryVerdict::kLookAlike;
    g.dated += l.dated;
    g.chrome = g.chrome && l.chrome;
  }
  auto is_list = [&](const Group& g) {
    return g.reportish > 0 || (!g.chrome && g.lookalike > 0) || (!g.chrome && g.dated >= 2 && 2 * g.dated >= g.links);
  };
  for (const auto& l : p.links) {
    if (l.url.empty() || IsPagerLink(l)) continue;
    const Group& g = groups[l.group];
    const EntryVerdict v = JudgeTitle(l.title.size() > l.text.size() ? l.title : l.text);
    // A list's every item; elsewhere only a link that names a report.
    if (is_list(g) || v == EntryVerdict::kReport || v == EntryVerdict::kMaybe) b->AddEntry(l.url, l.text, l.title);
  }
}

}  // namespace nianbao::extract::listing
