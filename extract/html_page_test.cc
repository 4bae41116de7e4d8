#include "extract/html_page.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "extract/charset.h"
#include "extract/page_chrome.h"

using namespace nianbao::extract;

TEST_SUITE("extract/html_page") {
  TEST_CASE("rowspan and colspan expand into a grid with origins") {
    HtmlPage p = ParseHtmlPage(
        "<table><tr><td rowspan=2>A</td><td colspan=2>B</td></tr><tr><td>c</td><td>d</td></tr>"
        "<tr><td>e</td></tr></table>");
    REQUIRE(p.tables.size() == 1);
    const Grid& g = p.tables[0];
    REQUIRE(g.rows.size() == 3);
    CHECK(g.rows[0] == std::vector<std::string>{"A", "B", "B"});
    CHECK(g.rows[1] == std::vector<std::string>{"A", "c", "d"});
    CHECK(g.rows[2] == std::vector<std::string>{"e", "", ""});
    CHECK(g.origin[0][1] == g.origin[0][2]);  // one cell spanning two columns
    CHECK(g.origin[0][0] == g.origin[1][0]);  // one cell spanning two rows
    CHECK(g.origin[2][1] != g.origin[2][2]);  // padding positions are distinct
  }
  TEST_CASE("cell text: <p>, <span>, <br>, &nbsp; normalized") {
    HtmlPage p = ParseHtmlPage("<table><tr><td><p><span>商业</span></p><p>企业&nbsp;</p></td><td>x<br>y</td></tr></table>");
    REQUIRE(p.tables.size() == 1);
    CHECK(p.tables[0].rows[0][0] == "商业 企业");
    CHECK(p.tables[0].rows[0][1] == "x y");
  }
  TEST_CASE("the content root wins over chrome, and chrome lines are dropped") {
    std::string body;
    for (int i = 0; i < 20; ++i) body += "<p>一段很长的报告正文内容，用来说明政府信息公开工作的总体情况和主要做法。</p>";
    HtmlPage p = ParseHtmlPage(
        "<html><body><div class=nav><a href=/>首页</a><a href=/a>政务公开</a></div>"
        "<div class=crumb>您当前的位置: <a href=/>首页</a> &gt; 政务公开</div>"
        "<div class=article><h1>某区2024年政府信息公开工作年度报告</h1><div class=info>日期: 2025-01-26 字体:[ 大 中 小 ]</div>"
        "<div class=content>" + body + "<p>扫一扫在手机打开当前页</p></div></div>"
        "<div class=footer>版权所有 某区人民政府 ICP备12345号</div></body></html>");
    REQUIRE(!p.body.empty());
    for (const auto& b : p.body) {
      CHECK_MESSAGE(PageChrome::Instance().Find(b.text).empty(), b.text);
    }
    CHECK(p.body.size() == 20);
    CHECK(p.headings.at(0) == "某区2024年政府信息公开工作年度报告");
  }
  TEST_CASE("layout tables are walked through, data tables kept") {
    HtmlPage p = ParseHtmlPage(
        "<table><tr><td>导航</td></tr><tr><td><p>正文第一段正文第一段正文第一段正文第一段</p>"
        "<table><tr><td>规章</td><td>0</td></tr></table></td></tr></table>");
    REQUIRE(p.tables.size() == 1);
    CHECK(p.tables[0].rows[0][0] == "规章");
  }
  TEST_CASE("hostile markup: deep nesting and huge spans are bounded") {
    std::string deep;
    for (int i = 0; i < 5000; ++i) deep += "<div>";
    deep += "text";
    HtmlPage p = ParseHtmlPage(deep);
    CHECK(p.depth_limited);
    // An end tag closes only an element that is open: "</x>" closes nothing,
    // so each "<div></x>" nests one level deeper, for Gumbo as for the cut.
    std::string unclosed;
    for (int i = 0; i < 20000; ++i) unclosed += "<div></x>";
    CHECK(ParseHtmlPage(unclosed).depth_limited);
    bool cut = false;
    std::string_view kept = WithinParseDepth(unclosed, &cut);
    CHECK(cut);
    CHECK(kept.size() == 1001 * std::string_view("<div></x>").size() - std::string_view("</x>").size() - 5);
    // Too many elements: a dense page is cut after 100,000 start tags (its
    // tree would cost gigabytes, and a gzip body makes it cheap to send).
    std::string dense;
    for (int i = 0; i < 150000; ++i) dense += "<p>报告</p>";
    kept = WithinParseDepth(dense, &cut);
    CHECK(cut);
    CHECK(kept.size() == 100000 * std::string_view("<p>报告</p>").size());
    // Balanced markup of any length is never cut.
    std::string balanced;
    for (int i = 0; i < 20000; ++i) balanced += "<div><span>a</span></div>";  // 40,000 elements
    CHECK_FALSE(ParseHtmlPage(balanced).depth_limited);
    HtmlPage spans = ParseHtmlPage("<table><tr><td colspan=100000 rowspan=100000>x</td></tr></table>");
    REQUIRE(spans.tables.size() == 1);
    CHECK(spans.tables[0].width() <= 64);
  }

  TEST_CASE("CompactMarkup drops a style that hides nothing and the attributes the walk never reads") {
    auto compact = [](std::string html) {
      CompactMarkup(&html);
      return html;
    };
    CHECK(compact("<p style=\"text-indent: 2em;\">24</p>") == "<p>24</p>");
    CHECK(compact("<p class=\"x\" STYLE = 'color:red' id=y>a</p>") == "<p class=\"x\" id=y>a</p>");
    // Kept: it may hide; two of them (Gumbo keeps the first); unquoted; inside another value.
    for (const char* kept : {"<p style=\"display:none\">a</p>", "<p style='visibility: Hidden'>a</p>",
                             "<p style=\"color:red\" style=\"display:none\">a</p>", "<p style=color:red>a</p>",
                             "<p title=\"style='x'\">a</p>", "<script>x = '<p style=\"a\">';</script>"}) {
      CHECK(compact(kept) == kept);
    }
    // Attributes the walk never reads go (Word's width, valign, lang, x:num…), the ones it reads stay.
    CHECK(compact("<td width=93 valign=\"top\" colspan=\"2\" style=\"width:70pt\" x:num=\"5\">5</td>") ==
          "<td colspan=\"2\">5</td>");
    CHECK(compact("<a href=\"/r.pdf\" target=_blank title='报告' class=\"f\" onclick=\"go()\">x</a><br />") ==
          "<a href=\"/r.pdf\" title='报告' class=\"f\">x</a><br />");
    CHECK(compact("<meta http-equiv=\"Content-Type\" content=\"text/html\" data-x=1 />") ==
          "<meta http-equiv=\"Content-Type\" content=\"text/html\" />");
    CHECK(compact("<TD ROWSPAN=3 ALIGN=center ID=t>x</TD>") == "<TD ROWSPAN=3 ID=t>x</TD>");
    CHECK(compact("<p lang=zh style=\"color:red\" style=\"display:none\">a</p>") ==
          "<p style=\"color:red\" style=\"display:none\">a</p>");  // several styles: every one kept
    // Odd syntax keeps the tag whole: an unclosed quote.
    CHECK(compact("<td width=\"9>x</td>") == "<td width=\"9>x</td>");
    // A hidden element stays hidden, a visible one visible.
    HtmlPage p = ParseHtmlPage(compact("<div><p style=\"color:red\">shown</p><p style=\"display: none\">gone</p></div>"));
    REQUIRE(p.body.size() == 1);
    CHECK(p.body[0].text == "shown");
  }

  TEST_CASE("CompactMarkup drops only space runs between two table tags") {
    auto compact = [](std::string html) {
      CompactMarkup(&html);
      return html;
    };
    CHECK(compact("<table>\n <tbody>\n  <tr>\n   <td> a </td>\n   <TD>b</TD>\r\n  </tr>\n </tbody>\n</table>\n<p>x</p>") ==
          "<table><tbody><tr><td> a </td><TD>b</TD></tr></tbody></table>\n<p>x</p>");
    // Runs with a tab, and runs not between two table tags, stay.
    CHECK(compact("<tr>\t<td>a</td> <span>b</span> <td>c</td></tr>") == "<tr>\t<td>a</td> <span>b</span> <td>c</td></tr>");
    CHECK(compact("<p>a</p>\n<p>b</p>") == "<p>a</p>\n<p>b</p>");
    // Raw text and attribute values are left as they are.
    const std::string raw = "<script>var s = '<td>  </td>';</script><style>td > td { }</style>"
                            "<table title='<tr> <td>'> <tr><td class=\"a > b\"> 1 </td></tr></table>";
    CHECK(compact(raw) == "<script>var s = '<td>  </td>';</script><style>td > td { }</style>"
                          "<table title='<tr> <td>'><tr><td class=\"a > b\"> 1 </td></tr></table>");
    // Malformed: after an unclosed quote the rest is copied unchanged.
    CHECK(compact("<table> <tr title=\"x> <td> </td>") == "<table><tr title=\"x> <td> </td>");
    CHECK(compact("") == "");
  }

  TEST_CASE("every test page parses to the same page with tables apart and table whitespace compacted") {
    int pages = 0;
    for (const auto& dir : {"seeds", "reports"}) {
      for (const auto& entry : std::filesystem::directory_iterator(std::string(NIANBAO_TEST_DATA) + "/" + dir)) {
        if (entry.path().extension() != ".html") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        std::string utf8 = DecodeToUtf8(ss.str(), "").utf8;
        std::string compacted = utf8;
        CompactMarkup(&compacted);
        CAPTURE(entry.path().string());
        CHECK(compacted.size() <= utf8.size());
        HtmlPage a = ParseHtmlPage(utf8, LinkScope::kAll, TableParse::kWhole);
        HtmlPage b = ParseHtmlPage(compacted, LinkScope::kAll, TableParse::kApart);
        CHECK(a.page_lines == b.page_lines);
        CHECK(a.headings == b.headings);
        REQUIRE(a.body.size() == b.body.size());
        for (size_t i = 0; i < a.body.size(); ++i) {
          CHECK(a.body[i].text == b.body[i].text);
          CHECK(a.body[i].raw == b.body[i].raw);
          CHECK(a.body[i].table == b.body[i].table);
        }
        REQUIRE(a.tables.size() == b.tables.size());
        for (size_t t = 0; t < a.tables.size(); ++t) {
          CHECK(a.tables[t].rows == b.tables[t].rows);
          CHECK(a.tables[t].origin == b.tables[t].origin);
        }
        REQUIRE(a.links.size() == b.links.size());
        for (size_t l = 0; l < a.links.size(); ++l) {
          CHECK(a.links[l].href == b.links[l].href);
          CHECK(a.links[l].text == b.links[l].text);
        }
        CHECK(a.title_tag == b.title_tag);
        CHECK(a.scripts == b.scripts);
        ++pages;
      }
    }
    CHECK(pages >= 25);
  }
}
