// extract::Report: what extraction finds in one report page, the content
// part of the record of docs/spec/record.md (the crawl envelope —
// report_id, version, url, http, … — is added by the caller).
#ifndef NIANBAO_EXTRACT_REPORT_H_
#define NIANBAO_EXTRACT_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nianbao::extract {

enum class FieldType { kCount, kDecimal, kSigned };

// Where a field's cell was read: a cell of the record's `tables` (table,
// row and column of its grid), or — for a table printed as text — the row
// (by its label) and value column of the table recovered from a section.
struct CellOrigin {
  int table = -1;           // index into the record's tables; -1 for text
  std::string section;      // the section key, for a table recovered from text
  int row = -1;             // the grid row (tables)
  std::string row_label;    // the row's label (text)
  int col = -1;             // the grid column (tables) or value column (text)
};

// One structured cell (fields.tsv key). `raw` is the cell text as printed,
// whitespace-normalized; nullopt when no cell was found at all.
struct FieldValue {
  std::string key;
  FieldType type = FieldType::kCount;
  std::optional<std::string> raw;
  bool has_value = false;  // false: blank, placeholder, unreadable or missing
  int64_t integer = 0;     // kCount, kSigned
  double decimal = 0;      // kDecimal
  bool converted_unit = false;  // printed in 元 and converted to 万元 (a UNIT warning)
  std::string sentence;    // legacy.* only: the sentence the number was read from
  std::optional<CellOrigin> origin;  // where `raw` was read (tables), not part of the content hash
  double AsDouble() const { return type == FieldType::kDecimal ? decimal : static_cast<double>(integer); }
};

struct Section {
  std::string ordinal;  // 一 … 六
  std::string key;      // s1_overview … s6_other
  std::string title;    // heading text after the ordinal
  std::string text;     // lines of the section, tables as tab-separated rows
};

struct Table {
  std::string caption;
  std::vector<std::vector<std::string>> rows;  // the grid (record.md)
};

struct Check {
  std::string rule;     // R1 … R5
  std::string scope;    // column key, row key, group, or "all"
  std::string outcome;  // pass | fail | uncertain | not_assessable
  std::string detail;
  // R1–R4: the field keys of each side of the equation (lhs = rhs).
  std::vector<std::string> lhs, rhs;
};

struct Warning {
  std::string code;  // S1 YEAR FORMAT UNIT DOUBTFUL_CELL TRUNCATED CHARSET CARRIER
  std::string message;
};

// An attachment of the report (record.md `attachments`).
struct Attachment {
  std::string url;
  std::string name;    // the link text (or file name)
  std::string sha256;  // of its bytes; "" when not fetched
  int64_t bytes = 0;
};

struct Report {
  std::string title;
  std::optional<std::string> agency;
  std::optional<int> year;
  std::optional<std::string> published;  // YYYY-MM-DD
  std::string format = "unknown";        // gov2021 | gov2019 | legacy | unknown
  std::string page_kind = "normal";      // normal | soft404 | challenge (page_kind.h): never stored
  std::string source = "html";
  std::string charset;                   // charset used to decode
  std::string body_text;
  std::vector<Section> sections;
  std::vector<Table> tables;
  std::vector<FieldValue> fields;        // fields.tsv order for the format
  std::vector<Check> checks;
  std::vector<Warning> warnings;
  std::vector<Attachment> attachments;   // used or listed attachments
  std::vector<Attachment> linked_attachments;  // attachment links on an HTML page (href as written)
  std::string content_sha256;            // of body_text + tables + fields + attachments (report_json.h)

  const FieldValue* Field(const std::string& key) const;
  bool IsReport() const { return format != "unknown" && page_kind == "normal"; }
  // An HTML page without the report's tables that links an attachment: the
  // fields are in the attachment (see WithAttachment).
  bool NeedsAttachment() const {
    return source == "html" && format != "gov2021" && format != "gov2019" && !linked_attachments.empty();
  }
};

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_REPORT_H_
