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

// The text of characters: grouped into lines by baseline, each left to
// right with a space where the gap is wider than a third of the glyph
// height; lines joined without a space (CJK text wraps without one) unless
// both sides are ASCII letters or digits.
std::string JoinChars(std::vector<PdfChar> chars);

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_PDF_TABLES_H_
