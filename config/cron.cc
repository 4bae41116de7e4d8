#include "config/cron.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <string_view>
#include <vector>

namespace nianbao {
namespace {

static_assert(sizeof(std::time_t) >= 8, "cron needs a 64-bit time_t");

constexpr int64_t kDay = 86400;
// How far Next() and Previous() look: 5 years, two of them leap.
constexpr int64_t kHorizon = 1827 * kDay;
// Longer than any UTC offset change (offsets span -12h..+14h) and shorter than the time between
// two changes. Wall-clock matches that the offset at hand would misplace lie within this of an
// end of the stretch searched.
constexpr int64_t kWindow = 2 * kDay;
// Times further from 1970 than this (35 million years) find nothing.
constexpr int64_t kTimeLimit = int64_t{1} << 50;
constexpr uint64_t kAllHours = (uint64_t{1} << 24) - 1;

constexpr const char* kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr const char* kWeekdayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

struct FieldSpec {
  const char* name;
  int min;
  int max;                   // largest value accepted
  int star_max;              // where "*" and "a/n" end (6 for day-of-week, whose 7 is Sunday again)
  const char* const* names;  // names[i] stands for min + i; nullptr if none
  int name_count;
  const char* name_kind;  // "month name"
};

constexpr FieldSpec kSecond{"second", 0, 59, 59, nullptr, 0, nullptr};
constexpr FieldSpec kMinute{"minute", 0, 59, 59, nullptr, 0, nullptr};
constexpr FieldSpec kHour{"hour", 0, 23, 23, nullptr, 0, nullptr};
constexpr FieldSpec kDayOfMonth{"day-of-month", 1, 31, 31, nullptr, 0, nullptr};
constexpr FieldSpec kMonth{"month", 1, 12, 12, kMonthNames, 12, "month name"};
constexpr FieldSpec kDayOfWeek{"day-of-week", 0, 7, 6, kWeekdayNames, 7, "weekday name"};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::vector<std::string_view> SplitFields(std::string_view s) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && IsSpace(s[i])) ++i;
    size_t j = i;
    while (j < s.size() && !IsSpace(s[j])) ++j;
    if (j > i) fields.push_back(s.substr(i, j - i));
    i = j;
  }
  return fields;
}

const char* ExpandMacro(const std::string& macro) {
  if (macro == "@yearly" || macro == "@annually") return "0 0 1 1 *";
  if (macro == "@monthly") return "0 0 1 * *";
  if (macro == "@weekly") return "0 0 * * 0";
  if (macro == "@daily" || macro == "@midnight") return "0 0 * * *";
  if (macro == "@hourly") return "0 * * * *";
  return nullptr;
}

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// Digits only, saturating at a million. False if `text` is empty or holds anything else.
bool ParseDigits(std::string_view text, int* value) {
  if (text.empty()) return false;
  int v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = std::min(v * 10 + (c - '0'), 1000000);
  }
  *value = v;
  return true;
}

// A number or a name. Returns an error message, empty on success. `item` is the list item that
// holds `text`, named in the message when it says more than `text` alone.
std::string ParseValue(std::string_view text, std::string_view item, const FieldSpec& spec, int* value) {
  const std::string in = text == item ? std::string() : " in " + Quoted(item);
  if (text.empty()) return "missing number in " + Quoted(item);
  if (ParseDigits(text, value)) {
    if (*value < spec.min || *value > spec.max) {
      return std::string(text) + in + " is out of range " + std::to_string(spec.min) + "-" + std::to_string(spec.max);
    }
    return {};
  }
  const std::string lower = Lower(text);
  for (int i = 0; i < spec.name_count; ++i) {
    if (lower == spec.names[i]) {
      *value = spec.min + i;
      return {};
    }
  }
  return Quoted(text) + in + " is not a number" + (spec.names ? std::string(" or ") + spec.name_kind : "");
}

// One list item: "*", "a", "a-b", each optionally followed by "/n". Adds its values to *set.
std::string ParseItem(std::string_view item, const FieldSpec& spec, uint64_t* set) {
  std::string_view range = item;
  std::string_view step_text;
  const size_t slash = item.find('/');
  if (slash != std::string_view::npos) {
    range = item.substr(0, slash);
    step_text = item.substr(slash + 1);
  }
  int lo = spec.min;
  int hi = spec.star_max;
  if (range != "*") {
    const size_t dash = range.find('-');
    std::string error = ParseValue(range.substr(0, dash), item, spec, &lo);
    if (!error.empty()) return error;
    if (dash != std::string_view::npos) {
      error = ParseValue(range.substr(dash + 1), item, spec, &hi);
      if (!error.empty()) return error;
      if (lo > hi) return "range " + Quoted(range) + " runs backwards";
    } else if (slash == std::string_view::npos) {
      hi = lo;
    } else if (lo > hi) {
      hi = lo;  // "7/2" in day-of-week: Sunday alone
    }
  }
  int step = 1;
  if (slash != std::string_view::npos) {
    if (!ParseDigits(step_text, &step)) return "step " + Quoted(step_text) + " in " + Quoted(item) + " is not a number";
    if (step < 1 || step > spec.max) {
      return "step " + std::string(step_text) + " in " + Quoted(item) + " is out of range 1-" +
             std::to_string(spec.max);
    }
  }
  for (int v = lo; v <= hi; v += step) *set |= uint64_t{1} << v;
  return {};
}

// A comma-separated list of items. Returns an error message, empty on success.
std::string ParseField(std::string_view text, const FieldSpec& spec, uint64_t* set) {
  *set = 0;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string_view item =
        text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (item.empty()) return "empty list item in " + Quoted(text);
    std::string error = ParseItem(item, spec, set);
    if (!error.empty()) return error;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (&spec == &kDayOfWeek && (*set >> 7 & 1)) *set = (*set | 1) & ~(uint64_t{1} << 7);  // 7 is Sunday
  return {};
}

// Smallest member of `set` that is >= from, or -1.
int NextBit(uint64_t set, int from) {
  if (from >= 64) return -1;
  const uint64_t rest = set >> from;
  return rest == 0 ? -1 : from + std::countr_zero(rest);
}

// Largest member of `set` that is <= from, or -1.
int PreviousBit(uint64_t set, int from) {
  if (from < 0) return -1;
  const uint64_t rest = from >= 63 ? set : set & ((uint64_t{2} << from) - 1);
  return rest == 0 ? -1 : 63 - std::countl_zero(rest);
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool IsLeapYear(int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

int DaysInMonth(int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

// A wall-clock date and time. Fields may run one past their range (day 32, hour 24, month 0)
// while searching; the searches carry them over.
struct Civil {
  int64_t year;
  int month;  // 1-12
  int day;    // 1-31
  int hour;
  int minute;
  int second;
};

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b < 0 ? 1 : 0); }

Civil ToCivil(int64_t civil_seconds) {
  int64_t z = FloorDiv(civil_seconds, kDay);
  const int64_t secs = civil_seconds - z * kDay;
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int second_of_day = static_cast<int>(secs);
  return Civil{
      yoe + era * 400 + (month <= 2), month, day, second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60};
}

int64_t FromCivil(const Civil& c) {
  return DaysFromCivil(c.year, c.month, c.day) * kDay + c.hour * 3600 + c.minute * 60 + c.second;
}

// Local time minus UTC at instant t, in seconds (what localtime_r says).
int64_t OffsetAt(int64_t t) {
  const std::time_t instant = static_cast<std::time_t>(t);
  std::tm tm{};
  if (localtime_r(&instant, &tm) == nullptr) return 0;  // not reached within kTimeLimit
  const int64_t civil = DaysFromCivil(tm.tm_year + int64_t{1900}, tm.tm_mon + 1, tm.tm_mday) * kDay +
                        tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
  return civil - t;
}

// REQUIRES: lo < hi, OffsetAt(lo) != OffsetAt(hi). The first instant in (lo, hi] whose offset is
// not lo's; with one offset change in between, the instant of that change.
int64_t FirstOffsetChange(int64_t lo, int64_t hi) {
  const int64_t before = OffsetAt(lo);
  while (hi - lo > 1) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (OffsetAt(mid) == before) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return hi;
}

// The second pass of a repeated hour: [begin, end) are instants whose wall-clock time already
// occurred just before `begin`.
struct SecondPass {
  int64_t begin;
  int64_t end;
};

// REQUIRES: OffsetAt(s) == offset, civil == s + offset. The second pass holding s, if s's
// wall-clock time also occurred earlier.
std::optional<SecondPass> SecondPassHolding(int64_t s, int64_t civil, int64_t offset) {
  const int64_t earlier = OffsetAt(s - kWindow);
  if (earlier <= offset || OffsetAt(civil - earlier) != earlier) return std::nullopt;
  const int64_t change = FirstOffsetChange(s - kWindow, s);
  return SecondPass{change, change + (earlier - offset)};
}

}  // namespace

Result<CronSchedule> CronSchedule::Parse(const std::string& expression) {
  const std::string prefix = "cron " + Quoted(expression) + ": ";
  std::string_view text = expression;
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  if (!text.empty() && text.front() == '@') {
    const char* expanded = ExpandMacro(Lower(text));
    if (expanded == nullptr) {
      return Status::InvalidArgument(prefix + "unknown macro " + Quoted(text) +
                                     "; expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly");
    }
    text = expanded;
  }
  const std::vector<std::string_view> fields = SplitFields(text);
  if (fields.size() != 5 && fields.size() != 6) {
    return Status::InvalidArgument(prefix +
                                   "expected 5 fields (minute hour day-of-month month day-of-week) or 6 with "
                                   "seconds first, got " +
                                   std::to_string(fields.size()));
  }
  CronSchedule schedule;
  schedule.expression_ = expression;
  schedule.seconds_ = 1;  // second 0 in the 5-field form
  const size_t first = fields.size() - 5;
  struct {
    const FieldSpec* spec;
    uint64_t* set;
  } const targets[] = {{&kSecond, &schedule.seconds_}, {&kMinute, &schedule.minutes_},
                       {&kHour, &schedule.hours_},     {&kDayOfMonth, &schedule.days_},
                       {&kMonth, &schedule.months_},   {&kDayOfWeek, &schedule.weekdays_}};
  for (size_t i = 0; i < fields.size(); ++i) {
    const auto& target = targets[i + 1 - first];
    std::string error = ParseField(fields[i], *target.spec, target.set);
    if (!error.empty()) return Status::InvalidArgument(prefix + target.spec->name + ": " + error);
  }
  schedule.day_restricted_ = fields[first + 2] != "*";
  schedule.weekday_restricted_ = fields[first + 4] != "*";
  return schedule;
}

bool CronSchedule::DayMatches(int64_t days_since_epoch, int day_of_month) const {
  const bool day = days_ >> day_of_month & 1;
  const int weekday = static_cast<int>((days_since_epoch % 7 + 11) % 7);  // 1970-01-01 was a Thursday
  const bool weekday_matches = weekdays_ >> weekday & 1;
  if (day_restricted_ && weekday_restricted_) return day || weekday_matches;
  return day && weekday_matches;  // a "*" field has every bit set
}

std::optional<int64_t> CronSchedule::NextCivil(int64_t from, int64_t to) const {
  Civil c = ToCivil(from);
  const int64_t last_year = ToCivil(to).year;
  while (c.year <= last_year) {
    const int month = NextBit(months_, c.month);
    if (month < 0) {
      c = Civil{c.year + 1, 1, 1, 0, 0, 0};
      continue;
    }
    if (month != c.month) c = Civil{c.year, month, 1, 0, 0, 0};
    const int days_in_month = DaysInMonth(c.year, c.month);
    const int64_t first_day = DaysFromCivil(c.year, c.month, 1);
    int day = c.day;
    while (day <= days_in_month && !DayMatches(first_day + day - 1, day)) ++day;
    if (day > days_in_month) {
      c = Civil{c.year, c.month + 1, 1, 0, 0, 0};
      continue;
    }
    if (day != c.day) c = Civil{c.year, c.month, day, 0, 0, 0};
    const int hour = NextBit(hours_, c.hour);
    if (hour < 0) {
      c = Civil{c.year, c.month, c.day + 1, 0, 0, 0};
      continue;
    }
    if (hour != c.hour) c = Civil{c.year, c.month, c.day, hour, 0, 0};
    const int minute = NextBit(minutes_, c.minute);
    if (minute < 0) {
      c = Civil{c.year, c.month, c.day, c.hour + 1, 0, 0};
      continue;
    }
    if (minute != c.minute) c = Civil{c.year, c.month, c.day, c.hour, minute, 0};
    const int second = NextBit(seconds_, c.second);
    if (second < 0) {
      c = Civil{c.year, c.month, c.day, c.hour, c.minute + 1, 0};
      continue;
    }
    c.second = second;
    const int64_t found = FromCivil(c);
    if (found > to) return std::nullopt;
    return found;
  }
  return std::nullopt;
}

std::optional<int64_t> CronSchedule::PreviousCivil(int64_t from, int64_t to) const {
  Civil c = ToCivil(from);
  const int64_t first_year = ToCivil(to).year;
  while (c.year >= first_year) {
    const int month = PreviousBit(months_, c.month);
    if (month < 0) {
      c = Civil{c.year - 1, 12, 31, 23, 59, 59};
      continue;
    }
    if (month != c.month) c = Civil{c.year, month, 31, 23, 59, 59};
    const int days_in_month = DaysInMonth(c.year, c.month);
    if (c.day > days_in_month) c = Civil{c.year, c.month, days_in_month, 23, 59, 59};
    const int64_t first_day = DaysFromCivil(c.year, c.month, 1);
    int day = c.day;
    while (day >= 1 && !DayMatches(first_day + day - 1, day)) --day;
    if (day < 1) {
      c = Civil{c.year, c.month - 1, 31, 23, 59, 59};
      continue;
    }
    if (day != c.day) c = Civil{c.year, c.month, day, 23, 59, 59};
    const int hour = PreviousBit(hours_, c.hour);
    if (hour < 0) {
      c = Civil{c.year, c.month, c.day - 1, 23, 59, 59};
      continue;
    }
    if (hour != c.hour) c = Civil{c.year, c.month, c.day, hour, 59, 59};
    const int minute = PreviousBit(minutes_, c.minute);
    if (minute < 0) {
      c = Civil{c.year, c.month, c.day, c.hour - 1, 59, 59};
      continue;
    }
    if (minute != c.minute) c = Civil{c.year, c.month, c.day, c.hour, minute, 59};
    const int second = PreviousBit(seconds_, c.second);
    if (second < 0) {
      c = Civil{c.year, c.month, c.day, c.hour, c.minute - 1, 59};
      continue;
    }
    c.second = second;
    const int64_t found = FromCivil(c);
    if (found < to) return std::nullopt;
    return found;
  }
  return std::nullopt;
}

// Both searches walk the instant line. At instant t with UTC offset o, the first (last) matching
// wall-clock time c from t + o gives the candidate s = c - o. It is right if the offset is o all
// the way between t and s. Where the offset differs, a wall-clock match can only fall within
// kWindow of t or of s (a match further inside would have shown up as a civil time between
// t + o and c), so checking the offset near both ends suffices; when a check fails the search
// moves t past the stretch that cannot hold a match and tries again.
std::optional<std::time_t> CronSchedule::Next(std::time_t after) const {
  if (after < -kTimeLimit || after > kTimeLimit) return std::nullopt;
  const int64_t limit = int64_t{after} + kHorizon;
  const bool every_hour = (hours_ & kAllHours) == kAllHours;
  int64_t t = int64_t{after} + 1;  // nothing in (after, t) fires
  while (t <= limit) {
    const int64_t offset = OffsetAt(t);
    const std::optional<int64_t> civil = NextCivil(t + offset, limit + offset + kWindow);
    if (!civil) return std::nullopt;
    const int64_t s = *civil - offset;
    if (s - t > kWindow) {
      if (OffsetAt(t + kWindow) != offset) {
        t = FirstOffsetChange(t, t + kWindow);
        continue;
      }
      if (OffsetAt(s - kWindow) != offset || OffsetAt(s) != offset) {
        t = s - kWindow;
        continue;
      }
    } else if (OffsetAt(s) != offset) {
      t = FirstOffsetChange(t, s);  // also how a wall-clock time in a spring-forward gap is skipped
      continue;
    }
    if (s > limit) return std::nullopt;
    if (!every_hour) {
      if (const std::optional<SecondPass> pass = SecondPassHolding(s, *civil, offset)) {
        t = pass->end;
        continue;
      }
    }
    return static_cast<std::time_t>(s);
  }
  return std::nullopt;
}

std::optional<std::time_t> CronSchedule::Previous(std::time_t at) const {
  if (at < -kTimeLimit || at > kTimeLimit) return std::nullopt;
  const int64_t limit = int64_t{at} - kHorizon;
  const bool every_hour = (hours_ & kAllHours) == kAllHours;
  int64_t t = at;  // nothing in (t, at] fires
  while (t >= limit) {
    const int64_t offset = OffsetAt(t);
    const std::optional<int64_t> civil = PreviousCivil(t + offset, limit + offset - kWindow);
    if (!civil) return std::nullopt;
    const int64_t s = *civil - offset;
    if (t - s > kWindow) {
      if (OffsetAt(t - kWindow) != offset) {
        t = FirstOffsetChange(t - kWindow, t) - 1;
        continue;
      }
      if (OffsetAt(s + kWindow) != offset || OffsetAt(s) != offset) {
        t = s + kWindow;
        continue;
      }
    } else if (OffsetAt(s) != offset) {
      t = FirstOffsetChange(s, t) - 1;
      continue;
    }
    if (s < limit) return std::nullopt;
    if (!every_hour) {
      if (const std::optional<SecondPass> pass = SecondPassHolding(s, *civil, offset)) {
        t = pass->begin - 1;
        continue;
      }
    }
    return static_cast<std::time_t>(s);
  }
  return std::nullopt;
}

}  // namespace nianbao
