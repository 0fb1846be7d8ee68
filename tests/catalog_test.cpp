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
