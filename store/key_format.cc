#include "store/key_format.h"

#include <cstdio>

namespace nianbao::store {

std::string ReportKey(std::string_view report_id) { return std::string(kReportPrefix) + std::string(report_id); }

std::string ContentIndexKey(std::string_view content_sha256) { return "c/" + std::string(content_sha256); }

std::string VersionKey(std::string_view report_id, uint32_t version) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", version);
  return std::string(report_id) + "/" + buf;
}

std::string FrontierKey(std::string_view url) { return std::string(kFrontierPrefix) + std::string(url); }

std::string ListingBodyKey(std::string_view key) { return "b/" + std::string(key); }

std::string QueuePrefix(uint64_t run, std::string_view portal) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(run));
  return "q/" + std::string(buf) + "/" + std::string(portal) + "/";
}

std::string QueueKey(uint64_t run, std::string_view portal, uint64_t seq) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(seq));
  return QueuePrefix(run, portal) + buf;
}

}  // namespace nianbao::store
