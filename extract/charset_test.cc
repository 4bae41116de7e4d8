#include "extract/charset.h"

#include <doctest/doctest.h>
#include "extract/test_util.h"

using namespace nianbao::extract;

using nianbao::extract::test::ToGb18030;

TEST_SUITE("extract/charset") {
  const std::string kText = "<html><head><meta charset=\"gb2312\"></head><body><p>重庆市潼南区人民政府办公室2024年政府信息公开工作年度报告</p></body></html>";

  TEST_CASE("GB2312 label is decoded as GB18030") {
    DecodedText d = DecodeToUtf8(ToGb18030(kText), "");
    CHECK(d.charset == "gb18030");
    CHECK(d.utf8 == kText);
    CHECK_FALSE(d.disagreement);
  }
  TEST_CASE("a server that says UTF-8 for GBK bytes is not believed") {
    DecodedText d = DecodeToUtf8(ToGb18030(kText), "utf-8");
    CHECK(d.charset == "gb18030");
    CHECK(d.utf8.find("政府信息公开") != std::string::npos);
    CHECK(d.disagreement);
  }
  TEST_CASE("valid UTF-8 under a gbk label is UTF-8") {
    DecodedText d = DecodeToUtf8(kText, "gbk");
    CHECK(d.charset == "utf-8");
    CHECK(d.utf8 == kText);
    CHECK(d.disagreement);
  }
  TEST_CASE("a GBK page cut inside its last character: the cut character is left out, no charset error") {
    std::string bytes = ToGb18030(kText);
    bytes += "\xD5";  // first byte of a two-byte GBK character
    DecodedText d = DecodeToUtf8(bytes, "gbk");
    CHECK(d.charset == "gb18030");
    CHECK(d.replaced == 0);  // a cut, not a byte GBK cannot decode: no CHARSET warning on a truncated page
    CHECK(d.utf8 == kText);
    // A byte GBK cannot decode inside the page is replaced and counted.
    const size_t body = kText.find("<body>");
    const std::string bad = ToGb18030(kText.substr(0, body)) + "\x80" + ToGb18030(kText.substr(body));
    DecodedText b = DecodeToUtf8(bad, "gbk");
    CHECK(b.replaced == 1);
    CHECK(b.utf8.find("\xEF\xBF\xBD") != std::string::npos);
  }
  TEST_CASE("a UTF-8 page cut inside its last character is UTF-8, the cut character left out") {
    const std::string page = "<title>2023年政府信息公开工作年度报告</title><p>一、总体情况</p>";
    for (size_t cut = 1; cut <= 2; ++cut) {  // 况 is three bytes: cut after one or two of them
      const size_t at = page.rfind("况") + cut;
      CAPTURE(cut);
      DecodedText d = DecodeToUtf8(page.substr(0, at), "");
      CHECK(d.charset == "utf-8");
      CHECK(d.utf8 == page.substr(0, page.rfind("况")));
      CHECK(d.replaced == 0);
    }
    // A lone continuation byte or a bad byte inside is no cut: not valid UTF-8.
    CHECK(DecodeToUtf8("<p>a\xFF b</p>", "").charset != "utf-8");
  }
  TEST_CASE("BOM wins") {
    DecodedText d = DecodeToUtf8("\xEF\xBB\xBF<p>x</p>", "gbk");
    CHECK(d.charset == "utf-8");
    CHECK(d.utf8 == "<p>x</p>");
  }
  TEST_CASE("label canonicalization") {
    CHECK(CanonicalCharset("GBK") == "gb18030");
    CHECK(CanonicalCharset("UTF8") == "utf-8");
    CHECK(CharsetOfContentType("text/html; Charset=GBK; foo=bar") == "gbk");
    CHECK(CharsetOfContentType("text/html") == "");
    CHECK(SniffMetaCharset("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=GB2312\">") == "gb18030");
  }
}
