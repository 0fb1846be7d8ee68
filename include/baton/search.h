// Search: query → ranked sections with highlighted snippets, and documents for the document view.
// Reads the index and the catalog; thread-safe (a pool of Xapian handles, reopened when stale).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "baton/query.h"
#include "baton/result.h"

namespace baton {

enum class SortOrder { relevance, date };

struct SearchRequest {
  SearchRequest() = default;
  SearchRequest(std::string query, int limit_ = 10, int offset_ = 0) : q(std::move(query)), limit(limit_), offset(offset_) {}

  std::string q;            ///< free text, may carry filters (`kind:manual 退款`)
  int limit = 10;
  int offset = 0;
  Filters filters;          ///< filters given apart from q (request parameters); q's win where both set one
  SortOrder sort = SortOrder::relevance;
  bool group = true;        ///< one hit per document, its other matching sections under it
  /// false: not a person's search (a question's suggested answers), kept out of the demand log.
  bool log = true;
};

/// Another matching section of a hit's document.
struct SectionHit {
  std::string id;
  std::string section;
  std::string snippet;
};

struct Hit {
  std::string id;       ///< unit (section) id
  std::string doc;      ///< document id
  std::string path;     ///< relative to its indexed root
  std::string title;
  std::string section;  ///< heading path, "A › B"
  std::string kind;
  std::string type;     ///< file format
  std::string date;
  std::string author;
  std::string snippet;  ///< HTML-escaped, with <mark>…</mark>
  double score = 0;
  std::vector<SectionHit> more;  ///< (grouped) the document's next best matching sections
  std::uint64_t more_count = 0;  ///< (grouped) how many other sections matched, at least
};

struct FacetValue {
  std::string value;
  std::uint64_t count = 0;
};

/// Facet names in the order they are shown.
inline constexpr const char* facet_names[] = {"kind", "type", "year", "client", "project", "author"};

struct SearchResponse {
  std::string text;                 ///< the free text searched (filters taken out)
  Filters filters;                  ///< the filters applied (typed and given)
  std::uint64_t total = 0;          ///< estimated matching documents (grouped) or sections
  double took_ms = 0;
  std::vector<Hit> hits;
  /// Per facet name: values with counts over the best matches (at most facet_window sections).
  std::vector<std::pair<std::string, std::vector<FacetValue>>> facets;
  std::optional<std::string> suggestion;  ///< the query with misspelt words corrected
  std::int64_t search_id = 0;             ///< the search log's id for it (0 when not logged)
};

/// Facets count the documents among this many best-matching sections. Measured on 110,000 units
/// (bench/search): 2,000 cost 6.4 ms p50 in-process, 1,000 4.1 ms, 500 2.9 ms, 10 1.9 ms: Xapian has
/// to weigh every match in the window. The best 500 sections are what a person refines.
inline constexpr unsigned facet_window = 500;

struct SectionView {
  std::string id;
  std::string heading;
  int level = 0;
  std::string html;  ///< escaped text, query terms in <mark>
};

struct DocumentView {
  std::string id;
  std::string path;
  std::string root;
  std::string title;
  std::string kind;
  std::string date;
  std::string author;
  std::optional<std::string> unit;  ///< the unit that was asked for, if a unit id was given
  std::vector<SectionView> sections;
};

struct IndexStats {
  std::uint64_t units = 0;
  std::uint64_t documents = 0;
  std::uint64_t sources = 0;
  std::uint64_t failed = 0;
  std::string last_sync;
};

/// Marks the words of a query in text, as the index matched them: English words by their stem,
/// Chinese by the query's words and bigrams (a lone character only when the query has it alone,
/// so 退款 marks 退款 but not the 退 of 退货). Output is HTML-escaped with <mark>…</mark>.
class Highlighter {
 public:
  /// `terms` as Xapian holds them: words, Z-prefixed stems, CJK characters, bigrams and longer words.
  explicit Highlighter(const std::vector<std::string>& terms);

  struct CodePoint;  ///< a character of a text and its bytes (defined in highlight.cpp)

  /// The whole text with every match marked.
  std::string all(std::string_view text) const;
  /// The window of at most `max_bytes` with the most distinct matches, "…" where it was cut;
  /// line breaks become spaces. The start of the text when nothing matches.
  std::string snippet(std::string_view text, std::size_t max_bytes) const;

 private:
  struct Span;
  std::vector<Span> spans(std::string_view text, const std::vector<CodePoint>& cps) const;
  std::vector<std::string> words_;   // exact terms
  std::vector<std::string> stems_;   // stems (Z terms without the Z)
  std::vector<std::string> cjk_;     // CJK characters, bigrams and words to mark
  std::vector<std::size_t> cjk_lengths_;  // their lengths in characters, longest first
  // First characters of the terms: most text starts none, and is passed over without more work.
  std::vector<char32_t> cjk_first_;
  std::string latin_first_;
};

/// Limits a request must respect; larger values are a user error.
inline constexpr int max_limit = 100;
inline constexpr std::size_t max_query_bytes = 1024;

struct SearcherOptions {
  /// Log every search and opened result to the catalog (the gap view's demand signals).
  bool log = true;
  /// Synonym groups; reloaded when the file changes. Empty: the built-in ones (data/synonyms).
  std::filesystem::path synonyms_file;
  CjkMode cjk_mode = CjkMode::words_bigrams;
};

class Searcher {
 public:
  /// Opens the index in `data_dir`. Errors: no index there yet (says to run `baton index`), an
  /// unreadable synonyms file.
  static Result<Searcher> open(const std::filesystem::path& data_dir, SearcherOptions options = {});
  Searcher(Searcher&&) noexcept;
  ~Searcher();

  /// Runs a query. Errors: empty or too long query, bad limit/offset, unparseable query.
  Result<SearchResponse> search(const SearchRequest& request);
  /// A document (by document id or unit id), its sections highlighted for `q` if given.
  /// Errors: unknown id.
  Result<DocumentView> document(const std::string& id, const std::string& q = {});
  /// Records in the search log that `unit` was opened from search `search_id` (written later, in
  /// the background, like the searches themselves).
  void record_open(std::int64_t search_id, const std::string& unit);
  /// Writes what the search log holds in memory (searches are logged in the background).
  void flush_log();
  IndexStats stats();

 private:
  struct Impl;
  explicit Searcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace baton
