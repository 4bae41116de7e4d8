// PDF carrier: the text of a PDF report as lines in reading order, each line
// its cells separated by tabs, rebuilt from poppler's positioned text boxes
// (same baseline → one line; a wide horizontal gap → a new cell). Tables
// then go through the flattened-table path (flat_tables.h). Pure: bytes in.
#ifndef NIANBAO_EXTRACT_PDF_DOCUMENT_H_
#define NIANBAO_EXTRACT_PDF_DOCUMENT_H_

#include <functional>
#include <string>
#include <string_view>

#include "config/status.h"
#include "extract/html_page.h"

namespace nianbao::extract {

// Returns the page model of a PDF: body lines (raw with tabs), page_lines,
// headings (the PDF title and the first lines). Corruption if poppler cannot
// open it, Unsupported if it is encrypted or has no text layer (scanned).
// `keep_going`, when given, is asked before each page: false stops the read
// with OverBudget.
Result<HtmlPage> ReadPdf(std::string_view bytes, const std::function<bool()>& keep_going = {});

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_PDF_DOCUMENT_H_
