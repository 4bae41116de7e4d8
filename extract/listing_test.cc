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
