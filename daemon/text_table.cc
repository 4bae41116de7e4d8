#include "daemon/text_table.h"

#include <algorithm>

#include "extract/text.h"

namespace nianbao {

size_t DisplayWidth(const std::string& s) {
  size_t w = 0, i = 0;
  while (i < s.size()) {
    char32_t cp = extract::NextCodePoint(s, &i);
    w += cp >= 0x1100 && (cp <= 0x115F || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
                          (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFF60))
             ? 2
             : 1;
  }
  return w;
}

std::string TextTable(const std::vector<std::vector<std::string>>& rows, const std::string& indent, size_t gap) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line = indent;
    for (size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(widths[c] - DisplayWidth(row[c]) + gap, ' ');
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace nianbao
