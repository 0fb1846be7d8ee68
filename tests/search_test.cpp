#include "baton/search.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <thread>

#include "baton/catalog.h"
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

TEST_CASE("a file's name is searchable beside its title, in the words of a joined or camel-case name", "[search]") {
  test::TempDir root, data;
  test::write_file(root / "操作手册/退货退款SOP_v2.md", "# 售后处理\n\n买家申请后两小时内处理。\n");
  test::write_file(root / "tests/excelize__CalcChain.md", "# Workbook\n\nSUM of two cells.\n");
  test::write_file(root / "notes/other.md", "# Other\n\nNothing about workbooks here, only chains of calculations.\n");
  REQUIRE(sync(data.path(), {root.path()}).ok());
  auto searcher = Searcher::open(data.path());
  REQUIRE(searcher.ok());
  for (const char* q : {"退货退款", "calc chain", "calcchain", "excelize"}) {
    INFO(q);
    auto r = searcher->search({q, 10, 0});
    REQUIRE(r.ok());
    REQUIRE_FALSE(r->hits.empty());
    CHECK(r->hits.front().path != "notes/other.md");
    CHECK((r->hits.front().path == "操作手册/退货退款SOP_v2.md") == (std::string(q) == "退货退款"));
  }
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

namespace {

// Mail, manuals and records from two clients over two years: for filters, facets and grouping.
struct FacetFixture {
  test::TempDir root, data;
  FacetFixture() {
    test::write_file(root / "客户/瑞丰贸易.md", "# 瑞丰贸易\n\n## 联系人\n\n采购王经理，负责退款对接。\n\n## 退款约定\n\n退款七天内处理。\n");
    test::write_file(root / "项目/会员体系改版.md", "# 会员体系改版\n\n## 背景\n\n会员积分规则调整，涉及退款。\n");
    test::write_file(root / "操作手册/退款处理流程.md",
                     "# 退款处理流程\n\n## 审批\n\n退款要主管审批。\n\n## 入库\n\n退款后入库登记。\n\n"
                     "## 对账\n\n每月核对退款。\n");
    test::write_file(root / "操作手册/订单异常.md", "# 订单异常处理\n\n缺货时联系顾客。\n");
    // The SOP is old: about two and a half years (its date comes from the file's time).
    std::filesystem::last_write_time(root / "操作手册/退款处理流程.md",
                                     std::filesystem::file_time_type::clock::now() - std::chrono::hours(24 * 900));
    REQUIRE(sync(data.path(), {root.path()}).ok());
  }
  Searcher open() {
    SearcherOptions options;
    options.log = false;
    auto s = Searcher::open(data.path(), options);
    REQUIRE(s.ok());
    return std::move(s.value());
  }
};

const std::vector<FacetValue>& facet(const SearchResponse& r, const std::string& name) {
  for (const auto& [n, values] : r.facets)
    if (n == name) return values;
  throw std::runtime_error("no facet " + name);
}

}  // namespace

TEST_CASE("results are grouped by document, the other matching sections folded under the best", "[search][group]") {
  FacetFixture f;
  auto searcher = f.open();
  auto r = searcher.search({"退款", 10, 0});
  REQUIRE(r.ok());
  std::set<std::string> docs;
  for (const auto& h : r->hits) CHECK(docs.insert(h.doc).second);
  const auto sop = std::find_if(r->hits.begin(), r->hits.end(), [](const Hit& h) { return h.title == "退款处理流程"; });
  REQUIRE(sop != r->hits.end());
  CHECK(sop->more_count >= 2);
  REQUIRE(sop->more.size() >= 2);
  for (const auto& m : sop->more) {
    CHECK(m.id != sop->id);
    CHECK(m.snippet.find("<mark>退款</mark>") != std::string::npos);
  }
  SearchRequest sections("退款", 10, 0);
  sections.group = false;
  auto flat = searcher.search(sections);
  REQUIRE(flat.ok());
  CHECK(flat->hits.size() > r->hits.size());
}

TEST_CASE("filters narrow results and facets count documents", "[search][facets]") {
  FacetFixture f;
  auto searcher = f.open();
  auto all = searcher.search({"退款", 10, 0});
  REQUIRE(all.ok());
  const auto& kinds = facet(*all, "kind");
  std::uint64_t counted = 0;
  for (const auto& v : kinds) counted += v.count;
  CHECK(counted == all->hits.size());  // one count per document, not per section
  const auto& clients = facet(*all, "client");
  CHECK(std::any_of(clients.begin(), clients.end(), [](const FacetValue& v) { return v.value == "瑞丰贸易"; }));
  const auto& projects = facet(*all, "project");
  CHECK(std::any_of(projects.begin(), projects.end(), [](const FacetValue& v) { return v.value == "会员体系改版"; }));

  auto manual = searcher.search({"kind:manual 退款", 10, 0});
  REQUIRE(manual.ok());
  REQUIRE_FALSE(manual->hits.empty());
  for (const auto& h : manual->hits) CHECK(h.kind == "manual");
  CHECK(manual->text == "退款");
  CHECK(manual->filters.kind == "manual");

  auto client = searcher.search({"client:瑞丰 退款", 10, 0});  // part of the name is enough
  REQUIRE(client.ok());
  REQUIRE(client->hits.size() == 1);
  CHECK(client->hits[0].title == "瑞丰贸易");

  SearchRequest dated("退款", 10, 0);
  dated.filters.before = "2024-12-31";
  auto old = searcher.search(dated);
  REQUIRE(old.ok());
  REQUIRE(old->hits.size() == 1);
  CHECK(old->hits[0].title == "退款处理流程");

  // Filters alone browse what they select, newest first.
  auto browse = searcher.search({"project:会员", 10, 0});
  REQUIRE(browse.ok());
  REQUIRE(browse->hits.size() == 1);
  CHECK(browse->hits[0].title == "会员体系改版");

  auto none = searcher.search({"client:没有这个客户 退款", 10, 0});
  REQUIRE(none.ok());
  CHECK(none->hits.empty());
}

TEST_CASE("Chinese is ranked by how much of the query a section has, with synonyms and Traditional input", "[search][cjk]") {
  FacetFixture f;
  auto searcher = f.open();
  // Nothing has every character pair of this question, but the SOP has its words.
  auto r = searcher.search({"退款怎么审批", 10, 0});
  REQUIRE(r.ok());
  REQUIRE_FALSE(r->hits.empty());
  CHECK(r->hits[0].title == "退款处理流程");
  CHECK(r->hits[0].section == "审批");
  // 顾客 is written; 客户 is typed (a synonym), in Traditional characters.
  auto syn = searcher.search({"缺貨 客戶", 10, 0});
  REQUIRE(syn.ok());
  REQUIRE_FALSE(syn->hits.empty());
  CHECK(syn->hits[0].title == "订单异常处理");
  CHECK(syn->hits[0].snippet.find("<mark>顾客</mark>") != std::string::npos);
}

TEST_CASE("a Traditional query in Taiwan's words finds the mainland's", "[search][cjk]") {
  test::TempDir root, data;
  test::write_file(root / "磁盘.md", "# 磁盘\n\n硬盘空闲十分钟后停转。\n");
  test::write_file(root / "碟片.md", "# 光碟\n\n光碟片放在柜子里。\n");
  REQUIRE(sync(data.path(), {root.path()}).ok());
  SearcherOptions options;
  options.log = false;
  auto searcher = Searcher::open(data.path(), options);
  REQUIRE(searcher.ok());
  auto r = searcher->search({"硬碟閒置停轉", 10, 0});  // 硬碟 is Taiwan's 硬盘
  REQUIRE(r.ok());
  REQUIRE_FALSE(r->hits.empty());
  CHECK(r->hits[0].path == "磁盘.md");
  CHECK_THAT(r->hits[0].snippet, Catch::Contains("<mark>硬盘</mark>"));
}

TEST_CASE("the word typed outranks a synonym of it, and a Chinese word's Chinese synonyms count as typed", "[search][synonyms]") {
  test::TempDir root, data, conf;
  // The same sentence with the typed word or only its synonym (the synonym's file is indexed first,
  // so that a tie would put it first).
  test::write_file(root / "a/images.md", "# Disk images\n\nMake a duplicate of the disk image before you resize it.\n");
  test::write_file(root / "b/images.md", "# Disk images\n\nMake a copy of the disk image before you resize it.\n");
  test::write_file(root / "a/db.md", "# 数据库\n\nweekly backup of the database\n");
  test::write_file(root / "b/db.md", "# 数据库\n\n每周备份数据库\n");
  test::write_file(root / "a/日志.md", "# 日志\n\n每月删掉旧日志\n");
  test::write_file(root / "b/日志.md", "# 日志\n\n每月删除旧日志\n");
  REQUIRE(sync(data.path(), {root.path()}).ok());
  test::write_file(conf / "synonyms", "copy, duplicate\n备份, backup\n删除, 删掉\n");
  SearcherOptions options;
  options.log = false;
  options.synonyms_file = conf / "synonyms";
  auto searcher = Searcher::open(data.path(), options);
  REQUIRE(searcher.ok());
  const auto paths = [&](const std::string& q) {
    auto r = searcher->search({q, 10, 0});
    REQUIRE(r.ok());
    std::vector<std::string> out;
    for (const auto& h : r->hits) out.push_back(h.path);
    return out;
  };
  const auto copy = paths("copy");
  REQUIRE(copy.size() == 2);  // the synonym still finds its section
  CHECK(copy[0] == "b/images.md");
  const auto duplicate = paths("duplicate");
  REQUIRE(duplicate.size() == 2);
  CHECK(duplicate[0] == "a/images.md");
  // Across scripts the typed word counts more too.
  const auto backup = paths("备份");
  REQUIRE(backup.size() == 2);
  CHECK(backup[0] == "b/db.md");
  // 删掉 and 删除 are one word to the query: both sections, with the same weight.
  auto del = searcher->search({"删掉", 10, 0});
  REQUIRE(del.ok());
  REQUIRE(del->hits.size() == 2);
  CHECK(del->hits[0].score == Approx(del->hits[1].score));
}

TEST_CASE("two words also find the compound the documents write as one word", "[search][compound]") {
  test::TempDir root, data;
  test::write_file(root / "mountpoint.md", "# mountpoint\n\nSee if a directory is a mountpoint.\n");
  test::write_file(root / "fstab.md", "# fstab\n\nEach line names a device and a point in the tree to mount it at.\n");
  for (int i = 0; i < 5; ++i)
    test::write_file(root / ("notes" + std::to_string(i) + ".md"), "# Notes\n\nAn unrelated directory listing.\n");
  REQUIRE(sync(data.path(), {root.path()}).ok());
  test::TempDir conf;
  for (const std::string synonyms : {"", "mount, mount point\n"}) {  // also when "mount point" is a synonym entry
    test::write_file(conf / "synonyms", synonyms);
    SearcherOptions options;
    options.log = false;
    options.synonyms_file = conf / "synonyms";
    auto searcher = Searcher::open(data.path(), options);
    REQUIRE(searcher.ok());
    auto r = searcher->search({"is this directory a mount point", 10, 0});
    REQUIRE(r.ok());
    REQUIRE(r->hits.size() >= 2);
    CHECK(r->hits[0].path == "mountpoint.md");
    CHECK_THAT(r->hits[0].snippet, Catch::Contains("<mark>mountpoint</mark>"));
    // Words the index has no compound of are searched as they are.
    auto apart = searcher->search({"point tree", 10, 0});
    REQUIRE(apart.ok());
    REQUIRE_FALSE(apart->hits.empty());
    CHECK(apart->hits[0].path == "fstab.md");
  }
}

TEST_CASE("sections where the query's neighbouring words stand near each other rank higher", "[search][proximity]") {
  test::TempDir root, data;
  // The same words, as often, in sections of the same length; only their distance differs (the far
  // one is indexed first, so that a tie would put it first).
  test::write_file(root / "a.md", "# Notes\n\nThe valve was replaced on Monday and the team checked the pressure held was fine.\n");
  test::write_file(root / "b.md", "# Notes\n\nOn Monday the team checked the valve pressure held and the replaced part was fine.\n");
  // (Enough other sections that the two words are not common: pairs of words in more than 5% of
  // sections are not looked for near each other.)
  for (int i = 0; i < 60; ++i)
    test::write_file(root / ("c" + std::to_string(i) + ".md"), "# Other\n\nNothing about storage here.\n");
  REQUIRE(sync(data.path(), {root.path()}).ok());
  SearcherOptions options;
  options.log = false;
  auto searcher = Searcher::open(data.path(), options);
  REQUIRE(searcher.ok());
  auto r = searcher->search({"valve pressure", 10, 0});
  REQUIRE(r.ok());
  REQUIRE(r->hits.size() == 2);
  CHECK(r->hits[0].path == "b.md");
  CHECK(r->hits[0].score > r->hits[1].score);
}

TEST_CASE("sorting by date puts the newest document first", "[search][sort]") {
  FacetFixture f;
  auto searcher = f.open();
  SearchRequest request("退款", 10, 0);
  request.sort = SortOrder::date;
  auto r = searcher.search(request);
  REQUIRE(r.ok());
  REQUIRE(r->hits.size() >= 2);
  for (std::size_t i = 1; i < r->hits.size(); ++i) CHECK(r->hits[i - 1].date >= r->hits[i].date);
  CHECK(r->hits.back().title == "退款处理流程");
}

TEST_CASE("a misspelt English word gets a suggestion and still finds its document", "[search][spelling]") {
  Fixture f;
  auto searcher = f.open();
  auto r = searcher.search({"invoice reconcilation", 10, 0});
  REQUIRE(r.ok());
  REQUIRE(r->suggestion);
  CHECK(*r->suggestion == "invoice reconciliation");
  auto right = searcher.search({"invoice reconciliation", 10, 0});
  REQUIRE(right.ok());
  CHECK_FALSE(right->suggestion);
}

TEST_CASE("every search and every opened result is logged to the catalog", "[search][log]") {
  Fixture f;
  std::int64_t id = 0;
  {
    auto searcher = f.open();
    auto r = searcher.search({"kind:manual 退款", 10, 0});
    REQUIRE(r.ok());
    id = r->search_id;
    CHECK(id > 0);
    searcher.record_open(id, r->hits.at(0).id);
    auto miss = searcher.search({"没有的词汇", 10, 0});
    REQUIRE(miss.ok());
    searcher.flush_log();
  }
  auto catalog = Catalog::open(catalog_path(f.data.path()));
  REQUIRE(catalog.ok());
  const auto log = catalog->recent_searches(10);
  REQUIRE(log.size() == 2);
  const auto first = std::find_if(log.begin(), log.end(), [&](const SearchLogEntry& e) { return e.id == id; });
  REQUIRE(first != log.end());
  CHECK(first->query == "退款");
  CHECK(first->filters == "{\"kind\":\"manual\"}");
  CHECK(first->hits >= 1);
  const auto zero = std::find_if(log.begin(), log.end(), [&](const SearchLogEntry& e) { return e.id != id; });
  CHECK(zero->hits == 0);
  CHECK(catalog->opens_of(id).size() == 1);
}

TEST_CASE("searches from many threads at once all succeed", "[search][threads]") {
  Fixture f;
  auto searcher = f.open();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      const char* queries[] = {"invoice reconciling", "credit notes refunded", "退款审批", "reconcilation"};
      for (int i = 0; i < 50; ++i)
        if (!searcher.search({queries[(i + t) % 4], 10, 0}).ok()) ++failures;
    });
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
}
