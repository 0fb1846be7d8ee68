// Replays the fuzz findings in tests/fixtures/fuzz/<target>/ through what their fuzz target calls:
// each was a crash, leak, hang or out-of-memory once, and must now be an ordinary result.
#include <xapian.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>

#include "baton/extract.h"
#include "baton/index.h"
#include "baton/query.h"
#include "baton/search.h"
#include "baton/text.h"
#include "test_util.h"

using namespace baton;
namespace fs = std::filesystem;

namespace {

const fs::path findings = fs::path(BATON_SOURCE_DIR) / "tests/fixtures/fuzz";

// The file name each extractor's fuzz target gives its input (tests/fuzz/CMakeLists.txt).
const std::map<std::string, std::string> fuzz_path = {
    {"text", "notes.txt"}, {"chat", "chat.txt"},       {"markdown", "notes.md"},  {"html", "page.html"},
    {"csv", "table.csv"},  {"mail", "message.eml"},    {"mbox", "archive.mbox"},  {"docx", "doc.docx"},
    {"xlsx", "book.xlsx"}, {"pptx", "slides.pptx"},    {"odt", "doc.odt"},        {"pdf", "doc.pdf"}};

std::vector<fs::path> inputs_of(const std::string& target) {
  std::vector<fs::path> out;
  if (fs::is_directory(findings / target))
    for (const auto& e : fs::directory_iterator(findings / target)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("fuzz findings: every extractor input is an ordinary result now", "[fuzz]") {
  for (const auto& [target, name] : fuzz_path) {
    for (const fs::path& input : inputs_of(target)) {
      INFO(input.string());
      auto docs = extract(name, test::read_file(input));
      // An exception inside an extractor would surface as "extraction failed".
      if (!docs) CHECK_FALSE(docs.error().message.starts_with("extraction failed"));
    }
  }
}

TEST_CASE("fuzz findings: every query input parses and plans", "[fuzz]") {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  for (const fs::path& input : inputs_of("query")) {
    INFO(input.string());
    const std::string bytes = test::read_file(input);
    if (bytes.empty()) continue;
    // As tests/fuzz/fuzz_query.cpp: a mode byte, the query, and after a NUL a synonyms file.
    constexpr CjkMode modes[] = {CjkMode::xapian, CjkMode::bigrams, CjkMode::words, CjkMode::words_bigrams,
                                 CjkMode::friso, CjkMode::friso_bigrams};
    const CjkMode mode = modes[static_cast<unsigned char>(bytes[0]) % std::size(modes)];
    std::string_view rest = std::string_view(bytes).substr(1);
    const Synonyms* synonyms = &Synonyms::builtin();
    Synonyms own;
    if (const std::size_t nul = rest.find('\0'); nul != std::string_view::npos) {
      own = Synonyms::parse(rest.substr(nul + 1));
      synonyms = &own;
      rest = rest.substr(0, nul);
    }
    const std::string q(trim(rest));
    if (q.size() > max_query_bytes || !is_utf8(q)) continue;
    auto parsed = parse_query(q);
    if (!parsed || trim(parsed->text).empty()) continue;
    const QueryPlan plan = plan_query(parsed->text, db, *synonyms, mode);
    Xapian::Enquire enquire(db);
    enquire.set_query(plan.query.empty() ? Xapian::Query(schema::unit_prefix) : plan.query);
    CHECK(enquire.get_mset(0, 10).empty());
  }
}
