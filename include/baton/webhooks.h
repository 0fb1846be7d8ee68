// Chat webhooks: a question asked in Slack, DingTalk, Feishu/Lark or WeCom, checked the way each
// platform documents (signature, token, timestamp), turned into a NewQuestion, and the suggested
// answers written back in the platform's own reply format. Pure functions: no I/O, no clock (the
// caller passes `now`), so every check is testable with fixed vectors. The server only routes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "baton/catalog.h"
#include "baton/questions.h"
#include "baton/result.h"

namespace baton {

/// Secrets of the platforms (from the environment). An empty one: that platform is not configured.
struct WebhookSecrets {
  std::string slack_signing_secret;       ///< BATON_SLACK_SIGNING_SECRET
  std::string dingtalk_secret;            ///< BATON_DINGTALK_SECRET (the robot's AppSecret)
  std::string feishu_verification_token;  ///< BATON_FEISHU_VERIFICATION_TOKEN
  std::string feishu_encrypt_key;         ///< BATON_FEISHU_ENCRYPT_KEY (optional: decryption, signature check)
  std::string wecom_token;                ///< BATON_WECOM_TOKEN
  std::string wecom_aes_key;              ///< BATON_WECOM_AES_KEY (EncodingAESKey, 43 characters)
  std::string wecom_corp_id{};            ///< BATON_WECOM_CORP_ID (optional: the receive id messages must carry)
};

/// A request older (or further in the future) than this is refused as a possible replay.
inline constexpr std::int64_t webhook_max_age_seconds = 300;

// --- shared crypto helpers (OpenSSL) ---------------------------------------------------------------

/// Raw HMAC-SHA256 of `data` with `key`.
std::string hmac_sha256(std::string_view key, std::string_view data);
/// Raw SHA-256 / SHA-1 digests.
std::string sha256(std::string_view data);
std::string sha1(std::string_view data);
/// Lower-case hex of bytes.
std::string to_hex(std::string_view bytes);
std::string base64_encode(std::string_view bytes);
/// Errors: not base64.
Result<std::string> base64_decode(std::string_view text);
/// Equal bytes, compared in time that does not depend on where they differ (CRYPTO_memcmp).
bool same_secret(std::string_view a, std::string_view b);
/// A request timestamp in seconds, as text. Errors (unauthorized): not a number, too old or too new.
Status check_timestamp(std::string_view seconds, std::int64_t now);

/// The link to a Baton document in the UI: BASE/#/doc/ID.
std::string document_link(std::string_view base_url, std::string_view doc);

// --- Slack slash command ---------------------------------------------------------------------------

/// "v0=" + hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + body)).
std::string slack_signature(std::string_view secret, std::string_view timestamp, std::string_view body);
/// Checks X-Slack-Request-Timestamp and X-Slack-Signature. Errors (unauthorized): missing, stale, wrong.
Status verify_slack(std::string_view secret, std::string_view timestamp, std::string_view signature,
                    std::string_view body, std::int64_t now);
/// The form body (text, user_name, user_id, ...). The event id is "trigger:" + trigger_id (one per
/// invocation, the same in a retry marked X-Slack-Retry-Num), or without one "body:" + hex SHA-256 of
/// the body (a retry repeats the payload byte for byte). Errors: no text.
Result<NewQuestion> parse_slack(std::string_view body);
/// {"response_type": "ephemeral", "text": ...} with the suggestions as Slack links.
std::string slack_reply(const QuestionRecord& question, std::string_view base_url);

// --- DingTalk outgoing robot -----------------------------------------------------------------------

/// base64(HMAC-SHA256(secret, timestamp + "\n" + secret)); the timestamp is in milliseconds.
std::string dingtalk_signature(std::string_view secret, std::string_view timestamp_ms);
/// Checks the `timestamp` and `sign` headers. Errors (unauthorized): missing, stale, wrong.
Status verify_dingtalk(std::string_view secret, std::string_view timestamp_ms, std::string_view sign, std::int64_t now);
/// {"msgtype": "text", "text": {"content"}, "senderNick", "msgId", ...}; msgId is the event id. Errors: not
/// JSON, not a text message, no content.
Result<NewQuestion> parse_dingtalk(std::string_view body);
/// {"msgtype": "markdown", "markdown": {"title", "text"}}.
std::string dingtalk_reply(const QuestionRecord& question, std::string_view base_url);

// --- Feishu / Lark event subscription --------------------------------------------------------------

/// hex(SHA-256(timestamp + nonce + encrypt_key + body)): X-Lark-Signature.
std::string feishu_signature(std::string_view timestamp, std::string_view nonce, std::string_view encrypt_key,
                             std::string_view body);
/// Checks X-Lark-Request-Timestamp / -Nonce / X-Lark-Signature. Errors (unauthorized): missing, stale, wrong.
Status verify_feishu_signature(std::string_view encrypt_key, std::string_view timestamp, std::string_view nonce,
                               std::string_view signature, std::string_view body, std::int64_t now);

/// AES-256-CBC with key SHA-256(encrypt_key), the IV the first 16 bytes of the base64-decoded data,
/// PKCS#7 padding: Feishu's {"encrypt": ...}. Errors: not base64, too short, wrong key (bad padding).
Result<std::string> feishu_decrypt(std::string_view encrypt_key, std::string_view encrypted);
/// The reverse, with a given 16-byte `iv` (for tests and fixtures). Errors: iv not 16 bytes.
Result<std::string> feishu_encrypt(std::string_view encrypt_key, std::string_view plain, std::string_view iv);
/// The event JSON of a request body: {"encrypt": ...} decrypted with `encrypt_key`, a plain body as it
/// is. Errors (invalid): encrypted without a key configured, undecryptable, the encrypt field not a string.
Result<std::string> feishu_open(std::string_view encrypt_key, std::string_view body);

struct FeishuEvent {
  enum class Kind { challenge, message, ignored };
  Kind kind = Kind::ignored;
  std::string challenge;  ///< for Kind::challenge: what to echo
  NewQuestion question;   ///< for Kind::message; its event_id is header.event_id
  std::string message_id; ///< event.message.message_id: what a reply answers
  std::string chat_id;    ///< event.message.chat_id
};
/// A url_verification challenge or a v2.0 event (im.message.receive_v1 → a question; other events are
/// ignored), decrypted already (see feishu_open). The token must match. Errors: not JSON, still
/// encrypted, malformed (invalid); a wrong token or a stale create_time (unauthorized).
Result<FeishuEvent> parse_feishu(std::string_view body, std::string_view verification_token, std::int64_t now);
/// Feishu ignores the body of the answer (a bot replies through the messaging API, see feishu_message);
/// Baton answers {"question_id", "text"} so the suggestions can be seen and tested.
std::string feishu_reply(const QuestionRecord& question, std::string_view base_url);

/// A call to Feishu's IM API: the path and query under the API base, and the JSON body.
struct FeishuMessage {
  std::string path;
  std::string body;
};
/// The reply to a message event as a text message: POST /open-apis/im/v1/messages/{message_id}/reply,
/// or without a message id POST /open-apis/im/v1/messages?receive_id_type=chat_id to the chat. Its
/// uuid is the event id, so Feishu posts it once even if it is sent twice. Errors: neither id.
Result<FeishuMessage> feishu_message(const FeishuEvent& event, const QuestionRecord& question, std::string_view base_url);

// --- WeCom (企业微信) callback ---------------------------------------------------------------------

/// hex(SHA-1(sorted(token, timestamp, nonce, encrypted) concatenated)): msg_signature.
std::string wecom_signature(std::string_view token, std::string_view timestamp, std::string_view nonce,
                            std::string_view encrypted);
/// Decrypts a WeCom message (AES-256-CBC, key = base64(aes_key + "="), IV = its first 16 bytes):
/// the message, its receive id in `receive_id`. Errors: a bad key, not base64, bad padding or length.
Result<std::string> wecom_decrypt(std::string_view aes_key, std::string_view encrypted, std::string* receive_id = nullptr);
/// Encrypts `message` the same way, with 16 `random` bytes in front. Errors: a bad key, random not 16 bytes.
Result<std::string> wecom_encrypt(std::string_view aes_key, std::string_view message, std::string_view receive_id,
                                  std::string_view random);
/// Checks msg_signature and the timestamp of a callback and decrypts `encrypted` (the GET echostr or
/// the POST <Encrypt>); with secrets.wecom_corp_id set, the receive id must be it. Errors: unauthorized
/// (missing, stale, wrong signature, another corp's receive id), invalid (cannot decrypt).
Result<std::string> wecom_open(const WebhookSecrets& secrets, std::string_view msg_signature, std::string_view timestamp,
                               std::string_view nonce, std::string_view encrypted, std::int64_t now,
                               std::string* receive_id = nullptr);
/// The <Encrypt> of a callback's XML body. Errors: not XML, none.
Result<std::string> wecom_encrypted_field(std::string_view xml);

struct WeComMessage {
  NewQuestion question;
  std::string to_user;    ///< ToUserName: the corp, replied from
  std::string from_user;  ///< FromUserName: the sender, replied to
};
/// A decrypted text message (<MsgType>text</MsgType>, <Content>, <FromUserName>, <MsgId> the event id).
/// Errors: not XML, not text.
Result<WeComMessage> parse_wecom(std::string_view xml);
/// The passive reply: a text message to the sender, encrypted and signed, as XML. `random`: 16 bytes,
/// or empty for fresh random ones.
Result<std::string> wecom_reply(const WebhookSecrets& secrets, const WeComMessage& message, const QuestionRecord& question,
                                std::string_view base_url, std::string_view receive_id, std::string_view timestamp,
                                std::string_view nonce, std::string_view random = {});

}  // namespace baton
