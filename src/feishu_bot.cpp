#include "baton/feishu_bot.h"

#include <httplib.h>

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "baton/text.h"

using nlohmann::json;

namespace baton {

namespace {

constexpr const char* token_path = "/open-apis/auth/v3/tenant_access_token/internal";
// Feishu hands out a new token when less than 30 minutes are left; asking 5 minutes early keeps a
// reply from going out with a token that expires on the way.
constexpr std::int64_t token_margin_seconds = 300;

std::int64_t steady_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void log(const std::string& what) {
  std::cerr << "baton: Feishu reply: " << sanitize_utf8(what) << std::endl;
}

httplib::Client client_for(const std::string& base) {
  httplib::Client c(base);
  c.set_connection_timeout(5, 0);
  c.set_read_timeout(10, 0);
  c.set_write_timeout(10, 0);
  return c;
}

// What went wrong with an API call, for the log: the transport error, or the status and Feishu's msg.
std::string failure(const httplib::Result& res) {
  if (!res) return "no answer (" + httplib::to_string(res.error()) + ")";
  const json j = json::parse(res->body, nullptr, false);
  std::string msg = j.is_object() && j.contains("msg") && j["msg"].is_string() ? j["msg"].get<std::string>()
                                                                               : res->body.substr(0, 200);
  return "HTTP " + std::to_string(res->status) + ": " + msg;
}

bool succeeded(const httplib::Result& res) {
  if (!res || res->status != 200) return false;
  const json j = json::parse(res->body, nullptr, false);
  return j.is_object() && j.contains("code") && j["code"] == 0;
}

}  // namespace

Status check_feishu_app(const FeishuApp& app) {
  if (!app.api_base.starts_with("https://") && !app.api_base.starts_with("http://"))
    return make_error("BATON_FEISHU_API_BASE must be an http:// or https:// URL, got '" + sanitize_utf8(app.api_base) +
                      "'");
  return Ok{};
}

std::string feishu_token_request(const FeishuApp& app) {
  return json{{"app_id", app.app_id}, {"app_secret", app.app_secret}}.dump(-1, ' ', false,
                                                                           json::error_handler_t::replace);
}

Result<FeishuToken> parse_feishu_token(std::string_view body) {
  const json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return make_error("the token answer is not a JSON object");
  if (!j.contains("code") || j["code"] != 0) {
    const std::string msg = j.contains("msg") && j["msg"].is_string() ? j["msg"].get<std::string>() : "no msg";
    return make_error("no tenant_access_token: " + msg + " (check BATON_FEISHU_APP_ID and BATON_FEISHU_APP_SECRET)");
  }
  if (!j.contains("tenant_access_token") || !j["tenant_access_token"].is_string() || !j.contains("expire") ||
      !j["expire"].is_number_integer())
    return make_error("the token answer has no tenant_access_token and expire");
  return FeishuToken{j["tenant_access_token"].get<std::string>(), j["expire"].get<std::int64_t>()};
}

FeishuBot::FeishuBot(FeishuApp app) : app_(std::move(app)) {
  while (!app_.api_base.empty() && app_.api_base.back() == '/') app_.api_base.pop_back();
  if (app_.configured()) thread_ = std::thread([this] { run(); });
}

FeishuBot::~FeishuBot() {
  stop();
}

bool FeishuBot::send(FeishuMessage message) {
  if (!configured()) return false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    if (queue_.size() >= feishu_queue_limit) {
      log("dropped: " + std::to_string(queue_.size()) + " replies are already waiting");
      return false;
    }
    queue_.push_back(std::move(message));
  }
  wake_.notify_one();
  return true;
}

void FeishuBot::stop() {
  // Once: the server's stop and its destructor both stop the bot, possibly from two threads.
  std::call_once(stopped_, [this] {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mutex_);
    if (!queue_.empty()) log("stopping: " + std::to_string(queue_.size()) + " replies not sent");
    queue_.clear();
  });
}

void FeishuBot::run() {
  for (;;) {
    FeishuMessage message;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      message = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      deliver(message);
    } catch (const std::exception& e) {  // httplib throws on a URL it cannot use: log, never end the server
      log(std::string("POST ") + message.path + " failed: " + e.what());
    }
  }
}

void FeishuBot::deliver(const FeishuMessage& message) {
  auto bearer = token();
  if (!bearer) return log(bearer.error().message);
  auto client = client_for(app_.api_base);
  const httplib::Headers headers{{"Authorization", "Bearer " + *bearer}};
  auto res = client.Post(message.path.c_str(), headers, message.body, "application/json; charset=utf-8");
  if (succeeded(res)) return;
  log("POST " + message.path + " failed: " + failure(res));
  token_expires_ = 0;  // a revoked or rotated token: the next reply fetches a fresh one
}

Result<std::string> FeishuBot::token() {
  if (!token_.empty() && steady_seconds() < token_expires_) return token_;
  auto client = client_for(app_.api_base);
  auto res = client.Post(token_path, feishu_token_request(app_), "application/json; charset=utf-8");
  if (!res || res->status != 200) return make_error(std::string("POST ") + token_path + " failed: " + failure(res));
  auto parsed = parse_feishu_token(res->body);
  if (!parsed) return parsed.error();
  token_ = parsed->token;
  token_expires_ = steady_seconds() + parsed->expires_in - token_margin_seconds;
  return token_;
}

}  // namespace baton
