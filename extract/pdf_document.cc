#include "extract/pdf_document.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "extract/flat_tables.h"
#include "extract/page_chrome.h"
#include "extract/pdf_tables.h"
#include "extract/text.h"

namespace nianbao::extract {
namespace {

constexpr int kMaxPages = 200;
// Pages with tables are rendered at this resolution to find their rules:
// 1.5 pixels a point keeps a 0.5 pt rule one dark pixel without antialiasing.
constexpr double kRulesDpi = 108;
constexpr double kMinRulesDpi = 60;
// Pages rendered for their rules, at most: a report's tables are on its first
// few pages, and rendering is most of a PDF's cost. A count, not a clock, so
// the same PDF always gives the same record. Later pages are read as lines.
constexpr int kMaxRenderedPages = 40;
constexpr double kMaxRulePixels = 8e6;  // an A4 page at 108 dpi is 1.1 million

struct Box {
  double x0, x1, y0, y1;
  std::string text;
  bool space_after;
};

std::string Utf8(const poppler::ustring& u) {
  poppler::byte_array b = u.to_utf8();
  return std::string(b.begin(), b.end());
}

void Silence(const std::string&, void*) {}

// "-3-", "— 3 —", "第3页", "第3页共5页", "3/5": page furniture, not text.
bool IsPageNumber(const std::string& k) {
  std::string digits_only;
  size_t digits = 0;
  for (size_t i = 0; i < k.size();) {
    char32_t cp = NextCodePoint(k, &i);
    if (cp >= '0' && cp <= '9') ++digits;
    else if (cp != '-' && cp != U'—' && cp != U'–' && cp != U'第' && cp != U'页' && cp != U'共' && cp != '/') return false;
  }
  return digits > 0 && digits <= 6 && (k.find('-') != std::string::npos || k.find("页") != std::string::npos ||
                                      k.find('/') != std::string::npos || k.find("—") != std::string::npos);
}

struct Line {
  double y;  // centre, points
  std::string text;
};

// Boxes of one page → lines (top to bottom) of cells (left to right).
std::vector<Line> PageLines(std::vector<Box> boxes) {
  std::vector<Line> out;
  for (auto& line : GroupLines(std::move(boxes), 0.45)) {
    const double y = (line.front().y0 + line.front().y1) / 2;
    std::string text;
    for (size_t i = 0; i < line.size(); ++i) {
      if (i > 0) {
        const Box& prev = line[i - 1];
        double h = std::max(1.0, std::min(prev.y1 - prev.y0, line[i].y1 - line[i].y0));
        double gap = line[i].x0 - prev.x1;
        // A gap wider than about a character separates table cells.
        if (gap > 0.8 * h) text += '\t';
        else if (prev.space_after && gap > 0.15 * h) text += ' ';
      }
      text += line[i].text;
    }
    out.push_back({y, std::move(text)});
  }
  return out;
}

// A page worth rendering for its rules: it prints enough numbers to hold
// one of the report's tables.
bool MayHoldTable(const std::vector<Box>& boxes) {
  int numbers = 0;
  for (const Box& b : boxes) {
    if (!b.text.empty() && b.text.size() <= 8 && std::all_of(b.text.begin(), b.text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      if (++numbers >= 6) return true;
    }
  }
  return false;
}

// The characters of a poppler word box, each with its own box.
void AddChars(const poppler::text_box& tb, const std::string& utf8, std::vector<PdfChar>* out) {
  size_t i = 0, k = 0;
  while (i < utf8.size()) {
    size_t start = i;
    NextCodePoint(utf8, &i);
    poppler::rectf r = tb.char_bbox(k++);
    if (r.width() <= 0 && r.height() <= 0) r = tb.bbox();
    out->push_back({r.left(), r.right(), r.top(), r.bottom(), utf8.substr(start, i - start)});
  }
}

std::string RowKey(const std::vector<std::string>& row) {
  std::string k;
  for (const auto& c : row) k += MatchKey(c);
  return k;
}

bool RowHasValue(const std::vector<std::string>& row) {
  return std::any_of(row.begin(), row.end(), [](const std::string& c) { return IsValueCell(c); });
}

// A row's label opens with an ordinal: "1.", "（三）", "二、".
bool StartsRow(const std::vector<std::string>& row) {
  // MatchKey has made full-width （ and ． ASCII already.
  static constexpr std::u32string_view kNumerals = U"一二三四五六七八九十";
  const auto numeral = [](char32_t c) { return (c >= '0' && c <= '9') || kNumerals.find(c) != std::u32string_view::npos; };
  for (const auto& cell : row) {
    const std::string k = MatchKey(cell);
    if (k.empty()) continue;
    size_t i = 0;
    const char32_t first = NextCodePoint(k, &i);
    if (first == '(') return true;
    if (!numeral(first)) return false;
    while (i < k.size()) {
      const char32_t next = NextCodePoint(k, &i);
      if (next == '.' || next == U'、') return true;
      if (!numeral(next)) return false;
    }
    return false;
  }
  return false;
}

// A table that goes on over a page break: the header rows printed again at
// the top of the new page are dropped, and a row the break cut in two (its
// label on one page, its values on the other) is joined again.
void ContinueTable(const Grid& before, Grid* g) {
  size_t repeated = 0;
  while (repeated < g->rows.size() && repeated < before.rows.size() && !RowHasValue(g->rows[repeated]) &&
         RowKey(g->rows[repeated]) == RowKey(before.rows[repeated])) {
    ++repeated;
  }
  g->rows.erase(g->rows.begin(), g->rows.begin() + repeated);
  g->origin.erase(g->origin.begin(), g->origin.begin() + repeated);
}

// Rows of a table's continuation on the next page, appended. Its origins
// are renumbered past the table's own; a row the page break cut in two (one
// part without any value, the other without a label of its own) is one row.
void AppendRows(Grid* g, Grid more) {
  int base = 0;
  for (const auto& row : g->origin) {
    for (int id : row) base = std::max(base, id + 1);
  }
  for (auto& row : more.origin) {
    for (int& id : row) id += base;
  }
  size_t from = 0;
  if (!g->rows.empty() && !more.rows.empty()) {
    auto& last = g->rows.back();
    const auto& first = more.rows.front();
    bool last_values = RowHasValue(last), first_values = RowHasValue(first);
    if (last_values != first_values && !StartsRow(first)) {
      for (size_t c = 0; c < last.size(); ++c) {
        if (c > 0 && g->origin.back()[c] == g->origin.back()[c - 1]) {
          last[c] = last[c - 1];
          continue;
        }
        last[c] = first_values && IsValueCell(first[c]) ? first[c] : last[c] + first[c];
      }
      from = 1;
    }
  }
  for (size_t r = from; r < more.rows.size(); ++r) {
    g->rows.push_back(std::move(more.rows[r]));
    g->origin.push_back(std::move(more.origin[r]));
  }
}

}  // namespace

Result<HtmlPage> ReadPdf(std::string_view bytes, const std::function<bool()>& keep_going) {
  poppler::set_debug_error_function(&Silence, nullptr);
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) return Status::Corruption("PDF too large");
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) return Status::Corruption("not a readable PDF");
  if (doc->is_locked()) return Status::Unsupported("encrypted PDF");
  HtmlPage page;
  std::string title = NormalizeWhitespace(Utf8(doc->get_title()));
  if (!title.empty()) page.meta["title"] = title;
  const int pages = std::min(doc->pages(), kMaxPages);
  size_t chars = 0;
  poppler::page_renderer renderer;
  renderer.set_image_format(poppler::image::format_gray8);
  renderer.set_render_hints(0);  // no antialiasing: a thin rule stays one dark pixel
  bool table_open = false;       // the last block so far is a table (it may go on)
  int rendered = 0;              // pages rendered for their rules so far
  for (int i = 0; i < pages; ++i) {
    if (keep_going && !keep_going()) {
      return Status::OverBudget("stopped before page " + std::to_string(i + 1) + " of " + std::to_string(doc->pages()));
    }
    std::unique_ptr<poppler::page> p(doc->create_page(i));
    if (!p) continue;
    std::vector<Box> boxes;
    std::vector<poppler::text_box> words = p->text_list();
    for (const auto& tb : words) {
      std::string t = Utf8(tb.text());
      if (t.empty()) continue;
      poppler::rectf r = tb.bbox();
      chars += t.size();
      boxes.push_back({r.left(), r.right(), r.top(), r.bottom(), std::move(t), tb.has_space_after()});
    }
    std::vector<RuledTable> tables;
    if (rendered < kMaxRenderedPages && MayHoldTable(boxes)) {
      ++rendered;
      std::vector<PdfChar> glyphs;
      for (size_t w = 0, b = 0; w < words.size(); ++w) {
        if (words[w].text().empty()) continue;
        AddChars(words[w], boxes[b++].text, &glyphs);
      }
      // A page is rendered within a pixel budget: an oversized page (a
      // hostile MediaBox) is rendered coarser, or not at all.
      poppler::rectf box = p->page_rect();
      double area_in2 = std::max(1.0, box.width() * box.height()) / (72.0 * 72.0);
      double dpi = std::min(kRulesDpi, std::sqrt(kMaxRulePixels / area_in2));
      poppler::image im = dpi >= kMinRulesDpi ? renderer.render_page(p.get(), dpi, dpi) : poppler::image();
      if (im.is_valid()) {
        PageImage view{im.width(), im.height(), im.bytes_per_row(), dpi / 72, reinterpret_cast<const uint8_t*>(im.const_data())};
        tables = FindRuledTables(view, glyphs);
      }
    }
    // Words inside a table are its cells' text, not lines of the page.
    auto in_table = [&](const Box& b) {
      double cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
      return std::any_of(tables.begin(), tables.end(), [&](const RuledTable& t) { return cx > t.x0 && cx < t.x1 && cy > t.y0 && cy < t.y1; });
    };
    boxes.erase(std::remove_if(boxes.begin(), boxes.end(), in_table), boxes.end());
    std::vector<Line> lines = PageLines(std::move(boxes));
    size_t next_table = 0;
    auto add_table = [&](RuledTable& t) {
      for (const auto& row : t.grid.rows) {
        std::string joined;
        for (size_t c = 0; c < row.size(); ++c) {
          if (c > 0 && t.grid.origin.back()[c] == t.grid.origin.back()[c - 1]) continue;
          joined += (joined.empty() ? "" : "\t") + row[c];
        }
        page.page_lines.push_back(NormalizeWhitespace(joined));
      }
      if (table_open && !page.tables.empty()) {
        Grid& before = page.tables.back();
        ContinueTable(before, &t.grid);
        if (t.grid.rows.empty()) return;
        if (before.width() == t.grid.width()) {
          AppendRows(&before, std::move(t.grid));
          return;
        }
      }
      page.tables.push_back(std::move(t.grid));
      page.body.push_back({"", static_cast<int>(page.tables.size() - 1), ""});
      table_open = true;
    };
    for (auto& line : lines) {
      while (next_table < tables.size() && tables[next_table].y0 < line.y) add_table(tables[next_table++]);
      std::string text = NormalizeWhitespace(line.text);
      if (text.empty()) continue;
      page.page_lines.push_back(text);
      // Page numbers ("-3-", "第3页") and running heads are not report text.
      std::string k = MatchKey(text);
      if (IsPageNumber(k)) continue;
      table_open = false;
      if (page.headings.size() < 5 && (k.find("报告") != std::string::npos || k.find("年报") != std::string::npos)) {
        // A title printed over two lines: "淮安市人民政府" above "2024 年…年度报告".
        // Spaces inside a PDF title are layout, not text.
        std::string title = k;
        if (i == 0 && page.body.size() == 1 && k.size() < 120) title = MatchKey(page.body[0].text) + k;
        page.headings.push_back(title);
      }
      std::string raw = line.text.find('\t') != std::string::npos ? line.text : std::string();
      page.body.push_back({std::move(text), -1, std::move(raw)});
    }
    while (next_table < tables.size()) add_table(tables[next_table++]);
  }
  if (chars == 0) return Status::Unsupported("PDF has no text layer (scanned image); OCR is not supported");
  return page;
}

}  // namespace nianbao::extract
