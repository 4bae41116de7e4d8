// sim/rendering_b_vsb.cc: the second rendering's VSB 博达 portal.
//
//   127.0.0.14  vsb-tree  a column tree in a left navigation (本级年报 / 部门年报 / 镇街年报):
//     /zwgk/zfxxgknb.htm, then /zwgk/zfxxgknb/2.htm, /zwgk/zfxxgknb/1.htm (numbered
//       DOWNWARDS): the old table pager <td id="fanye148356">共N条&nbsp;&nbsp;1/M&nbsp;</td>,
//       class="Next" links (下页, 尾页) with ABSOLUTE hrefs, class="NextDisabled" on the
//       last page, class="PrevDisabled" on the first; details /info/1154/<id>.htm.
//     /zwgk/zfxxgknb/bmnb.htm, bmnb/3.htm ... bmnb/1.htm: the newer pb_sys_common pager
//       (<span class="p_t">共N条</span> ... <span class="p_t">1/M</span>, p_next/p_last
//       links, p_next_d when disabled); details /info/1155/<id>.htm.
//     /list.jsp?urltype=tree.TreeTempUrl&wbtreeid=1156: the dynamic form, further pages
//       ?totalpage=M&PAGENUM=k&urltype=tree.TreeTempUrl&wbtreeid=1156 (class="Next"
//       links); details content.jsp?urltype=news.NewsContentUrl&wbtreeid=1156&wbnewsid=<id>.
//
// Pager markup verbatim in shape from /work/notes/real-listings.md §5; ids, names and
// titles are synthetic.

#include <string>
#include <vector>

#include "sim/rendering_b.h"

namespace nianbao::sim::internal {
namespace {

constexpr const char* kSite = "示例市北湖区人民政府";
constexpr int kPer = 5;

std::string VsbPage(std::string_view column, std::string_view body) {
  return "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" "
         "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n<HTML><HEAD><TITLE>" +
         std::string(column) + "-" + kSite +
         "</TITLE><META Name=\"keywords\" Content=\"" + kSite + "," + std::string(column) +
         "\" />\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\" />\n"
         "<link rel=\"stylesheet\" type=\"text/css\" href=\"/style/style.css\">\n"
         "<script language=\"javascript\" src=\"/system/resource/js/dynclicks.js\"></script>\n"
         "<script language=\"javascript\" src=\"/system/resource/js/centerCutImg.js\"></script>\n"
         "</HEAD>\n<BODY>\n<!-- synthetic listing page: nianbao-sim second rendering (VSB) -->\n"
         "<div class=\"head\"><a href=\"/index.htm\">" + kSite +
         "</a></div>\n<div class=\"nav\"><a href=\"/index.htm\">首页</a><a href=\"/zwgk.htm\">政务公开"
         "</a><a href=\"/zwfw.htm\">政务服务</a></div>\n<div class=\"main\">\n"
         "<div class=\"left-tree\"><h3>政府信息公开年报</h3><ul>\n"
         "<li><a href=\"/zwgk/zfxxgknb.htm\">本级年报</a></li>\n"
         "<li><a href=\"/zwgk/zfxxgknb/bmnb.htm\">部门年报</a></li>\n"
         "<li><a href=\"/list.jsp?urltype=tree.TreeTempUrl&wbtreeid=1156\">镇街年报</a></li>\n"
         "</ul></div>\n<div class=\"right\"><div class=\"dqwz\">当前位置: <a href=\"/index.htm\">首页"
         "</a> &gt;&gt; <a href=\"/zwgk.htm\">政务公开</a> &gt;&gt; " + std::string(column) +
         "</div>\n" + std::string(body) +
         "</div>\n</div>\n<div class=\"foot\">版权所有：" + kSite +
         "　<a href=\"https://beian.miit.gov.cn/\">ICP备00000000号</a>　技术支持：博达软件</div>\n"
         "</BODY></HTML>\n";
}

std::string Rows(const std::vector<const BEntry*>& page, const std::string& prefix) {
  std::string html = "<div class=\"list\"><ul>\n";
  for (const BEntry* e : page)
    html += "<li id=\"line_u8_" + std::to_string(e->id % 100) + "\"><a href=\"" + prefix +
            e->path.substr(1) + "\" target=\"_blank\" title=\"" + HtmlEscape(e->title) + "\">" +
            HtmlEscape(e->title) + "</a><span>" + e->date + "</span></li>\n";
  return html + "</ul></div>\n";
}

// A counted-down column: page p (0 = newest) of m is <col>.htm or <col>/<m-p>.htm.
std::string ColFile(const std::string& col, int p, int m) {
  return p == 0 ? col + ".htm" : col + "/" + std::to_string(m - p) + ".htm";
}

// ------------------------------------------------ the old table pager (main)

std::string MainListing(const std::vector<const BEntry*>& list, int p) {
  const std::string col = "/zwgk/zfxxgknb";
  const int m = Pages(list.size(), kPer);
  std::string html = Rows(Slice(list, p, kPer), p == 0 ? "../" : "../../");
  auto abs = [&](int to) { return std::string(kOriginToken) + ColFile(col, to, m); };
  html += "<table width=\"100%\"><tr><td id=\"fanye148356\" width=\"1%\" nowrap=\"\" align=\"left\">共" +
          std::to_string(list.size()) + "条&nbsp;&nbsp;" + std::to_string(p + 1) + "/" +
          std::to_string(m) + "&nbsp;</td>\n<td nowrap=\"\" align=\"left\"><div>";
  if (p == 0)
    html += "<span class=\"PrevDisabled\">首页</span><span class=\"PrevDisabled\">上页</span>";
  else
    html += "<a href=\"" + abs(0) + "\" class=\"Prev\">首页</a><a href=\"" + abs(p - 1) +
            "\" class=\"Prev\">上页</a>";
  if (p + 1 < m)
    html += "<a href=\"" + abs(p + 1) + "\" class=\"Next\">下页</a><a href=\"" + abs(m - 1) +
            "\" class=\"Next\">尾页</a>";
  else
    html += "<span class=\"NextDisabled\">下页</span><span class=\"NextDisabled\">尾页</span>";
  html += "&nbsp;&nbsp;<input class=\"defaultButtonStyle\" id=\"gotopagebut\" name=\"a148356Find\" "
          "value=\"转到\" onclick=\"javascript:a148356_gopage_fun()\" type=\"button\" align=\"absmiddle\">"
          "<input size=\"2\" class=\"defaultInputStyle\" name=\"a148356GOPAGE\" id=\"a148356GOPAGE\" "
          "value=\"\" type=\"text\">页</div></td></tr></table>\n"
          "<script>function a148356_gopage_fun(){var pagenum = document.getElementById("
          "\"a148356GOPAGE\").value; var totalpage = " + std::to_string(m) +
          "; if (pagenum > 0 && pagenum <= totalpage) { window.location = pagenum == 1 ? "
          "\"/zwgk/zfxxgknb.htm\" : \"/zwgk/zfxxgknb/\" + (totalpage - pagenum + 1) + \".htm\"; } }"
          "</script>\n";
  return VsbPage("本级年报", html);
}

// --------------------------------------------- the pb_sys_common pager (bmnb)

std::string BmListing(const std::vector<const BEntry*>& list, int p) {
  const int m = Pages(list.size(), kPer);
  std::string html = Rows(Slice(list, p, kPer), p == 0 ? "../../" : "../../../");
  // Relative to the current page: from bmnb.htm "bmnb/k.htm", from bmnb/j.htm "k.htm".
  auto href = [&](int to) {
    if (to == 0) return std::string(p == 0 ? "bmnb.htm" : "../bmnb.htm");
    return (p == 0 ? "bmnb/" : "") + std::to_string(m - to) + ".htm";
  };
  html += "<div class=\"pb_sys_common pb_sys_normal pb_sys_style1\" style=\"margin-top:10px;text-align:"
          "center;\"><span class=\"p_t\">共" + std::to_string(list.size()) +
          "条</span> <span class=\"p_pages\">";
  if (p == 0)
    html += "<span class=\"p_first_d p_fun_d\">首页</span><span class=\"p_prev_d p_fun_d\">上页</span>";
  else
    html += "<span class=\"p_first p_fun\"><a href=\"" + href(0) +
            "\">首页</a></span><span class=\"p_prev p_fun\"><a href=\"" + href(p - 1) +
            "\">上页</a></span>";
  for (int k = 0; k < m; ++k)
    html += k == p ? "<span class=\"p_no_d\">" + std::to_string(k + 1) + "</span>"
                   : "<span class=\"p_no\"><a href=\"" + href(k) + "\">" + std::to_string(k + 1) +
                         "</a></span>";
  if (p + 1 < m)
    html += "<span class=\"p_next p_fun\"><a href=\"" + href(p + 1) +
            "\">下页</a></span><span class=\"p_last p_fun\"><a href=\"" + href(m - 1) +
            "\">尾页</a></span>";
  else
    html += "<span class=\"p_next p_next_d\">下页</span><span class=\"p_last p_last_d\">尾页</span>";
  html += "</span> <span class=\"p_t\">" + std::to_string(p + 1) + "/" + std::to_string(m) +
          "</span></div>\n";
  return VsbPage("部门年报", html);
}

// ------------------------------------------------- the dynamic form (zjnb)

std::string DynHref(int page, int m) {
  return "?totalpage=" + std::to_string(m) + "&PAGENUM=" + std::to_string(page) +
         "&urltype=tree.TreeTempUrl&wbtreeid=1156";
}

std::string DynListing(const std::vector<const BEntry*>& list, int p) {
  const int m = Pages(list.size(), kPer);
  std::string html = Rows(Slice(list, p, kPer), "");
  html += "<table width=\"100%\"><tr><td id=\"fanye1156\" width=\"1%\" nowrap=\"\" align=\"left\">共" +
          std::to_string(list.size()) + "条&nbsp;&nbsp;" + std::to_string(p + 1) + "/" +
          std::to_string(m) + "&nbsp;</td>\n<td nowrap=\"\" align=\"left\"><div>";
  if (p == 0)
    html += "<span class=\"PrevDisabled\">首页</span><span class=\"PrevDisabled\">上页</span>";
  else
    html += "<a href=\"" + DynHref(1, m) + "\" class=\"Prev\">首页</a><a href=\"" + DynHref(p, m) +
            "\" class=\"Prev\">上页</a>";
  if (p + 1 < m)
    html += "<a href=\"" + DynHref(p + 2, m) + "\" class=\"Next\">下页</a><a href=\"" + DynHref(m, m) +
            "\" class=\"Next\">尾页</a>";
  else
    html += "<span class=\"NextDisabled\">下页</span><span class=\"NextDisabled\">尾页</span>";
  html += "</div></td></tr></table>\n";
  return VsbPage("镇街年报", html);
}

}  // namespace

bool BuildVsbB(BBuild* b, std::string* error) {
  auto site = b->NewHost({.name = "vsb-tree", .family = "vsb", .variant = "tree-countdown-dynamic",
                          .address = "127.0.0.14", .start = "/zwgk/zfxxgknb.htm"});
  PortalInfo& info = b->info();
  std::vector<BEntry> entries = MakeEntries(
      {.region = "示例市北湖区", .reports = 37, .lookalikes = 5, .night2 = 1, .salt = 8,
       .id_base = 23000});
  AssignGroups(&entries, {"main", "bmnb", "zjnb"}, {14, 16, 12});
  for (BEntry& e : entries) {
    if (e.night == 2) e.group = "bmnb";
    const std::string id = std::to_string(e.id);
    e.path = e.group == "main"   ? "/info/1154/" + id + ".htm"
             : e.group == "bmnb" ? "/info/1155/" + id + ".htm"
                                 : "/content.jsp?urltype=news.NewsContentUrl&wbtreeid=1156&wbnewsid=" + id;
  }
  site->KeyByQuery("/content.jsp", {{"wbnewsid", ""}});
  site->KeyByQuery("/list.jsp", {{"wbtreeid", ""}, {"PAGENUM", "1"}});
  if (!PutEntries(site.get(), entries, kSite, true, error)) return false;
  AddManifestEntries(&info, entries);
  struct Column {
    const char* group;
    std::string (*render)(const std::vector<const BEntry*>&, int);
  };
  for (const Column& c : {Column{"main", MainListing}, Column{"bmnb", BmListing},
                          Column{"zjnb", DynListing}}) {
    const auto n1 = Visible(entries, 1, c.group), n2 = Visible(entries, 2, c.group);
    const int m1 = Pages(n1.size(), kPer), m2 = Pages(n2.size(), kPer);
    for (int p = 0; p < m2; ++p) {
      std::string target;
      if (c.group == std::string_view("zjnb"))
        target = p == 0 ? "/list.jsp?urltype=tree.TreeTempUrl&wbtreeid=1156"
                        : "/list.jsp" + DynHref(p + 1, m1);
      else
        target = ColFile(c.group == std::string_view("main") ? "/zwgk/zfxxgknb" : "/zwgk/zfxxgknb/bmnb",
                         p, m2);
      // Counted-down files are named by night 2's page count; both nights have it (asserted
      // by the tests: the count stays the same).
      if (p < m1)
        site->Put(target, "text/html; charset=utf-8", c.render(n1, p), c.render(n2, p));
      else
        site->PutNight2(target, "text/html; charset=utf-8", c.render(n2, p));
      AddManifestListing(&info, target, p < m1 ? 1 : 2);
    }
    if (m1 != m2) {
      *error = std::string("vsb-tree: column ") + c.group + " changes its page count on night 2";
      return false;
    }
  }
  return true;
}

}  // namespace nianbao::sim::internal
