#include "extract/html_page.h"

#include <gumbo.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>

#include "extract/page_chrome.h"
#include "extract/text.h"

namespace nianbao::extract {
namespace {

constexpr int kMaxDepth = 400;       // deeper markup is skipped (hostile input), see depth_limited
constexpr size_t kMaxParseDepth = 1000;  // markup nested deeper is cut before Gumbo sees it
// Start tags Gumbo may see: its tree costs a few hundred bytes an element
// (100,000 dense <p>s ≈ 60 MB), so 16 workers on hostile pages stay well
// under the unit's MemoryMax=2G. Real report and listing pages hold 2–20 thousand.
constexpr size_t kMaxParseElements = 100000;
constexpr int kMaxColspan = 64;
constexpr int kMaxRowspan = 1000;
constexpr size_t kMaxGridCells = 200000;

// A tag name of at most 16 ASCII letters and digits, lower-case, packed in
// two words: the scans before Gumbo compare names as integers, with no
// string built per tag. Empty: no tag name there (or one too long to matter).
struct TagName {
  uint64_t lo = 0, hi = 0;  // characters 0-7 and 8-15, zero-padded
  constexpr bool operator==(const TagName&) const = default;
  constexpr bool empty() const { return lo == 0; }
  constexpr void Append(size_t at, char c) {
    (at < 8 ? lo : hi) |= uint64_t{static_cast<unsigned char>(c)} << (8 * (at % 8));
  }
};

constexpr TagName Tag(std::string_view name) {
  TagName t;
  for (size_t i = 0; i < name.size(); ++i) t.Append(i, name[i]);
  return t;
}

constexpr char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }
constexpr bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool IsSkipped(GumboTag tag) {
  return tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_NOSCRIPT ||
         tag == GUMBO_TAG_IFRAME || tag == GUMBO_TAG_SELECT || tag == GUMBO_TAG_TEMPLATE ||
         tag == GUMBO_TAG_HEAD || tag == GUMBO_TAG_OBJECT || tag == GUMBO_TAG_SVG;
}

bool IsBlock(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_LI: case GUMBO_TAG_UL:
    case GUMBO_TAG_OL: case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_DD: case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_PRE: case GUMBO_TAG_CENTER:
    case GUMBO_TAG_TABLE: case GUMBO_TAG_TR: case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER: case GUMBO_TAG_NAV: case GUMBO_TAG_ASIDE: case GUMBO_TAG_FORM: case GUMBO_TAG_HR:
    case GUMBO_TAG_BODY: case GUMBO_TAG_MAIN: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT: case GUMBO_TAG_FIGURE:
      return true;
    default:
      return false;
  }
}

// `name` is lower-case, as Gumbo's tokenizer makes every attribute name of
// an HTML element: compared exactly, first character first (gumbo's own
// lookup calls strcasecmp on every attribute).
const char* Attr(const GumboNode* n, const char* name) {
  if (n->type != GUMBO_NODE_ELEMENT) return nullptr;
  const GumboVector& attrs = n->v.element.attributes;
  for (unsigned i = 0; i < attrs.length; ++i) {
    const auto* a = static_cast<const GumboAttribute*>(attrs.data[i]);
    if (a->name[0] == name[0] && std::strcmp(a->name, name) == 0) return a->value;
  }
  return nullptr;
}

int IntAttr(const GumboNode* n, const char* name, int max) {
  const char* v = Attr(n, name);
  if (!v) return 1;
  int x = 0;
  for (const char* p = v; *p >= '0' && *p <= '9'; ++p) {
    x = x * 10 + (*p - '0');
    if (x > max) return max;
  }
  return std::clamp(x, 1, max);
}

bool IsHidden(const GumboNode* n) {
  const char* style = Attr(n, "style");
  // Most styles say nothing of visibility: skip them without normalizing.
  if (!style || (!strcasestr(style, "none") && !strcasestr(style, "hidden"))) return false;
  std::string s = MatchKey(style);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s.find("display:none") != std::string::npos || s.find("visibility:hidden") != std::string::npos;
}

// Appends the inline text of `n` to *out; block boundaries and <br> become '\n'.
void CollectText(const GumboNode* n, std::string* out, int depth) {
  if (depth > kMaxDepth) return;
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA) {
    out->append(n->v.text.text);
    return;
  }
  if (n->type != GUMBO_NODE_ELEMENT || IsSkipped(n->v.element.tag) || IsHidden(n)) return;
  GumboTag tag = n->v.element.tag;
  if (tag == GUMBO_TAG_BR) {
    out->push_back('\n');
    return;
  }
  bool block = IsBlock(tag);
  if (block) out->push_back('\n');
  const GumboVector& kids = n->v.element.children;
  for (unsigned i = 0; i < kids.length; ++i) CollectText(static_cast<GumboNode*>(kids.data[i]), out, depth + 1);
  if (block) out->push_back('\n');
}

std::string InlineText(const GumboNode* n) {
  std::string raw;
  CollectText(n, &raw, 0);
  return NormalizeWhitespace(raw);
}

struct Score {
  uint32_t text = 0;  // bytes of non-whitespace text
  uint32_t link = 0;  // of which inside <a>
};

// A data table parsed apart from its page (ParseHtmlPage): what the page's
// walk takes from it where the placeholder <table data-nianbao-chunk="k">
// stands.
struct TableChunk {
  Score score;                        // of the table element
  std::string text;                   // what the page-wide scan adds for its content
  std::vector<HtmlLink> links;        // in it
  std::vector<std::string> headings;  // in it
  Grid grid;
};

constexpr char kChunkAttr[] = "data-nianbao-chunk";

class Walker {
 public:
  Walker(HtmlPage* page, LinkScope link_scope, std::vector<TableChunk>* chunks = nullptr)
      : page_(page), link_scope_(link_scope), chunks_(chunks) {}

  // Reduces a table parsed alone (its document's only content) to a chunk;
  // false if it cannot stand for the table in its page: text or elements
  // were moved out of it, it is hidden, or it would be a heading itself.
  static bool MakeChunk(const GumboNode* document, LinkScope link_scope, TableChunk* chunk) {
    const GumboNode* body = FindBody(document);
    if (!body) return false;
    const GumboNode* table = nullptr;
    const GumboVector& kids = body->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) {
      const GumboNode* k = static_cast<GumboNode*>(kids.data[i]);
      if (k->type == GUMBO_NODE_WHITESPACE || k->type == GUMBO_NODE_COMMENT) continue;
      if (table || k->type != GUMBO_NODE_ELEMENT || k->v.element.tag != GUMBO_TAG_TABLE) return false;
      table = k;
    }
    if (!table || IsHidden(table) || HasNestedTable(table)) return false;
    for (const char* a : {"class", "id"}) {
      if (const char* v = Attr(table, a); v && std::strstr(v, "title")) return false;
    }
    HtmlPage scratch;
    Walker w(&scratch, link_scope);
    chunk->score = w.ScoreNode(table, false, 0);
    const GumboVector& cells = table->v.element.children;
    for (unsigned i = 0; i < cells.length; ++i) w.Scan(static_cast<GumboNode*>(cells.data[i]), 1);
    chunk->text = std::move(w.all_text_);
    chunk->links = std::move(scratch.links);
    chunk->headings = std::move(scratch.headings);
    chunk->grid = BuildGrid(table);
    return true;
  }

  // Walks the tree: page-wide facts, then the content root's blocks. The
  // page's text lines are filled by SplitPageLines(), which needs no tree
  // (so the tree can be freed first: it is the largest thing alive).
  void Run(const GumboNode* root) {
    ScoreNode(root, false, 0);
    std::sort(scores_.begin(), scores_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    Scan(root, 0);
    const GumboNode* body = FindBody(root);
    const GumboNode* content = ContentRoot(body ? body : root);
    EmitBlocks(content, 0);
    FlushLine();
    std::vector<std::pair<const GumboNode*, Score>>().swap(scores_);
  }

  // Every text line of the page, chrome included (metadata lives there),
  // as collected by Scan.
  void SplitPageLines() {
    const std::string& all = all_text_;
    size_t start = 0;
    while (start <= all.size()) {
      size_t nl = all.find('\n', start);
      if (nl == std::string::npos) nl = all.size();
      std::string line = NormalizeWhitespace(std::string_view(all).substr(start, nl - start));
      if (!line.empty()) page_->page_lines.push_back(std::move(line));
      start = nl + 1;
    }
    std::string().swap(all_text_);
  }

 private:
  Score ScoreNode(const GumboNode* n, bool in_link, int depth) {
    Score s;
    if (depth > kMaxDepth) {
      page_->depth_limited = true;
      return s;
    }
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA) {
      const char* t = n->v.text.text;
      for (const char* p = t; *p; ++p) s.text += static_cast<unsigned char>(*p) > ' ';
      if (in_link) s.link = s.text;
      return s;
    }
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_DOCUMENT) return s;
    if (n->type == GUMBO_NODE_ELEMENT && (IsSkipped(n->v.element.tag) || IsHidden(n))) return s;
    if (const TableChunk* c = ChunkOf(n)) {
      s = c->score;
      if (in_link) s.link = s.text;
      if (s.text) scores_.emplace_back(n, s);
      return s;
    }
    bool link = in_link || (n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == GUMBO_TAG_A);
    const GumboVector& kids = n->type == GUMBO_NODE_DOCUMENT ? n->v.document.children : n->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) {
      Score c = ScoreNode(static_cast<GumboNode*>(kids.data[i]), link, depth + 1);
      s.text += c.text;
      s.link += c.link;
    }
    if (s.text) scores_.emplace_back(n, s);  // sorted by node once all are in
    return s;
  }

  size_t Own(const GumboNode* n) const {
    auto it = std::lower_bound(scores_.begin(), scores_.end(), n,
                               [](const auto& e, const GumboNode* key) { return e.first < key; });
    return it == scores_.end() || it->first != n ? 0 : it->second.text - it->second.link;
  }

  // Descends from `n` while one child element holds most of the non-link
  // text: the report body dominates a detail page, chrome does not.
  const GumboNode* ContentRoot(const GumboNode* n) const {
    for (;;) {
      if (n->type != GUMBO_NODE_ELEMENT) return n;
      const GumboVector& kids = n->v.element.children;
      const GumboNode* best = nullptr;
      size_t best_score = 0;
      for (unsigned i = 0; i < kids.length; ++i) {
        const GumboNode* k = static_cast<GumboNode*>(kids.data[i]);
        if (k->type != GUMBO_NODE_ELEMENT) continue;
        size_t s = Own(k);
        if (s > best_score) best = k, best_score = s;
      }
      if (!best || best_score * 10 < Own(n) * 7) return n;
      GumboTag t = best->v.element.tag;
      // Never descend into a paragraph, nor into the parts of a data table;
      // layout tables (holding other tables) are walked through.
      bool table_part = t == GUMBO_TAG_TABLE || t == GUMBO_TAG_TBODY || t == GUMBO_TAG_THEAD || t == GUMBO_TAG_TR ||
                        t == GUMBO_TAG_TD || t == GUMBO_TAG_TH;
      if (t == GUMBO_TAG_P || (table_part && !HasNestedTable(best))) return n;
      n = best;
    }
  }

  static const GumboNode* FindBody(const GumboNode* root) {
    const GumboVector& kids = root->v.document.children;
    for (unsigned i = 0; i < kids.length; ++i) {
      const GumboNode* html = static_cast<GumboNode*>(kids.data[i]);
      if (html->type != GUMBO_NODE_ELEMENT) continue;
      const GumboVector& hk = html->v.element.children;
      for (unsigned j = 0; j < hk.length; ++j) {
        const GumboNode* b = static_cast<GumboNode*>(hk.data[j]);
        if (b->type == GUMBO_NODE_ELEMENT && b->v.element.tag == GUMBO_TAG_BODY) return b;
      }
    }
    return nullptr;
  }

  static bool HasNestedTable(const GumboNode* table, int depth = 0) {
    if (depth > kMaxDepth) return false;
    const GumboVector& kids = table->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) {
      const GumboNode* k = static_cast<GumboNode*>(kids.data[i]);
      if (k->type != GUMBO_NODE_ELEMENT) continue;
      if (k->v.element.tag == GUMBO_TAG_TABLE || HasNestedTable(k, depth + 1)) return true;
    }
    return false;
  }

  // Page-wide facts: title, meta, headings, links, base, scripts, and the
  // text of the visible page (all_text_, '\n' at block boundaries).
  void Scan(const GumboNode* n, int depth, bool visible = true) {
    if (depth > kMaxDepth) return;
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA) {
      if (visible) all_text_ += n->v.text.text;
      return;
    }
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_DOCUMENT) return;
    bool block = false;
    if (n->type == GUMBO_NODE_ELEMENT) {
      GumboTag tag = n->v.element.tag;
      if (tag == GUMBO_TAG_HEAD || IsHidden(n)) visible = false;
      block = IsBlock(tag) || tag == GUMBO_TAG_BR;
      if (visible && block) all_text_ += '\n';
      if (tag == GUMBO_TAG_TITLE && page_->title_tag.empty()) page_->title_tag = InlineTextRaw(n);
      if (tag == GUMBO_TAG_META) {
        const char* name = Attr(n, "name");
        if (!name) name = Attr(n, "property");
        const char* content = Attr(n, "content");
        if (name && content) {
          std::string key(name);
          std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
          page_->meta.emplace(key, NormalizeWhitespace(content));
        }
      }
      if (tag == GUMBO_TAG_BASE && Attr(n, "href") && page_->base_href.empty()) page_->base_href = Attr(n, "href");
      if (tag == GUMBO_TAG_SCRIPT) {
        page_->scripts += InlineTextRaw(n);
        page_->scripts += '\n';
        return;
      }
      if (tag == GUMBO_TAG_A && Attr(n, "href") && (link_scope_ == LinkScope::kAll || IsAttachmentHref(Attr(n, "href")))) {
        const char* title = Attr(n, "title");
        const char* cls = Attr(n, "class");
        page_->links.push_back({Attr(n, "href"), InlineText(n), title ? NormalizeWhitespace(title) : "", cls ? cls : ""});
      }
      bool heading = tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2 || tag == GUMBO_TAG_H3;
      if (!heading) {
        const char* cls = Attr(n, "class");
        const char* id = Attr(n, "id");
        heading = (cls && std::strstr(cls, "title")) || (id && std::strstr(id, "title"));
      }
      if (heading) {
        std::string t = InlineText(n);
        if (!t.empty() && t.size() < 400) page_->headings.push_back(std::move(t));
      }
      if (IsSkipped(tag) && tag != GUMBO_TAG_HEAD) return;
      if (TableChunk* c = ChunkOf(n)) {  // what the walk of its cells would have added
        if (visible) all_text_ += c->text;
        for (auto& l : c->links) page_->links.push_back(std::move(l));
        for (auto& h : c->headings) page_->headings.push_back(std::move(h));
        if (visible && block) all_text_ += '\n';
        return;
      }
    }
    const GumboVector& kids = n->type == GUMBO_NODE_DOCUMENT ? n->v.document.children : n->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) Scan(static_cast<GumboNode*>(kids.data[i]), depth + 1, visible);
    if (visible && block) all_text_ += '\n';
  }

  // Text of <title>/<script>, whose children are raw text nodes.
  static std::string InlineTextRaw(const GumboNode* n) {
    std::string out;
    const GumboVector& kids = n->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) {
      const GumboNode* k = static_cast<GumboNode*>(kids.data[i]);
      if (k->type == GUMBO_NODE_TEXT || k->type == GUMBO_NODE_WHITESPACE || k->type == GUMBO_NODE_CDATA) out += k->v.text.text;
    }
    return n->v.element.tag == GUMBO_TAG_SCRIPT ? out : NormalizeWhitespace(out);
  }

  void FlushLine() {
    std::string line = NormalizeWhitespace(line_);
    std::string raw;
    if (line_.find('\t') != std::string::npos) {
      raw = line_;
      std::replace(raw.begin(), raw.end(), '\n', ' ');
      std::replace(raw.begin(), raw.end(), '\r', ' ');
    }
    line_.clear();
    if (line.empty() && !raw.empty()) {
      page_->body.push_back({"", -1, "\t"});  // a blank table cell printed as its own line
      return;
    }
    if (line.empty() || IsChromeLine(line)) return;
    page_->body.push_back({std::move(line), -1, std::move(raw)});
  }

  void EmitBlocks(const GumboNode* n, int depth) {
    if (depth > kMaxDepth) {
      page_->depth_limited = true;
      return;
    }
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA) {
      line_ += n->v.text.text;
      return;
    }
    if (n->type != GUMBO_NODE_ELEMENT) return;
    GumboTag tag = n->v.element.tag;
    if (IsSkipped(tag) || IsHidden(n)) return;
    if (tag == GUMBO_TAG_BR) {
      FlushLine();
      return;
    }
    if (tag == GUMBO_TAG_TABLE && !HasNestedTable(n)) {
      FlushLine();
      TableChunk* c = ChunkOf(n);
      page_->tables.push_back(c ? std::move(c->grid) : BuildGrid(n));
      page_->body.push_back({"", static_cast<int>(page_->tables.size()) - 1, ""});
      return;
    }
    bool block = IsBlock(tag);
    if (block) FlushLine();
    const GumboVector& kids = n->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) EmitBlocks(static_cast<GumboNode*>(kids.data[i]), depth + 1);
    if (block) FlushLine();
  }

  // Rows of `table` (through thead/tbody/tfoot, not into nested tables).
  static void CollectRows(const GumboNode* n, std::vector<const GumboNode*>* rows, std::string* caption) {
    const GumboVector& kids = n->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) {
      const GumboNode* k = static_cast<GumboNode*>(kids.data[i]);
      if (k->type != GUMBO_NODE_ELEMENT) continue;
      GumboTag t = k->v.element.tag;
      if (t == GUMBO_TAG_TR) rows->push_back(k);
      else if (t == GUMBO_TAG_TBODY || t == GUMBO_TAG_THEAD || t == GUMBO_TAG_TFOOT) CollectRows(k, rows, caption);
      else if (t == GUMBO_TAG_CAPTION) *caption = InlineText(k);
    }
  }

  static Grid BuildGrid(const GumboNode* table) {
    Grid g;
    std::vector<const GumboNode*> trs;
    CollectRows(table, &trs, &g.caption);
    // occupied[r][c] = origin id, -1 = free.
    std::vector<std::vector<int>> occ(trs.size());
    std::vector<std::string> texts;
    size_t width = 0, cells = 0;
    for (size_t r = 0; r < trs.size(); ++r) {
      const GumboVector& kids = trs[r]->v.element.children;
      size_t c = 0;
      for (unsigned i = 0; i < kids.length; ++i) {
        const GumboNode* td = static_cast<GumboNode*>(kids.data[i]);
        if (td->type != GUMBO_NODE_ELEMENT || (td->v.element.tag != GUMBO_TAG_TD && td->v.element.tag != GUMBO_TAG_TH)) continue;
        while (c < occ[r].size() && occ[r][c] != -1) ++c;
        int cs = IntAttr(td, "colspan", kMaxColspan);
        int rs = std::min<int>(IntAttr(td, "rowspan", kMaxRowspan), static_cast<int>(trs.size() - r));
        int id = static_cast<int>(texts.size());
        texts.push_back(InlineText(td));
        for (int dr = 0; dr < rs; ++dr) {
          auto& row = occ[r + dr];
          if (row.size() < c + cs) row.resize(c + cs, -1);
          for (int dc = 0; dc < cs; ++dc) {
            if (row[c + dc] == -1) row[c + dc] = id;
          }
        }
        cells += static_cast<size_t>(cs) * rs;
        c += cs;
        width = std::max(width, c);
        if (cells > kMaxGridCells) break;
      }
      if (cells > kMaxGridCells) {
        occ.resize(r + 1);
        break;
      }
    }
    for (const auto& row : occ) width = std::max(width, row.size());
    for (auto& row : occ) {
      std::vector<std::string> texts_row;
      row.resize(width, -1);
      for (int id : row) texts_row.push_back(id >= 0 ? texts[id] : std::string());
      g.rows.push_back(std::move(texts_row));
    }
    // Free positions get their own fresh ids, so they never look like spans.
    int next = static_cast<int>(texts.size());
    for (auto& row : occ) {
      for (int& id : row) {
        if (id < 0) id = next++;
      }
    }
    g.origin = std::move(occ);
    return g;
  }

  // The chunk a placeholder table stands for, or nullptr.
  TableChunk* ChunkOf(const GumboNode* n) const {
    if (!chunks_ || n->type != GUMBO_NODE_ELEMENT || n->v.element.tag != GUMBO_TAG_TABLE) return nullptr;
    const char* k = Attr(n, kChunkAttr);
    if (!k) return nullptr;
    size_t i = std::strtoul(k, nullptr, 10);
    return i < chunks_->size() ? &(*chunks_)[i] : nullptr;
  }

  HtmlPage* page_;
  LinkScope link_scope_;
  std::vector<TableChunk>* chunks_;
  std::string all_text_;
  std::vector<std::pair<const GumboNode*, Score>> scores_;  // elements with text, by address
  std::string line_;
};

// Where nesting first exceeds `max_depth`, or the start tags `max_elements`;
// npos if never. Gumbo's tree
// construction is quadratic in the depth of open elements, so hostile
// nesting is cut before parsing. Counted as the tree builder counts: a start
// tag opens an element (void and implicitly closed ones aside, and script or
// style text skipped), and an end tag closes only an element that is open
// (among the innermost 64: a deeper match is taken as none, which can only
// cut sooner), so "<div></x>" repeated nests as deep as Gumbo would.
size_t NestingCut(std::string_view h, size_t max_depth, size_t max_elements) {
  // Elements that never stay open: void ones, and those a sibling closes.
  auto flat = [](const TagName& t) {
    static constexpr TagName kFlat[] = {
        Tag("area"), Tag("base"), Tag("br"), Tag("col"), Tag("embed"), Tag("hr"), Tag("img"), Tag("input"),
        Tag("link"), Tag("meta"), Tag("param"), Tag("source"), Tag("track"), Tag("wbr"), Tag("p"), Tag("li"),
        Tag("td"), Tag("th"), Tag("tr"), Tag("option"), Tag("dt"), Tag("dd"), Tag("!doctype")};
    return std::find(std::begin(kFlat), std::end(kFlat), t) != std::end(kFlat);
  };
  constexpr size_t kSearch = 64;
  std::vector<TagName> open;
  size_t elements = 0;
  for (size_t i = h.find('<'); i != std::string_view::npos && i + 1 < h.size(); i = h.find('<', i + 1)) {
    if (h.compare(i, 4, "<!--") == 0) {
      size_t end = h.find("-->", i + 4);
      if (end == std::string_view::npos) return std::string_view::npos;
      i = end;
      continue;
    }
    bool closing = h[i + 1] == '/';
    size_t n = i + 1 + closing;
    size_t e = n;
    while (e < h.size() && (IsAsciiAlnum(h[e]) || h[e] == '!')) ++e;
    if (e == n) continue;
    // The lower-case name; a longer one is no name that matters (empty).
    TagName name;
    if (e - n <= 16) {
      for (size_t k = n; k < e; ++k) name.Append(k - n, AsciiLower(h[k]));
    }
    const bool is_flat = flat(name);
    if (closing) {
      if (is_flat || name.empty()) continue;
      for (size_t k = open.size(); k-- > 0 && open.size() - k <= kSearch;) {
        if (open[k] == name) {
          open.resize(k);  // it and everything opened inside it
          break;
        }
      }
      continue;
    }
    if (++elements > max_elements) return i;
    if (name == Tag("script") || name == Tag("style")) {  // raw text: skip to its end tag
      const size_t len = e - n;
      size_t end = h.find("</", e);
      while (end != std::string_view::npos) {
        size_t k = 0;
        while (k < len && end + 2 + k < h.size() && AsciiLower(h[end + 2 + k]) == AsciiLower(h[n + k])) ++k;
        if (k == len) break;
        end = h.find("</", end + 2);
      }
      if (end == std::string_view::npos) return std::string_view::npos;
      i = end;
      continue;
    }
    size_t close = h.find('>', e);
    if (close == std::string_view::npos) break;
    if (is_flat || h[close - 1] == '/') continue;
    open.push_back(name);
    if (open.size() > max_depth) return i;
  }
  return std::string_view::npos;
}

}  // namespace

std::string_view WithinParseDepth(std::string_view html, bool* cut) {
  const size_t at = NestingCut(html, kMaxParseDepth, kMaxParseElements);
  *cut = at != std::string_view::npos;
  return *cut ? html.substr(0, at) : html;
}

bool IsChromeLine(std::string_view line) { return PageChrome::Instance().Matches(line); }

namespace {

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// HTML's whitespace (the tokenizer's, not Unicode's).
bool IsHtmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// True if `hay` contains `lower` (lower-case ASCII) in any case.
bool ContainsNoCase(std::string_view hay, std::string_view lower) {
  return std::search(hay.begin(), hay.end(), lower.begin(), lower.end(), [](char a, char b) {
           return (a >= 'A' && a <= 'Z' ? a + ('a' - 'A') : a) == b;  // ASCII only: no locale call
         }) != hay.end();
}

// The lower-case name of the tag at s[pos] == '<' (empty if none), and
// whether it is an end tag.
TagName TagNameAt(std::string_view s, size_t pos, bool* end_tag) {
  size_t i = pos + 1;
  *end_tag = i < s.size() && s[i] == '/';
  if (*end_tag) ++i;
  TagName name;
  size_t n = 0;
  while (i < s.size() && (IsAsciiAlpha(s[i]) || (n > 0 && s[i] >= '0' && s[i] <= '9')) && n < 16) name.Append(n++, AsciiLower(s[i++]));
  if (i < s.size() && s[i] != '>' && s[i] != '/' && !IsHtmlSpace(s[i])) return TagName();
  return name;
}

bool IsTableTagName(const TagName& n) {
  return n == Tag("table") || n == Tag("thead") || n == Tag("tbody") || n == Tag("tfoot") || n == Tag("tr") ||
         n == Tag("td") || n == Tag("th");
}

// Index just past the '>' closing the tag that starts at `pos` (quoted
// attribute values skipped); s.size() if it never closes.
size_t TagEnd(std::string_view s, size_t pos) {
  char quote = 0;
  for (size_t i = pos + 1; i < s.size(); ++i) {
    if (quote) {
      if (s[i] == quote) quote = 0;
    } else if (s[i] == '"' || s[i] == '\'') {
      quote = s[i];
    } else if (s[i] == '>') {
      return i + 1;
    }
  }
  return s.size();
}

// Index of "</name" (any case) at or after `from`, or s.size().
size_t FindEndTag(std::string_view s, size_t from, const TagName& name) {
  for (size_t i = s.find("</", from); i != std::string_view::npos; i = s.find("</", i + 2)) {
    bool end = false;
    if (TagNameAt(s, i, &end) == name) return i;
  }
  return s.size();
}

// One piece of markup at s[pos] == '<': a comment, a tag (with the raw text
// after a script, style, textarea or title start tag), or a lone '<'.
struct Markup {
  size_t end = 0;         // just past it; s.size() if it never closes
  TagName name;           // lower-case tag name; empty for a comment or a lone '<'
  bool end_tag = false;
  bool raw_text = false;  // a start tag and its raw text, up to its end tag
};

Markup MarkupAt(std::string_view s, size_t pos) {
  Markup m;
  if (s.compare(pos, 4, "<!--") == 0) {
    size_t close = s.find("-->", pos + 4);
    m.end = close == std::string_view::npos ? s.size() : close + 3;
    return m;
  }
  m.name = TagNameAt(s, pos, &m.end_tag);
  m.end = m.name.empty() ? pos + 1 : TagEnd(s, pos);
  m.raw_text = !m.end_tag && (m.name == Tag("script") || m.name == Tag("style") || m.name == Tag("textarea") ||
                              m.name == Tag("title"));
  if (m.raw_text) m.end = FindEndTag(s, m.end, m.name);
  return m;
}

// The parts of the start tag [tag_begin, tag_end) the walk can read, as
// [from, to) spans into `out`: the tag's name, the attributes it looks at
// (class, id, colspan, rowspan, href, title, name, content, property, type,
// charset, http-equiv, hidden) with their leading whitespace, a style that
// may hide (one saying none or hidden, an unquoted one, or every style when
// there are several: IsHidden reads the first), and the tag's end. The rest
// (width, align, valign, lang, border, an inert style, ...) costs Gumbo's
// tokenizer and allocator and changes nothing the walk reads. Returns the
// number of spans; 0 keeps the tag whole (nothing to drop, odd syntax, or
// more attributes than `out` holds).
constexpr size_t kMaxTagSpans = 24;
size_t ReadableSpans(std::string_view v, size_t tag_begin, size_t tag_end, std::pair<size_t, size_t> (&out)[kMaxTagSpans]) {
  static constexpr TagName kRead[] = {Tag("class"), Tag("id"), Tag("colspan"), Tag("rowspan"), Tag("href"),
                                      Tag("title"), Tag("name"), Tag("content"), Tag("property"), Tag("type"),
                                      Tag("charset"), Tag("http-equiv"), Tag("hidden")};
  struct Attribute {
    size_t from, to;  // with its leading whitespace
    bool keep, style;
  };
  Attribute attrs[kMaxTagSpans];
  size_t count = 0, styles = 0;
  bool dropped = false;
  size_t i = tag_begin + 1;
  while (i < tag_end && !IsHtmlSpace(v[i]) && v[i] != '>' && v[i] != '/') ++i;  // the tag name
  const size_t name_end = i;
  size_t tail = i;
  while (i < tag_end) {
    const size_t ws = i;
    while (i < tag_end && (IsHtmlSpace(v[i]) || v[i] == '/')) ++i;
    const size_t name_begin = i;
    while (i < tag_end && !IsHtmlSpace(v[i]) && v[i] != '=' && v[i] != '>' && v[i] != '/') ++i;
    const std::string_view name = v.substr(name_begin, i - name_begin);
    tail = ws;
    if (name.empty()) break;
    size_t j = i;
    while (j < tag_end && IsHtmlSpace(v[j])) ++j;
    bool quoted = false;
    std::string_view value;
    if (j < tag_end && v[j] == '=') {
      ++j;
      while (j < tag_end && IsHtmlSpace(v[j])) ++j;
      if (j < tag_end && (v[j] == '"' || v[j] == '\'')) {
        size_t close = v.find(v[j], j + 1);
        if (close == std::string_view::npos || close >= tag_end) return 0;
        value = v.substr(j + 1, close - j - 1);
        quoted = true;
        j = close + 1;
      } else {
        while (j < tag_end && !IsHtmlSpace(v[j]) && v[j] != '>') ++j;
      }
      i = j;
    }
    if (count == kMaxTagSpans - 2) return 0;
    TagName lower;
    if (name.size() <= 16) {
      for (size_t k = 0; k < name.size(); ++k) lower.Append(k, AsciiLower(name[k]));
    }
    Attribute a{ws, i, false, lower == Tag("style")};
    if (a.style) {
      ++styles;
      a.keep = !quoted || ContainsNoCase(value, "none") || ContainsNoCase(value, "hidden");
    } else {
      a.keep = std::find(std::begin(kRead), std::end(kRead), lower) != std::end(kRead);
    }
    dropped = dropped || !a.keep;
    attrs[count++] = a;
    tail = i;
  }
  if (!dropped) return 0;
  size_t n = 0;
  auto add = [&](size_t from, size_t to) {
    if (n > 0 && out[n - 1].second == from) out[n - 1].second = to;  // adjacent: one span
    else out[n++] = {from, to};
  };
  add(tag_begin, name_end);
  for (size_t k = 0; k < count; ++k) {
    if (attrs[k].keep || (attrs[k].style && styles > 1)) add(attrs[k].from, attrs[k].to);
  }
  add(tail, tag_end);
  return n;
}

}  // namespace

void CompactMarkup(std::string* html) {
  std::string& s = *html;
  const std::string_view v(s);
  size_t w = 0, r = 0;
  bool after_table_tag = false;
  auto copy = [&](size_t from, size_t to) {
    if (w != from) std::memmove(&s[w], &s[from], to - from);
    w += to - from;
  };
  while (r < v.size()) {
    if (v[r] == '<') {
      const Markup m = MarkupAt(v, r);
      std::pair<size_t, size_t> spans[kMaxTagSpans];
      const size_t n = !m.end_tag && !m.raw_text && !m.name.empty() ? ReadableSpans(v, r, m.end, spans) : 0;
      if (n > 0) {  // the tag with what the walk reads of it
        for (size_t k = 0; k < n; ++k) copy(spans[k].first, spans[k].second);
      } else {
        copy(r, m.end);  // a comment, and raw text, as they are
      }
      r = m.end;
      after_table_tag = IsTableTagName(m.name);
      continue;
    }
    // Text up to the next '<', copied at once; dropped only if it is a
    // whitespace run (no tab) between two table tags.
    size_t next = v.find('<', r);
    if (next == std::string_view::npos) next = v.size();
    bool drop = false;
    if (after_table_tag && next < v.size()) {
      const std::string_view text = v.substr(r, next - r);
      bool end_tag = false;
      drop = std::all_of(text.begin(), text.end(), [](char c) { return IsHtmlSpace(c) && c != '\t'; }) &&
             IsTableTagName(TagNameAt(v, next, &end_tag));
    }
    if (!drop) copy(r, next);
    r = next;
    after_table_tag = false;
  }
  s.resize(w);
}

bool IsAttachmentHref(std::string_view href) {
  std::string_view path = href.substr(0, href.find_first_of("?#"));
  for (std::string_view ext : {".pdf", ".docx", ".doc", ".wps"}) {
    if (path.size() > ext.size() &&
        std::equal(ext.begin(), ext.end(), path.end() - ext.size(),
                   [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); })) {
      return true;
    }
  }
  return false;
}

namespace {

// Gumbo's allocations for one parse, from a few large blocks. Gumbo makes
// thousands of small allocations (a node, a child vector, a text copy per
// cell) and frees few before the tree goes, so bumping a pointer is faster
// than malloc, and destroying the tree is freeing the blocks.
class ParseArena {
 public:
  static void* Allocate(void* self, size_t n) { return static_cast<ParseArena*>(self)->Take(n); }
  static void Deallocate(void*, void*) {}

 private:
  static constexpr size_t kBlock = 32 << 10;  // small blocks: little unused at the peak

  void* Take(size_t n) {
    n = (n + 15) & ~size_t{15};
    if (n > kBlock / 4) {  // a large buffer (a long text, a big child array) gets its own block
      blocks_.emplace_back(new (std::align_val_t{16}) char[n]);
      return blocks_.back().get();
    }
    if (n > free_) {
      blocks_.emplace_back(new (std::align_val_t{16}) char[kBlock]);
      at_ = blocks_.back().get();
      free_ = kBlock;
    }
    void* p = at_;
    at_ += n;
    free_ -= n;
    return p;
  }
  struct Free {
    void operator()(char* p) const { ::operator delete[](p, std::align_val_t{16}); }
  };
  std::vector<std::unique_ptr<char[], Free>> blocks_;
  char* at_ = nullptr;
  size_t free_ = 0;
};

struct ParsedTree {
  ParseArena arena;
  GumboOutput* output = nullptr;
};
using GumboTree = std::unique_ptr<ParsedTree>;

GumboTree Parse(std::string_view html) {
  auto tree = std::make_unique<ParsedTree>();
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 50;
  options.allocator = &ParseArena::Allocate;
  options.deallocator = &ParseArena::Deallocate;
  options.userdata = &tree->arena;
  tree->output = gumbo_parse_with_options(&options, html.data(), html.size());
  if (!tree->output) return nullptr;
  return tree;
}

// [begin, end) of every innermost <table>…</table> (no table inside) whose
// text holds nothing the page-wide scan treats apart (scripts, styles,
// meta, base, title), in page order.
std::vector<std::pair<size_t, size_t>> InnermostTables(std::string_view html) {
  std::vector<std::pair<size_t, size_t>> out;
  struct Open {
    size_t begin;
    bool nested;
  };
  std::vector<Open> open;
  for (size_t i = html.find('<'); i != std::string_view::npos; i = html.find('<', i)) {
    const Markup m = MarkupAt(html, i);
    if (m.name == Tag("table") && !m.end_tag) {
      if (!open.empty()) open.back().nested = true;
      open.push_back({i, false});
    } else if (m.name == Tag("table") && !open.empty()) {
      Open t = open.back();
      open.pop_back();
      if (!t.nested) out.emplace_back(t.begin, m.end);
    } else if (!open.empty() && (m.name == Tag("script") || m.name == Tag("style") || m.name == Tag("meta") ||
                                 m.name == Tag("base") || m.name == Tag("title") || m.name == Tag("textarea"))) {
      for (Open& o : open) o.nested = true;  // the page-wide scan reads these: not apart
    }
    i = m.end;
  }
  return out;
}

}  // namespace

HtmlPage ParseHtmlPage(std::string_view utf8, LinkScope links, TableParse table_parse) {
  HtmlPage page;
  utf8 = WithinParseDepth(utf8, &page.depth_limited);
  // Gumbo's tree of a data table is 20-30x its markup (a node, a child array
  // and a text copy per cell): each innermost table is parsed alone and
  // reduced to its grid and text first, and the page is parsed with an empty
  // <table> of the same start tag in its place, which its walk replaces with
  // the chunk. Only one table's tree, or the rest of the page's, is alive at
  // a time. A table that would not parse the same alone (content moved out
  // of it, a hidden or heading table) stays in the page.
  std::vector<TableChunk> chunks;
  std::string skeleton;
  if (table_parse == TableParse::kApart) {
    size_t copied = 0;
    for (const auto& [begin, end] : InnermostTables(utf8)) {
      TableChunk chunk;
      {
        GumboTree alone = Parse(utf8.substr(begin, end - begin));
        if (!alone || !Walker::MakeChunk(alone->output->document, links, &chunk)) continue;
      }
      const size_t tag_end = TagEnd(utf8, begin);
      skeleton.append(utf8.substr(copied, begin - copied));
      skeleton.append("<table ").append(kChunkAttr).append("=\"").append(std::to_string(chunks.size())).append("\"");
      skeleton.append(utf8.substr(begin + 6, tag_end - begin - 6)).append("</table>");
      copied = end;
      chunks.push_back(std::move(chunk));
    }
    if (!chunks.empty()) {
      skeleton.append(utf8.substr(copied));
      utf8 = skeleton;
    }
  }
  GumboTree out = Parse(utf8);
  if (!out) return page;
  Walker walker(&page, links, &chunks);
  walker.Run(out->output->document);
  out.reset();  // the tree is no longer needed
  walker.SplitPageLines();
  return page;
}

}  // namespace nianbao::extract
