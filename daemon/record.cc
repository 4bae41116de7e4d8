#include "daemon/record.h"

#include <ctime>

#include "config/url.h"
#include "extract/report_json.h"

namespace nianbao {
namespace {
nlohmann::ordered_json StringOrNull(const std::string& s) {
  return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s);
}
}  // namespace

std::string NowIso8601() {
  char buf[32];
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

nlohmann::ordered_json BuildRecord(const extract::Report& report, const RecordEnvelope& e) {
  nlohmann::ordered_json content = extract::ReportContentJson(report);
  nlohmann::ordered_json j;
  j["schema"] = "nianbao.report/1";
  j["report_id"] = e.url.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(ReportIdForCanonicalUrl(e.url));
  j["version"] = 1;
  j["url"] = StringOrNull(e.url);
  j["linked_url"] = StringOrNull(e.linked_url);
  j["portal"] = StringOrNull(e.portal);
  j["found_on"] = e.found_on;
  j["also_at"] = nlohmann::ordered_json::array();
  j["status"] = "live";
  for (const char* k : {"title", "agency", "year", "published", "format", "source"}) j[k] = std::move(content[k]);
  j["attachments"] = std::move(content["attachments"]);
  j["fetched_at"] = StringOrNull(e.fetched_at);
  if (e.http_status) {
    j["http"] = {{"status", e.http_status},
                 {"etag", StringOrNull(e.etag)},
                 {"last_modified", StringOrNull(e.last_modified)},
                 {"charset", report.charset}};
  } else {
    j["http"] = {{"status", nullptr}, {"etag", nullptr}, {"last_modified", nullptr}, {"charset", report.charset}};
  }
  j["content_sha256"] = std::move(content["content_sha256"]);
  j["raw_sha256"] = StringOrNull(e.raw_sha256);
  for (const char* k : {"body_text", "sections", "tables", "fields", "checks", "warnings"}) j[k] = std::move(content[k]);
  return j;
}

}  // namespace nianbao
