#include "extract/report_json.h"

#include "config/hash.h"

namespace nianbao::extract {
namespace {

template <typename T>
nlohmann::ordered_json OrNull(const std::optional<T>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json TablesJson(const Report& r) {
  nlohmann::ordered_json tables = nlohmann::ordered_json::array();
  for (const auto& t : r.tables) tables.push_back({{"caption", t.caption}, {"rows", t.rows}});
  return tables;
}

nlohmann::ordered_json AttachmentsJson(const Report& r) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& a : r.attachments) {
    out.push_back({{"url", a.url}, {"name", a.name}, {"sha256", OrNull(a.sha256.empty() ? std::nullopt : std::optional(a.sha256))},
                   {"bytes", a.bytes}});
  }
  return out;
}

nlohmann::ordered_json FieldsJson(const Report& r) {
  nlohmann::ordered_json fields = nlohmann::ordered_json::object();
  for (const auto& f : r.fields) fields[f.key] = FieldJson(f);
  return fields;
}

}  // namespace

nlohmann::ordered_json FieldJson(const FieldValue& f) {
  nlohmann::ordered_json v = nullptr;
  if (f.has_value) v = f.type == FieldType::kDecimal ? nlohmann::ordered_json(f.decimal) : nlohmann::ordered_json(f.integer);
  nlohmann::ordered_json j = {{"value", v}, {"raw", OrNull(f.raw)}};
  if (!f.sentence.empty()) j["sentence"] = f.sentence;  // legacy.* (record.md)
  if (f.origin) {  // where the number came from (docs/reference.md)
    const CellOrigin& o = *f.origin;
    nlohmann::ordered_json origin;
    if (o.table >= 0) {
      origin = {{"table", o.table}, {"row", o.row}, {"col", o.col}};
    } else {
      origin = {{"section", o.section}, {"row_label", o.row_label}, {"col", o.col}};
    }
    j["origin"] = origin;
  }
  return j;
}

nlohmann::ordered_json ReportContentJson(const Report& r) {
  nlohmann::ordered_json j;
  j["title"] = r.title;
  j["agency"] = OrNull(r.agency);
  j["year"] = OrNull(r.year);
  j["published"] = OrNull(r.published);
  j["format"] = r.format;
  j["source"] = r.source;
  j["attachments"] = AttachmentsJson(r);
  j["body_text"] = r.body_text;
  j["sections"] = nlohmann::ordered_json::array();
  for (const auto& s : r.sections) {
    j["sections"].push_back({{"ordinal", s.ordinal}, {"key", s.key}, {"title", s.title}, {"text", s.text}});
  }
  j["tables"] = TablesJson(r);
  j["fields"] = FieldsJson(r);
  j["checks"] = nlohmann::ordered_json::array();
  for (const auto& c : r.checks) {
    nlohmann::ordered_json check = {{"rule", c.rule}, {"scope", c.scope}, {"outcome", c.outcome}, {"detail", c.detail}};
    if (!c.lhs.empty()) check["cells"] = {{"lhs", c.lhs}, {"rhs", c.rhs}};  // the fields it used
    j["checks"].push_back(std::move(check));
  }
  j["warnings"] = nlohmann::ordered_json::array();
  for (const auto& w : r.warnings) j["warnings"].push_back({{"code", w.code}, {"message", w.message}});
  j["content_sha256"] = r.content_sha256;
  return j;
}

std::string ContentSha256(const Report& r) {
  // Fed piece by piece, each piece length-prefixed, in a fixed order: no
  // ambiguity between pieces and no JSON built only to be hashed.
  Sha256 h;
  auto piece = [&h](std::string_view s) {
    const std::string len = std::to_string(s.size()) + ":";
    h.Update(len);
    h.Update(s);
  };
  piece("body_text");
  piece(r.body_text);
  piece("tables");
  for (const auto& t : r.tables) {
    piece(t.caption);
    for (const auto& row : t.rows) {
      piece("row");
      for (const auto& cell : row) piece(cell);
    }
  }
  piece("fields");
  for (const auto& f : r.fields) {
    piece(f.key);
    piece(f.raw ? *f.raw : std::string_view("\x00null", 5));
    piece(f.has_value ? (f.type == FieldType::kDecimal ? std::to_string(f.decimal) : std::to_string(f.integer)) : "");
  }
  for (const auto& a : r.attachments) {  // a changed attachment is a change
    piece("attachment");
    piece(a.url);
    piece(a.sha256);
  }
  return h.HexDigest();
}

}  // namespace nianbao::extract
