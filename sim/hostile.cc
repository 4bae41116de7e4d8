// sim/hostile.cc: the hostile host (127.0.0.6). Every misbehaviour a crawler
// meets on real government portals, each at a named path listed (with
// report-like titles, to tempt a crawler) on /hostile/index.html.

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "sim/embedded_pages.h"
#include <ctime>
#include <map>
#include <memory>

#include "sim/site.h"

namespace nianbao::sim::internal {
namespace {

constexpr std::string_view kIndex = "/hostile/index.html";

constexpr Chrome kHostileChrome = {R"(<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title}_示例县人民政府</title>
</head>
<body>
<div class="header"><a href="/hostile/index.html">示例县人民政府</a></div>
<div class="main">
)",
                                   R"(</div>
<div class="footer">示例县人民政府办公室 主办　网站标识码：0000000000</div>
</body>
</html>
)"};

struct Endpoint {
  const char* path;
  const char* seed;  // the report page it serves, "" if none
  Delivery delivery;
  const char* title;  // as linked from the index
};

constexpr Endpoint kEndpoints[] = {
    {"/hostile/503", "002", Delivery::kNormal, "示例县发展和改革局2024年政府信息公开工作年度报告"},
    {"/hostile/429", "003", Delivery::kNormal, "示例县财政局2024年政府信息公开工作年度报告"},
    {"/hostile/slow", "000", Delivery::kTrickle, "示例县教育局2024年政府信息公开工作年度报告"},
    {"/hostile/reset", "", Delivery::kReset, "示例县民政局2024年政府信息公开工作年度报告"},
    {"/hostile/truncated", "001", Delivery::kTruncate,
     "示例县自然资源局2024年政府信息公开工作年度报告"},
    {"/hostile/calendar?date=2025-01-01", "", Delivery::kNormal, "示例县2025年政务活动日历"},
    {"/hostile/soft404", "", Delivery::kNormal, "示例县卫生健康局2024年政府信息公开工作年度报告"},
    {"/hostile/challenge", "", Delivery::kNormal,
     "示例县住房和城乡建设局2024年政府信息公开工作年度报告"},
    {"/hostile/huge", "", Delivery::kGenerated, "示例县交通运输局2024年政府信息公开工作年度报告"},
    {"/hostile/offsite", "", Delivery::kNormal, "示例县政府信息公开年报相关链接"},
    {"/hostile/private/x.html", "003", Delivery::kNormal,
     "示例县审计局2024年政府信息公开工作年度报告"},
};

constexpr std::string_view kSoft404 = R"(<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>页面不存在</title></head>
<body><div class="error-page"><h1>页面不存在</h1>
<p>抱歉，您访问的页面不存在或已被删除！</p>
<p><a href="/hostile/index.html">返回首页</a></p></div></body></html>
)";

constexpr std::string_view kChallenge = R"(<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>安全验证</title>
<script type="text/javascript">
(function () {
  var token = "8f14e45fceea167a5a36dedd4bea2543";
  document.cookie = "__waf_clearance=" + token + "; path=/; max-age=1800";
  setTimeout(function () { location.reload(); }, 1000);
})();
</script></head>
<body><div class="waf"><h2>安全验证</h2><p>正在进行安全验证，请稍候……</p>
<noscript><p>请开启JavaScript并刷新页面后继续访问。</p></noscript></div></body></html>
)";

constexpr std::string_view kOffsite = R"(<h1>相关链接</h1>
<ul class="list">
<li><a href="http://offsite.invalid/zwgk/zfxxgknb/2024nb.html">示例市2024年政府信息公开工作年度报告</a></li>
<li><a href="//offsite.invalid/zwgk/zfxxgknb/2023nb.html">示例市2023年政府信息公开工作年度报告</a></li>
<li><a href="http://10.0.0.1/zfxxgk/nb/2024.html">示例市内网2024年政府信息公开工作年度报告</a></li>
<li><a href="http://169.254.169.254/latest/meta-data/">示例市2024年政府信息公开工作年度报告（镜像）</a></li>
</ul>
)";

// ------------------------------------------------------------ the calendar

std::string CalendarHref(std::string_view date) {
  return "/hostile/calendar?date=" + std::string(date);
}

std::string Ymd(std::chrono::year_month_day d) {
  char out[16];
  std::snprintf(out, sizeof(out), "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return out;
}

std::string Ym(std::chrono::year_month ym) { return Ymd(ym / std::chrono::day{1}).substr(0, 7); }

// A day (?date=YYYY-MM-DD) or month (?date=YYYY-MM) page; every day links the
// next and previous day and its month, every month all its days and the next
// and previous month. Returns false for any other date.
bool Calendar(std::string_view query, Reply* reply) {
  using namespace std::chrono;
  const std::string date = Param(query, "date", "2025-01-01");
  int y = 0;
  unsigned m = 0, d = 1;
  const bool is_day = date.size() == 10;
  if (std::sscanf(date.c_str(), is_day ? "%4d-%2u-%2u" : "%4d-%2u", &y, &m, &d) != (is_day ? 3 : 2))
    return false;
  const year_month_day day{year{y}, month{m}, std::chrono::day{d}};
  if (!day.ok() || (is_day ? Ymd(day) : Ym(day.year() / day.month())) != date) return false;
  const year_month ym = day.year() / day.month();
  std::string html;
  if (is_day) {
    html = "<h1>政务活动日历 " + date + "</h1>\n<p>本日暂无政务活动安排。</p>\n<p><a href=\"" +
           CalendarHref(Ymd(sys_days(day) - days{1})) + "\">前一天</a> <a href=\"" +
           CalendarHref(Ymd(sys_days(day) + days{1})) + "\">后一天</a> <a href=\"" +
           CalendarHref(Ym(ym)) + "\">本月</a></p>\n";
  } else {
    html = "<h1>政务活动日历 " + date + "</h1>\n<ul class=\"days\">\n";
    for (unsigned k = 1; k <= static_cast<unsigned>((ym / last).day()); ++k) {
      const std::string each = Ymd(ym / std::chrono::day{k});
      html += "<li><a href=\"" + CalendarHref(each) + "\">" + each + "</a></li>\n";
    }
    html += "</ul>\n<p><a href=\"" + CalendarHref(Ym(ym - months{1})) + "\">上一月</a> <a href=\"" +
            CalendarHref(Ym(ym + months{1})) + "\">下一月</a></p>\n";
  }
  SetReply(reply, http::status::ok, "text/html; charset=utf-8",
           kHostileChrome.Wrap("政务活动日历", html));
  return true;
}

// ------------------------------------------------------------ the huge page

constexpr std::string_view kHugeHead =
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>"
    "示例县交通运输局2024年政府信息公开工作年度报告</title></head>\n<body><div "
    "class=\"content\">\n";
constexpr std::string_view kHugeTail = "</div></body></html>\n";
constexpr size_t kHugeLineBytes = 128;
constexpr uint64_t kHugeMinBytes = 30ull << 20;
constexpr uint64_t kHugeLines =
    (kHugeMinBytes - kHugeHead.size() - kHugeTail.size() + kHugeLineBytes - 1) / kHugeLineBytes;
constexpr int kHugeLinesPerPiece = 512;

// Paragraph i of the huge page: exactly kHugeLineBytes bytes.
void AppendHugeLine(uint64_t i, std::string* out) {
  char id[16];
  std::snprintf(id, sizeof(id), "%08llu", static_cast<unsigned long long>(i));
  const size_t start = out->size();
  out->append("<p id=\"p").append(id).append("\">");
  for (int k = 0; k < 5; ++k) out->append("政务公开信息");
  out->append(kHugeLineBytes - (out->size() - start) - 5, ' ').append("</p>\n");
}

// A page of at least 30 MiB, generated piece by piece as it is sent.
void HugeReply(Reply* reply) {
  reply->res.result(http::status::ok);
  reply->res.set(http::field::content_type, "text/html; charset=utf-8");
  reply->delivery = Delivery::kGenerated;
  reply->generated_size = kHugeHead.size() + kHugeLines * kHugeLineBytes + kHugeTail.size();
  reply->generate = [line = uint64_t{0}, done = false](std::string* piece) mutable {
    if (done) return false;
    piece->clear();
    if (line == 0) piece->append(kHugeHead);
    for (int k = 0; k < kHugeLinesPerPiece && line < kHugeLines; ++k) AppendHugeLine(line++, piece);
    if (line == kHugeLines) piece->append(kHugeTail), done = true;
    return true;
  };
}

}  // namespace

bool BuildHostile(const std::vector<Item>&, Host* host, std::string* error) {
  host->column = kIndex;
  std::string index = "<h1>政府信息公开年报</h1>\n<ul class=\"list\">\n";
  for (const Endpoint& e : kEndpoints) {
    Item item;
    item.title = e.title;
    item.date = "2025-01-15";
    index += LinkItem(e.path, item, " target=\"_blank\"") + "\n";
    Page page = MakePage(e.path, "hostile", e.seed, e.title);
    const std::string_view path = page.path;
    if (e.delivery == Delivery::kReset || e.delivery == Delivery::kGenerated ||
        path.starts_with("/hostile/calendar")) {
      host->site.AddDynamic(std::move(page));
      continue;
    }
    std::string body;
    if (*e.seed) {
      body = EmbeddedPage(e.seed);
      if (body.empty()) {
        *error = std::string("embedded page ") + e.seed + " is missing or empty";
        return false;
      }
    } else if (path == "/hostile/soft404") {
      body = kSoft404;
    } else if (path == "/hostile/challenge") {
      body = kChallenge;
    } else {
      body = kHostileChrome.Wrap(e.title, kOffsite);
    }
    Resource r;
    r.page = std::move(page);
    r.delivery = e.delivery;
    host->site.Add(std::move(r), body, body);
  }
  index = kHostileChrome.Wrap("政府信息公开年报", index + "</ul>\n");
  AddListing(&host->site, std::string(kIndex), "listing", index, index);
  AddRobots(&host->site, "User-agent: *\nCrawl-delay: 2\nDisallow: /hostile/private/\n");
  host->gates.push_back({"/hostile/503", 2, http::status::service_unavailable, 2});
  host->gates.push_back({"/hostile/429", 1, http::status::too_many_requests, 1});
  // /hostile/429-date (not linked from the index): 429 with Retry-After as an
  // HTTP-date three seconds ahead, the first time per client address; then 200.
  auto date_asked = std::make_shared<std::map<std::string, int>>();
  host->handler = [date_asked](const Request& req, const Site& site, Reply* reply) {
    if (!req.get_or_head()) return false;
    if (req.path == "/hostile/429-date") {
      if ((*date_asked)[req.client]++ == 0) {
        const std::time_t at = std::time(nullptr) + 3;
        std::tm tm{};
        gmtime_r(&at, &tm);
        char date[64];
        std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        reply->res.set(http::field::retry_after, date);
        SetReply(reply, http::status::too_many_requests, "text/plain", "slow down\n");
      } else {
        SetReply(reply, http::status::ok, "text/plain", "ok\n");
      }
      return true;
    }
    if (Redirect(req.path, kIndex, reply)) return true;
    if (req.path == "/hostile/reset") {
      reply->delivery = Delivery::kReset;
      return true;
    }
    if (req.path == "/hostile/huge") {
      HugeReply(reply);
      return true;
    }
    if (req.path == "/hostile/calendar" && Calendar(req.query, reply)) return true;
    if (!req.path.starts_with("/hostile/") || site.Find(req.path, req.query) != nullptr)
      return false;
    SetReply(reply, http::status::not_found, "text/plain", "no such hostile endpoint\n");
    return true;
  };
  return true;
}

}  // namespace nianbao::sim::internal
