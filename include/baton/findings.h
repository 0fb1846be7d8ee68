// Findings: what a handover gap report must point out in a document's text. Markers of unfinished
// work (TODO, 待补充), secrets pasted into it (passwords, keys, tokens: to be moved to a vault and never
// shown or indexed) and references to other documents (for the report to check that they exist).
// Pure functions on UTF-8 text: no I/O, no index. They never throw on any input (invalid UTF-8, NUL
// bytes, huge lines) and take time linear in the length of the text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace baton {

/// What a finding is.
enum class FindingKind {
  marker,     ///< a note that work is unfinished: TODO, TBD, FIXME, 待补充, 待完善 ...
  secret,     ///< a credential written into the text
  reference,  ///< a mention of another document: a Markdown link, a file path, a 《title》
};

/// One thing a gap report lists, with where it is.
struct Finding {
  FindingKind kind = FindingKind::marker;
  /// 1-based line of the scanned text (lines end at "\n"; a "\r" before it is ignored).
  int line = 0;
  /// marker: the marker word, upper case or Simplified ("TODO", "待补充" for 待補充);
  /// secret: its type: "password", "api_key", "app_secret", "token", "private_key", "connection_string";
  /// reference: its form: "link" ([text](target)), "path" (a file name in the text), "title" (《title》).
  std::string label;
  /// The line, trimmed, with every secret on it masked as in `value`, cut to 160 bytes at a character
  /// boundary ("…" added when cut); valid UTF-8 (ill-formed bytes become U+FFFD).
  std::string excerpt;
  /// secret: the value masked: its first 2 characters and "******" ("Qh******"), or only "******" for a
  /// value shorter than 8 characters and for a private key; never more of it.
  /// reference: the target as written: a link's without its #anchor and percent-decoded, a path's as it
  /// stands, a title's without the marks. Resolving it is the caller's business.
  /// marker: empty.
  std::string value;
};

/// Every marker, secret and reference in `text`, in order of line (on a line: the marker, the secrets,
/// then the references in order). At most one marker per line (the first); a reference target at most
/// once per line. Lines inside a private key block report nothing but the key (at its BEGIN line).
std::vector<Finding> scan_findings(std::string_view text);

/// `text` with the value of every secret scan_findings() reports replaced by "••••••" (six U+2022);
/// labels (密码：, password=) and everything else stay byte for byte, so a reader still sees that a
/// secret was there. A private key's body, however many lines, becomes one "••••••" between its
/// BEGIN and END lines. `replaced`, if given, receives how many secrets were replaced.
std::string redact_secrets(std::string_view text, std::size_t* replaced = nullptr);

/// The secrets scan_findings() reports in `text`, whole: for redacting them in text made from this one
/// where the context that found them may be lost (a chat export's messages, whose lines are joined into
/// one; a Markdown section without the heading that announced its key). Never to be shown or stored.
std::vector<std::string> secret_values(std::string_view text);

/// redact_secrets(text), and besides every occurrence of a value of `known` (from secret_values() of the
/// text `text` was made from) that is 6 bytes or longer, wherever it stands.
std::string redact_secrets(std::string_view text, const std::vector<std::string>& known,
                           std::size_t* replaced = nullptr);

}  // namespace baton
