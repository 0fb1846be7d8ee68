// Extraction: a file's bytes → Documents. One extractor per format behind one entry point; it knows
// nothing of the index. Malformed input is an Error value, never a crash.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "baton/document.h"
#include "baton/result.h"

namespace baton {

/// The formats Baton reads, chosen by file extension.
enum class Format { markdown, text, html, mail, unsupported };

/// The format of a file name ("a/b.md" → markdown); `unsupported` for anything else.
Format format_of(std::string_view path);
/// "markdown", "text", ... (for summaries and the `type` facet).
std::string_view format_name(Format format);

/// Largest file Baton reads; bigger files are reported, not read.
inline constexpr std::size_t max_file_bytes = 64u << 20;

/// Extracts the documents a file holds. `path` is used for the format, the fallback title and
/// error messages; `bytes` is the whole file. Sections longer than a few KB are split.
/// Errors: unsupported format, binary data in a text format, unparseable mail.
Result<std::vector<Document>> extract(std::string_view path, std::string_view bytes);

}  // namespace baton
