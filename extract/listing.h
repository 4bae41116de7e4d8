// A 年报 column's listing page → report links and further listing pages
// (../shared/spec/listing.md). Pure function over the decoded page.
#ifndef NIANBAO_EXTRACT_LISTING_H_
#define NIANBAO_EXTRACT_LISTING_H_

#include <string>
#include <string_view>
#include <vector>

namespace nianbao::extract {

struct ListingEntry {
  std::string url;    // absolute, resolved against <base> or the page URL
  std::string title;  // the link's title attribute or text
  bool is_report;     // false: a look-alike (解读, 说明, 工作要点, …)
};

// A further listing request: a page, or a POST to a CMS data endpoint.
struct ListingRequest {
  std::string url;
  std::string post_form;  // "" = GET
};

struct Listing {
  std::vector<ListingEntry> entries;    // links whose title names a 年报 (reports and look-alikes)
  std::vector<std::string> more_pages;  // further listing pages of the same column
  std::vector<ListingRequest> data_requests;  // Hanweb dataproxy windows, gkmlpt API pages
  std::string page_kind = "normal";     // soft404 | challenge: nothing above is filled
};

// `bytes` is the raw page; `content_type` its header ("" if unknown);
// `page_url` the final URL it was fetched from; `post_form` the form it was
// requested with ("" for a GET). Understands, by what the page shows
// (listing.md): TRS (createPageHTML / countPage), Hanweb JCMS (a col page →
// POST dataproxy.jsp windows; their XML records, de-duplicated), gkmlpt
// (window._CONFIG → the JSON API; its articles and attachments), VSB and
// generic pagination (下页/下一页/末页/class Next, 共N页).
Listing ParseListing(std::string_view bytes, const std::string& content_type, const std::string& page_url,
                     const std::string& post_form = "");

// listing.md: "<agency> <year>年(度) 政府信息公开工作年度报告" and variants,
// excluding 解读/说明/更正/工作要点/工作总结 look-alikes.
bool IsReportTitle(std::string_view title);

// Mentions an annual report at all (a report or a look-alike of one).
bool MentionsAnnualReport(std::string_view title);

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_LISTING_H_
