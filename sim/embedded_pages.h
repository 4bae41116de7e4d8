// sim/embedded_pages.h
//
// The pages the portal simulator serves, compiled into the binary by
// sim/embed_pages.cmake (so nothing is read at run time): the detail pages
// tests/data/seeds/*.html and the PDF report sim/attach/004-hongze-2024.pdf.

#ifndef NIANBAO_SIM_EMBEDDED_PAGES_H_
#define NIANBAO_SIM_EMBEDDED_PAGES_H_

#include <string_view>

namespace nianbao::sim {

// Returns the bytes of tests/data/seeds/<name>.html (name is "000" ... "004" or
// "lookalike") or of the PDF (name "hongze-2024.pdf") as they were at build
// time, or an empty view for an unknown name.
// The view points at static storage and is valid for the life of the program.
std::string_view EmbeddedPage(std::string_view name);

}  // namespace nianbao::sim

#endif  // NIANBAO_SIM_EMBEDDED_PAGES_H_
