// Shared by the extractors; not part of the public API.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "baton/document.h"
#include "baton/result.h"

namespace baton::detail {

/// Builds a Document's sections from a stream of headings and text, as a parser walks a tree.
class SectionBuilder {
 public:
  /// A heading of `level` (1..6) starts; text goes to the heading until end_heading().
  void begin_heading(int level);
  void end_heading();
  /// Appends text to the current heading or section body.
  void text(std::string_view s);
  /// Ends a block (paragraph, list item, row): the next text starts on a new line or paragraph.
  void line_break();
  void paragraph_break();
  /// The first level-1 heading seen (a natural title), else the first heading of any level.
  const std::string& first_heading() const { return first_heading_; }
  std::vector<Section> finish();

 private:
  void flush();
  std::vector<Section> sections_;
  std::vector<std::string> path_;  // heading texts, index = level - 1 (empty for skipped levels)
  Section current_;
  std::string heading_;
  int heading_level_ = 0;
  bool in_heading_ = false;
  std::string first_heading_;
  int first_heading_level_ = 99;
};

// One entry point per format. Each gets the raw bytes of the whole file (Markdown: already UTF-8) and
// returns an Error with a message a user understands for input it cannot read.
Result<Document> extract_markdown(std::string_view utf8);
/// Plain text, in sections where it has an outline: headings at the margin over an indented body
/// (man pages; the NAME line is the title), or Chinese numbered headings (第二章, 一、, （三）, 【…】).
Document extract_plain_text(std::string_view utf8);
Result<Document> extract_html(std::string_view bytes);
/// A message and, after it, one document per attachment Baton can read (parent = 0).
Result<std::vector<Document>> extract_mail(std::string_view bytes);
/// Every message of an mbox, each followed by its attachments.
Result<std::vector<Document>> extract_mbox(std::string_view bytes);
Result<Document> extract_docx(std::string_view bytes);
Result<Document> extract_xlsx(std::string_view bytes);
Result<Document> extract_pptx(std::string_view bytes);
Result<Document> extract_odt(std::string_view bytes);
Result<Document> extract_pdf(std::string_view bytes);
/// A table (one document, rows as lines), or a chat export with time/sender/content columns
/// (one document per conversation day).
Result<std::vector<Document>> extract_csv(std::string_view bytes);
/// True if UTF-8 text looks like a QQ or WeChat-style text export ("2024-01-02 10:00:00 name" blocks).
bool looks_like_chat(std::string_view utf8);

/// qq.com, 163.com, gmail.com…: a free mailbox, which says nothing about whom its owner works for.
bool public_mail_domain(std::string_view domain);
/// One document per conversation day of a text chat export.
Result<std::vector<Document>> extract_chat(std::string_view utf8);

/// Visible text of an HTML fragment (used for HTML mail bodies too).
std::string html_to_text(std::string_view utf8);

}  // namespace baton::detail
