#include "extract/narrative_checks.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "extract/text.h"

namespace nianbao::extract {
namespace {

constexpr std::string_view kStops[] = {"。", ",", "，", ";", "；", "、"};

bool StopAt(std::string_view s, size_t i) {
  for (auto stop : kStops) {
    if (s.compare(i, stop.size(), stop) == 0) return true;
  }
  return false;
}

bool UnitAt(std::string_view s, size_t i) {
  for (std::string_view unit : {"件", "起", "宗", "个", "次", "条"}) {
    if (s.compare(i, unit.size(), unit) == 0) return true;
  }
  return false;
}

// The count written after s[from] ("…申请24件"), within `max_bytes` and
// before any clause break.
std::optional<long> CountAfter(std::string_view s, size_t from, size_t max_bytes) {
  for (size_t i = from; i < s.size() && i < from + max_bytes; ++i) {
    if (StopAt(s, i)) return std::nullopt;
    if (s[i] >= '0' && s[i] <= '9') {
      size_t j = i;
      long n = 0;
      while (j < s.size() && s[j] >= '0' && s[j] <= '9' && j - i < 9) n = n * 10 + (s[j++] - '0');
      if (UnitAt(s, j)) return n;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

// The count written just before s[at] ("剩余1件结转下年度").
std::optional<long> CountBefore(std::string_view s, size_t at) {
  size_t unit = at;
  for (size_t back = 0; back < 9 && unit >= 3; ++back) {
    if (UnitAt(s, unit - 3)) break;
    if (unit >= 3 && StopAt(s, unit - 3)) return std::nullopt;
    --unit;
  }
  if (unit < 3 || !UnitAt(s, unit - 3)) return std::nullopt;
  size_t end = unit - 3, start = end;
  while (start > 0 && s[start - 1] >= '0' && s[start - 1] <= '9' && end - start < 9) --start;
  if (start == end) return std::nullopt;
  return std::stol(std::string(s.substr(start, end - start)));
}

// A comparison between the words and the count ("较上年增加5件") states a
// difference, not the count.
bool Compares(std::string_view between) {
  for (std::string_view w : {"较", "比上年", "同比", "增加", "减少", "增长", "下降", "上升", "持平", "环比"}) {
    if (between.find(w) != std::string_view::npos) return true;
  }
  return false;
}

// The sentences of `text` (split at 。；; ！, not at line ends: PDF lines wrap
// inside sentences), each in
// MatchKey/AsciiDigits form.
std::vector<std::string> Sentences(std::string_view text) {
  std::vector<std::string> out;
  size_t begin = 0;
  auto flush = [&](size_t end) {
    std::string k = AsciiDigits(MatchKey(text.substr(begin, end - begin)));
    if (!k.empty()) out.push_back(std::move(k));
  };
  for (size_t i = 0; i < text.size();) {
    size_t len = 0;
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == ';') len = 1;
    else if ((c == 0xE3 || c == 0xEF) &&  // the lead bytes of 。 and of ；！: no compare at other bytes
             (text.compare(i, 3, "。") == 0 || text.compare(i, 3, "；") == 0 || text.compare(i, 3, "！") == 0)) len = 3;
    if (len) {
      flush(i);
      begin = i + len;
      i += len;
    } else {
      ++i;
    }
  }
  flush(text.size());
  return out;
}

struct Rule {
  std::vector<std::string_view> words;
  const char* name;
  // The sentence must also hold one of these (so 办结 of letters and visits,
  // or the 行政复议 cases a justice bureau handles, are not read as the table's).
  std::vector<std::string_view> context;
  bool before = false;      // the count is written before the words
  size_t window = 36;       // bytes after the words in which the count may start (12 characters)
};

// The table numbers a stated count may match: the said number agrees when it
// equals any of them. Empty when an operand is null (nothing to compare).
std::vector<long> TableValues(const Report& r, const std::string& rule) {
  auto value = [&r](std::initializer_list<const char*> keys) -> std::optional<long> {
    long sum = 0;
    for (const char* key : keys) {
      const FieldValue* f = r.Field(key);
      if (!f || !f->has_value) return std::nullopt;
      sum += static_cast<long>(f->integer);
    }
    return sum;
  };
  std::vector<long> out;
  auto add = [&out](std::optional<long> v) {
    if (v) out.push_back(*v);
  };
  if (rule == "新收") {
    // 受理/收到 N 件 is the new requests, or (many reports) new plus carried over.
    add(value({"t3.new_received.total"}));
    if (!out.empty()) add(value({"t3.new_received.total", "t3.carried_over.total"}));
  } else if (rule == "上年结转") {
    add(value({"t3.carried_over.total"}));
  } else if (rule == "办结") {
    add(value({"t3.total_processed.total"}));
  } else if (rule == "结转下年") {
    add(value({"t3.carried_forward.total"}));
  } else if (rule == "行政复议") {
    add(value({"t4.review.total"}));
  } else if (rule == "行政诉讼") {
    add(value({"t4.suit_direct.total", "t4.suit_after_review.total"}));
  }
  return out;
}

// The count the overview states for `rule`: the first of its words, in a
// sentence holding its context, followed (or preceded) by a count.
std::optional<long> StatedCount(const std::vector<std::string>& sentences, const Rule& rule) {
  std::optional<long> said;
  for (const std::string& k : sentences) {
    if (!rule.context.empty() && std::none_of(rule.context.begin(), rule.context.end(),
                                              [&k](std::string_view c) { return k.find(c) != std::string::npos; })) {
      continue;
    }
    for (std::string_view w : rule.words) {
      for (size_t at = k.find(w); at != std::string::npos && !said; at = k.find(w, at + w.size())) {
        if (at >= 6 && k.compare(at - 6, 6, "协助") == 0) continue;  // help given to others, not its own
        if (rule.before) {
          said = CountBefore(k, at);
        } else {
          said = CountAfter(k, at + w.size(), rule.window);
          if (said) {
            size_t digit = k.find(std::to_string(*said), at + w.size());
            if (digit != std::string::npos && Compares(std::string_view(k).substr(at + w.size(), digit - at - w.size()))) {
              said.reset();
            }
          }
        }
      }
      if (said) break;
    }
    if (said) break;
  }
  return said;
}

}  // namespace

std::vector<Warning> NarrativeVsTable(const Report& r) {
  std::vector<Warning> out;
  const Section* overview = nullptr;
  for (const auto& s : r.sections) {
    if (s.key == "s1_overview") overview = &s;
  }
  if (!overview || r.fields.empty()) return out;
  const std::vector<std::string> sentences = Sentences(overview->text);
  static const std::vector<std::string_view> kRequests = {"申请", "信息公开"};
  static const std::vector<Rule> kRules = {
      {{"新收政府信息公开申请", "收到政府信息公开申请", "受理政府信息公开申请", "受理政府信息依申请", "收到依申请公开数量"},
       "新收", {}},
      {{"上年结转"}, "上年结转", kRequests},
      {{"办结", "办理完毕"}, "办结", kRequests},
      {{"答复"}, "办结", kRequests, false, 6},
      {{"结转下年", "结转下一年"}, "结转下年", kRequests, true},
      {{"行政复议"}, "行政复议", {"信息公开"}},
      {{"行政诉讼"}, "行政诉讼", {"信息公开"}},
  };
  std::set<std::string> said_for;  // one finding per table number
  for (const Rule& rule : kRules) {
    if (said_for.count(rule.name)) continue;
    const long stated = StatedCount(sentences, rule).value_or(-1);
    if (stated < 0) continue;
    said_for.insert(rule.name);
    std::vector<long> table = TableValues(r, rule.name);
    if (table.empty() || std::find(table.begin(), table.end(), stated) != table.end()) continue;
    out.push_back({"S1", std::string("一、总体情况 says ") + rule.name + " " + std::to_string(stated) + ", the table has " +
                             std::to_string(table.front())});
  }
  return out;
}

std::vector<FieldValue> LegacyFields(const std::string& body_text) {
  struct LegacyRule {
    const char* key;
    std::vector<std::string_view> words;
    bool money = false;
  };
  static const std::vector<LegacyRule> kRules = {
      {"legacy.proactive_total", {"主动公开政府信息", "主动公开信息", "主动公开各类信息", "主动公开"}},
      {"legacy.requests_received", {"受理政府信息公开申请", "收到政府信息公开申请", "受理依申请公开", "共受理", "共收到"}},
      {"legacy.granted", {"同意公开", "予以公开", "全部公开"}},
      {"legacy.partially_granted", {"部分公开", "同意部分公开"}},
      {"legacy.denied", {"不予公开", "不同意公开"}},
      {"legacy.review_cases", {"行政复议"}},
      {"legacy.litigation_cases", {"行政诉讼"}},
      {"legacy.fees_yuan", {"收取费用", "收取检索", "收费"}, true},
  };
  std::vector<FieldValue> out;
  // Sentences: split at 。 and line ends.
  std::vector<std::string> sentences;
  std::string current;
  for (size_t i = 0; i < body_text.size();) {
    if (body_text.compare(i, 3, "。") == 0 || body_text[i] == '\n') {
      if (body_text[i] != '\n') current += "。";
      if (!NormalizeWhitespace(current).empty()) sentences.push_back(NormalizeWhitespace(current));
      current.clear();
      i += body_text[i] == '\n' ? 1 : 3;
      continue;
    }
    current += body_text[i++];
  }
  if (!NormalizeWhitespace(current).empty()) sentences.push_back(NormalizeWhitespace(current));
  for (const LegacyRule& rule : kRules) {
    for (const auto& sentence : sentences) {
      std::string k = AsciiDigits(MatchKey(sentence));
      std::optional<long> n;
      std::string raw;
      for (std::string_view w : rule.words) {
        for (size_t at = k.find(w); at != std::string::npos && !n; at = k.find(w, at + w.size())) {
          if (rule.money) {
            // "收取费用0元" / "收费共计120.5元": digits then 元.
            size_t i = at + w.size();
            while (i < k.size() && i < at + w.size() + 18 && !(k[i] >= '0' && k[i] <= '9') && !StopAt(k, i)) ++i;
            size_t j = i;
            while (j < k.size() && ((k[j] >= '0' && k[j] <= '9') || k[j] == '.')) ++j;
            if (j > i && k.compare(j, 3, "元") == 0) {
              raw = k.substr(i, j - i + 3);
              n = 0;
            }
          } else if ((n = CountAfter(k, at + w.size(), 24))) {
            size_t d = k.find_first_of("0123456789", at + w.size());
            size_t e = k.find_first_not_of("0123456789", d);
            raw = k.substr(d, e - d + 3);  // the digits and their unit
          }
        }
        if (n) break;
      }
      if (!n) continue;
      FieldValue f;
      f.key = rule.key;
      f.type = rule.money ? FieldType::kDecimal : FieldType::kCount;
      f.raw = raw;
      f.sentence = sentence;
      f.has_value = true;
      if (rule.money) f.decimal = std::stod(raw.substr(0, raw.size() - 3));
      else f.integer = *n;
      out.push_back(std::move(f));
      break;
    }
  }
  return out;
}

}  // namespace nianbao::extract
