// `nianbao show`: one report as a person reads it — what it is, its
// sections, its tables as grids, its fields grouped by table with their
// Chinese labels and where each number came from, each check with its rule
// written out and the cells it used, its warnings — and its versions, and
// what changed between two of them.
#ifndef NIANBAO_DAEMON_SHOW_H_
#define NIANBAO_DAEMON_SHOW_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/status.h"
#include "store/database.h"

namespace nianbao {

// A report as stored: its head and every version's record, oldest first.
struct StoredReport {
  nlohmann::ordered_json head;
  std::vector<nlohmann::ordered_json> versions;
};

// The report named by `what`: a report_id (32 hex digits) or a URL (the
// report's own, one it was also found at, or the page that linked it).
// NotFound if none.
Result<StoredReport> FindReport(store::Database* db, const std::string& what);

// The text views.
std::string ShowRecord(const StoredReport& report, const nlohmann::ordered_json& record);
std::string ShowVersions(const StoredReport& report);

// What changed from version a to version b: the fields whose value or raw
// text differ, and the sentences of the body added and removed.
nlohmann::ordered_json DiffVersions(const nlohmann::ordered_json& a, const nlohmann::ordered_json& b);
std::string ShowDiff(const nlohmann::ordered_json& diff);

}  // namespace nianbao

#endif  // NIANBAO_DAEMON_SHOW_H_
