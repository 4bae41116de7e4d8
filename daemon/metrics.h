// Metrics: what `nianbao serve` exposes on /metrics, in the Prometheus text
// exposition format (version 0.0.4). Counters are cumulative since the
// process started; gauges are the latest value.
//
// Thread safety: every method may be called from any thread.
#ifndef NIANBAO_DAEMON_METRICS_H_
#define NIANBAO_DAEMON_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <ctime>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "daemon/coverage.h"

namespace nianbao {

class Metrics {
 public:
  // One response (status 100–599) or a transport failure (status 0) with
  // its body size and transfer time.
  void PageFetched(long status, uint64_t bytes, double seconds);
  // A report page stored: `new_version` if it added a version, and how many
  // of that record's checks failed.
  void ReportStored(bool new_version, int failed_checks);
  // Requests waiting or open per host, replacing the previous snapshot.
  void SetHostQueues(std::vector<std::pair<std::string, size_t>> depths);
  void SetFrontierSize(uint64_t n) { frontier_size_ = n; }
  void SetReportsStored(uint64_t n) { reports_stored_ = n; }
  void SetDatabaseMemory(uint64_t memtables, uint64_t block_cache) {
    memtable_bytes_ = memtables;
    block_cache_bytes_ = block_cache;
  }

  // The last pass's coverage audit, per portal, replacing what an earlier
  // pass said of the same portals.
  void SetCoverage(const std::vector<PortalCoverage>& coverage);
  std::vector<PortalCoverage> coverage() const;

  // Runs: mode is refresh | backfill | crawl; outcome ok | degraded |
  // interrupted | failed (every portal failed, or the database).
  void RunStarted(const std::string& mode, std::time_t at);
  void RunFinished(const std::string& mode, const std::string& outcome, std::time_t at);

  // The last refresh, for /status: start, end (0 while running) and outcome
  // ("" before the first).
  struct LastRun {
    std::time_t started = 0, finished = 0;
    std::string outcome;
  };
  LastRun last_refresh() const;

  uint64_t versions_added() const { return versions_added_; }

  // The whole exposition, with the process's resident memory and open
  // descriptors read from /proc/self at the time of the call.
  std::string Exposition() const;

 private:
  // Fetch latency buckets, seconds (upper bounds; +Inf implied).
  static constexpr std::array<double, 10> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};

  std::atomic<uint64_t> pages_[6] = {};  // error, 1xx..5xx (index status/100)
  std::atomic<uint64_t> bytes_{0};
  std::atomic<uint64_t> reports_found_{0};
  std::atomic<uint64_t> versions_added_{0};
  std::atomic<uint64_t> check_failures_{0};
  std::atomic<uint64_t> frontier_size_{0};
  std::atomic<uint64_t> reports_stored_{0};
  std::atomic<uint64_t> memtable_bytes_{0};
  std::atomic<uint64_t> block_cache_bytes_{0};

  mutable std::mutex mu_;  // guards the members below
  std::array<uint64_t, kBuckets.size() + 1> latency_counts_{};  // non-cumulative; last = over the top bucket
  double latency_sum_ = 0;
  uint64_t latency_count_ = 0;
  std::vector<std::pair<std::string, size_t>> host_queues_;
  struct RunCounts {
    std::string mode;
    uint64_t ok = 0, degraded = 0, interrupted = 0, failed = 0;
  };
  std::vector<RunCounts> runs_;
  LastRun last_refresh_;
  bool running_ = false;
  std::map<std::string, PortalCoverage> coverage_;
};

}  // namespace nianbao

#endif  // NIANBAO_DAEMON_METRICS_H_
