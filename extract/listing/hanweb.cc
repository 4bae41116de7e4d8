// Hanweb JCMS (大汉) listings (listing.md, listing-real.md):
// - the column page /col/col<ID>/index.html, usually with the first group of
//   records inline (<datastore> in a <script type="text/xml"> or a <div>),
//   and a jpage unit per list: `var param_<unitid> = {col:1, webid:…,
//   columnid:…, unitid:…, …}` (or ajaxParam: {…}), totalRecord, perPage,
//   groupSize, proxyUrl;
// - further groups: POST proxy?startrecord=S&endrecord=E&perpage=P with the
//   unit's parameters as the form; or, where the page names no parameters,
//   the GET form proxy?page=N&… its <nextgroup> names;
// - the proxy's XML answer: <record><![CDATA[<li>…</li>]]></record> items,
//   <totalrecord>, <totalpage>; windows overlap (de-duplicated by URL).
#include <algorithm>
#include <cctype>
#include <string>

#include "extract/listing/readers.h"
#include "extract/listing/script.h"

namespace nianbao::extract::listing {
namespace {

constexpr const char* kDefaultProxy = "/module/web/jpage/dataproxy.jsp";
constexpr long kMaxWindows = 400;

std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '&') {
      static const std::pair<std::string_view, char> kEntities[] = {
          {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&apos;", '\''}, {"&amp;", '&'}};
      bool done = false;
      for (const auto& [name, c] : kEntities) {
        if (s.compare(i, name.size(), name) == 0) {
          out.push_back(c);
          i += name.size() - 1;
          done = true;
          break;
        }
      }
      if (done) continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

// The inside of <tag>…</tag> from `from` on ("" if none); *end past it.
std::string_view Element(std::string_view xml, std::string_view tag, size_t from, size_t* end) {
  const std::string open = "<" + std::string(tag);
  const std::string close = "</" + std::string(tag) + ">";
  for (size_t at = xml.find(open, from); at != std::string_view::npos; at = xml.find(open, at + 1)) {
    size_t gt = at + open.size();
    if (gt >= xml.size() || (xml[gt] != '>' && xml[gt] != ' ')) continue;  // <recordset> is not <record>
    gt = xml.find('>', gt);
    size_t stop = gt == std::string_view::npos ? gt : xml.find(close, gt);
    if (stop == std::string_view::npos) return {};
    *end = stop + close.size();
    return xml.substr(gt + 1, stop - gt - 1);
  }
  return {};
}

// CDATA content, or escaped markup unescaped.
std::string Content(std::string_view inner) {
  size_t open = inner.find("<![CDATA[");
  if (open != std::string_view::npos) {
    size_t close = inner.find("]]>", open);
    return std::string(inner.substr(open + 9, (close == std::string_view::npos ? inner.size() : close) - open - 9));
  }
  return Unescape(inner);
}

std::optional<long> TagNumber(std::string_view xml, std::string_view tag) {
  size_t end = 0;
  std::string_view inner = Element(xml, tag, 0, &end);
  if (inner.empty()) return std::nullopt;
  return ToCount(Content(inner));
}

struct Datastore {
  long records = 0;
  std::string nextgroup;  // the <nextgroup> link's href, as written (entities decoded)
};

// The records and next-group link of one <datastore>: each record is one item.
Datastore ReadDatastore(ListingBuilder* b, std::string_view xml, const Url& base) {
  Datastore d;
  size_t end = 0;
  for (size_t at = 0;; at = end) {
    std::string_view inner = Element(xml, "record", at, &end);
    if (inner.data() == nullptr || end <= at) break;
    ++d.records;
    auto links = FragmentLinks(Content(inner), base);
    for (const auto& l : links) {
      if (l.url.empty()) continue;
      b->AddEntry(l.url, l.text, l.title);
      break;  // one item per record: its first link
    }
  }
  std::string_view next = Element(xml, "nextgroup", 0, &end);
  if (!next.empty()) {
    auto links = FragmentLinks(Content(next), base);
    if (!links.empty()) d.nextgroup = links.front().href;
  }
  return d;
}

// Form body of a parameter object, in its own key order, values percent-encoded.
std::string FormOf(const nlohmann::ordered_json& params) {
  std::string form;
  for (auto it = params.begin(); it != params.end(); ++it) {
    std::string value;
    if (it.value().is_string()) value = it.value().get<std::string>();
    else if (it.value().is_number_integer()) value = std::to_string(it.value().get<long>());
    else if (it.value().is_boolean()) value = it.value().get<bool>() ? "true" : "false";
    else continue;
    form += (form.empty() ? "" : "&") + it.key() + "=" + FormEncode(value);
  }
  return form;
}

// One jpage unit on a column page: its parameters and what surrounds them.
struct Unit {
  nlohmann::ordered_json params;
  size_t at = 0;  // where its parameters were found in the scripts
};

std::vector<Unit> Units(const std::string& js) {
  std::vector<Unit> units;
  for (size_t at = js.find("param_"); at != std::string::npos; at = js.find("param_", at + 6)) {
    size_t i = at + 6;
    while (i < js.size() && std::isdigit(static_cast<unsigned char>(js[i]))) ++i;
    if (i == at + 6) continue;
    size_t open = js.find_first_of("{;\n", i);
    if (open == std::string::npos || js[open] != '{') continue;
    if (auto j = JsLiteral(js, open); j && j->is_object() && j->contains("columnid")) units.push_back({*j, at});
  }
  if (units.empty()) {
    for (size_t at = js.find("ajaxParam"); at != std::string::npos; at = js.find("ajaxParam", at + 9)) {
      size_t open = js.find('{', at);
      if (open == std::string::npos) break;
      if (auto j = JsLiteral(js, open); j && j->is_object() && j->contains("columnid")) units.push_back({*j, at});
    }
  }
  return units;
}

// The number after `key` in js between `from` and `to`, else anywhere after from.
std::optional<long> NumberNear(const std::string& js, const std::string& key, size_t from, size_t to) {
  if (auto n = NumberAfter(std::string_view(js).substr(from, to - from), key)) return n;
  return std::nullopt;
}

// POST windows of `group` records for the records after `covered` of `total`.
void AddWindows(ListingBuilder* b, const std::string& proxy, const std::string& form, long covered, long total,
                long group, long per_page) {
  for (long s = covered + 1, n = 0; s <= total && n < kMaxWindows; s += group, ++n) {
    b->AddMore(proxy + "?startrecord=" + std::to_string(s) + "&endrecord=" + std::to_string(s + group - 1) +
                   "&perpage=" + std::to_string(per_page),
               form);
  }
}

void ReadColumnPage(ListingBuilder* b) {
  const ListingPage& p = b->page();
  const std::string& js = p.scripts;
  const bool has_store = p.text.find("<datastore") != std::string::npos;
  std::vector<Unit> units = Units(js);
  const bool proxy_named = js.find("dataproxy") != std::string::npos || js.find("jpage") != std::string::npos;
  if (!has_store && units.empty() && !proxy_named) return;
  // Inline groups: records are items of this page.
  long inline_records = 0;
  std::string nextgroup;
  for (size_t at = p.text.find("<datastore"); at != std::string::npos; at = p.text.find("<datastore", at + 10)) {
    size_t close = p.text.find("</datastore>", at);
    std::string_view xml = std::string_view(p.text).substr(at, close == std::string::npos ? std::string::npos : close - at);
    Datastore d = ReadDatastore(b, xml, p.base);
    inline_records = std::max(inline_records, d.records);
    if (nextgroup.empty()) nextgroup = d.nextgroup;
  }
  std::string proxy = StringAfter(js, "proxyUrl").value_or("");
  if (proxy.empty() && !nextgroup.empty() && nextgroup.front() == '/') proxy = nextgroup.substr(0, nextgroup.find('?'));
  if (proxy.empty()) proxy = kDefaultProxy;
  proxy = Resolve(p, proxy);
  // A <nextgroup> written relative ("./dataproxy.jsp?page=1&…") is relative to the proxy.
  if (!nextgroup.empty()) {
    auto proxy_url = ParseUrl(proxy);
    auto next = proxy_url ? ResolveUrl(*proxy_url, nextgroup) : std::nullopt;
    nextgroup = next ? next->ToString() : "";
  }
  b->Family("hanweb", std::string(has_store ? "inline <datastore>, " + std::to_string(inline_records) + " records" : "jpage column page") +
                          (units.empty() ? "" : ", " + std::to_string(units.size()) + " jpage unit(s)"));
  const long per_page = NumberAfter(js, "perPage").value_or(15);
  const long group_size = NumberAfter(js, "groupSize").value_or(3);
  const long group = std::max(1L, per_page) * std::max(1L, group_size);
  // The column this page is (/col/col<ID>/): its unit's count is the listing's.
  std::string column;
  if (size_t c = p.url.path.find("/col/col"); c != std::string::npos) {
    size_t i = c + 8;
    while (i < p.url.path.size() && std::isdigit(static_cast<unsigned char>(p.url.path[i]))) column.push_back(p.url.path[i++]);
  }
  for (size_t u = 0; u < units.size(); ++u) {
    const size_t to = u + 1 < units.size() ? units[u + 1].at : js.size();
    const long total = NumberNear(js, "totalRecord", units[u].at, to).value_or(0);
    const std::string form = FormOf(units[u].params);
    std::string unit_column;
    if (units[u].params["columnid"].is_string()) unit_column = units[u].params["columnid"].get<std::string>();
    else if (units[u].params["columnid"].is_number_integer()) unit_column = std::to_string(units[u].params["columnid"].get<long>());
    const bool main = units.size() == 1 || unit_column == column;
    if (total > 0 && main) b->ClaimEntries(total, "totalRecord: " + std::to_string(total));
    if (total > 0) {
      AddWindows(b, proxy, form, inline_records > 0 ? std::min(inline_records, group) : 0, total, group, per_page);
    } else {
      // The count is not on the page: ask for the first window; its answer says the rest.
      AddWindows(b, proxy, form, inline_records > 0 ? group : 0, inline_records > 0 ? 2 * group : group, group, per_page);
    }
  }
  if (units.empty() && !nextgroup.empty()) {
    // No parameters on the page: the GET form its <nextgroup> names.
    b->Evidence("hanweb: GET <nextgroup> " + nextgroup);
    b->AddMore(nextgroup);
    if (auto total = NumberAfter(js, "totalRecord")) {
      b->ClaimEntries(*total, "totalRecord: " + std::to_string(*total));
    }
  }
}

// The proxy's answer: records, counts, and the rest of the windows or pages.
void ReadAnswer(ListingBuilder* b) {
  const ListingPage& p = b->page();
  if (p.text.find("<datastore") == std::string::npos && p.text.find("<recordset") == std::string::npos) return;
  Datastore d = ReadDatastore(b, p.text, p.base);
  const auto total = TagNumber(p.text, "totalrecord");
  const auto pages = TagNumber(p.text, "totalpage");
  b->Family("hanweb", "data proxy answer, " + std::to_string(d.records) + " records");
  if (total) b->ClaimEntries(*total, "<totalrecord>" + std::to_string(*total));
  if (pages) b->ClaimPages(*pages, "<totalpage>" + std::to_string(*pages));
  const std::string& q = p.url.query;
  const auto start = ToCount(ParamOf(q, "startrecord"));
  const auto end = ToCount(ParamOf(q, "endrecord"));
  const std::string url = p.url.ToString();
  if (start && end && *end >= *start && total) {
    const long window = *end - *start + 1;
    const std::string proxy = url.substr(0, url.find('?'));
    const std::string per_page = ParamOf(q, "perpage");
    // The windows after this one (those before were inline or asked already).
    for (long s = *start + window, n = 0; s <= *total && n < kMaxWindows; s += window, ++n) {
      b->AddMore(proxy + "?startrecord=" + std::to_string(s) + "&endrecord=" + std::to_string(s + window - 1) +
                     (per_page.empty() ? "" : "&perpage=" + per_page),
                 p.post_form);
    }
  } else if (auto page = ToCount(ParamOf(q, "page"))) {
    long last = pages.value_or(0);
    if (!last && total && d.records > 0) last = (*total + d.records - 1) / d.records;
    for (long n = 1; n <= last && n <= kMaxWindows; ++n) b->AddMore(WithParam(url, "page", std::to_string(n)), p.post_form);
  }
}

}  // namespace

void ReadHanweb(ListingBuilder* b) {
  const ListingPage& p = b->page();
  if (p.kind == ListingPage::Kind::kXml || (p.kind == ListingPage::Kind::kHtml && p.text.find("<datastore") != std::string::npos &&
                                            p.text.find("<html") == std::string::npos && p.text.find("<HTML") == std::string::npos)) {
    ReadAnswer(b);
  } else if (p.kind == ListingPage::Kind::kHtml) {
    ReadColumnPage(b);
  }
}

}  // namespace nianbao::extract::listing
