// Highlighting for snippets and the document view. Xapian's MSet::snippet marks CJK per character
// (so the 退 of 退货 lights up for 退款) and trims trailing punctuation; this marks what matched.
#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "baton/search.h"
#include "baton/text.h"

namespace baton {

struct Highlighter::CodePoint {
  std::size_t begin, end;  // byte offsets in the text
  unsigned ch;
};

namespace {

using CodePoint = Highlighter::CodePoint;

std::vector<CodePoint> code_points(std::string_view text) {
  std::vector<CodePoint> out;
  out.reserve(text.size() / 2);
  for (Xapian::Utf8Iterator it(text.data(), text.size()); it != Xapian::Utf8Iterator(); ) {
    const std::size_t begin = static_cast<std::size_t>(it.raw() - text.data());
    const unsigned ch = *it;
    ++it;
    const std::size_t end = it.left() ? static_cast<std::size_t>(it.raw() - text.data()) : text.size();
    out.push_back({begin, end, ch});
  }
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string strip_prefix(const std::string& term) {
  std::size_t i = 0;
  while (i < term.size() && term[i] >= 'A' && term[i] <= 'Z') ++i;
  return term.substr(i);
}

std::size_t cjk_length(const std::string& s) {
  const auto cps = code_points(s);
  if (cps.empty() || !std::all_of(cps.begin(), cps.end(), [](const CodePoint& c) { return is_cjk(c.ch); })) return 0;
  return cps.size();
}

}  // namespace

struct Highlighter::Span {
  std::size_t first, last;  // code point range [first, last)
  std::string text;         // normalised, to count distinct matches
};

Highlighter::Highlighter(const std::vector<std::string>& terms) {
  std::vector<std::string> unigrams, longer;
  for (const std::string& term : terms) {
    const bool stemmed = !term.empty() && term[0] == 'Z';
    const std::string t = strip_prefix(term);
    if (t.empty()) continue;
    switch (cjk_length(t)) {
      case 0: (stemmed ? stems_ : words_).push_back(t); break;
      case 1: unigrams.push_back(t); break;
      default:
        if (!contains(longer, t)) longer.push_back(t);
        break;
    }
  }
  // A character the query only has as part of a word would light up in unrelated words.
  for (const auto& u : unigrams)
    if (std::none_of(longer.begin(), longer.end(), [&](const std::string& b) { return b.find(u) != std::string::npos; }) &&
        !contains(cjk_, u))
      cjk_.push_back(u);
  cjk_.insert(cjk_.end(), longer.begin(), longer.end());
  for (const auto& t : cjk_) {
    const std::size_t n = cjk_length(t);
    if (!std::count(cjk_lengths_.begin(), cjk_lengths_.end(), n)) cjk_lengths_.push_back(n);
  }
  std::sort(cjk_lengths_.rbegin(), cjk_lengths_.rend());
  for (const auto& t : cjk_) cjk_first_.push_back(*Xapian::Utf8Iterator(t));
  for (const auto* list : {&words_, &stems_})
    for (const auto& t : *list)
      if (latin_first_.find(t[0]) == std::string::npos) latin_first_ += t[0];
}

std::vector<Highlighter::Span> Highlighter::spans(std::string_view text, const std::vector<CodePoint>& cps) const {
  std::vector<Span> out;
  std::vector<bool> marked(cps.size(), false);
  thread_local const Xapian::Stem stemmer("english");  // a Stem is not safe to share between threads
  // CJK characters fold one at a time (a table look-up); other text goes through the full fold.
  std::vector<char32_t> folded(cps.size(), 0);
  const auto piece = [&](std::size_t a, std::size_t b) {
    if (folded[a]) {
      std::string out;
      for (std::size_t k = a; k < b; ++k) Xapian::Unicode::append_utf8(out, folded[k]);
      return out;
    }
    return normalize_for_index(text.substr(cps[a].begin, cps[b - 1].end - cps[a].begin));
  };
  const auto mark = [&](std::size_t a, std::size_t b) {
    std::fill(marked.begin() + static_cast<std::ptrdiff_t>(a), marked.begin() + static_cast<std::ptrdiff_t>(b), true);
  };
  for (std::size_t i = 0; i < cps.size();) {
    const unsigned ch = cps[i].ch;
    if (!Xapian::Unicode::is_wordchar(ch)) {
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    if (is_cjk(ch)) {
      while (j < cps.size() && is_cjk(cps[j].ch) && Xapian::Unicode::is_wordchar(cps[j].ch)) ++j;
      for (std::size_t k = i; k < j; ++k) folded[k] = fold_cjk(cps[k].ch);
      for (std::size_t k = i; k < j; ++k) {
        if (std::find(cjk_first_.begin(), cjk_first_.end(), folded[k]) == cjk_first_.end()) continue;
        for (std::size_t n : cjk_lengths_)
          if (k + n <= j && contains(cjk_, piece(k, k + n))) mark(k, k + n);
      }
    } else {
      while (j < cps.size() && Xapian::Unicode::is_wordchar(cps[j].ch) && !is_cjk(cps[j].ch)) ++j;
      // A stem starts with its word's first letter: other words are not stemmed (most of the text).
      const unsigned first = ch < 0x80 ? static_cast<unsigned>(std::tolower(static_cast<int>(ch))) : ch;
      if (first >= 0x80 || latin_first_.find(static_cast<char>(first)) != std::string::npos) {
        const std::string word = piece(i, j);
        if (contains(words_, word) || contains(stems_, stemmer(word))) mark(i, j);
      }
    }
    i = j;
  }
  for (std::size_t i = 0; i < cps.size();) {
    if (!marked[i]) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < cps.size() && marked[j]) ++j;
    out.push_back({i, j, piece(i, j)});
    i = j;
  }
  return out;
}

namespace {

// Escaped text of code points [a, b) with spans marked; newlines become spaces if `flatten`.
std::string render(std::string_view text, const std::vector<CodePoint>& cps, std::size_t a, std::size_t b,
                   const std::vector<std::pair<std::size_t, std::size_t>>& marks, bool flatten) {
  std::string out;
  std::size_t pos = a;
  const auto emit = [&](std::size_t from, std::size_t to) {
    if (from >= to) return;
    std::string chunk = html_escape(text.substr(cps[from].begin, cps[to - 1].end - cps[from].begin));
    if (flatten) std::replace(chunk.begin(), chunk.end(), '\n', ' ');
    out += chunk;
  };
  for (const auto& [first, last] : marks) {
    if (last <= a || first >= b) continue;
    const std::size_t f = std::max(first, a), l = std::min(last, b);
    emit(pos, f);
    out += "<mark>";
    emit(f, l);
    out += "</mark>";
    pos = l;
  }
  emit(pos, b);
  return out;
}

}  // namespace

std::string Highlighter::all(std::string_view text) const {
  const auto cps = code_points(text);
  std::vector<std::pair<std::size_t, std::size_t>> marks;
  for (const Span& s : spans(text, cps)) marks.emplace_back(s.first, s.last);
  return render(text, cps, 0, cps.size(), marks, false);
}

std::string Highlighter::snippet(std::string_view text, std::size_t max_bytes) const {
  const auto cps = code_points(text);
  if (cps.empty()) return {};
  const auto found = spans(text, cps);
  // Extends a window starting at code point `a` to the byte budget.
  const auto window_end = [&](std::size_t a) {
    std::size_t b = a;
    while (b < cps.size() && cps[b].end - cps[a].begin <= max_bytes) ++b;
    // Do not cut an English word in two.
    if (b < cps.size() && b > a + 1 && !is_cjk(cps[b].ch) && Xapian::Unicode::is_wordchar(cps[b].ch)) {
      std::size_t w = b;
      while (w > a + 1 && Xapian::Unicode::is_wordchar(cps[w - 1].ch) && !is_cjk(cps[w - 1].ch)) --w;
      if (w > a + 1) b = w;
    }
    return b;
  };
  std::size_t best_a = 0, best_b = window_end(0);
  std::size_t best_score = 0;
  for (std::size_t i = 0; i < found.size(); ++i) {
    // Start a little before the match, at a sentence or line start if one is near.
    std::size_t a = found[i].first;
    for (std::size_t back = 0; back < 12 && a > 0; ++back) {
      const unsigned prev = cps[a - 1].ch;
      if (prev == '\n' || prev == 0x3002 || prev == 0xFF01 || prev == 0xFF1F || prev == 0xFF1B) break;
      --a;
    }
    // Nor start inside one: back to its first letter, or past it if it is too long.
    const auto latin = [&](std::size_t k) { return Xapian::Unicode::is_wordchar(cps[k].ch) && !is_cjk(cps[k].ch); };
    if (a > 0 && a < found[i].first && latin(a - 1) && latin(a)) {
      std::size_t w = a;
      while (w > 0 && a - w < 16 && latin(w - 1)) --w;
      if (w == 0 || !latin(w - 1)) a = w;
      else while (a < found[i].first && latin(a)) ++a;
    }
    const std::size_t b = window_end(a);
    std::unordered_set<std::string> distinct;
    std::size_t count = 0;
    for (std::size_t k = i; k < found.size() && found[k].last <= b; ++k) {
      distinct.insert(found[k].text);
      ++count;
    }
    const std::size_t score = distinct.size() * 1000 + count;
    if (score > best_score) {
      best_score = score;
      best_a = a;
      best_b = b;
    }
  }
  std::vector<std::pair<std::size_t, std::size_t>> marks;
  for (const Span& s : found) marks.emplace_back(s.first, s.last);
  std::string out = best_a > 0 ? "…" : "";
  out += render(text, cps, best_a, best_b, marks, true);
  if (best_b < cps.size()) out += "…";
  return out;
}

}  // namespace baton
