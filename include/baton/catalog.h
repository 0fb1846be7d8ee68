// The catalog: SQLite (WAL) metadata beside the Xapian index: the sources that were read (so a
// re-index reads only what changed), their documents, and settings. Versioned schema.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "baton/result.h"

struct sqlite3;

namespace baton {

/// One file under an indexed root, as last seen.
struct SourceRecord {
  std::string id;        ///< hash of root + path
  std::string root;      ///< absolute root folder
  std::string path;      ///< relative to root, '/' separated
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::string hash;      ///< content hash of the version in the index (empty if none)
  std::string format;
  std::string charset;
  bool failed = false;   ///< the last attempt failed; not retried until size or mtime changes
  std::string error;     ///< why it failed
  int units = 0;         ///< Xapian documents (sections) it produced
};

/// Something the gap view must point out in a document: an unfinished marker, a secret, a reference
/// to another document.
struct FindingRecord {
  std::string kind;     ///< "marker", "secret", "reference"
  int line = 0;         ///< 1-based, in the file for text formats (Markdown, plain text), else in the section
  std::string section;  ///< heading path of the section it is in ("" for text formats)
  std::string label;    ///< the marker word, the secret's type, or how the reference was written
  std::string excerpt;  ///< the line, secrets masked
  std::string value;    ///< a secret's masked value, or the referenced path or title
};

/// Metadata of one indexed document (its text lives in the index).
struct DocumentRecord {
  std::string id;
  std::string source_id;
  std::string root;
  std::string path;
  std::string title;
  std::string kind;
  std::string date;
  std::string author;
  int units = 0;
  std::string format;                      ///< "markdown", "mail", "chat", "pdf" ...
  std::string thread;                      ///< conversation key (mail thread root, chat name + day)
  std::string message_id;
  std::string parent;                      ///< document id of the mail an attachment belongs to
  std::vector<std::string> participants;
  std::vector<std::string> organisations;
  std::vector<std::string> clients;
  std::vector<std::string> projects;
  std::string updated;                     ///< the date the text says it was last updated ("最后更新：…"), or ""
  std::vector<FindingRecord> findings;     ///< written with the document; not read back by document()
};

/// What a person decided about an entity the gap view found; survives every re-index.
struct EntityDecision {
  std::string key;     ///< the entity's key (its normalised name; for "add", the name as typed)
  std::string action;  ///< "confirm", "ignore", "rename", "merge", "kind", "add"
  std::string value;   ///< rename: the new name; merge: the key merged into; kind, add: client/project/partner/system
  std::string at;
};

/// Searches grouped by their normalised text, for the gap view's demand signals.
struct QueryDemand {
  std::string query;         ///< normalised
  std::string example;       ///< as last typed
  std::int64_t searches = 0;
  std::int64_t zero_hits = 0;  ///< of them, how many found nothing
  std::int64_t opened = 0;     ///< of them, how many had a result opened
  std::string last;            ///< when it was last searched
};

/// One search, as the search log keeps it (for the gap view's demand signals).
struct SearchLogEntry {
  std::int64_t id = 0;     ///< random, unique; the UI sends it back when a result is opened
  std::string at;          ///< ISO 8601 UTC
  std::string query;       ///< the free text, normalised (lower case, Simplified, NFKC)
  std::string raw;         ///< as typed
  std::string filters;     ///< JSON object of the filters applied
  std::int64_t hits = 0;   ///< matching documents (or sections when not grouped)
  double took_ms = 0;
};

/// A result opened from a search.
struct SearchOpen {
  std::int64_t search_id = 0;
  std::string unit;        ///< unit or document id opened
  std::string at;
};

/// A top search hit attached to a question when it was asked: a suggested answer.
struct QuestionSuggestion {
  std::string id;       ///< unit id
  std::string doc;
  std::string path;
  std::string title;
  std::string section;
  std::string snippet;  ///< HTML-escaped, with <mark>…</mark>
};

/// A question asked through the feedback channel, and its answer once given (user data: never
/// cleared by a re-index).
struct QuestionRecord {
  std::int64_t id = 0;
  std::string question;         ///< as first asked
  std::string normalized;       ///< what repeats are recognised by (see normalize_question)
  std::string asker;
  std::string channel;          ///< "web", "api", later chat channels
  std::string created_at;
  std::string status;           ///< "open", "answered", "closed"
  std::int64_t count = 1;       ///< how many times it was asked
  std::string last_asked_at;
  std::string answer;           ///< empty until answered
  std::string answered_by;
  std::string answered_at;
  std::vector<std::string> links;
  std::vector<QuestionSuggestion> suggestions;
  std::int64_t answer_rev = 0;   ///< bumped by every answer
  std::int64_t indexed_rev = 0;  ///< the answer_rev the index holds (0: none)
};

/// Totals for /api/health and summaries.
struct CatalogCounts {
  std::int64_t sources = 0;
  std::int64_t failed = 0;
  std::int64_t documents = 0;
  std::int64_t units = 0;
};

/// Thrown when SQLite itself fails (disk full, corruption): not a user error.
struct CatalogError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// How long a chat platform's event id is remembered, so that a retried delivery is not counted again
/// (the platforms retry within hours; Feishu's last retry comes about 6 hours after the event).
inline constexpr std::int64_t webhook_event_retention_seconds = 2 * 24 * 3600;

/// What Catalog::ask_question did.
struct AskedQuestion {
  QuestionRecord question;
  bool merged = false;   ///< it repeated an open question, which was counted again
  bool retried = false;  ///< its event id was seen: a platform's retry, nothing changed
};

/// Seconds since the Unix epoch.
std::int64_t unix_now();

/// The current time as the catalog keeps times: ISO 8601, UTC, to the second.
std::string now_iso();

/// A connection to the catalog. Not thread-safe: one per thread (WAL lets readers and a writer mix).
class Catalog {
 public:
  /// Opens (creating and migrating if needed) the catalog at `file`. Errors: unwritable or corrupt file.
  static Result<Catalog> open(const std::filesystem::path& file);
  Catalog(Catalog&&) noexcept;
  Catalog& operator=(Catalog&&) noexcept;
  ~Catalog();

  /// Every source recorded under `root`, keyed by relative path.
  std::unordered_map<std::string, SourceRecord> sources_under(const std::string& root);
  /// Inserts or updates a source record (by id: a renamed file keeps its id and its documents).
  void put_source(const SourceRecord& source);
  /// Forgets a source and its documents.
  void remove_source(const std::string& source_id);
  /// Every root folder with sources in the catalog.
  std::vector<std::string> roots();
  /// True if a source with this id exists under any root.
  bool has_source(const std::string& source_id);
  /// Replaces the documents of a source.
  void put_documents(const std::string& source_id, const std::vector<DocumentRecord>& docs);
  /// A document by id, or nullopt.
  std::optional<DocumentRecord> document(const std::string& id);
  /// Every document (without findings), by path.
  std::vector<DocumentRecord> documents();
  /// Every finding, with the id of its document.
  std::vector<std::pair<std::string, FindingRecord>> findings();
  /// Forgets every source and document (the index is being rebuilt); the search log stays.
  void forget_sources();
  /// Failed sources (for reports), newest first.
  std::vector<SourceRecord> failed_sources();
  CatalogCounts counts();

  /// Appends to the search log (one transaction for the lot).
  void log_searches(const std::vector<SearchLogEntry>& searches, const std::vector<SearchOpen>& opens);
  /// The newest searches first, at most `limit`.
  std::vector<SearchLogEntry> recent_searches(int limit);
  /// Results opened from a search.
  std::vector<SearchOpen> opens_of(std::int64_t search_id);
  /// The search log grouped by normalised query (free text only, not filter-only browsing).
  std::vector<QueryDemand> query_demand();

  /// Entity decisions, by key.
  std::vector<EntityDecision> entity_decisions();
  /// Records a decision (replacing an earlier one for the same key).
  void decide_entity(const EntityDecision& decision);
  /// Forgets the decision about `key`; false if there was none.
  bool undo_entity_decision(const std::string& key);

  /// Records a question, or counts it again if an open question has the same normalized text
  /// (`rec.count`, `id`, `created_at` are ignored). With an `event_id` (a chat platform's id of the
  /// event, per `rec.channel`) seen in the last webhook_event_retention_seconds, nothing changes and
  /// the question that event asked is returned as `retried`; else the event id is recorded with it.
  AskedQuestion ask_question(const QuestionRecord& rec, const std::string& event_id = {});
  /// The question an event of `channel` asked, if it was seen within the retention time.
  std::optional<std::int64_t> event_question(const std::string& channel, const std::string& event_id);
  /// Remembered event ids (expired ones go as new ones are recorded).
  std::int64_t event_count();
  /// A question by id, or nullopt.
  std::optional<QuestionRecord> question(std::int64_t id);
  /// Questions with `status` ("open", "answered", "closed", or "all"), the most recently asked first.
  std::vector<QuestionRecord> questions(const std::string& status, int limit, int offset);
  /// How many questions have `status` (or "all").
  std::int64_t question_count(const std::string& status);
  /// Stores an answer: status answered, answer_rev bumped (the index is now behind). False if no such question.
  bool answer_question(std::int64_t id, const std::string& answer, const std::string& answered_by,
                       const std::vector<std::string>& links);
  /// Sets status closed (an answer stays, and stays searchable). False if no such question.
  bool close_question(std::int64_t id);
  /// Questions whose answer the index does not hold yet (answer_rev > indexed_rev).
  std::vector<QuestionRecord> answers_to_index();
  /// Records that the index holds revision `rev` of question `id`'s answer.
  void mark_answer_indexed(std::int64_t id, std::int64_t rev);
  /// Forgets what the index holds of every answer (the index is being rebuilt).
  void forget_indexed_answers();

  void set_meta(const std::string& key, const std::string& value);
  std::optional<std::string> meta(const std::string& key);

  /// Runs `fn` in one transaction (rolled back if it throws).
  template <typename Fn>
  void transaction(Fn&& fn) {
    exec("BEGIN IMMEDIATE");
    try {
      fn();
      exec("COMMIT");
    } catch (...) {
      exec("ROLLBACK");
      throw;
    }
  }

  /// Runs SQL without results; throws CatalogError on failure.
  void exec(const char* sql);

 private:
  explicit Catalog(sqlite3* db);
  void migrate();
  void record_event(const std::string& channel, const std::string& event_id, std::int64_t question_id);
  sqlite3* db_ = nullptr;
};

}  // namespace baton
