// Helpers for extract/ tests only.
#ifndef NIANBAO_EXTRACT_TEST_UTIL_H_
#define NIANBAO_EXTRACT_TEST_UTIL_H_

#include <iconv.h>

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

// `utf8` re-encoded as GB18030 (what a GBK government server sends).
inline std::string ToGb18030(const std::string& utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  std::string out(utf8.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* o = out.data();
  size_t o_left = out.size();
  iconv(cd, &in, &in_left, &o, &o_left);
  iconv_close(cd);
  out.resize(out.size() - o_left);
  return out;
}

}  // namespace nianbao::extract::test

#endif  // NIANBAO_EXTRACT_TEST_UTIL_H_
