// baton_bench_search: query latency of one search engine over a query file, for bench/search.
//
//   baton_bench_search MODE --data-dir D --queries FILE [--passes N] [--min-seconds S] [--limit K]
//   baton_bench_search spawn --queries FILE -- CMD ARG... {} ...
//
// MODE:
//   baton           baton::Searcher::search (what /api/search runs: parse, match, snippets), one thread
//   xapian          raw Xapian: QueryParser (english stemmer, FLAG_DEFAULT | FLAG_CJK_NGRAM, default op AND,
//                   as `quest -f default,cjk_ngram -o and`) + Enquire top K + each hit's document data
//   xapian-snippet  the same + Xapian's MSet::snippet (SNIPPET_CJK_NGRAM) of each hit's text, 360 bytes
//   spawn           runs CMD once per query ({} = the query), stdout to /dev/null: time per query including
//                   process start; RSS is the children's peak
// In-process modes run one warm-up pass over all queries, then timed passes until both N passes (default 3)
// and S seconds (default 3) are done; spawn runs one warm-up pass over the first 20 queries, then one pass.
// Prints one line: RESULT mode=... queries=... p50_ms=... p99_ms=... mean_ms=... qps=... rss_mb=... zero=...
// (zero: queries with no hit) and, with --by-tag, p50/p99 per query tag (the first column of the query file).
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "baton/index.h"
#include "baton/search.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

struct Query {
  std::string tag;
  std::string text;
};

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "baton_bench_search: %s\n", msg.c_str());
  std::exit(1);
}

std::vector<Query> read_queries(const std::string& path) {
  std::ifstream in(path);
  if (!in) die("cannot read " + path);
  std::vector<Query> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    if (tab == std::string::npos) out.push_back({"", line});
    else out.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  if (out.empty()) die("no queries in " + path);
  return out;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  // Nearest rank.
  std::size_t rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size()) + 0.999999);
  rank = std::clamp<std::size_t>(rank, 1, v.size());
  return v[rank - 1];
}

double peak_rss_mb(int who) {
  rusage ru{};
  getrusage(who, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;  // Linux: kilobytes
}

// One engine: runs a query, returns the number of hits (0 = nothing found), or -1 on error.
using Engine = std::function<long(const std::string&)>;

Engine baton_engine(const std::string& data_dir, int limit) {
  auto searcher = baton::Searcher::open(data_dir);
  if (!searcher) die(searcher.error().message);
  auto s = std::make_shared<baton::Searcher>(std::move(*searcher));
  std::fprintf(stderr, "baton: %llu units in %s\n", static_cast<unsigned long long>(s->stats().units),
               data_dir.c_str());
  return [s, limit](const std::string& q) -> long {
    baton::SearchRequest req;
    req.q = q;
    req.limit = limit;
    auto r = s->search(req);
    if (!r) return -1;
    return static_cast<long>(r->hits.size());
  };
}

Engine xapian_engine(const std::string& data_dir, int limit, bool snippets) {
  auto db = std::make_shared<Xapian::Database>(baton::index_path(data_dir).string());
  std::fprintf(stderr, "xapian: %u documents in %s\n", db->get_doccount(), data_dir.c_str());
  return [db, limit, snippets](const std::string& q) -> long {
    Xapian::QueryParser qp;
    qp.set_database(*db);
    qp.set_stemmer(Xapian::Stem("english"));
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_default_op(Xapian::Query::OP_AND);
    Xapian::Query query;
    try {
      query = qp.parse_query(q, Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_CJK_NGRAM);
    } catch (const Xapian::QueryParserError&) {
      return -1;
    }
    Xapian::Enquire enquire(*db);
    enquire.set_query(query);
    Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(limit));
    std::size_t bytes = 0;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      const std::string data = it.get_document().get_data();
      bytes += data.size();
      if (snippets) {
        // The unit's text is the "text" field of its JSON data.
        const auto j = nlohmann::json::parse(data, nullptr, false);
        const std::string text = j.is_object() ? j.value("text", std::string()) : data;
        bytes += mset.snippet(text, 360, Xapian::Stem("english"),
                              Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE |
                                  Xapian::MSet::SNIPPET_CJK_NGRAM)
                     .size();
      }
    }
    return bytes > 0 ? static_cast<long>(mset.size()) : 0;
  };
}

// Runs argv with {} replaced by q; returns 1 on exit status 0, -1 otherwise.
Engine spawn_engine(std::vector<std::string> argv) {
  return [argv](const std::string& q) -> long {
    std::vector<std::string> args = argv;
    for (auto& a : args)
      if (a == "{}") a = q;
    std::vector<char*> cargs;
    for (auto& a : args) cargs.push_back(a.data());
    cargs.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, cargs[0], &fa, nullptr, cargs.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) die(std::string("cannot run ") + cargs[0] + ": " + std::strerror(rc));
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 1 : -1;
  };
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) die("usage: baton_bench_search baton|xapian|xapian-snippet|spawn --queries FILE [--data-dir D] ...");
  const std::string mode = argv[1];
  std::string data_dir, queries_file;
  int passes = 3, limit = 10;
  double min_seconds = 3;
  bool by_tag = false;
  std::vector<std::string> command;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value after " + a);
      return argv[++i];
    };
    if (a == "--data-dir") data_dir = next();
    else if (a == "--queries") queries_file = next();
    else if (a == "--passes") passes = std::atoi(next().c_str());
    else if (a == "--min-seconds") min_seconds = std::atof(next().c_str());
    else if (a == "--limit") limit = std::atoi(next().c_str());
    else if (a == "--by-tag") by_tag = true;
    else if (a == "--") {
      command.assign(argv + i + 1, argv + argc);
      break;
    } else die("unknown argument " + a);
  }
  if (queries_file.empty()) die("--queries FILE is required");
  const auto queries = read_queries(queries_file);

  Engine engine;
  bool spawned = mode == "spawn";
  if (mode == "baton") engine = baton_engine(data_dir, limit);
  else if (mode == "xapian") engine = xapian_engine(data_dir, limit, false);
  else if (mode == "xapian-snippet") engine = xapian_engine(data_dir, limit, true);
  else if (spawned) {
    if (command.empty()) die("spawn: give the command after --");
    engine = spawn_engine(command);
  } else die("unknown mode " + mode);
  if (!spawned && data_dir.empty()) die("--data-dir is required");

  // Warm-up: page in the index, fill caches.
  const std::size_t warm = spawned ? std::min<std::size_t>(20, queries.size()) : queries.size();
  for (std::size_t i = 0; i < warm; ++i) engine(queries[i].text);

  std::vector<double> ms;
  std::map<std::string, std::vector<double>> tag_ms;
  std::size_t zero = 0, errors = 0, done_passes = 0;
  const auto start = Clock::now();
  double busy = 0;
  do {
    zero = errors = 0;
    for (const auto& q : queries) {
      const auto t0 = Clock::now();
      const long hits = engine(q.text);
      const double t = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      busy += t;
      ms.push_back(t);
      tag_ms[q.tag].push_back(t);
      if (hits < 0) ++errors;
      else if (hits == 0) ++zero;
    }
    ++done_passes;
  } while (!spawned && (done_passes < static_cast<std::size_t>(passes) ||
                        std::chrono::duration<double>(Clock::now() - start).count() < min_seconds));

  double sum = 0;
  for (double t : ms) sum += t;
  const double rss = spawned ? peak_rss_mb(RUSAGE_CHILDREN) : peak_rss_mb(RUSAGE_SELF);
  std::printf("RESULT mode=%s queries=%zu passes=%zu p50_ms=%.3f p99_ms=%.3f mean_ms=%.3f qps=%.1f rss_mb=%.1f "
              "zero=%zu errors=%zu\n",
              mode.c_str(), queries.size(), done_passes, percentile(ms, 50), percentile(ms, 99),
              sum / static_cast<double>(ms.size()), 1000.0 * static_cast<double>(ms.size()) / busy, rss, zero,
              errors);
  if (by_tag) {
    for (const auto& [tag, v] : tag_ms)
      std::printf("TAG mode=%s tag=%s n=%zu p50_ms=%.3f p99_ms=%.3f\n", mode.c_str(), tag.c_str(),
                  v.size() / done_passes, percentile(v, 50), percentile(v, 99));
  }
  return 0;
}
