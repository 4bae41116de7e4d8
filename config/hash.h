// SHA-256 helpers (OpenSSL's libcrypto underneath).
#ifndef NIANBAO_CONFIG_HASH_H_
#define NIANBAO_CONFIG_HASH_H_

#include <string>
#include <string_view>

namespace nianbao {

// Lower-case hex SHA-256 of `data` (64 characters).
std::string Sha256Hex(std::string_view data);

// Incremental SHA-256: Update() any number of times, then HexDigest() once.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view data);
  std::string HexDigest();

 private:
  void* ctx_;  // EVP_MD_CTX
};

}  // namespace nianbao

#endif  // NIANBAO_CONFIG_HASH_H_
