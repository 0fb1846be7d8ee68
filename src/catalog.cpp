#include "baton/catalog.h"

#include <sqlite3.h>

#include <ctime>
#include <nlohmann/json.hpp>
#include <system_error>

namespace baton {

namespace {

// One prepared statement; finalized on scope exit. Binds and reads by 1-based / 0-based index.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
      throw CatalogError(std::string("catalog: ") + sqlite3_errmsg(db));
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& bind(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
  }
  Stmt& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  /// Steps once: true if a row is available.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw CatalogError(std::string("catalog: ") + sqlite3_errmsg(db_));
  }
  void run() {
    while (step()) {
    }
  }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  /// Makes the statement ready to bind and run again.
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Each entry moves the schema one version up; never edit a released one, add a new one.
constexpr const char* migrations[] = {
    R"sql(
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE sources (
      id TEXT PRIMARY KEY,
      root TEXT NOT NULL,
      path TEXT NOT NULL,
      size INTEGER NOT NULL,
      mtime_ns INTEGER NOT NULL,
      hash TEXT NOT NULL DEFAULT '',
      format TEXT NOT NULL DEFAULT '',
      charset TEXT NOT NULL DEFAULT '',
      failed INTEGER NOT NULL DEFAULT 0,
      error TEXT NOT NULL DEFAULT '',
      units INTEGER NOT NULL DEFAULT 0,
      seen_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
      UNIQUE (root, path));
    CREATE TABLE documents (
      id TEXT PRIMARY KEY,
      source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
      title TEXT NOT NULL,
      kind TEXT NOT NULL,
      date TEXT NOT NULL DEFAULT '',
      author TEXT NOT NULL DEFAULT '',
      units INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX documents_source ON documents(source_id);
    )sql",
    // 2: what mail and chat tell about a document, for entities and threads.
    R"sql(
    ALTER TABLE documents ADD COLUMN format TEXT NOT NULL DEFAULT '';
    ALTER TABLE documents ADD COLUMN thread TEXT NOT NULL DEFAULT '';
    ALTER TABLE documents ADD COLUMN message_id TEXT NOT NULL DEFAULT '';
    ALTER TABLE documents ADD COLUMN parent TEXT NOT NULL DEFAULT '';
    ALTER TABLE documents ADD COLUMN participants TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE documents ADD COLUMN organisations TEXT NOT NULL DEFAULT '[]';
    CREATE INDEX documents_thread ON documents(thread) WHERE thread != '';
    )sql",
    // 3: entities per document; the search log (user data: never cleared by a re-index).
    R"sql(
    ALTER TABLE documents ADD COLUMN clients TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE documents ADD COLUMN projects TEXT NOT NULL DEFAULT '[]';
    CREATE TABLE search_log (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      query TEXT NOT NULL,
      raw TEXT NOT NULL,
      filters TEXT NOT NULL DEFAULT '{}',
      hits INTEGER NOT NULL,
      took_ms REAL NOT NULL);
    CREATE INDEX search_log_query ON search_log(query);
    CREATE INDEX search_log_at ON search_log(at);
    CREATE TABLE search_opens (
      search_id INTEGER NOT NULL,
      unit TEXT NOT NULL,
      at TEXT NOT NULL);
    CREATE INDEX search_opens_search ON search_opens(search_id);
    )sql",
    // 4: for the gap view: what each document leaves unfinished or exposes, the date it says it was
    // last updated, and what people decided about entities (user data: never cleared by a re-index).
    R"sql(
    ALTER TABLE documents ADD COLUMN updated TEXT NOT NULL DEFAULT '';
    CREATE TABLE findings (
      doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
      kind TEXT NOT NULL,
      line INTEGER NOT NULL,
      section TEXT NOT NULL DEFAULT '',
      label TEXT NOT NULL,
      excerpt TEXT NOT NULL,
      value TEXT NOT NULL DEFAULT '');
    CREATE INDEX findings_doc ON findings(doc_id);
    CREATE TABLE entity_decisions (
      key TEXT PRIMARY KEY,
      action TEXT NOT NULL,
      value TEXT NOT NULL DEFAULT '',
      at TEXT NOT NULL);
    )sql",
    // 5: questions and their answers (user data: never cleared by a re-index). At most one open
    // question per normalised text: a repeat is counted on it. answer_rev/indexed_rev tell which
    // answers the index is behind on, so a crash between answering and indexing loses nothing.
    R"sql(
    CREATE TABLE questions (
      id INTEGER PRIMARY KEY,
      question TEXT NOT NULL,
      normalized TEXT NOT NULL,
      asker TEXT NOT NULL DEFAULT '',
      channel TEXT NOT NULL DEFAULT 'web',
      created_at TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
      count INTEGER NOT NULL DEFAULT 1,
      last_asked_at TEXT NOT NULL,
      answer TEXT NOT NULL DEFAULT '',
      answered_by TEXT NOT NULL DEFAULT '',
      answered_at TEXT NOT NULL DEFAULT '',
      links TEXT NOT NULL DEFAULT '[]',
      suggestions TEXT NOT NULL DEFAULT '[]',
      answer_rev INTEGER NOT NULL DEFAULT 0,
      indexed_rev INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX questions_status ON questions(status, last_asked_at);
    CREATE UNIQUE INDEX questions_open_text ON questions(normalized) WHERE status = 'open';
    CREATE INDEX questions_unindexed ON questions(id) WHERE answer_rev > indexed_rev;
    )sql",
    // 6: the chat platforms' event ids already asked, so that a retried delivery (the platform did not
    // see the first answer in time) is not counted as a repeat. seen_at in Unix seconds: rows older
    // than webhook_event_retention_seconds are deleted as new ones come.
    R"sql(
    CREATE TABLE webhook_events (
      channel TEXT NOT NULL,
      event_id TEXT NOT NULL,
      question_id INTEGER NOT NULL,
      seen_at INTEGER NOT NULL,
      PRIMARY KEY (channel, event_id));
    CREATE INDEX webhook_events_seen ON webhook_events(seen_at);
    )sql",
};

std::string to_json_array(const std::vector<std::string>& v) {
  return nlohmann::json(v).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> from_json_array(const std::string& s) {
  const auto j = nlohmann::json::parse(s, nullptr, false);
  std::vector<std::string> out;
  if (j.is_array())
    for (const auto& e : j)
      if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

constexpr const char* document_select =
    "SELECT d.id, d.source_id, s.root, s.path, d.title, d.kind, d.date, d.author, d.units, d.format, d.thread, "
    "d.message_id, d.parent, d.participants, d.organisations, d.clients, d.projects, d.updated "
    "FROM documents d JOIN sources s ON s.id = d.source_id";

DocumentRecord read_document(const Stmt& s) {
  return DocumentRecord{s.text(0),  s.text(1),  s.text(2),  s.text(3),  s.text(4),
                        s.text(5),  s.text(6),  s.text(7),  static_cast<int>(s.integer(8)),
                        s.text(9),  s.text(10), s.text(11), s.text(12), from_json_array(s.text(13)),
                        from_json_array(s.text(14)), from_json_array(s.text(15)), from_json_array(s.text(16)),
                        s.text(17), {}};
}

SourceRecord read_source(const Stmt& s) {
  SourceRecord r;
  r.id = s.text(0);
  r.root = s.text(1);
  r.path = s.text(2);
  r.size = s.integer(3);
  r.mtime_ns = s.integer(4);
  r.hash = s.text(5);
  r.format = s.text(6);
  r.charset = s.text(7);
  r.failed = s.integer(8) != 0;
  r.error = s.text(9);
  r.units = static_cast<int>(s.integer(10));
  return r;
}

std::string suggestions_json(const std::vector<QuestionSuggestion>& list) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& h : list)
    out.push_back({{"id", h.id}, {"doc", h.doc}, {"path", h.path}, {"title", h.title}, {"section", h.section},
                   {"snippet", h.snippet}});
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<QuestionSuggestion> suggestions_from_json(const std::string& s) {
  const auto j = nlohmann::json::parse(s, nullptr, false);
  std::vector<QuestionSuggestion> out;
  if (!j.is_array()) return out;
  for (const auto& e : j) {
    if (!e.is_object()) continue;
    const auto field = [&](const char* key) { return e.contains(key) && e[key].is_string() ? e[key].get<std::string>() : std::string(); };
    out.push_back({field("id"), field("doc"), field("path"), field("title"), field("section"), field("snippet")});
  }
  return out;
}

constexpr const char* question_select =
    "SELECT id, question, normalized, asker, channel, created_at, status, count, last_asked_at, answer, answered_by, "
    "answered_at, links, suggestions, answer_rev, indexed_rev FROM questions";

QuestionRecord read_question(const Stmt& s) {
  return QuestionRecord{s.integer(0),  s.text(1),  s.text(2),  s.text(3),  s.text(4),
                        s.text(5),     s.text(6),  s.integer(7), s.text(8), s.text(9),
                        s.text(10),    s.text(11), from_json_array(s.text(12)), suggestions_from_json(s.text(13)),
                        s.integer(14), s.integer(15)};
}

constexpr const char* source_columns = "id, root, path, size, mtime_ns, hash, format, charset, failed, error, units";

}  // namespace

std::int64_t unix_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

std::string now_iso() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<Catalog> Catalog::open(const std::filesystem::path& file) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return make_error("cannot open catalog " + file.string() + ": " + msg);
  }
  Catalog catalog(db);
  try {
    sqlite3_busy_timeout(db, 10000);
    catalog.exec("PRAGMA journal_mode=WAL");
    catalog.exec("PRAGMA synchronous=NORMAL");
    catalog.exec("PRAGMA foreign_keys=ON");
    catalog.migrate();
  } catch (const CatalogError& e) {
    return make_error(std::string(e.what()) + " (" + file.string() + ")");
  }
  return catalog;
}

Catalog::Catalog(sqlite3* db) : db_(db) {}
Catalog::Catalog(Catalog&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
Catalog& Catalog::operator=(Catalog&& other) noexcept {
  if (this != &other) {
    sqlite3_close(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}
Catalog::~Catalog() { sqlite3_close(db_); }

void Catalog::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw CatalogError("catalog: " + msg);
  }
}

void Catalog::migrate() {
  Stmt version(db_, "PRAGMA user_version");
  version.step();
  const auto current = static_cast<std::size_t>(version.integer(0));
  const std::size_t latest = std::size(migrations);
  if (current > latest)
    throw CatalogError("catalog was written by a newer Baton (schema " + std::to_string(current) + ")");
  for (std::size_t v = current; v < latest; ++v) {
    transaction([&] {
      exec(migrations[v]);
      exec(("PRAGMA user_version=" + std::to_string(v + 1)).c_str());
    });
  }
}

std::unordered_map<std::string, SourceRecord> Catalog::sources_under(const std::string& root) {
  Stmt s(db_, (std::string("SELECT ") + source_columns + " FROM sources WHERE root = ?").c_str());
  s.bind(1, root);
  std::unordered_map<std::string, SourceRecord> out;
  while (s.step()) {
    SourceRecord r = read_source(s);
    out.emplace(r.path, std::move(r));
  }
  return out;
}

void Catalog::put_source(const SourceRecord& r) {
  Stmt s(db_,
         "INSERT INTO sources (id, root, path, size, mtime_ns, hash, format, charset, failed, error, units) "
         "VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET root=excluded.root, path=excluded.path, "
         "size=excluded.size, "
         "mtime_ns=excluded.mtime_ns, hash=excluded.hash, format=excluded.format, charset=excluded.charset, "
         "failed=excluded.failed, error=excluded.error, units=excluded.units, "
         "seen_at=strftime('%Y-%m-%dT%H:%M:%SZ','now')");
  s.bind(1, r.id).bind(2, r.root).bind(3, r.path).bind(4, r.size).bind(5, r.mtime_ns).bind(6, r.hash);
  s.bind(7, r.format).bind(8, r.charset).bind(9, std::int64_t{r.failed}).bind(10, r.error).bind(11, std::int64_t{r.units});
  s.run();
}

void Catalog::remove_source(const std::string& source_id) {
  Stmt s(db_, "DELETE FROM sources WHERE id = ?");
  s.bind(1, source_id).run();
}

void Catalog::put_documents(const std::string& source_id, const std::vector<DocumentRecord>& docs) {
  Stmt del(db_, "DELETE FROM documents WHERE source_id = ?");
  del.bind(1, source_id).run();
  Stmt s(db_,
         "INSERT OR REPLACE INTO documents (id, source_id, title, kind, date, author, units, format, thread, "
         "message_id, parent, participants, organisations, clients, projects, updated) "
         "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  Stmt f(db_, "INSERT INTO findings (doc_id, kind, line, section, label, excerpt, value) VALUES (?,?,?,?,?,?,?)");
  for (const auto& d : docs) {
    s.reset();
    s.bind(1, d.id).bind(2, source_id).bind(3, d.title).bind(4, d.kind).bind(5, d.date).bind(6, d.author);
    s.bind(7, std::int64_t{d.units}).bind(8, d.format).bind(9, d.thread).bind(10, d.message_id).bind(11, d.parent);
    s.bind(12, to_json_array(d.participants)).bind(13, to_json_array(d.organisations));
    s.bind(14, to_json_array(d.clients)).bind(15, to_json_array(d.projects)).bind(16, d.updated).run();
    for (const auto& finding : d.findings) {
      f.reset();
      f.bind(1, d.id).bind(2, finding.kind).bind(3, std::int64_t{finding.line}).bind(4, finding.section);
      f.bind(5, finding.label).bind(6, finding.excerpt).bind(7, finding.value).run();
    }
  }
}

std::optional<DocumentRecord> Catalog::document(const std::string& id) {
  Stmt s(db_, (std::string(document_select) + " WHERE d.id = ?").c_str());
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_document(s);
}

std::vector<DocumentRecord> Catalog::documents() {
  Stmt s(db_, (std::string(document_select) + " ORDER BY s.root, s.path, d.id").c_str());
  std::vector<DocumentRecord> out;
  while (s.step()) out.push_back(read_document(s));
  return out;
}

std::vector<std::pair<std::string, FindingRecord>> Catalog::findings() {
  Stmt s(db_, "SELECT doc_id, kind, line, section, label, excerpt, value FROM findings ORDER BY rowid");
  std::vector<std::pair<std::string, FindingRecord>> out;
  while (s.step())
    out.emplace_back(s.text(0), FindingRecord{s.text(1), static_cast<int>(s.integer(2)), s.text(3), s.text(4), s.text(5), s.text(6)});
  return out;
}

std::vector<std::string> Catalog::roots() {
  Stmt s(db_, "SELECT DISTINCT root FROM sources ORDER BY root");
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

bool Catalog::has_source(const std::string& source_id) {
  Stmt s(db_, "SELECT 1 FROM sources WHERE id = ?");
  s.bind(1, source_id);
  return s.step();
}

void Catalog::forget_sources() {
  exec("DELETE FROM documents");
  exec("DELETE FROM sources");
}

void Catalog::log_searches(const std::vector<SearchLogEntry>& searches, const std::vector<SearchOpen>& opens) {
  transaction([&] {
    Stmt s(db_, "INSERT OR IGNORE INTO search_log (id, at, query, raw, filters, hits, took_ms) VALUES (?,?,?,?,?,?,?)");
    for (const auto& e : searches) {
      s.reset();
      s.bind(1, e.id).bind(2, e.at).bind(3, e.query).bind(4, e.raw).bind(5, e.filters).bind(6, e.hits);
      s.bind(7, e.took_ms).run();
    }
    Stmt o(db_, "INSERT INTO search_opens (search_id, unit, at) VALUES (?,?,?)");
    for (const auto& e : opens) {
      o.reset();
      o.bind(1, e.search_id).bind(2, e.unit).bind(3, e.at).run();
    }
  });
}

std::vector<SearchLogEntry> Catalog::recent_searches(int limit) {
  Stmt s(db_, "SELECT id, at, query, raw, filters, hits, took_ms FROM search_log ORDER BY at DESC, rowid DESC LIMIT ?");
  s.bind(1, std::int64_t{limit});
  std::vector<SearchLogEntry> out;
  while (s.step()) out.push_back({s.integer(0), s.text(1), s.text(2), s.text(3), s.text(4), s.integer(5), s.real(6)});
  return out;
}

std::vector<SearchOpen> Catalog::opens_of(std::int64_t search_id) {
  Stmt s(db_, "SELECT search_id, unit, at FROM search_opens WHERE search_id = ? ORDER BY at, rowid");
  s.bind(1, search_id);
  std::vector<SearchOpen> out;
  while (s.step()) out.push_back({s.integer(0), s.text(1), s.text(2)});
  return out;
}

std::vector<QueryDemand> Catalog::query_demand() {
  Stmt s(db_,
         "SELECT l.query, (SELECT raw FROM search_log r WHERE r.query = l.query ORDER BY r.at DESC LIMIT 1), "
         "count(*), sum(l.hits = 0), sum(EXISTS (SELECT 1 FROM search_opens o WHERE o.search_id = l.id)), max(l.at) "
         "FROM search_log l WHERE l.query != '' GROUP BY l.query ORDER BY count(*) DESC, max(l.at) DESC");
  std::vector<QueryDemand> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.integer(2), s.integer(3), s.integer(4), s.text(5)});
  return out;
}

std::vector<EntityDecision> Catalog::entity_decisions() {
  Stmt s(db_, "SELECT key, action, value, at FROM entity_decisions ORDER BY key");
  std::vector<EntityDecision> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.text(3)});
  return out;
}

void Catalog::decide_entity(const EntityDecision& d) {
  Stmt s(db_, "INSERT OR REPLACE INTO entity_decisions (key, action, value, at) VALUES (?,?,?,?)");
  s.bind(1, d.key).bind(2, d.action).bind(3, d.value).bind(4, d.at.empty() ? now_iso() : d.at).run();
}

bool Catalog::undo_entity_decision(const std::string& key) {
  Stmt s(db_, "DELETE FROM entity_decisions WHERE key = ?");
  s.bind(1, key).run();
  return sqlite3_changes(db_) > 0;
}

std::vector<SourceRecord> Catalog::failed_sources() {
  Stmt s(db_, (std::string("SELECT ") + source_columns + " FROM sources WHERE failed != 0 ORDER BY seen_at DESC").c_str());
  std::vector<SourceRecord> out;
  while (s.step()) out.push_back(read_source(s));
  return out;
}

CatalogCounts Catalog::counts() {
  Stmt s(db_,
         "SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM sources WHERE failed != 0), "
         "(SELECT count(*) FROM documents), (SELECT coalesce(sum(units), 0) FROM documents)");
  s.step();
  return {s.integer(0), s.integer(1), s.integer(2), s.integer(3)};
}

AskedQuestion Catalog::ask_question(const QuestionRecord& rec, const std::string& event_id) {
  AskedQuestion out;
  std::int64_t id = 0;
  const std::string now = now_iso();
  // One transaction: two people asking the same thing at once still make one question, and a
  // platform's retry racing its first delivery still finds the event recorded.
  transaction([&] {
    if (!event_id.empty()) {
      if (auto seen = event_question(rec.channel, event_id)) {
        id = *seen;
        out.retried = true;
        return;
      }
    }
    Stmt find(db_, "SELECT id FROM questions WHERE normalized = ? AND status = 'open'");
    find.bind(1, rec.normalized);
    if (find.step()) {
      id = find.integer(0);
      out.merged = true;
      Stmt up(db_, "UPDATE questions SET count = count + 1, last_asked_at = ?, suggestions = ? WHERE id = ?");
      up.bind(1, now).bind(2, suggestions_json(rec.suggestions)).bind(3, id).run();
    } else {
      Stmt ins(db_,
               "INSERT INTO questions (question, normalized, asker, channel, created_at, status, count, last_asked_at, "
               "suggestions) VALUES (?,?,?,?,?,'open',1,?,?)");
      ins.bind(1, rec.question).bind(2, rec.normalized).bind(3, rec.asker).bind(4, rec.channel).bind(5, now);
      ins.bind(6, now).bind(7, suggestions_json(rec.suggestions)).run();
      id = sqlite3_last_insert_rowid(db_);
    }
    if (!event_id.empty()) record_event(rec.channel, event_id, id);
  });
  out.question = *question(id);
  return out;
}

std::optional<std::int64_t> Catalog::event_question(const std::string& channel, const std::string& event_id) {
  Stmt s(db_, "SELECT question_id FROM webhook_events WHERE channel = ? AND event_id = ? AND seen_at >= ?");
  s.bind(1, channel).bind(2, event_id).bind(3, unix_now() - webhook_event_retention_seconds);
  if (!s.step()) return std::nullopt;
  return s.integer(0);
}

void Catalog::record_event(const std::string& channel, const std::string& event_id, std::int64_t question_id) {
  const std::int64_t now = unix_now();
  Stmt old(db_, "DELETE FROM webhook_events WHERE seen_at < ?");
  old.bind(1, now - webhook_event_retention_seconds).run();
  Stmt s(db_, "INSERT OR REPLACE INTO webhook_events (channel, event_id, question_id, seen_at) VALUES (?,?,?,?)");
  s.bind(1, channel).bind(2, event_id).bind(3, question_id).bind(4, now).run();
}

std::int64_t Catalog::event_count() {
  Stmt s(db_, "SELECT count(*) FROM webhook_events");
  s.step();
  return s.integer(0);
}

std::optional<QuestionRecord> Catalog::question(std::int64_t id) {
  Stmt s(db_, (std::string(question_select) + " WHERE id = ?").c_str());
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_question(s);
}

std::vector<QuestionRecord> Catalog::questions(const std::string& status, int limit, int offset) {
  Stmt s(db_, (std::string(question_select) +
               " WHERE ?1 = 'all' OR status = ?1 ORDER BY last_asked_at DESC, id DESC LIMIT ?2 OFFSET ?3").c_str());
  s.bind(1, status).bind(2, std::int64_t{limit}).bind(3, std::int64_t{offset});
  std::vector<QuestionRecord> out;
  while (s.step()) out.push_back(read_question(s));
  return out;
}

std::int64_t Catalog::question_count(const std::string& status) {
  Stmt s(db_, "SELECT count(*) FROM questions WHERE ?1 = 'all' OR status = ?1");
  s.bind(1, status);
  s.step();
  return s.integer(0);
}

bool Catalog::answer_question(std::int64_t id, const std::string& answer, const std::string& answered_by,
                              const std::vector<std::string>& links) {
  Stmt s(db_,
         "UPDATE questions SET status = 'answered', answer = ?, answered_by = ?, answered_at = ?, links = ?, "
         "answer_rev = answer_rev + 1 WHERE id = ?");
  s.bind(1, answer).bind(2, answered_by).bind(3, now_iso()).bind(4, to_json_array(links)).bind(5, id).run();
  return sqlite3_changes(db_) > 0;
}

bool Catalog::close_question(std::int64_t id) {
  Stmt s(db_, "UPDATE questions SET status = 'closed' WHERE id = ?");
  s.bind(1, id).run();
  return sqlite3_changes(db_) > 0;
}

std::vector<QuestionRecord> Catalog::answers_to_index() {
  Stmt s(db_, (std::string(question_select) + " WHERE answer_rev > indexed_rev ORDER BY id").c_str());
  std::vector<QuestionRecord> out;
  while (s.step()) out.push_back(read_question(s));
  return out;
}

void Catalog::mark_answer_indexed(std::int64_t id, std::int64_t rev) {
  // max(): a slower writer of an older revision must not make a newer one look indexed.
  Stmt s(db_, "UPDATE questions SET indexed_rev = max(indexed_rev, ?) WHERE id = ?");
  s.bind(1, rev).bind(2, id).run();
}

void Catalog::forget_indexed_answers() { exec("UPDATE questions SET indexed_rev = 0"); }

void Catalog::set_meta(const std::string& key, const std::string& value) {
  Stmt s(db_, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  s.bind(1, key).bind(2, value).run();
}

std::optional<std::string> Catalog::meta(const std::string& key) {
  Stmt s(db_, "SELECT value FROM meta WHERE key = ?");
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  return s.text(0);
}

}  // namespace baton
