// Report page bytes → extract::Report. A pure function: no I/O, no clock.
#ifndef NIANBAO_EXTRACT_REPORT_EXTRACTOR_H_
#define NIANBAO_EXTRACT_REPORT_EXTRACTOR_H_

#include <functional>
#include <string>
#include <string_view>

#include "config/status.h"
#include "extract/report.h"

namespace nianbao::extract {

struct ExtractInput {
  std::string_view bytes;     // the body as fetched (or read from a file)
  std::string url;            // final URL after redirects; "" offline
  std::string content_type;   // HTTP Content-Type; "" when unknown
  bool truncated = false;     // body was cut at the size cap (TRUNCATED warning)
  // Asked between the steps of the extraction and before each PDF page:
  // false stops it with OverBudget naming the step reached. The caller owns
  // the clock (the crawler's per-page CPU budget); empty: no budget.
  std::function<bool()> keep_going;
};

// Where a record's fields come from (record.md `source`).
enum class Carrier { kHtml, kPdf, kDocx, kDoc, kWps, kImage };

// By magic bytes first; DOC vs WPS (both OLE2) by URL extension or type.
Carrier DetectCarrier(std::string_view bytes, std::string_view content_type, std::string_view url);
const char* CarrierName(Carrier carrier);  // "html", "pdf", …

// Extracts one record from an HTML page, a PDF or a DOCX.
// Returns Corruption for an empty body, binary data that is not a page, or
// a damaged PDF/DOCX; Unsupported for an encrypted or image-only PDF or a zip
// that is not a DOCX; OverBudget when `keep_going` said stop. DOC, WPS and images give a record with a CARRIER
// warning and no fields. Format "unknown" means the page is not a report.
Result<Report> ExtractReport(const ExtractInput& input);

// The record of a detail page whose report is its attachment: the
// attachment's content (format, source, body, tables, fields, checks), the
// page's title, agency, year and publication date where it has them, and
// `attachment` listed under attachments.
Report WithAttachment(const Report& page, Report attachment_report, Attachment attachment);

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_REPORT_EXTRACTOR_H_
