// The JSON form of the content part of a record (record.md). Key order
// follows record.md; the caller adds the crawl envelope around it.
#ifndef NIANBAO_EXTRACT_REPORT_JSON_H_
#define NIANBAO_EXTRACT_REPORT_JSON_H_

#include <nlohmann/json.hpp>
#include <string>

#include "extract/report.h"

namespace nianbao::extract {

// {title, agency, year, published, format, source, attachments, body_text,
//  sections, tables, fields, checks, warnings, content_sha256} as an ordered object.
nlohmann::ordered_json ReportContentJson(const Report& report);

// SHA-256 of the normalized content: body_text, tables and fields (raw and
// value), serialized compactly in a fixed order. Page chrome, visit
// counters and fetch times are not part of it, so they never add a version.
std::string ContentSha256(const Report& report);

// {"value": …, "raw": …} for one field.
nlohmann::ordered_json FieldJson(const FieldValue& f);

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_REPORT_JSON_H_
