#include "extract/text.h"

#include <doctest/doctest.h>

using namespace nianbao::extract;

TEST_SUITE("extract/text") {
  TEST_CASE("whitespace runs, NBSP and ideographic space become one space") {
    CHECK(NormalizeWhitespace("  商业\n\t企业\xC2\xA0\xE3\x80\x80 x ") == "商业 企业 x");
    CHECK(NormalizeWhitespace("") == "");
  }
  TEST_CASE("MatchKey: NFKC of full-width ASCII, no whitespace or quotes") {
    CHECK(MatchKey("（一）予以 公开") == "(一)予以公开");
    CHECK(MatchKey("危及“三安全一稳定”") == "危及三安全一稳定");
    CHECK(MatchKey("字体：[ 大 中 小 ]") == "字体:[大中小]");
  }
  TEST_CASE("full-width digits parse") { CHECK(AsciiDigits("２０２４．５") == "2024.5"); }
  TEST_CASE("invalid and truncated UTF-8 is replaced, never passed on") {
    std::string bad = "ok\xE4\xB8";  // truncated 3-byte sequence
    std::string s = SanitizeUtf8(bad);
    CHECK(s.substr(0, 2) == "ok");
    CHECK(s.find("\xEF\xBF\xBD") != std::string::npos);
    CHECK(SanitizeUtf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  }
}
