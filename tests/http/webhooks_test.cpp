// The chat webhooks against the real `baton serve` over the demo, started with every platform's secret.
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>

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
constexpr const char* public_url = "https://kb.test";

int start(test::Process& process) {
  if (!process.read_until("/  (", std::chrono::seconds(120)))
    throw std::runtime_error("baton serve did not start:\n" + process.output());
  std::smatch m;
  const std::string out = process.output();
  if (!std::regex_search(out, m, std::regex("serving http://127\\.0\\.0\\.1:([0-9]+)/")))
    throw std::runtime_error("no URL in baton serve output:\n" + out);
  return std::stoi(m[1].str());
}

class WebhookServer {
 public:
  static WebhookServer& get() {
    static WebhookServer server;
    return server;
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(30, 0);
    return c;
  }

 private:
  WebhookServer() {
    const std::vector<std::pair<const char*, const char*>> env{
        {"BATON_SLACK_SIGNING_SECRET", slack_secret}, {"BATON_DINGTALK_SECRET", dingtalk_secret},
        {"BATON_FEISHU_VERIFICATION_TOKEN", feishu_token}, {"BATON_WECOM_TOKEN", wecom_token},
        {"BATON_WECOM_AES_KEY", wecom_aes}, {"BATON_PUBLIC_URL", public_url}};
    for (const auto& [name, value] : env) ::setenv(name, value, 1);
    process_.emplace(std::vector<std::string>{test::baton_bin(), "serve", "--port", "0", "--data-dir",
                                              data_.path().string(), test::demo_root()});
    for (const auto& [name, value] : env) ::unsetenv(name);
    port_ = start(*process_);
  }
  test::TempDir data_;
  std::optional<test::Process> process_;
  int port_ = 0;
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

json feishu_event(const std::string& text, std::int64_t created_ms, const std::string& token = feishu_token) {
  return {{"schema", "2.0"},
          {"header", {{"event_id", "ev-" + text}, {"token", token}, {"create_time", std::to_string(created_ms)},
                      {"event_type", "im.message.receive_v1"}}},
          {"event", {{"sender", {{"sender_id", {{"open_id", "ou_x"}, {"user_id", "feishu-user"}}}}},
                     {"message", {{"message_type", "text"}, {"content", json{{"text", "@_user_1 " + text}}.dump()}}}}}};
}

Reply feishu(const std::string& body) { return post("/api/webhooks/feishu", {}, body, "application/json"); }

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
  CHECK(encrypted.status == 400);
  CHECK_THAT(encrypted.json_body["error"].get<std::string>(), Catch::Contains("encryption"));
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
  test::Process server({test::baton_bin(), "serve", "--port", "0", "--data-dir", data.path().string(), test::demo_root()});
  httplib::Client client("127.0.0.1", start(server));
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
