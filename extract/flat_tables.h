// Tables printed as text rather than <table> markup, as real reports do
// (tests/data/seeds/: 000 " | "-separated rows, 001 markdown pipe rows,
// 002 one value per line, 003 tab-separated cells) → grids for the table
// mapper. Row-shaped text keeps its cells; a one-value-per-line stream is
// cut into rows where a label follows a value. Irregular rows (rowspans
// lost in flattening) are aligned on their right edge, where the values
// are, and the grid is marked `flat` so its headers are not trusted.
#ifndef NIANBAO_EXTRACT_FLAT_TABLES_H_
#define NIANBAO_EXTRACT_FLAT_TABLES_H_

#include <string>
#include <vector>

#include "extract/html_page.h"

namespace nianbao::extract {

// `lines`: the text lines of one section, in order (tabs kept). Returns the
// grid recovered from them, or nullopt-like empty grid (no rows) if the
// lines hold no table.
Grid RecoverFlatTable(const std::vector<std::string>& lines);

// True if `cell` reads as a number or a placeholder (not a label).
bool IsValueCell(const std::string& cell);

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_FLAT_TABLES_H_
