#include "extract/report_extractor.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <map>
#include <random>

#include "extract/checks.h"
#include "extract/listing/listing.h"
#include "extract/page_chrome.h"
#include "extract/report_json.h"
#include "extract/test_util.h"

using namespace nianbao::extract;
using nianbao::extract::test::DataPath;
using nianbao::extract::test::ReadTestFile;
using json = nlohmann::json;

namespace {

Report ExtractFile(const std::string& rel) {
  std::string bytes = ReadTestFile(DataPath(rel));
  REQUIRE_MESSAGE(!bytes.empty(), "missing test file " << rel);
  ExtractInput in;
  in.bytes = bytes;
  auto r = ExtractReport(in);
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  return r.value();
}

// The <table>…</table> elements of a seed page, in order (the seeds nest none).
std::vector<std::pair<size_t, size_t>> TableSpans(const std::string& html) {
  std::vector<std::pair<size_t, size_t>> spans;
  for (size_t at = html.find("<table"); at != std::string::npos; at = html.find("<table", at + 1)) {
    size_t end = html.find("</table>", at);
    REQUIRE(end != std::string::npos);
    spans.push_back({at, end + 8});
  }
  return spans;
}

// `host` with its table 二 (the first table) replaced by `donor`'s.
std::string WithTable2Of(const std::string& host, const std::string& donor) {
  auto h = TableSpans(host).at(0);
  auto d = TableSpans(donor).at(0);
  return host.substr(0, h.first) + donor.substr(d.first, d.second - d.first) + host.substr(h.second);
}

Report ExtractBytes(const std::string& bytes) {
  ExtractInput in;
  in.bytes = bytes;
  auto r = ExtractReport(in);
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  return r.value();
}

// Every chrome.txt string absent from body, sections and tables.
void CheckNoChrome(const Report& r) {
  const auto& chrome = PageChrome::Instance();
  auto check = [&](const std::string& text, const char* where) {
    std::string hit = chrome.Find(text);
    bool spec_hit = false;
    for (const auto& s : chrome.spec_strings()) spec_hit = spec_hit || hit == s;
    CHECK_MESSAGE(!spec_hit, where << " leaks chrome \"" << hit << "\"");
  };
  size_t start = 0;
  while (start < r.body_text.size()) {
    size_t nl = r.body_text.find('\n', start);
    if (nl == std::string::npos) nl = r.body_text.size();
    check(r.body_text.substr(start, nl - start), "body_text");
    start = nl + 1;
  }
  for (const auto& s : r.sections) check(s.text, "sections");
  for (const auto& t : r.tables) {
    for (const auto& row : t.rows) {
      for (const auto& cell : row) check(cell, "tables");
    }
  }
}

}  // namespace

TEST_SUITE("extract/report_extractor") {
  TEST_CASE("seed pages: every field exactly as printed, metadata, no chrome") {
    for (const char* seed : {"000", "001", "002", "003", "004"}) {
      CAPTURE(seed);
      Report r = ExtractFile(std::string("seeds/") + seed + ".html");
      json expected = json::parse(ReadTestFile(DataPath(std::string("seeds/") + seed + ".expected.json")));
      CHECK(r.format == expected["format"].get<std::string>());
      CHECK(r.title == expected["title"].get<std::string>());
      CHECK(json(r.agency ? json(*r.agency) : json()) == expected["agency"]);
      CHECK(json(r.year ? json(*r.year) : json()) == expected["year"]);
      CHECK(json(r.published ? json(*r.published) : json()) == expected["published"]);
      REQUIRE(r.fields.size() == expected["fields"].size());
      size_t exact = 0;
      for (const auto& f : r.fields) {
        CAPTURE(f.key);
        REQUIRE(expected["fields"].contains(f.key));
        json want = expected["fields"][f.key];
        json got = FieldJson(f);
        CHECK(got["raw"] == want["raw"]);
        if (want["value"].is_null()) {
          CHECK(got["value"].is_null());
        } else {
          REQUIRE(got["value"].is_number());
          CHECK(got["value"].get<double>() == doctest::Approx(want["value"].get<double>()));
        }
        exact += got["raw"] == want["raw"];
      }
      CHECK(exact == r.fields.size());
      CHECK(r.sections.size() == 6);
      CheckNoChrome(r);
    }
  }

  TEST_CASE("mixed layouts: each table fills the rows it prints, in the record's format") {
    // Real seeds spliced: 004 is a gov2019 report (2019 tables 二 and 三),
    // 002 a gov2021 one. Expected values come from their transcriptions.
    const std::string s002 = ReadTestFile(DataPath("seeds/002.html"));
    const std::string s004 = ReadTestFile(DataPath("seeds/004.html"));
    const json e002 = json::parse(ReadTestFile(DataPath("seeds/002.expected.json")))["fields"];
    const json e004 = json::parse(ReadTestFile(DataPath("seeds/004.expected.json")))["fields"];
    auto value = [](const Report& r, const std::string& key) {
      const FieldValue* f = r.Field(key);
      REQUIRE_MESSAGE(f, key);
      return FieldJson(*f)["value"];
    };
    SUBCASE("gov2021's table 二 beside a 2019 table 三 (the 2019 page of issue 13)") {
      Report r = ExtractBytes(WithTable2Of(s004, s002));
      REQUIRE(r.format == "gov2021");
      for (const auto& [key, want] : e002.items()) {
        if (key.rfind("t2.", 0) == 0) CHECK_MESSAGE(value(r, key) == want["value"], key);
      }
      // Table 三 of the 2019 form: its rows, except the three gov2021 其他处理 rows it cannot split.
      int compared = 0;
      for (const auto& [key, want] : e004.items()) {
        if (key.rfind("t3.", 0) != 0 || key.rfind("t3.other.", 0) == 0) continue;
        CHECK_MESSAGE(value(r, key) == want["value"], key);
        ++compared;
      }
      CHECK(compared == 22 * 7);
      for (const char* row : {"other.no_correction", "other.fee_unpaid", "other.other"}) {
        CHECK(value(r, std::string("t3.") + row + ".total").is_null());
      }
    }
    SUBCASE("a 2019 table 二 beside gov2021's table 三: only the columns the two share") {
      Report r = ExtractBytes(WithTable2Of(s002, s004));
      REQUIRE(r.format == "gov2021");
      // 处理决定数量 (2019) is 本年处理决定数量 (2021); 新制作/新公开/上一年项目 are not 制发/废止/现行有效.
      CHECK(value(r, "t2.art20_5.admin_license.decisions") == e004["t2v19.art20_5.admin_license.decisions"]["value"]);
      CHECK(value(r, "t2.art20_6.admin_penalty.decisions") == e004["t2v19.art20_6.admin_penalty.decisions"]["value"]);
      CHECK(value(r, "t2.art20_6.admin_coercion.decisions") == e004["t2v19.art20_6.admin_coercion.decisions"]["value"]);
      CHECK(e004["t2v19.art20_5.admin_license.decisions"]["value"] == 19457);
      for (const char* key : {"t2.art20_1.regulations.issued", "t2.art20_1.regulations.repealed",
                              "t2.art20_1.regulations.in_force", "t2.art20_1.normative_docs.issued",
                              "t2.art20_1.normative_docs.repealed", "t2.art20_1.normative_docs.in_force",
                              "t2.art20_8.admin_fees.amount_wan_yuan"}) {
        CHECK_MESSAGE(value(r, key).is_null(), key);
      }
      for (const auto& [key, want] : e002.items()) {
        if (key.rfind("t3.", 0) == 0 || key.rfind("t4.", 0) == 0) CHECK_MESSAGE(value(r, key) == want["value"], key);
      }
    }
    SUBCASE("the 2019 row label 规范性文件 in gov2021's table 二") {
      std::string page = WithTable2Of(s004, s002);
      const std::string label = "行政规范性文件";
      size_t at = page.find(label);
      REQUIRE(at != std::string::npos);
      page.replace(at, label.size(), "规范性文件");
      Report r = ExtractBytes(page);
      for (const char* col : {"issued", "repealed", "in_force"}) {
        std::string key = std::string("t2.art20_1.normative_docs.") + col;
        CHECK_MESSAGE(value(r, key) == e002[key]["value"], key);
        CHECK(!value(r, key).is_null());
      }
    }
  }

  TEST_CASE("gov2021 seed checks: 43 instances, all pass where every cell is printed") {
    Report r = ExtractFile("seeds/002.html");
    CHECK(r.checks.size() == 7 + 25 + 7 + 3 + 1);
    for (const auto& c : r.checks) CHECK_MESSAGE(c.outcome == "pass", c.rule << " " << c.scope << " " << c.detail);
    // seed 001 prints blank 自然人 cells: those instances are uncertain, never pass or fail on a guessed 0.
    Report blank = ExtractFile("seeds/001.html");
    int uncertain = 0;
    for (const auto& c : blank.checks) uncertain += c.outcome == "uncertain";
    CHECK(uncertain > 0);
    for (const auto& c : blank.checks) CHECK(c.outcome != "fail");
  }

  TEST_CASE("a changed number fails its check and changes content_sha256") {
    Report r = ExtractFile("seeds/002.html");
    Report changed = r;
    for (auto& f : changed.fields) {
      if (f.key == "t3.new_received.total") f.integer += 1;
    }
    bool failed = false;
    for (const auto& c : RunChecks(changed)) failed = failed || (c.rule == "R1" && c.scope == "total" && c.outcome == "fail");
    CHECK(failed);
    CHECK(ContentSha256(changed) != r.content_sha256);
    CHECK(ContentSha256(r) == r.content_sha256);
  }

  TEST_CASE("S1: a narrative number that differs from the table is a warning, nothing else") {
    auto s1 = [](const Report& r) {
      std::vector<std::string> out;
      for (const auto& w : r.warnings) {
        if (w.code == "S1") out.push_back(w.message);
      }
      return out;
    };
    // 002: "全年共受理政府信息依申请24件,办结23件,剩余1件结转下年度" agrees with table 三;
    // its "协助答复…64件" is help given to other units, not its own requests.
    CHECK(s1(ExtractFile("seeds/002.html")).empty());
    // Hongze 2024 says "受理政府信息公开申请 17 件" where table 三 prints 新收 95.
    Report hz = ExtractFile("reports/004-hongze-2024.pdf");
    CHECK(s1(hz) == std::vector<std::string>{"一、总体情况 says 新收 17, the table has 95"});
    for (const auto& c : hz.checks) CHECK(c.outcome != "fail");  // soft: no check changes
  }

  TEST_CASE("look-alike page is not a report") {
    Report r = ExtractFile("seeds/lookalike.html");
    CHECK(r.format == "unknown");
    CHECK_FALSE(r.IsReport());
    for (const auto& c : r.checks) CHECK(c.outcome == "not_assessable");
  }

  TEST_CASE("the same report in GBK bytes gives the same content") {
    std::string utf8 = ReadTestFile(DataPath("seeds/002.html"));
    Report a = ExtractFile("seeds/002.html");
    std::string gbk = nianbao::extract::test::ToGb18030(utf8);
    ExtractInput input;
    input.bytes = gbk;
    input.content_type = "text/html; charset=GBK";
    auto b = ExtractReport(input);
    REQUIRE(b.ok());
    CHECK(b.value().charset == "gb18030");
    CHECK(b.value().content_sha256 == a.content_sha256);
  }

  TEST_CASE("bad input: a clear error or a record with warnings, never a crash") {
    ExtractInput empty;
    auto e = ExtractReport(empty);
    REQUIRE_FALSE(e.ok());
    CHECK(e.status().IsCorruption());
    CHECK(e.status().message() == "empty body");

    std::mt19937 rng(42);
    std::string noise(5 << 20, '\0');
    for (auto& c : noise) c = static_cast<char>(rng());
    ExtractInput random;
    random.bytes = noise;
    auto n = ExtractReport(random);
    REQUIRE_FALSE(n.ok());
    CHECK(n.status().message() == "binary data, not an HTML page");

    std::string malformed = "<html><body><table><tr><td>规章<td>0<tr><td rowspan=x>行政许可</td><p><b><i>未闭合";
    ExtractInput m;
    m.bytes = malformed;
    auto mr = ExtractReport(m);
    REQUIRE(mr.ok());
    CHECK(mr.value().format == "unknown");

    // A real report cut in the middle of a table and of a UTF-8 sequence.
    std::string page = ReadTestFile(DataPath("seeds/002.html"));
    std::string cut = page.substr(0, page.size() * 2 / 3 + 1);
    ExtractInput t;
    t.bytes = cut;
    t.truncated = true;
    auto tr = ExtractReport(t);
    REQUIRE(tr.ok());
    bool truncated_warning = false;
    for (const auto& w : tr.value().warnings) truncated_warning = truncated_warning || w.code == "TRUNCATED";
    CHECK(truncated_warning);

    ExtractInput pdf;
    pdf.bytes = "%PDF-1.7\n...";
    auto bad_pdf = ExtractReport(pdf);
    REQUIRE_FALSE(bad_pdf.ok());
    CHECK(bad_pdf.status().IsCorruption());
    CHECK(bad_pdf.status().message() == "not a readable PDF");

    ExtractInput zip;
    std::string not_a_zip = std::string("PK\x03\x04", 4) + std::string(100, 'x');
    zip.bytes = not_a_zip;
    auto bad_zip = ExtractReport(zip);
    REQUIRE_FALSE(bad_zip.ok());
    CHECK(bad_zip.status().message().rfind("damaged zip archive", 0) == 0);

    ExtractInput doc;
    std::string ole("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
    doc.bytes = ole;
    doc.url = "http://h/2024nb.wps";
    auto wps = ExtractReport(doc);
    REQUIRE(wps.ok());
    CHECK(wps.value().source == "wps");
    REQUIRE(wps.value().warnings.size() == 1);
    CHECK(wps.value().warnings[0].code == "CARRIER");
  }
}

TEST_CASE("legacy reports: six sections and legacy.* with the sentence each number came from") {
  // Synthetic text in the shape of a 2012 report (no real legacy report is in the corpus yet).
  std::string page =
      "<html><head><meta charset=utf-8><title>某县2012年政府信息公开工作年度报告</title></head><body><div>"
      "<h1>某县2012年政府信息公开工作年度报告</h1>"
      "<p>一、概述</p><p>2012年，我县全年主动公开政府信息1523条。</p>"
      "<p>二、主动公开政府信息情况</p><p>各部门按要求公开。</p>"
      "<p>三、依申请公开政府信息情况</p><p>全年共受理政府信息公开申请36件，其中同意公开30件，同意部分公开2件，不予公开4件。</p>"
      "<p>四、政府信息公开的收费及减免情况</p><p>全年未收取费用，收取费用0元。</p>"
      "<p>五、因政府信息公开申请行政复议、提起行政诉讼的情况</p><p>全年发生行政复议1件，行政诉讼0件。</p>"
      "<p>六、其他需要报告的事项</p><p>无。</p></div></body></html>";
  ExtractInput in;
  in.bytes = page;
  auto r = ExtractReport(in);
  REQUIRE(r.ok());
  const Report& rep = r.value();
  CHECK(rep.format == "legacy");
  CHECK(rep.year == 2012);
  std::map<std::string, const FieldValue*> got;
  for (const auto& f : rep.fields) got[f.key] = &f;
  auto value = [&](const char* key) -> double {
    REQUIRE_MESSAGE(got.count(key), key);
    return got[key]->AsDouble();
  };
  CHECK(value("legacy.proactive_total") == 1523);
  CHECK(value("legacy.requests_received") == 36);
  CHECK(value("legacy.granted") == 30);
  CHECK(value("legacy.partially_granted") == 2);
  CHECK(value("legacy.denied") == 4);
  CHECK(value("legacy.review_cases") == 1);
  CHECK(value("legacy.litigation_cases") == 0);
  CHECK(value("legacy.fees_yuan") == 0);
  CHECK(got["legacy.requests_received"]->sentence == "全年共受理政府信息公开申请36件，其中同意公开30件，同意部分公开2件，不予公开4件。");
  CHECK(*got["legacy.granted"]->raw == "30件");
  for (const auto& c : rep.checks) CHECK(c.outcome == "not_assessable");
}

TEST_CASE("the fuzz corpus's hostile inputs are regression inputs: each gives its bounded result") {
  // tests/fuzz/corpus holds the hostile cases found or built so far (README
  // there); each is read here on every test run, not only under the fuzzer.
  auto extract = [](const std::string& name) {
    ExtractInput in;
    std::string bytes = ReadTestFile(DataPath("../fuzz/corpus/" + name));
    REQUIRE_MESSAGE(!bytes.empty(), name);
    in.bytes = bytes;
    return ExtractReport(in);
  };
  auto warned = [](const Report& r, const std::string& code, const std::string& words) {
    return std::any_of(r.warnings.begin(), r.warnings.end(),
                       [&](const Warning& w) { return w.code == code && w.message.find(words) != std::string::npos; });
  };
  for (const char* name : {"deep-nesting.html", "unclosed-divs.html"}) {
    auto r = extract(name);
    REQUIRE_MESSAGE(r.ok(), name);
    CHECK_MESSAGE(warned(r.value(), "FORMAT", "nested too deeply"), name);
  }
  for (const char* name : {"dense-paragraphs.html", "huge-spans.html", "truncated-gbk.html", "huge-mediabox.pdf"}) {
    auto r = extract(name);
    CHECK_MESSAGE(r.ok(), name << ": " << (r.ok() ? "" : r.status().ToString()));
  }
  for (const char* name : {"zip-bomb.docx", "broken-xref.pdf"}) {
    auto r = extract(name);
    CHECK_MESSAGE(!r.ok(), name);  // refused with a reason, not read
  }
  ListingInput listing;
  std::string links = ReadTestFile(DataPath("../fuzz/corpus/many-links-listing.html"));
  listing.bytes = links;
  listing.url = "http://www.example.gov.cn/nb/index.html";
  Listing l = ParseListing(listing);
  CHECK(l.entries.size() == 2000);
  CHECK_FALSE(l.cut);
}

TEST_CASE("keep_going is asked between the steps; false stops the extraction with OverBudget naming the step") {
  const std::string html = ReadTestFile(DataPath("reports/000-chongqing.html"));
  REQUIRE(!html.empty());
  ExtractInput in;
  in.bytes = html;
  in.url = "http://h/a.html";
  int asked = 0;
  in.keep_going = [&] { return ++asked > 0; };
  auto whole = ExtractReport(in);
  REQUIRE(whole.ok());
  CHECK(whole.value().format == "gov2021");
  CHECK(whole.value().content_sha256 == ExtractBytes(html).content_sha256);  // asking changes nothing
  REQUIRE(asked == 5);  // decoding, parsing, body and sections, tables, fields
  const std::vector<std::string> steps = {"decoding", "parsing", "the body and sections", "the tables", "the fields"};
  for (int stop = 1; stop <= asked; ++stop) {
    CAPTURE(stop);
    int n = 0;
    in.keep_going = [&] { return ++n < stop; };
    auto r = ExtractReport(in);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().IsOverBudget());
    CHECK(r.status().message() == "stopped after " + steps[stop - 1]);
    CHECK(r.status().where() == "http://h/a.html");
  }
  // A PDF is asked before each page.
  const std::string pdf = ReadTestFile(DataPath("reports/000-lo-a4.pdf"));
  REQUIRE(!pdf.empty());
  ExtractInput p;
  p.bytes = pdf;
  int pages = 0;
  p.keep_going = [&] { return ++pages < 3; };
  auto stopped = ExtractReport(p);
  REQUIRE_FALSE(stopped.ok());
  CHECK(stopped.status().IsOverBudget());
  CHECK(stopped.status().message().rfind("stopped before page 3 of ", 0) == 0);
}
