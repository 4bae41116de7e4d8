// Numbers written in prose. Soft finding S1 of checks.md: a number stated in
// 一、总体情况 that differs from the table (新收, 上年结转, 办结, 结转下年,
// 行政复议, 行政诉讼) — a warning, never a change to a check or a field.
// Only the count the sentence states for that quantity is compared: the
// sentence must be about requests (申请/信息公开), a comparison (较上年增加5件)
// or help to others (协助答复) is no statement, 受理 N 件 may count new plus
// carried-over requests, and a null cell is not compared.
#ifndef NIANBAO_EXTRACT_NARRATIVE_CHECKS_H_
#define NIANBAO_EXTRACT_NARRATIVE_CHECKS_H_

#include <vector>

#include "extract/report.h"

namespace nianbao::extract {

std::vector<Warning> NarrativeVsTable(const Report& report);

// For legacy (free-text) reports: the numbers record.md names under legacy.*
// (proactive_total, requests_received, granted, partially_granted, denied,
// review_cases, litigation_cases, fees_yuan), each with the sentence it was
// read from. Only what is found is returned; nothing is guessed.
std::vector<FieldValue> LegacyFields(const std::string& body_text);

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_NARRATIVE_CHECKS_H_
