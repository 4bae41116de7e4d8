// Loading and printing the YAML configuration.
#ifndef NIANBAO_CONFIG_LOAD_H_
#define NIANBAO_CONFIG_LOAD_H_

#include <string>

#include "config/options.h"
#include "config/status.h"

namespace nianbao {

// Reads `path` (and every *.yaml of its portals_dir), fills defaults, and
// validates. A relative storage.path or portals_dir is relative to the
// file's directory (storage.path comes back absolute), whatever the working
// directory. Errors are InvalidArgument with where = "file:line:col" and a
// message naming the dotted key: unknown keys, wrong types, bad values,
// broken YAML, duplicate portal names. IOError if the file cannot be read.
Result<Options> LoadConfig(const std::string& path);

// Same, from text; `name` stands for the file in error places.
Result<Options> LoadConfigFromString(const std::string& yaml, const std::string& name);

// The admin endpoint's bearer token read from admin.token_file ("" when none
// is configured); IOError or InvalidArgument naming the file otherwise.
Result<std::string> AdminToken(const AdminOptions& admin);

// The effective configuration as YAML, defaults filled in (config check).
std::string DumpConfig(const Options& options);

// Parses "20MiB", "512KiB", "1GB", "1048576" into bytes; -1 if malformed.
int64_t ParseByteSize(const std::string& text);

}  // namespace nianbao

#endif  // NIANBAO_CONFIG_LOAD_H_
