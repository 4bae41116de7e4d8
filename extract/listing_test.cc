#include "extract/listing.h"

#include <doctest/doctest.h>

using namespace nianbao::extract;

TEST_SUITE("extract/listing") {
  TEST_CASE("report titles vs look-alikes (listing.md)") {
    CHECK(IsReportTitle("重庆市潼南区人民政府办公室2024年政府信息公开工作年度报告"));
    CHECK(IsReportTitle("2024年度 北京市 政务公开 工作年度报告"));
    CHECK(IsReportTitle("某市二〇二四年政府信息公开工作年报"));
    CHECK_FALSE(IsReportTitle("关于《XX区2024年政府信息公开工作年度报告》的解读"));
    CHECK_FALSE(IsReportTitle("关于2023年政府信息公开工作年度报告的更正说明"));
    CHECK_FALSE(IsReportTitle("2025年政务公开工作要点"));
    CHECK_FALSE(IsReportTitle("政府信息公开工作年度报告"));  // no year
  }
  TEST_CASE("TRS listing: entries resolved against <base>, pages from createPageHTML") {
    std::string html =
        "<html><head><base href=\"http://h.gov.cn/zwgk/nb/\"></head><body><ul>"
        "<li><a href=\"./202501/t20250126_1.shtml\" title=\"某区2024年政府信息公开工作年度报告\">某区2024年…</a></li>"
        "<li><a href=\"/x/202501/t2.shtml\">关于《某区2024年政府信息公开工作年度报告》的解读</a></li>"
        "<li><a href=\"/x/a.html\">通知公告</a></li></ul>"
        "<script>createPageHTML(3, 0, \"index\", \"shtml\");</script></body></html>";
    Listing l = ParseListing(html, "text/html", "http://h.gov.cn/zwgk/nb/index.shtml");
    REQUIRE(l.entries.size() == 2);
    CHECK(l.entries[0].url == "http://h.gov.cn/zwgk/nb/202501/t20250126_1.shtml");
    CHECK(l.entries[0].is_report);
    CHECK_FALSE(l.entries[1].is_report);
    CHECK(l.more_pages == std::vector<std::string>{"http://h.gov.cn/zwgk/nb/index.shtml",
                                                   "http://h.gov.cn/zwgk/nb/index_1.shtml",
                                                   "http://h.gov.cn/zwgk/nb/index_2.shtml"});
  }
  TEST_CASE("generic next-page link") {
    Listing l = ParseListing("<a href=\"list_2.html\">下一页</a>", "", "http://h/a/list_1.html");
    CHECK(l.more_pages == std::vector<std::string>{"http://h/a/list_2.html"});
  }
}

TEST_SUITE("extract/page_kind") {
  TEST_CASE("soft 404 and WAF challenges are recognized; real listings and reports are not") {
    Listing soft = ParseListing(
        "<html><head><title>页面不存在</title></head><body><h1>抱歉，您访问的页面不存在或已被删除！</h1>"
        "<a href=\"/\">返回首页</a></body></html>",
        "", "http://h/a/index.html");
    CHECK(soft.page_kind == "soft404");
    CHECK(soft.entries.empty());
    Listing waf = ParseListing(
        "<html><head><script>document.cookie='__jsl_clearance=1577;max-age=3600;path=/';"
        "location.href=location.pathname+location.search</script></head><body></body></html>",
        "", "http://h/a/index.html");
    CHECK(waf.page_kind == "challenge");
    Listing words = ParseListing("<html><body><p>安全验证</p><p>请开启JavaScript并刷新该页</p></body></html>", "",
                                 "http://h/");
    CHECK(words.page_kind == "challenge");
    Listing real = ParseListing(
        "<html><head><title>政府信息公开年报</title></head><body><ul>"
        "<li><a href=\"t1.html\">某区2024年政府信息公开工作年度报告</a></li></ul></body></html>",
        "", "http://h/nb/index.html");
    CHECK(real.page_kind == "normal");
    CHECK(real.entries.size() == 1);
  }
}

TEST_SUITE("extract/listing families") {
  TEST_CASE("Hanweb: a col page asks dataproxy.jsp; its XML windows are read and continued") {
    Listing col = ParseListing("<html><body><div id=\"1234\"></div><script>var unitid=5678;</script></body></html>", "",
                               "http://h.gov.cn/col/col1234/index.html");
    REQUIRE(col.data_requests.size() == 1);
    CHECK(col.data_requests[0].url == "http://h.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15");
    CHECK(col.data_requests[0].post_form.find("columnid=1234") != std::string::npos);
    CHECK(col.data_requests[0].post_form.find("unitid=5678") != std::string::npos);
    std::string xml =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><datastore><nextgroup><![CDATA[]]></nextgroup><recordset>"
        "<record><![CDATA[<li><a href=\"/art/2025/1/26/art_1234_1.html\" title=\"某区2024年政府信息公开工作年度报告\">某区…</a></li>]]></record>"
        "<record><![CDATA[<li><a href=\"/art/2025/1/20/art_1234_2.html\" title=\"关于《某区2024年政府信息公开工作年度报告》的解读\">解读</a></li>]]></record>"
        "<record><![CDATA[<li><a href=\"/art/2025/1/26/art_1234_1.html\" title=\"某区2024年政府信息公开工作年度报告\">again</a></li>]]></record>"
        "</recordset><totalrecord>100</totalrecord><totalpage>7</totalpage></datastore>";
    Listing w = ParseListing(xml, "text/xml", col.data_requests[0].url, col.data_requests[0].post_form);
    REQUIRE(w.entries.size() == 2);  // the repeated record once
    CHECK(w.entries[0].url == "http://h.gov.cn/art/2025/1/26/art_1234_1.html");
    CHECK(w.entries[0].is_report);
    CHECK_FALSE(w.entries[1].is_report);
    REQUIRE(w.data_requests.size() == 2);  // records 46-90 and 91-135 of 100
    CHECK(w.data_requests[0].url == "http://h.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15");
    CHECK(w.data_requests[1].post_form == col.data_requests[0].post_form);
  }

  TEST_CASE("gkmlpt: _CONFIG → API; articles and an attachment-only article; all pages from total") {
    Listing index = ParseListing("<html><script>window._CONFIG = {SID: '755', CAT_ID: 2381};</script></html>", "",
                                 "http://h.gov.cn/gkmlpt/index");
    CHECK(index.more_pages == std::vector<std::string>{"http://h.gov.cn/gkmlpt/api/all/2381?page=1&sid=755"});
    std::string json =
        "{\"total\": 25, \"articles\": ["
        "{\"title\": \"某局2024年政府信息公开工作年度报告\", \"url\": \"http://h.gov.cn/gkmlpt/content/0/1/post_1.html\","
        " \"publisher\": \"某局\", \"first_publish_time\": 1737878400, \"attachment\": []},"
        "{\"title\": \"某局2023年政府信息公开工作年度报告\", \"url\": \"\", \"attachment\": [{\"name\": \"年报.pdf\","
        " \"url\": \"http://h.gov.cn/attachment/0/1/2023nb.pdf\"}]}]}";
    Listing api = ParseListing(json, "application/json", "http://h.gov.cn/gkmlpt/api/all/2381?page=1&sid=755");
    REQUIRE(api.entries.size() == 2);
    CHECK(api.entries[1].url == "http://h.gov.cn/attachment/0/1/2023nb.pdf");
    REQUIRE(api.more_pages.size() == 12);  // 25 articles, 2 a page
    CHECK(api.more_pages.back() == "http://h.gov.cn/gkmlpt/api/all/2381?page=13&sid=755");
    // A later page names the one after it, the last page none.
    Listing p5 = ParseListing(json, "application/json", "http://h.gov.cn/gkmlpt/api/all/2381?page=5&sid=755");
    CHECK(p5.more_pages == std::vector<std::string>{"http://h.gov.cn/gkmlpt/api/all/2381?page=6&sid=755"});
    Listing p13 = ParseListing(json, "application/json", "http://h.gov.cn/gkmlpt/api/all/2381?page=13&sid=755");
    CHECK(p13.more_pages.empty());
  }

  TEST_CASE("VSB counts down; generic pages count up; 共N页 gives every page at once") {
    Listing vsb = ParseListing(
        "<html><body><a class=\"Next\" href=\"nb/2.htm\">下页</a><span>共3页</span></body></html>", "",
        "http://h.edu.cn/xxgk/nb.htm");
    CHECK(vsb.more_pages == std::vector<std::string>{"http://h.edu.cn/xxgk/nb/2.htm", "http://h.edu.cn/xxgk/nb/1.htm"});
    Listing generic = ParseListing("<html><body><a href=\"?page=2\">下一页</a><a href=\"?page=4\">末页</a> 共4页</body></html>",
                                   "", "http://h.gov.cn/list?page=1");
    CHECK(generic.more_pages == std::vector<std::string>{"http://h.gov.cn/list?page=2", "http://h.gov.cn/list?page=4",
                                                         "http://h.gov.cn/list?page=3"});
  }
}
