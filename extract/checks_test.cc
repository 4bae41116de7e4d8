#include "extract/checks.h"

#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>

#include "extract/narrative_checks.h"
#include "extract/report_tables.h"

using namespace nianbao::extract;

namespace {

// A report of `format` whose every table cell is printed as "0".
Report AllZero(const std::string& format) {
  Report r;
  r.format = format;
  r.fields = EmptyFields(format);
  for (auto& f : r.fields) REQUIRE(ParseCell("0", f.type, &f));
  return r;
}

FieldValue& At(Report& r, const std::string& key) {
  for (auto& f : r.fields) {
    if (f.key == key) return f;
  }
  FAIL("no key " << key);
  throw;
}

void SetCell(Report& r, const std::string& key, const std::string& text) { REQUIRE(ParseCell(text, At(r, key).type, &At(r, key))); }

const Check& Find(const std::vector<Check>& checks, const std::string& rule, const std::string& scope) {
  for (const auto& c : checks) {
    if (c.rule == rule && c.scope == scope) return c;
  }
  FAIL("no check " << rule << " " << scope);
  throw;
}

const char* const kColumns[] = {"natural_person", "legal.commercial", "legal.research", "legal.social_welfare",
                                "legal.legal_service", "legal.other", "total"};

}  // namespace

TEST_SUITE("extract/checks") {
  TEST_CASE("every rule and scope of checks.md, once, in every structured record") {
    for (const char* format : {"gov2021", "gov2019"}) {
      CAPTURE(format);
      std::vector<Check> checks = RunChecks(AllZero(format));
      std::map<std::string, std::set<std::string>> scopes;
      for (const auto& c : checks) {
        CHECK_MESSAGE(scopes[c.rule].insert(c.scope).second, "duplicate " << c.rule << " " << c.scope);
        CHECK_MESSAGE(c.outcome == "pass", c.rule << " " << c.scope << ": " << c.detail);
      }
      const std::set<std::string> columns(std::begin(kColumns), std::end(kColumns));
      CHECK(scopes["R1"] == columns);
      CHECK(scopes["R3"] == columns);
      // R2: one per table-三 row, named by its row key (checks.md: 25 in gov2021, 23 in gov2019).
      std::set<std::string> rows;
      for (const auto& f : EmptyFields(format)) {
        if (f.key.rfind("t3.", 0) != 0) continue;
        std::string row = f.key.substr(3);
        for (const char* col : kColumns) {
          std::string suffix = std::string(".") + col;
          if (row.size() > suffix.size() && row.compare(row.size() - suffix.size(), suffix.size(), suffix) == 0) {
            rows.insert(row.substr(0, row.size() - suffix.size()));
            break;
          }
        }
      }
      CHECK(rows.size() == (std::string(format) == "gov2021" ? 25u : 23u));
      CHECK(scopes["R2"] == rows);
      CHECK(scopes["R4"] == std::set<std::string>{"review", "suit_direct", "suit_after_review"});
      CHECK(scopes["R5"] == std::set<std::string>{"all"});
      CHECK(checks.size() == (std::string(format) == "gov2021" ? 43u : 41u));
    }
  }

  TEST_CASE("a null operand makes exactly the instances it is in uncertain, naming it") {
    Report r = AllZero("gov2021");
    SetCell(r, "t3.carried_over.legal.research", "");  // printed blank
    SetCell(r, "t4.review.pending", "/");              // a placeholder
    std::vector<Check> checks = RunChecks(r);
    std::set<std::string> uncertain;
    for (const auto& c : checks) {
      if (c.outcome != "uncertain") {
        CHECK_MESSAGE(c.outcome == "pass", c.rule << " " << c.scope);
        continue;
      }
      uncertain.insert(c.rule + " " + c.scope);
    }
    // carried_over.legal.research is an operand of R1 (its column) and R2 (its row);
    // review.pending of R4 review. R3 does not read carried_over.
    CHECK(uncertain == std::set<std::string>{"R1 legal.research", "R2 carried_over", "R4 review"});
    CHECK(Find(checks, "R1", "legal.research").detail == "null: t3.carried_over.legal.research");
    CHECK(Find(checks, "R4", "review").detail == "null: t4.review.pending");
    // R5: null cells are not its operands.
    CHECK(Find(checks, "R5", "all").outcome == "pass");
  }

  TEST_CASE("a blank operand never passes, even when the others would balance with 0") {
    Report r = AllZero("gov2019");
    SetCell(r, "t3.granted.natural_person", "—");
    for (const auto& c : RunChecks(r)) {
      bool reads = false;
      for (const auto& k : c.lhs) reads = reads || k == "t3.granted.natural_person";
      for (const auto& k : c.rhs) reads = reads || k == "t3.granted.natural_person";
      if (reads) CHECK_MESSAGE(c.outcome == "uncertain", c.rule << " " << c.scope);
    }
  }

  TEST_CASE("a failed equation shows its arithmetic; R5 names negative counts") {
    Report r = AllZero("gov2021");
    SetCell(r, "t3.new_received.total", "5");
    SetCell(r, "t3.total_processed.total", "4");
    SetCell(r, "t4.suit_direct.upheld", "-1");
    std::vector<Check> checks = RunChecks(r);
    const Check& r1 = Find(checks, "R1", "total");
    CHECK(r1.outcome == "fail");
    CHECK(r1.detail == "5+0 != 4+0");
    CHECK(Find(checks, "R5", "all").outcome == "fail");
    CHECK(Find(checks, "R5", "all").detail.find("t4.suit_direct.upheld = -1") != std::string::npos);
  }

  TEST_CASE("a table absent from the record: its instances are not_assessable") {
    Report r = AllZero("gov2021");
    for (auto& f : r.fields) {
      if (f.key.rfind("t4.", 0) != 0) continue;
      FieldValue absent;  // no cell found at all
      absent.key = f.key;
      absent.type = f.type;
      f = absent;
    }
    std::vector<Check> checks = RunChecks(r);
    for (const char* g : {"review", "suit_direct", "suit_after_review"}) CHECK(Find(checks, "R4", g).outcome == "not_assessable");
    CHECK(Find(checks, "R1", "total").outcome == "pass");
  }

  TEST_CASE("legacy and unknown records: one not_assessable entry per rule") {
    for (const char* format : {"legacy", "unknown"}) {
      Report r;
      r.format = format;
      std::vector<Check> checks = RunChecks(r);
      REQUIRE(checks.size() == 5);
      for (const auto& c : checks) {
        CHECK(c.scope == "all");
        CHECK(c.outcome == "not_assessable");
      }
    }
  }
}

namespace {

// A gov2021 report whose table says: 新收 24, 上年结转 2, 办结 23, 结转下年 3,
// 行政复议 1, 行政诉讼 0 + 1; and whose 一、总体情况 is `overview`.
Report WithOverview(const std::string& overview) {
  Report r = AllZero("gov2021");
  SetCell(r, "t3.new_received.total", "24");
  SetCell(r, "t3.carried_over.total", "2");
  SetCell(r, "t3.total_processed.total", "23");
  SetCell(r, "t3.carried_forward.total", "3");
  SetCell(r, "t4.review.total", "1");
  SetCell(r, "t4.suit_after_review.total", "1");
  r.sections.push_back({"一", "s1_overview", "总体情况", overview});
  return r;
}

std::vector<std::string> S1(const std::string& overview) {
  std::vector<std::string> out;
  for (const auto& w : NarrativeVsTable(WithOverview(overview))) {
    CHECK(w.code == "S1");
    out.push_back(w.message);
  }
  return out;
}

}  // namespace

TEST_SUITE("extract/narrative_checks") {
  // Sentences in the shapes of real overviews (seeds 002, 004, the Hongze PDFs).
  TEST_CASE("S1: overview numbers that agree with the table raise nothing") {
    CHECK(S1("全年共受理政府信息公开申请24件，办结23件，3件结转下一年度办理。").empty());
    CHECK(S1("本年度新收政府信息公开申请24件，上年结转2件。").empty());
    // 受理 counted with the requests carried over: new + carried over.
    CHECK(S1("2024年共受理政府信息公开申请26件（含上年结转2件），均已按时答复。").empty());
    // Wrapped PDF lines inside one sentence.
    CHECK(S1("2024 年，区政府办代表区政府受理政府\n信息公开申请 24 件，均已在法定期限内予以答复。").empty());
    CHECK(S1("全年发生政府信息公开行政复议1件，行政诉讼1件。").empty());
  }

  TEST_CASE("S1: other numbers in the sentence are not the table's") {
    // A comparison states a difference, not the count.
    CHECK(S1("新收政府信息公开申请数量较上年增加5件。").empty());
    // 办结 of letters and visits, 行政复议 handled by a justice bureau: not table 三/四.
    CHECK(S1("全年办结群众来信来访30件。").empty());
    CHECK(S1("全年办理行政复议案件120件，行政诉讼应诉案件45件。").empty());
    // Help given to other units.
    CHECK(S1("协助答复其他单位政府信息公开申请64件。").empty());
    // A rate, and the year before a unit-less number.
    CHECK(S1("依申请公开办结率100%。").empty());
  }

  TEST_CASE("S1: a stated number that differs from its cells is one warning each") {
    CHECK(S1("本年度新收政府信息公开申请30件。") == std::vector<std::string>{"一、总体情况 says 新收 30, the table has 24"});
    CHECK(S1("共办结政府信息公开申请20件。") == std::vector<std::string>{"一、总体情况 says 办结 20, the table has 23"});
    CHECK(S1("因政府信息公开被申请行政复议2件。") == std::vector<std::string>{"一、总体情况 says 行政复议 2, the table has 1"});
    CHECK(S1("全年共受理政府信息公开申请24件，办结23件，剩余5件结转下年度办理。") ==
          std::vector<std::string>{"一、总体情况 says 结转下年 5, the table has 3"});
  }

  TEST_CASE("S1: a null cell is not compared") {
    Report r = WithOverview("本年度新收政府信息公开申请30件。");
    SetCell(r, "t3.new_received.total", "");
    CHECK(NarrativeVsTable(r).empty());
  }
}
