// sim/portal_simulator.cc
//
// The server half: the hosts (see site.h) are built once; PortalSimulator::Impl
// listens on every host's address, and each Session serves one connection with
// Beast on one io_context thread, so handlers never run concurrently and need
// no strands.

#include "sim/portal_simulator.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "sim/rendering_b.h"
#include "sim/site.h"

namespace nianbao::sim {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace internal;

constexpr auto kIdleTimeout = std::chrono::seconds(30);
constexpr int kTricklePieces = 30;
constexpr auto kTrickleGap = std::chrono::milliseconds(100);  // 30 pieces over 3 s
constexpr int kPortAttempts = 20;

struct FamilySpec {
  const char* family;
  const char* address;  // nullptr: options.bind_address
  bool (*build)(const std::vector<Item>&, Host*, std::string*);
};

constexpr FamilySpec kFamilies[] = {
    {"trs", nullptr, BuildTrs},
    {"hanweb", "127.0.0.2", BuildHanweb},
    {"gkmlpt", "127.0.0.3", BuildGkmlpt},
    {"vsb", "127.0.0.4", BuildVsb},
    {"generic", "127.0.0.5", BuildGeneric},
    {"hostile", "127.0.0.6", BuildHostile},
};

// The first rendering's portal on a family's host, from its pages.
PortalInfo FirstRenderingPortal(const Host& host) {
  PortalInfo info;
  info.rendering = "a";
  info.name = info.family = host.family;
  info.variant = "first-rendering";
  info.address = host.address;
  info.start = host.column;
  for (const Page& page : host.site.Manifest()) {
    const int night = page.night2 == "new" ? 2 : 1;
    if (page.kind == "listing" || page.kind == "listing-data") {
      info.listings.push_back({page.path, "GET", "", night});
      continue;
    }
    // A listed PDF (generic's straight link) is a report; gkmlpt's PDF hangs off its detail page.
    const bool listed_pdf = page.kind == "attachment" && host.family == "generic";
    if (page.kind != "report" && page.kind != "lookalike" && !listed_pdf) continue;
    int year = 0;
    for (size_t at = page.title.find("年"); at != std::string::npos && at >= 4 && year == 0;
         at = page.title.find("年", at + 1)) {
      const std::string digits = page.title.substr(at - 4, 4);
      if (digits.find_first_not_of("0123456789") == std::string::npos) year = std::stoi(digits);
    }
    info.entries.push_back({page.path, page.title, listed_pdf ? "report" : page.kind, year, night});
  }
  return info;
}

// Builds every host into *hosts (the first rendering's, then the second's,
// then the farm's) and the portals' truth into *portals. Returns an error
// message, or "" on success.
std::string BuildHosts(const SimulatorOptions& options, std::vector<std::unique_ptr<Host>>* hosts,
                       std::vector<PortalInfo>* portals) {
  std::string error;
  std::vector<Item> catalog;
  if (!LoadCatalog(&catalog, &error)) return error;
  for (const FamilySpec& spec : kFamilies) {
    auto host = std::make_unique<Host>();
    host->family = spec.family;
    host->address = spec.address == nullptr ? options.bind_address : spec.address;
    if (!spec.build(catalog, host.get(), &error))
      return host->family == "trs" ? error : host->family + ": " + error;
    if (host->family != "hostile") portals->push_back(FirstRenderingPortal(*host));
    hosts->push_back(std::move(host));
  }
  if (error = BuildRenderingB(hosts, portals); !error.empty()) return error;
  // The farm: more hosts serving the trs host's /bulk/ pages (benchmarks).
  const Host* trs = hosts->front().get();
  for (int i = 1; i <= options.farm_hosts; ++i) {
    auto host = std::make_unique<Host>();
    host->family = "farm";
    host->address = "127.0.1." + std::to_string(i);
    host->column = "/bulk/list_0.shtml";
    host->handler = [trs](const Request& req, const Site&, Reply* reply) {
      return req.path.starts_with("/bulk/") && trs->handler(req, trs->site, reply);
    };
    hosts->push_back(std::move(host));
  }
  return "";
}

int64_t NowMicros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

class RequestLog {
 public:
  ~RequestLog() { Close(); }
  // Truncates and opens path; an empty path means no log.
  bool Open(const std::string& path, std::string* error) {
    std::lock_guard<std::mutex> lock(mu_);
    if (path.empty()) return true;
    file_ = std::fopen(path.c_str(), "w");
    if (file_ == nullptr) *error = "cannot open request log " + path;
    return file_ != nullptr;
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    if (file_ != nullptr) std::fclose(file_);
    file_ = nullptr;
  }
  void Write(int64_t start, std::string_view method, std::string_view target, unsigned status,
             size_t body_bytes, std::string_view host) {
    const int64_t end = NowMicros();
    std::lock_guard<std::mutex> lock(mu_);
    if (file_ == nullptr) return;
    std::fprintf(file_, "%lld %lld %.*s %.*s %u %zu %.*s\n", static_cast<long long>(start),
                 static_cast<long long>(end), static_cast<int>(method.size()), method.data(),
                 static_cast<int>(target.size()), target.data(), status, body_bytes,
                 static_cast<int>(host.size()), host.data());
    std::fflush(file_);
  }

 private:
  std::mutex mu_;
  std::FILE* file_ = nullptr;
};

class Session;

// What the server shares with its sessions. sessions, hits and stopping are
// touched on the io thread only (and by Start() before it runs).
struct ServerState {
  std::vector<std::unique_ptr<Host>> hosts;
  std::vector<PortalInfo> portals;
  std::atomic<int> night{1};
  int latency_ms = 0;
  int close_after = 0;
  std::string port;  // as text, for /__sim/manifest
  std::mutex hidden_mu;
  std::set<std::string, std::less<>> hidden;  // "<address><target>"
  bool Hidden(const std::string& address, std::string_view target) {
    std::lock_guard<std::mutex> lock(hidden_mu);
    return !hidden.empty() && hidden.count(address + std::string(target)) > 0;
  }
  RequestLog log;
  std::unordered_set<Session*> sessions;
  std::map<std::string, int, std::less<>> hits;  // "<family> <client> <path>" -> gated requests
  bool stopping = false;
};

// The gate of host that answers this request with an error (counting it), or null.
const Gate* Gated(const Host& host, const Request& req, ServerState& state) {
  for (const Gate& gate : host.gates) {
    if (gate.path != req.path) continue;
    int& hits = state.hits[host.family + " " + req.client + " " + gate.path];
    if (hits >= gate.times) return nullptr;
    ++hits;
    return &gate;
  }
  return nullptr;
}

// True if the request's validators match the page's current ETag or Last-Modified.
bool Fresh(const http::request<http::string_body>& req, const std::string& etag,
           const std::string& last_modified) {
  if (auto inm = req.find(http::field::if_none_match); inm != req.end()) {
    // A comma-separated list of (possibly weak) tags, or *.
    for (std::string_view tags = Std(inm->value()); !tags.empty();) {
      std::string_view tag = tags.substr(0, tags.find(','));
      tags.remove_prefix(std::min(tags.size(), tag.size() + 1));
      while (!tag.empty() && IsSpace(tag.front())) tag.remove_prefix(1);
      while (!tag.empty() && IsSpace(tag.back())) tag.remove_suffix(1);
      if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
      if (tag == "*" || tag == etag) return true;
    }
    return false;
  }
  auto ims = req.find(http::field::if_modified_since);
  return ims != req.end() && Std(ims->value()) == last_modified;  // exact, like nginx's default
}

Reply Respond(const http::request<http::string_body>& req, const Host& host,
              const std::string& client, ServerState& state) {
  Reply reply;
  http::response<http::string_body>& res = reply.res;
  res.version(req.version());
  res.keep_alive(req.keep_alive());
  res.set(http::field::server, "nianbao-sim");
  const std::string_view target = Std(req.target());
  const std::string_view path = target.substr(0, target.find('?'));
  const std::string_view query = path.size() < target.size() ? target.substr(path.size() + 1) : "";
  const Request request{req, path, query, client, state.night.load()};
  const Gate* gate = nullptr;
  if (path == "/__sim/manifest") {
    SetReply(&reply, http::status::ok, "application/json; charset=utf-8",
             ManifestJson(state.portals, state.port));
  } else if (path == "/__sim/hide") {
    std::lock_guard<std::mutex> lock(state.hidden_mu);
    if (Param(query, "clear") == "1") {
      state.hidden.clear();
      SetReply(&reply, http::status::ok, "text/plain", "cleared\n");
    } else if (const std::string hidden_path = PercentDecode(Param(query, "path"));
               hidden_path.starts_with("/")) {
      std::string address = PercentDecode(Param(query, "host"));
      if (address.empty()) address = host.address;
      state.hidden.insert(address + hidden_path);
      SetReply(&reply, http::status::ok, "text/plain", "hidden " + address + hidden_path + "\n");
    } else {
      SetReply(&reply, http::status::bad_request, "text/plain",
               "use /__sim/hide?host=<address>&path=<path-with-query> or ?clear=1\n");
    }
  } else if (path == "/__sim/night") {
    if (query == "n=1" || query == "n=2") state.night = query.back() - '0';
    if (query.empty() || query == "n=1" || query == "n=2")
      SetReply(&reply, http::status::ok, "text/plain",
               "night " + std::to_string(state.night.load()) + "\n");
    else
      SetReply(&reply, http::status::bad_request, "text/plain", "use /__sim/night?n=1 or ?n=2\n");
  } else if (state.Hidden(host.address, target)) {
    SetReply(&reply, http::status::not_found, "text/html; charset=utf-8",
             "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>404 Not Found</title>"
             "</head><body><h1>404 Not Found</h1><p>您访问的页面不存在或已被删除。</p></body>"
             "</html>\n");
  } else if (host.handler && host.handler(request, host.site, &reply)) {
    // Answered by the host's handler; one that sets validators gets conditionals answered.
    if (request.get_or_head() && res.result() == http::status::ok &&
        res.find(http::field::etag) != res.end() &&
        Fresh(req, std::string(Std(res[http::field::etag])),
              std::string(Std(res[http::field::last_modified])))) {
      res.result(http::status::not_modified);
      res.body().clear();
      return reply;
    }
  } else if (!request.get_or_head()) {
    res.set(http::field::allow, "GET, HEAD");
    SetReply(&reply, http::status::method_not_allowed, "text/plain", "method not allowed\n");
  } else if ((gate = Gated(host, request, state)) != nullptr) {
    res.set(http::field::retry_after, std::to_string(gate->retry_after_s));
    const std::string status = std::to_string(static_cast<unsigned>(gate->status)) + " " +
                               std::string(Std(http::obsolete_reason(gate->status)));
    SetReply(&reply, gate->status, "text/html; charset=utf-8",
             "<html><head><title>" + status + "</title></head><body><h1>" + status +
                 "</h1><p>服务器繁忙，请稍后再试。</p></body></html>\n");
  } else if (const Resource* r = host.site.Find(path, query);
             r == nullptr || !r->exists[request.night - 1]) {
    SetReply(&reply, http::status::not_found, "text/html; charset=utf-8",
             "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>404 Not Found</title>"
             "</head><body><h1>404 Not Found</h1><p>您访问的页面不存在或已被删除。</p></body>"
             "</html>\n");
  } else {
    const int n = request.night - 1;
    res.set(http::field::etag, r->etag[n]);
    res.set(http::field::last_modified, r->last_modified[n]);
    if (Fresh(req, r->etag[n], r->last_modified[n])) {
      res.result(http::status::not_modified);
      return reply;
    }
    SetReply(&reply, http::status::ok, r->content_type, r->body[n]);
    reply.delivery = r->delivery;
  }
  switch (reply.delivery) {
    case Delivery::kReset:
      return reply;
    case Delivery::kGenerated:  // The session sends the body (none for HEAD).
      res.content_length(reply.generated_size);
      return reply;
    default:
      res.prepare_payload();
      if (req.method() == http::verb::head) {
        res.body().clear();  // Content-Length stays
        reply.delivery = Delivery::kNormal;
      }
      return reply;
  }
}

// One connection: read a request, wait latency_ms, write the response, repeat
// while keep-alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const Host& host, ServerState& state)
      : stream_(std::move(socket)), delay_(stream_.get_executor()), host_(host), state_(state) {
    beast::error_code ec;
    local_ = stream_.socket().local_endpoint(ec).address().to_string();
    client_ = stream_.socket().remote_endpoint(ec).address().to_string();
    state_.sessions.insert(this);
  }
  ~Session() { state_.sessions.erase(this); }

  void Read() {
    if (state_.stopping) return Close();
    req_ = {};
    stream_.expires_after(kIdleTimeout);
    http::async_read(
        stream_, buffer_, req_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  // Aborts whatever the session is waiting for; its handlers then finish.
  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
    delay_.cancel();
  }

 private:
  void OnRead(beast::error_code ec) {
    if (ec || state_.stopping) return Close();
    // --close-after K: the (K+1)-th request on a connection is read, then dropped unanswered.
    if (state_.close_after > 0 && ++requests_ > state_.close_after) return Close();
    start_us_ = NowMicros();
    reply_ = Respond(req_, host_, client_, state_);
    if (state_.latency_ms <= 0) return Write();
    After(std::chrono::milliseconds(state_.latency_ms), &Session::Write);
  }

  // Calls (this->*next)() after delay unless the session is closed meanwhile.
  void After(std::chrono::milliseconds delay, void (Session::*next)()) {
    delay_.expires_after(delay);
    delay_.async_wait([self = shared_from_this(), next](beast::error_code ec) {
      if (!ec && !self->state_.stopping) ((*self).*next)();
    });
  }

  void Write() {
    stream_.expires_after(kIdleTimeout);
    switch (reply_.delivery) {
      case Delivery::kNormal:
        return http::async_write(
            stream_, reply_.res,
            [self = shared_from_this()](beast::error_code ec, size_t) { self->OnWrite(ec); });
      case Delivery::kReset:
        return Reset();
      default: {  // Headers now, then the body piece by piece (see NextPiece).
        std::ostringstream head;
        head << reply_.res.base();
        piece_ = head.str();
        pieces_ = 0;
        sent_ = 0;
        return WritePiece(false);
      }
    }
  }

  void OnWrite(beast::error_code ec) {
    if (ec) return Close();
    Log(reply_.res.body().size());
    if (!reply_.res.keep_alive()) return Close();
    Read();
  }

  void Log(size_t body_bytes) {
    state_.log.Write(start_us_, Std(req_.method_string()), Std(req_.target()),
                     reply_.delivery == Delivery::kReset ? 0 : reply_.res.result_int(), body_bytes,
                     local_);
  }

  // /hostile/reset: an RST instead of a response.
  void Reset() {
    Log(0);
    beast::error_code ec;
    stream_.socket().set_option(asio::socket_base::linger(true, 0), ec);
    stream_.close();
    delay_.cancel();
  }

  // Sets piece_ to the next part of the body; false when there is none left.
  bool NextPiece() {
    if (req_.method() == http::verb::head) return false;
    const std::string& body = reply_.res.body();
    const int index = pieces_++;
    switch (reply_.delivery) {
      case Delivery::kGenerated:
        return reply_.generate(&piece_);
      case Delivery::kTruncate:
        piece_ = body.substr(0, body.size() / 2);
        return index == 0;
      case Delivery::kTrickle:
        piece_ = body.substr(
            body.size() * index / kTricklePieces,
            body.size() * (index + 1) / kTricklePieces - body.size() * index / kTricklePieces);
        return index < kTricklePieces;
      default:
        return false;
    }
  }

  void WritePiece() { WritePiece(true); }
  void WritePiece(bool is_body) {
    stream_.expires_after(kIdleTimeout);
    asio::async_write(stream_, asio::buffer(piece_),
                      [self = shared_from_this(), is_body](beast::error_code ec, size_t) {
                        self->OnPiece(ec, is_body);
                      });
  }

  void OnPiece(beast::error_code ec, bool was_body) {
    if (ec || state_.stopping) return Close();
    if (was_body) sent_ += piece_.size();
    if (!NextPiece()) {
      Log(sent_);
      // A truncated response ends with the connection, as when a server dies mid-body.
      if (reply_.delivery == Delivery::kTruncate || !reply_.res.keep_alive()) return Close();
      return Read();
    }
    if (reply_.delivery == Delivery::kTrickle) return After(kTrickleGap, &Session::WritePiece);
    WritePiece(true);
  }

  beast::tcp_stream stream_;
  asio::steady_timer delay_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
  Reply reply_;
  std::string piece_;  // what is being written while streaming
  int pieces_ = 0;
  int requests_ = 0;  // read on this connection
  size_t sent_ = 0;
  int64_t start_us_ = 0;
  std::string local_, client_;
  const Host& host_;
  ServerState& state_;
};

}  // namespace

// --------------------------------------------------------- PortalSimulator

struct PortalSimulator::Impl {
  void Accept(size_t i) {
    acceptors[i]->async_accept([this, i](beast::error_code ec, tcp::socket socket) {
      if (state.stopping || !acceptors[i]->is_open()) return;
      if (!ec) std::make_shared<Session>(std::move(socket), *state.hosts[i], state)->Read();
      Accept(i);
    });
  }

  // Opens a listener per host, all on one port: options.port, or (if 0) the
  // kernel's pick for the first host. Returns an error message, or "".
  std::string Listen(beast::error_code* ec) {
    acceptors.clear();
    uint16_t port = options.port;
    for (const auto& host : state.hosts) {
      auto acceptor = std::make_unique<tcp::acceptor>(*ioc);
      const tcp::endpoint endpoint(asio::ip::make_address(host->address, *ec), port);
      if (!*ec) acceptor->open(endpoint.protocol(), *ec);
      if (!*ec) acceptor->set_option(asio::socket_base::reuse_address(true), *ec);
      if (!*ec) acceptor->bind(endpoint, *ec);
      if (!*ec) acceptor->listen(asio::socket_base::max_listen_connections, *ec);
      if (*ec)
        return "cannot listen on " + host->address + ":" + std::to_string(port) + ": " +
               ec->message();
      port = acceptor->local_endpoint().port();
      acceptors.push_back(std::move(acceptor));
    }
    return "";
  }

  const Host* Find(const std::string& family) const {
    for (const auto& host : state.hosts)
      if (host->family == family) return host.get();
    return nullptr;
  }

  SimulatorOptions options;
  std::string build_error;
  ServerState state;
  std::mutex mu;  // serializes Start() and Stop()
  std::unique_ptr<asio::io_context> ioc;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;  // by host
  std::thread thread;
  std::atomic<uint16_t> port{0};
};

PortalSimulator::PortalSimulator(SimulatorOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->state.latency_ms = impl_->options.latency_ms;
  impl_->state.close_after = impl_->options.close_after;
  impl_->state.night = impl_->options.night;
  if (impl_->options.night != 1 && impl_->options.night != 2)
    impl_->build_error = "night must be 1 or 2";
  else if (impl_->options.latency_ms < 0)
    impl_->build_error = "latency_ms must not be negative";
  else if (impl_->options.farm_hosts < 0 || impl_->options.farm_hosts > 254)
    impl_->build_error = "farm_hosts must be 0 ... 254";
  else if (impl_->options.close_after < 0)
    impl_->build_error = "close_after must not be negative";
  else
    impl_->build_error =
        BuildHosts(impl_->options, &impl_->state.hosts, &impl_->state.portals);
  for (const std::string& hide : impl_->options.hide) {
    const size_t slash = hide.find('/');
    if (slash == std::string::npos || slash == 0)
      impl_->build_error = "hide \"" + hide + "\": expected <address><path>";
    else
      impl_->state.hidden.insert(hide);
  }
  if (!impl_->build_error.empty()) {
    impl_->state.hosts.clear();
    impl_->state.portals.clear();
  }
}

PortalSimulator::~PortalSimulator() { Stop(); }

bool PortalSimulator::Start(std::string* error) {
  Impl& d = *impl_;
  std::lock_guard<std::mutex> lock(d.mu);
  std::string message = d.thread.joinable() ? "already started" : d.build_error;
  if (message.empty()) d.state.log.Open(d.options.request_log_path, &message);
  if (message.empty()) {
    d.ioc = std::make_unique<asio::io_context>(1);
    // A kernel-picked port may be taken on another address: pick again.
    for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
      beast::error_code ec;
      message = d.Listen(&ec);
      if (message.empty() || d.options.port != 0 || d.acceptors.empty() ||
          ec != asio::error::address_in_use)
        break;
    }
  }
  if (!message.empty()) {
    d.acceptors.clear();
    d.ioc.reset();
    d.state.log.Close();
    if (error != nullptr) *error = message;
    return false;
  }
  d.port = d.acceptors.front()->local_endpoint().port();
  for (const auto& host : d.state.hosts) {
    host->origin = "http://" + host->address + ":" + std::to_string(d.port);
    host->site.SetOrigin(host->origin);
  }
  d.state.port = std::to_string(d.port);
  d.state.hits.clear();
  d.state.stopping = false;
  for (size_t i = 0; i < d.acceptors.size(); ++i) d.Accept(i);
  d.thread = std::thread([&d] { d.ioc->run(); });
  return true;
}

void PortalSimulator::Stop() {
  Impl& d = *impl_;
  std::lock_guard<std::mutex> lock(d.mu);
  if (!d.thread.joinable()) return;
  // No work guard: once the listeners and every session are closed and their
  // handlers have run, run() returns by itself.
  asio::post(*d.ioc, [&d] {
    d.state.stopping = true;
    beast::error_code ec;
    for (auto& acceptor : d.acceptors) acceptor->close(ec);
    for (Session* session : d.state.sessions) session->Close();
  });
  d.thread.join();
  d.acceptors.clear();
  d.ioc.reset();
  d.state.log.Close();
  d.port = 0;
}

uint16_t PortalSimulator::port() const { return impl_->port; }

std::string PortalSimulator::base_url() const { return base_url("trs"); }

std::string PortalSimulator::column_url() const { return column_url("trs"); }

std::string PortalSimulator::base_url(const std::string& family) const {
  // Known before the hosts are built (and even if building failed).
  for (const FamilySpec& spec : kFamilies) {
    if (family != spec.family) continue;
    const std::string host = spec.address == nullptr ? impl_->options.bind_address : spec.address;
    const bool v6 = host.find(':') != std::string::npos;
    return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port());
  }
  // A second-rendering portal's host, by the portal's name.
  if (const Host* host = impl_->Find(family); host != nullptr)
    return "http://" + host->address + ":" + std::to_string(port());
  return "";
}

std::string PortalSimulator::column_url(const std::string& family) const {
  const Host* host = impl_->Find(family);
  if (host != nullptr) return base_url(family) + host->column;
  return family == "trs" ? base_url(family) + "/zwgk/zfxxgknb/index.shtml" : "";
}

std::vector<std::string> PortalSimulator::Families() {
  std::vector<std::string> families;
  for (const FamilySpec& spec : kFamilies) families.push_back(spec.family);
  return families;
}

void PortalSimulator::SetNight(int night) {
  if (night == 1 || night == 2) impl_->state.night = night;
}

int PortalSimulator::night() const { return impl_->state.night; }

std::vector<PortalSimulator::Page> PortalSimulator::Manifest() const {
  std::vector<Page> pages;
  for (const std::string& family : Families()) {
    std::vector<Page> more = Manifest(family);
    pages.insert(pages.end(), more.begin(), more.end());
  }
  return pages;
}

std::vector<PortalSimulator::Page> PortalSimulator::Manifest(const std::string& family) const {
  const Host* host = impl_->Find(family);
  if (host == nullptr) return {};
  std::vector<Page> pages = host->site.Manifest();
  for (Page& page : pages) {
    page.family = host->family;
    page.host = host->address;
  }
  return pages;
}

std::vector<PortalSimulator::Portal> PortalSimulator::Portals() const {
  return impl_->state.portals;
}

std::string PortalSimulator::ManifestJson() const {
  const uint16_t port = impl_->port != 0 ? impl_->port.load() : impl_->options.port;
  return internal::ManifestJson(impl_->state.portals, port == 0 ? "" : std::to_string(port));
}

void PortalSimulator::Hide(const std::string& address, const std::string& target) {
  std::lock_guard<std::mutex> lock(impl_->state.hidden_mu);
  impl_->state.hidden.insert(address + target);
}

void PortalSimulator::ClearHidden() {
  std::lock_guard<std::mutex> lock(impl_->state.hidden_mu);
  impl_->state.hidden.clear();
}

}  // namespace nianbao::sim
