// ReadPdf on PDFs written here byte by byte: a ruled table drawn with
// lines and Helvetica text, on an ordinary page and on a page 200 inches
// wide (a hostile MediaBox must not be rendered at full resolution).
#include "extract/pdf_document.h"

#include <doctest/doctest.h>

#include <sys/resource.h>

#include <cstdio>
#include <string>
#include <vector>

using namespace nianbao::extract;

namespace {

// A PDF of `pages` pages, each with `content` as its content stream.
std::string PagesPdf(const std::string& content, double width, double height, int pages) {
  char box[96];
  std::snprintf(box, sizeof box, "[0 0 %.0f %.0f]", width, height);
  // 1 catalog, 2 pages, 3 font, 4 the shared content stream, then one object a page.
  std::vector<std::string> objects = {"<< /Type /Catalog /Pages 2 0 R >>", "",
                                      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
                                      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream"};
  std::string kids;
  for (int i = 0; i < pages; ++i) {
    kids += std::to_string(5 + i) + " 0 R ";
    objects.push_back(std::string("<< /Type /Page /Parent 2 0 R /MediaBox ") + box +
                      " /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>");
  }
  objects[1] = "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>";
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

// A one-page PDF with `content` as its page's content stream.
std::string OnePagePdf(const std::string& content, double width, double height) {
  return PagesPdf(content, width, height, 1);
}

// Three rows of a label and three numbers, ruled, from the top-left (x, top).
std::string RuledTable(double x, double top) {
  std::string s = "0.5 w\n";
  const double xs[] = {x, x + 120, x + 170, x + 220, x + 270};
  for (int r = 0; r <= 3; ++r) {
    double y = top - 30 * r;
    s += std::to_string(xs[0]) + " " + std::to_string(y) + " m " + std::to_string(xs[4]) + " " + std::to_string(y) + " l S\n";
  }
  for (double cx : xs) {
    s += std::to_string(cx) + " " + std::to_string(top) + " m " + std::to_string(cx) + " " + std::to_string(top - 90) + " l S\n";
  }
  const char* labels[] = {"Alpha", "Beta", "Gamma"};
  for (int r = 0; r < 3; ++r) {
    double y = top - 30 * r - 19;
    s += "BT /F1 10 Tf " + std::to_string(x + 5) + " " + std::to_string(y) + " Td (" + labels[r] + ") Tj ET\n";
    for (int c = 0; c < 3; ++c) {
      s += "BT /F1 10 Tf " + std::to_string(xs[c + 1] + 5) + " " + std::to_string(y) + " Td (" +
           std::to_string(10 * r + c) + ") Tj ET\n";
    }
  }
  return s;
}

}  // namespace

TEST_CASE("ReadPdf: a ruled table drawn in the PDF is a table of the page") {
  auto page = ReadPdf(OnePagePdf(RuledTable(50, 700), 612, 792));
  REQUIRE_MESSAGE(page.ok(), page.status().ToString());
  REQUIRE(page.value().tables.size() == 1);
  const Grid& g = page.value().tables[0];
  REQUIRE(g.rows.size() == 3);
  CHECK(g.rows[0] == std::vector<std::string>{"Alpha", "0", "1", "2"});
  CHECK(g.rows[2] == std::vector<std::string>{"Gamma", "20", "21", "22"});
  REQUIRE(!page.value().body.empty());
  CHECK(page.value().body[0].table == 0);
}

TEST_CASE("ReadPdf: a page 200 inches square is read within the pixel budget") {
  // At 108 dpi this page would be 21,600 pixels square (466 MB of grey); the
  // budget renders it at 14 dpi or not at all, and its text is still read.
  auto page = ReadPdf(OnePagePdf(RuledTable(50, 700), 14400, 14400));
  REQUIRE_MESSAGE(page.ok(), page.status().ToString());
  bool alpha = false;
  for (const auto& b : page.value().body) alpha |= b.text.find("Alpha") != std::string::npos;
  CHECK(alpha);
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  CHECK(usage.ru_maxrss < 300 * 1024);  // KiB: the full-resolution image alone would be 466 MB
}

TEST_CASE("ReadPdf: at most 40 pages are rendered for their rules, whatever the PDF's length") {
  // 50 pages, each the same ruled table: the first 40 give grids; the rest
  // are read as lines (their values still reach the page's text), so a long
  // or hostile PDF costs a bounded number of renderings, and the same PDF
  // always gives the same record (a count, not a clock).
  // A line of text above each table: each page's table is a table of its own.
  const std::string content = "BT /F1 12 Tf 50 740 Td (Section) Tj ET\n" + RuledTable(50, 700);
  auto page = ReadPdf(PagesPdf(content, 612, 792, 50));
  REQUIRE_MESSAGE(page.ok(), page.status().ToString());
  CHECK(page.value().tables.size() == 40);
  size_t gamma_lines = 0;
  for (const auto& b : page.value().body) gamma_lines += b.table < 0 && b.text.find("Gamma") != std::string::npos;
  CHECK(gamma_lines == 10);
}
