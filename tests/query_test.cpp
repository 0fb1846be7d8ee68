#include "baton/query.h"

#include <catch2/catch.hpp>

#include "test_util.h"

#include "baton/index.h"
#include "baton/text.h"

using namespace baton;

TEST_CASE("filters typed in the query box are taken out of the text", "[query]") {
  auto p = parse_query("kind:manual client:\"瑞丰 贸易\" 退款 after:2024-1 http://x.cn 10:30");
  REQUIRE(p.ok());
  CHECK(p->text == "退款 http://x.cn 10:30");
  CHECK(p->filters.kind == "manual");
  CHECK(p->filters.client == "瑞丰 贸易");
  CHECK(p->filters.after == "2024-01-01");
  // A full-width colon, typed with a Chinese input method, works too.
  auto fw = parse_query("退货 year：2025");
  REQUIRE(fw.ok());
  CHECK(fw->text == "退货");
  CHECK(fw->filters.year == "2025");
}

TEST_CASE("bad filter values are errors that say what is expected", "[query]") {
  CHECK_FALSE(parse_query("kind:novel 退款").ok());
  CHECK_FALSE(parse_query("after:yesterday").ok());
  CHECK_FALSE(parse_query("before:2024-13-01").ok());
  CHECK_FALSE(parse_query("year:24").ok());
  Filters f;
  f.before = "2024";
  REQUIRE(check_filters(f).ok());
  CHECK(f.before == "2024-12-31");
}

TEST_CASE("synonym groups match across scripts and forms", "[query]") {
  const Synonyms s = Synonyms::parse("# comment\n退款, 退货款，refund\n工单、ticket\nsingle\n客户, customer # trailing comment\n");
  CHECK(s.size() == 3);
  const auto refund = s.of("退款");
  CHECK(std::find(refund.begin(), refund.end(), "refund") != refund.end());
  CHECK(std::find(refund.begin(), refund.end(), "退货款") != refund.end());
  // Traditional input is folded before matching; an English plural finds its stem's group.
  CHECK_FALSE(s.of(normalize_for_index("退貨款")).empty());
  CHECK_FALSE(s.of("refunds").empty());
  CHECK_FALSE(s.of("tickets").empty());
  CHECK(s.of("single").empty());
  const std::string text = "怎么退货款";
  CHECK(s.longest_at(text, 6) == std::string("退货款").size());
  CHECK(s.longest_at(text, 0) == 0);
}

TEST_CASE("the built-in synonyms are the repository's data/synonyms", "[query]") {
  CHECK(Synonyms::builtin().size() > 40);
  CHECK_FALSE(Synonyms::builtin().of("工单").empty());
}

TEST_CASE("Traditional Chinese and full-width forms fold to what the index holds", "[query][text]") {
  CHECK(normalize_for_index("報價調整") == "报价调整");
  CHECK(normalize_for_index("網路設定") == "网路设定");
  CHECK(normalize_for_index("ＤＨＣＰ設定") == "dhcp设定");
  CHECK(fold_cjk(U'價') == U'价');
  CHECK(fold_cjk(U'价') == U'价');
  CHECK(fold_cjk(U'Ａ') == U'a');
}

TEST_CASE("the suggestion is the query as typed with the corrected words replaced", "[query]") {
  const std::vector<std::pair<std::string, std::string>> fixes = {{"reconcilation", "reconciliation"}};
  CHECK(spelling_suggestion("Invoice Reconcilation client:reconcilation 对账", fixes) ==
        "Invoice reconciliation client:reconcilation 对账");
  CHECK(spelling_suggestion("invoice", {}).empty());
}

namespace {

// An in-memory index of Chinese sections, written as the indexer writes CJK (n-grams with positions).
Xapian::Database chinese_index(const std::vector<std::string>& sections) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  Xapian::TermGenerator tg;
  tg.set_flags(schema::cjk_flags);
  for (const auto& text : sections) {
    Xapian::Document doc;
    tg.set_document(doc);
    tg.index_text(text);
    doc.set_data(text);
    db.add_document(doc);
  }
  return db;
}

std::vector<std::string> top(const Xapian::Database& db, const Xapian::Query& query) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  std::vector<std::string> out;
  const Xapian::MSet mset = enquire.get_mset(0, 10);
  for (auto m = mset.begin(); m != mset.end(); ++m) out.push_back(m.get_document().get_data());
  return out;
}

}  // namespace

TEST_CASE("friso reads a Chinese run as its dictionary words, covering every character", "[query][friso]") {
  const Xapian::Database db = chinese_index({});
  const Synonyms none = Synonyms::parse("");
  CHECK(plan_query("退款审批流程", db, none, CjkMode::friso).terms == std::vector<std::string>{"退款", "审批", "流程"});
  // A three-character word stays whole; the stop word 怎么 is dropped.
  CHECK(plan_query("虚拟机怎么装", db, none, CjkMode::friso).terms == std::vector<std::string>{"虚拟机", "装"});
  // friso skips characters beyond its tables (CJK Extension B): they are still searched.
  CHECK(plan_query("测试𠀀流程", db, none, CjkMode::friso).terms == std::vector<std::string>{"测试", "𠀀", "流程"});
}

TEST_CASE("the friso modes find the section that has the query's words", "[query][friso]") {
  const Xapian::Database db = chinese_index({"虚拟内存不足时的处理", "在服务器上安装虚拟机的步骤", "机房空调的维修"});
  const Synonyms none = Synonyms::parse("");
  for (CjkMode mode : {CjkMode::friso, CjkMode::friso_bigrams}) {
    CAPTURE(cjk_mode_name(mode));
    CHECK(parse_cjk_mode(cjk_mode_name(mode)) == mode);
    const auto hits = top(db, plan_query("虚拟机怎么装", db, none, mode).query);
    REQUIRE_FALSE(hits.empty());
    CHECK(hits.front() == "在服务器上安装虚拟机的步骤");
  }
  // Words only: 虚拟机 is a phrase that 虚拟内存 does not have.
  CHECK(top(db, plan_query("虚拟机怎么装", db, none, CjkMode::friso).query).size() == 1);
}

TEST_CASE("coverage weighs a concept by its rarity and counts a synonym or a whole phrase", "[query]") {
  // 退款 is in one section of four, 流程 in all: missing 流程 costs little, missing 退款 much.
  const Xapian::Database db = chinese_index({"退款流程", "入库流程", "盘点流程", "发货流程"});
  const Synonyms synonyms = Synonyms::parse("退款, 退货款\n");
  const QueryPlan plan = plan_query("退款 流程", db, synonyms, CjkMode::words);
  REQUIRE(plan.concepts.size() == 2);
  CHECK(plan.concepts[0].weight > plan.concepts[1].weight);
  CHECK(coverage(plan, {"退款", "流程"}) == Approx(1.0));
  CHECK(coverage(plan, {"退款"}) > 0.8);
  CHECK(coverage(plan, {"流程"}) < 0.2);
  CHECK(coverage(plan, {}) == Approx(0.0));
  // The synonym 退货款 (a three-character word: a phrase of its characters) counts only whole.
  REQUIRE(plan.concepts[0].forms.size() == 2);
  CHECK(plan.concepts[0].forms[1] == std::vector<std::string>{"退", "货", "款"});
  CHECK(coverage(plan, {"退", "货", "款", "流程"}) == Approx(1.0));
  CHECK(coverage(plan, {"退", "款", "流程"}) < 0.2);
}

TEST_CASE("a query of one concept, or of concepts the index lacks, has full coverage", "[query]") {
  const Xapian::Database db = chinese_index({"退款流程"});
  const Synonyms none = Synonyms::parse("");
  CHECK(coverage(plan_query("退款", db, none, CjkMode::words), {"退款"}) == Approx(1.0));
  CHECK(coverage(plan_query("unicorn rainbow", db, none, CjkMode::words), {}) == Approx(1.0));
}

TEST_CASE("a word the documents have is corrected only if it is rare and one slip from a more common word", "[query][spelling]") {
  test::TempDir dir;  // the in-memory backend has no spelling table
  Xapian::WritableDatabase db((dir / "db").string(), Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
  const Xapian::Stem stem("english");
  auto add = [&](const std::string& word, int times) {
    for (int i = 0; i < times; ++i) {
      Xapian::Document doc;
      doc.add_term("Z" + stem(word));
      db.add_document(doc);
    }
    db.add_spelling(word, static_cast<Xapian::termcount>(times));
  };
  add("salmon", 1);
  add("daemon", 50);
  add("recieve", 1);  // a typo that made it into one document
  add("receive", 40);
  add("better", 12);  // a word of many sections, one slip from a more common one
  add("letter", 60);
  const Synonyms none = Synonyms::parse("");
  // Two letters from daemon: a word of its own.
  CHECK(plan_query("salmon", db, none, CjkMode::words).corrections.empty());
  const auto typo = plan_query("recieve", db, none, CjkMode::words).corrections;
  REQUIRE(typo.size() == 1);
  CHECK(typo.front().second == "receive");
  // In ten sections or more (one in a thousand of a large index): a word of the documents, not "letter".
  CHECK(plan_query("better", db, none, CjkMode::words).corrections.empty());
}
