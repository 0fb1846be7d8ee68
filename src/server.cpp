#include "baton/server.h"

#include <httplib.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <nlohmann/json.hpp>

#include "baton/search.h"

using nlohmann::json;

namespace baton {

namespace {

constexpr std::size_t max_body_bytes = 1 << 20;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

void send_json(httplib::Response& res, const json& body, int status = 200) {
  res.status = status;
  res.set_content(dump(body), "application/json; charset=utf-8");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, {{"error", message}}, status);
}

int status_of(const Error& error) {
  switch (error.kind) {
    case ErrorKind::invalid: return 400;
    case ErrorKind::not_found: return 404;
    case ErrorKind::unavailable: return 503;
  }
  return 400;
}

// An integer query parameter: absent → fallback; present but not a whole number → error.
Result<int> int_param(const httplib::Request& req, const char* name, int fallback) {
  if (!req.has_param(name)) return fallback;
  const std::string v = req.get_param_value(name);
  int out = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || end != v.data() + v.size())
    return make_error(std::string(name) + " must be a whole number, got '" + v + "'");
  return out;
}

std::string content_type_of(std::string_view name) {
  const auto ends = [&](std::string_view ext) { return name.size() >= ext.size() && name.substr(name.size() - ext.size()) == ext; };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  if (ends(".json")) return "application/json";
  return "application/octet-stream";
}

json to_json(const Hit& h) {
  return {{"id", h.id},           {"doc", h.doc},   {"path", h.path},   {"title", h.title},
          {"section", h.section}, {"kind", h.kind}, {"date", h.date},   {"snippet", h.snippet},
          {"score", h.score}};
}

json to_json(const DocumentView& d) {
  json sections = json::array();
  for (const auto& s : d.sections)
    sections.push_back({{"id", s.id}, {"heading", s.heading}, {"level", s.level}, {"html", s.html}});
  return {{"id", d.id},     {"path", d.path}, {"title", d.title},   {"kind", d.kind},
          {"date", d.date}, {"author", d.author}, {"unit", d.unit ? json(*d.unit) : json(nullptr)},
          {"sections", sections}};
}

}  // namespace

struct Server::Impl {
  Searcher& searcher;
  ServerOptions options;
  httplib::Server http;

  Impl(Searcher& s, ServerOptions o) : searcher(s), options(std::move(o)) {
    const unsigned threads = options.threads ? options.threads : 8;
    http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    // httplib's default adds SO_REUSEPORT, which lets a second server bind a port already in use and
    // silently share its traffic; SO_REUSEADDR alone still allows a quick restart.
    http.set_socket_options([](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    http.set_payload_max_length(max_body_bytes);
    http.set_read_timeout(10, 0);
    http.set_write_timeout(10, 0);
    routes();
  }

  void routes() {
    http.Get("/api/health", [this](const httplib::Request&, httplib::Response& res) {
      const IndexStats s = searcher.stats();
      send_json(res, {{"status", "ok"},
                      {"version", BATON_VERSION},
                      {"units", s.units},
                      {"documents", s.documents},
                      {"sources", s.sources},
                      {"failed", s.failed},
                      {"last_sync", s.last_sync}});
    });

    http.Get("/api/search", [this](const httplib::Request& req, httplib::Response& res) {
      auto limit = int_param(req, "limit", 10);
      auto offset = int_param(req, "offset", 0);
      if (!limit) return send_error(res, 400, limit.error().message);
      if (!offset) return send_error(res, 400, offset.error().message);
      SearchRequest request{req.get_param_value("q"), *limit, *offset};
      auto result = searcher.search(request);
      if (!result) return send_error(res, status_of(result.error()), result.error().message);
      json hits = json::array();
      for (const auto& h : result->hits) hits.push_back(to_json(h));
      send_json(res, {{"total", result->total},
                      {"took_ms", result->took_ms},
                      {"query", {{"q", request.q}, {"limit", request.limit}, {"offset", request.offset}}},
                      {"hits", hits}});
    });

    http.Get(R"(/api/docs/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      auto doc = searcher.document(req.matches[1].str(), req.get_param_value("q"));
      if (!doc) return send_error(res, status_of(doc.error()), doc.error().message);
      send_json(res, to_json(*doc));
    });

    // The UI is compiled in: no request can make the server read a path from disk.
    for (const Asset& asset : embedded_assets()) {
      std::string path = "/";
      if (asset.name != "index.html") path += asset.name;
      const std::string type = content_type_of(asset.name);
      http.Get(path, [&asset, type](const httplib::Request&, httplib::Response& res) {
        res.set_content(asset.bytes.data(), asset.bytes.size(), type.c_str());
        res.set_header("Cache-Control", "no-cache");
      });
    }

    http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;  // a handler already said what went wrong
      const std::string message = res.status == 404 ? "no such endpoint: " + req.method + " " + req.path
                                  : res.status == 413 ? "request body too large"
                                                      : "request failed with status " + std::to_string(res.status);
      send_error(res, res.status, message);
    });

    http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
      std::string what = "internal error";
      try {
        if (ep) std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        what += std::string(": ") + e.what();
      } catch (...) {
      }
      send_error(res, 500, what);
    });

    http.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
      res.set_header("Content-Security-Policy",
                     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                     "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
      res.set_header("X-Content-Type-Options", "nosniff");
      res.set_header("X-Frame-Options", "DENY");
      res.set_header("Referrer-Policy", "no-referrer");
    });
  }
};

Server::Server(Searcher& searcher, ServerOptions options) : impl_(std::make_unique<Impl>(searcher, std::move(options))) {}
Server::~Server() = default;

Result<int> Server::bind() {
  const std::string& host = impl_->options.host;
  const int port = impl_->options.port;
  errno = 0;
  const int bound = port == 0 ? impl_->http.bind_to_any_port(host) : (impl_->http.bind_to_port(host, port) ? port : -1);
  if (bound < 0) {
    const std::string why = errno == EADDRINUSE ? "port in use (stop the other server or choose --port)"
                            : errno != 0        ? std::strerror(errno)
                                                : "address not available";
    return make_error("cannot listen on " + host + ":" + std::to_string(port) + ": " + why, ErrorKind::unavailable);
  }
  return bound;
}

void Server::run() { impl_->http.listen_after_bind(); }
void Server::stop() { impl_->http.stop(); }

}  // namespace baton
