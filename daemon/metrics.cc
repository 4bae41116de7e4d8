#include "daemon/metrics.h"

#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace nianbao {
namespace {

// A label value with \ " and newline escaped, as the format requires.
std::string Label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void Header(std::ostringstream& o, const char* name, const char* type, const char* help) {
  o << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
}

// A metric family of one unlabelled sample.
void Single(std::ostringstream& o, const char* name, const char* type, const char* help, uint64_t value) {
  Header(o, name, type, help);
  o << name << " " << value << "\n";
}

uint64_t ResidentBytes() {
  std::ifstream in("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  in >> size >> resident;
  return resident * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

uint64_t OpenDescriptors() {
  DIR* d = ::opendir("/proc/self/fd");
  if (!d) return 0;
  uint64_t n = 0;
  while (const dirent* e = ::readdir(d)) n += e->d_name[0] != '.';
  ::closedir(d);
  return n > 0 ? n - 1 : 0;  // not the descriptor of the listing itself
}

}  // namespace

void Metrics::PageFetched(long status, uint64_t bytes, double seconds) {
  const long cls = status >= 100 && status < 600 ? status / 100 : 0;
  ++pages_[cls];
  bytes_ += bytes;
  std::lock_guard<std::mutex> lock(mu_);
  size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  ++latency_counts_[b];
  latency_sum_ += seconds;
  ++latency_count_;
}

void Metrics::ReportStored(bool new_version, int failed_checks) {
  ++reports_found_;
  if (!new_version) return;
  ++versions_added_;
  check_failures_ += static_cast<uint64_t>(failed_checks);
}

void Metrics::SetHostQueues(std::vector<std::pair<std::string, size_t>> depths) {
  std::lock_guard<std::mutex> lock(mu_);
  host_queues_ = std::move(depths);
}

void Metrics::RunStarted(const std::string& mode, std::time_t at) {
  std::lock_guard<std::mutex> lock(mu_);
  running_ = true;
  if (mode == "refresh") last_refresh_ = LastRun{at, 0, "running"};
}

void Metrics::RunFinished(const std::string& mode, const std::string& outcome, std::time_t at) {
  std::lock_guard<std::mutex> lock(mu_);
  running_ = false;
  host_queues_.clear();
  RunCounts* counts = nullptr;
  for (auto& r : runs_) counts = r.mode == mode ? &r : counts;
  if (!counts) counts = &runs_.emplace_back(RunCounts{mode});
  ++(outcome == "ok"            ? counts->ok
     : outcome == "degraded"    ? counts->degraded
     : outcome == "interrupted" ? counts->interrupted
                                : counts->failed);
  if (mode == "refresh") {
    last_refresh_.finished = at;
    last_refresh_.outcome = outcome;
  }
}

void Metrics::SetCoverage(const std::vector<PortalCoverage>& coverage) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& pc : coverage) coverage_[pc.portal] = pc;
}

std::vector<PortalCoverage> Metrics::coverage() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<PortalCoverage> out;
  for (const auto& [name, pc] : coverage_) out.push_back(pc);
  return out;
}

Metrics::LastRun Metrics::last_refresh() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_refresh_;
}

std::string Metrics::Exposition() const {
  std::ostringstream o;
  Header(o, "nianbao_pages_fetched_total", "counter", "Responses received, by status class (error = no response).");
  static const char* kClass[] = {"error", "1xx", "2xx", "3xx", "4xx", "5xx"};
  for (int i = 0; i < 6; ++i) o << "nianbao_pages_fetched_total{class=\"" << kClass[i] << "\"} " << pages_[i] << "\n";
  Single(o, "nianbao_fetched_bytes_total", "counter", "Response body bytes received.", bytes_);
  Single(o, "nianbao_reports_found_total", "counter", "Report pages extracted and stored (new version or not).",
         reports_found_);
  Single(o, "nianbao_versions_added_total", "counter", "Report versions added to the database.", versions_added_);
  Single(o, "nianbao_check_failures_total", "counter", "Failed consistency checks (checks.md) in the versions added.",
         check_failures_);
  Single(o, "nianbao_frontier_size", "gauge", "URLs in the frontier (every URL ever scheduled).", frontier_size_);
  Single(o, "nianbao_reports_stored", "gauge", "Reports in the database.", reports_stored_);
  Single(o, "nianbao_rocksdb_memtable_bytes", "gauge", "RocksDB memtables, all column families.", memtable_bytes_);
  Single(o, "nianbao_rocksdb_block_cache_bytes", "gauge", "RocksDB block cache in use.", block_cache_bytes_);

  std::lock_guard<std::mutex> lock(mu_);
  Header(o, "nianbao_host_queue_depth", "gauge", "Requests waiting or open per host in the current run.");
  for (const auto& [host, n] : host_queues_) o << "nianbao_host_queue_depth{host=\"" << Label(host) << "\"} " << n << "\n";
  Header(o, "nianbao_listing_claimed_entries", "gauge", "Entries the portal's listings claim (last pass; columns that print a count).");
  for (const auto& [name, pc] : coverage_) {
    if (pc.claimed >= 0) o << "nianbao_listing_claimed_entries{portal=\"" << Label(name) << "\"} " << pc.claimed << "\n";
  }
  Header(o, "nianbao_listing_found_entries", "gauge", "Entries the last pass found in the portal's listings.");
  for (const auto& [name, pc] : coverage_) o << "nianbao_listing_found_entries{portal=\"" << Label(name) << "\"} " << pc.found << "\n";
  Header(o, "nianbao_listing_pages", "gauge", "Listing pages the last pass read for the portal.");
  for (const auto& [name, pc] : coverage_) o << "nianbao_listing_pages{portal=\"" << Label(name) << "\"} " << pc.listing_pages << "\n";
  Header(o, "nianbao_portal_last_success_timestamp_seconds", "gauge", "The portal's last pass with no error and no shortfall (0 = never).");
  for (const auto& [name, pc] : coverage_) o << "nianbao_portal_last_success_timestamp_seconds{portal=\"" << Label(name) << "\"} " << pc.last_success << "\n";
  Header(o, "nianbao_listing_shortfalls", "gauge", "Coverage shortfalls of the last audited pass (found < claimed, a failed listing page, …).");
  for (const auto& [name, pc] : coverage_) o << "nianbao_listing_shortfalls{portal=\"" << Label(name) << "\"} " << pc.shortfalls.size() << "\n";
  Header(o, "nianbao_fetch_duration_seconds", "histogram", "Transfer time of each fetch (last attempt).");
  uint64_t cumulative = 0;
  for (size_t b = 0; b < kBuckets.size(); ++b) {
    cumulative += latency_counts_[b];
    o << "nianbao_fetch_duration_seconds_bucket{le=\"" << kBuckets[b] << "\"} " << cumulative << "\n";
  }
  o << "nianbao_fetch_duration_seconds_bucket{le=\"+Inf\"} " << latency_count_ << "\n";
  o << "nianbao_fetch_duration_seconds_sum " << latency_sum_ << "\n";
  o << "nianbao_fetch_duration_seconds_count " << latency_count_ << "\n";
  Header(o, "nianbao_runs_total", "counter", "Finished runs by mode and outcome.");
  for (const auto& r : runs_) {
    o << "nianbao_runs_total{mode=\"" << r.mode << "\",outcome=\"ok\"} " << r.ok << "\n";
    o << "nianbao_runs_total{mode=\"" << r.mode << "\",outcome=\"degraded\"} " << r.degraded << "\n";
    o << "nianbao_runs_total{mode=\"" << r.mode << "\",outcome=\"interrupted\"} " << r.interrupted << "\n";
    o << "nianbao_runs_total{mode=\"" << r.mode << "\",outcome=\"failed\"} " << r.failed << "\n";
  }
  Single(o, "nianbao_run_active", "gauge", "1 while a run (refresh, backfill) is in progress.", running_ ? 1 : 0);
  Single(o, "nianbao_last_refresh_start_timestamp_seconds", "gauge", "Start of the last refresh (0 = none yet).",
         static_cast<uint64_t>(last_refresh_.started));
  Single(o, "nianbao_last_refresh_end_timestamp_seconds", "gauge", "End of the last refresh (0 = none or running).",
         static_cast<uint64_t>(last_refresh_.finished));
  Header(o, "nianbao_last_refresh_outcome", "gauge", "1 for the outcome of the last refresh.");
  for (const char* outcome : {"ok", "degraded", "interrupted", "failed", "running"}) {
    o << "nianbao_last_refresh_outcome{outcome=\"" << outcome << "\"} " << (last_refresh_.outcome == outcome ? 1 : 0)
      << "\n";
  }
  Single(o, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", ResidentBytes());
  Single(o, "process_open_fds", "gauge", "Number of open file descriptors.", OpenDescriptors());
  return o.str();
}

}  // namespace nianbao
