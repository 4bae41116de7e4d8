// Every key encoding of the database, in one place (see store/FORMAT.md).
// Column families and prefixes are on-disk format: do not rename them.
#ifndef NIANBAO_STORE_KEY_FORMAT_H_
#define NIANBAO_STORE_KEY_FORMAT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace nianbao::store {

// Column family names.
inline constexpr const char* kCfReports = "reports";    // Report heads and the content index
inline constexpr const char* kCfVersions = "versions";  // every ReportVersion, never overwritten
inline constexpr const char* kCfRaw = "raw";            // raw fetched bodies, by SHA-256
inline constexpr const char* kCfFrontier = "frontier";  // crawl state: URLs and runs

// reports: "r/" + report_id  → Report head (JSON)
std::string ReportKey(std::string_view report_id);
inline constexpr std::string_view kReportPrefix = "r/";
// reports: "c/" + content_sha256 → report_id of the first report with that content
std::string ContentIndexKey(std::string_view content_sha256);
// versions: report_id + '/' + 8 hex digits of the version (sorts numerically)
std::string VersionKey(std::string_view report_id, uint32_t version);
// raw: raw_sha256 (64 hex) → bytes
// frontier: "u/" + URL → FrontierEntry (JSON)
std::string FrontierKey(std::string_view url);
inline constexpr std::string_view kFrontierPrefix = "u/";
// frontier: "b/" + FrontierEntry::key() → a listing request's last 200
// answer (Content-Type + "\n" + body), read again when it answers 304
std::string ListingBodyKey(std::string_view key);
// frontier: "q/" + 16 hex digits of the run + "/" + portal + "/" + 16 hex
// digits of a sequence number → URL: each portal's queue of pending entries
// in a run, in the order they were scheduled (per-portal, so one slow portal
// cannot hold the others' turn)
std::string QueueKey(uint64_t run, std::string_view portal, uint64_t seq);
std::string QueuePrefix(uint64_t run, std::string_view portal);
// frontier: "queue_seq" → the next sequence number (decimal)
inline constexpr std::string_view kQueueSeqKey = "queue_seq";
// frontier: "run" → the current CrawlRun (JSON)
inline constexpr std::string_view kRunKey = "run";
// default: "format" → "nianbao-db/1"
inline constexpr std::string_view kFormatKey = "format";
// Default column family: small named values of the service ("state/<name>").
inline constexpr std::string_view kStatePrefix = "state/";
inline constexpr std::string_view kFormatValue = "nianbao-db/1";

}  // namespace nianbao::store

#endif  // NIANBAO_STORE_KEY_FORMAT_H_
