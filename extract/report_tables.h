// The standard tables (二 主动公开, 三 依申请, 四 复议诉讼) → fields.tsv keys.
// Tables are recognised by their content, rows by label words, the columns
// of table 三 by its header row and table 四 by its fixed 15-value order.
// Never invents a value: a cell that is not read with confidence is null
// with a DOUBTFUL_CELL warning.
#ifndef NIANBAO_EXTRACT_REPORT_TABLES_H_
#define NIANBAO_EXTRACT_REPORT_TABLES_H_

#include <string>
#include <vector>

#include "extract/html_page.h"
#include "extract/report.h"

namespace nianbao::extract {

// Every key of `format` (fields.tsv order), no cell found yet (raw null).
std::vector<FieldValue> EmptyFields(const std::string& format);

// Fills the keys of *fields not yet found from `tables` (first occurrence
// wins); `fields` comes from EmptyFields(format). Each field found records
// its origin: table t, row, column of `tables` — or, when `sections` is
// given (tables recovered from text: sections[t] is the section key of
// tables[t]), that section and the row's label.
void MapTables(const std::string& format, const std::vector<Grid>& tables, std::vector<FieldValue>* fields,
               std::vector<Warning>* warnings, const std::vector<std::string>* sections = nullptr);

// Every key of `format` (fields.tsv order), filled from `tables`.
std::vector<FieldValue> MapTableFields(const std::string& format, const std::vector<Grid>& tables,
                                       std::vector<Warning>* warnings);

// Parses a printed cell for a field of `type` into *field (raw, value).
// Placeholders ("/", "-", "—", "——", "无", "N/A") and blanks give no value.
// Returns false (and leaves no value) if the text is not a number at all.
bool ParseCell(const std::string& raw, FieldType type, FieldValue* field);

// True for the placeholder spellings of record.md.
bool IsPlaceholder(const std::string& match_key);

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_REPORT_TABLES_H_
