#include "fetch/fetcher.h"

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <algorithm>
#include <map>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/portal_simulator.h"

using namespace nianbao;
using namespace nianbao::fetch;

namespace {

struct Sim {
  explicit Sim(int latency_ms = 0, int close_after = 0) {
    log = std::filesystem::temp_directory_path() / ("nianbao-fetch-test-" + std::to_string(::getpid()) + ".log");
    sim::SimulatorOptions o;
    o.latency_ms = latency_ms;
    o.close_after = close_after;
    o.request_log_path = log.string();
    server = std::make_unique<sim::PortalSimulator>(o);
    std::string error;
    REQUIRE_MESSAGE(server->Start(&error), error);
  }
  ~Sim() {
    server->Stop();
    std::filesystem::remove(log);
  }
  std::filesystem::path log;
  std::unique_ptr<sim::PortalSimulator> server;
};

// A request for `url` within `allow_hosts`; the simulator lives on loopback.
FetchRequest Req(const std::string& url, std::vector<std::string> allow_hosts = {}, bool allow_private = true) {
  FetchRequest r;
  r.url = url;
  r.allow_hosts = std::move(allow_hosts);
  r.allow_private_addresses = allow_private;
  return r;
}

std::vector<FetchResult> FetchAll(const CrawlOptions& options, const std::vector<FetchRequest>& requests) {
  boost::asio::io_context io;
  Fetcher fetcher(io, options);
  std::vector<FetchResult> results(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    fetcher.Fetch(requests[i], [&results, i](FetchResult r) { results[i] = std::move(r); });
  }
  io.run();
  return results;
}

}  // namespace

TEST_SUITE("fetch/fetcher") {
  TEST_CASE("pages, 404 and a GBK page over real HTTP") {
    Sim sim;
    CrawlOptions o;
    o.per_host_delay_ms = 0;
    auto rs = FetchAll(o, {Req(sim.server->column_url(), {}), Req(sim.server->base_url() + "/nope.html", {})});
    CHECK(rs[0].error == FetchError::kNone);
    CHECK(rs[0].status == 200);
    CHECK(rs[0].body.find("createPageHTML") != std::string::npos);
    CHECK(!rs[0].etag.empty());
    CHECK(rs[1].error == FetchError::kNone);
    CHECK(rs[1].status == 404);
  }

  TEST_CASE("per-host concurrency and delay hold, measured by the server") {
    Sim sim(120);
    CrawlOptions o;
    o.per_host_concurrency = 2;
    o.per_host_delay_ms = 50;
    std::vector<FetchRequest> reqs;
    for (const char* p : {"index.shtml", "index_1.shtml", "index_2.shtml"}) {
      for (int i = 0; i < 3; ++i) reqs.push_back(Req(sim.server->base_url() + "/zwgk/zfxxgknb/" + p + "?i=" + std::to_string(i), {}));
    }
    auto rs = FetchAll(o, reqs);
    for (const auto& r : rs) CHECK(r.status == 200);
    sim.server->Stop();
    std::ifstream in(sim.log);
    std::vector<std::pair<long long, long long>> spans;
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream ls(line);
      long long start = 0, end = 0;
      ls >> start >> end;
      spans.emplace_back(start, end);
    }
    REQUIRE(spans.size() == reqs.size() + 1);  // and the host's robots.txt, first
    std::sort(spans.begin(), spans.end());
    for (size_t i = 1; i < spans.size(); ++i) {
      CHECK_MESSAGE(spans[i].first - spans[i - 1].first >= 40000, "request starts " << spans[i].first - spans[i - 1].first << "us apart");
    }
    for (const auto& s : spans) {
      int open = 0;
      for (const auto& t : spans) open += t.first <= s.first && s.first < t.second;
      CHECK(open <= 2);
    }
  }

  TEST_CASE("the delay holds between request starts as the server logs them, at any concurrency") {
    // The clock counts from the moment each answer begins, so neither
    // connection set-up nor a reused connection can bring two starts closer
    // than the delay, however many requests may be open at once.
    for (int concurrency : {1, 4}) {
      Sim sim(40);
      CrawlOptions o;
      o.per_host_concurrency = concurrency;
      o.per_host_delay_ms = 100;
      std::vector<FetchRequest> reqs;
      for (int i = 0; i < 10; ++i) {
        reqs.push_back(Req(sim.server->base_url() + "/zwgk/zfxxgknb/index_" + std::to_string(i % 3) + ".shtml?i=" + std::to_string(i), {}));
      }
      auto rs = FetchAll(o, reqs);
      for (const auto& r : rs) CHECK(r.error == FetchError::kNone);
      sim.server->Stop();
      std::ifstream in(sim.log);
      std::vector<long long> starts;
      for (std::string line; std::getline(in, line);) starts.push_back(std::stoll(line.substr(0, line.find(' '))));
      REQUIRE(starts.size() == reqs.size() + 1);  // and robots.txt
      std::sort(starts.begin(), starts.end());
      for (size_t i = 1; i < starts.size(); ++i) {
        CHECK_MESSAGE(starts[i] - starts[i - 1] >= 100000, "concurrency " << concurrency << ": starts " << starts[i] - starts[i - 1] << " us apart");
      }
    }
  }

  TEST_CASE("body cap truncates and says so") {
    Sim sim;
    CrawlOptions o;
    o.per_host_delay_ms = 0;
    o.max_page_bytes = 1000;
    auto rs = FetchAll(o, {Req(sim.server->column_url(), {})});
    CHECK(rs[0].error == FetchError::kNone);
    CHECK(rs[0].truncated);
    CHECK(rs[0].body.size() == 1000);
  }

  TEST_CASE("out of scope hosts are never fetched; bad URLs are errors") {
    Sim sim;
    CrawlOptions o;
    auto rs = FetchAll(o, {Req(sim.server->column_url(), {"www.example.gov.cn"}), Req("ftp://x/", {})});
    CHECK(rs[0].error == FetchError::kOutOfScope);
    CHECK(rs[1].error == FetchError::kBadUrl);
  }

  TEST_CASE("redirects: followed within scope, refused out of it, loops and long chains stopped") {
    Sim sim;
    CrawlOptions o;
    o.per_host_delay_ms = 0;
    const std::string b = sim.server->base_url();
    auto rs = FetchAll(o, {Req(b + "/hostile/redirect-chain/3", {"127.0.0.1"}),
                           Req(b + "/hostile/redirect-offsite", {"127.0.0.1"}),
                           Req(b + "/hostile/redirect-loop-a", {"127.0.0.1"}),
                           Req(b + "/hostile/redirect-chain/12", {"127.0.0.1"})});
    CHECK(rs[0].error == FetchError::kNone);
    CHECK(rs[0].status == 200);
    CHECK(rs[0].redirects == 4);
    CHECK(rs[0].final_url == sim.server->column_url());
    CHECK(rs[1].error == FetchError::kOutOfScope);
    CHECK(rs[1].error_message.find("offsite.invalid") != std::string::npos);
    CHECK(rs[2].error == FetchError::kTooManyRedirects);
    CHECK(rs[2].error_message.find("loop") != std::string::npos);
    CHECK(rs[3].error == FetchError::kTooManyRedirects);
  }

  TEST_CASE("a slow server times out") {
    Sim sim(2500);
    CrawlOptions o;
    o.respect_robots = false;
    o.timeout_s = 1;
    o.max_retries = 0;
    auto rs = FetchAll(o, {Req(sim.server->column_url(), {})});
    CHECK(rs[0].error == FetchError::kTimeout);
    CHECK(rs[0].seconds < 2.0);
  }

  TEST_CASE("loopback and private addresses are refused unless the portal allows them") {
    Sim sim;
    CrawlOptions o;
    o.per_host_delay_ms = 0;
    auto rs = FetchAll(o, {Req(sim.server->column_url(), {}, false), Req("http://10.0.0.1/", {}, false),
                           Req("http://[::1]:9/", {}, false)});
    for (const auto& r : rs) {
      CHECK(r.error == FetchError::kPrivateAddress);
      CHECK(r.attempts == 1);  // not retried
    }
    sim.server->Stop();
    std::ifstream in(sim.log);
    std::string line;
    CHECK_FALSE(std::getline(in, line));  // nothing reached the server
  }

  TEST_CASE("robots.txt first, once per host; disallowed paths are never requested") {
    Sim sim;
    CrawlOptions o;
    o.per_host_delay_ms = 0;
    const std::string b = sim.server->base_url();
    auto rs = FetchAll(o, {Req(b + "/private/secret.html", {}), Req(sim.server->column_url(), {}),
                           Req(b + "/zwgk/zfxxgknb/index_1.shtml", {})});
    CHECK(rs[0].error == FetchError::kRobots);
    CHECK(rs[1].status == 200);
    CHECK(rs[2].status == 200);
    sim.server->Stop();
    std::ifstream in(sim.log);
    std::vector<std::string> targets;
    for (std::string line; std::getline(in, line);) {
      std::istringstream ls(line);
      std::string start, end, method, target;
      ls >> start >> end >> method >> target;
      targets.push_back(target);
    }
    REQUIRE(targets.size() == 3);
    CHECK(targets[0] == "/robots.txt");
    CHECK(std::count(targets.begin(), targets.end(), "/private/secret.html") == 0);
  }

  TEST_CASE("an unreachable host: its requests fail with the robots.txt fetch's error") {
    CrawlOptions o;
    o.max_retries = 1;
    o.connect_timeout_s = 2;
    auto rs = FetchAll(o, {Req("http://127.0.0.1:9/a.html", {}), Req("http://127.0.0.1:9/b.html", {})});
    for (const auto& r : rs) {
      CHECK(r.error == FetchError::kConnect);
      CHECK(r.error_message.rfind("robots.txt unreachable", 0) == 0);
    }
  }

  TEST_CASE("a conditional request for an unchanged page is answered 304") {
    Sim sim;
    CrawlOptions o;
    o.per_host_delay_ms = 0;
    auto first = FetchAll(o, {Req(sim.server->column_url(), {})});
    REQUIRE(first[0].status == 200);
    REQUIRE(!first[0].etag.empty());
    FetchRequest again = Req(sim.server->column_url());
    again.if_none_match = first[0].etag;
    auto second = FetchAll(o, {again});
    CHECK(second[0].status == 304);
    CHECK(second[0].body.empty());
  }

  TEST_CASE("robots.txt kept from an earlier run is asked for conditionally; its 304 still disallows") {
    Sim sim;
    CrawlOptions o;
    o.per_host_delay_ms = 0;
    std::map<std::string, RobotsCopy> kept;
    RobotsMemory memory;
    memory.recall = [&](const std::string& host) -> std::optional<RobotsCopy> {
      auto it = kept.find(host);
      return it == kept.end() ? std::nullopt : std::optional<RobotsCopy>(it->second);
    };
    memory.remember = [&](const std::string& host, const RobotsCopy& copy) { kept[host] = copy; };
    const std::string b = sim.server->base_url();
    for (int run = 0; run < 2; ++run) {
      boost::asio::io_context io;
      Fetcher fetcher(io, o, memory);
      FetchResult secret, page;
      fetcher.Fetch(Req(b + "/private/secret.html"), [&](FetchResult r) { secret = std::move(r); });
      fetcher.Fetch(Req(sim.server->column_url()), [&](FetchResult r) { page = std::move(r); });
      io.run();
      CHECK(secret.error == FetchError::kRobots);
      CHECK(page.status == 200);
      CHECK(kept.size() == 1);
    }
    sim.server->Stop();
    std::ifstream in(sim.log);
    std::vector<std::string> robots;
    for (std::string line; std::getline(in, line);) {
      std::istringstream ls(line);
      std::string start, end, method, target, status;
      ls >> start >> end >> method >> target >> status;
      if (target == "/robots.txt") robots.push_back(status);
    }
    CHECK(robots == std::vector<std::string>{"200", "304"});
  }

  TEST_CASE("keep-alive connections the server drops without an answer: every page still arrives, none waits out a backoff") {
    // The simulator closes each connection, unanswered, when its third request arrives.
    Sim sim(0, 2);
    CrawlOptions o;
    o.per_host_delay_ms = 0;
    o.per_host_concurrency = 1;
    std::vector<FetchRequest> reqs;
    for (int i = 0; i < 12; ++i) reqs.push_back(Req(sim.server->base_url() + "/zwgk/zfxxgknb/index.shtml?i=" + std::to_string(i), {}));
    auto rs = FetchAll(o, reqs);
    for (const auto& r : rs) {
      CHECK(r.error == FetchError::kNone);
      CHECK(r.status == 200);
      CHECK(r.attempts == 1);  // a dead connection is not a failed attempt
    }
  }

  TEST_CASE("Retry-After as an HTTP-date pauses the host until then") {
    Sim sim;
    CrawlOptions o;
    o.per_host_delay_ms = 0;
    o.respect_robots = false;  // the hostile host's Crawl-delay would hide the pause
    auto rs = FetchAll(o, {Req(sim.server->base_url("hostile") + "/hostile/429-date", {})});
    CHECK(rs[0].status == 200);
    CHECK(rs[0].attempts == 2);
    sim.server->Stop();
    std::ifstream in(sim.log);
    std::vector<std::pair<long long, long long>> spans;  // start, end of each logged response
    for (std::string line; std::getline(in, line);) {
      std::istringstream ls(line);
      long long start = 0, end = 0;
      ls >> start >> end;
      spans.emplace_back(start, end);
    }
    REQUIRE(spans.size() == 2);
    // The date was 3 s ahead at one-second resolution: at least 2 s after the 429 was sent.
    CHECK(spans[1].first - spans[0].second >= 1'900'000);
  }

  TEST_CASE("a refused connection is retried, then reported") {
    CrawlOptions o;
    o.respect_robots = false;
    o.max_retries = 1;
    o.connect_timeout_s = 2;
    // Port 9 on loopback: nothing listens (discard service is not run here).
    auto rs = FetchAll(o, {Req("http://127.0.0.1:9/", {})});
    CHECK(rs[0].error == FetchError::kConnect);
    CHECK(rs[0].attempts == 2);
  }
}
