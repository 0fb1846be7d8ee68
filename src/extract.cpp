#include "baton/extract.h"

#include <algorithm>
#include <filesystem>

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
    docs = dispatch(format_of(path), bytes);
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
