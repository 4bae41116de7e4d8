// sim/main.cpp: nianbao-sim, the portal simulator as a standalone server.
//
//   nianbao-sim [--port N] [--night N] [--latency-ms N] [--log FILE]
//               [--hide ADDRESS/PATH]... [--farm N] [--close-after K] [--manifest]
//
// Prints exactly one line, "listening <column_url>" (the trs column on
// 127.0.0.1), once serving, then runs until SIGINT or SIGTERM and exits 0. The
// other portal families listen on the same port at 127.0.0.2 ... 127.0.0.6,
// the second rendering's portals at 127.0.0.7 ... 127.0.0.19 (see
// sim/portal_simulator.h).
//   --hide ADDRESS/PATH  that page (path with query, e.g.
//                        127.0.0.7/zwgk/zfxxgk/zfxxgknb/index_2.html) answers 404;
//                        repeatable (at run time: /__sim/hide)
//   --farm N             also serve the bulk pages /bulk/... on 127.0.1.1 ... 127.0.1.N
//   --close-after K      a connection's (K+1)-th request is read and the connection
//                        closed without an answer ("Empty reply from server")
//   --manifest           print the /__sim/manifest JSON (URLs with --port's port, or
//                        the literal {port} without --port) and exit 0
// Bad arguments: a message, exit 2; failure to start: a message, exit 1.

#include <charconv>
#include <csignal>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "sim/portal_simulator.h"

namespace {

constexpr const char* kUsage =
    "usage: nianbao-sim [--port N] [--night 1|2] [--latency-ms N] [--log FILE]\n"
    "                   [--hide ADDRESS/PATH]... [--farm N] [--close-after K] [--manifest]\n";

// Parses value as an integer in [lo, hi] into *out.
bool ParseInt(std::string_view value, long lo, long hi, long* out) {
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), *out);
  return ec == std::errc() && end == value.data() + value.size() && *out >= lo && *out <= hi;
}

// Fills *options from argv. Returns an error message, or "" on success.
std::string ParseArgs(int argc, char** argv, nianbao::sim::SimulatorOptions* options,
                      bool* manifest) {
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i], value;
    if (flag == "--manifest") {
      *manifest = true;
      continue;
    }
    if (const size_t eq = flag.find('='); eq != std::string_view::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return std::string(flag) + " needs a value";
    }
    long n = 0;
    if (flag == "--log") {
      options->request_log_path = value;
    } else if (flag == "--port" && ParseInt(value, 0, 65535, &n)) {
      options->port = static_cast<uint16_t>(n);
    } else if (flag == "--night" && ParseInt(value, 1, 2, &n)) {
      options->night = static_cast<int>(n);
    } else if (flag == "--latency-ms" && ParseInt(value, 0, 600000, &n)) {
      options->latency_ms = static_cast<int>(n);
    } else if (flag == "--farm" && ParseInt(value, 0, 254, &n)) {
      options->farm_hosts = static_cast<int>(n);
    } else if (flag == "--close-after" && ParseInt(value, 0, 1000000, &n)) {
      options->close_after = static_cast<int>(n);
    } else if (flag == "--hide" && value.find('/') != std::string_view::npos &&
               value.find('/') > 0) {
      options->hide.emplace_back(value);
    } else if (flag == "--port" || flag == "--night" || flag == "--latency-ms" ||
               flag == "--farm" || flag == "--close-after" || flag == "--hide") {
      return "bad value for " + std::string(flag) + ": \"" + std::string(value) + "\"";
    } else {
      return "unknown argument " + std::string(flag);
    }
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--help" || std::string_view(argv[i]) == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
  }
  nianbao::sim::SimulatorOptions options;
  bool manifest = false;
  if (const std::string error = ParseArgs(argc, argv, &options, &manifest); !error.empty()) {
    std::fprintf(stderr, "nianbao-sim: %s\n%s", error.c_str(), kUsage);
    return 2;
  }
  if (manifest) {  // Built in memory, not served.
    nianbao::sim::PortalSimulator simulator(options);
    const std::string json = simulator.ManifestJson();
    if (simulator.Portals().empty()) {
      std::string error;
      simulator.Start(&error);  // reports the build error
      std::fprintf(stderr, "nianbao-sim: %s\n", error.c_str());
      return 1;
    }
    std::fputs(json.c_str(), stdout);
    return 0;
  }
  // Catch signals before announcing, so a SIGTERM right after "listening" is clean.
  boost::asio::io_context signals_context;
  boost::asio::signal_set signals(signals_context, SIGINT, SIGTERM);
  signals.async_wait([](const boost::system::error_code&, int) {});

  nianbao::sim::PortalSimulator simulator(options);
  std::string error;
  if (!simulator.Start(&error)) {
    std::fprintf(stderr, "nianbao-sim: %s\n", error.c_str());
    return 1;
  }
  std::printf("listening %s\n", simulator.column_url().c_str());
  std::fflush(stdout);
  signals_context.run();
  simulator.Stop();
  return 0;
}
