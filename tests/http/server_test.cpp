// Starts the real `baton serve` on a free port over the demo knowledge base and talks HTTP to it.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>

#include "baton/catalog.h"
#include "baton/index.h"
#include "baton/search.h"
#include "http/process.h"
#include "test_util.h"

using nlohmann::json;
using namespace baton;

namespace {

// One server for the whole test binary: indexing the demo once keeps the suite fast.
class DemoServer {
 public:
  static DemoServer& get() {
    static DemoServer server;
    return server;
  }
  httplib::Client client() const { return served_.client(); }
  int port() const { return served_.port(); }
  std::string data_dir() const { return data_.path().string(); }

 private:
  DemoServer() : served_({"--data-dir", data_.path().string(), test::demo_root()}) {}
  test::TempDir data_;
  test::Served served_;
};

json get_json(const std::string& path, int expect_status) {
  auto res = DemoServer::get().client().Get(path.c_str());
  REQUIRE(res);
  INFO(path << " -> " << res->status << " " << res->body);
  CHECK(res->status == expect_status);
  CHECK_THAT(res->get_header_value("Content-Type"), Catch::StartsWith("application/json"));
  auto body = json::parse(res->body, nullptr, false);
  REQUIRE_FALSE(body.is_discarded());
  if (expect_status >= 400) CHECK(body.contains("error"));
  return body;
}

std::string encode(const std::string& s) { return httplib::detail::encode_query_param(s); }

}  // namespace

TEST_CASE("GET /api/health reports the indexed demo", "[http]") {
  const json health = get_json("/api/health", 200);
  CHECK(health["status"] == "ok");
  CHECK(health["documents"].get<int>() >= 20);
  CHECK(health["units"].get<int>() > health["documents"].get<int>());
  CHECK(health["failed"].get<int>() == 0);
}

TEST_CASE("GET /api/search finds the refund SOP for 退款 with the contract's fields", "[http]") {
  const json r = get_json("/api/search?q=" + encode("退款") + "&limit=5", 200);
  REQUIRE(r["hits"].size() == 5);
  CHECK(r["total"].get<int>() >= 5);
  CHECK(r["took_ms"].is_number());
  CHECK(r["query"]["q"] == "退款");
  const json& top = r["hits"][0];
  for (const char* field : {"id", "path", "title", "section", "kind", "snippet", "score"})
    CHECK(top.contains(field));
  CHECK(top["path"] == "操作手册/退款处理流程.md");
  CHECK(top["kind"] == "manual");
  CHECK_THAT(top["snippet"].get<std::string>(), Catch::Contains("<mark>退款</mark>"));
}

TEST_CASE("GET /api/search takes filters, sort and grouping, and returns facets and the query it ran", "[http]") {
  const json r = get_json("/api/search?q=" + encode("client:瑞丰 报价") + "&kind=communication&sort=date", 200);
  CHECK(r["query"]["text"] == "报价");
  CHECK(r["query"]["filters"]["client"] == "瑞丰");
  CHECK(r["query"]["filters"]["kind"] == "communication");
  CHECK(r["query"]["sort"] == "date");
  CHECK(r["query"]["group"] == "doc");
  REQUIRE_FALSE(r["hits"].empty());
  for (const auto& h : r["hits"]) {
    CHECK(h["kind"] == "communication");
    CHECK(h["type"] == "mail");
    CHECK(h.contains("more"));
    CHECK(h.contains("more_count"));
  }
  for (const char* facet : {"kind", "type", "year", "client", "project", "author"}) CHECK(r["facets"].contains(facet));
  CHECK(r["facets"]["kind"][0]["value"] == "communication");
  CHECK(r["search_id"].get<std::int64_t>() > 0);
  CHECK(r["suggestion"].is_null());
  // Traditional input finds the Simplified text and the reverse.
  const json t = get_json("/api/search?q=" + encode("報價調整"), 200);
  REQUIRE_FALSE(t["hits"].empty());
  const json typo = get_json("/api/search?q=" + encode("invoice reconcilation"), 200);
  CHECK(typo["suggestion"] == "invoice reconciliation");
  // Opening a result from a search is accepted (and logged); a bad search id is not.
  const std::string doc = "/api/docs/" + r["hits"][0]["id"].get<std::string>();
  get_json(doc + "?search=" + std::to_string(r["search_id"].get<std::int64_t>()), 200);
  get_json(doc + "?search=abc", 400);
}

TEST_CASE("English, GBK and mail-only content are all findable over HTTP", "[http]") {
  const json en = get_json("/api/search?q=" + encode("invoice reconciliation"), 200);
  REQUIRE_FALSE(en["hits"].empty());
  CHECK(en["hits"][0]["path"] == "操作手册/Invoice_reconciliation_procedure.md");

  const json gbk = get_json("/api/search?q=" + encode("值班"), 200);
  REQUIRE_FALSE(gbk["hits"].empty());
  CHECK(gbk["hits"][0]["path"] == "交接文档/旧版值班表.txt");

  const json mail = get_json("/api/search?q=" + encode("瑞丰贸易"), 200);
  REQUIRE_FALSE(mail["hits"].empty());
  for (const auto& hit : mail["hits"]) {
    if (hit["kind"] != "communication") continue;
    CHECK_THAT(hit["path"].get<std::string>(), Catch::EndsWith(".eml"));
  }
  CHECK(mail["hits"][0]["kind"] == "communication");
}

TEST_CASE("GET /api/docs/{id} returns the document opened at the hit", "[http]") {
  const json r = get_json("/api/search?q=" + encode("退款"), 200);
  const std::string unit = r["hits"][0]["id"];
  const json doc = get_json("/api/docs/" + unit + "?q=" + encode("退款"), 200);
  CHECK(doc["unit"] == unit);
  CHECK(doc["title"] == "退款处理流程");
  REQUIRE(doc["sections"].size() > 3);
  bool found = false;
  for (const auto& s : doc["sections"]) {
    if (s["id"] == unit) {
      found = true;
      CHECK_THAT(s["html"].get<std::string>(), Catch::Contains("<mark>退款</mark>"));
    }
  }
  CHECK(found);
}

TEST_CASE("wrong requests get a 4xx with a JSON error", "[http]") {
  get_json("/api/search", 400);
  get_json("/api/search?q=", 400);
  get_json("/api/search?q=a&limit=abc", 400);
  get_json("/api/search?q=a&limit=100000", 400);
  get_json("/api/search?q=a&offset=-5", 400);
  get_json("/api/search?q=" + std::string(2000, 'a'), 400);
  get_json("/api/search?q=a&sort=size", 400);
  get_json("/api/search?q=a&group=thread", 400);
  get_json("/api/search?q=a&after=last-week", 400);
  get_json("/api/search?q=" + encode("kind:novel 退款"), 400);
  get_json("/api/docs/0123456789abcdef", 404);
  get_json("/api/docs/not-an-id", 400);
  get_json("/api/nothing-here", 404);
  auto post = DemoServer::get().client().Post("/api/search", "{}", "application/json");
  REQUIRE(post);
  CHECK(post->status >= 400);
  CHECK(post->status < 500);
  CHECK_FALSE(json::parse(post->body, nullptr, false).is_discarded());
}

TEST_CASE("the UI is served from the binary with security headers, and nothing else is", "[http]") {
  auto client = DemoServer::get().client();
  auto page = client.Get("/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK_THAT(page->get_header_value("Content-Type"), Catch::StartsWith("text/html"));
  CHECK_THAT(page->get_header_value("Content-Security-Policy"), Catch::Contains("script-src 'self'"));
  CHECK(page->get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK_THAT(page->body, Catch::Contains("app.js"));

  auto js = client.Get("/app.js");
  REQUIRE(js);
  CHECK(js->status == 200);
  CHECK_THAT(js->get_header_value("Content-Type"), Catch::StartsWith("text/javascript"));

  for (const char* path : {"/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/static/app.js", "/CMakeLists.txt"}) {
    auto res = client.Get(path);
    REQUIRE(res);
    INFO(path);
    CHECK(res->status == 404);
    CHECK_THAT(res->body, !Catch::Contains("root:"));
  }
}

TEST_CASE("baton search prints the same hits as the API", "[cli]") {
  auto& server = DemoServer::get();
  const json api = get_json("/api/search?q=" + encode("退款") + "&limit=3", 200);
  auto cli = test::run_baton({"search", "--data-dir", server.data_dir(), "--json", "-n", "3", "退款"});
  REQUIRE(cli.status == 0);
  const json printed = json::parse(cli.output);
  REQUIRE(printed["hits"].size() == api["hits"].size());
  for (std::size_t i = 0; i < api["hits"].size(); ++i) CHECK(printed["hits"][i]["id"] == api["hits"][i]["id"]);

  auto text = test::run_baton({"search", "--data-dir", server.data_dir(), "退款"});
  REQUIRE(text.status == 0);
  CHECK_THAT(text.output, Catch::Contains("操作手册/退款处理流程.md") && Catch::Contains("[退款]"));
}

TEST_CASE("the CLI says what is wrong in one line", "[cli]") {
  test::TempDir tmp;
  const std::string data = (tmp / "data").string();

  auto no_index = test::run_baton({"search", "--data-dir", data, "退款"});
  CHECK(no_index.status == 1);
  CHECK_THAT(no_index.output, Catch::Contains("no index") && Catch::Contains("baton index"));

  auto missing = test::run_baton({"index", "--data-dir", data, (tmp / "nope").string()});
  CHECK(missing.status == 1);
  CHECK_THAT(missing.output, Catch::Contains("no such folder"));

  test::write_file(tmp / "afile", "x");
  auto bad_dir = test::run_baton({"index", "--data-dir", (tmp / "afile" / "d").string(), test::demo_root()});
  CHECK(bad_dir.status == 1);
  CHECK_THAT(bad_dir.output, Catch::Contains("data dir"));

  auto in_use = test::run_baton({"serve", "--data-dir", DemoServer::get().data_dir(), "--port",
                                 std::to_string(DemoServer::get().port())});
  CHECK(in_use.status == 1);
  CHECK_THAT(in_use.output, Catch::Contains("port in use"));

  auto no_args = test::run_baton({"index"});
  CHECK(no_args.status != 0);
  auto help = test::run_baton({"serve", "--help"});
  CHECK(help.status == 0);
  CHECK_THAT(help.output, Catch::Contains("--port") && Catch::Contains("--host") && Catch::Contains("--data-dir"));
}

TEST_CASE("the server stops cleanly on SIGTERM", "[cli]") {
  test::TempDir data;
  auto idx = test::run_baton({"index", "--data-dir", data.path().string(), test::demo_root()});
  REQUIRE(idx.status == 0);
  CHECK_THAT(idx.output, Catch::Contains("added"));
  test::Process server({test::baton_bin(), "serve", "--port", "0", "--data-dir", data.path().string()});
  REQUIRE(server.read_until("/  (", std::chrono::seconds(60)));
  server.signal(SIGTERM);
  CHECK(server.wait() == 0);
}

TEST_CASE("baton serve --watch picks up new, changed and deleted files while serving", "[cli][watch]") {
  test::TempDir root, data;
  test::write_file(root / "a.md", "# 值班\n\n夜班规则。\n");
  test::Process server({test::baton_bin(), "serve", "--port", "0", "--watch", "--watch-interval", "1", "--data-dir",
                        data.path().string(), root.path().string()});
  REQUIRE(server.read_until("/  (", std::chrono::seconds(60)));
  std::smatch m;
  const std::string out = server.output();
  REQUIRE(std::regex_search(out, m, std::regex("127\\.0\\.0\\.1:([0-9]+)/")));
  httplib::Client client("127.0.0.1", std::stoi(m[1].str()));
  const auto total = [&](const std::string& q) {
    auto res = client.Get(("/api/search?q=" + encode(q)).c_str());
    return res && res->status == 200 ? json::parse(res->body)["hits"].size() : std::size_t{999};
  };
  // Polls until the index shows `want` hits for `q`, for at most 30 s.
  const auto eventually = [&](const std::string& q, std::size_t want) {
    for (int i = 0; i < 300; ++i) {
      if (total(q) == want) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  };
  CHECK(eventually("夜班", 1));
  test::write_file(root / "b.md", "# 交接\n\n新增的交接说明。\n");
  CHECK(eventually("交接说明", 1));
  std::filesystem::remove(root / "a.md");
  CHECK(eventually("夜班", 0));
  server.signal(SIGTERM);
  CHECK(server.wait() == 0);
}

TEST_CASE("baton index killed at random moments always leaves a usable index, and a re-run finishes the job",
          "[cli][crash]") {
  const std::filesystem::path root = test::corpus() / "manuals-en";
  test::TempDir clean, killed;
  auto full = test::run_baton({"index", "--data-dir", clean.path().string(), root.string()});
  REQUIRE(full.status == 0);

  std::mt19937 rng(20261127);
  for (int round = 0; round < 8; ++round) {
    if (round < 4) {
      // The narrow moment: Xapian has committed a batch, the catalog has not. Each of these runs
      // commits at most a few of the ~16 batches, so there is always work left to die in.
      setenv("BATON_FAILPOINT", ("xapian-commit:" + std::to_string(round + 1)).c_str(), 1);
      auto died = test::run_baton({"index", "--batch", "40", "--data-dir", killed.path().string(), root.string()});
      unsetenv("BATON_FAILPOINT");
      CHECK(died.status == 86);
    } else {
      test::Process p({test::baton_bin(), "index", "--batch", "40", "--data-dir", killed.path().string(), root.string()});
      std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(50, 1500)(rng)));
      p.signal(SIGKILL);
      p.wait();
    }
    // Whatever moment it died at, the index opens and answers.
    auto search = test::run_baton({"search", "--data-dir", killed.path().string(), "--json", "package"});
    INFO("round " << round << ": " << search.output);
    REQUIRE(search.status == 0);
    CHECK_FALSE(json::parse(search.output, nullptr, false).is_discarded());
  }
  auto finish = test::run_baton({"index", "--data-dir", killed.path().string(), root.string()});
  REQUIRE(finish.status == 0);
  auto again = test::run_baton({"index", "--data-dir", killed.path().string(), root.string()});
  CHECK_THAT(again.output, Catch::Contains("0 added, 0 updated, 0 renamed, 0 removed"));

  // Same sources, same units, same answers as an index built in one go.
  auto a = Catalog::open(catalog_path(clean.path()));
  auto b = Catalog::open(catalog_path(killed.path()));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->counts().sources == b->counts().sources);
  CHECK(a->counts().documents == b->counts().documents);
  CHECK(a->counts().units == b->counts().units);
  auto sa = Searcher::open(clean.path());
  auto sb = Searcher::open(killed.path());
  CHECK(sa->stats().units == sb->stats().units);  // no duplicate units in Xapian either
  for (const char* q : {"package", "debian policy", "dpkg"}) {
    auto ra = sa->search({q, 10, 0});
    auto rb = sb->search({q, 10, 0});
    REQUIRE(ra.ok());
    REQUIRE(rb.ok());
    CHECK(ra->total == rb->total);
  }
}

TEST_CASE("GET /api/gaps reports on the demo handover; Markdown for sign-off; bad parameters are 400", "[http][gaps]") {
  const json report = get_json("/api/gaps?as_of=2026-12-10", 200);
  CHECK(report["areas"].size() == 13);
  CHECK(report["as_of"] == "2026-12-10");
  CHECK(report["score"].get<double>() > 0);
  CHECK(report["score"].get<double>() <= 100);
  CHECK_FALSE(report["formula"].get<std::string>().empty());
  CHECK_FALSE(report["entities"].empty());
  CHECK_FALSE(report["checklist"]["name"].get<std::string>().empty());
  // The demo's secret is listed masked and never in full.
  REQUIRE_FALSE(report["secrets"].empty());
  CHECK(report.dump().find("Qh@Test2026") == std::string::npos);

  auto md = DemoServer::get().client().Get("/api/gaps?format=md&as_of=2026-12-10");
  REQUIRE(md);
  CHECK(md->status == 200);
  CHECK_THAT(md->get_header_value("Content-Type"), Catch::StartsWith("text/markdown"));
  CHECK_THAT(md->get_header_value("Content-Disposition"), Catch::Contains("handover-gaps-2026-12-10.md"));
  CHECK_THAT(md->body, Catch::Contains("交接缺口报告"));

  get_json("/api/gaps?as_of=someday", 400);
  get_json("/api/gaps?stale_days=0", 400);
  get_json("/api/gaps?stale_days=abc", 400);
  get_json("/api/gaps?format=pdf", 400);
}

TEST_CASE("entity decisions need an editor token, compared exactly", "[http][gaps]") {
  // The demo server has no editor token: writing is refused outright.
  auto refused = DemoServer::get().client().Post("/api/entities/decision", R"({"key": "x", "action": "ignore"})", "application/json");
  REQUIRE(refused);
  CHECK(refused->status == 403);
  CHECK_THAT(refused->body, Catch::Contains("BATON_EDITOR_TOKEN"));

  test::TempDir data;
  test::Served server({"--data-dir", data.path().string(), test::demo_root()},
                      {{"BATON_EDITOR_TOKEN", "s3cret-token,other-token"}});
  httplib::Client client = server.client();

  const json before = json::parse(client.Get("/api/gaps?as_of=2026-12-10")->body);
  REQUIRE_FALSE(before["entities"].empty());
  const std::string key = before["entities"][0]["key"];
  const std::string body = json{{"key", key}, {"action", "ignore"}}.dump();
  const auto post = [&](const std::string& token, const std::string& payload) {
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    auto res = client.Post("/api/entities/decision", headers, payload, "application/json");
    REQUIRE(res);
    INFO(res->body);
    CHECK_FALSE(json::parse(res->body, nullptr, false).is_discarded());
    return res->status;
  };
  CHECK(post("", body) == 401);
  CHECK(post("s3cret-toke", body) == 401);
  CHECK(post("s3cret-token-and-more", body) == 401);
  CHECK(post("s3cret-token", "not json") == 400);
  CHECK(post("s3cret-token", R"({"key": 5, "action": "ignore"})") == 400);
  CHECK(post("s3cret-token", json{{"key", key}, {"action", "explode"}}.dump()) == 400);
  CHECK(post("s3cret-token", json{{"key", key}, {"action", "rename"}}.dump()) == 400);
  // Nothing was written by the refused requests.
  CHECK(json::parse(client.Get("/api/gaps?as_of=2026-12-10")->body)["entities"][0]["key"] == key);

  CHECK(post("other-token", body) == 200);
  const json after = json::parse(client.Get("/api/gaps?as_of=2026-12-10")->body);
  for (const auto& e : after["entities"]) CHECK(e["key"] != key);
}

TEST_CASE("baton gaps prints the report as text, Markdown and the API's JSON", "[cli][gaps]") {
  auto& server = DemoServer::get();
  auto json_out = test::run_baton({"gaps", "--data-dir", server.data_dir(), "--as-of", "2026-12-10", "--format", "json"});
  REQUIRE(json_out.status == 0);
  const json printed = json::parse(json_out.output);
  const json api = get_json("/api/gaps?as_of=2026-12-10", 200);
  CHECK(printed["score"] == api["score"]);
  CHECK(printed["areas"].size() == api["areas"].size());
  CHECK(printed["entities"].size() == api["entities"].size());

  auto text = test::run_baton({"gaps", "--data-dir", server.data_dir(), "--as-of", "2026-12-10"});
  REQUIRE(text.status == 0);
  CHECK_THAT(text.output, Catch::Contains("Completeness") && Catch::Contains("客户资料"));
  auto md = test::run_baton({"gaps", "--data-dir", server.data_dir(), "--format", "md", "--as-of", "2026-12-10"});
  REQUIRE(md.status == 0);
  CHECK_THAT(md.output, Catch::StartsWith("# 交接缺口报告"));
  auto bad = test::run_baton({"gaps", "--data-dir", server.data_dir(), "--as-of", "2026-02-30x"});
  CHECK(bad.status == 1);
  CHECK_THAT(bad.output, Catch::Contains("YYYY-MM-DD"));
  test::TempDir tmp;
  auto bad_checklist = test::run_baton({"gaps", "--data-dir", server.data_dir(), "--checklist", (tmp / "none.json").string()});
  CHECK(bad_checklist.status == 1);
  CHECK_THAT(bad_checklist.output, Catch::Contains("checklist"));
}
