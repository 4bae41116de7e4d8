// sim/rendering_b_generic.cc: the second rendering's generic portals.
//
//   127.0.0.15  generic-pageindex  an Anhui column /content/column/6791573 (?pageIndex=N),
//               the pager a script: Ls.pagination("#page_6791573", function(pageIndex){
//               location.href='/content/column/6791573?pageIndex=' + pageIndex;},
//               {currPage: (1),pageCount:3}), and the links it draws (上一页 下一页 尾页,
//               ?pageIndex=N); details /content/article/<id> (no extension).
//   127.0.0.16  anhui-label  an Anhui 信息公开 column page /public/column/6786551?type=4&...
//               with no entries: its script names the HTML-fragment endpoint
//               /site/label/8888?IsAjax=1&...&pageIndex=N&...&catId=7065111&... and
//               pageCount:N; each fragment has its entries and pageCount:N again; a
//               pageIndex past the end answers 暂无相关信息.
//   127.0.0.17  generic-currpage  /xxgk/InfoPublic.aspx?cid=1019&pid=971&currpage=N&kw=,
//               pager links ">" and 末页 (no 下一页), "共N条 页次：1/M", dates 2025年02月14日; GBK bytes
//               served with Content-Type charset=GBK while the page declares <meta charset="utf-8">.
//   127.0.0.18  generic-list  /zwgk/ndbg/list.html, list_2.html ... (1-based), 下页 and 末页
//               links, "共M页 共N条"; one entry links straight to the PDF report; UTF-8
//               bytes and header while the page declares charset=gb2312.
//   127.0.0.19  generic-doc  /xxgk/ndbg/index.shtml, index_2.shtml ... (1-based) whose pager
//               is drawn by script (totalPage, and the file pattern "index_" + page +
//               ".shtml" in the callback); details /doc/YYYY/MM/DD/<id>.shtml.
//
// Shapes from /work/notes/real-listings.md §6 (the /doc/ pager was NOT FOUND there and
// follows the Shanghai totalPage idiom); ids, names and titles are synthetic.

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "sim/rendering_b.h"

namespace nianbao::sim::internal {
namespace {

std::string Frame(std::string_view site, std::string_view column, std::string_view meta,
                  std::string_view body) {
  return "<!DOCTYPE html>\n<html>\n<head>\n" + std::string(meta) + "\n<title>" +
         std::string(column) + "-" + std::string(site) +
         "</title>\n<link rel=\"stylesheet\" href=\"/static/css/common.css\">\n"
         "<script src=\"/static/js/jquery.min.js\"></script>\n</head>\n<body>\n"
         "<!-- synthetic listing page: nianbao-sim second rendering -->\n<div class=\"header\"><a "
         "href=\"/\">" + std::string(site) +
         "</a></div>\n<div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/xxgk/\">信息公开</a> <a "
         "href=\"/hdjl/\">互动交流</a></div>\n<div class=\"container\">\n<div class=\"crumb\">当前位置："
         "<a href=\"/\">首页</a> &gt; <a href=\"/xxgk/\">信息公开</a> &gt; " + std::string(column) +
         "</div>\n" + std::string(body) + "</div>\n<div class=\"footer\">" + std::string(site) +
         " 版权所有　<a href=\"https://beian.miit.gov.cn/\">ICP备00000000号</a></div>\n</body>\n"
         "</html>\n";
}

constexpr const char* kUtf8Meta = "<meta charset=\"utf-8\">";

std::string Li(const std::string& href, const BEntry& e, const char* cls = "") {
  return std::string("<li") + (*cls ? std::string(" class=\"") + cls + "\"" : "") + "><a href=\"" +
         href + "\" title=\"" + HtmlEscape(e.title) + "\" target=\"_blank\">" + HtmlEscape(e.title) +
         "</a><span class=\"date\">" + e.date + "</span></li>\n";
}

// Stores a paged listing rendered by render(list, page) at target(page), for both nights.
template <typename TargetFn, typename RenderFn>
void PutPaged(BSite* site, PortalInfo* info, const std::vector<BEntry>& entries, int per,
              TargetFn target, RenderFn render, const std::string& type = "text/html; charset=utf-8") {
  const auto n1 = Visible(entries, 1), n2 = Visible(entries, 2);
  const int m1 = Pages(n1.size(), per), m2 = Pages(n2.size(), per);
  for (int p = 0; p < m2; ++p) {
    if (p < m1)
      site->Put(target(p), type, render(n1, p), render(n2, p));
    else
      site->PutNight2(target(p), type, render(n2, p));
    AddManifestListing(info, target(p), p < m1 ? 1 : 2);
  }
}

// ----------------------------------------------- 127.0.0.15 generic-pageindex

constexpr const char* kPiSite = "示例市江北区人力资源和社会保障局";
constexpr int kPiPer = 10;

std::string PiListing(const std::vector<const BEntry*>& list, int p) {
  const int m = Pages(list.size(), kPiPer);
  std::string html = "<div class=\"navjz\">年度报告</div>\n<ul class=\"doc_list list-6791573\">\n";
  int k = 0;
  for (const BEntry* e : Slice(list, p, kPiPer)) {
    html += Li(e->path, *e, k % 2 == 0 ? "odd" : "even");
    if (++k % 5 == 0) html += "<li class=\"lm_line\"></li>\n";
  }
  html += "</ul>\n<div class=\"pagination\" id=\"page_6791573\"></div>\n<script type=\"text/javascript\">\n"
          "Ls.pagination(\"#page_6791573\", function(pageIndex){ location.href='/content/column/6791573"
          "?pageIndex=' + pageIndex;},{currPage: (" + std::to_string(p + 1) + "),pageCount:" +
          std::to_string(m) + "});\n</script>\n<div class=\"page-links\">";
  // The links the script would draw, as the page is saved after rendering.
  if (p > 0) html += "<a href=\"?pageIndex=" + std::to_string(p) + "\">上一页</a> ";
  if (p + 1 < m)
    html += "<a href=\"?pageIndex=" + std::to_string(p + 2) + "\">下一页</a> <a href=\"?pageIndex=" +
            std::to_string(m) + "\">尾页</a>";
  return Frame(kPiSite, "年度报告", kUtf8Meta, html + "</div>\n");
}

bool BuildPageIndex(BBuild* b, std::string* error) {
  auto site = b->NewHost({.name = "generic-pageindex", .family = "generic",
                          .variant = "pageIndex-script-pager", .address = "127.0.0.15",
                          .start = "/content/column/6791573"});
  PortalInfo& info = b->info();
  std::vector<BEntry> entries = MakeEntries(
      {.region = "示例市江北区", .reports = 21, .lookalikes = 3, .night2 = 1, .salt = 9,
       .id_base = 554200000});
  for (BEntry& e : entries) e.path = "/content/article/" + std::to_string(e.id);
  if (!PutEntries(site.get(), entries, kPiSite, false, error)) return false;
  AddManifestEntries(&info, entries);
  site->KeyByQuery("/content/column/6791573", {{"pageIndex", "1"}});
  AddManifestListing(&info, "/content/column/6791573");
  PutPaged(site.get(), &info, entries, kPiPer,
           [](int p) { return "/content/column/6791573?pageIndex=" + std::to_string(p + 1); },
           PiListing);
  return true;
}

// ---------------------------------------------------- 127.0.0.16 anhui-label

constexpr const char* kAhSite = "示例县人民政府";
constexpr int kAhPer = 15;
constexpr const char* kAhColumn = "/public/column/6786551?type=4&action=list&nav=3&catId=7065111";

std::string AhLabel(int page_index) {
  return "/site/label/8888?IsAjax=1&dataType=html&_=0.5169706870968473&labelName=publicInfoList"
         "&siteId=6786551&pageSize=15&pageIndex=" + std::to_string(page_index) +
         "&action=list&isDate=true&dateFormat=yyyy-MM-dd&length=50&organId=6596221&type=4"
         "&catId=7065111&cId=&result=%E6%9A%82%E6%97%A0%E7%9B%B8%E5%85%B3%E4%BF%A1%E6%81%AF"
         "&file=%2Fc3%2Fhs%2FpublicInfoList_newest";
}

std::string AhColumn(size_t count) {
  const int m = Pages(count, kAhPer);
  const std::string body =
      "<div class=\"xxgk_left\"><div class=\"xxgk_title\">信息公开目录</div><ul class=\"xxgk_tree\">"
      "<li><a href=\"/public/column/6786551?type=4&action=list&nav=3&catId=7065101\">政府信息公开指南</a>"
      "</li><li><a href=\"/public/column/6786551?type=4&action=list&nav=3&catId=7065106\">政府信息公开制度"
      "</a></li><li class=\"on\"><a href=\"" + std::string(kAhColumn) +
      "\">政府信息公开年报</a></li></ul></div>\n<div class=\"xxgk_right\">\n<div class=\"xxgk_lmname\">"
      "政府信息公开年报</div>\n<div id=\"xxgk_lmcon\" class=\"xxgk_lmcon\"></div>\n"
      "<div class=\"pagination\" id=\"page_7065111\"></div>\n</div>\n<script type=\"text/javascript\">\n"
      "var listUrl = \"" + AhLabel(1) + "\";\n"
      "function getInfoList(pageIndex) {\n"
      "  $.ajax({url: listUrl.replace(/pageIndex=\\d+/, \"pageIndex=\" + pageIndex), type: \"get\","
      " dataType: \"html\", headers: {\"Ls-Language\": \"zh\"},\n"
      "    success: function (html) { $(\"#xxgk_lmcon\").html(html); }});\n}\n"
      "$(function () { getInfoList(1); });\n"
      "Ls.pagination(\"#page_7065111\", function (pageIndex) { getInfoList(pageIndex); }, {currPage: (1),"
      "pageCount:" + std::to_string(m) + "});\n</script>\n";
  return Frame(kAhSite, "政府信息公开年报", kUtf8Meta, body);
}

std::string AhFragment(const std::vector<const BEntry*>& list, int p) {
  const auto page = Slice(list, p, kAhPer);
  if (page.empty()) return "<div class=\"no-data\">暂无相关信息</div>\n";
  std::string html = "<ul class=\"clearfix xxgk_nav_list\">\n";
  for (const BEntry* e : page)
    html += "<li class=\"clearfix\"><a href=\"" + e->path + "\" title=\"" + HtmlEscape(e->title) +
            "\" target=\"_blank\" class=\"title\">" + HtmlEscape(e->title) + "</a><span class=\"date\">" +
            e->date + "</span></li>\n";
  return html + "</ul>\n<script type=\"text/javascript\">Ls.pagination(\"#page_7065111\", function "
                "(pageIndex) { getInfoList(pageIndex); }, {currPage: (" + std::to_string(p + 1) +
         "),pageCount:" + std::to_string(Pages(list.size(), kAhPer)) + "});</script>\n";
}

bool BuildAnhuiLabel(BBuild* b, std::string* error) {
  auto site = b->NewHost({.name = "anhui-label", .family = "generic", .variant = "anhui-label-8888",
                          .address = "127.0.0.16", .start = kAhColumn});
  PortalInfo& info = b->info();
  std::vector<BEntry> entries = MakeEntries(
      {.region = "示例县", .reports = 32, .lookalikes = 4, .night2 = 1, .salt = 10,
       .id_base = 1270000});
  for (BEntry& e : entries) e.path = "/public/6596221/" + std::to_string(e.id) + ".html";
  if (!PutEntries(site.get(), entries, kAhSite, false, error)) return false;
  AddManifestEntries(&info, entries);
  const auto n1 = Visible(entries, 1), n2 = Visible(entries, 2);
  // Other catIds of the tree are other columns (not simulated: 404).
  site->KeyByQuery("/public/column/6786551", {{"catId", ""}});
  site->Put(kAhColumn, "text/html; charset=utf-8", AhColumn(n1.size()), AhColumn(n2.size()));
  AddManifestListing(&info, kAhColumn);
  const int m1 = Pages(n1.size(), kAhPer), m2 = Pages(n2.size(), kAhPer);
  site->KeyBy("/site/label/8888", [m2](std::string_view query) -> std::string {
    if (Param(query, "IsAjax") != "1" || Param(query, "catId") != "7065111") return "";
    const std::string p = Param(query, "pageIndex", "1");
    if (p.empty() || p.find_first_not_of("0123456789") != std::string::npos) return "";
    return "pageIndex=" + std::to_string(std::clamp(std::atoi(p.c_str()), 1, m2 + 1));
  });
  for (int p = 0; p <= m2; ++p) {
    site->Put(AhLabel(p + 1), "text/html; charset=utf-8", AhFragment(n1, p), AhFragment(n2, p));
    if (p < m2) AddManifestListing(&info, AhLabel(p + 1), p < m1 ? 1 : 2);
  }
  return true;
}

// --------------------------------------------------- 127.0.0.17 generic-currpage

constexpr const char* kCpSite = "示例州人力资源和社会保障局";
constexpr int kCpPer = 10;

std::string CpHref(int currpage) {
  return "InfoPublic.aspx?cid=1019&pid=971&currpage=" + std::to_string(currpage) + "&kw=";
}

std::string CpListing(const std::vector<const BEntry*>& list, int p) {
  const int m = Pages(list.size(), kCpPer), cur = p + 1;
  std::string html = "<table class=\"list\" width=\"100%\">\n";
  for (const BEntry* e : Slice(list, p, kCpPer))
    html += "<tr><td class=\"dot\">·</td><td><a href=\"" + e->path.substr(6) + "\" target=\"_blank\" title=\"" +
            HtmlEscape(e->title) + "\">" + HtmlEscape(e->title) + "</a></td><td class=\"time\">" +
            e->date.substr(0, 4) + "年" + e->date.substr(5, 2) + "月" + e->date.substr(8, 2) +
            "日</td></tr>\n";
  html += "</table>\n<div class=\"pager\">共" + std::to_string(list.size()) + "条 页次：" +
          std::to_string(cur) + "/" + std::to_string(m) + " ";
  html += cur > 1 ? "<a href=\"" + CpHref(1) + "\">首页</a> <a href=\"" + CpHref(cur - 1) + "\">&lt;</a> "
                  : std::string("首页 &lt; ");
  html += cur < m ? "<a href=\"" + CpHref(cur + 1) + "\">&gt;</a> <a href=\"" + CpHref(m) + "\">末页</a>"
                  : std::string("&gt; 末页");
  return Frame(kCpSite, "政府信息公开年报", kUtf8Meta, html + "</div>\n");
}

bool BuildCurrPage(BBuild* b, std::string* error) {
  auto site = b->NewHost({.name = "generic-currpage", .family = "generic",
                          .variant = "currpage-gt-gbk-served", .address = "127.0.0.17",
                          .start = "/xxgk/InfoPublic.aspx?cid=1019&pid=971&currpage=1&kw="});
  PortalInfo& info = b->info();
  std::vector<BEntry> entries = MakeEntries(
      {.region = "示例州", .reports = 25, .lookalikes = 3, .night2 = 2, .salt = 11,
       .id_base = 88000});
  for (BEntry& e : entries) e.path = "/xxgk/InfoDetail.aspx?id=" + std::to_string(e.id) + "&cid=1019";
  site->KeyByQuery("/xxgk/InfoDetail.aspx", {{"id", ""}});
  site->KeyByQuery("/xxgk/InfoPublic.aspx", {{"cid", ""}, {"currpage", "1"}});
  if (!PutEntries(site.get(), entries, kCpSite, true, error)) return false;
  AddManifestEntries(&info, entries);
  // The listing is GBK on the wire, declared so by the header, while its <meta> says utf-8.
  bool ok = true;
  auto gbk = [&](const std::vector<const BEntry*>& list, int p) {
    std::string out;
    ok &= Utf8ToGb18030(CpListing(list, p), &out);
    return out;
  };
  PutPaged(site.get(), &info, entries, kCpPer,
           [](int p) { return "/xxgk/" + CpHref(p + 1); }, gbk, "text/html; charset=GBK");
  if (!ok) *error = "generic-currpage: cannot convert a listing to GBK";
  return ok;
}

// ------------------------------------------------------ 127.0.0.18 generic-list

constexpr const char* kLsSite = "示例市南山新区人民政府";
constexpr int kLsPer = 9;

std::string LsFile(int p) { return p == 0 ? "list.html" : "list_" + std::to_string(p + 1) + ".html"; }

std::string LsListing(const std::vector<const BEntry*>& list, int p) {
  const int m = Pages(list.size(), kLsPer);
  std::string html = "<div class=\"column-title\">年度报告</div>\n<ul class=\"news-list\">\n";
  for (const BEntry* e : Slice(list, p, kLsPer))
    html += Li(e->seed == "pdf" ? e->path : "." + e->path.substr(10), *e);
  html += "</ul>\n<div class=\"fy\">共" + std::to_string(m) + "页 共" + std::to_string(list.size()) +
          "条 第" + std::to_string(p + 1) + "页 ";
  html += p > 0 ? "<a href=\"list.html\">首页</a> <a href=\"" + LsFile(p - 1) + "\">上页</a> "
                : std::string("首页 上页 ");
  html += p + 1 < m ? "<a href=\"" + LsFile(p + 1) + "\">下页</a> <a href=\"" + LsFile(m - 1) + "\">末页</a>"
                    : std::string("下页 末页");
  return Frame(kLsSite, "年度报告",
               "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">", html + "</div>\n");
}

bool BuildList(BBuild* b, std::string* error) {
  auto site = b->NewHost({.name = "generic-list", .family = "generic", .variant = "list_N-declared-gb2312",
                          .address = "127.0.0.18", .start = "/zwgk/ndbg/list.html"});
  PortalInfo& info = b->info();
  std::vector<BEntry> entries = MakeEntries(
      {.region = "示例市南山新区", .reports = 27, .lookalikes = 4, .night2 = 1, .salt = 12,
       .id_base = 4410000, .pdf = true});
  for (BEntry& e : entries)
    e.path = e.seed == "pdf" ? "/uploads/2025/02/hzq2024nb.pdf"
                             : "/zwgk/ndbg/" + Ym(e.date) + "/" + std::to_string(e.id) + ".html";
  if (!PutEntries(site.get(), entries, kLsSite, false, error)) return false;
  AddManifestEntries(&info, entries);
  PutPaged(site.get(), &info, entries, kLsPer, [](int p) { return "/zwgk/ndbg/" + LsFile(p); },
           LsListing);
  return true;
}

// ------------------------------------------------------- 127.0.0.19 generic-doc

constexpr const char* kDocSite = "示例市西岭区人民政府";
constexpr int kDocPer = 8;

std::string DocFile(int p) { return p == 0 ? "index.shtml" : "index_" + std::to_string(p + 1) + ".shtml"; }

std::string DocListing(const std::vector<const BEntry*>& list, int p) {
  const int m = Pages(list.size(), kDocPer);
  std::string html = "<div class=\"lm_name\">政府信息公开年报</div>\n<ul class=\"uli14 pageList\">\n";
  for (const BEntry* e : Slice(list, p, kDocPer)) html += Li(e->path, *e);
  html += "</ul>\n<div class=\"pagination\" id=\"pagination\"></div>\n<script type=\"text/javascript\">\n"
          "var totalRecord = " + std::to_string(list.size()) + ";\n"
          "$(\"#pagination\").pagination({\n  totalPage: " + std::to_string(m) + ",\n  currentPage: " +
          std::to_string(p + 1) + ",\n  callback: function (page) {\n"
          "    location.href = page == 1 ? \"index.shtml\" : \"index_\" + page + \".shtml\";\n  }\n});\n"
          "</script>\n";
  return Frame(kDocSite, "政府信息公开年报", kUtf8Meta, html);
}

bool BuildDoc(BBuild* b, std::string* error) {
  auto site = b->NewHost({.name = "generic-doc", .family = "generic", .variant = "doc-shtml-script-pager",
                          .address = "127.0.0.19", .start = "/xxgk/ndbg/index.shtml"});
  PortalInfo& info = b->info();
  std::vector<BEntry> entries = MakeEntries(
      {.region = "示例市西岭区", .reports = 26, .lookalikes = 4, .night2 = 1, .salt = 13,
       .id_base = 4700000});
  for (BEntry& e : entries)
    e.path = "/doc/" + e.date.substr(0, 4) + "/" + e.date.substr(5, 2) + "/" + e.date.substr(8, 2) + "/" +
             std::to_string(e.id) + ".shtml";
  if (!PutEntries(site.get(), entries, kDocSite, true, error)) return false;
  AddManifestEntries(&info, entries);
  PutPaged(site.get(), &info, entries, kDocPer, [](int p) { return "/xxgk/ndbg/" + DocFile(p); },
           DocListing);
  return true;
}

}  // namespace

bool BuildGenericB(BBuild* b, std::string* error) {
  return BuildPageIndex(b, error) && BuildAnhuiLabel(b, error) && BuildCurrPage(b, error) &&
         BuildList(b, error) && BuildDoc(b, error);
}

}  // namespace nianbao::sim::internal
