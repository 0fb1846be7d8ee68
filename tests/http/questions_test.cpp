// The questions API against the real `baton serve` over the demo, started with an editor token.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>

#include "http/process.h"
#include "test_util.h"

using nlohmann::json;
using namespace baton;

namespace {

constexpr const char* token = "q-editor-token";

// One server for these tests: its own data dir, so the questions of other tests do not mix in.
class QuestionServer {
 public:
  static QuestionServer& get() {
    static QuestionServer server;
    return server;
  }
  httplib::Client client() const { return served_.client(); }

 private:
  QuestionServer() : served_({"--data-dir", data_.path().string(), test::demo_root()}, {{"BATON_EDITOR_TOKEN", token}}) {}
  test::TempDir data_;
  test::Served served_;
};

struct Reply {
  int status = 0;
  json body;
};

Reply check_json(const httplib::Result& res) {
  REQUIRE(res);
  INFO(res->status << " " << res->body);
  CHECK_THAT(res->get_header_value("Content-Type"), Catch::StartsWith("application/json"));
  Reply r{res->status, json::parse(res->body, nullptr, false)};
  REQUIRE_FALSE(r.body.is_discarded());
  if (r.status >= 400) CHECK(r.body.contains("error"));
  return r;
}

Reply get(const std::string& path) { return check_json(QuestionServer::get().client().Get(path.c_str())); }

Reply post(const std::string& path, const std::string& body, const std::string& bearer = {}) {
  httplib::Headers headers;
  if (!bearer.empty()) headers.emplace("Authorization", "Bearer " + bearer);
  return check_json(QuestionServer::get().client().Post(path.c_str(), headers, body, "application/json"));
}

Reply ask(const json& body) { return post("/api/questions", body.dump()); }

std::int64_t total(const std::string& status = "all") { return get("/api/questions?status=" + status).body["total"]; }

std::string encode(const std::string& s) { return httplib::detail::encode_query_param(s); }

}  // namespace

TEST_CASE("POST /api/questions stores a question with suggested answers; a repeat is merged", "[http][questions]") {
  const Reply first = ask({{"question", "退款流程是怎样的？"}, {"asker", "新同事"}});
  REQUIRE(first.status == 201);
  CHECK(first.body["merged"] == false);
  CHECK(first.body["status"] == "open");
  CHECK(first.body["count"] == 1);
  CHECK(first.body["channel"] == "web");
  CHECK(first.body["answer"].is_null());
  const json& suggestions = first.body["suggestions"];
  REQUIRE_FALSE(suggestions.empty());
  CHECK(suggestions.size() <= 3);
  for (const char* field : {"id", "doc", "path", "title", "section", "snippet"}) CHECK(suggestions[0].contains(field));
  CHECK(suggestions[0]["path"] == "操作手册/退款处理流程.md");

  const Reply again = ask({{"question", "  退款流程是怎样的?? "}, {"asker", "另一位"}, {"channel", "api"}});
  CHECK(again.status == 200);
  CHECK(again.body["merged"] == true);
  CHECK(again.body["id"] == first.body["id"]);
  CHECK(again.body["count"] == 2);

  const std::string id = std::to_string(first.body["id"].get<std::int64_t>());
  const Reply one = get("/api/questions/" + id);
  CHECK(one.status == 200);
  CHECK(one.body["count"] == 2);
  CHECK(one.body["question"] == "退款流程是怎样的？");
  CHECK(get("/api/questions/999999").status == 404);
  CHECK(get("/api/questions/abc").status == 400);
}

TEST_CASE("GET /api/questions filters by status and pages", "[http][questions]") {
  const Reply a = ask({{"question", "status filter question one"}, {"asker", "t"}});
  const Reply b = ask({{"question", "status filter question two"}, {"asker", "t"}});
  REQUIRE((a.status == 201 && b.status == 201));
  const std::string id = std::to_string(b.body["id"].get<std::int64_t>());
  REQUIRE(post("/api/questions/" + id + "/close", "", token).status == 200);
  const Reply open = get("/api/questions?status=open&limit=100");
  for (const auto& q : open.body["questions"]) CHECK(q["status"] == "open");
  CHECK(open.body["total"] == open.body["questions"].size());
  const Reply closed = get("/api/questions?status=closed");
  REQUIRE(closed.body["total"].get<int>() >= 1);
  for (const auto& q : closed.body["questions"]) CHECK(q["status"] == "closed");
  const Reply all = get("/api/questions?status=all&limit=1&offset=1");
  CHECK(all.body["questions"].size() == 1);
  CHECK(all.body["total"].get<int>() >= 2);
  CHECK(get("/api/questions?status=pending").status == 400);
  CHECK(get("/api/questions?limit=0").status == 400);
  CHECK(get("/api/questions?limit=x").status == 400);
  CHECK(get("/api/questions?offset=-1").status == 400);
}

TEST_CASE("answering needs the editor token and makes the answer searchable at once", "[http][questions]") {
  const Reply q = ask({{"question", "备用路由器放在哪个柜子？"}, {"asker", "新同事"}});
  REQUIRE(q.status == 201);
  const std::string path = "/api/questions/" + std::to_string(q.body["id"].get<std::int64_t>());
  const std::string body = json{{"answer", "在机房二号柜最下层，钥匙在保安室。"}, {"answered_by", "老张"},
                                {"links", {"https://wiki.example/router"}}}
                               .dump();
  CHECK(post(path + "/answer", body).status == 401);
  CHECK(post(path + "/answer", body, "wrong").status == 401);
  CHECK(post(path + "/answer", body, std::string(token) + "x").status == 401);
  CHECK(post(path + "/close", "", "wrong").status == 401);
  CHECK(get(path).body["status"] == "open");
  CHECK(post("/api/questions/999999/answer", body, token).status == 404);

  const Reply answered = post(path + "/answer", body, token);
  REQUIRE(answered.status == 200);
  CHECK(answered.body["status"] == "answered");
  CHECK(answered.body["indexed"] == true);
  CHECK(answered.body["answered_by"] == "老张");
  CHECK(answered.body["links"] == json::array({"https://wiki.example/router"}));
  const std::string doc = answered.body["answer_doc"];

  for (const std::string words : {"机房二号柜", "备用路由器"}) {
    const Reply found = get("/api/search?q=" + encode(words));
    REQUIRE(found.status == 200);
    REQUIRE_FALSE(found.body["hits"].empty());
    INFO(words);
    CHECK(found.body["hits"][0]["doc"] == doc);
    CHECK(found.body["hits"][0]["kind"] == "answer");
  }
  const Reply by_kind = get("/api/search?q=" + encode("柜子") + "&kind=answer");
  REQUIRE(by_kind.body["hits"].size() == 1);
  CHECK(get("/api/docs/" + doc).body["kind"] == "answer");
}

TEST_CASE("the demo server without a token refuses answers with 403", "[http][questions]") {
  // A server with no editor token at all: start one briefly.
  test::TempDir data;
  test::Process server({test::baton_bin(), "serve", "--port", "0", "--data-dir", data.path().string(), test::demo_root()});
  REQUIRE(server.read_until("/  (", std::chrono::seconds(120)));
  std::smatch m;
  const std::string out = server.output();
  REQUIRE(std::regex_search(out, m, std::regex("serving http://127\\.0\\.0\\.1:([0-9]+)/")));
  httplib::Client client("127.0.0.1", std::stoi(m[1].str()));
  auto asked = client.Post("/api/questions", R"({"question": "no token here?", "asker": "x"})", "application/json");
  REQUIRE(asked);
  CHECK(asked->status == 201);
  auto refused = client.Post("/api/questions/1/answer", R"({"answer": "a", "answered_by": "b"})", "application/json");
  REQUIRE(refused);
  CHECK(refused->status == 403);
  CHECK_THAT(refused->body, Catch::Contains("BATON_EDITOR_TOKEN"));
}

TEST_CASE("bad question requests get a clear 4xx JSON error and store nothing", "[http][questions]") {
  const std::int64_t before = total();
  const auto refused = [](const Reply& r) { return r.status >= 400 && r.status < 500 && r.body.contains("error"); };
  CHECK(refused(ask(json::object())));
  CHECK(refused(ask({{"asker", "x"}})));
  CHECK(refused(ask({{"question", 42}, {"asker", "x"}})));
  CHECK(refused(ask({{"question", "ok?"}, {"asker", json::array()}})));
  CHECK(refused(ask({{"question", "ok?"}, {"asker", "x"}, {"channel", 3}})));
  CHECK(refused(ask({{"question", "ok?"}, {"asker", "x"}, {"channel", "Bad Channel"}})));
  CHECK(refused(ask({{"question", ""}, {"asker", "x"}})));
  CHECK(refused(ask({{"question", "？？？"}, {"asker", "x"}})));
  CHECK(refused(ask({{"question", std::string(2001, 'a')}, {"asker", "x"}})));
  CHECK(refused(ask({{"question", "ok?"}, {"asker", std::string(201, 'a')}})));
  CHECK(refused(post("/api/questions", "not json")));
  CHECK(refused(post("/api/questions", "[\"a list\"]")));
  CHECK(refused(post("/api/questions", "{\"question\": \"bad \xff\xfe utf8\", \"asker\": \"x\"}")));
  const Reply huge = post("/api/questions", json{{"question", "big"}, {"asker", std::string(70 << 10, 'a')}}.dump());
  CHECK(huge.status == 413);
  CHECK(total() == before);

  const Reply q = ask({{"question", "a question to answer badly"}, {"asker", "x"}});
  REQUIRE(q.status == 201);
  const std::string path = "/api/questions/" + std::to_string(q.body["id"].get<std::int64_t>()) + "/answer";
  CHECK(refused(post(path, "not json", token)));
  CHECK(refused(post(path, json{{"answered_by", "x"}}.dump(), token)));
  CHECK(refused(post(path, json{{"answer", ""}, {"answered_by", "x"}}.dump(), token)));
  CHECK(refused(post(path, json{{"answer", "a"}, {"answered_by", "x"}, {"links", "not a list"}}.dump(), token)));
  CHECK(refused(post(path, json{{"answer", "a"}, {"answered_by", "x"}, {"links", {1, 2}}}.dump(), token)));
  CHECK(refused(post("/api/questions/abc/answer", json{{"answer", "a"}, {"answered_by", "x"}}.dump(), token)));
  CHECK(get("/api/questions/" + std::to_string(q.body["id"].get<std::int64_t>())).body["status"] == "open");
}
