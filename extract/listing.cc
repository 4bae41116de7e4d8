#include "extract/listing.h"

#include <algorithm>
#include <set>

#include "config/url.h"
#include "extract/charset.h"
#include "extract/html_page.h"
#include "extract/page_kind.h"
#include "extract/report_metadata.h"
#include "extract/text.h"

namespace nianbao::extract {
namespace {

bool HasAny(const std::string& s, std::initializer_list<const char*> words) {
  return std::any_of(words.begin(), words.end(), [&](const char* w) { return s.find(w) != std::string::npos; });
}

// Integer arguments of the first call `name(` in `scripts`.
std::vector<std::string> CallArgs(const std::string& scripts, const std::string& name) {
  size_t at = scripts.find(name + "(");
  if (at == std::string::npos) return {};
  size_t end = scripts.find(')', at);
  if (end == std::string::npos) return {};
  std::string inside = scripts.substr(at + name.size() + 1, end - at - name.size() - 1);
  std::vector<std::string> args;
  size_t start = 0;
  while (start <= inside.size()) {
    size_t comma = inside.find(',', start);
    if (comma == std::string::npos) comma = inside.size();
    std::string a = inside.substr(start, comma - start);
    a.erase(std::remove_if(a.begin(), a.end(), [](char c) { return c == ' ' || c == '"' || c == '\''; }), a.end());
    args.push_back(a);
    start = comma + 1;
  }
  return args;
}

int ToInt(const std::string& s) {
  if (s.empty() || s.size() > 6 || !std::all_of(s.begin(), s.end(), ::isdigit)) return -1;
  return std::stoi(s);
}

// TRS: createPageHTML(N, cur, "index", "shtml") or `var countPage = N`.
void TrsPages(const std::string& scripts, const Url& base, std::vector<std::string>* out) {
  int count = -1;
  std::string name = "index", ext;
  auto args = CallArgs(scripts, "createPageHTML");
  if (args.size() >= 4) {
    count = ToInt(args[0]);
    name = args[2];
    ext = args[3];
  } else if (size_t at = scripts.find("countPage"); at != std::string::npos) {
    size_t eq = scripts.find('=', at);
    if (eq != std::string::npos) {
      size_t i = eq + 1;
      while (i < scripts.size() && scripts[i] == ' ') ++i;
      size_t j = i;
      while (j < scripts.size() && isdigit(static_cast<unsigned char>(scripts[j]))) ++j;
      count = ToInt(scripts.substr(i, j - i));
    }
  }
  if (count <= 1 || count > 10000) return;
  if (ext.empty()) {
    size_t dot = base.path.rfind('.');
    ext = dot != std::string::npos && dot > base.path.rfind('/') ? base.path.substr(dot + 1) : "shtml";
  }
  out->push_back(ResolveUrl(base, name + "." + ext)->ToString());
  for (int i = 1; i < count; ++i) {
    if (auto u = ResolveUrl(base, name + "_" + std::to_string(i) + "." + ext)) out->push_back(u->ToString());
  }
}

}  // namespace

bool MentionsAnnualReport(std::string_view title) {
  std::string k = MatchKey(title);
  return HasAny(k, {"年度报告", "年报", "工作报告"}) && HasAny(k, {"公开"});
}

bool IsReportTitle(std::string_view title) {
  std::string k = AsciiDigits(MatchKey(title));
  if (!MentionsAnnualReport(k) || !YearInTitle(k)) return false;
  return !HasAny(k, {"解读", "图解", "说明", "工作要点", "工作总结", "更正", "补充", "通知", "格式", "模板", "征集"});
}

Listing ParseListing(std::string_view bytes, const std::string& content_type, const std::string& page_url) {
  Listing listing;
  std::optional<Url> page = ParseUrl(page_url);
  if (!page) return listing;
  std::string header_cs;
  if (size_t at = content_type.find("charset="); at != std::string::npos) header_cs = content_type.substr(at + 8);
  HtmlPage html = ParseHtmlPage(DecodeToUtf8(bytes, header_cs).utf8);
  listing.page_kind = PageKindName(ClassifyPage(html));
  if (listing.page_kind != "normal") return listing;
  Url base = *page;
  if (!html.base_href.empty()) {
    if (auto b = ResolveUrl(*page, html.base_href)) base = *b;
  }
  std::set<std::string> seen;
  for (const auto& link : html.links) {
    std::string title = link.title.size() > link.text.size() ? link.title : link.text;
    auto u = ResolveUrl(base, link.href);
    if (!u) continue;
    u->fragment.clear();
    std::string url = u->ToString();
    std::string k = MatchKey(link.text);
    if (k == "下一页" || k == "下页" || k == "末页" || k == "尾页" || k == ">" || k == ">>" || k == "后页") {
      if (url != page->ToString()) listing.more_pages.push_back(url);
      continue;
    }
    if (!MentionsAnnualReport(title) || !seen.insert(url).second) continue;
    listing.entries.push_back({url, title, IsReportTitle(title)});
  }
  TrsPages(html.scripts, base, &listing.more_pages);
  std::set<std::string> unique;
  std::erase_if(listing.more_pages, [&](const std::string& u) { return !unique.insert(u).second; });
  return listing;
}

}  // namespace nianbao::extract
