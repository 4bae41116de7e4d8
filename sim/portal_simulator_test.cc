// sim/portal_simulator_test.cpp: starts the simulator on a free loopback port
// and checks what it serves with a synchronous Beast client.

#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "sim/portal_simulator.h"
#include "sim/test_links.h"

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
#include <set>
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

// One keep-alive connection to one host of the simulator, optionally from a
// given source address (gates count per client address).
class Client {
 public:
  explicit Client(uint16_t port, const std::string& address = "127.0.0.1",
                  const std::string& source = "")
      : stream_(ioc_), address_(address) {
    if (!source.empty()) {
      stream_.socket().open(asio::ip::tcp::v4());
      stream_.socket().bind(asio::ip::tcp::endpoint(asio::ip::make_address(source), 0));
    }
    stream_.connect(asio::ip::tcp::endpoint(asio::ip::make_address(address), port));
  }
  Response Send(const std::string& target, const Headers& headers = {},
                http::verb method = http::verb::get, const std::string& body = "") {
    Response res;
    const beast::error_code ec = TrySend(target, &res, headers, method, body);
    if (ec) throw beast::system_error(ec);
    return res;
  }
  // Like Send, but returns the error instead of throwing; *res gets what was read.
  beast::error_code TrySend(const std::string& target, Response* res, const Headers& headers = {},
                            http::verb method = http::verb::get, const std::string& body = "") {
    http::request<http::string_body> req(method, target, 11);
    req.set(http::field::host, address_);
    for (const auto& [field, value] : headers) req.set(field, value);
    if (method == http::verb::post)
      req.set(http::field::content_type, "application/x-www-form-urlencoded");
    req.body() = body;
    req.prepare_payload();
    http::write(stream_, req);
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    parser.skip(method == http::verb::head);
    beast::error_code ec;
    http::read(stream_, buffer_, parser, ec);
    *res = parser.release();
    return ec;
  }
  beast::tcp_stream& stream() { return stream_; }
  beast::flat_buffer& buffer() { return buffer_; }

 private:
  asio::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string address_;
};

Response Get(const PortalSimulator& sim, const std::string& target, const Headers& headers = {}) {
  return Client(sim.port()).Send(target, headers);
}

// The address of a family's host, from its base URL.
std::string Address(const PortalSimulator& sim, const std::string& family) {
  const std::string base = sim.base_url(family);
  return base.substr(7, base.rfind(':') - 7);
}

// GET target from a family's host, from a client address (default: the kernel's choice).
Response GetAt(const PortalSimulator& sim, const std::string& family, const std::string& target,
               const std::string& source = "") {
  return Client(sim.port(), Address(sim, family), source).Send(target);
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

std::vector<PortalSimulator::Page> PagesOfKind(const PortalSimulator& sim, std::string_view kind,
                                               const std::string& family = "trs") {
  std::vector<PortalSimulator::Page> pages;
  for (const auto& page : sim.Manifest(family))
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

using Page = PortalSimulator::Page;

// Group 1 of every match of pattern in text.
std::vector<std::string> All(const std::string& text, const std::string& pattern) {
  std::vector<std::string> out;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it)
    out.push_back((*it)[1]);
  return out;
}

// Resolves a link found on the page at base (a path with an optional query)
// to a path, as a browser would for same-host links.
std::string Resolve(const std::string& base, const std::string& href) {
  return nianbao::sim::test::ResolveLink("", base, href);
}

// The night-1 detail pages a family's listings link (reports, look-alikes, and
// the PDF where the listing links it straight).
std::set<std::string> ListedPaths(const PortalSimulator& sim, const std::string& family) {
  std::set<std::string> paths;
  for (const Page& page : sim.Manifest(family)) {
    const bool listed = page.kind == "report" || page.kind == "lookalike" ||
                        (page.kind == "attachment" && family == "generic");
    if (listed && page.night2 != "new") paths.insert(page.path);
  }
  return paths;
}

// The trs host's body for each seed page (the same bytes on every host).
std::map<std::string, std::string> SeedBodies(const PortalSimulator& sim) {
  std::map<std::string, std::string> bodies;
  for (const Page& page : PagesOfKind(sim, "report"))
    bodies[page.seed] = Get(sim, page.path).body();
  bodies["lookalike"] = Get(sim, PagesOfKind(sim, "lookalike")[1].path).body();
  return bodies;
}

// Checks that the detail pages at paths on family's host serve the seed bodies.
void CheckDetailPages(const PortalSimulator& sim, const std::string& family,
                      const std::set<std::string>& paths) {
  const auto seeds = SeedBodies(sim);
  std::map<std::string, Page> by_path;
  for (const Page& page : sim.Manifest(family)) by_path[page.path] = page;
  for (const std::string& path : paths) {
    CAPTURE(path);
    REQUIRE(by_path.count(path) == 1);
    const Page& page = by_path[path];
    const Response res = GetAt(sim, family, path);
    CHECK(res.result_int() == 200);
    if (page.seed == "hongze-2024.pdf" && page.kind == "attachment")
      CHECK(res.body() == nianbao::sim::EmbeddedPage("hongze-2024.pdf"));
    else if (seeds.count(page.seed))
      CHECK(res.body() == seeds.at(page.seed));
    else if (page.kind == "lookalike")
      CHECK(Contains(res.body(), page.title));
  }
}

}  // namespace

TEST_CASE("the trs manifest lists three listings, five reports, three look-alikes and robots.txt") {
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
  for (const auto& page : s.sim.Manifest("trs")) {
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
  for (const auto& page : s.sim.Manifest("trs")) night1[page.path] = Get(s.sim, page.path);
  CHECK(Get(s.sim, "/__sim/night?n=2").body() == "night 2\n");
  CHECK(s.sim.night() == 2);
  for (const auto& page : s.sim.Manifest("trs")) {
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
  for (const auto& page : s.sim.Manifest("trs"))
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
  std::vector<std::pair<std::string, int>> expected = {{"/zwgk/zfxxgknb/index.shtml", 200},
                                                       {"/robots.txt", 200},
                                                       {"/missing", 404},
                                                       {"/col/col1234/index.html", 200},
                                                       {"/xxgk/nb.htm", 200}};
  {
    Started s(options);
    Client client(s.sim.port());
    for (size_t i = 0; i < 3; ++i)
      CHECK(client.Send(expected[i].first).result_int() == expected[i].second);
    CHECK(GetAt(s.sim, "hanweb", expected[3].first).result_int() == 200);
    CHECK(GetAt(s.sim, "vsb", expected[4].first).result_int() == 200);
    s.sim.Stop();
  }
  const char* hosts[] = {"127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.2", "127.0.0.4"};
  std::ifstream in(log_path);
  const std::regex line_format(R"((\d+) (\d+) (GET) (\S+) (\d{3}) (\d+) (\S+))");
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
    CHECK(m[7] == hosts[n]);
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
  for (const std::string& family : PortalSimulator::Families())
    CHECK_THROWS(Client(port, Address(s.sim, family)));
  SimulatorOptions bad;
  bad.night = 3;
  PortalSimulator refused(bad);
  std::string error;
  CHECK(!refused.Start(&error));
  CHECK(!error.empty());
}

// ------------------------------------------------------------- the families

TEST_CASE("every family is its own host on the same port, at its own URL shapes") {
  Started s;
  const std::vector<std::string> families = PortalSimulator::Families();
  CHECK(families ==
        std::vector<std::string>{"trs", "hanweb", "gkmlpt", "vsb", "generic", "hostile"});
  const std::map<std::string, std::string> columns = {
      {"trs", "/zwgk/zfxxgknb/index.shtml"}, {"hanweb", "/col/col1234/index.html"},
      {"gkmlpt", "/gkmlpt/index"},           {"vsb", "/xxgk/nb.htm"},
      {"generic", "/list?page=1"},           {"hostile", "/hostile/index.html"}};
  const std::map<std::string, std::string> shapes = {
      {"trs", R"re(/zwgk/zfxxgknb/(\d{6})/t\1\d\d_\d+\.shtml)re"},
      {"hanweb", R"re(/art/\d{4}/\d{1,2}/\d{1,2}/art_1234_\d+\.html)re"},
      {"gkmlpt", R"re(/gkmlpt/content/0/123/post_\d+\.html)re"},
      {"vsb", R"re(/info/1307/\d+\.htm)re"},
      {"generic", R"re(/doc/\d{4}/\d{2}/\d{2}/\d+\.shtml)re"}};
  for (size_t i = 0; i < families.size(); ++i) {
    const std::string& family = families[i];
    CAPTURE(family);
    const std::string address = "127.0.0." + std::to_string(i + 1);
    CHECK(s.sim.base_url(family) == "http://" + address + ":" + std::to_string(s.sim.port()));
    CHECK(s.sim.column_url(family) == s.sim.base_url(family) + columns.at(family));
    CHECK(GetAt(s.sim, family, columns.at(family)).result_int() == 200);
    const auto pages = s.sim.Manifest(family);
    REQUIRE(!pages.empty());
    for (const Page& page : pages) {
      CHECK(page.family == family);
      CHECK(page.host == address);
    }
    if (family == "hostile") continue;
    std::multiset<std::string> report_seeds;
    int lookalikes = 0;
    for (const Page& page : pages) {
      if (page.night2 == "new") continue;
      lookalikes += page.kind == "lookalike";
      if (page.kind == "report" && page.seed != "hongze-2024.pdf") {
        report_seeds.insert(page.seed);
        CHECK_MESSAGE(std::regex_match(page.path, std::regex(shapes.at(family))), page.path);
      }
    }
    CHECK(report_seeds == std::multiset<std::string>{"000", "001", "002", "003", "004"});
    CHECK(lookalikes == 3);
    CHECK(PagesOfKind(s.sim, "attachment", family).size() ==
          (family == "gkmlpt" || family == "generic" ? 1u : 0u));
  }
  CHECK(s.sim.base_url() == s.sim.base_url("trs"));
  CHECK(s.sim.column_url() == s.sim.column_url("trs"));
  CHECK(s.sim.base_url("nope").empty());
  CHECK(s.sim.column_url("nope").empty());
  CHECK(s.sim.Manifest("nope").empty());
  CHECK(s.sim.Manifest().size() == [&] {
    size_t n = 0;
    for (const std::string& family : families) n += s.sim.Manifest(family).size();
    return n;
  }());
  // Hosts answer only for their own site.
  CHECK(GetAt(s.sim, "hanweb", "/zwgk/zfxxgknb/index.shtml").result_int() == 404);
  CHECK(GetAt(s.sim, "vsb", "/col/col1234/index.html").result_int() == 404);
  CHECK(GetAt(s.sim, "trs", "/xxgk/nb.htm").result_int() == 404);
  CHECK(GetAt(s.sim, "generic", "/hostile/503").result_int() == 404);
}

TEST_CASE("hanweb: an empty column page and an XML data proxy whose windows overlap") {
  Started s;
  const Response column = GetAt(s.sim, "hanweb", "/col/col1234/index.html");
  REQUIRE(column.result_int() == 200);
  CHECK(Contains(column.body(), "<div id=\"1234\"></div>"));
  CHECK(Contains(column.body(), "/module/web/jpage/dataproxy.jsp"));
  CHECK(!Contains(column.body(), "/art/"));
  for (std::string_view chrome : {"当前位置", "网站标识码", "ICP备"})
    CHECK(Contains(column.body(), chrome));

  const std::string address = Address(s.sim, "hanweb");
  auto window = [&](int start, int end, int per_page,
                    const std::string& form = "col=1&columnid=1234&unitid=5678") {
    return Client(s.sim.port(), address)
        .Send("/module/web/jpage/dataproxy.jsp?startrecord=" + std::to_string(start) +
                  "&endrecord=" + std::to_string(end) + "&perpage=" + std::to_string(per_page),
              {}, http::verb::post, form);
  };
  const std::string record =
      R"re(<record><!\[CDATA\[\s*<li><a href="([^"]+)" title="[^"]+">[^<]+</a><span>\d{4}-\d{2}-\d{2}</span></li>\s*\]\]></record>)re";
  const Response first = window(1, 3, 3);
  REQUIRE(first.result_int() == 200);
  CHECK(first[http::field::content_type] == "text/xml; charset=utf-8");
  CHECK(first.body().starts_with("<?xml"));
  for (std::string_view tag : {"<datastore>", "<nextgroup>", "<recordset>", "</datastore>"})
    CHECK(Contains(first.body(), tag));
  CHECK(Contains(first.body(), "<totalrecord>8</totalrecord>"));
  CHECK(Contains(first.body(), "<totalpage>3</totalpage>"));
  CHECK(All(first.body(), record).size() == 3);
  // A window is answered whole, whatever perpage says.
  CHECK(All(window(1, 6, 3).body(), record).size() == 6);
  CHECK(All(window(1, 45, 15).body(), record).size() == 8);
  CHECK(Contains(window(1, 45, 15).body(), "<totalpage>1</totalpage>"));
  // Windows of two pages, one page apart, as a crawler paging with groupSize > 1 asks.
  std::vector<std::string> all;
  std::set<std::string> unique;
  for (int start = 1; start <= 8; start += 3) {
    for (const std::string& href : All(window(start, start + 5, 3).body(), record)) {
      all.push_back(href);
      unique.insert(href);
    }
  }
  CHECK(all.size() == 13);    // 6 + 5 + 2 ...
  CHECK(unique.size() == 8);  // ... of 8 records: a crawler must de-duplicate
  CHECK(unique == ListedPaths(s.sim, "hanweb"));
  CheckDetailPages(s.sim, "hanweb", unique);
  CHECK(unique.count("/art/2025/1/26/art_1234_14216032.html") == 1);  // page 002

  const Response other = window(1, 9, 3, "col=1&columnid=999&unitid=5678");
  CHECK(Contains(other.body(), "<totalrecord>0</totalrecord>"));
  CHECK(All(other.body(), record).empty());
  const Response get = GetAt(s.sim, "hanweb",
                             "/module/web/jpage/dataproxy.jsp?startrecord=2&endrecord=3&perpage=3"
                             "&col=1&columnid=1234");
  CHECK(All(get.body(), record).size() == 2);
  CHECK(Client(s.sim.port(), address)
            .Send("/col/col1234/index.html", {}, http::verb::post)
            .result_int() == 405);
}

TEST_CASE("gkmlpt: a config page, a JSON API, and an article that is only a PDF") {
  Started s;
  const Response index = GetAt(s.sim, "gkmlpt", "/gkmlpt/index");
  REQUIRE(index.result_int() == 200);
  CHECK(Contains(index.body(), "window._CONFIG = {SID: '755'"));
  CHECK(Contains(index.body(), "2811"));
  CHECK(!Contains(index.body(), "post_"));

  const std::string base = s.sim.base_url("gkmlpt");
  std::set<std::string> urls;
  std::vector<std::pair<std::string, std::string>> attachments;
  for (int page = 1; page <= 3; ++page) {
    const Response res =
        GetAt(s.sim, "gkmlpt", "/gkmlpt/api/all/2811?page=" + std::to_string(page) + "&sid=755");
    REQUIRE(res.result_int() == 200);
    CHECK(res[http::field::content_type] == "application/json; charset=utf-8");
    const std::string& json = res.body();
    CHECK(json.starts_with("{\"total\": 9, \"articles\": ["));
    const auto page_urls = All(json, R"re("url": "([^"]+\.html)")re");
    CHECK(page_urls.size() == (page < 3 ? 4u : 1u));
    CHECK(All(json, R"re("title": ("[^"]+"))re").size() == page_urls.size());
    CHECK(All(json, R"re("publisher": ("[^"]+"))re").size() == page_urls.size());
    CHECK(All(json, R"re("first_publish_time": (\d{10}))re").size() == page_urls.size());
    CHECK(All(json, R"re("attachment": (\[))re").size() == page_urls.size());
    for (const std::string& url : page_urls) {
      REQUIRE(url.starts_with(base + "/"));
      urls.insert(url.substr(base.size()));
    }
    const std::regex attachment(
        R"re("url": "([^"]+)", [^{}]*"attachment": \[\{"name": "([^"]+)", "url": "([^"]+)"\}\])re");
    for (auto it = std::sregex_iterator(json.begin(), json.end(), attachment);
         it != std::sregex_iterator(); ++it)
      attachments.emplace_back((*it)[1], (*it)[3]);
  }
  CHECK(urls == ListedPaths(s.sim, "gkmlpt"));
  // The 2025-01-26 report's time is 09:00 China time.
  CHECK(Contains(GetAt(s.sim, "gkmlpt", "/gkmlpt/api/all/2811?page=1&sid=755").body(),
                 "\"first_publish_time\": 1737853200"));
  REQUIRE(attachments.size() == 1);
  const std::string post = attachments[0].first.substr(base.size());
  const std::string pdf_path = attachments[0].second.substr(base.size());
  CHECK(post == "/gkmlpt/content/0/123/post_123409.html");
  CHECK(pdf_path == "/attachment/0/123/123409/5306218.pdf");
  const Response post_page = GetAt(s.sim, "gkmlpt", post);
  CHECK(Contains(post_page.body(), "href=\"" + pdf_path + "\""));
  CHECK(!Contains(post_page.body(), "<table"));
  const Response pdf = GetAt(s.sim, "gkmlpt", pdf_path);
  REQUIRE(pdf.result_int() == 200);
  CHECK(pdf[http::field::content_type] == "application/pdf");
  CHECK(pdf.body().size() == 240143);
  CHECK(pdf.body().starts_with("%PDF-"));
  CHECK(pdf.body() == nianbao::sim::EmbeddedPage("hongze-2024.pdf"));
  std::set<std::string> details = urls;
  details.erase(post);
  CheckDetailPages(s.sim, "gkmlpt", details);

  CHECK(GetAt(s.sim, "gkmlpt", "/gkmlpt/api/all/2811?sid=755").body() ==
        GetAt(s.sim, "gkmlpt", "/gkmlpt/api/all/2811?page=1&sid=755").body());
  for (const char* missing :
       {"/gkmlpt/api/all/2811?page=4&sid=755", "/gkmlpt/api/all/2811?page=1&sid=1",
        "/gkmlpt/api/all/2811?page=1", "/gkmlpt/api/all/9?page=1&sid=755"})
    CHECK_MESSAGE(GetAt(s.sim, "gkmlpt", missing).result_int() == 404, missing);
}

TEST_CASE("vsb: listing pages count down and link on with class Next") {
  Started s;
  std::vector<std::string> visited;
  std::set<std::string> links;
  for (std::string page = "/xxgk/nb.htm";;) {
    CAPTURE(page);
    REQUIRE(visited.size() < 5);
    const Response res = GetAt(s.sim, "vsb", page);
    REQUIRE(res.result_int() == 200);
    CHECK(Contains(res.body(), "共3页"));
    CHECK(Contains(res.body(), "共8条"));
    for (const std::string& href : All(res.body(), R"re(<li><a href="([^"]+)")re")) {
      CHECK(href.starts_with(".."));  // relative to the listing page
      links.insert(Resolve(page, href));
    }
    visited.push_back(page);
    const auto next = All(res.body(), R"re(<a class="Next" href="([^"]+)">下页</a>)re");
    if (next.empty()) break;
    page = Resolve(page, next[0]);
  }
  CHECK(visited == std::vector<std::string>{"/xxgk/nb.htm", "/xxgk/nb/2.htm", "/xxgk/nb/1.htm"});
  CHECK(Contains(GetAt(s.sim, "vsb", "/xxgk/nb.htm").body(),
                 "<a class=\"Next\" href=\"nb/2.htm\">下页</a>"));
  CHECK(links == ListedPaths(s.sim, "vsb"));
  CheckDetailPages(s.sim, "vsb", links);
  CHECK(GetAt(s.sim, "vsb", "/xxgk/nb/3.htm").result_int() == 404);
}

TEST_CASE("generic: ?page=N listing pages with 下一页 and 末页, one entry a straight PDF") {
  Started s;
  std::vector<std::string> visited;
  std::set<std::string> links;
  for (std::string page = "/list?page=1";;) {
    CAPTURE(page);
    REQUIRE(visited.size() < 5);
    const Response res = GetAt(s.sim, "generic", page);
    REQUIRE(res.result_int() == 200);
    CHECK(Contains(res.body(), "共3页"));
    for (const std::string& href : All(res.body(), R"re(<li><a href="([^"]+)")re"))
      links.insert(Resolve(page, href));
    visited.push_back(page);
    const auto next = All(res.body(), R"re(<a href="([^"]+)">下一页</a>)re");
    CHECK(Contains(res.body(), "<a href=\"/list?page=3\">末页</a>") == !next.empty());
    if (next.empty()) break;
    page = Resolve(page, next[0]);
  }
  CHECK(visited == std::vector<std::string>{"/list?page=1", "/list?page=2", "/list?page=3"});
  CHECK(links == ListedPaths(s.sim, "generic"));
  CHECK(links.count("/uploads/202502/hzq2024nb.pdf") == 1);
  CheckDetailPages(s.sim, "generic", links);
  const Response pdf = GetAt(s.sim, "generic", "/uploads/202502/hzq2024nb.pdf");
  CHECK(pdf[http::field::content_type] == "application/pdf");
  CHECK(GetAt(s.sim, "generic", "/list").body() == GetAt(s.sim, "generic", "/list?page=1").body());
  CHECK(GetAt(s.sim, "generic", "/list?page=4").result_int() == 404);
}

TEST_CASE("robots.txt differs per host; gkmlpt's answers 503 the first time") {
  Started s;
  CHECK(GetAt(s.sim, "trs", "/robots.txt").body() == "User-agent: *\nDisallow: /private/\n");
  CHECK(GetAt(s.sim, "hanweb", "/robots.txt").body() == "User-agent: *\nDisallow: /private/\n");
  const Response first = GetAt(s.sim, "gkmlpt", "/robots.txt", "127.0.0.31");
  CHECK(first.result_int() == 503);
  CHECK(first[http::field::retry_after] == "1");
  const Response again = GetAt(s.sim, "gkmlpt", "/robots.txt", "127.0.0.31");
  CHECK(again.result_int() == 200);
  CHECK(Contains(again.body(), "User-agent: *\n"));
  CHECK(GetAt(s.sim, "gkmlpt", "/robots.txt", "127.0.0.31").result_int() == 200);
  CHECK(GetAt(s.sim, "gkmlpt", "/robots.txt", "127.0.0.32").result_int() == 503);  // per client
  CHECK(GetAt(s.sim, "vsb", "/robots.txt").result_int() == 404);
  CHECK(GetAt(s.sim, "generic", "/robots.txt").body() == "User-agent: *\nDisallow:\n");
  const std::string hostile = GetAt(s.sim, "hostile", "/robots.txt").body();
  CHECK(Contains(hostile, "\nCrawl-delay: 2\n"));
  CHECK(Contains(hostile, "\nDisallow: /hostile/private/\n"));
}

// ----------------------------------------------------------------- night 2

struct Night2Expect {
  const char* family;
  const char* cell_seed;
  const char* row;
  std::string_view from, to;
  const char* chrome_seed;
  const char* new_seed;  // "" = no new entry
  const char* new_path;
  const char* first_listing;  // where the new entry comes first
};

constexpr Night2Expect kNight2[] = {
    {"trs", "002", "行政规范性文件", "7", "8", "000", "", "", ""},
    {"hanweb", "003", "行政规范性文件", "10", "11", "000", "001",
     "/art/2025/6/1/art_1234_14431209.html",
     "/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=3&perpage=3&columnid=1234"},
    {"gkmlpt", "000", "行政规范性文件", "2", "3", "002", "003",
     "/gkmlpt/content/0/123/post_123410.html", "/gkmlpt/api/all/2811?page=1&sid=755"},
    {"vsb", "002", "一、本年新收政府信息公开申请数量", "24", "25", "003", "000",
     "/info/1307/31209.htm", "/xxgk/nb.htm"},
    {"generic", "001", "行政规范性文件", "0", "1", "000", "002", "/doc/2025/06/01/4431210.shtml",
     "/list?page=1"},
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// now differs from before in exactly one number, from -> to, in the row's cell.
void CheckCell(const std::string& before, const std::string& now, const Night2Expect& want) {
  REQUIRE(before.size() - want.from.size() == now.size() - want.to.size());
  size_t at = 0;
  while (at < before.size() && before[at] == now[at]) ++at;
  while (at > 0 && IsDigit(before[at - 1])) --at;
  CHECK(before.compare(at, want.from.size(), want.from) == 0);
  CHECK(!IsDigit(before[at + want.from.size()]));
  CHECK(now.compare(at, want.to.size(), want.to) == 0);
  CHECK(before.substr(at + want.from.size()) == now.substr(at + want.to.size()));
  const size_t label = before.rfind(want.row, at);
  REQUIRE(label != std::string::npos);
  CHECK(before.find('<', label) < at);  // the next cell, not the label's own text
}

// now differs from before only inside the 下一篇 link.
void CheckChrome(const std::string& before, const std::string& now) {
  const size_t link = before.find("下一篇");
  REQUIRE(link != std::string::npos);
  CHECK(now.compare(0, link, before, 0, link) == 0);
  const size_t tail = before.find("</a>", link), new_tail = now.find("</a>", link);
  CHECK(now.substr(new_tail) == before.substr(tail));
  CHECK(now.substr(link, new_tail - link) != before.substr(link, tail - link));
}

TEST_CASE("night 2 per family: one cell, one page's chrome, one new entry listed first") {
  Started s;
  const auto seeds = SeedBodies(s.sim);
  for (const Night2Expect& want : kNight2) {
    const std::string family = want.family;
    CAPTURE(family);
    std::vector<Page> pages;
    for (const Page& page : s.sim.Manifest(want.family))
      if (page.kind != "robots" && page.path != "/module/web/jpage/dataproxy.jsp")
        pages.push_back(page);
    auto fetch = [&](const std::string& target) {
      if (!Contains(target, "dataproxy")) return GetAt(s.sim, want.family, target);
      return Client(s.sim.port(), Address(s.sim, want.family))
          .Send(target, {}, http::verb::post, "col=1&columnid=1234");
    };
    s.sim.SetNight(1);
    std::map<std::string, Response> night1;
    for (const Page& page : pages) night1[page.path] = fetch(page.path);
    const std::string first1 = *want.first_listing ? fetch(want.first_listing).body() : "";
    s.sim.SetNight(2);
    int cells = 0, chromes = 0, news = 0, listings = 0;
    for (const Page& page : pages) {
      CAPTURE(page.path);
      const Response now = fetch(page.path);
      const Response& before = night1[page.path];
      if (page.night2 == "new") {
        ++news;
        CHECK(before.result_int() == 404);
        CHECK(now.result_int() == 200);
        CHECK(page.path == want.new_path);
        CHECK(page.seed == want.new_seed);
        // The seed page with one synthetic sentence of its own, and nothing else changed.
        const std::string marker = "<p>本页为模拟器第二夜新增发布的报告（合成数据，正文取自种子报告）。</p>\n";
        std::string body(now.body());
        const size_t at = body.find(marker);
        REQUIRE(at != std::string::npos);
        body.erase(at, marker.size());
        CHECK(body == seeds.at(page.seed));
        continue;
      }
      REQUIRE(before.result_int() == 200);
      REQUIRE(now.result_int() == 200);
      const bool same = page.night2.empty();
      CHECK((now.body() == before.body()) == same);
      CHECK((now[http::field::etag] == before[http::field::etag]) == same);
      CHECK((now[http::field::last_modified] == before[http::field::last_modified]) == same);
      if (page.night2 == "cell") {
        ++cells;
        CHECK(page.seed == want.cell_seed);
        CheckCell(before.body(), now.body(), want);
      } else if (page.night2 == "chrome") {
        ++chromes;
        CHECK(page.seed == want.chrome_seed);
        CheckChrome(before.body(), now.body());
      } else {
        CHECK(page.night2 == (same ? "" : "listing"));
        listings += !same;
        if (!same) CHECK((page.kind == "listing" || page.kind == "listing-data"));
      }
    }
    CHECK(cells == 1);
    CHECK(chromes == 1);
    CHECK(news == (*want.new_seed ? 1 : 0));
    if (family != "hanweb") CHECK((listings > 0) == (news > 0));  // hanweb's: the proxy, below
    if (!*want.new_seed) continue;
    // The new entry is the first entry of the first listing page, on night 2 only.
    const std::string file =
        std::string(want.new_path).substr(std::string(want.new_path).rfind('/'));
    const std::string first2 = fetch(want.first_listing).body();
    const auto entries = All(first2, R"re((?:<li><a href="|"url": ")([^"]+))re");
    REQUIRE(!entries.empty());
    CHECK(entries[0].ends_with(file));
    CHECK(!Contains(first1, file));
  }
  // Hanweb and gkmlpt count the new entry.
  CHECK(Contains(Client(s.sim.port(), Address(s.sim, "hanweb"))
                     .Send("/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=3&perpage=3",
                           {}, http::verb::post, "col=1&columnid=1234")
                     .body(),
                 "<totalrecord>9</totalrecord>"));
  CHECK(GetAt(s.sim, "gkmlpt", "/gkmlpt/api/all/2811?page=3&sid=755")
            .body()
            .starts_with("{\"total\": 10,"));
  // The hostile host is the same both nights.
  for (const Page& page : s.sim.Manifest("hostile")) CHECK(page.night2.empty());
}

// ------------------------------------------------------------ the hostile host

TEST_CASE("hostile: 503 and 429 with Retry-After, then the report, counted per client") {
  Started s;
  auto get = [&](const std::string& path, const char* source) {
    return GetAt(s.sim, "hostile", path, source);
  };
  for (int i = 0; i < 2; ++i) {
    const Response busy = get("/hostile/503", "127.0.0.21");
    CHECK(busy.result_int() == 503);
    CHECK(busy[http::field::retry_after] == "2");
  }
  const Response third = get("/hostile/503", "127.0.0.21");
  CHECK(third.result_int() == 200);
  CHECK(third.body() == nianbao::sim::EmbeddedPage("002"));
  CHECK(get("/hostile/503", "127.0.0.21").result_int() == 200);
  CHECK(get("/hostile/503", "127.0.0.22").result_int() == 503);  // another client starts over

  const Response limited = get("/hostile/429", "127.0.0.21");
  CHECK(limited.result_int() == 429);
  CHECK(limited[http::field::retry_after] == "1");
  const Response second = get("/hostile/429", "127.0.0.21");
  CHECK(second.result_int() == 200);
  CHECK(second.body() == nianbao::sim::EmbeddedPage("003"));
}

TEST_CASE("hostile: slow trickles, reset resets, truncated stops short") {
  Started s;
  const std::string address = Address(s.sim, "hostile");
  {
    Client client(s.sim.port(), address);
    http::request<http::empty_body> req(http::verb::get, "/hostile/slow", 11);
    req.set(http::field::host, address);
    const auto start = std::chrono::steady_clock::now();
    http::write(client.stream(), req);
    http::response_parser<http::string_body> parser;
    http::read_header(client.stream(), client.buffer(), parser);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
    http::read(client.stream(), client.buffer(), parser);
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(2900));
    CHECK(parser.get().body() == nianbao::sim::EmbeddedPage("000"));
    CHECK(client.Send("/robots.txt").result_int() == 200);  // still keep-alive
  }
  Response reset;
  CHECK(Client(s.sim.port(), address).TrySend("/hostile/reset", &reset) ==
        asio::error::connection_reset);

  Response truncated;
  CHECK(Client(s.sim.port(), address).TrySend("/hostile/truncated", &truncated) ==
        http::error::partial_message);
  const std::string_view full = nianbao::sim::EmbeddedPage("001");
  CHECK(truncated[http::field::content_length] == std::to_string(full.size()));
  CHECK(truncated.body().size() == full.size() / 2);
  CHECK(full.starts_with(truncated.body()));
}

TEST_CASE("hostile: an endless calendar") {
  Started s;
  std::set<std::string> seen;
  std::string page = "/hostile/calendar?date=2025-01-01";
  for (int i = 0; i < 40; ++i) {
    CAPTURE(page);
    const Response res = GetAt(s.sim, "hostile", page);
    REQUIRE(res.result_int() == 200);
    CHECK(seen.insert(page).second);
    const auto next = All(res.body(), R"re(<a href="([^"]+)">后一天</a>)re");
    const auto month =
        All(res.body(), R"re(<a href="(/hostile/calendar\?date=\d{4}-\d{2})">本月</a>)re");
    REQUIRE(next.size() == 1);
    CHECK(month.size() == 1);
    page = next[0];
  }
  CHECK(page == "/hostile/calendar?date=2025-02-10");
  const Response month = GetAt(s.sim, "hostile", "/hostile/calendar?date=2025-12");
  CHECK(All(month.body(), R"re(<li><a href="(/hostile/calendar\?date=2025-12-\d\d)")re").size() ==
        31);
  CHECK(Contains(month.body(), "<a href=\"/hostile/calendar?date=2026-01\">下一月</a>"));
  CHECK(GetAt(s.sim, "hostile", "/hostile/calendar").result_int() == 200);
  CHECK(GetAt(s.sim, "hostile", "/hostile/calendar?date=2025-02-30").result_int() == 404);
}

TEST_CASE("hostile: the index, soft 404, challenge, huge, offsite and private pages") {
  Started s;
  const std::string index = GetAt(s.sim, "hostile", "/hostile/index.html").body();
  int endpoints = 0;
  for (const Page& page : s.sim.Manifest("hostile")) {
    if (page.kind != "hostile") continue;
    ++endpoints;
    CHECK_MESSAGE(Contains(index, "href=\"" + page.path + "\""), page.path);
  }
  CHECK(endpoints == 11);

  const Response soft = GetAt(s.sim, "hostile", "/hostile/soft404");
  CHECK(soft.result_int() == 200);
  CHECK(Contains(soft.body(), "页面不存在"));
  CHECK(Contains(soft.body(), "您访问的页面不存在"));

  const Response challenge = GetAt(s.sim, "hostile", "/hostile/challenge");
  CHECK(challenge.result_int() == 200);
  for (std::string_view text :
       {"<script", "document.cookie", "location.reload", "安全验证", "请开启JavaScript"})
    CHECK(Contains(challenge.body(), text));

  Client client(s.sim.port(), Address(s.sim, "hostile"));
  const Response head = client.Send("/hostile/huge", {}, http::verb::head);
  const uint64_t size = std::stoull(std::string(head[http::field::content_length]));
  CHECK(size >= (30u << 20));
  const Response huge = client.Send("/hostile/huge");
  CHECK(huge.body().size() == size);
  CHECK(huge.body().starts_with("<!DOCTYPE html>"));
  CHECK(huge.body().ends_with("</html>\n"));

  const std::string offsite = GetAt(s.sim, "hostile", "/hostile/offsite").body();
  for (std::string_view href : {"href=\"http://offsite.invalid/", "href=\"//offsite.invalid/",
                                "href=\"http://10.0.0.1/", "href=\"http://169.254.169.254/"})
    CHECK(Contains(offsite, href));

  CHECK(Contains(index, "href=\"/hostile/private/x.html\""));
  CHECK(GetAt(s.sim, "hostile", "/hostile/private/x.html").result_int() == 200);
  CHECK(GetAt(s.sim, "hostile", "/hostile/redirect-chain/0")[http::field::location] ==
        "/hostile/index.html");
  CHECK(GetAt(s.sim, "hostile", "/hostile/nope").result_int() == 404);
}

TEST_CASE("Start fails when the port is taken on one family's address, and can retry") {
  asio::io_context ioc;
  asio::ip::tcp::acceptor probe(ioc, {asio::ip::make_address("127.0.0.1"), 0});
  const uint16_t port = probe.local_endpoint().port();
  probe.close();
  asio::ip::tcp::acceptor squatter(ioc, {asio::ip::make_address("127.0.0.4"), port});
  SimulatorOptions options;
  options.port = port;
  PortalSimulator sim(options);
  std::string error;
  CHECK(!sim.Start(&error));
  CHECK(Contains(error, "127.0.0.4:" + std::to_string(port)));
  CHECK(sim.port() == 0);
  squatter.close();
  CHECK(sim.Start(&error));
  CHECK(sim.port() == port);
  CHECK(GetAt(sim, "vsb", "/xxgk/nb.htm").result_int() == 200);
}
