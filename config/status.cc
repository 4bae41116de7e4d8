#include "config/status.h"

namespace nianbao {

std::string Status::ToString() const {
  if (ok()) return "OK";
  if (where_.empty()) return message_;
  return where_ + ": " + message_;
}

}  // namespace nianbao
