// nianbao: command-line parsing and dispatch only; the work is in
// daemon/commands.cc and the modules it wires.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "daemon/commands.h"

namespace {

const char kUsage[] = R"(nianbao — collect 政府信息公开工作年度报告 into versioned, checked records

usage:
  nianbao demo [--db PATH]              crawl the bundled portal simulator on loopback into
                                        ./nianbao-demo.db (or PATH) and print a summary; no network
  nianbao crawl -c FILE [--portal NAME]...
                                        one pass over the configured portals, then exit
  nianbao backfill -c FILE --years 2019-2023 [--portal NAME]...
                                        walk full listings, keep reports of those years (queued in
                                        the running service if `nianbao serve` holds the database)
  nianbao refresh -c FILE [--portal NAME]...
                                        newest listing pages until nothing is new; detail pages
                                        revisited conditionally (304 when unchanged)
  nianbao serve -c FILE                 the daemon: refresh on schedule.refresh, backfills queued
                                        by `nianbao backfill`, admin HTTP on admin.listen
                                        (/healthz /readyz /metrics /status); SIGTERM = finish
                                        in-flight writes and exit 0, SIGHUP = reload
  nianbao extract FILE... [--url URL] --json
                                        offline, no database: .html/.pdf/.docx → record JSON,
                                        one per line
  nianbao export -c FILE --format jsonl|csv|long [--year Y] [--portal NAME] [--all-versions] [-o OUT]
                                        jsonl: the records; csv: one row a report version, every
                                        field of every format a column; long: one row a value
  nianbao reextract -c FILE             re-run extraction over the stored raw bytes; a new
                                        version only where the extracted content changed
  nianbao config check -c FILE          validate FILE and print the effective configuration
  nianbao probe URL [--cms HINT] [--pages N] [-c FILE] [--json]
                                        read one 年报 column politely and say what the crawler
                                        makes of it: family and why, page counts, sub-columns,
                                        entries claimed vs found, the config entry to paste
  nianbao portals -c FILE [--json]      each portal's last run: family, listing pages, entries
                                        claimed and found, reports stored, errors, shortfalls
  nianbao --help

exit codes: 0 success, 1 runtime failure, 2 usage or configuration error
)";

int Usage(const std::string& error) {
  std::fprintf(stderr, "nianbao: %s\n(see nianbao --help)\n", error.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using nianbao::CommandLine;
  CommandLine cl;
  if (argc < 2) return Usage("a command is required");
  int i = 1;
  std::string cmd = argv[i++];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (cmd == "config") {
    if (i >= argc || std::strcmp(argv[i], "check") != 0) return Usage("config: expected 'config check -c FILE'");
    ++i;
    cmd = "config check";
  }
  cl.command = cmd;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* flag) -> const char* {
      if (i + 1 >= argc) return nullptr;
      (void)flag;
      return argv[++i];
    };
    const char* v = nullptr;
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a == "-c" || a == "--config") {
      if (!(v = value("-c"))) return Usage(a + " needs a file");
      cl.config_path = v;
    } else if (a == "--portal") {
      if (!(v = value("--portal"))) return Usage("--portal needs a name");
      cl.portals.push_back(v);
    } else if (a == "--url") {
      if (!(v = value("--url"))) return Usage("--url needs a URL");
      cl.url = v;
    } else if (a == "--json") {
      cl.json = true;
    } else if (a == "--format") {
      if (!(v = value("--format"))) return Usage("--format needs jsonl, csv or long");
      cl.format = v;
    } else if (a == "--year") {
      if (!(v = value("--year"))) return Usage("--year needs a year");
      try {
        cl.year = std::stoi(v);
      } catch (...) {
        return Usage(std::string("--year: not a year: ") + v);
      }
    } else if (a == "--years") {
      if (!(v = value("--years"))) return Usage("--years needs FIRST-LAST");
      std::string y = v;
      size_t dash = y.find('-');
      try {
        cl.year_min = std::stoi(y.substr(0, dash));
        cl.year_max = dash == std::string::npos ? cl.year_min : std::stoi(y.substr(dash + 1));
      } catch (...) {
        return Usage("--years: expected FIRST-LAST, got " + y);
      }
      if (cl.year_min < 1990 || cl.year_max > 2100 || cl.year_min > cl.year_max) {
        return Usage("--years: expected FIRST-LAST between 1990 and 2100, got " + y);
      }
    } else if (a == "--all-versions") {
      cl.all_versions = true;
    } else if (a == "-o" || a == "--output") {
      if (!(v = value("-o"))) return Usage("-o needs a file");
      cl.output = v;
    } else if (a == "--cms") {
      if (!(v = value("--cms"))) return Usage("--cms needs one of auto, trs, hanweb, gkmlpt, vsb, generic");
      cl.cms = v;
      if (cl.cms != "auto" && cl.cms != "trs" && cl.cms != "hanweb" && cl.cms != "gkmlpt" && cl.cms != "vsb" && cl.cms != "generic") {
        return Usage("--cms: expected one of auto, trs, hanweb, gkmlpt, vsb, generic, got " + cl.cms);
      }
    } else if (a == "--pages") {
      if (!(v = value("--pages"))) return Usage("--pages needs a number");
      try {
        cl.pages = std::stoi(v);
      } catch (...) {
        cl.pages = 0;
      }
      if (cl.pages < 1 || cl.pages > 1000) return Usage(std::string("--pages: expected 1 to 1000, got ") + v);
    } else if (a == "--db") {
      if (!(v = value("--db"))) return Usage("--db needs a path");
      cl.db_path = v;
    } else if (!a.empty() && a[0] == '-') {
      return Usage("unknown option " + a + " for " + cmd);
    } else if (cmd == "extract") {
      cl.files.push_back(a);
    } else if (cmd == "probe" && cl.url.empty()) {
      cl.url = a;
    } else {
      return Usage("unexpected argument " + a + " for " + cmd);
    }
  }
  if (cmd == "demo") return nianbao::RunDemo(cl);
  if (cmd == "crawl" || cmd == "backfill" || cmd == "refresh") return nianbao::RunCrawl(cl);
  if (cmd == "serve") return nianbao::RunServe(cl);
  if (cmd == "extract") return nianbao::RunExtract(cl);
  if (cmd == "export") return nianbao::RunExport(cl);
  if (cmd == "reextract") return nianbao::RunReextract(cl);
  if (cmd == "config check") return nianbao::RunConfigCheck(cl);
  if (cmd == "probe") return nianbao::RunProbe(cl);
  if (cmd == "portals") return nianbao::RunPortals(cl);
  return Usage("unknown command " + cmd);
}
