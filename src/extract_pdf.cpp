// PDF through poppler-cpp: the text layer page by page, cut into sections at the headings of the
// document outline, with running headers, table-of-contents leaders and line wrapping undone.
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>
#include <poppler-toc.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <climits>
#include <cstdio>
#include <iterator>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "baton/extract.h"
#include "baton/text.h"
#include "extract_internal.h"

namespace baton::detail {

namespace {

// Bounds for hostile files. poppler-cpp cannot stop inside a page, so time is bounded between pages:
// pages not read within max_read_time are left out and the document says so. The slowest PDF of the
// shared corpus reads in well under a second; a minute leaves room for a slow machine.
constexpr int max_pages = 10000;
constexpr std::chrono::seconds max_read_time{60};
constexpr std::string_view time_cut_note = "（PDF 读取超时：超过 60 秒后的页面没有索引）";
// extract() keeps no more text than this anyway: pages past it are not read.
constexpr std::size_t max_text_bytes = max_document_text_bytes;
constexpr std::size_t max_outline_entries = 10000;
constexpr int max_outline_depth = 16;
constexpr std::size_t max_heading_candidates = 1u << 20;

// One blank 10x10 page: the smallest PDF poppler lays out without complaint.
constexpr std::string_view blank_pdf =
    "%PDF-1.4\n"
    "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Contents 4 0 R >>\nendobj\n"
    "4 0 obj\n<< /Length 0 >>\nstream\n\nendstream\nendobj\n"
    "xref\n0 5\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n"
    "0000000115 00000 n \n0000000200 00000 n \n"
    "trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n249\n%%EOF\n";

// Once per process, before any PDF is read (extract_pdf runs on several threads at once):
// - poppler reports every oddity of a damaged file on stderr; a bad file is our error value, not noise;
// - the first page poppler lays out creates GfxState's colour profiles, static members set with no lock
//   (`if (!sRGBProfile) sRGBProfile = ...` in poppler 22.12's GfxState constructor). Two threads laying
//   out their first pages at once both set them, and one frees the profile the other is using:
//   ThreadSanitizer reported it in 2 of 3 runs of scripts/tsan. One blank page laid out here sets them;
//   every later GfxState only reads them, after this call_once.
void prepare_poppler() {
  static std::once_flag once;
  std::call_once(once, [] {
    poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);
    const std::unique_ptr<poppler::document> blank(
        poppler::document::load_from_raw_data(blank_pdf.data(), static_cast<int>(blank_pdf.size())));
    if (!blank) return;
    const std::unique_ptr<poppler::page> page(blank->create_page(0));
    if (page) (void)page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout);
  });
}

std::string utf8(const poppler::ustring& s) {
  const poppler::byte_array bytes = s.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

// --- characters ---------------------------------------------------------------------------------

UChar32 first_char(std::string_view s) {
  if (s.empty()) return 0;
  int32_t i = 0;
  UChar32 c = 0;
  U8_NEXT(s.data(), i, static_cast<int32_t>(s.size()), c);
  return c;
}

UChar32 last_char(std::string_view s) {
  if (s.empty()) return 0;
  int32_t i = static_cast<int32_t>(s.size());
  UChar32 c = 0;
  U8_PREV(s.data(), 0, i, c);
  return c;
}

// A wide character that can sit inside a word (not punctuation).
bool is_wide_letter(UChar32 c) {
  return c >= 0 && is_wide(static_cast<char32_t>(c)) && u_isalnum(c);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// The comparison form of a heading: NFKC, lower case, letters and digits only, so "2.1 部分历史" in
// the text, a ligature "ﬀ" or curly quotes still meet the outline's plain title.
std::string match_key(std::string_view s) {
  const std::string folded = normalize_for_index(s);
  std::string key;
  for (int32_t i = 0, n = static_cast<int32_t>(folded.size()); i < n;) {
    const int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(folded.data(), i, n, c);
    if (c > 0 && u_isalnum(c)) key.append(folded, static_cast<std::size_t>(start), static_cast<std::size_t>(i - start));
  }
  return key;
}

// A heading line without its number: "2.1 部分历史" → "部分历史", "第三章 结构" → "结构",
// "Chapter 4. Rules" → "Rules", "A.2 Files" → "Files".
std::string_view strip_heading_number(std::string_view line) {
  std::string_view s = trim(line);
  auto skip_spaces = [](std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    return v;
  };
  if (s.starts_with("第")) {
    for (std::string_view unit : {"章", "节", "部分", "篇", "条"}) {
      const std::size_t at = s.find(unit);
      if (at != std::string_view::npos && at <= 3 + 3 * 6) return skip_spaces(s.substr(at + unit.size()));
    }
    return s;
  }
  for (std::string_view word : {"Chapter ", "Section ", "Part ", "Appendix ", "附录"}) {
    if (s.starts_with(word)) {
      std::string_view rest = skip_spaces(s.substr(word.size()));
      while (!rest.empty() && (std::isalnum(static_cast<unsigned char>(rest.front())) || rest.front() == '.'))
        rest.remove_prefix(1);
      if (!rest.empty() && (rest.front() == ':' || rest.front() == '-')) rest.remove_prefix(1);
      return skip_spaces(rest);
    }
  }
  // 1, 2.1, 3.1.4., A.2, B — followed by a space, "、" or ")".
  std::size_t i = 0;
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z' && (s.size() == 1 || s[1] == '.')) ++i;
  while (i < s.size() && (is_digit(s[i]) || s[i] == '.')) ++i;
  if (i == 0 || i > 12) return s;
  std::string_view rest = s.substr(i);
  if (rest.empty()) return rest;
  if (rest.starts_with("、")) return skip_spaces(rest.substr(3));
  if (rest.starts_with(")") || rest.starts_with(" ") || rest.starts_with("\t")) return skip_spaces(rest.substr(1));
  return s;
}

// A line that is only the number of a heading: "3", "2.1", "Chapter 1", "第三章", set above the title.
bool is_heading_number(std::string_view line) {
  return !trim(line).empty() && strip_heading_number(line).empty();
}

// A line that is nothing but a number: a page number or a chapter number set apart from its title.
bool is_number_line(std::string_view line) {
  line = trim(line);
  if (line.empty() || line.size() > 12) return false;
  return std::all_of(line.begin(), line.end(), [](char c) { return is_digit(c) || c == '.' || c == ' '; }) &&
         is_digit(line.front());
}

// Where a table-of-contents leader ("标题 . . . . . 12", "Title ........ 3", "……") starts, or npos.
std::size_t leader_start(std::string_view line) {
  std::size_t best = std::string_view::npos;
  for (std::string_view leader : {". . . .", ".....", "……", "···", "．．．"}) best = std::min(best, line.find(leader));
  return best;
}

bool is_han_or_kana(UChar32 c) {
  return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0x20000 && c <= 0x3FFFF);
}

// A line as poppler gives it, made fit for search: ligatures (ﬁ, ﬀ) spelled out, and spaces between
// two Han characters dropped. Those spaces are poppler's guess from glyph gaps (justified or
// letter-spaced text: "此 软 件 包"), never typed by the author, and they would split words.
std::string tidy_line(std::string_view line) {
  static constexpr std::string_view ligatures[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};
  std::string out;
  out.reserve(line.size());
  UChar32 before_space = 0;  // the character before a pending space, 0 if none
  for (int32_t i = 0, n = static_cast<int32_t>(line.size()); i < n;) {
    const int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(line.data(), i, n, c);
    if (c == ' ') {
      if (before_space == 0) before_space = last_char(out);
      continue;
    }
    if (before_space != 0 && !(is_han_or_kana(before_space) && is_han_or_kana(c))) out += ' ';
    before_space = 0;
    if (c >= 0xFB00 && c <= 0xFB06)
      out += ligatures[c - 0xFB00];
    else
      out.append(line.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
  }
  return out;
}

// --- pages --------------------------------------------------------------------------------------

struct Page {
  std::vector<std::string> lines;  // "" marks a paragraph break
  std::string label;               // the printed page number ("iv", "12"), if the PDF says
  bool is_contents = false;        // a table of contents: no headings are looked for here
};

std::vector<Page> read_pages(const poppler::document& pdf) {
  std::vector<Page> pages;
  const int count = std::min(pdf.pages(), max_pages);
  const auto deadline = std::chrono::steady_clock::now() + max_read_time;
  std::size_t total = 0;
  for (int i = 0; i < count && total < max_text_bytes; ++i) {
    if (std::chrono::steady_clock::now() > deadline) {
      Page note;
      note.lines.emplace_back(time_cut_note);
      pages.push_back(std::move(note));
      break;
    }
    Page page;
    std::unique_ptr<poppler::page> p(pdf.create_page(i));
    if (p) {
      page.label = utf8(p->label());
      const std::string text = utf8(p->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout));
      total += text.size();
      std::size_t start = 0;
      while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        const std::string_view line = trim(std::string_view(text).substr(start, end - start));
        if (!line.empty())
          page.lines.push_back(tidy_line(line));
        else if (!page.lines.empty() && !page.lines.back().empty())
          page.lines.emplace_back();
        start = end + 1;
      }
      while (!page.lines.empty() && page.lines.back().empty()) page.lines.pop_back();
    }
    pages.push_back(std::move(page));
  }
  return pages;
}

// The shape of a line with its numbers blurred: "3 / 81" and "12 / 81" are the same running footer.
std::string running_key(std::string_view line) {
  std::string key;
  for (char c : line) {
    if (is_digit(c)) {
      if (key.empty() || key.back() != '#') key += '#';
    } else if (c != ' ') {
      key += c;
    }
  }
  return key;
}

// Drops running headers and footers (document title, chapter name, "3 / 81", the page's own label)
// found among the first or last few lines of pages, so they neither split paragraphs nor pose as headings.
void drop_running_lines(std::vector<Page>& pages) {
  constexpr std::size_t zone = 3;
  // The first and last `zone` non-blank lines of each page.
  auto zone_of = [](const Page& page) {
    std::vector<bool> in(page.lines.size(), false);
    for (std::size_t i = 0, seen = 0; i < page.lines.size() && seen < zone; ++i)
      if (!page.lines[i].empty()) in[i] = true, ++seen;
    for (std::size_t i = page.lines.size(), seen = 0; i-- > 0 && seen < zone;)
      if (!page.lines[i].empty()) in[i] = true, ++seen;
    return in;
  };
  std::unordered_map<std::string, std::size_t> seen;
  for (const Page& page : pages) {
    const std::vector<bool> in = zone_of(page);
    std::unordered_set<std::string> keys;
    for (std::size_t i = 0; i < page.lines.size(); ++i)
      if (in[i]) keys.insert(running_key(page.lines[i]));
    for (const auto& key : keys) ++seen[key];
  }
  const std::size_t threshold = pages.size() < 4 ? SIZE_MAX : std::max<std::size_t>(3, pages.size() * 2 / 5);
  for (Page& page : pages) {
    const std::vector<bool> in = zone_of(page);
    std::vector<std::string> kept;
    for (std::size_t i = 0; i < page.lines.size(); ++i) {
      const std::string& line = page.lines[i];
      const bool running = in[i] && (line == page.label || seen[running_key(line)] >= threshold);
      if (running || (line.empty() && (kept.empty() || kept.back().empty()))) continue;
      kept.push_back(line);
    }
    while (!kept.empty() && kept.back().empty()) kept.pop_back();
    page.lines = std::move(kept);
  }
}

// Marks table-of-contents pages and strips their leaders and page numbers: what is left is the list
// of titles, still searchable, and no longer mistaken for the headings themselves.
void clean_contents_pages(std::vector<Page>& pages) {
  for (Page& page : pages) {
    const auto leaders = std::count_if(page.lines.begin(), page.lines.end(),
                                       [](const std::string& l) { return leader_start(l) != std::string::npos; });
    if (leaders < 3) continue;
    page.is_contents = true;
    std::vector<std::string> kept;
    for (std::string& line : page.lines) {
      const std::size_t at = leader_start(line);
      if (at != std::string::npos) line = std::string(trim(std::string_view(line).substr(0, at)));
      if (is_number_line(line)) continue;
      if (line.empty() && (kept.empty() || kept.back().empty())) continue;
      kept.push_back(std::move(line));
    }
    page.lines = std::move(kept);
  }
}

// --- outline --------------------------------------------------------------------------------------

struct OutlineEntry {
  std::vector<std::string> path;  // titles from the outermost entry down to this one
};

void flatten_outline(const poppler::toc_item& item, std::vector<std::string>& path, std::vector<OutlineEntry>& out) {
  if (path.size() >= static_cast<std::size_t>(max_outline_depth)) return;
  for (const poppler::toc_item* child : item.children()) {
    if (!child || out.size() >= max_outline_entries) return;
    std::string title = tidy_whitespace(utf8(child->title()));
    std::replace(title.begin(), title.end(), '\n', ' ');
    const bool named = !title.empty();
    if (named) {
      path.push_back(std::move(title));
      out.push_back({path});
    }
    flatten_outline(*child, path, out);
    if (named) path.pop_back();
  }
}

std::vector<OutlineEntry> read_outline(const poppler::document& pdf) {
  std::vector<OutlineEntry> entries;
  std::unique_ptr<poppler::toc> toc(pdf.create_toc());
  if (!toc || !toc->root()) return entries;
  std::vector<std::string> path;
  flatten_outline(*toc->root(), path, entries);
  return entries;
}

// Where an outline entry's title stands in the text: page, line, and how many lines it spans.
struct HeadingAt {
  std::size_t entry;
  std::size_t page;
  std::size_t line;
  std::size_t span;
  std::size_t position;  // order in the whole document
};

// poppler-cpp's outline items carry no page, so each entry is found in the text: every line (or two
// or three lines, for long titles) equal to an entry's title, with or without its number, is a
// candidate; the longest chain of candidates in both outline order and text order wins, which rules
// out a title quoted in running text or in a table of contents.
std::vector<HeadingAt> locate_headings(const std::vector<Page>& pages, const std::vector<OutlineEntry>& entries) {
  std::unordered_map<std::string, std::vector<std::size_t>> by_key;
  std::size_t longest = 0;
  for (std::size_t e = 0; e < entries.size(); ++e) {
    const std::string& title = entries[e].path.back();
    for (const std::string& key : {match_key(title), match_key(strip_heading_number(title))}) {
      if (key.size() < 2) continue;
      auto& list = by_key[key];
      if (list.empty() || list.back() != e) list.push_back(e);
      longest = std::max(longest, key.size());
    }
  }
  if (by_key.empty()) return {};

  std::vector<HeadingAt> candidates;
  std::size_t position = 0;
  for (std::size_t p = 0; p < pages.size(); ++p) {
    const auto& lines = pages[p].lines;
    if (pages[p].is_contents) {
      position += lines.size();
      continue;
    }
    // Keys only for lines short enough to be (part of) a title.
    std::vector<std::string> keys(lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (!lines[i].empty() && lines[i].size() <= 3 * longest + 32) keys[i] = match_key(lines[i]);
    for (std::size_t i = 0; i < lines.size(); ++i, ++position) {
      if (keys[i].empty()) continue;
      std::string full = keys[i];
      std::string bare = match_key(strip_heading_number(lines[i]));
      for (std::size_t span = 1; span <= 3 && i + span <= lines.size(); ++span) {
        if (span > 1) {
          if (keys[i + span - 1].empty() || full.size() >= longest) break;
          full += keys[i + span - 1];
          bare += keys[i + span - 1];
        }
        for (const std::string* key : {&full, &bare}) {
          if (key == &bare && bare == full) continue;
          if (auto it = by_key.find(*key); it != by_key.end() && candidates.size() < max_heading_candidates)
            for (std::size_t e : it->second) candidates.push_back({e, p, i, span, position});
        }
      }
    }
  }

  // Longest chain increasing in entry and position: patience sorting over positions, with the
  // candidates of one entry in decreasing position so that no entry is taken twice.
  std::sort(candidates.begin(), candidates.end(), [](const HeadingAt& a, const HeadingAt& b) {
    return a.entry != b.entry ? a.entry < b.entry : a.position > b.position;
  });
  std::vector<std::size_t> tails;  // index of the candidate ending the best chain of each length
  std::vector<std::size_t> previous(candidates.size(), SIZE_MAX);
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    const auto at = std::lower_bound(tails.begin(), tails.end(), candidates[c].position,
                                     [&](std::size_t t, std::size_t pos) { return candidates[t].position < pos; });
    if (at != tails.begin()) previous[c] = *(at - 1);
    if (at == tails.end())
      tails.push_back(c);
    else
      *at = c;
  }
  std::vector<HeadingAt> chain;
  for (std::size_t c = tails.empty() ? SIZE_MAX : tails.back(); c != SIZE_MAX; c = previous[c])
    chain.push_back(candidates[c]);
  std::reverse(chain.begin(), chain.end());
  return chain;
}

// --- sections ------------------------------------------------------------------------------------

// Turns the lines of all pages into sections: a new one at every page and at every heading; wrapped
// lines are joined into paragraphs (a paragraph running over a page break stays with its first page).
class SectionAssembler {
 public:
  explicit SectionAssembler(bool chinese) : chinese_(chinese) {}

  // `lines_before` is how many lines the previous page had: a cover or a slide with a line or two
  // does not run on into the next page.
  void page(std::size_t number, std::size_t lines_before) {
    page_label_ = chinese_ ? "第 " + std::to_string(number) + " 页" : "Page " + std::to_string(number);
    if (!paragraph_.empty() && last_wrapped_ && lines_before >= 4) {
      page_pending_ = true;  // the paragraph goes on: finish it in this section first
      return;
    }
    start_page_section();
  }

  void heading(const std::vector<std::string>& path) {
    page_pending_ = false;
    end_paragraph();
    flush();
    current_.heading_path = path;
    current_.level = static_cast<int>(path.size());
    from_outline_ = true;
    outline_path_ = path;
  }

  void line(std::string_view text, bool wrapped) {
    if (paragraph_.empty()) {
      paragraph_ = text;
    } else if (!last_wrapped_) {
      paragraph_ += '\n';
      paragraph_ += text;
    } else {
      join_wrapped(paragraph_, text);
    }
    last_wrapped_ = wrapped;
    if (!wrapped && page_pending_) start_page_section();
  }

  void paragraph_break() {
    end_paragraph();
    if (page_pending_) start_page_section();
  }

  std::vector<Section> finish() {
    end_paragraph();
    flush();
    // A heading with no text whose subsections follow is already in their heading paths.
    std::vector<Section> kept;
    for (std::size_t i = 0; i < sections_.size(); ++i) {
      const Section& s = sections_[i];
      const bool has_child =
          i + 1 < sections_.size() && sections_[i + 1].heading_path.size() > s.heading_path.size() &&
          std::equal(s.heading_path.begin(), s.heading_path.end(), sections_[i + 1].heading_path.begin());
      if (!s.text.empty() || !has_child) kept.push_back(std::move(sections_[i]));
    }
    return kept;
  }

 private:
  static void join_wrapped(std::string& paragraph, std::string_view next) {
    const UChar32 before = last_char(paragraph);
    const UChar32 after = first_char(next);
    const bool hyphenated = before == '-' && paragraph.size() >= 2 &&
                            std::islower(static_cast<unsigned char>(paragraph[paragraph.size() - 2])) && after < 0x80 &&
                            std::islower(static_cast<int>(after));
    if (hyphenated)
      paragraph.pop_back();
    else if (!is_wide(before) && !is_wide(after))
      paragraph += ' ';
    paragraph += next;
  }

  void start_page_section() {
    page_pending_ = false;
    end_paragraph();
    flush();
    from_outline_ = !outline_path_.empty();
    current_.heading_path = from_outline_ ? outline_path_ : std::vector<std::string>{page_label_};
    current_.level = static_cast<int>(current_.heading_path.size());
  }

  void end_paragraph() {
    if (paragraph_.empty()) return;
    current_.text += paragraph_;
    current_.text += "\n\n";
    paragraph_.clear();
    last_wrapped_ = false;
  }

  void flush() {
    current_.text = tidy_whitespace(current_.text);
    if (!current_.text.empty() || (from_outline_ && !current_.heading_path.empty())) sections_.push_back(current_);
    current_ = Section{};
    from_outline_ = false;
  }

  bool chinese_;
  std::vector<Section> sections_;
  Section current_;
  bool from_outline_ = false;
  std::vector<std::string> outline_path_;
  std::string page_label_;
  std::string paragraph_;
  bool last_wrapped_ = false;
  bool page_pending_ = false;
};

// The width of a full line among `widths`: a high percentile, so that one long URL does not set it
// (the longest line, when there are too few to tell).
int full_width(std::vector<int> widths) {
  if (widths.empty()) return 0;
  std::sort(widths.begin(), widths.end(), std::greater<int>());
  return widths[widths.size() < 8 ? 0 : widths.size() / 5];
}

std::vector<int> line_widths(const std::vector<std::string>& lines) {
  std::vector<int> widths;
  for (const auto& l : lines)
    if (!l.empty()) widths.push_back(display_width(l));
  return widths;
}

// Which lines of a page fill the line (so the text goes on in the next line) rather than end early.
// `document_full` is the full width over all pages: a page of short table rows or a cover page with one
// line must not take its longest line for a full one.
std::vector<bool> wrapped_lines(const std::vector<std::string>& lines, int document_full) {
  const int full = std::max(full_width(line_widths(lines)), document_full);
  std::vector<bool> wrapped(lines.size(), false);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    // Chinese breaks anywhere, even inside a word: a line ending on a Han character is joined more
    // readily, since a wrong newline there would split a word for search.
    const double share = is_wide_letter(last_char(lines[i])) ? 0.6 : 0.8;
    wrapped[i] = display_width(lines[i]) >= share * full;
  }
  return wrapped;
}

bool mostly_chinese(const std::vector<Page>& pages) {
  std::size_t wide = 0;
  std::size_t letters = 0;
  for (const Page& page : pages)
    for (const auto& line : page.lines)
      for (int32_t i = 0, n = static_cast<int32_t>(line.size()); i < n;) {
        UChar32 c = 0;
        U8_NEXT(line.data(), i, n, c);
        if (c > 0 && u_isalpha(c)) {
          ++letters;
          if (is_wide(c)) ++wide;
        }
      }
  return wide * 10 >= letters && wide > 0;
}

std::vector<Section> build_sections(const std::vector<Page>& pages, const std::vector<OutlineEntry>& entries) {
  const std::vector<HeadingAt> headings = locate_headings(pages, entries);
  SectionAssembler out(mostly_chinese(pages));
  std::vector<int> all_widths;
  for (const Page& page : pages)
    if (!page.is_contents) std::ranges::copy(line_widths(page.lines), std::back_inserter(all_widths));
  const int document_full = full_width(std::move(all_widths));
  std::size_t next = 0;
  for (std::size_t p = 0; p < pages.size(); ++p) {
    const auto& lines = pages[p].lines;
    const std::vector<bool> wrapped = wrapped_lines(lines, document_full);
    out.page(p + 1, p == 0 ? 0 : pages[p - 1].lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
      // A heading inside the lines of a longer one just taken (a title over two lines) is no heading.
      while (next < headings.size() &&
             (headings[next].page < p || (headings[next].page == p && headings[next].line < i)))
        ++next;
      if (next < headings.size() && headings[next].page == p && headings[next].line == i) {
        out.heading(entries[headings[next].entry].path);
        i += headings[next].span - 1;
        ++next;
        continue;
      }
      // A chapter number standing alone above its title belongs to the heading, not the text.
      if (is_heading_number(lines[i]) && next < headings.size() && headings[next].page == p) {
        std::size_t after = i + 1;
        while (after < lines.size() && lines[after].empty()) ++after;
        if (headings[next].line == after) continue;
      }
      if (lines[i].empty())
        out.paragraph_break();
      else
        out.line(lines[i], wrapped[i]);
    }
  }
  return out.finish();
}

// --- metadata ------------------------------------------------------------------------------------

std::string info_text(const poppler::document& pdf, const std::string& key) {
  std::string value = tidy_whitespace(utf8(pdf.info_key(key)));
  std::replace(value.begin(), value.end(), '\n', ' ');
  return value;
}

// "Microsoft Word - 交接说明.docx" or "D:\工作\交接说明.doc" is what Office writes when nobody set a
// title: keep "交接说明".
std::string clean_title(std::string title) {
  for (std::string_view prefix : {"Microsoft Word - ", "Microsoft PowerPoint - ", "Microsoft Excel - "})
    if (title.starts_with(prefix)) title.erase(0, prefix.size());
  for (std::string_view ext : {".docx", ".doc", ".pptx", ".ppt", ".xlsx", ".xls", ".wps", ".pdf"}) {
    if (!title.ends_with(ext)) continue;
    title.resize(title.size() - ext.size());
    if (const std::size_t slash = title.find_last_of("/\\"); slash != std::string::npos) title.erase(0, slash + 1);
    break;
  }
  return title;
}

// "D:20240131160855+08'00'" → "2024-01-31", the date as the author's clock saw it.
std::string pdf_date(std::string_view raw) {
  raw = trim(raw);
  if (raw.starts_with("D:")) raw.remove_prefix(2);
  if (raw.size() < 4 || !std::all_of(raw.begin(), raw.begin() + 4, is_digit)) return {};
  auto two = [&](std::size_t at, int fallback) {
    if (raw.size() < at + 2 || !is_digit(raw[at]) || !is_digit(raw[at + 1])) return fallback;
    return (raw[at] - '0') * 10 + (raw[at + 1] - '0');
  };
  const int year = std::stoi(std::string(raw.substr(0, 4)));
  const int month = two(4, 1);
  const int day = two(6, 1);
  if (year < 1980 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31) return {};
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", year, month, day);
  return out;
}

}  // namespace

Result<Document> extract_pdf(std::string_view bytes) {
  prepare_poppler();
  if (bytes.substr(0, 1024).find("%PDF-") == std::string_view::npos)
    return make_error("not a PDF file (no %PDF header)");
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) return make_error("PDF too large");
  // poppler reads the bytes in place; `bytes` outlives `pdf`.
  std::unique_ptr<poppler::document> pdf(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!pdf) return make_error("corrupt or truncated PDF: its structure cannot be read");
  // A locked document must not be asked for pages (poppler-cpp crashes): only is_locked() is safe.
  if (pdf->is_locked())
    return make_error("encrypted PDF: it needs a password to open; save an unprotected copy to index it");
  if (pdf->pages() <= 0) return make_error("corrupt PDF: it has no pages");

  std::vector<Page> pages = read_pages(*pdf);
  drop_running_lines(pages);
  clean_contents_pages(pages);
  const bool has_text = std::any_of(pages.begin(), pages.end(), [](const Page& p) { return !p.lines.empty(); });
  if (!has_text) return make_error("no text layer (scanned PDF?): run OCR on it to make it searchable");

  Document doc;
  doc.sections = build_sections(pages, read_outline(*pdf));
  doc.title = clean_title(info_text(*pdf, "Title"));
  doc.author = info_text(*pdf, "Author");
  doc.date = pdf_date(info_text(*pdf, "ModDate"));
  if (doc.date.empty()) doc.date = pdf_date(info_text(*pdf, "CreationDate"));
  return doc;
}

}  // namespace baton::detail
