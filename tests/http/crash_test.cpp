// `baton index` killed with SIGKILL at random moments over the shared corpus, then run to the end:
// after every kill the index and the catalog open and answer; the end state is the one a clean run
// reaches; the user data written before and between the kills (questions and answers, the search
// log, entity decisions) is all still there.
//
// The kill moments come from a seed printed at the start; BATON_CRASH_SEED=<seed> replays a run.
#include <sqlite3.h>
#include <xapian.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "baton/catalog.h"
#include "baton/gaps.h"
#include "baton/index.h"
#include "baton/questions.h"
#include "baton/search.h"
#include "http/process.h"
#include "test_util.h"

using nlohmann::json;
using namespace baton;
namespace fs = std::filesystem;

namespace {

// The formats of the corpus, each with enough files to take part in many batches. The whole corpus
// takes several minutes per run under ASan; this subset (about 1,000 files, a fifth of the bytes) keeps
// the test at a few minutes while every extractor runs, mail (the largest share) included.
const std::vector<std::pair<std::string, std::size_t>> crash_subset = {
    {"office", 0},                          // docx, xlsx, pdf, zip: all of them
    {"comms-zh/mail", 0},                   // Chinese list mail (GBK, base64 bodies)
    {"comms-zh/chat-formats", 0},           // chat exports
    {"comms-zh/dialogues", 150},            // chat dialogues (txt)
    {"mail/enron-full-headers", 0},         // mail with full headers
    {"mail/enron-inbox-subset", 300},       // .eml
    {"manuals-en/debian-faq", 0},           // html
    {"manuals-en/maint-guide", 0},
    {"manuals-en/man", 120},                // man pages as text
    {"manuals-zh/debian-faq", 0},
    {"manuals-zh/maint-guide", 0},
    {"manuals-zh/debian-edu-manual", 0},
    {"manuals-zh/man", 120},
};

// A tree of symbolic links to part of the corpus (the corpus is read-only and stays outside the
// repository): the first `limit` files of each folder by name (all if 0), so every run sees the same.
std::size_t link_subset(const fs::path& corpus, const fs::path& into) {
  std::size_t files = 0;
  for (const auto& [folder, limit] : crash_subset) {
    for (const auto& p : test::first_files(corpus / folder, limit)) {
      const fs::path link = into / p.lexically_relative(corpus);
      fs::create_directories(link.parent_path());
      fs::create_symlink(p, link);
      ++files;
    }
  }
  return files;
}

// What a data dir holds that must come out the same however many times its indexing was killed.
struct IndexState {
  std::map<std::string, std::string> units;  // unit id → its data, terms with wdf and positions, values
  Xapian::doccount doccount = 0;
  Xapian::totallength total_length = 0;
  std::map<std::string, Xapian::doccount> spellings;
};

IndexState index_state(const fs::path& data_dir) {
  IndexState state;
  Xapian::Database db(index_path(data_dir).string());
  state.doccount = db.get_doccount();
  state.total_length = db.get_total_length();
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    const Xapian::Document doc = db.get_document(*it);
    const auto unit = schema::decode_unit(doc.get_data());
    REQUIRE(unit);
    // An answer's data carries the time it was answered, which differs between the two data dirs.
    std::string digest = unit->kind == "answer" ? std::string("answer") : doc.get_data();
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
      digest += "\n" + *t + " " + std::to_string(t.get_wdf()) + " " + std::to_string(t.positionlist_count());
    if (unit->kind != "answer")
      for (auto v = doc.values_begin(); v != doc.values_end(); ++v) digest += "\nv" + std::to_string(v.get_valueno()) + " " + *v;
    INFO("unit " << unit->id);
    CHECK(state.units.emplace(unit->id, std::move(digest)).second);  // never two units with one id
  }
  for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) state.spellings[*it] = it.get_termfreq();
  return state;
}

// The catalog rows the indexer writes (sources, documents, findings), one line each, sorted;
// `seen_at` left out: it is when a file was last looked at.
std::vector<std::string> catalog_rows(const fs::path& data_dir, const fs::path& root) {
  auto catalog = Catalog::open(catalog_path(data_dir));
  REQUIRE(catalog.ok());
  std::vector<std::string> rows;
  for (const auto& [path, s] : catalog->sources_under(fs::canonical(root).string()))
    rows.push_back(json{"source", s.id, s.root, s.path, s.size, s.mtime_ns, s.hash, s.format, s.charset, s.failed,
                        s.error, s.units}.dump());
  for (const auto& d : catalog->documents())
    rows.push_back(json{"document", d.id, d.source_id, d.root, d.path, d.title, d.kind, d.date, d.author, d.units,
                        d.format, d.thread, d.message_id, d.parent, d.participants, d.organisations, d.clients,
                        d.projects, d.updated}.dump());
  for (const auto& [doc, f] : catalog->findings())
    rows.push_back(json{"finding", doc, f.kind, f.line, f.section, f.label, f.excerpt, f.value}.dump());
  std::sort(rows.begin(), rows.end());
  return rows;
}

// The ranking of a query as (score, document), best first; ties are put in id order because which
// of two equal scores comes first depends on Xapian's docids, which differ between runs. Hits tied
// with the last score are left out: which of them made the page is as arbitrary.
std::vector<std::pair<double, std::string>> ranking(Searcher& searcher, const std::string& q) {
  auto r = searcher.search({q, 30, 0});
  INFO(q);
  REQUIRE(r.ok());
  std::vector<std::pair<double, std::string>> out;
  for (const auto& h : r->hits) out.emplace_back(std::round(h.score * 1e6) / 1e6, h.doc);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  if (out.size() == 30) std::erase_if(out, [last = out.back().first](const auto& e) { return e.first == last; });
  return out;
}

// Checking must not add to the search log it checks.
SearcherOptions unlogged() {
  SearcherOptions options;
  options.log = false;
  return options;
}

// Queries that reach every format of the subset.
const std::vector<std::string> crash_queries = {
    "package", "debian policy", "dpkg configuration", "meeting schedule", "enron", "gas contract",
    "软件包", "配置文件", "安装", "退款", "发票", "会议", "合同", "客户", "maintainer", "manual page"};

// User data, as a person would have put it in: questions (one answered, one closed, one asked
// twice), search-log rows with a result opened, decisions about entities.
struct UserData {
  std::vector<QuestionRecord> questions;   // as stored, by id
  std::set<std::int64_t> search_ids;       // the search log rows that must survive
  std::vector<EntityDecision> decisions;
};

UserData seed_user_data(const fs::path& data_dir, int salt) {
  REQUIRE(prepare_data_dir(data_dir).ok());
  auto catalog = Catalog::open(catalog_path(data_dir));
  REQUIRE(catalog.ok());
  UserData data;
  const std::string tag = "crashcheck " + std::to_string(salt);
  for (int i = 0; i < 5; ++i) {
    QuestionRecord q;
    q.question = "交接 " + tag + " 问题" + std::to_string(i) + "：服务器密码在哪里？";
    q.normalized = normalize_question(q.question);
    q.asker = "tester";
    q.channel = "web";
    q.last_asked_at = q.created_at = now_iso();
    const AskedQuestion asked = catalog->ask_question(q);
    const QuestionRecord& stored = asked.question;
    REQUIRE_FALSE(asked.merged);
    if (i == 0) CHECK(catalog->ask_question(q).merged);  // asked twice: counted, not duplicated
    if (i < 3) REQUIRE(catalog->answer_question(stored.id, "答案 " + tag + " " + std::to_string(i) + " 见运维手册第三章",
                                                "editor", {"https://wiki.example/" + std::to_string(i)}));
    if (i == 2) REQUIRE(catalog->close_question(stored.id));
  }
  std::vector<SearchLogEntry> searches;
  std::vector<SearchOpen> opens;
  for (std::int64_t i = 1; i <= 40; ++i) {
    const std::int64_t id = salt * 1000 + i;
    searches.push_back({id, now_iso(), "查询" + std::to_string(i), "查询 " + std::to_string(i), "{}", i % 3, 1.5});
    if (i % 4 == 0) opens.push_back({id, "unit-" + std::to_string(i), now_iso()});
    data.search_ids.insert(id);
  }
  catalog->log_searches(searches, opens);
  for (int i = 0; i < 3; ++i)
    catalog->decide_entity({"crashcheck-entity" + std::to_string(i), i == 0 ? "ignore" : "rename", i == 0 ? "" : "新名字",
                            now_iso()});
  return data;
}

// More user data once an index exists, through the modules a server calls: a question asked with
// suggestions from search and answered (indexed at once), a decision, a logged search.
void add_user_data(const fs::path& data_dir) {
  auto searcher = Searcher::open(data_dir);
  REQUIRE(searcher.ok());
  auto asked = ask_question(data_dir, *searcher, {"怎么重启 crashcheck 邮件网关？", "tester", "web"});
  REQUIRE(asked.ok());
  auto answered = answer_question(data_dir, asked->question.id, {"先停 crashcheck 服务再启动", "editor", {}});
  REQUIRE(answered.ok());
  CHECK(answered->indexed);
  REQUIRE(decide_entity(data_dir, "crashcheck-late-entity", "ignore", "").ok());
  REQUIRE(searcher->search({"crashcheck", 10, 0}).ok());
  searcher->flush_log();
}

// Everything the user put into `data_dir` must still be there, answers indexed and findable.
void check_user_data(const fs::path& data_dir, const UserData& before, std::int64_t searches_logged) {
  auto catalog = Catalog::open(catalog_path(data_dir));
  REQUIRE(catalog.ok());
  const auto questions = catalog->questions("all", 100, 0);
  REQUIRE(questions.size() == before.questions.size() + 1);  // + the one asked between kills
  for (const auto& q : before.questions) {
    const auto now = catalog->question(q.id);
    INFO("question " << q.id);
    REQUIRE(now);
    CHECK(now->question == q.question);
    CHECK(now->status == q.status);
    CHECK(now->count == q.count);
    CHECK(now->answer == q.answer);
    CHECK(now->links == q.links);
  }
  CHECK(catalog->answers_to_index().empty());  // every answer is in the index
  auto searcher = Searcher::open(data_dir, unlogged());
  REQUIRE(searcher.ok());
  for (const auto& q : questions) {
    if (q.answer.empty()) continue;
    auto doc = searcher->document(answer_doc_id(q.id));
    INFO("answer of question " << q.id);
    REQUIRE(doc.ok());
    CHECK(doc->kind == "answer");
  }
  auto found = searcher->search({"crashcheck", 30, 0});
  REQUIRE(found.ok());
  CHECK(std::count_if(found->hits.begin(), found->hits.end(), [](const Hit& h) { return h.kind == "answer"; }) == 4);

  const auto log = catalog->recent_searches(100000);
  std::set<std::int64_t> ids;
  for (const auto& e : log) ids.insert(e.id);
  for (std::int64_t id : before.search_ids) CHECK(ids.count(id) == 1);
  CHECK(static_cast<std::int64_t>(log.size()) == searches_logged);
  CHECK(catalog->opens_of(*before.search_ids.rbegin()).size() == 1);

  std::set<std::string> keys;
  for (const auto& d : catalog->entity_decisions()) keys.insert(d.key + "=" + d.action + ":" + d.value);
  for (const auto& d : before.decisions) CHECK(keys.count(d.key + "=" + d.action + ":" + d.value) == 1);
  CHECK(keys.count("crashcheck-late-entity=ignore:") == 1);
}

// The user data as the catalog holds it right after it was put in.
UserData stored_user_data(const fs::path& data_dir, UserData seeded) {
  auto catalog = Catalog::open(catalog_path(data_dir));
  REQUIRE(catalog.ok());
  seeded.questions = catalog->questions("all", 100, 0);
  seeded.decisions = catalog->entity_decisions();
  return seeded;
}

// SQLite's own check of the catalog file.
std::string sqlite_integrity(const fs::path& file) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return "cannot open";
  }
  std::string result;
  sqlite3_exec(
      db, "PRAGMA integrity_check",
      [](void* out, int, char** values, char**) {
        *static_cast<std::string*>(out) += values[0] ? values[0] : "";
        return 0;
      },
      &result, nullptr);
  sqlite3_close(db);
  return result;
}

// Xapian's own check of every shard, by xapian-check (Debian's xapian-tools): Database::check()
// called in this process trips ASan on a new/delete size mismatch inside libxapian itself.
void check_xapian(const fs::path& data_dir) {
  const std::string tool = "/usr/bin/xapian-check";
  REQUIRE(fs::exists(tool));  // scripts/test installs xapian-tools
  for (const auto& e : fs::directory_iterator(index_path(data_dir))) {
    if (!e.is_directory()) continue;
    test::Process check({tool, e.path().string()});
    const int status = check.wait();
    INFO(check.output());
    CHECK(status == 0);
    CHECK_THAT(check.output(), Catch::Contains("No errors found"));
  }
}

}  // namespace

TEST_CASE("baton index SIGKILLed 24 times over the corpus ends as a clean run, and no user data is lost",
          "[cli][crash][corpus]") {
  std::uint64_t seed = std::random_device{}();
  if (const char* env = std::getenv("BATON_CRASH_SEED")) seed = std::strtoull(env, nullptr, 10);
  std::printf("crash test seed: %llu (replay with BATON_CRASH_SEED=%llu)\n", static_cast<unsigned long long>(seed),
              static_cast<unsigned long long>(seed));
  std::fflush(stdout);
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);

  test::TempDir tree, clean, killed;
  const fs::path root = tree / "corpus";
  REQUIRE(link_subset(test::corpus(), root) > 900);

  // The clean run, timed: the kills are spread over about as long.
  seed_user_data(clean.path(), 1);
  const auto started = std::chrono::steady_clock::now();
  auto full = test::run_baton({"index", "--data-dir", clean.path().string(), root.string()});
  INFO(full.output);
  REQUIRE(full.status == 0);
  const double clean_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  add_user_data(clean.path());
  std::printf("crash test: clean run %.1f s\n", clean_seconds);

  const UserData seeded = stored_user_data(killed.path(), seed_user_data(killed.path(), 1));
  std::int64_t searches_logged = static_cast<std::int64_t>(seeded.search_ids.size());
  bool index_seen = false;
  int sigkills = 0, failpoints = 0;
  // Kill moments up to a 16th of the clean run: 24 kills then land before the work is done. A run
  // that finishes before its kill (the machine got faster) does not count, and halves the window,
  // so that kills keep landing in real work (or, once the index is complete, in a run's start-up and
  // walk) until 24 have.
  int window_ms = std::max(400, static_cast<int>(clean_seconds * 1000 / 16));
  for (int round = 0; sigkills < 24 && round < 60; ++round) {
    const bool failpoint = round % 7 == 3;  // the narrow moment between the two commits
    std::string how;
    if (failpoint) {
      // Dies right after a Xapian commit, before the catalog's: a random kill rarely lands there.
      const unsigned n = std::uniform_int_distribution<unsigned>(1, 4)(rng);
      how = "failpoint xapian-commit:" + std::to_string(n);
      setenv("BATON_FAILPOINT", ("xapian-commit:" + std::to_string(n)).c_str(), 1);
      auto died = test::run_baton({"index", "--batch", "20", "--data-dir", killed.path().string(), root.string()});
      unsetenv("BATON_FAILPOINT");
      INFO(died.output);
      CHECK((died.status == 86 || died.status == 0));
      failpoints += died.status == 86;
    } else {
      // Anywhere in a run: starting up, extracting, in the middle of a commit, writing answers.
      const int ms = std::uniform_int_distribution<int>(100, window_ms)(rng);
      how = "SIGKILL after " + std::to_string(ms) + " ms";
      test::Process p({test::baton_bin(), "index", "--batch", "20", "--data-dir", killed.path().string(), root.string()});
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      p.signal(SIGKILL);
      const int status = p.wait();
      INFO(p.output());
      CHECK((status == 128 + SIGKILL || status == 0));  // 0: it finished first
      sigkills += status == 128 + SIGKILL;
      if (status == 0) {
        window_ms = std::max(200, window_ms / 2);
        how += " (it had finished)";
      }
    }
    INFO("round " << round << ": " << how);
    std::printf("crash test: round %d: %s\n", round, how.c_str());
    std::fflush(stdout);

    // Whatever moment it died at, the catalog is sound and the index opens and answers.
    CHECK(sqlite_integrity(catalog_path(killed.path())) == "ok");
    const bool has_index = fs::exists(index_path(killed.path()) / "XAPIANDB");
    auto search = test::run_baton({"search", "--data-dir", killed.path().string(), "--json", "package"});
    INFO(search.output);
    if (!has_index && !index_seen) {
      // Killed before the first run had made an index: nothing to open yet, and it says so.
      CHECK(search.status == 1);
      CHECK_THAT(search.output, Catch::Contains("baton index"));
    } else {
      index_seen = true;
      REQUIRE(search.status == 0);
      CHECK_FALSE(json::parse(search.output, nullptr, false).is_discarded());
      ++searches_logged;
      check_xapian(killed.path());
    }
    if (round == 10) {
      REQUIRE(index_seen);
      add_user_data(killed.path());
      searches_logged += 1;
    }
  }
  CHECK(sigkills >= 24);
  CHECK(failpoints >= 2);

  auto finish = test::run_baton({"index", "--data-dir", killed.path().string(), root.string()});
  INFO(finish.output);
  REQUIRE(finish.status == 0);
  auto again = test::run_baton({"index", "--data-dir", killed.path().string(), root.string()});
  CHECK_THAT(again.output, Catch::Contains("0 added, 0 updated, 0 renamed, 0 removed"));

  // The same documents, units, terms, spellings and catalog rows as the clean run ...
  const IndexState a = index_state(clean.path()), b = index_state(killed.path());
  CHECK(a.doccount == b.doccount);
  CHECK(a.total_length == b.total_length);
  CHECK(a.units.size() == b.units.size());
  std::size_t differing = 0;
  for (const auto& [id, digest] : a.units) {
    auto it = b.units.find(id);
    if (it == b.units.end() || it->second != digest) {
      if (++differing <= 5) FAIL_CHECK("unit " << id << (it == b.units.end() ? " missing" : " differs"));
    }
  }
  CHECK(differing == 0);
  CHECK(a.spellings == b.spellings);
  CHECK(catalog_rows(clean.path(), root) == catalog_rows(killed.path(), root));

  // ... the same search results ...
  auto sa = Searcher::open(clean.path(), unlogged());
  auto sb = Searcher::open(killed.path(), unlogged());
  REQUIRE(sa.ok());
  REQUIRE(sb.ok());
  for (const auto& q : crash_queries) {
    INFO(q);
    const auto ra = ranking(*sa, q);
    CHECK_FALSE(ra.empty());
    CHECK(ra == ranking(*sb, q));
  }

  // ... and every piece of user data.
  check_user_data(killed.path(), seeded, searches_logged);
}
