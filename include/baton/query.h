// Query understanding: the filter syntax of the search box, synonyms, and the Xapian query built
// from what a person typed. Chinese is matched by how much of the query a section covers (not by
// requiring every character pair), English by stems, and both through the synonym list.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "baton/result.h"

namespace baton {

/// The filter names, as typed (`kind:`), as request parameters and as CLI options (`--kind`).
inline constexpr const char* filter_names[] = {"kind", "client", "project", "author", "type", "year", "after", "before"};

/// Filters a search can carry, typed in the box (`kind:manual client:瑞丰 after:2024-01-01`) or
/// given as request parameters. Empty means "not filtered".
struct Filters {
  std::string kind;     ///< handover | manual | communication | record | answer
  std::string client;   ///< part of a client's name
  std::string project;  ///< part of a project's name
  std::string author;   ///< part of an author's or participant's name or address
  std::string type;     ///< file format: markdown, pdf, mail, chat, docx ...
  std::string year;     ///< YYYY
  std::string after;    ///< YYYY-MM-DD, inclusive
  std::string before;   ///< YYYY-MM-DD, inclusive
  bool empty() const;
  /// (name, value) of every filter that is set, in the order of filter_names.
  std::vector<std::pair<std::string, std::string>> items() const;
  /// Sets a filter by name; false for an unknown name.
  bool set(std::string_view name, std::string value);
};

struct ParsedQuery {
  std::string text;  ///< the free text, filters taken out
  Filters filters;
};

/// Takes `name:value` filters (value may be "quoted") out of a query; `after:`/`before:` take
/// YYYY, YYYY-MM or YYYY-MM-DD. Words with other colons (http://, 10:30) stay text.
/// Errors: a bad date, year or kind.
Result<ParsedQuery> parse_query(std::string_view q);
/// Checks and normalises filter values (dates to YYYY-MM-DD). Errors as parse_query.
Status check_filters(Filters& filters);

/// Groups of equivalent terms (data/synonyms): one group per line, terms separated by commas
/// (ASCII or full-width); `#` starts a comment. Matching is on normalised text, so 退貨 in a query
/// finds the group of 退货.
class Synonyms {
 public:
  static Synonyms parse(std::string_view text);
  /// Errors: the file cannot be read.
  static Result<Synonyms> load(const std::filesystem::path& file);
  /// The groups of the repository's data/synonyms, compiled in: used when no file is given.
  static const Synonyms& builtin();

  /// The other terms of `term`'s groups (normalised); empty if it has none.
  std::vector<std::string> of(const std::string& term) const;
  /// Length in bytes of the longest term that starts at `pos` in `text`, or 0.
  std::size_t longest_at(std::string_view text, std::size_t pos) const;
  std::size_t size() const { return groups_.size(); }

 private:
  std::vector<std::vector<std::string>> groups_;
  std::unordered_map<std::string, std::vector<std::size_t>> index_;  // term → its groups
  std::size_t longest_ = 0;                                          // bytes
};

/// How a run of Chinese is turned into a query (the relevance harness compares them).
enum class CjkMode {
  xapian,        ///< Xapian's QueryParser: every unigram and bigram required (the peer's behaviour)
  bigrams,       ///< any of the run's bigrams; ranking rewards sections that have more of them
  words,         ///< ICU dictionary words, any of them
  words_bigrams, ///< ICU words, plus the bigrams between them at a lower weight
  friso,         ///< as words, with friso's words (mmseg over its own dictionary) instead of ICU's
  friso_bigrams  ///< as words_bigrams, with friso's words
};
std::string_view cjk_mode_name(CjkMode mode);
/// Inverse of cjk_mode_name().
std::optional<CjkMode> parse_cjk_mode(std::string_view name);

/// A query ready to run, and what the rest of search needs to know about it.
struct QueryPlan {
  Xapian::Query query;                  ///< empty when the text had no searchable word
  std::vector<std::string> terms;       ///< every term it can match (for highlighting)
  /// English words taken for misspellings, and their corrections (searched as well).
  std::vector<std::pair<std::string, std::string>> corrections;
  /// What the text asks for, concept by concept (the secondary bigrams aside), for ranking by how
  /// much of it a section has. A section has a concept if it has every term of one of its forms (a
  /// word, a synonym, a correction, a phrase); `weight` is the concept's rarity (inverse document
  /// frequency of its rarest form), so missing "each" costs little and missing "shred" much.
  struct Concept {
    std::vector<std::vector<std::string>> forms;
    double weight = 0;
  };
  std::vector<Concept> concepts;
};

/// Builds the query for free `text` (already without filters) against `db`. Each concept (an English
/// word, a Chinese word or bigram, a quoted phrase) becomes an OP_SYNONYM of its synonyms, and any
/// of them matches (OP_OR); `concepts` lets the search rank sections by how much of the query they
/// cover (see coverage()).
/// English words the index lacks are replaced by Xapian's spelling suggestion when it has one.
QueryPlan plan_query(std::string_view text, const Xapian::Database& db, const Synonyms& synonyms,
                     CjkMode mode = CjkMode::words_bigrams);

/// How much of the query's concepts a section with `matching` terms has, weighted by rarity: 0..1
/// (1 if the plan has no weighted concept).
double coverage(const QueryPlan& plan, const std::vector<std::string>& matching);

/// The query as typed with each corrected word replaced ("did you mean"); filters stay as they
/// are. Empty when `corrections` is.
std::string spelling_suggestion(std::string_view q, const std::vector<std::pair<std::string, std::string>>& corrections);

}  // namespace baton
