// Tables of a PDF page read from their ruling lines, the way a reader sees
// them: the page is rendered in grey, long thin dark runs outside the glyphs
// are the rules, the rules cut the table into cells, and each character goes
// to the cell that holds its centre. A cell without its rule on one side is
// merged with its neighbour and carries one text, as a DOCX merged cell does.
// A label wrapped over several lines, values centred beside it, or a cell's
// text set in two boxes are then simply the text of one cell.
// Pure: an image and positioned characters in, grids out.
#ifndef NIANBAO_EXTRACT_PDF_TABLES_H_
#define NIANBAO_EXTRACT_PDF_TABLES_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "extract/html_page.h"

namespace nianbao::extract {

// One character on a page, in points, y growing downwards.
struct PdfChar {
  double x0, x1, y0, y1;
  std::string text;  // UTF-8, one code point
};

// A rendering of the page: 0 black … 255 white, row-major, `scale` pixels
// per point.
struct PageImage {
  int width = 0, height = 0, stride = 0;
  double scale = 1;
  const uint8_t* pixels = nullptr;
};

struct RuledTable {
  double x0, y0, x1, y1;  // the outer rules, in points
  Grid grid;              // merged cells repeat their text under one origin id
};

// The ruled tables of one page, top to bottom. A table needs at least two
// horizontal and two vertical rules that meet; underlines and frames of
// single boxes are not tables. A page of more than 4,000 rule pieces
// (hatching, a drawing) has none.
std::vector<RuledTable> FindRuledTables(const PageImage& image, const std::vector<PdfChar>& chars);

// Boxes (anything with x0, x1, y0, y1) grouped into lines, top to bottom,
// each left to right: a box joins the line whose first box's centre is
// within `tolerance` of the smaller box height of its own centre.
template <typename B>
std::vector<std::vector<B>> GroupLines(std::vector<B> boxes, double tolerance) {
  std::sort(boxes.begin(), boxes.end(), [](const B& a, const B& b) { return a.y0 + a.y1 < b.y0 + b.y1; });
  std::vector<std::vector<B>> lines;
  for (auto& b : boxes) {
    const double yc = (b.y0 + b.y1) / 2, h = std::max(1.0, b.y1 - b.y0);
    if (!lines.empty()) {
      const B& ref = lines.back().front();
      const double ryc = (ref.y0 + ref.y1) / 2, rh = std::max(1.0, ref.y1 - ref.y0);
      if (std::fabs(yc - ryc) < tolerance * std::min(h, rh)) {
        lines.back().push_back(std::move(b));
        continue;
      }
    }
    lines.push_back({std::move(b)});
  }
  for (auto& line : lines) {
    std::sort(line.begin(), line.end(), [](const B& a, const B& b) { return a.x0 < b.x0; });
  }
  return lines;
}

// The text of characters: grouped into lines by baseline, each left to
// right with a space where the gap is wider than a third of the glyph
// height; lines joined without a space (CJK text wraps without one) unless
// both sides are ASCII letters or digits.
std::string JoinChars(std::vector<PdfChar> chars);

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_PDF_TABLES_H_
