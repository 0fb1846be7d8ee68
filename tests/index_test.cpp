#include "baton/index.h"

#include <xapian.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <thread>

#include "baton/catalog.h"
#include "baton/search.h"
#include "index_internal.h"  // UnitBuilder is internal to the index module
#include "test_util.h"

using namespace baton;
namespace fs = std::filesystem;

namespace {

SyncSummary sync_ok(const fs::path& data, const fs::path& root) {
  auto r = sync(data, {root});
  if (!r) FAIL(r.error().message);
  return r.value();
}

using test::hits;

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
  CHECK(first.by_format["markdown"].added == 2);
  CHECK(first.by_format["text"].added == 1);
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
  SECTION("a renamed or moved file is not extracted again and keeps its ids") {
    auto searcher = Searcher::open(data.path());
    REQUIRE(searcher.ok());
    const auto before = searcher->search({"reconciliation", 1, 0});
    REQUIRE(before.ok());
    REQUIRE(before->hits.size() == 1);
    fs::create_directories(root / "操作手册");
    fs::rename(root / "notes/english.md", root / "操作手册/invoices.md");
    auto again = sync_ok(data.path(), root.path());
    CHECK(again.renamed == 1);
    CHECK(again.added + again.removed + again.units == 0);
    auto after = Searcher::open(data.path())->search({"reconciliation", 1, 0});
    REQUIRE(after.ok());
    REQUIRE(after->hits.size() == 1);
    CHECK(after->hits[0].path == "操作手册/invoices.md");
    CHECK(after->hits[0].id == before->hits[0].id);
    CHECK(after->hits[0].kind == "manual");  // the new folder says so
    CHECK(before->hits[0].kind == "record");

    // A new file at the old path is a new document, not a clash with the moved one.
    test::write_file(root / "notes/english.md", "# Other\n\nA different note about reconciliation.\n");
    auto third = sync_ok(data.path(), root.path());
    CHECK(third.added == 1);
    CHECK(hits(data.path(), "reconciliation") == 2);
  }
  SECTION("a .baton-kind file overrides the kind of its folder") {
    test::write_file(root / "notes/.baton-kind", "manual\n");
    test::write_file(root / "notes/deeper/x.md", "# 值守\n\n夜间值守规则。\n");
    sync_ok(data.path(), root.path());
    auto r = Searcher::open(data.path())->search({"值守", 1, 0});
    REQUIRE(r.ok());
    REQUIRE(r->hits.size() == 1);
    CHECK(r->hits[0].kind == "manual");
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

TEST_CASE("sync reads a file without an extension by its content and counts the rest as not read", "[index]") {
  test::TempDir root, data;
  test::write_file(root / "maildir/inbox/1.", "Message-ID: <1@example.com>\nFrom: 王磊 <wang@ruifeng.cn>\nSubject: 对账\n\n瑞丰的对账单已发。\n");
  test::write_file(root / "Inbox", "From - Mon Jan 01 00:00:00 2001\nFrom: a@example.com\nSubject: one\n\nContract renewal.\n\n"
                                   "From - Tue Jan 02 00:00:00 2001\nFrom: b@example.com\nSubject: two\n\nInvoice shipped.\n");
  test::write_file(root / "README", "值班交接：周一早上先看工单。\n");
  test::write_file(root / "tool", std::string("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0", 20));
  auto first = sync_ok(data.path(), root.path());
  CHECK(first.added == 3);
  CHECK(first.failed == 0);
  CHECK(first.by_format["mail"].added == 1);
  CHECK(first.by_format["mbox"].added == 1);
  CHECK(first.by_format["text"].added == 1);
  CHECK(first.unsupported[""] == 1);  // the program
  CHECK(hits(data.path(), "对账单") == 1);
  CHECK(hits(data.path(), "invoice") == 1);
  CHECK(hits(data.path(), "工单") == 1);
  const auto again = sync_ok(data.path(), root.path());
  CHECK(again.unchanged == 3);
  CHECK(again.added + again.updated + again.failed == 0);
}

TEST_CASE("sync handles many files with several workers and small batches", "[index]") {
  test::TempDir root, data;
  for (int i = 0; i < 300; ++i)
    test::write_file(root / ("d" + std::to_string(i % 7) + "/f" + std::to_string(i) + ".md"),
                     "# 文档" + std::to_string(i) + "\n\n编号 n" + std::to_string(i) + " 的内容。\n");
  SyncOptions options;
  options.threads = 4;
  options.batch_files = 7;
  std::size_t progress_calls = 0;
  options.on_progress = [&](const SyncProgress& p) {
    ++progress_calls;
    CHECK(p.done <= p.total);
  };
  auto r = sync(data.path(), {root.path()}, options);
  REQUIRE(r.ok());
  CHECK(r->added == 300);
  CHECK(progress_calls == 300);
  CHECK(hits(data.path(), "n299") == 1);
  CHECK(hits(data.path(), "n0") == 1);
  auto catalog = Catalog::open(catalog_path(data.path()));
  CHECK(catalog->counts().sources == 300);
  CHECK(catalog->counts().documents == 300);
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
  // Wait until the first writer is creating the index, then try to write beside it.
  for (int i = 0; i < 15000 && !fs::exists(index_path(data.path()) / "shard0" / "flintlock"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  auto second = sync(data.path(), {root.path()});
  t.join();
  // Whichever holds the lock writes and the other is refused with a clear message. Not necessarily the
  // first: the lock file appears a moment before Xapian holds the lock, and the second writer can take
  // it in between (seen on a loaded machine).
  REQUIRE((slow->ok() || second.ok()));
  for (const auto* r : {&*slow, &second})
    if (!r->ok()) CHECK_THAT(r->error().message, Catch::Contains("another"));
  CHECK(hits(data.path(), "标题") > 0);
}

TEST_CASE("an index of another version is refused by search and rebuilt by the next sync", "[index]") {
  test::TempDir root, data;
  test::write_file(root / "操作手册/退款.md", "# 退款流程\n\n买家申请退款后两小时内处理。\n");
  sync_ok(data.path(), root.path());
  {
    auto catalog = Catalog::open(catalog_path(data.path()));
    REQUIRE(catalog.ok());
    catalog->set_meta("index_version", "2");
  }
  auto refused = Searcher::open(data.path());
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message, Catch::Contains("another version") && Catch::Contains("baton index"));
  const SyncSummary again = sync_ok(data.path(), root.path());
  CHECK(again.added == 1);  // read again, not taken as unchanged
  CHECK(hits(data.path(), "退款") == 1);
}

TEST_CASE("the spelling table counts what the index holds, however often files were re-indexed", "[index][spelling]") {
  test::TempDir root, data, fresh;
  const auto spellings = [](const fs::path& dir) {
    std::map<std::string, Xapian::doccount> out;
    Xapian::Database db(index_path(dir).string());
    for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) out[*it] = it.get_termfreq();
    return out;
  };
  test::write_file(root / "a.md", "# Reconciliation\n\nMonthly invoice reconciliation.\n\n## Invoice\n\nInvoice twice.\n");
  test::write_file(root / "b.md", "# Gone\n\nObsolete paragraph.\n");
  sync_ok(data.path(), root.path());
  CHECK(spellings(data.path()).count("obsolete") == 1);
  // Changed three times, one deleted: counts as if indexed once from the tree as it is now.
  for (int i = 0; i < 3; ++i) {
    test::write_file(root / "a.md", "# Reconciliation\n\nMonthly invoice reconciliation " + std::to_string(i) + ".\n");
    bump_mtime(root / "a.md");
    sync_ok(data.path(), root.path());
  }
  fs::remove(root / "b.md");
  sync_ok(data.path(), root.path());
  sync_ok(fresh.path(), root.path());
  CHECK(spellings(data.path()) == spellings(fresh.path()));
  CHECK(spellings(data.path()).count("obsolete") == 0);  // no "did you mean" a word no document has
}

TEST_CASE("a document's facets pack into one value and back", "[index][facets]") {
  const schema::Facets f{"0123456789abcdef", "communication", "mail", "2024", {"瑞丰贸易", "Acme Ltd"}, {}, "张伟"};
  const schema::Facets back = schema::unpack_facets(schema::pack_facets(f));
  CHECK(back.doc == f.doc);
  CHECK(back.kind == f.kind);
  CHECK(back.format == f.format);
  CHECK(back.year == f.year);
  CHECK(back.clients == f.clients);
  CHECK(back.projects.empty());
  CHECK(back.author == f.author);
  // Empty fields stay in their places.
  const schema::Facets sparse = schema::unpack_facets(schema::pack_facets({"d", "", "pdf", "", {}, {"Alpha"}, ""}));
  CHECK(sparse.kind.empty());
  CHECK(sparse.format == "pdf");
  CHECK(sparse.projects == std::vector<std::string>{"Alpha"});
  // Short or foreign values never throw: the missing fields are empty.
  CHECK(schema::unpack_facets("").doc.empty());
  CHECK(schema::unpack_facets("only-doc").doc == "only-doc");
  CHECK(schema::unpack_facets("only-doc").author.empty());
}

// Issue 7: a sync died once with SIGSEGV. Workers build units and a writer thread adds and destroys
// them, but each worker's TermGenerators kept a handle to the last unit built and dropped it at the
// next build: Xapian's reference counts are not atomic, so that raced with the writer's copies (its
// add_document takes one) and could free a unit twice. The builder must keep no handle to a unit.
TEST_CASE("the units a builder returns share nothing with it, so another thread may take them", "[index]") {
  detail::UnitBuilder builder;
  Document doc;
  doc.id = "0123456789abcdef";
  doc.title = "Refunds 退款流程";
  doc.format = "markdown";
  doc.sections = {{{}, 0, "Buyers ask for a refund. 买家申请退款后两小时内处理。"},
                  {{"Deadlines"}, 1, "Two hours 两小时."}};
  for (int round = 0; round < 2; ++round) {  // the second build drops what the first might have kept
    const auto units = builder.build("source", "/root", doc, {});
    REQUIRE(units.size() == 2);
    for (const auto& unit : units) {
      CHECK(unit.termlist_count() > 0);
      CHECK_FALSE(builder.holds(unit));
    }
  }
}
