// Title, agency, report year and publication date of a report page
// (record.md, formats.md), from the page's own title, meta tags, its
// 发布日期/发布时间/日期 lines and the statistic-period sentence.
#ifndef NIANBAO_EXTRACT_REPORT_METADATA_H_
#define NIANBAO_EXTRACT_REPORT_METADATA_H_

#include <optional>
#include <string>
#include <string_view>

#include "extract/html_page.h"
#include "extract/report.h"

namespace nianbao::extract {

// The report title: the first title candidate that names a report.
std::string FindTitle(const HtmlPage& page);

// A year written "2024" or "二〇二四" followed by 年 in `text` (MatchKey and
// AsciiDigits form): the year, where its digits begin, and where the 年 (or
// 年度) after it ends, in bytes. nullopt if none.
struct YearSpan {
  int year;
  size_t begin;
  size_t end;
};
std::optional<YearSpan> FindYear(std::string_view text);

// FindYear(title)->year.
std::optional<int> YearInTitle(std::string_view title);

// A title that names an annual report but is not one (listing.md): 解读,
// 图解, 说明, 工作要点, 工作总结, 更正, 补充, 通知, 格式, 模板, 征集.
// `match_key` is the title in MatchKey form.
bool IsLookAlikeTitle(std::string_view match_key);

// The issuing body printed in the title, whitespace removed: the text before
// the year or the report phrase (政府信息公开/政务公开/… 工作年度报告), a year
// printed first skipped (2024年度示例县…); in a covering letter
// (…关于报送《…》的函) the department before 关于, else the quoted title's
// agency. nullopt when the title names none (docs/extraction.md).
std::optional<std::string> AgencyFromTitle(std::string_view title);

// "YYYY-MM-DD" from the page's 发布日期/发布时间/日期 line or meta tags.
std::optional<std::string> FindPublished(const HtmlPage& page);

// The year of "统计期限自2024年1月1日…" in the body, tolerant of fused dates.
std::optional<int> StatisticPeriodYear(std::string_view body_text);

// Fills title, agency, year, published and adds YEAR warnings.
void FillMetadata(const HtmlPage& page, Report* report);

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_REPORT_METADATA_H_
