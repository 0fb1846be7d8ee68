// The model shared by every module: a Document is what one file (or one message of an mbox,
// one conversation of a chat export) holds; a Section is the unit that search returns.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace baton {

/// What a document is to a successor; drives badges, facets and the gap view.
enum class Kind { handover, manual, communication, record, answer };

/// "handover", "manual", ... (the names used in the API and in `kind:` filters).
std::string_view kind_name(Kind kind);
/// Inverse of kind_name(); nullopt for an unknown name.
std::optional<Kind> parse_kind(std::string_view name);

/// One searchable unit: the text under a heading (or a chunk of it, when the text is long).
struct Section {
  std::vector<std::string> heading_path;  ///< outermost heading first; empty for text before any heading
  int level = 0;                          ///< depth of the innermost heading (1 = h1), 0 for none
  std::string text;                       ///< UTF-8 plain text, paragraphs separated by blank lines
};

/// One document, after extraction. Extraction fills everything but `id`, `kind` and `path`,
/// which the indexer sets from where the file lives.
struct Document {
  std::string id;                         ///< stable id: derived from root, path and position in the file
  std::string path;                       ///< path relative to the indexed root, '/' separated
  Kind kind = Kind::record;
  std::string title;
  std::string date;                       ///< ISO 8601 date (YYYY-MM-DD) or empty
  std::string author;
  std::vector<std::string> participants;  ///< mail From/To/Cc ("Name <addr>"), chat senders
  std::vector<std::string> organisations; ///< mail domains (ruifeng-trade.com), companies named in signatures
  std::vector<std::string> clients;       ///< clients this document is about (set by classify)
  std::vector<std::string> projects;      ///< projects this document is about (set by classify)
  std::string thread;                     ///< conversation key: a mail thread's root Message-ID, a chat's name + day
  std::string message_id;                 ///< a mail's Message-ID, without <>
  std::vector<std::string> attachments;   ///< file names of a mail's attachments
  int parent = -1;                        ///< for an attachment: index of its mail in the same extract() result
  std::string format;                     ///< format name when it differs from the file's (an attachment's "pdf", "chat")
  std::string charset;                    ///< the charset the source was decoded from
  std::vector<Section> sections;
};

/// "交接总览 › 日常工作" for a section's heading path (empty when it has none).
std::string heading_label(const Section& section);

/// Splits sections whose text is longer than `max_bytes` at paragraph (else line, else character)
/// boundaries, so a unit stays small enough to snippet fast and to land a hit on the right place.
void split_long_sections(Document& doc, std::size_t max_bytes = 6000);

}  // namespace baton
