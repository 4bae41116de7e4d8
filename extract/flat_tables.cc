#include "extract/flat_tables.h"

#include <algorithm>

#include "extract/report_tables.h"
#include "extract/text.h"

namespace nianbao::extract {
namespace {

std::vector<std::string> Split(const std::string& line, char sep) {
  std::vector<std::string> cells;
  size_t start = 0;
  while (start <= line.size()) {
    size_t end = line.find(sep, start);
    if (end == std::string::npos) end = line.size();
    cells.push_back(NormalizeWhitespace(std::string_view(line).substr(start, end - start)));
    start = end + 1;
  }
  return cells;
}

bool IsMarkdownRule(const std::vector<std::string>& cells) {
  bool any = false;
  for (const auto& c : cells) {
    if (c.empty()) continue;
    if (c.find_first_not_of("-: ") != std::string::npos) return false;
    any = true;
  }
  return any;
}

// Cells of one printed row; a single cell when the line is not row-shaped.
std::vector<std::string> Cells(const std::string& line) {
  if (std::count(line.begin(), line.end(), '|') >= 2) {
    std::vector<std::string> cells = Split(line, '|');
    std::string trimmed = NormalizeWhitespace(line);
    if (!trimmed.empty() && trimmed.front() == '|' && !cells.empty() && cells.front().empty()) cells.erase(cells.begin());
    return cells;
  }
  // Tabs between cells; a tab only before (or after) the text marks one cell
  // of a table printed a cell per line (seed 003), and a tab alone a blank cell.
  size_t first = line.find_first_not_of(" \t");
  size_t last = line.find_last_not_of(" \t");
  if (first == std::string::npos) return {""};
  std::string inner = line.substr(first, last - first + 1);
  if (inner.find('\t') != std::string::npos) return Split(inner, '\t');
  return {NormalizeWhitespace(inner)};
}

Grid ToGrid(std::vector<std::vector<std::string>> rows, bool align_right, std::vector<std::string> leads = {}) {
  Grid g;
  g.flat = true;
  g.right_aligned = align_right;
  size_t width = 0;
  for (auto& r : rows) {
    if (align_right) {
      while (!r.empty() && r.back().empty()) r.pop_back();
    }
    width = std::max(width, r.size());
  }
  if (!align_right) {
    // Columns blank in every row (the trailing "|" of each printed row) carry nothing.
    while (width > 0 && std::all_of(rows.begin(), rows.end(), [&](const auto& r) { return r[width - 1].empty(); })) {
      --width;
    }
  }
  int id = 0;
  leads.resize(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    auto& r = rows[i];
    if (r.empty()) continue;
    g.lead.push_back(std::move(leads[i]));
    std::vector<std::string> cells;
    if (align_right) cells.assign(width - r.size(), "");
    cells.insert(cells.end(), r.begin(), r.end());
    cells.resize(width);
    std::vector<int> origin(width);
    for (auto& o : origin) o = id++;
    g.rows.push_back(std::move(cells));
    g.origin.push_back(std::move(origin));
  }
  return g;
}

}  // namespace

bool IsValueCell(const std::string& cell) {
  if (!cell.empty() && cell.size() <= 15 && std::all_of(cell.begin(), cell.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return true;  // a plain count, the common case
  }
  // A label: a value's only ideographs are 无 (a placeholder) and 万元/元 (a unit).
  for (size_t i = 0; i < cell.size();) {
    const char32_t cp = NextCodePoint(cell, &i);
    if (cp >= 0x4E00 && cp <= 0x9FFF && cp != U'无' && cp != U'万' && cp != U'元') return false;
  }
  std::string k = AsciiDigits(MatchKey(cell));
  if (k.empty()) return false;
  if (IsPlaceholder(k)) return true;
  FieldValue probe;
  return ParseCell(cell, FieldType::kSigned, &probe) || ParseCell(cell, FieldType::kDecimal, &probe);
}

Grid RecoverFlatTable(const std::vector<std::string>& lines) {
  std::vector<std::vector<std::string>> rows;
  size_t single = 0, single_values = 0;
  for (const auto& line : lines) {
    std::vector<std::string> cells = Cells(line);
    if (cells.size() == 1) {
      // An empty line is nothing, unless a tab marks it as a blank cell.
      if (cells[0].empty() && line.find('\t') == std::string::npos) continue;
      ++single;
      single_values += IsValueCell(cells[0]);
    } else if (IsMarkdownRule(cells)) {
      continue;
    }
    rows.push_back(std::move(cells));
  }
  if (rows.empty()) return Grid();
  if (single * 10 >= rows.size() * 6) {
    if (single_values < 3) return Grid();  // prose, not a table
    // One value per line: a row is labels followed by values.
    std::vector<std::vector<std::string>> cut;
    bool last_was_value = false;
    for (const auto& r : rows) {
      for (const auto& cell : r) {
        bool value = cell.empty() || IsValueCell(cell);  // a blank cell sits among values
        if (cut.empty() || (!value && last_was_value)) cut.emplace_back();
        cut.back().push_back(cell);
        last_was_value = value;
      }
    }
    return ToGrid(std::move(cut), true);
  }
  // Row-shaped text: lines with values are rows. Label-only lines (a label
  // wrapped around vertically centred values, as PDF tables print, or header
  // lines) are kept as the lead of the next row; a row of values only takes
  // them as its label.
  std::vector<std::vector<std::string>> table_rows;
  std::vector<std::string> leads;
  std::string pending;
  for (auto& r : rows) {
    bool has_value = std::any_of(r.begin(), r.end(), [](const std::string& c) { return IsValueCell(c); });
    bool labels = std::any_of(r.begin(), r.end(), [](const std::string& c) { return !c.empty() && !IsValueCell(c); });
    if (!has_value) {
      for (const auto& c : r) pending += c;
      if (r.size() >= 2) {  // a header line: kept as a row too, for the table's own words
        table_rows.push_back(std::move(r));
        leads.emplace_back();
      }
      continue;
    }
    if (r.size() < 2) continue;  // a lone number in prose
    if (!labels && !pending.empty()) r.insert(r.begin(), pending);
    leads.push_back(std::move(pending));
    pending.clear();
    table_rows.push_back(std::move(r));
  }
  rows = std::move(table_rows);
  if (rows.empty()) return Grid();
  bool regular = rows.size() > 1 && std::all_of(rows.begin(), rows.end(), [&](const auto& r) { return r.size() == rows[0].size(); });
  return ToGrid(std::move(rows), !regular, std::move(leads));
}

}  // namespace nianbao::extract
