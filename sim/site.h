// sim/site.h: internals of the portal simulator shared by its source files
// (not part of its API). A Host is one loopback address serving one portal
// family: a Site of pages built in memory once (both nights), optional gates
// (answer an error status the first times a client asks for a path) and an
// optional handler for what cannot be stored (POST data proxies, traps,
// misbehaving connections).
//
//   site.cc      text helpers, Site, the listing catalog, detail pages, TRS
//   families.cc  Hanweb, gkmlpt, VSB and generic hosts
//   hostile.cc   the hostile host
//   portal_simulator.cc  the server: routing, sessions, request log, API

#ifndef NIANBAO_SIM_SITE_H_
#define NIANBAO_SIM_SITE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/beast/http.hpp>

#include "sim/portal_simulator.h"

namespace nianbao::sim::internal {

namespace http = boost::beast::http;

constexpr const char* kSiteModified = "Mon, 10 Feb 2025 08:00:00 GMT";
constexpr const char* kNight2Modified = "Sun, 01 Jun 2025 02:00:00 GMT";
// The embedded PDF report (sim/attach/004-hongze-2024.pdf).
constexpr std::string_view kPdfSeed = "hongze-2024.pdf";
// Replaced by "http://<address>:<port>" of the host when the simulator starts.
constexpr std::string_view kOriginToken = "{origin}";

// ------------------------------------------------------------- text helpers

std::string HtmlEscape(std::string_view text);
std::string JsonEscape(std::string_view text);  // with the quotes
bool IsSpace(char c);
std::string_view Std(boost::beast::string_view s);
// "2025-01-26" -> "Sun, 26 Jan 2025 09:00:00 GMT".
std::string HttpDate(const std::string& ymd);
// "2025-01-26" -> seconds since the epoch of 2025-01-26 09:00 China time.
int64_t UnixTime(const std::string& ymd);
// UTF-8 → GB18030 (GBK's superset) with iconv; false if a character does not convert.
bool Utf8ToGb18030(std::string_view in, std::string* out);
// A quoted FNV-1a 64-bit hash of body.
std::string ETagOf(std::string_view body);
// The value of name in a query string or form body ("a=1&b=2"), or fallback.
std::string Param(std::string_view query, std::string_view name, std::string_view fallback = "");

// ------------------------------------------------------------ requests

// What a handler sees of a request.
struct Request {
  const http::request<http::string_body>& http;
  std::string_view path, query;
  std::string client;  // the peer's address
  int night;           // 1 or 2
  bool get_or_head() const {
    return http.method() == http::verb::get || http.method() == http::verb::head;
  }
};

// How the server sends a Reply's body.
enum class Delivery {
  kNormal,     // the response as is
  kTrickle,    // headers at once, then the body in pieces over 3 s
  kTruncate,   // Content-Length of the whole body, half of it sent, then the connection closed
  kReset,      // no response: the connection is reset (RST)
  kGenerated,  // headers, then the pieces of generate(); Content-Length = generated_size
};

struct Reply {
  http::response<http::string_body> res;
  Delivery delivery = Delivery::kNormal;
  // kGenerated: sets *piece to the next part of the body; false when done.
  std::function<bool(std::string* piece)> generate;
  uint64_t generated_size = 0;
};

// Fills status, Content-Type and body.
void SetReply(Reply* reply, http::status status, std::string_view type, std::string body);
// The hostile redirect endpoints shared by the TRS and hostile hosts:
// /hostile/redirect-offsite, -loop-a, -loop-b, -chain/N (N hops, then home).
// Returns false if path is none of them.
bool Redirect(std::string_view path, std::string_view home, Reply* reply);

// ----------------------------------------------------------------- sites

using Page = PortalSimulator::Page;
Page MakePage(std::string path, std::string kind, std::string seed = "", std::string title = "",
              std::string night2 = "");

struct Resource {
  Page page;
  std::string content_type = "text/html; charset=utf-8";
  std::string body[2];  // by night - 1
  std::string etag[2];
  std::string last_modified[2];
  bool exists[2] = {true, true};  // false: 404 that night
  Delivery delivery = Delivery::kNormal;
  std::string source[2];  // bodies still holding kOriginToken; empty if none
};

// The stored pages of one host.
class Site {
 public:
  // Adds a page served with body1 on night 1 and body2 on night 2. Sets the
  // ETags and Last-Modified (r.last_modified[0] if set, else the site's).
  // Bodies may hold kOriginToken (see SetOrigin).
  void Add(Resource r, std::string body1, std::string body2);
  // Adds a page served only on night 2 (night2 = "new").
  void AddNight2Only(Resource r, std::string body);
  // Lists a page that a handler serves (not stored).
  void AddDynamic(Page page);
  // Pages at path are told apart by these query parameters (name, default);
  // a missing parameter without a default means no page. Register before
  // adding the pages, whose paths then carry the parameters in this order.
  void KeyByQuery(std::string path, std::vector<std::pair<std::string, std::string>> params);
  // The page for a request path and query string, or null.
  const Resource* Find(std::string_view path, std::string_view query) const;
  // Replaces kOriginToken in every body with origin (recomputing ETags).
  void SetOrigin(const std::string& origin);
  // Every page: listings, listing data, the rest in the order added, robots.txt last.
  std::vector<Page> Manifest() const;
  bool empty() const { return order_.empty(); }

 private:
  std::map<std::string, Resource, std::less<>> resources_;
  std::map<std::string, std::vector<std::pair<std::string, std::string>>, std::less<>> query_keys_;
  std::vector<Page> pages_;
  std::vector<std::string> order_;
};

// Answer status (with Retry-After) the first `times` requests per client
// address for path, then let the page be served.
struct Gate {
  std::string path;
  int times;
  http::status status;
  int retry_after_s;
};

// Handles a request before the stored pages. Returns false to pass it on.
using Handler = std::function<bool(const Request&, const Site&, Reply*)>;

struct Host {
  std::string family;   // "trs", "hanweb", ...
  std::string address;  // where it listens
  std::string column;   // path of its first listing page
  Site site;
  std::vector<Gate> gates;
  Handler handler;
  std::string origin;  // "http://<address>:<port>", set by Start()
};

// -------------------------------------------------- the catalog of reports

// One listing entry: a report or look-alike, and where a family puts it.
struct Item {
  std::string seed;  // embedded page; "" = generated look-alike; kPdfSeed = the PDF
  std::string kind;  // "report" | "lookalike"
  std::string title;
  std::string date;            // YYYY-MM-DD
  long id = 0;                 // TRS document id; families derive theirs (gkmlpt replaces it)
  int serial = 0;              // 1-based position in the catalog
  int trs_page = 0;            // the TRS listing page it is on
  const char* text = nullptr;  // generated look-alikes: their body text
  std::string path;            // the detail page on this family's host
  std::string attachment;      // PDF items on detail pages: where the PDF is
};

// The five seed reports and three look-alikes, newest first, titles and
// dates read from the embedded pages. False (and *error) if a page is missing.
bool LoadCatalog(std::vector<Item>* items, std::string* error);
// The PDF report (the real 淮安市洪泽区 2024 report) as a catalog item.
Item PdfItem();

// A family's page frame: top holds {title}.
struct Chrome {
  std::string_view top, bottom;
  std::string Wrap(std::string_view title, std::string_view inner) const;
};

// Night 2 on one host: one report gets one table cell replaced (the first
// cell after `row` that follows `header`, which must read `from`: exactly one
// such cell must exist), one report gets its 下一篇 link replaced (chrome
// only), and optionally a seed page appears under a new URL.
struct Night2Plan {
  std::string_view cell_seed, header, row, from, to;
  std::string_view chrome_seed, next_href, next_title;
};

// Adds the detail page(s) of item at item.path (and item.attachment) with
// its night-2 edits; item.path empty = nothing. False and *error if an edit
// does not apply or the page cannot be built.
bool AddDetailPage(Site* site, const Chrome& chrome, const Item& item, const Night2Plan& plan,
                   bool night2_only, std::string* error);
// A listing line: <li><a href="href"<attrs> title="t">t</a><span>date</span></li>
std::string LinkItem(std::string_view href, const Item& item, std::string_view attrs = "");
// Adds a listing page (kind "listing" or "listing-data") for both nights.
void AddListing(Site* site, std::string path, std::string kind, std::string body1,
                std::string body2, std::string content_type = "text/html; charset=utf-8");
// Adds /robots.txt.
void AddRobots(Site* site, std::string text);
// The items of listing page `page` (0-based) of `per_page` each.
std::vector<const Item*> PageOf(const std::vector<Item>& items, int page, int per_page);

// ------------------------------------------------------------- the hosts

bool BuildTrs(const std::vector<Item>& catalog, Host* host, std::string* error);
bool BuildHanweb(const std::vector<Item>& catalog, Host* host, std::string* error);
bool BuildGkmlpt(const std::vector<Item>& catalog, Host* host, std::string* error);
bool BuildVsb(const std::vector<Item>& catalog, Host* host, std::string* error);
bool BuildGeneric(const std::vector<Item>& catalog, Host* host, std::string* error);
bool BuildHostile(const std::vector<Item>& catalog, Host* host, std::string* error);

}  // namespace nianbao::sim::internal

#endif  // NIANBAO_SIM_SITE_H_
