// SHA-256 helpers (OpenSSL's libcrypto underneath).
#ifndef NIANBAO_CONFIG_HASH_H_
#define NIANBAO_CONFIG_HASH_H_

#include <string>
#include <string_view>

namespace nianbao {

// Lower-case hex SHA-256 of `data` (64 characters).
std::string Sha256Hex(std::string_view data);

}  // namespace nianbao

#endif  // NIANBAO_CONFIG_HASH_H_
