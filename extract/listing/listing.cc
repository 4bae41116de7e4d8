#include "extract/listing/listing.h"

#include <algorithm>
#include <set>

#include "config/url.h"
#include "extract/listing/page.h"
#include "extract/listing/readers.h"
#include "extract/report_metadata.h"
#include "extract/text.h"

namespace nianbao::extract {

const char* EntryVerdictName(EntryVerdict v) {
  switch (v) {
    case EntryVerdict::kReport: return "report";
    case EntryVerdict::kMaybe: return "maybe";
    case EntryVerdict::kLookAlike: return "lookalike";
    case EntryVerdict::kOther: return "other";
  }
  return "?";
}

bool MentionsAnnualReport(std::string_view title) {
  std::string k = MatchKey(title);
  return ContainsAny(k, {"年度报告", "年报", "工作报告"}) && ContainsAny(k, {"公开"});
}

bool IsReportTitle(std::string_view title) {
  std::string k = AsciiDigits(MatchKey(title));
  if (!MentionsAnnualReport(k) || !YearInTitle(k)) return false;
  return !IsLookAlikeTitle(k);
}

EntryVerdict JudgeTitle(std::string_view title) {
  std::string k = AsciiDigits(MatchKey(title));
  if (IsReportTitle(k)) return EntryVerdict::kReport;
  if (MentionsAnnualReport(k)) return EntryVerdict::kLookAlike;  // a look-alike, or the column's own name
  if (IsLookAlikeTitle(k)) return EntryVerdict::kOther;
  const bool cut = k.ends_with("...") || k.ends_with("…") || k.ends_with("。。。") || k.ends_with("..");
  const bool year = YearInTitle(k).has_value();
  // A year and the words of a report without the whole phrase ("XX局2023年度报告"),
  // or a title cut before it says ("…2023年政府信息公…").
  if (year && ContainsAny(k, {"年度报告", "年报", "工作报告"})) return EntryVerdict::kMaybe;
  if (cut && (year || ContainsAny(k, {"政府信息", "信息公开", "政务公开"})) &&
      ContainsAny(k, {"政府信息", "信息公开", "政务公开", "年度", "年报"})) {
    return EntryVerdict::kMaybe;
  }
  return EntryVerdict::kOther;
}

namespace listing {

std::string ParamOf(std::string_view query, std::string_view name) {
  size_t i = 0;
  while (i <= query.size()) {
    size_t amp = query.find('&', i);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view pair = query.substr(i, amp - i);
    size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) return eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
    i = amp + 1;
  }
  return "";
}

std::string WithParam(const std::string& url, std::string_view name, const std::string& value) {
  auto u = ParseUrl(url);
  if (!u) return "";
  std::string query;
  bool set = false;
  size_t i = 0;
  while (u->has_query && i <= u->query.size()) {
    size_t amp = u->query.find('&', i);
    if (amp == std::string::npos) amp = u->query.size();
    std::string pair = u->query.substr(i, amp - i);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      if (pair.substr(0, eq) == name) {
        if (set) {
          i = amp + 1;
          continue;
        }
        pair = std::string(name) + "=" + value;
        set = true;
      }
      query += (query.empty() ? "" : "&") + pair;
    }
    i = amp + 1;
  }
  if (!set) query += (query.empty() ? "" : "&") + std::string(name) + "=" + value;
  u->query = query;
  u->has_query = true;
  return u->ToString();
}

std::string FormEncode(std::string_view value) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Resolve(const ListingPage& page, std::string_view ref) {
  auto u = ResolveUrl(page.base, ref);
  return u ? u->ToString() : "";
}

namespace {

// The request's identity for "not the page itself" and repeats.
std::string RequestKey(const std::string& url, const std::string& form) {
  auto u = ParseUrl(url);
  return (u ? CanonicalUrl(*u) : url) + "\n" + form;
}

}  // namespace

void ListingBuilder::AddEntry(const std::string& url, const std::string& text, const std::string& title) {
  auto u = ParseUrl(url);
  if (!u) return;
  u->fragment.clear();
  std::string absolute = u->ToString();
  for (const auto& e : listing_.entries) {
    if (e.url == absolute) return;
  }
  // The title attribute holds the full title where the text is cut (…) or
  // carries a date inside the link.
  std::string full = title.size() > text.size() || text.empty() ? title : text;
  if (full.empty()) full = text;
  listing_.entries.push_back({absolute, full, JudgeTitle(full)});
}

void ListingBuilder::AddEntries(const std::vector<PageLink>& links) {
  for (const auto& l : links) {
    if (!l.url.empty()) AddEntry(l.url, l.text, l.title);
  }
}

void ListingBuilder::AddMore(const std::string& url, const std::string& post_form) {
  if (url.empty()) return;
  auto u = ParseUrl(url);
  if (!u) return;
  const std::string key = RequestKey(url, post_form);
  if (key == RequestKey(page_.url.ToString(), page_.post_form)) return;
  for (const auto& m : listing_.more) {
    if (RequestKey(m.url, m.post_form) == key) return;
  }
  listing_.more.push_back({u->ToString(), post_form, ""});
}

void ListingBuilder::AddSubColumn(const std::string& url, const std::string& label) {
  auto u = ParseUrl(url);
  if (!u) return;
  u->fragment.clear();
  const std::string key = RequestKey(u->ToString(), "");
  if (key == RequestKey(page_.url.ToString(), page_.post_form)) return;
  for (const auto& m : listing_.sub_columns) {
    if (RequestKey(m.url, m.post_form) == key) return;
  }
  for (const auto& m : listing_.more) {
    if (RequestKey(m.url, m.post_form) == key) return;
  }
  listing_.sub_columns.push_back({u->ToString(), "", label});
}

void ListingBuilder::ClaimEntries(long n, const std::string& why) {
  if (n <= 0) return;
  if (!listing_.claimed_entries || n > *listing_.claimed_entries) listing_.claimed_entries = n;
  Evidence("claims " + std::to_string(n) + " entries: " + why);
}

void ListingBuilder::ClaimPages(long n, const std::string& why) {
  if (n <= 0) return;
  if (!listing_.claimed_pages || n > *listing_.claimed_pages) listing_.claimed_pages = n;
  Evidence("claims " + std::to_string(n) + " pages: " + why);
}

void ListingBuilder::Family(const std::string& family, const std::string& why) {
  if (listing_.family.empty()) listing_.family = family;
  Evidence(family + ": " + why);
}

}  // namespace listing

Listing ParseListing(const ListingInput& in) {
  auto url = ParseUrl(in.url);
  if (!url) return Listing{};
  if (url->fragment.empty()) url->fragment = in.fragment;
  listing::ListingPage page = listing::ReadListingPage(in, *url);
  if (page.page_kind != "normal") {
    Listing refused;
    refused.page_kind = page.page_kind;
    return refused;
  }
  listing::ListingBuilder b(page);
  // Items first (countPage is trusted only on a page that lists some), then
  // the families, then what any page may print: counts before pagers (a
  // pager pattern is extended to the page count), sub-columns last (they are
  // the links that are neither items nor pages).
  listing::ReadEntries(&b);
  listing::ReadHanweb(&b);
  listing::ReadGkmlpt(&b);
  listing::ReadJpaas(&b);
  listing::ReadTrs(&b);
  listing::ReadVsb(&b);
  listing::ReadCounts(&b);
  listing::ReadPager(&b);
  listing::ReadSubColumns(&b);
  Listing result = b.Take();
  if (!in.cms.empty() && in.cms != "auto" && (result.family.empty() || result.family == "generic")) {
    result.family = in.cms;
    result.evidence.push_back(in.cms + ": the portal's cms: hint (the page shows no family of its own)");
  }
  if (result.family.empty() && (!result.entries.empty() || !result.more.empty())) result.family = "generic";
  if (page.cut) {
    result.cut = true;
    result.evidence.push_back("markup cut before parsing (nested past 1,000 levels or over 100,000 elements): "
                              "entries after the cut are not read");
  }
  return result;
}

}  // namespace nianbao::extract
