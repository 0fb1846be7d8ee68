#include "baton/index.h"

#include <sys/stat.h>
#include <unistd.h>
#include <xapian.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "baton/catalog.h"
#include "baton/classify.h"
#include "baton/extract.h"
#include "baton/text.h"

namespace fs = std::filesystem;

namespace baton {

fs::path index_path(const fs::path& data_dir) { return data_dir / "index"; }
fs::path catalog_path(const fs::path& data_dir) { return data_dir / "baton.db"; }

Status prepare_data_dir(const fs::path& data_dir) {
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) return make_error("cannot create data dir " + data_dir.string() + ": " + ec.message());
  if (!fs::is_directory(data_dir)) return make_error("data dir " + data_dir.string() + " is not a folder");
  if (::access(data_dir.c_str(), W_OK | X_OK) != 0)
    return make_error("data dir " + data_dir.string() + " is not writable");
  return Ok{};
}

namespace schema {

std::string encode_unit(const StoredUnit& u) {
  const nlohmann::json data = {{"id", u.id},       {"doc", u.doc},     {"path", u.path},   {"root", u.root},
                               {"title", u.title}, {"section", u.section}, {"level", u.level}, {"kind", u.kind},
                               {"date", u.date},   {"author", u.author}, {"text", u.text}};
  return data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<StoredUnit> decode_unit(const std::string& data) {
  const auto j = nlohmann::json::parse(data, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  try {
    return StoredUnit{j.value("id", ""),      j.value("doc", ""),    j.value("path", ""), j.value("root", ""),
                      j.value("title", ""),   j.value("section", ""), j.value("level", 0), j.value("kind", ""),
                      j.value("date", ""),    j.value("author", ""), j.value("text", "")};
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // a field of the wrong type
  }
}

}  // namespace schema

namespace {

// A file that needs reading: new, or its size or mtime changed.
struct Job {
  std::string root;
  std::string rel;
  fs::path abs;
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::optional<SourceRecord> previous;
};

// What a worker made of a job.
struct Outcome {
  enum class Type { unchanged_content, extracted, failed } type = Type::failed;
  std::string hash;
  std::string error;
  Format format = Format::unsupported;
  std::vector<Document> docs;
};

std::string read_file(const fs::path& path, std::size_t size, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open file";
    return {};
  }
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

std::string iso_date_of(std::int64_t mtime_ns) {
  const std::time_t t = static_cast<std::time_t>(mtime_ns / 1000000000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

Outcome process(const Job& job) {
  Outcome out;
  out.format = format_of(job.rel);
  if (static_cast<std::size_t>(job.size) > max_file_bytes) {
    out.error = "file too large (" + std::to_string(job.size >> 20) + " MB; limit " +
                std::to_string(max_file_bytes >> 20) + " MB)";
    return out;
  }
  const std::string bytes = read_file(job.abs, static_cast<std::size_t>(job.size), out.error);
  if (!out.error.empty()) return out;
  out.hash = hash_hex(bytes);
  if (job.previous && !job.previous->failed && job.previous->hash == out.hash) {
    out.type = Outcome::Type::unchanged_content;  // touched or copied back: nothing to re-extract
    return out;
  }
  auto docs = extract(job.rel, bytes);
  if (!docs) {
    out.error = docs.error().message;
    return out;
  }
  const std::string source_key = job.root + '\n' + job.rel;
  for (std::size_t i = 0; i < docs->size(); ++i) {
    Document& doc = (*docs)[i];
    doc.id = hash_hex(source_key + '\n' + std::to_string(i));
    doc.path = job.rel;
    doc.kind = infer_kind(job.rel, out.format, doc);
    if (doc.date.empty()) doc.date = iso_date_of(job.mtime_ns);
  }
  out.docs = std::move(docs.value());
  out.type = Outcome::Type::extracted;
  return out;
}

std::vector<Outcome> process_all(const std::vector<Job>& jobs, unsigned threads) {
  std::vector<Outcome> outcomes(jobs.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < jobs.size();) outcomes[i] = process(jobs[i]);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads && t < jobs.size(); ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  return outcomes;
}

std::string date_value(const std::string& iso) {
  std::string v;
  for (char c : iso)
    if (c >= '0' && c <= '9') v += c;
  return v.size() == 8 ? v : std::string();
}

// The heading path shown with a hit; a leading heading that repeats the title says nothing new.
std::string section_label(const Document& doc, const Section& section) {
  if (section.heading_path.empty() || section.heading_path.front() != doc.title) return heading_label(section);
  Section rest{{section.heading_path.begin() + 1, section.heading_path.end()}, section.level, {}};
  return heading_label(rest);
}

// The Xapian documents (one per section) of one extracted document.
class UnitWriter {
 public:
  UnitWriter() {
    tg_.set_flags(schema::cjk_flags);
    tg_.set_stemmer(Xapian::Stem("english"));
    tg_.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  }

  int write(Xapian::WritableDatabase& db, const std::string& source_id, const std::string& root, const Document& doc) {
    const std::string title = normalize_for_index(doc.title);
    for (std::size_t i = 0; i < doc.sections.size(); ++i) {
      const Section& section = doc.sections[i];
      const std::string unit_id = doc.id + "-" + std::to_string(i);
      const std::string heading = section_label(doc, section);
      Xapian::Document xdoc;
      tg_.set_document(xdoc);
      tg_.index_text(title, schema::title_weight);
      tg_.index_text(title, 1, schema::title_prefix);
      if (!heading.empty()) {
        const std::string h = normalize_for_index(heading);
        tg_.increase_termpos();
        tg_.index_text(h, schema::title_weight);
        tg_.index_text(h, 1, schema::title_prefix);
      }
      tg_.increase_termpos();
      tg_.index_text(normalize_for_index(section.text));
      xdoc.add_boolean_term(schema::unit_prefix + unit_id);
      xdoc.add_boolean_term(schema::doc_prefix + doc.id);
      xdoc.add_boolean_term(schema::source_prefix + source_id);
      std::string kind_term = schema::kind_prefix;  // not `prefix + string(...)`: GCC 12 warns falsely (PR 105651)
      kind_term += kind_name(doc.kind);
      xdoc.add_boolean_term(kind_term);
      xdoc.add_value(schema::date_slot, date_value(doc.date));
      xdoc.add_value(schema::ordinal_slot, Xapian::sortable_serialise(static_cast<double>(i)));
      xdoc.add_value(schema::kind_slot, std::string(kind_name(doc.kind)));
      xdoc.set_data(schema::encode_unit({unit_id, doc.id, doc.path, root, doc.title, heading, section.level,
                                         std::string(kind_name(doc.kind)), doc.date, doc.author, section.text}));
      db.add_document(xdoc);
    }
    return static_cast<int>(doc.sections.size());
  }

 private:
  Xapian::TermGenerator tg_;
};

struct Stat {
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
};

std::optional<Stat> stat_file(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return Stat{st.st_size, static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

bool is_hidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

// Walks `root`, sorting files into jobs (to read), unchanged or skipped ones; returns what vanished.
std::vector<SourceRecord> diff_root(const fs::path& root, Catalog& catalog, std::vector<Job>& jobs, SyncSummary& summary) {
  const std::string root_str = root.string();
  auto known = catalog.sources_under(root_str);
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (is_hidden(p)) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (format_of(p.filename().string()) == Format::unsupported) continue;
    const auto st = stat_file(p);
    if (!st) continue;
    ++summary.scanned;
    const std::string rel = p.lexically_relative(root).generic_string();
    auto found = known.find(rel);
    std::optional<SourceRecord> previous;
    if (found != known.end()) {
      previous = std::move(found->second);
      known.erase(found);
      if (previous->size == st->size && previous->mtime_ns == st->mtime_ns) {
        ++(previous->failed ? summary.skipped : summary.unchanged);
        continue;
      }
    }
    jobs.push_back({root_str, rel, p, st->size, st->mtime_ns, std::move(previous)});
  }
  std::vector<SourceRecord> gone;
  for (auto& [rel, record] : known) gone.push_back(std::move(record));
  return gone;
}

std::string now_iso() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

Result<SyncSummary> sync(const fs::path& data_dir, const std::vector<fs::path>& roots, const SyncOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<fs::path> canonical_roots;
  for (const auto& root : roots) {
    std::error_code ec;
    if (!fs::exists(root, ec)) return make_error(root.string() + ": no such folder");
    if (!fs::is_directory(root, ec)) return make_error(root.string() + ": not a folder");
    canonical_roots.push_back(fs::canonical(root, ec));
    if (ec) return make_error(root.string() + ": " + ec.message());
  }
  if (auto ready = prepare_data_dir(data_dir); !ready) return ready.error();
  auto catalog = Catalog::open(catalog_path(data_dir));
  if (!catalog) return catalog.error();

  Xapian::WritableDatabase db;
  try {
    db = Xapian::WritableDatabase(index_path(data_dir).string(), Xapian::DB_CREATE_OR_OPEN);
  } catch (const Xapian::DatabaseLockError&) {
    return make_error("another `baton index` or `baton serve` is writing " + data_dir.string() + "; wait for it to finish");
  } catch (const Xapian::Error& e) {
    return make_error("cannot open index in " + data_dir.string() + ": " + e.get_description());
  }

  SyncSummary summary;
  try {
    std::vector<Job> jobs;
    std::vector<SourceRecord> gone;
    for (const auto& root : canonical_roots) {
      auto vanished = diff_root(root, *catalog, jobs, summary);
      gone.insert(gone.end(), std::make_move_iterator(vanished.begin()), std::make_move_iterator(vanished.end()));
    }
    const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    const std::size_t batch = std::max<std::size_t>(1, options.batch_files);
    UnitWriter writer;
    SyncProgress progress{0, jobs.size() + gone.size(), {}};

    for (std::size_t first = 0; first < jobs.size(); first += batch) {
      const std::vector<Job> slice(jobs.begin() + static_cast<std::ptrdiff_t>(first),
                                   jobs.begin() + static_cast<std::ptrdiff_t>(std::min(jobs.size(), first + batch)));
      std::vector<Outcome> outcomes = process_all(slice, threads);
      std::vector<std::pair<SourceRecord, std::optional<std::vector<DocumentRecord>>>> records;
      for (std::size_t i = 0; i < slice.size(); ++i) {
        const Job& job = slice[i];
        Outcome& out = outcomes[i];
        SourceRecord rec = job.previous.value_or(SourceRecord{});
        rec.id = hash_hex(job.root + '\n' + job.rel);
        rec.root = job.root;
        rec.path = job.rel;
        rec.size = job.size;
        rec.mtime_ns = job.mtime_ns;
        rec.format = std::string(format_name(out.format));
        std::optional<std::vector<DocumentRecord>> doc_records;
        switch (out.type) {
          case Outcome::Type::unchanged_content: ++summary.unchanged; break;
          case Outcome::Type::failed:
            // Keep what the index had of an earlier good version: a broken save must not lose it.
            rec.failed = true;
            rec.error = out.error;
            ++summary.failed;
            summary.failures.push_back({job.rel, out.error});
            break;
          case Outcome::Type::extracted: {
            ++(job.previous ? summary.updated : summary.added);
            ++summary.by_format[rec.format];
            db.delete_document(schema::source_prefix + rec.id);
            rec.failed = false;
            rec.error.clear();
            rec.hash = out.hash;
            rec.charset = out.docs.empty() ? std::string() : out.docs.front().charset;
            rec.units = 0;
            doc_records.emplace();
            for (const Document& doc : out.docs) {
              const int units = writer.write(db, rec.id, job.root, doc);
              rec.units += units;
              doc_records->push_back({doc.id, rec.id, job.root, doc.path, doc.title,
                                      std::string(kind_name(doc.kind)), doc.date, doc.author, units});
            }
            summary.units += static_cast<std::size_t>(rec.units);
            break;
          }
        }
        records.emplace_back(std::move(rec), std::move(doc_records));
        if (options.on_progress) {
          ++progress.done;
          progress.current = job.rel;
          options.on_progress(progress);
        }
      }
      // Xapian first: if we die between the two commits, the catalog still lists the old state and
      // the next run redoes this batch (deleting by source term first makes that idempotent).
      db.commit();
      catalog->transaction([&] {
        for (const auto& [rec, docs] : records) {
          catalog->put_source(rec);
          if (docs) catalog->put_documents(rec.id, *docs);
        }
      });
    }

    for (const SourceRecord& rec : gone) db.delete_document(schema::source_prefix + rec.id);
    db.commit();
    catalog->transaction([&] {
      for (const SourceRecord& rec : gone) {
        catalog->remove_source(rec.id);
        ++summary.removed;
        if (options.on_progress) {
          ++progress.done;
          progress.current = rec.path;
          options.on_progress(progress);
        }
      }
      catalog->set_meta("last_sync", now_iso());
    });
  } catch (const Xapian::Error& e) {
    return make_error("index write failed: " + e.get_description());
  } catch (const CatalogError& e) {
    return make_error(e.what());
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace baton
