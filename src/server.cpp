#include "baton/server.h"

#include <httplib.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>

#include "baton/access.h"
#include "baton/gaps.h"
#include "baton/index.h"
#include "baton/questions.h"
#include "baton/search.h"
#include "baton/text.h"
#include "baton/webhooks.h"

using nlohmann::json;

namespace baton {

namespace {

constexpr std::size_t max_body_bytes = 1 << 20;
/// Questions and answers are short: a larger body is refused before it is parsed.
constexpr std::size_t max_question_body_bytes = 64 << 10;

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
    case ErrorKind::unauthorized: return 401;
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

json to_json(const QuestionRecord& q) {
  json suggestions = json::array();
  for (const auto& h : q.suggestions)
    suggestions.push_back({{"id", h.id}, {"doc", h.doc}, {"path", h.path}, {"title", h.title}, {"section", h.section},
                           {"snippet", h.snippet}});
  const bool answered = q.answer_rev > 0;
  return {{"id", q.id},
          {"question", q.question},
          {"asker", q.asker},
          {"channel", q.channel},
          {"created_at", q.created_at},
          {"status", q.status},
          {"count", q.count},
          {"last_asked_at", q.last_asked_at},
          {"answer", answered ? json(q.answer) : json(nullptr)},
          {"answered_by", answered ? json(q.answered_by) : json(nullptr)},
          {"answered_at", answered ? json(q.answered_at) : json(nullptr)},
          {"links", q.links},
          {"answer_doc", answered ? json(answer_doc_id(q.id)) : json(nullptr)},
          {"indexed", answered && q.indexed_rev >= q.answer_rev},
          {"suggestions", suggestions}};
}

// The JSON object body of a question or answer request. Errors: too large, not UTF-8, not an object.
Result<json> json_body(const httplib::Request& req, int& status) {
  status = 400;
  if (req.body.size() > max_question_body_bytes) {
    status = 413;
    return make_error("request body too large: at most " + std::to_string(max_question_body_bytes >> 10) + " KB");
  }
  if (!is_utf8(req.body)) return make_error("body must be UTF-8");
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return make_error("body must be a JSON object");
  return body;
}

// A string field of a JSON body: absent → fallback; present but not a string → error.
Result<std::string> string_field(const json& body, const char* key, const std::string& fallback = {}) {
  if (!body.contains(key) || body[key].is_null()) return fallback;
  if (!body[key].is_string()) return make_error(std::string(key) + " must be a string");
  return body[key].get<std::string>();
}

Result<NewQuestion> new_question(const json& body) {
  if (!body.contains("question")) return make_error("question is required");
  auto question = string_field(body, "question");
  auto asker = string_field(body, "asker");
  auto channel = string_field(body, "channel", "web");
  for (const auto* field : {&question, &asker, &channel})
    if (!*field) return field->error();
  return NewQuestion{*question, *asker, *channel};
}

Result<NewAnswer> new_answer(const json& body) {
  if (!body.contains("answer")) return make_error("answer is required");
  auto answer = string_field(body, "answer");
  auto by = string_field(body, "answered_by");
  for (const auto* field : {&answer, &by})
    if (!*field) return field->error();
  NewAnswer out{*answer, *by, {}};
  if (body.contains("links") && !body["links"].is_null()) {
    if (!body["links"].is_array()) return make_error("links must be an array of strings");
    for (const auto& link : body["links"]) {
      if (!link.is_string()) return make_error("links must be an array of strings");
      out.links.push_back(link.get<std::string>());
    }
  }
  return out;
}

// The question id of a /api/questions/{id} path. Errors: not a positive whole number.
Result<std::int64_t> question_id(const std::string& text) {
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0)
    return make_error("question id must be a positive whole number, got '" + text + "'");
  return id;
}

}  // namespace

std::string search_response_json(const SearchResponse& response, const SearchRequest& request, int indent) {
  return to_json(response, request).dump(indent, ' ', false, json::error_handler_t::replace);
}

struct Server::Impl {
  Searcher& searcher;
  ServerOptions options;
  httplib::Server http;
  FeishuBot feishu_bot;
  socket_t listen_socket = INVALID_SOCKET;  // the last socket httplib prepared: the one it binds

  Impl(Searcher& s, ServerOptions o) : searcher(s), options(std::move(o)), feishu_bot(options.feishu_app) {
    const unsigned threads = options.threads ? options.threads : 8;
    http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    // httplib's default adds SO_REUSEPORT, which lets a second server bind a port already in use and
    // silently share its traffic; SO_REUSEADDR alone still allows a quick restart.
    http.set_socket_options([this](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      listen_socket = sock;
    });
    // Without TCP_NODELAY every response after the first on a keep-alive connection waited ~40 ms
    // for a delayed ACK (Nagle): measured 44 ms p50 over HTTP for 0.5 ms searches (bench/search).
    http.set_tcp_nodelay(true);
    // One request per connection. httplib hands a connection to a worker for its whole keep-alive
    // life (5 requests or 5 s idle): 8 connections a browser keeps open idle stalled every other
    // client, and under load each connection had its 5 requests served in a row while the rest
    // queued. bench/load at 64 connections: 15% of requests waited past wrk's 2 s timeout with
    // keep-alive, 0.7% without, at the same throughput. A new connection costs ~0.1 ms on a LAN.
    http.set_keep_alive_max_count(1);
    http.set_payload_max_length(max_body_bytes);
    // A client that stops sending or reading holds one of the pool's threads: not for long.
    http.set_read_timeout(10, 0);
    http.set_write_timeout(10, 0);
    routes();
  }

  void routes() {
    // Open to anyone (a load balancer's probe has no token); what the index holds only to readers.
    http.Get("/api/health", [this](const httplib::Request& req, httplib::Response& res) {
      if (!decide_access(bearer_token(req), Role::reader, options.tokens).allowed)
        return send_json(res, {{"status", "ok"}, {"version", BATON_VERSION}, {"token_needed", true}});
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
      if (refuse(req, res, Role::reader)) return;
      auto request = search_request(req);
      if (!request) return send_error(res, 400, request.error().message);
      auto result = searcher.search(*request);
      if (!result) return send_error(res, status_of(result.error()), result.error().message);
      send_json(res, to_json(*result, *request));
    });

    http.Get(R"(/api/docs/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      if (refuse(req, res, Role::reader)) return;
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
      if (refuse(req, res, Role::reader)) return;
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
      if (refuse(req, res, Role::editor)) return;
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

    question_routes();
    webhook_routes();
    admin_routes();

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
      const std::string message =
          res.status == 404   ? "no such endpoint: " + req.method + " " + req.path
          : res.status == 413 ? "request body too large: at most " + std::to_string(max_body_bytes >> 10) + " KB"
          : res.status == 414 ? "request URI too long"
          : res.status == 400 ? "bad request: the request line, a header or the body could not be read (a POST needs a Content-Length)"
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

  // Refuses a request whose token does not hold `needed`; true if it did (the response is set).
  bool refuse(const httplib::Request& req, httplib::Response& res, Role needed) {
    const AccessDecision access = decide_access(bearer_token(req), needed, options.tokens);
    if (access.allowed) return false;
    if (access.status == 401) res.set_header("WWW-Authenticate", "Bearer realm=\"baton\"");
    send_error(res, access.status, access.message);
    return true;
  }

  // An admin starts a re-index of the served folders in the background and follows it.
  void admin_routes() {
    const auto state_json = [this](httplib::Response& res, int status) {
      const BackgroundSync::State st = options.reindex->state();
      json roots = json::array();
      for (const auto& r : options.reindex->roots()) roots.push_back(r.string());
      json last = nullptr;
      if (st.last)
        last = {{"added", st.last->added},     {"updated", st.last->updated}, {"renamed", st.last->renamed},
                {"removed", st.last->removed}, {"failed", st.last->failed},   {"unchanged", st.last->unchanged},
                {"seconds", st.last->seconds}};
      send_json(res,
                {{"running", st.running}, {"runs", st.runs}, {"started_at", st.started_at},
                 {"finished_at", st.finished_at}, {"last", last}, {"error", st.error.empty() ? json(nullptr) : json(st.error)},
                 {"roots", roots}},
                status);
    };
    http.Post("/api/admin/reindex", [this, state_json](const httplib::Request& req, httplib::Response& res) {
      if (refuse(req, res, Role::admin)) return;
      if (!options.reindex)
        return send_error(res, 409, "this server was started without folders to index: give baton serve the ROOT folders");
      if (!options.reindex->request())
        return send_error(res, 409, "a re-index is already running (since " + options.reindex->state().started_at + ")");
      state_json(res, 202);
    });
    http.Get("/api/admin/reindex", [this, state_json](const httplib::Request& req, httplib::Response& res) {
      if (refuse(req, res, Role::admin)) return;
      if (!options.reindex)
        return send_error(res, 409, "this server was started without folders to index: give baton serve the ROOT folders");
      state_json(res, 200);
    });
  }

  // Asking and reading need what search needs; answering and closing need an editor token.
  void question_routes() {
    http.Post("/api/questions", [this](const httplib::Request& req, httplib::Response& res) {
      if (refuse(req, res, Role::reader)) return;
      int status = 400;
      auto body = json_body(req, status);
      if (!body) return send_error(res, status, body.error().message);
      auto question = new_question(*body);
      if (!question) return send_error(res, 400, question.error().message);
      auto asked = ask_question(options.data_dir, searcher, *question);
      if (!asked) return send_error(res, status_of(asked.error()), asked.error().message);
      json out = to_json(asked->question);
      out["merged"] = asked->merged;
      send_json(res, out, asked->merged ? 200 : 201);
    });

    http.Get("/api/questions", [this](const httplib::Request& req, httplib::Response& res) {
      if (refuse(req, res, Role::reader)) return;
      auto limit = int_param(req, "limit", 20);
      if (!limit) return send_error(res, 400, limit.error().message);
      auto offset = int_param(req, "offset", 0);
      if (!offset) return send_error(res, 400, offset.error().message);
      const std::string status = req.has_param("status") ? req.get_param_value("status") : "all";
      auto page = list_questions(options.data_dir, status, *limit, *offset);
      if (!page) return send_error(res, status_of(page.error()), page.error().message);
      json list = json::array();
      for (const auto& q : page->questions) list.push_back(to_json(q));
      send_json(res, {{"questions", list}, {"total", page->total}, {"status", status}, {"limit", *limit}, {"offset", *offset}});
    });

    http.Get(R"(/api/questions/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      if (refuse(req, res, Role::reader)) return;
      auto id = question_id(req.matches[1].str());
      if (!id) return send_error(res, 400, id.error().message);
      auto q = get_question(options.data_dir, *id);
      if (!q) return send_error(res, status_of(q.error()), q.error().message);
      send_json(res, to_json(*q));
    });

    http.Post(R"(/api/questions/([^/]+)/answer)", [this](const httplib::Request& req, httplib::Response& res) {
      if (refuse(req, res, Role::editor)) return;
      auto id = question_id(req.matches[1].str());
      if (!id) return send_error(res, 400, id.error().message);
      int status = 400;
      auto body = json_body(req, status);
      if (!body) return send_error(res, status, body.error().message);
      auto answer = new_answer(*body);
      if (!answer) return send_error(res, 400, answer.error().message);
      auto done = answer_question(options.data_dir, *id, *answer);
      if (!done) return send_error(res, status_of(done.error()), done.error().message);
      json out = to_json(done->question);
      if (!done->note.empty()) out["note"] = done->note;
      send_json(res, out);
    });

    http.Post(R"(/api/questions/([^/]+)/close)", [this](const httplib::Request& req, httplib::Response& res) {
      if (refuse(req, res, Role::editor)) return;
      auto id = question_id(req.matches[1].str());
      if (!id) return send_error(res, 400, id.error().message);
      auto closed = close_question(options.data_dir, *id);
      if (!closed) return send_error(res, status_of(closed.error()), closed.error().message);
      send_json(res, to_json(*closed));
    });
  }

  // --- chat webhooks: verify, parse, ask, reply in the platform's format (logic in webhooks.cpp) ---

  static std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  }

  // Refuses a webhook whose platform has no secret, or whose body is too large; true if it did.
  static bool refuse_webhook(const httplib::Request& req, httplib::Response& res, const std::string& secret,
                             const char* variable) {
    if (secret.empty()) {
      send_error(res, 403, std::string("webhook not configured: start baton serve with ") + variable + " set");
      return true;
    }
    if (req.body.size() > max_question_body_bytes) {
      send_error(res, 413, "request body too large: at most " + std::to_string(max_question_body_bytes >> 10) + " KB");
      return true;
    }
    return false;
  }

  // Asks a verified question (a platform's retry of an event gets the question it asked, uncounted);
  // on an error the response is set and nullopt returned.
  std::optional<AskOutcome> ask(const NewQuestion& question, httplib::Response& res) {
    auto asked = ask_question(options.data_dir, searcher, question);
    if (!asked) {
      send_error(res, status_of(asked.error()), asked.error().message);
      return std::nullopt;
    }
    return *asked;
  }

  // Feishu shows nothing of the HTTP answer: the reply goes out through its IM API, in the background.
  void reply_in_feishu(const FeishuEvent& event, const QuestionRecord& question) {
    if (!feishu_bot.configured()) return;  // no app credentials: the question is stored, nobody is told
    auto message = feishu_message(event, question, options.public_url);
    if (!message) {
      std::cerr << "baton: Feishu reply: " << message.error().message << std::endl;
      return;
    }
    feishu_bot.send(std::move(*message));
  }

  void webhook_routes() {
    http.Post("/api/webhooks/slack", [this](const httplib::Request& req, httplib::Response& res) {
      const WebhookSecrets& secrets = options.webhooks;
      if (refuse_webhook(req, res, secrets.slack_signing_secret, "BATON_SLACK_SIGNING_SECRET")) return;
      auto ok = verify_slack(secrets.slack_signing_secret, req.get_header_value("X-Slack-Request-Timestamp"),
                             req.get_header_value("X-Slack-Signature"), req.body, now_seconds());
      if (!ok) return send_error(res, status_of(ok.error()), ok.error().message);
      auto question = parse_slack(req.body);
      if (!question) return send_error(res, status_of(question.error()), question.error().message);
      if (auto a = ask(*question, res))
        res.set_content(slack_reply(a->question, options.public_url), "application/json; charset=utf-8");
    });

    http.Post("/api/webhooks/dingtalk", [this](const httplib::Request& req, httplib::Response& res) {
      const WebhookSecrets& secrets = options.webhooks;
      if (refuse_webhook(req, res, secrets.dingtalk_secret, "BATON_DINGTALK_SECRET")) return;
      auto ok = verify_dingtalk(secrets.dingtalk_secret, req.get_header_value("timestamp"), req.get_header_value("sign"),
                                now_seconds());
      if (!ok) return send_error(res, status_of(ok.error()), ok.error().message);
      auto question = parse_dingtalk(req.body);
      if (!question) return send_error(res, status_of(question.error()), question.error().message);
      if (auto a = ask(*question, res))
        res.set_content(dingtalk_reply(a->question, options.public_url), "application/json; charset=utf-8");
    });

    http.Post("/api/webhooks/feishu", [this](const httplib::Request& req, httplib::Response& res) {
      const WebhookSecrets& secrets = options.webhooks;
      if (refuse_webhook(req, res, secrets.feishu_verification_token, "BATON_FEISHU_VERIFICATION_TOKEN")) return;
      // Feishu signs events but not the URL challenge: a signature is checked when there is one.
      if (!secrets.feishu_encrypt_key.empty() && req.has_header("X-Lark-Signature")) {
        auto ok = verify_feishu_signature(secrets.feishu_encrypt_key, req.get_header_value("X-Lark-Request-Timestamp"),
                                          req.get_header_value("X-Lark-Request-Nonce"),
                                          req.get_header_value("X-Lark-Signature"), req.body, now_seconds());
        if (!ok) return send_error(res, status_of(ok.error()), ok.error().message);
      }
      auto plain = feishu_open(secrets.feishu_encrypt_key, req.body);
      if (!plain) return send_error(res, status_of(plain.error()), plain.error().message);
      auto event = parse_feishu(*plain, secrets.feishu_verification_token, now_seconds());
      if (!event) return send_error(res, status_of(event.error()), event.error().message);
      if (event->kind == FeishuEvent::Kind::challenge) return send_json(res, {{"challenge", event->challenge}});
      if (event->kind == FeishuEvent::Kind::ignored) return send_json(res, json::object());
      auto asked = ask(event->question, res);
      if (!asked) return;
      if (!asked->retried) reply_in_feishu(*event, asked->question);  // a retry was replied to the first time
      res.set_content(feishu_reply(asked->question, options.public_url), "application/json; charset=utf-8");
    });

    // WeCom: GET verifies the callback URL (echo the decrypted echostr), POST carries an encrypted message.
    http.Get("/api/webhooks/wecom", [this](const httplib::Request& req, httplib::Response& res) {
      const WebhookSecrets& secrets = options.webhooks;
      if (refuse_webhook(req, res, secrets.wecom_token.empty() ? "" : secrets.wecom_aes_key, "BATON_WECOM_TOKEN and BATON_WECOM_AES_KEY")) return;
      auto echo = wecom_open(secrets, req.get_param_value("msg_signature"), req.get_param_value("timestamp"),
                             req.get_param_value("nonce"), req.get_param_value("echostr"), now_seconds());
      if (!echo) return send_error(res, status_of(echo.error()), echo.error().message);
      res.set_content(*echo, "text/plain; charset=utf-8");
    });

    http.Post("/api/webhooks/wecom", [this](const httplib::Request& req, httplib::Response& res) {
      const WebhookSecrets& secrets = options.webhooks;
      if (refuse_webhook(req, res, secrets.wecom_token.empty() ? "" : secrets.wecom_aes_key, "BATON_WECOM_TOKEN and BATON_WECOM_AES_KEY")) return;
      auto encrypted = wecom_encrypted_field(req.body);
      if (!encrypted) return send_error(res, status_of(encrypted.error()), encrypted.error().message);
      const std::string timestamp = req.get_param_value("timestamp"), nonce = req.get_param_value("nonce");
      std::string receive_id;
      auto plain = wecom_open(secrets, req.get_param_value("msg_signature"), timestamp, nonce, *encrypted, now_seconds(),
                              &receive_id);
      if (!plain) return send_error(res, status_of(plain.error()), plain.error().message);
      auto message = parse_wecom(*plain);
      if (!message) return send_error(res, status_of(message.error()), message.error().message);
      auto asked = ask(message->question, res);
      if (!asked) return;
      auto reply = wecom_reply(secrets, *message, asked->question, options.public_url, receive_id,
                               std::to_string(now_seconds()), nonce);
      if (!reply) return send_error(res, 500, reply.error().message);
      res.set_content(*reply, "application/xml; charset=utf-8");
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
  // httplib listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG, compiled into Debian's library).
  // With one request per connection, 64 clients overflowed it 142 times in 15 s (wrk -c64), and a
  // dropped SYN costs its client a 1 s retransmission: the slowest request took 665 ms, and bench/load
  // saw a 2 s timeout. listen() again on the bound socket raises the backlog (Linux keeps the socket
  // and takes the new length): no overflow, slowest 260 ms, 399 requests/s instead of 300.
  if (impl_->listen_socket != INVALID_SOCKET) ::listen(impl_->listen_socket, SOMAXCONN);
  if (impl_->options.public_url.empty()) {
    const bool any = host == "0.0.0.0" || host == "::" || host.empty();
    const std::string shown = any ? "127.0.0.1" : host.find(':') != std::string::npos ? "[" + host + "]" : host;
    impl_->options.public_url = "http://" + shown + ":" + std::to_string(bound);
  }
  return bound;
}

void Server::run() { impl_->http.listen_after_bind(); }
void Server::stop() {
  impl_->http.stop();
  impl_->feishu_bot.stop();
}

}  // namespace baton
