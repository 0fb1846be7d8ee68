// The index: incremental sync of folders into Xapian (one document per section) and the catalog.
// Walk, diff against the catalog, extract in worker threads, write from one thread in batches,
// delete what disappeared. Every batch commits Xapian before the catalog, so a kill at any moment
// leaves a usable index and the next run redoes at most one batch.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "baton/result.h"

namespace baton {

/// Where things live inside a data directory.
std::filesystem::path index_path(const std::filesystem::path& data_dir);
std::filesystem::path catalog_path(const std::filesystem::path& data_dir);

/// Creates the data directory if needed and checks that it is writable.
Status prepare_data_dir(const std::filesystem::path& data_dir);

/// The Xapian layout: the contract between the indexer and search.
namespace schema {
inline constexpr const char* unit_prefix = "Q";    ///< unique: unit id
inline constexpr const char* doc_prefix = "P";     ///< parent document id
inline constexpr const char* source_prefix = "G";  ///< source file id (to delete a file's units)
inline constexpr const char* kind_prefix = "K";
inline constexpr const char* title_prefix = "S";   ///< title and headings, also indexed as body text
inline constexpr unsigned date_slot = 0;           ///< "YYYYMMDD"
inline constexpr unsigned ordinal_slot = 1;        ///< section number within its document (sortable)
inline constexpr unsigned kind_slot = 2;
inline constexpr unsigned title_weight = 4;        ///< wdf boost of title and heading words
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
};
std::string encode_unit(const StoredUnit& unit);
/// nullopt if the data is not a unit written by this version of Baton.
std::optional<StoredUnit> decode_unit(const std::string& data);
}  // namespace schema

struct SyncProgress {
  std::size_t done = 0;
  std::size_t total = 0;
  std::string current;  ///< the file just handled
};

struct SyncFailure {
  std::string path;  ///< root-relative
  std::string reason;
};

struct SyncSummary {
  std::size_t scanned = 0;    ///< supported files seen
  std::size_t added = 0;
  std::size_t updated = 0;
  std::size_t unchanged = 0;
  std::size_t removed = 0;
  std::size_t failed = 0;     ///< failed in this run
  std::size_t skipped = 0;    ///< failed before and unchanged since: not retried
  std::size_t units = 0;      ///< Xapian documents written in this run
  std::map<std::string, std::size_t> by_format;  ///< files read in this run, by format
  std::vector<SyncFailure> failures;
  double seconds = 0;
};

struct SyncOptions {
  unsigned threads = 0;            ///< extraction workers; 0 = one per core
  std::size_t batch_files = 256;   ///< files per commit
  std::function<void(const SyncProgress&)> on_progress;
};

/// Brings the index of `data_dir` up to date with `roots` (folders; each must exist).
/// Errors: a root that is not a folder, an unwritable data dir, another indexer holding the lock.
/// A file that cannot be read or parsed is not an error: it is counted and listed in the summary.
Result<SyncSummary> sync(const std::filesystem::path& data_dir,
                         const std::vector<std::filesystem::path>& roots,
                         const SyncOptions& options = {});

}  // namespace baton
