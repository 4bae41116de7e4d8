// Across records: the rules checks.md computes over years (S2, S3) and the
// coverage ledger — for each agency and report year, whether its report was
// found, missing, late, changed after publication, or only an attachment.
// Pure functions over stored records (JSON); no I/O.
#ifndef NIANBAO_EXTRACT_LEDGER_H_
#define NIANBAO_EXTRACT_LEDGER_H_

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace nianbao::extract {

// An agency's name as a key that stays the same across years: NFKC-folded
// (full-width forms, spaces, quotes, brackets), 人民政府 read as 政府, a
// trailing parenthetical ("（本级）") dropped.
std::string AgencyKey(std::string_view name);

// One stored report (its latest version) and what the configuration says of
// the portal it came from.
struct LedgerInput {
  nlohmann::ordered_json record;
  int versions = 1;
  std::string region, level;  // the portal's (configuration), "" if not set
};

struct LedgerOptions {
  // An agency's name → its other names (configuration `agencies:`).
  std::map<std::string, std::vector<std::string>> aliases;
  int year = 0;  // only this report year (0 = every year present)
};

// The ledger and the cross-year findings as JSON (docs/reference.md):
//   {"years": [Y…], "agencies": [{"key", "name", "names", "region", "level",
//     "government", "years": {"Y": {"status": "found"|"missing", "late",
//     "changed", "attachment_only", "report_id", "url", "title",
//     "published", "reports"}}}],
//    "findings": [{"rule": "S2"|"S3", "agency", "year", "outcome":
//     "fail"|"uncertain", "detail", "reports": [id of Y-1, id of Y]}],
//    "checked": {"S2": n, "S3": n}, "counts": {…}}
// A report is late when published after 31 January of the next year (a
// department) or 31 March (a government: a name ending in 政府 or
// 政府办公室, 乡镇 and 街道 included).
nlohmann::ordered_json BuildLedger(const std::vector<LedgerInput>& reports, const LedgerOptions& options);

// The ledger as one self-contained HTML page: a heat map of agencies × years
// (each cell linking its report), with counts per region and level.
std::string LedgerHtml(const nlohmann::ordered_json& ledger);

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_LEDGER_H_
