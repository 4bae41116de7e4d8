// Cron schedules: parsing an expression and finding the times it fires.
#ifndef NIANBAO_CONFIG_CRON_H_
#define NIANBAO_CONFIG_CRON_H_

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>

#include "config/status.h"

namespace nianbao {

// A cron schedule in local time. 5 fields "minute hour day-of-month month day-of-week" (standard
// cron), or 6 fields with seconds first ("*/5 * * * * *"), nianbao's extension for tests and
// short intervals. Fields are separated by spaces or tabs. Each field is a comma-separated list
// of items; an item is "*", a number, a range "a-b" (a <= b), or a step "*/n", "a-b/n" or "a/n"
// ("a/n" = from a to the field's maximum, every n). Month names JAN-DEC and weekday names SUN-SAT
// (case-insensitive) may stand for numbers, also in ranges; day-of-week 0 and 7 are Sunday.
// Ranges: second and minute 0-59, hour 0-23, day-of-month 1-31, month 1-12, day-of-week 0-7; a
// step must lie between 1 and the field's maximum ("*/90" in minutes is an error, not "0").
// Macros: @yearly = @annually = "0 0 1 1 *", @monthly = "0 0 1 * *", @weekly = "0 0 * * 0",
// @daily = @midnight = "0 0 * * *", @hourly = "0 * * * *" (case-insensitive; @reboot is refused).
//
// Standard cron rule: when both day-of-month and day-of-week are restricted, a day matches if
// EITHER matches ("0 0 13 * FRI" fires on every 13th and on every Friday). A field counts as
// restricted unless it is exactly "*"; so "*/2" restricts (Vixie cron, which looks only at the
// first character, would not).
//
// Local time. Fields are wall-clock time in the process's zone, as localtime_r() sees it (TZ, read
// by tzset()). A wall-clock time that does not exist (a DST spring-forward gap) is skipped: with
// a 02:00->03:00 jump, "30 2 * * *" does not fire that day. In a repeated hour (DST fall-back), a
// schedule whose hour field covers all 24 hours ("*/10 * * * *", "0 * * * *") fires in both
// passes, so its interval carries on; any other schedule fires once per wall-clock time, at its
// first occurrence ("30 1 * * *" runs once on a night when 01:00-02:00 happens twice). Offset
// changes are assumed to be at least two days apart, as in every zone's current rules.
//
// Thread-safe once parsed: Next() and Previous() are const and call only localtime_r().
class CronSchedule {
 public:
  // Errors are InvalidArgument; the message names the expression, the field and the offending
  // text, e.g. `cron "0 25 * * *": hour: 25 is out of range 0-23`.
  static Result<CronSchedule> Parse(const std::string& expression);

  // First matching time strictly after `after`; nullopt if none within 5 years (1827 days),
  // e.g. "0 0 30 2 *".
  std::optional<std::time_t> Next(std::time_t after) const;

  // Latest matching time at or before `at`; nullopt if none within the previous 5 years.
  std::optional<std::time_t> Previous(std::time_t at) const;

  // The expression as given to Parse().
  const std::string& expression() const { return expression_; }

 private:
  CronSchedule() = default;

  bool DayMatches(int64_t days_since_epoch, int day_of_month) const;
  // Wall-clock searches over "civil seconds": local date and time counted as if it were UTC.
  // First matching civil time in [from, to] / last one in [to, from]; nullopt if none.
  std::optional<int64_t> NextCivil(int64_t from, int64_t to) const;
  std::optional<int64_t> PreviousCivil(int64_t from, int64_t to) const;

  std::string expression_;
  // Bit sets: bit n set = value n matches.
  uint64_t seconds_ = 0;             // 0-59
  uint64_t minutes_ = 0;             // 0-59
  uint64_t hours_ = 0;               // 0-23
  uint64_t days_ = 0;                // 1-31
  uint64_t months_ = 0;              // 1-12
  uint64_t weekdays_ = 0;            // 0-6, Sunday = 0
  bool day_restricted_ = false;      // day-of-month is not "*"
  bool weekday_restricted_ = false;  // day-of-week is not "*"
};

}  // namespace nianbao

#endif  // NIANBAO_CONFIG_CRON_H_
