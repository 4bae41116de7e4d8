#include "config/log.h"

#include <atomic>
#include <cstdio>
#include <ctime>
#include <unistd.h>

namespace nianbao {
namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};

void AppendValue(std::string* line, std::string_view v) {
  bool quote = v.empty() || v.find_first_of(" \t\"=") != std::string_view::npos;
  if (!quote) {
    line->append(v);
    return;
  }
  line->push_back('"');
  for (char c : v) {
    if (c == '"' || c == '\\') line->push_back('\\');
    if (c == '\n') {
      line->append("\\n");
      continue;
    }
    line->push_back(c);
  }
  line->push_back('"');
}
}  // namespace

void SetLogLevel(LogLevel level) { g_level = static_cast<int>(level); }

void Log(LogLevel level, std::string_view event,
         std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  if (static_cast<int>(level) < g_level.load()) return;
  static const char* kNames[] = {"debug", "info", "warn", "error"};
  char ts[32];
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::string line = ts;
  line += " level=";
  line += kNames[static_cast<int>(level)];
  line += " event=";
  line.append(event);
  for (const auto& [k, v] : fields) {
    line.push_back(' ');
    line.append(k);
    line.push_back('=');
    AppendValue(&line, v);
  }
  line.push_back('\n');
  // On a terminal a progress line may be drawn (and redrawn with \r) on the
  // last line: clear it first, so a log line never mixes with it; the
  // progress line is drawn again below at its next tick.
  static const bool tty = ::isatty(2) == 1;
  if (tty) line.insert(0, "\r\033[K");
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace nianbao
