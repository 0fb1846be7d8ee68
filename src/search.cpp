#include "baton/search.h"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <regex>

#include "baton/catalog.h"
#include "baton/index.h"
#include "baton/text.h"

namespace fs = std::filesystem;

namespace baton {

namespace {

constexpr int max_offset = 10000;
constexpr std::size_t snippet_bytes = 360;  // about 120 CJK characters or 60 English words

const std::regex& id_pattern() {
  static const std::regex re("^([0-9a-f]{16})(-[0-9]{1,6})?$");
  return re;
}

std::vector<std::string> terms_of(const Xapian::Query& query) {
  return {query.get_unique_terms_begin(), query.get_unique_terms_end()};
}

}  // namespace

struct Searcher::Impl {
  fs::path data_dir;
  std::mutex mutex;
  std::vector<std::unique_ptr<Xapian::Database>> idle;

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

  Xapian::QueryParser parser(const Xapian::Database& db) const {
    Xapian::QueryParser qp;
    qp.set_database(db);
    qp.set_stemmer(Xapian::Stem("english"));
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL_Z);
    qp.add_prefix("title", schema::title_prefix);
    qp.add_boolean_prefix("kind", schema::kind_prefix);
    qp.set_default_op(Xapian::Query::OP_AND);
    return qp;
  }

  Result<Xapian::Query> parse(const Xapian::Database& db, const std::string& q) const {
    const std::string normalized = normalize_for_index(q);
    auto qp = parser(db);
    const unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | schema::cjk_flags;
    try {
      return qp.parse_query(normalized, flags);
    } catch (const Xapian::QueryParserError&) {
      // Stray quotes or brackets: read the text as plain words rather than refuse it.
      try {
        return qp.parse_query(normalized, schema::cjk_flags);
      } catch (const Xapian::QueryParserError& e) {
        return make_error("cannot parse query: " + e.get_msg());
      }
    }
  }
};

Result<Searcher> Searcher::open(const fs::path& data_dir) {
  auto impl = std::make_unique<Impl>();
  impl->data_dir = data_dir;
  try {
    impl->idle.push_back(std::make_unique<Xapian::Database>(index_path(data_dir).string()));
  } catch (const Xapian::DatabaseOpeningError&) {
    return make_error("no index in " + data_dir.string() + ": run `baton index ROOT` first", ErrorKind::unavailable);
  } catch (const Xapian::Error& e) {
    return make_error("cannot open index in " + data_dir.string() + ": " + e.get_description());
  }
  return Searcher(std::move(impl));
}

Searcher::Searcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher::~Searcher() = default;

Result<SearchResponse> Searcher::search(const SearchRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  const std::string q(trim(request.q));
  if (q.empty()) return make_error("empty query: give q, e.g. ?q=退款");
  if (q.size() > max_query_bytes) return make_error("query too long (limit " + std::to_string(max_query_bytes) + " bytes)");
  if (!is_utf8(q)) return make_error("query is not valid UTF-8");
  if (request.limit < 1 || request.limit > max_limit)
    return make_error("limit must be between 1 and " + std::to_string(max_limit));
  if (request.offset < 0 || request.offset > max_offset)
    return make_error("offset must be between 0 and " + std::to_string(max_offset));

  try {
    return impl_->with_db([&](Xapian::Database& db) -> Result<SearchResponse> {
      auto query = impl_->parse(db, q);
      if (!query) return query.error();
      Xapian::Enquire enquire(db);
      enquire.set_query(*query);
      Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(request.offset),
                                           static_cast<Xapian::doccount>(request.limit), 100);
      if (mset.get_matches_estimated() == 0 && query->get_num_subqueries() > 0) {
        // Nothing has every term: rank by how many of them a section has instead.
        Xapian::Query any(Xapian::Query::OP_OR, query->get_unique_terms_begin(), query->get_unique_terms_end());
        enquire.set_query(any);
        mset = enquire.get_mset(static_cast<Xapian::doccount>(request.offset),
                                static_cast<Xapian::doccount>(request.limit), 100);
      }
      const Highlighter highlighter(terms_of(*query));
      SearchResponse response;
      response.total = mset.get_matches_estimated();
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        auto unit = schema::decode_unit(it.get_document().get_data());
        if (!unit) continue;
        Hit hit{unit->id, unit->doc, unit->path, unit->title, unit->section, unit->kind, unit->date, {}, it.get_weight()};
        // A heading with no text of its own matched by its words: show those.
        const std::string& text = !trim(unit->text).empty() ? unit->text : !hit.section.empty() ? hit.section : hit.title;
        hit.snippet = highlighter.snippet(text, snippet_bytes);
        response.hits.push_back(std::move(hit));
      }
      response.took_ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
      return response;
    });
  } catch (const Xapian::Error& e) {
    return make_error("search failed: " + e.get_description());
  }
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
      if (!trim(q).empty()) {
        if (auto parsed = impl_->parse(db, std::string(trim(q)))) terms = terms_of(*parsed);
      }
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
