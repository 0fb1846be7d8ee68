// Extraction: a file's bytes → Documents. One extractor per format behind one entry point; it knows
// nothing of the index. Malformed input is an Error value, never a crash.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "baton/document.h"
#include "baton/result.h"

namespace baton {

/// The formats Baton reads, chosen by file extension, or by content for a file without one. Chat
/// exports arrive as text or csv and are recognised by their content.
enum class Format { markdown, text, html, mail, mbox, csv, docx, xlsx, pptx, odt, pdf, unsupported };

/// The format of a file name ("a/b.md" → markdown); `unsupported` for anything else.
Format format_of(std::string_view path);
/// The format of a file from its name and, for a name without an extension, from its bytes (libmagic):
/// a mail client's mailbox ("Inbox"), a Maildir message ("1."), a text file ("README"). `bytes` may be
/// the file's first bytes only (64 KB decide as well as the whole).
Format format_of(std::string_view path, std::string_view bytes);
/// True if the file name leaves its format to its content: no extension, or a bare trailing dot.
bool decided_by_content(std::string_view path);
/// "markdown", "text", ... (for summaries and the `type` facet).
std::string_view format_name(Format format);
/// The format of a name format_name gave; `unsupported` for anything else.
Format format_named(std::string_view name);

/// Largest file Baton reads; bigger files are reported, not read.
inline constexpr std::size_t max_file_bytes = 256u << 20;
/// Most bytes Baton inflates from one archive (docx, xlsx ...): more is a zip bomb, not a document.
inline constexpr std::size_t max_unpacked_bytes = 256u << 20;
/// Most bytes one part of an archive may inflate to: its XML tree costs several times its size in
/// memory, and the XML parts of real documents are far smaller (the corpus's largest is 37 KB; a
/// sheet at the row limit of the xlsx reader is tens of MB).
inline constexpr std::size_t max_part_bytes = 64u << 20;
/// Longest line of a text, Markdown or CSV file: a longer one is a data dump or minified code, not
/// something a person wrote or reads, and such files are refused before they are decoded.
inline constexpr std::size_t max_line_bytes = 1u << 20;
/// Most text one document keeps (every section together): ten times the longest text file of the
/// corpus (1.4 MB). The rest is cut, and the document's last section says so (text_cut_note), so one
/// dump cannot fill the index or the memory of the indexer.
inline constexpr std::size_t max_document_text_bytes = 16u << 20;
/// The last section of a document whose text was cut at max_document_text_bytes.
inline constexpr std::string_view text_cut_note = "（文本过长：超过 16 MB 的部分没有索引）";

/// Extracts the documents a file holds: usually one; one per message of an mbox, per conversation of
/// a chat export, plus one per readable attachment of a mail (linked by `parent`). `path` is used for
/// the format, the fallback title and error messages; `bytes` is the whole file. Sections longer than
/// a few KB are split. Errors: unsupported format, binary data in a text format, a line longer than
/// max_line_bytes in a text format, a corrupt or encrypted file or one past the limits above; the
/// message says which.
Result<std::vector<Document>> extract(std::string_view path, std::string_view bytes);

}  // namespace baton
