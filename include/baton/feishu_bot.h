// The Feishu/Lark bot's voice: Feishu ignores the HTTP answer to an event, so a reply is posted
// through its IM API (a tenant_access_token, then the message). Feishu wants the event answered
// within 3 seconds and its API may be slow or down, so replies go through a bounded queue to one
// background thread: posting never blocks a request, a failure is logged to stderr and dropped.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "baton/result.h"
#include "baton/webhooks.h"

namespace baton {

/// A Feishu app's credentials (from the environment). Without an id and a secret no reply is sent.
struct FeishuApp {
  std::string app_id;                               ///< BATON_FEISHU_APP_ID
  std::string app_secret;                           ///< BATON_FEISHU_APP_SECRET
  std::string api_base = "https://open.feishu.cn";  ///< BATON_FEISHU_API_BASE (Lark: https://open.larksuite.com)
  bool configured() const { return !app_id.empty() && !app_secret.empty(); }
};

/// Replies waiting beyond this many are dropped (and logged): the API is not keeping up.
inline constexpr std::size_t feishu_queue_limit = 100;

/// Errors: an API base that is not an http:// or https:// URL.
Status check_feishu_app(const FeishuApp& app);

/// The JSON body of POST /open-apis/auth/v3/tenant_access_token/internal.
std::string feishu_token_request(const FeishuApp& app);

struct FeishuToken {
  std::string token;
  std::int64_t expires_in = 0;  ///< seconds
};
/// A token response {"code": 0, "tenant_access_token", "expire"}. Errors: not JSON, code != 0 (with msg).
Result<FeishuToken> parse_feishu_token(std::string_view body);

/// Sends FeishuMessages from a background thread, with the tenant token cached until shortly before
/// it expires (and fetched again after a failed send, in case it was revoked).
class FeishuBot {
 public:
  /// Starts the sender thread if `app` is configured; else send() drops everything.
  explicit FeishuBot(FeishuApp app);
  /// stop()s.
  ~FeishuBot();
  FeishuBot(const FeishuBot&) = delete;
  FeishuBot& operator=(const FeishuBot&) = delete;

  bool configured() const { return app_.configured(); }
  /// Queues a message; returns at once. False (logged) if not configured, stopped or the queue is full.
  bool send(FeishuMessage message);
  /// Finishes the message being sent, drops the rest (logged) and joins the thread. Idempotent.
  void stop();

 private:
  void run();
  void deliver(const FeishuMessage& message);
  Result<std::string> token();

  FeishuApp app_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<FeishuMessage> queue_;
  bool stopping_ = false;
  std::once_flag stopped_;
  std::string token_;  // only the sender thread touches these two
  std::int64_t token_expires_ = 0;
  std::thread thread_;
};

}  // namespace baton
