#include "fetch/fetcher.h"

#include <curl/curl.h>
#include <curl/header.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstring>
#include <algorithm>
#include <random>
#include <set>

#include "config/url.h"
#include "fetch/curl_multi.h"

namespace nianbao::fetch {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {
constexpr int kMaxRedirects = 10;

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ')) s.pop_back();
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  return s.substr(i);
}

// Loopback, RFC 1918, CGNAT, link-local, unspecified, IPv6 ULA/link-local and
// IPv4-mapped forms of those.
bool IsInternalAddress(const sockaddr* sa) {
  if (sa->sa_family == AF_INET) {
    uint32_t a = ntohl(reinterpret_cast<const sockaddr_in*>(sa)->sin_addr.s_addr);
    return (a >> 24) == 127 || (a >> 24) == 10 || (a >> 24) == 0 || (a >> 20) == 0xAC1 || (a >> 16) == 0xC0A8 ||
           (a >> 16) == 0xA9FE || (a >> 22) == (100u << 2 | 1);  // 100.64.0.0/10
  }
  if (sa->sa_family == AF_INET6) {
    const uint8_t* b = reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr.s6_addr;
    static const uint8_t kLoop[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const uint8_t kAny[16] = {};
    if (std::memcmp(b, kLoop, 16) == 0 || std::memcmp(b, kAny, 16) == 0) return true;
    if ((b[0] & 0xFE) == 0xFC || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80)) return true;
    static const uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (std::memcmp(b, kMapped, 12) == 0) {
      sockaddr_in v4{};
      v4.sin_family = AF_INET;
      std::memcpy(&v4.sin_addr, b + 12, 4);
      return IsInternalAddress(reinterpret_cast<const sockaddr*>(&v4));
    }
  }
  return false;
}

FetchError MapCurlCode(CURLcode c) {
  switch (c) {
    case CURLE_OPERATION_TIMEDOUT: return FetchError::kTimeout;
    case CURLE_COULDNT_RESOLVE_HOST: return FetchError::kDns;
    case CURLE_COULDNT_CONNECT: return FetchError::kConnect;
    case CURLE_SSL_CONNECT_ERROR: case CURLE_PEER_FAILED_VERIFICATION: case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER: case CURLE_SSL_CACERT_BADFILE: return FetchError::kTls;
    case CURLE_ABORTED_BY_CALLBACK: return FetchError::kCancelled;
    case CURLE_URL_MALFORMAT: case CURLE_UNSUPPORTED_PROTOCOL: return FetchError::kBadUrl;
    default: return FetchError::kNetwork;
  }
}
}  // namespace

const char* FetchErrorName(FetchError e) {
  switch (e) {
    case FetchError::kNone: return "none";
    case FetchError::kBadUrl: return "bad_url";
    case FetchError::kOutOfScope: return "out_of_scope";
    case FetchError::kTooManyRedirects: return "too_many_redirects";
    case FetchError::kTimeout: return "timeout";
    case FetchError::kDns: return "dns";
    case FetchError::kConnect: return "connect";
    case FetchError::kTls: return "tls";
    case FetchError::kNetwork: return "network";
    case FetchError::kCancelled: return "cancelled";
    case FetchError::kRobots: return "robots";
    case FetchError::kPrivateAddress: return "private_address";
  }
  return "?";
}

struct Fetcher::Job {
  FetchRequest request;
  Callback done;
  Url current;
  std::set<std::string> visited;
  FetchResult result;
  CURL* easy = nullptr;
  std::string host_key;
  std::string location;
  size_t max_bytes = 0;
  Fetcher* owner = nullptr;
  // The current attempt's answer has begun (its status line arrived): the
  // server has read the whole request by then.
  bool answered = false;
  bool fresh_connect = false;    // the next attempt opens a new connection
  bool fresh_retried = false;    // a dead keep-alive connection was retried once
  bool robots_job = false;       // the host's robots.txt itself: never gated by it
  bool refused_private = false;  // OnOpenSocket refused the address
  curl_slist* headers = nullptr;
  char error_buffer[CURL_ERROR_SIZE] = {0};

  ~Job() { curl_slist_free_all(headers); }

  // Refuses loopback/private/link-local addresses unless allowed; else opens the socket.
  static curl_socket_t OnOpenSocket(void* userp, curlsocktype, curl_sockaddr* address) {
    auto* job = static_cast<Job*>(userp);
    if (!job->request.allow_private_addresses && IsInternalAddress(&address->addr)) {
      job->refused_private = true;
      return CURL_SOCKET_BAD;
    }
    return ::socket(address->family, address->socktype, address->protocol);
  }

  static size_t OnBody(char* data, size_t size, size_t n, void* userp) {
    auto* job = static_cast<Job*>(userp);
    size_t len = size * n;
    std::string& body = job->result.body;
    if (body.size() + len > job->max_bytes) {
      body.append(data, job->max_bytes - body.size());
      job->result.truncated = true;
      return 0;  // abort the transfer: the cap is reached
    }
    body.append(data, len);
    return len;
  }

  // Headers are read after the transfer (curl_easy_header); this only
  // notes the moment the answer begins, for the host's politeness clock.
  static size_t OnHeader(char*, size_t size, size_t n, void* userp) {
    auto* job = static_cast<Job*>(userp);
    if (!job->answered) job->owner->Answered(*job);
    return size * n;
  }
};

struct Fetcher::HostSlot {
  explicit HostSlot(asio::io_context& io) : timer(io) {}
  std::deque<std::shared_ptr<Job>> queue;
  int open = 0;
  int unanswered = 0;  // open requests whose answer has not begun
  // No request starts before this: the delay after the last answer began
  // (or the last transfer failed unanswered), a Retry-After, robots.txt backoff.
  Clock::time_point next_start{};
  asio::steady_timer timer;
  bool timer_armed = false;
  enum class Robots { kUnknown, kFetching, kReady } robots_state = Robots::kUnknown;
  RobotsRules robots;
  int robots_attempts = 0;
  std::chrono::milliseconds delay{0};  // max(per_host_delay_ms, Crawl-delay)
};

Fetcher::Fetcher(asio::io_context& io, const CrawlOptions& options, RobotsMemory robots_memory)
    : io_(io), options_(options), robots_memory_(std::move(robots_memory)),
      multi_(std::make_unique<CurlMulti>(io, options.max_connections, options.per_host_concurrency)) {}

Fetcher::~Fetcher() = default;

size_t Fetcher::queued() const {
  size_t n = 0;
  for (const auto& [k, s] : slots_) n += s->queue.size();
  return n;
}

std::vector<std::pair<std::string, size_t>> Fetcher::HostQueueDepths() const {
  std::vector<std::pair<std::string, size_t>> out;
  out.reserve(slots_.size());
  for (const auto& [k, s] : slots_) out.emplace_back(k, s->queue.size() + static_cast<size_t>(s->open));
  return out;
}

Fetcher::HostSlot& Fetcher::SlotFor(const std::string& key) {
  auto& slot = slots_[key];
  if (!slot) {
    slot = std::make_unique<HostSlot>(io_);
    slot->delay = std::chrono::milliseconds(options_.per_host_delay_ms);
    if (!options_.respect_robots) slot->robots_state = HostSlot::Robots::kReady;
  }
  return *slot;
}

// The host's robots.txt, fetched like any request of that host (it counts
// toward the host's politeness), before anything else is started there.
void Fetcher::FetchRobots(const std::string& host_key, HostSlot& slot, const Url& some_url) {
  slot.robots_state = HostSlot::Robots::kFetching;
  auto job = std::make_shared<Job>();
  job->robots_job = true;
  job->max_bytes = 512 * 1024;
  Url robots = some_url;
  robots.path = "/robots.txt";
  robots.query.clear();
  robots.has_query = false;
  robots.fragment.clear();
  job->current = robots;
  job->request.url = robots.ToString();
  job->request.allow_private_addresses = slot.queue.empty() ? false : slot.queue.front()->request.allow_private_addresses;
  job->result.url = job->request.url;
  job->host_key = host_key;
  // Asked conditionally when an earlier run kept a copy: a 304 reuses it.
  std::optional<RobotsCopy> copy = robots_memory_.recall ? robots_memory_.recall(host_key) : std::nullopt;
  if (copy) {
    job->request.if_none_match = copy->etag;
    job->request.if_modified_since = copy->last_modified;
  }
  job->done = [this, host_key, copy](FetchResult r) {
    if (copy && r.error == FetchError::kNone && r.status == 304) {
      r.status = 200;
      r.body = copy->body;
    } else if (robots_memory_.remember && r.error == FetchError::kNone && r.status == 200 && !r.truncated &&
               (!r.etag.empty() || !r.last_modified.empty())) {
      robots_memory_.remember(host_key, {r.body, r.etag, r.last_modified});
    }
    OnRobots(host_key, std::move(r));
  };
  Start(job, slot);
}

void Fetcher::OnRobots(const std::string& host_key, FetchResult r) {
  HostSlot& slot = SlotFor(host_key);
  const bool got = r.error == FetchError::kNone && r.status >= 200 && r.status < 300;
  const bool absent = r.error == FetchError::kNone && r.status >= 400 && r.status < 500;
  auto ready = [&](RobotsRules rules) {
    slot.robots = std::move(rules);
    slot.robots_state = HostSlot::Robots::kReady;
    auto crawl_delay = std::chrono::milliseconds(static_cast<long>(slot.robots.crawl_delay_s() * 1000));
    slot.delay = std::max(std::chrono::milliseconds(options_.per_host_delay_ms), crawl_delay);
    slot.next_start = std::max(slot.next_start, Clock::now() + slot.delay);  // the gap after robots.txt too
  };
  if (got || absent) {
    ready(got ? RobotsRules::Parse(r.body, options_.user_agent) : RobotsRules());
  } else if (r.error == FetchError::kPrivateAddress || r.error == FetchError::kCancelled) {
    // Nothing was asked of the host: each request meets the same refusal itself.
    ready(RobotsRules());
  } else if (++slot.robots_attempts <= std::max(1, options_.max_retries)) {
    // 5xx or unreachable: wait, then ask again (the host is paused meanwhile).
    slot.robots_state = HostSlot::Robots::kUnknown;
    slot.next_start = std::max(slot.next_start, Clock::now() + std::chrono::milliseconds(500 << std::min(slot.robots_attempts, 6)));
  } else if (r.error != FetchError::kNone) {
    // The host cannot be reached: its requests fail with that error now, and
    // a later request asks for robots.txt again.
    slot.robots_state = HostSlot::Robots::kUnknown;
    slot.robots_attempts = 0;
    while (!slot.queue.empty()) {
      auto job = std::move(slot.queue.front());
      slot.queue.pop_front();
      job->result.error = r.error;
      job->result.error_message = "robots.txt unreachable: " + r.error_message;
      Complete(job);
    }
  } else {
    ready(RobotsRules::DisallowAll());  // robots.txt keeps answering 5xx: stay away (RFC 9309)
  }
  Pump();
}

void Fetcher::Fetch(FetchRequest request, Callback done) {
  auto job = std::make_shared<Job>();
  job->request = std::move(request);
  job->done = std::move(done);
  job->result.url = job->request.url;
  job->max_bytes = static_cast<size_t>(options_.max_page_bytes);
  auto url = ParseUrl(job->request.url);
  if (!url || cancelled_) {
    job->result.error = cancelled_ ? FetchError::kCancelled : FetchError::kBadUrl;
    job->result.error_message = cancelled_ ? "fetcher stopped" : "not an absolute http(s) URL";
    Complete(job);
    return;
  }
  job->current = *url;
  if (!job->request.allow_hosts.empty() && !HostAllowed(job->request.allow_hosts, url->host, url->EffectivePort())) {
    job->result.error = FetchError::kOutOfScope;
    job->result.error_message = "host " + url->Authority() + " is not in allow_hosts";
    Complete(job);
    return;
  }
  job->visited.insert(url->ToString());
  Enqueue(job, false);
}

void Fetcher::Enqueue(std::shared_ptr<Job> job, bool front) {
  job->host_key = job->current.scheme + "://" + job->current.host + ":" + std::to_string(job->current.EffectivePort());
  HostSlot& slot = SlotFor(job->host_key);
  if (front) slot.queue.push_front(std::move(job));
  else slot.queue.push_back(std::move(job));
  Pump();
}

// A request starts on a host when fewer than per_host_concurrency are open
// there, fewer than max_connections in all, the host's clock allows it
// (next_start) and — when the host has a delay — every open request there
// has begun to be answered. The server has read a request by the time its
// answer begins, so counting the delay from that moment (or from the end of
// a transfer that got no answer) keeps every gap between two request starts
// as the server sees them at or above the delay, connection set-up and
// queueing in curl included.
void Fetcher::Pump() {
  const auto now = Clock::now();
  for (auto& [key, slot_ptr] : slots_) {
    HostSlot& slot = *slot_ptr;
    while (!slot.queue.empty() && slot.open < options_.per_host_concurrency &&
           open_ < static_cast<size_t>(options_.max_connections)) {
      const bool robots_job = slot.queue.front()->robots_job;  // a redirected robots.txt
      if (slot.robots_state == HostSlot::Robots::kFetching && !robots_job) break;
      if (slot.delay.count() > 0 && slot.unanswered > 0) break;  // Answered() pumps again
      if (now < slot.next_start) {
        if (!slot.timer_armed) {
          slot.timer_armed = true;
          slot.timer.expires_at(slot.next_start);
          slot.timer.async_wait([this, &slot](const boost::system::error_code& ec) {
            slot.timer_armed = false;
            if (!ec) Pump();
          });
        }
        break;
      }
      if (slot.robots_state == HostSlot::Robots::kUnknown && !robots_job) {
        FetchRobots(key, slot, slot.queue.front()->current);
        break;
      }
      std::shared_ptr<Job> job = std::move(slot.queue.front());
      slot.queue.pop_front();
      std::string path = job->current.path + (job->current.has_query ? "?" + job->current.query : "");
      if (!robots_job && !slot.robots.Allowed(path)) {
        job->result.error = FetchError::kRobots;
        job->result.error_message = "disallowed by robots.txt of " + job->current.Authority();
        Complete(job);
        continue;
      }
      Start(std::move(job), slot);
    }
  }
}

void Fetcher::Answered(Job& job) {
  job.answered = true;
  HostSlot& slot = SlotFor(job.host_key);
  --slot.unanswered;
  slot.next_start = std::max(slot.next_start, Clock::now() + slot.delay);
  // Called from inside curl: start the next request from the io loop.
  asio::post(io_, [this] { Pump(); });
}

void Fetcher::Start(std::shared_ptr<Job> job, HostSlot& slot) {
  ++slot.open;
  ++slot.unanswered;
  ++open_;
  ++job->result.attempts;
  job->owner = this;
  job->answered = false;
  job->result.body.clear();
  job->result.truncated = false;
  job->error_buffer[0] = 0;
  CURL* e = curl_easy_init();
  job->easy = e;
  const std::string url = job->current.ToString();
  curl_easy_setopt(e, CURLOPT_URL, url.c_str());
  curl_easy_setopt(e, CURLOPT_USERAGENT, options_.user_agent.c_str());
  if (!job->request.referer.empty()) curl_easy_setopt(e, CURLOPT_REFERER, job->request.referer.c_str());
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);  // we follow, within scope
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");   // gzip, deflate, whatever curl supports
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options_.connect_timeout_s));
  curl_easy_setopt(e, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout_s));
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Job::OnBody);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, job.get());
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Job::OnHeader);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, job.get());
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, job->error_buffer);
  curl_easy_setopt(e, CURLOPT_PRIVATE, job.get());
  curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &Job::OnOpenSocket);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, job.get());
  if (job->fresh_connect) curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
  // A host with a delay gets one connection per request: libcurl re-sends a
  // request at once, unseen by us, when a reused connection turns out dead,
  // and that re-send would reach the server sooner than the delay allows.
  // (A handshake per request costs nothing against a delay.)
  if (slot.delay.count() > 0) curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
  job->fresh_connect = false;
  curl_slist_free_all(job->headers);
  job->headers = nullptr;
  if (!job->request.if_none_match.empty()) {
    job->headers = curl_slist_append(job->headers, ("If-None-Match: " + job->request.if_none_match).c_str());
  }
  if (!job->request.if_modified_since.empty()) {
    job->headers = curl_slist_append(job->headers, ("If-Modified-Since: " + job->request.if_modified_since).c_str());
  }
  if (job->headers) curl_easy_setopt(e, CURLOPT_HTTPHEADER, job->headers);
  if (!job->request.post_form.empty() && job->result.redirects == 0) {
    // No "Expect: 100-continue": an interim answer must not count as the answer.
    job->headers = curl_slist_append(job->headers, "Expect:");
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, job->headers);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(job->request.post_form.size()));
    curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, job->request.post_form.c_str());
  }
  const auto started = Clock::now();
  multi_->Add(e, [this, job, started](CURLcode code) {
    job->result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    Finished(job, code);
  });
}

namespace {

// The value of response header `name` of the last request on `e`, "" if absent.
std::string Header(CURL* e, const char* name) {
  curl_header* h = nullptr;
  if (curl_easy_header(e, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK || h == nullptr) return "";
  return Trimmed(h->value);
}

}  // namespace

void Fetcher::Finished(std::shared_ptr<Job> job, int code_int) {
  CURLcode code = static_cast<CURLcode>(code_int);
  CURL* e = job->easy;
  long status = 0, new_connections = 1;
  curl_off_t retry_after_s = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &new_connections);
  curl_easy_getinfo(e, CURLINFO_RETRY_AFTER, &retry_after_s);  // seconds or an HTTP-date, as seconds from now
  FetchResult& r = job->result;
  if (status > 0) {
    const char* type = nullptr;
    curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &type);
    r.content_type = type ? type : "";
    r.etag = Header(e, "ETag");
    r.last_modified = Header(e, "Last-Modified");
    job->location = Header(e, "Location");
  }
  curl_easy_cleanup(e);
  job->easy = nullptr;
  HostSlot& slot = SlotFor(job->host_key);
  --slot.open;
  --open_;
  if (!job->answered) {  // no answer began: the host's clock counts from now
    --slot.unanswered;
    slot.next_start = std::max(slot.next_start, Clock::now() + slot.delay);
  }
  r.status = status;
  r.final_url = job->current.ToString();
  if (code == CURLE_WRITE_ERROR && r.truncated) code = CURLE_OK;
  r.error = code == CURLE_OK ? FetchError::kNone : MapCurlCode(code);
  r.error_message = code == CURLE_OK ? "" : (job->error_buffer[0] ? job->error_buffer : curl_easy_strerror(code));
  if (job->refused_private) {
    r.error = FetchError::kPrivateAddress;
    r.error_message = job->current.host + " resolves to an internal address; not allowed for this portal";
  }
  if (cancelled_) r.error = FetchError::kCancelled;

  // A keep-alive connection the server had already closed: the request is
  // sent again at once on a new connection (once, not counted as a retry).
  const bool dead_connection = (code == CURLE_GOT_NOTHING || code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR) &&
                               !job->answered && new_connections == 0;
  if (dead_connection && !job->fresh_retried && !cancelled_) {
    job->fresh_retried = true;
    job->fresh_connect = true;
    --r.attempts;
    Enqueue(job, true);
    return;
  }

  if (r.error == FetchError::kNone && status >= 300 && status < 400 && status != 304 && !job->location.empty()) {
    auto next = ResolveUrl(job->current, job->location);
    if (!next) {
      r.error = FetchError::kBadUrl;
      r.error_message = "redirect to a non-http URL: " + job->location;
    } else if (!job->request.allow_hosts.empty() &&
               !HostAllowed(job->request.allow_hosts, next->host, next->EffectivePort())) {
      r.error = FetchError::kOutOfScope;
      r.error_message = "redirect leaves allowed hosts: " + next->ToString();
    } else if (++r.redirects > kMaxRedirects || !job->visited.insert(next->ToString()).second) {
      r.error = FetchError::kTooManyRedirects;
      r.error_message = r.redirects > kMaxRedirects ? "more than 10 redirects" : "redirect loop at " + next->ToString();
    } else {
      job->current = *next;
      r.attempts = 0;
      Enqueue(job, true);
      return;
    }
  }
  bool retryable = r.error == FetchError::kTimeout || r.error == FetchError::kConnect ||
                   r.error == FetchError::kNetwork || (r.error == FetchError::kNone && (status >= 500 || status == 429));
  if (r.error == FetchError::kNone && retry_after_s > 0 && options_.honor_retry_after &&
      (status == 429 || status == 503)) {
    // The server asked the whole host to wait, not just this URL (capped at 5 minutes).
    const auto until = Clock::now() + std::chrono::seconds(std::min<curl_off_t>(retry_after_s, 300));
    slot.next_start = std::max(slot.next_start, until);
  }
  if (retryable && !cancelled_ && !job->robots_job && r.attempts <= options_.max_retries) {
    // Exponential backoff with jitter; the host's clock (a Retry-After
    // included) holds the retry further if it says so.
    static thread_local std::mt19937 rng{std::random_device{}()};
    double base = 0.5 * (1 << std::min(r.attempts - 1, 6));
    double wait = base * std::uniform_real_distribution<double>(0.5, 1.5)(rng);
    auto timer = std::make_shared<asio::steady_timer>(io_, std::chrono::milliseconds(static_cast<int>(wait * 1000)));
    retry_timers_.insert(timer);
    timer->async_wait([this, job, timer](const boost::system::error_code&) {
      retry_timers_.erase(timer);
      if (cancelled_) {
        job->result.error = FetchError::kCancelled;
        Complete(job);
        return;
      }
      Enqueue(job, false);
    });
    Pump();
    return;
  }
  Complete(job);
  Pump();
}

void Fetcher::Complete(std::shared_ptr<Job> job) {
  Callback done = std::move(job->done);
  FetchResult result = std::move(job->result);
  asio::post(io_, [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); });
}

void Fetcher::CancelAll() {
  cancelled_ = true;
  for (auto& [key, slot] : slots_) {
    slot->timer.cancel();
    while (!slot->queue.empty()) {
      auto job = std::move(slot->queue.front());
      slot->queue.pop_front();
      job->result.error = FetchError::kCancelled;
      job->result.error_message = "fetcher stopped";
      Complete(job);
    }
  }
  for (const auto& timer : retry_timers_) timer->cancel();  // their jobs complete as cancelled
  multi_->CancelAll();  // open transfers complete through Finished() as cancelled
}

}  // namespace nianbao::fetch
