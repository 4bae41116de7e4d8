// Plain-text tables for a terminal: columns padded to the widest cell, CJK
// characters counted as two columns.
#ifndef NIANBAO_DAEMON_TEXT_TABLE_H_
#define NIANBAO_DAEMON_TEXT_TABLE_H_

#include <string>
#include <vector>

namespace nianbao {

// Terminal columns `s` takes (East Asian wide characters count two).
size_t DisplayWidth(const std::string& s);

// `rows` as lines, each prefixed by `indent`, cells padded to their column's
// widest plus `gap` spaces (the last cell is not padded).
std::string TextTable(const std::vector<std::vector<std::string>>& rows, const std::string& indent = "", size_t gap = 2);

}  // namespace nianbao

#endif  // NIANBAO_DAEMON_TEXT_TABLE_H_
