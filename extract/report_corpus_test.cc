// The issue-4 test set (tests/data/reports/MANIFEST.tsv): every case is
// extracted and compared with its hand-transcribed expected record.
// Every field exact, in every carrier (HTML, DOCX, PDF: the WPS exports of
// section E and the LibreOffice exports of section G of PROVENANCE.md); a
// doubtful cell must be null, never a wrong number.
// Everywhere: no chrome.txt string in body_text, sections or tables.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "extract/page_chrome.h"
#include "extract/report_extractor.h"
#include "extract/report_json.h"
#include "extract/test_util.h"
#include "extract/text.h"

using namespace nianbao::extract;
using nianbao::extract::test::DataPath;
using nianbao::extract::test::ReadTestFile;
using json = nlohmann::json;

namespace {

struct Case {
  std::string name, file, carrier;
};

std::vector<Case> Manifest() {
  std::vector<Case> cases;
  std::istringstream in(ReadTestFile(DataPath("reports/MANIFEST.tsv")));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::istringstream ls(line);
    std::string c;
    while (std::getline(ls, c, '\t')) cols.push_back(c);
    if (cols.size() >= 7) cases.push_back({cols[0], cols[1], cols[6]});
  }
  return cases;
}

bool SpecChrome(const std::string& text) {
  std::string hit = PageChrome::Instance().Find(text);
  for (const auto& s : PageChrome::Instance().spec_strings()) {
    if (hit == s) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("report corpus: every case as transcribed") {
  std::vector<Case> cases = Manifest();
  REQUIRE(cases.size() >= 25);
  size_t checked = 0, origins = 0, text_origins = 0;
  for (const Case& c : cases) {
    if (c.carrier != "html" && c.carrier != "pdf" && c.carrier != "docx") continue;  // link-only: daemon test
    CAPTURE(c.name);
    std::string bytes = ReadTestFile(DataPath("reports/" + c.file));
    REQUIRE(!bytes.empty());
    ExtractInput in;
    in.bytes = bytes;
    auto r = ExtractReport(in);
    REQUIRE_MESSAGE(r.ok(), r.status().ToString());
    const Report& rep = r.value();
    json expected = json::parse(ReadTestFile(DataPath("reports/" + c.name + ".expected.json")));
    CHECK(rep.source == expected["source"].get<std::string>());
    CHECK(rep.format == expected["format"].get<std::string>());
    CHECK(rep.title == expected["title"].get<std::string>());
    CHECK(json(rep.agency ? json(*rep.agency) : json()) == expected["agency"]);
    CHECK(json(rep.year ? json(*rep.year) : json()) == expected["year"]);
    CHECK(json(rep.published ? json(*rep.published) : json()) == expected["published"]);
    REQUIRE(rep.fields.size() == expected["fields"].size());
    size_t exact = 0, wrong = 0;
    for (const auto& f : rep.fields) {
      json want = expected["fields"][f.key];
      json got = FieldJson(f);
      bool value_ok = want["value"].is_null() ? got["value"].is_null()
                                              : got["value"].is_number() && got["value"].get<double>() == want["value"].get<double>();
      if (value_ok && got["raw"] == want["raw"]) ++exact;
      else if (!got["value"].is_null()) ++wrong;
      json compared = got;
      compared.erase("origin");
      CHECK_MESSAGE(compared == json({{"value", want["value"]}, {"raw", want["raw"]}}),
                    f.key << " got " << got.dump() << " want " << want.dump());
      // Where the number came from: the very cell of the record's tables, or
      // a labelled row of a table printed as text in a named section.
      if (f.raw && !f.raw->empty()) {
        REQUIRE_MESSAGE(f.origin.has_value(), f.key << " has no origin");
        const CellOrigin& o = *f.origin;
        if (o.table >= 0) {
          REQUIRE(static_cast<size_t>(o.table) < rep.tables.size());
          const auto& rows = rep.tables[o.table].rows;
          REQUIRE(static_cast<size_t>(o.row) < rows.size());
          REQUIRE(static_cast<size_t>(o.col) < rows[o.row].size());
          CHECK_MESSAGE(NormalizeWhitespace(rows[o.row][o.col]) == NormalizeWhitespace(*f.raw), f.key);
          ++origins;
        } else {
          CHECK_MESSAGE(!o.section.empty(), f.key);
          CHECK_MESSAGE(!o.row_label.empty(), f.key);
          ++text_origins;
        }
      }
    }
    CHECK_MESSAGE(wrong == 0, wrong << " fields wrong-but-confident");
    CHECK(exact == rep.fields.size());
    for (const auto& s : rep.sections) CHECK_FALSE(SpecChrome(s.text));
    std::istringstream body(rep.body_text);
    for (std::string line; std::getline(body, line);) CHECK_MESSAGE(!SpecChrome(line), "chrome in body_text: " << line);
    for (const auto& t : rep.tables) {
      for (const auto& row : t.rows) {
        for (const auto& cell : row) CHECK_FALSE(SpecChrome(cell));
      }
    }
    ++checked;
  }
  CHECK(checked >= 33);
  CHECK(origins > 1000);      // cells of <table>s and DOCX tables
  CHECK(text_origins > 100);  // tables printed as text (flattened pages, PDF)
}
