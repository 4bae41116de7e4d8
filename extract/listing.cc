#include "extract/listing.h"

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>

#include "config/url.h"
#include "extract/charset.h"
#include "extract/html_page.h"
#include "extract/page_kind.h"
#include "extract/report_metadata.h"
#include "extract/text.h"

namespace nianbao::extract {
namespace {

// Integer arguments of the first call `name(` in `scripts`.
std::vector<std::string> CallArgs(const std::string& scripts, const std::string& name) {
  size_t at = scripts.find(name + "(");
  if (at == std::string::npos) return {};
  size_t end = scripts.find(')', at);
  if (end == std::string::npos) return {};
  std::string inside = scripts.substr(at + name.size() + 1, end - at - name.size() - 1);
  std::vector<std::string> args;
  size_t start = 0;
  while (start <= inside.size()) {
    size_t comma = inside.find(',', start);
    if (comma == std::string::npos) comma = inside.size();
    std::string a = inside.substr(start, comma - start);
    a.erase(std::remove_if(a.begin(), a.end(), [](char c) { return c == ' ' || c == '"' || c == '\''; }), a.end());
    args.push_back(a);
    start = comma + 1;
  }
  return args;
}

int ToInt(const std::string& s) {
  if (s.empty() || s.size() > 6 || !std::all_of(s.begin(), s.end(), ::isdigit)) return -1;
  return std::stoi(s);
}

// TRS: createPageHTML(N, cur, "index", "shtml") or `var countPage = N`.
void TrsPages(const std::string& scripts, const Url& base, std::vector<std::string>* out) {
  int count = -1;
  std::string name = "index", ext;
  auto args = CallArgs(scripts, "createPageHTML");
  if (args.size() >= 4) {
    count = ToInt(args[0]);
    name = args[2];
    ext = args[3];
  } else if (size_t at = scripts.find("countPage"); at != std::string::npos) {
    size_t eq = scripts.find('=', at);
    if (eq != std::string::npos) {
      size_t i = eq + 1;
      while (i < scripts.size() && scripts[i] == ' ') ++i;
      size_t j = i;
      while (j < scripts.size() && isdigit(static_cast<unsigned char>(scripts[j]))) ++j;
      count = ToInt(scripts.substr(i, j - i));
    }
  }
  if (count <= 1 || count > 10000) return;
  if (ext.empty()) {
    size_t dot = base.path.rfind('.');
    ext = dot != std::string::npos && dot > base.path.rfind('/') ? base.path.substr(dot + 1) : "shtml";
  }
  out->push_back(ResolveUrl(base, name + "." + ext)->ToString());
  for (int i = 1; i < count; ++i) {
    if (auto u = ResolveUrl(base, name + "_" + std::to_string(i) + "." + ext)) out->push_back(u->ToString());
  }
}

}  // namespace

bool MentionsAnnualReport(std::string_view title) {
  std::string k = MatchKey(title);
  return ContainsAny(k, {"年度报告", "年报", "工作报告"}) && ContainsAny(k, {"公开"});
}

bool IsReportTitle(std::string_view title) {
  std::string k = AsciiDigits(MatchKey(title));
  if (!MentionsAnnualReport(k) || !YearInTitle(k)) return false;
  return !IsLookAlikeTitle(k);
}

namespace {

// The value of `name=` in a query or form string, "" if absent.
std::string Param(std::string_view query, std::string_view name) {
  size_t at = 0;
  while ((at = query.find(name, at)) != std::string_view::npos) {
    if ((at == 0 || query[at - 1] == '&' || query[at - 1] == '?') && at + name.size() < query.size() &&
        query[at + name.size()] == '=') {
      size_t v = at + name.size() + 1;
      return std::string(query.substr(v, query.find('&', v) - v));
    }
    at += name.size();
  }
  return "";
}

// The first run of digits after `key` (and any of " :='\"") in `text`.
std::string NumberAfter(std::string_view text, std::string_view key) {
  size_t at = text.find(key);
  if (at == std::string_view::npos) return "";
  size_t i = at + key.size();
  while (i < text.size() && std::string_view(" \t:='\"").find(text[i]) != std::string_view::npos) ++i;
  size_t j = i;
  while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
  return std::string(text.substr(i, j - i));
}

void AddEntry(Listing* listing, std::set<std::string>* seen, const Url& base, const std::string& href,
              const std::string& title) {
  auto u = ResolveUrl(base, href);
  if (!u) return;
  u->fragment.clear();
  std::string url = u->ToString();
  if (!MentionsAnnualReport(title) || !seen->insert(url).second) return;
  listing->entries.push_back({url, title, IsReportTitle(title)});
}

// Links of an HTML page or fragment: report entries and next-page links.
void ReadLinks(const HtmlPage& html, const Url& base, const Url& page, Listing* listing, std::set<std::string>* seen,
               std::string* last_link = nullptr) {
  for (const auto& link : html.links) {
    std::string k = MatchKey(link.text);
    if (last_link && (k == "末页" || k == "尾页")) {
      if (auto u = ResolveUrl(base, link.href)) *last_link = u->ToString();
    }
    if (k == "下一页" || k == "下页" || k == "末页" || k == "尾页" || k == ">" || k == ">>" || k == "后页" ||
        link.cls.find("Next") != std::string::npos || link.cls.find("next") != std::string::npos) {
      auto u = ResolveUrl(base, link.href);
      if (u && u->ToString() != page.ToString()) listing->more_pages.push_back(u->ToString());
      continue;
    }
    AddEntry(listing, seen, base, link.href, link.title.size() > link.text.size() ? link.title : link.text);
  }
}

// Hanweb JCMS: a column page /col/col<ID>/index.html loads its entries by
// POSTing to /module/web/jpage/dataproxy.jsp in windows of records.
void HanwebColumn(std::string_view raw, const Url& page, Listing* listing) {
  size_t col = page.path.find("/col/col");
  if (col == std::string::npos && raw.find("dataproxy.jsp") == std::string_view::npos) return;
  std::string column = col != std::string::npos ? NumberAfter(page.path, "/col/col") : NumberAfter(raw, "columnid");
  if (column.empty()) return;
  std::string unit = NumberAfter(raw, "unitid");
  std::string web = NumberAfter(raw, "webid");
  std::string form = "col=1&appid=1&webid=" + (web.empty() ? "1" : web) + "&path=/&columnid=" + column +
                     "&sourceContentType=1" + (unit.empty() ? "" : "&unitid=" + unit) + "&permissiontype=0";
  if (auto u = ResolveUrl(page, "/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15")) {
    listing->data_requests.push_back({u->ToString(), form});
  }
}

// The dataproxy.jsp answer: <record><![CDATA[<li><a …>]]></record> items and
// <totalrecord>; further windows of the same size follow.
bool HanwebRecords(std::string_view xml, const Url& page, const std::string& form, Listing* listing,
                   std::set<std::string>* seen) {
  if (xml.find("<datastore") == std::string_view::npos && xml.find("<recordset") == std::string_view::npos) return false;
  std::string fragments;
  for (size_t at = xml.find("<record"); at != std::string_view::npos; at = xml.find("<record", at + 7)) {
    if (xml.compare(at, 10, "<recordset") == 0) continue;
    size_t open = xml.find("<![CDATA[", at);
    size_t close = xml.find("]]>", open);
    if (open == std::string_view::npos || close == std::string_view::npos) break;
    fragments += xml.substr(open + 9, close - open - 9);
    at = close;
  }
  HtmlPage html = ParseHtmlPage(fragments);
  ReadLinks(html, page, page, listing, seen);
  listing->more_pages.clear();  // windows, not pages, continue a Hanweb listing
  long total = std::atol(NumberAfter(xml, "<totalrecord>").c_str());
  long start = std::atol(Param(page.query, "startrecord").c_str());
  long end = std::atol(Param(page.query, "endrecord").c_str());
  std::string perpage = Param(page.query, "perpage");
  if (start < 1 || end < start || total <= 0) return true;
  long window = end - start + 1;
  for (long s = 1; s <= total && s < 1 + 200 * window; s += window) {
    if (s == start) continue;
    std::string q = "startrecord=" + std::to_string(s) + "&endrecord=" + std::to_string(s + window - 1) +
                    (perpage.empty() ? "" : "&perpage=" + perpage);
    Url next = page;
    next.query = q;
    next.has_query = true;
    listing->data_requests.push_back({next.ToString(), form});
  }
  return true;
}

// gkmlpt (Guangdong): the index page's window._CONFIG names the site; the
// category's articles come from /gkmlpt/api/all/<catId>?page=N&sid=<SID>.
void GkmlptIndex(std::string_view raw, const Url& page, Listing* listing) {
  if (raw.find("_CONFIG") == std::string_view::npos || page.path.find("/gkmlpt") == std::string::npos) return;
  std::string sid = NumberAfter(raw, "SID");
  std::string cat;
  for (const char* key : {"CAT_ID", "CATEGORY_ID", "catId", "cat_id", "/gkmlpt/api/all/"}) {
    if (!(cat = NumberAfter(raw, key)).empty()) break;
  }
  if (cat.empty() && page.fragment.size() > 0) cat = page.fragment;
  if (sid.empty() || cat.empty()) return;
  if (auto u = ResolveUrl(page, "/gkmlpt/api/all/" + cat + "?page=1&sid=" + sid)) listing->more_pages.push_back(u->ToString());
}

bool GkmlptArticles(std::string_view body, const Url& page, Listing* listing, std::set<std::string>* seen) {
  if (body.empty() || (body.front() != '{' && body.find("\"articles\"") == std::string_view::npos)) return false;
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("articles") || !j["articles"].is_array()) return false;
  size_t per_page = 0;
  for (const auto& a : j["articles"]) {
    if (!a.is_object()) continue;
    ++per_page;
    std::string title = a.value("title", "");
    std::string url = a.contains("url") && a["url"].is_string() ? a["url"].get<std::string>() : "";
    if (!url.empty()) {
      AddEntry(listing, seen, page, url, title);
    } else if (a.contains("attachment") && a["attachment"].is_array()) {
      // An article that is only its attachment: the attachment is the report.
      for (const auto& att : a["attachment"]) {
        if (att.is_object() && att.contains("url") && att["url"].is_string()) {
          AddEntry(listing, seen, page, att["url"].get<std::string>(), title);
          break;
        }
      }
    }
  }
  long total = j.contains("total") && j["total"].is_number() ? j["total"].get<long>() : 0;
  long current = std::atol(Param(page.query, "page").c_str());
  if (current >= 1 && per_page > 0 && total > 0) {
    // Page 1 names every page (a crawl queues them all at once); each later
    // page names the one after it (a refresh goes one page at a time).
    long pages = std::min<long>((total + per_page - 1) / per_page, 500);
    for (long n = current + 1; n <= (current == 1 ? pages : std::min(pages, current + 1)); ++n) {
      Url next = page;
      next.query = "page=" + std::to_string(n) + "&sid=" + Param(page.query, "sid");
      listing->more_pages.push_back(next.ToString());
    }
  }
  return true;
}

// "共N页" with a numbered next link: every page of the column at once
// (ascending page=K / list_K / index_K, or VSB's descending col/K.htm). The
// 末页/尾页 link, when there is one, names the last page; else the count
// does, from the first page (unnumbered: TRS index.html, VSB col.htm) or
// from a page numbered K of pages numbered 1…N.
void CountedPages(const HtmlPage& html, const Url& page, const std::string& last_link, Listing* listing) {
  long count = 0;
  for (const auto& line : html.page_lines) {
    std::string k = AsciiDigits(MatchKey(line));
    for (size_t at = k.find("共"); at != std::string::npos && count == 0; at = k.find("共", at + 3)) {
      std::string n = NumberAfter(std::string_view(k).substr(at + 3), "");
      if (!n.empty() && k.compare(at + 3 + n.size(), 3, "页") == 0) count = std::atol(n.c_str());
    }
    if (count) break;
  }
  if (count <= 1 || count > 500 || listing->more_pages.empty()) return;
  const std::string next = listing->more_pages.front();
  size_t d_end = next.find_last_of("0123456789");
  if (d_end == std::string::npos) return;
  size_t d_start = next.find_last_not_of("0123456789", d_end) + 1;
  const std::string prefix = next.substr(0, d_start), suffix = next.substr(d_end + 1);
  auto number_in = [&](const std::string& url) -> long {  // -1: not of this pattern
    if (url.size() <= prefix.size() + suffix.size() || url.compare(0, prefix.size(), prefix) != 0 ||
        url.compare(url.size() - suffix.size(), suffix.size(), suffix) != 0) {
      return -1;
    }
    std::string middle = url.substr(prefix.size(), url.size() - prefix.size() - suffix.size());
    return !middle.empty() && middle.find_first_not_of("0123456789") == std::string::npos ? std::atol(middle.c_str()) : -1;
  };
  const long n = number_in(next), self = number_in(page.ToString()), last = number_in(last_link);
  // VSB: the first page is col.htm, the next col/<N-1>.htm (a directory named after it), counting down.
  std::string stem = page.path.substr(0, page.path.rfind('.'));
  auto next_url = ParseUrl(next);
  const bool descending = (next_url && page.path.rfind('.') != std::string::npos && next_url->path.rfind(stem + "/", 0) == 0) ||
                          (self > 0 && n < self);
  // TRS-style numbering (index.html, index_1 … index_{N-1}): a link to the
  // unnumbered first page from a numbered one.
  std::string first_page = prefix;
  while (!first_page.empty() && (first_page.back() == '_' || first_page.back() == '-')) first_page.pop_back();
  first_page += suffix;
  const bool unnumbered_first =
      std::any_of(html.links.begin(), html.links.end(), [&](const HtmlLink& l) {
        auto u = ResolveUrl(page, l.href);
        return u && u->ToString() == first_page;
      });
  long stop;
  if (last >= 0) stop = last;
  else if (self < 0) stop = descending ? n - (count - 2) : n + (count - 2);
  else stop = descending ? 1 : (unnumbered_first ? count - 1 : count);
  auto with = [&](long k) { return prefix + std::to_string(k) + suffix; };
  for (long k = n; descending ? k >= std::max(stop, 0L) : k <= stop; k += descending ? -1 : 1) {
    listing->more_pages.push_back(with(k));
    if (listing->more_pages.size() > 600) break;
  }
}

}  // namespace

Listing ParseListing(std::string_view bytes, const std::string& content_type, const std::string& page_url,
                     const std::string& post_form) {
  Listing listing;
  std::optional<Url> page = ParseUrl(page_url);
  if (!page) return listing;
  std::set<std::string> seen;
  // Data endpoints first: they are not HTML pages.
  if (HanwebRecords(bytes, *page, post_form, &listing, &seen)) return listing;
  if (GkmlptArticles(bytes, *page, &listing, &seen)) return listing;
  std::string utf8 = DecodeToUtf8(bytes, CharsetOfContentType(content_type)).utf8;
  HtmlPage html = ParseHtmlPage(utf8);
  listing.page_kind = PageKindName(ClassifyPage(html));
  if (listing.page_kind != "normal") return listing;
  Url base = *page;
  if (!html.base_href.empty()) {
    if (auto b = ResolveUrl(*page, html.base_href)) base = *b;
  }
  std::string last_link;
  ReadLinks(html, base, *page, &listing, &seen, &last_link);
  const size_t linked = listing.more_pages.size();
  TrsPages(html.scripts, base, &listing.more_pages);
  if (listing.more_pages.size() == linked) CountedPages(html, *page, last_link, &listing);  // TRS's script says it all
  HanwebColumn(utf8, *page, &listing);
  GkmlptIndex(utf8, *page, &listing);
  std::set<std::string> unique;
  std::erase_if(listing.more_pages, [&](const std::string& u) { return !unique.insert(u).second; });
  return listing;
}

}  // namespace nianbao::extract
