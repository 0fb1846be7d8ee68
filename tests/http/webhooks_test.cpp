// The chat webhooks against the real `baton serve` over the demo, started with every platform's secret
// and a fake Feishu open platform API (on 127.0.0.1, in this process) for the bot's replies.
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "baton/webhooks.h"
#include "http/process.h"
#include "test_util.h"

using nlohmann::json;
using namespace baton;

namespace {

constexpr const char* slack_secret = "slack-signing-secret";
constexpr const char* dingtalk_secret = "SECdingtalk";
constexpr const char* feishu_token = "feishu-verification";
constexpr const char* wecom_token = "wecomtoken";
constexpr const char* wecom_aes = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
constexpr const char* wecom_corp = "ww-corp";
constexpr const char* public_url = "https://kb.test";
constexpr const char* feishu_key = "feishu-encrypt-key";
constexpr const char* feishu_app_id = "cli_test_app";
constexpr const char* feishu_app_secret = "feishu-app-secret";
constexpr const char* fake_token = "t-fake-tenant-token";

// Feishu's open platform as far as the bot uses it: the tenant token and the two message endpoints.
// Every call is recorded; a reply to the message "om-fail" fails the way Feishu says no.
class FakeFeishu {
 public:
  struct Call {
    std::string path;  // with the query
    std::string authorization;
    json body;
  };

  FakeFeishu() {
    server_.Post("/open-apis/auth/v3/tenant_access_token/internal", [this](const httplib::Request& req, httplib::Response& res) {
      record(req);
      res.set_content(json{{"code", 0}, {"msg", "ok"}, {"tenant_access_token", fake_token}, {"expire", 7200}}.dump(),
                      "application/json");
    });
    server_.Post(R"(/open-apis/im/v1/messages(/[^/]+/reply)?)", [this](const httplib::Request& req, httplib::Response& res) {
      record(req);
      if (req.path.find("om-fail") != std::string::npos) {
        res.status = 400;
        return res.set_content(R"({"code":230002,"msg":"Bot/User can NOT be out of the chat."})", "application/json");
      }
      res.set_content(R"({"code":0,"msg":"success","data":{"message_id":"om_reply"}})", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakeFeishu() {
    server_.stop();
    thread_.join();
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }

  std::vector<Call> calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  std::size_t token_calls() {
    std::size_t n = 0;
    for (const Call& c : calls()) n += c.path.starts_with("/open-apis/auth/");
    return n;
  }
  // The first call to `path` (waiting up to 20 s for the bot to make it), or nullopt.
  std::optional<Call> wait_for(const std::string& path) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      for (const Call& c : calls())
        if (c.path == path) return c;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return std::nullopt;
  }
  std::size_t count(const std::string& path) {
    std::size_t n = 0;
    for (const Call& c : calls()) n += c.path == path;
    return n;
  }

 private:
  void record(const httplib::Request& req) {
    std::string path = req.path;
    if (req.has_param("receive_id_type")) path += "?receive_id_type=" + req.get_param_value("receive_id_type");
    std::lock_guard lock(mutex_);
    calls_.push_back({path, req.get_header_value("Authorization"), json::parse(req.body, nullptr, false)});
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<Call> calls_;
};

class WebhookServer {
 public:
  static WebhookServer& get() {
    static WebhookServer server;
    return server;
  }
  httplib::Client client() const { return served_.client(); }
  FakeFeishu& feishu_api() { return feishu_; }

 private:
  WebhookServer()
      : served_({"--data-dir", data_.path().string(), test::demo_root()},
                {{"BATON_SLACK_SIGNING_SECRET", slack_secret}, {"BATON_DINGTALK_SECRET", dingtalk_secret},
                 {"BATON_FEISHU_VERIFICATION_TOKEN", feishu_token}, {"BATON_FEISHU_ENCRYPT_KEY", feishu_key},
                 {"BATON_FEISHU_APP_ID", feishu_app_id}, {"BATON_FEISHU_APP_SECRET", feishu_app_secret},
                 {"BATON_FEISHU_API_BASE", feishu_.base()}, {"BATON_WECOM_TOKEN", wecom_token},
                 {"BATON_WECOM_AES_KEY", wecom_aes}, {"BATON_WECOM_CORP_ID", wecom_corp}, {"BATON_PUBLIC_URL", public_url}}) {}
  FakeFeishu feishu_;  // outlives the server that calls it
  test::TempDir data_;
  test::Served served_;
};

std::int64_t now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string hmac_hex(const std::string& key, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &n);
  std::string hex;
  char buf[3];
  for (unsigned i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", out[i]);
    hex += buf;
  }
  return hex;
}

struct Reply {
  int status = 0;
  std::string body;
  json json_body;
};

Reply reply_of(const httplib::Result& res) {
  REQUIRE(res);
  INFO(res->status << " " << res->body);
  Reply r{res->status, res->body, json::parse(res->body, nullptr, false)};
  if (r.status >= 400) {
    CHECK_THAT(res->get_header_value("Content-Type"), Catch::StartsWith("application/json"));
    REQUIRE_FALSE(r.json_body.is_discarded());
    CHECK(r.json_body.contains("error"));
  }
  return r;
}

Reply post(const std::string& path, const httplib::Headers& headers, const std::string& body, const char* type) {
  return reply_of(WebhookServer::get().client().Post(path.c_str(), headers, body, type));
}

json questions() {
  auto res = WebhookServer::get().client().Get("/api/questions?limit=100");
  REQUIRE(res);
  return json::parse(res->body);
}

std::int64_t total() { return questions()["total"]; }

// The stored question with this text, or null.
json stored(const std::string& text) {
  const json all = questions();
  for (const auto& q : all["questions"])
    if (q["question"] == text) return q;
  return nullptr;
}

Reply slack(const std::string& body, std::int64_t ts, const std::string& secret = slack_secret) {
  const std::string t = std::to_string(ts);
  return post("/api/webhooks/slack",
              {{"X-Slack-Request-Timestamp", t}, {"X-Slack-Signature", "v0=" + hmac_hex(secret, "v0:" + t + ":" + body)}},
              body, "application/x-www-form-urlencoded");
}

Reply dingtalk(const std::string& body, std::int64_t ts_ms, const std::string& secret = dingtalk_secret) {
  const std::string t = std::to_string(ts_ms);
  return post("/api/webhooks/dingtalk", {{"timestamp", t}, {"sign", dingtalk_signature(secret, t)}}, body,
              "application/json");
}

// An im.message.receive_v1 event; ids derive from `id` unless given.
json feishu_event(const std::string& text, std::int64_t created_ms, const std::string& token = feishu_token,
                  const std::string& id = "1", bool with_message_id = true) {
  json message = {{"chat_id", "oc-chat-" + id}, {"message_type", "text"}, {"content", json{{"text", "@_user_1 " + text}}.dump()}};
  if (with_message_id) message["message_id"] = "om-" + id;
  return {{"schema", "2.0"},
          {"header", {{"event_id", "ev-" + id}, {"token", token}, {"create_time", std::to_string(created_ms)},
                      {"event_type", "im.message.receive_v1"}}},
          {"event", {{"sender", {{"sender_id", {{"open_id", "ou_x"}, {"user_id", "feishu-user"}}}}}, {"message", message}}}};
}

Reply feishu(const std::string& body) { return post("/api/webhooks/feishu", {}, body, "application/json"); }

// {"encrypt": ...} the way Feishu encrypts with the app's Encrypt Key.
std::string encrypted(const json& event, const std::string& key = feishu_key) {
  return json{{"encrypt", feishu_encrypt(key, event.dump(), "0123456789abcdef").value()}}.dump();
}

// A body with Feishu's signature headers (X-Lark-Signature over timestamp + nonce + key + body).
Reply feishu_signed(const std::string& body, std::int64_t ts, const std::string& key = feishu_key) {
  const std::string t = std::to_string(ts), nonce = "nonce-" + t;
  return post("/api/webhooks/feishu",
              {{"X-Lark-Request-Timestamp", t}, {"X-Lark-Request-Nonce", nonce},
               {"X-Lark-Signature", feishu_signature(t, nonce, key, body)}},
              body, "application/json");
}

FakeFeishu& feishu_api() { return WebhookServer::get().feishu_api(); }

}  // namespace

TEST_CASE("Slack: a signed slash command is stored and answered ephemerally; bad ones store nothing", "[http][webhooks]") {
  const std::int64_t before = total();
  const std::string body = "token=x&team_id=T1&user_id=U1&user_name=roadrunner&command=%2Fbaton&text=" +
                           httplib::detail::encode_query_param("退款流程是怎样的？");
  for (const Reply& bad : {slack(body, now(), "wrong-secret"), slack(body, now() - 600), slack(body, now() + 600),
                           post("/api/webhooks/slack", {}, body, "application/x-www-form-urlencoded"),
                           slack("user_name=x&text=", now()), slack(body + std::string(70 << 10, 'a'), now())})
    CHECK((bad.status >= 400 && bad.status < 500));
  CHECK(slack(body, now() - 600).status == 401);
  CHECK(slack(body, now(), "wrong-secret").status == 401);
  CHECK(slack(body + std::string(70 << 10, 'a'), now()).status == 413);
  CHECK(total() == before);

  const Reply ok = slack(body, now());
  REQUIRE(ok.status == 200);
  CHECK(ok.json_body["response_type"] == "ephemeral");
  CHECK_THAT(ok.json_body["text"].get<std::string>(), Catch::Contains("<https://kb.test/#/doc/"));
  CHECK_THAT(ok.json_body["text"].get<std::string>(), Catch::Contains("退款处理流程"));
  const json q = stored("退款流程是怎样的？");
  REQUIRE_FALSE(q.is_null());
  CHECK(q["channel"] == "slack");
  CHECK(q["asker"] == "roadrunner");
}

TEST_CASE("DingTalk: a signed outgoing message gets a markdown reply; bad ones store nothing", "[http][webhooks]") {
  const std::int64_t before = total();
  const std::string body = json{{"msgtype", "text"}, {"text", {{"content", " 钉钉里问：报销流程？"}}},
                                {"senderNick", "张三"}, {"conversationType", "2"}}.dump();
  const std::int64_t ms = now() * 1000;
  CHECK(dingtalk(body, ms, "SECwrong").status == 401);
  CHECK(dingtalk(body, ms - 600'000).status == 401);
  CHECK(post("/api/webhooks/dingtalk", {}, body, "application/json").status == 401);
  CHECK(dingtalk("not json", ms).status == 400);
  CHECK(dingtalk(R"({"msgtype":"text","text":{}})", ms).status == 400);
  CHECK(dingtalk(R"({"msgtype":"image"})", ms).status == 400);
  CHECK(dingtalk(std::string(70 << 10, ' '), ms).status == 413);
  CHECK(total() == before);

  const Reply ok = dingtalk(body, ms);
  REQUIRE(ok.status == 200);
  CHECK(ok.json_body["msgtype"] == "markdown");
  CHECK(ok.json_body["markdown"]["title"].is_string());
  CHECK(ok.json_body["markdown"]["text"].is_string());
  const json q = stored("钉钉里问：报销流程？");
  REQUIRE_FALSE(q.is_null());
  CHECK(q["channel"] == "dingtalk");
  CHECK(q["asker"] == "张三");
}

TEST_CASE("Feishu: the URL challenge, a message event stored, wrong token and stale events refused", "[http][webhooks]") {
  const Reply challenge =
      feishu(json{{"type", "url_verification"}, {"challenge", "ch-123"}, {"token", feishu_token}}.dump());
  REQUIRE(challenge.status == 200);
  CHECK(challenge.json_body == json{{"challenge", "ch-123"}});
  CHECK(feishu(json{{"type", "url_verification"}, {"challenge", "c"}, {"token", "wrong"}}.dump()).status == 401);

  const std::int64_t before = total();
  const std::int64_t ms = now() * 1000;
  CHECK(feishu(feishu_event("飞书里问：退款流程？", ms, "wrong").dump()).status == 401);
  CHECK(feishu(feishu_event("飞书里问：退款流程？", ms - 600'000).dump()).status == 401);
  const Reply encrypted = feishu(R"({"encrypt":"FIAfJPGRmFZWkaxPQ1XrJZVbv2JwdjfLk4jx0k/U1deAqYK3AXOZ5zcHt/cC4ZNTqYwWUW/EoL+b2hW/C4zoAQQ=="})");
  CHECK(encrypted.status == 400);  // Feishu's sample: not of this app
  CHECK_THAT(encrypted.json_body["error"].get<std::string>(), Catch::Contains("encrypt"));
  CHECK(feishu("{").status == 400);
  CHECK(feishu(R"({"schema":"2.0","header":{"token":"feishu-verification"}})").status == 401);  // no create_time
  CHECK(total() == before);

  const Reply ok = feishu(feishu_event("飞书里问：退款流程？", ms).dump());
  REQUIRE(ok.status == 200);
  CHECK_THAT(ok.json_body["text"].get<std::string>(), Catch::Contains("https://kb.test/#/doc/"));
  const json q = stored("飞书里问：退款流程？");
  REQUIRE_FALSE(q.is_null());
  CHECK(q["channel"] == "feishu");
  CHECK(q["asker"] == "feishu-user");
}

TEST_CASE("Feishu: encrypted events are decrypted, signatures checked; bad ones store nothing", "[http][webhooks]") {
  // The URL challenge comes encrypted and unsigned; the answer is the plain challenge.
  const Reply challenge =
      feishu(encrypted({{"type", "url_verification"}, {"challenge", "ch-enc"}, {"token", feishu_token}}));
  REQUIRE(challenge.status == 200);
  CHECK(challenge.json_body == json{{"challenge", "ch-enc"}});
  CHECK(feishu(encrypted({{"type", "url_verification"}, {"challenge", "c"}, {"token", "wrong"}})).status == 401);

  const std::int64_t before = total();
  const std::int64_t ms = now() * 1000;
  const std::string text = "加密事件：怎么退款？";
  const std::string body = encrypted(feishu_event(text, ms, feishu_token, "enc-1"));
  const std::string t = std::to_string(now());
  const auto bad_signature = post("/api/webhooks/feishu",
                                  {{"X-Lark-Request-Timestamp", t}, {"X-Lark-Request-Nonce", "n"},
                                   {"X-Lark-Signature", feishu_signature(t, "n", "another-key", body)}},
                                  body, "application/json");
  CHECK(bad_signature.status == 401);
  CHECK(post("/api/webhooks/feishu", {{"X-Lark-Signature", "00"}}, body, "application/json").status == 401);
  CHECK(feishu_signed(body, now() - 600).status == 401);  // signed right, but stale
  // Signed for `body`, but another body is sent.
  const Reply tampered = post("/api/webhooks/feishu",
                              {{"X-Lark-Request-Timestamp", t}, {"X-Lark-Request-Nonce", "n"},
                               {"X-Lark-Signature", feishu_signature(t, "n", feishu_key, body)}},
                              encrypted(feishu_event(text, ms, feishu_token, "enc-2")), "application/json");
  CHECK(tampered.status == 401);
  const Reply wrong_key = feishu_signed(encrypted(feishu_event(text, ms, feishu_token, "enc-x"), "another-key"), now());
  CHECK(wrong_key.status == 400);
  CHECK_THAT(wrong_key.json_body["error"].get<std::string>(), Catch::Contains("decrypt"));
  CHECK(feishu_signed(R"({"encrypt":"bm90IEFFUw=="})", now()).status == 400);
  CHECK(feishu_signed(R"({"encrypt":"***"})", now()).status == 400);
  CHECK(feishu_signed(R"({"encrypt":7})", now()).status == 400);
  CHECK(feishu_signed(encrypted(feishu_event(text, ms, "wrong-token", "enc-y")), now()).status == 401);
  CHECK(total() == before);

  const Reply ok = feishu_signed(body, now());
  REQUIRE(ok.status == 200);
  CHECK_THAT(ok.json_body["text"].get<std::string>(), Catch::Contains("https://kb.test/#/doc/"));
  const json q = stored(text);
  REQUIRE_FALSE(q.is_null());
  CHECK(q["channel"] == "feishu");
  CHECK(q["count"] == 1);
  CHECK(feishu_api().wait_for("/open-apis/im/v1/messages/om-enc-1/reply"));
}

TEST_CASE("Feishu: the answer is posted through the IM API with a cached tenant token", "[http][webhooks]") {
  const std::int64_t ms = now() * 1000;
  REQUIRE(feishu(feishu_event("飞书机器人：发票怎么开？", ms, feishu_token, "api-1").dump()).status == 200);
  const auto reply = feishu_api().wait_for("/open-apis/im/v1/messages/om-api-1/reply");
  REQUIRE(reply);
  CHECK(reply->authorization == std::string("Bearer ") + fake_token);
  CHECK(reply->body["msg_type"] == "text");
  CHECK(reply->body["uuid"] == "ev-api-1");
  const json content = json::parse(reply->body["content"].get<std::string>());
  CHECK_THAT(content["text"].get<std::string>(), Catch::Contains("发票怎么开"));
  CHECK_THAT(content["text"].get<std::string>(), Catch::Contains("https://kb.test/#/doc/"));
  const auto token = feishu_api().wait_for("/open-apis/auth/v3/tenant_access_token/internal");
  REQUIRE(token);
  CHECK(token->body == json{{"app_id", feishu_app_id}, {"app_secret", feishu_app_secret}});
  const std::size_t tokens = feishu_api().token_calls();

  // No message id: a new message to the chat, with the same cached token.
  REQUIRE(feishu(feishu_event("飞书机器人：合同在哪？", ms, feishu_token, "api-2", false).dump()).status == 200);
  const std::string to_chat = "/open-apis/im/v1/messages?receive_id_type=chat_id";
  const auto sent = feishu_api().wait_for(to_chat);
  REQUIRE(sent);
  CHECK(sent->body["receive_id"] == "oc-chat-api-2");
  CHECK(sent->authorization == std::string("Bearer ") + fake_token);
  CHECK(feishu_api().token_calls() == tokens);

  // Feishu refusing a reply is logged and makes the next reply fetch a fresh token.
  REQUIRE(feishu(feishu_event("飞书机器人：不在群里？", ms, feishu_token, "fail").dump()).status == 200);
  REQUIRE(feishu_api().wait_for("/open-apis/im/v1/messages/om-fail/reply"));
  REQUIRE(feishu(feishu_event("飞书机器人：再问一次？", ms, feishu_token, "api-3").dump()).status == 200);
  REQUIRE(feishu_api().wait_for("/open-apis/im/v1/messages/om-api-3/reply"));
  CHECK(feishu_api().token_calls() == tokens + 1);
}

TEST_CASE("retried deliveries of an event are answered again but not counted again", "[http][webhooks]") {
  const std::int64_t before = total();
  const std::int64_t ms = now() * 1000;

  // Feishu: the same event_id twice; one question, count 1, one message sent.
  const std::string feishu_text = "重试：飞书里退款流程？";
  const Reply first = feishu(feishu_event(feishu_text, ms, feishu_token, "retry-1").dump());
  const Reply again = feishu_signed(encrypted(feishu_event(feishu_text, ms, feishu_token, "retry-1")), now());
  REQUIRE((first.status == 200 && again.status == 200));
  CHECK(again.json_body == first.json_body);
  CHECK(stored(feishu_text)["count"] == 1);
  // Replies go out in order: once the next event's is sent, a second one for the retry would have been too.
  REQUIRE(feishu(feishu_event("重试之后的问题？", ms, feishu_token, "retry-2").dump()).status == 200);
  REQUIRE(feishu_api().wait_for("/open-apis/im/v1/messages/om-retry-2/reply"));
  CHECK(feishu_api().count("/open-apis/im/v1/messages/om-retry-1/reply") == 1);

  // Slack: X-Slack-Retry-Num with the same trigger_id, signed again at a new time.
  const std::string slack_body = "user_name=roadrunner&trigger_id=4711.42.abc&text=" +
                                 httplib::detail::encode_query_param("重试：Slack 里报销流程？");
  const Reply slack_first = slack(slack_body, now());
  const std::string t = std::to_string(now());
  const Reply slack_retry = post("/api/webhooks/slack",
                                 {{"X-Slack-Request-Timestamp", t}, {"X-Slack-Retry-Num", "1"},
                                  {"X-Slack-Retry-Reason", "http_timeout"},
                                  {"X-Slack-Signature", "v0=" + hmac_hex(slack_secret, "v0:" + t + ":" + slack_body)}},
                                 slack_body, "application/x-www-form-urlencoded");
  REQUIRE((slack_first.status == 200 && slack_retry.status == 200));
  CHECK(slack_retry.json_body == slack_first.json_body);
  CHECK(stored("重试：Slack 里报销流程？")["count"] == 1);

  // DingTalk: the same msgId.
  const std::string ding = json{{"msgtype", "text"}, {"msgId", "msg-retry-1"}, {"text", {{"content", "重试：钉钉里怎么请假？"}}},
                                {"senderNick", "张三"}}.dump();
  const Reply ding_first = dingtalk(ding, now() * 1000), ding_retry = dingtalk(ding, now() * 1000);
  REQUIRE((ding_first.status == 200 && ding_retry.status == 200));
  CHECK(ding_retry.json_body == ding_first.json_body);
  CHECK(stored("重试：钉钉里怎么请假？")["count"] == 1);
  // Another msgId with the same words is somebody asking again: counted.
  REQUIRE(dingtalk(json{{"msgtype", "text"}, {"msgId", "msg-retry-2"}, {"text", {{"content", "重试：钉钉里怎么请假？"}}}}.dump(),
                   now() * 1000).status == 200);
  CHECK(stored("重试：钉钉里怎么请假？")["count"] == 2);

  // WeCom: the same MsgId, delivered (and encrypted) again.
  const std::string ts = std::to_string(now());
  const std::string message = "<xml><ToUserName><![CDATA[ww-corp]]></ToUserName><FromUserName><![CDATA[lisi]]></FromUserName>"
                              "<CreateTime>" + ts + "</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                              "<Content><![CDATA[重试：企业微信里怎么报销？]]></Content><MsgId>7777</MsgId><AgentID>1</AgentID></xml>";
  std::vector<std::string> contents;
  for (const char* random : {"fedcba9876543210", "0123456789abcdef"}) {
    const std::string enc = wecom_encrypt(wecom_aes, message, wecom_corp, random).value();
    const std::string path = "/api/webhooks/wecom?msg_signature=" + wecom_signature(wecom_token, ts, "n3", enc) +
                             "&timestamp=" + ts + "&nonce=n3";
    auto res = WebhookServer::get().client().Post(path.c_str(), "<xml><Encrypt><![CDATA[" + enc + "]]></Encrypt></xml>",
                                                  "application/xml");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    auto plain = wecom_decrypt(wecom_aes, wecom_encrypted_field(res->body).value());
    REQUIRE(plain);
    contents.push_back(std::regex_replace(*plain, std::regex("<CreateTime>[0-9]+</CreateTime>"), ""));
  }
  CHECK(contents[0] == contents[1]);
  CHECK(stored("重试：企业微信里怎么报销？")["count"] == 1);
  CHECK(total() == before + 5);
}

TEST_CASE("WeCom: URL verification echoes the decrypted echostr; an encrypted message gets an encrypted reply",
          "[http][webhooks]") {
  WebhookSecrets secrets;
  secrets.wecom_token = wecom_token;
  secrets.wecom_aes_key = wecom_aes;
  const std::string ts = std::to_string(now());
  const std::string echostr = wecom_encrypt(wecom_aes, "echo-8329", "ww-corp", "0123456789abcdef").value();
  const auto verify_path = [&](const std::string& signature, const std::string& t) {
    return "/api/webhooks/wecom?msg_signature=" + signature + "&timestamp=" + t + "&nonce=n1&echostr=" +
           httplib::detail::encode_query_param(echostr);
  };
  auto client = WebhookServer::get().client();
  auto echoed = client.Get(verify_path(wecom_signature(wecom_token, ts, "n1", echostr), ts).c_str());
  REQUIRE(echoed);
  CHECK(echoed->status == 200);
  CHECK(echoed->body == "echo-8329");
  CHECK(reply_of(client.Get(verify_path("0000", ts).c_str())).status == 401);
  const std::string old = std::to_string(now() - 600);
  CHECK(reply_of(client.Get(verify_path(wecom_signature(wecom_token, old, "n1", echostr), old).c_str())).status == 401);

  const std::int64_t before = total();
  const std::string message = "<xml><ToUserName><![CDATA[ww-corp]]></ToUserName><FromUserName><![CDATA[lisi]]></FromUserName>"
                              "<CreateTime>" + ts + "</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                              "<Content><![CDATA[企业微信里问：退款流程？]]></Content><MsgId>1</MsgId><AgentID>1</AgentID></xml>";
  const std::string encrypted = wecom_encrypt(wecom_aes, message, "ww-corp", "fedcba9876543210").value();
  const std::string xml = "<xml><ToUserName><![CDATA[ww-corp]]></ToUserName><Encrypt><![CDATA[" + encrypted +
                          "]]></Encrypt><AgentID><![CDATA[1]]></AgentID></xml>";
  const auto message_path = [&](const std::string& signature, const std::string& t) {
    return "/api/webhooks/wecom?msg_signature=" + signature + "&timestamp=" + t + "&nonce=n2";
  };
  CHECK(post(message_path("bad", ts), {}, xml, "application/xml").status == 401);
  CHECK(post(message_path(wecom_signature(wecom_token, old, "n2", encrypted), old), {}, xml, "application/xml").status == 401);
  CHECK(post(message_path(wecom_signature(wecom_token, ts, "n2", encrypted), ts), {}, "<xml>", "application/xml").status == 400);
  // Encrypted for another corp (BATON_WECOM_CORP_ID is ww-corp): refused, for messages and URL checks alike.
  const std::string elsewhere = wecom_encrypt(wecom_aes, message, "ww-other", "fedcba9876543210").value();
  const Reply other_corp = post(message_path(wecom_signature(wecom_token, ts, "n2", elsewhere), ts), {},
                                "<xml><Encrypt><![CDATA[" + elsewhere + "]]></Encrypt></xml>", "application/xml");
  CHECK(other_corp.status == 401);
  CHECK_THAT(other_corp.json_body["error"].get<std::string>(), Catch::Contains("BATON_WECOM_CORP_ID"));
  const std::string other_echo = wecom_encrypt(wecom_aes, "echo-1", "ww-other", "0123456789abcdef").value();
  CHECK(reply_of(client.Get(("/api/webhooks/wecom?msg_signature=" + wecom_signature(wecom_token, ts, "n1", other_echo) +
                             "&timestamp=" + ts + "&nonce=n1&echostr=" + httplib::detail::encode_query_param(other_echo))
                                .c_str()))
            .status == 401);
  CHECK(total() == before);

  auto res = client.Post(message_path(wecom_signature(wecom_token, ts, "n2", encrypted), ts).c_str(), xml, "application/xml");
  REQUIRE(res);
  INFO(res->body);
  REQUIRE(res->status == 200);
  auto reply_encrypted = wecom_encrypted_field(res->body);
  REQUIRE(reply_encrypted);
  auto plain = wecom_decrypt(wecom_aes, *reply_encrypted);
  REQUIRE(plain);
  CHECK_THAT(*plain, Catch::Contains("<ToUserName><![CDATA[lisi]]></ToUserName>"));
  const json q = stored("企业微信里问：退款流程？");
  REQUIRE_FALSE(q.is_null());
  CHECK(q["channel"] == "wecom");
  CHECK(q["asker"] == "lisi");
}

TEST_CASE("a server without the platforms' secrets answers 403 webhook not configured", "[http][webhooks]") {
  test::TempDir data;
  test::Served server({"--data-dir", data.path().string(), test::demo_root()});
  httplib::Client client = server.client();
  for (const char* path : {"/api/webhooks/slack", "/api/webhooks/dingtalk", "/api/webhooks/feishu", "/api/webhooks/wecom"}) {
    auto res = client.Post(path, "{}", "application/json");
    REQUIRE(res);
    INFO(path);
    CHECK(res->status == 403);
    CHECK_THAT(res->body, Catch::Contains("webhook not configured"));
  }
  auto get = client.Get("/api/webhooks/wecom?echostr=x");
  REQUIRE(get);
  CHECK(get->status == 403);
}

TEST_CASE("Feishu without app credentials: the question is stored, no reply is posted", "[http][webhooks]") {
  FakeFeishu api;
  test::TempDir data;
  test::Served server({"--data-dir", data.path().string(), test::demo_root()},
                      {{"BATON_FEISHU_VERIFICATION_TOKEN", feishu_token}, {"BATON_FEISHU_API_BASE", api.base()}});
  httplib::Client client = server.client();
  auto res = client.Post("/api/webhooks/feishu", feishu_event("没有应用凭证也存下来？", now() * 1000).dump(), "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  auto list = client.Get("/api/questions");
  REQUIRE(list);
  CHECK(json::parse(list->body)["total"] == 1);
  std::this_thread::sleep_for(std::chrono::seconds(1));  // time a sender would have had to call
  CHECK(api.calls().empty());
}
