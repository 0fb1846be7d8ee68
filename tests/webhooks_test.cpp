// The chat webhooks' checks, parsers and reply formats, with vectors computed from each platform's
// documented formula (OpenSSL, independently of the module) and Slack's published example.
#include "baton/webhooks.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "baton/feishu_bot.h"

using nlohmann::json;
using namespace baton;

namespace {

constexpr std::int64_t now = 1'700'000'000;

// hex(HMAC-SHA256) straight from OpenSSL, the way the platforms' docs compute it.
std::string openssl_hmac_hex(const std::string& key, const std::string& data) {
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

std::string openssl_digest_hex(const EVP_MD* md, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), out, &n, md, nullptr);
  std::string hex;
  char buf[3];
  for (unsigned i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", out[i]);
    hex += buf;
  }
  return hex;
}

QuestionRecord answered_question() {
  QuestionRecord q;
  q.id = 7;
  q.question = "退款流程是怎样的？";
  q.suggestions.push_back({"d1#s2", "d1", "操作手册/退款处理流程.md", "退款处理流程", "审批", "…"});
  q.suggestions.push_back({"d2", "d2", "a|b.md", "A <b> & [c]", "", "…"});
  return q;
}

const std::string base = "https://kb.example/";

// Feishu's encryption as its docs describe it, written apart from the module: AES-256-CBC, key =
// SHA-256(encrypt key), PKCS#7, base64(iv + ciphertext).
std::string openssl_feishu_encrypt(const std::string& encrypt_key, const std::string& plain, const std::string& iv) {
  unsigned char key[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(encrypt_key.data()), encrypt_key.size(), key);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), nullptr, key, reinterpret_cast<const unsigned char*>(iv.data()));
  std::string out(plain.size() + 16, '\0');
  int n = 0, tail = 0;
  EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &n,
                    reinterpret_cast<const unsigned char*>(plain.data()), static_cast<int>(plain.size()));
  EVP_EncryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()) + n, &tail);
  EVP_CIPHER_CTX_free(ctx);
  out.resize(static_cast<std::size_t>(n + tail));
  return base64_encode(iv + out);
}

json feishu_message_event(const std::string& event_id, const std::string& message_id, const std::string& chat_id) {
  return {{"schema", "2.0"},
          {"header", {{"event_id", event_id}, {"token", "tok"}, {"create_time", std::to_string(now * 1000)},
                      {"event_type", "im.message.receive_v1"}}},
          {"event", {{"sender", {{"sender_id", {{"open_id", "ou_1"}}}}},
                     {"message", {{"message_id", message_id}, {"chat_id", chat_id}, {"message_type", "text"},
                                  {"content", json{{"text", "退款流程？"}}.dump()}}}}}};
}

}  // namespace

TEST_CASE("crypto helpers match OpenSSL and RFC 4231", "[webhooks]") {
  CHECK(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(to_hex(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(to_hex(sha1("abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(base64_encode("hello") == "aGVsbG8=");
  CHECK(base64_decode("aGVsbG8=").value() == "hello");
  CHECK(base64_decode("aGVsbG8h").value() == "hello!");
  CHECK_FALSE(base64_decode("aGVsbG8"));
  CHECK_FALSE(base64_decode("aGV*bG8="));
  CHECK(same_secret("abc", "abc"));
  CHECK_FALSE(same_secret("abc", "abd"));
  CHECK_FALSE(same_secret("abc", "abcd"));
  CHECK(check_timestamp(std::to_string(now - 299), now));
  CHECK(check_timestamp(std::to_string(now + 299), now));
  const auto stale = check_timestamp(std::to_string(now - 301), now);
  REQUIRE_FALSE(stale);
  CHECK(stale.error().kind == ErrorKind::unauthorized);
  CHECK_FALSE(check_timestamp(std::to_string(now + 301), now));
  CHECK_FALSE(check_timestamp("12x", now));
  CHECK_FALSE(check_timestamp("", now));
  CHECK(document_link("http://h:1/", "d1#s2") == "http://h:1/#/doc/d1%23s2");
}

TEST_CASE("Slack: the signature of Slack's documented example, verify, parse, reply", "[webhooks]") {
  // https://api.slack.com/authentication/verifying-requests-from-slack (the worked example).
  const std::string secret = "8f742231b10e8888abcd99yyyzzz85a5";
  const std::string body =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&"
      "user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack."
      "com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121."
      "803a0bc887a14d10d2c447fce8b6703c";
  CHECK(slack_signature(secret, "1531420618", body) == "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
  CHECK(verify_slack(secret, "1531420618", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", body,
                     1531420618 + 10));
  CHECK_FALSE(parse_slack(body));  // text= is empty: nothing to ask

  const std::string ts = std::to_string(now);
  const std::string ask = "user_name=%E6%96%B0%E5%90%8C%E4%BA%8B&user_id=U1&text=%E9%80%80%E6%AC%BE+%E6%B5%81%E7%A8%8B%3F";
  const std::string sig = "v0=" + openssl_hmac_hex("s3cret", "v0:" + ts + ":" + ask);
  CHECK(verify_slack("s3cret", ts, sig, ask, now));
  for (const auto& bad : {verify_slack("s3cret", ts, sig, ask + "x", now), verify_slack("other", ts, sig, ask, now),
                          verify_slack("s3cret", ts, "", ask, now), verify_slack("s3cret", "", sig, ask, now),
                          verify_slack("s3cret", ts, sig, ask, now + 301)}) {
    REQUIRE_FALSE(bad);
    CHECK(bad.error().kind == ErrorKind::unauthorized);
  }
  auto q = parse_slack(ask);
  REQUIRE(q);
  CHECK(q->question == "退款 流程?");
  CHECK(q->asker == "新同事");
  CHECK(q->channel == "slack");
  CHECK(parse_slack("user_id=U9&text=hi")->asker == "U9");
  // The event id a retry (X-Slack-Retry-Num) repeats: the trigger id, else the payload itself.
  CHECK(parse_slack(ask + "&trigger_id=398738663015.47445629121.803a")->event_id == "trigger:398738663015.47445629121.803a");
  CHECK(q->event_id == "body:" + openssl_digest_hex(EVP_sha256(), ask));

  const json reply = json::parse(slack_reply(answered_question(), base));
  CHECK(reply["response_type"] == "ephemeral");
  const std::string text = reply["text"];
  CHECK_THAT(text, Catch::Contains("<https://kb.example/#/doc/d1|退款处理流程 › 审批>"));
  CHECK_THAT(text, Catch::Contains("<https://kb.example/#/doc/d2|A &lt;b&gt; &amp; [c]>"));
  QuestionRecord none;
  none.id = 3;
  CHECK_THAT(json::parse(slack_reply(none, base))["text"].get<std::string>(), Catch::Contains("#3"));
}

TEST_CASE("DingTalk: sign from the documented formula, verify, parse, markdown reply", "[webhooks]") {
  const std::string secret = "SECabc", ts = std::to_string(now * 1000 + 123);
  // base64(HMAC-SHA256(secret, timestamp + "\n" + secret)), computed apart.
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  const std::string base_string = ts + "\n" + secret;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(base_string.data()), base_string.size(), mac, &n);
  std::string expected(4 * ((n + 2) / 3) + 1, '\0');
  expected.resize(static_cast<std::size_t>(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(expected.data()), mac, static_cast<int>(n))));
  CHECK(dingtalk_signature(secret, ts) == expected);
  CHECK(verify_dingtalk(secret, ts, expected, now));
  CHECK_FALSE(verify_dingtalk(secret, ts, expected, now + 400));
  CHECK_FALSE(verify_dingtalk("other", ts, expected, now));
  CHECK_FALSE(verify_dingtalk(secret, ts, "", now));
  CHECK_FALSE(verify_dingtalk(secret, std::to_string(now), dingtalk_signature(secret, std::to_string(now)), now));  // seconds: stale

  auto q = parse_dingtalk(R"({"msgtype":"text","text":{"content":" 退款流程？ "},"senderNick":"张三","senderStaffId":"s1"})");
  REQUIRE(q);
  CHECK(q->question == "退款流程？");
  CHECK(q->asker == "张三");
  CHECK(q->channel == "dingtalk");
  CHECK(q->event_id.empty());
  CHECK(parse_dingtalk(R"({"msgtype":"text","text":{"content":"q"},"msgId":"XXXX"})")->event_id == "XXXX");
  CHECK_FALSE(parse_dingtalk("not json"));
  CHECK_FALSE(parse_dingtalk(R"({"msgtype":"picture"})"));
  CHECK_FALSE(parse_dingtalk(R"({"msgtype":"text","text":{"content":"  "}})"));
  CHECK_FALSE(parse_dingtalk(R"({"msgtype":"text","text":"flat"})"));

  const json reply = json::parse(dingtalk_reply(answered_question(), base));
  CHECK(reply["msgtype"] == "markdown");
  CHECK_THAT(reply["markdown"]["title"].get<std::string>(), Catch::Contains("退款流程"));
  CHECK_THAT(reply["markdown"]["text"].get<std::string>(), Catch::Contains("- [退款处理流程 › 审批](https://kb.example/#/doc/d1)"));
  CHECK_THAT(reply["markdown"]["text"].get<std::string>(), Catch::Contains("\\[c\\]"));
}

TEST_CASE("Feishu: challenge, message events, token and time checks, signature", "[webhooks]") {
  auto challenge = parse_feishu(R"({"challenge":"ajls384kdjx98XX","token":"tok","type":"url_verification"})", "tok", now);
  REQUIRE(challenge);
  CHECK(challenge->kind == FeishuEvent::Kind::challenge);
  CHECK(challenge->challenge == "ajls384kdjx98XX");
  auto wrong = parse_feishu(R"({"challenge":"x","token":"nope","type":"url_verification"})", "tok", now);
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().kind == ErrorKind::unauthorized);

  const auto event = [](const std::string& token, std::int64_t created_ms, const std::string& type, const std::string& text) {
    json e = {{"schema", "2.0"},
              {"header", {{"event_id", "e1"}, {"token", token}, {"create_time", std::to_string(created_ms)},
                          {"event_type", type}, {"app_id", "cli_x"}}},
              {"event", {{"sender", {{"sender_id", {{"open_id", "ou_1"}, {"user_id", "u_1"}}}, {"sender_type", "user"}}},
                         {"message", {{"message_id", "om_1"}, {"chat_type", "group"}, {"message_type", "text"},
                                      {"content", json{{"text", text}}.dump()}}}}}};
    return e.dump();
  };
  auto msg = parse_feishu(event("tok", now * 1000, "im.message.receive_v1", "@_user_1 退款流程？"), "tok", now);
  REQUIRE(msg);
  CHECK(msg->kind == FeishuEvent::Kind::message);
  CHECK(msg->question.question == "退款流程？");
  CHECK(msg->question.asker == "u_1");
  CHECK(msg->question.channel == "feishu");
  CHECK(msg->question.event_id == "e1");
  CHECK(msg->message_id == "om_1");
  CHECK(parse_feishu(event("tok", now * 1000, "im.chat.updated_v1", "x"), "tok", now)->kind == FeishuEvent::Kind::ignored);
  for (const auto& bad : {parse_feishu(event("bad", now * 1000, "im.message.receive_v1", "q"), "tok", now),
                          parse_feishu(event("tok", (now - 600) * 1000, "im.message.receive_v1", "q"), "tok", now)}) {
    REQUIRE_FALSE(bad);
    CHECK(bad.error().kind == ErrorKind::unauthorized);
  }
  CHECK_FALSE(parse_feishu(event("tok", now * 1000, "im.message.receive_v1", "@_user_1 "), "tok", now));
  auto encrypted = parse_feishu(R"({"encrypt":"abc"})", "tok", now);
  REQUIRE_FALSE(encrypted);
  CHECK_THAT(encrypted.error().message, Catch::Contains("BATON_FEISHU_ENCRYPT_KEY"));
  CHECK_FALSE(parse_feishu("[1]", "tok", now));
  CHECK_FALSE(parse_feishu(R"({"schema":"2.0"})", "tok", now));

  const std::string body = R"({"schema":"2.0"})", ts = std::to_string(now);
  const std::string sig = openssl_digest_hex(EVP_sha256(), ts + "nonce1" + "ekey" + body);
  CHECK(feishu_signature(ts, "nonce1", "ekey", body) == sig);
  CHECK(verify_feishu_signature("ekey", ts, "nonce1", sig, body, now));
  CHECK_FALSE(verify_feishu_signature("ekey", ts, "nonce2", sig, body, now));
  CHECK_FALSE(verify_feishu_signature("ekey", ts, "nonce1", sig, body, now + 301));

  const json reply = json::parse(feishu_reply(answered_question(), base));
  CHECK(reply["question_id"] == 7);
  CHECK_THAT(reply["text"].get<std::string>(), Catch::Contains("退款处理流程 › 审批: https://kb.example/#/doc/d1"));
}

TEST_CASE("WeCom: signature, AES round trip, URL verification and an encrypted reply", "[webhooks]") {
  const std::string aes_key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";  // 43 characters
  REQUIRE(aes_key.size() == 43);
  WebhookSecrets secrets;
  secrets.wecom_token = "QDG6eK";
  secrets.wecom_aes_key = aes_key;
  // sha1 of the four sorted and concatenated, computed apart.
  CHECK(wecom_signature("QDG6eK", "1409659813", "1372623149", "ENC") ==
        openssl_digest_hex(EVP_sha1(), std::string("1372623149") + "1409659813" + "ENC" + "QDG6eK"));

  auto encrypted = wecom_encrypt(aes_key, "echo-12345", "wx5823bf96d3bd56c7", "0123456789abcdef");
  REQUIRE(encrypted);
  std::string receive_id;
  CHECK(wecom_decrypt(aes_key, *encrypted, &receive_id).value() == "echo-12345");
  CHECK(receive_id == "wx5823bf96d3bd56c7");
  CHECK_FALSE(wecom_decrypt("short", *encrypted));
  CHECK_FALSE(wecom_decrypt(aes_key, "not base64!"));
  CHECK_FALSE(wecom_encrypt(aes_key, "m", "r", "short random"));

  const std::string ts = std::to_string(now);
  const std::string sig = wecom_signature(secrets.wecom_token, ts, "n1", *encrypted);
  CHECK(wecom_open(secrets, sig, ts, "n1", *encrypted, now).value() == "echo-12345");
  for (const auto& bad : {wecom_open(secrets, sig, ts, "n2", *encrypted, now), wecom_open(secrets, sig, ts, "n1", *encrypted, now + 400),
                          wecom_open(secrets, "", ts, "n1", *encrypted, now)}) {
    REQUIRE_FALSE(bad);
    CHECK(bad.error().kind == ErrorKind::unauthorized);
  }

  CHECK(wecom_encrypted_field("<xml><ToUserName><![CDATA[corp]]></ToUserName><Encrypt><![CDATA[QUJD]]></Encrypt></xml>").value() == "QUJD");
  CHECK_FALSE(wecom_encrypted_field("<xml><ToUserName>x</ToUserName></xml>"));
  CHECK_FALSE(wecom_encrypted_field("not xml <"));
  auto msg = parse_wecom("<xml><ToUserName><![CDATA[corp]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName>"
                         "<CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                         "<Content><![CDATA[ 退款流程？ ]]></Content><MsgId>1</MsgId><AgentID>1</AgentID></xml>");
  REQUIRE(msg);
  CHECK(msg->question.question == "退款流程？");
  CHECK(msg->question.asker == "zhangsan");
  CHECK(msg->question.channel == "wecom");
  CHECK(msg->question.event_id == "1");
  CHECK_FALSE(parse_wecom("<xml><MsgType>image</MsgType></xml>"));

  auto reply = wecom_reply(secrets, *msg, answered_question(), base, "corp", ts, "n1");
  REQUIRE(reply);
  auto reply_encrypted = wecom_encrypted_field(*reply);
  REQUIRE(reply_encrypted);
  CHECK_THAT(*reply, Catch::Contains(wecom_signature(secrets.wecom_token, ts, "n1", *reply_encrypted)));
  auto plain = wecom_decrypt(aes_key, *reply_encrypted);
  REQUIRE(plain);
  CHECK_THAT(*plain, Catch::Contains("<ToUserName><![CDATA[zhangsan]]></ToUserName>"));
  CHECK_THAT(*plain, Catch::Contains("https://kb.example/#/doc/d1"));
}

TEST_CASE("WeCom: the receive id must be the configured corp id", "[webhooks]") {
  WebhookSecrets secrets;
  secrets.wecom_token = "QDG6eK";
  secrets.wecom_aes_key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
  secrets.wecom_corp_id = "wx5823bf96d3bd56c7";
  const std::string ts = std::to_string(now);
  const auto open = [&](const std::string& receive_id) {
    const std::string encrypted = wecom_encrypt(secrets.wecom_aes_key, "<xml/>", receive_id, "0123456789abcdef").value();
    std::string got;
    auto plain = wecom_open(secrets, wecom_signature(secrets.wecom_token, ts, "n", encrypted), ts, "n", encrypted, now, &got);
    if (plain) CHECK(got == receive_id);
    return plain;
  };
  CHECK(open("wx5823bf96d3bd56c7").value() == "<xml/>");
  for (const char* other : {"wx-other-corp", "", "wx5823bf96d3bd56c"}) {
    auto refused = open(other);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().kind == ErrorKind::unauthorized);
    CHECK_THAT(refused.error().message, Catch::Contains("BATON_WECOM_CORP_ID"));
  }
  secrets.wecom_corp_id.clear();  // not configured: any receive id
  CHECK(open("wx-other-corp"));
}

TEST_CASE("Feishu: encrypted events decrypt the documented way, and bad ones are refused", "[webhooks]") {
  // The example of Feishu's event docs: key "test key" → "hello world".
  CHECK(feishu_decrypt("test key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=").value() == "hello world");

  const std::string key = "ekey-123", iv = "0123456789abcdef";
  const std::string challenge = R"({"challenge":"c-1","token":"tok","type":"url_verification"})";
  const std::string encrypted = openssl_feishu_encrypt(key, challenge, iv);
  CHECK(feishu_encrypt(key, challenge, iv).value() == encrypted);
  CHECK(feishu_decrypt(key, encrypted).value() == challenge);
  CHECK(feishu_decrypt(key, openssl_feishu_encrypt(key, "", iv)).value().empty());
  CHECK(feishu_decrypt(key, openssl_feishu_encrypt(key, std::string(16, 'x'), iv)).value() == std::string(16, 'x'));
  CHECK_FALSE(feishu_encrypt(key, challenge, "short"));
  for (const auto& bad : {feishu_decrypt("other key", encrypted), feishu_decrypt(key, "not base64!"),
                          feishu_decrypt(key, base64_encode(iv)), feishu_decrypt(key, base64_encode(iv + "0123456789abcde")),
                          feishu_decrypt(key, "")}) {
    REQUIRE_FALSE(bad);
    CHECK(bad.error().kind == ErrorKind::invalid);
  }

  // The url_verification challenge comes encrypted too, and is answered in plain.
  const std::string body = json{{"encrypt", encrypted}}.dump();
  auto opened = feishu_open(key, body);
  REQUIRE(opened);
  auto event = parse_feishu(*opened, "tok", now);
  REQUIRE(event);
  CHECK(event->kind == FeishuEvent::Kind::challenge);
  CHECK(event->challenge == "c-1");
  CHECK(feishu_open(key, challenge).value() == challenge);  // a plain body passes as it is
  CHECK(feishu_open("", "{").value() == "{");                // and parse_feishu says what is wrong
  auto no_key = feishu_open("", body);
  REQUIRE_FALSE(no_key);
  CHECK_THAT(no_key.error().message, Catch::Contains("BATON_FEISHU_ENCRYPT_KEY"));
  CHECK_FALSE(feishu_open(key, R"({"encrypt":42})"));
  CHECK_FALSE(feishu_open("wrong", body));
  auto garbage = feishu_open(key, json{{"encrypt", openssl_feishu_encrypt(key, "not json", iv)}}.dump());
  REQUIRE(garbage);
  CHECK_FALSE(parse_feishu(*garbage, "tok", now));
}

TEST_CASE("Feishu: the reply as an IM API message, and the tenant token", "[webhooks]") {
  auto event = parse_feishu(feishu_message_event("5e3702a84e847582be8db7fb73283c02", "om_dc13", "oc_5ad1").dump(), "tok", now);
  REQUIRE(event);
  auto reply = feishu_message(*event, answered_question(), base);
  REQUIRE(reply);
  CHECK(reply->path == "/open-apis/im/v1/messages/om_dc13/reply");
  const json body = json::parse(reply->body);
  CHECK(body["msg_type"] == "text");
  CHECK(body["uuid"] == "5e3702a84e847582be8db7fb73283c02");
  CHECK_FALSE(body.contains("receive_id"));
  const json content = json::parse(body["content"].get<std::string>());  // content is JSON in a string
  CHECK_THAT(content["text"].get<std::string>(), Catch::Contains("退款处理流程 › 审批: https://kb.example/#/doc/d1"));

  // Without a message id: a new message to the chat. An event id too long for a uuid is left out.
  event->message_id.clear();
  event->question.event_id = std::string(51, 'e');
  reply = feishu_message(*event, answered_question(), base);
  REQUIRE(reply);
  CHECK(reply->path == "/open-apis/im/v1/messages?receive_id_type=chat_id");
  CHECK(json::parse(reply->body)["receive_id"] == "oc_5ad1");
  CHECK_FALSE(json::parse(reply->body).contains("uuid"));
  event->chat_id.clear();
  CHECK_FALSE(feishu_message(*event, answered_question(), base));
  event->message_id = "om_a/b";  // ids go into the path escaped
  CHECK(feishu_message(*event, answered_question(), base)->path == "/open-apis/im/v1/messages/om_a%2Fb/reply");

  FeishuApp app{"cli_a1", "s3cret"};
  CHECK(app.api_base == "https://open.feishu.cn");
  CHECK(check_feishu_app(app));
  CHECK(check_feishu_app({"a", "s", "http://127.0.0.1:9"}));
  CHECK_FALSE(check_feishu_app({"a", "s", "ftp://open.feishu.cn"}));
  CHECK_FALSE(check_feishu_app({"a", "s", "open.feishu.cn"}));
  CHECK(json::parse(feishu_token_request(app)) == json{{"app_id", "cli_a1"}, {"app_secret", "s3cret"}});
  auto token = parse_feishu_token(R"({"code":0,"msg":"ok","tenant_access_token":"t-caecc734","expire":7200})");
  REQUIRE(token);
  CHECK(token->token == "t-caecc734");
  CHECK(token->expires_in == 7200);
  auto refused = parse_feishu_token(R"({"code":10003,"msg":"invalid param"})");
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Contains("invalid param"));
  CHECK_FALSE(parse_feishu_token("<html>"));
  CHECK_FALSE(parse_feishu_token(R"({"code":0,"msg":"ok"})"));
}

TEST_CASE("Feishu bot: without credentials it sends nothing, and stopping is prompt and idempotent", "[webhooks]") {
  FeishuBot idle(FeishuApp{});
  CHECK_FALSE(idle.configured());
  CHECK_FALSE(idle.send({"/x", "{}"}));
  idle.stop();

  // An API nobody listens on: the send is queued at once, the failure only logged.
  FeishuBot bot(FeishuApp{"cli_a1", "s3cret", "http://127.0.0.1:1"});
  CHECK(bot.configured());
  CHECK(bot.send({"/open-apis/im/v1/messages/om_1/reply", "{}"}));
  bot.stop();
  bot.stop();
  CHECK_FALSE(bot.send({"/x", "{}"}));

  // A base httplib cannot use (main refuses it; here it gets through): logged, the thread lives on.
  FeishuBot odd(FeishuApp{"cli_a1", "s3cret", "ftp://127.0.0.1:1"});
  CHECK(odd.send({"/a", "{}"}));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(odd.send({"/b", "{}"}));
  odd.stop();
}
