// Soft finding S1 of checks.md: a number stated in 一、总体情况 that differs
// from the table (新收, 上年结转, 办结, 结转下年, 行政复议, 行政诉讼). A warning,
// never a change to a check or a field.
#ifndef NIANBAO_EXTRACT_NARRATIVE_CHECKS_H_
#define NIANBAO_EXTRACT_NARRATIVE_CHECKS_H_

#include <vector>

#include "extract/report.h"

namespace nianbao::extract {

std::vector<Warning> NarrativeVsTable(const Report& report);

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_NARRATIVE_CHECKS_H_
