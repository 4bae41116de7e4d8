// Crawler: the engine, and the only place data moves between modules
// (docs/design.md). One pass over the configured portals:
//
//   Frontier (store) → Fetcher (fetch, io thread) → extract (worker pool)
//        ↑                                              ↓
//        └──── discovered URLs ←── one atomic PageCommit (store)
//
// The pass is a CrawlRun in the database. An interrupted run (crash, kill,
// SIGTERM) is resumed by the next Run(): pending URLs are fetched again,
// finished ones are not.
#ifndef NIANBAO_DAEMON_CRAWLER_H_
#define NIANBAO_DAEMON_CRAWLER_H_

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "config/options.h"
#include "config/status.h"
#include "daemon/coverage.h"
#include "daemon/metrics.h"
#include "store/database.h"

namespace nianbao {

// Which pass: crawl (everything once), backfill (full pagination, reports of
// a year range only), refresh (newest listing pages until one holds nothing
// new; detail pages revisited conditionally when older than
// schedule.revisit_after_days).
struct CrawlMode {
  std::string name = "crawl";  // crawl | backfill | refresh | demo
  int year_min = 0, year_max = 0;  // backfill: keep only these report years
};

struct CrawlStats {
  uint64_t pages_fetched = 0;
  uint64_t not_modified = 0;    // 304 answers to conditional revisits
  uint64_t fresh = 0;           // detail pages not revisited (younger than revisit_after_days)
  uint64_t listings = 0;
  uint64_t reports_seen = 0;    // report pages extracted and stored (new version or not)
  uint64_t versions_added = 0;
  uint64_t not_reports = 0;     // look-alikes and pages of format unknown
  uint64_t errors = 0;
  bool resumed = false;
  bool interrupted = false;     // stopped by a signal before the run finished
  // The coverage self-audit, per portal (daemon/coverage.h). Counts are
  // judged only for a whole crawl or backfill that ran to its end in one
  // process (a refresh stops paging on purpose; a resumed run saw part);
  // a failed listing page is a shortfall of any pass.
  std::vector<PortalCoverage> coverage;
  bool audited = false;
  // How the pass went: "ok"; "degraded" (a portal failed — nothing of its
  // listings could be read — or a shortfall); "failed" (every portal failed).
  std::string outcome = "ok";
  size_t failed_portals = 0;
  int stop_signal = 0;          // the signal that stopped it (foreground), 0 if none
};

// A worker of the pass on one page for longer than the page CPU budget
// (crawl.page_cpu_budget_s) in wall time: stuck in a step that cannot be
// stopped, or starved of CPU.
struct StuckWorker {
  std::string url;
  double seconds = 0;
};

class Pass;

class Crawler {
 public:
  // `db` (and `metrics`, if given) must outlive the Crawler. `portals`
  // restricts the pass to those names (empty = all). With `metrics`
  // (`nianbao serve`), counts go there too and signals are left to the
  // caller, who stops the pass with RequestStop(); without, SIGINT/SIGTERM
  // stop it and a second signal exits at once.
  Crawler(const Options& options, store::Database* db, std::vector<std::string> portals, CrawlMode mode,
          Metrics* metrics = nullptr);

  // Runs the pass to the end, or until stopped (then in-flight pages are
  // finished or abandoned, every write flushed, interrupted = true).
  // Returns an error only if the database fails.
  Result<CrawlStats> Run();

  // The mode of the run Run() ran: the one asked for, or that of the
  // interrupted run it resumed.
  const CrawlMode& mode() const { return mode_; }
  // Run() finished an interrupted run other than the one asked for (another
  // mode, other years or other portals): the asked pass is still to run.
  bool resumed_another() const { return resumed_another_; }

  // Any thread: stop as on SIGTERM (also before Run() has started).
  void RequestStop();
  // Any thread: the counts so far.
  CrawlStats Progress();
  // Any thread: steady-clock seconds of the pass loop's last tick (every
  // second while it runs); 0 before it starts. A value that stops moving
  // means a hung loop.
  int64_t heartbeat() const { return heartbeat_; }
  // Any thread: the workers past the page budget now (empty when none).
  std::vector<StuckWorker> StuckWorkers();

 private:
  // Logs the shortfalls, keeps each portal's figures (state coverage/<portal>) and sets the metrics.
  void ReportCoverage(CrawlStats* stats);

  const Options& options_;
  store::Database* db_;
  std::vector<std::string> portal_filter_;
  CrawlMode mode_;
  Metrics* metrics_;
  std::mutex mu_;           // guards pass_ and stop_
  Pass* pass_ = nullptr;    // while Run() runs
  bool stop_ = false;
  bool resumed_another_ = false;
  std::atomic<int64_t> heartbeat_{0};
};

}  // namespace nianbao

#endif  // NIANBAO_DAEMON_CRAWLER_H_
