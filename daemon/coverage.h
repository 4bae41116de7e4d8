// The coverage self-audit of one pass: for each portal and each column it
// walked, what the listing says about itself (the entries and pages it
// claims: 共N条, totalRecord, "total", 共N页, createPageHTML(N…)) against what
// the pass found (distinct entries listed, listing pages read). A shortfall
// — fewer entries than claimed, fewer pages than claimed, a listing page
// that failed, a family recognised with no entry, max_pages reached — is a
// bug report from the field: the crawler logs it as listing_shortfall, the
// run summary prints it, /metrics and /status show the per-portal figures,
// and `nianbao portals` shows the last run's.
//
// Thread safety: every method may be called from any thread.
#ifndef NIANBAO_DAEMON_COVERAGE_H_
#define NIANBAO_DAEMON_COVERAGE_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "extract/listing/listing.h"

namespace nianbao {

struct Shortfall {
  std::string portal, column;
  std::string page;    // the listing page it names (the failed one, or the column's first)
  std::string reason;  // "found 30 of 45 entries the listing claims", "listing page failed: 404", …
  long claimed = -1, found = 0;
  // Judged by counts (found < claimed, pages read < claimed, no entry): it
  // holds only for a pass that read the whole listing. A failed listing page
  // or max_pages is a shortfall of any pass.
  bool by_count = false;
};

// One portal's figures for one pass.
struct PortalCoverage {
  std::string portal;
  std::set<std::string> families;
  long listing_pages = 0;    // listing requests answered (200, or 304 read from the kept answer)
  long failed_pages = 0;     // listing requests that failed
  long claimed = -1;         // entries claimed, summed over the columns that print a count (-1: none does)
  long found = 0;            // entries found, summed over every column
  long report_links = 0;     // entries whose title says report (or maybe)
  long reports_stored = 0;   // report pages stored in this pass (new version or not)
  long errors = 0;
  std::vector<Shortfall> shortfalls;
  int64_t last_success = 0;  // unix seconds of the portal's last pass with no error and no shortfall (0 = never)
  // Nothing of its listings could be read (unreachable, refused, every listing page failed).
  // A resumed pass whose listing pages were all read before the interruption
  // asks for none, and has not failed.
  bool failed() const { return listing_pages == 0 && failed_pages > 0; }
  nlohmann::ordered_json ToJson() const;
};

class CoverageAudit {
 public:
  // A listing page of `column` was read (`listing` is what it says).
  void Listed(const std::string& portal, const std::string& column, const std::string& url, const extract::Listing& listing);
  // A listing page of `column` failed (`outcome`: "404", "error: timeout", "soft404", …).
  void Failed(const std::string& portal, const std::string& column, const std::string& url, const std::string& outcome);
  // max_pages kept a listing page of `column` from being fetched.
  void Cut(const std::string& portal, const std::string& column, const std::string& url);
  void Stored(const std::string& portal);
  void Error(const std::string& portal);

  // Every portal seen, with its shortfalls, in portal order.
  std::vector<PortalCoverage> Summary() const;

 private:
  struct Column {
    std::string family;
    long claimed_entries = -1, claimed_pages = -1;
    std::set<std::string> items, report_links;
    long pages = 0;
    bool tree = false;  // it links sub-columns (a column page may list nothing itself)
    std::vector<std::string> failed;  // "url (outcome)"
    std::string first_failed_url;
    std::string cut_url;
    std::string cut_markup_url;  // a listing page whose markup was cut (hostile size or nesting)
  };
  struct Portal {
    std::map<std::string, Column> columns;
    long reports_stored = 0, errors = 0;
  };
  mutable std::mutex mu_;
  std::map<std::string, Portal> portals_;
};

}  // namespace nianbao

#endif  // NIANBAO_DAEMON_COVERAGE_H_
