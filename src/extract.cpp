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
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

Result<Document> extract_plain_text(std::string_view bytes) {
  auto decoded = to_utf8(bytes);
  if (!decoded) return decoded.error();
  Document doc;
  doc.charset = decoded->charset;
  doc.sections.push_back({{}, 0, tidy_whitespace(decoded->text)});
  return doc;
}

}  // namespace

Format format_of(std::string_view path) {
  const std::string ext = lower_extension(path);
  if (ext == ".md" || ext == ".markdown") return Format::markdown;
  if (ext == ".txt" || ext == ".text" || ext == ".log") return Format::text;
  if (ext == ".html" || ext == ".htm" || ext == ".xhtml") return Format::html;
  if (ext == ".eml") return Format::mail;
  return Format::unsupported;
}

std::string_view format_name(Format format) {
  switch (format) {
    case Format::markdown: return "markdown";
    case Format::text: return "text";
    case Format::html: return "html";
    case Format::mail: return "mail";
    case Format::unsupported: break;
  }
  return "unsupported";
}

Result<std::vector<Document>> extract(std::string_view path, std::string_view bytes) {
  const Format format = format_of(path);
  Result<Document> doc = make_error("unsupported file type");
  try {
    switch (format) {
      case Format::markdown: {
        auto decoded = to_utf8(bytes);
        if (!decoded) return decoded.error();
        doc = detail::extract_markdown(decoded->text);
        if (doc) doc->charset = decoded->charset;
        break;
      }
      case Format::text: doc = extract_plain_text(bytes); break;
      case Format::html: doc = detail::extract_html(bytes); break;
      case Format::mail: doc = detail::extract_mail(bytes); break;
      case Format::unsupported: break;
    }
  } catch (const std::exception& e) {
    // A parser library throwing (bad_alloc on a hostile file) costs this file, not the run.
    return make_error(std::string("extraction failed: ") + e.what());
  }
  if (!doc) return doc.error();
  if (doc->title.empty()) doc->title = std::filesystem::path(path).stem().string();
  doc->title = sanitize_utf8(doc->title);
  for (auto& s : doc->sections) s.text = sanitize_utf8(s.text);
  split_long_sections(*doc);
  std::vector<Document> docs;
  docs.push_back(std::move(doc.value()));
  return docs;
}

}  // namespace baton
