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

#include "baton/result.h"

namespace baton {

struct SearchRequest {
  std::string q;
  int limit = 10;
  int offset = 0;
};

struct Hit {
  std::string id;       ///< unit (section) id
  std::string doc;      ///< document id
  std::string path;     ///< relative to its indexed root
  std::string title;
  std::string section;  ///< heading path, "A › B"
  std::string kind;
  std::string date;
  std::string snippet;  ///< HTML-escaped, with <mark>…</mark>
  double score = 0;
};

struct SearchResponse {
  std::uint64_t total = 0;  ///< estimated number of matching sections
  double took_ms = 0;
  std::vector<Hit> hits;
};

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
/// Chinese by the query's character bigrams (a lone character only when the query has it alone,
/// so 退款 marks 退款 but not the 退 of 退货). Output is HTML-escaped with <mark>…</mark>.
class Highlighter {
 public:
  /// `terms` as Xapian holds them: words, Z-prefixed stems, CJK unigrams and bigrams, field prefixes.
  explicit Highlighter(const std::vector<std::string>& terms);

  /// The whole text with every match marked.
  std::string all(std::string_view text) const;
  /// The window of at most `max_bytes` with the most distinct matches, "…" where it was cut;
  /// line breaks become spaces. The start of the text when nothing matches.
  std::string snippet(std::string_view text, std::size_t max_bytes) const;

 private:
  struct Span;
  std::vector<Span> spans(std::string_view text) const;
  std::vector<std::string> words_;   // exact terms
  std::vector<std::string> stems_;   // stems (Z terms without the Z)
  std::vector<std::string> cjk_;     // CJK unigrams and bigrams to mark
};

/// Limits a request must respect; larger values are a user error.
inline constexpr int max_limit = 100;
inline constexpr std::size_t max_query_bytes = 1024;

class Searcher {
 public:
  /// Opens the index in `data_dir`. Errors: no index there yet (says to run `baton index`).
  static Result<Searcher> open(const std::filesystem::path& data_dir);
  Searcher(Searcher&&) noexcept;
  ~Searcher();

  /// Runs a query. Errors: empty or too long query, bad limit/offset, unparseable query.
  Result<SearchResponse> search(const SearchRequest& request);
  /// A document (by document id or unit id), its sections highlighted for `q` if given.
  /// Errors: unknown id.
  Result<DocumentView> document(const std::string& id, const std::string& q = {});
  IndexStats stats();

 private:
  struct Impl;
  explicit Searcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace baton
