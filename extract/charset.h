// Bytes → UTF-8, once, at the entry of extraction. Headers are not trusted
// blindly: the BOM, the HTTP header charset, the <meta> charset and the
// bytes themselves (uchardet, UTF-8 validity) are weighed. GB2312 and GBK
// labels are decoded as GB18030, their superset.
#ifndef NIANBAO_EXTRACT_CHARSET_H_
#define NIANBAO_EXTRACT_CHARSET_H_

#include <string>
#include <string_view>

namespace nianbao::extract {

struct DecodedText {
  std::string utf8;         // always valid UTF-8 (undecodable bytes → U+FFFD)
  std::string charset;      // charset actually used, lower case: "utf-8", "gb18030", "big5", ...
  std::string declared;     // what the header or <meta> said ("" if nothing)
  bool disagreement = false;  // declared and used differ (a CHARSET warning)
  size_t replaced = 0;      // bytes that could not be decoded
};

// `header_charset` is the charset parameter of Content-Type ("" if none).
DecodedText DecodeToUtf8(std::string_view bytes, std::string_view header_charset);

// Canonical lower-case name for a label: gb2312/gbk/x-gbk/cp936 → "gb18030",
// utf8 → "utf-8". Unknown labels are returned lower-cased.
std::string CanonicalCharset(std::string_view label);

// The charset parameter of an HTTP Content-Type ("text/html; charset=GBK"
// → "gbk"), lower case, "" if none.
std::string CharsetOfContentType(std::string_view content_type);

// The charset named by the first <meta charset> / http-equiv Content-Type in
// the first 4 KiB of `bytes`, canonicalized; "" if none.
std::string SniffMetaCharset(std::string_view bytes);

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_CHARSET_H_
