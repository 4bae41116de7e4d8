// nianbao reextract over a real RocksDB: a version stored by an older
// extractor (a different content hash) gets exactly one new version from
// the stored raw bytes; running it again adds none.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/hash.h"
#include "config/url.h"
#include "daemon/commands.h"
#include "daemon/reextract.h"
#include "store/database.h"

using namespace nianbao;

TEST_CASE("reextract adds a version only where the extracted content changed") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("nianbao-reextract-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ifstream page(std::string(NIANBAO_TEST_DATA) + "/seeds/002.html", std::ios::binary);
  std::ostringstream bytes;
  bytes << page.rdbuf();
  REQUIRE(!bytes.str().empty());
  const std::string url = "http://www.example.gov.cn/nb/t20250126_1.shtml";
  const std::string raw_sha = Sha256Hex(bytes.str());
  {
    StorageOptions so;
    so.path = (dir / "db").string();
    auto db = store::Database::Open(so);
    REQUIRE(db.ok());
    store::PageCommit c;
    c.raw = {{raw_sha, bytes.str()}};
    store::ReportCandidate rc;
    rc.report_id = ReportIdForCanonicalUrl(url);
    rc.url = url;
    rc.content_sha256 = "made-by-an-older-extractor";
    rc.record = {{"schema", "nianbao.report/1"}, {"report_id", rc.report_id}, {"url", url}, {"portal", "p"},
                 {"http", {{"status", 200}, {"charset", "utf-8"}}}, {"raw_sha256", raw_sha},
                 {"content_sha256", rc.content_sha256}};
    c.report = rc;
    REQUIRE(db.value()->Commit(std::move(c)).ok());
  }
  std::ofstream(dir / "c.yaml") << "storage:\n  path: " << (dir / "db").string() << "\n";
  CommandLine cl;
  cl.command = "reextract";
  cl.config_path = (dir / "c.yaml").string();
  CHECK(RunReextract(cl) == 0);
  CHECK(RunReextract(cl) == 0);
  StorageOptions so;
  so.path = (dir / "db").string();
  auto db = store::Database::Open(so);
  REQUIRE(db.ok());
  std::vector<nlohmann::json> versions;
  REQUIRE(db.value()->ForEachVersion([&](const std::string& r) {
    versions.push_back(nlohmann::json::parse(r));
    return true;
  }).ok());
  REQUIRE(versions.size() == 2);
  CHECK(versions[1]["version"] == 2);
  CHECK(versions[1]["agency"] == "重庆市潼南区人民政府办公室");
  CHECK(versions[1]["fields"]["t2.art20_1.normative_docs.issued"]["value"] == 7);
  CHECK(versions[1]["raw_sha256"] == raw_sha);
  CHECK(versions[1]["url"] == url);
  db.value().reset();
  fs::remove_all(dir);
}

namespace {

// A database at `dir` holding every page of tests/data/reports as stored by
// an older extractor; returns how many.
size_t StoreOldRecords(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  StorageOptions so;
  so.path = dir.string();
  auto db = store::Database::Open(so);
  REQUIRE(db.ok());
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(std::string(NIANBAO_TEST_DATA) + "/reports")) {
    const std::string ext = e.path().extension().string();
    if (ext != ".html" && ext != ".pdf" && ext != ".docx") continue;
    std::ifstream f(e.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << f.rdbuf();
    const std::string url = "http://www.example.gov.cn/nb/" + e.path().filename().string();
    const std::string raw_sha = Sha256Hex(bytes.str());
    store::PageCommit c;
    c.raw = {{raw_sha, bytes.str()}};
    store::ReportCandidate rc;
    rc.report_id = ReportIdForCanonicalUrl(url);
    rc.url = url;
    rc.content_sha256 = "older-extractor-" + raw_sha;  // distinct: equal content is one report
    rc.record = {{"schema", "nianbao.report/1"}, {"report_id", rc.report_id}, {"url", url}, {"portal", "p"},
                 {"http", {{"status", 200}}}, {"fetched_at", "2026-01-02T03:04:05Z"}, {"raw_sha256", raw_sha},
                 {"content_sha256", rc.content_sha256}};
    c.report = rc;
    REQUIRE(db.value()->Commit(std::move(c)).ok());
    ++n;
  }
  return n;
}

std::vector<std::string> AllVersions(const std::filesystem::path& dir) {
  StorageOptions so;
  so.path = dir.string();
  auto db = store::Database::Open(so);
  REQUIRE(db.ok());
  std::vector<std::string> out;
  REQUIRE(db.value()->ForEachVersion([&](const std::string& r) {
    out.push_back(r);
    return true;
  }).ok());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("reextract on several workers writes the same records as on one") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("nianbao-reextract-jobs-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const size_t n = StoreOldRecords(dir / "one");
  REQUIRE(n >= 30);
  fs::copy(dir / "one", dir / "four", fs::copy_options::recursive);
  for (auto [name, jobs] : {std::pair{"one", 1u}, std::pair{"four", 4u}}) {
    StorageOptions so;
    so.path = (dir / name).string();
    auto db = store::Database::Open(so);
    REQUIRE(db.ok());
    auto stats = Reextract(db.value().get(), jobs);
    REQUIRE_MESSAGE(stats.ok(), stats.status().ToString());
    CHECK(stats.value().reports == n);
    CHECK(stats.value().reextracted == n);
    CHECK(stats.value().added == n);  // every content hash differs from the older extractor's
    CHECK(stats.value().failed == 0);
    // Again: nothing changed, so no version is added.
    auto again = Reextract(db.value().get(), jobs);
    REQUIRE(again.ok());
    CHECK(again.value().added == 0);
  }
  std::vector<std::string> one = AllVersions(dir / "one"), four = AllVersions(dir / "four");
  CHECK(one.size() == 2 * n);
  CHECK(one == four);
  fs::remove_all(dir);
}
