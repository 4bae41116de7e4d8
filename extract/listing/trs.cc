// TRS WCM listings: index.<ext>, then further page files named by a pager
// script (listing-real.md, /work/notes on real signatures):
//   createPageHTML(N, cur, "index", "shtml"[, cls, records])   0-based: page k = index_{k-1}
//   pageControl(N, cur, "index", "shtml", …)                    the same, old Hubei
//   createPageHTML('page_div', N, cur, "list", "shtml", records) 1-based: page k = list_k
//   var countPage = N; var currentPage = M;                     the pager drawn by another script
#include <cctype>
#include <string>

#include "extract/listing/readers.h"
#include "extract/listing/script.h"

namespace nianbao::extract::listing {
namespace {

bool IsNumber(const std::string& s) { return ToCount(s).has_value(); }

// The extension of the page file ("shtml" for …/index_2.shtml), "" if none.
std::string ExtensionOf(const Url& url) {
  size_t slash = url.path.rfind('/');
  size_t dot = url.path.rfind('.');
  return dot != std::string::npos && dot > slash ? url.path.substr(dot + 1) : "";
}

// Page files prefix.ext, then prefix_{first} … prefix_{first + count - 2}.
// The first page is left out where this page is it under another name (the
// column's directory URL): a refresh takes the next request listed.
void AddPageFiles(ListingBuilder* b, const std::string& prefix, const std::string& ext, long count, long first) {
  const ListingPage& p = b->page();
  if (!p.url.path.ends_with("/")) b->AddMore(Resolve(p, prefix + "." + ext));
  for (long k = 0; k + 1 < count && k < 2000; ++k) b->AddMore(Resolve(p, prefix + "_" + std::to_string(first + k) + "." + ext));
}

// A createPageHTML / pageControl call: true if it named pages.
bool ReadPagerCall(ListingBuilder* b, const std::string& name, const std::vector<std::string>& a) {
  long count = 0, records = 0, first = 1;
  std::string prefix, ext;
  if (a.size() >= 4 && IsNumber(a[0]) && IsNumber(a[1])) {  // (N, cur, prefix, ext[, cls, records])
    count = *ToCount(a[0]);
    prefix = a[2];
    ext = a[3];
    if (a.size() >= 6 && IsNumber(a[5])) records = *ToCount(a[5]);
    first = 1;  // page 2 is prefix_1
  } else if (a.size() >= 5 && !IsNumber(a[0]) && IsNumber(a[1]) && IsNumber(a[2])) {  // ('div', N, cur, prefix, ext[, records])
    count = *ToCount(a[1]);
    prefix = a[3];
    ext = a[4];
    if (a.size() >= 6 && IsNumber(a[5])) records = *ToCount(a[5]);
    first = 2;  // page 2 is prefix_2
  } else {
    return false;
  }
  if (prefix.empty() || ext.empty() || prefix.find_first_of("\"'+ ") != std::string::npos) return false;
  std::string call = name + "(";
  for (size_t i = 0; i < a.size(); ++i) call += (i ? ", " : "") + a[i];
  call += ")";
  b->Family("trs", call);
  b->ClaimPages(count, call);
  if (records > 0) b->ClaimEntries(records, call);
  AddPageFiles(b, prefix, ext, count, first);
  b->Evidence("pages: " + prefix + "." + ext + ", " + prefix + "_" + std::to_string(first) + "." + ext + " … (" +
              (first == 1 ? "0-based" : "1-based") + ")");
  return true;
}

}  // namespace

void ReadTrs(ListingBuilder* b) {
  const ListingPage& p = b->page();
  if (p.kind != ListingPage::Kind::kHtml) return;
  for (const char* name : {"createPageHTML", "pageControl"}) {
    for (const auto& args : CallArgs(p.scripts, name)) {
      if (ReadPagerCall(b, name, args)) return;
    }
  }
  // Older templates: plain variables, the pager drawn by another script
  // (no links in the HTML). Trusted only on a page that lists items.
  auto count = NumberAfter(p.scripts, "countPage");
  if (!count || *count < 1 || b->listing().entries.empty()) return;
  const long current = NumberAfter(p.scripts, "currentPage").value_or(0);
  std::string file = p.url.path.substr(p.url.path.rfind('/') + 1);
  std::string stem = file.substr(0, file.find('.'));
  std::string ext = ExtensionOf(p.url);
  if (ext.empty()) {  // a directory URL: the script's own page-file template says the extension
    ext = p.scripts.find("shtml") != std::string::npos ? "shtml" : p.scripts.find("\"htm\"") != std::string::npos ? "htm" : "html";
  }
  const std::string why = "var countPage = " + std::to_string(*count) + ", currentPage = " + std::to_string(current);
  b->Family("trs", why);
  b->ClaimPages(*count, why);
  const size_t underscore = stem.rfind('_');
  const bool numbered = underscore != std::string::npos && ToCount(stem.substr(underscore + 1)).has_value();
  // Page files number from currentPage + 1 of the first page (index_1 … when
  // it is 0). A numbered page's currentPage is its own number, which does not
  // say where numbering starts: the first page named them all.
  if (!numbered) AddPageFiles(b, stem.empty() ? "index" : stem, ext, *count, current + 1);
}

}  // namespace nianbao::extract::listing
