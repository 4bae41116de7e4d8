#include "fetch/robots.h"

#include <doctest/doctest.h>

using namespace nianbao::fetch;

TEST_SUITE("fetch/robots") {
  TEST_CASE("groups, longest match, wildcards, crawl-delay") {
    auto r = RobotsRules::Parse(
        "User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n\n"
        "User-agent: nianbao\nDisallow: /zwgk/*.pdf$\nAllow: /zwgk/open/\nDisallow: /zwgk/\nCrawl-delay: 0.5\n",
        "nianbao/0.1 (+https://example.org/nianbao)");
    CHECK(r.crawl_delay_s() == doctest::Approx(0.5));
    CHECK(r.Allowed("/private/x.html"));  // our own group wins over *
    CHECK_FALSE(r.Allowed("/zwgk/nb/index.html"));
    CHECK(r.Allowed("/zwgk/open/index.html"));
    CHECK_FALSE(r.Allowed("/zwgk/a/b.pdf"));
    CHECK(r.Allowed("/xxgk/a.pdf"));
  }
  TEST_CASE("the * group when no group names us; empty Disallow allows all") {
    auto r = RobotsRules::Parse("User-agent: Googlebot\nDisallow: /\n\nUser-agent: *\nDisallow: /hostile/private/\nCrawl-delay: 2\n",
                                "nianbao/0.1");
    CHECK(r.crawl_delay_s() == 2);
    CHECK_FALSE(r.Allowed("/hostile/private/x.html"));
    CHECK(r.Allowed("/hostile/index.html"));
    CHECK(RobotsRules::Parse("User-agent: *\nDisallow:\n", "nianbao").Allowed("/anything"));
    CHECK_FALSE(RobotsRules::DisallowAll().Allowed("/"));
    CHECK(RobotsRules().Allowed("/"));
  }
}
