#include "store/database.h"

#include <doctest/doctest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <mutex>
#include <vector>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace nianbao;
using namespace nianbao::store;

namespace {

// A new run of `mode` with no seeds (or the unfinished one).
Result<CrawlRun> Begin(Database* db, const std::string& mode) {
  CrawlRun asked;
  asked.mode = mode;
  return db->BeginRun(asked, [](uint64_t) { return std::vector<FrontierEntry>(); });
}


struct TempDir {
  TempDir() {
    path = std::filesystem::temp_directory_path() / ("nianbao-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::filesystem::path path;
  static inline int counter = 0;
};

ReportCandidate Candidate(const std::string& id, const std::string& url, const std::string& sha) {
  ReportCandidate c;
  c.report_id = id;
  c.url = url;
  c.content_sha256 = sha;
  c.found_on = "http://h/index.shtml";
  c.record = {{"schema", "nianbao.report/1"}, {"report_id", id}, {"url", url}, {"content_sha256", sha}};
  return c;
}

// A detail page of portal "p" to queue in `run`.
FrontierEntry Pending(const std::string& url, uint64_t run) {
  FrontierEntry e;
  e.url = url;
  e.portal = "p";
  e.kind = FrontierEntry::Kind::kDetail;
  e.run = run;
  return e;
}

std::unique_ptr<Database> OpenAt(const std::filesystem::path& p) {
  StorageOptions o;
  o.path = p.string();
  auto db = Database::Open(o, "nianbao test");
  REQUIRE_MESSAGE(db.ok(), db.status().ToString());
  return std::move(db.value());
}

}  // namespace

TEST_SUITE("store/database") {
  TEST_CASE("a version only when content_sha256 changes; versions survive reopen") {
    TempDir dir;
    {
      auto db = OpenAt(dir.path);
      PageCommit c1;
      c1.report = Candidate("r1", "http://h/a.html", "sha-a");
      auto r1 = db->Commit(std::move(c1));
      REQUIRE(r1.ok());
      CHECK(r1.value().new_version);
      CHECK(r1.value().version == 1);
      PageCommit same;
      same.report = Candidate("r1", "http://h/a.html", "sha-a");
      auto r2 = db->Commit(std::move(same));
      REQUIRE(r2.ok());
      CHECK_FALSE(r2.value().new_version);
      CHECK(r2.value().version == 1);
      PageCommit changed;
      changed.report = Candidate("r1", "http://h/a.html", "sha-b");
      auto r3 = db->Commit(std::move(changed));
      REQUIRE(r3.ok());
      CHECK(r3.value().new_version);
      CHECK(r3.value().version == 2);
    }
    auto db = OpenAt(dir.path);
    std::vector<std::string> versions;
    REQUIRE(db->ForEachVersion([&](const std::string& r) {
      versions.push_back(r);
      return true;
    }).ok());
    REQUIRE(versions.size() == 2);
    auto first = nlohmann::json::parse(versions[0]);
    auto second = nlohmann::json::parse(versions[1]);
    CHECK(first["version"] == 1);
    CHECK(first["content_sha256"] == "sha-a");
    CHECK(second["version"] == 2);
    CHECK(db->CountReports().value() == 1);
    int latest = 0;
    REQUIRE(db->ForEachLatest([&](const std::string& r) {
      CHECK(nlohmann::json::parse(r)["version"] == 2);
      ++latest;
      return true;
    }).ok());
    CHECK(latest == 1);
  }

  TEST_CASE("the same content at a second URL is one report with also_at") {
    TempDir dir;
    auto db = OpenAt(dir.path);
    PageCommit a;
    a.report = Candidate("r1", "http://h/a.html", "sha-a");
    REQUIRE(db->Commit(std::move(a)).ok());
    PageCommit b;
    b.report = Candidate("r2", "http://mirror/a.html", "sha-a");
    auto rb = db->Commit(std::move(b));
    REQUIRE(rb.ok());
    CHECK(rb.value().repost);
    CHECK(rb.value().report_id == "r1");
    CHECK(db->CountReports().value() == 1);
    REQUIRE(db->ForEachLatest([&](const std::string& r) {
      auto j = nlohmann::json::parse(r);
      CHECK(j["url"] == "http://h/a.html");
      CHECK(j["also_at"] == nlohmann::json::array({"http://mirror/a.html"}));
      return true;
    }).ok());
  }

  TEST_CASE("the frontier queue: scheduled once per run, left when done, resumed after reopen") {
    TempDir dir;
    uint64_t run_id = 0;
    {
      auto db = OpenAt(dir.path);
      auto run = Begin(db.get(), "crawl");
      REQUIRE(run.ok());
      CHECK_FALSE(run.value().resumed);
      run_id = run.value().id;
      PageCommit c;
      for (const char* u : {"http://h/1", "http://h/2", "http://h/3"}) {
        c.frontier.push_back(Pending(u, run_id));
      }
      c.frontier.push_back(Pending("http://h/2", run_id));
      REQUIRE(db->Commit(std::move(c)).ok());
      auto queued = db->QueuedFrontier(run_id, "p", 0, 10);
      REQUIRE(queued.ok());
      REQUIRE(queued.value().size() == 3);  // the repeated URL once
      // A second page finds http://h/1 again: not queued twice.
      PageCommit again;
      again.frontier.push_back(Pending("http://h/1", run_id));
      REQUIRE(db->Commit(std::move(again)).ok());
      // http://h/1 is done: it leaves the queue in the same batch.
      FrontierEntry done = queued.value()[0];
      done.state = FrontierEntry::State::kDone;
      PageCommit finish;
      finish.frontier.push_back(done);
      REQUIRE(db->Commit(std::move(finish)).ok());
      auto bounded = db->QueuedFrontier(run_id, "p", 0, 1);
      REQUIRE(bounded.value().size() == 1);
      CHECK(bounded.value()[0].url == "http://h/2");
    }
    auto db = OpenAt(dir.path);
    auto run = Begin(db.get(), "crawl");
    REQUIRE(run.ok());
    CHECK(run.value().resumed);
    CHECK(run.value().id == run_id);
    auto pending = db->QueuedFrontier(run_id, "p", 0, 100);
    REQUIRE(pending.ok());
    REQUIRE(pending.value().size() == 2);
    CHECK(pending.value()[0].url == "http://h/2");
    CHECK(pending.value()[1].url == "http://h/3");
    auto after = db->QueuedFrontier(run_id, "p", pending.value()[0].queue_seq, 100);
    CHECK(after.value().size() == 1);
    // New entries after a reopen get later sequence numbers than the stored ones.
    PageCommit more;
    more.frontier.push_back(Pending("http://h/4", run_id));
    REQUIRE(db->Commit(std::move(more)).ok());
    auto all = db->QueuedFrontier(run_id, "p", 0, 100);
    REQUIRE(all.value().size() == 3);
    CHECK(all.value()[2].url == "http://h/4");
    REQUIRE(db->FinishRun(run.value()).ok());
    auto next = Begin(db.get(), "crawl");
    CHECK_FALSE(next.value().resumed);
    CHECK(next.value().id == run_id + 1);
  }

  TEST_CASE("a run begins in one batch with its seeds; a crash cannot leave it empty") {
    TempDir dir;
    uint64_t id = 0;
    {
      auto db = OpenAt(dir.path);
      CrawlRun asked;
      asked.mode = "backfill";
      asked.year_min = 2019;
      asked.year_max = 2025;
      asked.portals = {"a"};
      auto run = db->BeginRun(asked, [](uint64_t run_id) {
        std::vector<FrontierEntry> seeds;
        for (const char* u : {"http://h/col/", "http://h/known.html"}) seeds.push_back(Pending(u, run_id));
        return seeds;
      });
      REQUIRE(run.ok());
      id = run.value().id;
    }  // closed at once, as after a kill: nothing else was written
    auto db = OpenAt(dir.path);
    auto again = Begin(db.get(), "crawl");
    REQUIRE(again.ok());
    CHECK(again.value().resumed);
    CHECK(again.value().id == id);
    CHECK(again.value().mode == "backfill");
    CHECK(again.value().portals == std::vector<std::string>{"a"});
    CHECK(again.value().year_min == 2019);
    CrawlRun asked;
    asked.mode = "backfill";
    asked.year_min = 2008;
    asked.year_max = 2025;
    asked.portals = {"a"};
    CHECK_FALSE(again.value().SamePassAs(asked));  // other years: the asked pass must follow
    auto queued = db->QueuedFrontier(id, "p", 0, 10);
    REQUIRE(queued.ok());
    CHECK(queued.value().size() == 2);
  }

  TEST_CASE("one data endpoint POSTed with two forms is two frontier entries") {
    TempDir dir;
    auto db = OpenAt(dir.path);
    auto run = Begin(db.get(), "crawl");
    REQUIRE(run.ok());
    PageCommit c;
    for (const char* form : {"columnid=1", "columnid=2", "columnid=1"}) {
      FrontierEntry e = Pending("http://h/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45", run.value().id);
      e.post_form = form;
      c.frontier.push_back(e);
    }
    REQUIRE(db->Commit(std::move(c)).ok());
    auto queued = db->QueuedFrontier(run.value().id, "p", 0, 10);
    REQUIRE(queued.ok());
    REQUIRE(queued.value().size() == 2);
    CHECK(queued.value()[0].post_form == "columnid=1");
    CHECK(queued.value()[1].post_form == "columnid=2");
    CHECK(queued.value()[1].url == "http://h/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45");
    auto got = db->GetFrontier(queued.value()[1].key());
    REQUIRE(got.ok());
    REQUIRE(got.value().has_value());
    CHECK(got.value()->post_form == "columnid=2");
  }

  TEST_CASE("a report marked gone in the batch of the page that answered 404") {
    TempDir dir;
    auto db = OpenAt(dir.path);
    PageCommit c;
    c.report = Candidate("r1", "http://a/1.html", "sha-1");
    REQUIRE(db->Commit(std::move(c)).ok());
    PageCommit gone;
    FrontierEntry page = Pending("http://a/1.html", 1);
    page.state = FrontierEntry::State::kFailed;
    gone.frontier.push_back(page);
    gone.gone.push_back("r1");
    REQUIRE(db->Commit(std::move(gone)).ok());
    int seen = 0;
    REQUIRE(db->ForEachLatest([&](const std::string& record) {
      CHECK(nlohmann::json::parse(record)["status"] == "gone");
      ++seen;
      return true;
    }).ok());
    CHECK(seen == 1);
  }

  TEST_CASE("raw bodies are kept with the versions that name them, not for unchanged pages") {
    TempDir dir;
    auto db = OpenAt(dir.path);
    PageCommit first;
    first.report = Candidate("r1", "http://h/a.html", "sha-a");
    first.raw.emplace_back("raw-1", "<html>1</html>");
    REQUIRE(db->Commit(std::move(first)).value().new_version);
    PageCommit same;  // the same content again, the page's chrome changed
    same.report = Candidate("r1", "http://h/a.html", "sha-a");
    same.raw.emplace_back("raw-2", "<html>2</html>");
    REQUIRE_FALSE(db->Commit(std::move(same)).value().new_version);
    CHECK(db->GetRaw("raw-1").value() == "<html>1</html>");
    CHECK_FALSE(db->GetRaw("raw-2").ok());
    PageCommit changed;
    changed.report = Candidate("r1", "http://h/a.html", "sha-b");
    changed.raw.emplace_back("raw-3", "<html>3</html>");
    REQUIRE(db->Commit(std::move(changed)).value().new_version);
    CHECK(db->GetRaw("raw-3").value() == "<html>3</html>");
  }

  TEST_CASE("FrontierSize counts every URL once, across runs and reopens") {
    TempDir dir;
    {
      auto db = OpenAt(dir.path);
      CHECK(db->FrontierSize() == 0);
      PageCommit c;
      c.frontier = {Pending("http://h/1", 1), Pending("http://h/2", 1), Pending("http://h/2", 1)};
      REQUIRE(db->Commit(std::move(c)).ok());
      CHECK(db->FrontierSize() == 2);
      PageCommit again;  // the same URL in a later run, and one new
      again.frontier = {Pending("http://h/1", 2), Pending("http://h/3", 2)};
      REQUIRE(db->Commit(std::move(again)).ok());
      CHECK(db->FrontierSize() == 3);
    }
    auto reopened = OpenAt(dir.path);
    CHECK(reopened->FrontierSize() == 3);
  }

  TEST_CASE("a second open of the same database is refused as busy") {
    TempDir dir;
    auto db = OpenAt(dir.path);
    StorageOptions o;
    o.path = dir.path.string();
    auto second = Database::Open(o, "nianbao crawl");
    REQUIRE_FALSE(second.ok());
    CHECK(second.status().IsBusy());
    // The refusal names the holder recorded by the first Open().
    const std::string msg = second.status().ToString();
    CHECK(msg.find("in use by pid " + std::to_string(::getpid()) + ", nianbao test") != std::string::npos);
    auto holder = Database::HolderOf(o.path);
    REQUIRE(holder.has_value());
    CHECK(holder->pid == ::getpid());
    CHECK(holder->owner == "nianbao test");
  }

  TEST_CASE("a read-only open works beside the writer, sees its data and refuses writes") {
    TempDir dir;
    StorageOptions o;
    o.path = dir.path.string();
    CHECK(Database::OpenReadOnly(o).status().IsNotFound());  // nothing there yet
    auto writer = OpenAt(dir.path);
    auto run = Begin(writer.get(), "crawl");
    REQUIRE(run.ok());
    PageCommit c;
    c.report = Candidate("r1", "http://a/1.html", "sha-1");
    REQUIRE(writer->Commit(std::move(c)).ok());
    auto reader = Database::OpenReadOnly(o);
    REQUIRE(reader.ok());
    CHECK(reader.value()->CountReports().value() == 1);
    PageCommit w;
    w.report = Candidate("r2", "http://a/2.html", "sha-2");
    CHECK_FALSE(reader.value()->Commit(std::move(w)).ok());
    CHECK(writer->CountReports().value() == 1);
  }
}

TEST_CASE("a reader opened beside a busy writer sees every report committed before it opened") {
  // The writer commits reports with 100 KB raw bodies (WAL files fill, are
  // flushed and deleted as it goes); readers open in a loop, each noting how
  // many commits had returned before it opened, and must count at least
  // that many reports. An export must never be a silent subset.
  TempDir dir;
  auto writer = OpenAt(dir.path);
  StorageOptions o;
  o.path = dir.path.string();
  std::atomic<int> committed{0};
  std::atomic<bool> done{false};
  std::thread w([&] {
    std::string body(100 << 10, 'x');
    for (int i = 0; i < 20000 && !done; ++i) {
      std::memcpy(body.data(), &i, sizeof i);
      for (size_t k = sizeof i; k < body.size(); k += 4096) body[k] = static_cast<char>(i * 31 + k);
      PageCommit c;
      const std::string id = "r" + std::to_string(i);
      c.raw = {{"raw-" + id, body}};
      c.report = Candidate(id, "http://h/" + id + ".html", "sha-" + id);
      REQUIRE(writer->Commit(std::move(c)).ok());
      committed = i + 1;
    }
    done = true;
  });
  int opens = 0, short_reads = 0, failures = 0;
  std::string first_failure;
  while (!done) {
    if (opens == 30) done = true;  // the writer stops; this last reader still counts
    const int before = committed;
    auto reader = Database::OpenReadOnly(o);
    ++opens;
    if (!reader.ok()) {
      if (failures++ == 0) first_failure = reader.status().ToString();
      continue;
    }
    auto n = reader.value()->CountReports();
    if (!n.ok()) {
      if (failures++ == 0) first_failure = n.status().ToString();
      continue;
    }
    if (n.value() < static_cast<uint64_t>(before)) ++short_reads;
  }
  w.join();
  CAPTURE(opens);
  CAPTURE(first_failure);
  CHECK(opens >= 30);
  CHECK(short_reads == 0);
  CHECK(failures == 0);
}

TEST_CASE("a database whose CURRENT is gone is never initialised over") {
  TempDir dir;
  {
    auto db = OpenAt(dir.path);
    PageCommit c;
    c.report = Candidate("r1", "http://a/1.html", "sha-1");
    REQUIRE(db->Commit(std::move(c)).ok());
  }
  std::filesystem::remove(dir.path / "CURRENT");
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path)) files += e.is_regular_file();
  StorageOptions o;
  o.path = dir.path.string();
  auto reopened = Database::Open(o, "nianbao test");
  REQUIRE_FALSE(reopened.ok());
  CHECK(reopened.status().IsCorruption());
  CHECK(reopened.status().ToString().find("no CURRENT") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.path / "CURRENT"));  // nothing written over the old files
  size_t after = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path)) after += e.is_regular_file();
  CHECK(after == files);
}

TEST_CASE("a write that fails while other threads commit ends in errors, not an abort, and loses nothing") {
  // A file-size limit makes the WAL append fail as a full disk does, while
  // four threads commit new versions. Before, a thread whose write had
  // succeeded then called SyncWAL() on the WAL writer another thread's write
  // had just failed on, and RocksDB aborted the process (CI saw it once in a
  // crawl). Each round runs in a child process; the parent checks the child
  // ended normally and that every commit it was told of is in the database.
  for (int round = 0; round < 12; ++round) {
    TempDir dir;
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      ::close(fds[0]);
      std::signal(SIGXFSZ, SIG_IGN);
      const rlimit limit{512 << 10, 512 << 10};
      ::setrlimit(RLIMIT_FSIZE, &limit);
      StorageOptions o;
      o.path = dir.path.string();
      auto db = Database::Open(o, "nianbao test");
      if (!db.ok()) ::_exit(3);
      std::mutex out_mu;
      std::atomic<int> failed{0};
      std::vector<std::thread> threads;
      for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
          std::string body(8 << 10, static_cast<char>('a' + t));
          for (int i = 0; i < 400 && failed == 0; ++i) {
            const std::string id = "r" + std::to_string(t) + "-" + std::to_string(i);
            std::memcpy(body.data(), id.data(), id.size());
            PageCommit c;
            c.raw = {{"raw-" + id, body}};
            c.report = Candidate(id, "http://h/" + id + ".html", "sha-" + id);
            if (!db.value()->Commit(std::move(c)).ok()) {
              ++failed;
              return;
            }
            std::lock_guard<std::mutex> lock(out_mu);
            const std::string line = id + "\n";
            if (::write(fds[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) ::_exit(4);
          }
        });
      }
      for (auto& th : threads) th.join();
      db.value().reset();
      ::_exit(failed > 0 ? 0 : 5);
    }
    ::close(fds[1]);
    std::string told;
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) told.append(buf, static_cast<size_t>(n));
    ::close(fds[0]);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CAPTURE(round);
    REQUIRE_MESSAGE(WIFEXITED(status), "the child died of signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0));
    REQUIRE(WEXITSTATUS(status) == 0);  // some write failed, and said so
    auto db = OpenAt(dir.path);
    size_t checked = 0;
    for (size_t at = 0, end; (end = told.find('\n', at)) != std::string::npos; at = end + 1, ++checked) {
      const std::string id = told.substr(at, end - at);
      CHECK_MESSAGE(db->GetRaw("raw-" + id).ok(), id);
    }
    CHECK(checked > 0);
  }
}

TEST_CASE("verify reads every block and every record, and names what is damaged") {
  TempDir dir;
  const std::filesystem::path db_dir = dir.path / "db";
  {
    auto db = OpenAt(db_dir);
    // 24 raw bodies of 1 MiB: more than the raw memtable holds, so they are
    // flushed to a table file.
    std::string body(1 << 20, 'x');
    for (int i = 0; i < 24; ++i) {
      for (size_t k = 0; k < body.size(); k += 64) body[k] = static_cast<char>(i * 131 + k * 7);
      PageCommit c;
      const std::string id = "r" + std::to_string(i);
      c.raw = {{"raw-" + id, body}};
      c.report = Candidate(id, "http://h/" + id + ".html", "sha-" + id);
      c.report->record["raw_sha256"] = "raw-" + id;
      REQUIRE(db->Commit(std::move(c)).ok());
    }
    PageCommit orphan;  // a version naming a body that was never stored
    orphan.report = Candidate("r-orphan", "http://h/orphan.html", "sha-orphan");
    orphan.report->record["raw_sha256"] = "raw-never-stored";
    REQUIRE(db->Commit(std::move(orphan)).ok());
  }
  StorageOptions o;
  o.path = db_dir.string();
  {
    auto reader = Database::OpenReadOnly(o);
    REQUIRE(reader.ok());
    auto v = reader.value()->Verify();
    REQUIRE(v.ok());
    CHECK(v.value().reports == 25);
    CHECK(v.value().versions == 25);
    CHECK(v.value().raw_bodies == 24);
    REQUIRE(v.value().problem_count == 1);
    CHECK(v.value().problems[0].find("raw-never-stored missing") != std::string::npos);
  }
  // A flipped byte in the middle of the largest table file (the raw bodies).
  std::filesystem::path largest;
  for (const auto& e : std::filesystem::directory_iterator(db_dir)) {
    if (e.path().extension() == ".sst" && (largest.empty() || e.file_size() > std::filesystem::file_size(largest))) largest = e.path();
  }
  REQUIRE_FALSE(largest.empty());
  {
    std::fstream f(largest, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(std::filesystem::file_size(largest) / 2));
    char c = 0;
    f.read(&c, 1);
    c = static_cast<char>(c ^ 0x5a);
    f.seekp(static_cast<std::streamoff>(std::filesystem::file_size(largest) / 2));
    f.write(&c, 1);
  }
  auto reader = Database::OpenReadOnly(o);
  REQUIRE(reader.ok());
  auto v = reader.value()->Verify();
  REQUIRE(v.ok());
  CHECK_FALSE(v.value().ok());
  bool named = false;
  for (const auto& p : v.value().problems) named = named || p.find("Corruption") != std::string::npos;
  CHECK(named);
}
