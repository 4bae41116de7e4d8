// sim/rendering_b.h: internals of the simulator's SECOND rendering of the
// five CMS families (not part of its API). The first rendering (site.cc,
// families.cc) was written beside the listing parser that reads it; this one
// is built only from /work/shared/spec/listing-real.md and the real markup
// collected in /work/notes/real-listings.md, one portal (a 年报 column) per
// loopback host from 127.0.0.7 up, so that a crawler can be measured on
// portals it was not written against. What each host serves is documented in
// portal_simulator.h; the code is in
//
//   rendering_b.cc          the store, derived reports, look-alikes, the manifest, the build
//   rendering_b_trs.cc      TRS WCM portals
//   rendering_b_hanweb.cc   Hanweb JCMS (jpage dataproxy) and jpaas portals
//   rendering_b_gkmlpt.cc   Guangdong gkmlpt portals
//   rendering_b_vsb.cc      VSB 博达 portals
//   rendering_b_generic.cc  Anhui, currpage, list_N and /doc/ portals
//
// Every report page is a seed report (tests/data/seeds) with its agency and
// report year changed in title and body and one synthetic sentence of its own
// added (so each is a distinct report); look-alikes are synthetic pages (or
// the seed 解读 page). All of it is synthetic and says so in a comment.

#ifndef NIANBAO_SIM_RENDERING_B_H_
#define NIANBAO_SIM_RENDERING_B_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/site.h"

namespace nianbao::sim::internal {

// ------------------------------------------------------------ the manifest

// The truth about a portal, for /__sim/manifest (see portal_simulator.h).
using PortalInfo = PortalSimulator::Portal;
using ManifestEntry = PortalSimulator::Portal::Entry;
using ManifestListing = PortalSimulator::Portal::Listing;

// The manifest JSON (see portal_simulator.h); port "" leaves the literal
// "{port}" in every URL.
std::string ManifestJson(const std::vector<PortalInfo>& portals, const std::string& port);

// ------------------------------------------------------------- the store

// One stored answer of a second-rendering host.
struct BPage {
  std::string content_type = "text/html; charset=utf-8";
  std::shared_ptr<const std::string> body[2];  // by night - 1 (shared when equal)
  std::string etag[2], last_modified[2];
  bool exists[2] = {true, true};
  bool has_origin = false;  // the body holds kOriginToken, replaced when served
};

// The pages of one second-rendering host and how requests find them.
class BSite {
 public:
  // Pages at path are told apart by these query parameters (name, default;
  // values compared after percent-decoding); other paths ignore the query.
  void KeyByQuery(std::string path, std::vector<std::pair<std::string, std::string>> params);
  // A custom key for requests to path (e.g. a parameter inside JSON).
  void KeyBy(std::string path, std::function<std::string(std::string_view query)> key);
  // The key of a request; "" = no page.
  std::string Key(std::string_view path, std::string_view query) const;
  // The key a stored target (path?query) is filed under.
  std::string KeyOf(std::string_view target) const;

  // Stores target's answer for both nights (body2 may equal body1). Last-Modified:
  // modified (or the site's date) on night 1; night 2 keeps it when the body is
  // unchanged, else kNight2Modified.
  void Put(std::string_view target, std::string content_type, std::string body1,
           std::string body2, std::string modified = "");
  // Stores a page that exists only on night 2.
  void PutNight2(std::string_view target, std::string content_type, std::string body);
  const BPage* Find(std::string_view key) const;
  bool Has(std::string_view target) const { return Find(KeyOf(target)) != nullptr; }

  // Handles requests the store cannot answer (POST data proxies); false to go on.
  std::function<bool(const Request&, const Host&, Reply*)> special;

 private:
  std::map<std::string, BPage, std::less<>> pages_;
  std::map<std::string, std::vector<std::pair<std::string, std::string>>, std::less<>> query_keys_;
  std::map<std::string, std::function<std::string(std::string_view)>, std::less<>> custom_keys_;
};

// Makes host serve site: the special handler first, then stored GET/HEAD
// answers with ETag and Last-Modified (the server answers conditionals with
// 304), kOriginToken replaced by host->origin.
void ServeBSite(Host* host, std::shared_ptr<BSite> site);
// Sets reply to a 200 answer of a dynamic page whose body on each night is
// body[0] / body[1]: kOriginToken replaced by host.origin, ETag of the body,
// Last-Modified the site's date, or kNight2Modified on night 2 if it differs.
void DynamicReply(const Host& host, const Request& req, const std::string body[2],
                  std::string_view content_type, Reply* reply);
// Percent-decodes ('+' is a space).
std::string PercentDecode(std::string_view s);
// Percent-encodes everything but unreserved characters.
std::string PercentEncode(std::string_view s);

// ------------------------------------------------------- entries and pages

// One listed entry of a second-rendering portal.
struct BEntry {
  std::string kind;    // "report" | "lookalike"
  std::string seed;    // "000".."004": derived report; "lookalike": the seed 解读 page;
                       // "" synthetic look-alike; "pdf": the embedded PDF report;
                       // "legacy": a synthetic free-text report of before 2019
  std::string agency;  // reports: the new agency
  int year = 0;        // report year (look-alikes: the year their title names)
  std::string title;   // full listing title
  std::string date;    // publication date YYYY-MM-DD
  long id = 0;         // document id, unique per portal
  int night = 1;       // 1 both nights, 2 new on night 2
  std::string group;   // sub-column it is listed in ("" = the main column)
  std::string path;    // where it is served (set by the family's placement)
  std::string text;    // synthetic look-alikes: their body text
};

// How many entries of which kinds a portal lists.
struct EntryPlan {
  std::string region = "";  // e.g. "示例市东湖区": prefix of every agency
  int reports = 0;         // night-1 reports
  int lookalikes = 0;      // night-1 look-alikes (spread through the list)
  int night2 = 1;          // reports new on night 2
  int salt = 0;            // varies unit order, ids and dates between portals
  long id_base = 5000000;  // first document id
  bool pdf = false;        // also list the embedded PDF report (淮安市洪泽区 2024, dated 2025-02-25)
  // Non-empty: every report is this one unit's (<region><unit>), one a year
  // from 2024 down (reports <= 6; 2020 and 2019 derive from seed 004).
  std::string unit = "";
  // With unit: this many older reports in the free-text layout before 2019
  // (synthetic "legacy" pages, report years 2016 down), listed after the rest.
  int legacy = 0;
};

// The entries of a portal, newest first (night-2 entries, dated 2025-06-0x,
// first). Every (agency, year) is distinct; some reports derive from 004 (GBK
// on a host that asks for it).
std::vector<BEntry> MakeEntries(const EntryPlan& plan);
// Splits the night-1 entries among groups by weight, interleaved (keeping
// order); night-2 entries keep their group.
void AssignGroups(std::vector<BEntry>* entries, const std::vector<std::string>& groups,
                  const std::vector<int>& weights);
// The entries of one group ("" = all) visible on night (1 or 2), in order.
std::vector<const BEntry*> Visible(const std::vector<BEntry>& entries, int night,
                                   const std::string& group = "*");
// Entries [page*per, (page+1)*per) of list.
std::vector<const BEntry*> Slice(const std::vector<const BEntry*>& list, int page, int per);
int Pages(size_t count, int per);

// The page served for an entry (UTF-8 unless it derives from 004 and gbk_004).
// Returns the body and sets *content_type.
bool EntryPage(const BEntry& e, std::string_view site_name, bool gbk_004, std::string* body,
               std::string* content_type, std::string* error);
// Stores every entry's page (and the PDF) at entry.path; a night-2 entry only on night 2.
bool PutEntries(BSite* site, const std::vector<BEntry>& entries, std::string_view site_name,
                bool gbk_004, std::string* error);
// Adds the entries to info's manifest (target = entry.path unless pdf_target says otherwise).
void AddManifestEntries(PortalInfo* info, const std::vector<BEntry>& entries);
// A listing page in the manifest.
void AddManifestListing(PortalInfo* info, std::string target, int night = 1,
                        std::string method = "GET", std::string body = "");

// A title cut to n characters (UTF-8 code points) followed by cut (e.g. "..." or "…");
// unchanged if it is not longer.
std::string CutTitle(std::string_view title, size_t n, std::string_view cut);
// "2025-02-14" -> "202502", "20250214", "2025", "2", "14" (no zero padding).
std::string Ym(const std::string& date);
std::string Ymd(const std::string& date);
// Replaces every occurrence of from in s.
void ReplaceAll(std::string* s, std::string_view from, std::string_view to);

// ---------------------------------------------------------- the portals

// Everything one family's builder adds: hosts and their manifests.
struct BBuild {
  std::vector<std::unique_ptr<Host>>* hosts;
  std::vector<PortalInfo>* portals;
  // A new host for a portal (info: name, family, variant, address, start);
  // appends info to *portals (its entries and listings are then filled in
  // through portals->back()) and returns the host's store (robots.txt allows all).
  std::shared_ptr<BSite> NewHost(PortalInfo info);
  PortalInfo& info() { return portals->back(); }
};

bool BuildTrsB(BBuild* b, std::string* error);
bool BuildHanwebB(BBuild* b, std::string* error);
bool BuildGkmlptB(BBuild* b, std::string* error);
bool BuildVsbB(BBuild* b, std::string* error);
bool BuildGenericB(BBuild* b, std::string* error);

// Builds every second-rendering host (127.0.0.7 up) into *hosts and their
// manifests into *portals. Returns an error message, or "".
std::string BuildRenderingB(std::vector<std::unique_ptr<Host>>* hosts,
                            std::vector<PortalInfo>* portals);

}  // namespace nianbao::sim::internal

#endif  // NIANBAO_SIM_RENDERING_B_H_
