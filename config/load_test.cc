#include "config/load.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <unistd.h>
#include <fstream>

using namespace nianbao;

TEST_SUITE("config/load") {
  TEST_CASE("empty file gives every documented default") {
    auto r = LoadConfigFromString("", "empty.yaml");
    REQUIRE(r.ok());
    const Options& o = r.value();
    CHECK(o.storage.path == "/var/lib/nianbao/db");
    CHECK(o.crawl.per_host_concurrency == 2);
    CHECK(o.crawl.per_host_delay_ms == 1000);
    CHECK(o.crawl.max_connections == 64);
    CHECK(o.crawl.timeout_s == 30);
    CHECK(o.crawl.connect_timeout_s == 10);
    CHECK(o.crawl.max_page_bytes == 20 * 1024 * 1024);
    CHECK(o.crawl.max_retries == 4);
    CHECK(o.crawl.respect_robots);
    CHECK(o.crawl.page_cpu_budget_s == 30);
    CHECK(o.schedule.refresh == "0 2 * * *");
    CHECK(o.admin.listen == "127.0.0.1:9380");
    CHECK(o.portals.empty());
  }

  TEST_CASE("wrong type names file, line, column and key") {
    auto r = LoadConfigFromString("storage:\n  path: /tmp/x\ncrawl:\n  per_host_concurrency: two\n", "nianbao.yaml");
    REQUIRE(!r.ok());
    CHECK(r.status().where() == "nianbao.yaml:4:25");
    CHECK(r.status().ToString() ==
          "nianbao.yaml:4:25: crawl.per_host_concurrency: expected a positive integer, got \"two\"");
  }

  TEST_CASE("schedule.refresh is a cron expression checked where it is written") {
    auto r = LoadConfigFromString("schedule:\n  refresh: \"0 25 * * *\"\n", "nianbao.yaml");
    REQUIRE(!r.ok());
    CHECK(r.status().where() == "nianbao.yaml:2:12");
    CHECK(r.status().ToString().find("schedule.refresh: cron \"0 25 * * *\": hour: 25 is out of range 0-23") !=
          std::string::npos);
    CHECK_FALSE(LoadConfigFromString("schedule:\n  refresh: \"* * *\"\n", "n.yaml").ok());
    // Six fields (seconds first) and macros are accepted.
    CHECK(LoadConfigFromString("schedule:\n  refresh: \"*/5 * * * * *\"\n", "n.yaml").ok());
    CHECK(LoadConfigFromString("schedule:\n  refresh: \"@daily\"\n", "n.yaml").ok());
  }

  TEST_CASE("unknown key is an error at the key") {
    auto r = LoadConfigFromString("crawl:\n  per_host_delay: 5\n", "c.yaml");
    REQUIRE(!r.ok());
    CHECK(r.status().where() == "c.yaml:2:3");
    CHECK(r.status().message() == "crawl.per_host_delay: unknown key");
  }

  TEST_CASE("broken YAML is a syntax error with its place") {
    auto r = LoadConfigFromString("crawl:\n  timeout_s: [1, 2\n", "b.yaml");
    REQUIRE(!r.ok());
    CHECK(r.status().where() == "b.yaml:3:1");
    CHECK(r.status().message().find("YAML syntax error") != std::string::npos);
  }

  TEST_CASE("bad values are refused") {
    CHECK(!LoadConfigFromString("crawl:\n  max_page_bytes: lots\n", "x").ok());
    CHECK(!LoadConfigFromString("crawl:\n  per_host_concurrency: 0\n", "x").ok());
    for (const char* budget : {"0", "-1", "1e3", "nan", "fast", "1.5s", "[1]"}) {
      CAPTURE(budget);
      CHECK(!LoadConfigFromString(std::string("crawl:\n  page_cpu_budget_s: ") + budget + "\n", "x").ok());
    }
    auto half = LoadConfigFromString("crawl:\n  page_cpu_budget_s: 0.5\n", "x");
    REQUIRE(half.ok());
    CHECK(half.value().crawl.page_cpu_budget_s == 0.5);
    CHECK(!LoadConfigFromString("schedule:\n  refresh: \"0 2 *\"\n", "x").ok());
    CHECK(!LoadConfigFromString("admin:\n  listen: nowhere\n", "x").ok());
    CHECK(!LoadConfigFromString("portals:\n  - name: a\n    start_urls: [\"ftp://x/\"]\n", "x").ok());
    CHECK(!LoadConfigFromString("portals:\n  - start_urls: [\"http://x/\"]\n", "x").ok());
    CHECK(!LoadConfigFromString("portals:\n  - name: a\n    start_urls: [\"http://x/\"]\n    cms: joomla\n", "x").ok());
    auto dup = LoadConfigFromString(
        "portals:\n  - name: a\n    start_urls: [\"http://x/\"]\n  - name: a\n    start_urls: [\"http://y/\"]\n", "x");
    REQUIRE(!dup.ok());
    CHECK(dup.status().message().find("duplicate portal name") != std::string::npos);
  }

  TEST_CASE("portal defaults: allow_hosts from start_urls") {
    auto r = LoadConfigFromString(
        "portals:\n  - name: tongnan\n    start_urls: [\"https://www.cqstn.gov.cn/zwgk_270/\"]\n    years: [2019, 2025]\n",
        "x");
    REQUIRE(r.ok());
    const auto& p = r.value().portals.at(0);
    // The host on the web ports (http → https moves stay in), not any port of it.
    CHECK(p.allow_hosts == std::vector<std::string>{"www.cqstn.gov.cn:80", "www.cqstn.gov.cn:443"});
    CHECK(p.AllowsHost("www.cqstn.gov.cn", 443));
    CHECK(p.AllowsHost("www.cqstn.gov.cn", 80));
    CHECK(!p.AllowsHost("www.cqstn.gov.cn", 8080));
    CHECK(!p.AllowsHost("www.cqstn.gov.cn", 9380));
    CHECK(!p.AllowsHost("evil.example", 80));
    auto other = LoadConfigFromString("portals:\n  - name: a\n    start_urls: [\"http://10.1.2.3:8080/nb/\"]\n", "x");
    REQUIRE(other.ok());
    CHECK(other.value().portals.at(0).allow_hosts == std::vector<std::string>{"10.1.2.3:8080"});
    CHECK(!other.value().portals.at(0).AllowsHost("10.1.2.3", 80));
    // Written as a bare host, it is any port of it, as config.md says.
    auto bare = LoadConfigFromString(
        "portals:\n  - name: a\n    start_urls: [\"http://h.gov.cn/\"]\n    allow_hosts: [\"h.gov.cn\"]\n", "x");
    REQUIRE(bare.ok());
    CHECK(bare.value().portals.at(0).AllowsHost("h.gov.cn", 8080));
    CHECK(p.year_min == 2019);
    CHECK(p.year_max == 2025);
    CHECK(p.max_pages == 200);
    CHECK(p.cms == "auto");
  }

  TEST_CASE("byte sizes") {
    CHECK(ParseByteSize("20MiB") == 20 * 1024 * 1024);
    CHECK(ParseByteSize("512KiB") == 512 * 1024);
    CHECK(ParseByteSize("1000") == 1000);
    CHECK(ParseByteSize("MiB") == -1);
    CHECK(ParseByteSize("3 parsecs") == -1);
  }

  TEST_CASE("the real 148-portal list (examples/portals.d) loads") {
    const char* path = NIANBAO_REAL_PORTALS;
    if (!std::filesystem::exists(path)) {
      FAIL("missing " << path);
    }
    auto r = LoadConfig(path);
    REQUIRE_MESSAGE(r.ok(), r.status().ToString());
    CHECK(r.value().portals.size() == 148);
  }

  TEST_CASE("a relative storage.path is relative to the configuration file, not the working directory") {
    const auto dir = std::filesystem::temp_directory_path() / ("nianbao-load-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir / "etc");
    const auto file = dir / "etc" / "nianbao.yaml";
    {
      std::ofstream out(file);
      out << "storage:\n  path: data/db\nportals: []\n";
    }
    auto r = LoadConfig(file.string());
    REQUIRE_MESSAGE(r.ok(), r.status().ToString());
    CHECK(r.value().storage.path == (dir / "etc" / "data" / "db").string());
    {
      std::ofstream out(file);
      out << "storage:\n  path: /srv/nianbao/db\n";
    }
    CHECK(LoadConfig(file.string()).value().storage.path == "/srv/nianbao/db");
    std::filesystem::remove_all(dir);
  }

  TEST_CASE("dumped configuration loads back to the same values") {
    auto r = LoadConfigFromString("crawl:\n  per_host_delay_ms: 0\nportals:\n  - name: a\n    start_urls: [\"http://x:81/\"]\n", "x");
    REQUIRE(r.ok());
    auto again = LoadConfigFromString(DumpConfig(r.value()), "dump");
    REQUIRE_MESSAGE(again.ok(), again.status().ToString());
    CHECK(again.value().crawl.per_host_delay_ms == 0);
    CHECK(again.value().portals.at(0).allow_hosts == std::vector<std::string>{"x:81"});  // its own port only
  }
}
