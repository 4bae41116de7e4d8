#include "daemon/admin_http.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <chrono>

namespace nianbao {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Enough that a few dozen slow or idle clients (slow-loris) cannot keep a
// health check out; each holds a small buffer.
constexpr size_t kMaxConnections = 256;
constexpr size_t kHeaderLimit = 8 << 10;
constexpr size_t kBodyLimit = 64 << 10;
constexpr auto kExchangeTimeout = std::chrono::seconds(5);

// "host:port" / "[v6]:port" → host, port; false if malformed.
bool SplitHostPort(const std::string& listen, std::string* host, std::string* port) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) return false;
  *host = listen.substr(0, colon);
  *port = listen.substr(colon + 1);
  if (host->size() > 2 && host->front() == '[' && host->back() == ']') *host = host->substr(1, host->size() - 2);
  return true;
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && Hex(s[i + 1]) >= 0 && Hex(s[i + 2]) >= 0) {
      out += static_cast<char>(Hex(s[i + 1]) * 16 + Hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

AdminRequest ParseTarget(std::string method, std::string_view target) {
  AdminRequest r;
  r.method = std::move(method);
  size_t q = target.find('?');
  r.path = Decode(target.substr(0, q));
  std::string_view rest = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    size_t eq = pair.find('=');
    if (!pair.empty()) {
      r.query.emplace(Decode(pair.substr(0, eq)), eq == std::string_view::npos ? "" : Decode(pair.substr(eq + 1)));
    }
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
  }
  return r;
}

}  // namespace

std::string QueryEncode(std::string_view value) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Sessions hold a shared_ptr to the Impl so a Close() during an exchange is safe.
class AdminServer::Impl : public std::enable_shared_from_this<AdminServer::Impl> {
 public:
  Impl(asio::io_context& io, Handler handler) : acceptor_(io), handler_(std::move(handler)) {}

  Status Listen(const std::string& listen) {
    std::string host, port;
    if (!SplitHostPort(listen, &host, &port)) return Status::InvalidArgument("expected host:port", listen);
    beast::error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (ec) return Status::InvalidArgument("not an IP address: " + host, listen);
    tcp::endpoint endpoint(address, static_cast<unsigned short>(std::stoi(port)));
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return Status::IOError("cannot listen: " + ec.message(), listen);
    Accept();
    return Status::OK();
  }

  std::string local_address() const {
    beast::error_code ec;
    auto ep = acceptor_.local_endpoint(ec);
    if (ec) return "";
    std::string host = ep.address().to_string();
    if (ep.address().is_v6()) host = "[" + host + "]";
    return host + ":" + std::to_string(ep.port());
  }

  void Close() {
    beast::error_code ec;
    acceptor_.close(ec);
  }

  void RequireToken(std::string token) { token_ = std::move(token); }

 private:
  struct Session {
    explicit Session(tcp::socket s) : stream(std::move(s)) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    http::request_parser<http::string_body> parser;
    http::response<http::string_body> response;
  };

  void Accept() {
    acceptor_.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;
      if (!ec) {
        if (self->sessions_ >= kMaxConnections) {
          socket.close(ec);  // over the bound: refused, not queued
        } else {
          self->Read(std::make_shared<Session>(std::move(socket)));
        }
      }
      self->Accept();
    });
  }

  void Read(std::shared_ptr<Session> s) {
    ++sessions_;
    s->parser.header_limit(kHeaderLimit);
    s->parser.body_limit(kBodyLimit);
    s->stream.expires_after(kExchangeTimeout);
    http::async_read(s->stream, s->buffer, s->parser, [self = shared_from_this(), s](beast::error_code ec, size_t) {
      if (ec) {
        self->End(s);
        return;
      }
      const auto& req = s->parser.get();
      const std::string_view target(req.target().data(), req.target().size());
      AdminResponse out = self->Refusal(req);
      if (out.status == 0) out = self->handler_(ParseTarget(std::string(req.method_string()), target));
      s->response.version(req.version());
      s->response.result(static_cast<http::status>(out.status));
      s->response.set(http::field::server, "nianbao");
      s->response.set(http::field::content_type, out.content_type);
      s->response.set(http::field::cache_control, "no-store");
      s->response.keep_alive(false);
      s->response.body() = std::move(out.body);
      s->response.prepare_payload();
      http::async_write(s->stream, s->response, [self, s](beast::error_code, size_t) { self->End(s); });
    });
  }

  // A request addressed to another host (DNS rebinding: a web page's name
  // resolving to this address) or sent by a web page of another origin
  // (a local browser posting a form) is refused: the endpoint answers only
  // requests made for it, by name or address. {0} when it may go on.
  AdminResponse Refusal(const http::request<http::string_body>& req) const {
    const std::string self = local_address();
    const std::string port = self.substr(self.rfind(':') + 1);
    const auto ours = [&](std::string_view host) {
      return host == self || host == "localhost:" + port || host == "127.0.0.1:" + port || host == "[::1]:" + port;
    };
    const std::string_view host(req[http::field::host].data(), req[http::field::host].size());
    if (!ours(host)) {
      return {421, "text/plain; charset=utf-8", "refused: Host must be this endpoint (" + self + ")\n"};
    }
    if (!token_.empty()) {
      const std::string_view target(req.target().data(), req.target().size());
      const std::string_view path = target.substr(0, target.find('?'));
      const bool probe = req.method() == http::verb::get && (path == "/healthz" || path == "/readyz");
      const std::string_view auth(req[http::field::authorization].data(), req[http::field::authorization].size());
      const std::string expected = "Bearer " + token_;
      // Compared in constant time: the answer does not tell how much of it matched.
      unsigned char diff = auth.size() != expected.size();
      for (size_t i = 0; i < expected.size(); ++i) diff |= (i < auth.size() ? auth[i] : 0) ^ expected[i];
      if (!probe && diff != 0) {
        return {401, "text/plain; charset=utf-8", "refused: Authorization: Bearer TOKEN required (admin.token_file)\n"};
      }
    }
    if (req.find(http::field::origin) != req.end()) {
      const std::string_view origin(req[http::field::origin].data(), req[http::field::origin].size());
      if (origin.substr(0, 7) != "http://" || !ours(origin.substr(7))) {
        return {403, "text/plain; charset=utf-8", "refused: requests from web pages of another origin\n"};
      }
    }
    return {0, "", ""};
  }

  void End(const std::shared_ptr<Session>& s) {
    beast::error_code ec;
    s->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    s->stream.close();
    --sessions_;
  }

  tcp::acceptor acceptor_;
  Handler handler_;
  std::string token_;
  size_t sessions_ = 0;
};

AdminServer::AdminServer(asio::io_context& io, Handler handler)
    : impl_(std::make_shared<Impl>(io, std::move(handler))) {}

AdminServer::~AdminServer() { impl_->Close(); }

Status AdminServer::Listen(const std::string& listen) { return impl_->Listen(listen); }
std::string AdminServer::local_address() const { return impl_->local_address(); }
void AdminServer::Close() { impl_->Close(); }
void AdminServer::RequireToken(std::string token) { impl_->RequireToken(std::move(token)); }

Result<AdminResponse> AdminCall(const std::string& listen, const std::string& method, const std::string& target,
                                int timeout_s, const std::string& token) {
  std::string host, port;
  if (!SplitHostPort(listen, &host, &port)) return Status::InvalidArgument("expected host:port", listen);
  asio::io_context io;
  beast::tcp_stream stream(io);
  tcp::resolver resolver(io);
  beast::error_code ec;
  auto endpoints = resolver.resolve(host, port, ec);
  if (ec) return Status::IOError("cannot resolve: " + ec.message(), listen);
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, listen);
  req.set(http::field::user_agent, "nianbao");
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
  req.prepare_payload();
  http::response_parser<http::string_body> parser;
  parser.body_limit(8 << 20);
  beast::flat_buffer buffer;
  Status result = Status::OK();
  stream.expires_after(std::chrono::seconds(timeout_s));
  stream.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) {
    if (e) {
      result = Status::IOError("cannot connect: " + e.message(), listen);
      return;
    }
    http::async_write(stream, req, [&](beast::error_code we, size_t) {
      if (we) {
        result = Status::IOError("cannot send: " + we.message(), listen);
        return;
      }
      http::async_read(stream, buffer, parser, [&](beast::error_code re, size_t) {
        if (re) result = Status::IOError("no answer: " + re.message(), listen);
      });
    });
  });
  io.run();
  if (!result.ok()) return result;
  AdminResponse out;
  out.status = static_cast<int>(parser.get().result_int());
  out.content_type = std::string(parser.get()[http::field::content_type]);
  out.body = std::move(parser.get().body());
  return out;
}

}  // namespace nianbao
