#include "store/database.h"

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/cache.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <atomic>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <set>

#include "config/log.h"
#include "store/key_format.h"

namespace nianbao::store {
namespace {

using json = nlohmann::ordered_json;

Status FromRocks(const rocksdb::Status& s, const std::string& where) {
  if (s.ok()) return Status::OK();
  if (s.IsCorruption()) return Status::Corruption(s.ToString(), where);
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return Status::Busy("database is in use by another nianbao process (RocksDB LOCK held)", where);
  }
  return Status::IOError(s.ToString(), where);
}

const char* KindName(FrontierEntry::Kind k) { return k == FrontierEntry::Kind::kListing ? "listing" : "detail"; }
const char* StateName(FrontierEntry::State s) {
  return s == FrontierEntry::State::kPending ? "pending" : s == FrontierEntry::State::kDone ? "done" : "failed";
}

std::string EncodeEntry(const FrontierEntry& e) {
  json j = {{"portal", e.portal}, {"kind", KindName(e.kind)}, {"state", StateName(e.state)},
            {"run", e.run},       {"attempts", e.attempts},    {"found_on", e.found_on},
            {"last_outcome", e.last_outcome}, {"updated_at", e.updated_at}};
  if (!e.etag.empty()) j["etag"] = e.etag;
  if (!e.last_modified.empty()) j["last_modified"] = e.last_modified;
  if (e.fetched_at) j["fetched_at"] = e.fetched_at;
  if (e.queue_seq) j["queue_seq"] = e.queue_seq;
  if (!e.post_form.empty()) j["post_form"] = e.post_form;
  if (!e.fragment.empty()) j["fragment"] = e.fragment;
  if (!e.fetch_url.empty() && e.fetch_url != e.url) j["fetch_url"] = e.fetch_url;
  if (!e.column.empty()) j["column"] = e.column;
  if (e.maybe) j["maybe"] = true;
  if (!e.rest.empty()) {
    j["rest"] = json::array();
    for (const auto& [url, form] : e.rest) j["rest"].push_back(form.empty() ? json::array({url}) : json::array({url, form}));
  }
  return j.dump();
}

// `key` is FrontierEntry::key(): the URL, then for a POST "\n" and the form.
std::optional<FrontierEntry> DecodeEntry(std::string_view key, const std::string& value) {
  json j = json::parse(value, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  FrontierEntry e;
  e.url = std::string(key.substr(0, key.find('\n')));
  e.portal = j.value("portal", "");
  e.kind = j.value("kind", "") == "detail" ? FrontierEntry::Kind::kDetail : FrontierEntry::Kind::kListing;
  std::string st = j.value("state", "pending");
  e.state = st == "done" ? FrontierEntry::State::kDone
                         : st == "failed" ? FrontierEntry::State::kFailed : FrontierEntry::State::kPending;
  e.run = j.value("run", uint64_t{0});
  e.attempts = j.value("attempts", 0u);
  e.found_on = j.value("found_on", "");
  e.etag = j.value("etag", "");
  e.last_modified = j.value("last_modified", "");
  e.fetched_at = j.value("fetched_at", int64_t{0});
  e.queue_seq = j.value("queue_seq", uint64_t{0});
  e.post_form = j.value("post_form", "");
  e.fragment = j.value("fragment", "");
  e.fetch_url = j.value("fetch_url", "");
  e.column = j.value("column", "");
  e.maybe = j.value("maybe", false);
  if (j.contains("rest") && j["rest"].is_array()) {
    for (const auto& r : j["rest"]) {
      if (r.is_array() && !r.empty() && r[0].is_string()) {
        e.rest.emplace_back(r[0].get<std::string>(), r.size() > 1 && r[1].is_string() ? r[1].get<std::string>() : "");
      }
    }
  }
  e.last_outcome = j.value("last_outcome", "");
  e.updated_at = j.value("updated_at", int64_t{0});
  return e;
}

std::string EncodeRun(const CrawlRun& run) {
  json j = {{"id", run.id}, {"mode", run.mode}, {"started_at", run.started_at}, {"finished_at", run.finished_at}};
  if (run.year_min) {
    j["year_min"] = run.year_min;
    j["year_max"] = run.year_max;
  }
  if (!run.portals.empty()) j["portals"] = run.portals;
  if (!run.seeded) j["seeded"] = false;
  return j.dump();
}

std::optional<CrawlRun> DecodeRun(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  CrawlRun run;
  run.id = j.value("id", uint64_t{0});
  run.mode = j.value("mode", "");
  run.year_min = j.value("year_min", 0);
  run.year_max = j.value("year_max", 0);
  run.started_at = j.value("started_at", int64_t{0});
  run.finished_at = j.value("finished_at", int64_t{0});
  if (j.contains("portals") && j["portals"].is_array()) {
    for (const auto& p : j["portals"]) {
      if (p.is_string()) run.portals.push_back(p.get<std::string>());
    }
  }
  run.seeded = j.value("seeded", true);
  return run;
}

void AddUnique(json* array, const std::string& value) {
  if (value.empty()) return;
  if (!array->is_array()) *array = json::array();
  for (const auto& v : *array) {
    if (v == value) return;
  }
  array->push_back(value);
}

}  // namespace

namespace {

// RocksDB's own log, written to nianbao's (standard error) at warning and
// above instead of a LOG file in the database directory: on a full disk
// RocksDB writes its error to that file, and its writer, refusing a second
// failed write, aborts the process (an assertion in Debian's build).
class RocksLogger : public rocksdb::Logger {
 public:
  explicit RocksLogger(rocksdb::InfoLogLevel level) : rocksdb::Logger(level) {}
  using rocksdb::Logger::Logv;
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel()) return;
    char text[1024];
    std::vsnprintf(text, sizeof text, format, ap);
    Log(level >= rocksdb::InfoLogLevel::ERROR_LEVEL ? LogLevel::kError : LogLevel::kWarn, "rocksdb",
        {{"message", text}});
  }
  void Logv(const char* format, va_list ap) override { Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap); }
};

// Beside RocksDB's LOCK: who holds the database, for a clear refusal.
constexpr char kHolderFile[] = "HOLDER";
}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const StorageOptions& options, const std::string& owner) {
  auto d = OpenWith(options, /*read_only=*/false);
  if (!d.ok()) {
    if (!d.status().IsBusy()) return d;
    auto holder = HolderOf(options.path);
    std::string who = holder ? "pid " + std::to_string(holder->pid) + ", " + holder->owner : "another process";
    return Status::Busy("database is in use by " + who +
                            "; one process writes a database at a time (stop it first; `nianbao backfill` hands "
                            "its work to a running `nianbao serve`)",
                        options.path);
  }
  // RocksDB's LOCK is ours now: record who we are for processes refused later.
  std::ofstream holder(std::filesystem::path(options.path) / kHolderFile, std::ios::trunc);
  holder << ::getpid() << " " << owner << "\n";
  return d;
}

Result<std::unique_ptr<Database>> Database::OpenReadOnly(const StorageOptions& options) {
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::path(options.path) / "CURRENT", ec)) {
    return Status::NotFound("no database here (run a crawl first)", options.path);
  }
  return OpenWith(options, /*read_only=*/true);
}

std::optional<Database::Holder> Database::HolderOf(const std::string& path) {
  std::ifstream in(std::filesystem::path(path) / kHolderFile);
  Holder h;
  if (!(in >> h.pid) || h.pid <= 0) return std::nullopt;
  std::getline(in >> std::ws, h.owner);
  return h;
}

Result<std::unique_ptr<Database>> Database::OpenWith(const StorageOptions& options, bool read_only) {
  std::unique_ptr<Database> d(new Database());
  d->path_ = options.path;
  d->read_only_ = read_only;
  std::error_code ec;
  if (!read_only) {
    // RocksDB would create a new, empty database over table and log files
    // whose CURRENT is gone, and every later open would fail: refused.
    const std::filesystem::path dir(options.path);
    if (std::filesystem::is_directory(dir, ec) && !std::filesystem::exists(dir / "CURRENT", ec)) {
      for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        const std::string ext = e.path().extension().string();
        if (name.rfind("MANIFEST-", 0) == 0 || ext == ".sst" || ext == ".log" || ext == ".blob") {
          return Status::Corruption("database files (" + name +
                                        ", …) but no CURRENT file: refusing to create a new database over them; "
                                        "see docs/operations.md, Repair",
                                    options.path);
        }
      }
    }
    std::filesystem::create_directories(options.path, ec);
  }
  if (ec) return Status::IOError("cannot create database directory: " + ec.message(), options.path);

  // Sized for a process that runs for months: bounded WAL, info logs,
  // memtables (4 MiB per column family, 16 MiB for raw bodies, 32 MiB in
  // all), block cache (32 MiB, shared) and open files.
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_total_wal_size = 64 << 20;
  db_options.db_write_buffer_size = 32 << 20;
  // A reader replays the writer's log into memtables it never flushes, and
  // RocksDB warns of that: a reader logs errors only.
  static const std::shared_ptr<rocksdb::Logger> writer_log = std::make_shared<RocksLogger>(rocksdb::InfoLogLevel::WARN_LEVEL);
  static const std::shared_ptr<rocksdb::Logger> reader_log = std::make_shared<RocksLogger>(rocksdb::InfoLogLevel::ERROR_LEVEL);
  db_options.info_log = read_only ? reader_log : writer_log;
  db_options.max_open_files = 256;
  db_options.max_background_jobs = 2;

  // One block cache for every column family (by default each would get its
  // own 32 MiB), so memory for reads is bounded as a whole.
  static const std::shared_ptr<rocksdb::Cache> block_cache = rocksdb::NewLRUCache(32 << 20);
  rocksdb::BlockBasedTableOptions table_options;
  table_options.block_cache = block_cache;
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.compression = rocksdb::kLZ4Compression;
  cf_options.write_buffer_size = 4 << 20;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table_options));
  rocksdb::ColumnFamilyOptions raw_options = cf_options;
  raw_options.compression = rocksdb::kZSTD;  // raw pages compress ~10x
  raw_options.write_buffer_size = 16 << 20;  // 30 KB values: fewer, larger flushes

  d->names_ = {rocksdb::kDefaultColumnFamilyName, kCfReports, kCfVersions, kCfRaw, kCfFrontier};
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const auto& n : d->names_) cfs.emplace_back(n, n == kCfRaw ? raw_options : cf_options);
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (read_only) {
    // A reader beside a writer is a RocksDB secondary instance: it follows
    // the writer's MANIFEST and replays its WAL, so files the writer flushes
    // and deletes meanwhile cannot leave it with part of the data (a plain
    // read-only open can: issue 12). Its own info log goes to a scratch
    // directory, removed when it closes. A file deleted under a catch-up is
    // a race lost, not damage: tried again, a few times.
    db_options.max_open_files = -1;  // the secondary keeps every table file it reads open
    static std::atomic<unsigned> readers{0};
    d->secondary_dir_ = (std::filesystem::temp_directory_path() /
                         ("nianbao-reader-" + std::to_string(::getpid()) + "-" + std::to_string(readers++)))
                            .string();
    for (int attempt = 0;; ++attempt) {
      std::filesystem::remove_all(d->secondary_dir_, ec);
      std::filesystem::create_directories(d->secondary_dir_, ec);
      if (ec) return Status::IOError("cannot create reader directory: " + ec.message(), d->secondary_dir_);
      raw = nullptr;
      d->handles_.clear();
      s = rocksdb::DB::OpenAsSecondary(db_options, options.path, d->secondary_dir_, cfs, &d->handles_, &raw);
      if (s.ok()) {
        d->db_.reset(raw);
        s = d->db_->TryCatchUpWithPrimary();
        if (s.ok()) break;
        for (auto* h : d->handles_) d->db_->DestroyColumnFamilyHandle(h);
        d->handles_.clear();
        d->db_.reset();
      }
      if (attempt == 4 || !(s.IsIOError() || s.IsPathNotFound() || s.IsNotFound())) {
        std::filesystem::remove_all(d->secondary_dir_, ec);
        return FromRocks(s, options.path);
      }
    }
    return d;
  }
  s = rocksdb::DB::Open(db_options, options.path, cfs, &d->handles_, &raw);
  if (!s.ok()) return FromRocks(s, options.path);
  d->db_.reset(raw);

  {  // URLs in the frontier, for FrontierSize(): counted once, then kept by Commit().
    std::unique_ptr<rocksdb::Iterator> it(d->db_->NewIterator(rocksdb::ReadOptions(), d->cf(kCfFrontier)));
    uint64_t n = 0;
    for (it->Seek(std::string(kFrontierPrefix)); it->Valid() && it->key().starts_with(kFrontierPrefix); it->Next()) ++n;
    if (!it->status().ok()) return FromRocks(it->status(), options.path);
    d->frontier_urls_ = n;
  }

  {  // The queue's next sequence number.
    std::string seq;
    rocksdb::Status qs = d->db_->Get(rocksdb::ReadOptions(), d->cf(kCfFrontier), std::string(kQueueSeqKey), &seq);
    if (qs.ok()) d->next_seq_ = std::strtoull(seq.c_str(), nullptr, 10);
    else if (!qs.IsNotFound()) return FromRocks(qs, options.path);
  }
  std::string format;
  s = d->db_->Get(rocksdb::ReadOptions(), std::string(kFormatKey), &format);
  if (s.IsNotFound()) {
    s = d->db_->Put(rocksdb::WriteOptions(), std::string(kFormatKey), std::string(kFormatValue));
  } else if (s.ok() && format != kFormatValue) {
    return Status::Corruption("unknown database format \"" + format + "\"", options.path);
  }
  if (!s.ok()) return FromRocks(s, options.path);
  return d;
}

Database::~Database() {
  if (db_) {
    // The WAL is synced at close by a synced write, never by SyncWAL():
    // after any failed write RocksDB's WAL writer answers SyncWAL() by
    // aborting the process (an assertion in Debian's build), while a write
    // is refused cleanly once the database holds a background error. What
    // was written before is in the WAL already and is replayed at next open.
    if (!read_only_) {
      rocksdb::WriteOptions wo;
      wo.sync = true;
      db_->Put(wo, std::string(kFormatKey), std::string(kFormatValue)).PermitUncheckedError();
    }
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    db_->Close();
    db_.reset();
  }
  if (!secondary_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(secondary_dir_, ec);
  }
}

rocksdb::ColumnFamilyHandle* Database::cf(const char* name) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return handles_[i];
  }
  return handles_[0];
}

Status Database::Written(const rocksdb::Status& s) {
  if (s.ok()) return Status::OK();
  Status st = FromRocks(s, path_);
  if (s.IsNoSpace() || s.subcode() == rocksdb::Status::kNoSpace) {
    return Status::IOError("disk full: " + st.message() + " (free space and run again: nothing committed is lost)",
                           path_);
  }
  return st;
}

Result<CommitResult> Database::Commit(PageCommit commit) {
  std::lock_guard<std::mutex> lock(commit_mu_);
  rocksdb::WriteBatch batch;
  CommitResult result;
  bool sync = false;
  std::set<std::string> queued_here;
  uint64_t new_urls = 0;
  for (auto& e : commit.frontier) {
    if (e.state == FrontierEntry::State::kPending && e.queue_seq == 0) {
      // Newly scheduled: once per run, and queued.
      if (!queued_here.insert(e.key()).second) continue;
      std::string old;
      rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(kCfFrontier), FrontierKey(e.key()), &old);
      if (!s.ok() && !s.IsNotFound()) return FromRocks(s, FrontierKey(e.key()));
      new_urls += s.IsNotFound();
      if (s.ok()) {
        auto before = DecodeEntry(e.key(), old);
        if (before && before->run == e.run) continue;  // already scheduled in this run
      }
      e.queue_seq = next_seq_++;
      batch.Put(cf(kCfFrontier), QueueKey(e.run, e.portal, e.queue_seq), e.key());
      batch.Put(cf(kCfFrontier), std::string(kQueueSeqKey), std::to_string(next_seq_));
    } else if (e.state != FrontierEntry::State::kPending && e.queue_seq != 0) {
      batch.Delete(cf(kCfFrontier), QueueKey(e.run, e.portal, e.queue_seq));  // leaves the queue with its outcome
      e.queue_seq = 0;
    }
    batch.Put(cf(kCfFrontier), FrontierKey(e.key()), EncodeEntry(e));
  }
  if (commit.listing_body) {
    batch.Put(cf(kCfFrontier), ListingBodyKey(commit.listing_body->first), commit.listing_body->second);
  }
  if (commit.run) {
    batch.Put(cf(kCfFrontier), std::string(kRunKey), EncodeRun(*commit.run));
    sync = true;
  }
  for (const std::string& report_id : commit.gone) {
    std::string text;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(kCfReports), ReportKey(report_id), &text);
    if (s.IsNotFound()) continue;
    if (!s.ok()) return FromRocks(s, ReportKey(report_id));
    json head = json::parse(text, nullptr, false);
    if (head.is_discarded()) return Status::Corruption("unreadable report head", ReportKey(report_id));
    head["status"] = "gone";
    batch.Put(cf(kCfReports), ReportKey(report_id), head.dump());
  }
  if (commit.report) {
    ReportCandidate& c = *commit.report;
    std::string head_text;
    std::string report_id = c.report_id;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(kCfReports), ReportKey(report_id), &head_text);
    if (s.IsNotFound()) {
      // A repost: the same content already stored under another URL.
      std::string other;
      rocksdb::Status cs = db_->Get(rocksdb::ReadOptions(), cf(kCfReports), ContentIndexKey(c.content_sha256), &other);
      if (cs.ok() && other != report_id) {
        s = db_->Get(rocksdb::ReadOptions(), cf(kCfReports), ReportKey(other), &head_text);
        if (s.ok()) {
          report_id = other;
          result.repost = true;
        }
      } else if (!cs.ok() && !cs.IsNotFound()) {
        return FromRocks(cs, path_);
      }
    }
    if (!s.ok() && !s.IsNotFound()) return FromRocks(s, path_);
    json head = s.ok() ? json::parse(head_text, nullptr, false) : json::object();
    if (head.is_discarded()) return Status::Corruption("unreadable report head", ReportKey(report_id));
    uint32_t latest = head.value("latest_version", 0u);
    if (result.repost) {
      AddUnique(&head["also_at"], c.url);
    } else {
      if (!head.contains("url")) head["url"] = c.url;
      AddUnique(&head["found_on"], c.found_on);
    }
    if (head.value("content_sha256", "") != c.content_sha256 && !result.repost) {
      ++latest;
      result.new_version = true;
      json record = std::move(c.record);
      record["found_on"] = head.contains("found_on") ? head["found_on"] : json::array();
      record["also_at"] = head.contains("also_at") ? head["also_at"] : json::array();
      if (record.contains("version")) {
        record["version"] = latest;  // in its place of record.md's key order
      } else {
        // Keep record.md's key order: version right after report_id.
        json ordered;
        for (auto it = record.begin(); it != record.end(); ++it) {
          ordered[it.key()] = std::move(it.value());
          if (it.key() == "report_id") ordered["version"] = latest;
        }
        record = std::move(ordered);
      }
      batch.Put(cf(kCfVersions), VersionKey(report_id, latest), record.dump());
      head["report_id"] = report_id;
      head["latest_version"] = latest;
      head["content_sha256"] = c.content_sha256;
      head["status"] = "live";
      batch.Put(cf(kCfReports), ContentIndexKey(c.content_sha256), report_id);
      sync = true;
    }
    if (!result.repost) head["status"] = "live";  // answered again: no longer gone
    head["last_seen"] = static_cast<int64_t>(std::time(nullptr));
    batch.Put(cf(kCfReports), ReportKey(report_id), head.dump());
    result.report_id = report_id;
    result.version = latest;
  }
  // Raw bodies are kept for the versions that name them (raw_sha256,
  // attachments): a page whose content did not change adds none (a refresh
  // would otherwise rewrite every page it revisits).
  if (!commit.report || result.new_version) {
    for (const auto& [sha, bytes] : commit.raw) batch.Put(cf(kCfRaw), sha, bytes);
  }
  // Written to the WAL now (a process crash loses nothing); a batch with a
  // new version or a run record is fsync'ed before Commit returns. The sync
  // is the write's own: a SyncWAL() after another thread's failed write
  // would abort the process (see ~Database).
  rocksdb::WriteOptions wo;
  wo.sync = sync;
  if (Status s = Written(db_->Write(wo, &batch)); !s.ok()) return s;
  frontier_urls_ += new_urls;
  return result;
}

Result<std::optional<FrontierEntry>> Database::GetFrontier(const std::string& key) {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(kCfFrontier), FrontierKey(key), &value);
  if (s.IsNotFound()) return std::optional<FrontierEntry>();
  if (!s.ok()) return FromRocks(s, key);
  auto e = DecodeEntry(key, value);
  if (!e) return Status::Corruption("unreadable frontier entry", FrontierKey(key));
  return e;
}

Result<std::vector<FrontierEntry>> Database::QueuedFrontier(uint64_t run, const std::string& portal, uint64_t after,
                                                            size_t limit) {
  std::vector<FrontierEntry> out;
  const std::string prefix = QueuePrefix(run, portal);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(kCfFrontier)));
  for (it->Seek(QueueKey(run, portal, after + 1)); it->Valid() && it->key().starts_with(prefix) && out.size() < limit;
       it->Next()) {
    std::string url = it->value().ToString();
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(kCfFrontier), FrontierKey(url), &value);
    if (s.IsNotFound()) continue;
    if (!s.ok()) return FromRocks(s, FrontierKey(url));
    auto e = DecodeEntry(url, value);
    if (e && e->state == FrontierEntry::State::kPending && e->run == run) out.push_back(std::move(*e));
  }
  if (!it->status().ok()) return FromRocks(it->status(), path_);
  return out;
}

Status Database::Backup(const std::string& dir) {
  if (read_only_) return Status::Unsupported("a backup is taken by the process that writes the database", path_);
  const std::filesystem::path target(dir);
  std::error_code ec;
  if (!target.is_absolute()) return Status::InvalidArgument("the backup directory must be an absolute path", dir);
  if (std::filesystem::exists(target, ec)) return Status::InvalidArgument("the backup directory already exists", dir);
  rocksdb::Checkpoint* raw = nullptr;
  if (Status s = FromRocks(rocksdb::Checkpoint::Create(db_.get(), &raw), path_); !s.ok()) return s;
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  Status s = FromRocks(checkpoint->CreateCheckpoint(dir), dir);
  if (!s.ok()) return s;
  // The holder file names the writer of the original, not of the copy.
  std::filesystem::remove(target / kHolderFile, ec);
  return Status::OK();
}

Result<Database::Verification> Database::Verify() {
  Verification v;
  auto problem = [&](std::string what) {
    if (v.problems.size() < 100) v.problems.push_back(std::move(what));
    ++v.problem_count;
  };
  // Table files, block by block (VerifyChecksum reads every block of every
  // live table file of every column family).
  rocksdb::Status cs = db_->VerifyChecksum(rocksdb::ReadOptions());
  if (!cs.ok()) problem("table files: " + cs.ToString());
  // Records.
  rocksdb::ReadOptions ro;
  ro.verify_checksums = true;
  auto raw_present = [&](const std::string& sha, const std::string& of) {
    if (sha.empty()) return;
    rocksdb::PinnableSlice value;
    rocksdb::Status s = db_->Get(ro, cf(kCfRaw), sha, &value);
    if (s.ok()) {
      ++v.raw_bodies;
    } else {
      problem(of + ": raw body " + sha + (s.IsNotFound() ? " missing" : ": " + s.ToString()));
    }
  };
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(kCfReports)));
  for (it->Seek(std::string(kReportPrefix)); it->Valid() && it->key().starts_with(kReportPrefix); it->Next()) {
    ++v.reports;
    const std::string key = it->key().ToString();
    json head = json::parse(it->value().ToString(), nullptr, false);
    if (!head.is_object() || !head.contains("report_id") || !head["report_id"].is_string()) {
      problem(key + ": unreadable report head");
      continue;
    }
    const std::string id = head["report_id"].get<std::string>();
    const unsigned latest = head.value("latest_version", 0u);
    if (latest == 0) problem(key + ": head names no version");
    for (unsigned n = 1; n <= latest; ++n) {
      std::string text;
      rocksdb::Status s = db_->Get(ro, cf(kCfVersions), VersionKey(id, n), &text);
      const std::string of = "report " + id + " version " + std::to_string(n);
      if (!s.ok()) {
        problem(of + (s.IsNotFound() ? ": missing" : ": " + s.ToString()));
        continue;
      }
      ++v.versions;
      json r = json::parse(text, nullptr, false);
      if (!r.is_object()) {
        problem(of + ": unreadable record");
        continue;
      }
      if (r.contains("raw_sha256") && r["raw_sha256"].is_string()) raw_present(r["raw_sha256"].get<std::string>(), of);
      if (r.contains("attachments") && r["attachments"].is_array()) {
        for (const auto& a : r["attachments"]) {
          if (a.is_object() && a.contains("sha256") && a["sha256"].is_string()) raw_present(a["sha256"].get<std::string>(), of);
        }
      }
    }
  }
  if (!it->status().ok()) problem("reports: " + it->status().ToString());
  return v;
}

Result<std::map<std::string, uint64_t>> Database::ListingPagesRead(uint64_t run) {
  std::map<std::string, uint64_t> read;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(kCfFrontier)));
  for (it->Seek(std::string(kFrontierPrefix)); it->Valid() && it->key().starts_with(kFrontierPrefix); it->Next()) {
    const std::string key = it->key().ToString().substr(kFrontierPrefix.size());
    auto e = DecodeEntry(key, it->value().ToString());
    if (e && e->run == run && e->kind == FrontierEntry::Kind::kListing && e->state != FrontierEntry::State::kPending) {
      ++read[e->portal];
    }
  }
  if (!it->status().ok()) return FromRocks(it->status(), path_);
  return read;
}

Result<uint64_t> Database::QueueKnownDetails(const CrawlRun& run, const std::function<bool(const std::string&)>& include,
                                             std::map<std::string, uint64_t>* kept) {
  uint64_t queued = 0;
  PageCommit batch;
  auto flush = [&]() -> Status {
    queued += batch.frontier.size();
    auto r = Commit(std::move(batch));
    batch = PageCommit();
    return r.status();
  };
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(kCfFrontier)));
  for (it->Seek(std::string(kFrontierPrefix)); it->Valid() && it->key().starts_with(kFrontierPrefix); it->Next()) {
    std::string_view url(it->key().data() + kFrontierPrefix.size(), it->key().size() - kFrontierPrefix.size());
    auto e = DecodeEntry(url, it->value().ToString());
    if (!e || e->run == run.id) continue;
    const bool known_detail = e->kind == FrontierEntry::Kind::kDetail && e->fetched_at != 0;
    const bool left_pending = e->state == FrontierEntry::State::kPending;
    if (!known_detail && !left_pending) continue;
    if (!include(e->portal)) {
      if (left_pending && kept) ++(*kept)[e->portal];
      continue;
    }
    e->state = FrontierEntry::State::kPending;
    e->run = run.id;
    e->queue_seq = 0;
    batch.frontier.push_back(std::move(*e));
    if (batch.frontier.size() >= 1000) {
      if (Status s = flush(); !s.ok()) return s;
    }
  }
  if (!it->status().ok()) return FromRocks(it->status(), path_);
  batch.run = run;
  batch.run->seeded = true;
  batch.run->resumed = false;
  if (Status s = flush(); !s.ok()) return s;
  return queued;
}

Result<std::optional<CrawlRun>> Database::UnfinishedRun() {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(kCfFrontier), std::string(kRunKey), &value);
  if (s.IsNotFound()) return std::optional<CrawlRun>();
  if (!s.ok()) return FromRocks(s, path_);
  auto run = DecodeRun(value);
  if (!run) return Status::Corruption("unreadable crawl run", std::string(kRunKey));
  if (run->finished_at != 0) return std::optional<CrawlRun>();
  run->resumed = true;
  return run;
}

Result<CrawlRun> Database::BeginRun(const CrawlRun& asked,
                                   const std::function<std::vector<FrontierEntry>(uint64_t id)>& seeds) {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(kCfFrontier), std::string(kRunKey), &value);
  if (!s.ok() && !s.IsNotFound()) return FromRocks(s, path_);
  uint64_t last_id = 0;
  if (s.ok()) {
    auto last = DecodeRun(value);
    if (!last) return Status::Corruption("unreadable crawl run", std::string(kRunKey));
    if (last->finished_at == 0) {
      last->resumed = true;
      return *last;
    }
    last_id = last->id;
  }
  CrawlRun run = asked;
  run.id = last_id + 1;
  run.started_at = std::time(nullptr);
  run.finished_at = 0;
  run.resumed = false;
  PageCommit first;
  first.frontier = seeds(run.id);
  first.run = run;
  auto r = Commit(std::move(first));  // synced: it carries the run record
  if (!r.ok()) return r.status();
  return run;
}

Status Database::PutState(const std::string& name, const std::string& value) {
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return Written(db_->Put(wo, std::string(kStatePrefix) + name, value));
}

Result<std::optional<std::string>> Database::GetState(const std::string& name) {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), std::string(kStatePrefix) + name, &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, path_);
  return std::optional<std::string>(std::move(value));
}

Status Database::FinishRun(const CrawlRun& run) {
  CrawlRun done = run;
  done.finished_at = std::time(nullptr);
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return Written(db_->Put(wo, cf(kCfFrontier), std::string(kRunKey), EncodeRun(done)));
}

Status Database::ForEachLatest(const std::function<bool(const std::string&)>& fn) {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(kCfReports)));
  for (it->Seek(std::string(kReportPrefix)); it->Valid() && it->key().starts_with(kReportPrefix); it->Next()) {
    json head = json::parse(it->value().ToString(), nullptr, false);
    if (head.is_discarded()) return Status::Corruption("unreadable report head", it->key().ToString());
    std::string record;
    std::string key = VersionKey(head.value("report_id", ""), head.value("latest_version", 0u));
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(kCfVersions), key, &record);
    if (!s.ok()) return FromRocks(s, key);
    // Heads carry what changes without a new version: where else it was seen.
    json r = json::parse(record, nullptr, false);
    if (!r.is_discarded()) {
      if (head.contains("found_on")) r["found_on"] = head["found_on"];
      if (head.contains("also_at")) r["also_at"] = head["also_at"];
      if (head.contains("status")) r["status"] = head["status"];
      record = r.dump();
    }
    if (!fn(record)) break;
  }
  return FromRocks(it->status(), path_);
}

Status Database::ForEachVersion(const std::function<bool(const std::string&)>& fn) {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(kCfVersions)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (!fn(it->value().ToString())) break;
  }
  return FromRocks(it->status(), path_);
}

Database::MemoryUsage Database::Memory() {
  MemoryUsage m;
  db_->GetAggregatedIntProperty("rocksdb.cur-size-all-mem-tables", &m.memtables);
  db_->GetAggregatedIntProperty("rocksdb.block-cache-usage", &m.block_cache);
  return m;
}

Result<uint64_t> Database::CountReports() {
  uint64_t n = 0;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(kCfReports)));
  for (it->Seek(std::string(kReportPrefix)); it->Valid() && it->key().starts_with(kReportPrefix); it->Next()) ++n;
  if (!it->status().ok()) return FromRocks(it->status(), path_);
  return n;
}

Result<std::optional<std::string>> Database::ReportHead(const std::string& report_id) {
  std::string value;
  rocksdb::Status st = db_->Get(rocksdb::ReadOptions(), cf(kCfReports), ReportKey(report_id), &value);
  if (st.IsNotFound()) return std::optional<std::string>();
  if (!st.ok()) return FromRocks(st, ReportKey(report_id));
  return std::optional<std::string>(std::move(value));
}

Result<std::vector<std::string>> Database::ReportVersions(const std::string& report_id) {
  std::vector<std::string> out;
  const std::string prefix = report_id + "/";
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(kCfVersions)));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) out.push_back(it->value().ToString());
  if (!it->status().ok()) return FromRocks(it->status(), path_);
  return out;
}

Result<std::optional<std::string>> Database::GetListingBody(const std::string& key) {
  std::string value;
  rocksdb::Status st = db_->Get(rocksdb::ReadOptions(), cf(kCfFrontier), ListingBodyKey(key), &value);
  if (st.IsNotFound()) return std::optional<std::string>();
  if (!st.ok()) return FromRocks(st, ListingBodyKey(key));
  return std::optional<std::string>(std::move(value));
}

Result<std::string> Database::GetRaw(const std::string& raw_sha256) {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(kCfRaw), raw_sha256, &value);
  if (s.IsNotFound()) return Status::NotFound("no raw body", raw_sha256);
  if (!s.ok()) return FromRocks(s, raw_sha256);
  return value;
}

}  // namespace nianbao::store
