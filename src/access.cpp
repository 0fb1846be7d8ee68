#include "baton/access.h"

#include <arpa/inet.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "baton/text.h"
#include "baton/webhooks.h"

using nlohmann::json;

namespace baton {

const char* role_name(Role role) {
  switch (role) {
    case Role::anyone: return "anyone";
    case Role::reader: return "reader";
    case Role::editor: return "editor";
    case Role::admin: return "admin";
  }
  return "anyone";
}

namespace {

// True if `given` equals one of `tokens`. Every token is compared, so the time taken says nothing
// about which token (or which byte) came close.
bool any_matches(std::string_view given, const std::vector<std::string>& tokens) {
  bool match = false;
  for (const std::string& token : tokens) match |= !token.empty() && same_secret(given, token);
  return match;
}

Status check_token(std::string_view token, std::string_view source) {
  if (token.size() < min_token_bytes)
    return make_error(std::string(source) + ": a token must be at least " + std::to_string(min_token_bytes) +
                      " characters long (a short one can be guessed)");
  for (const char c : token)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
      return make_error(std::string(source) + ": a token cannot hold spaces or control characters");
  return Ok{};
}

const char* how_to_send = "send it as Authorization: Bearer TOKEN";

}  // namespace

Role role_of(std::string_view token, const AccessTokens& tokens) {
  if (token.empty()) return Role::anyone;
  // All three lists are always compared, whatever matched first.
  const bool admin = any_matches(token, tokens.admins);
  const bool editor = any_matches(token, tokens.editors);
  const bool reader = any_matches(token, tokens.readers);
  return admin ? Role::admin : editor ? Role::editor : reader ? Role::reader : Role::anyone;
}

AccessDecision decide_access(std::string_view bearer_token, Role needed, const AccessTokens& tokens) {
  if (needed == Role::anyone || (needed == Role::reader && tokens.reading_open())) return {true, 200, ""};
  const bool configured = needed == Role::admin    ? !tokens.admins.empty()
                          : needed == Role::editor ? !tokens.editors.empty() || !tokens.admins.empty()
                                                   : true;
  if (!configured) {
    const std::string var = needed == Role::admin ? "BATON_ADMIN_TOKEN" : "BATON_EDITOR_TOKEN";
    return {false, 403,
            std::string(needed == Role::admin ? "administration" : "writing") + " is disabled on this server: start baton serve with " +
                var + " set (or \"" + role_name(needed) + "\" tokens in its config file)"};
  }
  const Role held = role_of(bearer_token, tokens);
  if (held >= needed) return {true, 200, ""};
  if (held == Role::anyone)
    return {false, 401,
            std::string(bearer_token.empty() ? "a" : "a valid") + " " + role_name(needed) + " token is needed: " + how_to_send};
  return {false, 403,
          std::string("this token may ") + (held == Role::reader ? "read" : "edit") + " but not do this: " +
              role_name(needed) + " token needed"};
}

Result<std::vector<std::string>> parse_token_list(std::string_view list, std::string_view source) {
  std::vector<std::string> tokens;
  for (std::size_t start = 0; start <= list.size();) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    if (const auto t = trim(list.substr(start, comma - start)); !t.empty()) {
      if (auto ok = check_token(t, source); !ok) return ok.error();
      tokens.emplace_back(t);
    }
    start = comma + 1;
  }
  return tokens;
}

Status add_env_tokens(AccessTokens& tokens) {
  const std::pair<const char*, std::vector<std::string>*> vars[] = {
      {"BATON_READER_TOKEN", &tokens.readers}, {"BATON_EDITOR_TOKEN", &tokens.editors}, {"BATON_ADMIN_TOKEN", &tokens.admins}};
  for (const auto& [name, list] : vars) {
    const char* env = std::getenv(name);
    if (!env) continue;
    auto parsed = parse_token_list(env, name);
    if (!parsed) return parsed.error();
    list->insert(list->end(), parsed->begin(), parsed->end());
  }
  return Ok{};
}

Result<ServeConfig> load_serve_config(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return make_error("cannot read the config file " + file.string(), ErrorKind::not_found);
  std::stringstream text;
  text << in.rdbuf();
  const std::string where = "config " + file.string();
  const json config = json::parse(text.str(), nullptr, false);
  if (config.is_discarded() || !config.is_object()) return make_error(where + ": not a JSON object");
  ServeConfig out;
  for (const auto& [key, value] : config.items()) {
    if (key == "tokens") {
      if (!value.is_object()) return make_error(where + ": \"tokens\" must be an object of reader/editor/admin lists");
      for (const auto& [role, list] : value.items()) {
        std::vector<std::string>* into = role == "reader" ? &out.tokens.readers
                                         : role == "editor" ? &out.tokens.editors
                                         : role == "admin"  ? &out.tokens.admins
                                                            : nullptr;
        if (!into) return make_error(where + ": unknown role \"" + role + "\" in tokens (reader, editor or admin)");
        const json items = list.is_string() ? json::array({list}) : list;
        if (!items.is_array()) return make_error(where + ": tokens." + role + " must be a list of strings");
        for (const auto& t : items) {
          if (!t.is_string()) return make_error(where + ": tokens." + role + " must be a list of strings");
          const std::string token = t.get<std::string>();
          if (auto ok = check_token(token, where + " tokens." + role); !ok) return ok.error();
          into->push_back(token);
        }
      }
    } else if (key == "webhooks") {
      if (!value.is_object()) return make_error(where + ": \"webhooks\" must be an object of BATON_… names and strings");
      for (const auto& [name, secret] : value.items()) {
        if (!name.starts_with("BATON_") || !secret.is_string())
          return make_error(where + ": webhooks." + name + " must be a BATON_… setting with a string value");
        out.settings.emplace_back(name, secret.get<std::string>());
      }
    } else if (key == "public_url") {
      if (!value.is_string()) return make_error(where + ": \"public_url\" must be a string");
      out.public_url = value.get<std::string>();
    } else {
      return make_error(where + ": unknown key \"" + key + "\" (tokens, webhooks, public_url)");
    }
  }
  return out;
}

bool is_loopback_host(std::string_view host) {
  if (host == "localhost") return true;
  const std::string h(host.starts_with('[') && host.ends_with(']') ? host.substr(1, host.size() - 2) : host);
  in_addr v4{};
  if (::inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, h.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    if (IN6_IS_ADDR_V4MAPPED(&v6)) return v6.s6_addr[12] == 127;
  }
  return false;
}

}  // namespace baton
