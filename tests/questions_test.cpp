#include "baton/questions.h"

#include <catch2/catch.hpp>

#include <xapian.h>

#include "baton/catalog.h"
#include "baton/index.h"
#include "baton/search.h"
#include "test_util.h"

using namespace baton;

namespace {

// A small knowledge base to ask questions of, and a searcher over it that logs nothing.
struct Fixture {
  test::TempDir root, data;
  Fixture() {
    test::write_file(root / "操作手册/退款处理流程.md",
                     "# 退款处理流程\n\n## 审批\n\n200 元以上的退款要主管审批。\n\n## 入库\n\n退货入库后在 ERP 登记。\n");
    test::write_file(root / "操作手册/invoice.md", "# Invoice reconciliation\n\nFinance reconciles invoices every month.\n");
    REQUIRE(sync(data.path(), {root.path()}).ok());
  }
  Searcher open() {
    SearcherOptions options;
    options.log = false;
    auto s = Searcher::open(data.path(), options);
    REQUIRE(s.ok());
    return std::move(s.value());
  }
  Catalog catalog() {
    auto c = Catalog::open(catalog_path(data.path()));
    REQUIRE(c.ok());
    return std::move(c.value());
  }
};

std::vector<Hit> search_hits(Searcher& searcher, const std::string& q) {
  auto r = searcher.search({q, 10, 0});
  REQUIRE(r.ok());
  return r->hits;
}

bool finds_answer(Searcher& searcher, const std::string& q, std::int64_t id) {
  for (const Hit& h : search_hits(searcher, q))
    if (h.kind == "answer" && h.doc == answer_doc_id(id) && h.path == "answers/" + std::to_string(id)) return true;
  return false;
}

}  // namespace

TEST_CASE("questions are the same when only case, width, script, spaces and punctuation differ", "[questions]") {
  CHECK(normalize_question("退款 怎么处理？") == "退款怎么处理");
  CHECK(normalize_question("  退款怎么處理?? ") == "退款怎么处理");
  CHECK(normalize_question("How do I  refund?!") == "how do i refund");
  CHECK(normalize_question("ＨＯＷ do I refund") == "how do i refund");
  CHECK(normalize_question("ERP 里 refund 怎么做") == "erp里refund怎么做");
  // Words stay apart: "log in" is not "login".
  CHECK(normalize_question("log in") != normalize_question("login"));
  CHECK(normalize_question("？！…").empty());
}

TEST_CASE("asking stores the question with the top search hits as suggestions", "[questions]") {
  Fixture f;
  auto searcher = f.open();
  auto asked = ask_question(f.data.path(), searcher, {"退款要谁审批？", "小李", "web"});
  REQUIRE(asked.ok());
  CHECK_FALSE(asked->merged);
  const QuestionRecord& q = asked->question;
  CHECK(q.id > 0);
  CHECK(q.status == "open");
  CHECK(q.count == 1);
  CHECK(q.asker == "小李");
  CHECK(q.channel == "web");
  REQUIRE_FALSE(q.suggestions.empty());
  CHECK(q.suggestions.size() <= static_cast<std::size_t>(suggestion_count));
  CHECK(q.suggestions[0].path == "操作手册/退款处理流程.md");
  auto stored = get_question(f.data.path(), q.id);
  REQUIRE(stored.ok());
  CHECK(stored->suggestions.size() == q.suggestions.size());
  CHECK(stored->question == "退款要谁审批？");
}

TEST_CASE("a repeat of an open question is counted on it, not stored again", "[questions]") {
  Fixture f;
  auto searcher = f.open();
  auto first = ask_question(f.data.path(), searcher, {"退款要谁审批？", "小李", "web"});
  auto again = ask_question(f.data.path(), searcher, {" 退款要谁审批 ", "小王", "api"});
  auto other = ask_question(f.data.path(), searcher, {"退货怎么入库", "小王", "web"});
  REQUIRE((first.ok() && again.ok() && other.ok()));
  CHECK(again->merged);
  CHECK(again->question.id == first->question.id);
  CHECK(again->question.count == 2);
  CHECK(again->question.asker == "小李");  // the first asker's words stay
  CHECK_FALSE(other->merged);
  auto open = list_questions(f.data.path(), "open", 10, 0);
  REQUIRE(open.ok());
  CHECK(open->total == 2);

  // Once answered, the same question asked again is a new open question.
  REQUIRE(answer_question(f.data.path(), first->question.id, {"主管审批。", "老张", {}}).ok());
  auto later = ask_question(f.data.path(), searcher, {"退款要谁审批？", "小赵", "web"});
  REQUIRE(later.ok());
  CHECK_FALSE(later->merged);
  CHECK(later->question.id != first->question.id);
}

TEST_CASE("a platform's retry of an event is not a repeat: same question, not counted", "[questions]") {
  Fixture f;
  auto searcher = f.open();
  auto first = ask_question(f.data.path(), searcher, {"退款要谁审批？", "小李", "dingtalk", "msg-1"});
  auto retry = ask_question(f.data.path(), searcher, {"退款要谁审批？", "小李", "dingtalk", "msg-1"});
  REQUIRE((first.ok() && retry.ok()));
  CHECK(retry->retried);
  CHECK_FALSE(retry->merged);
  CHECK(retry->question.id == first->question.id);
  CHECK(retry->question.count == 1);
  CHECK(retry->question.suggestions.size() == first->question.suggestions.size());
  auto repeat = ask_question(f.data.path(), searcher, {"退款要谁审批？", "小王", "dingtalk", "msg-2"});
  REQUIRE(repeat.ok());
  CHECK(repeat->merged);
  CHECK_FALSE(repeat->retried);
  CHECK(repeat->question.count == 2);
  CHECK(list_questions(f.data.path(), "all", 10, 0)->total == 1);
}

TEST_CASE("bad questions and answers are refused and nothing is stored", "[questions]") {
  Fixture f;
  auto searcher = f.open();
  const auto refused = [&](NewQuestion q) { return !ask_question(f.data.path(), searcher, q).ok(); };
  CHECK(refused({"", "a", "web"}));
  CHECK(refused({"   ", "a", "web"}));
  CHECK(refused({"？？", "a", "web"}));
  CHECK(refused({std::string(max_question_bytes + 1, 'a'), "a", "web"}));
  CHECK(refused({"ok question", std::string(max_asker_bytes + 1, 'a'), "web"}));
  CHECK(refused({"bad \xff utf8", "a", "web"}));
  CHECK(refused({"ok question", "bad \xc3", "web"}));
  CHECK(refused({"ok question", "a", "Web Form"}));
  CHECK(refused({"ok question", "a", ""}));
  CHECK(refused({"ok question", "a", "slack", std::string(max_event_id_bytes + 1, 'e')}));
  CHECK(refused({"ok question", "a", "slack", "bad \xff"}));
  CHECK(list_questions(f.data.path(), "all", 10, 0)->total == 0);
  CHECK(ask_question(f.data.path(), searcher, {std::string(max_question_bytes, 'a'), "", "web"}).ok());

  auto q = ask_question(f.data.path(), searcher, {"who approves refunds", "a", "web"});
  REQUIRE(q.ok());
  const auto id = q->question.id;
  CHECK_FALSE(answer_question(f.data.path(), id, {"", "x", {}}).ok());
  CHECK_FALSE(answer_question(f.data.path(), id, {"text", "", {}}).ok());
  CHECK_FALSE(answer_question(f.data.path(), id, {"text", "x", {"bad \xff"}}).ok());
  CHECK_FALSE(answer_question(f.data.path(), id, {"text", "x", std::vector<std::string>(max_links + 1, "l")}).ok());
  auto missing = answer_question(f.data.path(), 9999, {"text", "x", {}});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == ErrorKind::not_found);
  CHECK(get_question(f.data.path(), id)->status == "open");
  CHECK_FALSE(list_questions(f.data.path(), "pending", 10, 0).ok());
  CHECK_FALSE(list_questions(f.data.path(), "all", 0, 0).ok());
}

TEST_CASE("an answer is searchable at once, by its text and by the question", "[questions]") {
  Fixture f;
  auto searcher = f.open();
  auto q = ask_question(f.data.path(), searcher, {"仓库的钥匙放在哪里？", "小李", "web"});
  REQUIRE(q.ok());
  const auto id = q->question.id;
  CHECK_FALSE(finds_answer(searcher, "钥匙", id));
  auto answered = answer_question(f.data.path(), id, {"在前台抽屉，找行政小陈登记。", "老张", {"https://wiki/keys"}});
  REQUIRE(answered.ok());
  CHECK(answered->indexed);
  CHECK(answered->question.status == "answered");
  CHECK(answered->question.links == std::vector<std::string>{"https://wiki/keys"});
  CHECK(finds_answer(searcher, "前台抽屉", id));
  CHECK(finds_answer(searcher, "钥匙", id));
  CHECK(finds_answer(searcher, "kind:answer 行政", id));
  auto doc = searcher.document(answer_doc_id(id));
  REQUIRE(doc.ok());
  CHECK(doc->kind == "answer");
  CHECK(doc->author == "老张");

  // A new answer replaces the old one in the index; closing keeps it searchable.
  REQUIRE(answer_question(f.data.path(), id, {"钥匙现在在保安室。", "老张", {}}).ok());
  CHECK(finds_answer(searcher, "保安室", id));
  CHECK_FALSE(finds_answer(searcher, "前台抽屉", id));
  auto closed = close_question(f.data.path(), id);
  REQUIRE(closed.ok());
  CHECK(closed->status == "closed");
  CHECK(finds_answer(searcher, "保安室", id));
  CHECK(list_questions(f.data.path(), "closed", 10, 0)->total == 1);
}

TEST_CASE("an answer given while a sync holds the lock is written by that sync", "[questions]") {
  Fixture f;
  auto searcher = f.open();
  auto q = ask_question(f.data.path(), searcher, {"where is the spare router", "a", "web"});
  REQUIRE(q.ok());
  const auto id = q->question.id;
  std::optional<Result<AnswerOutcome>> answered;
  {
    // Xapian's lock as a running sync holds it: the answer is stored, not yet indexed.
    std::vector<Xapian::WritableDatabase> held;
    for (const auto& shard : {"shard0", "shard1"})
      held.emplace_back((index_path(f.data.path()) / shard).string(), Xapian::DB_OPEN);
    auto c = f.catalog();
    REQUIRE(c.answer_question(id, "in the server room cabinet", "it", {}));
    auto written = index_answers(f.data.path(), std::chrono::milliseconds(200));
    REQUIRE_FALSE(written.ok());
    CHECK(written.error().kind == ErrorKind::unavailable);
  }
  CHECK(f.catalog().answers_to_index().size() == 1);
  CHECK_FALSE(finds_answer(searcher, "cabinet", id));
  auto r = sync(f.data.path(), {f.root.path()});
  REQUIRE(r.ok());
  CHECK(r->answers == 1);
  CHECK(finds_answer(searcher, "cabinet", id));
  CHECK(f.catalog().answers_to_index().empty());
}

TEST_CASE("answers come back from the catalog when the index is rebuilt", "[questions]") {
  Fixture f;
  auto searcher = f.open();
  auto q = ask_question(f.data.path(), searcher, {"谁负责续签域名", "小李", "web"});
  REQUIRE(q.ok());
  const auto id = q->question.id;
  REQUIRE(answer_question(f.data.path(), id, {"域名由运维老王续签，每年三月。", "老王", {}})->indexed);

  SECTION("the index folder deleted") {
    std::filesystem::remove_all(index_path(f.data.path()));
    auto r = sync(f.data.path(), {f.root.path()});
    REQUIRE(r.ok());
    CHECK(r->answers == 1);
    CHECK(r->added == 2);  // the files came back too
  }
  SECTION("an index of another version") {
    f.catalog().set_meta("index_version", "0");
    auto r = sync(f.data.path(), {f.root.path()});
    REQUIRE(r.ok());
    CHECK(r->answers == 1);
  }
  SECTION("a plain re-sync rewrites nothing") {
    auto r = sync(f.data.path(), {f.root.path()});
    REQUIRE(r.ok());
    CHECK(r->answers == 0);
  }
  auto fresh = f.open();
  CHECK(finds_answer(fresh, "续签域名", id));
  CHECK(finds_answer(fresh, "运维老王", id));
  CHECK(get_question(f.data.path(), id)->answer == "域名由运维老王续签，每年三月。");
}
