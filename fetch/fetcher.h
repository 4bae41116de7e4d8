// Fetcher: polite HTTP(S) GETs (and form POSTs) over one CurlMulti. Per host
// (scheme://host:port) at most crawl.per_host_concurrency requests are open,
// and two request starts are at least the host's delay apart AS THE SERVER
// SEES THEM: the delay (max(per_host_delay_ms, robots.txt Crawl-delay)) is
// counted from the moment the previous request's answer began (the server
// had read the request by then) or from the end of a transfer that got no
// answer, and while a host has a delay no request starts there before every
// open one has begun to be answered; each of its requests has a connection
// of its own (no keep-alive re-send can come early). At most
// crawl.max_connections are open in all. Redirects are followed by the Fetcher itself (each hop
// queued like a request, so politeness holds) and only into the request's
// allowed hosts. Bodies over crawl.max_page_bytes are cut and marked
// truncated. Timeouts, resets and 5xx/429 are retried up to
// crawl.max_retries times with exponential backoff and jitter; a request
// that died on a reused keep-alive connection without an answer is sent
// again at once on a new connection (once, not counted as a retry). A 429
// or 503 with Retry-After (seconds or an HTTP-date; at most 5 minutes
// honoured) pauses the whole host when crawl.honor_retry_after.
//
// Thread: construct, call and destroy on the io_context's thread; the
// callback runs there too.
#ifndef NIANBAO_FETCH_FETCHER_H_
#define NIANBAO_FETCH_FETCHER_H_

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/options.h"
#include "config/url.h"
#include "fetch/robots.h"

namespace nianbao::fetch {

class CurlMulti;

enum class FetchError {
  kNone,               // a response arrived (any status, 404 included)
  kBadUrl,             // not an absolute http(s) URL
  kOutOfScope,         // the URL or a redirect left the allowed hosts
  kTooManyRedirects,   // more than 10 hops, or a loop
  kTimeout,            // connect or whole-transfer timeout
  kDns,                // host name did not resolve
  kConnect,            // refused / unreachable
  kTls,                // certificate or handshake failure
  kNetwork,            // reset, truncated transfer, protocol error
  kCancelled,          // CancelAll() (shutdown)
  kRobots,             // disallowed by the host's robots.txt (or it stayed unavailable)
  kPrivateAddress,     // the host resolved to a loopback/private/link-local address
};
const char* FetchErrorName(FetchError e);

struct FetchRequest {
  std::string url;
  std::vector<std::string> allow_hosts;  // "host" or "host:port"; empty = any
  // Hosts resolving to loopback, private (RFC 1918, fc00::/7), link-local or
  // CGNAT addresses are refused unless this is set (a hostile page must not
  // steer the crawler into an internal network).
  bool allow_private_addresses = false;
  // Conditional GET from the stored version: a 304 means unchanged.
  std::string if_none_match, if_modified_since;
  // A POST with this form body (Hanweb's dataproxy.jsp) when not empty.
  std::string post_form;
  // The page that linked it, sent as Referer as a browser would ("" = none):
  // some data endpoints (jpaas, VSB widgets) refuse requests without one.
  std::string referer;
};

struct FetchResult {
  std::string url;          // as requested
  std::string final_url;    // after redirects
  FetchError error = FetchError::kNone;
  std::string error_message;
  long status = 0;          // HTTP status of the final response
  std::string content_type, etag, last_modified;
  std::string body;
  bool truncated = false;   // body cut at max_page_bytes
  int redirects = 0;
  int attempts = 0;
  double seconds = 0;       // last attempt's transfer time
};

// A host's robots.txt as last answered, kept by the caller across runs so
// the next run asks for it conditionally (a 304 reuses `body`).
struct RobotsCopy {
  std::string body, etag, last_modified;
};
// What the Fetcher asks of that memory, on the io thread: recall(host key)
// and remember(host key, copy) after a 200. Either may be empty.
struct RobotsMemory {
  std::function<std::optional<RobotsCopy>(const std::string& host_key)> recall;
  std::function<void(const std::string& host_key, const RobotsCopy& copy)> remember;
};

class Fetcher {
 public:
  using Callback = std::function<void(FetchResult)>;

  Fetcher(boost::asio::io_context& io, const CrawlOptions& options, RobotsMemory robots_memory = {});
  ~Fetcher();

  // Queues `request`; `done` is called exactly once (unless the Fetcher is
  // destroyed first).
  void Fetch(FetchRequest request, Callback done);

  // robots.txt of every host is fetched before its first request (when
  // crawl.respect_robots): 2xx → its rules and Crawl-delay (the host's gap is
  // max(per_host_delay_ms, Crawl-delay)); 4xx → all allowed; 5xx or network
  // failure → retried with backoff, then the host is treated as disallowed.
  // A 429/503 with Retry-After (crawl.honor_retry_after) pauses the whole host.

  // Abandons queued and open requests; each completes with kCancelled.
  void CancelAll();

  size_t open() const { return open_; }
  size_t queued() const;
  // Per host ("scheme://host:port"): requests waiting plus open.
  std::vector<std::pair<std::string, size_t>> HostQueueDepths() const;

 private:
  struct Job;
  struct HostSlot;
  void Enqueue(std::shared_ptr<Job> job, bool front);
  void Pump();
  void Answered(Job& job);  // the answer to job's current attempt has begun
  void Start(std::shared_ptr<Job> job, HostSlot& slot);
  void Finished(std::shared_ptr<Job> job, int code);
  void Complete(std::shared_ptr<Job> job);
  HostSlot& SlotFor(const std::string& host_key);
  void FetchRobots(const std::string& host_key, HostSlot& slot, const Url& some_url);
  void OnRobots(const std::string& host_key, FetchResult r);

  boost::asio::io_context& io_;
  CrawlOptions options_;
  RobotsMemory robots_memory_;
  std::unique_ptr<CurlMulti> multi_;
  std::map<std::string, std::unique_ptr<HostSlot>> slots_;
  std::set<std::shared_ptr<boost::asio::steady_timer>> retry_timers_;
  size_t open_ = 0;
  bool cancelled_ = false;
};

}  // namespace nianbao::fetch

#endif  // NIANBAO_FETCH_FETCHER_H_
