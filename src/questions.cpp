#include "baton/questions.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "baton/index.h"
#include "baton/search.h"
#include "baton/text.h"

namespace fs = std::filesystem;

namespace baton {

namespace {

bool is_word_char(UChar32 c) { return u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0; }

void append_utf8(std::string& out, UChar32 c) {
  char buf[U8_MAX_LENGTH];
  std::int32_t n = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<std::uint8_t*>(buf), n, U8_MAX_LENGTH, c, error);
  if (!error) out.append(buf, static_cast<std::size_t>(n));
}

// Runs `fn`; SQLite failing (disk full, corruption) becomes an error value at the module's edge.
template <typename Fn>
auto guarded(Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const CatalogError& e) {
    return make_error(e.what(), ErrorKind::unavailable);
  }
}

Result<Catalog> open_catalog(const fs::path& data_dir) { return Catalog::open(catalog_path(data_dir)); }

// The longest prefix of `s` of at most `max` bytes that does not cut a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

Status check_text(std::string_view value, const char* name, std::size_t max, bool required) {
  if (!is_utf8(value)) return make_error(std::string(name) + " must be valid UTF-8");
  if (value.size() > max)
    return make_error(std::string(name) + " is too long: " + std::to_string(value.size()) + " bytes, at most " +
                      std::to_string(max));
  if (required && trim(value).empty()) return make_error(std::string(name) + " is required");
  return Ok{};
}

Status check_question(const NewQuestion& q) {
  if (auto ok = check_text(q.question, "question", max_question_bytes, true); !ok) return ok;
  if (auto ok = check_text(q.asker, "asker", max_asker_bytes, false); !ok) return ok;
  if (q.channel.empty() || q.channel.size() > max_channel_bytes)
    return make_error("channel must be 1 to " + std::to_string(max_channel_bytes) + " characters");
  for (char c : q.channel)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return make_error("channel may hold only a-z, 0-9, '-' and '_', got '" + sanitize_utf8(q.channel) + "'");
  if (auto ok = check_text(q.event_id, "event id", max_event_id_bytes, false); !ok) return ok;
  if (normalize_question(q.question).empty()) return make_error("question has no words in it");
  return Ok{};
}

// The best hits for a question, as suggested answers. A question search cannot parse (only
// operators, say) simply gets none.
std::vector<QuestionSuggestion> suggest(Searcher& searcher, std::string_view question) {
  SearchRequest request(std::string(utf8_prefix(question, max_query_bytes)), suggestion_count);
  request.log = false;  // not a person's search: the question itself is the demand signal
  auto found = searcher.search(request);
  std::vector<QuestionSuggestion> out;
  if (!found) return out;
  for (const Hit& h : found->hits) out.push_back({h.id, h.doc, h.path, h.title, h.section, h.snippet});
  return out;
}

}  // namespace

std::string normalize_question(std::string_view question) {
  const std::string folded = normalize_for_index(question);
  std::string out;
  bool gap = false;
  UChar32 last = 0;
  for (std::int32_t i = 0, n = static_cast<std::int32_t>(folded.size()); i < n;) {
    UChar32 c = 0;
    U8_NEXT(reinterpret_cast<const std::uint8_t*>(folded.data()), i, n, c);
    if (c < 0 || !is_word_char(c)) {
      gap = true;
      continue;
    }
    if (gap && !out.empty() && !is_cjk(static_cast<unsigned>(last)) && !is_cjk(static_cast<unsigned>(c))) out += ' ';
    gap = false;
    append_utf8(out, c);
    last = c;
  }
  return out;
}

Result<AskOutcome> ask_question(const fs::path& data_dir, Searcher& searcher, const NewQuestion& question) {
  if (auto ok = check_question(question); !ok) return ok.error();
  QuestionRecord rec;
  rec.question = std::string(trim(question.question));
  rec.normalized = normalize_question(question.question);
  rec.asker = std::string(trim(question.asker));
  rec.channel = question.channel;
  rec.suggestions = suggest(searcher, rec.question);
  return guarded([&]() -> Result<AskOutcome> {
    auto catalog = open_catalog(data_dir);
    if (!catalog) return catalog.error();
    auto asked = catalog->ask_question(rec, question.event_id);
    return AskOutcome{std::move(asked.question), asked.merged, asked.retried};
  });
}

Result<AnswerOutcome> answer_question(const fs::path& data_dir, std::int64_t id, const NewAnswer& answer) {
  if (auto ok = check_text(answer.answer, "answer", max_answer_bytes, true); !ok) return ok.error();
  if (auto ok = check_text(answer.answered_by, "answered_by", max_asker_bytes, true); !ok) return ok.error();
  if (answer.links.size() > max_links) return make_error("at most " + std::to_string(max_links) + " links");
  std::vector<std::string> links;
  for (const auto& link : answer.links) {
    if (auto ok = check_text(link, "a link", max_link_bytes, true); !ok) return ok.error();
    links.emplace_back(trim(link));
  }
  auto stored = guarded([&]() -> Result<QuestionRecord> {
    auto catalog = open_catalog(data_dir);
    if (!catalog) return catalog.error();
    if (!catalog->answer_question(id, std::string(trim(answer.answer)), std::string(trim(answer.answered_by)), links))
      return make_error("no question with id " + std::to_string(id), ErrorKind::not_found);
    return *catalog->question(id);
  });
  if (!stored) return stored.error();
  // The answer is safe in the catalog: indexing now is for search to find it at once.
  AnswerOutcome outcome{*stored, false, {}};
  if (auto written = index_answers(data_dir); !written) outcome.note = written.error().message;
  auto latest = get_question(data_dir, id);
  if (latest) outcome.question = *latest;
  outcome.indexed = outcome.question.indexed_rev >= outcome.question.answer_rev;
  return outcome;
}

Result<QuestionRecord> close_question(const fs::path& data_dir, std::int64_t id) {
  return guarded([&]() -> Result<QuestionRecord> {
    auto catalog = open_catalog(data_dir);
    if (!catalog) return catalog.error();
    if (!catalog->close_question(id)) return make_error("no question with id " + std::to_string(id), ErrorKind::not_found);
    return *catalog->question(id);
  });
}

Result<QuestionRecord> get_question(const fs::path& data_dir, std::int64_t id) {
  return guarded([&]() -> Result<QuestionRecord> {
    auto catalog = open_catalog(data_dir);
    if (!catalog) return catalog.error();
    auto q = catalog->question(id);
    if (!q) return make_error("no question with id " + std::to_string(id), ErrorKind::not_found);
    return *q;
  });
}

Result<QuestionPage> list_questions(const fs::path& data_dir, const std::string& status, int limit, int offset) {
  if (status != "open" && status != "answered" && status != "closed" && status != "all")
    return make_error("status must be open, answered, closed or all, got '" + sanitize_utf8(status) + "'");
  if (limit < 1 || limit > max_limit) return make_error("limit must be between 1 and " + std::to_string(max_limit));
  if (offset < 0) return make_error("offset must not be negative");
  return guarded([&]() -> Result<QuestionPage> {
    auto catalog = open_catalog(data_dir);
    if (!catalog) return catalog.error();
    return QuestionPage{catalog->questions(status, limit, offset), catalog->question_count(status)};
  });
}

}  // namespace baton
