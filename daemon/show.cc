#include "daemon/show.h"

#include <map>
#include <set>

#include "config/url.h"
#include "daemon/text_table.h"
#include "extract/field_spec.h"
#include "extract/text.h"

namespace nianbao {
namespace {

using Json = nlohmann::ordered_json;

std::string Str(const Json& j) {
  if (j.is_null()) return "-";
  return j.is_string() ? j.get<std::string>() : j.dump();
}

// docs/spec/checks.md, the rules written out.
const char* RuleStatement(const std::string& rule) {
  static const std::map<std::string, const char*> kRules = {
      {"R1", "table 三, per column: 本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理"},
      {"R2", "table 三, per row: 总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他"},
      {"R3", "table 三, per column: 办理结果总计 = 予以公开 + 部分公开 + Σ不予公开 + Σ无法提供 + Σ不予处理 + Σ其他处理"},
      {"R4", "table 四, per group: 总计 = 维持 + 纠正 + 其他结果 + 尚未审结"},
      {"R5", "every printed cell is a non-negative number (本年增/减 may be signed); blanks are not operands"}};
  auto it = kRules.find(rule);
  return it == kRules.end() ? "" : it->second;
}

std::string Cut(const std::string& s, size_t width);

// The first `n` non-empty lines of text, each cut to a terminal line.
std::string FirstLines(const std::string& text, size_t n) {
  std::string out;
  size_t start = 0, lines = 0;
  while (start < text.size() && lines < n) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty()) {
      out += "    " + Cut(line, 110) + "\n";
      ++lines;
    }
    start = end + 1;
  }
  return out;
}

// `s` cut to about `width` terminal columns ("…" where cut).
std::string Cut(const std::string& s, size_t width) {
  if (DisplayWidth(s) <= width) return s;
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    const size_t at = i;
    extract::NextCodePoint(s, &i);
    if (DisplayWidth(out + s.substr(at, i - at)) > width - 1) break;
    out.append(s, at, i - at);
  }
  return out + "…";
}

std::string OriginText(const Json& origin) {
  if (!origin.is_object()) return "";
  if (origin.contains("table")) {
    return "table " + std::to_string(origin["table"].get<int>() + 1) + " row " + std::to_string(origin["row"].get<int>() + 1) +
           " col " + std::to_string(origin["col"].get<int>() + 1);
  }
  return origin.value("section", "") + " «" + origin.value("row_label", "") + "» col " + std::to_string(origin.value("col", 0) + 1);
}

// The sentences of a body text (。！？； and line ends), whitespace-normalized.
std::vector<std::string> Sentences(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  size_t i = 0;
  while (i < text.size()) {
    const size_t at = i;
    const char32_t cp = extract::NextCodePoint(text, &i);
    cur.append(text, at, i - at);
    if (cp == U'。' || cp == U'！' || cp == U'？' || cp == U'；' || cp == U'\n') {
      std::string s = extract::NormalizeWhitespace(cur);
      if (!s.empty()) out.push_back(s);
      cur.clear();
    }
  }
  if (std::string s = extract::NormalizeWhitespace(cur); !s.empty()) out.push_back(s);
  return out;
}

}  // namespace

Result<StoredReport> FindReport(store::Database* db, const std::string& what) {
  std::string id;
  if (what.size() == 32 && what.find_first_not_of("0123456789abcdef") == std::string::npos) {
    id = what;
  } else if (auto u = ParseUrl(what)) {
    const std::string url = CanonicalUrl(*u);
    id = ReportIdForCanonicalUrl(url);
    auto head = db->ReportHead(id);
    if (!head.ok()) return head.status();
    if (!head.value()) {
      // Stored under another URL: this one is where it was also found, or linked from.
      id.clear();
      Status s = db->ForEachLatest([&](const std::string& text) {
        Json r = Json::parse(text, nullptr, false);
        if (!r.is_object()) return true;
        for (const char* list : {"also_at", "found_on"}) {
          for (const auto& x : r.value(list, Json::array())) {
            if (x.is_string() && x.get<std::string>() == url && r.value("url", "") != url) {
              if (std::string(list) == "also_at" || id.empty()) id = r.value("report_id", "");
            }
          }
        }
        if (r.value("linked_url", "") == url) id = r.value("report_id", "");
        return true;
      });
      if (!s.ok()) return s;
    }
  } else {
    return Status::InvalidArgument("expected a report_id (32 hex digits) or an http(s) URL", what);
  }
  if (id.empty()) return Status::NotFound("no report stored under that URL", what);
  auto head = db->ReportHead(id);
  if (!head.ok()) return head.status();
  if (!head.value()) return Status::NotFound("no such report", what);
  auto versions = db->ReportVersions(id);
  if (!versions.ok()) return versions.status();
  StoredReport out;
  out.head = Json::parse(*head.value(), nullptr, false);
  for (const auto& text : versions.value()) {
    Json r = Json::parse(text, nullptr, false);
    if (!r.is_object()) continue;
    for (const char* k : {"found_on", "also_at", "status"}) {  // the head's current view
      if (out.head.is_object() && out.head.contains(k)) r[k] = out.head[k];
    }
    out.versions.push_back(std::move(r));
  }
  if (out.versions.empty()) return Status::Corruption("report head without versions", id);
  return out;
}

std::string ShowRecord(const StoredReport& report, const Json& r) {
  std::string o;
  o += r.value("title", "") + "\n";
  o += "report " + r.value("report_id", "") + "  version " + Str(r["version"]) + " of " + std::to_string(report.versions.size()) +
       "  status " + Str(r["status"]) + "\n";
  o += "agency " + Str(r["agency"]) + "  year " + Str(r["year"]) + "  format " + Str(r["format"]) + "  source " + Str(r["source"]) +
       "  published " + Str(r["published"]) + "\n";
  o += "url " + Str(r["url"]) + "\n";
  for (const auto& u : r.value("also_at", Json::array())) o += "also at " + Str(u) + "\n";
  for (const auto& u : r.value("found_on", Json::array())) o += "listed on " + Str(u) + "\n";
  for (const auto& a : r.value("attachments", Json::array())) o += "attachment " + Str(a["url"]) + " (" + Str(a["name"]) + ")\n";
  o += "fetched " + Str(r["fetched_at"]) + "\n";

  o += "\nsections:\n";
  for (const auto& s : r.value("sections", Json::array())) {
    o += "  " + Str(s["ordinal"]) + "、" + Str(s["title"]) + "\n" + FirstLines(s.value("text", ""), 2);
  }
  const Json tables = r.value("tables", Json::array());
  o += "\ntables (" + std::to_string(tables.size()) + "):\n";
  for (size_t t = 0; t < tables.size(); ++t) {
    const Json& rows = tables[t]["rows"];
    o += "  table " + std::to_string(t + 1) + (tables[t].value("caption", "").empty() ? "" : " «" + tables[t].value("caption", "") + "»") +
         ": " + std::to_string(rows.size()) + " rows\n";
    std::vector<std::vector<std::string>> grid;
    for (const auto& row : rows) {
      std::vector<std::string> cells;
      for (const auto& c : row) cells.push_back(Cut(c.is_string() ? c.get<std::string>() : c.dump(), 24));
      grid.push_back(std::move(cells));
    }
    o += TextTable(grid, "    | ", 2);
  }

  o += "\nfields:\n";
  const std::string format = r.value("format", "");
  const Json fields = r.value("fields", Json::object());
  std::map<std::string, std::vector<std::vector<std::string>>> by_table;
  std::set<std::string> labelled;
  for (const auto& spec : extract::FieldSpecs(format)) {
    labelled.insert(spec.key);
    if (!fields.contains(spec.key)) continue;
    const Json& f = fields[spec.key];
    by_table[spec.table].push_back({spec.row_label + " / " + spec.col_label, Str(f["value"]),
                                    f["raw"].is_null() ? "" : "raw «" + f["raw"].get<std::string>() + "»",
                                    OriginText(f.value("origin", Json())), spec.key});
  }
  for (const char* table : {"二", "三", "四"}) {
    if (!by_table.count(table)) continue;
    o += "  table " + std::string(table) + ":\n" + TextTable(by_table[table], "    ");
  }
  std::vector<std::vector<std::string>> other;
  for (const auto& [key, f] : fields.items()) {
    if (labelled.count(key)) continue;
    other.push_back({key, Str(f["value"]), f.value("sentence", "")});
  }
  if (!other.empty()) o += "  other:\n" + TextTable(other, "    ");

  o += "\nchecks:\n";
  for (const auto& c : r.value("checks", Json::array())) {
    const std::string rule = c.value("rule", "");
    o += "  " + rule + " " + c.value("scope", "") + ": " + c.value("outcome", "") + (c.value("detail", "").empty() ? "" : " — " + c.value("detail", "")) + "\n";
    o += "    rule: " + std::string(RuleStatement(rule)) + "\n";
    if (c.contains("cells")) {
      for (const char* side : {"lhs", "rhs"}) {
        std::string cells;
        for (const auto& k : c["cells"][side]) {
          const std::string key = k.get<std::string>();
          cells += (cells.empty() ? "" : " + ") + key + "=" + (fields.contains(key) ? Str(fields[key]["value"]) : "-");
        }
        o += std::string("    ") + (std::string(side) == "lhs" ? "left:  " : "right: ") + cells + "\n";
      }
    }
  }
  o += "\nwarnings:\n";
  for (const auto& w : r.value("warnings", Json::array())) o += "  " + w.value("code", "") + ": " + w.value("message", "") + "\n";
  return o;
}

std::string ShowVersions(const StoredReport& report) {
  std::vector<std::vector<std::string>> rows = {{"version", "fetched", "content", "format", "checks pass/fail/uncertain", "warnings"}};
  for (const auto& r : report.versions) {
    long pass = 0, fail = 0, uncertain = 0;
    for (const auto& c : r.value("checks", Json::array())) {
      const std::string outcome = c.value("outcome", "");
      pass += outcome == "pass";
      fail += outcome == "fail";
      uncertain += outcome == "uncertain";
    }
    rows.push_back({Str(r["version"]), Str(r["fetched_at"]), r.value("content_sha256", "").substr(0, 12), Str(r["format"]),
                    std::to_string(pass) + "/" + std::to_string(fail) + "/" + std::to_string(uncertain),
                    std::to_string(r.value("warnings", Json::array()).size())});
  }
  return TextTable(rows, "  ");
}

Json DiffVersions(const Json& a, const Json& b) {
  Json diff = {{"from", a["version"]}, {"to", b["version"]}, {"fields", Json::array()}, {"added", Json::array()},
               {"removed", Json::array()}};
  std::map<std::string, const extract::FieldSpec*> specs;
  for (const char* format : {"gov2021", "gov2019"}) {
    for (const auto& s : extract::FieldSpecs(format)) specs.emplace(s.key, &s);
  }
  const Json fa = a.value("fields", Json::object()), fb = b.value("fields", Json::object());
  std::set<std::string> keys;
  for (const auto& [k, v] : fa.items()) keys.insert(k);
  for (const auto& [k, v] : fb.items()) keys.insert(k);
  for (const auto& k : keys) {
    const Json va = fa.contains(k) ? fa[k] : Json(), vb = fb.contains(k) ? fb[k] : Json();
    const Json old_value = va.is_object() ? va["value"] : Json(), new_value = vb.is_object() ? vb["value"] : Json();
    const Json old_raw = va.is_object() ? va["raw"] : Json(), new_raw = vb.is_object() ? vb["raw"] : Json();
    if (old_value == new_value && old_raw == new_raw) continue;
    auto spec = specs.find(k);
    diff["fields"].push_back({{"key", k},
                              {"label", spec == specs.end() ? "" : spec->second->table + " " + spec->second->row_label + " / " + spec->second->col_label},
                              {"old", old_value}, {"new", new_value}, {"old_raw", old_raw}, {"new_raw", new_raw}});
  }
  const auto sa = Sentences(a.value("body_text", "")), sb = Sentences(b.value("body_text", ""));
  const std::multiset<std::string> in_a(sa.begin(), sa.end()), in_b(sb.begin(), sb.end());
  for (const auto& s : sb) {
    if (!in_a.count(s)) diff["added"].push_back(s);
  }
  for (const auto& s : sa) {
    if (!in_b.count(s)) diff["removed"].push_back(s);
  }
  return diff;
}

std::string ShowDiff(const Json& d) {
  std::string o = "version " + Str(d["from"]) + " → " + Str(d["to"]) + "\n";
  o += "fields changed (" + std::to_string(d["fields"].size()) + "):\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& f : d["fields"]) rows.push_back({f.value("key", ""), f.value("label", ""), Str(f["old"]) + " → " + Str(f["new"])});
  o += TextTable(rows, "  ");
  o += "sentences added (" + std::to_string(d["added"].size()) + "):\n";
  for (const auto& s : d["added"]) o += "  + " + s.get<std::string>() + "\n";
  o += "sentences removed (" + std::to_string(d["removed"].size()) + "):\n";
  for (const auto& s : d["removed"]) o += "  - " + s.get<std::string>() + "\n";
  return o;
}

}  // namespace nianbao
