// RFC 5322 / MIME mail and mbox through GMime: headers (RFC 2047 words, 8-bit GBK headers), the body
// decoded by its declared charset with our own detection when the declaration is missing or wrong,
// thread and organisation metadata, and every readable attachment as a document of its own.
#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <memory>
#include <optional>

#include "baton/extract.h"
#include "baton/text.h"
#include "extract_internal.h"

namespace baton::detail {

namespace {

template <typename T>
struct GObjectDeleter {
  void operator()(T* p) const {
    if (p) g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectDeleter<T>>;

// A mail attached to a mail attached to a mail: the third level is read, its attachments are not.
constexpr int max_attachment_depth = 2;
// Decoded attachment bytes extracted per message; the rest are listed by name only.
constexpr std::size_t max_attachment_bytes = 64u << 20;

// Attachments go back through extract(), which may land in extract_mail or extract_mbox again: the
// nesting level has to survive that round trip, and each indexing worker has its own.
thread_local int attachment_depth = 0;

class DepthGuard {
 public:
  DepthGuard() { ++attachment_depth; }
  ~DepthGuard() { --attachment_depth; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
};

GMimeParserOptions* parser_options() {
  static GMimeParserOptions* options = [] {
    g_mime_init();
    GMimeParserOptions* o = g_mime_parser_options_new();
    // Undeclared 8-bit headers here are UTF-8 or GB18030 (a superset of GBK and GB2312).
    const char* fallback[] = {"UTF-8", "GB18030", nullptr};
    g_mime_parser_options_set_fallback_charsets(o, fallback);
    return o;
  }();
  return options;
}

// A parser reading `bytes` in place. GMime's memory stream copies what it is created with; pointed at
// a borrowed GByteArray it only reads, and the parts it builds are substreams of the same buffer, so a
// 100 MB mbox is never copied whole. `bytes` must outlive every message parsed from here.
class MailParser {
 public:
  MailParser(std::string_view bytes, GMimeFormat format) {
    array_.data = reinterpret_cast<guint8*>(const_cast<char*>(bytes.data()));
    array_.len = static_cast<guint>(bytes.size());
    stream_.reset(g_mime_stream_mem_new());
    g_mime_stream_mem_set_byte_array(GMIME_STREAM_MEM(stream_.get()), &array_);
    parser_.reset(g_mime_parser_new_with_stream(stream_.get()));
    g_mime_parser_set_format(parser_.get(), format);
  }
  MailParser(const MailParser&) = delete;  // the stream points into array_: the parser stays put
  MailParser& operator=(const MailParser&) = delete;
  GMimeParser* get() const { return parser_.get(); }

 private:
  GByteArray array_{};
  GPtr<GMimeStream> stream_;
  GPtr<GMimeParser> parser_;
};


// --- headers ----------------------------------------------------------------------------------

// GMime 3.2.13 (Debian 12) joins adjacent B-encoded words of one charset before base64-decoding them,
// and its decoder stops at the first word's '=' padding: "=?UTF-8?B?5ZGo?= =?UTF-8?B?5pel?=" loses
// everything after the first word (github.com/jstedfast/gmime/issues/133; it cuts 2 subjects of the
// Chinese list corpus short). Joining such a run into one word ourselves, with GLib's base64, gives
// GMime input it decodes right; GMime still does the charset work.
struct EncodedWord {
  std::size_t begin = 0, end = 0;
  std::string_view charset;
  char encoding = 0;
  std::string_view text;
};

std::optional<EncodedWord> next_encoded_word(std::string_view s, std::size_t from) {
  for (std::size_t at = s.find("=?", from); at != std::string_view::npos; at = s.find("=?", at + 2)) {
    const std::size_t q1 = s.find('?', at + 2);
    if (q1 == std::string_view::npos || q1 + 2 >= s.size()) return std::nullopt;
    if (s[q1 + 2] != '?') continue;
    const std::size_t close = s.find("?=", q1 + 3);
    if (close == std::string_view::npos) return std::nullopt;
    EncodedWord w{at, close + 2, s.substr(at + 2, q1 - at - 2),
                  static_cast<char>(std::toupper(static_cast<unsigned char>(s[q1 + 1]))),
                  s.substr(q1 + 3, close - q1 - 3)};
    if (w.text.find_first_of(" \t\r\n") == std::string_view::npos) return w;
  }
  return std::nullopt;
}

bool same_charset(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// True if `next` continues the run of B-words ending at `end` (only white space between them).
bool joins(std::string_view raw, const EncodedWord& first, std::size_t end, const std::optional<EncodedWord>& next) {
  return next && next->encoding == 'B' && same_charset(first.charset, next->charset) &&
         trim(raw.substr(end, next->begin - end)).empty();
}

std::string base64_decoded(std::string_view text) {
  const std::string copy(text);
  gsize n = 0;
  guchar* bytes = g_base64_decode(copy.c_str(), &n);
  std::string out(reinterpret_cast<const char*>(bytes), n);
  g_free(bytes);
  return out;
}

// `raw` with every run of same-charset B-words that has a padded word inside joined into one word;
// empty when nothing needed joining, so ordinary headers take GMime's own path.
std::string join_padded_b_words(std::string_view raw) {
  std::string out;
  std::size_t copied = 0;
  for (auto word = next_encoded_word(raw, 0); word;) {
    std::optional<EncodedWord> next = next_encoded_word(raw, word->end);
    if (word->encoding != 'B' || !joins(raw, *word, word->end, next)) {
      word = next;
      continue;
    }
    std::string bytes = base64_decoded(word->text);
    bool padded = word->text.ends_with("=");
    std::size_t end = word->end;
    for (; joins(raw, *word, end, next); next = next_encoded_word(raw, end)) {
      padded = padded || next->text.ends_with("=");
      bytes += base64_decoded(next->text);
      end = next->end;
    }
    if (padded) {
      gchar* encoded = g_base64_encode(reinterpret_cast<const guchar*>(bytes.data()), bytes.size());
      out.append(raw.substr(copied, word->begin - copied)).append("=?").append(word->charset).append("?B?");
      out.append(encoded).append("?=");
      g_free(encoded);
      copied = end;
    }
    word = next;
  }
  if (copied == 0) return {};
  return out.append(raw.substr(copied));
}

// `raw` with local parts such as "j..kean@enron.com" or "<.palmer@enron.com>" quoted ("j..kean"@enron.com),
// which GMime otherwise drops, sender and all (152 of the 2,068 Enron mails lost their From). Empty
// when there is none.
std::string quote_dotted_local_parts(std::string_view raw) {
  std::string out;
  std::size_t copied = 0;
  for (std::size_t at = raw.find('@'); at != std::string_view::npos; at = raw.find('@', at + 1)) {
    std::size_t begin = at;
    while (begin > 0 && !std::isspace(static_cast<unsigned char>(raw[begin - 1])) &&
           std::string_view("<>,;:\"()").find(raw[begin - 1]) == std::string_view::npos)
      --begin;
    const std::string_view local = raw.substr(begin, at - begin);
    if (begin < copied || local.empty() ||
        (local.front() != '.' && local.back() != '.' && local.find("..") == std::string_view::npos))
      continue;
    out.append(raw.substr(copied, begin - copied)).append("\"").append(local).append("\"");
    copied = at;
  }
  if (copied == 0) return {};
  return out.append(raw.substr(copied));
}

// The raw value of a header made safe for GMime's parser; empty if it needed no repair.
std::string repaired_header(GMimeMessage* message, const char* name, bool addresses = false) {
  GMimeHeader* header = g_mime_header_list_get_header(g_mime_object_get_header_list(GMIME_OBJECT(message)), name);
  const char* raw = header ? g_mime_header_get_raw_value(header) : nullptr;
  if (!raw) return {};
  std::string fixed = join_padded_b_words(raw);
  if (!addresses) return fixed;
  std::string quoted = quote_dotted_local_parts(fixed.empty() ? std::string_view(raw) : std::string_view(fixed));
  return quoted.empty() ? fixed : quoted;
}

std::string subject_of(GMimeMessage* message) {
  if (const std::string fixed = repaired_header(message, "Subject"); !fixed.empty()) {
    gchar* decoded = g_mime_utils_header_decode_text(parser_options(), fixed.c_str());
    std::string subject = decoded ? decoded : "";
    g_free(decoded);
    return subject;
  }
  const char* subject = g_mime_message_get_subject(message);
  return subject ? subject : "";
}

// An address header, through the repair above when it needs it ("=?gbk?B?...=?= =?gbk?B?...?=" names).
struct AddressList {
  InternetAddressList* list = nullptr;
  GPtr<InternetAddressList> owned;
};

AddressList addresses_of(GMimeMessage* message, GMimeAddressType type, const char* name) {
  AddressList out;
  if (const std::string fixed = repaired_header(message, name, true); !fixed.empty())
    out.owned.reset(internet_address_list_parse(parser_options(), fixed.c_str()));
  out.list = out.owned ? out.owned.get() : g_mime_message_get_addresses(message, type);
  return out;
}

// --- people and organisations -----------------------------------------------------------------

struct People {
  std::vector<std::string> shown;      // "Name <addr>" in header order, each address once
  std::vector<std::string> addresses;  // lower-case addresses, parallel to `shown`
};

void add_address(InternetAddress* ia, People& people, std::string* line) {
  if (INTERNET_ADDRESS_IS_GROUP(ia)) {  // "team: a@x, b@y;" and "undisclosed-recipients:;"
    InternetAddressList* members = internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia));
    for (int i = 0, n = members ? internet_address_list_length(members) : 0; i < n; ++i)
      add_address(internet_address_list_get_address(members, i), people, line);
    return;
  }
  const char* name = internet_address_get_name(ia);
  const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
  std::string address = addr ? std::string(trim(addr)) : std::string();
  std::erase(address, '"');  // "j..kean"@enron.com, quoted above to get it through GMime
  std::string who = name ? sanitize_utf8(trim(name)) : std::string();
  if (!address.empty()) who = who.empty() ? address : who + " <" + address + ">";
  if (who.empty()) return;
  if (line) *line += (line->empty() ? "" : ", ") + who;
  address = ascii_lower(address);
  const bool seen = !address.empty() &&
                    std::find(people.addresses.begin(), people.addresses.end(), address) != people.addresses.end();
  if (seen) return;
  people.shown.push_back(sanitize_utf8(who));
  people.addresses.push_back(sanitize_utf8(address));
}

std::string add_addresses(InternetAddressList* list, People& people) {
  std::string line;
  for (int i = 0, n = list ? internet_address_list_length(list) : 0; i < n; ++i)
    add_address(internet_address_list_get_address(list, i), people, &line);
  return line;
}

}  // namespace

// Free mailboxes say nothing about whom a person works for.
bool public_mail_domain(std::string_view domain) {
  static constexpr std::string_view providers[] = {
      "qq.com",         "vip.qq.com",  "foxmail.com", "163.com",    "vip.163.com",  "126.com",   "vip.126.com",
      "yeah.net",       "188.com",     "sina.com",    "sina.cn",    "vip.sina.com", "sohu.com",  "tom.com",
      "139.com",        "189.cn",      "wo.cn",       "aliyun.com", "21cn.com",     "263.net",   "gmail.com",
      "googlemail.com", "outlook.com", "hotmail.com", "live.com",   "msn.com",      "yahoo.com", "yahoo.com.cn",
      "yahoo.cn",       "ymail.com",   "icloud.com",  "me.com",     "mac.com",      "aol.com",   "protonmail.com",
      "proton.me",      "gmx.com",     "gmx.net",     "mail.com",   "yandex.com"};
  return std::find(std::begin(providers), std::end(providers), domain) != std::end(providers);
}

namespace {

void add_unique(std::vector<std::string>& list, std::string value) {
  if (!value.empty() && std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// Where the quoted earlier mail starts: the signature we want sits above it.
bool quote_start(std::string_view line) {
  if (line.starts_with(">")) return true;
  if (line.find("原始邮件") != std::string_view::npos || line.find("Original Message") != std::string_view::npos)
    return true;
  if (line.starts_with("发件人:") || line.starts_with("发件人：") || line.starts_with("From:")) return true;
  return line.ends_with("写道:") || line.ends_with("写道：") || line.ends_with("wrote:");
}

// "Northwind Trading" in "Northwind Trading Ltd": every word capitalised (small joining words aside),
// so "Time is limited" is no company.
bool title_case_name(std::string_view line, std::size_t name_end) {
  const std::string_view name = trim(line.substr(0, name_end));
  if (name.empty() || line.size() > 60 || std::count(line.begin(), line.end(), ' ') > 7) return false;
  for (std::size_t pos = 0; pos < name.size();) {
    std::size_t end = name.find(' ', pos);
    if (end == std::string_view::npos) end = name.size();
    const std::string_view word = name.substr(pos, end - pos);
    pos = end + 1;
    if (word.empty() || word == "of" || word == "and" || word == "&" || word == "the") continue;
    if (!std::isupper(static_cast<unsigned char>(word[0])) && !std::isdigit(static_cast<unsigned char>(word[0])))
      return false;
  }
  return ascii_lower(line).find("copyright") == std::string::npos;
}

// "杭州青禾电子商务有限公司" or "Ruifeng Trade Co., Ltd." alone on a signature line; anything that reads
// like a sentence (a disclaimer, "我们公司…") is not a name.
std::string company_in(std::string_view line) {
  if (auto colon = line.rfind("："); colon != std::string_view::npos)
    line = trim(line.substr(colon + 3));
  else if (auto c = line.rfind(": "); c != std::string_view::npos)
    line = trim(line.substr(c + 2));
  for (std::string_view bad : {"，", "。", "、", "；", "！", "？", "\"", "©", "我们", "您", "的"})
    if (line.find(bad) != std::string_view::npos) return {};
  for (std::string_view own : {"本", "我", "贵", "你", "该", "此", "各"})
    if (line.starts_with(own)) return {};
  // "临澄市第一人民医院 设备科": the organisation, then the department the sender is in.
  if (const auto space = line.rfind(' '); space != std::string_view::npos) {
    const std::string_view department = trim(line.substr(space + 1));
    static constexpr std::string_view units[] = {"科", "部", "处", "室", "组", "办"};
    if (code_points(department) >= 2 && code_points(department) <= 8 &&
        std::any_of(std::begin(units), std::end(units), [&](std::string_view u) { return department.ends_with(u); }))
      line = trim(line.substr(0, space));
  }
  // Companies, and the institutions a team also serves (hospitals, schools, banks).
  static constexpr std::string_view cjk_suffixes[] = {"有限公司", "集团", "公司", "医院", "卫生院", "保健院",
                                                      "大学",     "学院", "学校", "研究院", "研究所", "银行"};
  for (std::string_view suffix : cjk_suffixes)
    if (line.ends_with(suffix)) {
      const std::size_t n = code_points(line);
      if (n < code_points(suffix) + 2 || n > 30 || line.find(' ') != std::string_view::npos) return {};
      return std::string(line);
    }
  const std::string lower = ascii_lower(line);
  static constexpr std::string_view latin_suffixes[] = {" co., ltd.", " co., ltd", " co.,ltd.", " co.,ltd",
                                                        " ltd.",      " ltd",      " limited",  " inc.",
                                                        " inc",       " llc",      " gmbh"};
  for (std::string_view suffix : latin_suffixes) {
    if (!lower.ends_with(suffix)) continue;
    // "Logistics Coordinator, Northwind Trading Ltd": the job title before the comma is not the name.
    std::string_view name = line.substr(0, line.size() - suffix.size());
    if (name.ends_with(",")) name.remove_suffix(1);
    if (const auto cut = name.rfind(", "); cut != std::string_view::npos) line = trim(line.substr(cut + 2));
    return title_case_name(line, line.size() - suffix.size()) ? std::string(line) : "";
  }
  return {};
}

std::string signature_company(std::string_view body) {
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0; pos <= body.size();) {
    std::size_t end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view line = trim(body.substr(pos, end - pos));
    pos = end + 1;
    if (quote_start(line)) break;
    if (!line.empty()) lines.push_back(line);
  }
  const std::size_t window = std::min<std::size_t>(lines.size(), 8);
  for (std::size_t i = 0; i < window; ++i)
    if (std::string name = company_in(lines[lines.size() - 1 - i]); !name.empty()) return name;
  return {};
}

std::string domain_of(std::string_view address) {
  const auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string() : ascii_lower(trim(address.substr(at + 1)));
}

// A mailing list's host (List-Post: <mailto:linux-erofs@lists.ozlabs.org>, lists.*) is nobody's employer.
bool list_domain(std::string_view domain, std::string_view list_post) {
  return domain.starts_with("lists.") || (!list_post.empty() && domain == list_post);
}

std::string list_post_domain(GMimeMessage* message) {
  const char* value = g_mime_object_get_header(GMIME_OBJECT(message), "List-Post");
  if (!value) return {};
  const std::string_view post(value);
  return domain_of(post.substr(0, post.find('>')));
}

std::vector<std::string> organisations(const People& people, std::string_view list_post, std::string_view body) {
  std::vector<std::string> out;
  for (const std::string& address : people.addresses) {
    std::string domain = domain_of(address);
    if (domain.find('.') != std::string::npos && !public_mail_domain(domain) && !list_domain(domain, list_post))
      add_unique(out, std::move(domain));
  }
  add_unique(out, signature_company(body));
  return out;
}

// --- threads ----------------------------------------------------------------------------------

// The first Message-ID of a References or In-Reply-To header, without <>.
std::string first_message_id(GMimeMessage* message, const char* header) {
  const char* value = g_mime_object_get_header(GMIME_OBJECT(message), header);
  if (!value) return {};
  GMimeReferences* refs = g_mime_references_parse(parser_options(), value);
  std::string id;
  if (refs && g_mime_references_length(refs) > 0) id = g_mime_references_get_message_id(refs, 0);
  if (refs) g_mime_references_free(refs);
  return sanitize_utf8(id);
}

// --- body and attachments ---------------------------------------------------------------------

struct Attachment {
  std::string name;
  GMimeObject* part;  // owned by the message
};

struct Content {
  std::vector<std::string> body;  // the text parts a reader sees, in order
  std::vector<Attachment> attachments;
};

// The transfer-decoded bytes of a part.
GPtr<GMimeStream> part_bytes(GMimePart* part) {
  GPtr<GMimeStream> mem(g_mime_stream_mem_new());
  if (GMimeDataWrapper* content = g_mime_part_get_content(part))
    g_mime_data_wrapper_write_to_stream(content, mem.get());
  return mem;
}

std::string_view view(GMimeStream* mem) {
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
  return {reinterpret_cast<const char*>(bytes->data), bytes->len};
}

// Text of a part, converted to UTF-8 from its declared charset unless the bytes are already valid
// UTF-8 (declarations lie: "gb2312" on UTF-8 text is common); HTML reduced to its visible text.
std::string part_text(GMimePart* part) {
  auto bytes = part_bytes(part);
  const char* charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
  auto decoded = to_utf8(view(bytes.get()), charset ? charset : "");
  if (!decoded) return {};
  GMimeContentType* type = g_mime_object_get_content_type(GMIME_OBJECT(part));
  return g_mime_content_type_is_type(type, "text", "html") ? html_to_text(decoded->text) : decoded->text;
}

// One line of header text for the title: folded subjects keep no line breaks.
std::string one_line(std::string_view s) {
  std::string out = sanitize_utf8(trim(s));
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\r' || c == '\n' || c == '\t'; }, ' ');
  return out;
}

// "C:\Users\lin\报价.xlsx" → "报价.xlsx".
std::string base_name(std::string_view name) {
  if (auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) name = name.substr(slash + 1);
  return sanitize_utf8(trim(name));
}

std::string unnamed(GMimeObject* part, std::size_t n) {
  GMimeContentType* type = g_mime_object_get_content_type(part);
  std::string name = "attachment-" + std::to_string(n + 1);
  if (g_mime_content_type_is_type(type, "text", "plain")) return name + ".txt";
  if (g_mime_content_type_is_type(type, "text", "html")) return name + ".html";
  return name;
}

bool is_text(GMimeObject* part, const char* subtype) {
  return g_mime_content_type_is_type(g_mime_object_get_content_type(part), "text", subtype);
}

void walk(GMimeObject* object, Content& content, bool body_wanted, bool top_level);

// multipart/alternative: one rendering is the body (plain preferred, HTML when plain is missing or
// empty); the others are only searched for attachments (Apple Mail hides them in the HTML branch).
void walk_alternative(GMimeMultipart* multipart, Content& content, bool body_wanted) {
  const int n = g_mime_multipart_get_count(multipart);
  int chosen = -1;
  for (const char* subtype : {"plain", "html"}) {
    for (int i = 0; i < n && chosen < 0; ++i) {
      GMimeObject* child = g_mime_multipart_get_part(multipart, i);
      if (!GMIME_IS_PART(child) || !is_text(child, subtype) || g_mime_part_get_filename(GMIME_PART(child))) continue;
      if (!std::string(trim(part_text(GMIME_PART(child)))).empty()) chosen = i;
    }
  }
  for (int i = 0; i < n && chosen < 0; ++i)
    if (GMIME_IS_MULTIPART(g_mime_multipart_get_part(multipart, i))) chosen = i;
  for (int i = 0; i < n; ++i) walk(g_mime_multipart_get_part(multipart, i), content, body_wanted && i == chosen, false);
}

void walk_part(GMimePart* part, Content& content, bool body_wanted, bool top_level) {
  GMimeObject* object = GMIME_OBJECT(part);
  const char* filename = g_mime_part_get_filename(part);
  const bool declared_attachment = g_mime_part_is_attachment(part);
  // Pictures embedded in an HTML body (cid:image001.png) are part of the body, not attachments.
  if (!declared_attachment && g_mime_object_get_content_id(object) && !is_text(object, "plain")) return;
  if (declared_attachment || (filename && *filename && !top_level)) {
    std::string name = filename && *filename ? base_name(filename) : std::string();
    content.attachments.push_back({name.empty() ? unnamed(object, content.attachments.size()) : name, object});
    return;
  }
  if (body_wanted && (is_text(object, "plain") || is_text(object, "html"))) content.body.push_back(part_text(part));
}

void walk(GMimeObject* object, Content& content, bool body_wanted, bool top_level) {
  if (GMIME_IS_MESSAGE_PART(object)) {
    GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
    const char* filename = g_mime_object_get_content_disposition_parameter(object, "filename");
    std::string name = filename ? base_name(filename) : std::string();
    if (name.empty()) {
      name = inner ? one_line(subject_of(inner)) : std::string();
      if (name.empty()) name = "message";
      std::replace_if(
          name.begin(), name.end(), [](char c) { return c == '/' || c == '\\'; }, '_');
      name += ".eml";
    }
    content.attachments.push_back({name, object});
  } else if (GMIME_IS_MULTIPART_SIGNED(object)) {
    walk(g_mime_multipart_get_part(GMIME_MULTIPART(object), GMIME_MULTIPART_SIGNED_CONTENT), content, body_wanted,
         false);
  } else if (GMIME_IS_MULTIPART_ENCRYPTED(object)) {
    return;
  } else if (GMIME_IS_MULTIPART(object)) {
    GMimeMultipart* multipart = GMIME_MULTIPART(object);
    if (g_mime_content_type_is_type(g_mime_object_get_content_type(object), "multipart", "alternative"))
      return walk_alternative(multipart, content, body_wanted);
    for (int i = 0, n = g_mime_multipart_get_count(multipart); i < n; ++i)
      walk(g_mime_multipart_get_part(multipart, i), content, body_wanted, false);
  } else if (GMIME_IS_PART(object)) {
    walk_part(GMIME_PART(object), content, body_wanted, top_level);
  }
}

// The bytes extract() should see for an attachment: a part's decoded content, an attached message as
// written (it is parsed again as a file of its own).
GPtr<GMimeStream> attachment_bytes(GMimeObject* part) {
  if (GMIME_IS_PART(part)) return part_bytes(GMIME_PART(part));
  GPtr<GMimeStream> mem(g_mime_stream_mem_new());
  GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(part));
  if (inner) g_mime_object_write_to_stream(GMIME_OBJECT(inner), nullptr, mem.get());
  return mem;
}

// Appends the documents of the readable attachments after the mail at `mail_index` in `docs`.
void extract_attachments(const std::vector<Attachment>& attachments, std::vector<Document>& docs,
                         std::size_t mail_index) {
  if (attachment_depth >= max_attachment_depth) return;
  const DepthGuard guard;
  std::size_t budget = max_attachment_bytes;
  for (const Attachment& a : attachments) {
    const bool message = GMIME_IS_MESSAGE_PART(a.part);
    // An attached message is read as mail whatever its name says ("Fwd: 报价", "note.msg.txt").
    const std::string as = message && format_of(a.name) != Format::mail ? a.name + ".eml" : a.name;
    if (format_of(as) == Format::unsupported) continue;
    auto bytes = attachment_bytes(a.part);
    const std::string_view data = view(bytes.get());
    if (data.size() > budget) continue;
    budget -= data.size();
    auto extracted = extract(as, data);
    if (!extracted) continue;  // listed in the mail's attachments all the same
    const std::size_t first = docs.size();
    const Document& mail = docs[mail_index];
    const std::string date = mail.date, thread = mail.thread;  // copies: pushing below moves `docs`
    const std::vector<std::string> participants = mail.participants, orgs = mail.organisations;
    const std::string stem = std::filesystem::path(as).stem().string();
    const bool mail_like = format_of(as) == Format::mail || format_of(as) == Format::mbox;
    for (Document& doc : *extracted) {
      // Inner links (an attached mail's own attachments) keep pointing at their mail.
      doc.parent = doc.parent >= 0 ? static_cast<int>(first) + doc.parent : static_cast<int>(mail_index);
      // extract() titled a file without a title of its own by its stem; the full name says more. An
      // attached mail's subject stays, even where its name was made from it.
      if (!mail_like && (doc.title.empty() || doc.title == stem)) doc.title = a.name;
      if (doc.date.empty()) doc.date = date;
      if (doc.participants.empty()) doc.participants = participants;
      if (doc.organisations.empty()) doc.organisations = orgs;
      if (doc.thread.empty()) doc.thread = thread;
      if (doc.format.empty()) doc.format = std::string(format_name(format_of(as)));
      docs.push_back(std::move(doc));
    }
  }
}

// --- one message ------------------------------------------------------------------------------

bool has_mail_headers(GMimeMessage* message) {
  for (const char* header : {"From", "To", "Subject", "Date", "Message-ID", "Sender", "Received"})
    if (const char* value = g_mime_object_get_header(GMIME_OBJECT(message), header); value && !trim(value).empty())
      return true;
  return false;
}

std::string iso_date(GMimeMessage* message) {
  GDateTime* date = g_mime_message_get_date(message);
  if (!date) return {};
  gchar* iso = g_date_time_format(date, "%Y-%m-%d");
  std::string out = iso ? iso : "";
  g_free(iso);
  return out;
}

// The mail's document, followed by its attachments' documents, appended to `docs`.
Status add_message(GMimeMessage* message, std::vector<Document>& docs) {
  if (!has_mail_headers(message)) return make_error("not a mail message (no From, To, Subject or Date header)");
  Document doc;
  doc.title = one_line(subject_of(message));
  People people;
  const std::string from = add_addresses(addresses_of(message, GMIME_ADDRESS_TYPE_FROM, "From").list, people);
  const std::string to = add_addresses(addresses_of(message, GMIME_ADDRESS_TYPE_TO, "To").list, people);
  const std::string cc = add_addresses(addresses_of(message, GMIME_ADDRESS_TYPE_CC, "Cc").list, people);
  doc.author = sanitize_utf8(from);
  doc.participants = people.shown;
  doc.date = iso_date(message);
  if (const char* id = g_mime_message_get_message_id(message)) doc.message_id = sanitize_utf8(trim(id));
  doc.thread = first_message_id(message, "References");
  if (doc.thread.empty()) doc.thread = first_message_id(message, "In-Reply-To");
  if (doc.thread.empty()) doc.thread = doc.message_id;

  Content content;
  if (GMimeObject* root = g_mime_message_get_mime_part(message)) walk(root, content, true, true);
  std::string body;
  for (const std::string& text : content.body) body += (body.empty() ? "" : "\n\n") + text;
  body = tidy_whitespace(body);
  doc.organisations = organisations(people, list_post_domain(message), body);
  for (const Attachment& a : content.attachments) doc.attachments.push_back(a.name);
  doc.charset = "UTF-8";

  // The header block a reader expects above a mail, searchable like the body.
  std::string head = "From: " + doc.author;
  if (!to.empty()) head += "\nTo: " + sanitize_utf8(to);
  if (!cc.empty()) head += "\nCc: " + sanitize_utf8(cc);
  if (!doc.date.empty()) head += "\nDate: " + doc.date;
  if (!doc.attachments.empty()) {
    head += "\nAttachments:";
    for (const std::string& name : doc.attachments) head += " " + name;
  }
  doc.sections.push_back({{}, 0, head + "\n\n" + body});
  const std::size_t index = docs.size();
  docs.push_back(std::move(doc));
  extract_attachments(content.attachments, docs, index);
  return Ok{};
}

}  // namespace

Result<std::vector<Document>> extract_mail(std::string_view bytes) {
  GMimeParserOptions* options = parser_options();
  // Some exports leave a blank line above the headers, which would make them the body.
  while (!bytes.empty() && (bytes.front() == '\n' || bytes.front() == '\r')) bytes.remove_prefix(1);
  const MailParser parser(bytes, GMIME_FORMAT_MESSAGE);
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options));
  if (!message) return make_error("not a mail message (no RFC 5322 headers)");
  std::vector<Document> docs;
  if (auto added = add_message(message.get(), docs); !added) return added.error();
  return docs;
}

Result<std::vector<Document>> extract_mbox(std::string_view bytes) {
  GMimeParserOptions* options = parser_options();
  std::vector<Document> docs;
  std::size_t read = 0, failed = 0;
  // GMime's parser cannot go on after a message whose headers it rejects: a new one starts at the
  // next "From " line, so one damaged message costs that message only.
  for (std::size_t offset = 0; offset < bytes.size();) {
    const MailParser parser(bytes.substr(offset), GMIME_FORMAT_MBOX);
    std::size_t resume = bytes.size();
    while (!g_mime_parser_eos(parser.get())) {
      const gint64 before = g_mime_parser_tell(parser.get());
      GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options));
      if (!message) {
        ++failed;
        const auto at = offset + static_cast<std::size_t>(std::max(before + 1, g_mime_parser_tell(parser.get())));
        const std::size_t next = at < bytes.size() ? bytes.find("\nFrom ", at) : std::string_view::npos;
        if (next != std::string_view::npos) resume = next + 1;
        break;
      }
      // A message without mail headers (garbage between two "From " lines) is skipped the same way.
      if (add_message(message.get(), docs))
        ++read;
      else
        ++failed;
    }
    offset = resume;
  }
  if (read == 0)
    return make_error(failed ? "not an mbox: none of its " + std::to_string(failed) + " messages could be read"
                             : std::string("not an mbox (no message in it)"));
  return docs;
}

}  // namespace baton::detail
