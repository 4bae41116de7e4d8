// Structured log lines to stderr (journald keeps them under systemd):
//   2026-11-28T02:13:44Z level=info event=stored portal=demo url=http://… report_id=… version=2
// Values with spaces are quoted. Never pass secrets or page bodies.
#ifndef NIANBAO_CONFIG_LOG_H_
#define NIANBAO_CONFIG_LOG_H_

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace nianbao {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// Lines below this level are dropped. Default kInfo. Thread-safe.
void SetLogLevel(LogLevel level);

// Writes one line atomically. Thread-safe.
void Log(LogLevel level, std::string_view event,
         std::initializer_list<std::pair<std::string_view, std::string_view>> fields = {});

}  // namespace nianbao

#endif  // NIANBAO_CONFIG_LOG_H_
