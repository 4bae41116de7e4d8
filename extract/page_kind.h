// Pages that answer 200 but are not what was asked for: a soft 404 (an
// error page served as a success) or a WAF / JavaScript challenge page.
// Such pages are never stored as reports, and their links are not followed.
#ifndef NIANBAO_EXTRACT_PAGE_KIND_H_
#define NIANBAO_EXTRACT_PAGE_KIND_H_

#include "extract/html_page.h"

namespace nianbao::extract {

enum class PageKind { kNormal, kSoft404, kChallenge };
const char* PageKindName(PageKind kind);  // "normal", "soft404", "challenge"

PageKind ClassifyPage(const HtmlPage& page);

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_PAGE_KIND_H_
