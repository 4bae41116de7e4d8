// The full record of docs/spec/record.md: the content found by
// extract::ExtractReport wrapped in the crawl envelope (ids, URLs, HTTP).
#ifndef NIANBAO_DAEMON_RECORD_H_
#define NIANBAO_DAEMON_RECORD_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "extract/report.h"

namespace nianbao {

struct RecordEnvelope {
  std::string url;         // canonical URL ("" offline → null)
  std::string linked_url;  // as linked, before redirects
  std::string portal;
  std::vector<std::string> found_on;
  std::string fetched_at;  // ISO 8601 UTC, "" → null
  long http_status = 0;    // 0 → http is null
  std::string etag, last_modified;
  std::string raw_sha256;
};

// The record, keys in record.md order; "version" is 1 (the store renumbers).
nlohmann::ordered_json BuildRecord(const extract::Report& report, const RecordEnvelope& envelope);

// "2026-11-28T02:13:44Z" for now.
std::string NowIso8601();

}  // namespace nianbao

#endif  // NIANBAO_DAEMON_RECORD_H_
