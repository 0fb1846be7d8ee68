// Plain text: the outline a reader sees in it, when it has one.
//
// Two layouts have headings without markup:
// - an indented body under headings at the margin, as man pages, RFCs and many exported manuals
//   are laid out ("NAME" / "       rev - reverse lines characterwise"); running headers and footers
//   that repeat the page's name ("REV(1)   User Commands   REV(1)") are left out;
// - Chinese numbered headings: "第二章 …", "一、…", "（三）…", and a line that is only "【…】".
// Anything else stays one section, as before (long ones are cut into pieces later).
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "baton/text.h"
#include "extract_internal.h"

namespace baton::detail {

namespace {

// A heading is a short line: longer than this (in half-width cells) it is a sentence.
constexpr int max_heading_width = 48;
// The NAME section's first paragraph becomes the title only if it is a title's length.
constexpr std::size_t max_title_bytes = 200;

struct Line {
  std::string_view text;  // without the line end
  bool blank = false;
  bool indented = false;  // starts with a tab or two spaces
};

std::vector<Line> lines_of(std::string_view text) {
  std::vector<Line> lines;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view s = text.substr(start, end - start);
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    const bool blank = trim(s).empty();
    lines.push_back({s, blank, !blank && (s.starts_with('\t') || s.starts_with("  "))});
    start = end + 1;
  }
  return lines;
}

bool has_letter(std::string_view s) {
  for (int32_t i = 0, n = static_cast<int32_t>(s.size()); i < n;) {
    UChar32 c = 0;
    U8_NEXT(s.data(), i, n, c);
    if (c > 0 && u_isalpha(c)) return true;
  }
  return false;
}

// Ends like a sentence or a label ("注意：", "例如,"), not like a heading.
bool ends_like_sentence(std::string_view s) {
  for (std::string_view end : {".", ",", ";", ":", "!", "?", "。", "，", "；", "：", "！", "？", "、"})
    if (s.ends_with(end)) return true;
  return false;
}

std::vector<std::string_view> words_of(std::string_view s) {
  std::vector<std::string_view> words;
  for (std::size_t i = 0; i < s.size();) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
    if (j > i) words.push_back(s.substr(i, j - i));
    i = j;
  }
  return words;
}

// "最后更新：2023-09-12", "Owner: Lin": a field and its value, not a heading.
bool labelled_value(std::string_view s) {
  for (std::string_view colon : {"：", ": "})
    if (const std::size_t at = s.find(colon); at != std::string_view::npos && at > 0 && !trim(s.substr(at + colon.size())).empty())
      return true;
  return false;
}

// "REV(1)   User Commands   REV(1)": a running header names the page at both ends.
bool running_header(std::string_view line) {
  const auto words = words_of(line);
  return words.size() >= 3 && words.front() == words.back();
}

// --- indented body under headings at the margin ----------------------------------------------

struct Outline {
  std::vector<std::size_t> headings;  // line numbers
  std::vector<bool> dropped;          // running headers and footers
};

// The headings of the indented layout, or none if the text is not laid out that way.
Outline margin_outline(const std::vector<Line>& lines) {
  Outline out;
  out.dropped.assign(lines.size(), false);
  std::string page;  // the page name of the running header ("REV(1)")
  std::size_t nonblank = 0, indented = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const Line& l = lines[i];
    if (l.blank) continue;
    if (!l.indented && running_header(l.text)) {
      if (page.empty()) page = std::string(words_of(l.text).front());
      out.dropped[i] = true;
      continue;
    }
    // The footer ends with the page name: "util-linux 2.38.1   2022-05-11   REV(1)".
    if (!l.indented && !page.empty() && words_of(l.text).size() >= 2 && words_of(l.text).back() == page) {
      out.dropped[i] = true;
      continue;
    }
    ++nonblank;
    if (l.indented) {
      ++indented;
      continue;
    }
    const std::string_view t = trim(l.text);
    if (display_width(t) <= max_heading_width && has_letter(t) && !ends_like_sentence(t) && !labelled_value(t)) out.headings.push_back(i);
  }
  // Most of the text indented, short lines at the margin: those are the outline. (A short man
  // page, "true" or "rev", has nearly as many headings as lines of text.)
  const bool layout = nonblank >= 6 && indented * 2 >= nonblank && out.headings.size() >= 2 &&
                      out.headings.size() * 2 <= nonblank;
  if (!layout) out.headings.clear();
  return out;
}

// --- Chinese numbered headings -----------------------------------------------------------------

bool starts_with_any(std::string_view s, std::initializer_list<std::string_view> prefixes) {
  for (auto p : prefixes)
    if (s.starts_with(p)) return true;
  return false;
}

// Skips Chinese numerals ("十二") from the front; how many bytes were numerals.
std::size_t chinese_numeral_prefix(std::string_view s) {
  static constexpr std::string_view numerals[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "百"};
  std::size_t at = 0;
  for (bool more = true; more;) {
    more = false;
    for (auto n : numerals)
      if (s.substr(at).starts_with(n)) {
        at += n.size();
        more = true;
        break;
      }
  }
  return at;
}

// The level of a numbered Chinese heading (1: 第二章, 一、; 2: （三）, 3: 【…】), or 0.
int chinese_heading_level(std::string_view line) {
  const std::string_view t = trim(line);
  if (t.empty() || display_width(t) > max_heading_width || t.ends_with("。") || t.ends_with("；")) return 0;
  if (t.starts_with("第")) {
    std::size_t at = 3 + chinese_numeral_prefix(t.substr(3));
    while (at < t.size() && t[at] >= '0' && t[at] <= '9') ++at;
    if (at > 3 && starts_with_any(t.substr(at), {"章", "部分", "篇", "节"})) return 1;
    return 0;
  }
  if (const std::size_t n = chinese_numeral_prefix(t); n > 0)
    return starts_with_any(t.substr(n), {"、", "．"}) && t.size() > n + 3 ? 1 : 0;
  if (starts_with_any(t, {"（", "("})) {
    const std::size_t open = t.starts_with("（") ? 3 : 1;
    const std::size_t n = chinese_numeral_prefix(t.substr(open));
    return n > 0 && starts_with_any(t.substr(open + n), {"）", ")"}) ? 2 : 0;
  }
  if (t.starts_with("【") && t.ends_with("】") && t.find("】") == t.size() - 3) return 3;
  return 0;
}

// --- building the document ---------------------------------------------------------------------

bool names_the_page(std::string_view heading) {
  const std::string h = normalize_for_index(trim(heading));
  return h == "name" || h.starts_with("name ") || h.starts_with("名称") || h.starts_with("名字") ||
         h.ends_with("(name)") || h.ends_with("（name）");
}

}  // namespace

Document extract_plain_text(std::string_view utf8) {
  const std::vector<Line> lines = lines_of(utf8);
  Outline outline = margin_outline(lines);
  std::vector<int> level(lines.size(), 0);
  for (std::size_t i : outline.headings) level[i] = 1;
  if (outline.headings.empty()) {
    std::size_t found = 0;
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (!lines[i].blank && (level[i] = chinese_heading_level(lines[i].text)) > 0) ++found;
    if (found < 2) level.assign(lines.size(), 0);
  }

  Document doc;
  SectionBuilder builder;
  bool name_section = false;  // in the NAME section of a man page, before its first paragraph ends
  std::string name_line;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const Line& l = lines[i];
    if (outline.dropped[i]) continue;
    if (level[i] > 0) {
      builder.begin_heading(level[i]);
      builder.text(trim(l.text));
      builder.end_heading();
      name_section = !outline.headings.empty() && doc.title.empty() && name_line.empty() && names_the_page(l.text);
      continue;
    }
    if (l.blank) {
      builder.paragraph_break();
      if (!name_line.empty()) name_section = false;
      continue;
    }
    builder.text(trim(l.text));
    builder.line_break();
    if (name_section) {
      if (!name_line.empty()) name_line += ' ';
      name_line += trim(l.text);
    }
  }
  doc.sections = builder.finish();
  // A man page's NAME line says what the page is about: "rev - reverse lines characterwise".
  if (!name_line.empty() && name_line.size() <= max_title_bytes) {
    std::string title = tidy_whitespace(name_line);
    std::replace(title.begin(), title.end(), '\n', ' ');
    doc.title = title;
  }
  return doc;
}

}  // namespace baton::detail
