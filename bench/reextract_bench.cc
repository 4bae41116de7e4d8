// nianbao reextract's speed-up from its workers, on a real RocksDB:
//
//   reextract_bench [copies] [jobs...]
//
// Stores every page of tests/data/reports `copies` times (default 8) under
// distinct URLs as an older extractor's records, copies the database once
// per measurement, and times Reextract on each copy with 1, 2, … workers
// (default: 1 and 2). Prints reports/s, the speed-up over one worker, and
// whether the records written are identical to the one-worker run's.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "config/hash.h"
#include "config/url.h"
#include "daemon/reextract.h"
#include "store/database.h"

namespace fs = std::filesystem;
using namespace nianbao;

namespace {

std::unique_ptr<store::Database> Open(const fs::path& dir) {
  StorageOptions so;
  so.path = dir.string();
  auto db = store::Database::Open(so);
  if (!db.ok()) {
    std::fprintf(stderr, "%s\n", db.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(db.value());
}

size_t Fill(const fs::path& dir, int copies) {
  auto db = Open(dir);
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(NIANBAO_BENCH_REPORTS)) {
    const std::string ext = e.path().extension().string();
    if (ext != ".html" && ext != ".pdf" && ext != ".docx") continue;
    std::ifstream f(e.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << f.rdbuf();
    const std::string raw_sha = Sha256Hex(bytes.str());
    for (int k = 0; k < copies; ++k) {
      const std::string url = "http://www.example.gov.cn/nb/" + std::to_string(k) + "/" + e.path().filename().string();
      store::PageCommit c;
      c.raw = {{raw_sha, bytes.str()}};
      store::ReportCandidate rc;
      rc.report_id = ReportIdForCanonicalUrl(url);
      rc.url = url;
      rc.content_sha256 = "older-" + rc.report_id;
      rc.record = {{"schema", "nianbao.report/1"}, {"report_id", rc.report_id}, {"url", url}, {"portal", "p"},
                   {"http", {{"status", 200}}}, {"raw_sha256", raw_sha}, {"content_sha256", rc.content_sha256}};
      c.report = rc;
      if (!db->Commit(std::move(c)).ok()) std::exit(1);
      ++n;
    }
  }
  return n;
}

std::vector<std::string> Versions(const fs::path& dir) {
  auto db = Open(dir);
  std::vector<std::string> out;
  (void)db->ForEachVersion([&](const std::string& r) {
    out.push_back(r);
    return true;
  });
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int copies = argc > 1 ? std::stoi(argv[1]) : 8;
  std::vector<unsigned> jobs;
  for (int i = 2; i < argc; ++i) jobs.push_back(static_cast<unsigned>(std::stoul(argv[i])));
  if (jobs.empty()) jobs = {1, 2};
  fs::path root = fs::temp_directory_path() / ("nianbao-reextract-bench-" + std::to_string(::getpid()));
  fs::remove_all(root);
  const size_t n = Fill(root / "base", copies);
  std::printf("records: %zu (%d copies of each page of tests/data/reports), %u cores\n", n, copies,
              std::thread::hardware_concurrency());
  double base_rate = 0;
  std::vector<std::string> reference;
  for (unsigned j : jobs) {
    fs::path dir = root / ("jobs" + std::to_string(j));
    fs::copy(root / "base", dir, fs::copy_options::recursive);
    double seconds = 0;
    {
      auto db = Open(dir);
      auto start = std::chrono::steady_clock::now();
      auto stats = Reextract(db.get(), j);
      seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (!stats.ok() || stats.value().added != n) {
        std::fprintf(stderr, "reextract failed or incomplete\n");
        return 1;
      }
    }
    double rate = n / seconds;
    if (base_rate == 0) base_rate = rate;
    std::vector<std::string> versions = Versions(dir);
    if (reference.empty()) reference = versions;
    std::printf("jobs %2u: %6.2f s  %7.1f reports/s  speed-up %.2fx  records %s\n", j, seconds, rate, rate / base_rate,
                versions == reference ? "identical" : "DIFFERENT");
    fs::remove_all(dir);
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  std::printf("peak RSS: %.1f MiB\n", ru.ru_maxrss / 1024.0);
  fs::remove_all(root);
  return 0;
}
