// The `baton` command line: index, serve, search. Each subcommand has --help; errors are one line.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <optional>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "baton/access.h"
#include "baton/catalog.h"
#include "baton/gaps.h"
#include "baton/index.h"
#include "baton/questions.h"
#include "baton/search.h"
#include "baton/server.h"
#include "baton/text.h"

namespace fs = std::filesystem;

namespace {

int fail(const std::string& message) {
  std::cerr << "baton: " << message << "\n";
  return 1;
}

std::string default_data_dir() {
  const char* env = std::getenv("BATON_DATA_DIR");
  return env && *env ? env : "baton-data";
}

// A one-line progress bar on stderr, redrawn at most every 1%.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}
  void operator()(const baton::SyncProgress& p) {
    if (!enabled_ || p.total == 0) return;
    const std::size_t pct = p.done * 100 / p.total;
    if (pct == last_ && p.done != p.total) return;
    last_ = pct;
    const int width = 30;
    const int filled = static_cast<int>(pct * width / 100);
    std::fprintf(stderr, "\r[%.*s%*s] %3zu%% %zu/%zu", filled, "##############################", width - filled, "",
                 pct, p.done, p.total);
    if (p.done == p.total) std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }

 private:
  bool enabled_;
  std::size_t last_ = 101;
};

void print_summary(const baton::SyncSummary& s) {
  std::printf("indexed in %.2f s: %zu added, %zu updated, %zu renamed, %zu removed, %zu unchanged, %zu failed", s.seconds,
              s.added, s.updated, s.renamed, s.removed, s.unchanged, s.failed);
  if (s.skipped) std::printf(", %zu skipped (failed before, unchanged since)", s.skipped);
  if (s.answers) std::printf(", %zu answers", s.answers);
  std::printf(" (%zu sections written, %.1f MB read)\n", s.units, static_cast<double>(s.bytes_read) / (1 << 20));
  if (!s.by_format.empty()) {
    std::printf("  %-10s %7s %7s %7s %7s %7s\n", "format", "added", "updated", "renamed", "removed", "failed");
    for (const auto& [format, n] : s.by_format)
      std::printf("  %-10s %7zu %7zu %7zu %7zu %7zu\n", format.c_str(), n.added, n.updated, n.renamed, n.removed,
                  n.failed);
  }
  if (!s.unsupported.empty()) {
    std::printf("  not read (no extractor for the type):");
    for (const auto& [ext, n] : s.unsupported) std::printf(" %s %zu", ext.empty() ? "(no extension)" : ext.c_str(), n);
    std::printf("\n");
  }
  for (const auto& f : s.failures) std::printf("  failed: %s: %s\n", f.path.c_str(), f.reason.c_str());
}

baton::Result<baton::SyncSummary> run_sync(const std::string& data_dir, const std::vector<std::string>& roots,
                                           unsigned threads, std::size_t batch_files = baton::SyncOptions{}.batch_files) {
  ProgressBar bar(::isatty(STDERR_FILENO));
  baton::SyncOptions options;
  options.threads = threads;
  options.batch_files = batch_files;
  options.on_progress = [&bar](const baton::SyncProgress& p) { bar(p); };
  return baton::sync(data_dir, std::vector<fs::path>(roots.begin(), roots.end()), options);
}

// Turns a snippet's HTML into terminal text: marks in bold yellow on a terminal, [brackets] otherwise.
std::string terminal_snippet(const std::string& html, bool color) {
  std::string out;
  for (std::size_t i = 0; i < html.size();) {
    const auto starts = [&](std::string_view s) { return html.compare(i, s.size(), s) == 0; };
    struct Rule {
      std::string_view from, to;
    };
    const Rule rules[] = {{"<mark>", color ? "\033[1;33m" : "["}, {"</mark>", color ? "\033[0m" : "]"},
                          {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}};
    bool replaced = false;
    for (const Rule& r : rules) {
      if (starts(r.from)) {
        out += r.to;
        i += r.from.size();
        replaced = true;
        break;
      }
    }
    if (replaced) continue;
    out += html[i] == '\n' ? ' ' : html[i];
    ++i;
  }
  return out;
}

int cmd_index(const std::string& data_dir, const std::vector<std::string>& roots, unsigned threads,
              std::size_t batch_files) {
  auto summary = run_sync(data_dir, roots, threads, batch_files);
  if (!summary) return fail(summary.error().message);
  print_summary(*summary);
  return 0;
}

struct SearchFlags {
  std::vector<std::string> words;
  int limit = 10, offset = 0;
  bool as_json = false, ungrouped = false;
  std::string sort = "relevance";
  std::vector<std::pair<std::string, std::string>> filters;  // (name, value) from --kind, --client ...
};

int cmd_search(const std::string& data_dir, const SearchFlags& flags, const baton::SearcherOptions& options) {
  baton::SearchRequest request;
  for (const auto& w : flags.words) request.q += (request.q.empty() ? "" : " ") + w;
  request.limit = flags.limit;
  request.offset = flags.offset;
  request.group = !flags.ungrouped;
  request.sort = flags.sort == "date" ? baton::SortOrder::date : baton::SortOrder::relevance;
  for (const auto& [name, value] : flags.filters)
    if (!value.empty()) request.filters.set(name, value);
  auto searcher = baton::Searcher::open(data_dir, options);
  if (!searcher) return fail(searcher.error().message);
  auto result = searcher->search(request);
  if (!result) return fail(result.error().message);
  if (flags.as_json) {
    std::cout << baton::search_response_json(*result, request, 2) << "\n";
    return 0;
  }
  const bool color = ::isatty(STDOUT_FILENO);
  const auto bold = [&](const std::string& s) { return color ? "\033[1m" + s + "\033[0m" : s; };
  if (result->suggestion) std::cout << "did you mean: " << bold(*result->suggestion) << "\n\n";
  if (result->hits.empty()) {
    std::cout << "no results for \"" << request.q << "\"\n";
    return 0;
  }
  int n = flags.offset;
  for (const auto& h : result->hits) {
    std::cout << ++n << ". " << bold(h.title);
    if (!h.section.empty()) std::cout << "  › " << h.section;
    std::cout << "  [" << h.kind << "]\n   " << h.path << (h.date.empty() ? "" : "  " + h.date) << "\n   "
              << terminal_snippet(h.snippet, color) << "\n";
    for (const auto& m : h.more) std::cout << "   + " << (m.section.empty() ? "(start)" : m.section) << "\n";
    if (h.more_count > h.more.size()) std::cout << "   + " << h.more_count - h.more.size() << " more sections\n";
    std::cout << "\n";
  }
  std::cout << result->total << (request.group ? " documents" : " sections") << " matched, " << result->took_ms << " ms\n";
  for (const auto& [name, values] : result->facets) {
    if (values.empty()) continue;
    std::cout << "  " << name << ":";
    for (const auto& v : values) std::cout << " " << v.value << " (" << v.count << ")";
    std::cout << "\n";
  }
  return 0;
}

struct GapFlags {
  std::string format = "text";
  std::string as_of;
  int stale_days = baton::GapOptions{}.stale_days;
  std::string checklist;
};

int cmd_gaps(const std::string& data_dir, const GapFlags& flags) {
  baton::GapOptions options;
  options.as_of = flags.as_of;
  options.stale_days = flags.stale_days;
  options.checklist = flags.checklist;
  auto report = baton::analyse_gaps(data_dir, options);
  if (!report) return fail(report.error().message);
  if (flags.format == "json") std::cout << baton::gaps_json(*report, 2) << "\n";
  else if (flags.format == "md") std::cout << baton::gaps_markdown(*report);
  else std::cout << baton::gaps_text(*report);
  return 0;
}

int cmd_entity(const std::string& data_dir, const std::string& key, const std::string& action, const std::string& value) {
  auto ok = baton::decide_entity(data_dir, key, action, value);
  if (!ok) return fail(ok.error().message);
  std::cout << key << ": " << action << (value.empty() ? "" : " " + value) << " (applies to the next gap report)\n";
  return 0;
}

// The asker when none is given: the login name, as the terminal knows it.
std::string default_asker() {
  const char* user = std::getenv("USER");
  return user && *user ? user : "cli";
}

int cmd_ask(const std::string& data_dir, const std::vector<std::string>& words, const std::string& asker,
            baton::SearcherOptions options) {
  std::string text;
  for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
  options.log = false;  // asking is not searching: the question itself is the demand signal
  auto searcher = baton::Searcher::open(data_dir, options);
  if (!searcher) return fail(searcher.error().message);
  auto asked = baton::ask_question(data_dir, *searcher, {text, asker, "cli"});
  if (!asked) return fail(asked.error().message);
  const baton::QuestionRecord& q = asked->question;
  std::cout << "question " << q.id << (asked->merged ? " (asked before: " + std::to_string(q.count) + " times now)" : "")
            << "\n";
  if (q.suggestions.empty()) std::cout << "no suggested answers yet\n";
  const bool color = ::isatty(STDOUT_FILENO);
  for (std::size_t i = 0; i < q.suggestions.size(); ++i) {
    const auto& s = q.suggestions[i];
    std::cout << (i ? "" : "suggested answers:\n") << i + 1 << ". " << s.title
              << (s.section.empty() ? "" : "  › " + s.section) << "\n   " << s.path << "\n   "
              << terminal_snippet(s.snippet, color) << "\n";
  }
  return 0;
}

int cmd_questions(const std::string& data_dir, const std::string& status, int limit) {
  auto page = baton::list_questions(data_dir, status, limit, 0);
  if (!page) return fail(page.error().message);
  for (const auto& q : page->questions) {
    std::cout << q.id << "  [" << q.status << "] x" << q.count << "  " << q.last_asked_at << "  " << q.question
              << (q.asker.empty() ? "" : "  (" + q.asker + ")") << "\n";
    if (!q.answer.empty()) std::cout << "    answer (" << q.answered_by << "): " << q.answer << "\n";
  }
  std::cout << page->total << " " << (status == "all" ? "" : status + " ") << "questions\n";
  return 0;
}

struct ServeFlags {
  std::vector<std::string> roots;
  std::string host = "127.0.0.1";
  int port = 8080;
  unsigned threads = 0;
  bool watch = false;
  int watch_seconds = 2;
  std::string config;  ///< --config or BATON_CONFIG; default DATA_DIR/baton.json if it exists
  std::string checklist;
};

// The config file in force: tokens, webhook secrets, public URL. Errors: a config that cannot be used.
baton::Result<baton::ServeConfig> serve_config(const std::string& data_dir, const ServeFlags& flags) {
  fs::path file = flags.config;
  if (file.empty()) {
    if (const char* env = std::getenv("BATON_CONFIG"); env && *env) file = env;
    else if (fs::exists(fs::path(data_dir) / "baton.json")) file = fs::path(data_dir) / "baton.json";
  }
  baton::ServeConfig config;
  if (!file.empty()) {
    auto loaded = baton::load_serve_config(file);
    if (!loaded) return loaded.error();
    config = std::move(*loaded);
    std::error_code ec;
    const auto perms = fs::status(file, ec).permissions();
    if (!ec && (perms & (fs::perms::group_read | fs::perms::others_read)) != fs::perms::none)
      std::cerr << "baton: warning: " << file.string() << " holds secrets and others can read it (chmod 600 it)\n";
  }
  // The settings a config file may hold besides tokens; a misspelt one would silently switch a webhook off.
  static constexpr const char* settings[] = {
      "BATON_SLACK_SIGNING_SECRET", "BATON_DINGTALK_SECRET", "BATON_FEISHU_VERIFICATION_TOKEN",
      "BATON_FEISHU_ENCRYPT_KEY",   "BATON_WECOM_TOKEN",     "BATON_WECOM_AES_KEY",
      "BATON_WECOM_CORP_ID",        "BATON_FEISHU_APP_ID",   "BATON_FEISHU_APP_SECRET",
      "BATON_FEISHU_API_BASE",      "BATON_PUBLIC_URL"};
  for (const auto& [key, value] : config.settings)
    if (std::find(std::begin(settings), std::end(settings), key) == std::end(settings))
      return baton::make_error("unknown setting " + key + " in the \"webhooks\" of " + file.string());
  if (auto ok = baton::add_env_tokens(config.tokens); !ok) return ok.error();
  return config;
}

int cmd_serve(const std::string& data_dir, ServeFlags flags, const baton::SearcherOptions& options) {
  auto config = serve_config(data_dir, flags);
  if (!config) return fail(config.error().message);
  // Anyone who can reach a non-loopback address could read every client's history: refuse to open it
  // up by accident. Checked before indexing, so the mistake costs nothing.
  if (!baton::is_loopback_host(flags.host) && config->tokens.reading_open())
    return fail("refusing to listen on " + flags.host +
                " without reader tokens: anyone on the network could read the knowledge base. Set BATON_READER_TOKEN "
                "(or \"reader\" tokens in the config file), or keep --host 127.0.0.1");
  // Stop cleanly on Ctrl-C or SIGTERM: a thread waits for the signal and stops the server. Blocked
  // before any thread starts (indexing, the search log), so that none of them takes the signal.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  if (!flags.roots.empty()) {
    auto summary = run_sync(data_dir, flags.roots, flags.threads);
    if (!summary) return fail(summary.error().message);
    print_summary(*summary);
  }
  auto searcher = baton::Searcher::open(data_dir, options);
  if (!searcher) return fail(searcher.error().message);
  // The folders an admin's re-index (or --watch) syncs: those given, else those the index already holds.
  std::vector<std::string> roots = flags.roots;
  if (roots.empty()) {
    auto catalog = baton::Catalog::open(baton::catalog_path(data_dir));
    if (!catalog) return fail(catalog.error().message);
    roots = catalog->roots();
  }
  if (flags.watch && roots.empty()) return fail("--watch: no folders indexed in " + data_dir + "; give the ROOTs to watch");
  // The environment wins over the config file.
  const auto setting = [&](const char* name) {
    if (const char* v = std::getenv(name); v && *v) return std::string(v);
    for (const auto& [key, value] : config->settings)
      if (key == name) return value;
    return std::string();
  };
  const baton::WebhookSecrets webhooks{setting("BATON_SLACK_SIGNING_SECRET"), setting("BATON_DINGTALK_SECRET"),
                                       setting("BATON_FEISHU_VERIFICATION_TOKEN"), setting("BATON_FEISHU_ENCRYPT_KEY"),
                                       setting("BATON_WECOM_TOKEN"), setting("BATON_WECOM_AES_KEY"),
                                       setting("BATON_WECOM_CORP_ID")};
  baton::FeishuApp feishu_app{setting("BATON_FEISHU_APP_ID"), setting("BATON_FEISHU_APP_SECRET")};
  if (const std::string base = setting("BATON_FEISHU_API_BASE"); !base.empty()) feishu_app.api_base = base;
  if (auto ok = baton::check_feishu_app(feishu_app); !ok) return fail(ok.error().message);
  std::string public_url = setting("BATON_PUBLIC_URL");
  if (public_url.empty()) public_url = config->public_url;
  baton::ServerOptions server_options{flags.host, flags.port, 8,          data_dir,   flags.checklist,
                                      config->tokens, webhooks, public_url, feishu_app};
  std::optional<baton::BackgroundSync> background;
  if (!roots.empty()) {
    baton::SyncOptions sync_options;
    sync_options.threads = flags.threads;
    const auto interval = std::chrono::seconds(flags.watch ? flags.watch_seconds : 0);
    background.emplace(data_dir, std::vector<fs::path>(roots.begin(), roots.end()), sync_options, interval,
                       [](const baton::Result<baton::SyncSummary>& summary) {
                         if (!summary) std::cerr << "baton: re-index: " << summary.error().message << std::endl;
                         else if (summary->changed()) print_summary(*summary);
                         std::fflush(stdout);
                       });
    server_options.reindex = &*background;
  }
  baton::Server server(*searcher, server_options);
  auto bound = server.bind();
  if (!bound) return fail(bound.error().message);

  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    server.stop();
  });
  const std::string shown_host = flags.host.find(':') != std::string::npos ? "[" + flags.host + "]" : flags.host;
  const auto& t = config->tokens;
  std::cout << "Baton serving http://" << shown_host << ":" << *bound << "/  (" << searcher->stats().units
            << " sections" << (flags.watch ? ", watching for changes" : "") << "; reading "
            << (t.reading_open() ? "open" : "needs a token") << ", " << t.editors.size() << " editor and " << t.admins.size()
            << " admin tokens; Ctrl-C stops)" << std::endl;
  server.run();
  background.reset();
  pthread_kill(waiter.native_handle(), SIGTERM);  // no-op if the waiter already returned
  waiter.join();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Baton: a search server for job handovers (交接知识库)", "baton"};
  app.set_version_flag("--version", std::string("baton ") + BATON_VERSION);
  app.require_subcommand(1);
  std::string data_dir = default_data_dir();
  unsigned threads = 0;
  std::size_t batch_files = baton::SyncOptions{}.batch_files;

  auto* index = app.add_subcommand("index", "Index (or re-index) folders: reads only what changed");
  std::vector<std::string> index_roots;
  index->add_option("ROOT", index_roots, "Folders to index")->required();
  index->add_option("--data-dir", data_dir, "Where the index and catalog live (env BATON_DATA_DIR)");
  index->add_option("--threads", threads, "Extraction threads (default: one per core)");
  index->add_option("--batch", batch_files, "Files per commit (smaller: less redone after a crash, slower)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));

  auto* serve = app.add_subcommand("serve", "Serve the search UI and JSON API; index ROOTs first if given");
  ServeFlags serve_flags;
  serve->add_option("ROOT", serve_flags.roots, "Folders to index before serving");
  serve->add_option("--data-dir", data_dir, "Where the index and catalog live (env BATON_DATA_DIR)");
  serve->add_option("--host", serve_flags.host,
                    "Address to listen on (other than loopback only with reader tokens)")->capture_default_str();
  serve->add_option("--port", serve_flags.port, "Port (0 = any free port)")->capture_default_str()->check(CLI::Range(0, 65535));
  serve->add_option("--threads", serve_flags.threads, "Extraction threads (default: one per core)");
  serve->add_option("--config", serve_flags.config,
                    "Config file: tokens, webhook secrets, public_url (env BATON_CONFIG; default DATA_DIR/baton.json if present)");
  serve->add_flag("--watch", serve_flags.watch, "Re-index the folders while serving, as files change");
  serve->add_option("--watch-interval", serve_flags.watch_seconds, "Seconds between checks for changes")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400));

  std::string synonyms;
  if (const char* env = std::getenv("BATON_SYNONYMS")) synonyms = env;
  const std::string synonyms_help = "Synonyms file, reloaded when it changes (env BATON_SYNONYMS; default: DATA_DIR/synonyms if present, else the built-in list)";
  serve->add_option("--synonyms", synonyms, synonyms_help);

  auto* search = app.add_subcommand("search", "Search the index from the terminal (filters as in the query box: kind:manual 退款)");
  SearchFlags flags;
  search->add_option("QUERY", flags.words, "What to look for (Chinese or English)")->required();
  search->add_option("--data-dir", data_dir, "Where the index and catalog live (env BATON_DATA_DIR)");
  search->add_option("-n,--limit", flags.limit, "Results per page")->capture_default_str();
  search->add_option("--offset", flags.offset, "Results to skip")->capture_default_str();
  search->add_option("--sort", flags.sort, "relevance or date")->capture_default_str()->check(CLI::IsMember({"relevance", "date"}));
  search->add_flag("--sections", flags.ungrouped, "One result per matching section instead of per document");
  search->add_flag("--json", flags.as_json, "Print the API's JSON");
  search->add_option("--synonyms", synonyms, synonyms_help);
  std::vector<std::pair<std::string, std::string>> filter_values;
  for (const char* name : baton::filter_names) filter_values.emplace_back(name, "");
  for (auto& [name, value] : filter_values) search->add_option("--" + name, value, "Filter, as " + name + ": in the query");

  auto* gaps = app.add_subcommand("gaps", "What the handover still lacks: checklist coverage, entities without a write-up, demand, markers, stale documents, secrets");
  GapFlags gap_flags;
  gaps->add_option("--data-dir", data_dir, "Where the index and catalog live (env BATON_DATA_DIR)");
  gaps->add_option("--format", gap_flags.format, "text, md (a report to sign off) or json (as GET /api/gaps)")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "md", "json"}));
  gaps->add_option("--as-of", gap_flags.as_of, "Judge staleness as of this date (YYYY-MM-DD; default today)");
  gaps->add_option("--stale-days", gap_flags.stale_days, "Documents not updated for longer are stale")
      ->capture_default_str()
      ->check(CLI::Range(1, 36500));
  const std::string checklist_help = "Checklist file (default: DATA_DIR/checklist.json if present, else the built-in data/checklist.json)";
  gaps->add_option("--checklist", gap_flags.checklist, checklist_help);
  serve->add_option("--checklist", serve_flags.checklist, checklist_help);

  auto* entity = app.add_subcommand("entity", "Decide about an entity of the gap report: confirm, ignore, rename, merge, kind, add (one it missed) or undo");
  std::string entity_key, entity_action, entity_value;
  entity->add_option("KEY", entity_key, "The entity's key (as `baton gaps --format json` shows it); for add, the name of the one to add")->required();
  entity->add_option("ACTION", entity_action, "confirm [KIND], ignore, rename NAME, merge KEY, kind KIND, add KIND, undo")
      ->required()
      ->check(CLI::IsMember({"confirm", "ignore", "rename", "merge", "kind", "add", "undo"}));
  entity->add_option("VALUE", entity_value, "The new name, the key to merge into, or the kind");
  entity->add_option("--data-dir", data_dir, "Where the index and catalog live (env BATON_DATA_DIR)");

  auto* ask = app.add_subcommand("ask", "Ask a question: stored for the people who know, with suggested answers from search");
  std::vector<std::string> ask_words;
  std::string asker = default_asker();
  ask->add_option("QUESTION", ask_words, "The question (Chinese or English)")->required();
  ask->add_option("--asker", asker, "Who asks (default: $USER)");
  ask->add_option("--data-dir", data_dir, "Where the index and catalog live (env BATON_DATA_DIR)");

  auto* questions = app.add_subcommand("questions", "List the questions asked, most recent first");
  std::string question_status = "open";
  int question_limit = 20;
  questions->add_option("--status", question_status, "open, answered, closed or all")
      ->capture_default_str()
      ->check(CLI::IsMember({"open", "answered", "closed", "all"}));
  questions->add_option("-n,--limit", question_limit, "How many")->capture_default_str()->check(CLI::Range(1, baton::max_limit));
  questions->add_option("--data-dir", data_dir, "Where the index and catalog live (env BATON_DATA_DIR)");

  CLI11_PARSE(app, argc, argv);
  baton::SearcherOptions options;
  if (!synonyms.empty()) options.synonyms_file = synonyms;
  else if (fs::exists(fs::path(data_dir) / "synonyms")) options.synonyms_file = fs::path(data_dir) / "synonyms";
  flags.filters = filter_values;
  try {
    if (*index) return cmd_index(data_dir, index_roots, threads, batch_files);
    if (*serve) return cmd_serve(data_dir, serve_flags, options);
    if (*gaps) return cmd_gaps(data_dir, gap_flags);
    if (*entity) return cmd_entity(data_dir, entity_key, entity_action, entity_value);
    if (*search) return cmd_search(data_dir, flags, options);
    if (*ask) return cmd_ask(data_dir, ask_words, asker, options);
    if (*questions) return cmd_questions(data_dir, question_status, question_limit);
  } catch (const std::exception& e) {
    return fail(std::string("internal error: ") + e.what());
  }
  return 0;
}
