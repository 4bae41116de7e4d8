#include "extract/report_metadata.h"

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

std::optional<int> YearInTitle(std::string_view title) {
  std::string t(title);
  size_t pos = 0;
  while ((pos = t.find("年", pos)) != std::string::npos) {
    // Four ASCII digits (possibly full-width, normalized by the caller) before 年.
    if (pos >= 4) {
      bool digits = true;
      int y = 0;
      for (size_t k = pos - 4; k < pos; ++k) {
        if (t[k] < '0' || t[k] > '9') digits = false;
        else y = y * 10 + (t[k] - '0');
      }
      if (digits && y >= 1990 && y <= 2100) return y;
    }
    // Four Chinese numerals (3 bytes each) before 年.
    if (pos >= 12) {
      int y = 0;
      bool ok = true;
      size_t k = pos - 12;
      for (int d = 0; d < 4 && ok; ++d) {
        char32_t cp = NextCodePoint(t, &k);
        int v = ChineseDigit(cp);
        ok = v >= 0;
        y = y * 10 + v;
      }
      if (ok && y >= 1990 && y <= 2100) return y;
    }
    pos += 3;
  }
  return std::nullopt;
}

bool IsLookAlikeTitle(std::string_view k) {
  return ContainsAny(k, {"解读", "图解", "说明", "工作要点", "工作总结", "更正", "补充", "通知", "格式", "模板", "征集"});
}

std::optional<std::string> AgencyFromTitle(std::string_view title) {
  std::string t = AsciiDigits(MatchKey(title));
  std::optional<int> year = YearInTitle(t);
  if (!year) return std::nullopt;
  // Find where the year starts: the ASCII or Chinese-numeral form.
  size_t at = t.find(std::to_string(*year));
  if (at == std::string::npos) {
    size_t nian = t.find("年");
    at = nian != std::string::npos && nian >= 12 ? nian - 12 : std::string::npos;
  }
  if (at == std::string::npos || at == 0) return std::nullopt;
  std::string agency = t.substr(0, at);
  for (const char* prefix : {"关于"}) {
    if (agency.rfind(prefix, 0) == 0) agency = agency.substr(std::string(prefix).size());
  }
  if (agency.empty()) return std::nullopt;
  return agency;
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
