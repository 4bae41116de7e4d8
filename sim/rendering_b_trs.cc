// sim/rendering_b_trs.cc: the second rendering's TRS WCM portals.
//
//   127.0.0.7  trs-countpage  an old template: .html pages, `var countPage = N; var
//              currentPage = M;` and a pager drawn by a script file (no pager links
//              in the HTML); entries linked ./YYYYMM/tYYYYMMDD_<id>.html, the date
//              <span> inside the <a> (as on the 退役军人事务部 年报 column).
//   127.0.0.8  trs-tree       a column front page with only the newest five entries
//              and a side navigation of sub-columns by level (区政府 / 区政府部门 /
//              乡镇（街道） / 区属事业单位), each paginated with another real pager
//              signature: createPageHTML(N, cur, "index", "shtml", "black2", records),
//              createPageHTML(N, cur, "index", "html"), createPageHTML('page_div', N,
//              cur, 'list', 'shtml', records) (1-based: list.shtml, list_2.shtml ...),
//              pageControl(N, cur, "index", "shtml", per, 'pages-nav').
//
// Markup follows the real snippets in /work/notes/real-listings.md §1; the
// agencies, ids and titles are synthetic.

#include <string>
#include <vector>

#include "sim/rendering_b.h"

namespace nianbao::sim::internal {
namespace {

// A TRS page frame. nav: the side navigation (may be empty).
std::string TrsPage(std::string_view site, std::string_view column, std::string_view crumbs,
                    std::string_view nav, std::string_view body, std::string_view assets) {
  std::string html =
      "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" "
      "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n"
      "<html xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n"
      "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\" />\n<title>";
  html += std::string(column) + "_" + std::string(site) + "</title>\n";
  html += "<meta name=\"SiteName\" content=\"" + std::string(site) + "\" />\n";
  html += "<meta name=\"ColumnName\" content=\"" + std::string(column) + "\" />\n";
  html += "<meta name=\"ColumnType\" content=\"政府信息公开\" />\n";
  html += "<link href=\"" + std::string(assets) + "images/style.css\" rel=\"stylesheet\" type=\"text/css\" />\n";
  html += "<script type=\"text/javascript\" src=\"" + std::string(assets) +
          "images/jquery.min.js\"></script>\n</head>\n<body>\n";
  html += "<!-- synthetic listing page: nianbao-sim second rendering (TRS WCM) -->\n";
  html += "<div class=\"top\"><div class=\"logo\"><a href=\"/\">" + std::string(site) +
          "</a></div>\n<div class=\"nav\"><a href=\"/\">首页</a><a href=\"/zwgk/\">政务公开</a>"
          "<a href=\"/zwdt/\">政务动态</a><a href=\"/hdjl/\">互动交流</a><a href=\"/zwfw/\">政务服务</a>"
          "</div></div>\n<div class=\"main\">\n";
  html += "<div class=\"position\">您当前的位置：" + std::string(crumbs) + "</div>\n";
  if (!nav.empty()) html += std::string(nav);
  html += "<div class=\"overview_right\">\n" + std::string(body) + "</div>\n</div>\n";
  html += "<div class=\"footer\"><p><a href=\"/wzdt/\">网站地图</a> | <a href=\"/lxwm/\">联系我们</a></p>"
          "<p>主办：" + std::string(site) + "办公室　版权所有：" + std::string(site) +
          "</p><p><a href=\"https://beian.miit.gov.cn/\" target=\"_blank\">ICP备00000000号</a>　"
          "网站标识码：0000000000</p></div>\n</body>\n</html>\n";
  return html;
}

// One list row: the date <span> inside the <a>, the full title in title=.
std::string Row(const std::string& href, const BEntry& e) {
  const std::string t = HtmlEscape(e.title);
  return "<li><a href=\"" + href + "\" target=\"_blank\" title=\"" + t + "\">" + t +
         "<span>" + e.date + "</span></a></li>\n";
}

std::string Detail(const std::string& dir, const BEntry& e, const std::string& ext) {
  return dir + Ym(e.date) + "/t" + Ymd(e.date) + "_" + std::to_string(e.id) + "." + ext;
}

// ----------------------------------------------- 127.0.0.7 trs-countpage

constexpr const char* kCountDir = "/zwgk/zfxxgk/zfxxgknb/";
constexpr int kCountPer = 7;

// The script file that draws the old template's pager from its variables
// (synthetic, in the shape quoted in the notes §1.2).
constexpr const char* kPageJs = R"(// TRS 模板翻页：读取页面中的 currentPage / prevPage / nextPage / countPage 变量
if (typeof countPage != "undefined" && countPage > 1) {
  document.write("<table class=\"pager\"><tr>");
  document.write("<td>共" + countPage + "页&nbsp;&nbsp;</td>");
  if (currentPage == 0) {
    document.write("<td>首页</td><td>上一页</td>");
  } else {
    document.write("<td><a href=\"index.html\">首页</a></td>");
    if (currentPage == 1) {
      document.write("<td><a class='prev' href=\"index.html\">上一页</a></td>");
    } else {
      document.write("<td><a class='prev' href=\"index" + "_" + prevPage + "." + "html\">上一页</a></td>");
    }
  }
  if (nextPage < countPage) {
    document.write("<td><a class='next' href=\"index" + "_" + nextPage + "." + "html\">下一页</a></td>");
    document.write("<td><a href=\"index_" + (countPage - 1) + ".html\">尾页</a></td>");
  } else {
    document.write("<td>下一页</td><td>尾页</td>");
  }
  document.write("</tr></table>");
}
)";

std::string CountListing(const std::vector<const BEntry*>& all, int page) {
  const int pages = Pages(all.size(), kCountPer);
  std::string body = "<h2 class=\"lm-title\">政府信息公开年报</h2>\n<ul>\n";
  for (const BEntry* e : Slice(all, page, kCountPer))
    body += Row("./" + Ym(e->date) + "/t" + Ymd(e->date) + "_" + std::to_string(e->id) + ".html",
                *e);
  body += "</ul>\n<div class=\"page\">\n<SCRIPT LANGUAGE=\"JavaScript\">\n"
          "//createPageHTML(9, 0, \"index\", \"html\");\n"
          "var currentPage = " + std::to_string(page) + ";//所在页从0开始\n"
          "var prevPage = currentPage-1;//上一页\n"
          "var nextPage = currentPage+1;//下一页\n"
          "var countPage = " + std::to_string(pages) + ";//共多少页\n"
          "//var record_count = " + std::to_string(all.size()) + ";\n"
          "</SCRIPT>\n<script type=\"text/javascript\" src=\"../../../images/page.js\"></script>\n"
          "</div>\n";
  const std::string crumbs =
      "<a href=\"../../../\" title=\"首页\" class=\"CurrChnlCls\">首页</a>&nbsp;&gt;&nbsp;"
      "<a href=\"../../\" title=\"政务公开\" class=\"CurrChnlCls\">政务公开</a>&nbsp;&gt;&nbsp;"
      "<a href=\"../\" title=\"政府信息公开\" class=\"CurrChnlCls\">政府信息公开</a>&nbsp;&gt;&nbsp;"
      "<a href=\"./\" title=\"政府信息公开年报\" class=\"CurrChnlCls\">政府信息公开年报</a>";
  return TrsPage("示例市东湖区人民政府", "政府信息公开年报", crumbs, "", body, "../../../");
}

bool BuildCountPage(BBuild* b, std::string* error) {
  auto site = b->NewHost({.name = "trs-countpage", .family = "trs", .variant = "countPage-html",
                          .address = "127.0.0.7", .start = kCountDir});
  PortalInfo& info = b->info();
  std::vector<BEntry> entries = MakeEntries(
      {.region = "示例市东湖区", .reports = 24, .lookalikes = 4, .night2 = 1, .salt = 1,
       .id_base = 5300000});
  for (BEntry& e : entries) e.path = Detail(kCountDir, e, "html");
  if (!PutEntries(site.get(), entries, "示例市东湖区人民政府", true, error)) return false;
  AddManifestEntries(&info, entries);
  const auto n1 = Visible(entries, 1), n2 = Visible(entries, 2);
  const int pages1 = Pages(n1.size(), kCountPer), pages2 = Pages(n2.size(), kCountPer);
  for (int page = 0; page < pages2; ++page) {
    const std::string name = page == 0 ? "index.html" : "index_" + std::to_string(page) + ".html";
    const std::string body2 = CountListing(n2, page);
    if (page < pages1)
      site->Put(std::string(kCountDir) + name, "text/html; charset=utf-8", CountListing(n1, page),
                body2);
    else
      site->PutNight2(std::string(kCountDir) + name, "text/html; charset=utf-8", body2);
    // The column's directory URL serves its first page, as TRS front servers do.
    if (page == 0)
      site->Put(kCountDir, "text/html; charset=utf-8", CountListing(n1, 0), body2);
    else
      AddManifestListing(&info, std::string(kCountDir) + name, page < pages1 ? 1 : 2);
    if (page == 0) AddManifestListing(&info, kCountDir);
  }
  site->Put("/images/page.js", "application/javascript; charset=utf-8", kPageJs, kPageJs);
  return true;
}

// ---------------------------------------------------- 127.0.0.8 trs-tree

constexpr const char* kTreeDir = "/zwgk/zfxxgknb/";
constexpr const char* kTreeSite = "示例县人民政府";

// A sub-column and its pager.
struct SubColumn {
  const char* dir;    // under kTreeDir
  const char* label;  // the navigation label (not a report title)
  const char* first;  // file of its first page ("" = the directory URL)
  const char* ext;    // of its pages and detail pages
  int per;
  char pager;  // 'B' createPageHTML 6 args, 'A' 4 args, 'C' div id 1-based, 'E' pageControl
};

constexpr SubColumn kSubs[] = {
    {"qzf", "区政府", "index.shtml", "shtml", 5, 'B'},
    {"bm", "区政府部门", "", "html", 6, 'A'},
    {"xzjd", "乡镇（街道）", "list.shtml", "shtml", 5, 'C'},
    {"qsdw", "区属事业单位", "index.shtml", "shtml", 4, 'E'},
};

std::string SubDir(const SubColumn& s) { return std::string(kTreeDir) + s.dir + "/"; }

// The file of page `page` (0-based) of a sub-column.
std::string SubPage(const SubColumn& s, int page) {
  if (s.pager == 'C')
    return page == 0 ? "list.shtml" : "list_" + std::to_string(page + 1) + ".shtml";
  const std::string ext = s.ext;
  return page == 0 ? "index." + ext : "index_" + std::to_string(page) + "." + ext;
}

// The side navigation, linked relative from the front page and absolute from sub-columns.
std::string TreeNav(bool from_front, const char* current) {
  std::string nav = "<div class=\"left-nav\">\n<div class=\"lm-title\">政府信息公开年报</div>\n<ul>\n";
  for (const SubColumn& s : kSubs) {
    const std::string href =
        (from_front ? "./" + std::string(s.dir) + "/" : SubDir(s)) + s.first;
    nav += std::string("<li") + (current == s.dir ? " class=\"on\"" : "") + "><a href=\"" + href +
           "\">" + s.label + "</a></li>\n";
  }
  return nav + "</ul>\n</div>\n";
}

std::string TreeCrumbs(const SubColumn* s) {
  std::string crumbs =
      "<a href=\"/\">首页</a> &gt; <a href=\"/zwgk/\">政务公开</a> &gt; <a href=\"" +
      std::string(kTreeDir) + "index.shtml\">政府信息公开年报</a>";
  if (s != nullptr)
    crumbs += std::string(" &gt; <a href=\"") + SubDir(*s) + s->first + "\">" + s->label + "</a>";
  return crumbs;
}

std::string TreeFront(const std::vector<const BEntry*>& all) {
  std::string body = "<h2 class=\"lm-title\">最新发布</h2>\n<ul class=\"list\">\n";
  for (const BEntry* e : Slice(all, 0, 5))
    body += Row("./" + e->group + "/" + Ym(e->date) + "/t" + Ymd(e->date) + "_" +
                    std::to_string(e->id) + "." + (e->group == "bm" ? "html" : "shtml"),
                *e);
  body += "</ul>\n";
  return TrsPage(kTreeSite, "政府信息公开年报", TreeCrumbs(nullptr), TreeNav(true, ""), body, "/");
}

std::string TreeListing(const SubColumn& s, const std::vector<const BEntry*>& list, int page) {
  const int pages = Pages(list.size(), s.per);
  const std::string n = std::to_string(pages), records = std::to_string(list.size());
  std::string body = std::string("<h2 class=\"lm-title\">") + s.label + "</h2>\n<ul class=\"list\">\n";
  for (const BEntry* e : Slice(list, page, s.per))
    body += Row("./" + Ym(e->date) + "/t" + Ymd(e->date) + "_" + std::to_string(e->id) + "." +
                    s.ext,
                *e);
  body += "</ul>\n";
  switch (s.pager) {
    case 'B':
      body += "<div class=\"page\"><script type=\"text/javascript\">createPageHTML(" + n + ", " +
              std::to_string(page) + ",\"index\", \"shtml\",  \"black2\"," + records +
              ");</script></div>\n";
      break;
    case 'A':
      body += "<div class=\"page\"><script>createPageHTML(" + n + ", " + std::to_string(page) +
              ", \"index\", \"html\");</script></div>\n";
      break;
    case 'C':
      body += "<div id=\"page_div\" class=\"page\"></div>\n<script type=\"text/javascript\">"
              "createPageHTML('page_div'," + n + ", " + std::to_string(page + 1) +
              ",'list','shtml'," + records + ");</script>\n";
      break;
    default:
      body += "<div id=\"pages-nav\"></div>\n<script type=\"text/javascript\">pageControl(" + n +
              ", " + std::to_string(page) + ", \"index\", \"shtml\", " + std::to_string(s.per) +
              ", 'pages-nav');</script>\n";
  }
  return TrsPage(kTreeSite, s.label, TreeCrumbs(&s), TreeNav(false, s.dir), body, "/");
}

bool BuildTree(BBuild* b, std::string* error) {
  auto site = b->NewHost({.name = "trs-tree", .family = "trs", .variant = "tree-createPageHTML",
                          .address = "127.0.0.8",
                          .start = std::string(kTreeDir) + "index.shtml"});
  PortalInfo& info = b->info();
  std::vector<BEntry> entries = MakeEntries(
      {.region = "示例县", .reports = 40, .lookalikes = 5, .night2 = 1, .salt = 2,
       .id_base = 6100000});
  AssignGroups(&entries, {"qzf", "bm", "xzjd", "qsdw"}, {8, 18, 12, 7});
  for (BEntry& e : entries) {
    if (e.night == 2) e.group = "bm";
    e.path = Detail(std::string(kTreeDir) + e.group + "/", e, e.group == "bm" ? "html" : "shtml");
  }
  if (!PutEntries(site.get(), entries, kTreeSite, false, error)) return false;
  AddManifestEntries(&info, entries);
  const std::string front1 = TreeFront(Visible(entries, 1)), front2 = TreeFront(Visible(entries, 2));
  site->Put(std::string(kTreeDir) + "index.shtml", "text/html; charset=utf-8", front1, front2);
  site->Put(kTreeDir, "text/html; charset=utf-8", front1, front2);
  AddManifestListing(&info, std::string(kTreeDir) + "index.shtml");
  for (const SubColumn& s : kSubs) {
    const auto n1 = Visible(entries, 1, s.dir), n2 = Visible(entries, 2, s.dir);
    const int pages1 = Pages(n1.size(), s.per), pages2 = Pages(n2.size(), s.per);
    for (int page = 0; page < pages2; ++page) {
      const std::string target = SubDir(s) + SubPage(s, page);
      const std::string body2 = TreeListing(s, n2, page);
      if (page < pages1)
        site->Put(target, "text/html; charset=utf-8", TreeListing(s, n1, page), body2);
      else
        site->PutNight2(target, "text/html; charset=utf-8", body2);
      if (page == 0 && std::string_view(s.first).empty()) {  // linked as its directory
        site->Put(SubDir(s), "text/html; charset=utf-8", TreeListing(s, n1, 0), body2);
        AddManifestListing(&info, SubDir(s));
      } else {
        AddManifestListing(&info, target, page < pages1 ? 1 : 2);
      }
    }
  }
  return true;
}

}  // namespace

bool BuildTrsB(BBuild* b, std::string* error) {
  return BuildCountPage(b, error) && BuildTree(b, error);
}

}  // namespace nianbao::sim::internal
