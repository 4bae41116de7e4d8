#include "extract/pdf_tables.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace nianbao::extract {
namespace {

constexpr int kInk = 200;          // darker than this is ink (light shading is not)
constexpr double kMinRunPt = 6;    // a rule piece is at least this long
constexpr double kMaxRulePt = 2.5; // thicker ink is a filled band: its edges are rules
constexpr size_t kMaxRules = 4000;  // rule pieces on one page

// A rule: `pos` across it, [a0, a1] along it, in pixels.
struct Rule {
  double pos, a0, a1;
};

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  size_t Find(size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void Join(size_t a, size_t b) { parent_[Find(a)] = Find(b); }

 private:
  std::vector<size_t> parent_;
};

// Ink outside the glyphs: rules never cross a character's box. A glyph set
// on a filled band (a shaded cell) takes the band's ink, so the band stays
// whole and its edges are found.
std::vector<uint8_t> RuleInk(const PageImage& im, const std::vector<PdfChar>& chars) {
  const size_t w = im.width;
  std::vector<uint8_t> ink(w * im.height);
  for (int y = 0; y < im.height; ++y) {
    const uint8_t* row = im.pixels + static_cast<size_t>(y) * im.stride;
    for (int x = 0; x < im.width; ++x) ink[y * w + x] = row[x] < kInk;
  }
  auto at = [&](int x, int y) {  // ink as drawn, before any glyph is masked
    return x >= 0 && y >= 0 && x < im.width && y < im.height && im.pixels[static_cast<size_t>(y) * im.stride + x] < kInk;
  };
  for (const PdfChar& c : chars) {
    double cw = c.x1 - c.x0, ch = c.y1 - c.y0;
    if (!(cw > 0 && ch > 0) || c.x0 * im.scale > im.width || c.y0 * im.scale > im.height || c.x1 < 0 || c.y1 < 0) continue;
    int x0 = std::max(0, static_cast<int>(std::ceil((c.x0 + 0.12 * cw) * im.scale)));
    int x1 = std::min(im.width - 1, static_cast<int>((c.x1 - 0.12 * cw) * im.scale));
    int y0 = std::max(0, static_cast<int>(std::ceil((c.y0 + 0.12 * ch) * im.scale)));
    int y1 = std::min(im.height - 1, static_cast<int>((c.y1 - 0.12 * ch) * im.scale));
    if (x0 > x1 || y0 > y1) continue;
    // The ring just outside the glyph's whole box: ink all round is a band.
    int bx0 = static_cast<int>(c.x0 * im.scale) - 2, bx1 = static_cast<int>(c.x1 * im.scale) + 2;
    int by0 = static_cast<int>(c.y0 * im.scale) - 2, by1 = static_cast<int>(c.y1 * im.scale) + 2;
    int samples = 0, dark = 0;
    for (int x = x0; x <= x1; ++x) samples += 2, dark += at(x, by0) + at(x, by1);
    for (int y = y0; y <= y1; ++y) samples += 2, dark += at(bx0, y) + at(bx1, y);
    const uint8_t fill = dark * 4 >= samples * 3;
    for (int y = y0; y <= y1; ++y) std::fill(ink.begin() + y * w + x0, ink.begin() + y * w + x1 + 1, fill);
  }
  return ink;
}

// Rules along one axis. `at(i, j)`: ink at line i, position j along it.
// Runs of about the same extent on consecutive lines are one rule (its
// thickness); a thick band (a filled cell) gives its two edges.
template <typename At>
std::vector<Rule> Rules(int lines, int length, double scale, At at) {
  struct Open {
    int first, last, a0, a1;  // lines, and the union of their runs
    int r0, r1;               // the run on the last line
  };
  const int min_run = static_cast<int>(kMinRunPt * scale);
  const int max_thick = std::max(2, static_cast<int>(kMaxRulePt * scale + 0.5));
  std::vector<Rule> out;
  std::vector<Open> open, next;
  auto close = [&](const Open& o) {
    if (o.last - o.first + 1 <= max_thick) {
      out.push_back({(o.first + o.last) / 2.0, double(o.a0), double(o.a1)});
    } else {
      out.push_back({double(o.first), double(o.a0), double(o.a1)});
      out.push_back({double(o.last), double(o.a0), double(o.a1)});
    }
  };
  for (int i = 0; i <= lines; ++i) {
    next.clear();
    if (i < lines) {
      for (int j = 0; j < length;) {
        if (!at(i, j)) {
          ++j;
          continue;
        }
        int start = j, end = j;
        while (j < length && (at(i, j) || (j + 1 < length && at(i, j + 1)))) end = j++;
        if (end - start + 1 < min_run) continue;
        Open run{i, i, start, end, start, end};
        for (auto& o : open) {
          // The next line of the same stroke has about the same extent; a
          // rule that crosses a filled band does not, and stays a rule.
          if (o.last == i - 1 && std::abs(o.r0 - start) <= 3 && std::abs(o.r1 - end) <= 3) {
            run.first = std::min(run.first, o.first);
            run.a0 = std::min(run.a0, o.a0);
            run.a1 = std::max(run.a1, o.a1);
            o.last = -2;  // taken over
          }
        }
        next.push_back(run);
      }
    }
    for (const auto& o : open) {
      if (o.last != -2) close(o);
    }
    open.swap(next);
  }
  return out;
}

// Positions within `tol` of each other are one line of the table.
std::vector<double> Cluster(std::vector<double> v, double tol) {
  std::sort(v.begin(), v.end());
  std::vector<double> out;
  size_t start = 0;
  for (size_t i = 1; i <= v.size(); ++i) {
    if (i == v.size() || v[i] - v[i - 1] > tol) {
      out.push_back(std::accumulate(v.begin() + start, v.begin() + i, 0.0) / (i - start));
      start = i;
    }
  }
  return out;
}

// How much of [a0, a1] the rules at `pos` cover.
double Cover(const std::vector<const Rule*>& rules, double pos, double a0, double a1, double tol) {
  std::vector<std::pair<double, double>> pieces;
  for (const Rule* r : rules) {
    if (std::fabs(r->pos - pos) > tol) continue;
    double lo = std::max(a0, r->a0 - tol), hi = std::min(a1, r->a1 + tol);
    if (hi > lo) pieces.emplace_back(lo, hi);
  }
  std::sort(pieces.begin(), pieces.end());
  double covered = 0, reach = a0;
  for (auto [lo, hi] : pieces) {
    lo = std::max(lo, reach);
    if (hi > lo) covered += hi - lo, reach = hi;
  }
  return a1 > a0 ? covered / (a1 - a0) : 0;
}

bool AsciiAlnum(const std::string& s) {
  return s.size() == 1 && std::isalnum(static_cast<unsigned char>(s[0]));
}

}  // namespace

std::string JoinChars(std::vector<PdfChar> chars) {
  std::string out;
  const PdfChar* last = nullptr;
  for (auto& line : GroupLines(std::move(chars), 0.5)) {
    for (size_t i = 0; i < line.size(); ++i) {
      const PdfChar& c = line[i];
      if (c.text == " ") continue;
      if (last) {
        bool same_line = i > 0;
        double h = std::max(1.0, std::min(last->y1 - last->y0, c.y1 - c.y0));
        if (same_line ? c.x0 - last->x1 > 0.33 * h : AsciiAlnum(last->text) && AsciiAlnum(c.text)) out += ' ';
      }
      out += c.text;
      last = &c;
    }
  }
  return out;
}

std::vector<RuledTable> FindRuledTables(const PageImage& im, const std::vector<PdfChar>& chars) {
  std::vector<RuledTable> tables;
  if (im.width <= 0 || im.height <= 0 || !im.pixels) return tables;
  std::vector<uint8_t> ink = RuleInk(im, chars);
  const int w = im.width, h = im.height;
  std::vector<Rule> hs = Rules(h, w, im.scale, [&](int y, int x) { return ink[static_cast<size_t>(y) * w + x] != 0; });
  std::vector<Rule> vs = Rules(w, h, im.scale, [&](int x, int y) { return ink[static_cast<size_t>(y) * w + x] != 0; });
  const double tol = std::max(2.0, 1.5 * im.scale);
  // A report's tables have hundreds of rule pieces; thousands are hatching
  // or a drawing, and would make the pairing below quadratic in them.
  if (hs.size() + vs.size() > kMaxRules) return tables;

  // Rules that meet belong to one table.
  UnionFind uf(hs.size() + vs.size());
  for (size_t i = 0; i < hs.size(); ++i) {
    for (size_t j = 0; j < vs.size(); ++j) {
      if (vs[j].pos >= hs[i].a0 - tol && vs[j].pos <= hs[i].a1 + tol && hs[i].pos >= vs[j].a0 - tol &&
          hs[i].pos <= vs[j].a1 + tol) {
        uf.Join(i, hs.size() + j);
      }
    }
  }
  std::vector<size_t> roots;
  for (size_t i = 0; i < hs.size() + vs.size(); ++i) roots.push_back(uf.Find(i));
  std::vector<size_t> components = roots;
  std::sort(components.begin(), components.end());
  components.erase(std::unique(components.begin(), components.end()), components.end());

  for (size_t comp : components) {
    std::vector<const Rule*> hr, vr;
    for (size_t i = 0; i < hs.size(); ++i) if (roots[i] == comp) hr.push_back(&hs[i]);
    for (size_t j = 0; j < vs.size(); ++j) if (roots[hs.size() + j] == comp) vr.push_back(&vs[j]);
    if (hr.size() < 2 || vr.size() < 2) continue;
    std::vector<double> ys, xs;
    for (const Rule* r : hr) ys.push_back(r->pos);
    for (const Rule* r : vr) xs.push_back(r->pos);
    ys = Cluster(std::move(ys), tol);
    xs = Cluster(std::move(xs), tol);
    // A page break cuts a table without a closing rule: the columns' rules
    // go on past the last horizontal rule, and so does the table.
    double top = ys.front(), bottom = ys.back();
    for (const Rule* r : vr) top = std::min(top, r->a0), bottom = std::max(bottom, r->a1);
    if (top < ys.front() - 2 * tol) ys.insert(ys.begin(), top);
    if (bottom > ys.back() + 2 * tol) ys.push_back(bottom);
    if (ys.size() < 2 || xs.size() < 2) continue;
    const size_t rows = ys.size() - 1, cols = xs.size() - 1;
    if (rows * cols > 20000) continue;  // not a table a report prints

    // Cells: a missing rule between two neighbours merges them.
    UnionFind cells(rows * cols);
    for (size_t i = 0; i < rows; ++i) {
      for (size_t j = 0; j < cols; ++j) {
        if (j + 1 < cols && Cover(vr, xs[j + 1], ys[i], ys[i + 1], tol) < 0.6) cells.Join(i * cols + j, i * cols + j + 1);
        if (i + 1 < rows && Cover(hr, ys[i + 1], xs[j], xs[j + 1], tol) < 0.6) cells.Join(i * cols + j, (i + 1) * cols + j);
      }
    }
    std::vector<std::vector<PdfChar>> content(rows * cols);
    for (const PdfChar& c : chars) {
      double cx = (c.x0 + c.x1) / 2 * im.scale, cy = (c.y0 + c.y1) / 2 * im.scale;
      if (cx <= xs.front() || cx >= xs.back() || cy <= ys.front() || cy >= ys.back()) continue;
      size_t i = std::upper_bound(ys.begin(), ys.end(), cy) - ys.begin() - 1;
      size_t j = std::upper_bound(xs.begin(), xs.end(), cx) - xs.begin() - 1;
      content[cells.Find(i * cols + j)].push_back(c);
    }
    std::vector<std::string> text(rows * cols);
    for (size_t k = 0; k < rows * cols; ++k) {
      if (!content[k].empty()) text[k] = JoinChars(std::move(content[k]));
    }
    RuledTable t{xs.front() / im.scale, ys.front() / im.scale, xs.back() / im.scale, ys.back() / im.scale, {}};
    for (size_t i = 0; i < rows; ++i) {
      std::vector<std::string> row(cols);
      std::vector<int> origin(cols);
      bool any = false;
      for (size_t j = 0; j < cols; ++j) {
        size_t root = cells.Find(i * cols + j);
        row[j] = text[root];
        origin[j] = static_cast<int>(root);
        any |= !row[j].empty();
      }
      if (!any) continue;
      t.grid.rows.push_back(std::move(row));
      t.grid.origin.push_back(std::move(origin));
    }
    if (t.grid.rows.empty()) continue;
    tables.push_back(std::move(t));
  }
  std::sort(tables.begin(), tables.end(), [](const RuledTable& a, const RuledTable& b) { return a.y0 < b.y0; });
  return tables;
}

}  // namespace nianbao::extract
