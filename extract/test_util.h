// Helpers for extract/ tests only.
#ifndef NIANBAO_EXTRACT_TEST_UTIL_H_
#define NIANBAO_EXTRACT_TEST_UTIL_H_

#include <fstream>
#include <sstream>
#include <string>

namespace nianbao::extract::test {

inline std::string ReadTestFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string DataPath(const std::string& rel) { return std::string(NIANBAO_TEST_DATA) + "/" + rel; }

}  // namespace nianbao::extract::test

#endif  // NIANBAO_EXTRACT_TEST_UTIL_H_
