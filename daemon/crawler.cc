#include "daemon/crawler.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <time.h>
#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <mutex>
#include <set>
#include <thread>

#include "config/hash.h"
#include "config/log.h"
#include "config/url.h"
#include "daemon/record.h"
#include "extract/listing/listing.h"
#include "extract/report_extractor.h"
#include "extract/report_metadata.h"
#include "extract/text.h"
#include "fetch/fetcher.h"

namespace nianbao {
namespace {

namespace asio = boost::asio;
using store::FrontierEntry;

// `url` scheduled anew for `portal` in run `run` (pending, to be queued by
// the store once per run), keeping what the frontier knew of it: validators
// and fetch time for conditional revisits.
FrontierEntry Reschedule(std::optional<FrontierEntry> before, std::string url, const std::string& portal,
                         FrontierEntry::Kind kind, uint64_t run) {
  FrontierEntry e = before ? std::move(*before) : FrontierEntry();
  e.url = std::move(url);
  e.portal = portal;
  e.kind = kind;
  e.state = FrontierEntry::State::kPending;
  e.run = run;
  e.attempts = 0;
  e.queue_seq = 0;
  e.updated_at = std::time(nullptr);
  e.rest.clear();
  return e;
}

// Each host's robots.txt, kept in the database (state robots/<host key>) so
// the next run asks for it conditionally.
fetch::RobotsMemory RobotsMemoryIn(store::Database* db) {
  fetch::RobotsMemory memory;
  memory.recall = [db](const std::string& host_key) -> std::optional<fetch::RobotsCopy> {
    auto kept = db->GetState("robots/" + host_key);
    if (!kept.ok() || !kept.value()) return std::nullopt;
    auto j = nlohmann::json::parse(*kept.value(), nullptr, false);
    if (!j.is_object()) return std::nullopt;
    return fetch::RobotsCopy{j.value("body", ""), j.value("etag", ""), j.value("last_modified", "")};
  };
  memory.remember = [db](const std::string& host_key, const fetch::RobotsCopy& copy) {
    nlohmann::json j = {{"body", copy.body}, {"etag", copy.etag}, {"last_modified", copy.last_modified}};
    if (Status s = db->PutState("robots/" + host_key, j.dump()); !s.ok()) {
      Log(LogLevel::kError, "store_failed", {{"error", s.ToString()}});
    }
  };
  return memory;
}

// The column a listing request pages through: its own URL for a start URL
// or a sub-column (the first page of a column), else the one it was found for.
const std::string& ColumnOf(const FrontierEntry& e) { return e.column.empty() ? e.url : e.column; }

double ThreadCpuSeconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// The calling worker thread's CPU time from now, `seconds` of it: asked
// between the steps of one extraction (extract/ reads no clock itself).
std::function<bool()> CpuBudget(double seconds) {
  const double start = ThreadCpuSeconds();
  return [start, seconds] { return ThreadCpuSeconds() - start < seconds; };
}

// A page that only links its report's attachment, waiting for it.
struct AttachmentWait {
  FrontierEntry entry;
  fetch::FetchResult page;
  extract::Report report;  // the page's own (no tables)
  std::string url;         // the attachment, absolute
};

// What processing one page leaves to do on the io thread (new URLs went to
// the run's queue in the database with the page's batch).
struct Step {
  std::string portal;                  // the page's
  std::optional<AttachmentWait> wait;  // an attachment to fetch before the page is stored
  bool queued = false;                 // it queued new URLs for its portal
};

}  // namespace

// State shared by the io thread and the worker pool for one run.
class Pass {
  struct Busy;  // a worker task running now (below)

 public:
  Pass(const Options& options, store::Database* db, const store::CrawlRun& run, const CrawlMode& mode,
       Metrics* metrics, std::atomic<int64_t>* heartbeat)
      : options_(options), db_(db), run_(run), mode_(mode), metrics_(metrics), heartbeat_(heartbeat),
        pool_(std::max(1u, std::thread::hardware_concurrency())), fetcher_(io_, options.crawl, RobotsMemoryIn(db)),
        signals_(io_) {
    for (const auto& p : options.portals) portals_[p.name] = &p;
  }

  // Any thread: stop taking new pages; in-flight ones finish or are abandoned.
  void RequestStop() {
    asio::post(io_, [this] { Stop("requested"); });
  }

  CrawlStats Progress() {
    std::lock_guard<std::mutex> lock(mu_);
    return stats_;
  }

  // Any thread: workers on one page for longer than the page budget.
  std::vector<StuckWorker> Stuck() {
    std::vector<StuckWorker> out;
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [id, w] : busy_) {
      const double secs = std::chrono::duration<double>(now - w.since).count();
      if (secs > options_.crawl.page_cpu_budget_s) out.push_back({w.url, secs});
    }
    return out;
  }

  Result<CrawlStats> Run() {
    if (run_.resumed) {
      // max_pages holds for the run, not the process: listing pages read
      // before the interruption count.
      auto read = db_->ListingPagesRead(run_.id);
      if (!read.ok()) return read.status();
      for (const auto& [portal, n] : read.value()) listing_pages_[portal] = static_cast<int>(n);
    }
    if (!metrics_) {  // a command in the foreground: signals are ours
      signals_.add(SIGINT);
      signals_.add(SIGTERM);
      signals_.async_wait([this](const boost::system::error_code& ec, int sig) {
        if (ec) return;
        {
          std::lock_guard<std::mutex> lock(mu_);
          stats_.stop_signal = sig;
        }
        // A second signal exits at once; atomic batches leave nothing half-written.
        signals_.async_wait([](const boost::system::error_code& ec2, int) {
          if (!ec2) std::_Exit(1);
        });
        Stop("signal " + std::to_string(sig));
      });
    }
    asio::post(io_, [this] { MaybeFinish(); });  // the first Refill()
    started_ = std::chrono::steady_clock::now();
    ScheduleProgress();
    io_.run();
    if (tty_) std::fputs("\n", stderr);
    pool_.join();
    if (!db_error_.ok()) return db_error_;
    stats_.coverage = coverage_.Summary();
    return stats_;
  }

 private:
  // io thread.
  void Stop(const std::string& why) {
    if (stopping_) return;
    Log(LogLevel::kWarn, "stopping", {{"reason", why}, {"action", "finishing in-flight pages"}});
    stopping_ = true;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stats_.interrupted = true;
    }
    fetcher_.CancelAll();
    MaybeFinish();
  }

  // io thread.
  void Dispatch(FrontierEntry entry) {
    if (stopping_) return;
    auto it = portals_.find(entry.portal);
    if (it == portals_.end()) return;  // portal removed from the configuration
    if (entry.kind == FrontierEntry::Kind::kListing) {
      std::lock_guard<std::mutex> lock(mu_);
      ++listing_pages_[entry.portal];
    }
    ++outstanding_;
    ++portal_in_flight_[entry.portal];
    const bool detail = entry.kind == FrontierEntry::Kind::kDetail;
    if (detail && mode_.name == "refresh" && entry.fetched_at > 0 &&
        std::time(nullptr) - entry.fetched_at < int64_t{options_.schedule.revisit_after_days} * 86400) {
      // Fetched recently enough: not revisited in this refresh.
      std::string url = entry.url;
      OnWorker(std::move(url), [this, entry = std::move(entry)]() mutable {
        entry.state = FrontierEntry::State::kDone;
        entry.last_outcome = "fresh";
        Count(&CrawlStats::fresh);
        Step step = Commit(std::move(entry), {}, {});
        asio::post(io_, [this, step = std::move(step)]() mutable { Continue(std::move(step)); });
      });
      return;
    }
    fetch::FetchRequest req;
    req.url = entry.fetch_url.empty() ? entry.url : entry.fetch_url;
    req.allow_hosts = it->second->allow_hosts;
    req.allow_private_addresses = it->second->allow_private_addresses;
    if (entry.post_form.empty()) {  // conditional: an unchanged page or listing costs a 304
      req.if_none_match = entry.etag;
      req.if_modified_since = entry.last_modified;
    }
    req.post_form = entry.post_form;
    req.referer = entry.found_on;
    fetcher_.Fetch(std::move(req), [this, entry = std::move(entry)](fetch::FetchResult r) mutable {
      if (r.error == fetch::FetchError::kCancelled) {  // shutdown: stays pending for the next run
        Done(entry.portal);
        return;
      }
      std::string url = entry.url;
      OnWorker(std::move(url), [this, entry = std::move(entry), r = std::move(r)]() mutable {
        Step step = Process(std::move(entry), std::move(r));
        asio::post(io_, [this, step = std::move(step)]() mutable { Continue(std::move(step)); });
      });
    });
  }

  // io thread: runs `work` on the worker pool, noted as busy on `url` while
  // it runs (Stuck()).
  template <typename F>
  void OnWorker(std::string url, F work) {
    asio::post(pool_, [this, url = std::move(url), work = std::move(work)]() mutable {
      uint64_t id;
      {
        std::lock_guard<std::mutex> lock(mu_);
        id = ++work_ids_;
        busy_[id] = {std::chrono::steady_clock::now(), url, false};
      }
      work();
      std::lock_guard<std::mutex> lock(mu_);
      auto it = busy_.find(id);
      LogStuck(it->second, "finished");  // past the budget between two ticks
      busy_.erase(it);
    });
  }

  // A worker past the page budget, once per page. REQUIRES: mu_ held.
  void LogStuck(Busy& w, const char* state) {
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - w.since).count();
    if (w.reported || secs <= options_.crawl.page_cpu_budget_s) return;
    w.reported = true;
    char shown[32];
    std::snprintf(shown, sizeof shown, "%.1f", secs);
    Log(LogLevel::kWarn, "worker_stuck", {{"url", w.url}, {"seconds", shown}, {"state", state}});
  }

  // io thread: after a page was processed. A page that only links its
  // attachment stays outstanding until the attachment is fetched and stored.
  void Continue(Step step) {
    if (step.queued) drained_.erase(step.portal);
    if (step.wait && !stopping_) {
      auto wait = std::make_shared<AttachmentWait>(std::move(*step.wait));
      const PortalOptions& portal = *portals_.at(wait->entry.portal);
      fetch::FetchRequest req;
      req.url = wait->url;
      req.referer = wait->entry.url;
      req.allow_hosts = portal.allow_hosts;
      req.allow_private_addresses = portal.allow_private_addresses;
      fetcher_.Fetch(std::move(req), [this, wait](fetch::FetchResult a) {
        if (a.error == fetch::FetchError::kCancelled) {
          Done(wait->entry.portal);
          return;
        }
        OnWorker(wait->url, [this, wait, a = std::move(a)]() mutable {
          Step done = StoreWithAttachment(std::move(*wait), std::move(a));
          asio::post(io_, [this, done = std::move(done)]() mutable { Continue(std::move(done)); });
        });
      });
      return;
    }
    Done(step.portal);
  }

  // io thread: a page of `portal` is finished (stored, failed or abandoned).
  void Done(const std::string& portal) {
    --outstanding_;
    --portal_in_flight_[portal];
    MaybeFinish();
  }

  // io thread: keeps pages in flight — at most `max(64, 4 × max_connections)`
  // in all and, per portal, 4 × per_host_concurrency per allowed host (so
  // one slow portal cannot take every turn) — taking them from each portal's
  // queue in the database in turn (memory stays flat however long the
  // queues are); when nothing is in flight and the queues are empty, the
  // pass is over.
  void MaybeFinish() {
    const size_t window = std::max<size_t>(64, 4 * static_cast<size_t>(options_.crawl.max_connections));
    bool progress = true;
    while (!stopping_ && outstanding_ < window && progress) {
      progress = false;
      for (const auto& [name, portal] : portals_) {
        const size_t cap = std::max<size_t>(8, 4 * options_.crawl.per_host_concurrency * std::max<size_t>(1, portal->allow_hosts.size()));
        size_t& in_flight = portal_in_flight_[name];
        // A portal whose queue came back short has nothing more until one of
        // its pages queues some: no read of the database for it until then.
        if (in_flight >= cap || outstanding_ >= window || drained_.count(name)) continue;
        const size_t limit = std::min(cap - in_flight, window - outstanding_);
        auto batch = db_->QueuedFrontier(run_.id, name, cursors_[name], limit);
        if (!batch.ok()) {
          std::lock_guard<std::mutex> lock(mu_);
          db_error_ = batch.status();
          stopping_ = true;
          break;
        }
        if (batch.value().size() < limit) drained_.insert(name);
        for (auto& e : batch.value()) {
          cursors_[name] = e.queue_seq;
          Dispatch(std::move(e));
          progress = true;
        }
      }
    }
    if (outstanding_ == 0) {
      signals_.cancel();
      progress_.cancel();
      io_.stop();
    }
  }

  // Every second: the heartbeat and the host queues for metrics; progress as a
  // status line redrawn on a terminal, a log line every ten seconds otherwise.
  void ScheduleProgress() {
    *heartbeat_ = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
    progress_.expires_after(std::chrono::seconds(1));
    progress_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      if (metrics_) metrics_->SetHostQueues(fetcher_.HostQueueDepths());
      ReportStuckWorkers();
      if (!tty_ && ++ticks_ % 10 != 0) {
        ScheduleProgress();
        return;
      }
      CrawlStats s;
      {
        std::lock_guard<std::mutex> lock(mu_);
        s = stats_;
      }
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
      char rate[32];
      std::snprintf(rate, sizeof rate, "%.1f", s.pages_fetched / std::max(secs, 0.001));
      if (tty_) {
        std::fprintf(stderr, "\r  pages %llu | reports %llu (+%llu versions) | 304 %llu | errors %llu | %s pages/s | queued %zu   ",
                     static_cast<unsigned long long>(s.pages_fetched), static_cast<unsigned long long>(s.reports_seen),
                     static_cast<unsigned long long>(s.versions_added), static_cast<unsigned long long>(s.not_modified),
                     static_cast<unsigned long long>(s.errors), rate, fetcher_.queued() + fetcher_.open());
      } else {
        Log(LogLevel::kInfo, "progress",
            {{"pages", std::to_string(s.pages_fetched)}, {"reports", std::to_string(s.reports_seen)},
             {"versions_added", std::to_string(s.versions_added)}, {"not_modified", std::to_string(s.not_modified)},
             {"errors", std::to_string(s.errors)}, {"pages_per_s", rate}});
      }
      ScheduleProgress();
    });
  }

  // io thread, every second: a worker past the page budget is logged while
  // it runs (it goes on: a step that cannot be stopped is waited for, and
  // meanwhile /healthz says degraded), or when it ends if no tick saw it.
  void ReportStuckWorkers() {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [id, w] : busy_) LogStuck(w, "running");
  }

  // Worker pool: a page whose extraction ran out of its CPU budget is
  // recorded as failed with the reason.
  void OverBudget(const PortalOptions& portal, FrontierEntry& entry, const Status& why) {
    char budget[32];
    std::snprintf(budget, sizeof budget, "%g", options_.crawl.page_cpu_budget_s);
    entry.state = FrontierEntry::State::kFailed;
    entry.last_outcome = std::string("over the page CPU budget of ") + budget + " s: " + why.message();
    Count(&CrawlStats::errors);
    Log(LogLevel::kWarn, "page_over_budget",
        {{"portal", portal.name}, {"url", entry.url}, {"budget_s", budget}, {"error", why.message()}});
  }

  // Worker pool. Stores the page (and queues what it links to), or returns
  // the attachment to fetch before the page can be stored.
  Step Process(FrontierEntry entry, fetch::FetchResult r) {
    const PortalOptions& portal = *portals_.at(entry.portal);
    store::PageCommit commit;
    std::vector<FrontierEntry> found;
    ++entry.attempts;
    entry.updated_at = std::time(nullptr);
    entry.state = FrontierEntry::State::kDone;
    const std::string url_field = entry.url;
    if (r.error != fetch::FetchError::kNone) {
      if (metrics_) metrics_->PageFetched(0, 0, r.seconds);
      entry.state = FrontierEntry::State::kFailed;
      entry.last_outcome = std::string("error: ") + fetch::FetchErrorName(r.error);
      Count(&CrawlStats::errors);
      coverage_.Error(portal.name);
      if (entry.kind == FrontierEntry::Kind::kListing) coverage_.Failed(portal.name, ColumnOf(entry), entry.url, entry.last_outcome);
      Log(LogLevel::kWarn, "fetch_failed", {{"portal", portal.name}, {"url", url_field}, {"error", r.error_message}});
    } else {
      Count(&CrawlStats::pages_fetched);
      if (metrics_) metrics_->PageFetched(r.status, r.body.size(), r.seconds);
      entry.last_outcome = std::to_string(r.status);
      if (r.status == 304) {
        Count(&CrawlStats::not_modified);  // unchanged since the stored version
        if (entry.kind == FrontierEntry::Kind::kListing) {
          // The listing did not change: its kept answer still names its pages,
          // sub-columns and items (all known: a refresh goes no further).
          Count(&CrawlStats::listings);
          auto kept = db_->GetListingBody(entry.key());
          if (kept.ok() && kept.value()) {
            const std::string& text = *kept.value();
            const size_t nl = text.find('\n');
            fetch::FetchResult again = r;
            again.content_type = text.substr(0, nl);
            again.body = nl == std::string::npos ? "" : text.substr(nl + 1);
            found = Discover(portal, entry, again);
          } else {
            // Nothing kept to read again: the next run asks without validators.
            entry.etag.clear();
            entry.last_modified.clear();
            entry.state = FrontierEntry::State::kFailed;
            entry.last_outcome = "304 without a kept answer";
            coverage_.Failed(portal.name, ColumnOf(entry), entry.url, entry.last_outcome);
            Log(LogLevel::kWarn, "listing_not_kept", {{"portal", portal.name}, {"url", url_field}});
          }
        }
      } else if (r.status != 200) {
        const bool gone = r.status == 404 || r.status == 410;
        entry.state = gone ? FrontierEntry::State::kDone : FrontierEntry::State::kFailed;
        if (gone && entry.kind == FrontierEntry::Kind::kDetail) {
          // A stored report whose URL now answers 404/410 keeps its versions,
          // status gone (in this page's batch).
          commit.gone.push_back(ReportIdForCanonicalUrl(entry.url));
        }
        Count(&CrawlStats::errors);
        coverage_.Error(portal.name);
        if (entry.kind == FrontierEntry::Kind::kListing) coverage_.Failed(portal.name, ColumnOf(entry), entry.url, entry.last_outcome);
        Log(LogLevel::kWarn, "http_status", {{"portal", portal.name}, {"url", url_field}, {"status", entry.last_outcome}});
      } else if (entry.kind == FrontierEntry::Kind::kListing) {
        Count(&CrawlStats::listings);
        found = Discover(portal, entry, r);
        // Validators are kept only with the answer they stand for: a 304 then
        // reads this answer again.
        const bool keep = entry.state == FrontierEntry::State::kDone && !r.truncated && entry.post_form.empty() &&
                          (!r.etag.empty() || !r.last_modified.empty());
        entry.etag = keep ? r.etag : "";
        entry.last_modified = keep ? r.last_modified : "";
        if (keep) commit.listing_body = {entry.key(), r.content_type + "\n" + r.body};
      } else {
        entry.etag = r.etag;
        entry.last_modified = r.last_modified;
        entry.fetched_at = std::time(nullptr);
        auto report = ExtractPage(portal, entry, r);
        if (report && report->NeedsAttachment()) {
          auto page_url = ParseUrl(r.final_url);
          auto att = page_url ? ResolveUrl(*page_url, report->linked_attachments.front().url) : std::nullopt;
          if (att) {
            Step step;
            step.portal = entry.portal;
            step.wait = AttachmentWait{entry, std::move(r), std::move(*report), att->ToString()};
            return step;
          }
        }
        if (report) AddReport(portal, entry, r, std::move(*report), &commit);
      }
    }
    return Commit(std::move(entry), std::move(found), std::move(commit));
  }

  // Worker pool: the attachment of a page arrived (or failed); store the page's record.
  Step StoreWithAttachment(AttachmentWait wait, fetch::FetchResult a) {
    const PortalOptions& portal = *portals_.at(wait.entry.portal);
    store::PageCommit commit;
    extract::Report report = std::move(wait.report);
    if (a.error == fetch::FetchError::kNone && a.status == 200) {
      extract::ExtractInput in{a.body, a.final_url, a.content_type, a.truncated,
                               CpuBudget(options_.crawl.page_cpu_budget_s)};
      auto att = extract::ExtractReport(in);
      if (!att.ok() && att.status().IsOverBudget()) {
        OverBudget(portal, wait.entry, att.status());
        return Commit(std::move(wait.entry), {}, std::move(commit));
      }
      if (att.ok() && att.value().IsReport()) {
        auto final_url = ParseUrl(a.final_url);
        extract::Attachment meta{final_url ? CanonicalUrl(*final_url) : a.final_url,
                                 report.linked_attachments.front().name, Sha256Hex(a.body),
                                 static_cast<int64_t>(a.body.size())};
        commit.raw.emplace_back(meta.sha256, a.body);
        report = extract::WithAttachment(report, std::move(att.value()), std::move(meta));
      } else {
        Log(LogLevel::kWarn, "attachment_unreadable",
            {{"portal", portal.name}, {"url", a.final_url}, {"error", att.ok() ? "not a report" : att.status().ToString()}});
      }
    } else {
      Log(LogLevel::kWarn, "attachment_failed", {{"portal", portal.name}, {"url", wait.url}, {"error", a.error_message}});
    }
    FrontierEntry entry = std::move(wait.entry);
    if (report.IsReport()) AddReport(portal, entry, wait.page, std::move(report), &commit);
    return Commit(std::move(entry), {}, std::move(commit));
  }

  // Worker pool: the page's own frontier entry, what it discovered and what
  // it stored, in one atomic batch.
  Step Commit(FrontierEntry entry, std::vector<FrontierEntry> found, store::PageCommit commit) {
    const std::string url_field = entry.url;
    Step done;
    done.portal = entry.portal;
    done.queued = !found.empty();
    const PortalOptions& portal = *portals_.at(entry.portal);
    commit.frontier.push_back(entry);
    for (const auto& f : found) commit.frontier.push_back(f);
    int failed_checks = 0;
    if (commit.report && commit.report->record["checks"].is_array()) {
      for (const auto& c : commit.report->record["checks"]) failed_checks += c.value("outcome", "") == "fail";
    }
    auto result = db_->Commit(std::move(commit));
    if (!result.ok()) {
      Log(LogLevel::kError, "store_failed", {{"url", url_field}, {"error", result.status().ToString()}});
      std::lock_guard<std::mutex> lock(mu_);
      db_error_ = result.status();
      stopping_ = true;
      return done;
    }
    if (!result.value().report_id.empty()) {
      Count(&CrawlStats::reports_seen);
      coverage_.Stored(portal.name);
      if (result.value().new_version) Count(&CrawlStats::versions_added);
      if (metrics_) metrics_->ReportStored(result.value().new_version, failed_checks);
      // A new version is news; a page seen again unchanged is only worth a debug line.
      Log(result.value().new_version ? LogLevel::kInfo : LogLevel::kDebug, "stored",
          {{"portal", portal.name}, {"url", url_field}, {"report_id", result.value().report_id},
           {"version", std::to_string(result.value().version)}, {"new_version", result.value().new_version ? "yes" : "no"}});
    }
    return done;
  }

  // Listing page → new frontier entries: its items (report pages), the rest
  // of its listing, its sub-columns; and what it says about itself, to the
  // coverage audit.
  std::vector<FrontierEntry> Discover(const PortalOptions& portal, FrontierEntry& page, const fetch::FetchResult& r) {
    extract::ListingInput in;
    in.bytes = r.body;
    in.content_type = r.content_type;
    in.url = r.final_url;
    in.post_form = page.post_form;
    in.fragment = page.fragment;
    in.cms = portal.cms;
    extract::Listing listing = extract::ParseListing(in);
    std::vector<FrontierEntry> out;
    const std::string column = ColumnOf(page);
    if (listing.page_kind != "normal") {  // a soft 404 or a challenge: nothing to follow
      page.state = FrontierEntry::State::kFailed;
      page.last_outcome = listing.page_kind;
      coverage_.Failed(portal.name, column, page.url, listing.page_kind);
      Log(LogLevel::kWarn, "listing_refused", {{"portal", portal.name}, {"url", page.url}, {"kind", listing.page_kind}});
      return out;
    }
    coverage_.Listed(portal.name, column, page.url, listing);
    size_t new_reports = 0, reports = 0, planned_listings = 0;
    std::set<std::string> seen;
    // Returns true if the request was scheduled; *known: it was fetched whole in an earlier run.
    auto consider = [&](const std::string& url, FrontierEntry::Kind kind, bool* known, const std::string& form,
                        const std::string& of_column) {
      auto u = ParseUrl(url);
      if (!u || !portal.AllowsHost(u->host, u->EffectivePort())) return false;
      FrontierEntry e;
      e.url = CanonicalUrl(*u);
      e.post_form = form;
      const std::string key = e.key();
      if (!seen.insert(key).second) return false;
      auto existing = db_->GetFrontier(key);
      std::optional<FrontierEntry> before = existing.ok() ? existing.value() : std::nullopt;
      if (before && before->run == run_.id) return false;  // scheduled earlier in this run
      if (kind == FrontierEntry::Kind::kListing) {
        std::lock_guard<std::mutex> lock(mu_);
        if (listing_pages_[portal.name] + planned_listings >= static_cast<size_t>(portal.max_pages)) {
          coverage_.Cut(portal.name, of_column, e.url);
          return false;
        }
      }
      if (known) *known = before && before->state == FrontierEntry::State::kDone && before->fetched_at > 0;
      if (kind == FrontierEntry::Kind::kListing) ++planned_listings;
      e = Reschedule(std::move(before), e.url, portal.name, kind, run_.id);
      e.found_on = page.url;
      e.post_form = form;
      e.column = of_column;
      e.fragment = u->fragment;
      u->fragment.clear();
      e.fetch_url = u->ToString() == e.url ? "" : u->ToString();
      out.push_back(std::move(e));
      return true;
    };
    for (const auto& entry : listing.entries) {
      if (entry.verdict == extract::EntryVerdict::kLookAlike) Count(&CrawlStats::not_reports);
      if (entry.verdict != extract::EntryVerdict::kReport && entry.verdict != extract::EntryVerdict::kMaybe) continue;
      if (mode_.year_min) {  // backfill: the listing title names the year; skip others unfetched
        auto y = extract::YearInTitle(extract::AsciiDigits(extract::MatchKey(entry.title)));
        if (y && (*y < mode_.year_min || *y > mode_.year_max)) continue;
      }
      bool known = false;
      ++reports;
      const size_t before = out.size();
      if (consider(entry.url, FrontierEntry::Kind::kDetail, &known, "", "") && !known) ++new_reports;
      if (out.size() > before) out.back().maybe = entry.verdict == extract::EntryVerdict::kMaybe;
    }
    // Sub-columns are listings of their own, read in every mode.
    for (const auto& sub : listing.sub_columns) {
      auto u = ParseUrl(sub.url);
      if (u) consider(sub.url, FrontierEntry::Kind::kListing, nullptr, sub.post_form, CanonicalUrl(*u));
    }
    if (mode_.name == "refresh") {
      // Newest first: go one request further only while pages still bring
      // new reports (a page that lists none, such as a Hanweb column shell,
      // leads on). The next is the first one listed that this run has not
      // taken yet (a pager names earlier pages too).
      if (reports > 0 && new_reports == 0) return out;
      // What the page names, then what its listing named before it (a later
      // page need not name the pages after it).
      std::vector<std::pair<std::string, std::string>> next;
      for (const auto& more : listing.more) next.emplace_back(more.url, more.post_form);
      next.insert(next.end(), page.rest.begin(), page.rest.end());
      for (size_t i = 0; i < next.size(); ++i) {
        if (!consider(next[i].first, FrontierEntry::Kind::kListing, nullptr, next[i].second, column)) continue;
        for (size_t k = i + 1; k < next.size() && out.back().rest.size() < 500; ++k) out.back().rest.push_back(next[k]);
        break;
      }
      return out;
    }
    for (const auto& more : listing.more) consider(more.url, FrontierEntry::Kind::kListing, nullptr, more.post_form, column);
    return out;
  }

  // The page's report, or nullopt (outcome recorded in `entry`) when the
  // page is not one: unreadable, a look-alike, or outside the portal's years.
  std::optional<extract::Report> ExtractPage(const PortalOptions& portal, FrontierEntry& entry,
                                             const fetch::FetchResult& r) {
    extract::ExtractInput in{r.body, r.final_url, r.content_type, r.truncated,
                             CpuBudget(options_.crawl.page_cpu_budget_s)};
    auto extracted = extract::ExtractReport(in);
    if (!extracted.ok() && extracted.status().IsOverBudget()) {
      OverBudget(portal, entry, extracted.status());
      return std::nullopt;
    }
    if (!extracted.ok()) {
      entry.last_outcome = "not extracted: " + extracted.status().message();
      Count(&CrawlStats::errors);
      Log(LogLevel::kWarn, "extract_failed", {{"portal", portal.name}, {"url", entry.url}, {"error", extracted.status().ToString()}});
      return std::nullopt;
    }
    extract::Report& report = extracted.value();
    if (!report.IsReport() && !report.NeedsAttachment()) {
      entry.last_outcome = "not a report";
      Count(&CrawlStats::not_reports);
      return std::nullopt;
    }
    if (report.page_kind != "normal") {
      entry.state = FrontierEntry::State::kFailed;
      entry.last_outcome = report.page_kind;  // soft404 | challenge: never a report
      Count(&CrawlStats::not_reports);
      return std::nullopt;
    }
    if (entry.maybe && report.format != "gov2021" && report.format != "gov2019" && !extract::IsReportTitle(report.title)) {
      // Listed under a title that did not say "report", and the page does not either.
      entry.last_outcome = "not a report";
      Count(&CrawlStats::not_reports);
      return std::nullopt;
    }
    const int lo = mode_.year_min ? mode_.year_min : portal.year_min;
    const int hi = mode_.year_min ? mode_.year_max : portal.year_max;
    if (lo && report.year && (*report.year < lo || *report.year > hi)) {
      entry.last_outcome = "outside years";
      return std::nullopt;
    }
    return std::move(report);
  }

  void AddReport(const PortalOptions& portal, const FrontierEntry& entry, const fetch::FetchResult& r,
                 extract::Report report, store::PageCommit* commit) {
    auto final_url = ParseUrl(r.final_url);
    RecordEnvelope env;
    env.url = final_url ? CanonicalUrl(*final_url) : entry.url;
    env.linked_url = entry.url;
    env.portal = portal.name;
    env.fetched_at = NowIso8601();
    env.http_status = r.status;
    env.etag = r.etag;
    env.last_modified = r.last_modified;
    env.raw_sha256 = Sha256Hex(r.body);
    store::ReportCandidate c;
    c.report_id = ReportIdForCanonicalUrl(env.url);
    c.url = env.url;
    c.content_sha256 = report.content_sha256;
    c.found_on = entry.found_on;
    c.record = BuildRecord(report, env);
    commit->report = std::move(c);
    commit->raw.emplace_back(env.raw_sha256, r.body);
  }

  void Count(uint64_t CrawlStats::*field) {
    std::lock_guard<std::mutex> lock(mu_);
    ++(stats_.*field);
  }

  const Options& options_;
  store::Database* db_;
  store::CrawlRun run_;
  CrawlMode mode_;
  Metrics* metrics_;
  std::atomic<int64_t>* heartbeat_;
  std::map<std::string, const PortalOptions*> portals_;
  asio::io_context io_;
  asio::thread_pool pool_;
  fetch::Fetcher fetcher_;
  asio::signal_set signals_;
  asio::steady_timer progress_{io_};
  const bool tty_ = ::isatty(2) == 1;
  uint64_t ticks_ = 0;
  std::chrono::steady_clock::time_point started_;
  size_t outstanding_ = 0;          // io thread only: pages in flight
  std::map<std::string, size_t> portal_in_flight_;  // io thread only
  std::map<std::string, uint64_t> cursors_;         // io thread only: last queue position dispatched
  std::set<std::string> drained_;                   // io thread only: portals whose queue came back short
  std::atomic<bool> stopping_{false};
  std::mutex mu_;                   // guards the members below
  struct Busy {
    std::chrono::steady_clock::time_point since;
    std::string url;
    bool reported = false;          // logged as worker_stuck
  };
  std::map<uint64_t, Busy> busy_;   // worker tasks running now
  uint64_t work_ids_ = 0;
  std::map<std::string, int> listing_pages_;
  CrawlStats stats_;
  CoverageAudit coverage_;
  Status db_error_;
};

Crawler::Crawler(const Options& options, store::Database* db, std::vector<std::string> portals, CrawlMode mode,
                 Metrics* metrics)
    : options_(options), db_(db), portal_filter_(std::move(portals)), mode_(std::move(mode)), metrics_(metrics) {}

void Crawler::RequestStop() {
  std::lock_guard<std::mutex> lock(mu_);
  stop_ = true;
  if (pass_) pass_->RequestStop();
}

CrawlStats Crawler::Progress() {
  std::lock_guard<std::mutex> lock(mu_);
  return pass_ ? pass_->Progress() : CrawlStats();
}

std::vector<StuckWorker> Crawler::StuckWorkers() {
  std::lock_guard<std::mutex> lock(mu_);
  return pass_ ? pass_->Stuck() : std::vector<StuckWorker>();
}

void Crawler::ReportCoverage(CrawlStats* stats) {
  stats->audited = !stats->interrupted && !stats->resumed && mode_.name != "refresh";
  for (auto& pc : stats->coverage) {
    // A pass that did not read whole listings judges no count; a listing
    // page that failed is a shortfall of any pass.
    if (!stats->audited) std::erase_if(pc.shortfalls, [](const Shortfall& s) { return s.by_count; });
    for (const auto& s : pc.shortfalls) {
      Log(LogLevel::kWarn, "listing_shortfall",
          {{"portal", s.portal}, {"column", s.column}, {"page", s.page}, {"reason", s.reason},
           {"claimed", std::to_string(s.claimed)}, {"found", std::to_string(s.found)}});
    }
    nlohmann::ordered_json j = pc.ToJson();
    j["mode"] = mode_.name;
    j["audited"] = stats->audited;
    const int64_t now = std::time(nullptr);
    j["finished_at"] = now;
    j["interrupted"] = stats->interrupted;
    // The last run of this portal that finished without an error or a shortfall.
    nlohmann::ordered_json last_success;
    if (auto before = db_->GetState("coverage/" + pc.portal); before.ok() && before.value()) {
      auto old = nlohmann::ordered_json::parse(*before.value(), nullptr, false);
      if (old.is_object() && old.contains("last_success")) last_success = old["last_success"];
    }
    if (!stats->interrupted && pc.errors == 0 && pc.shortfalls.empty()) last_success = now;
    j["last_success"] = last_success;
    pc.last_success = last_success.is_number() ? last_success.get<int64_t>() : 0;
    if (Status st = db_->PutState("coverage/" + pc.portal, j.dump()); !st.ok()) {
      Log(LogLevel::kError, "store_failed", {{"error", st.ToString()}});
    }
  }
  size_t shortfalls = 0;
  for (const auto& pc : stats->coverage) {
    stats->failed_portals += pc.failed();
    shortfalls += pc.shortfalls.size();
  }
  stats->outcome = !stats->coverage.empty() && stats->failed_portals == stats->coverage.size() ? "failed"
                   : stats->failed_portals > 0 || shortfalls > 0                               ? "degraded"
                                                                                                 : "ok";
  if (metrics_) metrics_->SetCoverage(stats->coverage);
}

Result<CrawlStats> Crawler::Run() {
  store::CrawlRun asked;
  asked.mode = mode_.name;
  asked.year_min = mode_.year_min;
  asked.year_max = mode_.year_max;
  asked.portals = portal_filter_;
  std::sort(asked.portals.begin(), asked.portals.end());
  asked.seeded = mode_.name != "refresh";  // a refresh also queues every stored report page
  auto wanted = [&](const std::string& portal) {
    return asked.portals.empty() || std::binary_search(asked.portals.begin(), asked.portals.end(), portal);
  };
  // A new run and its seeds (every start URL, a listing, and known report
  // URL of each portal) are one batch.
  size_t seeds = 0;
  auto run = db_->BeginRun(asked, [&](uint64_t id) {
    std::vector<FrontierEntry> seed;
    for (const auto& p : options_.portals) {
      if (!wanted(p.name)) continue;
      auto add = [&](const std::string& url, FrontierEntry::Kind kind) {
        auto u = ParseUrl(url);
        if (!u) return;
        auto before = db_->GetFrontier(CanonicalUrl(*u));
        FrontierEntry e = Reschedule(before.ok() ? before.value() : std::nullopt, CanonicalUrl(*u), p.name, kind, id);
        e.fragment = u->fragment;  // a gkmlpt category (#2845) for the listing reader
        u->fragment.clear();
        e.fetch_url = u->ToString() == e.url ? "" : u->ToString();
        seed.push_back(std::move(e));
      };
      for (const auto& u : p.start_urls) add(u, FrontierEntry::Kind::kListing);
      for (const auto& u : p.report_urls) add(u, FrontierEntry::Kind::kDetail);
    }
    seeds = seed.size();
    return seed;
  });
  if (!run.ok()) return run.status();
  if (run.value().resumed) {
    // An interrupted run is finished first, as it was asked for (mode, years, portals).
    if (!run.value().SamePassAs(asked)) {
      resumed_another_ = true;
      Log(LogLevel::kWarn, "run_resumed_first", {{"requested", mode_.name}, {"resuming", run.value().mode}});
    }
    mode_.name = run.value().mode;
    mode_.year_min = run.value().year_min;
    mode_.year_max = run.value().year_max;
    portal_filter_ = run.value().portals;
    Log(LogLevel::kInfo, "run_resumed", {{"run", std::to_string(run.value().id)}, {"mode", run.value().mode}});
  }
  if (!run.value().seeded) {
    // Every stored report page of these portals is revisited (conditionally)
    // wherever its listing page is: corrections of old reports are found too.
    // (Repeated after a crash before it finished: nothing is queued twice.)
    // So is what an earlier run left pending for a portal that was taken out
    // of the configuration: kept (and said), fetched once it is back.
    const std::vector<std::string> portals = run.value().portals;
    std::map<std::string, uint64_t> kept;
    auto due = db_->QueueKnownDetails(run.value(), [&](const std::string& portal) {
      const bool configured = std::any_of(options_.portals.begin(), options_.portals.end(),
                                          [&](const PortalOptions& p) { return p.name == portal; });
      return configured && (portals.empty() || std::find(portals.begin(), portals.end(), portal) != portals.end());
    }, &kept);
    if (!due.ok()) return due.status();
    seeds += due.value();
    for (const auto& [portal, n] : kept) {
      Log(LogLevel::kWarn, "pending_kept", {{"portal", portal}, {"pages", std::to_string(n)},
                                            {"reason", "not in this run (not configured, or not asked for); fetched when it is"}});
    }
    run.value().seeded = true;
  }
  if (!run.value().resumed) {
    Log(LogLevel::kInfo, "run_started", {{"run", std::to_string(run.value().id)}, {"mode", mode_.name}, {"seeds", std::to_string(seeds)}});
  }
  Pass pass(options_, db_, run.value(), mode_, metrics_, &heartbeat_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    pass_ = &pass;
    if (stop_) pass.RequestStop();
  }
  auto stats = pass.Run();
  {
    std::lock_guard<std::mutex> lock(mu_);
    pass_ = nullptr;
  }
  if (!stats.ok()) return stats;
  stats.value().resumed = run.value().resumed;
  ReportCoverage(&stats.value());
  if (!stats.value().interrupted) {
    if (Status s = db_->FinishRun(run.value()); !s.ok()) return s;
  }
  return stats;
}

}  // namespace nianbao
