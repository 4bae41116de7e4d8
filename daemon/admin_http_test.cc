#include "daemon/admin_http.h"

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <thread>

using namespace nianbao;

TEST_SUITE("daemon/admin_http") {
  TEST_CASE("a query value encoded by QueryEncode arrives decoded, over loopback") {
    const std::string portal = "潼南区 a&b=c+d%";
    CHECK(QueryEncode("abc-_.9") == "abc-_.9");
    CHECK(QueryEncode("a b&") == "a%20b%26");
    boost::asio::io_context io;
    std::string seen_path, seen_portal;
    AdminServer server(io, [&](const AdminRequest& r) {
      seen_path = r.path;
      auto it = r.query.find("portal");
      seen_portal = it == r.query.end() ? "" : it->second;
      return AdminResponse{202, "text/plain", "queued\n"};
    });
    REQUIRE(server.Listen("127.0.0.1:0").ok());
    std::thread loop([&] { io.run_for(std::chrono::seconds(10)); });
    auto reply = AdminCall(server.local_address(), "POST", "/backfill?portal=" + QueryEncode(portal));
    io.stop();
    loop.join();
    REQUIRE(reply.ok());
    CHECK(reply.value().status == 202);
    CHECK(reply.value().body == "queued\n");
    CHECK(seen_path == "/backfill");
    CHECK(seen_portal == portal);
  }
}
