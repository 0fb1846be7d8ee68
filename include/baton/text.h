// Text handling: charset detection and conversion to UTF-8, Unicode normalisation for indexing,
// and the small string helpers every module needs (HTML escaping, whitespace).
#pragma once

#include <string>
#include <string_view>

#include "baton/result.h"

namespace baton {

/// Text converted to UTF-8 and the charset it was read as ("UTF-8", "GB18030", "UTF-16LE", ...).
struct Decoded {
  std::string text;
  std::string charset;
};

/// Converts raw bytes to UTF-8. A byte-order mark wins; then valid UTF-8 is kept as is; then a
/// `declared` charset (from a mail header or an HTML meta tag) is tried; then uchardet guesses; GB18030
/// is the last resort because it is what undeclared non-UTF-8 text usually is here.
/// Fails only for data that looks binary (outside UTF-16: a NUL byte, or more than one byte in twenty
/// a control character other than tab, line ends, form feed and ESC).
Result<Decoded> to_utf8(std::string_view bytes, std::string_view declared = {});

/// Converts from a named charset with ICU. Fails for an unknown charset name; invalid sequences
/// become U+FFFD.
Result<std::string> convert_to_utf8(std::string_view bytes, std::string_view charset);

/// True if `s` is well-formed UTF-8.
bool is_utf8(std::string_view s);

/// Replaces every ill-formed UTF-8 sequence with U+FFFD, so JSON and Xapian never see broken text.
std::string sanitize_utf8(std::string_view s);

/// NFKC (folds full-width/half-width forms), lower case, and Traditional Chinese characters to
/// Simplified (from ICU's Traditional-Simplified transliterator, one character at a time): applied to
/// indexed text and to queries alike, so 報價 finds 报价 and the reverse.
std::string normalize_for_index(std::string_view s);

/// Text with a Traditional character in the mainland's words as well as characters, by OpenCC's
/// tw2sp (檔案 → 文件, 硬碟 → 硬盘, 記憶體 → 内存); other text unchanged. For queries: the character
/// fold alone leaves a Taiwan or Hong Kong term that mainland documents do not use.
std::string mainland_wording(std::string_view s);

/// normalize_for_index() of one code point, for a CJK character fast (a table look-up); the first
/// code point of the result where the fold has several.
char32_t fold_cjk(char32_t c);

/// True for the code points Xapian's CJK n-gram tokenizer treats as CJK (xapian-core's cjk-tokenizer.cc).
bool is_cjk(unsigned codepoint);

/// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string html_escape(std::string_view s);

/// Joins `<mark>a</mark><mark>b</mark>` into `<mark>ab</mark>`: Xapian highlights CJK per character.
std::string merge_adjacent_marks(std::string_view html, std::string_view open = "<mark>",
                                 std::string_view close = "</mark>");

/// Collapses runs of spaces and tabs, trims each line and keeps at most one blank line between paragraphs.
std::string tidy_whitespace(std::string_view s);

/// A copy with A-Z lowered; other bytes (UTF-8 included) unchanged.
std::string ascii_lower(std::string_view s);

/// Characters set full-width: Han, kana, Hangul, CJK and full-width punctuation and forms.
bool is_wide(char32_t c);
/// Width of UTF-8 text in half-width cells (a wide character counts two).
int display_width(std::string_view s);

/// Trims ASCII whitespace at both ends.
std::string_view trim(std::string_view s);

/// A folder or file name without the number people sort it by: "05_项目" → "项目", "1. 客户" → "客户",
/// "02-操作手册" → "操作手册". A name that is only a number ("2026") stays as it is.
std::string_view without_sort_number(std::string_view name);

/// 16 lower-case hex digits of a 64-bit hash of `bytes` (XXH3): ids and change detection.
std::string hash_hex(std::string_view bytes);

}  // namespace baton
