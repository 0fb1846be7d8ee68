#include "baton/query.h"

#include <unicode/brkiter.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>

// friso's header declares C functions without extern "C" (its <stdio.h> and <stdlib.h> come above).
extern "C" {
#include <friso.h>
}

#include "baton/document.h"
#include "baton/index.h"
#include "baton/text.h"

namespace baton {

// --- filters -------------------------------------------------------------------------------------

namespace {

// The member for a filter name (const or not, as `f` is); nullptr for an unknown name.
template <typename F>
auto* field(F& f, std::string_view name) {
  decltype(&f.kind) fields[] = {&f.kind, &f.client, &f.project, &f.author, &f.type, &f.year, &f.after, &f.before};
  static_assert(std::size(fields) == std::size(filter_names));
  for (std::size_t i = 0; i < std::size(filter_names); ++i)
    if (name == filter_names[i]) return fields[i];
  return decltype(&f.kind){nullptr};
}

}  // namespace

bool Filters::empty() const { return items().empty(); }

std::vector<std::pair<std::string, std::string>> Filters::items() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const char* name : filter_names)
    if (const std::string* value = field(*this, name); !value->empty()) out.emplace_back(name, *value);
  return out;
}

bool Filters::set(std::string_view name, std::string value) {
  std::string* slot = field(*this, name);
  if (!slot) return false;
  *slot = std::move(value);
  return true;
}

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// YYYY, YYYY-MM or YYYY-MM-DD ('/' or '.' also separate) → YYYY-MM-DD, the first or last day of the
// period. Days are not checked against the month: the bound only has to sort right.
Result<std::string> normalize_date(const std::string& name, const std::string& value, bool end) {
  std::vector<std::string> parts{""};
  for (char c : value) {
    if (c == '-' || c == '/' || c == '.') parts.emplace_back();
    else parts.back() += c;
  }
  const auto bad = [&] { return make_error(name + ": '" + value + "' is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)"); };
  if (parts.size() > 3 || parts[0].size() != 4) return bad();
  for (const auto& p : parts)
    if (!all_digits(p) || p.size() > 4) return bad();
  const auto two = [](const std::string& p) { return p.size() == 1 ? "0" + p : p; };
  std::string month = parts.size() > 1 ? two(parts[1]) : (end ? "12" : "01");
  std::string day = parts.size() > 2 ? two(parts[2]) : (end ? "31" : "01");
  const int m = std::stoi(month), d = std::stoi(day);
  if (month.size() != 2 || day.size() != 2 || m < 1 || m > 12 || d < 1 || d > 31) return bad();
  return parts[0] + "-" + month + "-" + day;
}

}  // namespace

Status check_filters(Filters& f) {
  if (!f.kind.empty()) {
    f.kind = ascii_lower(f.kind);
    if (!parse_kind(f.kind))
      return make_error("kind: unknown kind '" + f.kind + "' (handover, manual, communication, record, answer)");
  }
  f.type = ascii_lower(f.type);
  if (!f.year.empty() && (f.year.size() != 4 || !all_digits(f.year)))
    return make_error("year: '" + f.year + "' is not a year (YYYY)");
  if (!f.after.empty()) {
    auto d = normalize_date("after", f.after, false);
    if (!d) return d.error();
    f.after = *d;
  }
  if (!f.before.empty()) {
    auto d = normalize_date("before", f.before, true);
    if (!d) return d.error();
    f.before = *d;
  }
  return Ok{};
}

Result<ParsedQuery> parse_query(std::string_view q) {
  ParsedQuery out;
  std::string text;
  std::size_t i = 0;
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (i < q.size()) {
    while (i < q.size() && space(q[i])) ++i;
    if (i >= q.size()) break;
    // A token runs to the next space outside quotes.
    const std::size_t start = i;
    bool quoted = false;
    while (i < q.size() && (quoted || !space(q[i]))) {
      if (q[i] == '"') quoted = !quoted;
      ++i;
    }
    std::string token(q.substr(start, i - start));
    // A full-width colon (typed with a Chinese input method) counts too.
    if (const auto fw = token.find("："); fw != std::string::npos && token.find(':') == std::string::npos)
      token.replace(fw, 3, ":");
    const auto colon = token.find(':');
    if (colon != std::string::npos && colon > 0 && colon + 1 < token.size()) {
      const std::string name = ascii_lower(token.substr(0, colon));
      std::string value = token.substr(colon + 1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      if (!value.empty() && out.filters.set(name, value)) continue;
    }
    if (!text.empty()) text += ' ';
    text += token;
  }
  out.text = std::move(text);
  if (auto ok = check_filters(out.filters); !ok) return ok.error();
  return out;
}

// --- synonyms ------------------------------------------------------------------------------------

namespace {

// One stemmer per thread: a Xapian::Stem keeps its working state inside, so sharing one between
// request threads crashed the server under load (bench/search).
const Xapian::Stem& english() {
  thread_local const Xapian::Stem stem("english");
  return stem;
}

bool is_ascii_word(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

std::string stem_key(const std::string& word) { return "Z" + english()(word); }

}  // namespace

Synonyms Synonyms::parse(std::string_view text) {
  Synonyms out;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    for (std::string_view sep : {"，", "、", "；", ";"})
      for (std::size_t at; (at = line.find(sep)) != std::string::npos;) line.replace(at, sep.size(), ",");
    std::vector<std::string> group;
    std::stringstream fields(line);
    for (std::string field; std::getline(fields, field, ',');) {
      std::string term = normalize_for_index(trim(field));
      // Inner runs of spaces become one: "purchase  order" is the phrase "purchase order".
      term.erase(std::unique(term.begin(), term.end(), [](char a, char b) { return a == ' ' && b == ' '; }), term.end());
      if (!term.empty() && std::find(group.begin(), group.end(), term) == group.end()) group.push_back(term);
    }
    if (group.size() < 2) continue;
    const std::size_t g = out.groups_.size();
    for (const auto& term : group) {
      out.index_[term].push_back(g);
      if (is_ascii_word(term)) out.index_[stem_key(term)].push_back(g);  // "refunds" finds "refund"
      out.longest_ = std::max(out.longest_, term.size());
    }
    out.groups_.push_back(std::move(group));
  }
  return out;
}

Result<Synonyms> Synonyms::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return make_error("cannot read synonyms file " + file.string(), ErrorKind::not_found);
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str());
}

const Synonyms& Synonyms::builtin() {
  static const Synonyms synonyms = parse(
#include "default_synonyms.inc"
  );
  return synonyms;
}

std::vector<std::string> Synonyms::of(const std::string& term) const {
  std::vector<std::string> out;
  auto add = [&](const std::string& key) {
    const auto it = index_.find(key);
    if (it == index_.end()) return;
    for (std::size_t g : it->second)
      for (const auto& t : groups_[g])
        if (t != term && std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  };
  add(term);
  if (is_ascii_word(term)) add(stem_key(term));
  return out;
}

std::size_t Synonyms::longest_at(std::string_view text, std::size_t pos) const {
  for (std::size_t len = std::min(longest_, text.size() - pos); len > 0; --len) {
    // Only whole code points: a UTF-8 continuation byte cannot start the rest of the text.
    if (pos + len < text.size() && (static_cast<unsigned char>(text[pos + len]) & 0xC0) == 0x80) continue;
    if (index_.count(std::string(text.substr(pos, len)))) return len;
  }
  return 0;
}

// --- query planning ------------------------------------------------------------------------------

std::string_view cjk_mode_name(CjkMode mode) {
  switch (mode) {
    case CjkMode::xapian: return "xapian";
    case CjkMode::bigrams: return "bigrams";
    case CjkMode::words: return "words";
    case CjkMode::words_bigrams: return "words+bigrams";
    case CjkMode::friso: return "friso";
    case CjkMode::friso_bigrams: return "friso+bigrams";
  }
  return "words+bigrams";
}

std::optional<CjkMode> parse_cjk_mode(std::string_view name) {
  for (CjkMode m : {CjkMode::xapian, CjkMode::bigrams, CjkMode::words, CjkMode::words_bigrams, CjkMode::friso,
                    CjkMode::friso_bigrams})
    if (cjk_mode_name(m) == name) return m;
  return std::nullopt;
}

namespace {

// Words a question is phrased with that say nothing about what is asked. Dropped from a query
// (unless nothing else is left), so that 怎么 or "how" does not decide the ranking.
constexpr std::string_view chinese_stopwords[] = {
    "怎么", "怎样", "怎么样", "如何", "什么", "为什么", "为何", "哪里", "哪些", "哪个", "是否", "可以", "能否", "能不能",
    "需要", "的", "了", "吗", "呢", "吧", "啊", "是", "在", "和", "与", "及", "或", "我", "我们", "你", "您", "他",
    "她", "它", "这", "那", "这个", "那个", "有", "要", "会", "能", "该", "一下", "请问", "办", "做", "弄", "去",
    "把", "被", "给", "就", "都", "也", "还", "又", "从", "对", "到", "着", "过", "啥", "咋", "咋办", "怎么办"};
constexpr std::string_view english_stopwords[] = {
    "a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "is", "are", "was", "how", "do", "does", "i",
    "my", "what", "where", "when", "why", "can", "with", "by", "from", "it", "be", "this", "that", "me", "we",
    "you", "should", "which", "who", "there", "any", "about", "get"};

template <std::size_t N>
bool listed(const std::string_view (&list)[N], std::string_view word) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

std::vector<std::string> code_points_of(std::string_view s) {
  std::vector<std::string> out;
  for (Xapian::Utf8Iterator it(s.data(), s.size()); it != Xapian::Utf8Iterator(); ++it) {
    std::string c;
    Xapian::Unicode::append_utf8(c, *it);
    out.push_back(std::move(c));
  }
  return out;
}

// Bytes of the UTF-8 character at `pos`.
std::size_t char_bytes(std::string_view s, std::size_t pos) {
  auto end = static_cast<int32_t>(pos);
  U8_FWD_1(s.data(), end, static_cast<int32_t>(s.size()));
  return static_cast<std::size_t>(end) - pos;
}

// ICU's dictionary word break for a run of Chinese (one break iterator per thread: they are not
// thread-safe and cost a millisecond to create).
std::vector<std::string> chinese_words(const std::string& run) {
  thread_local std::unique_ptr<icu::BreakIterator> words = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createWordInstance(icu::Locale::getChinese(), status));
    return U_SUCCESS(status) ? std::move(it) : nullptr;
  }();
  if (!words) return code_points_of(run);
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(run);
  words->setText(u);
  std::vector<std::string> out;
  for (int32_t start = words->first(), end = words->next(); end != icu::BreakIterator::DONE; start = end, end = words->next()) {
    std::string w;
    u.tempSubStringBetween(start, end).toUTF8String(w);
    out.push_back(std::move(w));
  }
  return out;
}

// friso (mmseg, complex mode) over Debian's friso-dict, loaded on first use (about 90 ms and 22 MB).
// Segmenting only reads the dictionary, so threads share it, each with a task of its own.
struct FrisoDictionary {
  friso_t friso = friso_new();
  friso_config_t config = friso_new_config();
  bool loaded = false;

  FrisoDictionary() {
    // friso prints a warning on stdout (where `baton search --json` writes) for a missing dictionary.
    std::string dir = BATON_FRISO_DICT;
    std::error_code ec;
    if (!std::filesystem::exists(dir + "friso.lex.ini", ec)) return;
    config->add_syn = 0;  // its synonyms would come in among the words
    friso_set_mode(config, __FRISO_COMPLEX_MODE__);
    friso->charset = FRISO_UTF8;
    friso->dic = friso_dic_new();
    friso_dic_load_from_ifile(friso, config, dir.data(), config->max_len * 3);
    loaded = friso_spec_dic_size(friso->dic, __LEX_CJK_WORDS__) > 0;
  }
  ~FrisoDictionary() {
    friso_free_config(config);
    friso_free(friso);
  }
};

// friso's words for a run of Chinese, in order; ICU's if its dictionary cannot be loaded. Characters
// friso skips (CJK Extension B, kana) come back one by one, so that the words cover the run as ICU's do.
std::vector<std::string> friso_words(const std::string& run) {
  static const FrisoDictionary dictionary;
  if (!dictionary.loaded) return chinese_words(run);
  thread_local const std::unique_ptr<friso_task_entry, void (*)(friso_task_t)> task(friso_new_task(), friso_free_task);
  std::string text = run;  // friso_set_text takes a char*
  friso_set_text(task.get(), text.data());
  std::vector<std::string> out;
  std::size_t pos = 0;
  const auto single_chars_to = [&](std::size_t end) {
    for (std::size_t len; pos < end; pos += len) {
      len = char_bytes(run, pos);
      out.push_back(run.substr(pos, len));
    }
  };
  while (const friso_token_t token = dictionary.config->next_token(dictionary.friso, dictionary.config, task.get())) {
    const auto start = static_cast<std::size_t>(token->offset);
    if (start < pos || start + token->rlen > run.size()) continue;
    single_chars_to(start);
    out.push_back(run.substr(start, token->rlen));
    pos = start + token->rlen;
  }
  single_chars_to(run.size());
  return out;
}

// True if one insertion, deletion, substitution or swap of neighbours turns `a` into `b`.
bool one_edit_apart(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1 || a == b) return false;
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (a.size() == b.size())
    return a.substr(i + 1) == b.substr(i + 1) ||  // substitution
           (i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2));
  return a.substr(i) == b.substr(i + 1);  // insertion
}

// The spelling table's correction of an English word, unless it means the same (its stem is the
// correction's: "refunds" for "refund").
std::string correction(const std::string& word, const Xapian::Database& db) {
  if (!is_ascii_word(word) || word.size() < 3 || std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return {};
  // A word whose stem the documents have is a typo only if it is long (a short one is a real word:
  // "lid" of "lids", not "lin"), rare (a word in ten sections, and in one in a thousand, is a word of
  // the documents: "chance", not "change" mistyped; "recieve" is in 5 of the shared corpus's 18,000),
  // one slip away from the correction and no more common than it ("reconcilation" shares its stem with "reconcile"; "salmon" is a word, not
  // "daemon" mistyped). Asking the spelling table is most of what planning a query costs.
  const Xapian::doccount typed = db.get_termfreq(stem_key(word));
  if (typed > 0 && (word.size() < 6 || typed >= std::max<Xapian::doccount>(10, db.get_doccount() / 1000))) return {};
  std::string fix = db.get_spelling_suggestion(word, 2);
  if (fix.empty() || fix == word || english()(fix) == english()(word)) return {};
  if (typed > 0 && (!one_edit_apart(word, fix) || db.get_termfreq(stem_key(fix)) < typed)) return {};
  return fix;
}

class Planner {
 public:
  Planner(const Xapian::Database& db, const Synonyms& synonyms, CjkMode mode)
      : db_(db), synonyms_(synonyms), mode_(mode) {}

  QueryPlan plan(std::string_view raw) {
    const std::string text = normalize_for_index(mainland_wording(raw));
    tokenize(text);
    QueryPlan out;
    std::vector<Xapian::Query> primary, secondary;
    for (const auto& c : concepts_) {
      if (c.query.empty()) continue;
      (c.secondary ? secondary : primary).push_back(c.query);
      if (!c.secondary && !c.forms.empty()) out.concepts.push_back({c.forms, rarity(c.forms)});
    }
    // Any concept matches; the search ranks by how much of the query a section covers.
    Xapian::Query main;
    if (primary.size() == 1) main = primary.front();
    else if (primary.size() > 1) main = Xapian::Query(Xapian::Query::OP_OR, primary.begin(), primary.end());
    if (!secondary.empty()) {
      Xapian::Query extra(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(Xapian::Query::OP_OR, secondary.begin(), secondary.end()),
                          secondary_weight);
      main = main.empty() ? extra : Xapian::Query(Xapian::Query::OP_OR, main, extra);
    }
    // Sections where neighbouring words of the query stand near each other ("disk space", "mount
    // point") rank higher: an unordered window of 8 words, as in the sequential dependence model.
    if (!near_.empty() && !main.empty())
      main = Xapian::Query(Xapian::Query::OP_OR, main,
                           Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(Xapian::Query::OP_OR, near_.begin(), near_.end()),
                                         proximity_weight));
    // Title and headings again, as a field of their own: BM25 saturates a word's frequency, so the
    // title's wdf boost alone lets a long section that says the words in passing outrank a man page
    // whose NAME line is the answer ("pwdx - report current working directory of a process").
    if (!main.empty()) {
      std::vector<Xapian::Query> in_title;
      for (const auto& c : concepts_) {
        if (c.secondary) continue;
        std::vector<Xapian::Query> forms;
        for (const auto& f : c.forms)
          if (f.size() == 1) forms.emplace_back(title_term(f.front()));
        if (!forms.empty()) in_title.emplace_back(Xapian::Query::OP_SYNONYM, forms.begin(), forms.end());
      }
      if (!in_title.empty())
        main = Xapian::Query(Xapian::Query::OP_OR, main,
                             Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                           Xapian::Query(Xapian::Query::OP_OR, in_title.begin(), in_title.end()),
                                           title_field_weight));
    }
    out.query = main;
    out.terms = highlight_;
    out.corrections = corrections_;
    return out;
  }

 private:
  static constexpr double secondary_weight = 0.3;
  // Of the title field (above). On the 660 known-item queries (2026-11-28): none 288 English / 279
  // Chinese found in the top 5; 0.1 289/282, 0.2 289/284, 0.3 291/284, 0.5 289/282, 1.0 284/277.
  static constexpr double title_field_weight = 0.3;

  // A body term's title-field twin: the indexer writes title and heading words under
  // schema::title_prefix as well, stemmed English ones as "Z" + prefix + stem.
  static std::string title_term(const std::string& t) {
    return !t.empty() && t.front() == 'Z' ? "Z" + std::string(schema::title_prefix) + t.substr(1)
                                          : schema::title_prefix + t;
  }
  // Of two neighbouring English words found near each other (0.2 to 0.3 measured the same on the
  // known-item sets, 0.5 lost a query and 1.0 seven; the window, 2 to 12, changed nothing).
  static constexpr double proximity_weight = 0.25;
  static constexpr Xapian::termpos proximity_window = 8;
  static constexpr double proximity_common = 0.05;
  // Of a synonym the typed word lacks, relative to the typed word (0.2 to 0.4 measured the same on
  // the known-item sets; see add_concept).
  static constexpr double synonym_weight = 0.3;

  struct Concept {
    Xapian::Query query;
    bool secondary = false;
    std::vector<std::vector<std::string>> forms;  // for coverage; empty: not counted
  };

  // One typed form of a concept: its query and the terms a section needs to have it.
  struct Form {
    Xapian::Query query;
    std::vector<std::string> terms;
  };

  // The inverse document frequency of a concept's rarest form that the index has (0 if none has
  // it: a concept no section has tells sections apart no better than one all have).
  double rarity(const std::vector<std::vector<std::string>>& forms) const {
    const double n = db_.get_doccount();
    double best = 0;
    for (const auto& form : forms) {
      Xapian::doccount tf = std::numeric_limits<Xapian::doccount>::max();
      for (const auto& t : form) tf = std::min(tf, db_.get_termfreq(t));
      if (tf > 0 && tf != std::numeric_limits<Xapian::doccount>::max()) best = std::max(best, std::log((n + 1) / tf));
    }
    return best;
  }

  // Splits normalised text into tokens: "quoted phrases" and space-separated words, each of which
  // may mix Chinese and other script. There is no `-word` exclusion: pasted titles ("[PATCH -next]
  // ...") have dashes that exclude nothing.
  void tokenize(const std::string& text) {
    std::size_t i = 0;
    while (i < text.size()) {
      if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n') {
        ++i;
        continue;
      }
      if (text[i] == '"') {
        const std::size_t close = text.find('"', i + 1);
        const std::string inner = text.substr(i + 1, close == std::string::npos ? std::string::npos : close - i - 1);
        i = close == std::string::npos ? text.size() : close + 1;
        add_phrase(inner);
        continue;
      }
      std::size_t j = i;
      while (j < text.size() && text[j] != ' ' && text[j] != '\t' && text[j] != '\n') ++j;
      add_token(text.substr(i, j - i));
      i = j;
    }
    flush_words();
    // A query of nothing but stop words still searches for them.
    if (std::none_of(concepts_.begin(), concepts_.end(), [](const Concept& c) { return !c.secondary; })) {
      for (const auto& w : dropped_) add_concept(w);
    }
  }

  void add_phrase(const std::string& inner) {
    Xapian::QueryParser qp;
    qp.set_stemmer(english());
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL_Z);
    Xapian::Query q;
    try {
      q = qp.parse_query("\"" + inner + "\"", Xapian::QueryParser::FLAG_PHRASE | schema::cjk_flags);
    } catch (const Xapian::QueryParserError&) {
      return;
    }
    if (q.empty()) return;
    highlight_.insert(highlight_.end(), q.get_unique_terms_begin(), q.get_unique_terms_end());
    concepts_.push_back({q, false, {{q.get_unique_terms_begin(), q.get_unique_terms_end()}}});
  }

  // One space-separated token: runs of Chinese and runs of other word characters. Punctuation ends
  // a run (退款，审批 is two runs: no bigram 款审).
  void add_token(const std::string& token) {
    std::vector<std::pair<std::string, bool>> runs;  // (text, is_cjk)
    bool split = true;
    for (Xapian::Utf8Iterator it(token.data(), token.size()); it != Xapian::Utf8Iterator(); ++it) {
      const unsigned ch = *it;
      if (!Xapian::Unicode::is_wordchar(ch)) {
        split = true;
        continue;
      }
      const bool cjk = is_cjk(ch);
      if (split || runs.back().second != cjk) runs.emplace_back("", cjk);
      split = false;
      Xapian::Unicode::append_utf8(runs.back().first, ch);
    }
    if (runs.empty()) return;
    // Latin parts joined by punctuation (apt-get, erofs-utils, v1.2) are one phrase, as indexed.
    const bool joined = runs.size() > 1 && std::none_of(runs.begin(), runs.end(), [](const auto& r) { return r.second; });
    if (joined) {
      flush_words();
      std::vector<Xapian::Query> parts;
      std::vector<std::string> terms;
      for (const auto& r : runs) {
        parts.emplace_back(stem_key(r.first));
        terms.push_back(stem_key(r.first));
        highlight_.push_back(stem_key(r.first));
      }
      concepts_.push_back({Xapian::Query(Xapian::Query::OP_PHRASE, parts.begin(), parts.end()), false, {terms}});
      return;
    }
    for (const auto& [run, cjk] : runs) {
      if (cjk) {
        flush_words();
        add_chinese(run);
      } else {
        words_.push_back(run);
      }
    }
  }

  // English words wait here so that "purchase order" can match a two-word synonym.
  void flush_words() {
    std::string previous;  // the word before, for proximity
    for (std::size_t i = 0; i < words_.size();) {
      std::size_t used = 1;
      for (std::size_t n = std::min<std::size_t>(3, words_.size() - i); n >= 2; --n) {
        std::string phrase = words_[i];
        for (std::size_t k = 1; k < n; ++k) phrase += " " + words_[i + k];
        if (!synonyms_.of(phrase).empty()) {
          // "mount point" is also typed as "mountpoint".
          std::vector<std::string> joined;
          if (n == 2) joined.push_back(compound(words_[i], words_[i + 1]));
          std::erase(joined, std::string());
          add_concept(phrase, joined);
          previous.clear();
          used = n;
          break;
        }
      }
      if (used == 1) {
        if (listed(english_stopwords, words_[i]) && synonyms_.of(words_[i]).empty()) dropped_.push_back(words_[i]);
        else add_word(i, previous);
      }
      i += used;
    }
    words_.clear();
  }

  // English word `i` of words_, after `previous` (the word before it, or empty).
  void add_word(std::size_t i, std::string& previous) {
    const std::string& w = words_[i];
    // "mount point" also finds "mountpoint": each word is also had by the compound of it and its
    // neighbour, where the documents write the two as one word.
    std::vector<std::string> compounds;
    if (i > 0) compounds.push_back(compound(words_[i - 1], w));
    if (i + 1 < words_.size()) compounds.push_back(compound(w, words_[i + 1]));
    std::erase(compounds, std::string());
    add_concept(w, {}, compounds);
    // The compound is a term of its own, weighed by its own (rarer) frequency.
    for (const auto& c : compounds)
      if (std::find(compounds_.begin(), compounds_.end(), c) == compounds_.end()) {
        compounds_.push_back(c);
        concepts_.push_back({form(c).query, false, {}});
      }
    // Proximity with the word before: not where the two are also one word (the compound stands for
    // them together), nor for two words each in more than 5% of sections (common words near each
    // other say little, and theirs are the longest position lists to read: on the known-item sets,
    // the same 212 of 242 English queries as with every pair; on 110,000 sections, p99 a little lower).
    const auto common = [&](const std::string& t) {
      return static_cast<double>(db_.get_termfreq(stem_key(t))) > proximity_common * db_.get_doccount();
    };
    if (!previous.empty() && compound(previous, w).empty() && !(common(previous) && common(w))) {
      const Xapian::Query pair[] = {Xapian::Query(stem_key(previous)), Xapian::Query(stem_key(w))};
      near_.emplace_back(Xapian::Query::OP_NEAR, std::begin(pair), std::end(pair), proximity_window);
    }
    previous = w;
  }

  // The two words written as one ("mount" "point" → "mountpoint"), if the index has that word and
  // neither is a stop word; otherwise empty.
  std::string compound(const std::string& a, const std::string& b) const {
    const auto letters = [](const std::string& w) {
      return w.size() >= 2 && std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    };
    if (!letters(a) || !letters(b) || listed(english_stopwords, a) || listed(english_stopwords, b)) return {};
    std::string joined = a + b;
    return db_.get_termfreq(stem_key(joined)) > 0 ? joined : std::string();
  }

  void add_chinese(const std::string& run) {
    if (mode_ == CjkMode::xapian) {
      Xapian::QueryParser qp;
      const Xapian::Query q = qp.parse_query(run, schema::cjk_flags);
      highlight_.insert(highlight_.end(), q.get_unique_terms_begin(), q.get_unique_terms_end());
      concepts_.push_back({q, false, {}});
      return;
    }
    // Synonym entries first (longest match), then the rest by the mode.
    std::string rest;
    for (std::size_t pos = 0; pos < run.size();) {
      const std::size_t len = synonyms_.longest_at(run, pos);
      const std::size_t step = char_bytes(run, pos);
      if (len > step) {  // a synonym entry of two characters or more
        add_plain_chinese(rest);
        rest.clear();
        add_concept(run.substr(pos, len));
        pos += len;
      } else {
        rest += run.substr(pos, step);
        pos += step;
      }
    }
    add_plain_chinese(rest);
  }

  void add_plain_chinese(const std::string& run) {
    if (run.empty()) return;
    const auto chars = code_points_of(run);
    if (chars.size() == 1) {
      add_concept(run);
      return;
    }
    if (mode_ == CjkMode::bigrams) {
      for (std::size_t k = 0; k + 1 < chars.size(); ++k) add_concept(chars[k] + chars[k + 1]);
      return;
    }
    const bool friso = mode_ == CjkMode::friso || mode_ == CjkMode::friso_bigrams;
    std::vector<std::string> kept;
    for (const auto& w : friso ? friso_words(run) : chinese_words(run)) {
      if (listed(chinese_stopwords, w)) dropped_.push_back(w);
      else kept.push_back(w);
    }
    // A word the dictionary lacks, split into single characters ("运维" → 运 维), is better read as its bigrams.
    std::vector<std::string> primary;
    for (std::size_t k = 0; k < kept.size(); ++k) {
      if (code_points_of(kept[k]).size() == 1 && k + 1 < kept.size() && code_points_of(kept[k + 1]).size() == 1) {
        primary.push_back(kept[k] + kept[k + 1]);
        ++k;
      } else {
        primary.push_back(kept[k]);
      }
    }
    for (const auto& w : primary) add_concept(w);
    if (mode_ == CjkMode::words_bigrams || mode_ == CjkMode::friso_bigrams) {
      for (std::size_t k = 0; k + 1 < chars.size(); ++k) {
        const std::string b = chars[k] + chars[k + 1];
        if (std::find(primary.begin(), primary.end(), b) == primary.end() && !listed(chinese_stopwords, b))
          concepts_.push_back({Xapian::Query(b), true, {}});
      }
    }
  }

  // A Chinese word as the n-gram index holds it: a character or bigram is a term, a longer word
  // the phrase of its characters (only characters have positions).
  static Form cjk_word(const std::string& word) {
    const auto chars = code_points_of(word);
    if (chars.size() <= 2) return {Xapian::Query(word), {word}};
    std::vector<Xapian::Query> parts(chars.begin(), chars.end());
    return {Xapian::Query(Xapian::Query::OP_PHRASE, parts.begin(), parts.end()), chars};
  }

  static bool has_cjk(const std::string& term) {
    for (Xapian::Utf8Iterator it(term); it != Xapian::Utf8Iterator(); ++it)
      if (is_cjk(*it)) return true;
    return false;
  }

  // The query for one typed form: an English word by its stem, a phrase of stems, or Chinese.
  Form form(const std::string& term) {
    if (has_cjk(term)) {
      highlight_.push_back(term);
      return cjk_word(term);
    }
    if (term.find(' ') == std::string::npos) {
      highlight_.push_back(stem_key(term));
      return {Xapian::Query(stem_key(term)), {stem_key(term)}};
    }
    Form f;
    std::vector<Xapian::Query> parts;
    std::istringstream in(term);
    for (std::string w; in >> w;) {
      parts.emplace_back(stem_key(w));
      f.terms.push_back(stem_key(w));
      highlight_.push_back(stem_key(w));
    }
    f.query = Xapian::Query(Xapian::Query::OP_PHRASE, parts.begin(), parts.end());
    return f;
  }

  // A concept: the typed term or any of its synonyms; an English word the index lacks also its
  // spelling correction; `also`, other ways of typing it. A section with one of `covered_by` (the
  // compounds a word is part of) has the concept too, for coverage. What was typed counts more than
  // what the thesaurus adds: the typed form (and its correction) is one OP_SYNONYM, the synonyms another at synonym_weight, so a section
  // with the word typed outranks one with only a synonym, and a broad synonym ("program" for
  // "software") no longer makes the typed word as common as itself. A Chinese term's Chinese
  // synonyms count as typed: they are mostly variants of the same word (网络 网路, 删除 删掉, 设置
  // 设定), and which of them a person types says little about which the documents use.
  void add_concept(const std::string& term, const std::vector<std::string>& also = {},
                   const std::vector<std::string>& covered_by = {}) {
    const bool chinese = has_cjk(term);
    std::vector<Form> typed{form(term)}, added;
    for (const auto& a : also) typed.push_back(form(a));
    const auto add_synonyms = [&](const std::string& t) {
      for (const auto& s : synonyms_.of(t)) (chinese && has_cjk(s) ? typed : added).push_back(form(s));
    };
    add_synonyms(term);
    if (std::string fix = correction(term, db_); !fix.empty()) {
      typed.push_back(form(fix));
      add_synonyms(fix);
      corrections_.emplace_back(term, std::move(fix));
    }
    Concept c;
    const auto synonym_query = [&](std::vector<Form>& forms) {
      std::vector<Xapian::Query> queries;
      for (auto& f : forms) {
        queries.push_back(std::move(f.query));
        c.forms.push_back(std::move(f.terms));
      }
      return queries.size() == 1 ? queries.front() : Xapian::Query(Xapian::Query::OP_SYNONYM, queries.begin(), queries.end());
    };
    c.query = synonym_query(typed);
    for (const auto& a : covered_by) c.forms.push_back({stem_key(a)});
    if (!added.empty())
      c.query = Xapian::Query(Xapian::Query::OP_OR, c.query,
                              Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, synonym_query(added), synonym_weight));
    concepts_.push_back(std::move(c));
  }

  const Xapian::Database& db_;
  const Synonyms& synonyms_;
  CjkMode mode_;
  std::vector<Concept> concepts_;
  std::vector<std::string> words_, dropped_, highlight_, compounds_;
  std::vector<Xapian::Query> near_;
  std::vector<std::pair<std::string, std::string>> corrections_;
};

}  // namespace

QueryPlan plan_query(std::string_view text, const Xapian::Database& db, const Synonyms& synonyms, CjkMode mode) {
  return Planner(db, synonyms, mode).plan(text);
}

double coverage(const QueryPlan& plan, const std::vector<std::string>& matching) {
  double total = 0, have = 0;
  for (const auto& c : plan.concepts) {
    total += c.weight;
    const bool has = std::any_of(c.forms.begin(), c.forms.end(), [&](const std::vector<std::string>& form) {
      return !form.empty() && std::all_of(form.begin(), form.end(), [&](const std::string& t) {
        return std::find(matching.begin(), matching.end(), t) != matching.end();
      });
    });
    if (has) have += c.weight;
  }
  return total > 0 ? have / total : 1;
}

std::string spelling_suggestion(std::string_view q, const std::vector<std::pair<std::string, std::string>>& corrections) {
  if (corrections.empty()) return {};
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  std::string out;
  for (std::size_t i = 0; i < q.size();) {
    // A filter (name:value) is left as it is.
    const std::size_t token_end = std::min(q.find(' ', i), q.size());
    if (q.substr(i, token_end - i).find(':') != std::string_view::npos) {
      out += q.substr(i, token_end - i);
      i = token_end;
      continue;
    }
    for (; i < token_end;) {
      std::size_t j = i;
      while (j < token_end && letter(q[j])) ++j;
      if (j == i) {
        out += q[i++];
        continue;
      }
      const std::string word = ascii_lower(q.substr(i, j - i));
      const auto fix = std::find_if(corrections.begin(), corrections.end(), [&](const auto& c) { return c.first == word; });
      out += fix == corrections.end() ? std::string(q.substr(i, j - i)) : fix->second;
      i = j;
    }
    if (i < q.size()) out += q[i++];  // the space
  }
  return out;
}

}  // namespace baton
