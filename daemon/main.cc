// nianbao: command-line parsing (CLI11) and dispatch only; the work is in
// daemon/commands.cc and the modules it wires. Every option belongs to the
// commands it is described under: anywhere else it is an error (exit 2).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <regex>
#include <string>

#include "config/log.h"
#include "daemon/commands.h"

#ifndef NIANBAO_VERSION
#define NIANBAO_VERSION "0"
#endif

namespace {

constexpr const char* kFooter = R"(
exit codes: 0 success (some portals may have failed: the summary names them), 1 runtime failure
(the database, or no portal could be read), 2 usage or configuration error, 130 Ctrl-C.
`nianbao COMMAND --help` describes every option of a command.)";

// FIRST-LAST (or one year) between 1990 and 2100, strictly.
std::string CheckYears(const std::string& text) {
  static const std::regex kYears("^(\\d{4})(?:-(\\d{4}))?$");
  std::smatch m;
  if (!std::regex_match(text, m, kYears)) return "expected FIRST-LAST such as 2019-2023, got " + text;
  const int a = std::stoi(m[1]), b = m[2].matched ? std::stoi(m[2]) : a;
  if (a < 1990 || b > 2100 || a > b) return "expected years between 1990 and 2100, first ≤ last, got " + text;
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  using nianbao::CommandLine;
  CommandLine cl;
  CLI::App app{"nianbao — collect 政府信息公开工作年度报告 into versioned, checked records", "nianbao"};
  app.set_version_flag("--version", std::string("nianbao ") + NIANBAO_VERSION);
  app.footer(kFooter);
  app.require_subcommand(0, 1);
  std::string log_level;
  bool quiet = false, verbose = false;
  app.add_flag("-q,--quiet", quiet, "log warnings and errors only");
  app.add_flag("-v,--verbose", verbose, "log debug lines too");
  app.add_option("--log-level", log_level, "debug | info | warn | error (default info)")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));

  auto config = [&](CLI::App* sub, bool required = true) {
    auto* o = sub->add_option("-c,--config", cl.config_path, "the configuration file (YAML)");
    if (required) o->required();
  };
  auto portals = [&](CLI::App* sub) {
    sub->add_option("--portal", cl.portals, "only this portal (repeatable; default: every portal)");
  };

  auto* demo = app.add_subcommand("demo", "crawl the bundled portal simulator on loopback into ./nianbao-demo.db and print "
                                          "a summary; needs no network");
  demo->add_option("--db", cl.db_path, "where to put the database (default ./nianbao-demo.db)");

  auto* crawl = app.add_subcommand("crawl", "one pass over the configured portals, then exit");
  config(crawl);
  portals(crawl);

  auto* backfill = app.add_subcommand("backfill", "walk full listings and keep the reports of those years (queued in "
                                                  "the running service if `nianbao serve` holds the database)");
  config(backfill);
  portals(backfill);
  std::string years;
  auto* years_option = backfill->add_option("--years", years, "FIRST-LAST, e.g. 2019-2023")->check([](const std::string& t) {
    return CheckYears(t);
  });
  backfill->add_option("--cancel", cl.cancel, "remove queued backfill ID from the running service (GET /backfill lists them)")
      ->check(CLI::PositiveNumber)
      ->excludes(years_option);

  auto* refresh = app.add_subcommand("refresh", "newest listing pages until nothing is new; stored report pages "
                                                "revisited conditionally (304 when unchanged)");
  config(refresh);
  portals(refresh);

  auto* serve = app.add_subcommand("serve", "the daemon: refresh on schedule.refresh, queued backfills, admin HTTP "
                                            "(/healthz /readyz /metrics /status); SIGTERM finishes in-flight writes "
                                            "and exits 0, SIGHUP reloads");
  config(serve);

  auto* extract = app.add_subcommand("extract", "offline, no database: .html/.pdf/.docx → record JSON, one per line");
  // Not checked here: a file that cannot be read is an error line of its own, the rest go on.
  extract->add_option("files", cl.files, "report files")->required();
  extract->add_option("--url", cl.url, "the URL the file was fetched from (links resolve against it)");
  extract->add_flag("--json", cl.json, "JSON output (the only output; accepted for the spec's command line)");

  auto* exp = app.add_subcommand("export", "the records: jsonl; csv (one row a report version, every field of every "
                                           "format a column); long (one row a value)");
  config(exp);
  portals(exp);
  exp->add_option("--format", cl.format, "jsonl | csv | long")->required()->check(CLI::IsMember({"jsonl", "csv", "long"}));
  exp->add_option("--year", cl.year, "only reports of this year")->check(CLI::Range(1990, 2100));
  exp->add_flag("--all-versions", cl.all_versions, "every version, not only the latest");
  exp->add_option("-o,--output", cl.output, "write here ('-' or absent: standard output)");

  auto* verify = app.add_subcommand("verify", "check the whole database: every table block against its checksum (raw "
                                              "bodies included), every report's versions and the raw bodies they name; "
                                              "read-only, works beside a running service");
  config(verify);

  auto* backup = app.add_subcommand("backup", "a consistent copy of the database at DIR (a RocksDB checkpoint; the "
                                              "running service takes it if it holds the database); restore by pointing "
                                              "storage.path at DIR");
  config(backup);
  backup->add_option("dir", cl.backup_dir, "where (a directory that does not exist yet)")->required();

  auto* reextract = app.add_subcommand("reextract", "re-run extraction over the stored raw bytes; a new version only "
                                                    "where the extracted content changed");
  config(reextract);
  reextract->add_option("-j,--jobs", cl.jobs, "extraction threads (default: one per core); one writer commits")
      ->check(CLI::Range(1, 256));

  auto* cfg = app.add_subcommand("config", "the configuration");
  cfg->require_subcommand(1);
  auto* check = cfg->add_subcommand("check", "validate the file and print the effective configuration, defaults filled in");
  config(check);

  auto* probe = app.add_subcommand("probe", "read one 年报 column politely and say what the crawler makes of it: family "
                                            "and why, page counts, sub-columns, entries claimed vs found, the config "
                                            "entry to paste");
  probe->add_option("url", cl.url, "the column's URL (a fragment such as #2845 kept)")->required();
  probe->add_option("--cms", cl.cms, "a cms: hint to try")->check(CLI::IsMember({"auto", "trs", "hanweb", "gkmlpt", "vsb", "generic"}));
  probe->add_option("--pages", cl.pages, "listing requests to read at most (default 20)")->check(CLI::Range(1, 1000));
  probe->add_flag("--json", cl.json, "the findings as JSON");
  config(probe, /*required=*/false);

  auto* show = app.add_subcommand("show", "one report as a person reads it: what it is, sections, tables, fields with "
                                          "their labels and where each number came from, checks with their rules and "
                                          "cells, warnings; its versions; what changed between two");
  config(show);
  show->add_option("report", cl.report, "its report_id, or a URL it was found at")->required();
  show->add_flag("--versions", cl.versions, "list its versions");
  show->add_option("--diff", cl.diff, "V1 V2: the fields changed and the sentences added or removed")->expected(2)->check(CLI::PositiveNumber);
  show->add_flag("--json", cl.json, "as JSON (the record, the versions, or the diff)");

  auto* check_cmd = app.add_subcommand("check", "across reports: S2/S3 over consecutive years per agency, and the coverage "
                                                "ledger (agency × year: found, missing, late, changed, only an attachment)");
  config(check_cmd);
  check_cmd->add_option("--year", cl.year, "the ledger of this report year (S2/S3 against the year before)")->check(CLI::Range(1990, 2100));
  check_cmd->add_option("--format", cl.format, "text | csv | json (default text)")->check(CLI::IsMember({"text", "csv", "json"}));
  check_cmd->add_option("--html", cl.html, "also write the ledger as one self-contained HTML page (a heat map)");

  auto* portals_cmd = app.add_subcommand("portals", "each portal's last run: family, listing pages, entries claimed and "
                                                    "found, reports stored, errors, shortfalls, last success");
  config(portals_cmd);
  portals_cmd->add_flag("--json", cl.json, "as JSON");

  if (argc < 2) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "nianbao: %s\n(see nianbao --help, or nianbao COMMAND --help)\n", e.what());
    return 2;
  }
  if (app.get_subcommands().empty()) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  }
  nianbao::SetLogLevel(verbose ? nianbao::LogLevel::kDebug
                       : quiet ? nianbao::LogLevel::kWarn
                       : log_level == "debug" ? nianbao::LogLevel::kDebug
                       : log_level == "warn"  ? nianbao::LogLevel::kWarn
                       : log_level == "error" ? nianbao::LogLevel::kError
                                              : nianbao::LogLevel::kInfo);
  if (!years.empty()) {
    const size_t dash = years.find('-');
    cl.year_min = std::stoi(years.substr(0, dash));
    cl.year_max = dash == std::string::npos ? cl.year_min : std::stoi(years.substr(dash + 1));
  }
  if (cl.output == "-") cl.output.clear();
  CLI::App* sub = app.get_subcommands().front();
  cl.command = sub->get_name();
  if (sub == demo) return nianbao::RunDemo(cl);
  if (sub == crawl || sub == backfill || sub == refresh) return nianbao::RunCrawl(cl);
  if (sub == serve) return nianbao::RunServe(cl);
  if (sub == extract) return nianbao::RunExtract(cl);
  if (sub == exp) return nianbao::RunExport(cl);
  if (sub == reextract) return nianbao::RunReextract(cl);
  if (sub == verify) return nianbao::RunVerify(cl);
  if (sub == backup) return nianbao::RunBackup(cl);
  if (sub == cfg) {
    cl.command = "config check";
    return nianbao::RunConfigCheck(cl);
  }
  if (sub == probe) return nianbao::RunProbe(cl);
  if (sub == portals_cmd) return nianbao::RunPortals(cl);
  if (sub == show) return nianbao::RunShow(cl);
  if (sub == check_cmd) return nianbao::RunCheck(cl);
  return 2;
}
