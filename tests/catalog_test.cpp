#include "baton/catalog.h"

#include <catch2/catch.hpp>

#include "test_util.h"

using namespace baton;

TEST_CASE("catalog stores sources and documents and survives a reopen", "[catalog]") {
  test::TempDir dir;
  {
    auto catalog = Catalog::open(dir / "baton.db");
    REQUIRE(catalog.ok());
    SourceRecord s{"s1", "/root", "a/退款.md", 10, 20, "h1", "markdown", "UTF-8", false, "", 2};
    catalog->put_source(s);
    DocumentRecord d;
    d.id = "d1";
    d.source_id = "s1";
    d.title = "退款处理";
    d.kind = "manual";
    d.date = "2025-01-01";
    d.author = "林";
    d.units = 2;
    d.format = "mail";
    d.thread = "root@x";
    d.participants = {"陈昱 <chen@ruifeng-trade.com>"};
    d.organisations = {"ruifeng-trade.com"};
    catalog->put_documents("s1", {d});
    s.size = 11;
    catalog->put_source(s);  // an update must not drop the source's documents
  }
  auto catalog = Catalog::open(dir / "baton.db");
  REQUIRE(catalog.ok());
  auto sources = catalog->sources_under("/root");
  REQUIRE(sources.count("a/退款.md") == 1);
  CHECK(sources["a/退款.md"].size == 11);
  auto doc = catalog->document("d1");
  REQUIRE(doc);
  CHECK(doc->title == "退款处理");
  CHECK(doc->path == "a/退款.md");
  CHECK(doc->thread == "root@x");
  CHECK(doc->participants == std::vector<std::string>{"陈昱 <chen@ruifeng-trade.com>"});
  CHECK(doc->organisations == std::vector<std::string>{"ruifeng-trade.com"});

  SourceRecord moved = sources["a/退款.md"];
  moved.path = "b/退款.md";  // a rename keeps the id and the documents
  catalog->put_source(moved);
  CHECK(catalog->sources_under("/root").count("b/退款.md") == 1);
  CHECK(catalog->document("d1")->path == "b/退款.md");
  CHECK(catalog->has_source("s1"));
  CHECK_FALSE(catalog->has_source("s2"));
  CHECK(catalog->counts().units == 2);

  catalog->remove_source("s1");
  CHECK_FALSE(catalog->document("d1"));
  CHECK(catalog->counts().documents == 0);
}

TEST_CASE("catalog transactions roll back on error", "[catalog]") {
  test::TempDir dir;
  auto catalog = Catalog::open(dir / "baton.db");
  REQUIRE(catalog.ok());
  CHECK_THROWS(catalog->transaction([&] {
    catalog->set_meta("k", "v");
    throw std::runtime_error("boom");
  }));
  CHECK_FALSE(catalog->meta("k"));
}

TEST_CASE("catalog refuses a schema from a newer Baton and an unopenable file", "[catalog]") {
  test::TempDir dir;
  {
    auto catalog = Catalog::open(dir / "baton.db");
    REQUIRE(catalog.ok());
    catalog->exec("PRAGMA user_version=999");
  }
  auto newer = Catalog::open(dir / "baton.db");
  REQUIRE_FALSE(newer.ok());
  CHECK_THAT(newer.error().message, Catch::Contains("newer"));

  auto missing = Catalog::open(dir / "no/such/dir/baton.db");
  CHECK_FALSE(missing.ok());
}

TEST_CASE("a platform's retried event is not counted again, and event ids are kept for a bounded time", "[catalog]") {
  test::TempDir dir;
  auto catalog = Catalog::open(dir / "baton.db");
  REQUIRE(catalog.ok());
  QuestionRecord q;
  q.question = "退款流程？";
  q.normalized = "退款流程";
  q.channel = "feishu";
  const AskedQuestion first = catalog->ask_question(q, "ev-1");
  CHECK_FALSE(first.merged);
  CHECK_FALSE(first.retried);
  const AskedQuestion retry = catalog->ask_question(q, "ev-1");
  CHECK(retry.retried);
  CHECK_FALSE(retry.merged);
  CHECK(retry.question.id == first.question.id);
  CHECK(retry.question.count == 1);
  CHECK(catalog->question_count("all") == 1);

  // Another event with the same text is a real repeat; the same id from another platform is another event.
  CHECK(catalog->ask_question(q, "ev-2").merged);
  QuestionRecord other = q;
  other.channel = "slack";
  const AskedQuestion slack = catalog->ask_question(other, "ev-1");
  CHECK_FALSE(slack.retried);
  CHECK(slack.question.count == 3);
  CHECK(catalog->ask_question(q, "").question.count == 4);  // no event id: every asking counts
  CHECK(catalog->event_count() == 3);

  // An event id older than the retention time counts as new and is deleted when the next is recorded.
  catalog->exec("UPDATE webhook_events SET seen_at = seen_at - 3 * 24 * 3600 WHERE event_id = 'ev-1'");
  CHECK_FALSE(catalog->event_question("feishu", "ev-1"));
  CHECK(catalog->ask_question(q, "ev-3").question.count == 5);
  CHECK(catalog->event_count() == 2);
  CHECK(catalog->event_question("feishu", "ev-2") == first.question.id);
}
