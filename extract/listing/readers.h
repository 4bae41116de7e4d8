// The readers of a listing (internal to extract/listing/). Each looks at the
// one parsed page and adds to the Listing what it recognises; none returns
// early for the others: every reader runs on every page (listing.cc).
#ifndef NIANBAO_EXTRACT_LISTING_READERS_H_
#define NIANBAO_EXTRACT_LISTING_READERS_H_

#include <string>
#include <string_view>
#include <vector>

#include "extract/listing/listing.h"
#include "extract/listing/page.h"

namespace nianbao::extract::listing {

// What the readers build together. `Add*` keep each list free of repeats.
class ListingBuilder {
 public:
  explicit ListingBuilder(const ListingPage& page) : page_(page) {}

  // An item of the listing (absolute URL; fragment dropped).
  void AddEntry(const std::string& url, const std::string& text, const std::string& title);
  void AddEntries(const std::vector<PageLink>& links);  // every link of a list fragment
  // More of this listing; not the page itself.
  void AddMore(const std::string& url, const std::string& post_form = "");
  void AddSubColumn(const std::string& url, const std::string& label = "");
  // A count the page prints about the whole listing: the largest stands
  // (a page may print the count of a sidebar too, never more than the list).
  void ClaimEntries(long n, const std::string& why);
  void ClaimPages(long n, const std::string& why);
  // The family this page looks like, with the reason; the first stands.
  void Family(const std::string& family, const std::string& why);
  void Evidence(const std::string& why) { listing_.evidence.push_back(why); }

  const ListingPage& page() const { return page_; }
  const Listing& listing() const { return listing_; }
  Listing Take() { return std::move(listing_); }

 private:
  const ListingPage& page_;
  Listing listing_;
};

// The families (trs.cc, hanweb.cc, gkmlpt.cc, vsb.cc, jpaas.cc).
void ReadTrs(ListingBuilder* b);
void ReadHanweb(ListingBuilder* b);
void ReadGkmlpt(ListingBuilder* b);
void ReadVsb(ListingBuilder* b);
void ReadJpaas(ListingBuilder* b);
// Generic readers: list items (entries.cc), pagers and script pager
// templates (pager.cc), printed counts (counts.cc), sub-columns
// (subcolumns.cc).
void ReadEntries(ListingBuilder* b);
void ReadPager(ListingBuilder* b);
void ReadCounts(ListingBuilder* b);
void ReadSubColumns(ListingBuilder* b);

// Helpers shared by readers.
// `url` with the query parameter `name` set to `value` (added if absent).
std::string WithParam(const std::string& url, std::string_view name, const std::string& value);
// The value of query/form parameter `name` in "a=1&b=2", "" if absent.
std::string ParamOf(std::string_view query, std::string_view name);
// `value` percent-encoded for a form body or a query (RFC 3986 unreserved kept).
std::string FormEncode(std::string_view value);
// page.base resolved with `ref`, "" if not http(s).
std::string Resolve(const ListingPage& page, std::string_view ref);

}  // namespace nianbao::extract::listing

#endif  // NIANBAO_EXTRACT_LISTING_READERS_H_
