#include "baton/search.h"

#include <catch2/catch.hpp>

#include "baton/index.h"
#include "baton/text.h"
#include "test_util.h"

using namespace baton;

namespace {

// A small knowledge base indexed once per test case.
struct Fixture {
  test::TempDir root, data;
  Fixture() {
    test::write_file(root / "操作手册/退款处理流程.md",
                     "# 退款处理流程\n\n## 审批\n\n200 元以上的退款要主管审批。\n\n## 入库\n\n退货入库后在 ERP 登记。\n");
    test::write_file(root / "操作手册/invoice.md",
                     "# Invoice reconciliation\n\nFinance reconciles invoices every month.\n\n"
                     "## Credit notes\n\nIssue a credit note for refunded orders.\n");
    test::write_file(root / "客户/xss.txt", "<script>alert(1)</script>\n<img src=x onerror=alert(2)> 瑞丰贸易的联系人\n");
    std::string long_text;
    for (int i = 0; i < 200; ++i) long_text += "第" + std::to_string(i) + "条：大促期间每两小时报一次数。\n";
    test::write_file(root / "交接/long.md", "# 值班\n\n" + long_text);
    auto r = sync(data.path(), {root.path()});
    REQUIRE(r.ok());
  }
  Searcher open() {
    auto s = Searcher::open(data.path());
    REQUIRE(s.ok());
    return std::move(s.value());
  }
};

}  // namespace

TEST_CASE("a Chinese query finds the section and highlights the word as one mark", "[search]") {
  Fixture f;
  auto searcher = f.open();
  auto r = searcher.search({"退款", 10, 0});
  REQUIRE(r.ok());
  REQUIRE_FALSE(r->hits.empty());
  const Hit& top = r->hits.front();
  CHECK(top.path == "操作手册/退款处理流程.md");
  CHECK(top.title == "退款处理流程");
  CHECK(top.kind == "manual");
  CHECK(top.section == "审批");
  CHECK_THAT(top.snippet, Catch::Contains("<mark>退款</mark>"));
  CHECK(top.id.rfind(top.doc + "-", 0) == 0);
}

TEST_CASE("an English query is stemmed", "[search]") {
  Fixture f;
  auto searcher = f.open();
  auto r = searcher.search({"invoice reconciling", 10, 0});
  REQUIRE(r.ok());
  REQUIRE_FALSE(r->hits.empty());
  CHECK(r->hits.front().path == "操作手册/invoice.md");
  CHECK_THAT(r->hits.front().snippet, Catch::Contains("<mark>"));
}

TEST_CASE("when no section has every word, sections with some of them still come back", "[search]") {
  Fixture f;
  auto searcher = f.open();
  auto r = searcher.search({"credit note unicorn", 10, 0});
  REQUIRE(r.ok());
  REQUIRE_FALSE(r->hits.empty());
  CHECK(r->hits.front().section == "Credit notes");
}

TEST_CASE("document text is escaped in snippets and document views", "[search]") {
  Fixture f;
  auto searcher = f.open();
  auto r = searcher.search({"瑞丰贸易", 10, 0});
  REQUIRE(r.ok());
  REQUIRE(r->hits.size() == 1);
  CHECK_THAT(r->hits[0].snippet, !Catch::Contains("<img") && Catch::Contains("&gt;"));

  auto doc = searcher.document(r->hits[0].id, "瑞丰贸易");
  REQUIRE(doc.ok());
  REQUIRE(doc->sections.size() == 1);
  CHECK_THAT(doc->sections[0].html, Catch::StartsWith("&lt;script&gt;alert(1)&lt;/script&gt;\n&lt;img src=x"));
}

TEST_CASE("the document view holds every section in order, highlighted and complete", "[search]") {
  Fixture f;
  auto searcher = f.open();
  auto r = searcher.search({"入库", 10, 0});
  REQUIRE(r.ok());
  REQUIRE_FALSE(r->hits.empty());
  auto doc = searcher.document(r->hits[0].id, "入库");
  REQUIRE(doc.ok());
  CHECK(doc->title == "退款处理流程");
  CHECK(doc->unit == r->hits[0].id);
  REQUIRE(doc->sections.size() == 2);  // the title heading has no text of its own: no unit
  CHECK(doc->sections[0].heading == "审批");
  CHECK(doc->sections[0].html == "200 元以上的退款要主管审批。");
  CHECK(doc->sections[1].heading == "入库");
  CHECK(doc->sections[1].html == "退货<mark>入库</mark>后在 ERP 登记。");

  // A long text is split into several units; the view still shows every word of it, nothing cut.
  auto long_hit = searcher.search({"两小时", 1, 0});
  REQUIRE(long_hit.ok());
  REQUIRE(long_hit->hits.size() == 1);
  auto long_doc = searcher.document(long_hit->hits[0].doc, "两小时");
  REQUIRE(long_doc.ok());
  CHECK(long_doc->sections.size() > 1);
  std::string all;
  for (const auto& s : long_doc->sections) all += merge_adjacent_marks(s.html, "<mark>", "</mark>");
  CHECK_THAT(all, Catch::Contains("第0条：大促期间每<mark>两小时</mark>报一次数。"));
  CHECK_THAT(all, Catch::Contains("第199条：大促期间每<mark>两小时</mark>报一次数。"));
  CHECK_THAT(all, !Catch::Contains("…"));

  auto by_doc = searcher.document(r->hits[0].doc);
  REQUIRE(by_doc.ok());
  CHECK_FALSE(by_doc->unit);
  CHECK(by_doc->sections[1].html == "退货入库后在 ERP 登记。");
}

TEST_CASE("bad requests are errors with a message", "[search]") {
  Fixture f;
  auto searcher = f.open();
  CHECK_FALSE(searcher.search({"", 10, 0}).ok());
  CHECK_FALSE(searcher.search({"   ", 10, 0}).ok());
  CHECK_FALSE(searcher.search({std::string(max_query_bytes + 1, 'a'), 10, 0}).ok());
  CHECK_FALSE(searcher.search({"a", 0, 0}).ok());
  CHECK_FALSE(searcher.search({"a", max_limit + 1, 0}).ok());
  CHECK_FALSE(searcher.search({"a", 10, -1}).ok());
  CHECK_FALSE(searcher.search({"\xFF\xFE", 10, 0}).ok());
  CHECK(searcher.search({"\"unbalanced (query", 10, 0}).ok());  // read as plain words

  auto unknown = searcher.document("0123456789abcdef");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().kind == ErrorKind::not_found);
  auto malformed = searcher.document("../../etc/passwd");
  REQUIRE_FALSE(malformed.ok());
  CHECK(malformed.error().kind == ErrorKind::invalid);
}

TEST_CASE("pagination returns disjoint pages", "[search]") {
  Fixture f;
  auto searcher = f.open();
  auto page1 = searcher.search({"退款 invoice 客户", 1, 0});
  auto page2 = searcher.search({"退款 invoice 客户", 1, 1});
  REQUIRE(page1.ok());
  REQUIRE(page2.ok());
  REQUIRE(page1->hits.size() == 1);
  REQUIRE(page2->hits.size() == 1);
  CHECK(page1->hits[0].id != page2->hits[0].id);
}

TEST_CASE("opening a data dir without an index says what to do", "[search]") {
  test::TempDir empty;
  auto s = Searcher::open(empty.path());
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == ErrorKind::unavailable);
  CHECK_THAT(s.error().message, Catch::Contains("baton index"));
}

TEST_CASE("Highlighter marks Chinese words by bigram, English words by stem", "[search][highlight]") {
  const Highlighter zh({"退", "退款", "款"});
  CHECK(zh.all("买家申请退款，退货入库后退款。") == "买家申请<mark>退款</mark>，退货入库后<mark>退款</mark>。");
  const Highlighter one({"款"});
  CHECK(one.all("退款") == "退<mark>款</mark>");
  const Highlighter en({"Zinvoic", "reconciliation"});
  CHECK(en.all("Invoices & Reconciliation: <b>") ==
        "<mark>Invoices</mark> &amp; <mark>Reconciliation</mark>: &lt;b&gt;");
  CHECK(Highlighter({}).all("a<b") == "a&lt;b");
}

TEST_CASE("Highlighter snippets show the densest window and say where they were cut", "[search][highlight]") {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "无关的内容。";
  text += "这里讲退款审批的规则。";
  for (int i = 0; i < 50; ++i) text += "其他内容。\n";
  const Highlighter h({"退款", "审批"});
  const std::string s = h.snippet(text, 120);
  CHECK_THAT(s, Catch::StartsWith("…") && Catch::EndsWith("…"));
  CHECK_THAT(s, Catch::Contains("这里讲<mark>退款审批</mark>的规则"));
  CHECK_THAT(s, !Catch::Contains("\n"));
  CHECK(h.snippet("短文本没有命中", 120) == "短文本没有命中");
  const Highlighter en({"Zinvoic"});
  CHECK(en.snippet(std::string(200, 'x') + " statement (结算单) | e-invoices issued", 60) ==
        "…statement (结算单) | e-<mark>invoices</mark> issued");
  CHECK(h.snippet("", 120).empty());
}
