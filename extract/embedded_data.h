// Spec files compiled into the binary (generated from extract/fields.tsv and
// extract/chrome.txt, copies of the shared spec; the spec_copies test keeps them equal).
#ifndef NIANBAO_EXTRACT_EMBEDDED_DATA_H_
#define NIANBAO_EXTRACT_EMBEDDED_DATA_H_

namespace nianbao::extract {
extern const char kFieldsTsv[];
extern const char kChromeTxt[];
}  // namespace nianbao::extract

#endif  // NIANBAO_EXTRACT_EMBEDDED_DATA_H_
