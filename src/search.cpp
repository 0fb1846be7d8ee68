#include "baton/search.h"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <map>
#include <mutex>
#include <random>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>
#include <unordered_set>

#include "baton/catalog.h"
#include "baton/index.h"
#include "baton/text.h"

namespace fs = std::filesystem;

namespace baton {

namespace {

constexpr int max_offset = 10000;
constexpr std::size_t snippet_bytes = 360;  // about 120 CJK characters or 60 English words
constexpr int rerank_window = 30;           // sections ranked again by query coverage (100: same ranking, +40% time)
constexpr double coverage_boost = 0.2;      // a section with every concept weighs this much more
constexpr std::size_t more_sections = 3;    // other matching sections shown under a grouped hit
constexpr std::size_t more_snippet_bytes = 180;  // their snippets: one line
constexpr std::size_t facet_values = 12;    // values shown per facet

// BM25 with the usual k1 = 1.2 and b = 0.75, not Xapian's default b = 0.5. A section is the unit: a
// short man page's NAME ("pwdx - report current working directory of a process") should beat a long
// chapter section that uses the same words in passing. On the known-item sets (2026-11-28) b = 0.75
// won 3 Chinese and 7 English queries of 360 over b = 0.5; b from 0.75 to 1.0 and k1 from 1.0 to 1.5
// measured within a query or two of each other.
Xapian::BM25Weight ranking() { return Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5); }

const std::regex& id_pattern() {
  static const std::regex re("^([0-9a-f]{16})(-[0-9]{1,6})?$");
  return re;
}

// Counts facet values per document (a document's sections share them) over the sections the
// match looks at.
class FacetSpy : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double) override {
    // A document's other sections count nothing: only its first is unpacked (their ids are hashed).
    const std::string packed = doc.get_value(schema::facets_slot);
    const std::string_view id = schema::facets_doc(packed);
    if (id.empty() || !seen_.insert(std::hash<std::string_view>{}(id)).second) return;
    const schema::Facets f = schema::unpack_facets(packed);
    ++counts_[0][f.kind];
    ++counts_[1][f.format];
    ++counts_[2][f.year];
    for (const auto& v : f.clients) ++counts_[3][v];
    for (const auto& v : f.projects) ++counts_[4][v];
    ++counts_[5][f.author];
  }

  std::vector<std::pair<std::string, std::vector<FacetValue>>> facets() const {
    std::vector<std::pair<std::string, std::vector<FacetValue>>> out;
    for (std::size_t f = 0; f < std::size(facet_names); ++f) {
      std::vector<FacetValue> values;
      for (const auto& [value, count] : counts_[f])
        if (!value.empty()) values.push_back({value, count});
      std::sort(values.begin(), values.end(), [](const FacetValue& a, const FacetValue& b) {
        return a.count != b.count ? a.count > b.count : a.value < b.value;
      });
      if (values.size() > facet_values) values.resize(facet_values);
      out.emplace_back(facet_names[f], std::move(values));
    }
    return out;
  }

 private:
  std::unordered_set<std::size_t> seen_;
  std::map<std::string, std::uint64_t> counts_[std::size(facet_names)];
};

// The boolean terms under `prefix` whose value contains `part` (normalised): client:瑞丰 finds 瑞丰贸易.
Xapian::Query any_term_containing(const Xapian::Database& db, const std::string& prefix, const std::string& part) {
  const std::string needle = normalize_for_index(part);
  std::vector<Xapian::Query> terms;
  for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
    const std::string t = *it;
    if (t.compare(prefix.size(), std::string::npos, needle) == 0 || t.find(needle, prefix.size()) != std::string::npos)
      terms.emplace_back(t);
  }
  // Not MatchNothing: Xapian drops empty subqueries from an AND, which would lift the filter. The
  // bare prefix is a term no document has (names are never empty).
  if (terms.empty()) return Xapian::Query(prefix);
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

// Which of the query's terms that the plan's concepts name each of `docs` has: what
// Enquire::get_matching_terms says, from the terms' posting lists instead of each section's term
// list (a long chapter's has thousands of terms; reading them was 8% of a search).
std::map<Xapian::docid, std::vector<std::string>> query_terms_in(const Xapian::Database& db, const Xapian::Query& query,
                                                                const QueryPlan& plan, std::vector<Xapian::docid> docs) {
  std::set<std::string> wanted;
  for (const auto& c : plan.concepts)
    for (const auto& form : c.forms) wanted.insert(form.begin(), form.end());
  std::map<Xapian::docid, std::vector<std::string>> out;
  std::sort(docs.begin(), docs.end());
  for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
    if (!wanted.count(*t)) continue;
    Xapian::PostingIterator p = db.postlist_begin(*t);
    for (const Xapian::docid d : docs) {
      p.skip_to(d);
      if (p == db.postlist_end(*t)) break;
      if (*p == d) out[d].push_back(*t);
    }
  }
  return out;
}

std::string compact_date(const std::string& iso) {
  std::string out;
  for (char c : iso)
    if (c != '-') out += c;
  return out;
}

// The filters as one boolean query; empty when none is set.
Xapian::Query filter_query(const Xapian::Database& db, const Filters& f) {
  std::vector<Xapian::Query> parts;
  if (!f.kind.empty()) parts.emplace_back(schema::kind_prefix + f.kind);
  if (!f.type.empty()) parts.emplace_back(schema::format_prefix + f.type);
  if (!f.client.empty()) parts.push_back(any_term_containing(db, schema::client_prefix, f.client));
  if (!f.project.empty()) parts.push_back(any_term_containing(db, schema::project_prefix, f.project));
  if (!f.author.empty()) parts.push_back(any_term_containing(db, schema::author_prefix, f.author));
  if (!f.year.empty()) parts.emplace_back(Xapian::Query::OP_VALUE_RANGE, schema::date_slot, f.year + "0101", f.year + "1231");
  if (!f.after.empty()) parts.emplace_back(Xapian::Query::OP_VALUE_GE, schema::date_slot, compact_date(f.after));
  if (!f.before.empty()) parts.emplace_back(Xapian::Query::OP_VALUE_LE, schema::date_slot, compact_date(f.before));
  if (parts.empty()) return {};
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

std::string filters_json(const Filters& f) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : f.items()) out[name] = value;
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

// Writes the search log in the background: a search only queues its entry, so a slow disk or an
// indexer holding the catalog never slows it down. Entries are written in batches, at the latest
// half a second later; what is queued is written when the searcher closes.
class SearchLog {
 public:
  explicit SearchLog(fs::path catalog_file) : file_(std::move(catalog_file)), thread_([this] { run(); }) {}
  ~SearchLog() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

  std::int64_t next_id() {
    std::lock_guard lock(mutex_);
    std::int64_t id = 0;
    while (id == 0) id = static_cast<std::int64_t>(random_() & ((std::uint64_t{1} << 53) - 1));  // exact in JSON numbers
    return id;
  }
  void add(SearchLogEntry entry) {
    std::lock_guard lock(mutex_);
    searches_.push_back(std::move(entry));
  }
  void add(SearchOpen open) {
    std::lock_guard lock(mutex_);
    opens_.push_back(std::move(open));
  }
  void flush() {
    std::unique_lock lock(mutex_);
    const std::uint64_t target = ++flush_requested_;
    wake_.notify_one();
    flushed_cv_.wait(lock, [&] { return flushed_ >= target || stop_; });
  }

 private:
  void run() {
    std::optional<Catalog> catalog;
    std::unique_lock lock(mutex_);
    while (true) {
      wake_.wait_for(lock, std::chrono::milliseconds(500), [&] { return stop_ || flush_requested_ > flushed_; });
      const std::uint64_t requested = flush_requested_;
      std::vector<SearchLogEntry> searches;
      std::vector<SearchOpen> opens;
      searches.swap(searches_);
      opens.swap(opens_);
      const bool stopping = stop_;
      lock.unlock();
      if (!searches.empty() || !opens.empty()) {
        try {
          if (!catalog) {
            if (auto c = Catalog::open(file_)) catalog.emplace(std::move(*c));
            else throw CatalogError(c.error().message);
          }
          catalog->log_searches(searches, opens);
        } catch (const CatalogError& e) {
          if (!warned_) std::fprintf(stderr, "baton: search log not written: %s\n", e.what());
          warned_ = true;
        }
      }
      lock.lock();
      flushed_ = requested;
      flushed_cv_.notify_all();
      if (stopping) return;
    }
  }

  fs::path file_;
  std::mutex mutex_;
  std::condition_variable wake_, flushed_cv_;
  std::vector<SearchLogEntry> searches_;
  std::vector<SearchOpen> opens_;
  std::mt19937_64 random_{std::random_device{}()};
  std::uint64_t flush_requested_ = 0, flushed_ = 0;
  bool stop_ = false, warned_ = false;
  std::thread thread_;  // last: starts after everything it uses
};

struct Searcher::Impl {
  fs::path data_dir;
  SearcherOptions options;
  std::mutex mutex;
  std::vector<std::unique_ptr<Xapian::Database>> idle;
  std::unique_ptr<SearchLog> log;

  // Synonyms, reloaded when the file's modification time changes (checked at most once a second).
  std::shared_ptr<const Synonyms> synonyms = std::make_shared<Synonyms>(Synonyms::builtin());
  fs::file_time_type synonyms_mtime{};
  std::chrono::steady_clock::time_point synonyms_checked{};

  Status load_synonyms() {
    if (options.synonyms_file.empty()) return Ok{};
    std::error_code ec;
    const auto mtime = fs::last_write_time(options.synonyms_file, ec);
    if (ec) return make_error("cannot read synonyms file " + options.synonyms_file.string() + ": " + ec.message());
    auto loaded = Synonyms::load(options.synonyms_file);
    if (!loaded) return loaded.error();
    std::lock_guard lock(mutex);
    synonyms = std::make_shared<const Synonyms>(std::move(*loaded));
    synonyms_mtime = mtime;
    return Ok{};
  }

  std::shared_ptr<const Synonyms> current_synonyms() {
    if (!options.synonyms_file.empty()) {
      const auto now = std::chrono::steady_clock::now();
      bool check = false;
      {
        std::lock_guard lock(mutex);
        if (now - synonyms_checked > std::chrono::seconds(1)) {
          synonyms_checked = now;
          check = true;
        }
      }
      std::error_code ec;
      if (check && fs::last_write_time(options.synonyms_file, ec) != synonyms_mtime && !ec) {
        if (auto ok = load_synonyms(); !ok) std::fprintf(stderr, "baton: %s (keeping the synonyms loaded before)\n", ok.error().message.c_str());
      }
    }
    std::lock_guard lock(mutex);
    return synonyms;
  }

  // A read handle for this call, at the latest revision; returned to the pool afterwards.
  class Handle {
   public:
    Handle(Impl& impl) : impl_(impl) {
      {
        std::lock_guard lock(impl_.mutex);
        if (!impl_.idle.empty()) {
          db_ = std::move(impl_.idle.back());
          impl_.idle.pop_back();
        }
      }
      if (!db_) db_ = std::make_unique<Xapian::Database>(index_path(impl_.data_dir).string());
      else db_->reopen();
    }
    ~Handle() {
      std::lock_guard lock(impl_.mutex);
      impl_.idle.push_back(std::move(db_));
    }
    Xapian::Database& operator*() { return *db_; }

   private:
    Impl& impl_;
    std::unique_ptr<Xapian::Database> db_;
  };

  // Runs `fn(db)`; a concurrent commit can invalidate what a handle read, so reopen and retry once.
  template <typename Fn>
  auto with_db(Fn&& fn) {
    Handle handle(*this);
    try {
      return fn(*handle);
    } catch (const Xapian::DatabaseModifiedError&) {
      (*handle).reopen();
      return fn(*handle);
    }
  }
};

Result<Searcher> Searcher::open(const fs::path& data_dir, SearcherOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->data_dir = data_dir;
  impl->options = std::move(options);
  try {
    impl->idle.push_back(std::make_unique<Xapian::Database>(index_path(data_dir).string()));
  } catch (const Xapian::DatabaseOpeningError&) {
    return make_error("no index in " + data_dir.string() + ": run `baton index ROOT` first", ErrorKind::unavailable);
  } catch (const Xapian::Error& e) {
    return make_error("cannot open index in " + data_dir.string() + ": " + e.get_description());
  }
  // Terms and values mean other things in an index of another version (sync rebuilds it).
  auto catalog = Catalog::open(catalog_path(data_dir));
  if (!catalog) return catalog.error();
  if (catalog->meta("index_version").value_or("") != std::to_string(schema::version))
    return make_error("the index in " + data_dir.string() + " was built by another version of Baton: run `baton index ROOT` again",
                      ErrorKind::unavailable);
  if (auto ok = impl->load_synonyms(); !ok) return ok.error();
  if (impl->options.log) impl->log = std::make_unique<SearchLog>(catalog_path(data_dir));
  return Searcher(std::move(impl));
}

Searcher::Searcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher::~Searcher() = default;

Result<SearchResponse> Searcher::search(const SearchRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  const std::string q(trim(request.q));
  if (q.size() > max_query_bytes) return make_error("query too long (limit " + std::to_string(max_query_bytes) + " bytes)");
  if (!is_utf8(q)) return make_error("query is not valid UTF-8");
  if (request.limit < 1 || request.limit > max_limit)
    return make_error("limit must be between 1 and " + std::to_string(max_limit));
  if (request.offset < 0 || request.offset > max_offset)
    return make_error("offset must be between 0 and " + std::to_string(max_offset));
  auto parsed = parse_query(q);
  if (!parsed) return parsed.error();
  Filters filters = request.filters;
  if (auto ok = check_filters(filters); !ok) return ok.error();
  for (const auto& [name, value] : parsed->filters.items()) filters.set(name, value);
  if (trim(parsed->text).empty() && filters.empty()) return make_error("empty query: give q, e.g. ?q=退款");
  const auto synonyms = impl_->current_synonyms();

  try {
    return impl_->with_db([&](Xapian::Database& db) -> Result<SearchResponse> {
      SearchResponse response;
      response.text = parsed->text;
      response.filters = filters;
      QueryPlan plan;
      // Filters alone: browse what they select. A Query of our own, not a copy of Xapian::Query::MatchAll:
      // that is one static object, and copying it from several server threads at once races on its
      // reference count (not atomic in Xapian 1.4) until it is freed under the others (a segfault
      // under load: bench/search, 2026-11-28; ThreadSanitizer reports the race).
      Xapian::Query query{std::string()};
      if (!trim(parsed->text).empty()) {
        plan = plan_query(parsed->text, db, *synonyms, impl_->options.cjk_mode);
        // No searchable word ("!!!"): a term no document has (MatchNothing would vanish under a filter).
        query = plan.query.empty() ? Xapian::Query(schema::unit_prefix) : plan.query;
      }
      if (const Xapian::Query f = filter_query(db, filters); !f.empty())
        query = Xapian::Query(Xapian::Query::OP_FILTER, query, f);

      Xapian::Enquire enquire(db);
      enquire.set_weighting_scheme(ranking());
      enquire.set_query(query);
      // Collapsing on the facets (one per document, like the document id) reads one value per match, not two.
      if (request.group) enquire.set_collapse_key(schema::facets_slot, 1);
      if (request.sort == SortOrder::date || trim(parsed->text).empty())
        enquire.set_sort_by_value_then_relevance(schema::date_slot, true);
      FacetSpy spy;
      enquire.add_matchspy(&spy);
      // By relevance, the best rerank_window sections are ranked again with a bonus for how much
      // of the query each covers (rare words counting more), so that sections with every word come
      // first among equals. A mild one: on the known-item sets, doubling the weight of sections with
      // every word (as OP_AND_MAYBE did) cost more than it won (holdout2 en success@5 0.80 → 0.76).
      const bool rerank = plan.concepts.size() >= 2 && request.sort == SortOrder::relevance;
      const auto first = static_cast<Xapian::doccount>(rerank ? 0 : request.offset);
      const auto wanted = static_cast<Xapian::doccount>(
          rerank ? std::max(rerank_window, request.offset + request.limit) : request.limit);
      const Xapian::MSet mset = enquire.get_mset(first, wanted, facet_window);
      response.total = mset.get_matches_estimated();
      response.facets = spy.facets();
      // Sections tied with the window's last one made it in by docid, which differs between two
      // indexes of the same files: they get no bonus (and stay last), so that which of them made it
      // cannot change the order of the others.
      auto edge = mset.end();
      if (rerank && mset.size() == wanted) {
        const double last = (--mset.end()).get_weight();
        edge = mset.begin();
        while (edge != mset.end() && edge.get_weight() != last) ++edge;
      }
      std::map<Xapian::docid, std::vector<std::string>> matching;
      if (rerank) {
        std::vector<Xapian::docid> window;
        for (auto it = mset.begin(); it != edge; ++it) window.push_back(*it);
        matching = query_terms_in(db, query, plan, std::move(window));
      }
      std::vector<std::pair<double, Xapian::MSetIterator>> ranked;
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        double weight = it.get_weight();
        if (rerank && it.get_rank() < edge.get_rank()) {
          const double c = coverage(plan, matching[*it]);
          weight *= 1 + coverage_boost * c * c;
        }
        ranked.emplace_back(weight, it);
      }
      if (rerank) {
        std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        ranked.erase(ranked.begin(), ranked.begin() + std::min<std::ptrdiff_t>(request.offset, std::ssize(ranked)));
        if (ranked.size() > static_cast<std::size_t>(request.limit)) ranked.resize(static_cast<std::size_t>(request.limit));
      }

      const Highlighter highlighter(plan.terms);
      const auto snippet_of = [&](const schema::StoredUnit& unit, std::size_t bytes) {
        // A heading with no text of its own matched by its words: show those.
        const std::string& text = !trim(unit.text).empty() ? unit.text : !unit.section.empty() ? unit.section : unit.title;
        return highlighter.snippet(text, bytes);
      };
      std::vector<Xapian::Query> docs;
      std::vector<Xapian::docid> shown;  // the hits' own sections, not to be listed again under them
      for (const auto& [weight, it] : ranked) {
        auto unit = schema::decode_unit(it.get_document().get_data());
        if (!unit) continue;
        Hit hit{unit->id, unit->doc, unit->path, unit->title, unit->section, unit->kind, unit->format,
                unit->date, unit->author, snippet_of(*unit, snippet_bytes), weight, {}, 0};
        if (request.group) {
          hit.more_count = it.get_collapse_count();
          if (hit.more_count > 0) docs.emplace_back(schema::doc_prefix + unit->doc);
          shown.push_back(*it);
        }
        response.hits.push_back(std::move(hit));
      }

      // The other matching sections of the documents on this page, best first: one more match.
      if (!docs.empty()) {
        Xapian::Enquire more(db);
        more.set_weighting_scheme(ranking());
        more.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(Xapian::Query::OP_OR, docs.begin(), docs.end())));
        more.set_collapse_key(schema::doc_slot, static_cast<Xapian::doccount>(more_sections + 1));
        const Xapian::MSet extra = more.get_mset(0, static_cast<Xapian::doccount>(docs.size() * (more_sections + 1)));
        for (auto it = extra.begin(); it != extra.end(); ++it) {
          if (std::find(shown.begin(), shown.end(), *it) != shown.end()) continue;
          // Which hit it belongs to from the value slot: only the sections shown are decoded.
          const Xapian::Document xdoc = it.get_document();
          const std::string doc = xdoc.get_value(schema::doc_slot);
          const auto hit = std::find_if(response.hits.begin(), response.hits.end(), [&](const Hit& h) { return h.doc == doc; });
          if (hit == response.hits.end() || hit->more.size() >= more_sections) continue;
          auto unit = schema::decode_unit(xdoc.get_data());
          if (!unit) continue;
          hit->more.push_back({unit->id, unit->section.empty() ? unit->title : unit->section,
                               snippet_of(*unit, more_snippet_bytes)});
        }
      }

      if (!plan.corrections.empty()) response.suggestion = spelling_suggestion(q, plan.corrections);
      response.took_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
      if (impl_->log && request.log) {
        response.search_id = impl_->log->next_id();
        impl_->log->add(SearchLogEntry{response.search_id, now_iso(), normalize_for_index(trim(parsed->text)), q,
                                       filters_json(filters), static_cast<std::int64_t>(response.total), response.took_ms});
      }
      return response;
    });
  } catch (const Xapian::Error& e) {
    return make_error("search failed: " + e.get_description());
  }
}

void Searcher::record_open(std::int64_t search_id, const std::string& unit) {
  if (impl_->log && search_id > 0) impl_->log->add(SearchOpen{search_id, unit, now_iso()});
}

void Searcher::flush_log() {
  if (impl_->log) impl_->log->flush();
}

Result<DocumentView> Searcher::document(const std::string& id, const std::string& q) {
  std::smatch m;
  if (!std::regex_match(id, m, id_pattern())) return make_error("not a document id: " + id);
  const std::string doc_id = m[1].str();
  std::optional<std::string> unit;
  if (m[2].matched) unit = id;
  if (q.size() > max_query_bytes || !is_utf8(q)) return make_error("bad highlight query");

  try {
    return impl_->with_db([&](Xapian::Database& db) -> Result<DocumentView> {
      std::vector<std::string> terms;
      if (auto parsed = parse_query(trim(q)); parsed && !trim(parsed->text).empty())
        terms = plan_query(parsed->text, db, *impl_->current_synonyms(), impl_->options.cjk_mode).terms;
      const Highlighter highlighter(terms);
      Xapian::Enquire enquire(db);
      enquire.set_query(Xapian::Query(schema::doc_prefix + doc_id));
      enquire.set_sort_by_value(schema::ordinal_slot, false);
      Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
      if (mset.empty()) return make_error("no document with id " + id, ErrorKind::not_found);
      DocumentView view;
      view.id = doc_id;
      view.unit = unit;
      bool first = true;
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        auto u = schema::decode_unit(it.get_document().get_data());
        if (!u) continue;
        if (first) {
          view.path = u->path;
          view.root = u->root;
          view.title = u->title;
          view.kind = u->kind;
          view.date = u->date;
          view.author = u->author;
          first = false;
        }
        view.sections.push_back({u->id, u->section, u->level, highlighter.all(u->text)});
      }
      if (unit && std::none_of(view.sections.begin(), view.sections.end(),
                               [&](const SectionView& s) { return s.id == *unit; }))
        return make_error("no section with id " + id, ErrorKind::not_found);
      return view;
    });
  } catch (const Xapian::Error& e) {
    return make_error("cannot read document: " + e.get_description());
  }
}

IndexStats Searcher::stats() {
  IndexStats stats;
  impl_->with_db([&](Xapian::Database& db) {
    stats.units = db.get_doccount();
    return 0;
  });
  if (auto catalog = Catalog::open(catalog_path(impl_->data_dir))) {
    const CatalogCounts c = catalog->counts();
    stats.documents = static_cast<std::uint64_t>(c.documents);
    stats.sources = static_cast<std::uint64_t>(c.sources);
    stats.failed = static_cast<std::uint64_t>(c.failed);
    stats.last_sync = catalog->meta("last_sync").value_or("");
  }
  return stats;
}

}  // namespace baton
