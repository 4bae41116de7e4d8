// Generic pagers: the page links a listing shows (下一页 / 下页 / > / 末页 /
// 尾页, class "Next", numbered links), extended to every page the listing
// claims (共N页, 1/M, pageCount …) by the number that changes between this
// page's URL and the next one's: a query parameter (?page=2, pageIndex=2,
// currpage=2, PAGENUM=2, a1154p=2) or a number in the path (list_2.html,
// index_1.shtml, VSB's col/4.htm counting down). Where a pager is drawn by
// script, the page-URL template in the script ('…?pageIndex=' + n,
// "index_" + n + ".html") is extended the same way.
#include <algorithm>
#include <regex>
#include <set>
#include <string>

#include "extract/listing/readers.h"
#include "extract/listing/script.h"
#include "extract/text.h"

namespace nianbao::extract::listing {

bool IsPagerLink(const PageLink& l);  // entries.cc

namespace {

constexpr long kMaxPages = 2000;

enum class Role { kNone, kNext, kLast, kNumber };

Role RoleOf(const PageLink& l) {
  if (l.url.empty()) return Role::kNone;
  std::string cls = l.cls;
  for (char& c : cls) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (cls.find("disabled") != std::string::npos) return Role::kNone;
  const std::string k = AsciiDigits(MatchKey(l.text));
  for (const char* w : {"下一页", "下页", "后页", ">", ">>", "›", "»", "下一页>>", "下一页>", "next"}) {
    if (k == w) return Role::kNext;
  }
  for (const char* w : {"末页", "尾页", "最后一页", "最末页", ">|", "last"}) {
    if (k == w) return Role::kLast;
  }
  if (!k.empty() && k.size() <= 4 && k.find_first_not_of("0123456789") == std::string::npos) return Role::kNumber;
  if (cls == "next" || cls.find("p_next") != std::string::npos || cls.find("next") == 0) return Role::kNext;
  if (cls.find("last") != std::string::npos) return Role::kLast;
  return Role::kNone;
}

// A URL split around one number: prefix + n + suffix.
struct Pattern {
  std::string prefix, suffix;
  std::string param;  // the query parameter holding n ("" = a number in the path)
};

// The number of `url` in `pattern`, or -1 if url is not of it; -2 for the
// pattern's unnumbered form (index.shtml for index_{n}.shtml, col.htm for
// col/{n}.htm, the URL without the parameter).
long NumberIn(const Pattern& pat, const Url& page, const std::string& url) {
  auto u = ParseUrl(url);
  if (!u) return -1;
  if (!pat.param.empty()) {
    if (u->path != page.path || u->host != page.host) return -1;
    std::string v = ParamOf(u->query, pat.param);
    if (v.empty()) return -2;
    auto n = ToCount(v);
    return n ? *n : -1;
  }
  std::string s = u->ToString();
  if (s.size() > pat.prefix.size() + pat.suffix.size() && s.compare(0, pat.prefix.size(), pat.prefix) == 0 &&
      s.compare(s.size() - pat.suffix.size(), pat.suffix.size(), pat.suffix) == 0) {
    auto n = ToCount(s.substr(pat.prefix.size(), s.size() - pat.prefix.size() - pat.suffix.size()));
    return n ? *n : -1;
  }
  // Unnumbered forms: prefix without its separator + suffix (index_ → index.shtml),
  // the directory itself (…/index_ → …/), or VSB's col.htm for col/{n}.htm.
  std::string bare = pat.prefix;
  while (!bare.empty() && (bare.back() == '_' || bare.back() == '-')) bare.pop_back();
  if (s == bare + pat.suffix) return -2;
  if (pat.prefix.ends_with("/index_") && s == pat.prefix.substr(0, pat.prefix.size() - 6)) return -2;
  if (pat.prefix.ends_with("/")) {
    std::string stem = pat.prefix.substr(0, pat.prefix.size() - 1);
    size_t dot = s.rfind('.');
    if (dot != std::string::npos && s.substr(0, dot) == stem) return -2;
  }
  return -1;
}

// The pattern that tells `page` and `sibling` apart, if one number does.
std::optional<Pattern> PatternOf(const Url& page, const std::string& sibling) {
  auto u = ParseUrl(sibling);
  if (!u || u->host != page.host || u->EffectivePort() != page.EffectivePort()) return std::nullopt;
  if (u->path == page.path) {
    // A query parameter: the one whose value differs and is a number, a
    // page-like name first (PAGENUM beside totalpage).
    std::optional<Pattern> any, paged;
    size_t i = 0;
    while (i <= u->query.size()) {
      size_t amp = u->query.find('&', i);
      if (amp == std::string::npos) amp = u->query.size();
      std::string pair = u->query.substr(i, amp - i);
      i = amp + 1;
      size_t eq = pair.find('=');
      if (eq == std::string::npos) continue;
      std::string name = pair.substr(0, eq);
      if (!ToCount(pair.substr(eq + 1)) || ParamOf(page.query, name) == pair.substr(eq + 1)) continue;
      Pattern p;
      p.param = name;
      Url base = *u;
      base.fragment.clear();
      p.prefix = base.ToString();  // the sibling: built pages keep its other parameters
      std::string lower = name;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const bool pagey = lower.find("page") != std::string::npos || lower == "p" || lower == "pn" || lower == "pi" ||
                         lower == "start" || lower == "cpage" || (lower.size() > 2 && lower[0] == 'a' && lower.back() == 'p');
      if (pagey && lower != "totalpage" && lower != "pagesize" && lower != "pagecount" && !paged) paged = p;
      if (!any) any = p;
    }
    return paged ? paged : any;
  }
  // A number in the path: the last run of digits of the sibling's path.
  std::string s = u->ToString();
  const size_t path_at = s.find(u->path);
  size_t end = s.find_last_of("0123456789");
  if (end == std::string::npos || end < path_at || (u->has_query && end > s.find('?'))) return std::nullopt;
  size_t begin = s.find_last_not_of("0123456789", end) + 1;
  Pattern p;
  p.prefix = s.substr(0, begin);
  p.suffix = s.substr(end + 1);
  if (p.prefix.size() <= path_at) return std::nullopt;
  return p;
}

std::string Build(const Pattern& pat, const Url& page, long n) {
  if (!pat.param.empty()) {
    Url base = page;
    base.fragment.clear();
    return WithParam(pat.prefix.empty() ? base.ToString() : pat.prefix, pat.param, std::to_string(n));
  }
  return pat.prefix + std::to_string(n) + pat.suffix;
}

// Extends the pattern to every page: between the next (or a numbered) page
// and the last page's link when there is one, either way; else, on the
// listing's first page only, to the page count the listing claims (a later
// page's neighbours do not say which way its pages count).
void Extend(ListingBuilder* b, const Pattern& pat, long self, long sibling, long last, bool first_page) {
  const ListingPage& p = b->page();
  const long claimed = b->listing().claimed_pages.value_or(0);
  long from = sibling, to = sibling;
  bool down = false;
  if (last >= 0) {
    to = last;
    down = last < sibling;
  } else if (claimed > 1 && first_page) {
    // VSB's col.htm → col/{n}.htm: the next page is the highest number.
    auto u = ParseUrl(pat.prefix);
    const size_t dot = p.url.path.rfind('.');
    down = self == -2 && pat.param.empty() && u && dot != std::string::npos && u->path == p.url.path.substr(0, dot) + "/";
    if (down) {
      to = 1;
    } else if (self < 0) {
      to = sibling + claimed - 2;  // the first page is unnumbered: the sibling is page 2
    } else {
      from = self;
      to = self + claimed - 1;     // numbered from this page, the first
    }
  }
  if (down) std::swap(from, to);
  if (to - from > kMaxPages) to = from + kMaxPages;
  for (long n = from; n <= to; ++n) {
    const long k = down ? to - (n - from) : n;
    if (k == self || k < 0) continue;
    b->AddMore(Build(pat, p.url, k));
  }
}

// List endpoints named in scripts ("/site/label/8888?…&pageIndex=1&…"): the
// list is loaded from there, page by page up to the claimed count. Read
// literal by literal (a hostile script cannot make this quadratic).
void ReadScriptEndpoints(ListingBuilder* b) {
  const ListingPage& p = b->page();
  int found = 0;
  for (const auto& literal : StringLiterals(p.scripts, 2000)) {
    const std::string& t = literal.text;
    if (found >= 4) break;
    const bool urlish = t.rfind("http://", 0) == 0 || t.rfind("https://", 0) == 0 || t.rfind("/", 0) == 0 ||
                        t.rfind("./", 0) == 0 || t.rfind("?", 0) == 0;
    const size_t q = t.find('?');
    if (!urlish || q == std::string::npos || t.find_first_of(" \t\n<>\"'") != std::string::npos) continue;
    const std::string_view query = std::string_view(t).substr(q + 1);
    for (const char* name : {"pageIndex", "pageNo", "pageNum", "page", "currpage", "curpage", "PAGENUM", "cpage", "pn"}) {
      const auto value = ToCount(ParamOf(query, name));
      if (!value) continue;
      const std::string url = Resolve(p, t);
      if (url.empty()) break;
      ++found;
      b->Evidence("list endpoint in a script: " + url);
      b->AddMore(url);
      const long claimed = b->listing().claimed_pages.value_or(0);
      const long first = *value == 0 ? 0 : 1;
      for (long n = first; n < first + claimed && n - first < kMaxPages; ++n) b->AddMore(WithParam(url, name, std::to_string(n)));
      break;
    }
  }
}

// Page-URL templates drawn by script: 'literal' + variable [+ 'literal'].
void ReadScriptTemplates(ListingBuilder* b) {
  const ListingPage& p = b->page();
  const long claimed = b->listing().claimed_pages.value_or(0);
  if (claimed < 2) return;
  // What follows a literal: + variable [+ 'suffix'] (a short window, matched whole).
  static const std::regex kRest("^\\s*\\+\\s*\\(?\\s*[A-Za-z_$][\\w$.]{0,40}\\s*\\)?\\s*(?:\\+\\s*[\"']([^\"'\\s<>]{0,40})[\"'])?");
  const std::string& js = p.scripts;
  long current = 1;
  for (const char* key : {"currPage", "currentPage", "curPage", "pageIndex", "pageNo", "curPageNo", "current"}) {
    if (auto n = NumberAfter(js, key)) {
      current = *n;
      break;
    }
  }
  std::set<std::string> seen;
  for (const auto& literal : StringLiterals(js, 300)) {
    if (seen.size() >= 4) break;
    const std::string& prefix = literal.text;
    if (prefix.size() < 2 || prefix.find_first_of(" \t\n<>\"'") != std::string::npos) continue;
    const std::string window = js.substr(literal.end, 120);
    std::smatch m;
    if (!std::regex_search(window, m, kRest)) continue;
    const std::string suffix = m[1].str();
    if (!seen.insert(prefix + "|" + suffix).second) continue;
    // A query template must carry its own path or query ('…?pageIndex=' +
    // n), not be a piece of a replace expression ("pageIndex=" + n).
    const bool param = prefix.back() == '=' && prefix.find_first_of("?/") != std::string::npos;
    const bool file = prefix.back() == '_' && (suffix.empty() || suffix.front() == '.');
    if (!param && !file) continue;
    if (!suffix.empty() && suffix.front() != '.' && suffix.front() != '&') continue;
    std::string lower = prefix;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (param && !ContainsAny(lower, {"page", "pn=", "p=", "cpage", "curpage", "currpage", "pagenum"})) continue;
    // Query templates number pages first … first + claimed - 1 (first = 0 when
    // the page says it is page 0); file templates name the numbered pages:
    // 1 … claimed - 1 where the first page is page 0 (TRS), else 2 … claimed.
    const long first = param ? (current == 0 ? 0 : 1) : (current == 0 ? 1 : 2);
    const long last = param ? first + claimed - 1 : (current == 0 ? claimed - 1 : claimed);
    b->Evidence("script page template " + prefix + "{n}" + suffix + ", pages " + std::to_string(first) + "…" + std::to_string(last));
    for (long n = first; n <= last && n - first < kMaxPages; ++n) {
      if (param && n == current) continue;
      const std::string url = Resolve(p, prefix + std::to_string(n) + suffix);
      if (!url.empty()) b->AddMore(url);
    }
  }
}

}  // namespace

void ReadPager(ListingBuilder* b) {
  const ListingPage& p = b->page();
  if (p.kind != ListingPage::Kind::kHtml) return;
  std::optional<std::string> next, last;
  std::vector<std::string> numbers;
  for (const auto& l : p.links) {
    switch (RoleOf(l)) {
      case Role::kNext:
        if (!next) next = l.url;
        break;
      case Role::kLast:
        if (!last) last = l.url;
        break;
      case Role::kNumber:
        numbers.push_back(l.url);
        break;
      case Role::kNone:
        break;
    }
  }
  const std::string self_url = [&] {
    Url u = p.url;
    u.fragment.clear();
    return u.ToString();
  }();
  // The pager's own links: the next page first.
  if (next && *next != self_url) b->AddMore(*next);
  std::optional<std::string> sibling = next && *next != self_url ? next : std::nullopt;
  for (const auto& n : numbers) {
    auto pat = PatternOf(p.url, n);
    if (!pat || NumberIn(*pat, p.url, self_url) == -1) continue;  // a number that is not a page of this listing
    b->AddMore(n);
    if (!sibling) sibling = n;
  }
  if (last && *last != self_url) b->AddMore(*last);
  if (!sibling && last && *last != self_url) sibling = last;
  if (sibling) {
    if (auto pat = PatternOf(p.url, *sibling)) {
      const long self = NumberIn(*pat, p.url, self_url);
      const long sib = NumberIn(*pat, p.url, *sibling);
      const long lastn = last ? NumberIn(*pat, p.url, *last) : -1;
      // This is the listing's first page if it is the unnumbered one, or
      // numbered 0 or 1 with the next numbered one more and no link to an
      // unnumbered page (TRS's index_1 is the second page after index).
      bool unnumbered_linked = false;
      for (const auto& l : p.links) unnumbered_linked = unnumbered_linked || (!l.url.empty() && NumberIn(*pat, p.url, l.url) == -2);
      const bool first_page = self == -2 || ((self == 0 || self == 1) && sib == self + 1 && !unnumbered_linked);
      if (sib >= 0 && self != -1) {
        b->Evidence("pager: " + (pat->param.empty() ? pat->prefix + "{n}" + pat->suffix : "?" + pat->param + "={n}") +
                    (lastn >= 0 ? ", last page " + std::to_string(lastn) : ""));
        Extend(b, *pat, self, sib, lastn, first_page);
      }
    }
  } else if (b->listing().more.empty()) {
    // No page link at all: a page parameter in this page's own URL
    // (/site/label/8888?…&pageIndex=1), a list endpoint or a page-URL
    // template in the pager script.
    const long claimed = b->listing().claimed_pages.value_or(0);
    for (const char* name : {"pageIndex", "page", "pageNo", "pageNum", "currpage", "curpage", "PAGENUM", "cpage", "pn", "p"}) {
      const std::string v = ParamOf(p.url.query, name);
      if (claimed < 2 || v.empty() || !ToCount(v)) continue;
      Pattern pat;
      pat.param = name;
      const long self = *ToCount(v);
      b->Evidence(std::string("pager: this page's ?") + name + "={n}");
      const long first = self == 0 ? 0 : 1;
      for (long n = first; n < first + claimed && n - first < kMaxPages; ++n) {
        if (n != self) b->AddMore(Build(pat, p.url, n));
      }
      return;
    }
    ReadScriptEndpoints(b);
    if (b->listing().more.empty()) ReadScriptTemplates(b);
  }
}

}  // namespace nianbao::extract::listing
