// The whole shared corpus of real documents (../shared/corpus) through the real indexer, once:
// every file is indexed or reported with a reason, and the text of every format is findable.
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "baton/catalog.h"
#include "baton/extract.h"
#include "baton/index.h"
#include "baton/search.h"
#include "corpus_index.h"

using namespace baton;
namespace fs = std::filesystem;

using test::CorpusIndex;
using test::split;

TEST_CASE("every file of the corpus is indexed or reported with a reason", "[corpus]") {
  auto& idx = CorpusIndex::get();
  auto catalog = Catalog::open(catalog_path(idx.data.path()));
  REQUIRE(catalog.ok());
  const auto sources = catalog->sources_under(fs::canonical(idx.root).string());

  std::map<std::string, std::size_t> unsupported;
  std::size_t files = 0, indexed = 0, failed = 0;
  for (const auto& entry : fs::recursive_directory_iterator(idx.root)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const std::string rel = entry.path().lexically_relative(idx.root).generic_string();
    // A file without an extension is read if its content is a format Baton reads (the ECD sample's
    // "valid" and "test" are text).
    std::string head;
    if (decided_by_content(rel)) {
      std::ifstream in(entry.path(), std::ios::binary);
      head.assign(std::istreambuf_iterator<char>(in), {});
    }
    if (format_of(rel, head) == Format::unsupported) {
      ++unsupported[entry.path().extension().string()];
      continue;
    }
    auto it = sources.find(rel);
    INFO(rel);
    REQUIRE(it != sources.end());
    if (it->second.failed) {
      ++failed;
      CHECK(it->second.error.size() > 5);
      CHECK(std::any_of(idx.summary.failures.begin(), idx.summary.failures.end(),
                        [&](const SyncFailure& f) { return f.path == rel && f.reason == it->second.error; }));
    } else {
      ++indexed;
      CHECK(it->second.units > 0);
    }
  }
  CHECK(unsupported == idx.summary.unsupported);  // every file not read is counted in the summary
  CHECK(failed == idx.summary.failed);
  CHECK(indexed + failed + idx.summary.skipped == idx.summary.scanned);
  // Real corpora have a few files nobody can read; more than a handful means an extractor is broken.
  for (const auto& f : idx.summary.failures) WARN("failed: " << f.path << ": " << f.reason);
  CHECK(failed <= 5);
  CHECK(files > 5000);
}

TEST_CASE("the Chinese list mail is findable by the words of its decoded subjects", "[corpus][mail]") {
  auto& idx = CorpusIndex::get();
  std::ifstream index(idx.root / "comms-zh/mail/INDEX.tsv");
  REQUIRE(index);
  std::string line;
  std::getline(index, line);  // header: list file git_blob_sha1 charsets cjk_chars subject
  std::size_t rows = 0, found = 0;
  while (std::getline(index, line)) {
    const auto f = split(line, '\t');
    if (f.size() < 6) continue;
    ++rows;
    const std::string path = "comms-zh/mail/" + f[0] + "/" + f[1];
    std::string subject = f[5];
    // INDEX.tsv cuts subjects at 90 characters, often inside a word: search the whole words.
    std::size_t chars = 0;
    for (unsigned char c : subject) chars += (c & 0xC0) != 0x80;
    if (chars >= 90 && subject.rfind(' ') != std::string::npos) subject.resize(subject.rfind(' '));
    if (idx.finds(subject, path, 100)) ++found;
    else WARN("not in the top 100 for its subject: " << path << " (" << subject << ")");
  }
  CHECK(rows > 80);
  CHECK(found == rows);
}

TEST_CASE("the JD customer-service sessions are findable by their content", "[corpus][chat]") {
  auto& idx = CorpusIndex::get();
  const fs::path dir = idx.root / "comms-zh/dialogues/jddc/sessions";
  std::vector<fs::path> sessions(fs::directory_iterator(dir), fs::directory_iterator{});
  std::sort(sessions.begin(), sessions.end());
  REQUIRE(sessions.size() > 900);
  std::size_t tried = 0, found = 0;
  for (std::size_t i = 0; i < sessions.size(); i += 25) {
    // The longest line a customer typed, without the dataset's [placeholders], is what someone would search.
    std::ifstream in(sessions[i]);
    std::string line, best;
    while (std::getline(in, line)) {
      if (line.rfind("顾客: ", 0) != 0) continue;
      std::string text = line.substr(std::string("顾客: ").size());
      if (text.find('[') != std::string::npos) text = text.substr(0, text.find('['));
      if (text.size() > best.size()) best = text;
    }
    if (best.size() < 12) continue;
    ++tried;
    const std::string rel = sessions[i].lexically_relative(idx.root).generic_string();
    if (idx.finds(best, rel)) ++found;
    else WARN("not in the top 10 for its own words: " << rel << " (" << best << ")");
  }
  CHECK(tried >= 30);
  CHECK(found == tried);
}

TEST_CASE("text of every format in the corpus is findable", "[corpus]") {
  auto& idx = CorpusIndex::get();
  SECTION("Enron mail, by sender and subject words") {
    const auto p = idx.paths("enron", 10);
    CHECK(!p.empty());
    CHECK(std::all_of(p.begin(), p.end(), [](const std::string& s) { return s.rfind("mail/", 0) == 0; }));
  }
  SECTION("Chinese manuals in HTML") {
    const auto p = idx.paths("软件包管理", 10);
    REQUIRE_FALSE(p.empty());
    CHECK(std::any_of(p.begin(), p.end(), [](const std::string& s) { return s.rfind("manuals-zh/", 0) == 0; }));
  }
  SECTION("Word: footnote text") {
    CHECK(idx.finds("tachyon", "office/docx/mammoth.js__footnotes.docx"));
  }
  SECTION("Excel: shared strings") {
    CHECK(idx.finds("Weight Kgs", "office/xlsx/excelize__SharedStrings.xlsx"));
  }
  SECTION("PDF: a Chinese manual") {
    CHECK(idx.finds("工作站", "office/pdf/debian-edu-bullseye-manual.zh-cn.pdf"));
  }
  SECTION("TSV: the mail index") {
    CHECK(idx.finds("eros性能问题", "comms-zh/mail/INDEX.tsv", 50));
  }
  SECTION("English manuals as plain text man pages") {
    const auto p = idx.paths("dpkg-buildpackage", 10);
    REQUIRE_FALSE(p.empty());
  }
}
