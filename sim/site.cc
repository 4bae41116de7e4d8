// sim/site.cc: text helpers, Site, the catalog of reports, detail pages, and
// the TRS WCM host (127.0.0.1), which is the original simulated portal.

#include "sim/site.h"

#include <iconv.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "sim/embedded_pages.h"

namespace nianbao::sim::internal {
namespace {

constexpr std::string_view kColumnDir = "/zwgk/zfxxgknb/";
constexpr int kListingPages = 3;

// One entry of the catalog. Titles and dates are read from the embedded page
// when it has them; these are the fallbacks.
struct EntrySpec {
  const char* seed;  // embedded page name; "" = generated look-alike page
  const char* kind;
  const char* title;
  const char* date;  // YYYY-MM-DD
  long id;           // TRS document id
  int listing_page;  // on the TRS host
  const char* text;  // generated pages only: the two sentences of the body
};

constexpr EntrySpec kEntries[] = {
    {"", "lookalike", "2025年政务公开工作要点", "2025-02-10", 14230476, 0,
     "为深入贯彻落实国务院办公厅关于政务公开工作的部署，现将2025年政务公开工作要点印发给你们，"
     "请结合实际认真抓好落实。各单位要进一步加强组织领导，细化任务分工，确保各项工作落到实处。"},
    {"lookalike", "lookalike", "关于《XX区2024年政府信息公开工作年度报告》的解读", "2025-01-27",
     14216587, 0, nullptr},
    {"002", "report", "重庆市潼南区人民政府办公室2024年政府信息公开工作年度报告", "2025-01-26",
     14216032, 0, nullptr},
    {"003", "report", "宛城区人民政府办公室2024年政府信息公开工作年度报告", "2025-01-24", 14213368,
     0, nullptr},
    {"001", "report", "新华区西市场街道办事处2024年政府信息公开工作年度报告", "2025-01-22",
     14211503, 1, nullptr},
    {"000", "report", "北京市怀柔区人民政府办公室2024年政府信息公开工作年度报告", "2025-01-20",
     14209871, 1, nullptr},
    {"", "lookalike", "关于2023年政府信息公开工作年度报告的更正说明", "2024-03-15", 13705122, 2,
     "我单位2024年1月发布的2023年政府信息公开工作年度报告中，表三“本年新收政府信息公开申请数量”"
     "填报有误，现予以更正。特此说明，由此带来的不便敬请谅解。"},
    {"004", "report", "邢台市襄都区2020年政府信息公开工作年度报告", "2021-02-19", 8823415, 2,
     nullptr},
};

// The text of the first <tag>...</tag> element: markup dropped, &nbsp; and
// whitespace runs collapsed to one space, trimmed. Empty if there is none.
std::string ElementText(std::string_view html, std::string_view tag) {
  size_t open = html.find("<" + std::string(tag));
  if (open == std::string_view::npos) return "";
  size_t start = html.find('>', open);
  size_t end = html.find("</" + std::string(tag), open);
  if (start == std::string_view::npos || end == std::string_view::npos || end < start) return "";
  std::string text;
  bool in_tag = false;
  for (size_t i = start + 1; i < end; ++i) {
    char c = html[i];
    if (c == '<') in_tag = true;
    if (!in_tag) {
      if (html.compare(i, 6, "&nbsp;") == 0) c = ' ', i += 5;
      if (!IsSpace(c))
        text += c;
      else if (!text.empty() && text.back() != ' ')
        text += ' ';
    }
    if (c == '>') in_tag = false;
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

// The page's own title: the first <h1> that names a year (portals put the site
// or department name in other <h1>s), else <title> without its site suffix.
std::string PageTitle(std::string_view html) {
  for (size_t at = html.find("<h1"); at != std::string_view::npos; at = html.find("<h1", at + 1)) {
    std::string text = ElementText(html.substr(at), "h1");
    if (text.find("年") != std::string::npos) return text;
  }
  std::string title = ElementText(html, "title");
  return title.substr(0, std::min(title.find('_'), title.find(" | ")));
}

// The first YYYY-MM-DD shortly after a publication-date label, or "".
std::string PublicationDate(std::string_view html) {
  for (std::string_view label : {"发布时间", "发布日期", "日期"}) {
    size_t at = html.find(label);
    if (at == std::string_view::npos) continue;
    std::string_view window = html.substr(at, 120);
    for (size_t i = 0; i + 10 <= window.size(); ++i) {
      std::string_view d = window.substr(i, 10);
      auto digits = [&](size_t from, size_t n) {
        for (size_t k = from; k < from + n; ++k)
          if (d[k] < '0' || d[k] > '9') return false;
        return true;
      };
      if (digits(0, 4) && d[4] == '-' && digits(5, 2) && d[7] == '-' && digits(8, 2))
        return std::string(d);
    }
  }
  return "";
}

std::chrono::year_month_day ParseYmd(const std::string& ymd) {
  using namespace std::chrono;
  return year_month_day{year{std::atoi(ymd.substr(0, 4).c_str())},
                        month{static_cast<unsigned>(std::atoi(ymd.substr(5, 2).c_str()))},
                        day{static_cast<unsigned>(std::atoi(ymd.substr(8, 2).c_str()))}};
}


// Replaces the page's <meta charset=...> with the GB2312 declaration old
// portals use (inserting it after <head> if the page has none).
std::string DeclareGb2312(std::string html) {
  static constexpr std::string_view kMeta =
      "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">";
  std::string lower = html;
  for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  size_t at = lower.find("<meta charset");
  if (at != std::string::npos && lower.find('>', at) != std::string::npos)
    return html.replace(at, lower.find('>', at) + 1 - at, kMeta);
  at = lower.find("<head>");
  return html.insert(at == std::string::npos ? 0 : at + 6, kMeta);
}

// In a report table, the first cell after `row` (across markup, spaces and
// "|") for each `row` that follows `header`, if it reads `from` (a whole
// number), becomes `to`. Returns the number of cells replaced.
int ReplaceCell(std::string* html, std::string_view header, std::string_view row,
                std::string_view from, std::string_view to) {
  std::string& s = *html;
  int replaced = 0;
  size_t pos = s.find(header);
  while (pos != std::string::npos && (pos = s.find(row, pos)) != std::string::npos) {
    pos += row.size();
    while (pos < s.size()) {  // Skip to the next cell's text.
      if (s[pos] == '<' && s.find('>', pos) != std::string::npos)
        pos = s.find('>', pos) + 1;
      else if (IsSpace(s[pos]) || s[pos] == '|')
        ++pos;
      else if (s.compare(pos, 6, "&nbsp;") == 0)
        pos += 6;
      else
        break;
    }
    const size_t end = pos + from.size();
    const bool digit_follows = end < s.size() && s[end] >= '0' && s[end] <= '9';
    if (s.compare(pos, from.size(), from) == 0 && !digit_follows) {
      s.replace(pos, from.size(), to);
      ++replaced;
    }
  }
  return replaced;
}

// Points the page's 下一篇 link (page chrome) at another article, as when a
// site publishes a newer one; the report body is untouched. Returns false if
// the page has no 下一篇 link.
bool ChangeNextArticleLink(std::string* html, std::string_view href, std::string_view title) {
  const size_t label = html->find("下一篇");
  const size_t open = label == std::string::npos ? label : html->find("<a ", label);
  const size_t close = open == std::string::npos ? open : html->find("</a>", open);
  if (close == std::string::npos) return false;
  html->replace(
      open, close + 4 - open,
      "<a href=\"" + std::string(href) + "\" target=\"_self\">" + std::string(title) + "</a>");
  return true;
}

int KindRank(std::string_view kind) {
  return kind == "listing" ? 0 : kind == "listing-data" ? 1 : kind == "robots" ? 3 : 2;
}

// ------------------------------------------------------------------ TRS

// TRS-style page chrome shared by listings and generated pages.
constexpr Chrome kTrsChrome = {R"(<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title}_示例市人民政府</title>
<meta name="ColumnName" content="政府信息公开年报">
</head>
<body>
<div class="header"><a class="logo" href="/">示例市人民政府</a>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="position">您当前的位置: <a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a>
 &gt; <a href="/zwgk/zfxxgknb/">政府信息公开年报</a></div>
<div class="side"><h3>政府信息公开</h3><ul>
<li><a href="/zwgk/zfxxgkzn/">政府信息公开指南</a></li>
<li><a href="/zwgk/zfxxgkzd/">政府信息公开制度</a></li>
<li><a href="/zwgk/fdzdgknr/">法定主动公开内容</a></li>
<li><a href="/zwgk/zfxxgknb/">政府信息公开年报</a></li></ul></div>
<div class="main">
)",
                               R"(</div>
<div class="footer"><p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a>
 | <a href="/wzsm/">网站声明</a></p>
<p>版权所有：示例市人民政府办公室　主办单位：示例市人民政府办公室</p>
<p><a href="https://beian.miit.gov.cn/">京ICP备00000000号</a>　网站标识码：1100000000</p></div>
</body>
</html>
)"};

constexpr Night2Plan kTrsNight2 = {
    .cell_seed = "002",
    .header = "本年制发件数",
    .row = "行政规范性文件",
    .from = "7",
    .to = "8",
    .chrome_seed = "000",
    .next_href = "/zfxxgkzl/gknb/2024nb/qzfbm2024/9c4e7a21d3b84f6ea0d5c1b2e3f47a86.html",
    .next_title = "北京市怀柔区教育委员会2024年政府信息公开工作年度报告"};

std::string TrsListingName(int page) {
  return page == 0 ? "index.shtml" : "index_" + std::to_string(page) + ".shtml";
}

}  // namespace

bool Utf8ToGb18030(std::string_view in, std::string* out) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  out->assign(in.size() * 2 + 16, '\0');
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  char* dst = out->data();
  size_t dst_left = out->size();
  const bool ok = iconv(cd, &src, &src_left, &dst, &dst_left) != static_cast<size_t>(-1);
  iconv_close(cd);
  out->resize(out->size() - dst_left);
  return ok && src_left == 0;
}

// ------------------------------------------------------------- text helpers

std::string HtmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string JsonEscape(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof(esc), "\\u%04x", static_cast<unsigned>(c));
      out += esc;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string_view Std(boost::beast::string_view s) { return {s.data(), s.size()}; }

std::string HttpDate(const std::string& ymd) {
  using namespace std::chrono;
  const year_month_day date = ParseYmd(ymd);
  if (!date.ok()) return kSiteModified;
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char out[64];
  std::snprintf(out, sizeof(out), "%s, %02u %s %d 09:00:00 GMT",
                kDays[weekday(sys_days(date)).c_encoding()], static_cast<unsigned>(date.day()),
                kMonths[static_cast<unsigned>(date.month()) - 1], static_cast<int>(date.year()));
  return out;
}

int64_t UnixTime(const std::string& ymd) {
  using namespace std::chrono;
  return duration_cast<seconds>(sys_days(ParseYmd(ymd)).time_since_epoch()).count() + 3600;
}

std::string ETagOf(std::string_view body) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : body) hash = (hash ^ c) * 1099511628211ull;
  char out[24];
  std::snprintf(out, sizeof(out), "\"%016llx\"", static_cast<unsigned long long>(hash));
  return out;
}

std::string Param(std::string_view query, std::string_view name, std::string_view fallback) {
  while (!query.empty()) {
    const std::string_view pair = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(query.size(), pair.size() + 1));
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name)
      return std::string(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
  }
  return std::string(fallback);
}

// ----------------------------------------------------------------- replies

void SetReply(Reply* reply, http::status status, std::string_view type, std::string body) {
  reply->res.result(status);
  reply->res.set(http::field::content_type, boost::beast::string_view(type.data(), type.size()));
  reply->res.body() = std::move(body);
}

bool Redirect(std::string_view path, std::string_view home, Reply* reply) {
  std::string location;
  if (path == "/hostile/redirect-offsite") {
    location = "http://offsite.invalid/zwgk/report.html";
  } else if (path == "/hostile/redirect-loop-a") {
    location = "/hostile/redirect-loop-b";
  } else if (path == "/hostile/redirect-loop-b") {
    location = "/hostile/redirect-loop-a";
  } else if (path.starts_with("/hostile/redirect-chain/")) {
    const int hops = std::atoi(std::string(path.substr(24)).c_str());
    location = hops > 0 ? "/hostile/redirect-chain/" + std::to_string(hops - 1) : std::string(home);
  } else {
    return false;
  }
  reply->res.set(http::field::location, location);
  SetReply(reply, http::status::found, "text/html; charset=utf-8",
           "<html><body>moved</body></html>\n");
  return true;
}

// -------------------------------------------------------------------- Site

Page MakePage(std::string path, std::string kind, std::string seed, std::string title,
              std::string night2) {
  Page page;
  page.path = std::move(path);
  page.kind = std::move(kind);
  page.seed = std::move(seed);
  page.title = std::move(title);
  page.night2 = std::move(night2);
  return page;
}

void Site::Add(Resource r, std::string body1, std::string body2) {
  const bool same = body1 == body2;
  if (r.last_modified[0].empty()) r.last_modified[0] = kSiteModified;
  r.last_modified[1] = same ? r.last_modified[0] : kNight2Modified;
  r.body[0] = std::move(body1);
  r.body[1] = same ? r.body[0] : std::move(body2);
  for (int n = 0; n < 2; ++n) {
    if (r.body[n].find(kOriginToken) != std::string::npos) r.source[n] = r.body[n];
    r.etag[n] = ETagOf(r.body[n]);
  }
  pages_.push_back(r.page);
  order_.push_back(r.page.path);
  resources_[r.page.path] = std::move(r);
}

void Site::AddNight2Only(Resource r, std::string body) {
  r.page.night2 = "new";
  r.exists[0] = false;
  r.last_modified[0] = kNight2Modified;
  Add(std::move(r), body, body);
}

void Site::AddDynamic(Page page) { pages_.push_back(std::move(page)); }

void Site::KeyByQuery(std::string path, std::vector<std::pair<std::string, std::string>> params) {
  query_keys_[std::move(path)] = std::move(params);
}

const Resource* Site::Find(std::string_view path, std::string_view query) const {
  std::string key(path);
  if (auto keys = query_keys_.find(path); keys != query_keys_.end()) {
    char separator = '?';
    for (const auto& [name, fallback] : keys->second) {
      const std::string value = Param(query, name, fallback);
      if (value.empty()) return nullptr;
      key += separator + name + "=" + value;
      separator = '&';
    }
  }
  auto it = resources_.find(key);
  return it == resources_.end() ? nullptr : &it->second;
}

void Site::SetOrigin(const std::string& origin) {
  for (auto& [path, r] : resources_) {
    for (int n = 0; n < 2; ++n) {
      if (r.source[n].empty()) continue;
      std::string body = r.source[n];
      for (size_t at = body.find(kOriginToken); at != std::string::npos;
           at = body.find(kOriginToken, at + origin.size()))
        body.replace(at, kOriginToken.size(), origin);
      r.body[n] = std::move(body);
      r.etag[n] = ETagOf(r.body[n]);
    }
  }
}

std::vector<Page> Site::Manifest() const {
  std::vector<Page> pages = pages_;
  std::stable_sort(pages.begin(), pages.end(), [](const Page& a, const Page& b) {
    return KindRank(a.kind) < KindRank(b.kind);
  });
  return pages;
}

// ----------------------------------------------------------------- catalog

bool LoadCatalog(std::vector<Item>* items, std::string* error) {
  int serial = 0;
  for (const EntrySpec& spec : kEntries) {
    Item item;
    item.seed = spec.seed;
    item.kind = spec.kind;
    item.title = spec.title;
    item.date = spec.date;
    item.id = spec.id;
    item.serial = ++serial;
    item.trs_page = spec.listing_page;
    item.text = spec.text;
    if (!item.seed.empty()) {
      const std::string_view page = EmbeddedPage(item.seed);
      if (page.empty()) {
        *error = "embedded page " + item.seed + ".html is missing or empty";
        return false;
      }
      const std::string title = PageTitle(page);
      if (!title.empty()) item.title = title;
      const std::string date = PublicationDate(page);
      if (!date.empty()) item.date = date;
    }
    items->push_back(std::move(item));
  }
  return true;
}

Item PdfItem() {
  Item item;
  item.seed = kPdfSeed;
  item.kind = "report";
  item.title = "淮安市洪泽区人民政府2024年政府信息公开工作年度报告";
  item.date = "2025-02-25";
  item.id = 14302518;
  item.serial = static_cast<int>(std::size(kEntries)) + 1;
  return item;
}

std::string Chrome::Wrap(std::string_view title, std::string_view inner) const {
  std::string html(top);
  html.replace(html.find("{title}"), 7, HtmlEscape(title));
  return html.append(inner).append(bottom);
}

// ------------------------------------------------------------- detail pages

bool AddDetailPage(Site* site, const Chrome& chrome, const Item& item, const Night2Plan& plan,
                   bool night2_only, std::string* error) {
  if (item.path.empty()) return true;
  Resource r;
  r.page = MakePage(item.path, item.kind, item.seed, item.title);
  r.last_modified[0] = HttpDate(item.date);
  auto add = [&](Resource resource, std::string body1, std::string body2) {
    if (night2_only)
      site->AddNight2Only(std::move(resource), std::move(body2));
    else
      site->Add(std::move(resource), std::move(body1), std::move(body2));
  };
  if (item.seed.empty()) {  // Synthetic look-alike: chrome and two sentences, no tables.
    std::string body = chrome.Wrap(
        item.title, "<!-- synthetic page generated by nianbao-sim -->\n<h1>" +
                        HtmlEscape(item.title) + "</h1>\n<div class=\"info\">发布时间：" +
                        item.date + "</div>\n<div class=\"content\"><p>" + item.text +
                        "</p></div>\n");
    add(std::move(r), body, body);
    return true;
  }
  const std::string source(EmbeddedPage(item.seed));
  if (source.empty()) {
    *error = "embedded page " + item.seed + " is missing or empty";
    return false;
  }
  if (item.seed == kPdfSeed) {
    if (!item.attachment.empty()) {  // A detail page whose only content is the PDF.
      const std::string body = chrome.Wrap(
          item.title, "<h1>" + HtmlEscape(item.title) + "</h1>\n<div class=\"info\">发布日期：" +
                          item.date + "</div>\n<div class=\"content\"><p>附件：<a href=\"" +
                          item.attachment + "\">" + HtmlEscape(item.title) +
                          ".pdf</a></p></div>\n");
      add(r, body, body);
      r.page.path = item.attachment;
    }
    r.page.kind = "attachment";
    r.content_type = "application/pdf";
    add(std::move(r), source, source);
    return true;
  }
  std::string night2 = source;
  if (night2_only) {
    // Night 2's new entry republishes a seed page with a sentence of its own
    // (synthetic, and it says so), so it is a report of its own, not a repost.
    size_t at = night2.find("一、总体情况");
    if (at != std::string::npos) at = night2.rfind("<p", at);
    if (at == std::string::npos) {
      *error = "page " + item.seed + ": no 一、总体情况 paragraph for night 2's new report";
      return false;
    }
    night2.insert(at, "<p>本页为模拟器第二夜新增发布的报告（合成数据，正文取自种子报告）。</p>\n");
  }
  if (!night2_only && item.seed == plan.chrome_seed) {
    if (!ChangeNextArticleLink(&night2, plan.next_href, plan.next_title)) {
      *error = "page " + item.seed + ": no 下一篇 link to change for night 2";
      return false;
    }
    r.page.night2 = "chrome";
  }
  if (!night2_only && item.seed == plan.cell_seed) {
    const int replaced = ReplaceCell(&night2, plan.header, plan.row, plan.from, plan.to);
    if (replaced != 1) {
      *error = "page " + item.seed + ": expected exactly one " + std::string(plan.row) + " " +
               std::string(plan.header) + " cell reading " + std::string(plan.from) +
               ", replaced " + std::to_string(replaced);
      return false;
    }
    r.page.night2 = "cell";
  }
  if (item.seed == "004") {
    std::string gbk;
    if (!Utf8ToGb18030(DeclareGb2312(source), &gbk)) {
      *error = "page 004: cannot convert UTF-8 to GB18030";
      return false;
    }
    r.content_type = "text/html; charset=gb2312";
    add(std::move(r), gbk, gbk);
  } else {
    add(std::move(r), source, std::move(night2));
  }
  return true;
}

std::string LinkItem(std::string_view href, const Item& item, std::string_view attrs) {
  const std::string title = HtmlEscape(item.title);
  return "<li><a href=\"" + std::string(href) + "\"" + std::string(attrs) + " title=\"" + title +
         "\">" + title + "</a><span>" + item.date + "</span></li>";
}

void AddListing(Site* site, std::string path, std::string kind, std::string body1,
                std::string body2, std::string content_type) {
  Resource r;
  r.page = MakePage(std::move(path), std::move(kind));
  if (body1 != body2) r.page.night2 = "listing";
  r.content_type = std::move(content_type);
  site->Add(std::move(r), std::move(body1), std::move(body2));
}

void AddRobots(Site* site, std::string text) {
  Resource robots;
  robots.page = MakePage("/robots.txt", "robots");
  robots.content_type = "text/plain; charset=utf-8";
  site->Add(std::move(robots), text, text);
}

std::vector<const Item*> PageOf(const std::vector<Item>& items, int page, int per_page) {
  std::vector<const Item*> out;
  for (size_t i = static_cast<size_t>(page * per_page);
       i < items.size() && i < static_cast<size_t>((page + 1) * per_page); ++i)
    out.push_back(&items[i]);
  return out;
}

// --------------------------------------------------------------- TRS host

// Bulk pages for benchmarks (bench/crawl_bench.sh), not part of the portal:
// /bulk/list_<k>.shtml lists 100 synthetic report titles linking
// /bulk/<k>/<i>.shtml (each serves report 002's page) and 下一页 to list_<k+1>,
// for k < 10000.
bool BulkPage(const Request& req, const Site& site, Reply* reply) {
  static const std::string kReport = "/zwgk/zfxxgknb/202501/t20250126_14216032.shtml";
  std::string_view rest = req.path.substr(6);
  if (rest.starts_with("list_") && rest.ends_with(".shtml")) {
    int k = std::atoi(std::string(rest.substr(5)).c_str());
    if (k < 0 || k >= 10000) return false;
    std::string html = "<html><head><meta charset=\"utf-8\"><title>bulk</title></head><body><ul>\n";
    for (int i = 0; i < 100; ++i) {
      html += "<li><a href=\"/bulk/" + std::to_string(k) + "/" + std::to_string(i) + ".shtml\">单位" +
              std::to_string(k * 100 + i) + "号2024年政府信息公开工作年度报告</a></li>\n";
    }
    html += "</ul><a href=\"list_" + std::to_string(k + 1) + ".shtml\">下一页</a></body></html>\n";
    SetReply(reply, http::status::ok, "text/html; charset=utf-8", html);
    return true;
  }
  const Resource* r = site.Find(kReport, "");
  if (!r) return false;
  // A sentence of its own in the body, so every bulk page is a report of its own.
  std::string body = r->body[0];
  size_t at = body.find("一、总体情况");
  if (at != std::string::npos) at = body.rfind("<p", at);
  if (at != std::string::npos) body.insert(at, "<p>本报告编号" + std::string(rest) + "。</p>");
  SetReply(reply, http::status::ok, r->content_type, std::move(body));
  return true;
}

bool BuildTrs(const std::vector<Item>& catalog, Host* host, std::string* error) {
  host->column = std::string(kColumnDir) + TrsListingName(0);
  std::vector<Item> entries = catalog;
  for (Item& e : entries) {
    const std::string ymd = e.date.substr(0, 4) + e.date.substr(5, 2) + e.date.substr(8, 2);
    e.path = std::string(kColumnDir) + ymd.substr(0, 6) + "/t" + ymd + "_" + std::to_string(e.id) +
             ".shtml";
  }
  for (int page = 0; page < kListingPages; ++page) {
    std::string html = "<ul class=\"list\">\n";
    for (size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].trs_page != page) continue;
      // Alternate relative and absolute-path links, as real listings mix them.
      const std::string href =
          i % 2 == 0 ? "." + entries[i].path.substr(kColumnDir.size() - 1) : entries[i].path;
      html += LinkItem(href, entries[i], " target=\"_blank\"") + "\n";
    }
    const std::string count = std::to_string(kListingPages);
    html += "</ul>\n<div class=\"page\">\n<script>\nvar countPage = " + count +
            "//共多少页\n</script>\n<script>createPageHTML(" + count + ", " + std::to_string(page) +
            ", \"index\", \"shtml\");</script>\n<span>共" + count + "页</span>\n";
    if (page > 0) html += "<a href=\"" + TrsListingName(page - 1) + "\">上一页</a>\n";
    if (page + 1 < kListingPages)
      html += "<a href=\"" + TrsListingName(page + 1) + "\">下一页</a>\n";
    html += "</div>\n";
    html = kTrsChrome.Wrap("政府信息公开年报", html);
    AddListing(&host->site, std::string(kColumnDir) + TrsListingName(page), "listing", html, html);
  }
  for (const Item& e : entries)
    if (!AddDetailPage(&host->site, kTrsChrome, e, kTrsNight2, false, error)) return false;
  AddRobots(&host->site, "User-agent: *\nDisallow: /private/\n");
  host->handler = [](const Request& req, const Site& site, Reply* reply) {
    if (!req.get_or_head()) return false;
    if (req.path.starts_with("/hostile/")) {
      // Named misbehaviour for the fetcher's tests; the rest is on the hostile host.
      if (!Redirect(req.path, std::string(kColumnDir) + TrsListingName(0), reply))
        SetReply(reply, http::status::not_found, "text/plain", "no such hostile endpoint\n");
      return true;
    }
    if (req.path.starts_with("/bulk/")) return BulkPage(req, site, reply);
    if (req.path != kColumnDir) return false;
    reply->res.set(http::field::location, std::string(kColumnDir) + TrsListingName(0));
    SetReply(reply, http::status::moved_permanently, "text/html; charset=utf-8",
             "<html><body><a href=\"index.shtml\">index.shtml</a></body></html>\n");
    return true;
  };
  return true;
}

}  // namespace nianbao::sim::internal
