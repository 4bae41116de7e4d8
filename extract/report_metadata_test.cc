#include "extract/report_metadata.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace nianbao::extract {
namespace {

struct TitleCase {
  const char* title;
  const char* agency;  // nullptr: the title names none
  const char* origin;
};

// Titles in the shapes real portals print. Origins: "seed" = ../shared/seeds
// (README rows and printed titles); "corpus" = a PDF /Title in
// ../shared/corpus; "issue13" = titles quoted in issue 13 from
// hidden pages; "public" = report titles quoted in public repositories that
// crawl these portals (found with the library's find_string); "listing.md" =
// the title shapes ../shared/spec/listing.md enumerates, with the placeholder
// agency names the spec uses (示例县…).
const std::vector<TitleCase> kTitles = {
    {"北京市怀柔区人民政府办公室2024年政府信息公开工作年度报告", "北京市怀柔区人民政府办公室", "seed"},
    {"新华区西市场街道办事处 2024 年政府信息公开工作 年度报告", "新华区西市场街道办事处", "seed"},
    {"重庆市潼南区人民政府办公室2024年政府信息公开工作年度报告", "重庆市潼南区人民政府办公室", "seed"},
    {"宛城区人民政府办公室2024年政府信息公开工作年度报告", "宛城区人民政府办公室", "seed"},
    {"邢台市襄都区2020年政府信息公开工作年度报告", "邢台市襄都区", "seed"},
    {"淮安市洪泽区人民政府 2025 年政府信息公开工作年度报告", "淮安市洪泽区人民政府", "public"},
    {"洪泽区人民政府2023年政府信息公开工作年度报告", "洪泽区人民政府", "public"},
    {"淮安市人民政府2024年政府信息公开工作年度报告", "淮安市人民政府", "public"},
    {"宿州市人民政府2019年政府信息公开工作年度报告（图片版）", "宿州市人民政府", "public"},
    {"上海市黄浦区人民政府2022年政府信息公开工作年度报告（超链版）", "上海市黄浦区人民政府", "public"},
    {"南京徐庄高新技术产业开发区管理委员会2024年政府信息公开工作年度报告", "南京徐庄高新技术产业开发区管理委员会", "public"},
    {"大庆市住房公积金管理中心2025年政府信息公开工作年度报告", "大庆市住房公积金管理中心", "public"},
    {"市扶农办2016年度政府信息公开工作报告", "市扶农办", "public"},
    {"广东省旅游局2012年度政府信息公开工作报告", "广东省旅游局", "public"},
    {"关于报送《平潭综合实验区公安局2017年政府信息公开工作情况》的函", "平潭综合实验区公安局", "issue13"},
    {"广州市番禺区水利局政府信息公开工作年度报告（2020年度）", "广州市番禺区水利局", "issue13"},
    {"广州市番禺区水利局政府信息公开工作年度报告(2020年度)", "广州市番禺区水利局", "issue13"},
    // Year first (listing.md: "year first or agency first").
    {"2022年示例县北山乡人民政府政府信息公开工作年度报告", "示例县北山乡人民政府", "listing.md"},
    {"2024年度示例县政务公开工作年度报告", "示例县", "listing.md"},
    {"二〇二四年示例县财政局政府信息公开工作年度报告", "示例县财政局", "listing.md"},
    {"2024年政府信息公开工作年度报告", nullptr, "listing.md"},
    // Agency first, the other phrases and the year in Chinese numerals or full width.
    {"示例县人民政府二〇二四年政府信息公开工作年度报告", "示例县人民政府", "listing.md"},
    {"示例县教育局２０２３年度政务信息公开工作年度报告", "示例县教育局", "listing.md"},
    {"示例县卫生健康委员会2023年度信息公开年报", "示例县卫生健康委员会", "listing.md"},
    {"示例县自然资源局 2021年 政务公开 年报", "示例县自然资源局", "listing.md"},
    {"示例县人民政府信息公开工作年度报告", "示例县人民政府", "listing.md"},
    {"示例县人民政府政府信息公开工作年度报告（2019年度）", "示例县人民政府", "listing.md"},
    // Quotes and covering letters (issue 13: 《》 and “”, the department before 关于).
    {"关于报送“示例县公安局2017年政府信息公开工作情况”的函", "示例县公安局", "issue13"},
    {"示例县水利局关于报送《2017年政府信息公开工作情况》的函", "示例县水利局", "issue13"},
    {"示例县人民政府办公室关于印发《示例县2023年政府信息公开工作年度报告》的通知", "示例县人民政府办公室", "issue13"},
    {"《示例县司法局2022年政府信息公开工作年度报告》", "示例县司法局", "issue13"},
    {"关于示例县市场监督管理局2020年政府信息公开工作年度报告", "示例县市场监督管理局", "issue13"},
    {"【年报】示例县交通运输局2024年政府信息公开工作年度报告", "示例县交通运输局", "listing.md"},
    // An office whose name holds 政务公开: the phrase must be the report's.
    {"示例县政务公开办公室2024年政府信息公开工作年度报告", "示例县政务公开办公室", "listing.md"},
    // Titles that name no agency.
    {"政府信息公开工作年度报告", nullptr, "corpus"},
    {"关于报送《2017年政府信息公开工作情况》的函", nullptr, "issue13"},
};

TEST_CASE("agency from real-shaped titles") {
  int exact = 0;
  for (const auto& c : kTitles) {
    const std::string title = c.title, origin = c.origin;
    CAPTURE(title);
    CAPTURE(origin);
    std::optional<std::string> got = AgencyFromTitle(c.title);
    if (c.agency == nullptr) {
      CHECK_FALSE(got.has_value());
      exact += !got.has_value();
    } else {
      REQUIRE(got.has_value());
      CHECK(*got == c.agency);
      exact += *got == c.agency;
    }
  }
  CHECK(kTitles.size() >= 30);
  CHECK(exact == static_cast<int>(kTitles.size()));
}

TEST_CASE("FindYear: where the year begins and its 年/年度 ends") {
  auto span = FindYear("示例县2024年度政务公开");
  REQUIRE(span);
  CHECK(span->year == 2024);
  CHECK(span->begin == std::string("示例县").size());
  CHECK(span->end == std::string("示例县2024年度").size());
  span = FindYear("二〇一九年示例县");
  REQUIRE(span);
  CHECK(span->year == 2019);
  CHECK(span->begin == 0);
  CHECK(span->end == std::string("二〇一九年").size());
  CHECK_FALSE(FindYear("第1234年"));  // out of range
  CHECK_FALSE(FindYear("示例县政府信息公开工作年度报告"));
}

}  // namespace
}  // namespace nianbao::extract
