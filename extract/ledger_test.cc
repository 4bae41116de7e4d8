#include "extract/ledger.h"

#include <doctest/doctest.h>

using namespace nianbao::extract;
using Json = nlohmann::ordered_json;

namespace {

// A record as the store keeps it, with only what the ledger reads.
LedgerInput Rec(const std::string& id, const std::string& agency, int year, const std::string& published,
                std::optional<int> carried_over, std::optional<int> carried_forward, int versions = 1,
                const std::string& source = "html") {
  Json fields = Json::object();
  fields["t3.carried_over.total"] = {{"value", carried_over ? Json(*carried_over) : Json()}, {"raw", "x"}};
  fields["t3.carried_forward.total"] = {{"value", carried_forward ? Json(*carried_forward) : Json()}, {"raw", "x"}};
  LedgerInput in;
  in.record = {{"report_id", id}, {"agency", agency}, {"year", year}, {"published", published}, {"format", "gov2021"},
               {"source", source}, {"url", "http://h/" + id}, {"title", agency + std::to_string(year)}, {"fields", fields}};
  in.versions = versions;
  in.region = "示例市";
  in.level = "county";
  return in;
}

const Json& Cell(const Json& ledger, const std::string& key, int year) {
  for (const auto& a : ledger["agencies"]) {
    if (a["key"] == key) return a["years"][std::to_string(year)];
  }
  static const Json kNone;
  return kNone;
}

}  // namespace

TEST_SUITE("extract/ledger") {
  TEST_CASE("agency keys: full-width, spaces, brackets, 人民政府 and a trailing parenthetical") {
    CHECK(AgencyKey("示例县 人民政府") == AgencyKey("示例县政府"));
    CHECK(AgencyKey("示例县财政局（本级）") == AgencyKey("示例县财政局"));
    CHECK(AgencyKey("《示例县财政局》") == AgencyKey("示例县财政局"));
    CHECK(AgencyKey("示例县财政局") != AgencyKey("示例县税务局"));
  }

  TEST_CASE("found, missing, late, changed, only an attachment; S2 across consecutive years") {
    std::vector<LedgerInput> in = {
        Rec("a21", "示例县财政局", 2021, "2022-01-20", 0, 2),
        Rec("a22", "示例县财政局", 2022, "2023-02-10", 3, 1, 2),   // late (a department: 31 January), changed
        Rec("a24", "示例县财政局", 2024, "2025-01-15", 1, 0),      // 2023 missing
        Rec("g22", "示例县人民政府", 2022, "2023-03-20", 0, 0),    // a government: 31 March, in time
        Rec("g23", "示例县政府", 2023, "2024-04-02", std::nullopt, 0, 1, "pdf"),  // the same agency; late; PDF only
    };
    Json l = BuildLedger(in, {});
    CHECK(l["years"] == Json::array({2021, 2022, 2023, 2024}));
    CHECK(Cell(l, "示例县财政局", 2021)["status"] == "found");
    CHECK(Cell(l, "示例县财政局", 2022)["late"] == true);
    CHECK(Cell(l, "示例县财政局", 2022)["changed"] == true);
    CHECK(Cell(l, "示例县财政局", 2023)["status"] == "missing");
    CHECK(Cell(l, "示例县政府", 2022)["late"] == false);
    CHECK(Cell(l, "示例县政府", 2023)["late"] == true);
    CHECK(Cell(l, "示例县政府", 2023)["attachment_only"] == true);
    CHECK(l["counts"]["found"] == 5);
    CHECK(l["counts"]["missing"] == 3);  // 财政局 2023; 政府 2021, 2024
    CHECK(l["per_region"]["示例市"]["found"] == 5);
    // S2: 2022's carried_over 3 ≠ 2021's carried_forward 2 (fail); 2023 vs 2022 for the
    // government: carried_over null (uncertain); 2024 has no 2023 report (not checked).
    REQUIRE(l["findings"].size() == 2);
    for (const auto& f : l["findings"]) {
      CHECK(f["rule"] == "S2");
      if (f["agency"] == "示例县财政局") {
        CHECK(f["outcome"] == "fail");
        CHECK(f["reports"] == Json::array({"a21", "a22"}));
        CHECK(f["detail"] == "carried_over 2022 = 3 ≠ carried_forward 2021 = 2");
      } else {
        CHECK(f["agency"] == "示例县政府");
        CHECK(f["outcome"] == "uncertain");
      }
    }
    CHECK(l["checked"]["S2"] == 2);
  }

  TEST_CASE("S3: in_force[Y] = in_force[Y-1] + issued[Y] − repealed[Y], per row of table 二") {
    auto with_t2 = [](LedgerInput in, int issued, int repealed, int in_force) {
      for (const char* row : {"regulations", "normative_docs"}) {
        const std::string base = std::string("t2.art20_1.") + row + ".";
        in.record["fields"][base + "issued"] = {{"value", issued}, {"raw", "x"}};
        in.record["fields"][base + "repealed"] = {{"value", repealed}, {"raw", "x"}};
        in.record["fields"][base + "in_force"] = {{"value", in_force}, {"raw", "x"}};
      }
      return in;
    };
    std::vector<LedgerInput> in = {with_t2(Rec("b23", "示例县水务局", 2023, "2024-01-10", 0, 0), 1, 0, 10),
                                   with_t2(Rec("b24", "示例县水务局", 2024, "2025-01-10", 0, 0), 3, 1, 12)};
    Json l = BuildLedger(in, {});
    CHECK(l["checked"]["S3"] == 2);
    CHECK(l["findings"].empty());  // 10 + 3 − 1 = 12
    in[1] = with_t2(Rec("b24", "示例县水务局", 2024, "2025-01-10", 0, 0), 3, 1, 13);
    l = BuildLedger(in, {});
    REQUIRE(l["findings"].size() == 2);
    CHECK(l["findings"][0]["detail"] == "regulations: in_force 2024 = 13 ≠ 10 + 3 − 1");
  }

  TEST_CASE("renamed agencies are one agency across years through the configured aliases") {
    std::vector<LedgerInput> in = {Rec("c21", "示例县工商行政管理局", 2021, "2022-01-10", 0, 1),
                                   Rec("c22", "示例县市场监督管理局", 2022, "2023-01-10", 1, 0)};
    CHECK(BuildLedger(in, {})["agencies"].size() == 2);
    LedgerOptions o;
    o.aliases = {{"示例县市场监督管理局", {"示例县工商行政管理局"}}};
    Json l = BuildLedger(in, o);
    REQUIRE(l["agencies"].size() == 1);
    CHECK(l["agencies"][0]["names"].size() == 2);
    CHECK(l["counts"]["missing"] == 0);
    CHECK(l["checked"]["S2"] == 1);
    CHECK(l["findings"].empty());  // carried_over 2022 = 1 = carried_forward 2021
  }

  TEST_CASE("--year: that year's ledger, S2 against the year before") {
    std::vector<LedgerInput> in = {Rec("d21", "示例县民政局", 2021, "2022-01-10", 0, 2), Rec("d22", "示例县民政局", 2022, "2023-01-10", 1, 0)};
    LedgerOptions o;
    o.year = 2022;
    Json l = BuildLedger(in, o);
    CHECK(l["years"] == Json::array({2022}));
    REQUIRE(l["findings"].size() == 1);
    CHECK(l["findings"][0]["year"] == 2022);
  }

  TEST_CASE("the HTML page: self-contained, one row per agency, a link per report") {
    std::vector<LedgerInput> in = {Rec("e21", "示例县<司法局>", 2021, "2022-01-10", 0, 0), Rec("e23", "示例县司法局", 2023, "2024-01-10", 0, 0)};
    const std::string html = LedgerHtml(BuildLedger(in, {}));
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("http-equiv") == std::string::npos);
    CHECK(html.find("href=\"http://h/e21\"") != std::string::npos);
    CHECK(html.find("&lt;司法局&gt;") != std::string::npos);  // escaped
    CHECK(html.find("data-status=\"missing\"") != std::string::npos);  // 2022: no report of either, a column still
  }
}
