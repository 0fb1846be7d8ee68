// The HTTP server: translates HTTP <-> module calls and JSON, serves the embedded UI. Nothing else.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "baton/access.h"
#include "baton/feishu_bot.h"
#include "baton/result.h"
#include "baton/webhooks.h"

namespace baton {

class BackgroundSync;
class Searcher;
struct SearchRequest;
struct SearchResponse;

/// A file of static/, compiled into the binary (see cmake/embed_assets.cmake).
struct Asset {
  std::string_view name;
  std::string_view bytes;
};
const std::vector<Asset>& embedded_assets();

/// The JSON of GET /api/search for a response (`baton search --json` prints the same).
std::string search_response_json(const SearchResponse& response, const SearchRequest& request, int indent = -1);

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  ///< 0 = any free port
  unsigned threads = 8;
  std::filesystem::path data_dir;           ///< for the gap report and entity decisions
  std::filesystem::path checklist;          ///< the gap report's checklist (default: see GapOptions)
  /// Reader, editor and admin tokens, sent as "Authorization: Bearer TOKEN" (see access.h).
  AccessTokens tokens;
  /// The chat platforms' secrets (BATON_SLACK_SIGNING_SECRET, ...): a platform without one answers 403.
  WebhookSecrets webhooks;
  /// The URL people reach Baton at, for links in chat replies (BATON_PUBLIC_URL); empty: http://HOST:PORT.
  std::string public_url;
  /// The Feishu app that posts replies (BATON_FEISHU_APP_ID, ...); not configured: questions from
  /// Feishu are stored and answered in the HTTP body only, which Feishu does not show.
  FeishuApp feishu_app{};
  /// The folders' background sync, started by an admin's POST /api/admin/reindex; none: that answers 409.
  BackgroundSync* reindex = nullptr;
};

class Server {
 public:
  Server(Searcher& searcher, ServerOptions options);
  ~Server();

  /// Binds the socket. Errors: port in use, address not available. Returns the bound port.
  Result<int> bind();
  /// Serves until stop() is called (from another thread or a signal handler thread).
  void run();
  /// Stops serving and the Feishu reply sender (joined: the reply being sent is finished, queued ones dropped).
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace baton
