#include "daemon/probe.h"

#include <boost/asio/io_context.hpp>

#include <deque>
#include <map>
#include <set>

#include "config/url.h"
#include "extract/listing/listing.h"
#include "fetch/fetcher.h"

namespace nianbao {
namespace {

using Json = nlohmann::ordered_json;

// A portal name from a URL: host and path, letters and digits.
std::string NameFor(const Url& u) {
  std::string name;
  for (char c : u.host + u.path) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c));
    if (ok) name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    else if (!name.empty() && name.back() != '-') name.push_back('-');
  }
  while (!name.empty() && name.back() == '-') name.pop_back();
  for (const char* tail : {"-index-html", "-index-shtml", "-index-htm"}) {
    if (name.ends_with(tail)) name.resize(name.size() - std::string_view(tail).size());
  }
  return name.empty() ? "portal" : name;
}

}  // namespace

Json Probe(const CrawlOptions& crawl, const ProbeRequest& request) {
  Json out;
  out["url"] = request.url;
  auto start = ParseUrl(request.url);
  if (!start) {
    out["error"] = "not an absolute http(s) URL";
    return out;
  }
  boost::asio::io_context io;
  fetch::Fetcher fetcher(io, crawl);
  std::deque<extract::ListingRequest> queue = {{request.url, "", ""}};
  std::set<std::string> asked;
  std::map<std::string, extract::ListingEntry> entries;  // by URL, first seen order kept below
  std::vector<std::string> order;
  std::set<std::string> families;
  std::vector<std::string> evidence;
  std::set<std::string> evidence_seen;
  Json pages = Json::array();
  Json sub_columns = Json::array();
  std::set<std::string> subs_seen;
  long claimed_entries = -1, claimed_pages = -1;
  std::string family;
  while (!queue.empty() && static_cast<int>(pages.size()) < request.max_pages) {
    extract::ListingRequest next = queue.front();
    queue.pop_front();
    if (!asked.insert(next.url + "\n" + next.post_form).second) continue;
    fetch::FetchRequest req;
    req.url = next.url;
    req.post_form = next.post_form;
    req.allow_hosts = {start->host};
    req.allow_private_addresses = true;  // the operator named this host
    fetch::FetchResult result;
    fetcher.Fetch(req, [&](fetch::FetchResult r) { result = std::move(r); });
    io.restart();
    io.run();
    Json page = {{"url", next.url}};
    if (!next.post_form.empty()) page["post_form"] = next.post_form;
    if (result.error != fetch::FetchError::kNone) {
      page["error"] = result.error_message.empty() ? fetch::FetchErrorName(result.error) : result.error_message;
      pages.push_back(page);
      continue;
    }
    page["status"] = result.status;
    if (result.status != 200) {
      pages.push_back(page);
      continue;
    }
    extract::ListingInput in;
    in.bytes = result.body;
    in.content_type = result.content_type;
    in.url = result.final_url;
    in.post_form = next.post_form;
    in.fragment = start->fragment;
    in.cms = request.cms;
    extract::Listing listing = extract::ParseListing(in);
    page["page_kind"] = listing.page_kind;
    page["family"] = listing.family;
    page["entries"] = listing.entries.size();
    page["more"] = listing.more.size();
    pages.push_back(page);
    if (family.empty() && !listing.family.empty()) family = listing.family;
    if (!listing.family.empty()) families.insert(listing.family);
    for (const auto& e : listing.evidence) {
      if (evidence_seen.insert(e).second) evidence.push_back(e);
    }
    if (listing.claimed_entries) claimed_entries = std::max(claimed_entries, *listing.claimed_entries);
    if (listing.claimed_pages) claimed_pages = std::max(claimed_pages, *listing.claimed_pages);
    for (const auto& e : listing.entries) {
      if (entries.emplace(e.url, e).second) order.push_back(e.url);
    }
    for (const auto& s : listing.sub_columns) {
      if (subs_seen.insert(s.url).second) sub_columns.push_back({{"label", s.label}, {"url", s.url}});
    }
    for (const auto& m : listing.more) queue.push_back(m);
  }
  std::map<std::string, long> verdicts;
  Json first = Json::array();
  for (const auto& url : order) {
    const auto& e = entries[url];
    ++verdicts[extract::EntryVerdictName(e.verdict)];
    if (first.size() < 10) first.push_back({{"verdict", extract::EntryVerdictName(e.verdict)}, {"title", e.title}, {"url", e.url}});
  }
  out["family"] = family;
  out["families"] = Json(families);
  out["evidence"] = evidence;
  out["claimed_entries"] = claimed_entries >= 0 ? Json(claimed_entries) : Json();
  out["claimed_pages"] = claimed_pages >= 0 ? Json(claimed_pages) : Json();
  out["pages_read"] = pages.size();
  out["pages_left"] = queue.size();  // named but not read (max_pages)
  out["entries_found"] = order.size();
  out["verdicts"] = {{"report", verdicts["report"]}, {"maybe", verdicts["maybe"]}, {"lookalike", verdicts["lookalike"]},
                     {"other", verdicts["other"]}};
  out["shortfall"] = claimed_entries > static_cast<long>(order.size()) && queue.empty();
  out["first_entries"] = first;
  out["sub_columns"] = sub_columns;
  out["pages"] = pages;
  out["config"] = {{"name", NameFor(*start)},
                   {"start_urls", {request.url}},
                   {"allow_hosts", {start->host}},
                   {"cms", family.empty() || family == "jpaas" ? "auto" : family}};
  return out;
}

std::string ProbeText(const Json& f) {
  std::string o = "probe " + f.value("url", "") + "\n";
  if (f.contains("error")) return o + "error: " + f["error"].get<std::string>() + "\n";
  auto num = [](const Json& j) { return j.is_null() ? std::string("-") : std::to_string(j.get<long>()); };
  o += "family: " + (f["family"].get<std::string>().empty() ? std::string("none recognised") : f["family"].get<std::string>()) + "\n";
  o += "why:\n";
  for (const auto& e : f["evidence"]) o += "  " + e.get<std::string>() + "\n";
  o += "listing: " + std::to_string(f["pages_read"].get<long>()) + " request(s) read" +
       (f["pages_left"].get<long>() > 0 ? ", " + std::to_string(f["pages_left"].get<long>()) + " more named (raise --pages)" : "") +
       "; pages claimed " + num(f["claimed_pages"]) + "\n";
  const Json& v = f["verdicts"];
  o += "entries: claimed " + num(f["claimed_entries"]) + ", found " + std::to_string(f["entries_found"].get<long>()) + " (report " +
       std::to_string(v["report"].get<long>()) + ", maybe " + std::to_string(v["maybe"].get<long>()) + ", look-alike " +
       std::to_string(v["lookalike"].get<long>()) + ", other " + std::to_string(v["other"].get<long>()) + ")" +
       (f["shortfall"].get<bool>() ? "  ← SHORTFALL: fewer found than the listing claims" : "") + "\n";
  for (const auto& p : f["pages"]) {
    o += "  " + p["url"].get<std::string>() + (p.contains("post_form") ? " (POST)" : "") + ": ";
    if (p.contains("error")) o += "error " + p["error"].get<std::string>();
    else if (p["status"].get<long>() != 200) o += "HTTP " + std::to_string(p["status"].get<long>());
    else o += std::to_string(p["entries"].get<long>()) + " entries, " + std::to_string(p["more"].get<long>()) + " more named";
    o += "\n";
  }
  o += "sub-columns (" + std::to_string(f["sub_columns"].size()) + "):\n";
  for (const auto& s : f["sub_columns"]) o += "  " + s["label"].get<std::string>() + "  " + s["url"].get<std::string>() + "\n";
  o += "first entries:\n";
  for (const auto& e : f["first_entries"]) {
    std::string verdict = e["verdict"].get<std::string>();
    verdict.resize(10, ' ');
    o += "  " + verdict + e["title"].get<std::string>() + "  " + e["url"].get<std::string>() + "\n";
  }
  const Json& c = f["config"];
  o += "config entry (paste under portals:):\n";
  o += "  - name: " + c["name"].get<std::string>() + "\n";
  o += "    start_urls: [\"" + c["start_urls"][0].get<std::string>() + "\"]\n";
  o += "    allow_hosts: [\"" + c["allow_hosts"][0].get<std::string>() + "\"]\n";
  o += "    cms: " + c["cms"].get<std::string>() + "\n";
  return o;
}

}  // namespace nianbao
