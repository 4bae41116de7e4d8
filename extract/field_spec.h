// The field keys of extract/fields.tsv (compiled in), per format.
#ifndef NIANBAO_EXTRACT_FIELD_SPEC_H_
#define NIANBAO_EXTRACT_FIELD_SPEC_H_

#include <string>
#include <vector>

#include "extract/report.h"

namespace nianbao::extract {

struct FieldSpec {
  std::string key;        // "t3.new_received.total"
  std::string table;      // 二 三 四
  std::string row_label;  // as printed in the standard form
  std::string col_label;
  FieldType type;
};

// Every key of `format` ("gov2021": 200, "gov2019": 198) in fields.tsv
// order; empty for other formats.
const std::vector<FieldSpec>& FieldSpecs(const std::string& format);

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_FIELD_SPEC_H_
