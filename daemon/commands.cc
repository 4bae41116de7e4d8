#include "daemon/commands.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <unistd.h>
#include <map>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "config/hash.h"
#include "config/load.h"
#include "config/log.h"
#include "config/url.h"
#include "daemon/admin_http.h"
#include "daemon/crawler.h"
#include "daemon/probe.h"
#include "daemon/record.h"
#include "daemon/reextract.h"
#include "daemon/service.h"
#include "daemon/show.h"
#include "daemon/text_table.h"
#include "extract/field_spec.h"
#include "extract/ledger.h"
#include "extract/report_extractor.h"
#include "extract/text.h"
#include "sim/portal_simulator.h"
#include "store/database.h"

namespace nianbao {
namespace {

using json = nlohmann::ordered_json;

int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "nianbao: %s\n", message.c_str());
  return code;
}

// Loads -c FILE; on error prints it and returns nullopt (exit 2).
std::optional<Options> LoadOptions(const CommandLine& cl) {
  if (cl.config_path.empty()) {
    Fail(2, cl.command + ": -c FILE is required");
    return std::nullopt;
  }
  auto r = LoadConfig(cl.config_path);
  if (!r.ok()) {
    Fail(2, r.status().ToString());
    return std::nullopt;
  }
  for (const auto& name : cl.portals) {
    bool known = false;
    for (const auto& p : r.value().portals) known = known || p.name == name;
    if (!known) {
      Fail(2, cl.config_path + ": --portal " + name + ": no such portal in the configuration");
      return std::nullopt;
    }
  }
  return std::move(r.value());
}

// Every command that opens a database says which, first (stderr): where the
// data went never depends on a guess.
void SayDatabase(const std::string& command, const StorageOptions& storage) {
  std::fprintf(stderr, "nianbao %s: database %s\n", command.c_str(), std::filesystem::absolute(storage.path).string().c_str());
}

// A crawl, refresh, backfill or service with no portal has nothing to do: say so.
void WarnIfNoPortals(const Options& options) {
  if (options.portals.empty()) {
    Log(LogLevel::kWarn, "no_portals", {{"config", options.source}, {"hint", "add portals: or portals_dir: to the configuration"}});
  }
}

// Opens the database for writing as "nianbao <command>"; on error prints it.
std::unique_ptr<store::Database> OpenDatabase(const StorageOptions& storage, const std::string& command) {
  SayDatabase(command, storage);
  auto db = store::Database::Open(storage, "nianbao " + command);
  if (!db.ok()) {
    Fail(1, "cannot open database: " + db.status().ToString());
    return nullptr;
  }
  return std::move(db.value());
}

// Opens the database for reading (allowed beside a running writer).
std::unique_ptr<store::Database> OpenDatabaseToRead(const StorageOptions& storage, const std::string& command) {
  SayDatabase(command, storage);
  auto db = store::Database::OpenReadOnly(storage);
  if (!db.ok()) {
    Fail(1, "cannot open database: " + db.status().ToString());
    return nullptr;
  }
  return std::move(db.value());
}

// One request to the running service's admin endpoint, with the bearer
// token of admin.token_file when one is configured.
Result<AdminResponse> CallService(const Options& options, const std::string& method, const std::string& target) {
  auto token = AdminToken(options.admin);
  if (!token.ok()) return Status::InvalidArgument("admin.token_file: " + token.status().ToString());
  return AdminCall(options.admin.listen, method, target, 10, token.value());
}

// `nianbao backfill` while `nianbao serve` holds the database: the service
// runs it (queued behind its current run). Returns the exit code.
int QueueBackfillInService(const Options& options, const CommandLine& cl, long pid) {
  std::string target = "/backfill?years=" + std::to_string(cl.year_min) + "-" + std::to_string(cl.year_max);
  for (const auto& p : cl.portals) target += "&portal=" + QueryEncode(p);
  auto reply = CallService(options, "POST", target);
  if (!reply.ok()) {
    return Fail(1, "the database is held by nianbao serve (pid " + std::to_string(pid) +
                       ") but its admin endpoint did not answer: " + reply.status().ToString());
  }
  if (reply.value().status != 202 && reply.value().status != 200) {  // 200: the same backfill is queued already
    return Fail(1, "nianbao serve (pid " + std::to_string(pid) + ") refused the backfill: " + reply.value().body);
  }
  std::printf("backfill %d-%d queued in the running service (pid %ld, admin %s); follow it at http://%s/status\n%s",
              cl.year_min, cl.year_max, pid, options.admin.listen.c_str(), options.admin.listen.c_str(),
              reply.value().body.c_str());
  return 0;
}

// Display width of UTF-8 text (CJK counts 2) for aligned tables.

std::string Str(const json& v) {
  if (v.is_null()) return "-";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

void PrintSummaryTable(store::Database* db, const std::string& portal) {
  std::vector<std::vector<std::string>> rows = {{"agency", "year", "format", "checks pass/fail/uncertain", "version", "url"}};
  db->ForEachLatest([&](const std::string& text) {
    json r = json::parse(text, nullptr, false);
    if (r.is_discarded() || (!portal.empty() && r.value("portal", "") != portal)) return true;
    int pass = 0, fail = 0, uncertain = 0;
    for (const auto& c : r["checks"]) {
      std::string o = c.value("outcome", "");
      pass += o == "pass";
      fail += o == "fail";
      uncertain += o == "uncertain";
    }
    rows.push_back({Str(r["agency"]), Str(r["year"]), Str(r["format"]),
                    std::to_string(pass) + "/" + std::to_string(fail) + "/" + std::to_string(uncertain),
                    Str(r["version"]), Str(r["url"])});
    return true;
  });
  std::fputs(TextTable(rows, "  ").c_str(), stdout);
}

// 130 for Ctrl-C (what was in flight written), 1 when no portal could be
// read at all, else 0 (some failed portals are said, not fatal).
int ExitCodeOf(const CrawlStats& s) {
  if (s.stop_signal == SIGINT) return 130;
  if (s.interrupted) return 0;  // SIGTERM: the run resumes next time
  if (s.outcome == "failed") {
    std::fprintf(stderr, "nianbao: no portal could be read: every listing request failed (see the fetch_failed and http_status lines)\n");
    return 1;
  }
  return 0;
}

void PrintStats(const CrawlStats& s) {
  std::printf("pages fetched: %llu (listings %llu, unchanged 304: %llu, not revisited: %llu), reports stored: %llu, "
              "new versions: %llu, not reports: %llu, errors: %llu%s%s\n",
              static_cast<unsigned long long>(s.pages_fetched), static_cast<unsigned long long>(s.listings),
              static_cast<unsigned long long>(s.not_modified), static_cast<unsigned long long>(s.fresh),
              static_cast<unsigned long long>(s.reports_seen), static_cast<unsigned long long>(s.versions_added),
              static_cast<unsigned long long>(s.not_reports), static_cast<unsigned long long>(s.errors),
              s.resumed ? " (resumed an interrupted run)" : "", s.interrupted ? " (interrupted: run again to finish)" : "");
  // The coverage self-audit: what the listings claim against what was found.
  for (const auto& pc : s.coverage) {
    std::string verdict;
    verdict = pc.shortfalls.empty() ? ", no shortfall" : ", " + std::to_string(pc.shortfalls.size()) + " shortfall(s):";
    if (!s.audited) {
      verdict = std::string(" (counts not judged: ") + (s.interrupted ? "interrupted" : s.resumed ? "resumed" : "a refresh pages only while new") +
                ")" + (pc.shortfalls.empty() ? "" : ", " + std::to_string(pc.shortfalls.size()) + " shortfall(s):");
    }
    const std::string claimed = pc.claimed >= 0 ? std::to_string(pc.claimed) : "- (no count printed)";
    std::printf("coverage %s: listing pages %ld, entries claimed %s, found %ld, report links %ld, reports stored %ld%s\n",
                pc.portal.c_str(), pc.listing_pages, claimed.c_str(), pc.found, pc.report_links, pc.reports_stored, verdict.c_str());
    for (const auto& sf : pc.shortfalls) std::printf("  shortfall %s: %s\n", sf.page.c_str(), sf.reason.c_str());
  }
  if (s.failed_portals > 0) {
    std::string names;
    for (const auto& pc : s.coverage) {
      if (pc.failed()) names += (names.empty() ? "" : ", ") + pc.portal;
    }
    std::printf("%zu of %zu portals failed (nothing of their listings could be read): %s\n", s.failed_portals, s.coverage.size(),
                names.c_str());
  }
  std::printf("outcome: %s\n", s.interrupted ? "interrupted" : s.outcome.c_str());
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

// Offline, a page's attachment is the file of the same name beside it.
extract::Report FollowLocalAttachment(extract::Report page, const std::string& page_path, const std::optional<Url>& page_url) {
  for (const auto& link : page.linked_attachments) {
    std::string href = link.url.substr(0, link.url.find_first_of("?#"));
    std::string name = href.substr(href.rfind('/') + 1);
    std::filesystem::path file = std::filesystem::path(page_path).parent_path() / name;
    std::string bytes;
    if (name.empty() || !ReadFile(file.string(), &bytes)) continue;
    extract::ExtractInput in;
    in.bytes = bytes;
    std::optional<Url> resolved = page_url ? ResolveUrl(*page_url, link.url) : std::nullopt;
    in.url = resolved ? resolved->ToString() : file.string();
    auto a = extract::ExtractReport(in);
    if (!a.ok() || !a.value().IsReport()) continue;
    extract::Attachment meta{resolved ? CanonicalUrl(*resolved) : link.url, link.name, Sha256Hex(bytes),
                             static_cast<int64_t>(bytes.size())};
    return extract::WithAttachment(page, std::move(a.value()), std::move(meta));
  }
  return page;
}

}  // namespace

int RunProbe(const CommandLine& cl) {
  if (cl.url.empty()) return Fail(2, "probe: a column URL is required (nianbao probe URL [--cms HINT] [--json])");
  CrawlOptions crawl;  // polite defaults: robots.txt, 1 s between requests
  if (!cl.config_path.empty()) {
    auto options = LoadOptions(cl);
    if (!options) return 2;
    crawl = options->crawl;
  }
  ProbeRequest request;
  request.url = cl.url;
  request.cms = cl.cms.empty() ? "auto" : cl.cms;
  request.max_pages = cl.pages;
  auto findings = Probe(crawl, request);
  if (cl.json) {
    std::printf("%s\n", findings.dump(2).c_str());
  } else {
    std::fputs(ProbeText(findings).c_str(), stdout);
  }
  if (findings.contains("error")) return 1;
  return findings["pages_read"].get<long>() > 0 && findings["pages"][0].contains("status") &&
                 findings["pages"][0]["status"].get<long>() == 200
             ? 0
             : 1;
}

int RunPortals(const CommandLine& cl) {
  auto options = LoadOptions(cl);
  if (!options) return 2;
  auto db = OpenDatabaseToRead(options->storage, "portals");
  if (!db) return 1;
  std::map<std::string, long> stored;
  Status st = db->ForEachLatest([&](const std::string& text) {
    json r = json::parse(text, nullptr, false);
    if (!r.is_discarded()) ++stored[r.value("portal", "")];
    return true;
  });
  if (!st.ok()) return Fail(1, st.ToString());
  json all = json::array();
  for (const auto& p : options->portals) {
    json row = {{"portal", p.name}, {"reports_stored", stored[p.name]}};
    auto state = db->GetState("coverage/" + p.name);
    if (state.ok() && state.value()) {
      json last = json::parse(*state.value(), nullptr, false);
      if (last.is_object()) row["last_run"] = last;
    }
    all.push_back(row);
  }
  if (cl.json) {
    std::printf("%s\n", all.dump(2).c_str());
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {"portal", "family", "listing pages", "claimed", "found", "stored", "errors", "shortfalls", "last run", "last success"}};
  auto time_of = [](const json& j) {
    if (!j.is_number()) return std::string("-");
    char buf[32];
    std::time_t t = j.get<std::time_t>();
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", std::localtime(&t));
    return std::string(buf);
  };
  for (const auto& row : all) {
    if (!row.contains("last_run")) {
      rows.push_back({row["portal"], "-", "-", "-", "-", std::to_string(row["reports_stored"].get<long>()), "-", "-", "never", "-"});
      continue;
    }
    const json& l = row["last_run"];
    std::string families;
    for (const auto& f : l["family"]) families += (families.empty() ? "" : ",") + f.get<std::string>();
    std::string shortfalls = !l.value("audited", false) ? "not audited" : std::to_string(l["shortfalls"].size());
    rows.push_back({row["portal"], families.empty() ? "-" : families, std::to_string(l.value("listing_pages", 0L)),
                    l["claimed"].is_number() ? std::to_string(l["claimed"].get<long>()) : "-", std::to_string(l.value("found", 0L)),
                    std::to_string(row["reports_stored"].get<long>()), std::to_string(l.value("errors", 0L)), shortfalls,
                    time_of(l["finished_at"]) + " " + l.value("mode", ""), time_of(l.value("last_success", json()))});
  }
  std::fputs(TextTable(rows).c_str(), stdout);
  for (const auto& row : all) {
    if (!row.contains("last_run")) continue;
    for (const auto& s : row["last_run"]["shortfalls"]) {
      std::printf("shortfall %s: %s: %s\n", row["portal"].get<std::string>().c_str(), s.value("page", "").c_str(),
                  s.value("reason", "").c_str());
    }
  }
  return 0;
}

int RunShow(const CommandLine& cl) {
  auto options = LoadOptions(cl);
  if (!options) return 2;
  auto db = OpenDatabaseToRead(options->storage, "show");
  if (!db) return 1;
  auto found = FindReport(db.get(), cl.report);
  if (!found.ok()) return Fail(found.status().IsInvalidArgument() ? 2 : 1, found.status().ToString());
  const StoredReport& report = found.value();
  if (!cl.diff.empty()) {
    auto version = [&](int v) -> const json* {
      for (const auto& r : report.versions) {
        if (r.value("version", 0) == v) return &r;
      }
      return nullptr;
    };
    const json* a = version(cl.diff[0]);
    const json* b = version(cl.diff[1]);
    if (!a || !b) {
      return Fail(2, "show --diff: the report has versions 1 to " + std::to_string(report.versions.size()));
    }
    json d = DiffVersions(*a, *b);
    std::fputs(cl.json ? (d.dump(2) + "\n").c_str() : ShowDiff(d).c_str(), stdout);
    return 0;
  }
  if (cl.versions) {
    if (cl.json) {
      json all = json::array();
      for (const auto& r : report.versions) all.push_back(r);
      std::printf("%s\n", all.dump(2).c_str());
    } else {
      std::fputs(ShowVersions(report).c_str(), stdout);
    }
    return 0;
  }
  const json& latest = report.versions.back();
  std::fputs(cl.json ? (latest.dump(2) + "\n").c_str() : ShowRecord(report, latest).c_str(), stdout);
  return 0;
}

int RunConfigCheck(const CommandLine& cl) {
  auto options = LoadOptions(cl);
  if (!options) return 2;
  std::printf("# %s: OK (%zu portals)\n%s", cl.config_path.c_str(), options->portals.size(), DumpConfig(*options).c_str());
  return 0;
}

int RunCrawl(const CommandLine& cl) {
  auto options = LoadOptions(cl);
  if (!options) return 2;
  if (cl.command == "backfill" && cl.cancel > 0) {  // a queued backfill of the running service
    auto reply = CallService(*options, "DELETE", "/backfill/" + std::to_string(cl.cancel));
    if (!reply.ok()) return Fail(1, "the service's admin endpoint did not answer: " + reply.status().ToString());
    std::fputs(reply.value().body.c_str(), reply.value().status == 200 ? stdout : stderr);
    return reply.value().status == 200 ? 0 : 1;
  }
  CrawlMode mode;
  mode.name = cl.command;  // crawl | backfill | refresh
  if (cl.command == "backfill") {
    if (cl.year_min == 0) return Fail(2, "backfill: --years FIRST-LAST is required (e.g. --years 2019-2023)");
    mode.year_min = cl.year_min;
    mode.year_max = cl.year_max;
  }
  WarnIfNoPortals(*options);
  SayDatabase(cl.command, options->storage);
  auto opened = store::Database::Open(options->storage, "nianbao " + cl.command);
  if (!opened.ok()) {
    auto holder = store::Database::HolderOf(options->storage.path);
    if (cl.command == "backfill" && opened.status().IsBusy() && holder && holder->owner == "nianbao serve") {
      return QueueBackfillInService(*options, cl, holder->pid);
    }
    return Fail(1, "cannot open database: " + opened.status().ToString());
  }
  std::unique_ptr<store::Database> db = std::move(opened.value());
  Crawler crawler(*options, db.get(), cl.portals, mode);
  auto stats = crawler.Run();
  if (!stats.ok()) return Fail(1, stats.status().ToString());
  PrintStats(stats.value());
  if (crawler.resumed_another() && !stats.value().interrupted) {
    // That finished an interrupted run of another pass; now the pass asked for.
    std::printf("finished the interrupted %s; now the %s asked for\n", crawler.mode().name.c_str(), mode.name.c_str());
    Crawler asked(*options, db.get(), cl.portals, mode);
    stats = asked.Run();
    if (!stats.ok()) return Fail(1, stats.status().ToString());
    PrintStats(stats.value());
  }
  return ExitCodeOf(stats.value());
}

int RunServe(const CommandLine& cl) {
  auto options = LoadOptions(cl);
  if (!options) return 2;
  if (!cl.portals.empty()) return Fail(2, "serve: --portal is not supported (the service serves every configured portal)");
  WarnIfNoPortals(*options);
  auto db = OpenDatabase(options->storage, "serve");
  if (!db) return 1;
  return Serve(cl.config_path, std::move(*options), std::move(db));
}

int RunDemo(const CommandLine& cl) {
  // Prefer a fixed port so report URLs (and ids) stay the same between demo runs.
  sim::SimulatorOptions so;
  so.port = 38380;
  auto simulator = std::make_unique<sim::PortalSimulator>(so);
  std::string error;
  if (!simulator->Start(&error)) {
    so.port = 0;
    simulator = std::make_unique<sim::PortalSimulator>(so);
    if (!simulator->Start(&error)) return Fail(1, "cannot start the portal simulator: " + error);
  }
  Options options;
  options.storage.path = cl.db_path.empty() ? "nianbao-demo.db" : cl.db_path;
  options.crawl.per_host_delay_ms = 20;
  options.crawl.timeout_s = 10;
  PortalOptions portal;
  portal.name = "demo";
  portal.start_urls = {simulator->column_url()};
  portal.allow_hosts = {"127.0.0.1"};
  portal.allow_private_addresses = true;  // the simulator lives on loopback
  portal.region = "模拟门户 (portal simulator)";
  options.portals.push_back(portal);
  SetLogLevel(LogLevel::kWarn);

  auto db = OpenDatabase(options.storage, "demo");
  if (!db) return 1;
  std::printf("nianbao demo: crawling the bundled portal simulator at %s\n", simulator->column_url().c_str());
  CrawlMode mode;
  mode.name = "demo";
  Crawler crawler(options, db.get(), {}, mode);
  auto stats = crawler.Run();
  if (!stats.ok()) return Fail(1, stats.status().ToString());
  PrintStats(stats.value());
  std::printf("\nreports in the database:\n");
  PrintSummaryTable(db.get(), "demo");
  // A configuration beside the database, so the usual commands work on it.
  std::filesystem::path db_path = std::filesystem::absolute(options.storage.path);
  std::filesystem::path config_path = db_path.parent_path() / (db_path.stem().string() + ".yaml");
  std::ofstream config(config_path, std::ios::trunc);
  config << "# Written by `nianbao demo`: the demo database and the simulator portal it crawled.\n"
         << DumpConfig(options);
  std::printf("\ndatabase: %s\n", db_path.c_str());
  std::printf("export:   nianbao export -c %s --format jsonl\n", config_path.c_str());
  return 0;
}

int RunExtract(const CommandLine& cl) {
  if (cl.files.empty()) return Fail(2, "extract: at least one FILE is required");
  const std::optional<Url> url = cl.url.empty() ? std::nullopt : ParseUrl(cl.url);
  if (!cl.url.empty() && !url) return Fail(2, "--url: not an absolute http(s) URL: " + cl.url);
  int failures = 0;
  for (const auto& path : cl.files) {
    std::string bytes;
    if (!ReadFile(path, &bytes)) {
      Fail(1, path + ": cannot read file");
      ++failures;
      continue;
    }
    extract::ExtractInput in;
    in.bytes = bytes;
    in.url = url ? url->ToString() : "";
    auto report = extract::ExtractReport(in);
    if (!report.ok()) {
      Fail(1, path + ": " + report.status().message());
      ++failures;
      continue;
    }
    extract::Report rep = std::move(report.value());
    if (rep.NeedsAttachment()) rep = FollowLocalAttachment(std::move(rep), path, url);
    RecordEnvelope env;
    env.url = url ? CanonicalUrl(*url) : "";
    env.linked_url = env.url;
    json record = BuildRecord(rep, env);
    if (cl.json) {
      std::printf("%s\n", record.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
    } else {
      std::printf("%s: %s | %s | %s | %s | %zu warnings\n", path.c_str(), Str(record["title"]).c_str(),
                  Str(record["agency"]).c_str(), Str(record["year"]).c_str(), Str(record["format"]).c_str(),
                  record["warnings"].size());
    }
  }
  return failures ? 1 : 0;
}

int RunReextract(const CommandLine& cl) {
  auto options = LoadOptions(cl);
  if (!options) return 2;
  auto db = OpenDatabase(options->storage, "reextract");
  if (!db) return 1;
  const unsigned jobs = cl.jobs > 0 ? static_cast<unsigned>(cl.jobs) : std::max(1u, std::thread::hardware_concurrency());
  auto stats = Reextract(db.get(), jobs);
  if (!stats.ok()) return Fail(1, stats.status().ToString());
  const ReextractStats& s = stats.value();
  std::printf("reports: %zu, re-extracted: %zu, new versions: %zu, failed: %zu (%u jobs)\n", s.reports, s.reextracted,
              s.added, s.failed, jobs);
  return s.failed ? 1 : 0;
}

namespace {

std::string CsvCell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string CsvCell(const json& j) { return CsvCell(j.is_string() ? j.get<std::string>() : j.dump()); }

// A JSON scalar as a CSV cell: strings as they are, numbers as JSON, null blank.
std::string CellOf(const json& v) {
  if (v.is_null()) return "";
  return CsvCell(v.is_string() ? v.get<std::string>() : v.dump());
}

// The columns of the wide CSV before the fields (docs/reference.md, "Exports").
constexpr const char* kMetaColumns[] = {"report_id", "version", "url", "portal", "agency", "year", "published", "format",
                                        "source", "title", "status", "fetched_at", "checks_pass", "checks_fail",
                                        "checks_uncertain", "warnings"};

// The record's fields object (an empty one if it has none).
const json& FieldsOf(const json& r) {
  static const json kNone = json::object();
  return r.contains("fields") && r["fields"].is_object() ? r["fields"] : kNone;
}

std::string MetaCell(const json& r, std::string_view column) {
  if (column.starts_with("checks_")) {
    const std::string outcome(column.substr(7));
    long n = 0;
    if (r.contains("checks") && r["checks"].is_array()) {
      for (const auto& c : r["checks"]) n += c.value("outcome", "") == outcome;
    }
    return std::to_string(n);
  }
  if (column == "warnings") return std::to_string(r.contains("warnings") && r["warnings"].is_array() ? r["warnings"].size() : 0);
  return CellOf(r.contains(column) ? r[std::string(column)] : json());
}

}  // namespace

int RunExport(const CommandLine& cl) {
  if (cl.format != "jsonl" && cl.format != "csv" && cl.format != "long") {
    return Fail(2, "export: --format jsonl|csv|long is required");
  }
  auto options = LoadOptions(cl);
  if (!options) return 2;
  auto db = OpenDatabaseToRead(options->storage, "export");
  if (!db) return 1;
  // -o FILE: written beside it under a temporary name and renamed over it
  // when complete, so a failed export never leaves a partial FILE (nor
  // destroys the one that was there).
  const bool to_file = !cl.output.empty() && cl.output != "-";
  const std::string partial = to_file ? cl.output + ".partial-" + std::to_string(::getpid()) : "";
  std::ofstream file;
  if (to_file) {
    file.open(partial, std::ios::binary | std::ios::trunc);
    if (!file) return Fail(1, cl.output + ": cannot write (" + partial + ")");
  }
  struct RemovePartial {
    const std::string& path;
    bool keep = false;
    ~RemovePartial() {
      if (!keep && !path.empty()) std::remove(path.c_str());
    }
  } cleanup{partial};
  std::ostream& out = to_file ? file : std::cout;
  auto each = [&](const std::function<void(const std::string& text, const json& record)>& fn) {
    auto walk = cl.all_versions ? &store::Database::ForEachVersion : &store::Database::ForEachLatest;
    return ((*db).*walk)([&](const std::string& text) {
      json r = json::parse(text, nullptr, false);
      if (r.is_discarded()) return true;
      if (cl.year && !(r["year"].is_number() && r["year"].get<int>() == cl.year)) return true;
      if (!cl.portals.empty() && std::find(cl.portals.begin(), cl.portals.end(), r.value("portal", "")) == cl.portals.end()) {
        return true;
      }
      fn(text, r);
      return true;
    });
  };
  size_t n = 0;
  Status s;
  if (cl.format == "jsonl") {
    s = each([&](const std::string& text, const json&) {
      out << text << "\n";
      ++n;
    });
  } else if (cl.format == "long") {
    // One row per field value: the shape DuckDB and pandas pivot from.
    out << "report_id,version,key,value,raw,origin\n";
    s = each([&](const std::string&, const json& r) {
      ++n;
      for (const auto& [key, f] : FieldsOf(r).items()) {
        if (!f.is_object() || f.value("value", json()).is_null()) continue;
        out << CellOf(r["report_id"]) << "," << CellOf(r["version"]) << "," << CsvCell(key) << "," << CellOf(f["value"]) << ","
            << CellOf(f.value("raw", json())) << "," << CellOf(f.contains("origin") ? json(f["origin"].dump()) : json()) << "\n";
      }
    });
  } else {
    // Wide: every field key of both formats (gov2021's order, then gov2019's
    // own), then any other key the records hold (legacy.* …): a first pass
    // collects them, so no value can be left without a column.
    std::vector<std::string> columns;
    std::set<std::string> known;
    for (const char* format : {"gov2021", "gov2019"}) {
      for (const auto& spec : extract::FieldSpecs(format)) {
        if (known.insert(spec.key).second) columns.push_back(spec.key);
      }
    }
    std::set<std::string> extra;
    s = each([&](const std::string&, const json& r) {
      for (const auto& [key, f] : FieldsOf(r).items()) {
        if (!known.count(key)) extra.insert(key);
      }
    });
    if (!s.ok()) return Fail(1, s.ToString());
    columns.insert(columns.end(), extra.begin(), extra.end());
    out << "\xEF\xBB\xBF";
    for (size_t i = 0; i < std::size(kMetaColumns); ++i) out << (i ? "," : "") << kMetaColumns[i];
    for (const auto& c : columns) out << "," << c;
    out << "\n";
    s = each([&](const std::string&, const json& r) {
      ++n;
      std::string line;
      for (size_t i = 0; i < std::size(kMetaColumns); ++i) line += (i ? "," : "") + MetaCell(r, kMetaColumns[i]);
      const json& fields = FieldsOf(r);
      for (const auto& c : columns) {
        line += ",";
        if (fields.contains(c) && fields[c].is_object()) line += CellOf(fields[c].value("value", json()));
      }
      out << line << "\n";
    });
  }
  if (!s.ok()) return Fail(1, s.ToString());
  out.flush();
  if (to_file) {
    file.close();
    if (!file) return Fail(1, cl.output + ": write failed (disk full?); " + cl.output + " left as it was");
    if (std::rename(partial.c_str(), cl.output.c_str()) != 0) {
      return Fail(1, cl.output + ": cannot rename " + partial + " to it: " + std::strerror(errno));
    }
    cleanup.keep = true;
  } else if (!out) {
    return Fail(1, "export: standard output failed");
  }
  std::fprintf(stderr, "nianbao: exported %zu records\n", n);
  return 0;
}

int RunBackup(const CommandLine& cl) {
  auto options = LoadOptions(cl);
  if (!options) return 2;
  std::error_code ec;
  const std::string dir = std::filesystem::absolute(cl.backup_dir, ec).lexically_normal().string();
  if (ec || dir.empty()) return Fail(2, "backup: " + cl.backup_dir + ": not a usable path");
  SayDatabase("backup", options->storage);
  auto opened = store::Database::Open(options->storage, "nianbao backup");
  if (opened.ok()) {
    Status s = opened.value()->Backup(dir);
    if (!s.ok()) return Fail(1, "backup failed: " + s.ToString());
    std::printf("backup of %s at %s\n", options->storage.path.c_str(), dir.c_str());
    return 0;
  }
  auto holder = store::Database::HolderOf(options->storage.path);
  if (!(opened.status().IsBusy() && holder && holder->owner == "nianbao serve")) {
    return Fail(1, "cannot open database: " + opened.status().ToString());
  }
  // The running service takes it (it holds the database), and this waits.
  auto started = CallService(*options, "POST", "/backup?dir=" + QueryEncode(dir));
  if (!started.ok()) return Fail(1, "the service's admin endpoint did not answer: " + started.status().ToString());
  if (started.value().status != 202) return Fail(1, "nianbao serve refused the backup: " + started.value().body);
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto state = CallService(*options, "GET", "/backup");
    if (!state.ok()) return Fail(1, "the service's admin endpoint did not answer: " + state.status().ToString());
    json b = json::parse(state.value().body, nullptr, false);
    if (!b.is_object() || b.value("dir", "") != dir || b.value("state", "") == "running") continue;
    if (b.value("state", "") != "done") return Fail(1, "backup failed: " + b.value("error", std::string("unknown")));
    std::printf("backup of %s at %s (taken by nianbao serve, pid %ld)\n", options->storage.path.c_str(), dir.c_str(),
                holder->pid);
    return 0;
  }
}

int RunVerify(const CommandLine& cl) {
  auto options = LoadOptions(cl);
  if (!options) return 2;
  auto db = OpenDatabaseToRead(options->storage, "verify");
  if (!db) return 1;
  auto v = db->Verify();
  if (!v.ok()) return Fail(1, v.status().ToString());
  const store::Database::Verification& r = v.value();
  std::printf("reports: %llu, versions: %llu, raw bodies: %llu; every table block checked against its checksum\n",
              static_cast<unsigned long long>(r.reports), static_cast<unsigned long long>(r.versions),
              static_cast<unsigned long long>(r.raw_bodies));
  if (r.ok()) {
    std::printf("no problem found\n");
    return 0;
  }
  std::printf("%llu problems%s:\n", static_cast<unsigned long long>(r.problem_count),
              r.problem_count > r.problems.size() ? " (the first 100)" : "");
  for (const auto& p : r.problems) std::printf("  %s\n", p.c_str());
  std::fprintf(stderr, "nianbao: the database has problems; see docs/operations.md, Repair\n");
  return 1;
}

int RunCheck(const CommandLine& cl) {
  auto options = LoadOptions(cl);
  if (!options) return 2;
  auto db = OpenDatabaseToRead(options->storage, "check");
  if (!db) return 1;
  std::map<std::string, int> versions;
  Status st = db->ForEachVersion([&](const std::string& text) {
    json r = json::parse(text, nullptr, false);
    if (r.is_object()) ++versions[r.value("report_id", "")];
    return true;
  });
  if (!st.ok()) return Fail(1, st.ToString());
  std::map<std::string, const PortalOptions*> portals;
  for (const auto& p : options->portals) portals[p.name] = &p;
  std::vector<extract::LedgerInput> reports;
  st = db->ForEachLatest([&](const std::string& text) {
    json r = json::parse(text, nullptr, false);
    if (!r.is_object()) return true;
    extract::LedgerInput in;
    in.versions = std::max(1, versions[r.value("report_id", "")]);
    if (auto it = portals.find(r.value("portal", "")); it != portals.end()) {
      in.region = it->second->region;
      in.level = it->second->level;
    }
    in.record = std::move(r);
    reports.push_back(std::move(in));
    return true;
  });
  if (!st.ok()) return Fail(1, st.ToString());
  extract::LedgerOptions lo;
  lo.aliases = options->agency_aliases;
  lo.year = cl.year;
  const json ledger = extract::BuildLedger(reports, lo);
  if (!cl.html.empty()) {
    std::ofstream html(cl.html, std::ios::binary | std::ios::trunc);
    if (!html) return Fail(1, cl.html + ": cannot write");
    html << extract::LedgerHtml(ledger);
    std::fprintf(stderr, "nianbao check: ledger written to %s\n", cl.html.c_str());
  }
  const std::string format = cl.format.empty() ? "text" : cl.format;
  if (format == "json") {
    std::printf("%s\n", ledger.dump(2).c_str());
  } else if (format == "csv") {
    std::printf("agency,agency_key,region,level,year,status,late,changed,attachment_only,report_id,url\n");
    for (const auto& a : ledger["agencies"]) {
      for (const auto& [year, c] : a["years"].items()) {
        std::printf("%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", CsvCell(a["name"]).c_str(), CsvCell(a["key"]).c_str(),
                    CsvCell(a.value("region", "")).c_str(), CsvCell(a.value("level", "")).c_str(), year.c_str(),
                    c.value("status", "").c_str(), c.value("late", false) ? "1" : "0", c.value("changed", false) ? "1" : "0",
                    c.value("attachment_only", false) ? "1" : "0", CsvCell(c.value("report_id", "")).c_str(),
                    CsvCell(c.value("url", "")).c_str());
      }
    }
  } else {
    const json& counts = ledger["counts"];
    std::printf("checked S2 %ld, S3 %ld; findings %zu\n", ledger["checked"].value("S2", 0L), ledger["checked"].value("S3", 0L),
                ledger["findings"].size());
    for (const auto& f : ledger["findings"]) {
      std::printf("  %s %s %s %d: %s\n", f.value("rule", "").c_str(), f.value("outcome", "").c_str(), f.value("agency", "").c_str(),
                  f.value("year", 0), f.value("detail", "").c_str());
    }
    std::printf("ledger: found %ld, missing %ld, late %ld, changed after publication %ld, only an attachment %ld\n",
                counts.value("found", 0L), counts.value("missing", 0L), counts.value("late", 0L), counts.value("changed", 0L),
                counts.value("attachment_only", 0L));
    std::vector<std::vector<std::string>> rows = {{"agency"}};
    for (const auto& y : ledger["years"]) rows[0].push_back(std::to_string(y.get<int>()));
    for (const auto& a : ledger["agencies"]) {
      std::vector<std::string> row = {a["name"].get<std::string>()};
      for (const auto& y : ledger["years"]) {
        const json& c = a["years"][std::to_string(y.get<int>())];
        std::string mark = c.value("status", "") != "found" ? "missing" : c.value("late", false) ? "late" : "found";
        if (c.value("changed", false)) mark += "+changed";
        if (c.value("attachment_only", false)) mark += "+attachment";
        row.push_back(mark);
      }
      rows.push_back(std::move(row));
    }
    std::fputs(TextTable(rows, "  ").c_str(), stdout);
  }
  return 0;
}


}  // namespace nianbao
