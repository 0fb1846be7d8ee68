#include "baton/webhooks.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <memory>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <regex>
#include <vector>

#include "baton/text.h"

using nlohmann::json;

namespace baton {

namespace {

Error unauthorized(std::string message) { return make_error(std::move(message), ErrorKind::unauthorized); }

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

Result<std::int64_t> whole_number(std::string_view text) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return make_error("not a number");
  return v;
}

Status check_timestamp_ms(std::string_view ms, std::int64_t now, const std::string& what) {
  auto v = whole_number(ms);
  if (!v) return unauthorized(what + " must be a time in milliseconds");
  return check_timestamp(std::to_string(*v / 1000), now);
}

// "%41+b" → "A b" (application/x-www-form-urlencoded).
std::string form_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto hexval = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    if (s[i] == '+') out += ' ';
    else if (s[i] == '%' && i + 2 < s.size() && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
      out += static_cast<char>(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      i += 2;
    } else out += s[i];
  }
  return out;
}

std::string form_field(std::string_view body, std::string_view name) {
  std::size_t start = 0;
  while (start <= body.size()) {
    const std::size_t amp = std::min(body.find('&', start), body.size());
    const std::string_view pair = body.substr(start, amp - start);
    const std::size_t eq = pair.find('=');
    if (form_decode(pair.substr(0, eq)) == name) return eq == std::string_view::npos ? "" : form_decode(pair.substr(eq + 1));
    start = amp + 1;
  }
  return {};
}

std::string percent_encode(std::string_view s) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

std::string label_of(const QuestionSuggestion& s) {
  std::string label = s.title.empty() ? s.path : s.title;
  if (!s.section.empty() && s.section != label) label += " › " + s.section;
  return label;
}

std::string none_found(const QuestionRecord& q) {
  return "No document answers this yet. The question is saved (#" + std::to_string(q.id) +
         ") and the team will answer it.";
}

// Slack mrkdwn: &, < and > are control characters.
std::string slack_escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '|') out += "¦";  // ends the label of a <url|label> link
    else out += c;
  }
  return out;
}

// Markdown link text: brackets would end it.
std::string markdown_label(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c == '[' || c == ']') out += '\\';
    out += c;
  }
  return out;
}

// A plain-text reply (DingTalk fallback, Feishu, WeCom): one line per suggestion, title then link.
std::string plain_reply(const QuestionRecord& q, std::string_view base_url) {
  if (q.suggestions.empty()) return none_found(q);
  std::string text = "Suggested answers for \"" + q.question + "\":";
  for (const auto& s : q.suggestions) text += "\n- " + label_of(s) + ": " + document_link(base_url, s.doc);
  return text;
}

Result<json> json_object(std::string_view body) {
  if (!is_utf8(body)) return make_error("body must be UTF-8");
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return make_error("body must be a JSON object");
  return j;
}

std::string string_at(const json& j, std::initializer_list<const char*> path) {
  const json* at = &j;
  for (const char* key : path) {
    if (!at->is_object() || !at->contains(key)) return {};
    at = &(*at)[key];
  }
  return at->is_string() ? at->get<std::string>() : std::string();
}

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

// AES-256-CBC. WeCom pads to 32 bytes itself (`pkcs7` off); Feishu uses standard PKCS#7.
Result<std::string> aes_cbc(bool encrypt, std::string_view key, std::string_view iv, std::string_view input,
                            bool pkcs7) {
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  const auto* k = reinterpret_cast<const unsigned char*>(key.data());
  const auto* v = reinterpret_cast<const unsigned char*>(iv.data());
  if (key.size() != 32 || iv.size() < 16 || !ctx ||
      EVP_CipherInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, k, v, encrypt ? 1 : 0) != 1)
    return make_error("cannot start AES");
  EVP_CIPHER_CTX_set_padding(ctx.get(), pkcs7 ? 1 : 0);
  std::string out(input.size() + 32, '\0');
  int n = 0, tail = 0;
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  if (EVP_CipherUpdate(ctx.get(), o, &n, reinterpret_cast<const unsigned char*>(input.data()), static_cast<int>(input.size())) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), o + n, &tail) != 1)
    return make_error("the message cannot be decrypted with this key");
  out.resize(static_cast<std::size_t>(n + tail));
  return out;
}

Result<std::string> wecom_key(std::string_view aes_key) {
  auto key = base64_decode(std::string(aes_key) + "=");
  if (!key || key->size() != 32) return make_error("BATON_WECOM_AES_KEY must be the 43-character EncodingAESKey");
  return *key;
}

constexpr const char* encrypted_without_key =
    "the event is encrypted: set BATON_FEISHU_ENCRYPT_KEY to the Encrypt Key of the Feishu app (or turn off "
    "encryption in its event settings)";

std::string cdata(std::string_view s) {
  std::string out = "<![CDATA[";
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.substr(i, 3) == "]]>") {
      out += "]]]]><![CDATA[>";
      i += 2;
    } else out += s[i];
  }
  return out + "]]>";
}

}  // namespace

// --- helpers -----------------------------------------------------------------------------------------

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &n);
  return std::string(reinterpret_cast<char*>(out), n);
}

std::string sha256(std::string_view data) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

std::string sha1(std::string_view data) {
  unsigned char out[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

std::string to_hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

Result<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return make_error("not base64");
  for (const char c : text)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/' && c != '=') return make_error("not base64");
  std::string out(text.size() / 4 * 3 + 1, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return make_error("not base64");
  std::size_t size = static_cast<std::size_t>(n);
  // EVP_DecodeBlock counts the padding as zero bytes.
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) --size;
  out.resize(size);
  return out;
}

bool same_secret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Status check_timestamp(std::string_view seconds, std::int64_t now) {
  auto t = whole_number(seconds);
  if (!t) return unauthorized("the request timestamp is missing or not a number");
  if (*t < now - webhook_max_age_seconds || *t > now + webhook_max_age_seconds)
    return unauthorized("the request timestamp is more than 5 minutes from the server's clock (a replay?)");
  return Ok{};
}

std::string document_link(std::string_view base_url, std::string_view doc) {
  std::string base(base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/#/doc/" + percent_encode(doc);
}

// --- Slack -------------------------------------------------------------------------------------------

std::string slack_signature(std::string_view secret, std::string_view timestamp, std::string_view body) {
  std::string base = "v0:";
  base.append(timestamp).append(":").append(body);
  return "v0=" + to_hex(hmac_sha256(secret, base));
}

Status verify_slack(std::string_view secret, std::string_view timestamp, std::string_view signature,
                    std::string_view body, std::int64_t now) {
  if (timestamp.empty() || signature.empty())
    return unauthorized("X-Slack-Request-Timestamp and X-Slack-Signature are required");
  if (auto fresh = check_timestamp(timestamp, now); !fresh) return fresh;
  if (!same_secret(signature, slack_signature(secret, timestamp, body)))
    return unauthorized("the Slack signature does not match: check BATON_SLACK_SIGNING_SECRET");
  return Ok{};
}

Result<NewQuestion> parse_slack(std::string_view body) {
  if (!is_utf8(body)) return make_error("body must be UTF-8");
  const std::string text(trim(form_field(body, "text")));
  if (text.empty()) return make_error("text is required: type the question after the command");
  std::string asker = form_field(body, "user_name");
  if (asker.empty()) asker = form_field(body, "user_id");
  const std::string trigger = form_field(body, "trigger_id");
  return NewQuestion{text, asker, "slack", trigger.empty() ? "body:" + to_hex(sha256(body)) : "trigger:" + trigger};
}

std::string slack_reply(const QuestionRecord& q, std::string_view base_url) {
  std::string text;
  if (q.suggestions.empty()) text = none_found(q);
  else {
    text = "Suggested answers for *" + slack_escape(q.question) + "*:";
    for (const auto& s : q.suggestions)
      text += "\n• <" + document_link(base_url, s.doc) + "|" + slack_escape(label_of(s)) + ">";
  }
  return dump({{"response_type", "ephemeral"}, {"text", text}});
}

// --- DingTalk ----------------------------------------------------------------------------------------

std::string dingtalk_signature(std::string_view secret, std::string_view timestamp_ms) {
  std::string base(timestamp_ms);
  base.append("\n").append(secret);
  return base64_encode(hmac_sha256(secret, base));
}

Status verify_dingtalk(std::string_view secret, std::string_view timestamp_ms, std::string_view sign, std::int64_t now) {
  if (timestamp_ms.empty() || sign.empty()) return unauthorized("the timestamp and sign headers are required");
  if (auto fresh = check_timestamp_ms(timestamp_ms, now, "timestamp"); !fresh) return fresh;
  if (!same_secret(sign, dingtalk_signature(secret, timestamp_ms)))
    return unauthorized("the DingTalk sign does not match: check BATON_DINGTALK_SECRET");
  return Ok{};
}

Result<NewQuestion> parse_dingtalk(std::string_view body) {
  auto j = json_object(body);
  if (!j) return j.error();
  if (string_at(*j, {"msgtype"}) != "text") return make_error("only text messages are answered (msgtype must be text)");
  const std::string text(trim(string_at(*j, {"text", "content"})));
  if (text.empty()) return make_error("text.content is required");
  std::string asker = string_at(*j, {"senderNick"});
  if (asker.empty()) asker = string_at(*j, {"senderStaffId"});
  return NewQuestion{text, asker, "dingtalk", string_at(*j, {"msgId"})};
}

std::string dingtalk_reply(const QuestionRecord& q, std::string_view base_url) {
  std::string text;
  if (q.suggestions.empty()) text = none_found(q);
  else {
    text = "**" + q.question + "**\n\n";
    for (const auto& s : q.suggestions)
      text += "- [" + markdown_label(label_of(s)) + "](" + document_link(base_url, s.doc) + ")\n";
  }
  return dump({{"msgtype", "markdown"}, {"markdown", {{"title", "Baton: " + q.question}, {"text", text}}}});
}

// --- Feishu ------------------------------------------------------------------------------------------

std::string feishu_signature(std::string_view timestamp, std::string_view nonce, std::string_view encrypt_key,
                             std::string_view body) {
  std::string base(timestamp);
  base.append(nonce).append(encrypt_key).append(body);
  return to_hex(sha256(base));
}

Status verify_feishu_signature(std::string_view encrypt_key, std::string_view timestamp, std::string_view nonce,
                               std::string_view signature, std::string_view body, std::int64_t now) {
  if (timestamp.empty() || nonce.empty() || signature.empty())
    return unauthorized("X-Lark-Request-Timestamp, X-Lark-Request-Nonce and X-Lark-Signature are required");
  if (auto fresh = check_timestamp(timestamp, now); !fresh) return fresh;
  if (!same_secret(signature, feishu_signature(timestamp, nonce, encrypt_key, body)))
    return unauthorized("the Feishu signature does not match: check BATON_FEISHU_ENCRYPT_KEY");
  return Ok{};
}

Result<std::string> feishu_decrypt(std::string_view encrypt_key, std::string_view encrypted) {
  auto data = base64_decode(encrypted);
  if (!data || data->size() < 32 || data->size() % 16 != 0)
    return make_error("the encrypted event is not valid base64 AES (an IV and whole blocks)");
  auto plain = aes_cbc(false, sha256(encrypt_key), data->substr(0, 16), std::string_view(*data).substr(16), true);
  // A wrong key passes the padding check about once in 256 tries and gives random bytes: an event is
  // UTF-8 JSON, so bytes that are not UTF-8 were not decrypted either.
  if (!plain || !is_utf8(*plain)) return make_error("the event cannot be decrypted: check BATON_FEISHU_ENCRYPT_KEY");
  return plain;
}

Result<std::string> feishu_encrypt(std::string_view encrypt_key, std::string_view plain, std::string_view iv) {
  if (iv.size() != 16) return make_error("the IV must be 16 bytes");
  auto cipher = aes_cbc(true, sha256(encrypt_key), iv, plain, true);
  if (!cipher) return cipher.error();
  return base64_encode(std::string(iv) + *cipher);
}

Result<std::string> feishu_open(std::string_view encrypt_key, std::string_view body) {
  auto j = json_object(body);
  if (!j || !j->contains("encrypt")) return std::string(body);  // plain: parse_feishu says what is wrong
  if (encrypt_key.empty()) return make_error(encrypted_without_key);
  if (!(*j)["encrypt"].is_string()) return make_error("encrypt must be a base64 string");
  return feishu_decrypt(encrypt_key, (*j)["encrypt"].get<std::string>());
}

Result<FeishuEvent> parse_feishu(std::string_view body, std::string_view verification_token, std::int64_t now) {
  auto j = json_object(body);
  if (!j) return j.error();
  if (j->contains("encrypt")) return make_error(encrypted_without_key);
  FeishuEvent out;
  if (string_at(*j, {"type"}) == "url_verification") {
    if (!same_secret(string_at(*j, {"token"}), verification_token))
      return unauthorized("the verification token does not match: check BATON_FEISHU_VERIFICATION_TOKEN");
    out.challenge = string_at(*j, {"challenge"});
    if (out.challenge.empty()) return make_error("challenge is required");
    out.kind = FeishuEvent::Kind::challenge;
    return out;
  }
  if (string_at(*j, {"schema"}) != "2.0" || !(*j)["header"].is_object())
    return make_error("only v2.0 events (schema 2.0 with a header) are supported");
  if (!same_secret(string_at(*j, {"header", "token"}), verification_token))
    return unauthorized("the verification token does not match: check BATON_FEISHU_VERIFICATION_TOKEN");
  if (auto fresh = check_timestamp_ms(string_at(*j, {"header", "create_time"}), now, "header.create_time"); !fresh)
    return fresh.error();
  if (string_at(*j, {"header", "event_type"}) != "im.message.receive_v1") return out;  // ignored, acknowledged
  const json& message = (*j)["event"]["message"];
  if (!message.is_object()) return make_error("event.message is required");
  out.message_id = string_at(message, {"message_id"});
  out.chat_id = string_at(message, {"chat_id"});
  if (string_at(message, {"message_type"}) != "text") return out;  // images, files: nothing to ask
  const json content = json::parse(string_at(message, {"content"}), nullptr, false);
  if (content.is_discarded() || !content.is_object()) return make_error("event.message.content must be JSON text");
  // Mentions arrive as @_user_1 placeholders: the bot's own name is no part of the question.
  const std::string text(
      trim(std::regex_replace(string_at(content, {"text"}), std::regex("@_user_[0-9]+|@_all"), std::string(" "))));
  if (text.empty()) return make_error("the message text is empty");
  const json& sender = (*j)["event"]["sender"]["sender_id"];
  std::string asker = string_at(sender, {"user_id"});
  if (asker.empty()) asker = string_at(sender, {"open_id"});
  out.kind = FeishuEvent::Kind::message;
  out.question = NewQuestion{text, asker, "feishu", string_at(*j, {"header", "event_id"})};
  return out;
}

std::string feishu_reply(const QuestionRecord& q, std::string_view base_url) {
  return dump({{"question_id", q.id}, {"text", plain_reply(q, base_url)}});
}

Result<FeishuMessage> feishu_message(const FeishuEvent& event, const QuestionRecord& q, std::string_view base_url) {
  json body = {{"msg_type", "text"}, {"content", dump({{"text", plain_reply(q, base_url)}})}};
  // Feishu takes a uuid of at most 50 characters; its event ids are 32.
  if (!event.question.event_id.empty() && event.question.event_id.size() <= 50) body["uuid"] = event.question.event_id;
  if (!event.message_id.empty())
    return FeishuMessage{"/open-apis/im/v1/messages/" + percent_encode(event.message_id) + "/reply", dump(body)};
  if (event.chat_id.empty()) return make_error("the event has neither a message_id nor a chat_id to reply to");
  body["receive_id"] = event.chat_id;
  return FeishuMessage{"/open-apis/im/v1/messages?receive_id_type=chat_id", dump(body)};
}

// --- WeCom -------------------------------------------------------------------------------------------

std::string wecom_signature(std::string_view token, std::string_view timestamp, std::string_view nonce,
                            std::string_view encrypted) {
  std::array<std::string_view, 4> parts{token, timestamp, nonce, encrypted};
  std::sort(parts.begin(), parts.end());
  std::string base;
  for (const auto p : parts) base.append(p);
  return to_hex(sha1(base));
}

Result<std::string> wecom_decrypt(std::string_view aes_key, std::string_view encrypted, std::string* receive_id) {
  auto key = wecom_key(aes_key);
  if (!key) return key.error();
  auto cipher = base64_decode(encrypted);
  if (!cipher || cipher->empty() || cipher->size() % 32 != 0) return make_error("the encrypted message is not valid base64 AES");
  auto plain = aes_cbc(false, *key, *key, *cipher, false);
  if (!plain) return plain.error();
  const auto pad = static_cast<unsigned char>(plain->back());
  if (pad < 1 || pad > 32 || pad > plain->size()) return make_error("the message cannot be decrypted with this key");
  plain->resize(plain->size() - pad);
  if (plain->size() < 20) return make_error("the decrypted message is too short");
  const auto* p = reinterpret_cast<const unsigned char*>(plain->data()) + 16;
  const std::size_t length = (std::size_t{p[0]} << 24) | (std::size_t{p[1]} << 16) | (std::size_t{p[2]} << 8) | p[3];
  if (length > plain->size() - 20) return make_error("the decrypted message has a bad length");
  if (receive_id) *receive_id = plain->substr(20 + length);
  return plain->substr(20, length);
}

Result<std::string> wecom_encrypt(std::string_view aes_key, std::string_view message, std::string_view receive_id,
                                  std::string_view random) {
  auto key = wecom_key(aes_key);
  if (!key) return key.error();
  if (random.size() != 16) return make_error("16 random bytes are needed");
  std::string plain(random);
  const auto n = static_cast<std::uint32_t>(message.size());
  for (const int shift : {24, 16, 8, 0}) plain += static_cast<char>((n >> shift) & 0xff);
  plain.append(message).append(receive_id);
  const std::size_t pad = 32 - plain.size() % 32;
  plain.append(pad, static_cast<char>(pad));
  auto cipher = aes_cbc(true, *key, *key, plain, false);
  if (!cipher) return cipher.error();
  return base64_encode(*cipher);
}

Result<std::string> wecom_open(const WebhookSecrets& secrets, std::string_view msg_signature, std::string_view timestamp,
                               std::string_view nonce, std::string_view encrypted, std::int64_t now,
                               std::string* receive_id) {
  if (msg_signature.empty() || timestamp.empty() || nonce.empty() || encrypted.empty())
    return unauthorized("msg_signature, timestamp, nonce and the encrypted message are required");
  if (auto fresh = check_timestamp(timestamp, now); !fresh) return fresh.error();
  if (!same_secret(msg_signature, wecom_signature(secrets.wecom_token, timestamp, nonce, encrypted)))
    return unauthorized("the WeCom msg_signature does not match: check BATON_WECOM_TOKEN");
  std::string id;
  auto plain = wecom_decrypt(secrets.wecom_aes_key, encrypted, &id);
  if (!plain) return plain;
  // The receive id names the corp the message was encrypted for: another corp's is not ours to answer.
  if (!secrets.wecom_corp_id.empty() && id != secrets.wecom_corp_id)
    return unauthorized("the message is for another WeCom corp (receive id '" + sanitize_utf8(id) +
                        "'): check BATON_WECOM_CORP_ID");
  if (receive_id) *receive_id = id;
  return plain;
}

Result<std::string> wecom_encrypted_field(std::string_view xml) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) return make_error("body must be WeCom callback XML");
  const std::string encrypted = doc.child("xml").child("Encrypt").child_value();
  if (encrypted.empty()) return make_error("<Encrypt> is required");
  return encrypted;
}

Result<WeComMessage> parse_wecom(std::string_view xml) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) return make_error("the decrypted message is not XML");
  const pugi::xml_node root = doc.child("xml");
  if (std::string_view(root.child("MsgType").child_value()) != "text")
    return make_error("only text messages are answered (MsgType must be text)");
  WeComMessage out;
  out.to_user = root.child("ToUserName").child_value();
  out.from_user = root.child("FromUserName").child_value();
  const std::string text(trim(root.child("Content").child_value()));
  if (text.empty()) return make_error("<Content> is required");
  if (!is_utf8(text)) return make_error("<Content> must be UTF-8");
  out.question = NewQuestion{text, out.from_user, "wecom", root.child("MsgId").child_value()};
  return out;
}

Result<std::string> wecom_reply(const WebhookSecrets& secrets, const WeComMessage& message, const QuestionRecord& question,
                                std::string_view base_url, std::string_view receive_id, std::string_view timestamp,
                                std::string_view nonce, std::string_view random) {
  const std::string plain = "<xml><ToUserName>" + cdata(message.from_user) + "</ToUserName><FromUserName>" +
                            cdata(message.to_user) + "</FromUserName><CreateTime>" + std::string(timestamp) +
                            "</CreateTime><MsgType>" + cdata("text") + "</MsgType><Content>" +
                            cdata(plain_reply(question, base_url)) + "</Content></xml>";
  std::string bytes(random);
  if (bytes.empty()) {
    bytes.resize(16);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), 16) != 1) return make_error("no random bytes");
  }
  auto encrypted = wecom_encrypt(secrets.wecom_aes_key, plain, receive_id, bytes);
  if (!encrypted) return encrypted.error();
  return "<xml><Encrypt>" + cdata(*encrypted) + "</Encrypt><MsgSignature>" +
         cdata(wecom_signature(secrets.wecom_token, timestamp, nonce, *encrypted)) + "</MsgSignature><TimeStamp>" +
         std::string(timestamp) + "</TimeStamp><Nonce>" + cdata(nonce) + "</Nonce></xml>";
}

}  // namespace baton
