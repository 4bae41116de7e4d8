#include "daemon/crawler.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdlib>
#include <ctime>
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
#include "extract/listing.h"
#include "extract/report_extractor.h"
#include "fetch/fetcher.h"

namespace nianbao {
namespace {

namespace asio = boost::asio;
using store::FrontierEntry;

// A page that only links its report's attachment, waiting for it.
struct AttachmentWait {
  FrontierEntry entry;
  fetch::FetchResult page;
  extract::Report report;  // the page's own (no tables)
  std::string url;         // the attachment, absolute
};

// What processing one page leaves to do on the io thread.
struct Step {
  std::vector<FrontierEntry> found;    // new URLs to fetch
  std::optional<AttachmentWait> wait;  // or an attachment to fetch first
};

// State shared by the io thread and the worker pool for one run.
class Pass {
 public:
  Pass(const Options& options, store::Database* db, const store::CrawlRun& run)
      : options_(options), db_(db), run_(run), pool_(std::max(1u, std::thread::hardware_concurrency())),
        fetcher_(io_, options.crawl), signals_(io_, SIGINT, SIGTERM) {
    for (const auto& p : options.portals) portals_[p.name] = &p;
  }

  Result<CrawlStats> Run(std::vector<FrontierEntry> pending) {
    signals_.async_wait([this](const boost::system::error_code& ec, int sig) {
      if (ec) return;
      Log(LogLevel::kWarn, "signal", {{"signal", std::to_string(sig)}, {"action", "finishing in-flight pages"}});
      stopping_ = true;
      stats_.interrupted = true;
      fetcher_.CancelAll();
      // A second signal exits at once; atomic batches leave nothing half-written.
      signals_.async_wait([](const boost::system::error_code& ec2, int) {
        if (!ec2) std::_Exit(1);
      });
      MaybeFinish();
    });
    for (auto& e : pending) {
      std::lock_guard<std::mutex> lock(mu_);
      scheduled_.insert(e.url);
      if (e.kind == FrontierEntry::Kind::kListing) ++listing_pages_[e.portal];
    }
    asio::post(io_, [this, pending = std::move(pending)]() mutable {
      for (auto& e : pending) Dispatch(std::move(e));
      MaybeFinish();
    });
    io_.run();
    pool_.join();
    if (!db_error_.ok()) return db_error_;
    return stats_;
  }

 private:
  // io thread.
  void Dispatch(FrontierEntry entry) {
    if (stopping_) return;
    auto it = portals_.find(entry.portal);
    if (it == portals_.end()) return;  // portal removed from the configuration
    ++outstanding_;
    fetch::FetchRequest req{entry.url, it->second->allow_hosts};
    fetcher_.Fetch(std::move(req), [this, entry = std::move(entry)](fetch::FetchResult r) mutable {
      if (r.error == fetch::FetchError::kCancelled) {  // shutdown: stays pending for the next run
        --outstanding_;
        MaybeFinish();
        return;
      }
      asio::post(pool_, [this, entry = std::move(entry), r = std::move(r)]() mutable {
        Step step = Process(std::move(entry), std::move(r));
        asio::post(io_, [this, step = std::move(step)]() mutable { Continue(std::move(step)); });
      });
    });
  }

  // io thread: after a page was processed. A page that only links its
  // attachment stays outstanding until the attachment is fetched and stored.
  void Continue(Step step) {
    if (step.wait && !stopping_) {
      auto wait = std::make_shared<AttachmentWait>(std::move(*step.wait));
      const PortalOptions& portal = *portals_.at(wait->entry.portal);
      fetcher_.Fetch({wait->url, portal.allow_hosts}, [this, wait](fetch::FetchResult a) {
        if (a.error == fetch::FetchError::kCancelled) {
          --outstanding_;
          MaybeFinish();
          return;
        }
        asio::post(pool_, [this, wait, a = std::move(a)]() mutable {
          Step done = StoreWithAttachment(std::move(*wait), std::move(a));
          asio::post(io_, [this, done = std::move(done)]() mutable { Continue(std::move(done)); });
        });
      });
      return;
    }
    --outstanding_;
    for (auto& e : step.found) Dispatch(std::move(e));
    MaybeFinish();
  }

  void MaybeFinish() {
    if (outstanding_ == 0) {
      signals_.cancel();
      io_.stop();
    }
  }

  // Worker pool. Returns the newly discovered entries to fetch, or the
  // attachment to fetch before the page can be stored.
  Step Process(FrontierEntry entry, fetch::FetchResult r) {
    const PortalOptions& portal = *portals_.at(entry.portal);
    store::PageCommit commit;
    std::vector<FrontierEntry> found;
    ++entry.attempts;
    entry.updated_at = std::time(nullptr);
    entry.state = FrontierEntry::State::kDone;
    const std::string url_field = entry.url;
    if (r.error != fetch::FetchError::kNone) {
      entry.state = FrontierEntry::State::kFailed;
      entry.last_outcome = std::string("error: ") + fetch::FetchErrorName(r.error);
      Count(&CrawlStats::errors);
      Log(LogLevel::kWarn, "fetch_failed", {{"portal", portal.name}, {"url", url_field}, {"error", r.error_message}});
    } else {
      Count(&CrawlStats::pages_fetched);
      entry.last_outcome = std::to_string(r.status);
      if (r.status != 200) {
        entry.state = r.status == 404 || r.status == 410 ? FrontierEntry::State::kDone : FrontierEntry::State::kFailed;
        Count(&CrawlStats::errors);
        Log(LogLevel::kWarn, "http_status", {{"portal", portal.name}, {"url", url_field}, {"status", entry.last_outcome}});
      } else if (entry.kind == FrontierEntry::Kind::kListing) {
        Count(&CrawlStats::listings);
        found = Discover(portal, entry, r);
      } else {
        auto report = ExtractPage(portal, entry, r);
        if (report && report->NeedsAttachment()) {
          auto page_url = ParseUrl(r.final_url);
          auto att = page_url ? ResolveUrl(*page_url, report->linked_attachments.front().url) : std::nullopt;
          if (att) {
            Step step;
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
      extract::ExtractInput in{a.body, a.final_url, a.content_type, a.truncated};
      auto att = extract::ExtractReport(in);
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
    const PortalOptions& portal = *portals_.at(entry.portal);
    commit.frontier.push_back(entry);
    for (const auto& f : found) commit.frontier.push_back(f);
    auto result = db_->Commit(std::move(commit));
    if (!result.ok()) {
      Log(LogLevel::kError, "store_failed", {{"url", url_field}, {"error", result.status().ToString()}});
      std::lock_guard<std::mutex> lock(mu_);
      db_error_ = result.status();
      stopping_ = true;
      return {};
    }
    if (!result.value().report_id.empty()) {
      Count(&CrawlStats::reports_seen);
      if (result.value().new_version) Count(&CrawlStats::versions_added);
      Log(LogLevel::kInfo, "stored",
          {{"portal", portal.name}, {"url", url_field}, {"report_id", result.value().report_id},
           {"version", std::to_string(result.value().version)}, {"new_version", result.value().new_version ? "yes" : "no"}});
    }
    Step step;
    step.found = std::move(found);
    return step;
  }

  // Listing page → new frontier entries (reports and further listing pages).
  std::vector<FrontierEntry> Discover(const PortalOptions& portal, const FrontierEntry& page, const fetch::FetchResult& r) {
    extract::Listing listing = extract::ParseListing(r.body, r.content_type, r.final_url);
    std::vector<FrontierEntry> out;
    auto consider = [&](const std::string& url, FrontierEntry::Kind kind) {
      auto u = ParseUrl(url);
      if (!u || !portal.AllowsHost(u->host, u->EffectivePort())) return;
      std::string key = CanonicalUrl(*u);
      std::lock_guard<std::mutex> lock(mu_);
      if (kind == FrontierEntry::Kind::kListing && listing_pages_[portal.name] >= portal.max_pages) return;
      if (!scheduled_.insert(key).second) return;
      auto existing = db_->GetFrontier(key);
      if (existing.ok() && existing.value() && existing.value()->run == run_.id) return;  // done earlier in this run
      if (kind == FrontierEntry::Kind::kListing) ++listing_pages_[portal.name];
      FrontierEntry e;
      e.url = key;
      e.portal = portal.name;
      e.kind = kind;
      e.run = run_.id;
      e.found_on = page.url;
      e.updated_at = std::time(nullptr);
      out.push_back(std::move(e));
    };
    for (const auto& entry : listing.entries) {
      if (!entry.is_report) {
        Count(&CrawlStats::not_reports);
        continue;
      }
      consider(entry.url, FrontierEntry::Kind::kDetail);
    }
    for (const auto& more : listing.more_pages) consider(more, FrontierEntry::Kind::kListing);
    return out;
  }

  // The page's report, or nullopt (outcome recorded in `entry`) when the
  // page is not one: unreadable, a look-alike, or outside the portal's years.
  std::optional<extract::Report> ExtractPage(const PortalOptions& portal, FrontierEntry& entry,
                                             const fetch::FetchResult& r) {
    extract::ExtractInput in{r.body, r.final_url, r.content_type, r.truncated};
    auto extracted = extract::ExtractReport(in);
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
    if (portal.year_min && report.year && (*report.year < portal.year_min || *report.year > portal.year_max)) {
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
  std::map<std::string, const PortalOptions*> portals_;
  asio::io_context io_;
  asio::thread_pool pool_;
  fetch::Fetcher fetcher_;
  asio::signal_set signals_;
  size_t outstanding_ = 0;          // io thread only
  std::atomic<bool> stopping_{false};
  std::mutex mu_;                   // guards the members below
  std::set<std::string> scheduled_;
  std::map<std::string, int> listing_pages_;
  CrawlStats stats_;
  Status db_error_;
};

}  // namespace

Crawler::Crawler(const Options& options, store::Database* db, std::vector<std::string> portals, std::string mode)
    : options_(options), db_(db), portal_filter_(std::move(portals)), mode_(std::move(mode)) {}

Result<CrawlStats> Crawler::Run() {
  auto run = db_->BeginRun(mode_);
  if (!run.ok()) return run.status();
  std::vector<FrontierEntry> pending;
  if (run.value().resumed) {
    auto p = db_->PendingFrontier(run.value().id);
    if (!p.ok()) return p.status();
    pending = std::move(p.value());
    Log(LogLevel::kInfo, "run_resumed", {{"run", std::to_string(run.value().id)}, {"pending", std::to_string(pending.size())}});
  } else {
    // Seed: every start URL (a listing) and known report URL of each portal.
    store::PageCommit seed;
    std::set<std::string> seen;
    for (const auto& p : options_.portals) {
      if (!portal_filter_.empty() && std::find(portal_filter_.begin(), portal_filter_.end(), p.name) == portal_filter_.end()) continue;
      auto add = [&](const std::string& url, FrontierEntry::Kind kind) {
        auto u = ParseUrl(url);
        if (!u || !seen.insert(CanonicalUrl(*u)).second) return;
        FrontierEntry e;
        e.url = CanonicalUrl(*u);
        e.portal = p.name;
        e.kind = kind;
        e.run = run.value().id;
        e.updated_at = std::time(nullptr);
        seed.frontier.push_back(e);
      };
      for (const auto& u : p.start_urls) add(u, FrontierEntry::Kind::kListing);
      for (const auto& u : p.report_urls) add(u, FrontierEntry::Kind::kDetail);
    }
    pending = seed.frontier;
    auto c = db_->Commit(std::move(seed));
    if (!c.ok()) return c.status();
    Log(LogLevel::kInfo, "run_started", {{"run", std::to_string(run.value().id)}, {"mode", mode_}, {"seeds", std::to_string(pending.size())}});
  }
  Pass pass(options_, db_, run.value());
  auto stats = pass.Run(std::move(pending));
  if (!stats.ok()) return stats;
  stats.value().resumed = run.value().resumed;
  if (!stats.value().interrupted) {
    if (Status s = db_->FinishRun(run.value()); !s.ok()) return s;
  }
  return stats;
}

}  // namespace nianbao
