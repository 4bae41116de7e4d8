// A 年报 column's listing response → what it says about itself: its entries,
// the further requests of the same listing, its sub-columns, and the counts
// it prints about itself (docs/spec/listing.md, listing-real.md).
//
// The response is parsed once (listing/page.h); then every reader runs on it
// and adds what it recognises to one Listing: the family readers (TRS, Hanweb,
// gkmlpt, VSB) and the generic ones (list items, pagers, script pager
// templates, counts, sub-columns). A fingerprint only labels the result
// (family) and orders nothing: where a family reader finds nothing, the
// generic reading of the same page still stands. Pure function, no I/O.
#ifndef NIANBAO_EXTRACT_LISTING_LISTING_H_
#define NIANBAO_EXTRACT_LISTING_LISTING_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nianbao::extract {

// What a listing title says its entry is.
enum class EntryVerdict {
  kReport,     // a 年度报告 title with a year (IsReportTitle)
  kMaybe,      // a cut or shortened title that may be one: fetched, kept only
               // if the page itself is a report (format gov2021/gov2019 or a
               // report title)
  kLookAlike,  // names an annual report but is not one (解读, 说明, 工作要点, …)
  kOther,      // anything else listed in the column
};
const char* EntryVerdictName(EntryVerdict v);  // "report" | "maybe" | "lookalike" | "other"

struct ListingEntry {
  std::string url;    // absolute; for an article that is only its attachment, the attachment
  std::string title;  // the full title: the title attribute when the text is cut
  EntryVerdict verdict = EntryVerdict::kOther;
};

// A request for more of a listing: a page (GET) or a data endpoint (a GET,
// or a POST with a form body).
struct ListingRequest {
  std::string url;        // absolute, may carry a fragment (never sent)
  std::string post_form;  // "" = GET
  std::string label;      // a sub-column's link text ("" otherwise)
  bool operator==(const ListingRequest&) const = default;
};

struct Listing {
  std::string page_kind = "normal";  // soft404 | challenge: nothing below is filled
  // The family the page looks like ("trs", "hanweb", "gkmlpt", "vsb",
  // "jpaas", "generic") or "" when it shows no listing at all; and why,
  // one line per thing read ("createPageHTML(5, 0, index, shtml): 5 pages").
  std::string family;
  std::vector<std::string> evidence;
  // Every item the listing shows (reports, look-alikes and the rest), once
  // each, in page order.
  std::vector<ListingEntry> entries;
  // The rest of this listing, the next request first: further pages and
  // data requests (Hanweb windows, gkmlpt API pages). Never the page itself.
  std::vector<ListingRequest> more;
  // Listings under this one (a column tree's sub-columns: 区政府 / 部门 /
  // 乡镇街道, per-unit or per-year columns), each to be read in full.
  std::vector<ListingRequest> sub_columns;
  // What the listing prints about its size (the whole listing, not this page).
  std::optional<long> claimed_entries, claimed_pages;
  // The page's markup was cut before parsing (nested past 1,000 levels or
  // over 100,000 elements): entries after the cut were not read.
  bool cut = false;
};

struct ListingInput {
  std::string_view bytes;        // the raw body
  std::string content_type;      // its Content-Type header, "" if unknown
  std::string url;               // the final URL it was fetched from
  std::string post_form;         // the form it was POSTed with, "" for a GET
  std::string fragment;          // the configured URL's fragment (a gkmlpt category), "" if none
  std::string cms;               // the portal's cms: hint ("auto", "trs", …): a label only, when the
                                 // page itself shows no family; every reader runs whatever it says
};

Listing ParseListing(const ListingInput& in);

// listing.md: "<agency> <year>年(度) 政府信息公开工作年度报告" and variants,
// excluding 解读/说明/更正/工作要点/工作总结 look-alikes.
bool IsReportTitle(std::string_view title);
// Mentions an annual report at all (a report or a look-alike of one).
bool MentionsAnnualReport(std::string_view title);
// The verdict for a listing title (see EntryVerdict).
EntryVerdict JudgeTitle(std::string_view title);

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_LISTING_LISTING_H_
