// Report page bytes → extract::Report. A pure function: no I/O, no clock.
#ifndef NIANBAO_EXTRACT_REPORT_EXTRACTOR_H_
#define NIANBAO_EXTRACT_REPORT_EXTRACTOR_H_

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
};

// Decodes, parses, strips chrome and extracts one record.
// Returns Corruption for an empty body or binary data that is not a page,
// Unsupported for carriers this version cannot read (PDF, DOCX, …).
// Otherwise a Report; format "unknown" means the page is not a report.
Result<Report> ExtractReport(const ExtractInput& input);

}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_REPORT_EXTRACTOR_H_
