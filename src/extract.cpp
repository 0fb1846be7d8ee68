#include "baton/extract.h"

#include <magic.h>

#include <algorithm>
#include <filesystem>
#include <memory>

#include "baton/text.h"
#include "extract_internal.h"

namespace baton {

namespace detail {

void SectionBuilder::begin_heading(int level) {
  flush();
  in_heading_ = true;
  heading_level_ = std::clamp(level, 1, 6);
  heading_.clear();
}

void SectionBuilder::end_heading() {
  if (!in_heading_) return;
  in_heading_ = false;
  std::string title = tidy_whitespace(heading_);
  std::replace(title.begin(), title.end(), '\n', ' ');
  if (title.empty()) return;
  if (heading_level_ < first_heading_level_) {
    first_heading_ = title;
    first_heading_level_ = heading_level_;
  }
  path_.resize(static_cast<std::size_t>(heading_level_));
  path_.back() = title;
  current_.heading_path.clear();
  for (const auto& h : path_)
    if (!h.empty()) current_.heading_path.push_back(h);
  current_.level = heading_level_;
}

void SectionBuilder::text(std::string_view s) { (in_heading_ ? heading_ : current_.text).append(s); }

void SectionBuilder::line_break() {
  if (!in_heading_ && !current_.text.empty() && current_.text.back() != '\n') current_.text += '\n';
}

void SectionBuilder::paragraph_break() {
  if (in_heading_ || current_.text.empty()) return;
  if (current_.text.back() != '\n') current_.text += '\n';
  if (current_.text.size() < 2 || current_.text[current_.text.size() - 2] != '\n') current_.text += '\n';
}

void SectionBuilder::flush() {
  current_.text = tidy_whitespace(current_.text);
  // A heading with no text of its own still matters: its title is what people search for.
  if (!current_.text.empty() || !current_.heading_path.empty()) sections_.push_back(current_);
  current_.text.clear();
}

std::vector<Section> SectionBuilder::finish() {
  end_heading();
  flush();
  // A heading with no text whose subsections follow is already part of their heading paths; as a unit
  // of its own it would only be an empty hit. A heading alone at the end of its branch stays.
  std::vector<Section> kept;
  for (std::size_t i = 0; i < sections_.size(); ++i) {
    const Section& s = sections_[i];
    const bool has_child = i + 1 < sections_.size() &&
                           sections_[i + 1].heading_path.size() > s.heading_path.size() &&
                           std::equal(s.heading_path.begin(), s.heading_path.end(), sections_[i + 1].heading_path.begin());
    if (!s.text.empty() || !has_child) kept.push_back(std::move(sections_[i]));
  }
  sections_.clear();
  return kept;
}

}  // namespace detail

namespace {

std::string lower_extension(std::string_view path) {
  return ascii_lower(std::filesystem::path(path).extension().string());
}

}  // namespace

Format format_of(std::string_view path) {
  static const std::pair<std::string_view, Format> by_extension[] = {
      {".md", Format::markdown}, {".markdown", Format::markdown}, {".txt", Format::text},
      {".text", Format::text},   {".log", Format::text},          {".html", Format::html},
      {".htm", Format::html},    {".xhtml", Format::html},        {".eml", Format::mail},
      {".mbox", Format::mbox},   {".mbx", Format::mbox},          {".csv", Format::csv},
      {".tsv", Format::csv},     {".docx", Format::docx},         {".xlsx", Format::xlsx},
      {".pptx", Format::pptx},   {".odt", Format::odt},           {".pdf", Format::pdf},
  };
  const std::string ext = lower_extension(path);
  for (const auto& [e, format] : by_extension)
    if (ext == e) return format;
  return Format::unsupported;
}

bool decided_by_content(std::string_view path) {
  const std::string ext = std::filesystem::path(path).extension().string();
  return ext.empty() || ext == ".";
}

namespace {

// libmagic's MIME type of `bytes` ("" if it cannot tell). A cookie is not safe to share between
// threads, and loading the magic database costs a millisecond or so: one per thread, loaded once.
std::string mime_type(std::string_view bytes) {
  struct Close {
    void operator()(magic_t m) const { magic_close(m); }
  };
  thread_local const std::unique_ptr<std::remove_pointer_t<magic_t>, Close> cookie = [] {
    std::unique_ptr<std::remove_pointer_t<magic_t>, Close> m(magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR));
    if (m && magic_load(m.get(), nullptr) != 0) m.reset();
    return m;
  }();
  if (!cookie) return {};
  const char* type = magic_buffer(cookie.get(), bytes.data(), bytes.size());
  return type ? type : "";
}

// True if `text` begins with a mail's header block: header lines ("Name: value", or a continuation)
// up to a blank line, two or more of them headers every mail has.
bool mail_headers_at(std::string_view text) {
  static constexpr std::string_view mail_headers[] = {"from", "to", "cc", "subject", "date", "message-id",
                                                      "received", "return-path", "mime-version", "reply-to"};
  int known = 0;
  for (std::size_t pos = 0, lines = 0; pos < text.size() && lines < 200; ++lines) {
    const std::size_t eol = std::min(text.find('\n', pos), text.size());
    std::string_view line = text.substr(pos, eol - pos);
    if (line.ends_with('\r')) line.remove_suffix(1);
    pos = eol + 1;
    if (line.empty()) return known >= 2 && lines > 0;
    if (line.front() == ' ' || line.front() == '\t') {
      if (lines == 0) return false;
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos) return false;
    const std::string name = ascii_lower(line.substr(0, colon));
    if (!std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }))
      return false;
    known += std::find(std::begin(mail_headers), std::end(mail_headers), name) != std::end(mail_headers);
  }
  return false;
}

}  // namespace

Format format_of(std::string_view path, std::string_view bytes) {
  if (const Format by_name = format_of(path); by_name != Format::unsupported || !decided_by_content(path)) return by_name;
  if (bytes.empty()) return Format::unsupported;
  const std::string type = mime_type(bytes.substr(0, 64u << 10));
  static const std::pair<std::string_view, Format> by_type[] = {
      {"message/rfc822", Format::mail},
      {"message/news", Format::mail},
      {"application/mbox", Format::mbox},
      {"text/html", Format::html},
      {"text/csv", Format::csv},
      {"application/pdf", Format::pdf},
      {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", Format::docx},
      {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Format::xlsx},
      {"application/vnd.openxmlformats-officedocument.presentationml.presentation", Format::pptx},
      {"application/vnd.oasis.opendocument.text", Format::odt},
  };
  for (const auto& [t, format] : by_type)
    if (type == t) return format;
  // libmagic 5.44 knows a message only by some first headers (From:, Received:, not Message-ID:) and
  // calls a mailbox plain text: a header block with two of a mail's headers is a message, and the
  // "From " separator line before one is a mailbox (Thunderbird's "Inbox", an mbox export).
  if (type.starts_with("text/")) {
    if (bytes.starts_with("From ")) {
      const std::size_t eol = bytes.find('\n');
      if (eol != std::string_view::npos && mail_headers_at(bytes.substr(eol + 1))) return Format::mbox;
    } else if (mail_headers_at(bytes)) {
      return Format::mail;
    }
  }
  // Any other text (plain, XML, source code) is read as plain text; its charset is found as for a .txt.
  return type.starts_with("text/") ? Format::text : Format::unsupported;
}

Format format_named(std::string_view name) {
  for (int f = 0; f < static_cast<int>(Format::unsupported); ++f)
    if (format_name(static_cast<Format>(f)) == name) return static_cast<Format>(f);
  return Format::unsupported;
}

std::string_view format_name(Format format) {
  switch (format) {
    case Format::markdown: return "markdown";
    case Format::text: return "text";
    case Format::html: return "html";
    case Format::mail: return "mail";
    case Format::mbox: return "mbox";
    case Format::csv: return "csv";
    case Format::docx: return "docx";
    case Format::xlsx: return "xlsx";
    case Format::pptx: return "pptx";
    case Format::odt: return "odt";
    case Format::pdf: return "pdf";
    case Format::unsupported: break;
  }
  return "unsupported";
}

namespace {

Result<std::vector<Document>> one(Result<Document> doc) {
  if (!doc) return doc.error();
  std::vector<Document> docs;
  docs.push_back(std::move(doc.value()));
  return docs;
}

// A text format (txt, md, csv) with a line longer than max_line_bytes is refused before it is
// decoded: its size is a dump's, and decoding and splitting it would cost time for nothing.
Status check_lines(std::string_view bytes) {
  std::size_t line = 1, start = 0;
  for (std::size_t i = 0; i <= bytes.size(); ++i) {
    if (i < bytes.size() && bytes[i] != '\n' && bytes[i] != '\r') continue;
    if (i - start > max_line_bytes)
      return make_error("line " + std::to_string(line) + " is longer than " + std::to_string(max_line_bytes >> 20) +
                        " MB: a data dump or minified file, not a document: not read");
    if (i < bytes.size() && bytes[i] == '\n') ++line;
    start = i + 1;
  }
  return Ok{};
}

// Keeps at most max_document_text_bytes of a document's text, cut at a character boundary; a
// section of its own says it was cut.
void cap_text(Document& doc) {
  std::size_t total = 0;
  for (std::size_t i = 0; i < doc.sections.size(); ++i) {
    std::string& text = doc.sections[i].text;
    if (total + text.size() <= max_document_text_bytes) {
      total += text.size();
      continue;
    }
    std::size_t cut = max_document_text_bytes - total;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    text.resize(cut);
    doc.sections.resize(i + 1);
    doc.sections.push_back({{}, 0, std::string(text_cut_note)});
    return;
  }
}

Result<std::vector<Document>> extract_text_file(std::string_view bytes) {
  auto decoded = to_utf8(bytes);
  if (!decoded) return decoded.error();
  if (detail::looks_like_chat(decoded->text)) {
    auto chats = detail::extract_chat(decoded->text);
    if (chats) {
      for (auto& d : *chats) d.charset = decoded->charset;
      return chats;
    }
  }
  Document doc = detail::extract_plain_text(decoded->text);
  doc.charset = decoded->charset;
  return one(std::move(doc));
}

Result<std::vector<Document>> dispatch(Format format, std::string_view bytes) {
  if (format == Format::markdown || format == Format::text || format == Format::csv)
    if (auto lines = check_lines(bytes); !lines) return lines.error();
  switch (format) {
    case Format::markdown: {
      auto decoded = to_utf8(bytes);
      if (!decoded) return decoded.error();
      auto doc = detail::extract_markdown(decoded->text);
      if (doc) doc->charset = decoded->charset;
      return one(std::move(doc));
    }
    case Format::text: return extract_text_file(bytes);
    case Format::html: return one(detail::extract_html(bytes));
    case Format::mail: return detail::extract_mail(bytes);
    case Format::mbox: return detail::extract_mbox(bytes);
    case Format::csv: return detail::extract_csv(bytes);
    case Format::docx: return one(detail::extract_docx(bytes));
    case Format::xlsx: return one(detail::extract_xlsx(bytes));
    case Format::pptx: return one(detail::extract_pptx(bytes));
    case Format::odt: return one(detail::extract_odt(bytes));
    case Format::pdf: return one(detail::extract_pdf(bytes));
    case Format::unsupported: break;
  }
  return make_error("unsupported file type");
}

}  // namespace

Result<std::vector<Document>> extract(std::string_view path, std::string_view bytes) {
  Result<std::vector<Document>> docs = make_error("unsupported file type");
  try {
    docs = dispatch(format_of(path, bytes), bytes);
  } catch (const std::exception& e) {
    // A parser library throwing (bad_alloc on a hostile file) costs this file, not the run.
    return make_error(std::string("extraction failed: ") + e.what());
  }
  if (!docs) return docs.error();
  const std::string stem = std::filesystem::path(path).stem().string();
  for (Document& doc : *docs) {
    if (doc.title.empty()) doc.title = stem;
    doc.title = sanitize_utf8(doc.title);
    for (auto& s : doc.sections) s.text = sanitize_utf8(s.text);
    cap_text(doc);
    split_long_sections(doc);
    // A document without text (a docx of images) is still a document: findable by its title.
    if (doc.sections.empty()) doc.sections.emplace_back();
  }
  return docs;
}

}  // namespace baton
