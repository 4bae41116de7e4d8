// sim/embedded_pages.h
//
// The detail pages the portal simulator serves, compiled into the binary from
// tests/data/seeds/*.html by sim/embed_pages.cmake (so nothing is read at run time).

#ifndef NIANBAO_SIM_EMBEDDED_PAGES_H_
#define NIANBAO_SIM_EMBEDDED_PAGES_H_

#include <string_view>

namespace nianbao::sim {

// Returns the bytes of tests/data/seeds/<name>.html as they were at build time
// (name is "000" ... "004" or "lookalike"), or an empty view for an unknown name.
// The view points at static storage and is valid for the life of the program.
std::string_view EmbeddedPage(std::string_view name);

}  // namespace nianbao::sim

#endif  // NIANBAO_SIM_EMBEDDED_PAGES_H_
