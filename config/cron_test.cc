#include "config/cron.h"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <vector>

using namespace nianbao;

namespace {

// "2025-03-09 07:30:00 UTC (Sun)", so that a failed CHECK shows a date rather than an epoch count.
std::string ShowUtc(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC (%a)", &tm);
  return buf;
}

}  // namespace

namespace doctest {
template <>
struct StringMaker<std::optional<std::time_t>> {
  static String convert(const std::optional<std::time_t>& t) { return t ? ShowUtc(*t).c_str() : "nullopt"; }
};
}  // namespace doctest

namespace {

// Sets TZ for one test case and restores the previous value when it ends.
class ScopedTimeZone {
 public:
  explicit ScopedTimeZone(const char* tz) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    setenv("TZ", tz, 1);
    tzset();
  }
  ~ScopedTimeZone() {
    if (old_) {
      setenv("TZ", old_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
  ScopedTimeZone(const ScopedTimeZone&) = delete;
  ScopedTimeZone& operator=(const ScopedTimeZone&) = delete;

 private:
  std::optional<std::string> old_;
};

// Epoch seconds of a literal UTC date, independently of the code under test.
std::time_t Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return timegm(&tm);
}

CronSchedule Cron(const std::string& expression) {
  Result<CronSchedule> r = CronSchedule::Parse(expression);
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  return r.value();
}

std::string ParseError(const std::string& expression) {
  Result<CronSchedule> r = CronSchedule::Parse(expression);
  REQUIRE_MESSAGE(!r.ok(), expression);
  CHECK(r.status().IsInvalidArgument());
  return r.status().message();
}

// The firing times in [from, to], stepping a minute (or a second) at a time and asking
// localtime_r: an independent oracle. `matches` sees the local broken-down time. Unless
// `every_hour`, a wall-clock time already seen an hour earlier (second pass of a repeated hour)
// does not fire again.
std::vector<std::time_t> BruteForce(std::time_t from, std::time_t to, std::time_t step, bool every_hour,
                                    const std::function<bool(const std::tm&)>& matches) {
  std::vector<std::time_t> out;
  for (std::time_t t = from; t <= to; t += step) {
    std::tm tm{};
    localtime_r(&t, &tm);
    if (!matches(tm)) continue;
    if (!every_hour) {
      const std::time_t hour_ago = t - 3600;
      std::tm earlier{};
      localtime_r(&hour_ago, &earlier);
      if (earlier.tm_mday == tm.tm_mday && earlier.tm_hour == tm.tm_hour && earlier.tm_min == tm.tm_min &&
          earlier.tm_sec == tm.tm_sec) {
        continue;
      }
    }
    out.push_back(t);
  }
  return out;
}

// Next() from just before `from` on, and Previous() from `to` back, must list `expected`.
void CheckAgainst(const CronSchedule& cron, std::time_t from, std::time_t to,
                  const std::vector<std::time_t>& expected) {
  INFO(cron.expression());
  REQUIRE(!expected.empty());
  std::vector<std::time_t> forward;
  for (std::optional<std::time_t> t = cron.Next(from - 1); t && *t <= to; t = cron.Next(*t)) forward.push_back(*t);
  CHECK(forward == expected);
  std::vector<std::time_t> backward;
  for (std::optional<std::time_t> t = cron.Previous(to); t && *t >= from; t = cron.Previous(*t - 1)) {
    backward.insert(backward.begin(), *t);
  }
  CHECK(backward == expected);
}

}  // namespace

TEST_SUITE("config/cron") {
  TEST_CASE("parse errors name the field and the offending text") {
    CHECK(ParseError("0 25 * * *") == "cron \"0 25 * * *\": hour: 25 is out of range 0-23");
    CHECK(ParseError("* * *") ==
          "cron \"* * *\": expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, "
          "got 3");
    CHECK(ParseError("").ends_with("got 0"));
    CHECK(ParseError("* * * * * * *").ends_with("got 7"));
    CHECK(ParseError("60 * * * *") == "cron \"60 * * * *\": minute: 60 is out of range 0-59");
    CHECK(ParseError("x * * * *") == "cron \"x * * * *\": minute: \"x\" is not a number");
    CHECK(ParseError("? * * * *") == "cron \"? * * * *\": minute: \"?\" is not a number");
    CHECK(ParseError("* * 0 * *") == "cron \"* * 0 * *\": day-of-month: 0 is out of range 1-31");
    CHECK(ParseError("* * 32 * *") == "cron \"* * 32 * *\": day-of-month: 32 is out of range 1-31");
    CHECK(ParseError("* * * 13 *") == "cron \"* * * 13 *\": month: 13 is out of range 1-12");
    CHECK(ParseError("* * * FOO *") == "cron \"* * * FOO *\": month: \"FOO\" is not a number or month name");
    CHECK(ParseError("* * * * 8") == "cron \"* * * * 8\": day-of-week: 8 is out of range 0-7");
    CHECK(ParseError("* * * * FUN") == "cron \"* * * * FUN\": day-of-week: \"FUN\" is not a number or weekday name");
    CHECK(ParseError("* * * * MONDAY") ==
          "cron \"* * * * MONDAY\": day-of-week: \"MONDAY\" is not a number or weekday name");
    CHECK(ParseError("*/0 * * * *") == "cron \"*/0 * * * *\": minute: step 0 in \"*/0\" is out of range 1-59");
    CHECK(ParseError("*/90 * * * *") == "cron \"*/90 * * * *\": minute: step 90 in \"*/90\" is out of range 1-59");
    CHECK(ParseError("*/a * * * *") == "cron \"*/a * * * *\": minute: step \"a\" in \"*/a\" is not a number");
    CHECK(ParseError("0 17-9 * * *") == "cron \"0 17-9 * * *\": hour: range \"17-9\" runs backwards");
    CHECK(ParseError("0 1-25 * * *") == "cron \"0 1-25 * * *\": hour: 25 in \"1-25\" is out of range 0-23");
    CHECK(ParseError("0 1- * * *") == "cron \"0 1- * * *\": hour: missing number in \"1-\"");
    CHECK(ParseError("0 1,,2 * * *") == "cron \"0 1,,2 * * *\": hour: empty list item in \"1,,2\"");
    CHECK(ParseError("0 0 * * FRI-MON") == "cron \"0 0 * * FRI-MON\": day-of-week: range \"FRI-MON\" runs backwards");
    CHECK(ParseError("60 * * * * *") == "cron \"60 * * * * *\": second: 60 is out of range 0-59");
    CHECK(ParseError("0 60 * * * *") == "cron \"0 60 * * * *\": minute: 60 is out of range 0-59");
    CHECK(ParseError("@reboot") ==
          "cron \"@reboot\": unknown macro \"@reboot\"; expected @yearly, @annually, @monthly, @weekly, @daily, "
          "@midnight or @hourly");
    CHECK(ParseError("99999999999 * * * *") ==
          "cron \"99999999999 * * * *\": minute: 99999999999 is out of range 0-59");
  }

  TEST_CASE("whitespace, macros and the expression as given") {
    ScopedTimeZone tz("UTC");
    const std::time_t t = Utc(2025, 6, 15, 10, 20, 30);  // a Sunday
    CHECK(Cron("  0\t2 *  * *  ").Next(t) == Utc(2025, 6, 16, 2, 0));
    CHECK(Cron("@daily").Next(t) == Utc(2025, 6, 16));
    CHECK(Cron("@midnight").Next(t) == Utc(2025, 6, 16));
    CHECK(Cron("@HOURLY").Next(t) == Utc(2025, 6, 15, 11, 0));
    CHECK(Cron("@weekly").Next(t) == Utc(2025, 6, 22));
    CHECK(Cron("@monthly").Next(t) == Utc(2025, 7, 1));
    CHECK(Cron("@yearly").Next(t) == Utc(2026, 1, 1));
    CHECK(Cron("@annually").Previous(t) == Utc(2025, 1, 1));
    CHECK(Cron("@daily").expression() == "@daily");
    CHECK(Cron(" 0 2 * * * ").expression() == " 0 2 * * * ");
  }

  TEST_CASE("Next crosses minute, hour, day, month and year boundaries") {
    ScopedTimeZone tz("UTC");
    CHECK(Cron("*/15 * * * *").Next(Utc(2025, 3, 4, 10, 7, 30)) == Utc(2025, 3, 4, 10, 15));
    CHECK(Cron("* * * * *").Next(Utc(2025, 3, 4, 10, 7, 30)) == Utc(2025, 3, 4, 10, 8));
    CHECK(Cron("*/15 * * * *").Next(Utc(2025, 3, 4, 10, 50)) == Utc(2025, 3, 4, 11, 0));
    CHECK(Cron("30 23 * * *").Next(Utc(2025, 3, 4, 23, 30)) == Utc(2025, 3, 5, 23, 30));  // strictly after
    CHECK(Cron("0 0 * * *").Next(Utc(2025, 2, 28, 23, 59, 59)) == Utc(2025, 3, 1));
    CHECK(Cron("0 0 1 * *").Next(Utc(2025, 1, 31, 12)) == Utc(2025, 2, 1));
    CHECK(Cron("0 0 31 * *").Next(Utc(2025, 1, 31, 12)) == Utc(2025, 3, 31));  // February has no 31st
    CHECK(Cron("0 0 31 * *").Next(Utc(2025, 3, 31)) == Utc(2025, 5, 31));      // nor has April
    CHECK(Cron("0 0 1 1 *").Next(Utc(2025, 12, 31, 23, 59)) == Utc(2026, 1, 1));
    CHECK(Cron("59 23 31 12 *").Next(Utc(2025, 12, 31, 23, 59)) == Utc(2026, 12, 31, 23, 59));
    CHECK(Cron("0 12 * * *").Next(Utc(1969, 12, 31, 13)) == Utc(1970, 1, 1, 12));  // negative epoch
  }

  TEST_CASE("Previous is at or before, across the same boundaries") {
    ScopedTimeZone tz("UTC");
    CHECK(Cron("30 23 * * *").Previous(Utc(2025, 3, 4, 23, 30)) == Utc(2025, 3, 4, 23, 30));  // at counts
    CHECK(Cron("30 23 * * *").Previous(Utc(2025, 3, 4, 23, 29, 59)) == Utc(2025, 3, 3, 23, 30));
    CHECK(Cron("*/15 * * * *").Previous(Utc(2025, 3, 4, 11, 14, 59)) == Utc(2025, 3, 4, 11, 0));
    CHECK(Cron("45 * * * *").Previous(Utc(2025, 3, 4, 0, 30)) == Utc(2025, 3, 3, 23, 45));
    CHECK(Cron("0 0 31 * *").Previous(Utc(2025, 3, 30)) == Utc(2025, 1, 31));
    CHECK(Cron("0 12 1 * *").Previous(Utc(2025, 3, 1, 11)) == Utc(2025, 2, 1, 12));
    CHECK(Cron("59 23 31 12 *").Previous(Utc(2026, 1, 1)) == Utc(2025, 12, 31, 23, 59));
    CHECK(Cron("0 0 1 1 *").Previous(Utc(2025, 12, 31, 23, 59)) == Utc(2025, 1, 1));
  }

  TEST_CASE("steps, lists, ranges and names") {
    ScopedTimeZone tz("UTC");
    const CronSchedule list = Cron("5,10,40 * * * *");
    CHECK(list.Next(Utc(2025, 5, 1, 8, 5)) == Utc(2025, 5, 1, 8, 10));
    CHECK(list.Next(Utc(2025, 5, 1, 8, 10)) == Utc(2025, 5, 1, 8, 40));
    CHECK(list.Next(Utc(2025, 5, 1, 8, 40)) == Utc(2025, 5, 1, 9, 5));
    const CronSchedule from_step = Cron("10/20 * * * *");  // 10, 30, 50
    CHECK(from_step.Next(Utc(2025, 5, 1, 8, 0)) == Utc(2025, 5, 1, 8, 10));
    CHECK(from_step.Next(Utc(2025, 5, 1, 8, 30)) == Utc(2025, 5, 1, 8, 50));
    CHECK(from_step.Next(Utc(2025, 5, 1, 8, 50)) == Utc(2025, 5, 1, 9, 10));
    const CronSchedule range_step = Cron("0 9-17/4 * * *");  // 9, 13, 17
    CHECK(range_step.Next(Utc(2025, 5, 1, 9)) == Utc(2025, 5, 1, 13));
    CHECK(range_step.Next(Utc(2025, 5, 1, 13)) == Utc(2025, 5, 1, 17));
    CHECK(range_step.Next(Utc(2025, 5, 1, 17)) == Utc(2025, 5, 2, 9));
    CHECK(Cron("0 */7 * * *").Next(Utc(2025, 5, 1, 21)) == Utc(2025, 5, 2, 0));  // 0, 7, 14, 21
    // 2025-05-02 is a Friday.
    const CronSchedule weekdays = Cron("30 8 * * MON-FRI");
    CHECK(weekdays.Next(Utc(2025, 5, 2, 9)) == Utc(2025, 5, 5, 8, 30));
    CHECK(weekdays.Previous(Utc(2025, 5, 5, 8)) == Utc(2025, 5, 2, 8, 30));
    CHECK(Cron("30 8 * * mon-fri").Next(Utc(2025, 5, 2, 9)) == Utc(2025, 5, 5, 8, 30));
    CHECK(Cron("30 8 * * 1-5").Next(Utc(2025, 5, 2, 9)) == Utc(2025, 5, 5, 8, 30));
    // Sunday is 0, 7 and SUN.
    for (const char* sunday : {"0 0 * * 0", "0 0 * * 7", "0 0 * * SUN", "0 0 * * Sun"}) {
      CHECK(Cron(sunday).Next(Utc(2025, 5, 2)) == Utc(2025, 5, 4));
      CHECK(Cron(sunday).Previous(Utc(2025, 5, 2)) == Utc(2025, 4, 27));
    }
    const CronSchedule weekend = Cron("0 0 * * 5-7");  // Friday, Saturday, Sunday
    CHECK(weekend.Next(Utc(2025, 5, 2)) == Utc(2025, 5, 3));
    CHECK(weekend.Next(Utc(2025, 5, 3)) == Utc(2025, 5, 4));
    CHECK(weekend.Next(Utc(2025, 5, 4)) == Utc(2025, 5, 9));
    CHECK(Cron("0 0 * * */2").Next(Utc(2025, 5, 4)) == Utc(2025, 5, 6));  // Sun, Tue, Thu, Sat
    CHECK(Cron("0 0 * * */2").Next(Utc(2025, 5, 10)) == Utc(2025, 5, 11));
    const CronSchedule months = Cron("0 0 1 JAN,jul *");
    CHECK(months.Next(Utc(2025, 1, 1)) == Utc(2025, 7, 1));
    CHECK(months.Next(Utc(2025, 7, 1)) == Utc(2026, 1, 1));
    CHECK(Cron("0 0 1 mar-MAY *").Next(Utc(2025, 5, 1)) == Utc(2026, 3, 1));
    CHECK(Cron("0 0 1 */4 *").Next(Utc(2025, 5, 1)) == Utc(2025, 9, 1));  // 1, 5, 9
  }

  TEST_CASE("day-of-month and day-of-week: either matches when both are restricted") {
    ScopedTimeZone tz("UTC");
    // 2025-06-13 is a Friday; Fridays in June 2025: 6, 13, 20, 27.
    const CronSchedule either = Cron("0 0 13 * FRI");
    CHECK(either.Next(Utc(2025, 5, 31)) == Utc(2025, 6, 6));   // a Friday, not the 13th
    CHECK(either.Next(Utc(2025, 6, 6)) == Utc(2025, 6, 13));   // both
    CHECK(either.Next(Utc(2025, 6, 27)) == Utc(2025, 7, 4));   // a Friday
    CHECK(either.Next(Utc(2025, 7, 11)) == Utc(2025, 7, 13));  // the 13th, a Sunday
    CHECK(either.Previous(Utc(2025, 7, 12)) == Utc(2025, 7, 11));
    // Only day-of-week restricted: Mondays only, whatever the day of the month.
    CHECK(Cron("0 0 * * MON").Next(Utc(2025, 5, 31)) == Utc(2025, 6, 2));
    // Only day-of-month restricted: the 1st, whatever the weekday.
    CHECK(Cron("0 0 1 * *").Next(Utc(2025, 5, 31)) == Utc(2025, 6, 1));
    // "*/10" is not "*": restricted, so the OR rule applies (days 1, 11, 21, 31 or a Monday).
    const CronSchedule step = Cron("0 0 */10 * MON");
    CHECK(step.Next(Utc(2025, 6, 1)) == Utc(2025, 6, 2));    // Monday
    CHECK(step.Next(Utc(2025, 6, 9)) == Utc(2025, 6, 11));   // 11th, a Wednesday
    CHECK(step.Next(Utc(2025, 6, 11)) == Utc(2025, 6, 16));  // Monday
  }

  TEST_CASE("six fields: seconds first") {
    ScopedTimeZone tz("UTC");
    const CronSchedule every5 = Cron("*/5 * * * * *");
    CHECK(every5.Next(Utc(2025, 5, 1, 10, 0, 1)) == Utc(2025, 5, 1, 10, 0, 5));
    CHECK(every5.Next(Utc(2025, 5, 1, 10, 0, 55)) == Utc(2025, 5, 1, 10, 1, 0));
    CHECK(every5.Next(Utc(2025, 12, 31, 23, 59, 59)) == Utc(2026, 1, 1, 0, 0, 0));
    CHECK(every5.Previous(Utc(2025, 5, 1, 10, 0, 4)) == Utc(2025, 5, 1, 10, 0, 0));
    CHECK(every5.Previous(Utc(2025, 5, 1, 10, 0, 5)) == Utc(2025, 5, 1, 10, 0, 5));
    const CronSchedule half = Cron("30 0 0 * * *");
    CHECK(half.Next(Utc(2025, 5, 1)) == Utc(2025, 5, 1, 0, 0, 30));
    CHECK(half.Next(Utc(2025, 5, 1, 0, 0, 30)) == Utc(2025, 5, 2, 0, 0, 30));
    CHECK(half.Previous(Utc(2025, 5, 1, 0, 0, 29)) == Utc(2025, 4, 30, 0, 0, 30));
    // The five-field form fires on second 0.
    CHECK(Cron("* * * * *").Next(Utc(2025, 5, 1, 10, 0, 0)) == Utc(2025, 5, 1, 10, 1, 0));
    CHECK(Cron("0 * * * * *").Next(Utc(2025, 5, 1, 10, 0, 0)) == Utc(2025, 5, 1, 10, 1, 0));
    CHECK(Cron("15,45 30 9 * * MON").Next(Utc(2025, 5, 2)) == Utc(2025, 5, 5, 9, 30, 15));
  }

  TEST_CASE("impossible dates find nothing; leap days are found") {
    ScopedTimeZone tz("UTC");
    const CronSchedule feb30 = Cron("0 0 30 2 *");
    CHECK(feb30.Next(Utc(2025, 1, 1)) == std::nullopt);
    CHECK(feb30.Previous(Utc(2025, 1, 1)) == std::nullopt);
    CHECK(Cron("0 0 31 4,6,9,11 *").Next(Utc(2025, 1, 1)) == std::nullopt);
    const CronSchedule leap = Cron("0 0 29 2 *");
    CHECK(leap.Next(Utc(2025, 1, 1)) == Utc(2028, 2, 29));
    CHECK(leap.Next(Utc(2024, 2, 29)) == Utc(2028, 2, 29));
    CHECK(leap.Previous(Utc(2027, 6, 1)) == Utc(2024, 2, 29));
    CHECK(leap.Previous(Utc(2024, 2, 29)) == Utc(2024, 2, 29));
    CHECK(leap.Previous(Utc(2024, 2, 28, 23, 59, 59)) == Utc(2020, 2, 29));
    CHECK(leap.Next(Utc(1999, 3, 1)) == Utc(2000, 2, 29));  // 2000 is a leap year
    // 2100 is not: from 2096 the next leap day is 2104, beyond the 5-year horizon.
    CHECK(leap.Next(Utc(2096, 3, 1)) == std::nullopt);
    CHECK(leap.Previous(Utc(2104, 2, 28)) == std::nullopt);
    CHECK(leap.Next(Utc(2099, 3, 1)) == Utc(2104, 2, 29));
    CHECK(Cron("0 0 29 2 MON").Next(Utc(2025, 1, 1)) == Utc(2025, 2, 3));  // OR rule: any Monday in February
  }

  TEST_CASE("Next(Previous(t)) is Next(t), and the other way round") {
    ScopedTimeZone tz("UTC");
    const char* expressions[] = {"0 2 * * *",        "*/7 * * * *",    "0 0 29 2 *", "15 10 13 * FRI",
                                 "*/13 */5 * * * *", "0 9-17 * * 1-5", "@monthly",   "0 0 1 1,7 *"};
    std::time_t t = Utc(2024, 11, 3, 4, 5, 6);
    for (const char* expression : expressions) {
      const CronSchedule cron = Cron(expression);
      INFO(expression);
      for (int i = 0; i < 200; ++i) {
        t += 7919 * 37 + i;  // wander through the calendar
        const std::optional<std::time_t> previous = cron.Previous(t);
        const std::optional<std::time_t> next = cron.Next(t);
        REQUIRE(previous);
        REQUIRE(next);
        CHECK(*previous <= t);
        CHECK(*next > t);
        CHECK(cron.Next(*previous) == next);
        CHECK(cron.Previous(*next) == next);
        CHECK(cron.Previous(*next - 1) == previous);
        CHECK(cron.Next(*next - 1) == next);
      }
    }
  }

  TEST_CASE("the search agrees with a minute-by-minute scan") {
    ScopedTimeZone tz("UTC");
    const std::time_t from = Utc(2025, 1, 27);
    const std::time_t to = Utc(2025, 3, 10);
    CheckAgainst(Cron("*/7 3-5 * * MON"), from, to, BruteForce(from, to, 60, true, [](const std::tm& tm) {
                   return tm.tm_min % 7 == 0 && tm.tm_hour >= 3 && tm.tm_hour <= 5 && tm.tm_wday == 1;
                 }));
    CheckAgainst(Cron("0 12 1,15,28-31 * SAT"), from, to, BruteForce(from, to, 60, true, [](const std::tm& tm) {
                   const bool day = tm.tm_mday == 1 || tm.tm_mday == 15 || tm.tm_mday >= 28;
                   return tm.tm_min == 0 && tm.tm_hour == 12 && (day || tm.tm_wday == 6);
                 }));
    CheckAgainst(Cron("45 23 * FEB *"), from, to, BruteForce(from, to, 60, true, [](const std::tm& tm) {
                   return tm.tm_min == 45 && tm.tm_hour == 23 && tm.tm_mon == 1;
                 }));
  }

  TEST_CASE("local time: Asia/Shanghai (UTC+8, no DST)") {
    ScopedTimeZone tz("Asia/Shanghai");
    const CronSchedule cron = Cron("0 2 * * *");
    // 02:00 in Shanghai is 18:00 UTC the day before.
    CHECK(cron.Next(Utc(2025, 6, 15, 12)) == Utc(2025, 6, 15, 18));
    CHECK(cron.Next(Utc(2025, 6, 15, 18)) == Utc(2025, 6, 16, 18));
    CHECK(cron.Previous(Utc(2025, 6, 15, 17, 59, 59)) == Utc(2025, 6, 14, 18));
    CHECK(cron.Next(Utc(2025, 12, 31, 17)) == Utc(2025, 12, 31, 18));  // 2026-01-01 02:00 local
    // Day-of-week is the local day: Monday 01:00 in Shanghai is Sunday 17:00 UTC.
    CHECK(Cron("0 1 * * MON").Next(Utc(2025, 6, 14)) == Utc(2025, 6, 15, 17));
  }

  TEST_CASE("DST: a spring-forward gap is skipped, a repeated hour fires once unless every hour") {
    // New York rules as a POSIX TZ string, so no zoneinfo file is needed. In 2025 clocks go
    // 02:00 EST -> 03:00 EDT on March 9 (07:00 UTC) and 02:00 EDT -> 01:00 EST on November 2
    // (06:00 UTC).
    ScopedTimeZone tz("EST5EDT,M3.2.0,M11.1.0");
    const CronSchedule gap = Cron("30 2 * * *");
    CHECK(gap.Next(Utc(2025, 3, 8, 7, 30)) == Utc(2025, 3, 10, 6, 30));  // March 9 02:30 does not exist
    CHECK(gap.Previous(Utc(2025, 3, 10, 6, 29)) == Utc(2025, 3, 8, 7, 30));
    const CronSchedule half_hour = Cron("*/30 * * * *");
    CHECK(half_hour.Next(Utc(2025, 3, 9, 6, 30)) == Utc(2025, 3, 9, 7, 0));  // 01:30 EST -> 03:00 EDT
    CHECK(half_hour.Previous(Utc(2025, 3, 9, 6, 59, 59)) == Utc(2025, 3, 9, 6, 30));
    CHECK(Cron("0 8 * * *").Next(Utc(2025, 3, 8, 14)) == Utc(2025, 3, 9, 12));  // 08:00 EDT

    // 01:30 happens twice on November 2: at 05:30 UTC (EDT) and 06:30 UTC (EST).
    const CronSchedule once = Cron("30 1 * * *");
    CHECK(once.Next(Utc(2025, 11, 1, 12)) == Utc(2025, 11, 2, 5, 30));
    CHECK(once.Next(Utc(2025, 11, 2, 5, 30)) == Utc(2025, 11, 3, 6, 30));
    CHECK(once.Next(Utc(2025, 11, 2, 6)) == Utc(2025, 11, 3, 6, 30));  // from inside the second pass
    CHECK(once.Previous(Utc(2025, 11, 2, 7)) == Utc(2025, 11, 2, 5, 30));
    CHECK(once.Previous(Utc(2025, 11, 3, 6, 29)) == Utc(2025, 11, 2, 5, 30));
    // Every hour: both passes, the interval carries on.
    const CronSchedule hourly = Cron("0 * * * *");
    CHECK(hourly.Next(Utc(2025, 11, 2, 4, 30)) == Utc(2025, 11, 2, 5, 0));  // 01:00 EDT
    CHECK(hourly.Next(Utc(2025, 11, 2, 5, 0)) == Utc(2025, 11, 2, 6, 0));   // 01:00 EST
    CHECK(hourly.Next(Utc(2025, 11, 2, 6, 0)) == Utc(2025, 11, 2, 7, 0));   // 02:00 EST
    CHECK(hourly.Previous(Utc(2025, 11, 2, 6, 59)) == Utc(2025, 11, 2, 6, 0));
    CHECK(hourly.Previous(Utc(2025, 11, 2, 5, 59)) == Utc(2025, 11, 2, 5, 0));

    // Against the scan across both changes, one schedule of each kind.
    for (const auto& [from, to] :
         {std::pair{Utc(2025, 3, 7), Utc(2025, 3, 12)}, std::pair{Utc(2025, 10, 31), Utc(2025, 11, 5)}}) {
      CheckAgainst(Cron("*/20 * * * *"), from, to,
                   BruteForce(from, to, 60, true, [](const std::tm& tm) { return tm.tm_min % 20 == 0; }));
      CheckAgainst(Cron("15,45 0-2 * * *"), from, to, BruteForce(from, to, 60, false, [](const std::tm& tm) {
                     return (tm.tm_min == 15 || tm.tm_min == 45) && tm.tm_hour <= 2;
                   }));
      CheckAgainst(Cron("*/10 * 1 * * *"), from, to, BruteForce(from, to, 10, false, [](const std::tm& tm) {
                     return tm.tm_sec % 10 == 0 && tm.tm_hour == 1;
                   }));
    }
  }

  TEST_CASE("DST: Europe changes at 02:00/03:00 local") {
    // 2025: 02:00 CET -> 03:00 CEST on March 30 (01:00 UTC), 03:00 CEST -> 02:00 CET on October 26
    // (01:00 UTC).
    ScopedTimeZone tz("CET-1CEST,M3.5.0,M10.5.0/3");
    const CronSchedule cron = Cron("30 2 * * *");
    CHECK(cron.Next(Utc(2025, 3, 29, 1, 30)) == Utc(2025, 3, 31, 0, 30));
    CHECK(cron.Next(Utc(2025, 10, 25, 12)) == Utc(2025, 10, 26, 0, 30));  // 02:30 CEST
    CHECK(cron.Next(Utc(2025, 10, 26, 0, 30)) == Utc(2025, 10, 27, 1, 30));
    CHECK(cron.Previous(Utc(2025, 10, 27, 1, 29)) == Utc(2025, 10, 26, 0, 30));
  }

  TEST_CASE("searching skips what cannot match instead of stepping") {
    ScopedTimeZone tz("UTC");
    const CronSchedule leap = Cron("0 0 29 2 *");
    const CronSchedule never = Cron("0 0 30 2 *");
    const CronSchedule seconds = Cron("59 59 23 31 12 *");
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 1000; ++i) {
      const std::time_t t = Utc(2025, 1, 1) + i * 3600;
      REQUIRE(leap.Next(t) == Utc(2028, 2, 29));
      REQUIRE(leap.Previous(t) == Utc(2024, 2, 29));
      REQUIRE(never.Next(t) == std::nullopt);
      REQUIRE(never.Previous(t) == std::nullopt);
      REQUIRE(seconds.Next(t) == Utc(2025, 12, 31, 23, 59, 59));
    }
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    MESSAGE("5000 searches of up to 5 years took " << ms << " ms");
    CHECK(ms < 2000);  // stepping by seconds would take hours; a real search takes milliseconds
  }
}
