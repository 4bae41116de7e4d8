#include "extract/flat_tables.h"

#include <doctest/doctest.h>

#include "extract/report_tables.h"

using namespace nianbao::extract;

namespace {
const FieldValue& Get(const std::vector<FieldValue>& fields, const std::string& key) {
  for (const auto& f : fields) {
    if (f.key == key) return f;
  }
  FAIL("no key " << key);
  return fields.front();
}
}  // namespace

TEST_SUITE("extract/flat_tables") {
  // Lines as printed in tests/data/seeds/000 (table 四, " | " rows with a trailing "|").
  TEST_CASE("pipe rows with trailing separators: table 四 in its fixed order") {
    Grid g = RecoverFlatTable({"行政复议 | 行政诉讼 | |||||||||||||",
                               "结果维持 | 结果 | 其他 | 尚未 | 总计 | 未经复议直接起诉 | 复议后起诉 | ||||||||",
                               "结果 | 结果 | 其他 | 尚未 | 总计 | 结果 | 结果 | 其他 | 尚未 | 总计 | |||||",
                               "1 | 0 | 0 | 0 | 1 | 0 | 2 | 0 | 0 | 2 | 0 | 0 | 0 | 3 | 3 |"});
    std::vector<Warning> w;
    auto fields = MapTableFields("gov2021", {g}, &w);
    CHECK(Get(fields, "t4.review.upheld").integer == 1);
    CHECK(Get(fields, "t4.suit_direct.corrected").integer == 2);
    CHECK(Get(fields, "t4.suit_after_review.pending").integer == 3);
    CHECK(Get(fields, "t4.suit_after_review.total").integer == 3);
    CHECK(w.empty());
  }

  TEST_CASE("one value per line (seed 002): rows cut where a label follows a value") {
    Grid g = RecoverFlatTable({"信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "规章", "0", "0", "0",
                               "行政规范性文件", "7", "27", "108", "第二十条第(五)项", "信息内容", "本年处理决定数量",
                               "行政许可", "0"});
    REQUIRE(g.flat);
    std::vector<Warning> w;
    auto fields = MapTableFields("gov2021", {g}, &w);
    CHECK(Get(fields, "t2.art20_1.normative_docs.issued").integer == 7);
    CHECK(Get(fields, "t2.art20_1.normative_docs.in_force").integer == 108);
    CHECK(Get(fields, "t2.art20_5.admin_license.decisions").has_value);
  }

  TEST_CASE("a cell per tab-led line (seed 003): a lone tab is a blank cell, never 0") {
    Grid g = RecoverFlatTable({"\t(一)予以公开", "\t20", "\t0", "\t0", "\t0", "\t0", "\t", "\t20"});
    // The row label is not table 三 alone; give it its table.
    Grid t3 = RecoverFlatTable({"一、本年新收政府信息公开申请数量", "\t20", "\t0", "\t0", "\t0", "\t0", "\t0", "\t20",
                                "\t(一)予以公开", "\t20", "\t0", "\t0", "\t0", "\t0", "\t", "\t20"});
    std::vector<Warning> w;
    auto fields = MapTableFields("gov2021", {t3}, &w);
    CHECK(Get(fields, "t3.granted.natural_person").integer == 20);
    CHECK_FALSE(Get(fields, "t3.granted.legal.other").has_value);
    CHECK(*Get(fields, "t3.granted.legal.other").raw == "");
    CHECK(Get(fields, "t3.granted.total").integer == 20);
    CHECK(g.rows.size() == 1);
  }

  TEST_CASE("a misaligned flattened row is withdrawn by R2, raw kept") {
    // Eight numbers where seven columns are printed (a stray value): placed from the
    // right edge, the row does not add up, so nothing of it is stored as a value.
    Grid t3 = RecoverFlatTable({"一、本年新收政府信息公开申请数量 | 9 | 5 | 1 | 0 | 0 | 0 | 0 | 3",
                                "二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1"});
    std::vector<Warning> w;
    auto fields = MapTableFields("gov2021", {t3}, &w);
    const FieldValue& total = Get(fields, "t3.new_received.total");
    CHECK_FALSE(total.has_value);
    CHECK(*total.raw == "3");
    REQUIRE(!w.empty());
    CHECK(w.back().code == "DOUBTFUL_CELL");
    CHECK(Get(fields, "t3.carried_over.total").integer == 1);  // an exactly aligned row stays
  }

  TEST_CASE("prose is not a table") {
    Grid g = RecoverFlatTable({"2024年,区政府办公室紧紧围绕区委、区政府中心工作。", "第二段正文。"});
    CHECK(g.rows.empty());
  }
}
