#include "baton/access.h"

#include <catch2/catch.hpp>

#include "test_util.h"

using namespace baton;

namespace {

AccessTokens three_roles() {
  AccessTokens t;
  t.readers = {"reader-token-1", "reader-token-2"};
  t.editors = {"editor-token-1"};
  t.admins = {"admin-token-1"};
  return t;
}

}  // namespace

TEST_CASE("a token holds the highest role it is listed under - near misses hold none", "[access]") {
  const AccessTokens t = three_roles();
  CHECK(role_of("reader-token-2", t) == Role::reader);
  CHECK(role_of("editor-token-1", t) == Role::editor);
  CHECK(role_of("admin-token-1", t) == Role::admin);
  CHECK(role_of("", t) == Role::anyone);
  CHECK(role_of("admin-token-", t) == Role::anyone);
  CHECK(role_of("admin-token-12", t) == Role::anyone);
  CHECK(role_of("ADMIN-TOKEN-1", t) == Role::anyone);
  AccessTokens both = t;
  both.readers.push_back("admin-token-1");
  CHECK(role_of("admin-token-1", both) == Role::admin);
}

TEST_CASE("each role includes the ones below it - 401 without a valid token, 403 with too low a role", "[access]") {
  const AccessTokens t = three_roles();
  const Role roles[] = {Role::reader, Role::editor, Role::admin};
  const char* tokens[] = {"reader-token-1", "editor-token-1", "admin-token-1"};
  for (int held = 0; held < 3; ++held)
    for (int needed = 0; needed < 3; ++needed) {
      INFO(tokens[held] << " for " << role_name(roles[needed]));
      const AccessDecision d = decide_access(tokens[held], roles[needed], t);
      CHECK(d.allowed == (held >= needed));
      if (!d.allowed) CHECK(d.status == 403);
    }
  for (const char* bad : {"", "nope-nope-nope"}) {
    const AccessDecision d = decide_access(bad, Role::reader, t);
    CHECK_FALSE(d.allowed);
    CHECK(d.status == 401);
    CHECK_THAT(d.message, Catch::Contains("Authorization: Bearer"));
  }
  CHECK(decide_access("", Role::anyone, t).allowed);
}

TEST_CASE("no reader token: reading is open - no editor or admin token: writing is off, never open", "[access]") {
  AccessTokens none;
  CHECK(decide_access("", Role::reader, none).allowed);
  const AccessDecision edit = decide_access("anything-at-all", Role::editor, none);
  CHECK_FALSE(edit.allowed);
  CHECK(edit.status == 403);
  CHECK_THAT(edit.message, Catch::Contains("BATON_EDITOR_TOKEN"));
  const AccessDecision admin = decide_access("anything-at-all", Role::admin, none);
  CHECK(admin.status == 403);
  CHECK_THAT(admin.message, Catch::Contains("BATON_ADMIN_TOKEN"));

  AccessTokens admins_only;
  admins_only.admins = {"admin-token-1"};
  CHECK(decide_access("admin-token-1", Role::editor, admins_only).allowed);  // an admin may edit
  CHECK(decide_access("", Role::editor, admins_only).status == 401);
  CHECK(decide_access("", Role::reader, admins_only).allowed);
}

TEST_CASE("token lists: commas, spaces trimmed - short tokens and tokens with spaces are refused", "[access]") {
  auto ok = parse_token_list(" first-token-1 ,second-token-2,, ", "TEST");
  REQUIRE(ok);
  CHECK(*ok == std::vector<std::string>{"first-token-1", "second-token-2"});
  auto short_one = parse_token_list("first-token-1,short", "TEST");
  REQUIRE_FALSE(short_one);
  CHECK_THAT(short_one.error().message, Catch::Contains("TEST") && Catch::Contains("at least"));
  CHECK_FALSE(parse_token_list("has a space in it", "TEST"));
  CHECK_FALSE(parse_token_list(std::string("tab\tin-the-token"), "TEST"));
  auto empty = parse_token_list("", "TEST");
  REQUIRE(empty);
  CHECK(empty->empty());
}

TEST_CASE("the config file gives tokens, webhook settings and the public URL - mistakes are errors", "[access]") {
  test::TempDir dir;
  const auto file = dir.path() / "baton.json";
  test::write_file(file, R"({"tokens": {"reader": ["reader-token-1"], "editor": "editor-token-1", "admin": []},
                             "webhooks": {"BATON_SLACK_SIGNING_SECRET": "slack-secret"},
                             "public_url": "https://kb.example.com"})");
  auto config = load_serve_config(file);
  REQUIRE(config);
  CHECK(config->tokens.readers == std::vector<std::string>{"reader-token-1"});
  CHECK(config->tokens.editors == std::vector<std::string>{"editor-token-1"});
  CHECK(config->tokens.admins.empty());
  REQUIRE(config->settings.size() == 1);
  CHECK(config->settings[0] == std::pair<std::string, std::string>{"BATON_SLACK_SIGNING_SECRET", "slack-secret"});
  CHECK(config->public_url == "https://kb.example.com");

  const std::pair<const char*, const char*> bad[] = {
      {"not json", "not a JSON object"},
      {R"(["a list"])", "not a JSON object"},
      {R"({"token": {}})", "unknown key \"token\""},
      {R"({"tokens": {"writer": ["editor-token-1"]}})", "unknown role \"writer\""},
      {R"({"tokens": {"reader": [42]}})", "list of strings"},
      {R"({"tokens": {"reader": ["short"]}})", "at least"},
      {R"({"tokens": []})", "must be an object"},
      {R"({"webhooks": {"SLACK": "x"}})", "BATON_"},
      {R"({"public_url": 3})", "public_url"},
  };
  for (const auto& [text, why] : bad) {
    INFO(text);
    test::write_file(file, text);
    auto refused = load_serve_config(file);
    REQUIRE_FALSE(refused);
    CHECK_THAT(refused.error().message, Catch::Contains(why) && Catch::Contains(file.string()));
  }
  auto missing = load_serve_config(dir.path() / "absent.json");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().kind == ErrorKind::not_found);
}

TEST_CASE("loopback addresses are told from the others", "[access]") {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"}) {
    INFO(host);
    CHECK(is_loopback_host(host));
  }
  for (const char* host : {"0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "128.0.0.1", "example.com", "", "::ffff:10.0.0.1"}) {
    INFO(host);
    CHECK_FALSE(is_loopback_host(host));
  }
}
