// libFuzzer target for query understanding: what anyone can type into the search box goes through the
// checks search() makes, parse_query(), plan_query() in the chosen CJK mode and a real Xapian match
// against a small index with a spelling table. Input: one byte choosing the mode, the query, and
// optionally "\0" followed by a synonyms file.
#include <unistd.h>
#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "baton/index.h"
#include "baton/query.h"
#include "baton/search.h"
#include "baton/text.h"

namespace {

constexpr baton::CjkMode modes[] = {baton::CjkMode::xapian, baton::CjkMode::bigrams, baton::CjkMode::words,
                                    baton::CjkMode::words_bigrams, baton::CjkMode::friso,
                                    baton::CjkMode::friso_bigrams};

// A few sections in English and Chinese, indexed the way the indexer does (stems, CJK n-grams,
// spelling table), so spelling suggestions and synonyms have something to find.
std::unique_ptr<Xapian::Database> make_index() {
  static std::string dir;
  char tmpl[] = "/tmp/baton-fuzz-query-XXXXXX";
  dir = ::mkdtemp(tmpl);
  std::atexit([] { std::filesystem::remove_all(dir); });
  Xapian::WritableDatabase db(dir + "/db", Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
  Xapian::TermGenerator tg;
  tg.set_stemmer(Xapian::Stem("en"));
  tg.set_database(db);
  tg.set_flags(Xapian::TermGenerator::FLAG_SPELLING | baton::schema::cjk_flags);
  for (const char* text : {"Invoice reconciliation for the client 瑞丰 每月一次", "退款审批流程 refund approval workflow",
                           "服务器 密码 在 共享盘 password rotation handover", "客户资料 contact list 2024-03-01"}) {
    Xapian::Document doc;
    tg.set_document(doc);
    tg.index_text(baton::normalize_for_index(text));
    doc.set_data(text);
    db.add_document(doc);
  }
  db.commit();
  return std::make_unique<Xapian::Database>(dir + "/db");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::unique_ptr<Xapian::Database> db = make_index();
  if (size == 0) return 0;
  const baton::CjkMode mode = modes[data[0] % std::size(modes)];
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const baton::Synonyms* synonyms = &baton::Synonyms::builtin();
  baton::Synonyms own;
  if (const std::size_t nul = input.find('\0'); nul != std::string_view::npos) {
    own = baton::Synonyms::parse(input.substr(nul + 1));
    synonyms = &own;
    input = input.substr(0, nul);
  }
  // The checks Searcher::search makes before parsing.
  const std::string q(baton::trim(input));
  if (q.size() > baton::max_query_bytes || !baton::is_utf8(q)) return 0;
  auto parsed = baton::parse_query(q);
  if (!parsed) return 0;
  if (baton::trim(parsed->text).empty()) return 0;
  const baton::QueryPlan plan = baton::plan_query(parsed->text, *db, *synonyms, mode);
  if (!plan.corrections.empty()) (void)baton::spelling_suggestion(q, plan.corrections);
  Xapian::Enquire enquire(*db);
  enquire.set_query(plan.query.empty() ? Xapian::Query(baton::schema::unit_prefix) : plan.query);
  (void)enquire.get_mset(0, 10);
  return 0;
}
