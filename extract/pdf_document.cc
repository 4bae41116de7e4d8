#include "extract/pdf_document.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "extract/page_chrome.h"
#include "extract/text.h"

namespace nianbao::extract {
namespace {

constexpr int kMaxPages = 200;

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

// Boxes of one page → lines (top to bottom) of cells (left to right).
std::vector<std::string> PageLines(std::vector<Box> boxes) {
  std::sort(boxes.begin(), boxes.end(), [](const Box& a, const Box& b) { return a.y0 + a.y1 < b.y0 + b.y1; });
  std::vector<std::vector<Box>> lines;
  for (auto& b : boxes) {
    double yc = (b.y0 + b.y1) / 2, h = std::max(1.0, b.y1 - b.y0);
    if (!lines.empty()) {
      const Box& ref = lines.back().front();
      double ryc = (ref.y0 + ref.y1) / 2, rh = std::max(1.0, ref.y1 - ref.y0);
      if (std::fabs(yc - ryc) < 0.45 * std::min(h, rh)) {
        lines.back().push_back(std::move(b));
        continue;
      }
    }
    lines.push_back({std::move(b)});
  }
  std::vector<std::string> out;
  for (auto& line : lines) {
    std::sort(line.begin(), line.end(), [](const Box& a, const Box& b) { return a.x0 < b.x0; });
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
    out.push_back(std::move(text));
  }
  return out;
}

}  // namespace

Result<HtmlPage> ReadPdf(std::string_view bytes) {
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
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> p(doc->create_page(i));
    if (!p) continue;
    std::vector<Box> boxes;
    for (const auto& tb : p->text_list()) {
      std::string t = Utf8(tb.text());
      if (t.empty()) continue;
      poppler::rectf r = tb.bbox();
      chars += t.size();
      boxes.push_back({r.left(), r.right(), r.top(), r.bottom(), std::move(t), tb.has_space_after()});
    }
    for (auto& line : PageLines(std::move(boxes))) {
      std::string text = NormalizeWhitespace(line);
      if (text.empty()) continue;
      page.page_lines.push_back(text);
      // Page numbers ("-3-", "第3页") and running heads are not report text.
      std::string k = MatchKey(text);
      if (IsPageNumber(k)) continue;
      if (page.headings.size() < 5 && (k.find("报告") != std::string::npos || k.find("年报") != std::string::npos)) {
        // A title printed over two lines: "淮安市人民政府" above "2024 年…年度报告".
        // Spaces inside a PDF title are layout, not text.
        std::string title = k;
        if (i == 0 && page.body.size() == 1 && k.size() < 120) title = MatchKey(page.body[0].text) + k;
        page.headings.push_back(title);
      }
      std::string raw = line.find('\t') != std::string::npos ? line : std::string();
      page.body.push_back({std::move(text), -1, std::move(raw)});
    }
  }
  if (chars == 0) return Status::Unsupported("PDF has no text layer (scanned image); OCR is not supported");
  return page;
}

}  // namespace nianbao::extract
