#include "config/load.h"

#include "config/cron.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "config/cron.h"
#include "config/url.h"

namespace nianbao {
namespace {

// Thrown inside this file only; turned into a Status by LoadConfigFromString.
struct ConfigError {
  Status status;
};

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void Fail(const YAML::Node& node, const std::string& key, const std::string& msg) const {
    const YAML::Mark m = node.Mark();
    std::string where = file_;
    if (m.line >= 0) where += ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
    throw ConfigError{Status::InvalidArgument(key.empty() ? msg : key + ": " + msg, where)};
  }

  static std::string Shown(const YAML::Node& node) {
    if (node.IsScalar()) return "\"" + node.Scalar() + "\"";
    if (node.IsSequence()) return "a list";
    if (node.IsMap()) return "a mapping";
    return "nothing";
  }

  // Calls on_key(key, value, dotted) for each entry; unknown keys are errors.
  void ForEachKey(const YAML::Node& map, const std::string& prefix, const std::set<std::string>& known,
                  const std::function<void(const std::string&, const YAML::Node&, const std::string&)>& on_key) {
    if (!map.IsMap()) Fail(map, prefix, "expected a mapping, got " + Shown(map));
    for (const auto& kv : map) {
      const std::string key = kv.first.as<std::string>();
      const std::string dotted = prefix.empty() ? key : prefix + "." + key;
      if (!known.count(key)) Fail(kv.first, dotted, "unknown key");
      on_key(key, kv.second, dotted);
    }
  }

  std::string String(const YAML::Node& n, const std::string& key) {
    if (!n.IsScalar()) Fail(n, key, "expected a string, got " + Shown(n));
    return n.Scalar();
  }

  int64_t Integer(const YAML::Node& n, const std::string& key, int64_t min, const char* what) {
    if (n.IsScalar()) {
      const std::string& s = n.Scalar();
      bool digits = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
      if (digits && s.size() < 12) {
        int64_t v = std::stoll(s);
        if (v >= min) return v;
      }
    }
    Fail(n, key, std::string("expected ") + what + ", got " + Shown(n));
  }
  int Positive(const YAML::Node& n, const std::string& key) {
    return static_cast<int>(Integer(n, key, 1, "a positive integer"));
  }
  int NonNegative(const YAML::Node& n, const std::string& key) {
    return static_cast<int>(Integer(n, key, 0, "a non-negative integer"));
  }

  // Seconds: a positive decimal number such as 30 or 0.5.
  double Seconds(const YAML::Node& n, const std::string& key) {
    if (n.IsScalar()) {
      const std::string& s = n.Scalar();
      char* end = nullptr;
      const double v = s.empty() ? 0 : std::strtod(s.c_str(), &end);
      if (end && *end == '\0' && v > 0 && v < 1e6 && s.find_first_not_of("0123456789.") == std::string::npos) return v;
    }
    Fail(n, key, "expected a number of seconds above 0, got " + Shown(n));
  }

  bool Bool(const YAML::Node& n, const std::string& key) {
    if (n.IsScalar()) {
      const std::string& s = n.Scalar();
      if (s == "true" || s == "yes" || s == "on") return true;
      if (s == "false" || s == "no" || s == "off") return false;
    }
    Fail(n, key, "expected true or false, got " + Shown(n));
  }

  std::vector<std::string> StringList(const YAML::Node& n, const std::string& key) {
    if (n.IsScalar()) return {n.Scalar()};
    if (!n.IsSequence()) Fail(n, key, "expected a list of strings, got " + Shown(n));
    std::vector<std::string> out;
    for (const auto& item : n) out.push_back(String(item, key));
    return out;
  }

  void Storage(const YAML::Node& n, StorageOptions* o) {
    ForEachKey(n, "storage", {"path"}, [&](const std::string&, const YAML::Node& v, const std::string& k) {
      o->path = String(v, k);
      if (o->path.empty()) Fail(v, k, "must not be empty");
    });
  }

  void Crawl(const YAML::Node& n, CrawlOptions* o) {
    static const std::set<std::string> kKeys = {
        "user_agent", "per_host_concurrency", "per_host_delay_ms", "max_connections", "timeout_s",
        "connect_timeout_s", "max_page_bytes", "max_retries", "respect_robots", "honor_retry_after",
        "page_cpu_budget_s"};
    ForEachKey(n, "crawl", kKeys, [&](const std::string& key, const YAML::Node& v, const std::string& k) {
      if (key == "user_agent") {
        o->user_agent = String(v, k);
        if (o->user_agent.empty()) Fail(v, k, "must not be empty");
      } else if (key == "per_host_concurrency") o->per_host_concurrency = Positive(v, k);
      else if (key == "per_host_delay_ms") o->per_host_delay_ms = NonNegative(v, k);
      else if (key == "max_connections") o->max_connections = Positive(v, k);
      else if (key == "timeout_s") o->timeout_s = Positive(v, k);
      else if (key == "connect_timeout_s") o->connect_timeout_s = Positive(v, k);
      else if (key == "max_retries") o->max_retries = NonNegative(v, k);
      else if (key == "respect_robots") o->respect_robots = Bool(v, k);
      else if (key == "honor_retry_after") o->honor_retry_after = Bool(v, k);
      else if (key == "page_cpu_budget_s") o->page_cpu_budget_s = Seconds(v, k);
      else if (key == "max_page_bytes") {
        o->max_page_bytes = v.IsScalar() ? ParseByteSize(v.Scalar()) : -1;
        if (o->max_page_bytes <= 0) Fail(v, k, "expected a size such as 20MiB, got " + Shown(v));
      }
    });
  }

  void Schedule(const YAML::Node& n, ScheduleOptions* o) {
    ForEachKey(n, "schedule", {"refresh", "revisit_after_days"},
               [&](const std::string& key, const YAML::Node& v, const std::string& k) {
                 if (key == "revisit_after_days") {
                   o->revisit_after_days = NonNegative(v, k);
                   return;
                 }
                 o->refresh = String(v, k);
                 auto cron = CronSchedule::Parse(o->refresh);
                 if (!cron.ok()) Fail(v, k, cron.status().message());
               });
  }

  void Admin(const YAML::Node& n, AdminOptions* o) {
    ForEachKey(n, "admin", {"listen", "token_file"}, [&](const std::string& key, const YAML::Node& v, const std::string& k) {
      if (key == "token_file") {
        o->token_file = String(v, k);
        if (o->token_file.empty()) Fail(v, k, "expected the path of a file holding the token");
        return;
      }
      o->listen = String(v, k);
      size_t colon = o->listen.rfind(':');
      bool ok = colon != std::string::npos && colon > 0 && colon + 1 < o->listen.size();
      if (ok) {
        const std::string port = o->listen.substr(colon + 1);
        ok = std::all_of(port.begin(), port.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
             port.size() <= 5 && std::stoi(port) > 0 && std::stoi(port) <= 65535;
      }
      if (!ok) Fail(v, k, "expected host:port, got " + Shown(v));
    });
  }

  PortalOptions Portal(const YAML::Node& n, const std::string& prefix) {
    static const std::set<std::string> kKeys = {"name", "start_urls", "allow_hosts", "region", "years", "cms",
                                                "max_pages", "level", "agency", "notes", "report_urls",
                                                "allow_private_addresses"};
    PortalOptions p;
    ForEachKey(n, prefix, kKeys, [&](const std::string& key, const YAML::Node& v, const std::string& k) {
      if (key == "name") p.name = String(v, k);
      else if (key == "start_urls" || key == "report_urls") {
        auto urls = StringList(v, k);
        for (const auto& u : urls) {
          if (!ParseUrl(u)) Fail(v, k, "expected absolute http(s) URLs, got \"" + u + "\"");
        }
        (key == "start_urls" ? p.start_urls : p.report_urls) = urls;
      } else if (key == "allow_hosts") p.allow_hosts = StringList(v, k);
      else if (key == "region") p.region = String(v, k);
      else if (key == "level") p.level = String(v, k);
      else if (key == "agency") p.agency = String(v, k);
      else if (key == "notes") p.notes = String(v, k);
      else if (key == "max_pages") p.max_pages = Positive(v, k);
      else if (key == "allow_private_addresses") p.allow_private_addresses = Bool(v, k);
      else if (key == "cms") {
        p.cms = String(v, k);
        static const std::set<std::string> kCms = {"auto", "trs", "hanweb", "gkmlpt", "vsb", "generic"};
        if (!kCms.count(p.cms)) Fail(v, k, "expected one of auto, trs, hanweb, gkmlpt, vsb, generic, got " + Shown(v));
      } else if (key == "years") {
        if (!v.IsSequence() || v.size() != 2) Fail(v, k, "expected [first, last], got " + Shown(v));
        p.year_min = static_cast<int>(Integer(v[0], k, 1990, "a year"));
        p.year_max = static_cast<int>(Integer(v[1], k, 1990, "a year"));
        if (p.year_min > p.year_max || p.year_max > 2100) Fail(v, k, "expected first <= last, both years");
      }
    });
    if (p.name.empty()) Fail(n, prefix + ".name", "required");
    if (p.start_urls.empty() && p.report_urls.empty()) Fail(n, prefix + ".start_urls", "required");
    if (p.allow_hosts.empty()) {
      // The start URLs' hosts on their own ports: the web ports (80 and
      // 443, so an http page may move to https) for a URL on one of them,
      // else that port only. A page cannot steer the crawl to other ports
      // of the same host (an admin endpoint, a database). "host" written in
      // the configuration still means any port (config.md).
      auto add = [&](const std::string& entry) {
        if (std::find(p.allow_hosts.begin(), p.allow_hosts.end(), entry) == p.allow_hosts.end()) p.allow_hosts.push_back(entry);
      };
      for (const auto& list : {p.start_urls, p.report_urls}) {
        for (const auto& u : list) {
          auto url = ParseUrl(u);
          const int port = url->EffectivePort();
          if (port == 80 || port == 443) {
            add(url->host + ":80");
            add(url->host + ":443");
          } else {
            add(url->host + ":" + std::to_string(port));
          }
        }
      }
    }
    return p;
  }

  void Portals(const YAML::Node& n, const std::string& prefix, std::vector<PortalOptions>* out) {
    if (!n.IsSequence()) Fail(n, prefix, "expected a list of portals, got " + Shown(n));
    for (size_t i = 0; i < n.size(); ++i) out->push_back(Portal(n[i], prefix + "[" + std::to_string(i) + "]"));
  }

  // agencies: {name: [other names]} (names as printed).
  void Agencies(const YAML::Node& n, std::map<std::string, std::vector<std::string>>* out) {
    if (!n.IsMap()) Fail(n, "agencies", "expected a mapping of an agency's name to its other names, got " + Shown(n));
    for (const auto& kv : n) {
      const std::string name = kv.first.Scalar();
      if (name.empty()) Fail(kv.first, "agencies", "an agency name must not be empty");
      (*out)[name] = StringList(kv.second, "agencies." + name);
    }
  }

  void Top(const YAML::Node& root, Options* o) {
    if (!root.IsDefined() || root.IsNull()) return;  // empty file: all defaults
    static const std::set<std::string> kKeys = {"storage", "crawl", "schedule", "admin", "portals", "portals_dir", "agencies"};
    ForEachKey(root, "", kKeys, [&](const std::string& key, const YAML::Node& v, const std::string& k) {
      if (key == "storage") Storage(v, &o->storage);
      else if (key == "crawl") Crawl(v, &o->crawl);
      else if (key == "schedule") Schedule(v, &o->schedule);
      else if (key == "admin") Admin(v, &o->admin);
      else if (key == "portals_dir") o->portals_dir = String(v, k);
      else if (key == "portals") Portals(v, "portals", &o->portals);
      else if (key == "agencies") Agencies(v, &o->agency_aliases);
    });
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

YAML::Node ParseYaml(const std::string& text, const std::string& name) {
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    std::string where = name + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
    throw ConfigError{Status::InvalidArgument("YAML syntax error: " + e.msg, where)};
  }
}

Status ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot read configuration file", path);
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return Status::OK();
}

Result<Options> Load(const std::string& text, const std::string& name, bool read_portals_dir) {
  Options o;
  o.source = name;
  try {
    Reader reader(name);
    reader.Top(ParseYaml(text, name), &o);
    if (read_portals_dir && !o.storage.path.empty() && std::filesystem::path(o.storage.path).is_relative()) {
      // Relative to the configuration file, as portals_dir is: the same
      // database whatever the working directory of the command.
      o.storage.path = std::filesystem::absolute(std::filesystem::path(name).parent_path() / o.storage.path).lexically_normal().string();
    }
    if (read_portals_dir && !o.admin.token_file.empty() && std::filesystem::path(o.admin.token_file).is_relative()) {
      o.admin.token_file =
          std::filesystem::absolute(std::filesystem::path(name).parent_path() / o.admin.token_file).lexically_normal().string();
    }
    if (read_portals_dir && !o.portals_dir.empty()) {
      std::filesystem::path dir(o.portals_dir);
      if (dir.is_relative()) dir = std::filesystem::path(name).parent_path() / dir;
      std::error_code ec;
      std::vector<std::filesystem::path> files;
      for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
        if (e.path().extension() == ".yaml" || e.path().extension() == ".yml") files.push_back(e.path());
      }
      if (ec) return Status::IOError("cannot read portals_dir: " + ec.message(), dir.string());
      std::sort(files.begin(), files.end());
      for (const auto& f : files) {
        std::string body;
        if (Status s = ReadFile(f.string(), &body); !s.ok()) return s;
        Reader sub(f.string());
        YAML::Node root = ParseYaml(body, f.string());
        // A portals.d file is a list of portals, or a mapping with `portals:`.
        if (root.IsMap() && root["portals"]) {
          sub.ForEachKey(root, "", {"portals"}, [&](const std::string&, const YAML::Node& v, const std::string&) {
            sub.Portals(v, "portals", &o.portals);
          });
        } else if (!root.IsNull()) {
          sub.Portals(root, "portals", &o.portals);
        }
      }
    }
  } catch (const ConfigError& e) {
    return e.status;
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(e.msg, name + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1));
  }
  std::set<std::string> names;
  for (const auto& p : o.portals) {
    if (!names.insert(p.name).second) return Status::InvalidArgument("portals: duplicate portal name \"" + p.name + "\"", name);
  }
  return o;
}

}  // namespace

bool HostAllowed(const std::vector<std::string>& allow, const std::string& host, int port) {
  for (const auto& a : allow) {
    if (a == host || a == host + ":" + std::to_string(port)) return true;
  }
  return false;
}

Result<std::string> AdminToken(const AdminOptions& admin) {
  if (admin.token_file.empty()) return std::string();
  std::ifstream in(admin.token_file);
  if (!in) return Status::IOError("cannot read the admin token file", admin.token_file);
  std::string token;
  std::getline(in, token);
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  if (token.size() < 16 || token.find_first_of(" \t") != std::string::npos) {
    return Status::InvalidArgument("the admin token must be one line of 16 or more characters, no spaces",
                                   admin.token_file);
  }
  return token;
}

bool PortalOptions::AllowsHost(const std::string& host, int port) const { return HostAllowed(allow_hosts, host, port); }

int64_t ParseByteSize(const std::string& text) {
  size_t i = 0;
  int64_t n = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    if (n > (int64_t{1} << 50)) return -1;
    n = n * 10 + (text[i++] - '0');
  }
  if (i == 0) return -1;
  std::string unit = text.substr(i);
  unit.erase(std::remove(unit.begin(), unit.end(), ' '), unit.end());
  static const std::map<std::string, int64_t> kUnits = {
      {"", 1}, {"B", 1}, {"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", int64_t{1} << 30},
      {"KB", 1000}, {"MB", 1000000}, {"GB", 1000000000}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", int64_t{1} << 30}};
  auto it = kUnits.find(unit);
  return it == kUnits.end() ? -1 : n * it->second;
}

Result<Options> LoadConfigFromString(const std::string& yaml, const std::string& name) {
  return Load(yaml, name, /*read_portals_dir=*/false);
}

Result<Options> LoadConfig(const std::string& path) {
  std::string text;
  if (Status s = ReadFile(path, &text); !s.ok()) return s;
  return Load(text, path, /*read_portals_dir=*/true);
}

std::string DumpConfig(const Options& o) {
  YAML::Emitter e;
  e << YAML::BeginMap;
  e << YAML::Key << "storage" << YAML::Value << YAML::BeginMap << YAML::Key << "path" << YAML::Value << o.storage.path << YAML::EndMap;
  const CrawlOptions& c = o.crawl;
  e << YAML::Key << "crawl" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "user_agent" << YAML::Value << YAML::DoubleQuoted << c.user_agent;
  e << YAML::Key << "per_host_concurrency" << YAML::Value << c.per_host_concurrency;
  e << YAML::Key << "per_host_delay_ms" << YAML::Value << c.per_host_delay_ms;
  e << YAML::Key << "max_connections" << YAML::Value << c.max_connections;
  e << YAML::Key << "timeout_s" << YAML::Value << c.timeout_s;
  e << YAML::Key << "connect_timeout_s" << YAML::Value << c.connect_timeout_s;
  e << YAML::Key << "max_page_bytes" << YAML::Value << c.max_page_bytes;
  e << YAML::Key << "max_retries" << YAML::Value << c.max_retries;
  e << YAML::Key << "respect_robots" << YAML::Value << c.respect_robots;
  e << YAML::Key << "honor_retry_after" << YAML::Value << c.honor_retry_after;
  e << YAML::Key << "page_cpu_budget_s" << YAML::Value << c.page_cpu_budget_s;
  e << YAML::EndMap;
  e << YAML::Key << "schedule" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "refresh" << YAML::Value << YAML::DoubleQuoted << o.schedule.refresh;
  e << YAML::Key << "revisit_after_days" << YAML::Value << o.schedule.revisit_after_days << YAML::EndMap;
  e << YAML::Key << "admin" << YAML::Value << YAML::BeginMap << YAML::Key << "listen" << YAML::Value << o.admin.listen;
  if (!o.admin.token_file.empty()) e << YAML::Key << "token_file" << YAML::Value << o.admin.token_file;
  e << YAML::EndMap;
  if (!o.portals_dir.empty()) e << YAML::Key << "portals_dir" << YAML::Value << o.portals_dir;
  if (!o.agency_aliases.empty()) {
    e << YAML::Key << "agencies" << YAML::Value << YAML::BeginMap;
    for (const auto& [name, others] : o.agency_aliases) e << YAML::Key << name << YAML::Value << YAML::Flow << others;
    e << YAML::EndMap;
  }
  e << YAML::Key << "portals" << YAML::Value << YAML::BeginSeq;
  for (const auto& p : o.portals) {
    e << YAML::BeginMap;
    e << YAML::Key << "name" << YAML::Value << p.name;
    e << YAML::Key << "start_urls" << YAML::Value << YAML::Flow << p.start_urls;
    e << YAML::Key << "allow_hosts" << YAML::Value << YAML::Flow << p.allow_hosts;
    if (!p.region.empty()) e << YAML::Key << "region" << YAML::Value << p.region;
    if (p.year_min) e << YAML::Key << "years" << YAML::Value << YAML::Flow << std::vector<int>{p.year_min, p.year_max};
    e << YAML::Key << "cms" << YAML::Value << p.cms;
    e << YAML::Key << "max_pages" << YAML::Value << p.max_pages;
    if (p.allow_private_addresses) e << YAML::Key << "allow_private_addresses" << YAML::Value << true;
    if (!p.report_urls.empty()) e << YAML::Key << "report_urls" << YAML::Value << YAML::Flow << p.report_urls;
    e << YAML::EndMap;
  }
  e << YAML::EndSeq << YAML::EndMap;
  return std::string(e.c_str()) + "\n";
}

}  // namespace nianbao
