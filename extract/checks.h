// The hard consistency rules R1–R5 of docs/spec/checks.md, over the
// fields of one record. A failed check is a finding about the report, not
// an extraction error.
#ifndef NIANBAO_EXTRACT_CHECKS_H_
#define NIANBAO_EXTRACT_CHECKS_H_

#include <vector>

#include "extract/report.h"

namespace nianbao::extract {

// One entry per rule instance (R1 ×7, R2 ×25|23, R3 ×7, R4 ×3, R5 ×1) for
// gov2021/gov2019; R1…R5 scope "all" not_assessable for other formats.
std::vector<Check> RunChecks(const Report& report);

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_CHECKS_H_
