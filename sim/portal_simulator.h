// sim/portal_simulator.h
//
// A real HTTP/1.1 server on loopback that imitates a TRS WCM government portal's
// 政府信息公开年报 column (see spec/listing.md). The demo and the end-to-end tests
// crawl it over real HTTP. Everything it serves is built in memory from pages
// compiled into the binary; it reads no files at run time.
//
// Site (Manifest() lists it; paths under /zwgk/zfxxgknb/):
//   /robots.txt                      Disallow: /private/
//   index.shtml, index_1.shtml, index_2.shtml
//                                    listing pages: chrome, <ul class="list"> entries,
//                                    createPageHTML(3, cur, "index", "shtml"), 下一页 links
//   <YYYYMM>/t<YYYYMMDD>_<id>.shtml  one report per seed page 000..004 (004 is GBK-encoded),
//                                    the 解读 look-alike page and two generated look-alikes
//   /zwgk/zfxxgknb/                  301 to index.shtml (the column URL as linked in chrome)
//   /__sim/night?n=1|2               switches the night (not part of the site)
//   /hostile/redirect-offsite        302 to a host outside the portal (offsite.invalid)
//   /hostile/redirect-loop-a, -b     302 to each other, forever
//   /hostile/redirect-chain/N        N 302 hops, then to the column's index.shtml
// Anything else is a 404 with an HTML body.
//
// Night 2 differs from night 1 in exactly two ways: report 002's 行政规范性文件
// 本年制发件数 cell reads 8 instead of 7, and report 000's page chrome changes (its
// 下一篇 link points at a newer article) while its report body stays byte-identical.
//
// Pages carry ETag (quoted hash of the body) and Last-Modified (fixed per page and
// night); a matching If-None-Match (or, without one, an identical If-Modified-Since)
// gets 304 Not Modified.
//
// Request log format (the file is truncated by Start()), one line per response whose
// write completed, flushed per line:
//   <start_epoch_us> <end_epoch_us> <method> <target> <status> <body_bytes>
// start = the request was fully read; end = the response write completed (so the
// configured latency is included); body_bytes = body bytes sent (0 for HEAD and 304).
// Responses cut short by Stop() or a client disconnect are not logged.

#ifndef NIANBAO_SIM_PORTAL_SIMULATOR_H_
#define NIANBAO_SIM_PORTAL_SIMULATOR_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nianbao::sim {

struct SimulatorOptions {
  // Address to listen on. Keep it on loopback.
  std::string bind_address = "127.0.0.1";
  // Port to listen on; 0 = let the kernel pick a free port (see port()).
  uint16_t port = 0;
  // Which night of the site to serve at start (1 or 2). See SetNight().
  int night = 1;
  // Delay before each response, on an async timer: it never blocks other connections.
  int latency_ms = 0;
  // Where to append the request log (format above); empty = no log.
  std::string request_log_path;
};

// A PortalSimulator is safe for concurrent use from multiple threads: every
// public method may be called from any thread.
class PortalSimulator {
 public:
  // What is served at one path. kind is "listing" | "report" | "lookalike" |
  // "robots"; seed names the embedded page it was built from ("000".."004",
  // "lookalike"), empty for generated pages; title is the title the listing
  // shows for it (empty for listings and robots.txt).
  struct Page {
    std::string path;
    std::string kind;
    std::string seed;
    std::string title;
  };

  // Builds the site in memory. Building errors are reported by Start().
  explicit PortalSimulator(SimulatorOptions options);
  // Stop()s.
  ~PortalSimulator();

  PortalSimulator(const PortalSimulator&) = delete;
  PortalSimulator& operator=(const PortalSimulator&) = delete;

  // Binds and starts serving on a background thread. Returns true on success.
  // On failure (site could not be built, bad options, bind failed) stores a
  // message in *error (if error is not null) and returns false.
  // REQUIRES: not already started.
  bool Start(std::string* error);

  // The port actually listened on; 0 before a successful Start().
  uint16_t port() const;
  // "http://<bind_address>:<port>".
  std::string base_url() const;
  // base_url() + "/zwgk/zfxxgknb/index.shtml": the column's first listing page.
  std::string column_url() const;

  // Switches the night served from the next response on. Values other than
  // 1 and 2 are ignored.
  void SetNight(int night);
  int night() const;

  // Closes the listener and every open connection, lets handlers finish, and
  // joins the server thread. Idempotent; safe to call without Start().
  void Stop();

  // The pages served (the same paths both nights), listings first then in
  // listing order, robots.txt last. Available before Start(); empty if the site
  // could not be built.
  std::vector<Page> Manifest() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nianbao::sim

#endif  // NIANBAO_SIM_PORTAL_SIMULATOR_H_
