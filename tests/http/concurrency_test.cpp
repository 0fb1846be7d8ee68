// The real `baton serve` under searches and document reads from several threads while `baton index`
// syncs a tree that keeps changing (files added, modified, deleted): every response is 200 (or 404
// for a document whose file was deleted or rewritten), always JSON, and the server stays healthy.
#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "http/process.h"
#include "test_util.h"

using nlohmann::json;
using namespace baton;
namespace fs = std::filesystem;

namespace {

std::string encode(const std::string& s) { return httplib::detail::encode_query_param(s); }

// Files copied from the corpus (the test changes them, so copies, in a temp dir): Markdown-like text,
// HTML and mail, enough that a sync commits several batches.
std::vector<fs::path> copy_tree(const fs::path& corpus, const fs::path& into) {
  std::vector<fs::path> out;
  const std::pair<const char*, std::size_t> folders[] = {
      {"manuals-en/man", 80}, {"manuals-zh/man", 80}, {"mail/enron-inbox-subset", 80}, {"manuals-en/debian-faq", 0}};
  for (const auto& [folder, limit] : folders) {
    for (const auto& p : test::first_files(corpus / folder, limit)) {
      const fs::path to = into / p.lexically_relative(corpus);
      fs::create_directories(to.parent_path());
      fs::copy_file(p, to);
      out.push_back(to.lexically_relative(into));
    }
  }
  return out;
}

// What the checking threads saw.
struct Tally {
  std::atomic<long> searches{0}, docs{0}, not_found{0};
  std::mutex mutex;
  std::vector<std::string> errors;  // anything not allowed, with the request

  void error(const std::string& what) {
    std::lock_guard lock(mutex);
    if (errors.size() < 20) errors.push_back(what);
  }
};

}  // namespace

TEST_CASE("searches and document reads during syncs of a changing tree see no errors", "[http][concurrency]") {
  test::TempDir tree, data;
  const fs::path root = tree / "kb";
  std::vector<fs::path> files = copy_tree(test::corpus(), root);
  REQUIRE(files.size() > 200);

  test::Served server({"--data-dir", data.path().string(), root.string()});
  const int port = server.port();

  // Paths changed (rewritten or deleted) so far: a 404 for one of their documents is right.
  std::mutex changed_mutex;
  std::set<std::string> changed;
  const auto was_changed = [&](const std::string& path) {
    std::lock_guard lock(changed_mutex);
    return changed.count(path) > 0;
  };

  std::atomic<bool> stop{false};
  Tally tally;
  const std::vector<std::string> queries = {"package", "debian", "meeting", "gas", "软件包", "配置", "文件", "安装",
                                            "please", "the", "命令", "option", "enron", "系统"};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client client("127.0.0.1", port);
      client.set_read_timeout(60, 0);
      std::mt19937 rng(static_cast<unsigned>(t));
      while (!stop) {
        const std::string& q = queries[rng() % queries.size()];
        const std::string path = "/api/search?q=" + encode(q) + "&limit=10";
        auto res = client.Get(path.c_str());
        ++tally.searches;
        if (!res) {
          tally.error(path + ": no response (" + httplib::to_string(res.error()) + ")");
          continue;
        }
        const json body = json::parse(res->body, nullptr, false);
        if (res->status != 200 || body.is_discarded()) {
          tally.error(path + ": " + std::to_string(res->status) + " " + res->body.substr(0, 300));
          continue;
        }
        for (const auto& hit : body["hits"]) {
          // The section hit, or its whole document.
          const std::string id = rng() % 2 ? hit["id"].get<std::string>() : hit["doc"].get<std::string>();
          const std::string hit_path = hit["path"];
          const std::string doc_path = "/api/docs/" + id + "?q=" + encode(q);
          auto doc = client.Get(doc_path.c_str());
          ++tally.docs;
          if (!doc) {
            tally.error(doc_path + ": no response (" + httplib::to_string(doc.error()) + ")");
            continue;
          }
          const json doc_body = json::parse(doc->body, nullptr, false);
          const bool json_ok = !doc_body.is_discarded() && doc_body.is_object();
          if (doc->status == 404 && json_ok && doc_body.contains("error") && was_changed(hit_path)) {
            ++tally.not_found;
            continue;
          }
          if (doc->status != 200 || !json_ok)
            tally.error(doc_path + " (" + hit_path + "): " + std::to_string(doc->status) + " " + doc->body.substr(0, 300));
        }
      }
    });
  }

  // The syncs: each round rewrites, deletes and adds files, then runs `baton index` to the end.
  std::mt19937 rng(7);
  int added = 0;
  for (int round = 0; round < 10; ++round) {
    std::shuffle(files.begin(), files.end(), rng);
    for (int i = 0; i < 15 && !files.empty(); ++i) {
      const fs::path rel = files.back();
      files.pop_back();
      {
        std::lock_guard lock(changed_mutex);
        changed.insert(rel.generic_string());
      }
      if (i % 3 == 0) {
        fs::remove(root / rel);
      } else {
        // Rewritten: other text, fewer sections, so some section ids go away.
        test::write_file(root / rel, "# 改写 " + std::to_string(round) + "\n\n这份文件在同步时被改写了 package。\n");
        files.insert(files.begin(), rel);
      }
    }
    for (int i = 0; i < 10; ++i, ++added) {
      const fs::path rel = fs::path("added") / ("note-" + std::to_string(added) + ".md");
      std::string text = "# 新增笔记 " + std::to_string(added) + "\n\n";
      for (int s = 0; s < 5; ++s)
        text += "## 第" + std::to_string(s) + "节\n\n配置 package 安装步骤 meeting " + std::to_string(s) + "。\n\n";
      test::write_file(root / rel, text);
      files.insert(files.begin(), rel);
    }
    auto sync = test::run_baton({"index", "--batch", "10", "--data-dir", data.path().string(), root.string()});
    INFO(sync.output);
    CHECK(sync.status == 0);
  }
  // Let the readers see the last commit too.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  stop = true;
  for (auto& t : threads) t.join();

  std::printf("concurrency test: %ld searches, %ld document reads (%ld of them 404 for a changed file), %zu errors\n",
              tally.searches.load(), tally.docs.load(), tally.not_found.load(), tally.errors.size());
  for (const auto& e : tally.errors) UNSCOPED_INFO(e);
  CHECK(tally.errors.empty());
  CHECK(tally.searches > 20);
  CHECK(tally.docs > 100);

  // Still healthy, and what it serves is the tree as it is now.
  httplib::Client client("127.0.0.1", port);
  auto health = client.Get("/api/health");
  REQUIRE(health);
  CHECK(health->status == 200);
  auto last = client.Get(("/api/search?q=" + encode("新增笔记 " + std::to_string(added - 1))).c_str());
  REQUIRE(last);
  REQUIRE(last->status == 200);
  bool found = false;
  const json hits = json::parse(last->body)["hits"];
  for (const auto& hit : hits) found |= hit["path"] == "added/note-" + std::to_string(added - 1) + ".md";
  CHECK(found);
  server.process().signal(SIGTERM);
  CHECK(server.process().wait() == 0);
}
