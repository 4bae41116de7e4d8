// sim/portal_simulator_test.cpp: starts the simulator on a free loopback port
// and checks what it serves with a synchronous Beast client.

#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "sim/portal_simulator.h"

#include <doctest/doctest.h>
#include <iconv.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "sim/embedded_pages.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using nianbao::sim::PortalSimulator;
using nianbao::sim::SimulatorOptions;
using Headers = std::map<http::field, std::string>;
using Response = http::response<http::string_body>;

// One keep-alive connection to the simulator.
class Client {
 public:
  explicit Client(uint16_t port) : stream_(ioc_) {
    stream_.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  Response Send(const std::string& target, const Headers& headers = {},
                http::verb method = http::verb::get) {
    http::request<http::empty_body> req(method, target, 11);
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [field, value] : headers) req.set(field, value);
    http::write(stream_, req);
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    parser.skip(method == http::verb::head);
    http::read(stream_, buffer_, parser);
    return parser.release();
  }

 private:
  asio::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

Response Get(const PortalSimulator& sim, const std::string& target, const Headers& headers = {}) {
  return Client(sim.port()).Send(target, headers);
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += n;
  }
  return true;
}

std::string Gb18030ToUtf8(std::string_view in) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
  std::string out(in.size() * 2 + 16, '\0');
  char* src = const_cast<char*>(in.data());
  char* dst = out.data();
  size_t src_left = in.size(), dst_left = out.size();
  CHECK(iconv(cd, &src, &src_left, &dst, &dst_left) != static_cast<size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - dst_left);
  return out;
}

std::vector<PortalSimulator::Page> PagesOfKind(const PortalSimulator& sim, std::string_view kind) {
  std::vector<PortalSimulator::Page> pages;
  for (const auto& page : sim.Manifest())
    if (page.kind == kind) pages.push_back(page);
  return pages;
}

struct Started {
  explicit Started(SimulatorOptions options = {}) : sim(std::move(options)) {
    std::string error;
    REQUIRE_MESSAGE(sim.Start(&error), error);
  }
  PortalSimulator sim;
};

}  // namespace

TEST_CASE("manifest lists three listings, five reports, three look-alikes and robots.txt") {
  Started s;
  CHECK(PagesOfKind(s.sim, "listing").size() == 3);
  CHECK(PagesOfKind(s.sim, "report").size() == 5);
  CHECK(PagesOfKind(s.sim, "lookalike").size() == 3);
  CHECK(PagesOfKind(s.sim, "robots").size() == 1);
  CHECK(s.sim.column_url() == s.sim.base_url() + "/zwgk/zfxxgknb/index.shtml");
  const std::regex trs_url(R"(/zwgk/zfxxgknb/(\d{6})/t\1\d\d_\d+\.shtml)");
  for (const auto& page : PagesOfKind(s.sim, "report")) CHECK(std::regex_match(page.path, trs_url));
}

TEST_CASE("listing pages carry TRS pagination, chrome and every entry") {
  Started s;
  std::string all_listings;
  for (int cur = 0; cur < 3; ++cur) {
    const std::string name = cur == 0 ? "index.shtml" : "index_" + std::to_string(cur) + ".shtml";
    const Response res = Get(s.sim, "/zwgk/zfxxgknb/" + name);
    REQUIRE(res.result_int() == 200);
    const std::string& body = res.body();
    CHECK(Contains(body, "createPageHTML(3, " + std::to_string(cur) + ", \"index\", \"shtml\");"));
    CHECK(Contains(body, "var countPage = 3"));
    CHECK(Contains(body, "您当前的位置: "));
    CHECK(Contains(body, "政府信息公开年报"));
    CHECK(Contains(body, "<ul class=\"list\">"));
    for (std::string_view chrome : {"网站地图", "版权所有", "ICP备"}) CHECK(Contains(body, chrome));
    CHECK(Contains(body, "下一页") == (cur < 2));
    all_listings += body;
  }
  CHECK(Contains(all_listings, "<a href=\"index_1.shtml\">下一页</a>"));
  bool relative = false, absolute = false;
  for (const auto& page : s.sim.Manifest()) {
    if (page.kind != "report" && page.kind != "lookalike") continue;
    const std::string rel = "href=\"./" + page.path.substr(15) + "\"";
    const std::string abs = "href=\"" + page.path + "\"";
    relative |= Contains(all_listings, rel);
    absolute |= Contains(all_listings, abs);
    CHECK_MESSAGE((Contains(all_listings, rel) || Contains(all_listings, abs)), page.path);
    CHECK_MESSAGE(Contains(all_listings, ">" + page.title + "</a>"), page.title);
  }
  CHECK(relative);
  CHECK(absolute);
  CHECK(Contains(all_listings, "2025年政务公开工作要点"));
  CHECK(Contains(all_listings, "关于2023年政府信息公开工作年度报告的更正说明"));
}

TEST_CASE("report pages are served with their tables") {
  Started s;
  for (const auto& page : PagesOfKind(s.sim, "report")) {
    CAPTURE(page.path);
    const Response res = Get(s.sim, page.path);
    REQUIRE(res.result_int() == 200);
    CHECK(!res[http::field::etag].empty());
    CHECK(!res[http::field::last_modified].empty());
    const std::string source(nianbao::sim::EmbeddedPage(page.seed));
    if (page.seed == "004") continue;  // GBK, next test
    CHECK(res[http::field::content_type] == "text/html; charset=utf-8");
    CHECK(res.body() == source);
    CHECK(Contains(res.body(), "本年制发件数"));
    CHECK(Contains(res.body(), "<table") == Contains(source, "<table"));
  }
}

TEST_CASE("page 004 is served GBK-encoded") {
  Started s;
  const auto reports = PagesOfKind(s.sim, "report");
  const auto it =
      std::find_if(reports.begin(), reports.end(), [](const auto& p) { return p.seed == "004"; });
  REQUIRE(it != reports.end());
  const Response res = Get(s.sim, it->path);
  REQUIRE(res.result_int() == 200);
  CHECK(res[http::field::content_type] == "text/html; charset=gb2312");
  CHECK(!IsValidUtf8(res.body()));
  const std::string text = Gb18030ToUtf8(res.body());
  CHECK(Contains(text, it->title));
  CHECK(Contains(text, "政府集中采购"));  // a gov2019 table label
  CHECK(Contains(text, "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">"));
  CHECK(!Contains(text, "charset=\"utf-8\""));
}

TEST_CASE("night 2 changes one cell of 002 and only the chrome of 000") {
  Started s;
  std::map<std::string, Response> night1;
  for (const auto& page : s.sim.Manifest()) night1[page.path] = Get(s.sim, page.path);
  CHECK(Get(s.sim, "/__sim/night?n=2").body() == "night 2\n");
  CHECK(s.sim.night() == 2);
  for (const auto& page : s.sim.Manifest()) {
    CAPTURE(page.path);
    const Response now = Get(s.sim, page.path);
    const std::string& before = night1[page.path].body();
    const bool changes = page.seed == "000" || page.seed == "002";
    CHECK((now.body() == before) == !changes);
    CHECK((now[http::field::etag] == night1[page.path][http::field::etag]) == !changes);
    if (page.seed == "002") {
      REQUIRE(now.body().size() == before.size());
      std::vector<size_t> diffs;
      for (size_t i = 0; i < before.size(); ++i)
        if (before[i] != now.body()[i]) diffs.push_back(i);
      REQUIRE(diffs.size() == 1);
      CHECK(before[diffs[0]] == '7');
      CHECK(now.body()[diffs[0]] == '8');
      const size_t label = before.rfind("行政规范性文件", diffs[0]);
      REQUIRE(label != std::string::npos);
      CHECK(before.rfind("本年制发件数", label) != std::string::npos);
    } else if (page.seed == "000") {  // Only the 下一篇 link differs.
      const size_t link = before.find("下一篇");
      REQUIRE(link != std::string::npos);
      CHECK(now.body().compare(0, link, before, 0, link) == 0);
      const size_t tail = before.find("</a>", link), new_tail = now.body().find("</a>", link);
      CHECK(now.body().substr(new_tail) == before.substr(tail));
      CHECK(now.body().substr(link, new_tail - link) != before.substr(link, tail - link));
    }
  }
  Get(s.sim, "/__sim/night?n=1");
  for (const auto& page : s.sim.Manifest())
    CHECK(Get(s.sim, page.path).body() == night1[page.path].body());
  s.sim.SetNight(2);
  CHECK(s.sim.night() == 2);
  CHECK(Get(s.sim, "/__sim/night?n=7").result_int() == 400);
  s.sim.SetNight(3);  // ignored
  CHECK(Get(s.sim, "/__sim/night").body() == "night 2\n");
}

TEST_CASE("conditional requests, HEAD, robots.txt and unknown paths") {
  Started s;
  const std::string path = PagesOfKind(s.sim, "report").front().path;
  const Response full = Get(s.sim, path);
  const std::string etag(full[http::field::etag]);
  CHECK(etag.size() == 18);
  CHECK(etag.front() == '"');
  const Response not_modified = Get(s.sim, path, {{http::field::if_none_match, etag}});
  CHECK(not_modified.result_int() == 304);
  CHECK(not_modified.body().empty());
  CHECK(not_modified[http::field::etag] == etag);
  CHECK(Get(s.sim, path, {{http::field::if_none_match, "\"x\", W/" + etag}}).result_int() == 304);
  CHECK(Get(s.sim, path, {{http::field::if_none_match, "\"0000000000000000\""}}).result_int() ==
        200);
  const std::string modified(full[http::field::last_modified]);
  CHECK(Get(s.sim, path, {{http::field::if_modified_since, modified}}).result_int() == 304);

  const Response head = Client(s.sim.port()).Send(path, {}, http::verb::head);
  CHECK(head.result_int() == 200);
  CHECK(head[http::field::content_length] == std::to_string(full.body().size()));

  const Response column = Get(s.sim, "/zwgk/zfxxgknb/");
  CHECK(column.result_int() == 301);
  CHECK(column[http::field::location] == "/zwgk/zfxxgknb/index.shtml");

  const Response robots = Get(s.sim, "/robots.txt");
  CHECK(robots.body() == "User-agent: *\nDisallow: /private/\n");
  for (const char* unknown : {"/nope.html", "/zwgk/zfxxgknb/index_3.shtml", "/private/a.shtml"}) {
    const Response res = Get(s.sim, unknown);
    CHECK(res.result_int() == 404);
    CHECK(Contains(res.body(), "<html>"));
  }
  CHECK(Client(s.sim.port()).Send("/robots.txt", {}, http::verb::post).result_int() == 405);
}

TEST_CASE("keep-alive and concurrent connections under latency") {
  SimulatorOptions options;
  options.latency_ms = 200;
  Started s(options);
  Client keep_alive(s.sim.port());
  for (int i = 0; i < 3; ++i) CHECK(keep_alive.Send("/robots.txt").result_int() == 200);

  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 16; ++i)
    threads.emplace_back(
        [&] { ok += Get(s.sim, "/zwgk/zfxxgknb/index.shtml").result_int() == 200; });
  for (auto& t : threads) t.join();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(ok == 16);
  CHECK(elapsed < std::chrono::milliseconds(1500));  // 16 serial responses would take 3.2 s
}

TEST_CASE("request log has one well-formed line per request") {
  const std::string log_path = "/tmp/nianbao_sim_test_" + std::to_string(::getpid()) + ".log";
  SimulatorOptions options;
  options.request_log_path = log_path;
  options.latency_ms = 5;
  std::vector<std::pair<std::string, int>> expected = {
      {"/zwgk/zfxxgknb/index.shtml", 200}, {"/robots.txt", 200}, {"/missing", 404}};
  {
    Started s(options);
    Client client(s.sim.port());
    for (const auto& [target, status] : expected) CHECK(client.Send(target).result_int() == status);
    s.sim.Stop();
  }
  std::ifstream in(log_path);
  const std::regex line_format(R"((\d+) (\d+) (GET) (\S+) (\d{3}) (\d+))");
  std::string line;
  size_t n = 0;
  for (; std::getline(in, line); ++n) {
    CAPTURE(line);
    std::smatch m;
    REQUIRE(std::regex_match(line, m, line_format));
    REQUIRE(n < expected.size());
    CHECK(std::stoll(m[2]) - std::stoll(m[1]) >= 5000);  // includes the latency
    CHECK(m[4] == expected[n].first);
    CHECK(std::stoi(m[5]) == expected[n].second);
    CHECK(std::stoul(m[6]) > 0);
  }
  CHECK(n == expected.size());
  std::remove(log_path.c_str());
}

TEST_CASE("Stop closes idle connections, is idempotent, and frees the port") {
  PortalSimulator never_started(SimulatorOptions{});
  never_started.Stop();
  Started s;
  const uint16_t port = s.sim.port();
  Client idle(port);
  CHECK(idle.Send("/robots.txt").result_int() == 200);
  const auto start = std::chrono::steady_clock::now();
  s.sim.Stop();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  s.sim.Stop();
  CHECK(s.sim.port() == 0);
  CHECK_THROWS(Client{port});
  SimulatorOptions bad;
  bad.night = 3;
  PortalSimulator refused(bad);
  std::string error;
  CHECK(!refused.Start(&error));
  CHECK(!error.empty());
}
