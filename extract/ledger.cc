#include "extract/ledger.h"

#include <algorithm>
#include <optional>
#include <set>
#include <tuple>

#include "extract/text.h"

namespace nianbao::extract {
namespace {

using Json = nlohmann::ordered_json;

// A field's numeric value in a record, if it has one.
std::optional<double> Value(const Json& record, const std::string& key) {
  if (!record.contains("fields") || !record["fields"].contains(key)) return std::nullopt;
  const Json& v = record["fields"][key]["value"];
  if (!v.is_number()) return std::nullopt;
  return v.get<double>();
}

// The record has the field at all (its table was read), with a value or not.
bool Has(const Json& record, const std::string& key) {
  return record.contains("fields") && record["fields"].contains(key) && record["fields"][key].is_object() &&
         !record["fields"][key]["raw"].is_null();
}

std::string Num(double v) {
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// A government (人民政府, 政府办公室, 乡镇, 街道 as issuing body) publishes by
// 31 March; a department by 31 January.
bool IsGovernment(const std::string& key) {
  return key.ends_with("政府") || key.ends_with("政府办公室") || key.ends_with("政府办") || key.ends_with("街道办事处") ||
         key.ends_with("街道");
}

std::string HtmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string AgencyKey(std::string_view name) {
  std::string k = MatchKey(name);
  // A trailing parenthetical: （本级）, (2024年度) …
  while (!k.empty() && k.back() == ')') {
    size_t open = k.rfind('(');
    if (open == std::string::npos || open == 0) break;
    k.erase(open);
  }
  for (const char* bracket : {"(", ")", "[", "]", "【", "】", "〔", "〕", "《", "》"}) {
    for (size_t at = k.find(bracket); at != std::string::npos; at = k.find(bracket)) k.erase(at, std::string_view(bracket).size());
  }
  for (size_t at = k.find("人民政府"); at != std::string::npos; at = k.find("人民政府", at)) k.replace(at, 12, "政府");
  return k;
}

Json BuildLedger(const std::vector<LedgerInput>& reports, const LedgerOptions& options) {
  // Agency keys: an alias's key reads as its agency's.
  std::map<std::string, std::string> canonical;
  for (const auto& [name, others] : options.aliases) {
    for (const auto& other : others) canonical[AgencyKey(other)] = AgencyKey(name);
  }
  auto key_of = [&](const std::string& name) {
    std::string k = AgencyKey(name);
    auto it = canonical.find(k);
    return it == canonical.end() ? k : it->second;
  };
  struct Entry {
    const LedgerInput* in;
    int year;
  };
  std::map<std::string, std::map<int, std::vector<Entry>>> by_agency;
  std::map<std::string, std::set<std::string>> names;
  std::map<std::string, std::pair<std::string, std::string>> region_level;
  std::set<int> years;
  for (const auto& in : reports) {
    const Json& r = in.record;
    if (!r.contains("agency") || !r["agency"].is_string() || !r.contains("year") || !r["year"].is_number_integer()) continue;
    const int year = r["year"].get<int>();
    if (options.year && year != options.year && year != options.year - 1) continue;  // Y-1 for S2/S3
    const std::string name = r["agency"].get<std::string>();
    const std::string key = key_of(name);
    by_agency[key][year].push_back({&in, year});
    names[key].insert(name);
    if (region_level[key].first.empty()) region_level[key] = {in.region, in.level};
    if (!options.year || year == options.year) years.insert(year);
  }
  // The ledger's years: every year from the first to the last report year
  // (a year in between with no report at all is a column of its own).
  if (!years.empty()) {
    for (int y = *years.begin(); y <= *years.rbegin(); ++y) years.insert(y);
  }
  Json out;
  out["years"] = Json(years);
  out["agencies"] = Json::array();
  out["findings"] = Json::array();
  long s2 = 0, s3 = 0;
  std::map<std::string, long> counts = {{"found", 0}, {"missing", 0}, {"late", 0}, {"changed", 0}, {"attachment_only", 0}};
  std::map<std::string, std::map<std::string, long>> per_region, per_level;
  for (auto& agency_years : by_agency) {
    // Named references, not structured bindings: a lambda below captures them
    // (clang 14, used for the fuzz build, cannot capture a binding).
    const auto& key = agency_years.first;
    auto& by_year = agency_years.second;
    // The report of a year: the most versions, then the earliest published (stable).
    auto pick = [&](int year) -> const LedgerInput* {
      auto it = by_year.find(year);
      if (it == by_year.end() || it->second.empty()) return nullptr;
      auto best = std::max_element(it->second.begin(), it->second.end(), [](const Entry& a, const Entry& b) {
        return a.in->versions < b.in->versions ||
               (a.in->versions == b.in->versions && a.in->record.value("report_id", "") > b.in->record.value("report_id", ""));
      });
      return best->in;
    };
    bool in_range = false;
    for (int y : years) in_range = in_range || by_year.count(y);
    if (!in_range) continue;  // only a Y-1 report: not an agency of this ledger
    const bool government = IsGovernment(key);
    Json agency = {{"key", key}, {"name", *names[key].rbegin()}, {"names", Json(names[key])},
                   {"region", region_level[key].first}, {"level", region_level[key].second}, {"government", government},
                   {"years", Json::object()}};
    for (int y : years) {
      Json cell;
      const LedgerInput* in = pick(y);
      const std::string region = region_level[key].first.empty() ? "-" : region_level[key].first;
      const std::string level = region_level[key].second.empty() ? "-" : region_level[key].second;
      if (!in) {
        cell = {{"status", "missing"}};
        ++counts["missing"];
        ++per_region[region]["missing"];
        ++per_level[level]["missing"];
      } else {
        const Json& r = in->record;
        const std::string published = r.value("published", Json()).is_string() ? r["published"].get<std::string>() : "";
        const std::string deadline = std::to_string(y + 1) + (government ? "-03-31" : "-01-31");
        const bool late = !published.empty() && published > deadline;
        const std::string source = r.value("source", "html");
        const bool attachment_only = source != "html";
        cell = {{"status", "found"},
                {"late", late},
                {"changed", in->versions > 1},
                {"attachment_only", attachment_only},
                {"report_id", r.value("report_id", "")},
                {"url", r.value("url", "")},
                {"title", r.value("title", "")},
                {"published", published.empty() ? Json() : Json(published)},
                {"deadline", deadline},
                {"versions", in->versions},
                {"reports", by_year[y].size()}};
        ++counts["found"];
        ++per_region[region]["found"];
        ++per_level[level]["found"];
        if (late) ++counts["late"];
        if (in->versions > 1) ++counts["changed"];
        if (attachment_only) ++counts["attachment_only"];
        // S2 and S3 against the year before.
        if (const LedgerInput* prev = pick(y - 1)) {
          const Json& p = prev->record;
          const Json both = Json::array({p.value("report_id", ""), r.value("report_id", "")});
          auto finding = [&](const char* rule, const std::string& outcome, const std::string& detail) {
            out["findings"].push_back({{"rule", rule}, {"agency", key}, {"year", y}, {"outcome", outcome}, {"detail", detail}, {"reports", both}});
          };
          auto over = Value(r, "t3.carried_over.total"), forward = Value(p, "t3.carried_forward.total");
          // Not assessable (no table 三 in one of them): not a check at all.
          const bool s2_assessable = Has(r, "t3.carried_over.total") || Has(p, "t3.carried_forward.total");
          if (s2_assessable) ++s2;
          if (!s2_assessable) {
          } else if (!over || !forward) {
            finding("S2", "uncertain", std::string(!over ? "carried_over of " + std::to_string(y) : "carried_forward of " + std::to_string(y - 1)) + " is null");
          } else if (*over != *forward) {
            finding("S2", "fail", "carried_over " + std::to_string(y) + " = " + Num(*over) + " ≠ carried_forward " +
                                      std::to_string(y - 1) + " = " + Num(*forward));
          }
          if (r.value("format", "") == "gov2021" && p.value("format", "") == "gov2021") {
            for (const char* row : {"regulations", "normative_docs"}) {
              const std::string base = std::string("t2.art20_1.") + row + ".";
              auto now = Value(r, base + "in_force"), before = Value(p, base + "in_force");
              auto issued = Value(r, base + "issued"), repealed = Value(r, base + "repealed");
              if (!Has(r, base + "in_force") && !Has(p, base + "in_force")) continue;  // table 二 not read
              ++s3;
              if (!now || !before || !issued || !repealed) {
                finding("S3", "uncertain", std::string(row) + ": an operand is null");
              } else if (*now != *before + *issued - *repealed) {
                finding("S3", "fail", std::string(row) + ": in_force " + std::to_string(y) + " = " + Num(*now) + " ≠ " + Num(*before) +
                                          " + " + Num(*issued) + " − " + Num(*repealed));
              }
            }
          }
        }
      }
      agency["years"][std::to_string(y)] = cell;
    }
    out["agencies"].push_back(std::move(agency));
  }
  out["checked"] = {{"S2", s2}, {"S3", s3}};
  out["counts"] = Json(counts);
  out["per_region"] = Json(per_region);
  out["per_level"] = Json(per_level);
  return out;
}

std::string LedgerHtml(const Json& ledger) {
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>nianbao coverage ledger</title>\n<style>\n"
      "body{font-family:sans-serif;margin:1em}table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;"
      "padding:2px 6px;text-align:center}td.agency{text-align:left}td.found{background:#8d8}td.late{background:#fd8}"
      "td.missing{background:#f99}td.changed{outline:2px solid #36c}td a{color:#000;text-decoration:none}\n</style></head>\n<body>\n"
      "<h1>政府信息公开工作年度报告: coverage ledger</h1>\n<p>found <span class=\"swatch\">■</span> green, late amber, missing "
      "red; a blue frame: changed after publication; 附 = only an attachment.</p>\n";
  const Json& counts = ledger["counts"];
  h += "<table id=\"counts\"><tr><th>found</th><th>missing</th><th>late</th><th>changed</th><th>attachment only</th></tr><tr>";
  for (const char* k : {"found", "missing", "late", "changed", "attachment_only"}) h += "<td>" + std::to_string(counts.value(k, 0L)) + "</td>";
  h += "</tr></table>\n";
  for (const auto& [title, id, field] : {std::tuple{"per region", "regions", "per_region"}, {"per level", "levels", "per_level"}}) {
    h += std::string("<h2>") + title + "</h2>\n<table id=\"" + id + "\"><tr><th></th><th>found</th><th>missing</th></tr>\n";
    for (const auto& [name, c] : ledger[field].items()) {
      h += "<tr><td class=\"agency\">" + HtmlEscape(name) + "</td><td>" + std::to_string(c.value("found", 0L)) + "</td><td>" +
           std::to_string(c.value("missing", 0L)) + "</td></tr>\n";
    }
    h += "</table>\n";
  }
  h += "<h2>agencies × years</h2>\n<table id=\"ledger\"><thead><tr><th>agency</th><th>region</th><th>level</th>";
  for (const auto& y : ledger["years"]) h += "<th>" + std::to_string(y.get<int>()) + "</th>";
  h += "</tr></thead><tbody>\n";
  for (const auto& a : ledger["agencies"]) {
    h += "<tr data-agency=\"" + HtmlEscape(a["key"].get<std::string>()) + "\"><td class=\"agency\">" + HtmlEscape(a["name"].get<std::string>()) +
         "</td><td>" + HtmlEscape(a.value("region", "")) + "</td><td>" + HtmlEscape(a.value("level", "")) + "</td>";
    for (const auto& y : ledger["years"]) {
      const Json& cell = a["years"][std::to_string(y.get<int>())];
      if (cell.value("status", "") != "found") {
        h += "<td class=\"missing\" data-status=\"missing\">—</td>";
        continue;
      }
      std::string cls = cell.value("late", false) ? "late" : "found";
      if (cell.value("changed", false)) cls += " changed";
      const std::string mark = std::string(cell.value("late", false) ? "迟" : "✓") + (cell.value("attachment_only", false) ? " 附" : "");
      h += "<td class=\"" + cls + "\" data-status=\"found\" title=\"" + HtmlEscape(cell.value("title", "")) + " (" +
           HtmlEscape(cell["published"].is_string() ? cell["published"].get<std::string>() : "no date") + ")\"><a href=\"" +
           HtmlEscape(cell.value("url", "")) + "\">" + mark + "</a></td>";
    }
    h += "</tr>\n";
  }
  h += "</tbody></table>\n<h2>cross-year findings</h2>\n<ul id=\"findings\">\n";
  for (const auto& f : ledger["findings"]) {
    h += "<li>" + HtmlEscape(f.value("rule", "") + " " + f.value("outcome", "") + " — " + f.value("agency", "") + " " +
                             std::to_string(f.value("year", 0)) + ": " + f.value("detail", "")) +
         "</li>\n";
  }
  h += "</ul>\n</body></html>\n";
  return h;
}

}  // namespace nianbao::extract
