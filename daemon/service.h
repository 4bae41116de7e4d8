// Service: `nianbao serve`, the long-running daemon (docs/operations.md).
//
// One thread runs the service's event loop: signals, the refresh schedule,
// the admin endpoint (admin_http.h), systemd notifications and the
// watchdog. Runs — the scheduled refresh, backfills queued through the
// admin endpoint, and an interrupted run found at start-up — execute one
// at a time on a run thread, each a Crawler pass with its own fetch loop
// and worker pool. Never two at once: a refresh due while a run is in
// progress is skipped (logged), backfills wait in a queue.
//
//   SIGTERM/SIGINT  stop taking work, stop the run (in-flight pages finish or
//                   are abandoned), close the database, exit 0; bounded by
//                   kDrainSeconds, after which the process exits at once
//                   (atomic batches: nothing is half-written). A second
//                   signal exits at once.
//   SIGHUP          reload the configuration file: validated first; an
//                   invalid file is logged and the old configuration kept.
//                   storage.path and admin.listen apply after a restart.
#ifndef NIANBAO_DAEMON_SERVICE_H_
#define NIANBAO_DAEMON_SERVICE_H_

#include <memory>
#include <string>

#include "config/options.h"
#include "store/database.h"

namespace nianbao {

// How long SIGTERM may take before the process exits regardless.
inline constexpr int kDrainSeconds = 20;
// After a database failure (a full disk): first reopen attempt, doubled up to the last.
inline constexpr int kFirstReopenSeconds = 2;
inline constexpr int kMaxReopenSeconds = 300;
// Backfills queued at once (POST /backfill beyond it: 429).
inline constexpr size_t kMaxQueuedBackfills = 32;

// Runs the service until a signal stops it; returns the exit code (0 after
// a clean stop, 1 if the admin endpoint cannot listen or the database cannot
// be opened at start-up). A database that fails while serving (a full disk)
// is closed and reopened with backoff (kFirstReopenSeconds, doubling to
// kMaxReopenSeconds); meanwhile /readyz is 503 and says why, and the run
// that failed resumes once it is open again.
// `config_path` is re-read on SIGHUP.
int Serve(const std::string& config_path, Options options, std::unique_ptr<store::Database> db);

}  // namespace nianbao

#endif  // NIANBAO_DAEMON_SERVICE_H_
