#include "baton/server.h"

#include <httplib.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <nlohmann/json.hpp>

#include "baton/gaps.h"
#include "baton/search.h"
#include "baton/text.h"

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

// The bearer token of a request, or "".
std::string bearer_token(const httplib::Request& req) {
  const std::string auth = req.get_header_value("Authorization");
  constexpr std::string_view scheme = "Bearer ";
  return auth.starts_with(scheme) ? std::string(trim(std::string_view(auth).substr(scheme.size()))) : std::string();
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
  json more = json::array();
  for (const auto& m : h.more) more.push_back({{"id", m.id}, {"section", m.section}, {"snippet", m.snippet}});
  return {{"id", h.id},           {"doc", h.doc},           {"path", h.path},     {"title", h.title},
          {"section", h.section}, {"kind", h.kind},         {"type", h.type},     {"date", h.date},
          {"author", h.author},   {"snippet", h.snippet},   {"score", h.score},   {"more", more},
          {"more_count", h.more_count}};
}

json to_json(const Filters& f) {
  json out = json::object();
  for (const auto& [name, value] : f.items()) out[name] = value;
  return out;
}

json to_json(const SearchResponse& r, const SearchRequest& request) {
  json hits = json::array();
  for (const auto& h : r.hits) hits.push_back(to_json(h));
  json facets = json::object();
  for (const auto& [name, values] : r.facets) {
    json list = json::array();
    for (const auto& v : values) list.push_back({{"value", v.value}, {"count", v.count}});
    facets[name] = list;
  }
  return {{"query", {{"q", request.q},
                     {"text", r.text},
                     {"filters", to_json(r.filters)},
                     {"sort", request.sort == SortOrder::date ? "date" : "relevance"},
                     {"group", request.group ? "doc" : "none"},
                     {"limit", request.limit},
                     {"offset", request.offset}}},
          {"total", r.total},
          {"took_ms", r.took_ms},
          {"suggestion", r.suggestion ? json(*r.suggestion) : json(nullptr)},
          {"search_id", r.search_id},
          {"facets", facets},
          {"hits", hits}};
}

// A search request from query parameters. Errors: a parameter with a bad value.
Result<SearchRequest> search_request(const httplib::Request& req) {
  auto limit = int_param(req, "limit", 10);
  if (!limit) return limit.error();
  auto offset = int_param(req, "offset", 0);
  if (!offset) return offset.error();
  SearchRequest request;
  request.q = req.get_param_value("q");
  request.limit = *limit;
  request.offset = *offset;
  for (const char* name : filter_names)
    if (req.has_param(name)) request.filters.set(name, std::string(trim(req.get_param_value(name))));
  const std::string sort = req.has_param("sort") ? req.get_param_value("sort") : "relevance";
  if (sort == "date") request.sort = SortOrder::date;
  else if (sort != "relevance") return make_error("sort must be relevance or date, got '" + sort + "'");
  const std::string group = req.has_param("group") ? req.get_param_value("group") : "doc";
  if (group == "none") request.group = false;
  else if (group != "doc") return make_error("group must be doc or none, got '" + group + "'");
  return request;
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

bool token_matches(std::string_view given, const std::vector<std::string>& tokens) {
  bool match = false;
  for (const std::string& token : tokens) {
    // Every byte of the longer is compared, whatever the first difference.
    const std::size_t n = std::max(given.size(), token.size());
    unsigned char diff = given.size() == token.size() ? 0 : 1;
    for (std::size_t i = 0; i < n; ++i)
      diff |= static_cast<unsigned char>((i < given.size() ? given[i] : 0) ^ (i < token.size() ? token[i] : 0));
    match |= !token.empty() && diff == 0;
  }
  return match;
}

std::string search_response_json(const SearchResponse& response, const SearchRequest& request, int indent) {
  return to_json(response, request).dump(indent, ' ', false, json::error_handler_t::replace);
}

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
    // Without TCP_NODELAY every response after the first on a keep-alive connection waited ~40 ms
    // for a delayed ACK (Nagle): measured 44 ms p50 over HTTP for 0.5 ms searches (bench/search).
    http.set_tcp_nodelay(true);
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
      auto request = search_request(req);
      if (!request) return send_error(res, 400, request.error().message);
      auto result = searcher.search(*request);
      if (!result) return send_error(res, status_of(result.error()), result.error().message);
      send_json(res, to_json(*result, *request));
    });

    http.Get(R"(/api/docs/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      std::int64_t search_id = 0;
      if (req.has_param("search")) {
        const std::string v = req.get_param_value("search");
        const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), search_id);
        if (ec != std::errc() || end != v.data() + v.size() || search_id <= 0)
          return send_error(res, 400, "search must be the search_id of a search, got '" + v + "'");
      }
      auto doc = searcher.document(req.matches[1].str(), req.get_param_value("q"));
      if (!doc) return send_error(res, status_of(doc.error()), doc.error().message);
      // Opening a result is a read; which result was opened goes to the search log.
      searcher.record_open(search_id, doc->unit.value_or(doc->id));
      send_json(res, to_json(*doc));
    });

    http.Get("/api/gaps", [this](const httplib::Request& req, httplib::Response& res) {
      GapOptions options;
      options.as_of = req.get_param_value("as_of");
      options.checklist = this->options.checklist;
      if (req.has_param("stale_days")) {
        const std::string v = req.get_param_value("stale_days");
        const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), options.stale_days);
        if (ec != std::errc() || end != v.data() + v.size() || options.stale_days < 1 || options.stale_days > 36500)
          return send_error(res, 400, "stale_days must be a number of days between 1 and 36500, got '" + v + "'");
      }
      const std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
      if (format != "json" && format != "md") return send_error(res, 400, "format must be json or md, got '" + format + "'");
      searcher.flush_log();  // the searches just made count as demand
      auto report = analyse_gaps(this->options.data_dir, options);
      if (!report) return send_error(res, status_of(report.error()), report.error().message);
      if (format == "md") {
        res.set_header("Content-Disposition", "attachment; filename=\"handover-gaps-" + report->as_of + ".md\"");
        return res.set_content(gaps_markdown(*report), "text/markdown; charset=utf-8");
      }
      res.set_content(gaps_json(*report), "application/json; charset=utf-8");
    });

    // A person's decision about an entity of the gap report: {"key", "action", "value"}.
    http.Post("/api/entities/decision", [this](const httplib::Request& req, httplib::Response& res) {
      if (options.editor_tokens.empty())
        return send_error(res, 403, "writing is disabled: start baton serve with BATON_EDITOR_TOKEN set");
      if (!token_matches(bearer_token(req), options.editor_tokens))
        return send_error(res, 401, "an editor token is needed: send Authorization: Bearer TOKEN");
      const json body = json::parse(req.body, nullptr, false);
      if (body.is_discarded() || !body.is_object()) return send_error(res, 400, "body must be a JSON object");
      const auto text = [&](const char* key) -> std::optional<std::string> {
        if (!body.contains(key)) return std::string();
        if (!body[key].is_string()) return std::nullopt;
        return body[key].get<std::string>();
      };
      const auto key = text("key"), action = text("action"), value = text("value");
      if (!key || !action || !value) return send_error(res, 400, "key, action and value must be strings");
      if (key->empty() || action->empty()) return send_error(res, 400, "key and action are required");
      if (key->size() > 200 || value->size() > 200) return send_error(res, 400, "key and value are limited to 200 bytes");
      if (!is_utf8(*key) || !is_utf8(*value)) return send_error(res, 400, "key and value must be UTF-8");
      auto ok = decide_entity(options.data_dir, *key, *action, *value);
      if (!ok) return send_error(res, status_of(ok.error()), ok.error().message);
      send_json(res, {{"key", *key}, {"action", *action}, {"value", *value}});
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
