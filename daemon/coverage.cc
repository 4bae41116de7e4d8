#include "daemon/coverage.h"

#include <algorithm>

namespace nianbao {

nlohmann::ordered_json PortalCoverage::ToJson() const {
  nlohmann::ordered_json j;
  j["portal"] = portal;
  j["family"] = nlohmann::ordered_json::array();
  for (const auto& f : families) j["family"].push_back(f);
  j["listing_pages"] = listing_pages;
  j["failed_listing_pages"] = failed_pages;
  j["claimed"] = claimed >= 0 ? nlohmann::ordered_json(claimed) : nlohmann::ordered_json();
  j["found"] = found;
  j["report_links"] = report_links;
  j["reports_stored"] = reports_stored;
  j["errors"] = errors;
  j["failed"] = failed();
  j["shortfalls"] = nlohmann::ordered_json::array();
  for (const auto& s : shortfalls) {
    j["shortfalls"].push_back({{"column", s.column}, {"page", s.page}, {"reason", s.reason}, {"claimed", s.claimed}, {"found", s.found}});
  }
  return j;
}

void CoverageAudit::Listed(const std::string& portal, const std::string& column, const std::string& url,
                           const extract::Listing& listing) {
  std::lock_guard<std::mutex> lock(mu_);
  Column& c = portals_[portal].columns[column];
  ++c.pages;
  if (c.family.empty()) c.family = listing.family;
  c.tree = c.tree || !listing.sub_columns.empty();
  if (listing.claimed_entries) c.claimed_entries = std::max(c.claimed_entries, *listing.claimed_entries);
  if (listing.claimed_pages) c.claimed_pages = std::max(c.claimed_pages, *listing.claimed_pages);
  if (listing.cut && c.cut_markup_url.empty()) c.cut_markup_url = url;
  for (const auto& e : listing.entries) {
    c.items.insert(e.url);
    if (e.verdict == extract::EntryVerdict::kReport || e.verdict == extract::EntryVerdict::kMaybe) c.report_links.insert(e.url);
  }
}

void CoverageAudit::Failed(const std::string& portal, const std::string& column, const std::string& url,
                           const std::string& outcome) {
  std::lock_guard<std::mutex> lock(mu_);
  Column& c = portals_[portal].columns[column];
  c.failed.push_back(url + " (" + outcome + ")");
  if (c.first_failed_url.empty()) c.first_failed_url = url;
}

void CoverageAudit::Cut(const std::string& portal, const std::string& column, const std::string& url) {
  std::lock_guard<std::mutex> lock(mu_);
  Column& c = portals_[portal].columns[column];
  if (c.cut_url.empty()) c.cut_url = url;
}

void CoverageAudit::Stored(const std::string& portal) {
  std::lock_guard<std::mutex> lock(mu_);
  ++portals_[portal].reports_stored;
}

void CoverageAudit::Error(const std::string& portal) {
  std::lock_guard<std::mutex> lock(mu_);
  ++portals_[portal].errors;
}

std::vector<PortalCoverage> CoverageAudit::Summary() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<PortalCoverage> out;
  for (const auto& [name, portal] : portals_) {
    PortalCoverage pc;
    pc.portal = name;
    pc.reports_stored = portal.reports_stored;
    pc.errors = portal.errors;
    for (const auto& [column, c] : portal.columns) {
      if (!c.family.empty()) pc.families.insert(c.family);
      pc.listing_pages += c.pages;
      pc.failed_pages += static_cast<long>(c.failed.size());
      const long found = static_cast<long>(c.items.size());
      pc.found += found;
      pc.report_links += static_cast<long>(c.report_links.size());
      if (c.claimed_entries >= 0) pc.claimed = std::max(pc.claimed, 0L) + c.claimed_entries;
      auto add = [&](std::string page, std::string reason, bool by_count = false) {
        pc.shortfalls.push_back({name, column, std::move(page), std::move(reason), c.claimed_entries, found, by_count});
      };
      for (const auto& f : c.failed) add(c.first_failed_url, "listing page failed: " + f);
      if (!c.cut_url.empty()) add(c.cut_url, "max_pages reached before this listing page");
      if (!c.cut_markup_url.empty()) {
        add(c.cut_markup_url, "listing page cut before parsing (nested past 1,000 levels or over 100,000 elements): "
                              "entries after the cut not read");
      }
      if (c.claimed_entries > found) {
        add(column, "found " + std::to_string(found) + " of " + std::to_string(c.claimed_entries) + " entries the listing claims", true);
      } else if (c.claimed_entries < 0 && c.claimed_pages > c.pages) {
        add(column, "read " + std::to_string(c.pages) + " of " + std::to_string(c.claimed_pages) + " pages the listing claims", true);
      }
      if (!c.family.empty() && found == 0 && !c.tree && c.failed.empty() && c.pages > 0) {
        add(column, "a " + c.family + " listing with no entry found", true);
      }
    }
    out.push_back(std::move(pc));
  }
  return out;
}

}  // namespace nianbao
