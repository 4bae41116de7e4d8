#include "extract/report_metadata.h"

#include <algorithm>
#include <cstdio>

#include "extract/text.h"

namespace nianbao::extract {
namespace {

int ChineseDigit(char32_t c) {
  static const char32_t kDigits[] = U"〇一二三四五六七八九";
  if (c == U'○' || c == U'零' || c == U'Ｏ') return 0;
  for (int i = 0; i < 10; ++i) {
    if (kDigits[i] == c) return i;
  }
  return -1;
}

// Parses Y sep M sep D starting at s[i] (ASCII digits; separators anything
// non-digit of at most 3 bytes, e.g. "-", "年", "/").
std::optional<std::string> DateAt(std::string_view s, size_t i) {
  int parts[3] = {0, 0, 0};
  int lens[3] = {0, 0, 0};
  for (int p = 0; p < 3; ++p) {
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && lens[p] < (p == 0 ? 4 : 2)) {
      parts[p] = parts[p] * 10 + (s[i] - '0');
      ++lens[p];
      ++i;
    }
    if (lens[p] == 0 || (p == 0 && lens[p] != 4)) return std::nullopt;
    if (p < 2) {
      size_t sep = 0;
      while (i < s.size() && !(s[i] >= '0' && s[i] <= '9') && sep < 3) ++i, ++sep;
      if (sep == 0) return std::nullopt;
    }
  }
  if (parts[0] < 1990 || parts[0] > 2100 || parts[1] < 1 || parts[1] > 12 || parts[2] < 1 || parts[2] > 31) return std::nullopt;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", parts[0], parts[1], parts[2]);
  return std::string(buf);
}

bool LooksLikeReportTitle(const std::string& k) {
  return YearInTitle(k).has_value() && (k.find("报告") != std::string::npos || k.find("年报") != std::string::npos);
}

}  // namespace

std::optional<YearSpan> FindYear(std::string_view t) {
  size_t pos = 0;
  while ((pos = t.find("年", pos)) != std::string_view::npos) {
    std::optional<YearSpan> found;
    // Four ASCII digits (possibly full-width, normalized by the caller) before 年.
    if (pos >= 4) {
      bool digits = true;
      int y = 0;
      for (size_t k = pos - 4; k < pos; ++k) {
        if (t[k] < '0' || t[k] > '9') digits = false;
        else y = y * 10 + (t[k] - '0');
      }
      if (digits && y >= 1990 && y <= 2100) found = YearSpan{y, pos - 4, pos + 3};
    }
    // Four Chinese numerals (3 bytes each) before 年.
    if (!found && pos >= 12) {
      int y = 0;
      bool ok = true;
      size_t k = pos - 12;
      for (int d = 0; d < 4 && ok; ++d) {
        int v = ChineseDigit(NextCodePoint(t, &k));
        ok = v >= 0;
        y = y * 10 + v;
      }
      if (ok && y >= 1990 && y <= 2100) found = YearSpan{y, pos - 12, pos + 3};
    }
    if (found) {
      if (t.substr(found->end, 3) == "度") found->end += 3;
      return found;
    }
    pos += 3;
  }
  return std::nullopt;
}

std::optional<int> YearInTitle(std::string_view title) {
  if (auto span = FindYear(title)) return span->year;
  return std::nullopt;
}

bool IsLookAlikeTitle(std::string_view k) {
  return ContainsAny(k, {"解读", "图解", "说明", "工作要点", "工作总结", "更正", "补充", "通知", "格式", "模板", "征集"});
}

namespace {

// Where the report phrase begins: 政府信息公开/政务信息公开/政务公开/信息公开
// followed by 工作, 年度, 年报, 报告 or 情况 (so 政务公开办公室 inside a name
// is not one); else 年度报告 or 年报 alone. npos if none.
size_t ReportPhraseAt(std::string_view t) {
  size_t best = std::string_view::npos;
  for (std::string_view phrase : {"政府信息公开", "政务信息公开", "政务公开", "信息公开"}) {
    for (size_t at = t.find(phrase); at != std::string_view::npos && at < best; at = t.find(phrase, at + 3)) {
      std::string_view rest = t.substr(at + phrase.size());
      if (rest.starts_with("工作") || rest.starts_with("年度") || rest.starts_with("年报") || rest.starts_with("报告") ||
          rest.starts_with("情况")) {
        best = at;
        break;
      }
    }
  }
  if (best != std::string_view::npos) return best;
  for (std::string_view phrase : {"年度报告", "年报"}) best = std::min(best, t.find(phrase));
  return best;
}

// Drops leading 【…】/[…] tags and the verbs of a covering letter
// (关于, 报送, 印发, 公布, 发布, 转发) and separators at either end.
std::string_view TrimAgency(std::string_view a) {
  bool changed = true;
  while (changed && !a.empty()) {
    changed = false;
    for (std::string_view open_close : {"【】", "[]"}) {
      std::string_view open = open_close.substr(0, open_close.size() / 2);
      std::string_view close = open_close.substr(open_close.size() / 2);
      size_t end = a.find(close);
      if (a.starts_with(open) && end != std::string_view::npos) a.remove_prefix(end + close.size()), changed = true;
    }
    for (std::string_view verb : {"关于", "报送", "印发", "公布", "发布", "转发"}) {
      if (a.starts_with(verb)) a.remove_prefix(verb.size()), changed = true;
    }
    for (std::string_view sep : {"-", "_", ":", "·", "：", "—", "－", ",", "，", "、"}) {
      if (a.starts_with(sep)) a.remove_prefix(sep.size()), changed = true;
      if (a.ends_with(sep)) a.remove_suffix(sep.size()), changed = true;
    }
  }
  return a;
}

// The agency of one title with no covering letter around it.
std::optional<std::string> AgencyOfReportTitle(std::string_view t) {
  t = TrimAgency(t);
  const std::optional<YearSpan> year = FindYear(t);
  size_t phrase = ReportPhraseAt(t);
  std::string agency;
  if (year && year->begin < phrase) {
    if (year->begin > 0) {
      agency = t.substr(0, year->begin);  // 示例县2024年政府信息公开工作年度报告
    } else {
      // Year first: 2024年度示例县政务公开工作年度报告.
      std::string_view rest = t.substr(year->end);
      agency = rest.substr(0, ReportPhraseAt(rest));
    }
  } else if (phrase != std::string_view::npos) {
    agency = t.substr(0, phrase);  // 示例县水利局政府信息公开工作年度报告（2020年度）
    // 示例县人民政府信息公开年报: the phrase began inside 人民政府.
    if (agency.ends_with("人民") && t.substr(phrase).starts_with("政府信息公开")) {
      agency += "政府";
    }
  } else {
    return std::nullopt;
  }
  agency = std::string(TrimAgency(agency));
  size_t code_points = 0;
  for (size_t i = 0; i < agency.size(); NextCodePoint(agency, &i)) ++code_points;
  if (agency.empty() || code_points > 40 || FindYear(agency) || agency.find("报告") != std::string::npos) return std::nullopt;
  return agency;
}

}  // namespace

std::optional<std::string> AgencyFromTitle(std::string_view title) {
  const std::string t = AsciiDigits(MatchKey(title));
  // A covering letter: 示例县水利局关于报送《2017年政府信息公开工作情况》的函.
  // The department before 关于 sent it; else the quoted report names it.
  size_t about = t.find("关于");
  size_t quote = t.find("《");
  if (about != std::string::npos && about > 0 && about < std::min(quote, ReportPhraseAt(t))) {
    std::optional<YearSpan> year = FindYear(t);
    if (!year || about < year->begin) {
      std::string dept(TrimAgency(std::string_view(t).substr(0, about)));
      if (!dept.empty()) return dept;
    }
  }
  if (quote != std::string::npos) {
    size_t close = t.find("》", quote);
    std::string_view inner = std::string_view(t).substr(quote + 3, close == std::string::npos ? std::string::npos : close - quote - 3);
    if (ReportPhraseAt(inner) != std::string_view::npos || FindYear(inner)) return AgencyOfReportTitle(inner);
  }
  return AgencyOfReportTitle(t);
}

std::string FindTitle(const HtmlPage& page) {
  std::vector<std::string> candidates;
  for (const char* name : {"articletitle", "title", "og:title"}) {
    auto it = page.meta.find(name);
    if (it != page.meta.end()) candidates.push_back(it->second);
  }
  for (const auto& h : page.headings) candidates.push_back(h);
  // <title> parts: "报告标题_门户名" / "报告标题 - 门户名".
  std::string t = page.title_tag;
  for (const char* sep : {"_", " - ", "|", "－", "—"}) {
    size_t p = t.find(sep);
    if (p != std::string::npos) candidates.push_back(NormalizeWhitespace(t.substr(0, p)));
  }
  candidates.push_back(t);
  for (const auto& c : candidates) {
    if (LooksLikeReportTitle(AsciiDigits(MatchKey(c))) && !IsChromeLine(c)) return c;
  }
  return page.headings.empty() ? t : page.headings.front();
}

std::optional<std::string> FindPublished(const HtmlPage& page) {
  static const char* kMarkers[] = {"发布日期:", "发布时间:", "发文日期:", "日期:", "时间:"};
  for (const auto& line : page.page_lines) {
    if (line.find("日期") == std::string::npos && line.find("时间") == std::string::npos) continue;
    std::string k = AsciiDigits(MatchKey(line));
    for (const char* m : kMarkers) {
      size_t at = k.find(m);
      if (at == std::string::npos) continue;
      if (std::string_view(k).substr(at >= 6 ? at - 6 : 0, 6).find("成文") != std::string_view::npos) continue;
      if (auto d = DateAt(k, at + std::string_view(m).size())) return d;
    }
  }
  for (const char* name : {"pubdate", "publishdate", "firstpublishedtime", "article:published_time", "dc.date"}) {
    auto it = page.meta.find(name);
    if (it == page.meta.end()) continue;
    std::string k = AsciiDigits(MatchKey(it->second));
    if (auto d = DateAt(k, 0)) return d;
  }
  return std::nullopt;
}

std::optional<int> StatisticPeriodYear(std::string_view body_text) {
  body_text = body_text.substr(0, 20000);
  for (size_t at = body_text.find("统计"); at != std::string_view::npos; at = body_text.find("统计", at + 6)) {
    std::string k = AsciiDigits(MatchKey(body_text.substr(at, 120)));
    for (const char* marker : {"统计期限自", "统计期限为", "统计期限:", "统计时限自", "统计期间为", "统计期间自"}) {
      if (k.rfind(marker, 0) != 0) continue;
      size_t i = std::string_view(marker).size();
      if (i + 4 > k.size()) continue;
      int y = 0;
      bool ok = true;
      for (size_t j = i; j < i + 4; ++j) {
        ok = ok && k[j] >= '0' && k[j] <= '9';
        y = y * 10 + (k[j] - '0');
      }
      if (ok && y >= 1990 && y <= 2100) return y;
    }
  }
  return std::nullopt;
}

void FillMetadata(const HtmlPage& page, Report* r) {
  r->title = FindTitle(page);
  std::string norm_title = AsciiDigits(MatchKey(r->title));
  r->agency = AgencyFromTitle(r->title);
  if (!r->agency) {
    for (const char* name : {"contentsource", "source", "author"}) {
      auto it = page.meta.find(name);
      if (it != page.meta.end() && !it->second.empty()) {
        r->agency = MatchKey(it->second);
        break;
      }
    }
  }
  r->published = FindPublished(page);
  std::optional<int> title_year = YearInTitle(norm_title);
  std::optional<int> period_year = StatisticPeriodYear(r->body_text);
  if (title_year) r->year = title_year;
  else if (period_year) r->year = period_year;
  else if (r->published) {
    int py = std::stoi(r->published->substr(0, 4));
    int pm = std::stoi(r->published->substr(5, 2));
    if (pm <= 6) r->year = py - 1;
  }
  if (title_year && period_year && *title_year != *period_year) {
    r->warnings.push_back({"YEAR", "year in title (" + std::to_string(*title_year) + ") differs from statistic period (" +
                                       std::to_string(*period_year) + ")"});
  }
  if (r->year && r->published) {
    int py = std::stoi(r->published->substr(0, 4));
    if (py < *r->year || py > *r->year + 2) {
      r->warnings.push_back({"YEAR", "report year " + std::to_string(*r->year) + " but published " + *r->published});
    }
  }
}

}  // namespace nianbao::extract
