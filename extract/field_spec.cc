#include "extract/field_spec.h"

#include <map>
#include <sstream>

#include "extract/embedded_data.h"

namespace nianbao::extract {

const std::vector<FieldSpec>& FieldSpecs(const std::string& format) {
  static const std::map<std::string, std::vector<FieldSpec>>* specs = [] {
    auto* m = new std::map<std::string, std::vector<FieldSpec>>();
    std::istringstream in(kFieldsTsv);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::vector<std::string> cols;
      std::istringstream ls(line);
      std::string c;
      while (std::getline(ls, c, '\t')) cols.push_back(c);
      if (cols.size() < 6) continue;
      FieldType t = cols[5] == "decimal" ? FieldType::kDecimal : cols[5] == "signed" ? FieldType::kSigned : FieldType::kCount;
      (*m)[cols[0]].push_back({cols[1], cols[2], cols[3], cols[4], t});
    }
    return m;
  }();
  static const std::vector<FieldSpec> kNone;
  auto it = specs->find(format);
  return it == specs->end() ? kNone : it->second;
}

}  // namespace nianbao::extract
