// DOCX carrier: word/document.xml read with libzip (size- and ratio-capped,
// so a zip bomb is refused) and pugixml: paragraphs in order (w:tab → tab,
// w:br → new line) and w:tbl tables as grids (w:gridSpan → colspan,
// w:vMerge → rowspan). Pure: bytes in.
#ifndef NIANBAO_EXTRACT_DOCX_DOCUMENT_H_
#define NIANBAO_EXTRACT_DOCX_DOCUMENT_H_

#include <string_view>

#include "config/status.h"
#include "extract/html_page.h"

namespace nianbao::extract {

// Corruption for a damaged archive or XML, Unsupported for a zip that is not
// a DOCX or whose document part is over the size caps.
Result<HtmlPage> ReadDocx(std::string_view bytes);

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_DOCX_DOCUMENT_H_
