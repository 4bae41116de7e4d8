// Options: the whole configuration of nianbao, one struct per scope, every
// field with its default (docs/spec/config.md). Loaded once by
// LoadConfig() (config/load.h), validated and then treated as read-only.
// Modules take the struct of their own scope, never the YAML.
#ifndef NIANBAO_CONFIG_OPTIONS_H_
#define NIANBAO_CONFIG_OPTIONS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace nianbao {

struct StorageOptions {
  std::string path = "/var/lib/nianbao/db";  // RocksDB directory
};

struct CrawlOptions {
  std::string user_agent = "nianbao/0.1 (+https://example.org/nianbao; contact@example.org)";
  int per_host_concurrency = 2;      // open requests per host
  int per_host_delay_ms = 1000;      // minimum gap between request starts to one host
  int max_connections = 64;          // across all hosts
  int timeout_s = 30;                // whole-transfer timeout
  int connect_timeout_s = 10;
  int64_t max_page_bytes = 20 << 20; // larger bodies are cut and recorded as truncated
  int max_retries = 4;               // on 5xx, 429, timeouts, resets
  bool respect_robots = true;        // robots.txt (issue 5)
  bool honor_retry_after = true;     // Retry-After pauses the host (issue 5)
  // CPU seconds one page's extraction may take on its worker (a PDF with its
  // attachment's page counted apart); past it the page is recorded as failed
  // with the reason. Legitimate pages take well under 1 s (docs/crawling.md).
  double page_cpu_budget_s = 30;
};

struct ScheduleOptions {
  std::string refresh = "0 2 * * *";  // cron, local time (serve)
  int revisit_after_days = 1;         // detail pages revisited when older than this
};

struct AdminOptions {
  std::string listen = "127.0.0.1:9380";
  // A file holding a bearer token (one line, 16 characters or more): when set,
  // every admin request but /healthz and /readyz must carry
  // "Authorization: Bearer TOKEN". "" = none.
  std::string token_file;
};

// One configured 年报 column (a Portal) and where its reports may be fetched.
struct PortalOptions {
  std::string name;                     // required, unique
  std::vector<std::string> start_urls;  // required: listing URLs of the column
  std::vector<std::string> allow_hosts; // "host" (any port) or "host:port"; default: hosts of start_urls
  std::string region;                   // optional, used when a title lacks the agency
  int year_min = 0, year_max = 0;       // optional inclusive range of report years (0 = any)
  std::string cms = "auto";             // auto | trs | hanweb | gkmlpt | vsb | generic
  int max_pages = 200;                  // listing pages per run
  // Fetch hosts that resolve to loopback/private/link-local addresses
  // (nianbao's own addition: only for an in-house or simulated portal).
  bool allow_private_addresses = false;
  // Descriptive only.
  std::string level, agency, notes;
  std::vector<std::string> report_urls; // known report pages: extra seeds

  // True if `host` with `port` is inside allow_hosts.
  bool AllowsHost(const std::string& host, int port) const;
};

// True if host (with port) matches an entry of `allow` ("host" = any port,
// or "host:port").
bool HostAllowed(const std::vector<std::string>& allow, const std::string& host, int port);

struct Options {
  std::string source;  // the file it was loaded from ("" = defaults)
  StorageOptions storage;
  CrawlOptions crawl;
  ScheduleOptions schedule;
  AdminOptions admin;
  std::string portals_dir;  // optional: every *.yaml there is a list of portals
  std::vector<PortalOptions> portals;
  // agencies: an agency's name → the other names it published under (renames
  // after 机构改革), so `nianbao check` counts them as one agency across years.
  std::map<std::string, std::vector<std::string>> agency_aliases;
};

}  // namespace nianbao

#endif  // NIANBAO_CONFIG_OPTIONS_H_
