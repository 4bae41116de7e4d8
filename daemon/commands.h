// The subcommands of the nianbao binary (docs/spec/config.md). Each
// returns the process exit code: 0 success, 1 runtime failure, 2 usage or
// configuration error.
#ifndef NIANBAO_DAEMON_COMMANDS_H_
#define NIANBAO_DAEMON_COMMANDS_H_

#include <string>
#include <vector>

namespace nianbao {

struct CommandLine {
  std::string command;                 // "demo", "crawl", "extract", "export", "config check"
  std::string config_path;             // -c FILE
  std::vector<std::string> portals;    // --portal NAME (repeatable)
  std::vector<std::string> files;      // extract FILE...
  std::string url;                     // extract --url
  bool json = false;                   // extract --json
  std::string format;                  // export --format
  int year = 0;                        // export --year
  bool all_versions = false;           // export --all-versions
  std::string output;                  // export -o
  std::string db_path;                 // demo --db
  int year_min = 0, year_max = 0;      // backfill --years A-B
  std::string cms;                     // probe --cms HINT
  std::string report;                  // show REPORT_ID|URL
  bool versions = false;               // show --versions
  std::vector<int> diff;               // show --diff V1 V2
  std::string html;                    // check --html OUT
  int pages = 20;                      // probe --pages N
  int jobs = 0;                        // reextract --jobs N (0: one per core)
  long cancel = 0;                     // backfill --cancel ID
  std::string backup_dir;              // backup DIR
};

int RunDemo(const CommandLine& cl);
int RunCrawl(const CommandLine& cl);
int RunServe(const CommandLine& cl);
int RunExtract(const CommandLine& cl);
int RunExport(const CommandLine& cl);
int RunReextract(const CommandLine& cl);
int RunConfigCheck(const CommandLine& cl);
int RunProbe(const CommandLine& cl);
int RunPortals(const CommandLine& cl);
int RunShow(const CommandLine& cl);
int RunCheck(const CommandLine& cl);
int RunVerify(const CommandLine& cl);
int RunBackup(const CommandLine& cl);

}  // namespace nianbao

#endif  // NIANBAO_DAEMON_COMMANDS_H_
