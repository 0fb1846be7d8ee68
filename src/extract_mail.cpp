// RFC 5322 / MIME mail through GMime: headers (RFC 2047 words, 8-bit GBK headers), the body part
// decoded by its declared charset, with our own detection when the declaration is missing or wrong.
#include <gmime/gmime.h>

#include <memory>

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

std::string address_list(InternetAddressList* list, std::vector<std::string>* people) {
  std::string out;
  if (!list) return out;
  const int n = internet_address_list_length(list);
  for (int i = 0; i < n; ++i) {
    InternetAddress* ia = internet_address_list_get_address(list, i);
    std::string who;
    if (const char* name = internet_address_get_name(ia); name && *name) who = name;
    if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
      const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
      if (addr && *addr) who = who.empty() ? std::string(addr) : who + " <" + addr + ">";
    }
    if (who.empty()) continue;
    if (!out.empty()) out += ", ";
    out += who;
    if (people) people->push_back(sanitize_utf8(who));
  }
  return sanitize_utf8(out);
}

struct BodyParts {
  GMimePart* plain = nullptr;
  GMimePart* html = nullptr;
};

void collect_body(GMimeObject*, GMimeObject* part, gpointer data) {
  auto& body = *static_cast<BodyParts*>(data);
  if (!GMIME_IS_PART(part)) return;
  GMimePart* p = GMIME_PART(part);
  if (g_mime_part_is_attachment(p)) return;
  GMimeContentType* type = g_mime_object_get_content_type(part);
  if (!body.plain && g_mime_content_type_is_type(type, "text", "plain")) body.plain = p;
  else if (!body.html && g_mime_content_type_is_type(type, "text", "html")) body.html = p;
}

// The transfer-decoded bytes of a part, converted to UTF-8 from its declared charset, unless the
// bytes are already valid UTF-8 (declarations lie: "gb2312" on UTF-8 text is common).
std::string part_text(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (!content) return {};
  GPtr<GMimeStream> mem(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, mem.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
  const std::string_view raw(reinterpret_cast<const char*>(bytes->data), bytes->len);
  const char* charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
  auto decoded = to_utf8(raw, charset ? charset : "");
  return decoded ? decoded->text : std::string();
}

}  // namespace

Result<std::vector<Document>> extract_mbox(std::string_view) { return make_error("mbox is not supported yet"); }

Result<std::vector<Document>> extract_mail(std::string_view bytes) {
  GMimeParserOptions* options = parser_options();
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options));
  if (!message) return make_error("not a mail message (no RFC 5322 headers)");

  Document doc;
  if (const char* subject = g_mime_message_get_subject(message.get())) doc.title = sanitize_utf8(subject);
  doc.author = address_list(g_mime_message_get_from(message.get()), &doc.participants);
  address_list(g_mime_message_get_addresses(message.get(), GMIME_ADDRESS_TYPE_TO), &doc.participants);
  address_list(g_mime_message_get_addresses(message.get(), GMIME_ADDRESS_TYPE_CC), &doc.participants);
  if (GDateTime* date = g_mime_message_get_date(message.get())) {
    gchar* iso = g_date_time_format(date, "%Y-%m-%d");
    if (iso) doc.date = iso;
    g_free(iso);
  }

  BodyParts body;
  g_mime_message_foreach(message.get(), collect_body, &body);
  std::string text;
  if (body.plain) text = part_text(body.plain);
  else if (body.html) text = html_to_text(part_text(body.html));
  doc.charset = "UTF-8";
  if (doc.title.empty() && doc.author.empty() && text.empty())
    return make_error("not a mail message (no subject, sender or body)");

  // The header block a reader expects above a mail, searchable like the body.
  std::string head = "From: " + doc.author;
  if (!doc.date.empty()) head += "\nDate: " + doc.date;
  doc.sections.push_back({{}, 0, head + "\n\n" + tidy_whitespace(text)});
  std::vector<Document> docs;
  docs.push_back(std::move(doc));
  return docs;
}

}  // namespace baton::detail
