// The index: incremental sync of folders into Xapian (one document per section) and the catalog.
// Walk, diff against the catalog, extract in worker threads, write from one thread in batches,
// delete what disappeared. Every batch commits Xapian before the catalog, so a kill at any moment
// leaves a usable index and the next run redoes at most one batch.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "baton/result.h"

namespace baton {

/// Where things live inside a data directory.
std::filesystem::path index_path(const std::filesystem::path& data_dir);
std::filesystem::path catalog_path(const std::filesystem::path& data_dir);

/// Xapian databases a new index is split into, each written by its own thread during a sync and
/// searched as one (a stub file, index/XAPIANDB, lists them).
inline constexpr unsigned default_shards = 2;

/// Creates the data directory if needed and checks that it is writable.
Status prepare_data_dir(const std::filesystem::path& data_dir);

/// The Xapian layout: the contract between the indexer and search.
namespace schema {
inline constexpr const char* unit_prefix = "Q";           ///< unique: unit id
inline constexpr const char* doc_prefix = "P";            ///< parent document id
inline constexpr const char* source_prefix = "G";         ///< source file id (to delete a file's units)
inline constexpr const char* kind_prefix = "K";
inline constexpr const char* title_prefix = "S";          ///< title and headings, also indexed as body text
inline constexpr const char* format_prefix = "XF";        ///< "markdown", "mail", "chat", "pdf" ...
inline constexpr const char* participant_prefix = "XP";   ///< mail address or chat name, lower case
inline constexpr const char* organisation_prefix = "XO";  ///< mail domain or company
inline constexpr const char* thread_prefix = "XH";        ///< conversation key
inline constexpr const char* client_prefix = "XC";        ///< client name, normalised
inline constexpr const char* project_prefix = "XJ";       ///< project name, normalised
inline constexpr const char* author_prefix = "XA";        ///< author name or address, normalised
inline constexpr unsigned date_slot = 0;                  ///< "YYYYMMDD"
inline constexpr unsigned ordinal_slot = 1;               ///< section number within its document (sortable)
inline constexpr unsigned facets_slot = 2;                ///< the document's facet values, packed (Facets)
inline constexpr unsigned doc_slot = 3;                   ///< document id: results collapse on it
inline constexpr char value_separator = '\x1f';
/// Names as one value holds them, and back.
std::string join_values(const std::vector<std::string>& names);
std::vector<std::string> split_values(std::string_view joined);

/// What the facets count, the same for every section of a document. It is packed into one value
/// slot because the facet counter reads it for every match in the facet window: one value read
/// per match instead of one per facet. Sections share it exactly, so it is also the collapse key.
struct Facets {
  std::string doc;     ///< document id (counts are per document)
  std::string kind;
  std::string format;  ///< "markdown", "pdf", ... (the `type` facet)
  std::string year;    ///< "YYYY" or empty
  std::vector<std::string> clients, projects;  ///< names as shown
  std::string author;  ///< as shown
};
std::string pack_facets(const Facets& facets);
/// The fields of a packed value; empty fields where the value is shorter (never throws).
Facets unpack_facets(std::string_view packed);
/// The document id of a packed value alone (a view into it).
std::string_view facets_doc(std::string_view packed);

/// Bumped whenever what the indexer writes changes; an index of another version is rebuilt by the
/// next sync (the catalog keeps it in meta "index_version").
inline constexpr int version = 9;  // 6: plain text in sections (extract_text.cpp); 7: "label：value" is no heading;
                                  // 8: a mail's findings by the file's line numbers; 9: the file name's words
                                  // (and files without an extension, webhook paths, .mp4 references)
inline constexpr unsigned title_weight = 4;               ///< wdf boost of title and heading words
/// Flags for TermGenerator and QueryParser: CJK is indexed as unigrams + bigrams.
inline constexpr unsigned cjk_flags = 2048;  // FLAG_CJK_NGRAM in both classes

/// What a unit (one Xapian document) carries in its data: everything search shows without the catalog.
struct StoredUnit {
  std::string id;       ///< unit id: document id + "-" + section number
  std::string doc;      ///< document id
  std::string path;     ///< relative to root
  std::string root;
  std::string title;
  std::string section;  ///< heading path label
  int level = 0;
  std::string kind;
  std::string date;
  std::string author;
  std::string text;
  std::string format;
  std::string parent;   ///< document id of the mail an attachment came with
  std::string thread;
  std::vector<std::string> participants;
  std::vector<std::string> attachments;
};
std::string encode_unit(const StoredUnit& unit);
/// nullopt if the data is not a unit written by this version of Baton.
std::optional<StoredUnit> decode_unit(const std::string& data);
}  // namespace schema

/// Kind overrides: a file named `.baton-kind` holding a kind name ("manual") sets the kind of every
/// document in its folder and below, unless a deeper folder has its own.
inline constexpr const char* kind_override_file = ".baton-kind";

struct SyncProgress {
  std::size_t done = 0;
  std::size_t total = 0;
  std::string current;  ///< the file just handled
};

struct SyncFailure {
  std::string path;  ///< root-relative
  std::string reason;
};

/// What happened to the files of one format in a sync.
struct FormatCounts {
  std::size_t added = 0;
  std::size_t updated = 0;
  std::size_t renamed = 0;
  std::size_t removed = 0;
  std::size_t failed = 0;
};

struct SyncSummary {
  std::size_t scanned = 0;    ///< supported files seen
  std::size_t added = 0;
  std::size_t updated = 0;
  std::size_t renamed = 0;    ///< moved or renamed: found by content, not extracted again
  std::size_t unchanged = 0;
  std::size_t removed = 0;
  std::size_t failed = 0;     ///< failed in this run
  std::size_t skipped = 0;    ///< failed before and unchanged since: not retried
  std::size_t units = 0;      ///< Xapian documents written in this run
  std::size_t answers = 0;    ///< answered questions written to the index in this run
  std::uint64_t bytes_read = 0;
  std::map<std::string, FormatCounts> by_format;
  std::map<std::string, std::size_t> unsupported;  ///< files not read, by extension ("" for none)
  std::vector<SyncFailure> failures;
  double seconds = 0;
  bool changed() const { return added + updated + renamed + removed + failed > 0; }
};

struct SyncOptions {
  unsigned threads = 0;                   ///< extraction workers; 0 = one per core
  std::size_t batch_files = 50;           ///< commit a shard after this many files ...
  std::size_t batch_bytes = 16u << 20;    ///< ... or this many bytes read, whichever comes first
  std::function<void(const SyncProgress&)> on_progress;
};

/// Brings the index of `data_dir` up to date with `roots` (folders; each must exist).
/// Errors: a root that is not a folder, an unwritable data dir, another indexer holding the lock.
/// A file that cannot be read or parsed is not an error: it is counted and listed in the summary.
Result<SyncSummary> sync(const std::filesystem::path& data_dir,
                         const std::vector<std::filesystem::path>& roots,
                         const SyncOptions& options = {});

/// Answers to questions (kept in the catalog) are indexed as documents of kind `answer` under a
/// virtual root: the question as title, the answer and its links as text. Every sync writes the
/// answers the index is behind on, and a rebuilt index gets them all back from the catalog.
inline constexpr const char* answers_root = "answers";
/// The stable document id of question `question_id`'s answer ("answers/<id>" is its path).
std::string answer_doc_id(std::int64_t question_id);

/// Writes the answers the index is behind on now (the server calls it right after an answer), so
/// search finds them at once. Waits up to `patience` for Xapian's write lock; returns how many were
/// written. Errors (unavailable): no index yet, an index of another version, or the lock still held
/// by a sync, which writes these answers itself before it ends (or the next sync does): nothing is lost.
Result<std::size_t> index_answers(const std::filesystem::path& data_dir,
                                  std::chrono::milliseconds patience = std::chrono::milliseconds(3000));

/// Syncs folders in a thread of its own: every `interval` (`baton serve --watch`) and whenever asked
/// (an admin's POST /api/admin/reindex). One sync at a time: asking while one runs changes nothing.
/// The destructor waits for a running sync to end, so a stop never leaves a half-written batch behind
/// (a kill would not either: see sync()).
class BackgroundSync {
 public:
  struct State {
    bool running = false;
    std::uint64_t runs = 0;             ///< syncs finished since start
    std::string started_at;             ///< of the running or last sync, "YYYY-MM-DDTHH:MM:SSZ"
    std::string finished_at;            ///< of the last finished sync
    std::optional<SyncSummary> last;    ///< the last finished sync's summary, if it succeeded
    std::string error;                  ///< why the last sync failed, if it did
  };
  using Done = std::function<void(const Result<SyncSummary>&)>;

  /// `interval` zero: only syncs when asked. `done` is called after each sync, in the sync's thread.
  BackgroundSync(std::filesystem::path data_dir, std::vector<std::filesystem::path> roots, SyncOptions options,
                 std::chrono::seconds interval, Done done = {});
  ~BackgroundSync();
  BackgroundSync(const BackgroundSync&) = delete;
  BackgroundSync& operator=(const BackgroundSync&) = delete;

  /// Starts a sync now; false if one is already running (it will pick up the same changes).
  bool request();
  State state() const;
  const std::vector<std::filesystem::path>& roots() const { return roots_; }

 private:
  void run();

  const std::filesystem::path data_dir_;
  const std::vector<std::filesystem::path> roots_;
  const SyncOptions options_;
  const std::chrono::seconds interval_;
  const Done done_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false, asked_ = false;
  State state_;
  std::thread thread_;  // last: starts after everything it uses
};

}  // namespace baton
