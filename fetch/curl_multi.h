// The bridge between libcurl's multi-socket API and a Boost.Asio
// io_context (../shared/docs/style-by-example.md §6.3): curl says which
// sockets to watch and when to time out; Asio waits (never reads) on the
// sockets and on one timer and hands readiness back to curl with
// curl_multi_socket_action. No thread per transfer, no curl_easy_perform.
//
// Thread: every method, and every completion, runs on the io_context's one
// thread. Not copyable.
#ifndef NIANBAO_FETCH_CURL_MULTI_H_
#define NIANBAO_FETCH_CURL_MULTI_H_

#include <curl/curl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <memory>

namespace nianbao::fetch {

class CurlMulti {
 public:
  using Done = std::function<void(CURLcode)>;

  CurlMulti(boost::asio::io_context& io, long max_total_connections, long max_host_connections);
  ~CurlMulti();  // removes (without completing) every transfer still running
  CurlMulti(const CurlMulti&) = delete;
  CurlMulti& operator=(const CurlMulti&) = delete;

  // Starts `easy`. `done` is called once, on the io thread, when it ends.
  // The caller keeps ownership of `easy` and must not free it before `done`.
  void Add(CURL* easy, Done done);

  // Stops `easy` if running; its `done` is called with CURLE_ABORTED_BY_CALLBACK.
  void Cancel(CURL* easy);

  // Cancel() for every running transfer.
  void CancelAll();


 private:
  struct Watcher;
  static int OnSocket(CURL* easy, curl_socket_t s, int what, void* userp, void* socketp);
  static int OnTimer(CURLM* multi, long timeout_ms, void* userp);
  void Arm(const std::shared_ptr<Watcher>& w);
  void Wait(const std::shared_ptr<Watcher>& w, boost::asio::posix::stream_descriptor::wait_type type);
  void Action(curl_socket_t s, int flags);
  void DrainFinished();

  boost::asio::io_context& io_;
  CURLM* multi_;
  boost::asio::steady_timer timer_;
  std::map<curl_socket_t, std::shared_ptr<Watcher>> watchers_;
  std::map<CURL*, Done> done_;
};

}  // namespace nianbao::fetch

#endif  // NIANBAO_FETCH_CURL_MULTI_H_
