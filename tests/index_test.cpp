#include "baton/index.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "baton/catalog.h"
#include "baton/search.h"
#include "test_util.h"

using namespace baton;
namespace fs = std::filesystem;

namespace {

SyncSummary sync_ok(const fs::path& data, const fs::path& root) {
  auto r = sync(data, {root});
  if (!r) FAIL(r.error().message);
  return r.value();
}

std::uint64_t hits(const fs::path& data, const std::string& q) {
  auto searcher = Searcher::open(data);
  REQUIRE(searcher.ok());
  auto r = searcher->search({q, 10, 0});
  REQUIRE(r.ok());
  return r->hits.size();
}

// Changes mtime the way an editor saving the file would, even within one clock tick.
void bump_mtime(const fs::path& p) {
  fs::last_write_time(p, fs::last_write_time(p) + std::chrono::seconds(5));
}

}  // namespace

TEST_CASE("sync indexes a folder, then reads only what changed", "[index]") {
  test::TempDir root, data;
  test::write_file(root / "操作手册/退款.md", "# 退款流程\n\n买家申请退款后两小时内处理。\n");
  test::write_file(root / "交接/值班.txt", test::gbk_sentence);
  test::write_file(root / "notes/english.md", "# Invoices\n\nMonthly invoice reconciliation with finance.\n");
  test::write_file(root / "ignored.exe", "MZ");
  test::write_file(root / ".git/config.txt", "hidden folders are not indexed");

  auto first = sync_ok(data.path(), root.path());
  CHECK(first.scanned == 3);
  CHECK(first.added == 3);
  CHECK(first.failed == 0);
  CHECK(first.by_format["markdown"] == 2);
  CHECK(first.by_format["text"] == 1);
  CHECK(hits(data.path(), "值班") == 1);
  CHECK(hits(data.path(), "hidden") == 0);

  SECTION("nothing changed: nothing is read") {
    auto again = sync_ok(data.path(), root.path());
    CHECK(again.unchanged == 3);
    CHECK(again.added + again.updated + again.removed + again.units == 0);
  }
  SECTION("a touched file is hashed but not re-extracted") {
    bump_mtime(root / "交接/值班.txt");
    auto again = sync_ok(data.path(), root.path());
    CHECK(again.unchanged == 3);
    CHECK(again.units == 0);
  }
  SECTION("an edited file is re-indexed, its old text gone") {
    test::write_file(root / "操作手册/退款.md", "# 换货流程\n\n同款同规格更换。\n");
    bump_mtime(root / "操作手册/退款.md");
    auto again = sync_ok(data.path(), root.path());
    CHECK(again.updated == 1);
    CHECK(hits(data.path(), "两小时") == 0);
    CHECK(hits(data.path(), "换货") == 1);
  }
  SECTION("a deleted file is dropped from the index and the catalog") {
    fs::remove(root / "notes/english.md");
    auto again = sync_ok(data.path(), root.path());
    CHECK(again.removed == 1);
    CHECK(hits(data.path(), "reconciliation") == 0);
    auto catalog = Catalog::open(catalog_path(data.path()));
    CHECK(catalog->counts().sources == 2);
  }
  SECTION("a file that turns bad is reported, keeps its last good text and is not retried") {
    test::write_file(root / "交接/值班.txt", std::string("\0\0\x01\x02garbage", 10));
    bump_mtime(root / "交接/值班.txt");
    auto again = sync_ok(data.path(), root.path());
    CHECK(again.failed == 1);
    REQUIRE(again.failures.size() == 1);
    CHECK(again.failures[0].path == "交接/值班.txt");
    CHECK_THAT(again.failures[0].reason, Catch::Contains("binary"));
    CHECK(hits(data.path(), "值班") == 1);

    auto third = sync_ok(data.path(), root.path());
    CHECK(third.skipped == 1);
    CHECK(third.failed == 0);
  }
}

TEST_CASE("sync gives clear errors for bad roots and data dirs", "[index]") {
  test::TempDir tmp;
  auto missing = sync(tmp / "data", {tmp / "no-such-folder"});
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.error().message, Catch::Contains("no such folder"));

  test::write_file(tmp / "file.md", "# x");
  auto not_dir = sync(tmp / "data", {tmp / "file.md"});
  REQUIRE_FALSE(not_dir.ok());
  CHECK_THAT(not_dir.error().message, Catch::Contains("not a folder"));

  fs::create_directories(tmp / "root");
  auto bad_data = sync(tmp / "file.md" / "data", {tmp / "root"});
  REQUIRE_FALSE(bad_data.ok());
  CHECK_THAT(bad_data.error().message, Catch::Contains("data dir"));
}

TEST_CASE("a second writer is refused while one holds the index", "[index]") {
  test::TempDir root, data;
  const std::string body = std::string("# 标题\n\n").append(20000, 'a');
  for (int i = 0; i < 200; ++i) test::write_file(root / ("f" + std::to_string(i) + ".md"), body);
  std::optional<Result<SyncSummary>> slow;
  std::thread t([&] { slow.emplace(sync(data.path(), {root.path()})); });
  // Wait until the first writer has created the index, then try to write beside it.
  for (int i = 0; i < 500 && !fs::exists(index_path(data.path()) / "flintlock"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  auto second = sync(data.path(), {root.path()});
  t.join();
  REQUIRE(slow->ok());
  if (!second.ok()) CHECK_THAT(second.error().message, Catch::Contains("another"));
}
