// The nianbao database: one RocksDB directory holding reports, versions,
// raw bodies and the crawl frontier in column families (record.md,
// store/FORMAT.md). Writes for one fetched page are one atomic WriteBatch:
// a crash at any point loses no stored version and leaves no half record.
//
// Thread safety: all methods may be called from any thread; Commit() is
// serialized internally (report heads are read-modify-write).
#ifndef NIANBAO_STORE_DATABASE_H_
#define NIANBAO_STORE_DATABASE_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "config/options.h"
#include "config/status.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class Status;
}  // namespace rocksdb

namespace nianbao::store {

// One URL of the crawl and where it stands.
struct FrontierEntry {
  enum class Kind { kListing, kDetail };
  enum class State { kPending, kDone, kFailed };
  std::string url;         // canonical (config/url.h): the frontier's identity of the URL
  // The URL as the page linked it (its own query order), fetched as such;
  // "" when it is `url`. Servers see what a browser would send.
  std::string fetch_url;
  std::string portal;
  Kind kind = Kind::kListing;
  State state = State::kPending;
  uint64_t run = 0;        // the crawl run that last scheduled it
  uint32_t attempts = 0;
  std::string found_on;    // listing page that linked it ("" for start URLs)
  std::string last_outcome;  // "200", "404", "error: timeout", …
  int64_t updated_at = 0;  // unix seconds
  // Of the last 200 response: for conditional revisits and revisit_after_days.
  std::string etag, last_modified;
  int64_t fetched_at = 0;  // unix seconds, 0 = never fetched whole
  std::string post_form;   // a POST listing request (Hanweb dataproxy.jsp)
  // The configured URL's fragment (a gkmlpt category: /gkmlpt/index#2845):
  // never sent to the server, kept for the listing reader.
  std::string fragment;
  // A listing request: the column it pages through (the URL of the column's
  // first page), for the coverage audit. "" for details.
  std::string column;
  // A detail listed under a title that does not say "report" outright (cut
  // or shortened): kept only if the page itself is a report.
  bool maybe = false;
  // A refresh's listing request: the requests of its listing after it, in
  // order (URL, POST form), that the refresh takes one by one while pages
  // bring new reports (a later page need not name them again).
  std::vector<std::pair<std::string, std::string>> rest;
  uint64_t queue_seq = 0;  // its place in the run's queue while pending (set by Commit)

  // The frontier's identity of the request: the URL, and for a POST its
  // form too (one data endpoint serves many columns, told apart by the form).
  std::string key() const { return post_form.empty() ? url : url + "\n" + post_form; }
};

// One pass over the configured portals (crawl, backfill, refresh).
struct CrawlRun {
  uint64_t id = 0;
  std::string mode;        // "crawl" | "backfill" | "refresh" | "demo"
  int year_min = 0, year_max = 0;  // backfill: the report years it keeps
  int64_t started_at = 0;
  int64_t finished_at = 0; // 0 while running (or interrupted)
  std::vector<std::string> portals;  // the portals it was asked for (empty = all)
  // Every seed is queued (a refresh queues the known report pages after the
  // start URLs, in several batches; resuming an unseeded run finishes that).
  bool seeded = true;
  bool resumed = false;    // not stored: BeginRun found it unfinished

  // The same pass: mode, years and portals.
  bool SamePassAs(const CrawlRun& other) const {
    return mode == other.mode && year_min == other.year_min && year_max == other.year_max && portals == other.portals;
  }
};

// A report as found on one page, to be versioned by Commit().
struct ReportCandidate {
  std::string report_id;       // from the canonical URL
  std::string url;             // canonical URL
  std::string content_sha256;
  std::string found_on;        // listing page, "" if none
  nlohmann::ordered_json record;  // the full record (record.md) except "version"
};

// Everything one fetched page changes, written atomically.
struct PageCommit {
  // Entries to put: the page's own (done/failed: leaves the queue) and the
  // discovered ones (pending: queued, unless already scheduled in this run —
  // checked under the commit lock, so two pages finding one URL queue it once).
  std::vector<FrontierEntry> frontier;
  // Raw bodies to keep, by SHA-256 (the page, and an attachment it used);
  // with a report, written only if it adds a version (which names them).
  std::vector<std::pair<std::string, std::string>> raw;
  std::optional<ReportCandidate> report;
  // Reports whose URL now answers 404/410: status "gone", versions kept.
  std::vector<std::string> gone;
  // The run's own record, when the batch changes it (a run begun with its seeds).
  std::optional<CrawlRun> run;
  // A listing request's answer, kept for the next time it answers 304 (read
  // again then): key FrontierEntry::key(), value Content-Type + "\n" + body.
  std::optional<std::pair<std::string, std::string>> listing_body;
};

struct CommitResult {
  std::string report_id;   // the report the page was stored under ("" if none)
  uint32_t version = 0;    // its latest version after the commit
  bool new_version = false;
  bool repost = false;     // same content already stored under another URL (also_at)
};

class Database {
 public:
  // Opens (creating if missing) the database at options.path for writing.
  // One process at a time: Busy (naming the holder's pid and `owner`) if
  // another process has it open for writing; IOError/Corruption otherwise,
  // with the path. `owner` describes this process to a refused one
  // (e.g. "nianbao serve").
  static Result<std::unique_ptr<Database>> Open(const StorageOptions& options, const std::string& owner = "nianbao");
  // Opens an existing database for reading only (export, status): allowed
  // while a writer holds it; sees every write the writer had committed when
  // it opened, as one consistent state (a RocksDB secondary instance caught
  // up with the writer). Every write method returns an error. NotFound if
  // there is no database.
  static Result<std::unique_ptr<Database>> OpenReadOnly(const StorageOptions& options);

  // The process holding the database at `path` for writing, as recorded by
  // Open(), or nullopt if none is recorded.
  struct Holder {
    long pid = 0;
    std::string owner;  // as passed to Open()
  };
  static std::optional<Holder> HolderOf(const std::string& path);
  ~Database();  // flushes and closes cleanly

  // Writes `commit` in one WriteBatch. A new ReportVersion is added only
  // when content_sha256 differs from the report's latest version.
  Result<CommitResult> Commit(PageCommit commit);

  // Frontier. `key` is FrontierEntry::key() (the URL, for a GET).
  Result<std::optional<FrontierEntry>> GetFrontier(const std::string& key);
  // Up to `limit` pending entries of `portal` in run `run` queued after
  // sequence number `after`, in queue order. Memory is bounded by `limit`
  // however long the queue is.
  Result<std::vector<FrontierEntry>> QueuedFrontier(uint64_t run, const std::string& portal, uint64_t after, size_t limit);
  // Listing pages `run` has already fetched (done or failed), per portal: a
  // resumed run counts them against max_pages. Reads the whole frontier.
  Result<std::map<std::string, uint64_t>> ListingPagesRead(uint64_t run);
  // Queues, for `run`, every detail entry fetched in an earlier run, and
  // every entry an earlier run left pending (its portal was taken out of the
  // configuration before it was fetched), whose portal `include` accepts
  // (streamed in batches: memory stays flat); the last batch marks the run
  // seeded. Safe to repeat after a crash: entries already queued in this run
  // are skipped. Returns how many were queued; `kept` (if given) counts, per
  // portal `include` refuses, the pending entries left for a later run.
  Result<uint64_t> QueueKnownDetails(const CrawlRun& run, const std::function<bool(const std::string& portal)>& include,
                                     std::map<std::string, uint64_t>* kept = nullptr);
  // The unfinished run if there is one (resumed = true, with its own mode,
  // years and portals), else a new run of `asked` (its mode, years,
  // portals, seeded) written in ONE batch with the entries `seeds(id)`
  // returns for its id: a crash leaves no run without its seeds.
  Result<CrawlRun> BeginRun(const CrawlRun& asked, const std::function<std::vector<FrontierEntry>(uint64_t id)>& seeds);
  Status FinishRun(const CrawlRun& run);
  // The unfinished run, if any, without beginning one.
  Result<std::optional<CrawlRun>> UnfinishedRun();

  // Small named values kept across restarts (the service's last refresh).
  Status PutState(const std::string& name, const std::string& value);
  Result<std::optional<std::string>> GetState(const std::string& name);

  // Reports. `fn` returns false to stop. Records are JSON text (record.md).
  Status ForEachLatest(const std::function<bool(const std::string& record)>& fn);
  Status ForEachVersion(const std::function<bool(const std::string& record)>& fn);
  Result<uint64_t> CountReports();
  // One report: its head (JSON text; nullopt if no such report) and every
  // version's record in version order (empty if none).
  Result<std::optional<std::string>> ReportHead(const std::string& report_id);
  Result<std::vector<std::string>> ReportVersions(const std::string& report_id);
  // RocksDB's memory: memtables of every column family, and the shared
  // block cache in use (both bounded by Open(); for metrics).
  struct MemoryUsage {
    uint64_t memtables = 0, block_cache = 0;
  };
  MemoryUsage Memory();

  // URLs in the frontier (every URL ever scheduled), counted once when the
  // database is opened for writing and kept up to date by Commit().
  uint64_t FrontierSize() const { return frontier_urls_; }
  Result<std::string> GetRaw(const std::string& raw_sha256);
  // A full check of the database: every block of every table file of every
  // column family against its checksum (raw bodies included), then every
  // report: its head readable, each of its versions present and readable,
  // and the raw body (and attachments) each version names present.
  // `problems` lists what is wrong (the first 100); ok() when none.
  struct Verification {
    uint64_t reports = 0, versions = 0, raw_bodies = 0;
    std::vector<std::string> problems;
    uint64_t problem_count = 0;
    bool ok() const { return problem_count == 0; }
  };
  Result<Verification> Verify();
  // A consistent copy of the whole database at `dir` (absolute, must not
  // exist): a RocksDB checkpoint, table files hard-linked when `dir` is on the
  // same filesystem (instant), copied otherwise, with the log that covers
  // what is not in them yet. Safe while Commit() runs on other threads. The
  // copy is itself a database: point storage.path at it to restore.
  Status Backup(const std::string& dir);
  // The last answer kept for a listing request (PageCommit::listing_body), or nullopt.
  Result<std::optional<std::string>> GetListingBody(const std::string& key);

  const std::string& path() const { return path_; }

 private:
  Database() = default;
  static Result<std::unique_ptr<Database>> OpenWith(const StorageOptions& options, bool read_only);
  rocksdb::ColumnFamilyHandle* cf(const char* name) const;
  // A write's status, a full disk said as such.
  Status Written(const rocksdb::Status& s);

  std::string path_;
  bool read_only_ = false;
  std::string secondary_dir_;  // a reader's scratch directory (its RocksDB info log)
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::vector<std::string> names_;
  std::mutex commit_mu_;  // serializes Commit()'s read-modify-writes (report heads, queue)
  uint64_t next_seq_ = 1;  // GUARDED_BY(commit_mu_)
  std::atomic<uint64_t> frontier_urls_{0};
};

}  // namespace nianbao::store

#endif  // NIANBAO_STORE_DATABASE_H_
