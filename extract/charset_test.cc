#include "extract/charset.h"

#include <doctest/doctest.h>
#include <iconv.h>

using namespace nianbao::extract;

namespace {
std::string ToGb18030(const std::string& utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  std::string out(utf8.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* o = out.data();
  size_t o_left = out.size();
  iconv(cd, &in, &in_left, &o, &o_left);
  iconv_close(cd);
  out.resize(out.size() - o_left);
  return out;
}
}  // namespace

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
  TEST_CASE("a truncated GBK sequence at the end is replaced, not fatal") {
    std::string bytes = ToGb18030(kText);
    bytes += "\xD5";  // first byte of a two-byte GBK character
    DecodedText d = DecodeToUtf8(bytes, "gbk");
    CHECK(d.charset == "gb18030");
    CHECK(d.replaced == 1);
    CHECK(d.utf8.find("\xEF\xBF\xBD") != std::string::npos);
  }
  TEST_CASE("BOM wins") {
    DecodedText d = DecodeToUtf8("\xEF\xBB\xBF<p>x</p>", "gbk");
    CHECK(d.charset == "utf-8");
    CHECK(d.utf8 == "<p>x</p>");
  }
  TEST_CASE("label canonicalization") {
    CHECK(CanonicalCharset("GBK") == "gb18030");
    CHECK(CanonicalCharset("UTF8") == "utf-8");
    CHECK(SniffMetaCharset("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=GB2312\">") == "gb18030");
  }
}
