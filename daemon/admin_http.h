// The admin endpoint of `nianbao serve` (Boost.Beast): a small HTTP/1.1
// server on admin.listen, and the client `nianbao backfill` uses to hand its
// work to a running service. One request per connection (Connection: close);
// requests are small and bounded: 8 KiB of headers, 64 KiB of body, 5 s to
// arrive; at most 256 connections at once (more are closed at once), so a
// few dozen slow clients cannot keep a health check out. A request whose
// Host is not this endpoint (by its address, or localhost) gets 421, and one
// with the Origin of another site 403: a web page in a local browser cannot
// drive it (DNS rebinding, cross-site forms).
#ifndef NIANBAO_DAEMON_ADMIN_HTTP_H_
#define NIANBAO_DAEMON_ADMIN_HTTP_H_

#include <boost/asio/io_context.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "config/status.h"

namespace nianbao {

struct AdminRequest {
  std::string method;  // "GET", "POST", …
  std::string path;    // without the query
  std::multimap<std::string, std::string> query;  // decoded ?a=b&c=d
};

struct AdminResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

class AdminServer {
 public:
  using Handler = std::function<AdminResponse(const AdminRequest&)>;

  // `handler` is called on `io`'s thread, one request at a time.
  AdminServer(boost::asio::io_context& io, Handler handler);
  ~AdminServer();

  // Binds and listens on "host:port" ("[v6]:port" for IPv6; port 0 = any
  // free port). InvalidArgument / IOError naming the address.
  Status Listen(const std::string& listen);
  // "host:port" actually bound (the port filled in when 0 was asked).
  std::string local_address() const;
  // Requires "Authorization: Bearer `token`" on every request but GET
  // /healthz and /readyz (401 otherwise); "" requires none.
  void RequireToken(std::string token);
  // Stops accepting; open exchanges finish.
  void Close();

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

// `value` percent-encoded for a query string: what AdminServer decodes
// back into AdminRequest::query.
std::string QueryEncode(std::string_view value);

// One request to the admin endpoint at `listen` ("host:port"), with the
// bearer `token` if not empty; the response or IOError (nothing listening,
// timeout after `timeout_s`).
Result<AdminResponse> AdminCall(const std::string& listen, const std::string& method, const std::string& target,
                                int timeout_s = 10, const std::string& token = "");

}  // namespace nianbao

#endif  // NIANBAO_DAEMON_ADMIN_HTTP_H_
