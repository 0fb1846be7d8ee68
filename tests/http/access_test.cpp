// Who may do what, against the real `baton serve`: reader, editor and admin tokens from a config file and the
// environment, the refusal to open a non-loopback address without reader tokens, an admin's re-index; and the
// HTTP hygiene every request gets (JSON errors whatever goes wrong, limits, security headers).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "http/process.h"
#include "test_util.h"

using nlohmann::json;
using namespace baton;
namespace fs = std::filesystem;

namespace {

constexpr const char* reader = "reader-token-aaaa";
constexpr const char* editor = "editor-token-bbbb";
constexpr const char* admin = "admin-token-cccc";
constexpr const char* env_reader = "env-reader-token-dddd";

// A copy of the demo (the re-index test adds a file to it), served with tokens of all three roles: the config
// file holds one of each, the environment adds a second reader.
class GuardedServer {
 public:
  static GuardedServer& get() {
    static GuardedServer server;
    return server;
  }
  httplib::Client client() const { return served_->client(); }
  int port() const { return served_->port(); }
  const fs::path& root() const { return root_; }

 private:
  GuardedServer() {
    fs::copy(test::demo_root(), root_, fs::copy_options::recursive);
    test::write_file(config_, json{{"tokens", {{"reader", {reader}}, {"editor", {editor}}, {"admin", {admin}}}},
                                   {"webhooks", {{"BATON_SLACK_SIGNING_SECRET", "slack-secret-from-config"}}}}
                                  .dump());
    fs::permissions(config_, fs::perms::owner_read | fs::perms::owner_write);
    served_.emplace(std::vector<std::string>{"--data-dir", (dir_ / "data").string(), "--config", config_.string(),
                                             root_.string()},
                    test::Env{{"BATON_READER_TOKEN", env_reader}});
  }
  test::TempDir dir_;
  fs::path root_ = dir_ / "demo";
  fs::path config_ = dir_ / "baton.json";
  std::optional<test::Served> served_;
};

struct Reply {
  int status = 0;
  json body;
  httplib::Headers headers;
};

// Every answer of the API is JSON, refusals too.
Reply check(const httplib::Result& res) {
  REQUIRE(res);
  INFO(res->status << " " << res->body);
  CHECK_THAT(res->get_header_value("Content-Type"), Catch::StartsWith("application/json"));
  Reply r{res->status, json::parse(res->body, nullptr, false), res->headers};
  REQUIRE_FALSE(r.body.is_discarded());
  if (r.status >= 400) CHECK(r.body.contains("error"));
  return r;
}

httplib::Headers bearer(const std::string& token) {
  return token.empty() ? httplib::Headers{} : httplib::Headers{{"Authorization", "Bearer " + token}};
}

Reply get(const std::string& path, const std::string& token) {
  return check(GuardedServer::get().client().Get(path.c_str(), bearer(token)));
}

Reply post(const std::string& path, const json& body, const std::string& token) {
  return check(GuardedServer::get().client().Post(path.c_str(), bearer(token), body.dump(), "application/json"));
}

// Sends raw bytes to a server and returns everything it answers until it closes. (No half-close: httplib drops a
// connection whose peer has shut its side before the answer is written.)
std::string raw_exchange(int port, const std::string& bytes) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  timeval tv{15, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return out;
}

}  // namespace

TEST_CASE("with reader tokens, reading needs one: none or a wrong one is 401, every role's token reads", "[access]") {
  const Reply none = get("/api/search?q=退款", "");
  CHECK(none.status == 401);
  CHECK_THAT(none.body["error"].get<std::string>(), Catch::Contains("Authorization: Bearer"));
  bool challenged = false;
  for (const auto& [name, value] : none.headers) challenged |= name == "WWW-Authenticate" && value.starts_with("Bearer");
  CHECK(challenged);
  CHECK(get("/api/search?q=退款", "reader-token-aaab").status == 401);
  CHECK(get("/api/search?q=退款", std::string(reader) + "x").status == 401);
  for (const char* token : {reader, env_reader, editor, admin}) {
    INFO(token);
    const Reply ok = get("/api/search?q=退款", token);
    CHECK(ok.status == 200);
    CHECK(ok.body["total"].get<int>() > 0);
  }
  const std::string doc = get("/api/search?q=退款", reader).body["hits"][0]["doc"];
  CHECK(get("/api/docs/" + doc, "").status == 401);
  CHECK(get("/api/docs/" + doc, reader).status == 200);
  CHECK(get("/api/gaps", "").status == 401);
  CHECK(get("/api/gaps", reader).status == 200);
  CHECK(get("/api/questions", "").status == 401);
  CHECK(get("/api/questions", reader).status == 200);
  CHECK(post("/api/questions", {{"question", "谁能看到这个问题？"}}, "").status == 401);
  CHECK(get("/api/questions?status=all", reader).body["total"] == 0);  // the refused question was not stored
}

TEST_CASE("health answers anyone, but what the index holds only to a reader", "[access]") {
  const Reply open = get("/api/health", "");
  CHECK(open.status == 200);
  CHECK(open.body["status"] == "ok");
  CHECK(open.body["token_needed"] == true);
  CHECK_FALSE(open.body.contains("documents"));
  const Reply full = get("/api/health", reader);
  CHECK(full.body["documents"].get<int>() >= 20);
  CHECK_FALSE(full.body.contains("token_needed"));

  // The page itself holds no data: it loads without a token and asks for one.
  auto page = GuardedServer::get().client().Get("/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK_THAT(page->body, Catch::Contains("token-gate"));
}

TEST_CASE("writing needs an editor or admin token; a reader's token is 403", "[access]") {
  const Reply asked = post("/api/questions", {{"question", "交接后谁负责备份？"}, {"asker", "新同事"}}, reader);
  REQUIRE(asked.status == 201);
  const std::string q = "/api/questions/" + std::to_string(asked.body["id"].get<std::int64_t>());
  const json answer = {{"answer", "运维组的值班同事负责每日备份。"}, {"answered_by", "老张"}};
  const Reply by_reader = post(q + "/answer", answer, reader);
  CHECK(by_reader.status == 403);
  CHECK_THAT(by_reader.body["error"].get<std::string>(), Catch::Contains("editor"));
  CHECK(post(q + "/answer", answer, "").status == 401);
  CHECK(get(q, reader).body["answer"].is_null());
  CHECK(post(q + "/answer", answer, editor).status == 200);
  CHECK(post(q + "/close", json::object(), admin).status == 200);  // an admin may do what an editor may

  const json decision = {{"key", "瑞丰贸易"}, {"action", "confirm"}, {"value", ""}};
  CHECK(post("/api/entities/decision", decision, reader).status == 403);
  CHECK(post("/api/entities/decision", decision, editor).status == 200);
}

TEST_CASE("an admin re-indexes the served folders; nobody else may", "[access]") {
  const std::string word = "reindexprobeword";
  CHECK(get("/api/search?q=" + word, reader).body["total"] == 0);
  test::write_file(GuardedServer::get().root() / "新增" / "reindex-probe.md", "# Probe\n\nA " + word + " document.\n");

  CHECK(post("/api/admin/reindex", json::object(), editor).status == 403);
  CHECK(post("/api/admin/reindex", json::object(), reader).status == 403);
  CHECK(post("/api/admin/reindex", json::object(), "").status == 401);
  CHECK(get("/api/admin/reindex", editor).status == 403);

  const Reply started = post("/api/admin/reindex", json::object(), admin);
  REQUIRE(started.status == 202);
  CHECK(started.body["running"] == true);
  REQUIRE(started.body["roots"].size() == 1);
  Reply state;
  for (int i = 0; i < 600; ++i) {  // up to 60 s under the sanitizers
    state = get("/api/admin/reindex", admin);
    if (state.body["runs"].get<int>() >= 1 && state.body["running"] == false) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  INFO(state.body.dump());
  REQUIRE(state.body["runs"] == 1);
  CHECK(state.body["error"].is_null());
  CHECK(state.body["last"]["added"] == 1);
  CHECK(get("/api/search?q=" + word, reader).body["total"] == 1);
}

TEST_CASE("webhook secrets may come from the config file; webhooks do not take the API's tokens", "[access]") {
  // Configured (from the file): an unsigned request is refused as unsigned (401), not as unconfigured (403).
  auto res = GuardedServer::get().client().Post("/api/webhooks/slack", bearer(admin), "text=hello", "application/x-www-form-urlencoded");
  const Reply unsigned_request = check(res);
  CHECK(unsigned_request.status == 401);
  CHECK_THAT(unsigned_request.body["error"].get<std::string>(), Catch::Contains("Slack"));
}

TEST_CASE("baton serve refuses a non-loopback address without reader tokens, and a bad config", "[access][cli]") {
  test::TempDir data;
  auto open = test::run_baton({"serve", "--host", "0.0.0.0", "--port", "0", "--data-dir", data.path().string()});
  CHECK(open.status != 0);
  CHECK_THAT(open.output, Catch::Contains("refusing to listen on 0.0.0.0") && Catch::Contains("BATON_READER_TOKEN"));
  CHECK_FALSE(fs::exists(data / "index"));  // refused before anything was written

  const auto config = data / "bad.json";
  test::write_file(config, R"({"tokens": {"reader": ["short"]}})");
  auto bad = test::run_baton({"serve", "--port", "0", "--config", config.string(), "--data-dir", data.path().string()});
  CHECK(bad.status != 0);
  CHECK_THAT(bad.output, Catch::Contains("at least 8 characters"));

  test::write_file(config, R"({"webhooks": {"BATON_SLACK_SIGNING_SECRT": "typo"}})");
  auto typo = test::run_baton({"serve", "--port", "0", "--config", config.string(), "--data-dir", data.path().string()});
  CHECK(typo.status != 0);
  CHECK_THAT(typo.output, Catch::Contains("unknown setting BATON_SLACK_SIGNING_SECRT"));

  test::Process short_env({test::baton_bin(), "serve", "--port", "0", "--data-dir", data.path().string()},
                          {{"BATON_EDITOR_TOKEN", "abc"}});
  CHECK(short_env.wait() != 0);
  CHECK_THAT(short_env.output(), Catch::Contains("BATON_EDITOR_TOKEN"));
}

TEST_CASE("with reader tokens, baton serve opens a non-loopback address", "[access][cli]") {
  test::TempDir data;
  test::Process p({test::baton_bin(), "serve", "--host", "0.0.0.0", "--port", "0", "--data-dir", data.path().string(),
                   test::demo_root()},
                  {{"BATON_READER_TOKEN", env_reader}});
  REQUIRE(p.read_until("/  (", std::chrono::seconds(120)));
  CHECK_THAT(p.output(), Catch::Contains("serving http://0.0.0.0:") && Catch::Contains("reading needs a token"));
  p.signal(SIGTERM);
  CHECK(p.wait() == 0);
}

TEST_CASE("whatever is wrong with a request, the answer is JSON and says what", "[access][hygiene]") {
  auto client = GuardedServer::get().client();
  // Too large a body, before any token is looked at.
  auto huge = client.Post("/api/questions", bearer(reader), std::string(2 << 20, 'x'), "application/json");
  const Reply too_big = check(huge);
  CHECK(too_big.status == 413);
  // A URL longer than the server reads.
  const Reply long_url = check(client.Get(("/api/search?q=" + std::string(20000, 'a')).c_str(), bearer(reader)));
  CHECK(long_url.status == 414);
  CHECK(get("/api/search?q=" + std::string(1100, 'a'), reader).status == 400);  // longer than a query may be
  CHECK(get("/api/search?q=a&limit=101", reader).status == 400);               // more than a page may hold
  CHECK(get("/api/questions?limit=101", reader).status == 400);
  CHECK(get("/api/no-such-thing", reader).status == 404);
  CHECK(check(client.Delete("/api/search", bearer(reader))).status >= 400);
  const Reply not_json = check(client.Post("/api/questions", bearer(reader), "{not json", "application/json"));
  CHECK(not_json.status == 400);

  // A request line no HTTP client would send.
  const int port = GuardedServer::get().port();
  for (const std::string bytes : {"GARBAGE\r\n\r\n",
                                  "POST /api/questions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"}) {
    INFO(bytes);
    const std::string answer = raw_exchange(port, bytes);
    CHECK_THAT(answer, Catch::StartsWith("HTTP/1.1 400"));
    CHECK_THAT(answer, Catch::Contains("application/json") && Catch::Contains("{\"error\":\"bad request"));
  }
}

TEST_CASE("every answer carries the security headers; the CSP forbids inline script", "[access][hygiene]") {
  auto client = GuardedServer::get().client();
  for (const char* path : {"/", "/app.js", "/api/health", "/api/search?q=x", "/api/nothing"}) {
    INFO(path);
    auto res = client.Get(path);
    REQUIRE(res);
    const std::string csp = res->get_header_value("Content-Security-Policy");
    CHECK_THAT(csp, Catch::Contains("script-src 'self'") && !Catch::Contains("unsafe-inline") &&
                        Catch::Contains("object-src 'none'") && Catch::Contains("frame-ancestors 'none'"));
    CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
    CHECK(res->get_header_value("X-Frame-Options") == "DENY");
    CHECK(res->get_header_value("Referrer-Policy") == "no-referrer");
  }
}
