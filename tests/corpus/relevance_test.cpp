// Relevance harness: known-item queries over the shared corpus (tests/relevance/*.tsv: a query, the
// document a person typing it wants, in their own words). Reports success@5 and MRR@10 per
// language and per way of reading Chinese, and holds the default to floors set from measurement.
// dev.tsv is what ranking was tuned on; holdout.tsv was written apart and not tuned on, but its
// misses were read; holdout2.tsv to holdout5.tsv were written later by other people who saw neither
// the code nor the other sets, and their misses are not printed, so that nobody tunes to them.
// holdout3 chose between ranking variants; holdout4 was the test set of those (its misses were read
// afterwards); holdout5 is the test set of everything since, run once. holdout6 (30 + 30, a third
// of them hard on purpose) was first run on 2026-11-28 at 9e2b4b7, before the larger thesaurus; it
// then chose BM25's b (its misses were read). holdout7 (30 + 30, a third hard) is the test set of
// the thesaurus, its weighting and b = 0.75, run once; its misses chose the compounds, the Taiwan terms
// and proximity. holdout8 (30 + 30, a third hard) is the test set of those, run once (2026-11-28).
// holdout9 (30 + 30, a third hard) was first run at 0d40942 (2026-11-28), before its misses were read;
// holdout10 and holdout11 (the same) at bf7c488. holdout12 (the same) was first run with the title field
// (2026-11-28), before its misses were read; holdout13 (the same) at 20a2caa; holdout14 (the same) at
// 9061495, before files without an extension were read; holdout15 (the same) at 62ab916, before file
// names were searchable; holdout16 (the same) at 0d27802; holdout17 (the same) at d3aa948; holdout18 (the same) at 8f83422;
// holdout19 (the same) at ff1cf95; holdout20 and holdout21 (the same) at c0a40ba; holdout22 at 5d17e3d and
// holdout23 at 2179c80, holdout24 at 90c444c, holdout25 at 555f256 and holdout26 at e1f9908 (the same, 2026-11-29);
// holdout27 and holdout28 at b0cb21c, holdout29 and holdout30 at 5b9b977 (the same, 2026-11-29).
#include <catch2/catch.hpp>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>

#include "corpus_index.h"

using namespace baton;
namespace fs = std::filesystem;

namespace {

struct KnownItem {
  std::string lang, query;
  std::vector<std::string> expected;  // alternatives: the same text in more than one file
};

std::vector<KnownItem> load(const std::string& name) {
  const fs::path file = fs::path(BATON_SOURCE_DIR) / "tests/relevance" / name;
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::vector<KnownItem> items;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const auto f = test::split(line, '\t');
    if (f.size() < 3 || f[0].empty()) continue;
    items.push_back({f[0], f[1], test::split(f[2], '|')});
  }
  return items;
}

struct Score {
  int queries = 0, found5 = 0;
  double rr = 0;
  double success5() const { return queries ? static_cast<double>(found5) / queries : 0; }
  double mrr10() const { return queries ? rr / queries : 0; }
};

// Per language: how the set does with `searcher`.
std::map<std::string, Score> evaluate(Searcher& searcher, const std::vector<KnownItem>& items, std::ostream* misses = nullptr) {
  std::map<std::string, Score> scores;
  for (const auto& item : items) {
    auto r = searcher.search({item.query, 10, 0});
    Score& s = scores[item.lang];
    ++s.queries;
    if (!r) {
      if (misses) *misses << "  error: " << item.query << ": " << r.error().message << "\n";
      continue;
    }
    int rank = 0;
    for (std::size_t i = 0; i < r->hits.size() && !rank; ++i)
      if (std::find(item.expected.begin(), item.expected.end(), r->hits[i].path) != item.expected.end())
        rank = static_cast<int>(i) + 1;
    if (rank) s.rr += 1.0 / rank;
    if (rank && rank <= 5) ++s.found5;
    if (misses && (!rank || rank > 5))
      *misses << "  " << item.lang << " '" << item.query << "' → " << (rank ? "rank " + std::to_string(rank) : "not in top 10")
              << " (want " << item.expected.front() << "; top: " << (r->hits.empty() ? "-" : r->hits.front().path) << ")\n";
  }
  return scores;
}

Searcher open_with(CjkMode mode) {
  SearcherOptions options;
  options.log = false;
  options.cjk_mode = mode;
  auto s = Searcher::open(test::CorpusIndex::get().data.path(), options);
  if (!s) throw std::runtime_error(s.error().message);
  return std::move(*s);
}

std::string row(const std::string& label, const std::map<std::string, Score>& s) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(3) << std::left << std::setw(24) << label;
  for (const char* lang : {"zh", "en"}) {
    const auto it = s.find(lang);
    const Score sc = it == s.end() ? Score{} : it->second;
    out << "  " << lang << " success@5 " << sc.success5() << " MRR@10 " << sc.mrr10() << " (n=" << sc.queries << ")";
  }
  return out.str();
}

}  // namespace

TEST_CASE("known-item queries find their document in the top 5", "[corpus][relevance]") {
  const std::vector<std::string> sets = {"dev",      "holdout",  "holdout2", "holdout3", "holdout4",
                                         "holdout5", "holdout6", "holdout7", "holdout8", "holdout9",
                                         "holdout10", "holdout11", "holdout12", "holdout13", "holdout14", "holdout15", "holdout16", "holdout17", "holdout18",
                                         "holdout19", "holdout20", "holdout21", "holdout22", "holdout23", "holdout24", "holdout25", "holdout26",
                                         "holdout27", "holdout28", "holdout29", "holdout30"};
  std::map<std::string, std::vector<KnownItem>> items;
  for (const auto& set : sets) {
    items[set] = load(set + ".tsv");
    REQUIRE(items[set].size() >= 40);
  }
  const auto& dev = items["dev"];
  const auto& holdout = items["holdout"];

  // Every way of reading Chinese, side by side (xapian = Xapian's QueryParser, every n-gram required).
  std::ostringstream table;
  std::map<std::string, std::map<std::string, Score>> results;
  for (CjkMode mode : {CjkMode::xapian, CjkMode::bigrams, CjkMode::words, CjkMode::words_bigrams, CjkMode::friso,
                        CjkMode::friso_bigrams}) {
    Searcher searcher = open_with(mode);
    const std::string name(cjk_mode_name(mode));
    for (const auto& set : sets) {
      results[set + " " + name] = evaluate(searcher, items[set]);
      table << row(set + " " + name, results[set + " " + name]) << "\n";
    }
  }
  std::ostringstream dev_misses, holdout_misses;
  Searcher searcher = open_with(SearcherOptions{}.cjk_mode);
  evaluate(searcher, dev, &dev_misses);
  evaluate(searcher, holdout, &holdout_misses);
  WARN("relevance (default: " << cjk_mode_name(SearcherOptions{}.cjk_mode) << ")\n"
                              << table.str() << "dev misses:\n" << dev_misses.str() << "holdout misses:\n" << holdout_misses.str());

  // Floors from the measured figures (see the README), a little below them so that a change that
  // costs one query per language still passes and one that costs several does not.
  const std::string def(cjk_mode_name(SearcherOptions{}.cjk_mode));
  // Measured (2026-11-28, with the title field), success@5 zh / en: dev 0.833 / 0.923; holdout 0.917 /
  // 1.000; holdout2 0.840 / 0.920; holdout3 0.840 / 1.000; holdout4 0.880 / 1.000; holdout5 0.800 /
  // 0.960; holdout6 0.767 / 0.700; holdout7 0.833 / 0.767; holdout8 0.867 / 0.833; holdout9 0.867 /
  // 0.867; holdout10 0.967 / 0.800; holdout11 0.967 / 0.833; holdout12 0.867 / 0.700; holdout13 0.700 /
  // 0.700; holdout14 0.900 / 0.933; holdout15 0.900 / 0.767;
  // holdout16 0.933 / 0.900; holdout17 0.833 / 0.867; holdout18 0.767 / 0.867; holdout19 0.933 / 0.933;
  // holdout20 0.767 / 0.900; holdout21 0.867 / 1.000; holdout22 0.967 / 0.867; holdout23 0.933 / 0.900;
  // holdout24 0.767 / 0.833; holdout25 0.800 / 0.900; holdout26 0.700 / 0.900; holdout27 0.933 / 0.933;
  // holdout28 0.800 / 0.800; holdout29 0.833 / 0.900; holdout30 0.800 / 1.000.
  // First runs on sets nobody had tuned to: holdout3 0.840 / 0.800, holdout4 0.800 / 0.760, holdout5
  // 0.840 / 0.920, holdout6 0.667 / 0.667 (at 9e2b4b7), holdout7 0.767 / 0.633 (at 3e11980), holdout8
  // 0.833 / 0.833 (at ac7f3f4: the ranking measured here; 3e11980 also 0.833 / 0.833), holdout9 0.867 /
  // 0.867 (at 0d40942), holdout10 0.867 / 0.800 and holdout11 0.967 / 0.867 (at bf7c488), holdout12
  // 0.867 / 0.700 (with the title field; 0.867 / 0.667 without it), holdout13 0.700 / 0.700 (at
  // 20a2caa), holdout14 0.867 / 0.933 (at 9061495), holdout15 0.833 / 0.700 (at 62ab916), holdout16
  // 0.933 / 0.900 (at 0d27802), holdout17 0.833 / 0.867 (at d3aa948), holdout18 0.767 / 0.867 (at 8f83422),
  // holdout19 0.933 / 0.933 (at ff1cf95), holdout20 0.767 / 0.900 and holdout21 0.867 / 1.000 (at c0a40ba),
  // holdout22 0.967 / 0.833 (at 5d17e3d; 0.867 in English once pictures were read, 2179c80), holdout23 0.933 / 0.900
  // (at 2179c80), holdout24 0.767 / 0.833 (at 90c444c), holdout25 0.800 / 0.900 (at 555f256), holdout26 0.700 / 0.900
  // (at e1f9908; 0.667 / 0.900 with the thesaurus before it), holdout27 0.933 / 0.933 and holdout28 0.800 / 0.800
  // (at b0cb21c), holdout29 0.833 / 0.900 and holdout30 0.800 / 1.000 (at 5b9b977).
  CHECK(results["dev " + def]["zh"].success5() >= 0.79);
  CHECK(results["dev " + def]["en"].success5() >= 0.88);
  CHECK(results["holdout " + def]["zh"].success5() >= 0.87);
  CHECK(results["holdout " + def]["en"].success5() >= 0.96);
  // 0.624 before file names were searchable, 0.582 since: the PDF builds of whole guides (debian-faq.en.pdf,
  // maint-guide.zh-cn.pdf) now also match "Debian" by name and take rank 1 from two chapters, still in the
  // top 5. Over the 960 queries the file names won 2 English and 2 Chinese queries (409 → 411, 411 → 413).
  CHECK(results["holdout " + def]["zh"].mrr10() >= 0.56);
  CHECK(results["holdout " + def]["en"].mrr10() >= 0.78);
  CHECK(results["holdout2 " + def]["zh"].success5() >= 0.80);
  CHECK(results["holdout2 " + def]["en"].success5() >= 0.87);
  CHECK(results["holdout3 " + def]["zh"].success5() >= 0.80);
  CHECK(results["holdout3 " + def]["en"].success5() >= 0.95);
  CHECK(results["holdout4 " + def]["zh"].success5() >= 0.83);
  CHECK(results["holdout4 " + def]["en"].success5() >= 0.95);
  CHECK(results["holdout5 " + def]["zh"].success5() >= 0.76);
  CHECK(results["holdout5 " + def]["en"].success5() >= 0.92);
  CHECK(results["holdout6 " + def]["zh"].success5() >= 0.73);
  CHECK(results["holdout6 " + def]["en"].success5() >= 0.66);
  CHECK(results["holdout7 " + def]["zh"].success5() >= 0.80);
  CHECK(results["holdout7 " + def]["en"].success5() >= 0.73);
  CHECK(results["holdout8 " + def]["zh"].success5() >= 0.83);
  CHECK(results["holdout8 " + def]["en"].success5() >= 0.80);
  CHECK(results["holdout9 " + def]["zh"].success5() >= 0.83);
  CHECK(results["holdout9 " + def]["en"].success5() >= 0.83);
  CHECK(results["holdout10 " + def]["zh"].success5() >= 0.93);
  CHECK(results["holdout10 " + def]["en"].success5() >= 0.76);
  CHECK(results["holdout11 " + def]["zh"].success5() >= 0.93);
  CHECK(results["holdout11 " + def]["en"].success5() >= 0.80);
  CHECK(results["holdout12 " + def]["zh"].success5() >= 0.83);
  CHECK(results["holdout12 " + def]["en"].success5() >= 0.66);
  CHECK(results["holdout13 " + def]["zh"].success5() >= 0.66);
  CHECK(results["holdout13 " + def]["en"].success5() >= 0.66);
  CHECK(results["holdout14 " + def]["zh"].success5() >= 0.86);
  CHECK(results["holdout14 " + def]["en"].success5() >= 0.89);
  CHECK(results["holdout15 " + def]["zh"].success5() >= 0.86);
  CHECK(results["holdout15 " + def]["en"].success5() >= 0.73);
  CHECK(results["holdout16 " + def]["zh"].success5() >= 0.89);
  CHECK(results["holdout16 " + def]["en"].success5() >= 0.86);
  CHECK(results["holdout17 " + def]["zh"].success5() >= 0.80);
  CHECK(results["holdout17 " + def]["en"].success5() >= 0.83);
  CHECK(results["holdout18 " + def]["zh"].success5() >= 0.73);
  CHECK(results["holdout18 " + def]["en"].success5() >= 0.83);
  CHECK(results["holdout19 " + def]["zh"].success5() >= 0.89);
  CHECK(results["holdout19 " + def]["en"].success5() >= 0.89);
  CHECK(results["holdout20 " + def]["zh"].success5() >= 0.73);
  CHECK(results["holdout20 " + def]["en"].success5() >= 0.86);
  CHECK(results["holdout21 " + def]["zh"].success5() >= 0.83);
  CHECK(results["holdout21 " + def]["en"].success5() >= 0.96);
  CHECK(results["holdout22 " + def]["zh"].success5() >= 0.93);
  CHECK(results["holdout22 " + def]["en"].success5() >= 0.83);
  CHECK(results["holdout23 " + def]["zh"].success5() >= 0.89);
  CHECK(results["holdout23 " + def]["en"].success5() >= 0.86);
  CHECK(results["holdout24 " + def]["zh"].success5() >= 0.73);
  CHECK(results["holdout24 " + def]["en"].success5() >= 0.80);
  CHECK(results["holdout25 " + def]["zh"].success5() >= 0.76);
  CHECK(results["holdout25 " + def]["en"].success5() >= 0.86);
  CHECK(results["holdout26 " + def]["zh"].success5() >= 0.66);
  CHECK(results["holdout26 " + def]["en"].success5() >= 0.86);
  CHECK(results["holdout27 " + def]["zh"].success5() >= 0.89);
  CHECK(results["holdout27 " + def]["en"].success5() >= 0.89);
  CHECK(results["holdout28 " + def]["zh"].success5() >= 0.76);
  CHECK(results["holdout28 " + def]["en"].success5() >= 0.76);
  CHECK(results["holdout29 " + def]["zh"].success5() >= 0.80);
  CHECK(results["holdout29 " + def]["en"].success5() >= 0.86);
  CHECK(results["holdout30 " + def]["zh"].success5() >= 0.76);
  CHECK(results["holdout30 " + def]["en"].success5() >= 0.96);
  // Requiring every n-gram (the peer's way) must stay far behind for paraphrased Chinese.
  CHECK(results["holdout " + def]["zh"].success5() > results["holdout xapian"]["zh"].success5());
  CHECK(results["holdout2 " + def]["zh"].success5() > results["holdout2 xapian"]["zh"].success5());
  CHECK(results["holdout3 " + def]["zh"].success5() > results["holdout3 xapian"]["zh"].success5());
  CHECK(results["holdout4 " + def]["zh"].success5() > results["holdout4 xapian"]["zh"].success5());
  CHECK(results["holdout5 " + def]["zh"].success5() > results["holdout5 xapian"]["zh"].success5());
  CHECK(results["holdout6 " + def]["zh"].success5() > results["holdout6 xapian"]["zh"].success5());
  CHECK(results["holdout7 " + def]["zh"].success5() > results["holdout7 xapian"]["zh"].success5());
  CHECK(results["holdout8 " + def]["zh"].success5() > results["holdout8 xapian"]["zh"].success5());
  CHECK(results["holdout9 " + def]["zh"].success5() > results["holdout9 xapian"]["zh"].success5());
  CHECK(results["holdout10 " + def]["zh"].success5() > results["holdout10 xapian"]["zh"].success5());
  CHECK(results["holdout11 " + def]["zh"].success5() > results["holdout11 xapian"]["zh"].success5());
  CHECK(results["holdout12 " + def]["zh"].success5() > results["holdout12 xapian"]["zh"].success5());
  CHECK(results["holdout13 " + def]["zh"].success5() > results["holdout13 xapian"]["zh"].success5());
  CHECK(results["holdout14 " + def]["zh"].success5() > results["holdout14 xapian"]["zh"].success5());
  CHECK(results["holdout15 " + def]["zh"].success5() > results["holdout15 xapian"]["zh"].success5());
  CHECK(results["holdout16 " + def]["zh"].success5() > results["holdout16 xapian"]["zh"].success5());
  CHECK(results["holdout17 " + def]["zh"].success5() > results["holdout17 xapian"]["zh"].success5());
  CHECK(results["holdout18 " + def]["zh"].success5() > results["holdout18 xapian"]["zh"].success5());
  CHECK(results["holdout19 " + def]["zh"].success5() > results["holdout19 xapian"]["zh"].success5());
  CHECK(results["holdout20 " + def]["zh"].success5() > results["holdout20 xapian"]["zh"].success5());
  CHECK(results["holdout21 " + def]["zh"].success5() > results["holdout21 xapian"]["zh"].success5());
  CHECK(results["holdout22 " + def]["zh"].success5() > results["holdout22 xapian"]["zh"].success5());
  CHECK(results["holdout23 " + def]["zh"].success5() > results["holdout23 xapian"]["zh"].success5());
  CHECK(results["holdout24 " + def]["zh"].success5() > results["holdout24 xapian"]["zh"].success5());
  CHECK(results["holdout25 " + def]["zh"].success5() > results["holdout25 xapian"]["zh"].success5());
  CHECK(results["holdout26 " + def]["zh"].success5() > results["holdout26 xapian"]["zh"].success5());
  CHECK(results["holdout27 " + def]["zh"].success5() > results["holdout27 xapian"]["zh"].success5());
  CHECK(results["holdout28 " + def]["zh"].success5() > results["holdout28 xapian"]["zh"].success5());
  CHECK(results["holdout29 " + def]["zh"].success5() > results["holdout29 xapian"]["zh"].success5());
  CHECK(results["holdout30 " + def]["zh"].success5() > results["holdout30 xapian"]["zh"].success5());
}
