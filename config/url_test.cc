#include "config/url.h"

#include <doctest/doctest.h>

using namespace nianbao;

TEST_SUITE("config/url") {
  TEST_CASE("canonical form: case, default port, fragment, sorted query") {
    auto u = ParseUrl("HTTP://WWW.Example.GOV.cn:80/a/b.html?z=1&a=2#top");
    REQUIRE(u);
    CHECK(CanonicalUrl(*u) == "http://www.example.gov.cn/a/b.html?a=2&z=1");
    CHECK(ReportIdForCanonicalUrl(CanonicalUrl(*u)).size() == 32);
  }
  TEST_CASE("relative links resolve like a browser") {
    auto base = ParseUrl("http://h:8080/zwgk/nb/index_1.shtml");
    REQUIRE(base);
    CHECK(ResolveUrl(*base, "./202501/t1.shtml")->ToString() == "http://h:8080/zwgk/nb/202501/t1.shtml");
    CHECK(ResolveUrl(*base, "../x.html")->ToString() == "http://h:8080/zwgk/x.html");
    CHECK(ResolveUrl(*base, "/a/../b")->ToString() == "http://h:8080/b");
    CHECK(ResolveUrl(*base, "//other/p")->ToString() == "http://other/p");
    CHECK(ResolveUrl(*base, "?page=2")->ToString() == "http://h:8080/zwgk/nb/index_1.shtml?page=2");
    CHECK(!ResolveUrl(*base, "javascript:void(0)"));
    CHECK(!ResolveUrl(*base, "mailto:a@b"));
  }
  TEST_CASE("garbage is refused") {
    CHECK(!ParseUrl("not a url"));
    CHECK(!ParseUrl("http://"));
    CHECK(!ParseUrl("http://h:99999/"));
  }
}
