// Ruled tables from a drawn page: rules are drawn into a grey buffer at a
// known scale, characters are placed by their boxes, and the grid read back
// must be the one drawn. The PDFs of tests/data (report_corpus_test.cc) test
// the same code on real office exports.
#include "extract/pdf_tables.h"

#include <doctest/doctest.h>

using namespace nianbao::extract;

namespace {

// A white page, drawn in points, stored at `scale` pixels a point.
struct Canvas {
  explicit Canvas(double w_pt, double h_pt, double scale = 1.5)
      : scale(scale), w(static_cast<int>(w_pt * scale)), h(static_cast<int>(h_pt * scale)), px(size_t(w) * h, 255) {}
  void HLine(double y, double x0, double x1, int thick = 1) {
    int py = static_cast<int>(y * scale);
    for (int t = 0; t < thick; ++t) {
      for (int x = static_cast<int>(x0 * scale); x <= static_cast<int>(x1 * scale); ++x) px[size_t(py + t) * w + x] = 0;
    }
  }
  void VLine(double x, double y0, double y1) {
    int pxx = static_cast<int>(x * scale);
    for (int y = static_cast<int>(y0 * scale); y <= static_cast<int>(y1 * scale); ++y) px[size_t(y) * w + pxx] = 0;
  }
  void Fill(double x0, double y0, double x1, double y1, uint8_t grey) {
    for (int y = static_cast<int>(y0 * scale); y <= static_cast<int>(y1 * scale); ++y) {
      for (int x = static_cast<int>(x0 * scale); x <= static_cast<int>(x1 * scale); ++x) px[size_t(y) * w + x] = grey;
    }
  }
  // A row of glyphs from (x, y), each `size` points square; their strokes
  // are drawn as ink inside their boxes, as a rendered page has them.
  void Text(double x, double y, const std::vector<std::string>& glyphs, double size = 10) {
    for (const auto& g : glyphs) {
      chars.push_back({x, x + size, y, y + size, g});
      HLine(y + size / 2, x + 1, x + size - 1);  // the "一" of every glyph: not a rule
      x += size;
    }
  }
  PageImage Image() const { return {w, h, w, scale, px.data()}; }

  double scale;
  int w, h;
  std::vector<uint8_t> px;
  std::vector<PdfChar> chars;
};

// Draws a table: column rules at xs, row rules at ys, full length.
void Ruled(Canvas* c, const std::vector<double>& xs, const std::vector<double>& ys) {
  for (double y : ys) c->HLine(y, xs.front(), xs.back());
  for (double x : xs) c->VLine(x, ys.front(), ys.back());
}

}  // namespace

TEST_CASE("pdf tables: cells of a ruled grid, a wrapped label is one cell's text") {
  Canvas c(300, 200);
  Ruled(&c, {20, 120, 180, 240}, {20, 60, 100});
  c.Text(25, 25, {"本", "年", "新", "收"});
  c.Text(25, 40, {"申", "请"});  // the label's second line
  c.Text(145, 35, {"2", "4"}, 6);
  c.Text(205, 35, {"0"}, 6);
  c.Text(25, 75, {"结", "转"});
  c.Text(145, 75, {"1"}, 6);
  c.Text(205, 75, {"7"}, 6);
  auto tables = FindRuledTables(c.Image(), c.chars);
  REQUIRE(tables.size() == 1);
  const Grid& g = tables[0].grid;
  REQUIRE(g.rows.size() == 2);
  CHECK(g.rows[0] == std::vector<std::string>{"本年新收申请", "24", "0"});
  CHECK(g.rows[1] == std::vector<std::string>{"结转", "1", "7"});
  CHECK(tables[0].x0 == doctest::Approx(20).epsilon(0.02));
  CHECK(tables[0].y1 == doctest::Approx(100).epsilon(0.02));
}

TEST_CASE("pdf tables: a missing rule merges cells, which repeat one text under one origin") {
  Canvas c(300, 200);
  // Row rule at y=60 drawn only under columns 2 and 3: column 1 spans both rows.
  for (double y : {20.0, 100.0}) c.HLine(y, 20, 240);
  c.HLine(60, 120, 240);
  for (double x : {20.0, 120.0, 180.0, 240.0}) c.VLine(x, 20, 100);
  c.Text(25, 55, {"不", "予", "公", "开"});
  c.Text(145, 35, {"3"}, 6);
  c.Text(205, 35, {"4"}, 6);
  c.Text(145, 75, {"5"}, 6);
  c.Text(205, 75, {"6"}, 6);
  auto tables = FindRuledTables(c.Image(), c.chars);
  REQUIRE(tables.size() == 1);
  const Grid& g = tables[0].grid;
  REQUIRE(g.rows.size() == 2);
  CHECK(g.rows[0] == std::vector<std::string>{"不予公开", "3", "4"});
  CHECK(g.rows[1] == std::vector<std::string>{"不予公开", "5", "6"});
  CHECK(g.origin[0][0] == g.origin[1][0]);
  CHECK(g.origin[0][1] != g.origin[1][1]);
}

TEST_CASE("pdf tables: a table cut by the page break keeps its last row") {
  Canvas c(300, 200);
  for (double y : {20.0, 60.0}) c.HLine(y, 20, 240);
  for (double x : {20.0, 120.0, 240.0}) c.VLine(x, 20, 100);  // no closing rule at the bottom
  c.Text(25, 35, {"甲"});
  c.Text(145, 35, {"1"}, 6);
  c.Text(25, 75, {"乙"});
  c.Text(145, 75, {"2"}, 6);
  auto tables = FindRuledTables(c.Image(), c.chars);
  REQUIRE(tables.size() == 1);
  REQUIRE(tables[0].grid.rows.size() == 2);
  CHECK(tables[0].grid.rows[1] == std::vector<std::string>{"乙", "2"});
}

TEST_CASE("pdf tables: a shaded row's band is bounded by its edges, not read as many rules") {
  Canvas c(300, 200);
  Ruled(&c, {20, 120, 240}, {20, 40, 80});
  c.Fill(20, 20, 240, 40, 120);  // a dark shaded band between the first two rules
  c.Text(25, 25, {"第", "二", "十", "条"});
  c.Text(25, 55, {"规", "章"});
  c.Text(145, 55, {"9"}, 6);
  auto tables = FindRuledTables(c.Image(), c.chars);
  REQUIRE(tables.size() == 1);
  const Grid& g = tables[0].grid;
  REQUIRE(g.rows.size() == 2);
  CHECK(g.rows[0][0] == "第二十条");
  CHECK(g.rows[1] == std::vector<std::string>{"规章", "9"});
}

TEST_CASE("pdf tables: no table in underlines, lone boxes' strokes or glyphs off the page") {
  Canvas c(300, 200);
  c.HLine(50, 20, 200);  // an underline
  c.HLine(90, 20, 200);
  c.Text(20, 120, {"一", "二", "三"});
  c.chars.push_back({500, 520, 10, 20, "x"});     // beyond the right edge
  c.chars.push_back({10, 20, -40, -30, "y"});     // above the page
  c.chars.push_back({30, 30, 10, 10, "z"});       // no box at all
  CHECK(FindRuledTables(c.Image(), c.chars).empty());
  CHECK(FindRuledTables(PageImage{}, c.chars).empty());
}

TEST_CASE("pdf tables: JoinChars keeps a printed gap, wraps CJK without a space") {
  std::vector<PdfChar> chars = {{0, 5, 0, 10, "6"}, {5, 10, 0, 10, "1"}, {10, 12, 0, 10, "."}, {12, 17, 0, 10, "4"},
                                {17, 27, 0, 10, "万"}, {27, 37, 0, 10, "元"}};
  CHECK(JoinChars(chars) == "61.4万元");
  chars = {{0, 10, 0, 10, "申"}, {0, 10, 12, 22, "请"}, {30, 40, 0, 10, "数"}};
  CHECK(JoinChars(chars) == "申 数请");  // two lines; a wide gap on the first
  chars = {{0, 6, 0, 10, "a"}, {0, 6, 12, 22, "b"}};
  CHECK(JoinChars(chars) == "a b");  // Latin words wrapped: a space
}
