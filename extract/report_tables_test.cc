#include "extract/report_tables.h"

#include <doctest/doctest.h>

#include "extract/field_spec.h"
#include "extract/test_util.h"

using namespace nianbao::extract;

TEST_SUITE("extract/report_tables") {
  TEST_CASE("placeholders and blanks are null, never 0; raw is kept") {
    for (const char* p : {"", "/", "-", "—", "——", "无", "N/A", " \xE3\x80\x80 "}) {
      FieldValue f;
      CHECK(ParseCell(p, FieldType::kCount, &f));
      CHECK_FALSE(f.has_value);
      REQUIRE(f.raw);
    }
    FieldValue f;
    CHECK(ParseCell("０", FieldType::kCount, &f));
    CHECK(f.has_value);
    CHECK(f.integer == 0);
    CHECK(*f.raw == "０");  // full-width stays full-width in raw
  }
  TEST_CASE("numbers by type") {
    FieldValue f;
    CHECK(ParseCell("12.50", FieldType::kDecimal, &f));
    CHECK(f.decimal == doctest::Approx(12.5));
    CHECK(ParseCell("-3", FieldType::kSigned, &f));
    CHECK(f.integer == -3);
    CHECK(ParseCell("+3", FieldType::kSigned, &f));
    CHECK(f.integer == 3);
    CHECK(ParseCell("6187.4万元", FieldType::kDecimal, &f));
    CHECK(f.decimal == doctest::Approx(6187.4));
    CHECK_FALSE(f.converted_unit);
    CHECK(ParseCell("5000元", FieldType::kDecimal, &f));
    CHECK(f.decimal == doctest::Approx(0.5));
    CHECK(f.converted_unit);
    CHECK_FALSE(ParseCell("约20件", FieldType::kCount, &f));
    CHECK_FALSE(f.has_value);
  }
  TEST_CASE("fields.tsv compiled in: 200 gov2021 keys, 198 gov2019 keys") {
    CHECK(FieldSpecs("gov2021").size() == 200);
    CHECK(FieldSpecs("gov2019").size() == 198);
    CHECK(FieldSpecs("legacy").empty());
  }
  TEST_CASE("a value spanning several value columns is not read as many") {
    Grid g;
    g.rows = {{"", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"},
              {"一、本年新收政府信息公开申请数量", "5", "5", "5", "5", "5", "5", "5"}};
    g.origin = {{0, 1, 2, 3, 4, 5, 6, 7}, {8, 9, 9, 9, 9, 9, 9, 9}};
    std::vector<Warning> w;
    auto fields = MapTableFields("gov2021", {g}, &w);
    int with_value = 0;
    for (const auto& f : fields) with_value += f.has_value;
    CHECK(with_value == 1);  // only natural_person; the span is doubtful
    CHECK(!w.empty());
  }
}
