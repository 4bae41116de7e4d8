// Fills a database's frontier with N pending report URLs of the simulator's
// bulk pages, as an unfinished run of portal "bulk", so that the next
// `nianbao crawl` resumes it: the 1,000,000-URL frontier benchmark
// (bench/frontier_bench.sh).
//   frontier_fill DB_PATH BASE_URL N
#include <cstdio>
#include <cstdlib>
#include <string>

#include "store/database.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: frontier_fill DB_PATH BASE_URL N\n");
    return 2;
  }
  nianbao::StorageOptions so;
  so.path = argv[1];
  auto db = nianbao::store::Database::Open(so);
  if (!db.ok()) {
    std::fprintf(stderr, "%s\n", db.status().ToString().c_str());
    return 1;
  }
  nianbao::store::CrawlRun asked;
  asked.mode = "crawl";
  auto run = db.value()->BeginRun(asked, [](uint64_t) { return std::vector<nianbao::store::FrontierEntry>(); });
  if (!run.ok()) return 1;
  const long n = std::atol(argv[3]);
  nianbao::store::PageCommit batch;
  for (long i = 0; i < n; ++i) {
    nianbao::store::FrontierEntry e;
    e.url = std::string(argv[2]) + "/bulk/" + std::to_string(i / 100 % 10000) + "/" + std::to_string(i) + ".shtml";
    e.portal = "bulk";
    e.kind = nianbao::store::FrontierEntry::Kind::kDetail;
    e.run = run.value().id;
    batch.frontier.push_back(std::move(e));
    if (batch.frontier.size() == 10000 || i + 1 == n) {
      if (!db.value()->Commit(std::move(batch)).ok()) return 1;
      batch = nianbao::store::PageCommit();
    }
  }
  std::printf("queued %ld URLs in run %llu\n", n, static_cast<unsigned long long>(run.value().id));
  return 0;
}
