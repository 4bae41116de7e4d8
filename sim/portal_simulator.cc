// sim/portal_simulator.cpp
//
// Two halves: Site builds every page in memory once (from the embedded seed
// pages plus generated chrome), and the server half (Session, RequestLog,
// PortalSimulator::Impl) serves it with Beast on one io_context thread, so
// handlers never run concurrently and need no strands.

#include "sim/portal_simulator.h"

#include <cstdlib>
#include <iconv.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "sim/embedded_pages.h"

namespace nianbao::sim {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::string_view kColumnDir = "/zwgk/zfxxgknb/";
constexpr int kListingPages = 3;
constexpr const char* kSiteModified = "Mon, 10 Feb 2025 08:00:00 GMT";
constexpr const char* kNight2Modified = "Sun, 01 Jun 2025 02:00:00 GMT";
constexpr auto kIdleTimeout = std::chrono::seconds(30);

// One entry of the column listing and the page behind it. Titles and dates
// are read from the embedded page when it has them; these are the fallbacks.
struct EntrySpec {
  const char* seed;  // embedded page name; "" = generated look-alike page
  const char* kind;
  const char* title;
  const char* date;  // YYYY-MM-DD
  long id;           // TRS document id
  int listing_page;
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

// ---------------------------------------------------------------- text helpers

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

std::string_view Std(beast::string_view s) { return {s.data(), s.size()}; }

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

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

// "2025-01-26" -> "Sun, 26 Jan 2025 09:00:00 GMT".
std::string HttpDate(const std::string& ymd) {
  using namespace std::chrono;
  const year_month_day date{year{std::stoi(ymd.substr(0, 4))},
                            month{static_cast<unsigned>(std::stoi(ymd.substr(5, 2)))},
                            day{static_cast<unsigned>(std::stoi(ymd.substr(8, 2)))}};
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

// A quoted FNV-1a 64-bit hash of body.
std::string ETagOf(std::string_view body) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : body) hash = (hash ^ c) * 1099511628211ull;
  char out[24];
  std::snprintf(out, sizeof(out), "\"%016llx\"", static_cast<unsigned long long>(hash));
  return out;
}

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

// Night 2 of page 002: in table 二, the 行政规范性文件 row's 本年制发件数 cell
// (the first value after the label, across markup, spaces and "|") goes from
// 7 to 8. Returns the number of cells replaced; the caller requires exactly 1.
int BumpNormativeDocuments(std::string* html) {
  const std::string_view kHeader = "本年制发件数", kLabel = "行政规范性文件";
  std::string& s = *html;
  int replaced = 0;
  size_t pos = s.find(kHeader);
  while (pos != std::string::npos && (pos = s.find(kLabel, pos)) != std::string::npos) {
    pos += kLabel.size();
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
    const bool digit_follows = pos + 1 < s.size() && s[pos + 1] >= '0' && s[pos + 1] <= '9';
    if (pos < s.size() && s[pos] == '7' && !digit_follows) s[pos] = '8', ++replaced;
  }
  return replaced;
}

// Night 2 of page 000: the 下一篇 link (page chrome) points at a newer article,
// as when a site publishes another report; the report body is untouched.
// Returns false if the page has no 下一篇 link.
bool ChangeNextArticleLink(std::string* html) {
  const size_t label = html->find("下一篇");
  const size_t open = label == std::string::npos ? label : html->find("<a ", label);
  const size_t close = open == std::string::npos ? open : html->find("</a>", open);
  if (close == std::string::npos) return false;
  html->replace(open, close + 4 - open,
                "<a href=\"/zfxxgkzl/gknb/2024nb/qzfbm2024/9c4e7a21d3b84f6ea0d5c1b2e3f47a86.html\" "
                "target=\"_self\">北京市怀柔区教育委员会2024年政府信息公开工作年度报告</a>");
  return true;
}

// ------------------------------------------------------------------- the site

// TRS-style page chrome shared by listings and generated pages; {title} is
// replaced by the page title.
constexpr std::string_view kChromeTop = R"(<!DOCTYPE html>
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
)";

constexpr std::string_view kChromeBottom = R"(</div>
<div class="footer"><p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a>
 | <a href="/wzsm/">网站声明</a></p>
<p>版权所有：示例市人民政府办公室　主办单位：示例市人民政府办公室</p>
<p><a href="https://beian.miit.gov.cn/">京ICP备00000000号</a>　网站标识码：1100000000</p></div>
</body>
</html>
)";

constexpr std::string_view kRobots = "User-agent: *\nDisallow: /private/\n";

std::string ChromeTop(std::string_view title) {
  std::string html(kChromeTop);
  return html.replace(html.find("{title}"), 7, HtmlEscape(title));
}

std::string ListingName(int page) {
  return page == 0 ? "index.shtml" : "index_" + std::to_string(page) + ".shtml";
}

struct Resource {
  PortalSimulator::Page page;
  std::string content_type = "text/html; charset=utf-8";
  std::string body[2];  // by night - 1
  std::string etag[2];
  std::string last_modified[2];
};

class Site {
 public:
  // Builds every page. Returns false and sets *error if a seed page is
  // missing, page 004 cannot be converted, or a night-2 edit does not apply
  // (page 000 without a 下一篇 link, page 002 without exactly one 7 to bump).
  bool Build(std::string* error);
  const Resource* Find(std::string_view path) const;
  std::vector<PortalSimulator::Page> Manifest() const;

 private:
  struct Entry {
    const EntrySpec* spec;
    std::string title, date, path;
  };
  bool AddEntryPage(const Entry& entry, std::string* error);
  void Add(Resource resource, std::string body1, std::string body2);

  std::map<std::string, Resource, std::less<>> resources_;
  std::vector<std::string> order_;
};

void Site::Add(Resource r, std::string body1, std::string body2) {
  const bool same = body1 == body2;
  if (r.last_modified[0].empty()) r.last_modified[0] = kSiteModified;
  r.last_modified[1] = same ? r.last_modified[0] : kNight2Modified;
  r.body[0] = std::move(body1);
  r.body[1] = same ? r.body[0] : std::move(body2);
  for (int n = 0; n < 2; ++n) r.etag[n] = ETagOf(r.body[n]);
  order_.push_back(r.page.path);
  resources_[r.page.path] = std::move(r);
}

bool Site::AddEntryPage(const Entry& e, std::string* error) {
  const std::string seed = e.spec->seed;
  Resource r;
  r.page = {e.path, e.spec->kind, seed, e.title};
  r.last_modified[0] = HttpDate(e.date);
  if (seed.empty()) {  // Synthetic look-alike: chrome and two sentences, no tables.
    std::string body = ChromeTop(e.title) +
                       "<!-- synthetic page generated by nianbao-sim -->\n<h1>" +
                       HtmlEscape(e.title) + "</h1>\n<div class=\"info\">发布时间：" + e.date +
                       "</div>\n<div class=\"content\"><p>" + e.spec->text + "</p></div>\n" +
                       std::string(kChromeBottom);
    Add(std::move(r), body, body);
    return true;
  }
  const std::string source(EmbeddedPage(seed));
  std::string night2 = source;
  if (seed == "000" && !ChangeNextArticleLink(&night2)) {
    *error = "page 000: no 下一篇 link to change for night 2";
    return false;
  }
  if (seed == "002") {
    const int replaced = BumpNormativeDocuments(&night2);
    if (replaced != 1) {
      *error =
          "page 002: expected exactly one 行政规范性文件 本年制发件数 cell reading 7, replaced " +
          std::to_string(replaced);
      return false;
    }
  }
  if (seed == "004") {
    std::string gbk;
    if (!Utf8ToGb18030(DeclareGb2312(source), &gbk)) {
      *error = "page 004: cannot convert UTF-8 to GB18030";
      return false;
    }
    r.content_type = "text/html; charset=gb2312";
    Add(std::move(r), gbk, gbk);
  } else {
    Add(std::move(r), source, std::move(night2));
  }
  return true;
}

bool Site::Build(std::string* error) {
  std::vector<Entry> entries;
  for (const EntrySpec& spec : kEntries) {
    Entry e{&spec, spec.title, spec.date, ""};
    if (*spec.seed) {
      const std::string_view page = EmbeddedPage(spec.seed);
      if (page.empty()) {
        *error = std::string("embedded page ") + spec.seed + ".html is missing or empty";
        return false;
      }
      const std::string title = PageTitle(page);
      if (!title.empty()) e.title = title;
      const std::string date = PublicationDate(page);
      if (!date.empty()) e.date = date;
    }
    const std::string ymd = e.date.substr(0, 4) + e.date.substr(5, 2) + e.date.substr(8, 2);
    e.path = std::string(kColumnDir) + ymd.substr(0, 6) + "/t" + ymd + "_" +
             std::to_string(spec.id) + ".shtml";
    entries.push_back(std::move(e));
  }
  for (int page = 0; page < kListingPages; ++page) {
    std::string html = ChromeTop("政府信息公开年报") + "<ul class=\"list\">\n";
    for (size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].spec->listing_page != page) continue;
      // Alternate relative and absolute-path links, as real listings mix them.
      const std::string href =
          i % 2 == 0 ? "." + entries[i].path.substr(kColumnDir.size() - 1) : entries[i].path;
      html += "<li><a href=\"" + href + "\" target=\"_blank\" title=\"" +
              HtmlEscape(entries[i].title) + "\">" + HtmlEscape(entries[i].title) + "</a><span>" +
              entries[i].date + "</span></li>\n";
    }
    const std::string count = std::to_string(kListingPages);
    html += "</ul>\n<div class=\"page\">\n<script>\nvar countPage = " + count +
            "//共多少页\n</script>\n<script>createPageHTML(" + count + ", " + std::to_string(page) +
            ", \"index\", \"shtml\");</script>\n<span>共" + count + "页</span>\n";
    if (page > 0) html += "<a href=\"" + ListingName(page - 1) + "\">上一页</a>\n";
    if (page + 1 < kListingPages) html += "<a href=\"" + ListingName(page + 1) + "\">下一页</a>\n";
    html += "</div>\n" + std::string(kChromeBottom);
    Resource r;
    r.page = {std::string(kColumnDir) + ListingName(page), "listing", "", ""};
    Add(std::move(r), html, html);
  }
  for (const Entry& e : entries)
    if (!AddEntryPage(e, error)) return false;
  Resource robots;
  robots.page = {"/robots.txt", "robots", "", ""};
  robots.content_type = "text/plain; charset=utf-8";
  Add(std::move(robots), std::string(kRobots), std::string(kRobots));
  return true;
}

const Resource* Site::Find(std::string_view path) const {
  auto it = resources_.find(path);
  return it == resources_.end() ? nullptr : &it->second;
}

std::vector<PortalSimulator::Page> Site::Manifest() const {
  std::vector<PortalSimulator::Page> pages;
  for (const std::string& path : order_) pages.push_back(resources_.at(path).page);
  return pages;
}

// ----------------------------------------------------------------- the server

int64_t NowMicros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

class RequestLog {
 public:
  ~RequestLog() { Close(); }
  // Truncates and opens path; an empty path means no log.
  bool Open(const std::string& path, std::string* error) {
    std::lock_guard<std::mutex> lock(mu_);
    if (path.empty()) return true;
    file_ = std::fopen(path.c_str(), "w");
    if (file_ == nullptr) *error = "cannot open request log " + path;
    return file_ != nullptr;
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    if (file_ != nullptr) std::fclose(file_);
    file_ = nullptr;
  }
  void Write(int64_t start, std::string_view method, std::string_view target, unsigned status,
             size_t body_bytes) {
    const int64_t end = NowMicros();
    std::lock_guard<std::mutex> lock(mu_);
    if (file_ == nullptr) return;
    std::fprintf(file_, "%lld %lld %.*s %.*s %u %zu\n", static_cast<long long>(start),
                 static_cast<long long>(end), static_cast<int>(method.size()), method.data(),
                 static_cast<int>(target.size()), target.data(), status, body_bytes);
    std::fflush(file_);
  }

 private:
  std::mutex mu_;
  std::FILE* file_ = nullptr;
};

class Session;

// What the server shares with its sessions. sessions and stopping are touched
// on the io thread only.
struct ServerState {
  Site site;
  std::atomic<int> night{1};
  int latency_ms = 0;
  RequestLog log;
  std::unordered_set<Session*> sessions;
  bool stopping = false;
};

http::response<http::string_body> Respond(const http::request<http::string_body>& req,
                                          ServerState& state) {
  http::response<http::string_body> res;
  res.version(req.version());
  res.keep_alive(req.keep_alive());
  res.set(http::field::server, "nianbao-sim");
  auto reply = [&](http::status status, std::string type, std::string body) {
    res.result(status);
    res.set(http::field::content_type, type);
    res.body() = std::move(body);
  };
  const std::string_view target = Std(req.target());
  const std::string_view path = target.substr(0, target.find('?'));
  const std::string_view query = path.size() < target.size() ? target.substr(path.size() + 1) : "";
  if (path == "/__sim/night") {
    if (query == "n=1" || query == "n=2") state.night = query.back() - '0';
    if (query.empty() || query == "n=1" || query == "n=2")
      reply(http::status::ok, "text/plain", "night " + std::to_string(state.night.load()) + "\n");
    else
      reply(http::status::bad_request, "text/plain", "use /__sim/night?n=1 or ?n=2\n");
  } else if (req.method() != http::verb::get && req.method() != http::verb::head) {
    res.set(http::field::allow, "GET, HEAD");
    reply(http::status::method_not_allowed, "text/plain", "method not allowed\n");
  } else if (path.starts_with("/hostile/")) {
    // Named misbehaviour for the fetcher's tests (more arrive with issue 5).
    std::string location;
    if (path == "/hostile/redirect-offsite") location = "http://offsite.invalid/zwgk/report.html";
    else if (path == "/hostile/redirect-loop-a") location = "/hostile/redirect-loop-b";
    else if (path == "/hostile/redirect-loop-b") location = "/hostile/redirect-loop-a";
    else if (path.starts_with("/hostile/redirect-chain/")) {
      int hops = std::atoi(std::string(path.substr(24)).c_str());
      location = hops > 0 ? "/hostile/redirect-chain/" + std::to_string(hops - 1)
                          : std::string(kColumnDir) + ListingName(0);
    }
    if (location.empty()) {
      reply(http::status::not_found, "text/plain", "no such hostile endpoint\n");
    } else {
      res.set(http::field::location, location);
      reply(http::status::found, "text/html; charset=utf-8", "<html><body>moved</body></html>\n");
    }
  } else if (path == kColumnDir) {
    res.set(http::field::location, std::string(kColumnDir) + ListingName(0));
    reply(http::status::moved_permanently, "text/html; charset=utf-8",
          "<html><body><a href=\"index.shtml\">index.shtml</a></body></html>\n");
  } else if (const Resource* r = state.site.Find(path); r == nullptr) {
    reply(http::status::not_found, "text/html; charset=utf-8",
          "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>404 Not Found</title></head>"
          "<body><h1>404 Not Found</h1><p>您访问的页面不存在或已被删除。</p></body></html>\n");
  } else {
    const int n = state.night.load() - 1;
    res.set(http::field::etag, r->etag[n]);
    res.set(http::field::last_modified, r->last_modified[n]);
    bool fresh = false;
    if (auto inm = req.find(http::field::if_none_match); inm != req.end()) {
      // A comma-separated list of (possibly weak) tags, or *.
      for (std::string_view tags = Std(inm->value()); !tags.empty() && !fresh;) {
        std::string_view tag = tags.substr(0, tags.find(','));
        tags.remove_prefix(std::min(tags.size(), tag.size() + 1));
        while (!tag.empty() && IsSpace(tag.front())) tag.remove_prefix(1);
        while (!tag.empty() && IsSpace(tag.back())) tag.remove_suffix(1);
        if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
        fresh = tag == "*" || tag == r->etag[n];
      }
    } else if (auto ims = req.find(http::field::if_modified_since); ims != req.end()) {
      fresh = Std(ims->value()) == r->last_modified[n];  // exact match, like nginx's default
    }
    if (fresh) {
      res.result(http::status::not_modified);
      return res;
    }
    reply(http::status::ok, r->content_type, r->body[n]);
  }
  res.prepare_payload();
  if (req.method() == http::verb::head) res.body().clear();  // Content-Length stays
  return res;
}

// One connection: read a request, wait latency_ms, write the response, repeat
// while keep-alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, ServerState& state)
      : stream_(std::move(socket)), delay_(stream_.get_executor()), state_(state) {
    state_.sessions.insert(this);
  }
  ~Session() { state_.sessions.erase(this); }

  void Read() {
    if (state_.stopping) return Close();
    req_ = {};
    stream_.expires_after(kIdleTimeout);
    http::async_read(
        stream_, buffer_, req_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  // Aborts whatever the session is waiting for; its handlers then finish.
  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
    delay_.cancel();
  }

 private:
  void OnRead(beast::error_code ec) {
    if (ec || state_.stopping) return Close();
    start_us_ = NowMicros();
    res_ = Respond(req_, state_);
    if (state_.latency_ms <= 0) return Write();
    delay_.expires_after(std::chrono::milliseconds(state_.latency_ms));
    delay_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
      if (!wait_ec && !self->state_.stopping) self->Write();
    });
  }

  void Write() {
    stream_.expires_after(kIdleTimeout);
    http::async_write(stream_, res_, [self = shared_from_this()](beast::error_code ec, size_t) {
      self->OnWrite(ec);
    });
  }

  void OnWrite(beast::error_code ec) {
    if (ec) return Close();
    state_.log.Write(start_us_, Std(req_.method_string()), Std(req_.target()), res_.result_int(),
                     res_.body().size());
    if (!res_.keep_alive()) return Close();
    Read();
  }

  beast::tcp_stream stream_;
  asio::steady_timer delay_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;
  int64_t start_us_ = 0;
  ServerState& state_;
};

}  // namespace

// --------------------------------------------------------- PortalSimulator

struct PortalSimulator::Impl {
  void Accept() {
    acceptor->async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (state.stopping || !acceptor->is_open()) return;
      if (!ec) std::make_shared<Session>(std::move(socket), state)->Read();
      Accept();
    });
  }

  SimulatorOptions options;
  std::string build_error;
  ServerState state;
  std::mutex mu;  // serializes Start() and Stop()
  std::unique_ptr<asio::io_context> ioc;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::thread thread;
  std::atomic<uint16_t> port{0};
};

PortalSimulator::PortalSimulator(SimulatorOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->state.latency_ms = impl_->options.latency_ms;
  impl_->state.night = impl_->options.night;
  if (impl_->options.night != 1 && impl_->options.night != 2)
    impl_->build_error = "night must be 1 or 2";
  else if (impl_->options.latency_ms < 0)
    impl_->build_error = "latency_ms must not be negative";
  else if (!impl_->state.site.Build(&impl_->build_error))
    impl_->state.site = Site();
}

PortalSimulator::~PortalSimulator() { Stop(); }

bool PortalSimulator::Start(std::string* error) {
  Impl& d = *impl_;
  std::lock_guard<std::mutex> lock(d.mu);
  std::string message = d.thread.joinable() ? "already started" : d.build_error;
  if (message.empty()) d.state.log.Open(d.options.request_log_path, &message);
  beast::error_code ec;
  if (message.empty()) {
    d.ioc = std::make_unique<asio::io_context>(1);
    d.acceptor = std::make_unique<tcp::acceptor>(*d.ioc);
    const tcp::endpoint endpoint(asio::ip::make_address(d.options.bind_address, ec),
                                 d.options.port);
    if (!ec) d.acceptor->open(endpoint.protocol(), ec);
    if (!ec) d.acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) d.acceptor->bind(endpoint, ec);
    if (!ec) d.acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
      message = "cannot listen on " + d.options.bind_address + ":" +
                std::to_string(d.options.port) + ": " + ec.message();
  }
  if (!message.empty()) {
    d.acceptor.reset();
    d.ioc.reset();
    d.state.log.Close();
    if (error != nullptr) *error = message;
    return false;
  }
  d.port = d.acceptor->local_endpoint().port();
  d.state.stopping = false;
  d.Accept();
  d.thread = std::thread([&d] { d.ioc->run(); });
  return true;
}

void PortalSimulator::Stop() {
  Impl& d = *impl_;
  std::lock_guard<std::mutex> lock(d.mu);
  if (!d.thread.joinable()) return;
  // No work guard: once the listener and every session are closed and their
  // handlers have run, run() returns by itself.
  asio::post(*d.ioc, [&d] {
    d.state.stopping = true;
    beast::error_code ec;
    d.acceptor->close(ec);
    for (Session* session : d.state.sessions) session->Close();
  });
  d.thread.join();
  d.acceptor.reset();
  d.ioc.reset();
  d.state.log.Close();
  d.port = 0;
}

uint16_t PortalSimulator::port() const { return impl_->port; }

std::string PortalSimulator::base_url() const {
  const std::string& host = impl_->options.bind_address;
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port());
}

std::string PortalSimulator::column_url() const {
  return base_url() + std::string(kColumnDir) + "index.shtml";
}

void PortalSimulator::SetNight(int night) {
  if (night == 1 || night == 2) impl_->state.night = night;
}

int PortalSimulator::night() const { return impl_->state.night; }

std::vector<PortalSimulator::Page> PortalSimulator::Manifest() const {
  return impl_->state.site.Manifest();
}

}  // namespace nianbao::sim
