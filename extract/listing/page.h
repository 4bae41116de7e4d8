// A listing response parsed once, for every reader (listing/readers.h):
// decoded to UTF-8, and for HTML its links with the list container each sits
// in, its script text with comments removed, its visible text, and the
// attributes pagers carry their counts in.
#ifndef NIANBAO_EXTRACT_LISTING_PAGE_H_
#define NIANBAO_EXTRACT_LISTING_PAGE_H_

#include <map>
#include <string>
#include <vector>

#include "config/url.h"
#include "extract/listing/listing.h"

namespace nianbao::extract::listing {

struct PageLink {
  std::string href;   // as written (entities decoded)
  std::string url;    // resolved against the page's base; "" if not http(s)
  std::string text;   // whitespace-normalized anchor text
  std::string title;  // title attribute
  std::string cls;    // class attribute
  int group = -1;     // the list container it sits in (links of one list share it)
  bool dated = false; // the item it sits in (li, tr, dd, …) shows a date
  bool chrome = false;  // inside nav/header/footer/breadcrumb-like containers
};

struct ListingPage {
  enum class Kind { kHtml, kXml, kJson };
  Kind kind = Kind::kHtml;
  Url url;                 // the final URL, with the configured fragment
  Url base;                // <base href> resolved, else url
  std::string post_form;   // the request's form ("" for a GET)
  std::string text;        // the whole body, UTF-8
  std::string scripts;     // inline script text, JS and HTML comments removed
  std::string visible;     // visible text: inline runs joined, blocks on lines
  std::vector<PageLink> links;
  // Attributes of elements that carry pager counts (count/rows/pagecount/
  // pagesize/querydata…), one map per element.
  std::vector<std::map<std::string, std::string>> pager_attrs;
  std::string page_kind = "normal";  // soft404 | challenge
  bool cut = false;  // markup cut before parsing (too deep, too many elements): nothing after it was read
};

// Never fails: malformed markup yields what Gumbo recovers. `url` must be
// absolute http(s) (ParseListing checks).
ListingPage ReadListingPage(const ListingInput& in, const Url& url);

// The links of an HTML fragment (a Hanweb record, an Anhui fragment) in
// page order, resolved against `base`, each fragment its own group.
std::vector<PageLink> FragmentLinks(std::string_view html, const Url& base);

}  // namespace nianbao::extract::listing

#endif  // NIANBAO_EXTRACT_LISTING_PAGE_H_
