#include "daemon/reextract.h"

#include <atomic>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/log.h"
#include "daemon/record.h"
#include "daemon/work_queue.h"
#include "extract/report_extractor.h"

namespace nianbao {
namespace {

using json = nlohmann::json;

// One stored record → the commit of its re-extraction; nullopt if it
// cannot be re-extracted (logged).
std::optional<store::PageCommit> Redo(store::Database* db, const json& old) {
  auto str = [&](const char* k) { return old.contains(k) && old[k].is_string() ? old[k].get<std::string>() : std::string(); };
  const std::string url = str("url");
  auto raw = db->GetRaw(str("raw_sha256"));
  if (!raw.ok()) {
    Log(LogLevel::kWarn, "reextract_skipped", {{"url", url}, {"error", raw.status().ToString()}});
    return std::nullopt;
  }
  extract::ExtractInput in;
  in.bytes = raw.value();
  in.url = url;
  const json& http = old.contains("http") ? old["http"] : json();
  if (http.is_object() && http.contains("charset") && http["charset"].is_string()) {
    in.content_type = "text/html; charset=" + http["charset"].get<std::string>();
  }
  auto report = extract::ExtractReport(in);
  if (!report.ok()) {
    Log(LogLevel::kWarn, "reextract_failed", {{"url", url}, {"error", report.status().ToString()}});
    return std::nullopt;
  }
  // A page whose report is its attachment: the attachment's stored bytes.
  const json& atts = old.contains("attachments") ? old["attachments"] : json();
  if (report.value().NeedsAttachment() && atts.is_array() && !atts.empty() && atts[0].contains("sha256") &&
      atts[0]["sha256"].is_string()) {
    auto att_raw = db->GetRaw(atts[0]["sha256"].get<std::string>());
    extract::ExtractInput ain;
    if (att_raw.ok()) ain.bytes = att_raw.value();
    ain.url = atts[0].value("url", "");
    auto att = att_raw.ok() ? extract::ExtractReport(ain) : Result<extract::Report>(att_raw.status());
    if (att.ok() && att.value().IsReport()) {
      extract::Attachment meta{ain.url, atts[0].value("name", ""), atts[0]["sha256"].get<std::string>(),
                               static_cast<int64_t>(ain.bytes.size())};
      report = extract::WithAttachment(report.value(), std::move(att.value()), std::move(meta));
    }
  }
  RecordEnvelope env;
  env.url = url;
  env.linked_url = str("linked_url");
  env.portal = str("portal");
  env.fetched_at = str("fetched_at");
  env.raw_sha256 = str("raw_sha256");
  if (http.is_object() && http.contains("status") && http["status"].is_number()) {
    env.http_status = http["status"].get<long>();
    if (http.contains("etag") && http["etag"].is_string()) env.etag = http["etag"].get<std::string>();
    if (http.contains("last_modified") && http["last_modified"].is_string()) {
      env.last_modified = http["last_modified"].get<std::string>();
    }
  }
  store::PageCommit commit;
  store::ReportCandidate c;
  c.report_id = str("report_id");
  c.url = url;
  c.content_sha256 = report.value().content_sha256;
  c.record = BuildRecord(report.value(), env);
  commit.report = std::move(c);
  return commit;
}

}  // namespace

Result<ReextractStats> Reextract(store::Database* db, unsigned jobs) {
  jobs = std::max(1u, jobs);
  ReextractStats stats;
  // Records read but not yet extracted, and extracted but not yet committed:
  // a few per worker, so the cores stay busy and memory stays small.
  WorkQueue<json> todo(4 * jobs);
  WorkQueue<std::optional<store::PageCommit>> done(4 * jobs);
  std::atomic<bool> stop{false};
  Status write_error;

  std::thread writer([&] {
    while (auto item = done.Pop()) {
      if (!item->has_value()) {
        ++stats.failed;
        continue;
      }
      if (!write_error.ok()) continue;  // draining after a database error
      auto result = db->Commit(std::move(**item));
      if (!result.ok()) {
        write_error = result.status();
        stop = true;
        continue;
      }
      ++stats.reextracted;
      stats.added += result.value().new_version;
    }
  });
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < jobs; ++i) {
    workers.emplace_back([&] {
      while (auto old = todo.Pop()) {
        if (stop) continue;  // draining
        done.Push(Redo(db, *old));
      }
    });
  }
  Status read = db->ForEachLatest([&](const std::string& text) {
    json r = json::parse(text, nullptr, false);
    if (r.is_discarded()) return !stop;
    ++stats.reports;
    return todo.Push(std::move(r)) && !stop;
  });
  todo.Close();
  for (auto& w : workers) w.join();
  done.Close();
  writer.join();
  if (!write_error.ok()) return write_error;
  if (!read.ok()) return read;
  return stats;
}

}  // namespace nianbao
