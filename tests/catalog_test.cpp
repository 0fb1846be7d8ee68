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
    catalog->put_documents("s1", {{"d1", "s1", "/root", "a/退款.md", "退款处理", "manual", "2025-01-01", "林", 2}});
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
