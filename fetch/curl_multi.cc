#include "fetch/curl_multi.h"

#include <boost/asio/post.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <vector>

namespace nianbao::fetch {

namespace asio = boost::asio;

// One socket curl asked us to watch. Handlers hold a weak_ptr: after
// CURL_POLL_REMOVE the watcher is gone and a late completion does nothing.
struct CurlMulti::Watcher {
  Watcher(asio::io_context& io, curl_socket_t s) : fd(s), desc(io, s) {}
  ~Watcher() {
    boost::system::error_code ec;
    desc.cancel(ec);
    desc.release();  // curl owns the fd: never close it
  }
  curl_socket_t fd;
  asio::posix::stream_descriptor desc;
  int want = 0;  // CURL_POLL_IN | CURL_POLL_OUT bits
  bool reading = false, writing = false;
};

CurlMulti::CurlMulti(asio::io_context& io, long max_total_connections, long max_host_connections)
    : io_(io), multi_(curl_multi_init()), timer_(io) {
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlMulti::OnSocket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlMulti::OnTimer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, max_total_connections);
  curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, max_host_connections);
}

CurlMulti::~CurlMulti() {
  for (auto& [easy, done] : done_) curl_multi_remove_handle(multi_, easy);
  done_.clear();
  timer_.cancel();
  curl_multi_cleanup(multi_);  // may call OnSocket(REMOVE) for open sockets
  watchers_.clear();
}

void CurlMulti::Add(CURL* easy, Done done) {
  done_[easy] = std::move(done);
  curl_multi_add_handle(multi_, easy);  // curl arms its timer to start it
}

void CurlMulti::Cancel(CURL* easy) {
  auto it = done_.find(easy);
  if (it == done_.end()) return;
  Done done = std::move(it->second);
  done_.erase(it);
  curl_multi_remove_handle(multi_, easy);
  asio::post(io_, [done = std::move(done)] { done(CURLE_ABORTED_BY_CALLBACK); });
}

void CurlMulti::CancelAll() {
  std::vector<CURL*> all;
  for (const auto& [easy, done] : done_) all.push_back(easy);
  for (CURL* easy : all) Cancel(easy);
}

int CurlMulti::OnSocket(CURL*, curl_socket_t s, int what, void* userp, void* socketp) {
  auto* self = static_cast<CurlMulti*>(userp);
  if (what == CURL_POLL_REMOVE) {
    self->watchers_.erase(s);  // cancels pending waits; handlers see an expired weak_ptr
    curl_multi_assign(self->multi_, s, nullptr);
    return 0;
  }
  std::shared_ptr<Watcher> w;
  auto it = self->watchers_.find(s);
  if (it == self->watchers_.end() || !socketp) {
    w = std::make_shared<Watcher>(self->io_, s);
    self->watchers_[s] = w;
    curl_multi_assign(self->multi_, s, w.get());
  } else {
    w = it->second;
  }
  w->want = what;
  self->Arm(w);
  return 0;
}

void CurlMulti::Arm(const std::shared_ptr<Watcher>& w) {
  if (w->want & CURL_POLL_IN) Wait(w, asio::posix::stream_descriptor::wait_read);
  if (w->want & CURL_POLL_OUT) Wait(w, asio::posix::stream_descriptor::wait_write);
}

// One readiness wait in one direction; after curl has acted on it, waits
// again as long as curl still wants that direction (curl/curl#1191).
void CurlMulti::Wait(const std::shared_ptr<Watcher>& w, asio::posix::stream_descriptor::wait_type type) {
  const bool read = type == asio::posix::stream_descriptor::wait_read;
  bool& pending = read ? w->reading : w->writing;
  if (pending) return;
  pending = true;
  std::weak_ptr<Watcher> weak = w;
  w->desc.async_wait(type, [this, weak, read](const boost::system::error_code& ec) {
    auto w = weak.lock();
    if (!w) return;  // curl said CURL_POLL_REMOVE meanwhile
    (read ? w->reading : w->writing) = false;
    if (ec) return;
    curl_socket_t fd = w->fd;
    w.reset();
    Action(fd, read ? CURL_CSELECT_IN : CURL_CSELECT_OUT);
    if (auto again = weak.lock()) Arm(again);
  });
}

int CurlMulti::OnTimer(CURLM*, long timeout_ms, void* userp) {
  auto* self = static_cast<CurlMulti*>(userp);
  if (timeout_ms < 0) {
    self->timer_.cancel();
    return 0;
  }
  // Never call back into curl from inside this callback: even 0 waits 1 ms.
  self->timer_.expires_after(std::chrono::milliseconds(std::max(timeout_ms, 1L)));
  self->timer_.async_wait([self](const boost::system::error_code& ec) {
    if (!ec) self->Action(CURL_SOCKET_TIMEOUT, 0);
  });
  return 0;
}

void CurlMulti::Action(curl_socket_t s, int flags) {
  int running = 0;
  curl_multi_socket_action(multi_, s, flags, &running);
  DrainFinished();
}

void CurlMulti::DrainFinished() {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    CURL* easy = msg->easy_handle;
    CURLcode code = msg->data.result;  // copy before remove_handle invalidates msg
    curl_multi_remove_handle(multi_, easy);
    auto it = done_.find(easy);
    if (it == done_.end()) continue;
    Done done = std::move(it->second);
    done_.erase(it);
    asio::post(io_, [done = std::move(done), code] { done(code); });
  }
}

}  // namespace nianbao::fetch
