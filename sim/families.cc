// sim/families.cc: the Hanweb JCMS, gkmlpt, VSB and generic hosts. Each lists
// the catalog (the TRS host's entries, plus the PDF report on gkmlpt and
// generic) at its own URL shapes, newest first, over three listing pages; on
// night 2 one more entry (a seed page under a new URL) comes first.

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "sim/site.h"

namespace nianbao::sim::internal {
namespace {

constexpr const char* kNight2Date = "2025-06-01";
constexpr int kFamilyListingPages = 3;  // both nights

// How a family lists the catalog.
struct FamilySpec {
  const Chrome* chrome;
  Night2Plan night2;
  std::string_view new_seed;  // night 2's new entry shows this seed page
  bool with_pdf;              // also list the PDF report
  void (*place)(Item* item);  // sets item->path (and ->attachment, ->id) on this host
};

// The entries a family lists each night, by night - 1.
using Lists = std::vector<Item>[2];

// Places the catalog on the host (detail pages, the night-2 entry) and fills lists.
bool BuildEntries(const std::vector<Item>& catalog, const FamilySpec& spec, Host* host,
                  Lists& lists, std::string* error) {
  std::vector<Item> items;
  if (spec.with_pdf) items.push_back(PdfItem());  // The newest entry.
  items.insert(items.end(), catalog.begin(), catalog.end());
  Item fresh;
  for (const Item& item : catalog)
    if (item.seed == spec.new_seed) fresh = item;
  if (fresh.seed.empty()) {
    *error = "no catalog entry for seed " + std::string(spec.new_seed);
    return false;
  }
  fresh.date = kNight2Date;
  fresh.serial = static_cast<int>(items.size()) + 1;
  fresh.id = 14431200 + fresh.serial;
  spec.place(&fresh);
  for (Item& item : items) {
    spec.place(&item);
    if (!AddDetailPage(&host->site, *spec.chrome, item, spec.night2, false, error)) return false;
  }
  if (!AddDetailPage(&host->site, *spec.chrome, fresh, spec.night2, true, error)) return false;
  lists[0] = items;
  lists[1] = items;
  lists[1].insert(lists[1].begin(), fresh);
  return true;
}

// Adds kFamilyListingPages listing pages rendered by render(items, page) for each night.
template <typename PathFn, typename RenderFn>
void AddPagedListings(Site* site, const Lists& lists, std::string_view kind, PathFn path,
                      RenderFn render, const char* content_type = "text/html; charset=utf-8") {
  for (int page = 0; page < kFamilyListingPages; ++page)
    AddListing(site, path(page), std::string(kind), render(lists[0], page), render(lists[1], page),
               content_type);
}

int PageCount(const std::vector<Item>& items, int per_page) {
  return static_cast<int>((items.size() + per_page - 1) / per_page);
}

// ------------------------------------------------------------ Hanweb JCMS

constexpr std::string_view kHanwebColumn = "/col/col1234/index.html";
constexpr std::string_view kHanwebProxy = "/module/web/jpage/dataproxy.jsp";
// The column page: no entries, a jpage script that fetches them from the proxy.
constexpr std::string_view kHanwebColumnBody = R"(<div class="lm-title">政府信息公开年报</div>
<div id="1234"></div>
<script type="text/javascript">
$(document).ready(function () {
  $('#1234').jpage({
    proxyUrl: '/module/web/jpage/dataproxy.jsp',
    perPage: 3,
    groupSize: 3,
    barPosition: 'bottom',
    ajaxParam: {col: 1, appid: 1, webid: 1, path: '/', columnid: 1234, sourceContentType: 1,
                unitid: 5678, webname: '示例省人民政府', permissiontype: 0}
  });
});
</script>
)";

constexpr Chrome kHanwebChrome = {R"(<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title}</title>
<meta name="SiteName" content="示例省人民政府">
<meta name="ColumnName" content="政府信息公开年报">
<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script>
<script type="text/javascript" src="/module/jslib/jquery/jpage/jquery.page.min.js"></script>
</head>
<body>
<div class="top"><a href="/">示例省人民政府</a></div>
<div class="nav"><a href="/col/col1/index.html">首页</a> | <a href="/col/col1000/index.html">政务公开</a>
 | <a href="/col/col1234/index.html">政府信息公开年报</a></div>
<div class="path">当前位置：<a href="/">首页</a> &gt; <a href="/col/col1000/index.html">政务公开</a>
 &gt; <a href="/col/col1234/index.html">政府信息公开年报</a></div>
<div class="main">
)",
                                  R"(</div>
<div class="footer"><p>主办：示例省人民政府办公厅　承办：示例省大数据发展管理局</p>
<p><a href="https://beian.miit.gov.cn/">浙ICP备00000000号</a>　网站标识码：3300000000</p></div>
</body>
</html>
)"};

void PlaceHanweb(Item* item) {
  const std::string y = item->date.substr(0, 4);
  const int m = std::atoi(item->date.substr(5, 2).c_str()),
            d = std::atoi(item->date.substr(8, 2).c_str());
  item->path = "/art/" + y + "/" + std::to_string(m) + "/" + std::to_string(d) + "/art_1234_" +
               std::to_string(item->id) + ".html";
}

// The XML the data proxy answers for records [start, end] (1-based) of items.
std::string HanwebDatastore(const std::vector<Item>& items, long start, long end, long per_page) {
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<datastore>\n<nextgroup><![CDATA[<a href=\"" +
      std::string(kHanwebProxy) +
      "?page=1&appid=1&webid=1&path=/&columnid=1234&unitid=5678&webname=示例省人民政府"
      "&permissiontype=0\"></a>]]></nextgroup>\n<recordset>\n";
  for (long i = start; i <= end && i <= static_cast<long>(items.size()); ++i)
    xml += "<record><![CDATA[\n" + LinkItem(items[i - 1].path, items[i - 1]) + "\n]]></record>\n";
  const long total = static_cast<long>(items.size());
  return xml + "</recordset>\n<totalrecord>" + std::to_string(total) +
         "</totalrecord>\n<totalpage>" + std::to_string((total + per_page - 1) / per_page) +
         "</totalpage>\n</datastore>\n";
}

}  // namespace

bool BuildHanweb(const std::vector<Item>& catalog, Host* host, std::string* error) {
  static constexpr FamilySpec kSpec = {
      .chrome = &kHanwebChrome,
      .night2 = {.cell_seed = "003",
                 .header = "本年制发件数",
                 .row = "行政规范性文件",
                 .from = "10",
                 .to = "11",
                 .chrome_seed = "000",
                 .next_href = "/art/2025/1/21/art_1234_14209902.html",
                 .next_title = "北京市怀柔区发展和改革委员会2024年政府信息公开工作年度报告"},
      .new_seed = "001",
      .with_pdf = false,
      .place = PlaceHanweb};
  host->column = kHanwebColumn;
  Lists lists;
  if (!BuildEntries(catalog, kSpec, host, lists, error)) return false;
  const std::string column = kHanwebChrome.Wrap("政府信息公开年报", kHanwebColumnBody);
  AddListing(&host->site, std::string(kHanwebColumn), "listing", column, column);
  host->site.AddDynamic(MakePage(std::string(kHanwebProxy), "listing-data", "", "", "listing"));
  AddRobots(&host->site, "User-agent: *\nDisallow: /private/\n");
  host->handler = [lists = std::vector<std::vector<Item>>{lists[0], lists[1]}](
                      const Request& req, const Site&, Reply* reply) {
    if (req.path != kHanwebProxy) return false;
    if (!req.get_or_head() && req.http.method() != http::verb::post) return false;
    // Parameters come in the query (the window) and the form body (the column).
    const std::string params = std::string(req.query) + "&" + req.http.body();
    const long per_page = std::max(1L, std::atol(Param(params, "perpage", "15").c_str()));
    const long start = std::max(1L, std::atol(Param(params, "startrecord", "1").c_str()));
    const long end =
        std::atol(Param(params, "endrecord", std::to_string(start + 3 * per_page - 1)).c_str());
    static const std::vector<Item> kNone;
    const auto& items = Param(params, "columnid") == "1234" ? lists[req.night - 1] : kNone;
    SetReply(reply, http::status::ok, "text/xml; charset=utf-8",
             HanwebDatastore(items, start, end, per_page));
    return true;
  };
  return true;
}

// ----------------------------------------------------------------- gkmlpt

namespace {

constexpr std::string_view kGkmlptApi = "/gkmlpt/api/all/2811";
constexpr int kGkmlptPerPage = 4;

// The catalog page: a script application configured by window._CONFIG.
constexpr std::string_view kGkmlptIndexBody = R"(<script type="text/javascript">
window._CONFIG = {SID: '755', SITE_NAME: '示例市人民政府', CAT_ID: 2811, API: '/gkmlpt/api/all/', PAGE_SIZE: 4};
</script>
<div id="app"><noscript>请开启JavaScript后浏览本页面</noscript></div>
<ul class="category"><li><a href="/gkmlpt/index#2811" data-id="2811">政府信息公开年报</a></li></ul>
<script type="text/javascript" src="/gkmlpt/static/js/app.js"></script>
)";

constexpr Chrome kGkmlptChrome = {R"(<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title} - 示例市人民政府门户网站</title>
<link rel="stylesheet" href="/gkmlpt/static/css/app.css">
</head>
<body>
<div class="header"><a href="/">示例市人民政府门户网站</a> <span>政府信息公开</span></div>
<div class="crumb"><a href="/gkmlpt/index">政府信息公开目录</a> &gt; <a href="/gkmlpt/index#2811">政府信息公开年报</a></div>
<div class="content-box">
)",
                                  R"(</div>
<div class="footer"><p>示例市人民政府办公室主办　<a href="https://beian.miit.gov.cn/">粤ICP备00000000号</a></p>
<p>网站标识码：4400000000</p></div>
</body>
</html>
)"};

void PlaceGkmlpt(Item* item) {
  item->id = 123400 + item->serial;
  const std::string id = std::to_string(item->id);
  item->path = "/gkmlpt/content/0/123/post_" + id + ".html";
  if (item->seed == kPdfSeed) item->attachment = "/attachment/0/123/" + id + "/5306218.pdf";
}

// The issuing body: the title before its year, else the site owner.
std::string Publisher(const Item& item) {
  const size_t digit = item.title.find_first_of("0123456789");
  std::string agency =
      item.kind == "report" && digit != std::string::npos ? item.title.substr(0, digit) : "";
  while (!agency.empty() && agency.back() == ' ') agency.pop_back();
  return agency.empty() ? "示例市人民政府办公室" : agency;
}

std::string GkmlptJson(const std::vector<Item>& items, int page) {
  std::string json = "{\"total\": " + std::to_string(items.size()) + ", \"articles\": [";
  const char* separator = "";
  for (const Item* item : PageOf(items, page, kGkmlptPerPage)) {
    const std::string origin(kOriginToken);
    std::string attachment;
    if (!item->attachment.empty())
      attachment = "{\"name\": " + JsonEscape(item->title + ".pdf") +
                   ", \"url\": " + JsonEscape(origin + item->attachment) + "}";
    json += separator;
    json += "{\"id\": " + std::to_string(item->id) + ", \"title\": " + JsonEscape(item->title) +
            ", \"url\": " + JsonEscape(origin + item->path) +
            ", \"publisher\": " + JsonEscape(Publisher(*item)) +
            ", \"first_publish_time\": " + std::to_string(UnixTime(item->date)) +
            ", \"attachment\": [" + attachment + "]}";
    separator = ", ";
  }
  return json + "]}\n";
}

}  // namespace

bool BuildGkmlpt(const std::vector<Item>& catalog, Host* host, std::string* error) {
  static constexpr FamilySpec kSpec = {
      .chrome = &kGkmlptChrome,
      .night2 = {.cell_seed = "000",
                 .header = "本年制发件数",
                 .row = "行政规范性文件",
                 .from = "2",
                 .to = "3",
                 .chrome_seed = "002",
                 .next_href = "/gkmlpt/content/0/123/post_123488.html",
                 .next_title = "重庆市潼南区财政局2024年政府信息公开工作年度报告"},
      .new_seed = "003",
      .with_pdf = true,
      .place = PlaceGkmlpt};
  host->column = "/gkmlpt/index";
  host->site.KeyByQuery(std::string(kGkmlptApi), {{"page", "1"}, {"sid", ""}});
  Lists lists;
  if (!BuildEntries(catalog, kSpec, host, lists, error)) return false;
  const std::string index = kGkmlptChrome.Wrap("政府信息公开年报", kGkmlptIndexBody);
  AddListing(&host->site, host->column, "listing", index, index);
  AddPagedListings(
      &host->site, lists, "listing-data",
      [](int page) {
        return std::string(kGkmlptApi) + "?page=" + std::to_string(page + 1) + "&sid=755";
      },
      GkmlptJson, "application/json; charset=utf-8");
  AddRobots(&host->site, "User-agent: *\nDisallow: /gkmlpt/search/\n");
  host->gates.push_back({"/robots.txt", 1, http::status::service_unavailable, 1});
  return true;
}

// -------------------------------------------------------------------- VSB

namespace {

constexpr Chrome kVsbChrome = {R"(<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>{title}-示例县人民政府</title>
<meta name="description" content="示例县人民政府信息公开">
</head>
<body>
<div class="head"><a href="/index.htm">示例县人民政府</a></div>
<div class="menu"><a href="/index.htm">首页</a> <a href="/xxgk.htm">信息公开</a> <a href="/xxgk/nb.htm">年度报告</a></div>
<div class="list-main">
)",
                               R"(</div>
<div class="foot">版权所有：示例县人民政府　<a href="https://beian.miit.gov.cn/">苏ICP备00000000号</a>
　技术支持：博达软件</div>
</body>
</html>
)"};

constexpr int kVsbPerPage = 3;

void PlaceVsb(Item* item) {
  item->path = "/info/1307/" + std::to_string(item->id % 100000) + ".htm";
}

// Listing page `page` (0 = the newest): nb.htm, then nb/<pages-1>.htm ... nb/1.htm.
std::string VsbNumber(int page) { return std::to_string(kFamilyListingPages - page); }
std::string VsbPath(int page) {
  return page == 0 ? "/xxgk/nb.htm" : "/xxgk/nb/" + VsbNumber(page) + ".htm";
}
// How listing page `from` links listing page `to`.
std::string VsbHref(int from, int to) {
  if (to == 0) return from == 0 ? "nb.htm" : "../nb.htm";
  return (from == 0 ? "nb/" : "") + VsbNumber(to) + ".htm";
}

std::string VsbListing(const std::vector<Item>& items, int page) {
  std::string html = "<div class=\"list\"><ul>\n";
  for (const Item* item : PageOf(items, page, kVsbPerPage))
    html += LinkItem((page == 0 ? ".." : "../..") + item->path, *item, " target=\"_blank\"") + "\n";
  const int pages = PageCount(items, kVsbPerPage);
  auto link = [&](int to, const char* cls, const char* text) {
    return "<a class=\"" + std::string(cls) + "\" href=\"" + VsbHref(page, to) + "\">" + text +
           "</a>";
  };
  html += "</ul></div>\n<table class=\"pb_sys_common\"><tr><td>共" + std::to_string(items.size()) +
          "条&nbsp;&nbsp;" + std::to_string(page + 1) + "/" + std::to_string(pages) +
          "&nbsp;&nbsp;共" + std::to_string(pages) + "页</td>\n<td>";
  html += page > 0 ? link(0, "Prev", "首页") + "&nbsp;" + link(page - 1, "Prev", "上页")
                   : std::string("首页&nbsp;上页");
  html += "&nbsp;";
  html += page + 1 < pages
              ? link(page + 1, "Next", "下页") + "&nbsp;" + link(pages - 1, "Next", "尾页")
              : std::string("下页&nbsp;尾页");
  return kVsbChrome.Wrap("年度报告", html + "</td></tr></table>\n");
}

}  // namespace

bool BuildVsb(const std::vector<Item>& catalog, Host* host, std::string* error) {
  static constexpr FamilySpec kSpec = {
      .chrome = &kVsbChrome,
      .night2 = {.cell_seed = "002",
                 .header = "自然人",
                 .row = "一、本年新收政府信息公开申请数量",
                 .from = "24",
                 .to = "25",
                 .chrome_seed = "003",
                 .next_href = "/info/1307/13402.htm",
                 .next_title = "宛城区发展和改革委员会2024年政府信息公开工作年度报告"},
      .new_seed = "000",
      .with_pdf = false,
      .place = PlaceVsb};
  host->column = VsbPath(0);
  Lists lists;
  if (!BuildEntries(catalog, kSpec, host, lists, error)) return false;
  AddPagedListings(&host->site, lists, "listing", VsbPath, VsbListing);
  return true;  // No robots.txt: a 404 there means everything is allowed.
}

// ---------------------------------------------------------------- generic

namespace {

constexpr Chrome kGenericChrome = {R"(<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>{title} | 示例镇人民政府</title>
</head>
<body>
<header><h2>示例镇人民政府</h2><nav><a href="/">首页</a> <a href="/list?page=1">年度报告</a></nav></header>
<main>
)",
                                   R"(</main>
<footer>示例镇人民政府 版权所有 | 备案号：00000000号</footer>
</body>
</html>
)"};

constexpr int kGenericPerPage = 4;

void PlaceGeneric(Item* item) {
  if (item->seed == kPdfSeed) {
    item->path = "/uploads/202502/hzq2024nb.pdf";
    return;
  }
  item->path = "/doc/" + item->date.substr(0, 4) + "/" + item->date.substr(5, 2) + "/" +
               item->date.substr(8, 2) + "/" + std::to_string(item->id % 10000000) + ".shtml";
}

std::string GenericListing(const std::vector<Item>& items, int page) {
  std::string html = "<h1>政府信息公开年报</h1>\n<ul class=\"news-list\">\n";
  for (const Item* item : PageOf(items, page, kGenericPerPage))
    html += LinkItem(item->path, *item) + "\n";
  const int pages = PageCount(items, kGenericPerPage), cur = page + 1;
  auto link = [](const std::string& href, const char* text) {
    return "<a href=\"" + href + "\">" + text + "</a>";
  };
  auto off = [](const char* text) {
    return "<span class=\"disabled\">" + std::string(text) + "</span>";
  };
  html += "</ul>\n<div class=\"pagination\">共" + std::to_string(items.size()) + "条记录 共" +
          std::to_string(pages) + "页 当前第" + std::to_string(cur) + "页\n";
  html += cur > 1
              ? link("?page=1", "首页") + " " + link("?page=" + std::to_string(cur - 1), "上一页")
              : off("首页") + " " + off("上一页");
  html += " ";
  html += cur < pages ? link("?page=" + std::to_string(cur + 1), "下一页") + " " +
                            link("/list?page=" + std::to_string(pages), "末页")
                      : off("下一页") + " " + off("末页");
  return kGenericChrome.Wrap("政府信息公开年报", html + "\n</div>\n");
}

}  // namespace

bool BuildGeneric(const std::vector<Item>& catalog, Host* host, std::string* error) {
  static constexpr FamilySpec kSpec = {
      .chrome = &kGenericChrome,
      .night2 = {.cell_seed = "001",
                 .header = "本年制发件数",
                 .row = "行政规范性文件",
                 .from = "0",
                 .to = "1",
                 .chrome_seed = "000",
                 .next_href = "/doc/2025/01/21/4209911.shtml",
                 .next_title = "北京市怀柔区民政局2024年政府信息公开工作年度报告"},
      .new_seed = "002",
      .with_pdf = true,
      .place = PlaceGeneric};
  host->column = "/list?page=1";
  host->site.KeyByQuery("/list", {{"page", "1"}});
  Lists lists;
  if (!BuildEntries(catalog, kSpec, host, lists, error)) return false;
  AddPagedListings(
      &host->site, lists, "listing",
      [](int page) { return "/list?page=" + std::to_string(page + 1); }, GenericListing);
  AddRobots(&host->site, "User-agent: *\nDisallow:\n");
  return true;
}

}  // namespace nianbao::sim::internal
