#include "fetch/fetcher.h"

#include <curl/curl.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
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
  std::string location, retry_after;
  size_t max_bytes = 0;
  char error_buffer[CURL_ERROR_SIZE] = {0};

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

  static size_t OnHeader(char* data, size_t size, size_t n, void* userp) {
    auto* job = static_cast<Job*>(userp);
    std::string line(data, size * n);
    if (line.rfind("HTTP/", 0) == 0) {  // a new response (e.g. after 100 Continue)
      job->result.content_type.clear();
      job->result.etag.clear();
      job->result.last_modified.clear();
      job->location.clear();
      job->retry_after.clear();
      return size * n;
    }
    size_t colon = line.find(':');
    if (colon == std::string::npos) return size * n;
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = Trimmed(line.substr(colon + 1));
    if (name == "content-type") job->result.content_type = value;
    else if (name == "etag") job->result.etag = value;
    else if (name == "last-modified") job->result.last_modified = value;
    else if (name == "location") job->location = value;
    else if (name == "retry-after") job->retry_after = value;
    return size * n;
  }
};

struct Fetcher::HostSlot {
  explicit HostSlot(asio::io_context& io) : timer(io) {}
  std::deque<std::shared_ptr<Job>> queue;
  int open = 0;
  Clock::time_point next_start{};
  asio::steady_timer timer;
  bool timer_armed = false;
};

Fetcher::Fetcher(asio::io_context& io, const CrawlOptions& options)
    : io_(io), options_(options),
      multi_(std::make_unique<CurlMulti>(io, options.max_connections, options.per_host_concurrency)) {}

Fetcher::~Fetcher() = default;

size_t Fetcher::queued() const {
  size_t n = 0;
  for (const auto& [k, s] : slots_) n += s->queue.size();
  return n;
}

Fetcher::HostSlot& Fetcher::SlotFor(const std::string& key) {
  auto& slot = slots_[key];
  if (!slot) slot = std::make_unique<HostSlot>(io_);
  return *slot;
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
  job->host_key = job->current.host + ":" + std::to_string(job->current.EffectivePort());
  HostSlot& slot = SlotFor(job->host_key);
  if (front) slot.queue.push_front(std::move(job));
  else slot.queue.push_back(std::move(job));
  Pump();
}

void Fetcher::Pump() {
  const auto now = Clock::now();
  const auto delay = std::chrono::milliseconds(options_.per_host_delay_ms);
  for (auto& [key, slot_ptr] : slots_) {
    HostSlot& slot = *slot_ptr;
    while (!slot.queue.empty() && slot.open < options_.per_host_concurrency &&
           open_ < static_cast<size_t>(options_.max_connections)) {
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
      std::shared_ptr<Job> job = std::move(slot.queue.front());
      slot.queue.pop_front();
      slot.next_start = now + delay;
      Start(std::move(job), slot);
    }
  }
}

void Fetcher::Start(std::shared_ptr<Job> job, HostSlot& slot) {
  ++slot.open;
  ++open_;
  ++job->result.attempts;
  job->result.body.clear();
  job->result.truncated = false;
  job->error_buffer[0] = 0;
  CURL* e = curl_easy_init();
  job->easy = e;
  const std::string url = job->current.ToString();
  curl_easy_setopt(e, CURLOPT_URL, url.c_str());
  curl_easy_setopt(e, CURLOPT_USERAGENT, options_.user_agent.c_str());
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
  const auto started = Clock::now();
  multi_->Add(e, [this, job, started](CURLcode code) {
    job->result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    Finished(job, code);
  });
}

void Fetcher::Finished(std::shared_ptr<Job> job, int code_int) {
  CURLcode code = static_cast<CURLcode>(code_int);
  long status = 0;
  curl_easy_getinfo(job->easy, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(job->easy);
  job->easy = nullptr;
  HostSlot& slot = SlotFor(job->host_key);
  --slot.open;
  --open_;
  FetchResult& r = job->result;
  r.status = status;
  r.final_url = job->current.ToString();
  if (code == CURLE_WRITE_ERROR && r.truncated) code = CURLE_OK;
  r.error = code == CURLE_OK ? FetchError::kNone : MapCurlCode(code);
  r.error_message = code == CURLE_OK ? "" : (job->error_buffer[0] ? job->error_buffer : curl_easy_strerror(code));
  if (cancelled_) r.error = FetchError::kCancelled;

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
  if (retryable && !cancelled_ && r.attempts <= options_.max_retries) {
    // Exponential backoff with jitter; a Retry-After (seconds) wins when honoured.
    static thread_local std::mt19937 rng{std::random_device{}()};
    double base = 0.5 * (1 << std::min(r.attempts - 1, 6));
    double wait = base * std::uniform_real_distribution<double>(0.5, 1.5)(rng);
    if (options_.honor_retry_after && !job->retry_after.empty() &&
        std::all_of(job->retry_after.begin(), job->retry_after.end(), ::isdigit) && job->retry_after.size() < 6) {
      wait = std::min(300, std::stoi(job->retry_after));
    }
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
