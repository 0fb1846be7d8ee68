// Who may do what. Three roles, each including the one below: a reader searches, reads documents and
// the gap report and asks questions; an editor also answers questions and decides about entities; an
// admin also starts a re-index. Tokens come from a JSON config file and the environment and are
// compared in constant time. No reader token configured means reading is open (the default on
// 127.0.0.1); no editor or admin token means that kind of writing is switched off, never open.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "baton/result.h"

namespace baton {

enum class Role { anyone, reader, editor, admin };
const char* role_name(Role role);

struct AccessTokens {
  std::vector<std::string> readers, editors, admins;
  /// No reader token: anyone who can reach the port may read.
  bool reading_open() const { return readers.empty(); }
};

/// Tokens shorter than this are refused at start: they could be guessed.
inline constexpr std::size_t min_token_bytes = 8;

/// The highest role `token` holds; every configured token is compared, in time that does not depend
/// on which one (or which byte) differs. An empty token holds no role.
Role role_of(std::string_view token, const AccessTokens& tokens);

/// What a request may do, and if not, why and with which HTTP status.
struct AccessDecision {
  bool allowed = false;
  int status = 0;       ///< 401: no or wrong token; 403: a valid token of a lower role, or nobody may
  std::string message;  ///< for the JSON error: says which token is needed and how to send it
};
AccessDecision decide_access(std::string_view bearer_token, Role needed, const AccessTokens& tokens);

/// Everything `baton serve` reads from its config file (BATON_CONFIG or --config), e.g.
///   {"tokens": {"reader": ["..."], "editor": ["..."], "admin": ["..."]},
///    "webhooks": {"BATON_SLACK_SIGNING_SECRET": "..."}, "public_url": "https://kb.example.com"}
/// The "webhooks" object holds the same names as the environment; the environment wins.
struct ServeConfig {
  AccessTokens tokens;
  std::vector<std::pair<std::string, std::string>> settings;  ///< webhook secrets and the like, by env name
  std::string public_url;
};

/// Reads a config file. Errors: unreadable, not JSON, a field of the wrong type, an unknown key (a typo
/// would otherwise silently leave a door open or shut), a token too short or with spaces.
Result<ServeConfig> load_serve_config(const std::filesystem::path& file);
/// Adds BATON_READER_TOKEN, BATON_EDITOR_TOKEN and BATON_ADMIN_TOKEN (each one token or several
/// separated by commas). Errors: a token too short or with spaces.
Status add_env_tokens(AccessTokens& tokens);
/// Splits "a, b,c" into tokens. Errors: a token too short or with spaces.
Result<std::vector<std::string>> parse_token_list(std::string_view list, std::string_view source);

/// True for 127.0.0.0/8, ::1 and "localhost": addresses only this machine can reach.
bool is_loopback_host(std::string_view host);

}  // namespace baton
