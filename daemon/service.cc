#include "daemon/service.h"

#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/system_timer.hpp>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "config/cron.h"
#include "config/load.h"
#include "config/log.h"
#include "daemon/admin_http.h"
#include "daemon/crawler.h"
#include "daemon/metrics.h"

namespace nianbao {
namespace {

namespace asio = boost::asio;
using json = nlohmann::ordered_json;

constexpr char kLastRefreshState[] = "last_refresh_started";
constexpr char kQueuedRunsState[] = "queued_backfills";

std::string IsoTime(std::time_t t) {
  if (t <= 0) return "";
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

json TimeOrNull(std::time_t t) { return t > 0 ? json(IsoTime(t)) : json(); }

// Wall-clock seconds from the precise clock (time() may read a coarse clock
// that lags the schedule timer's by a tick).
std::time_t Now() { return std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()); }

int64_t SteadySeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// A run to do: the scheduled refresh, a backfill, or an interrupted run.
struct Job {
  std::string mode;  // refresh | backfill | crawl (resumed)
  int year_min = 0, year_max = 0;
  std::vector<std::string> portals;  // empty = all
  std::string why;                   // schedule | start-up | admin | resume
  std::time_t queued_at = 0;
  uint64_t id = 0;                   // a queued backfill's number (GET/DELETE /backfill/ID)

  json ToJson() const {
    json j = {{"mode", mode}};
    if (id) j["id"] = id;
    if (year_min) j["years"] = {year_min, year_max};
    if (!portals.empty()) j["portals"] = portals;
    j["why"] = why;
    j["queued_at"] = TimeOrNull(queued_at);
    return j;
  }
  static std::optional<Job> FromJson(const json& j) {
    if (!j.is_object() || j.value("mode", "") != "backfill" || !j.contains("years") || !j["years"].is_array() ||
        j["years"].size() != 2 || !j["years"][0].is_number_integer() || !j["years"][1].is_number_integer()) {
      return std::nullopt;
    }
    Job job{"backfill", j["years"][0].get<int>(), j["years"][1].get<int>(), {}, j.value("why", "admin"), Now(),
            j.contains("id") && j["id"].is_number_unsigned() ? j["id"].get<uint64_t>() : 0};
    if (j.contains("portals") && j["portals"].is_array()) {
      for (const auto& p : j["portals"]) {
        if (p.is_string()) job.portals.push_back(p.get<std::string>());
      }
    }
    return job;
  }
  bool SameWork(const Job& o) const {
    return mode == o.mode && year_min == o.year_min && year_max == o.year_max && portals == o.portals;
  }
};

class ServiceLoop {
 public:
  ServiceLoop(std::string config_path, Options options, std::unique_ptr<store::Database> db)
      : config_path_(std::move(config_path)),
        options_(std::make_shared<const Options>(std::move(options))),
        db_(std::move(db)),
        admin_(io_, [this](const AdminRequest& r) { return Handle(r); }) {}

  int Run() {
    auto cron = CronSchedule::Parse(options_->schedule.refresh);
    if (!cron.ok()) return Fatal("schedule.refresh: " + cron.status().ToString());
    cron_ = std::move(cron.value());
    auto token = AdminToken(options_->admin);
    if (!token.ok()) return Fatal("admin.token_file: " + token.status().ToString());
    admin_.RequireToken(token.value());
    if (Status s = admin_.Listen(options_->admin.listen); !s.ok()) return Fatal("admin.listen: " + s.ToString());
    loaded_at_ = Now();
    if (auto n = db_->CountReports(); n.ok()) metrics_.SetReportsStored(n.value());
    Log(LogLevel::kInfo, "serving",
        {{"pid", std::to_string(::getpid())}, {"admin", admin_.local_address()}, {"database", db_->path()},
         {"config", config_path_}, {"refresh", options_->schedule.refresh}});

    // An interrupted run is finished first; then a refresh missed while the
    // service was down (or never run on this database) runs once.
    auto unfinished = db_->UnfinishedRun();
    if (!unfinished.ok()) return Fatal(unfinished.status().ToString());
    if (unfinished.value()) {
      const store::CrawlRun& run = *unfinished.value();
      Enqueue(Job{run.mode, run.year_min, run.year_max, {}, "resume", Now()});
    }
    // Backfills queued before the last stop, in their order.
    auto queued = db_->GetState(kQueuedRunsState);
    if (!queued.ok()) return Fatal(queued.status().ToString());
    if (queued.value()) {
      json list = json::parse(*queued.value(), nullptr, false);
      for (const auto& j : list.is_array() ? list : json::array()) {
        if (auto job = Job::FromJson(j)) Enqueue(std::move(*job));
      }
    }
    auto last = db_->GetState(kLastRefreshState);
    if (!last.ok()) return Fatal(last.status().ToString());
    const std::time_t now = Now();
    auto previous = cron_->Previous(now);
    const std::time_t last_started = last.value() ? std::strtoll(last.value()->c_str(), nullptr, 10) : 0;
    if (!last_started || (previous && last_started < *previous)) {
      Log(LogLevel::kInfo, "refresh_missed",
          {{"last_started", last_started ? IsoTime(last_started) : "never"},
           {"scheduled", previous ? IsoTime(*previous) : "none"}});
      Enqueue(Job{"refresh", 0, 0, {}, "start-up", now});
    }
    assembling_ = false;
    SaveQueue();
    StartNext();
    ArmSchedule();
    WaitSignal();
    ready_ = true;
    Notify("READY=1\nSTATUS=" + StatusLine());
    Tick();
    io_.run();

    if (runner_.joinable()) runner_.join();
    if (backup_thread_.joinable()) backup_thread_.join();  // a backup under way finishes first
    admin_.Close();
    db_.reset();  // flushes and closes RocksDB
    Log(LogLevel::kInfo, "stopped", {{"exit_code", std::to_string(exit_code_)}});
    return exit_code_;
  }

 private:
  int Fatal(const std::string& message) {
    Log(LogLevel::kError, "serve_failed", {{"error", message}});
    std::fprintf(stderr, "nianbao: %s\n", message.c_str());
    return 1;
  }

  static void Notify(const std::string& state) { sd_notify(0, state.c_str()); }

  // ---- signals -----------------------------------------------------------
  void WaitSignal() {
    signals_.async_wait([this](const boost::system::error_code& ec, int sig) {
      if (ec) return;
      if (sig == SIGHUP) {
        Reload();
      } else if (stopping_) {
        Log(LogLevel::kWarn, "signal", {{"signal", std::to_string(sig)}, {"action", "second signal: exiting at once"}});
        std::_Exit(1);
      } else {
        Log(LogLevel::kInfo, "signal", {{"signal", std::to_string(sig)}, {"action", "stopping"}});
        Stop();
      }
      WaitSignal();
    });
  }

  void Stop() {
    stopping_ = true;
    ready_ = false;
    Notify("STOPPING=1\nSTATUS=stopping");
    schedule_timer_.cancel();
    queue_.clear();  // not started now; queued backfills are kept in the database for the next start
    if (!crawler_) {
      io_.stop();
      return;
    }
    crawler_->RequestStop();
    drain_timer_.expires_after(std::chrono::seconds(kDrainSeconds));
    drain_timer_.async_wait([](const boost::system::error_code& ec) {
      if (ec) return;
      Log(LogLevel::kError, "drain_timeout", {{"seconds", std::to_string(kDrainSeconds)}, {"action", "exiting at once"}});
      std::_Exit(1);
    });
  }

  void Reload() {
    Notify("RELOADING=1");
    auto loaded = LoadConfig(config_path_);
    if (!loaded.ok()) {
      Log(LogLevel::kError, "reload_failed",
          {{"config", config_path_}, {"error", loaded.status().ToString()}, {"action", "keeping the running configuration"}});
      Notify("READY=1\nSTATUS=reload failed, running configuration kept: " + loaded.status().ToString());
      return;
    }
    Options next = std::move(loaded.value());
    // The database and the admin socket are held open: those apply after a restart.
    if (next.storage.path != options_->storage.path) {
      Log(LogLevel::kWarn, "reload_needs_restart", {{"key", "storage.path"}, {"new", next.storage.path}, {"kept", options_->storage.path}});
      next.storage.path = options_->storage.path;
    }
    if (next.admin.listen != options_->admin.listen) {
      Log(LogLevel::kWarn, "reload_needs_restart", {{"key", "admin.listen"}, {"new", next.admin.listen}, {"kept", options_->admin.listen}});
      next.admin.listen = options_->admin.listen;
    }
    cron_ = CronSchedule::Parse(next.schedule.refresh).value();  // validated by LoadConfig
    options_ = std::make_shared<const Options>(std::move(next));
    loaded_at_ = Now();
    ++generation_;
    if (!stopping_) ArmSchedule();
    Log(LogLevel::kInfo, "reloaded",
        {{"config", config_path_}, {"portals", std::to_string(options_->portals.size())},
         {"refresh", options_->schedule.refresh}, {"generation", std::to_string(generation_)}});
    Notify("READY=1\nSTATUS=" + StatusLine());
  }

  // ---- schedule and runs -------------------------------------------------
  // Arms the timer for the first scheduled time after `after` (and after now:
  // time() may lag the timer's clock by a tick, so the time that just fired
  // is passed in and never fires twice).
  void ArmSchedule(std::time_t after = 0) {
    next_refresh_ = cron_->Next(std::max(after, Now())).value_or(0);
    schedule_timer_.cancel();
    if (!next_refresh_) {
      Log(LogLevel::kWarn, "schedule_empty", {{"refresh", options_->schedule.refresh}});
      return;
    }
    schedule_timer_.expires_at(std::chrono::system_clock::from_time_t(next_refresh_));
    schedule_timer_.async_wait([this, gen = generation_, fired = next_refresh_](const boost::system::error_code& ec) {
      if (ec || gen != generation_ || stopping_) return;
      Enqueue(Job{"refresh", 0, 0, {}, "schedule", Now()});
      ArmSchedule(fired);
    });
  }

  // Returns the job's place in the queue (0 = started now), or -1 if it was
  // not queued (a refresh while one is running or queued).
  int Enqueue(Job job) {
    if (job.mode == "refresh") {
      bool busy = current_ && current_->mode == "refresh";
      for (const auto& q : queue_) busy = busy || q.mode == "refresh";
      if (busy) {
        Log(LogLevel::kWarn, "refresh_skipped", {{"why", job.why}, {"reason", "a refresh is running or queued"}});
        return -1;
      }
    }
    int position = 1;
    for (const auto& q : queue_) {
      if (q.SameWork(job)) return position;  // already queued
      ++position;
    }
    if (job.mode == "backfill") {
      if (job.id == 0) job.id = next_job_id_;
      next_job_id_ = std::max(next_job_id_, job.id + 1);
    }
    Log(LogLevel::kInfo, "run_queued", {{"mode", job.mode}, {"why", job.why}, {"position", std::to_string(position)}});
    queue_.push_back(std::move(job));
    if (assembling_) return position;  // start-up: nothing runs (or is saved) before the whole queue is known
    SaveQueue();
    StartNext();
    return static_cast<int>(queue_.size()) < position ? 0 : position;  // 0: it started
  }

  // The queued backfills, kept in the database so a restart runs them (a
  // refresh needs no keeping: a missed one runs at start-up).
  void SaveQueue() {
    json list = json::array();
    for (const auto& q : queue_) {
      if (q.mode == "backfill") list.push_back(q.ToJson());
    }
    if (!db_) return;  // closed after a failure: saved when it is reopened
    if (Status s = db_->PutState(kQueuedRunsState, list.dump()); !s.ok()) {
      Log(LogLevel::kError, "store_failed", {{"error", s.ToString()}});
    }
  }

  void StartNext() {
    if (crawler_ || queue_.empty() || stopping_ || !db_) return;
    current_ = std::move(queue_.front());
    queue_.pop_front();
    SaveQueue();
    run_options_ = options_;  // the run keeps this configuration even if SIGHUP replaces it
    CrawlMode mode;
    mode.name = current_->mode;
    mode.year_min = current_->year_min;
    mode.year_max = current_->year_max;
    run_started_ = Now();
    if (current_->mode == "refresh" && current_->why != "resume") {
      if (Status s = db_->PutState(kLastRefreshState, std::to_string(run_started_)); !s.ok()) {
        Log(LogLevel::kError, "store_failed", {{"error", s.ToString()}});
      }
    }
    metrics_.RunStarted(current_->mode, run_started_);
    Log(LogLevel::kInfo, "run_starting", {{"mode", current_->mode}, {"why", current_->why}});
    crawler_ = std::make_unique<Crawler>(*run_options_, db_.get(), current_->portals, mode, &metrics_);
    if (runner_.joinable()) runner_.join();
    runner_ = std::thread([this] {
      Result<CrawlStats> r = crawler_->Run();
      asio::post(io_, [this, r = std::move(r)]() mutable { RunDone(std::move(r)); });
    });
  }

  void RunDone(Result<CrawlStats> r) {
    runner_.join();
    const std::time_t now = Now();
    const std::string outcome = !r.ok() ? "failed" : r.value().interrupted ? "interrupted" : r.value().outcome;
    metrics_.RunFinished(current_->mode, outcome, now);
    if (r.ok()) {
      reopen_delay_s_ = 0;
      if (auto n = db_->CountReports(); n.ok()) metrics_.SetReportsStored(n.value());
    }
    if (r.ok()) {
      const CrawlStats& s = r.value();
      Log(LogLevel::kInfo, "run_finished",
          {{"mode", current_->mode}, {"outcome", outcome}, {"seconds", std::to_string(now - run_started_)},
           {"pages", std::to_string(s.pages_fetched)}, {"not_modified", std::to_string(s.not_modified)},
           {"reports", std::to_string(s.reports_seen)}, {"versions_added", std::to_string(s.versions_added)},
           {"errors", std::to_string(s.errors)}, {"failed_portals", std::to_string(s.failed_portals)}});
    } else {
      Log(LogLevel::kError, "run_failed", {{"mode", current_->mode}, {"error", r.status().ToString()}});
    }
    crawler_.reset();
    run_options_.reset();
    std::optional<Job> failed_job = std::move(current_);
    current_.reset();
    if (!r.ok() && !stopping_) {
      // The database failed (a full disk, an I/O error): the service stays
      // up, not ready, closes the database and reopens it with backoff; the
      // run resumes from its frontier then, so nothing committed is lost.
      if (failed_job) queue_.push_front(std::move(*failed_job));
      DatabaseFailed(r.status());
      return;
    }
    if (stopping_) {
      drain_timer_.cancel();
      io_.stop();
      return;
    }
    Notify("STATUS=" + StatusLine());
    StartNext();
  }

  // ---- a failed database ------------------------------------------------
  void DatabaseFailed(const Status& error) {
    db_error_ = error.ToString();
    ready_ = false;
    reopen_delay_s_ = reopen_delay_s_ == 0 ? kFirstReopenSeconds : std::min(2 * reopen_delay_s_, kMaxReopenSeconds);
    if (backup_thread_.joinable()) backup_thread_.join();  // it reads the database being closed
    db_.reset();  // closed; a write that failed is not flushed again
    Log(LogLevel::kError, "database_failed",
        {{"error", db_error_}, {"action", "closed; reopening in " + std::to_string(reopen_delay_s_) + " s"},
         {"queued_runs", std::to_string(queue_.size())}});
    Notify("STATUS=" + StatusLine());
    reopen_timer_.expires_after(std::chrono::seconds(reopen_delay_s_));
    reopen_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec && !stopping_) TryReopen();
    });
  }

  void TryReopen() {
    auto db = store::Database::Open(options_->storage, "nianbao serve");
    if (!db.ok()) {
      DatabaseFailed(db.status());
      return;
    }
    db_ = std::move(db.value());
    Log(LogLevel::kInfo, "database_reopened", {{"database", db_->path()}, {"after", db_error_}});
    db_error_.clear();  // the backoff is kept until a run succeeds: a disk still full fails again soon
    ready_ = true;
    if (auto n = db_->CountReports(); n.ok()) metrics_.SetReportsStored(n.value());
    SaveQueue();
    Notify("READY=1\nSTATUS=" + StatusLine());
    StartNext();
  }

  // ---- watchdog and status -----------------------------------------------
  // Every second (or half the watchdog interval if shorter): WATCHDOG=1 while
  // the service loop and the run's loop both tick, STATUS= when it changed.
  void Tick() {
    uint64_t usec = 0;
    const bool watchdog = sd_watchdog_enabled(0, &usec) > 0 && usec > 0;
    auto period = std::chrono::milliseconds(1000);
    if (watchdog) period = std::min(period, std::chrono::milliseconds(std::max<uint64_t>(usec / 2000, 10)));
    if (watchdog) {
      const int64_t beat = crawler_ ? crawler_->heartbeat() : 0;
      const int64_t limit = std::max<int64_t>(static_cast<int64_t>(usec / 1000000), 10);
      if (beat && SteadySeconds() - beat > limit) {
        Log(LogLevel::kError, "run_stalled", {{"seconds", std::to_string(SteadySeconds() - beat)}});
      } else {
        Notify("WATCHDOG=1");
      }
    }
    std::string line = StatusLine();
    if (line != last_status_) {
      Notify("STATUS=" + line);
      last_status_ = line;
    }
    tick_timer_.expires_after(period);
    tick_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) Tick();
    });
  }

  std::string StatusLine() {
    if (stopping_) return "stopping";
    if (!db_error_.empty()) {
      return "database failed (" + db_error_ + "); reopening in " + std::to_string(reopen_delay_s_) + " s";
    }
    if (crawler_) {
      CrawlStats s = crawler_->Progress();
      return current_->mode + ": " + std::to_string(s.pages_fetched) + " pages, " + std::to_string(s.reports_seen) +
             " reports, " + std::to_string(s.versions_added) + " new versions, " + std::to_string(s.errors) + " errors";
    }
    return "idle; next refresh " + (next_refresh_ ? IsoTime(next_refresh_) : std::string("never"));
  }

  json StatusJson() {
    json j;
    j["pid"] = ::getpid();
    j["state"] = stopping_ ? "stopping" : !db_ ? "database_failed" : crawler_ ? "running" : "idle";
    j["config"] = {{"path", config_path_}, {"loaded_at", IsoTime(loaded_at_)}, {"generation", generation_},
                   {"portals", options_->portals.size()}};
    j["database"] = {{"path", options_->storage.path}, {"error", db_error_.empty() ? json() : json(db_error_)}};
    if (crawler_) {
      CrawlStats s = crawler_->Progress();
      const double secs = std::max<double>(1, static_cast<double>(Now() - run_started_));
      json run = current_->ToJson();
      run["started_at"] = IsoTime(run_started_);
      run["progress"] = {{"pages_fetched", s.pages_fetched}, {"not_modified", s.not_modified},
                         {"listings", s.listings}, {"reports_seen", s.reports_seen},
                         {"versions_added", s.versions_added}, {"errors", s.errors},
                         {"pages_per_s", static_cast<double>(s.pages_fetched) / secs}};
      run["workers_stuck"] = json::array();
      for (const auto& w : crawler_->StuckWorkers()) {
        run["workers_stuck"].push_back({{"url", w.url}, {"seconds", static_cast<int64_t>(w.seconds)}});
      }
      j["current_run"] = run;
    } else {
      j["current_run"] = nullptr;
    }
    j["queue"] = json::array();
    for (const auto& q : queue_) j["queue"].push_back(q.ToJson());
    j["schedule"] = {{"refresh", options_->schedule.refresh}, {"next_refresh", TimeOrNull(next_refresh_)}};
    Metrics::LastRun last = metrics_.last_refresh();
    j["last_refresh"] = {{"started_at", TimeOrNull(last.started)}, {"finished_at", TimeOrNull(last.finished)},
                         {"outcome", last.outcome.empty() ? json() : json(last.outcome)}};
    // The last pass's coverage audit per portal (daemon/coverage.h).
    j["coverage"] = json::object();
    for (const auto& pc : metrics_.coverage()) j["coverage"][pc.portal] = json::parse(pc.ToJson().dump());
    return j;
  }

  // ---- admin endpoint ----------------------------------------------------
  AdminResponse Handle(const AdminRequest& req) {
    auto text = [](int status, std::string body) { return AdminResponse{status, "text/plain; charset=utf-8", std::move(body)}; };
    auto json_reply = [](int status, const json& body) {
      return AdminResponse{status, "application/json", body.dump(2) + "\n"};
    };
    const bool get = req.method == "GET" || req.method == "HEAD";
    if (req.path == "/healthz" && get) {
      // Degraded while a worker is past the page budget (crawl.page_cpu_budget_s).
      const auto stuck = crawler_ ? crawler_->StuckWorkers() : std::vector<StuckWorker>();
      if (stuck.empty()) return text(200, "ok\n");
      return text(503, "degraded: " + std::to_string(stuck.size()) + " worker(s) past the page budget; " + stuck.front().url +
                           " for " + std::to_string(static_cast<int64_t>(stuck.front().seconds)) + " s\n");
    }
    if (req.path == "/readyz" && get) {
      if (ready_) return text(200, "ready\n");
      if (stopping_) return text(503, "not ready: stopping\n");
      if (!db_error_.empty()) return text(503, "not ready: database failed: " + db_error_ + "; reopening\n");
      return text(503, "not ready: starting\n");
    }
    if (req.path == "/metrics" && get) {
      if (db_) {
        metrics_.SetFrontierSize(db_->FrontierSize());
        const store::Database::MemoryUsage mem = db_->Memory();
        metrics_.SetDatabaseMemory(mem.memtables, mem.block_cache);
      }
      return AdminResponse{200, "text/plain; version=0.0.4; charset=utf-8", metrics_.Exposition()};
    }
    if (req.path == "/status" && get) return json_reply(200, StatusJson());
    if (req.path == "/backfill" || req.path.rfind("/backfill/", 0) == 0) return Backfill(req, json_reply);
    if (req.path == "/backup") return BackupRequest(req, json_reply);
    if (req.path == "/healthz" || req.path == "/readyz" || req.path == "/metrics" || req.path == "/status") {
      return text(405, "use GET\n");
    }
    return text(404, "not found; try /healthz /readyz /metrics /status, POST /backfill\n");
  }

  template <typename Reply>
  // POST /backfill?years=FIRST-LAST[&portal=NAME]…: queued (202), or the
  // same work already queued (200, its place); GET /backfill lists the
  // queued backfills; DELETE /backfill/ID removes one that has not started.
  AdminResponse Backfill(const AdminRequest& req, const Reply& reply) {
    if (req.path == "/backfill" && (req.method == "GET" || req.method == "HEAD")) {
      json list = json::array();
      for (const auto& q : queue_) {
        if (q.mode == "backfill") list.push_back(q.ToJson());
      }
      return reply(200, json{{"queued", list}, {"limit", kMaxQueuedBackfills}});
    }
    if (req.path.rfind("/backfill/", 0) == 0) {
      if (req.method != "DELETE") return reply(405, json{{"error", "use DELETE /backfill/ID"}});
      const std::string id = req.path.substr(std::string_view("/backfill/").size());
      for (auto it = queue_.begin(); it != queue_.end(); ++it) {
        if (it->mode == "backfill" && !id.empty() && std::to_string(it->id) == id) {
          json removed = it->ToJson();
          queue_.erase(it);
          SaveQueue();
          Log(LogLevel::kInfo, "backfill_cancelled", {{"id", id}});
          return reply(200, json{{"removed", removed}});
        }
      }
      if (current_ && current_->mode == "backfill" && std::to_string(current_->id) == id) {
        return reply(409, json{{"error", "backfill " + id + " is running; it can no longer be removed"}});
      }
      return reply(404, json{{"error", "no queued backfill " + id}});
    }
    if (req.method != "POST") return reply(405, json{{"error", "use POST /backfill?years=FIRST-LAST[&portal=NAME]"}});
    if (stopping_) return reply(503, json{{"error", "the service is stopping"}});
    Job job;
    job.mode = "backfill";
    job.why = "admin";
    job.queued_at = Now();
    auto years = req.query.find("years");
    if (years == req.query.end() || req.query.count("years") != 1) {
      return reply(400, json{{"error", "years=FIRST-LAST is required, once"}});
    }
    // Exactly YYYY or YYYY-YYYY: no sign, no overflow, no NUL or trailing bytes.
    const std::string& y = years->second;
    const auto digits = [&](size_t from) {
      return std::all_of(y.begin() + from, y.begin() + from + 4, [](char c) { return c >= '0' && c <= '9'; });
    };
    const bool shape = (y.size() == 4 && digits(0)) || (y.size() == 9 && digits(0) && y[4] == '-' && digits(5));
    if (shape) {
      job.year_min = std::stoi(y.substr(0, 4));
      job.year_max = y.size() == 9 ? std::stoi(y.substr(5)) : job.year_min;
    }
    if (!shape || job.year_min < 1990 || job.year_max > 2100 || job.year_min > job.year_max) {
      return reply(400, json{{"error", "years: expected FIRST-LAST between 1990 and 2100, got " + json(y).dump()}});
    }
    auto [lo, hi] = req.query.equal_range("portal");
    std::set<std::string> portals;
    for (auto it = lo; it != hi; ++it) {
      bool known = false;
      for (const auto& p : options_->portals) known = known || p.name == it->second;
      if (!known) return reply(400, json{{"error", "portal: no such portal in the configuration: " + it->second}});
      portals.insert(it->second);
    }
    job.portals.assign(portals.begin(), portals.end());  // normalized: sorted, each once
    if (req.query.size() != 1 + static_cast<size_t>(std::distance(lo, hi))) {
      return reply(400, json{{"error", "only years= and portal= are accepted"}});
    }
    int position = 1;
    for (const auto& q : queue_) {
      if (q.SameWork(job)) return reply(200, json{{"queued", q.ToJson()}, {"position", position}, {"merged", true}});
      ++position;
    }
    size_t backfills = 0;
    for (const auto& q : queue_) backfills += q.mode == "backfill";
    if (backfills >= kMaxQueuedBackfills) {
      return reply(429, json{{"error", "the queue holds " + std::to_string(backfills) +
                                           " backfills already; remove one (DELETE /backfill/ID) or wait"}});
    }
    job.id = next_job_id_;
    position = Enqueue(job);
    return reply(202, json{{"queued", job.ToJson()}, {"position", position}, {"status", "/status"}});
  }

  // POST /backup?dir=ABSOLUTE: a checkpoint of the database taken on a thread
  // of its own (a copy to another filesystem may take a while); 202 at once,
  // and GET /backup says how it went (`nianbao backup` waits for that).
  template <typename Reply>
  AdminResponse BackupRequest(const AdminRequest& req, const Reply& reply) {
    if (req.method == "GET" || req.method == "HEAD") return reply(200, last_backup_);
    if (req.method != "POST") return reply(405, json{{"error", "use POST /backup?dir=ABSOLUTE_PATH or GET /backup"}});
    auto dir = req.query.find("dir");
    if (dir == req.query.end() || req.query.size() != 1 || dir->second.empty() || dir->second[0] != '/' ||
        dir->second.find('\0') != std::string::npos) {
      return reply(400, json{{"error", "dir=ABSOLUTE_PATH is required (a directory that does not exist yet)"}});
    }
    if (!db_) return reply(503, json{{"error", "the database is closed after a failure: " + db_error_}});
    if (backup_running_) return reply(409, json{{"error", "a backup is running"}, {"backup", last_backup_}});
    backup_running_ = true;
    last_backup_ = json{{"dir", dir->second}, {"state", "running"}, {"started_at", IsoTime(Now())}};
    if (backup_thread_.joinable()) backup_thread_.join();
    backup_thread_ = std::thread([this, target = dir->second, db = db_.get()] {
      Status st = db->Backup(target);
      asio::post(io_, [this, target, st] {
        backup_running_ = false;
        last_backup_ = json{{"dir", target}, {"state", st.ok() ? "done" : "failed"}, {"finished_at", IsoTime(Now())}};
        if (!st.ok()) last_backup_["error"] = st.ToString();
        Log(st.ok() ? LogLevel::kInfo : LogLevel::kError, st.ok() ? "backup_done" : "backup_failed",
            {{"dir", target}, {"error", st.ok() ? "" : st.ToString()}});
      });
    });
    return reply(202, json{{"backup", last_backup_}, {"status", "/backup"}});
  }

  const std::string config_path_;
  std::shared_ptr<const Options> options_;
  std::unique_ptr<store::Database> db_;
  asio::io_context io_;
  asio::signal_set signals_{io_, SIGINT, SIGTERM, SIGHUP};
  asio::system_timer schedule_timer_{io_};
  asio::steady_timer tick_timer_{io_};
  asio::steady_timer drain_timer_{io_};
  asio::steady_timer reopen_timer_{io_};
  std::string db_error_;    // the database's failure while it is closed, "" when open
  int reopen_delay_s_ = 0;  // the backoff before the next reopen
  AdminServer admin_;
  Metrics metrics_;
  std::optional<CronSchedule> cron_;
  std::time_t next_refresh_ = 0;
  std::time_t loaded_at_ = 0;
  uint64_t generation_ = 1;
  uint64_t next_job_id_ = 1;  // the next queued backfill's id
  std::thread backup_thread_;
  bool backup_running_ = false;
  json last_backup_ = json::object();  // GET /backup
  bool assembling_ = true;  // start-up: the queue is being put together
  bool ready_ = false;
  bool stopping_ = false;
  int exit_code_ = 0;
  std::string last_status_;
  // Runs (io thread).
  std::deque<Job> queue_;
  std::optional<Job> current_;
  std::shared_ptr<const Options> run_options_;
  std::unique_ptr<Crawler> crawler_;
  std::time_t run_started_ = 0;
  std::thread runner_;
};

}  // namespace

int Serve(const std::string& config_path, Options options, std::unique_ptr<store::Database> db) {
  ServiceLoop loop(config_path, std::move(options), std::move(db));
  return loop.Run();
}

}  // namespace nianbao
