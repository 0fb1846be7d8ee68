// The shared corpus (../shared/corpus) indexed once per test binary, for the corpus and relevance tests.
#pragma once

#include <algorithm>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "baton/index.h"
#include "baton/search.h"
#include "test_util.h"

namespace baton::test {

struct CorpusIndex {
  test::TempDir data;
  std::filesystem::path root = test::corpus();
  SyncSummary summary;
  std::optional<Searcher> searcher;

  static CorpusIndex& get() {
    static CorpusIndex index;
    return index;
  }

  // Paths (relative to the corpus) of the top `limit` hits for `q`.
  std::vector<std::string> paths(const std::string& q, int limit = 10) {
    auto r = searcher->search({q, limit, 0});
    if (!r) FAIL("search '" << q << "' failed: " << r.error().message);
    std::vector<std::string> out;
    for (const auto& h : r->hits) out.push_back(h.path);
    return out;
  }

  bool finds(const std::string& q, const std::string& path, int limit = 10) {
    const auto p = paths(q, limit);
    return std::find(p.begin(), p.end(), path) != p.end();
  }

 private:
  CorpusIndex() {
    auto r = sync(data.path(), {root});
    if (!r) throw std::runtime_error("indexing the corpus failed: " + r.error().message);
    summary = std::move(r.value());
    SearcherOptions options;
    options.log = false;
    auto s = Searcher::open(data.path(), options);
    if (!s) throw std::runtime_error(s.error().message);
    searcher.emplace(std::move(s.value()));
  }
};

inline std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string field; std::getline(in, field, sep);) out.push_back(field);
  return out;
}

}  // namespace baton::test
