// libFuzzer target over extract::ExtractReport: HTML (any charset), PDF and
// DOCX bytes, and the listing parser. Built by tests/fuzz/CMakeLists.txt
// with clang, -fsanitize=fuzzer,address,undefined (see tests/fuzz/README.md).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "extract/listing/listing.h"
#include "extract/report_extractor.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // The first byte picks the claimed Content-Type, as servers lie about it.
  static const char* kTypes[] = {"", "text/html; charset=utf-8", "text/html; charset=gbk", "application/pdf"};
  std::string type = size > 0 ? kTypes[data[0] % 4] : "";
  nianbao::extract::ExtractInput in;
  in.bytes = bytes;
  in.url = "http://www.example.gov.cn/nb/t20250126_1.shtml";
  in.content_type = type;
  auto r = nianbao::extract::ExtractReport(in);
  if (r.ok()) {
    // Exercise what callers use of a record.
    volatile size_t n = r.value().fields.size() + r.value().checks.size() + r.value().body_text.size();
    (void)n;
  }
  if (size < (1 << 20)) {
    nianbao::extract::ListingInput listing;
    listing.bytes = bytes;
    listing.content_type = type;
    listing.url = "http://www.example.gov.cn/col/col1234/index.html";
    nianbao::extract::ParseListing(listing);
  }
  return 0;
}
