// sim/rendering_b_test.cc: the second rendering (127.0.0.7 ...) over real HTTP.
// A small reference walker reads each portal the way its pages say (links,
// pager scripts, jpage parameters, gkmlpt _CONFIG, jpaas queryData, counts) and
// must reach every listing page and every entry the manifest names, with every
// printed count true; then night 2, validators and 304s, the manifest JSON,
// hiding a page, the bulk farm and --close-after.

#include <doctest/doctest.h>
#include <iconv.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "sim/portal_simulator.h"
#include "sim/test_links.h"

namespace {

using nianbao::sim::test::ResolveLink;
using nianbao::sim::test::UnescapeHtml;
using nianbao::sim::test::PathOf;

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using nianbao::sim::PortalSimulator;
using nianbao::sim::SimulatorOptions;
using Portal = PortalSimulator::Portal;
using Json = nlohmann::json;

struct Answer {
  int status = 0;
  std::string body, type, etag, last_modified;
};

// One keep-alive connection to one address.
class Conn {
 public:
  Conn(uint16_t port, const std::string& address) : stream_(ioc_), address_(address) {
    stream_.connect(asio::ip::tcp::endpoint(asio::ip::make_address(address), port));
  }
  // Sends a request; *ec gets a read error (the answer is then empty).
  Answer Send(const std::string& target, const std::string& method = "GET",
              const std::string& body = "", const std::map<http::field, std::string>& headers = {},
              beast::error_code* ec = nullptr) {
    http::request<http::string_body> req(http::string_to_verb(method), target, 11);
    req.set(http::field::host, address_);
    for (const auto& [f, v] : headers) req.set(f, v);
    if (method == "POST") req.set(http::field::content_type, "application/x-www-form-urlencoded");
    req.body() = body;
    req.prepare_payload();
    http::write(stream_, req);
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    beast::error_code read_ec;
    http::read(stream_, buffer_, parser, read_ec);
    if (ec != nullptr) *ec = read_ec;
    if (read_ec) {
      if (ec == nullptr) throw beast::system_error(read_ec);
      return {};
    }
    const auto res = parser.release();
    return {static_cast<int>(res.result_int()), res.body(), std::string(res[http::field::content_type]),
            std::string(res[http::field::etag]), std::string(res[http::field::last_modified])};
  }

 private:
  asio::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string address_;
};

Answer Fetch(const PortalSimulator& sim, const std::string& address, const std::string& target,
             const std::string& method = "GET", const std::string& body = "",
             const std::map<http::field, std::string>& headers = {}) {
  return Conn(sim.port(), address).Send(target, method, body, headers);
}

bool Has(std::string_view s, std::string_view needle) { return s.find(needle) != std::string_view::npos; }

std::string ToUtf8(const std::string& in, const std::string& type) {
  std::string lower = type;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  if (!Has(lower, "gbk") && !Has(lower, "gb2312") && !Has(lower, "gb18030")) return in;
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  std::string out(in.size() * 2 + 16, '\0');
  char* src = const_cast<char*>(in.data());
  char* dst = out.data();
  size_t src_left = in.size(), dst_left = out.size();
  iconv(cd, &src, &src_left, &dst, &dst_left);
  iconv_close(cd);
  out.resize(out.size() - dst_left);
  return out;
}



std::vector<std::smatch> Matches(const std::string& text, const std::string& pattern) {
  std::vector<std::smatch> out;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back(*it);
  return out;
}

int Int(const std::string& s) { return std::stoi(s); }

// JS line comments dropped (not "//" inside URLs): what the page's scripts really say.
std::string StripComments(const std::string& text) {
  return std::regex_replace(text, std::regex(R"((^|[\s;])//[^\n]*)"), "$1");
}

std::string EncodeQuery(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else out += std::string("%") + hex[c >> 4] + hex[c & 15];
  }
  return out;
}

// What a walk over one portal found.
struct Walk {
  std::set<std::string> etags;                          // of every listing page fetched
  std::map<std::string, std::string> entries;           // entry target -> title as listed
  std::map<std::string, std::set<std::string>> column_entries;  // column -> entry targets
  std::map<std::string, std::set<int>> record_claims;   // column -> counts printed
  std::map<std::string, std::set<int>> page_claims;     // column -> page counts printed
  std::map<std::string, std::set<std::string>> column_pages;  // column -> etags of pages with entries
  std::vector<std::string> derived_failures;            // script-derived pages that did not answer 200
  std::map<std::string, int> per_page;                  // column -> hanweb perPage
};

// The column a listing page belongs to, by portal.
std::string ColumnOf(const Portal& p, const std::string& target, const std::string& form) {
  if (p.name == "trs-tree") {
    const std::string rest = target.substr(std::string("/zwgk/zfxxgknb/").size());
    return rest.find('/') == std::string::npos ? "front" : rest.substr(0, rest.find('/'));
  }
  if (p.name == "hanweb-inline") {
    std::smatch m;
    const std::string all = target + "&" + form;
    if (std::regex_search(all, m, std::regex(R"(col/col(\d+)/)"))) return m[1];
    if (std::regex_search(all, m, std::regex(R"(columnid=(\d+))"))) return m[1];
  }
  if (p.name == "vsb-tree") {
    if (target.starts_with("/zwgk/zfxxgknb/bmnb")) return "bmnb";
    if (target.starts_with("/list.jsp")) return "zjnb";
    return "main";
  }
  return "main";
}

// Reads a portal the way its pages say, at the simulator's current night.
Walk WalkPortal(const PortalSimulator& sim, const Portal& p) {
  const std::string origin = "http://" + p.address + ":" + std::to_string(sim.port());
  std::set<std::string> listing_paths, entry_targets;
  for (const auto& l : p.listings) listing_paths.insert(PathOf(l.target));
  for (const auto& e : p.entries) entry_targets.insert(e.target);
  Walk walk;
  struct Job {
    std::string target, method, body;
    bool derived;  // from a script or count, not a link: must answer 200
  };
  std::vector<Job> queue = {{p.start.substr(0, p.start.find('#')), "GET", "", true}};
  std::set<std::string> queued = {queue[0].method + " " + queue[0].target};
  auto enqueue = [&](const std::string& target, const std::string& method = "GET",
                     const std::string& body = "", bool derived = true) {
    if (target.empty() || !queued.insert(method + " " + target).second) return;
    queue.push_back({target, method, body, derived});
  };
  for (size_t qi = 0; qi < queue.size(); ++qi) {
    const Job job = queue[qi];
    Conn conn(sim.port(), p.address);
    Answer a;
    try {
      a = conn.Send(job.target, job.method, job.body);
    } catch (const std::exception& e) {
      FAIL_CHECK("request failed: ", job.method, " ", job.target, ": ", e.what());
      continue;
    }
    if (a.status != 200) {
      if (job.derived) walk.derived_failures.push_back(job.method + " " + job.target);
      continue;
    }
    walk.etags.insert(a.etag);
    std::string text = ToUtf8(a.body, a.type);
    const std::string column = ColumnOf(p, job.target, job.body);
    bool found_entries = false;
    auto entry = [&](const std::string& target, const std::string& title) {
      if (!entry_targets.count(target)) return;
      walk.entries[target] = title;
      walk.column_entries[column].insert(target);
      found_entries = true;
    };
    if (Has(a.type, "json")) {
      const Json j = Json::parse(text);
      if (j.contains("articles")) {  // gkmlpt
        for (const auto& art : j["articles"]) {
          std::string url = art["url"];
          if (url.empty() && !art["attachment"].empty()) url = art["attachment"][0]["url"];
          entry(ResolveLink(origin, job.target, url), art["title"]);
        }
        const int total = j["classify"]["post_count"];
        walk.record_claims[column].insert(total);
        if (j.contains("total")) walk.record_claims[column].insert(j["total"].get<int>());
        // Page 0 is page 1; later pages by the count and the page size.
        std::smatch m;
        if (std::regex_search(job.target, m, std::regex(R"(page=1&)"))) {
          const size_t per = j["articles"].size();
          const std::string zero = std::regex_replace(job.target, std::regex("page=1&"), "page=0&");
          CHECK_MESSAGE(conn.Send(zero).body == a.body, zero);
          for (size_t k = 2; per > 0 && (k - 1) * per < static_cast<size_t>(total); ++k)
            enqueue(std::regex_replace(job.target, std::regex("page=1&"), "page=" + std::to_string(k) + "&"));
        }
        continue;
      }
      text = j["data"]["html"];  // jpaas
    }
    // Links: entries, and listing pages (any link to a listing path).
    for (const auto& m : Matches(text, R"re(<a\b[^>]*?href\s*=\s*["']([^"']+)["'][^>]*>)re")) {
      const std::string target = ResolveLink(origin, job.target, m[1]);
      std::smatch t;
      const std::string tag = m[0];
      std::string title;
      if (std::regex_search(tag, t, std::regex(R"re(title\s*=\s*["']([^"']*)["'])re"))) title = UnescapeHtml(t[1]);
      if (entry_targets.count(target)) entry(target, title);
      // (Links into a data proxy are its <nextgroup>, followed below by what the script says.)
      else if (listing_paths.count(PathOf(target)) && !PathOf(target).ends_with("dataproxy.jsp"))
        enqueue(target, "GET", "", false);
    }
    const std::string code = StripComments(text);
    const std::string dir = PathOf(job.target).substr(0, PathOf(job.target).rfind('/') + 1);
    const std::string file = PathOf(job.target).substr(dir.size());
    const std::string ext = file.find('.') == std::string::npos ? "html" : file.substr(file.find('.') + 1);
    // TRS: countPage, createPageHTML (0-based with a number first, 1-based with a div id), pageControl.
    for (const auto& m : Matches(code, R"(var countPage\s*=\s*(\d+))")) {
      walk.page_claims[column].insert(Int(m[1]));
      for (int k = 1; k < Int(m[1]); ++k) enqueue(dir + "index_" + std::to_string(k) + "." + ext);
    }
    for (const auto& m : Matches(code, R"re((createPageHTML|pageControl)\(\s*(['"]\w+['"]\s*,)?\s*(\d+)\s*,\s*\d+\s*,\s*["'](\w+)["']\s*,\s*["'](\w+)["']\s*(?:,\s*["']\w+["'])?\s*(?:,\s*(\d+))?)re")) {
      const bool one_based = m[2].matched;
      const int pages = Int(m[3]);
      walk.page_claims[column].insert(pages);
      if (m[6].matched && m[1] == "createPageHTML") walk.record_claims[column].insert(Int(m[6]));
      for (int k = one_based ? 2 : 1; k <= (one_based ? pages : pages - 1); ++k)
        enqueue(dir + std::string(m[4]) + "_" + std::to_string(k) + "." + std::string(m[5]));
    }
    // Hanweb jpage: the param object, counts, the proxy; POST windows and the GET groups.
    std::smatch pm;
    if (std::regex_search(code, pm, std::regex(R"(var param_(\d+)\s*=\s*\{([^}]*)\})"))) {
      const std::string params = pm[2];
      auto field = [&](const std::string& name) {
        std::smatch f;
        return std::regex_search(params, f, std::regex(name + R"(\s*:\s*'?([^,'}]*)'?)")) ? f[1].str() : "";
      };
      std::smatch t, per, group, proxy;
      REQUIRE(std::regex_search(code, t, std::regex(R"(totalRecord:\s*(\d+))")));
      REQUIRE(std::regex_search(code, per, std::regex(R"(perPage:\s*(\d+))")));
      REQUIRE(std::regex_search(code, group, std::regex(R"(groupSize:\s*(\d+))")));
      REQUIRE(std::regex_search(code, proxy, std::regex(R"(proxyUrl:\s*'([^']+)')")));
      const int total = Int(t[1]), g = Int(per[1]) * Int(group[1]);
      walk.record_claims[column].insert(total);
      walk.per_page[column] = Int(per[1]);
      const std::string form = "col=1&appid=1&webid=" + field("webid") + "&path=%2F&columnid=" +
                               field("columnid") + "&sourceContentType=1&unitid=" + field("unitid") +
                               "&webname=" + EncodeQuery(field("webname")) + "&permissiontype=0";
      const bool inline_records = Has(text, "<record>");
      for (int start = inline_records ? g + 1 : 1; start <= total; start += g)
        enqueue(std::string(proxy[1]) + "?startrecord=" + std::to_string(start) + "&endrecord=" +
                    std::to_string(start + g - 1) + "&perpage=" + per[1].str(),
                "POST", form);
      std::smatch ng;
      if (std::regex_search(text, ng, std::regex(R"re(<nextgroup><!\[CDATA\[<a href="([^"]+)")re")) &&
          Has(ng[1].str(), "columnid=" + field("columnid") + "&")) {
        const std::string next = ResolveLink(origin, proxy[1], ng[1]);  // relative to the proxy
        for (int k = 1; (k - 1) * g < total; ++k)
          enqueue(std::regex_replace(next, std::regex(R"(page=\d+)"), "page=" + std::to_string(k)));
      }
    }
    for (const auto& m : Matches(text, R"(<totalrecord>(\d+)</totalrecord>)")) walk.record_claims[column].insert(Int(m[1]));
    for (const auto& m : Matches(text, R"(<totalpage>(\d+)</totalpage>)")) walk.page_claims["hanweb-pages " + column].insert(Int(m[1]));
    // gkmlpt: SID, the category from the fragment or by name in TREE, the API's first page.
    std::smatch sid;
    if (Has(code, "window._CONFIG") &&
        std::regex_search(code, sid, std::regex(R"re(["']?SID["']?\s*:\s*["'](\d+)["'])re"))) {
      std::string cat = p.start.find('#') == std::string::npos ? "" : p.start.substr(p.start.find('#') + 1);
      if (cat.empty())
        for (const auto& m : Matches(code, R"re(["']?id["']?\s*:\s*(\d+)\s*,\s*["']?name["']?\s*:\s*["']([^"']+)["'])re"))
          if (m[2] == "政府信息公开年报" || m[2] == "信息公开年报" || m[2] == "年度报告") cat = m[1];
      REQUIRE(!cat.empty());
      enqueue(dir + "api/all/" + cat + "?page=1&sid=" + sid[1].str());
    }
    // jpaas: the unit URL and its queryData; further pages by count and rows.
    std::smatch ju;
    if (std::regex_search(text, ju, std::regex(R"re(<script url="([^"]+)"\s*queryData="\{([^}]*)\}")re"))) {
      std::string query;
      const std::string query_data = ju[2];  // (the matches point into it)
      for (const auto& m : Matches(query_data, R"('(\w+)':'([^']*)')"))
        query += (query.empty() ? "" : "&") + m[1].str() + "=" + EncodeQuery(m[2]);
      enqueue(ju[1].str() + "?" + query);
    }
    std::smatch jp;
    if (std::regex_search(text, jp, std::regex(R"re(class="pagination" rows="(\d+)" count="(\d+)" pageNo="1")re"))) {
      walk.record_claims[column].insert(Int(jp[2]));
      const int rows = Int(jp[1]), count = Int(jp[2]);
      for (int k = 2; (k - 1) * rows < count; ++k)
        enqueue(job.target + "&paramJson=" +
                EncodeQuery("{\"pageNo\":" + std::to_string(k) + ",\"pageSize\":" + std::to_string(rows) + "}"));
    }
    // Anhui: Ls.pagination's pageCount with the page URL in its callback, or a listUrl template.
    std::smatch pc;
    if (std::regex_search(code, pc, std::regex(R"(pageCount:\s*(\d+))"))) {
      const int pages = Int(pc[1]);
      walk.page_claims[column].insert(pages);
      std::smatch href, list_url;
      if (std::regex_search(code, href, std::regex(R"(location\.href\s*=\s*'([^']*)'\s*\+\s*pageIndex)")))
        for (int k = 1; k <= pages; ++k) enqueue(href[1].str() + std::to_string(k));
      if (std::regex_search(code, list_url, std::regex(R"re(var listUrl\s*=\s*"([^"]+)")re")))
        for (int k = 1; k <= pages; ++k)
          enqueue(std::regex_replace(list_url[1].str(), std::regex(R"(pageIndex=\d+)"), "pageIndex=" + std::to_string(k)));
    }
    // Script pagers that name a file pattern: totalPage and "index_" + page + ".shtml".
    std::smatch tp, pattern;
    if (std::regex_search(code, tp, std::regex(R"(totalPage:\s*(\d+))")) &&
        std::regex_search(code, pattern, std::regex(R"re("(\w+)_"\s*\+\s*page\s*\+\s*"\.(\w+)")re"))) {
      walk.page_claims[column].insert(Int(tp[1]));
      for (int k = 2; k <= Int(tp[1]); ++k)
        enqueue(dir + pattern[1].str() + "_" + std::to_string(k) + "." + pattern[2].str());
    }
    // Printed counts.
    for (const auto& m : Matches(text, R"(共(\d+)条)")) walk.record_claims[column].insert(Int(m[1]));
    for (const auto& m : Matches(text, R"(共(\d+)页)")) walk.page_claims[column].insert(Int(m[1]));
    for (const auto& m : Matches(text, R"((?:条&nbsp;&nbsp;|页次：|class="p_t">)\d+/(\d+))")) walk.page_claims[column].insert(Int(m[1]));
    for (const auto& m : Matches(code, R"(var totalRecord\s*=\s*(\d+))")) walk.record_claims[column].insert(Int(m[1]));
    if (found_entries && job.method == "GET") walk.column_pages[column].insert(a.etag);
  }
  return walk;
}

struct Started {
  explicit Started(SimulatorOptions options = {}) : sim(std::move(options)) {
    std::string error;
    REQUIRE_MESSAGE(sim.Start(&error), error);
  }
  PortalSimulator sim;
};

std::vector<Portal> SecondRendering(const PortalSimulator& sim) {
  std::vector<Portal> out;
  for (const Portal& p : sim.Portals())
    if (p.rendering == "b") out.push_back(p);
  return out;
}

// Checks one walk against the portal's truth at `night`.
void CheckWalk(const PortalSimulator& sim, const Portal& p, int night) {
  CAPTURE(p.name);
  CAPTURE(night);
  const Walk walk = WalkPortal(sim, p);
  for (const std::string& failure : walk.derived_failures)
    CHECK_MESSAGE(false, "a page the pages name does not answer 200: ", failure);
  // Every listing page of the night reached (or a page with its very bytes, an alias).
  for (const auto& l : p.listings) {
    if (l.night > night) continue;
    const Answer a = Fetch(sim, p.address, l.target, l.method, l.body);
    CHECK_MESSAGE(a.status == 200, l.target);
    CHECK_MESSAGE(walk.etags.count(a.etag) == 1, "not reached: ", l.method, " ", l.target);
  }
  // Every entry of the night found, with its full title; none of a later night.
  for (const auto& e : p.entries) {
    const bool visible = e.night <= night;
    CHECK_MESSAGE(walk.entries.count(e.target) == (visible ? 1u : 0u), e.target);
    if (visible && walk.entries.count(e.target) && !walk.entries.at(e.target).empty())
      CHECK(walk.entries.at(e.target) == e.title);
  }
  // Printed counts are true: records per column, and pages per column.
  for (const auto& [column, claims] : walk.record_claims) {
    CAPTURE(column);
    CHECK(claims.size() == 1);
    const size_t entries = walk.column_entries.count(column) ? walk.column_entries.at(column).size() : 0;
    CHECK(*claims.begin() == static_cast<int>(entries));
  }
  for (const auto& [column, claims] : walk.page_claims) {
    CAPTURE(column);
    CHECK(claims.size() == 1);
    if (column.starts_with("hanweb-pages ")) {  // <totalpage>: pages of perPage
      const std::string c = column.substr(13);
      REQUIRE(walk.per_page.count(c) == 1);
      const int per = walk.per_page.at(c);
      const size_t entries = walk.column_entries.count(c) ? walk.column_entries.at(c).size() : 0;
      CHECK(*claims.begin() == static_cast<int>((entries + per - 1) / per));
    } else {
      const size_t pages = walk.column_pages.count(column) ? walk.column_pages.at(column).size() : 0;
      CHECK(*claims.begin() == static_cast<int>(pages));
    }
  }
}

}  // namespace

TEST_CASE("second rendering: thirteen portals of the five families from 127.0.0.7, built fast") {
  const auto start = std::chrono::steady_clock::now();
  Started s;
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
  const auto portals = SecondRendering(s.sim);
  REQUIRE(portals.size() == 13);
  std::set<std::string> families, names, variants;
  for (size_t i = 0; i < portals.size(); ++i) {
    const Portal& p = portals[i];
    CAPTURE(p.name);
    CHECK(p.address == "127.0.0." + std::to_string(7 + i));
    families.insert(p.family);
    names.insert(p.name);
    variants.insert(p.variant);
    int reports = 0;
    std::set<std::pair<std::string, int>> seen;
    for (const auto& e : p.entries) {
      reports += e.kind == "report";
      CHECK((e.kind == "report" || e.kind == "lookalike"));
      CHECK((e.night == 1 || e.night == 2));
      CHECK(seen.insert({e.target, 0}).second);  // every entry its own page
    }
    CHECK(reports >= 10);
    CHECK(reports <= 60);
    CHECK(std::count_if(p.entries.begin(), p.entries.end(), [](const auto& e) { return e.night == 2; }) >= 1);
    CHECK(std::count_if(p.entries.begin(), p.entries.end(), [](const auto& e) { return e.kind == "lookalike"; }) >= 3);
    CHECK(s.sim.column_url(p.name) == "http://" + p.address + ":" + std::to_string(s.sim.port()) +
                                          p.start.substr(0, p.start.find('#')));
  }
  CHECK(families == std::set<std::string>{"trs", "hanweb", "gkmlpt", "vsb", "generic"});
  CHECK(names.size() == portals.size());
  CHECK(variants.size() == portals.size());
  // The first rendering's families are unchanged.
  CHECK(PortalSimulator::Families() ==
        std::vector<std::string>{"trs", "hanweb", "gkmlpt", "vsb", "generic", "hostile"});
}

TEST_CASE("second rendering: each portal read by what its pages say, night 1 and night 2") {
  Started s;
  for (const Portal& p : SecondRendering(s.sim)) {
    s.sim.SetNight(1);
    CheckWalk(s.sim, p, 1);
    s.sim.SetNight(2);
    CheckWalk(s.sim, p, 2);
  }
}

TEST_CASE("second rendering: entries are reports or look-alikes of their own, new ones only on night 2") {
  Started s;
  for (const Portal& p : SecondRendering(s.sim)) {
    CAPTURE(p.name);
    std::set<std::string> bodies;
    Conn conn(s.sim.port(), p.address);
    for (const auto& e : p.entries) {
      CAPTURE(e.target);
      s.sim.SetNight(1);
      const Answer first = conn.Send(e.target);
      CHECK(first.status == (e.night == 1 ? 200 : 404));
      s.sim.SetNight(2);
      const Answer a = conn.Send(e.target);
      REQUIRE(a.status == 200);
      if (e.night == 1) {  // unchanged across nights, validators kept
        CHECK(first.etag == a.etag);
        CHECK(first.last_modified == a.last_modified);
      }
      CHECK(!a.etag.empty());
      CHECK(!a.last_modified.empty());
      CHECK(conn.Send(e.target, "GET", "", {{http::field::if_none_match, a.etag}}).status == 304);
      CHECK(conn.Send(e.target, "GET", "", {{http::field::if_modified_since, a.last_modified}}).status == 304);
      if (Has(a.type, "pdf")) {
        CHECK(a.body.starts_with("%PDF"));
        continue;
      }
      const std::string text = ToUtf8(a.body, a.type);
      if (e.kind == "report" && e.year < 2019) {  // a free-text report of before 2019: no tables
        CHECK(bodies.insert(text).second);
        CHECK(!Has(text, "<table"));
        CHECK(Has(text, std::to_string(e.year) + "年"));
        CHECK(Has(text, "三、依申请公开政府信息情况"));
        CHECK(Has(text, "synthetic free-text report"));
      } else if (e.kind == "report") {
        CHECK(bodies.insert(text).second);  // distinct content
        CHECK(Has(text, "<table"));
        CHECK(Has(text, std::to_string(e.year) + "年"));
        CHECK((Has(text, "本年制发件数") || Has(text, "本年新制作数量") || Has(text, "第二十条")));
        CHECK(Has(text, "合成数据"));
      } else {
        CHECK(!Has(text, "本年制发件数"));
      }
    }
  }
}

TEST_CASE("second rendering: listing pages and GET data carry validators; 304 when unchanged") {
  Started s;
  for (const Portal& p : SecondRendering(s.sim)) {
    CAPTURE(p.name);
    Conn conn(s.sim.port(), p.address);
    int changed = 0;
    for (const auto& l : p.listings) {
      CAPTURE(l.target);
      s.sim.SetNight(1);
      const Answer first = conn.Send(l.target, l.method, l.body);
      CHECK(first.status == (l.night == 1 ? 200 : 404));
      s.sim.SetNight(2);
      const Answer a = conn.Send(l.target, l.method, l.body);
      REQUIRE(a.status == 200);
      CHECK(!a.etag.empty());
      CHECK(!a.last_modified.empty());
      if (l.night == 1) {
        CHECK((first.etag == a.etag) == (first.body == a.body));
        CHECK((first.last_modified == a.last_modified) == (first.body == a.body));
        changed += first.body != a.body;
      }
      if (l.method == "GET") {
        CHECK(conn.Send(l.target, "GET", "", {{http::field::if_none_match, a.etag}}).status == 304);
        CHECK(conn.Send(l.target, "GET", "", {{http::field::if_none_match, "\"other\""}}).status == 200);
      }
    }
    CHECK(changed >= 1);  // the new reports moved something
  }
}

TEST_CASE("second rendering: the manifest, over HTTP on every host and as JSON before Start") {
  Started s;
  const std::string port = std::to_string(s.sim.port());
  const Json j = Json::parse(s.sim.ManifestJson());
  CHECK(j["port"] == s.sim.port());
  const auto portals = s.sim.Portals();
  REQUIRE(j["portals"].size() == portals.size());
  for (size_t i = 0; i < portals.size(); ++i) {
    const Portal& p = portals[i];
    const Json& jp = j["portals"][i];
    CAPTURE(p.name);
    const std::string origin = "http://" + p.address + ":" + port;
    CHECK(jp["name"] == p.name);
    CHECK(jp["rendering"] == p.rendering);
    CHECK(jp["family"] == p.family);
    CHECK(jp["variant"] == p.variant);
    CHECK(jp["start_url"] == origin + p.start);
    CHECK(jp["allow_hosts"] == Json::array({p.address}));
    REQUIRE(jp["entries"].size() == p.entries.size());
    for (size_t k = 0; k < p.entries.size(); ++k) {
      CHECK(jp["entries"][k]["url"] == origin + p.entries[k].target);
      CHECK(jp["entries"][k]["title"] == p.entries[k].title);
      CHECK(jp["entries"][k]["kind"] == p.entries[k].kind);
      CHECK(jp["entries"][k]["night"] == std::to_string(p.entries[k].night));
      if (p.entries[k].year > 0) CHECK(jp["entries"][k]["year"] == p.entries[k].year);
    }
    REQUIRE(jp["listing_pages"].size() == p.listings.size());
    // Served identically by every host.
    const Answer a = Fetch(s.sim, p.address, "/__sim/manifest");
    CHECK(a.status == 200);
    CHECK(Json::parse(a.body) == j);
  }
  CHECK(j["portals"][0]["rendering"] == "a");
  bool fragment = false;
  for (const Portal& p : portals) fragment |= p.family == "gkmlpt" && Has(p.start, "#");
  CHECK(fragment);
  // Before Start(): "{port}" in the URLs (nianbao-sim --manifest prints this).
  PortalSimulator idle(SimulatorOptions{});
  const Json k = Json::parse(idle.ManifestJson());
  CHECK(k["port"].is_null());
  CHECK(Has(k["portals"].back()["start_url"].get<std::string>(), ":{port}/"));
  SimulatorOptions fixed;
  fixed.port = 4321;
  CHECK(Has(PortalSimulator(fixed).ManifestJson(), "http://127.0.0.7:4321/"));
}

TEST_CASE("second rendering: a hidden listing page answers 404 until cleared") {
  Started s;
  const Portal p = SecondRendering(s.sim)[0];
  const std::string target = p.listings[2].target;
  const std::string other = p.listings.front().target;
  CHECK(Fetch(s.sim, p.address, target).status == 200);
  const Answer hide = Fetch(s.sim, "127.0.0.1",
                            "/__sim/hide?host=" + p.address + "&path=" + EncodeQuery(target));
  CHECK(hide.status == 200);
  CHECK(Fetch(s.sim, p.address, target).status == 404);
  CHECK(Fetch(s.sim, p.address, other).status == 200);
  CHECK(Fetch(s.sim, p.address, "/__sim/hide?clear=1").status == 200);
  CHECK(Fetch(s.sim, p.address, target).status == 200);
  CHECK(Fetch(s.sim, p.address, "/__sim/hide").status == 400);
  // A POST window of the Hanweb portal, by its query.
  const Portal hanweb = SecondRendering(s.sim)[2];
  for (const auto& l : hanweb.listings) {
    if (l.method != "POST") continue;
    s.sim.Hide(hanweb.address, l.target);
    CHECK(Fetch(s.sim, hanweb.address, l.target, "POST", l.body).status == 404);
    s.sim.ClearHidden();
    CHECK(Fetch(s.sim, hanweb.address, l.target, "POST", l.body).status == 200);
  }
  // Hidden from the start, by option (nianbao-sim --hide).
  SimulatorOptions options;
  options.hide = {p.address + target};
  Started hidden(options);
  CHECK(Fetch(hidden.sim, p.address, target).status == 404);
  CHECK(Fetch(hidden.sim, p.address, other).status == 200);
}

TEST_CASE("the farm serves the bulk pages on 127.0.1.1 ... 127.0.1.N") {
  SimulatorOptions options;
  options.farm_hosts = 3;
  Started s(options);
  for (int i = 1; i <= 3; ++i) {
    const std::string address = "127.0.1." + std::to_string(i);
    CAPTURE(address);
    const Answer list = Fetch(s.sim, address, "/bulk/list_7.shtml");
    CHECK(list.status == 200);
    CHECK(Matches(list.body, R"(href="/bulk/7/\d+\.shtml")").size() == 100);
    CHECK(Has(list.body, "list_8.shtml"));
    const Answer page = Fetch(s.sim, address, "/bulk/7/3.shtml");
    CHECK(page.status == 200);
    CHECK(Has(page.body, "本年制发件数"));
    CHECK(Fetch(s.sim, address, "/zwgk/zfxxgknb/index.shtml").status == 404);
  }
  CHECK_THROWS(Conn(s.sim.port(), "127.0.1.4"));
  SimulatorOptions bad;
  bad.farm_hosts = 255;
  PortalSimulator refused(bad);
  std::string error;
  CHECK(!refused.Start(&error));
}

TEST_CASE("--close-after K: the (K+1)-th request on a connection gets no answer") {
  SimulatorOptions options;
  options.close_after = 2;
  Started s(options);
  for (const std::string address : {"127.0.0.1", "127.0.0.12"}) {
    Conn conn(s.sim.port(), address);
    CHECK(conn.Send("/robots.txt").status == 200);
    CHECK(conn.Send("/robots.txt").status == 200);
    beast::error_code ec;
    const Answer third = conn.Send("/robots.txt", "GET", "", {}, &ec);
    CHECK(ec);  // end of stream, no bytes
    CHECK(third.status == 0);
    CHECK(Conn(s.sim.port(), address).Send("/robots.txt").status == 200);  // a new connection is fine
  }
}
