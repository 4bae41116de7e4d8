// sim/rendering_b_hanweb.cc: the second rendering's Hanweb JCMS portals.
//
//   127.0.0.9   hanweb-inline  /col/col75431/index.html carries the first group (45
//               records) INLINE in <script type="text/xml"><datastore>; the page
//               script has var param_398754 = {...}, totalRecord, perPage: 15,
//               groupSize: 3, proxyUrl '/module/web/jpage/dataproxy.jsp'. Further
//               groups: POST dataproxy.jsp?startrecord=46&endrecord=90&perpage=15 with
//               the form body, or GET dataproxy.jsp?page=N&appid=1&webid=62&...&columnid=
//               75431&unitid=398754 (a group of 45 a page, as <nextgroup> names it).
//               Every group after the first starts with the previous group's last
//               record. Titles cut with "..." (full title in title=), some hrefs
//               absolute, a stray <ul> before the first record. Per-unit sub-columns
//               /col/col75436/ and /col/col75437/ in the side navigation, every record
//               inline (75437's <nextgroup> is ./dataproxy.jsp?page=1&amp;... relative
//               to the proxy).
//   127.0.0.10  hanweb-old     the older proxy path /module/jslib/jquery/jpage/dataproxy.jsp,
//               NO record inline (an empty recordset), records as table rows with
//               [YYYY-MM-DD], titles cut with "…"; perPage 5, groupSize 3 (a group is
//               15); the <nextgroup> URL carries encrypted columnid/unitid and GET
//               with them answers an empty 54-byte body: only the POST form (with the
//               page script's param_80325) pages on.
//   127.0.0.11  hanweb-jpaas   a Zhejiang "jpaas" front: the column page names
//               /api-gateway/jpaas-publish-server/front/page/build/unit and its
//               queryData; GET it (paramJson={"pageNo":N,"pageSize":M} for later
//               pages) for JSON {"success":true,"data":{"html":"..."}} whose pager div
//               says rows="15" count="N" pageNo="K".
//
// Shapes from /work/notes/real-listings.md §2 and §4; ids, names and titles are synthetic.

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <string>
#include <vector>

#include "sim/rendering_b.h"

namespace nianbao::sim::internal {
namespace {

std::string ArtPath(const BEntry& e, long column) {
  return "/art/" + e.date.substr(0, 4) + "/" + std::to_string(std::atoi(e.date.substr(5, 2).c_str())) +
         "/" + std::to_string(std::atoi(e.date.substr(8, 2).c_str())) + "/art_" +
         std::to_string(column) + "_" + std::to_string(e.id) + ".html";
}

// A Hanweb column page frame.
std::string HanwebPage(std::string_view site, std::string_view column, std::string_view nav,
                       std::string_view body) {
  return "<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; "
         "charset=UTF-8\">\n<meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge\">\n<title>" +
         std::string(column) + " " + std::string(site) +
         "</title>\n<meta name=\"SiteName\" content=\"" + std::string(site) +
         "\">\n<meta name=\"ColumnName\" content=\"" + std::string(column) +
         "\">\n<meta name=\"ColumnType\" content=\"政府信息公开年报\">\n"
         "<script type=\"text/javascript\" src=\"/module/jslib/jquery/jquery.js\"></script>\n"
         "<script type=\"text/javascript\" src=\"/module/jslib/jquery/jpage/jquery.page.min.js\">"
         "</script>\n</head>\n<body>\n<!-- synthetic column page: nianbao-sim second rendering "
         "(Hanweb JCMS) -->\n<div class=\"header\"><div class=\"logo\"><a href=\"/\">" +
         std::string(site) +
         "</a></div></div>\n<div class=\"nav\"><a href=\"/\">首页</a><a href=\"/col/col1/index.html\">"
         "政务公开</a><a href=\"/col/col2/index.html\">政务服务</a><a href=\"/col/col3/index.html\">互动"
         "交流</a></div>\n<div class=\"container\">\n<div class=\"position\">当前位置：<a href=\"/\">首页"
         "</a> &gt; <a href=\"/col/col1/index.html\">政务公开</a> &gt; <span>" +
         std::string(column) + "</span></div>\n" + std::string(nav) +
         "<div class=\"main-right\">\n<div class=\"right-title\">" + std::string(column) + "</div>\n" +
         std::string(body) +
         "</div>\n</div>\n<div class=\"footer\"><p>主办单位：" + std::string(site) +
         "办公室　<a href=\"https://beian.miit.gov.cn/\">ICP备00000000号</a>　网站标识码：0000000000"
         "</p><p>技术支持：大汉网络</p></div>\n</body>\n</html>\n";
}

// A jpage column: where its data comes from and how its records look.
struct Jpage {
  std::string site, webname_param;  // webname as it appears in the nextgroup URL
  long webid, column, unitid;
  std::string proxy;
  int per_page, group_size;
  bool table_rows;          // records are <tr> rows (old style), else <li>
  std::string cut;          // how listing titles are cut
  bool absolute_some;       // every third href absolute
  std::string nextgroup_ids;  // "" = plain ids; else "columnid=..&unitid=.." (encrypted)
  bool relative_nextgroup = false;  // <nextgroup> names ./dataproxy.jsp?... with &amp;
  std::string stray = "";           // markup between <recordset> and the first record
  int group() const { return per_page * group_size; }
};

std::string Record(const Jpage& j, const BEntry& e, size_t index) {
  const std::string full = HtmlEscape(e.title);
  const std::string shown = HtmlEscape(CutTitle(e.title, 18, j.cut));
  std::string href = e.path;
  if (j.absolute_some && index % 3 == 1) href = std::string(kOriginToken) + e.path;
  if (j.table_rows)
    return "<record><![CDATA[\n<tr><td width=15 height=\"25\"><IMG src=\"/images/dot.gif\" "
           "align=absMiddle></td><td style='line-height:25px;'><a href='" + href + "' title='" +
           full + "' target='_blank' style='font-size:10.5pt'>" + shown +
           "</a></td><td width='100' align='right' style='font-size:10.5pt'>[" + e.date +
           "]</td></tr>]]></record>\n";
  return "<record><![CDATA[\n<li class=\"clearfix\">    <a target=\"_blank\" href=\"" + href +
         "\" title=\"" + full + "\">" + shown + "</a>    <b>" + e.date + "</b></li>]]></record>\n";
}

std::string NextGroupUrl(const Jpage& j, int page) {
  const std::string ids = j.nextgroup_ids.empty()
                              ? "columnid=" + std::to_string(j.column) + "&unitid=" + std::to_string(j.unitid)
                              : j.nextgroup_ids;
  if (j.table_rows)  // the old style: quoted path and webname, appid twice (verbatim real shapes)
    return j.proxy + "?page=" + std::to_string(page) + "&appid=1&appid=1&webid=" +
           std::to_string(j.webid) + "&path='/'&" + ids + "&webname='" + j.webname_param +
           "'&permissiontype=0";
  return j.proxy + "?page=" + std::to_string(page) + "&appid=1&webid=" + std::to_string(j.webid) +
         "&path=/&" + ids + "&webname=" + j.webname_param + "&permissiontype=0";
}

// Records [from, to] (1-based, clamped) as a datastore; totals when with_totals.
std::string Datastore(const Jpage& j, const std::vector<const BEntry*>& list, long from, long to,
                      int next_page, bool with_totals) {
  std::string next = NextGroupUrl(j, next_page);
  if (j.relative_nextgroup) {  // relative to the proxy, entities inside the CDATA (real shapes)
    next = "./" + next.substr(next.substr(0, next.find('?')).rfind('/') + 1);
    ReplaceAll(&next, "&", "&amp;");
  }
  std::string xml = "<datastore>\n<nextgroup><![CDATA[<a href=\"" + next +
                    "\"></a>]]></nextgroup>\n<recordset>" + j.stray + "\n";
  if (j.table_rows)
    xml += "<table cellpadding='0' cellspacing='0' border='0' width='95%' align=center "
           "style=\"vertical-align:middle\"></table>";
  for (long i = std::max(1L, from); i <= to && i <= static_cast<long>(list.size()); ++i)
    xml += Record(j, *list[i - 1], static_cast<size_t>(i));
  xml += "</recordset>\n";
  if (with_totals) {
    const long total = static_cast<long>(list.size());
    xml += "<totalrecord>" + std::to_string(total) + "</totalrecord>\n<totalpage>" +
           std::to_string((total + j.per_page - 1) / j.per_page) + "</totalpage>\n";
  }
  return xml + "</datastore>";
}

std::string ParamObject(const Jpage& j) {
  return "var param_" + std::to_string(j.unitid) + " = {col:1, appid:1, webid:" +
         std::to_string(j.webid) + ", path:'/', columnid:" + std::to_string(j.column) +
         ", sourceContentType:1, unitid:'" + std::to_string(j.unitid) + "', webname:'" + j.site +
         "', permissiontype:0};";
}

std::string FormBody(const Jpage& j) {
  return "col=1&appid=1&webid=" + std::to_string(j.webid) + "&path=%2F&columnid=" +
         std::to_string(j.column) + "&sourceContentType=1&unitid=" + std::to_string(j.unitid) +
         "&webname=" + PercentEncode(j.site) + "&permissiontype=0";
}

std::string WindowTarget(const Jpage& j, long start) {
  return j.proxy + "?startrecord=" + std::to_string(start) + "&endrecord=" +
         std::to_string(start + j.group() - 1) + "&perpage=" + std::to_string(j.per_page);
}

// The column page: the first group inline (or none), the param object and the jpage call.
std::string ColumnBody(const Jpage& j, const std::vector<const BEntry*>& list, bool inline_first) {
  std::string body = "<div class=\"list\">\n<div id=\"" + std::to_string(j.unitid) +
                     "\"><script type=\"text/xml\">" +
                     Datastore(j, list, 1, inline_first ? j.group() : 0, 1, false) +
                     "</script></div>\n</div>\n";
  body += "<script language=\"javascript\">\n" + ParamObject(j) +
          "\n$(function () {\n  $('#" + std::to_string(j.unitid) +
          "').jpage({\n    dataStore: dataStore,\n    proxyUrl: '" + j.proxy +
          "',\n    perPage: " + std::to_string(j.per_page) + ",\n    groupSize: " +
          std::to_string(j.group_size) + ",\n    totalRecord: " + std::to_string(list.size()) +
          ",\n    barPosition: 'bottom',\n    ajaxParam: param_" + std::to_string(j.unitid) +
          ",\n    showMode: 'full',\n    allRecord: " + std::to_string(list.size()) +
          "\n  });\n});\n</script>\n";
  return body;
}

// How the data proxy answers a request for one column: POST (or GET) with
// startrecord = a window; GET with page = a group; the window or group after
// the first starts with the previous one's last record.
std::string ProxyAnswer(const Jpage& j, const std::vector<const BEntry*>& list,
                        const std::string& params) {
  const std::string start_s = Param(params, "startrecord");
  long from, to;
  int next;
  if (!start_s.empty()) {
    const long start = std::max(1L, std::atol(start_s.c_str()));
    const long end = std::atol(Param(params, "endrecord", std::to_string(start + j.group() - 1)).c_str());
    from = start > 1 ? start - 1 : 1;
    to = end;
    next = static_cast<int>(end / j.group()) + 1;
  } else {
    const int page = std::max(1, std::atoi(Param(params, "page", "1").c_str()));
    from = page > 1 ? static_cast<long>(page - 1) * j.group() : 1;
    to = static_cast<long>(page) * j.group();
    next = page + 1;
  }
  // The next group named only while there is one (else the last group again).
  next = std::min(next, Pages(list.size(), j.group()));
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
         Datastore(j, list, from, to, next, true) + "\n";
}

// A column served by one proxy on a host: its entries per night.
struct ProxyColumn {
  Jpage jpage;
  std::vector<const BEntry*> lists[2];
};

// Installs the data proxy of a host: POST or GET answers by columnid (the form
// body and the query both count), with ETag and Last-Modified.
void InstallProxy(BSite* site, std::string proxy, std::vector<ProxyColumn> columns,
                  std::string encrypted_column) {
  site->special = [proxy, columns, encrypted_column](const Request& req, const Host& host,
                                                     Reply* reply) {
    if (req.path != proxy) return false;
    if (!req.get_or_head() && req.http.method() != http::verb::post) return false;
    const std::string params = std::string(req.query) + "&" + req.http.body();
    const std::string column = PercentDecode(Param(params, "columnid"));
    std::string body[2];
    if (!encrypted_column.empty() && column == encrypted_column) {
      // The encrypted <nextgroup> ids: an empty answer, as deep paging on such sites gives.
      body[0] = body[1] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><datastore></datastore>\n";
    } else {
      const ProxyColumn* found = nullptr;
      for (const ProxyColumn& c : columns)
        if (column == std::to_string(c.jpage.column)) found = &c;
      for (int n = 0; n < 2; ++n)
        body[n] = found == nullptr
                      ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<datastore>\n<recordset>\n"
                        "</recordset>\n<totalrecord>0</totalrecord>\n<totalpage>0</totalpage>\n"
                        "</datastore>\n"
                      : ProxyAnswer(found->jpage, found->lists[n], params);
    }
    DynamicReply(host, req, body, "text/xml;charset=UTF-8", reply);
    return true;
  };
}

// A jpage column of a portal: its column page (both nights) and its manifest.
void AddColumn(BSite* site, PortalInfo* info, ProxyColumn* c, std::string_view column_name,
               std::string_view nav, bool inline_first, bool get_pages) {
  const Jpage& j = c->jpage;
  const std::string target = "/col/col" + std::to_string(j.column) + "/index.html";
  site->Put(target, "text/html; charset=utf-8",
            HanwebPage(j.site, column_name, nav, ColumnBody(j, c->lists[0], inline_first)),
            HanwebPage(j.site, column_name, nav, ColumnBody(j, c->lists[1], inline_first)));
  AddManifestListing(info, target);
  const int groups1 = Pages(c->lists[0].size(), j.group()), groups2 = Pages(c->lists[1].size(), j.group());
  for (int g = 0; g < groups2; ++g) {
    const int night = g < groups1 ? 1 : 2;
    if (g > 0 || !inline_first)
      AddManifestListing(info, WindowTarget(j, 1 + static_cast<long>(g) * j.group()), night, "POST",
                         FormBody(j));
    if (get_pages) AddManifestListing(info, NextGroupUrl(j, g + 1), night);
  }
}

// ------------------------------------------------------ 127.0.0.9 inline

constexpr const char* kInlineSite = "示例市人民政府";
constexpr const char* kProxy = "/module/web/jpage/dataproxy.jsp";

std::string InlineNav(long current) {
  static constexpr std::pair<long, const char*> kItems[] = {
      {75431, "市政府及部门年报"}, {75436, "市财政局"}, {75437, "市教育局"}};
  std::string nav = "<div class=\"main-left\">\n<div class=\"left-title\">政府信息公开年报</div>\n<ul class=\"left-nav\">\n";
  for (const auto& [col, label] : kItems)
    nav += std::string("<li") + (col == current ? " class=\"on\"" : "") +
           "><a href=\"/col/col" + std::to_string(col) + "/index.html\">" + label + "</a></li>\n";
  return nav + "</ul>\n</div>\n";
}

bool BuildInline(BBuild* b, std::string* error) {
  auto site = b->NewHost({.name = "hanweb-inline", .family = "hanweb", .variant = "jpage-inline-datastore",
                          .address = "127.0.0.9", .start = "/col/col75431/index.html"});
  PortalInfo& info = b->info();
  const Jpage base{.site = kInlineSite,
                   .webname_param = PercentEncode(PercentEncode(kInlineSite)),  // double, as real
                   .webid = 62, .column = 75431, .unitid = 398754, .proxy = kProxy,
                   .per_page = 15, .group_size = 3, .table_rows = false, .cut = "...",
                   .absolute_some = true, .nextgroup_ids = "",
                   .stray = "<ul id=\"information-list\"></ul>"};
  // The main column: 46 reports and 6 look-alikes (52 > 45: two groups), 2 more on night 2.
  auto main = std::make_shared<std::vector<BEntry>>(MakeEntries(
      {.region = "示例市", .reports = 46, .lookalikes = 6, .night2 = 2, .salt = 3, .id_base = 3310000}));
  std::vector<std::shared_ptr<std::vector<BEntry>>> all = {main};
  std::vector<ProxyColumn> columns;
  columns.push_back({base, {}});
  // Per-unit sub-columns: five reports of one unit each, 2024 down to 2020 (财政局 also 2016, free text).
  const std::pair<long, const char*> units[] = {{75436, "财政局"}, {75437, "教育局"}};
  for (const auto& [col, unit] : units) {
    all.push_back(std::make_shared<std::vector<BEntry>>(MakeEntries(
        {.region = "示例市", .reports = 5, .lookalikes = 0, .night2 = 0, .salt = static_cast<int>(col % 10),
         .id_base = 3900000 + col, .unit = unit, .legacy = col == 75436 ? 1 : 0})));  // 财政局: one report of 2016
    Jpage j = base;
    j.column = col;
    j.relative_nextgroup = col == 75437;
    columns.push_back({j, {}});
  }
  for (size_t k = 0; k < all.size(); ++k) {
    for (BEntry& e : *all[k]) e.path = ArtPath(e, columns[k].jpage.column);
    if (!PutEntries(site.get(), *all[k], kInlineSite, false, error)) return false;
    AddManifestEntries(&info, *all[k]);
    columns[k].lists[0] = Visible(*all[k], 1);
    columns[k].lists[1] = Visible(*all[k], 2);
  }
  const char* names[] = {"政府信息公开年报", "市财政局", "市教育局"};
  for (size_t k = 0; k < columns.size(); ++k)
    AddColumn(site.get(), &info, &columns[k], names[k], InlineNav(columns[k].jpage.column), true, true);
  // The entries live as long as the proxy (the handler keeps them).
  InstallProxy(site.get(), kProxy, columns, "");
  auto special = site->special;
  site->special = [special, all](const Request& req, const Host& host, Reply* reply) {
    return special(req, host, reply);
  };
  return true;
}

// --------------------------------------------------------- 127.0.0.10 old

constexpr const char* kOldSite = "示例县人民政府";
constexpr const char* kOldProxy = "/module/jslib/jquery/jpage/dataproxy.jsp";
// The encrypted ids the <nextgroup> URL carries (synthetic: no real blob was found).
constexpr const char* kEncryptedColumn = "QTVGMzlBMkQ5RTFDNEI3Rg==";

bool BuildOld(BBuild* b, std::string* error) {
  auto site = b->NewHost({.name = "hanweb-old", .family = "hanweb", .variant = "jpage-post-only",
                          .address = "127.0.0.10", .start = "/col/col2231/index.html"});
  PortalInfo& info = b->info();
  auto entries = std::make_shared<std::vector<BEntry>>(MakeEntries(
      {.region = "示例县", .reports = 30, .lookalikes = 4, .night2 = 1, .salt = 4, .id_base = 2450000}));
  Jpage j{.site = kOldSite, .webname_param = kOldSite, .webid = 60, .column = 2231, .unitid = 80325,
          .proxy = kOldProxy, .per_page = 5, .group_size = 3, .table_rows = true, .cut = "…",
          .absolute_some = false,
          .nextgroup_ids = std::string("columnid=") + kEncryptedColumn + "&unitid=Nzc2QjE0MEY="};
  for (BEntry& e : *entries) e.path = ArtPath(e, j.column);
  if (!PutEntries(site.get(), *entries, kOldSite, true, error)) return false;
  AddManifestEntries(&info, *entries);
  std::vector<ProxyColumn> columns = {{j, {Visible(*entries, 1), Visible(*entries, 2)}}};
  AddColumn(site.get(), &info, &columns[0], "政府信息公开年报", "", false, false);
  InstallProxy(site.get(), kOldProxy, columns, kEncryptedColumn);
  auto special = site->special;
  site->special = [special, entries](const Request& req, const Host& host, Reply* reply) {
    return special(req, host, reply);
  };
  return true;
}

// ------------------------------------------------------- 127.0.0.11 jpaas

constexpr const char* kJpaasSite = "示例市卫生健康委员会";
constexpr const char* kJpaasUnit = "/api-gateway/jpaas-publish-server/front/page/build/unit";
constexpr int kJpaasRows = 15;
constexpr const char* kJpaasQuery =
    "parseType=buildstatic&webId=8d828e408d90447786ddbe128d495e9e&tplSetId="
    "209741b2109044b5b7695700b2bec37e&pageType=column&tagId=%E4%BF%A1%E6%81%AF%E5%88%97%E8%A1%A8"
    "&editType=null&pageId=1229";

std::string Hex32(long id) {
  return ETagOf(std::to_string(id)).substr(1, 16) + ETagOf("art" + std::to_string(id)).substr(1, 16);
}

// The unit's HTML fragment for page `page_no` of `rows`.
std::string JpaasHtml(const std::vector<const BEntry*>& list, int page_no, int rows) {
  std::string html = "<div class=\"page-content\"><ul class=\"lmy-list-ul\">";
  for (const BEntry* e : Slice(list, page_no - 1, rows))
    html += "<li class=\"clearfix\"><a href=\"" + e->path + "\" title=\"" + HtmlEscape(e->title) +
            "\" target=\"_blank\">" + HtmlEscape(CutTitle(e->title, 20, "...")) + "</a><span>" +
            e->date + "</span></li>";
  return html + "</ul><div class=\"pagination\" rows=\"" + std::to_string(rows) + "\" count=\"" +
         std::to_string(list.size()) + "\" pageNo=\"" + std::to_string(page_no) + "\"></div></div>";
}

bool BuildJpaas(BBuild* b, std::string* error) {
  auto site = b->NewHost({.name = "hanweb-jpaas", .family = "hanweb", .variant = "jpaas-unit-api",
                          .address = "127.0.0.11", .start = "/col/col1229/index.html"});
  PortalInfo& info = b->info();
  auto entries = std::make_shared<std::vector<BEntry>>(MakeEntries(
      {.region = "示例市滨江区", .reports = 29, .lookalikes = 4, .night2 = 1, .salt = 5,
       .id_base = 7720000}));
  for (BEntry& e : *entries) e.path = "/art/" + e.date.substr(0, 4) + "/art_" + Hex32(e.id) + ".html";
  if (!PutEntries(site.get(), *entries, kJpaasSite, false, error)) return false;
  AddManifestEntries(&info, *entries);
  const std::string body =
      "<div class=\"lm-list\" id=\"aut_list\">\n<script url=\"" + std::string(kJpaasUnit) +
      "\"\n  queryData=\"{'parseType':'buildstatic','webId':'8d828e408d90447786ddbe128d495e9e',"
      "'tplSetId':'209741b2109044b5b7695700b2bec37e','pageType':'column','tagId':'信息列表',"
      "'editType':'null','pageId':'1229'}\"></script>\n</div>\n";
  const std::string page = HanwebPage(kJpaasSite, "政府信息公开年报", "", body);
  site->Put("/col/col1229/index.html", "text/html; charset=utf-8", page, page);
  AddManifestListing(&info, "/col/col1229/index.html");
  std::vector<const BEntry*> lists[2] = {Visible(*entries, 1), Visible(*entries, 2)};
  for (int p = 1; p <= Pages(lists[1].size(), kJpaasRows); ++p)
    AddManifestListing(&info,
                       std::string(kJpaasUnit) + "?" + kJpaasQuery +
                           (p == 1 ? "" : "&paramJson=" + PercentEncode("{\"pageNo\":" + std::to_string(p) +
                                                                        ",\"pageSize\":15}")),
                       p <= Pages(lists[0].size(), kJpaasRows) ? 1 : 2);
  site->special = [entries, lists0 = lists[0], lists1 = lists[1]](const Request& req, const Host& host,
                                                                 Reply* reply) {
    if (req.path != kJpaasUnit || !req.get_or_head()) return false;
    if (PercentDecode(Param(req.query, "pageId")) != "1229") return false;
    const std::string json = PercentDecode(Param(req.query, "paramJson"));
    std::smatch m;
    int page_no = 1, rows = kJpaasRows;
    if (std::regex_search(json, m, std::regex("\"pageNo\"\\s*:\\s*\"?(\\d+)"))) page_no = std::atoi(m[1].str().c_str());
    if (std::regex_search(json, m, std::regex("\"pageSize\"\\s*:\\s*\"?(\\d+)")))
      rows = std::clamp(std::atoi(m[1].str().c_str()), 1, 100);
    page_no = std::max(1, page_no);
    std::string body[2];
    for (int n = 0; n < 2; ++n)
      body[n] = "{\"success\":true,\"code\":\"200\",\"message\":null,\"data\":{\"html\":" +
                JsonEscape(JpaasHtml(n == 0 ? lists0 : lists1, page_no, rows)) + "}}";
    DynamicReply(host, req, body, "application/json;charset=UTF-8", reply);
    return true;
  };
  return true;
}

}  // namespace

bool BuildHanwebB(BBuild* b, std::string* error) {
  return BuildInline(b, error) && BuildOld(b, error) && BuildJpaas(b, error);
}

}  // namespace nianbao::sim::internal
