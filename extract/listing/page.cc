#include "extract/listing/page.h"

#include <gumbo.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <set>

#include "extract/charset.h"
#include "extract/html_page.h"
#include "extract/listing/script.h"
#include "extract/page_kind.h"
#include "extract/text.h"

namespace nianbao::extract::listing {
namespace {

constexpr int kMaxDepth = 400;  // deeper markup is not walked (hostile nesting)

const char* Attr(const GumboNode* n, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a ? a->value : nullptr;
}

bool IsBlock(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_DIV: case GUMBO_TAG_P: case GUMBO_TAG_LI: case GUMBO_TAG_TR: case GUMBO_TAG_BR:
    case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_TABLE: case GUMBO_TAG_DL: case GUMBO_TAG_DD:
    case GUMBO_TAG_DT: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_NAV: case GUMBO_TAG_FORM: case GUMBO_TAG_BODY:
      return true;
    default:
      return false;
  }
}

// An element whose id or class marks page chrome (navigation, header,
// footer, breadcrumbs): links there are not list items.
bool IsChromeElement(const GumboNode* n) {
  GumboTag t = n->v.element.tag;
  if (t == GUMBO_TAG_NAV || t == GUMBO_TAG_HEADER || t == GUMBO_TAG_FOOTER) return true;
  std::string marks;
  for (const char* name : {"id", "class"}) {
    if (const char* v = Attr(n, name)) marks += std::string(v) + " ";
  }
  for (char& c : marks) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* word : {"nav", "menu", "foot", "crumb", "daohang", "position", "location", "copyright", "header"}) {
    if (marks.find(word) != std::string::npos) return true;
  }
  // Whole tokens only: "top", "head", "dh", "bottom" are too short to match inside words.
  size_t i = 0;
  while (i < marks.size()) {
    size_t j = marks.find_first_of(" -_", i);
    if (j == std::string::npos) j = marks.size();
    std::string token = marks.substr(i, j - i);
    if (token == "top" || token == "head" || token == "dh" || token == "bottom") return true;
    i = j + 1;
  }
  return false;
}

// Pager counts live in attributes on some sites (jpaas count="386" rows="15",
// Henan pagecount="51" pagesize="24").
bool HasPagerAttributes(const GumboNode* n) {
  const GumboVector& attrs = n->v.element.attributes;
  for (unsigned i = 0; i < attrs.length; ++i) {
    std::string name = static_cast<const GumboAttribute*>(attrs.data[i])->name;
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "count" || name == "pagecount" || name == "totalpage" || name == "totalcount" || name == "querydata" ||
        name == "totalrecord" || name == "recordcount" || name == "data-total" || name == "data-pages" ||
        name == "data-count") {
      return true;
    }
  }
  return false;
}

void AppendText(const GumboNode* n, std::string* out, size_t limit, int depth = 0) {
  if (out->size() >= limit || depth > kMaxDepth) return;
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA) {
    out->append(n->v.text.text);
    out->push_back(' ');
    return;
  }
  if (n->type != GUMBO_NODE_ELEMENT) return;
  GumboTag t = n->v.element.tag;
  if (t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE) return;
  const GumboVector& kids = n->v.element.children;
  for (unsigned i = 0; i < kids.length; ++i) AppendText(static_cast<const GumboNode*>(kids.data[i]), out, limit, depth + 1);
}

// A date as listings print them: 2025-01-26, 2025/1/26, 2025.01.26, 2025年1月26日.
bool HasDate(std::string_view text) {
  std::string t = AsciiDigits(text);
  for (size_t i = 0; i + 8 <= t.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(t[i])) || (i > 0 && std::isdigit(static_cast<unsigned char>(t[i - 1])))) continue;
    size_t j = i;
    while (j < t.size() && j - i < 4 && std::isdigit(static_cast<unsigned char>(t[j]))) ++j;
    if (j - i != 4) continue;
    auto sep = [&](size_t at, size_t* len) {
      if (at < t.size() && (t[at] == '-' || t[at] == '/' || t[at] == '.')) return *len = 1, true;
      if (t.compare(at, 3, "年") == 0 || t.compare(at, 3, "月") == 0) return *len = 3, true;
      return false;
    };
    size_t len = 0;
    if (!sep(j, &len)) continue;
    size_t k = j + len, m = k;
    while (m < t.size() && m - k < 2 && std::isdigit(static_cast<unsigned char>(t[m]))) ++m;
    if (m == k || !sep(m, &len)) continue;
    size_t d = m + len;
    if (d < t.size() && std::isdigit(static_cast<unsigned char>(t[d]))) return true;
  }
  return false;
}

class Walker {
 public:
  explicit Walker(ListingPage* page) : page_(page) {}

  void Walk(const GumboNode* n, int depth, bool chrome) {
    if (depth > kMaxDepth) return;
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA) {
      page_->visible.append(n->v.text.text);
      return;
    }
    if (n->type == GUMBO_NODE_WHITESPACE) {
      page_->visible.push_back(' ');
      return;
    }
    if (n->type != GUMBO_NODE_ELEMENT) return;  // comments: dead markup is not read
    const GumboTag tag = n->v.element.tag;
    if (HasPagerAttributes(n)) {
      std::map<std::string, std::string> attrs;
      const GumboVector& v = n->v.element.attributes;
      for (unsigned i = 0; i < v.length; ++i) {
        const auto* a = static_cast<const GumboAttribute*>(v.data[i]);
        std::string name = a->name;
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        attrs[name] = a->value;
      }
      page_->pager_attrs.push_back(std::move(attrs));
    }
    if (tag == GUMBO_TAG_SCRIPT) {
      // Data islands (<script type="text/xml"> holding a Hanweb <datastore>)
      // are not script: their readers take them from the page text.
      if (const char* type = Attr(n, "type"); type && std::string_view(type).find("xml") != std::string_view::npos) return;
      const GumboVector& kids = n->v.element.children;
      for (unsigned i = 0; i < kids.length; ++i) {
        const GumboNode* k = static_cast<const GumboNode*>(kids.data[i]);
        if (k->type == GUMBO_NODE_TEXT || k->type == GUMBO_NODE_CDATA || k->type == GUMBO_NODE_WHITESPACE) {
          raw_scripts_ += k->v.text.text;
          raw_scripts_ += "\n;\n";
        }
      }
      return;
    }
    if (tag == GUMBO_TAG_STYLE) return;
    if (tag == GUMBO_TAG_BASE && base_href_.empty()) {
      if (const char* h = Attr(n, "href")) base_href_ = h;
    }
    chrome = chrome || IsChromeElement(n);
    ancestors_.push_back(n);
    if (tag == GUMBO_TAG_A) {
      if (const char* href = Attr(n, "href")) AddLink(n, href, chrome);
    }
    const bool block = IsBlock(tag);
    if (block) page_->visible.push_back('\n');
    const GumboVector& kids = n->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) Walk(static_cast<const GumboNode*>(kids.data[i]), depth + 1, chrome);
    if (block || tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) page_->visible.push_back(block ? '\n' : ' ');
    ancestors_.pop_back();
  }

  const std::string& base_href() const { return base_href_; }
  const std::string& raw_scripts() const { return raw_scripts_; }

 private:
  // The list container of a link: the parent of its item (li, tr, dd, dt),
  // else its parent's parent. Links of one list share it.
  void AddLink(const GumboNode* a, const char* href, bool chrome) {
    const GumboNode* item = nullptr;
    for (size_t i = ancestors_.size() - 1; i-- > 0;) {
      GumboTag t = ancestors_[i]->v.element.tag;
      if (t == GUMBO_TAG_LI || t == GUMBO_TAG_TR || t == GUMBO_TAG_DD || t == GUMBO_TAG_DT) {
        item = ancestors_[i];
        break;
      }
    }
    const GumboNode* container = item ? item->parent : (ancestors_.size() >= 3 ? ancestors_[ancestors_.size() - 3] : nullptr);
    if (!item) item = ancestors_.size() >= 2 ? ancestors_[ancestors_.size() - 2] : a;
    // Items of one list are alike: the same container, and items of the same tag and class.
    std::string shape = std::to_string(item->type == GUMBO_NODE_ELEMENT ? item->v.element.tag : 0);
    if (item->type == GUMBO_NODE_ELEMENT) {
      if (const char* c = Attr(item, "class"); c && item->v.element.tag != GUMBO_TAG_LI && item->v.element.tag != GUMBO_TAG_TR) shape += c;
    }
    auto [it, added] = groups_.emplace(std::make_pair(container, shape), static_cast<int>(groups_.size()));
    PageLink link;
    link.href = href;
    std::string text;
    AppendText(a, &text, 2000);
    link.text = NormalizeWhitespace(text);
    if (const char* t = Attr(a, "title")) link.title = NormalizeWhitespace(t);
    if (const char* c = Attr(a, "class")) link.cls = c;
    link.group = it->second;
    link.chrome = chrome;
    auto dated = dated_.find(item);
    if (dated == dated_.end()) {
      std::string item_text;
      AppendText(item, &item_text, 600);
      dated = dated_.emplace(item, HasDate(item_text)).first;
    }
    link.dated = dated->second;
    page_->links.push_back(std::move(link));
  }

  ListingPage* page_;
  std::vector<const GumboNode*> ancestors_;
  std::map<std::pair<const GumboNode*, std::string>, int> groups_;
  std::map<const GumboNode*, bool> dated_;
  std::string base_href_, raw_scripts_;
};

void ResolveLinks(std::vector<PageLink>* links, const Url& base) {
  for (auto& l : *links) {
    std::string_view h = l.href;
    if (h.empty() || h.front() == '#') continue;
    if (auto u = ResolveUrl(base, h)) {
      u->fragment.clear();
      l.url = u->ToString();
    }
  }
}

std::string_view TrimLeft(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
  return s;
}

}  // namespace

ListingPage ReadListingPage(const ListingInput& in, const Url& url) {
  ListingPage page;
  page.url = url;
  page.base = url;
  page.post_form = in.post_form;
  page.text = DecodeToUtf8(in.bytes, CharsetOfContentType(in.content_type)).utf8;
  std::string_view head = TrimLeft(page.text);
  std::string type = in.content_type;
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!head.empty() && (head.front() == '{' || head.front() == '[') && type.find("html") == std::string::npos) {
    // A JSON answer that carries an HTML fragment (jpaas: {"data": {"html": "…"}})
    // is read as that HTML; any other JSON is left to the readers.
    auto j = nlohmann::json::parse(head, nullptr, false);
    if (j.is_object() && j.contains("data") && j["data"].is_object() && j["data"].contains("html") &&
        j["data"]["html"].is_string()) {
      page.text = j["data"]["html"].get<std::string>();
      head = TrimLeft(page.text);
      type = "text/html";
    } else {
      page.kind = ListingPage::Kind::kJson;
      return page;
    }
  }
  if (head.substr(0, 5) == "<?xml" || head.substr(0, 10) == "<datastore" ||
      (type.find("xml") != std::string::npos && type.find("html") == std::string::npos)) {
    page.kind = ListingPage::Kind::kXml;
    return page;
  }
  const std::string_view parsed = WithinParseDepth(page.text, &page.cut);  // hostile markup: the part before it
  GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, parsed.data(), parsed.size());
  Walker walker(&page);
  walker.Walk(out->root, 0, false);
  gumbo_destroy_output(&kGumboDefaultOptions, out);
  page.scripts = StripScriptComments(walker.raw_scripts());
  if (!walker.base_href().empty()) {
    if (auto b = ResolveUrl(url, walker.base_href())) page.base = *b;
  }
  ResolveLinks(&page.links, page.base);
  // Soft 404s and challenge pages (a second, small parse: only for listings).
  page.page_kind = PageKindName(ClassifyPage(ParseHtmlPage(page.text)));
  return page;
}

std::vector<PageLink> FragmentLinks(std::string_view html, const Url& base) {
  ListingPage page;
  std::string wrapped(html);
  if (wrapped.find("<tr") != std::string::npos || wrapped.find("<TR") != std::string::npos) {
    wrapped = "<table><tbody>" + wrapped + "</tbody></table>";  // table rows survive only inside a table
  }
  bool cut = false;
  const std::string_view parsed = WithinParseDepth(wrapped, &cut);
  GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, parsed.data(), parsed.size());
  Walker walker(&page);
  walker.Walk(out->root, 0, false);
  gumbo_destroy_output(&kGumboDefaultOptions, out);
  ResolveLinks(&page.links, base);
  return std::move(page.links);
}

}  // namespace nianbao::extract::listing
