// Listing readers, one TEST_CASE per variant of listing-real.md. The markup
// is written for these tests in the shapes real portals use (quoted in
// /work/notes/real-listings.md from public crawlers of them); none of it is a
// saved page.
#include "extract/listing/listing.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace nianbao::extract;

namespace {

Listing Parse(const std::string& body, const std::string& url, const std::string& type = "",
              const std::string& form = "", const std::string& fragment = "") {
  ListingInput in;
  in.bytes = body;
  in.url = url;
  in.content_type = type;
  in.post_form = form;
  in.fragment = fragment;
  return ParseListing(in);
}

std::vector<std::string> Urls(const std::vector<ListingRequest>& requests) {
  std::vector<std::string> out;
  for (const auto& r : requests) out.push_back(r.url);
  return out;
}

std::vector<std::string> EntryUrls(const Listing& l) {
  std::vector<std::string> out;
  for (const auto& e : l.entries) out.push_back(e.url);
  return out;
}

bool Has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

// A list of n items <li><a href="prefix{i}.html" title="T">T</a><span>2025-01-0i</span></li>.
std::string Items(int n, const std::string& prefix, int from = 1) {
  std::string html = "<ul class=\"list\">";
  for (int i = from; i < from + n; ++i) {
    html += "<li><a href=\"" + prefix + std::to_string(i) + ".html\" title=\"某单位" + std::to_string(2000 + i % 25) +
            "年政府信息公开工作年度报告\">某单位" + std::to_string(2000 + i % 25) + "年政府信息公开…</a><span>2025-01-0" +
            std::to_string(i % 9 + 1) + "</span></li>";
  }
  return html + "</ul>";
}

}  // namespace

TEST_SUITE("extract/listing titles") {
  TEST_CASE("report titles vs look-alikes (listing.md)") {
    CHECK(IsReportTitle("重庆市潼南区人民政府办公室2024年政府信息公开工作年度报告"));
    CHECK(IsReportTitle("2024年度 北京市 政务公开 工作年度报告"));
    CHECK(IsReportTitle("某市二〇二四年政府信息公开工作年报"));
    CHECK_FALSE(IsReportTitle("关于《XX区2024年政府信息公开工作年度报告》的解读"));
    CHECK_FALSE(IsReportTitle("关于2023年政府信息公开工作年度报告的更正说明"));
    CHECK_FALSE(IsReportTitle("2025年政务公开工作要点"));
    CHECK_FALSE(IsReportTitle("政府信息公开工作年度报告"));  // no year
  }
  TEST_CASE("verdicts: a cut or shortened title may be a report; look-alikes and the rest are not") {
    CHECK(JudgeTitle("某区2024年政府信息公开工作年度报告") == EntryVerdict::kReport);
    CHECK(JudgeTitle("北京市怀柔区人民政府办公室2024年政府信息公...") == EntryVerdict::kMaybe);
    CHECK(JudgeTitle("某区水务局2023年度报告") == EntryVerdict::kMaybe);
    CHECK(JudgeTitle("关于《XX区2024年政府信息公开工作年度报告》的解读") == EntryVerdict::kLookAlike);
    CHECK(JudgeTitle("政府信息公开年报") == EntryVerdict::kLookAlike);  // the column's own name
    CHECK(JudgeTitle("2025年政务公开工作要点") == EntryVerdict::kOther);
    CHECK(JudgeTitle("关于开展安全生产检查的通知") == EntryVerdict::kOther);
  }
}

TEST_SUITE("extract/listing TRS") {
  TEST_CASE("createPageHTML(N, 0, \"index\", \"shtml\"): 0-based page files; entries resolved against <base>") {
    std::string html =
        "<html><head><base href=\"http://h.gov.cn/zwgk/nb/\"></head><body><ul>"
        "<li><a href=\"./202501/t20250126_1.shtml\" title=\"某区2024年政府信息公开工作年度报告\">某区2024年…</a></li>"
        "<li><a href=\"/x/202501/t2.shtml\">关于《某区2024年政府信息公开工作年度报告》的解读</a></li>"
        "<li><a href=\"/x/a.html\">通知公告</a></li></ul>"
        "<script>createPageHTML(3, 0, \"index\", \"shtml\");</script></body></html>";
    Listing l = Parse(html, "http://h.gov.cn/zwgk/nb/index.shtml");
    CHECK(l.family == "trs");
    REQUIRE(l.entries.size() == 3);  // every item of the list, the notice too
    CHECK(l.entries[0].url == "http://h.gov.cn/zwgk/nb/202501/t20250126_1.shtml");
    CHECK(l.entries[0].title == "某区2024年政府信息公开工作年度报告");  // the title attribute, not the cut text
    CHECK(l.entries[0].verdict == EntryVerdict::kReport);
    CHECK(l.entries[1].verdict == EntryVerdict::kLookAlike);
    CHECK(l.entries[2].verdict == EntryVerdict::kOther);
    CHECK(Urls(l.more) == std::vector<std::string>{"http://h.gov.cn/zwgk/nb/index_1.shtml", "http://h.gov.cn/zwgk/nb/index_2.shtml"});
    CHECK(l.claimed_pages == 3);
  }
  TEST_CASE("createPageHTML('page_div', N, 1, 'list', 'shtml', records): 1-based, the prefix as given, the record count claimed") {
    Listing l = Parse("<html><body>" + Items(15, "./202501/t2025012" ) +
                          "<div id=\"page_div\"></div><script>createPageHTML('page_div',5, 1,'list','shtml',89);</script></body></html>",
                      "http://h.gov.cn/csrc/c106256/list.shtml");
    CHECK(Urls(l.more) == std::vector<std::string>{"http://h.gov.cn/csrc/c106256/list_2.shtml", "http://h.gov.cn/csrc/c106256/list_3.shtml",
                                                   "http://h.gov.cn/csrc/c106256/list_4.shtml", "http://h.gov.cn/csrc/c106256/list_5.shtml"});
    CHECK(l.claimed_entries == 89);
    CHECK(l.claimed_pages == 5);
    CHECK(l.entries.size() == 15);
  }
  TEST_CASE("var countPage with the pager drawn by another script; a commented-out createPageHTML is not read") {
    std::string html = "<html><body>" + Items(20, "./201805/t20180525_") +
                       "<SCRIPT>\n//createPageHTML(9, 0, \"index\", \"html\");\nvar currentPage = 0;//所在页从0开始\n"
                       "var prevPage = currentPage-1;\nvar nextPage = currentPage+1;\nvar countPage = 17;//共多少页\n"
                       "document.write(\"<a href=\\\"index\"+\"_\" + nextPage + \".\"+\"html\\\">下一页</a>\");</SCRIPT>"
                       "<script src=\"/js/pager.js\"></script></body></html>";
    Listing l = Parse(html, "http://h.gov.cn/zfxxgk/zfxxgknb/");
    CHECK(l.family == "trs");
    CHECK(l.claimed_pages == 17);
    REQUIRE(l.more.size() == 16);  // index_1 … index_16 (index.html is this page by another name)
    CHECK(l.more[0].url == "http://h.gov.cn/zfxxgk/zfxxgknb/index_1.html");
    CHECK(l.more.back().url == "http://h.gov.cn/zfxxgk/zfxxgknb/index_16.html");
  }
  TEST_CASE("pageControl(N, cur, \"index\", \"shtml\", …), the old Hubei pager") {
    Listing l = Parse("<html><body>" + Items(10, "t2018_") + "<script>pageControl(4, 0, \"index\", \"shtml\", 10, 'pages-nav');</script></body></html>",
                      "http://h.gov.cn/xxgk/nb/index.shtml");
    CHECK(Urls(l.more) == std::vector<std::string>{"http://h.gov.cn/xxgk/nb/index_1.shtml", "http://h.gov.cn/xxgk/nb/index_2.shtml",
                                                   "http://h.gov.cn/xxgk/nb/index_3.shtml"});
  }
  TEST_CASE("regression: page-controlled createPageHTML arguments that resolve to no http URL are dropped, not dereferenced") {
    Listing l = Parse("<html><body><script>createPageHTML(3, 0, \"mailto:x\", \"shtml\");createPageHTML(3, 0, \"javascript:alert(1)//\", \"x\");"
                      "</script></body></html>",
                      "http://h.gov.cn/nb/index.shtml");
    for (const auto& m : l.more) CHECK(m.url.rfind("http://", 0) == 0);
  }
}

TEST_SUITE("extract/listing Hanweb") {
  // A column page as JCMS renders it: the first group inline, the unit's parameters in a script.
  std::string ColumnPage(int inline_records, int total, const std::string& extra_script = "") {
    std::string records;
    for (int i = 1; i <= inline_records; ++i) {
      records += "<record><![CDATA[\n<li class=\"clearfix\"><a target=\"_blank\" href=\"/art/2025/1/" + std::to_string(i % 28 + 1) +
                 "/art_1234_" + std::to_string(1000 + i) + ".html\" title=\"某局" + std::to_string(2000 + i % 25) +
                 "年政府信息公开工作年度报告\">某局" + std::to_string(2000 + i % 25) + "年政府信息公开工作年...</a> <b>2025-01-19</b></li>]]></record>\n";
    }
    return "<html><head><title>政府信息公开年报</title></head><body><div class=\"nav\"><a href=\"/col/col1/index.html\">首页</a></div>"
           "<div id=\"5678\"><script type=\"text/xml\"><datastore>\n<nextgroup><![CDATA[<a href=\"/module/web/jpage/dataproxy.jsp?page=1"
           "&appid=1&webid=1&path=/&columnid=1234&unitid=5678&webname=示例&permissiontype=0\"></a>]]></nextgroup>\n<recordset>"
           "<ul id=\"information-list\"></ul>\n" +
           records + "</recordset></datastore></script></div>\n<script>var param_5678 = {col:1, appid:1, webid:1, path:'/', columnid:1234, "
           "sourceContentType:1, unitid:'5678', webname:'示例省', permissiontype:0};\n$('#5678').jpage({totalRecord:" +
           std::to_string(total) + ", proxyUrl:'/module/web/jpage/dataproxy.jsp', perPage:15, groupSize:3, dataStore:'#5678'});" +
           extra_script + "</script></body></html>";
  }

  TEST_CASE("a column page with <datastore> inline is a column page: its records, then POST windows from its param_ object") {
    Listing l = Parse(ColumnPage(45, 120), "http://h.gov.cn/col/col1234/index.html");
    CHECK(l.family == "hanweb");
    CHECK(l.entries.size() == 45);
    CHECK(l.entries[0].title.find("年政府信息公开工作年度报告") != std::string::npos);  // the full title from title=
    CHECK(l.claimed_entries == 120);
    REQUIRE(l.more.size() == 2);  // records 46-90 and 91-135 of 120
    CHECK(l.more[0].url == "http://h.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15");
    CHECK(l.more[1].url == "http://h.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=91&endrecord=135&perpage=15");
    CHECK(l.more[0].post_form ==
          "col=1&appid=1&webid=1&path=%2F&columnid=1234&sourceContentType=1&unitid=5678&webname=%E7%A4%BA%E4%BE%8B%E7%9C%81&permissiontype=0");
  }
  TEST_CASE("the proxy's XML answer: records de-duplicated, the rest of the windows named") {
    std::string xml =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><datastore><nextgroup><![CDATA[]]></nextgroup><recordset>"
        "<record><![CDATA[<li><a href=\"/art/2025/1/26/art_1234_1.html\" title=\"某区2024年政府信息公开工作年度报告\">某区…</a></li>]]></record>"
        "<record><![CDATA[<li><a href=\"/art/2025/1/20/art_1234_2.html\" title=\"关于《某区2024年政府信息公开工作年度报告》的解读\">解读</a></li>]]></record>"
        "<record><![CDATA[<li><a href=\"/art/2025/1/26/art_1234_1.html\" title=\"某区2024年政府信息公开工作年度报告\">again</a></li>]]></record>"
        "</recordset><totalrecord>100</totalrecord><totalpage>7</totalpage></datastore>";
    const std::string form = "col=1&columnid=1234&unitid=5678";
    Listing w = Parse(xml, "http://h.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15", "text/xml", form);
    REQUIRE(w.entries.size() == 2);  // the repeated record once
    CHECK(w.entries[0].verdict == EntryVerdict::kReport);
    CHECK(w.entries[1].verdict == EntryVerdict::kLookAlike);
    CHECK(w.claimed_entries == 100);
    CHECK(Urls(w.more) == std::vector<std::string>{"http://h.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=91&endrecord=135&perpage=15"});
    CHECK(w.more[0].post_form == form);
  }
  TEST_CASE("no parameters on the page: the GET form its <nextgroup> names (an old proxy path, &amp; inside CDATA); <tr> records") {
    std::string html =
        "<html><body><div id=\"80325\"><script type=\"text/xml\"><datastore><nextgroup><![CDATA[<a href=\"/module/jslib/jquery/jpage/"
        "dataproxy.jsp?page=1&amp;webid=60&amp;path='/'&amp;columnid=31685&amp;unitid=80325\"></a>]]></nextgroup><recordset>"
        "<table cellpadding='0'></table><record><![CDATA[\n<tr><td><a href='/art/2017/4/24/art_31685_2451995.html' title='某局2016年政府信息公开工作年度报告'"
        " target='_blank'>某局2016年政府信息公开工作年度...</a></td><td>[2017-04-24]</td></tr>]]></record></recordset></datastore></script></div>"
        "<script>$('#80325').jpage({dataStore: '#80325'});</script></body></html>";
    Listing l = Parse(html, "http://h.gov.cn/col/col31685/index.html");
    CHECK(l.family == "hanweb");
    REQUIRE(l.entries.size() == 1);
    CHECK(l.entries[0].url == "http://h.gov.cn/art/2017/4/24/art_31685_2451995.html");
    CHECK(l.entries[0].verdict == EntryVerdict::kReport);
    REQUIRE(l.more.size() == 1);
    CHECK(l.more[0].post_form.empty());
    CHECK(l.more[0].url.find("dataproxy.jsp?page=1&webid=60") != std::string::npos);
    // Its answer counts pages: the rest are named.
    std::string answer = "<datastore><totalrecord>250</totalrecord><totalpage>3</totalpage><recordset><record><![CDATA[<li><a href=\"/art/1.html\">"
                         "某局2016年政府信息公开工作年度报告</a></li>]]></record></recordset></datastore>";
    Listing a = Parse(answer, l.more[0].url, "text/html");
    CHECK(a.more.size() == 2);  // page=2, page=3
    CHECK(a.claimed_entries == 250);
  }
  TEST_CASE("a <nextgroup> written relative is relative to the proxy, not to the column page") {
    std::string html =
        "<html><body><div id=\"325\"><script type=\"text/xml\"><datastore><nextgroup><![CDATA[<a href=\"./dataproxy.jsp?page=1&amp;path=/&amp;"
        "columnid=4584&amp;unitid=325\"></a>]]></nextgroup><recordset><record><![CDATA[<li><a href=\"/art/2025/1/2/art_4584_1.html\">"
        "某会2024年政府信息公开工作年度报告</a></li>]]></record></recordset></datastore></script></div></body></html>";
    Listing l = Parse(html, "http://h.org.cn/col/col4584/index.html");
    REQUIRE(l.more.size() == 1);
    CHECK(l.more[0].url == "http://h.org.cn/module/web/jpage/dataproxy.jsp?page=1&path=/&columnid=4584&unitid=325");
  }
  TEST_CASE("a column page with no records inline asks the first window; a page script with several units asks for each") {
    std::string html =
        "<html><body><div id=\"1234\"></div><script>$('#1234').jpage({proxyUrl: '/module/web/jpage/dataproxy.jsp', perPage: 3, groupSize: 3,"
        " ajaxParam: {col: 1, appid: 1, webid: 1, path: '/', columnid: 1234, sourceContentType: 1, unitid: 5678, webname: 'x',"
        " permissiontype: 0}});</script></body></html>";
    Listing l = Parse(html, "http://h.gov.cn/col/col1234/index.html");
    REQUIRE(l.more.size() == 1);
    CHECK(l.more[0].url == "http://h.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=9&perpage=3");
    CHECK(l.more[0].post_form.find("columnid=1234") != std::string::npos);
  }
}

TEST_SUITE("extract/listing gkmlpt") {
  TEST_CASE("the category from TREE by name at any depth (quoted keys, no fragment)") {
    std::string html =
        "<html><body><div id=\"app\"></div><script>window._CONFIG = {\"SID\": \"755041\", \"TREE\": [{\"id\": 1, \"name\": \"机构职能\", "
        "\"children\": []}, {\"id\": 2, \"name\": \"政府信息公开\", \"children\": [{\"id\": 28, \"name\": \"法定主动公开内容\", \"children\": "
        "[{\"id\": 2845, \"name\": \"政府信息公开年报\", \"children\": [], \"jump_url\": \"\"}]}]}], \"SERVICE_AREA_ID\": 0};</script></body></html>";
    Listing l = Parse(html, "http://www.szpsq.gov.cn/gkmlpt/index");
    CHECK(l.family == "gkmlpt");
    CHECK(Urls(l.more) == std::vector<std::string>{"http://www.szpsq.gov.cn/gkmlpt/api/all/2845?page=1&sid=755041"});
  }
  TEST_CASE("the configured fragment names the category; a department mount keeps its path") {
    std::string html = "<html><body><script>window._CONFIG = {SID:'755325', TREE:[{id:9, name:'年度报告'}]};</script></body></html>";
    Listing l = Parse(html, "http://www.baoan.gov.cn/bakj/gkmlpt/index", "", "", "2811");
    CHECK(Urls(l.more) == std::vector<std::string>{"http://www.baoan.gov.cn/bakj/gkmlpt/api/all/2811?page=1&sid=755325"});
  }
  TEST_CASE("API answers: post_count, attachment-only articles, every page from page 1 and from page 0, none from later pages") {
    std::string json =
        "{\"classify\": {\"id\": 2845, \"post_count\": 25}, \"articles\": ["
        "{\"title\": \"某局2024年政府信息公开工作年度报告\", \"url\": \"http://h.gov.cn/gkmlpt/content/0/1/post_1.html\", \"attachment\": []},"
        "{\"title\": \"某局2023年政府信息公开工作年度报告\", \"url\": \"\", \"attachment\": [{\"name\": \"年报.pdf\","
        " \"url\": \"http://h.gov.cn/attachment/0/1/2023nb.pdf\"}]}]}";
    Listing api = Parse(json, "http://h.gov.cn/gkmlpt/api/all/2845?page=1&sid=755", "application/json");
    CHECK(api.family == "gkmlpt");
    REQUIRE(api.entries.size() == 2);
    CHECK(api.entries[1].url == "http://h.gov.cn/attachment/0/1/2023nb.pdf");
    CHECK(api.claimed_entries == 25);
    REQUIRE(api.more.size() == 12);  // 25 articles, 2 a page: pages 2 … 13
    CHECK(api.more.back().url == "http://h.gov.cn/gkmlpt/api/all/2845?page=13&sid=755");
    Listing p0 = Parse(json, "http://h.gov.cn/gkmlpt/api/all/2845?page=0&sid=755", "application/json");
    CHECK(p0.more.size() == 13);  // page 0 is page 1's batch: pages 1 … 13
    Listing p13 = Parse(json, "http://h.gov.cn/gkmlpt/api/all/2845?page=13&sid=755", "application/json");
    CHECK(p13.more.empty());  // a short last page would give a wrong page size
  }
}

TEST_SUITE("extract/listing VSB") {
  TEST_CASE("the old table pager: 共N条 1/M, absolute Next links counting down") {
    std::string html = "<html><body>" + Items(10, "../info/1307/2383") +
                       "<table><tr><td id=\"fanye148356\" nowrap>共49条&nbsp;&nbsp;1/5&nbsp;</td><td><div><span class=\"PrevDisabled\">首页</span>"
                       "<span class=\"PrevDisabled\">上页</span><a href=\"http://soft.h.edu.cn/djgz/4.htm\" class=\"Next\">下页</a>"
                       "<a href=\"http://soft.h.edu.cn/djgz/1.htm\" class=\"Next\">尾页</a></div></td></tr></table></body></html>";
    Listing l = Parse(html, "http://soft.h.edu.cn/djgz.htm");
    CHECK(l.family == "vsb");
    CHECK(l.claimed_entries == 49);
    CHECK(l.claimed_pages == 5);
    CHECK(Urls(l.more) == std::vector<std::string>{"http://soft.h.edu.cn/djgz/4.htm", "http://soft.h.edu.cn/djgz/1.htm",
                                                   "http://soft.h.edu.cn/djgz/3.htm", "http://soft.h.edu.cn/djgz/2.htm"});
  }
  TEST_CASE("the pb_sys_common pager: 共N条 and 1/M in spans; relative links; the last page names none further") {
    std::string first = "<html><body>" + Items(5, "../info/1307/3") +
                        "<div class=\"pb_sys_common pb_sys_normal\"><span class=\"p_t\">共52条</span> <span class=\"p_pages\"><span class=\"p_first_d "
                        "p_fun_d\">首页</span><span class=\"p_no_d\">1</span><span class=\"p_no\"><a href=\"zbgg/10.htm\">2</a></span><span "
                        "class=\"p_next p_fun\"><a href=\"zbgg/10.htm\">下页</a></span><span class=\"p_last p_fun\"><a href=\"zbgg/1.htm\">尾页</a>"
                        "</span></span> <span class=\"p_t\">1/11</span></div></body></html>";
    Listing l = Parse(first, "http://h.edu.cn/zbgg.htm");
    CHECK(l.claimed_entries == 52);
    CHECK(l.claimed_pages == 11);
    CHECK(l.more.size() == 10);
    CHECK(Has(Urls(l.more), "http://h.edu.cn/zbgg/5.htm"));
    std::string last = "<html><body>" + Items(2, "../../info/1307/4") +
                       "<div><span class=\"NextDisabled\">下页</span><span class=\"NextDisabled\">尾页</span>"
                       "<a class=\"Prev\" href=\"../zbgg.htm\">首页</a><a class=\"Prev\" href=\"2.htm\">上页</a></div></body></html>";
    Listing end = Parse(last, "http://h.edu.cn/zbgg/1.htm");
    for (const auto& m : end.more) CHECK(m.url.find("/0.htm") == std::string::npos);
  }
  TEST_CASE("the dynamic form: ?totalpage=M&PAGENUM=k&urltype=tree.TreeTempUrl&wbtreeid=…") {
    std::string html = "<html><body>" + Items(15, "/info/1082/") +
                       "<a href=\"?totalpage=4&PAGENUM=2&urltype=tree.TreeTempUrl&wbtreeid=1082\" class=\"Next\">下页</a></body></html>";
    Listing l = Parse(html, "http://www.hx.gov.cn/xzxx.jsp?urltype=tree.TreeTempUrl&wbtreeid=1082");
    CHECK(l.claimed_pages == 4);
    CHECK(l.more.size() == 3);
    CHECK(Has(Urls(l.more), "http://www.hx.gov.cn/xzxx.jsp?totalpage=4&PAGENUM=4&urltype=tree.TreeTempUrl&wbtreeid=1082"));
  }
}

TEST_SUITE("extract/listing generic") {
  TEST_CASE("?page=N with 下一页 and 末页: every page at once") {
    Listing generic = Parse("<html><body>" + Items(4, "/doc/") + "<a href=\"?page=2\">下一页</a><a href=\"?page=4\">末页</a> 共4页</body></html>",
                            "http://h.gov.cn/list?page=1");
    CHECK(Urls(generic.more) == std::vector<std::string>{"http://h.gov.cn/list?page=2", "http://h.gov.cn/list?page=4",
                                                         "http://h.gov.cn/list?page=3"});
  }
  TEST_CASE("list_N.html with a > link and 共N页 split over elements") {
    Listing l = Parse("<html><body>" + Items(10, "/art/") + "<div class=\"page\">共<b>3</b>页 <a href=\"list_2.html\">&gt;</a></div></body></html>",
                      "http://h.gov.cn/nb/list_1.html");
    CHECK(l.claimed_pages == 3);
    CHECK(Urls(l.more) == std::vector<std::string>{"http://h.gov.cn/nb/list_2.html", "http://h.gov.cn/nb/list_3.html"});
  }
  TEST_CASE("pageIndex pages from an Anhui pager script: currPage and pageCount, the URL template in the callback") {
    std::string html = "<html><body>" + Items(15, "/content/") +
                       "<div id=\"page_6791573\"></div><script>Ls.pagination(\"#page_6791573\", function(pageIndex){ "
                       "location.href='https://hrss.ah.gov.cn/content/column/6791573?pageIndex=' + pageIndex;},{currPage: (1),pageCount:3});"
                       "</script></body></html>";
    Listing l = Parse(html, "https://hrss.ah.gov.cn/content/column/6791573");
    CHECK(l.claimed_pages == 3);
    CHECK(Urls(l.more) == std::vector<std::string>{"https://hrss.ah.gov.cn/content/column/6791573?pageIndex=2",
                                                   "https://hrss.ah.gov.cn/content/column/6791573?pageIndex=3"});
  }
  TEST_CASE("the Anhui fragment endpoint: its own pageIndex parameter extended to pageCount") {
    std::string html = Items(15, "/public/") + "<script>var pager = {pageCount:4, currPage:1};</script>";
    Listing l = Parse(html, "https://h.ah.gov.cn/site/label/8888?IsAjax=1&labelName=publicInfoList&pageSize=15&pageIndex=1");
    CHECK(l.more.size() == 3);
    CHECK(Has(Urls(l.more), "https://h.ah.gov.cn/site/label/8888?IsAjax=1&labelName=publicInfoList&pageSize=15&pageIndex=4"));
  }
  TEST_CASE("currpage=N; a page count in pager attributes") {
    Listing l = Parse("<html><body>" + Items(24, "/xxgk/") +
                          "<div id=\"pageDec\" pagesize=\"24\" pagecount=\"3\"></div><a href=\"index.jsp?currpage=2\">下一页</a></body></html>",
                      "http://h.gov.cn/index.jsp");
    CHECK(l.claimed_pages == 3);
    CHECK(Urls(l.more) == std::vector<std::string>{"http://h.gov.cn/index.jsp?currpage=2", "http://h.gov.cn/index.jsp?currpage=3"});
  }
  TEST_CASE("a family reader finding nothing leaves the generic reading standing") {
    // A page that names jpage but has no unit, with an ordinary pager.
    Listing l = Parse("<html><body><script src=\"/module/jslib/jquery/jpage/jquery.page.min.js\"></script><script>var jpage=1;</script>" +
                          Items(5, "/art/x") + "<a href=\"index_2.html\">下一页</a></body></html>",
                      "http://h.gov.cn/nb/index.html");
    CHECK(l.entries.size() == 5);
    CHECK(Has(Urls(l.more), "http://h.gov.cn/nb/index_2.html"));
  }
  TEST_CASE("links outside the list are not items; a report link anywhere is") {
    std::string html = "<html><body><div class=\"nav\"><a href=\"/\">首页</a><a href=\"/zwgk/\">政务公开</a></div>" + Items(3, "/nb/t") +
                       "<div class=\"side\"><a href=\"/x/y.html\">某市2019年政府信息公开工作年度报告</a></div>"
                       "<div class=\"footer\"><a href=\"/about.html\">关于我们</a></div></body></html>";
    Listing l = Parse(html, "http://h.gov.cn/nb/index.html");
    CHECK(l.entries.size() == 4);
    CHECK(Has(EntryUrls(l), "http://h.gov.cn/x/y.html"));
    CHECK_FALSE(Has(EntryUrls(l), "http://h.gov.cn/about.html"));
  }
}

TEST_SUITE("extract/listing column trees") {
  TEST_CASE("sub-columns under the column's own path, by level; the site's navigation is not one") {
    std::string html =
        "<html><body><div class=\"top-nav\"><a href=\"/\">首页</a><a href=\"/zwgk/\">政务公开</a></div>"
        "<div class=\"left\"><ul><li><a href=\"/zwgk/zfxxgknb/qzf/\">区政府</a></li><li><a href=\"/zwgk/zfxxgknb/bm/index.html\">区政府部门</a></li>"
        "<li><a href=\"/zwgk/zfxxgknb/xzjd/\">乡镇（街道）</a></li></ul></div>" +
        Items(3, "./202501/t2025012_") + "</body></html>";
    Listing l = Parse(html, "http://h.gov.cn/zwgk/zfxxgknb/index.html");
    CHECK(Urls(l.sub_columns) == std::vector<std::string>{"http://h.gov.cn/zwgk/zfxxgknb/qzf/", "http://h.gov.cn/zwgk/zfxxgknb/bm/index.html",
                                                          "http://h.gov.cn/zwgk/zfxxgknb/xzjd/"});
  }
  TEST_CASE("year sub-columns and VSB sub-columns under the column's stem; its pages are not sub-columns") {
    Listing years = Parse("<html><body><a href=\"gknb2023/\">2023年</a><a href=\"gknb2022/\">2022年</a></body></html>",
                          "http://h.gov.cn/zwgk/zfxxgknb/");
    CHECK(years.sub_columns.size() == 2);
    Listing vsb = Parse("<html><body><a href=\"nb/bm.htm\">部门</a><a href=\"nb/2.htm\" class=\"Next\">下页</a></body></html>",
                        "http://h.gov.cn/xxgk/nb.htm");
    CHECK(Urls(vsb.sub_columns) == std::vector<std::string>{"http://h.gov.cn/xxgk/nb/bm.htm"});
  }
  TEST_CASE("Hanweb per-unit sibling columns, labelled as units, two or more together") {
    std::string html =
        "<html><body><div class=\"menu\"><a href=\"/col/col1/index.html\">首页</a></div><ul class=\"sub\"><li><a href=\"/col/col2001/index.html\">"
        "区发展和改革局</a></li><li><a href=\"/col/col2002/index.html\">区财政局</a></li><li><a href=\"/col/col2003/index.html\">某某街道</a>"
        "</li></ul></body></html>";
    Listing l = Parse(html, "http://h.gov.cn/col/col1234/index.html");
    CHECK(l.sub_columns.size() == 3);
    CHECK_FALSE(Has(Urls(l.sub_columns), "http://h.gov.cn/col/col1/index.html"));
  }
}

TEST_SUITE("extract/listing jpaas") {
  TEST_CASE("the list API a script element names; its answer's pager count and rows") {
    Listing col = Parse("<html><body><script url=\"/api-gateway/jpaas-publish-server/front/page/build/unit\" "
                        "queryData=\"{'parseType':'buildstatic','pageId':'abc'}\"></script></body></html>",
                        "http://h.gov.cn/col/col1/index.html");
    CHECK(col.family == "jpaas");
    REQUIRE(col.more.size() == 1);
    CHECK(col.more[0].url == "http://h.gov.cn/api-gateway/jpaas-publish-server/front/page/build/unit?parseType=buildstatic&pageId=abc");
    std::string answer = "{\"success\":true,\"data\":{\"html\":\"" + std::string("<ul>") +
                         "<li><a href='/art/2025/art_1.html' title='某局2024年政府信息公开工作年度报告'>某局...</a><span>2025-01-02</span></li>"
                         "<li><a href='/art/2025/art_2.html' title='某局2023年政府信息公开工作年度报告'>某局...</a><span>2024-01-02</span></li>"
                         "</ul><div class='pagination' rows='2' count='5' pageNo='1'></div>\"}}";
    Listing page = Parse(answer, col.more[0].url, "application/json");
    CHECK(page.entries.size() == 2);
    CHECK(page.claimed_entries == 5);
    CHECK(page.more.size() == 2);  // pages 2 and 3 of rows=2
  }
}

TEST_SUITE("extract/listing hostile input") {
  TEST_CASE("megabytes of script: long literals, endless concatenations, unbalanced calls") {
    std::string js = "var u = '/list?page=1&x=" + std::string(2 << 20, 'a') + "';";
    for (int i = 0; i < 100000; ++i) js += "'index_' + n + ";
    js += "createPageHTML(" + std::string(100000, '(') + "; var countPage = 99999999999; pageCount:3;";
    Listing l = Parse("<html><body>" + Items(3, "/t") + "<script>" + js + "</script></body></html>", "http://h.gov.cn/nb/index.html");
    CHECK(l.entries.size() == 3);
    CHECK(l.more.size() <= 2000);
  }
  TEST_CASE("malformed datastores and JSON: no crash, what can be read is read") {
    Listing x = Parse("<datastore><recordset><record><![CDATA[<li><a href=\"/a/1.html\">某局2024年政府信息公开工作年度报告</a>",
                      "http://h.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45", "text/xml");
    CHECK(x.family == "hanweb");
    Listing j = Parse("{\"articles\": [1, null, {\"title\": 5}, {\"url\": []}], \"total\": \"x\"}",
                      "http://h.gov.cn/gkmlpt/api/all/1?page=1&sid=2", "application/json");
    CHECK(j.entries.empty());
    Listing cfg = Parse("<html><script>window._CONFIG = {SID: '1', TREE: [[[[{name: '年报', id: }]]]]</script></html>",
                        "http://h.gov.cn/gkmlpt/index");
    CHECK(cfg.family == "gkmlpt");
  }
}

TEST_SUITE("extract/page_kind") {
  TEST_CASE("soft 404 and WAF challenges are recognized; real listings and reports are not") {
    Listing soft = Parse(
        "<html><head><title>页面不存在</title></head><body><h1>抱歉，您访问的页面不存在或已被删除！</h1>"
        "<a href=\"/\">返回首页</a></body></html>",
        "http://h/a/index.html");
    CHECK(soft.page_kind == "soft404");
    CHECK(soft.entries.empty());
    Listing waf = Parse(
        "<html><head><script>document.cookie='__jsl_clearance=1577;max-age=3600;path=/';"
        "location.href=location.pathname+location.search</script></head><body></body></html>",
        "http://h/a/index.html");
    CHECK(waf.page_kind == "challenge");
    Listing words = Parse("<html><body><p>安全验证</p><p>请开启JavaScript并刷新该页</p></body></html>", "http://h/");
    CHECK(words.page_kind == "challenge");
    Listing real = Parse(
        "<html><head><title>政府信息公开年报</title></head><body><ul>"
        "<li><a href=\"t1.html\">某区2024年政府信息公开工作年度报告</a></li></ul></body></html>",
        "http://h/nb/index.html");
    CHECK(real.page_kind == "normal");
    CHECK(real.entries.size() == 1);
  }
}

TEST_CASE("a listing of 100,000 links (200,000 elements) is read up to the parse budget and says it was cut") {
  // A hostile listing (a million links is cheap to send gzipped): Gumbo sees
  // the first 100,000 elements, and the listing says entries were cut, so
  // the crawl's self-audit reports it. A normal page is not cut.
  std::string body = "<html><body><ul>";
  for (int i = 0; i < 100000; ++i) {
    body += "<li><a href=\"/nb/t" + std::to_string(i) + ".html\">2024年政府信息公开工作年度报告</a></li>";
  }
  body += "</ul></body></html>";
  Listing l = Parse(body, "http://www.example.gov.cn/nb/index.html");
  CHECK(l.cut);
  CHECK(l.entries.size() > 40000);   // what came before the cut is read
  CHECK(l.entries.size() <= 50000);  // two elements an entry: nothing after the cut
  CHECK(std::any_of(l.evidence.begin(), l.evidence.end(),
                    [](const std::string& e) { return e.find("cut before parsing") != std::string::npos; }));
  Listing small = Parse("<ul><li><a href=\"/nb/t1.html\">2024年政府信息公开工作年度报告</a></li></ul>",
                        "http://www.example.gov.cn/nb/index.html");
  CHECK_FALSE(small.cut);
  CHECK(small.entries.size() == 1);
}
