// Bad files beside good ones: truncated and corrupt documents, zip bombs, a 100 MB line, binary junk
// named as text. Each bad file is reported and skipped, within the extractors' limits; the good files
// are all indexed and found.
#include <catch2/catch.hpp>
#include <map>
#include <random>

#include "baton/extract.h"
#include "baton/index.h"
#include "baton/search.h"
#include "test_util.h"
#include "zip_util.h"

using namespace baton;
namespace fs = std::filesystem;

namespace {

const std::string root_rels =
    R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="MAIN"/>)"
    R"(</Relationships>)";

std::string rels_to(const std::string& main) {
  std::string r = root_rels;
  r.replace(r.find("MAIN"), 4, main);
  return r;
}

std::string word_xml(const std::string& text) {
  return R"(<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>)" +
         text + "</w:t></w:r></w:p></w:body></w:document>";
}

std::string docx(const std::string& text) {
  return test::make_zip({{"_rels/.rels", rels_to("word/document.xml")}, {"word/document.xml", word_xml(text)}});
}

std::string xlsx(const std::string& text) {
  return test::make_zip(
      {{"_rels/.rels", rels_to("xl/workbook.xml")},
       {"xl/workbook.xml",
        R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="S" sheetId="1"/></sheets></workbook>)"},
       {"xl/worksheets/sheet1.xml",
        R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row><c t="inlineStr"><is><t>)" +
            text + "</t></is></c></row></sheetData></worksheet>"}});
}

// A one-page PDF with one line of Helvetica text.
std::string pdf(const std::string& text) {
  const std::string content = "BT /F1 12 Tf 72 720 Td (" + text + ") Tj ET";
  const std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
  std::string out = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t at : offsets) {
    std::string n = std::to_string(at);
    out += std::string(10 - n.size(), '0') + n + " 00000 n \n";
  }
  out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return out;
}

std::string mail(const std::string& subject, const std::string& body) {
  return "From: Lin <lin@qinghe-ec.com>\nTo: ops@qinghe-ec.com\nSubject: " + subject +
         "\nDate: Mon, 1 Jan 2024 10:00:00 +0800\nMessage-ID: <" + subject + "@qinghe-ec.com>\n\n" + body + "\n";
}

std::string without_last(std::string s, std::size_t n) {
  s.resize(s.size() - n);
  return s;
}

std::string random_bytes(std::size_t n, unsigned seed, unsigned char lowest = 0) {
  std::mt19937 rng(seed);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(lowest + rng() % (256u - lowest));
  return out;
}

using test::hits;

}  // namespace

TEST_CASE("bad files are reported and skipped, and the good files beside them are all indexed and found",
          "[index][bad]") {
  test::TempDir root, data;
  // The good files, each with a word no other file has.
  const std::map<std::string, std::string> good = {
      {"good/说明.md", "# 交接说明\n\n备份口令 goodmarkdown 在保险柜。\n"},
      {"good/值班.txt", "值班表 goodtext 每周一更新\n"},
      {"good/客户.csv", "名称,说明\n瑞丰贸易,goodcsv 月底对账\n"},
      {"good/手册.docx", docx("gooddocx 退款流程")},
      {"good/报价.xlsx", xlsx("goodxlsx 报价单")},
      {"good/指南.pdf", pdf("goodpdf backup guide")},
      {"good/询价.eml", mail("goodmail", "年货团购询价")},
      // Cut in its body (in the middle of a character): its headers and the rest are still a mail.
      {"good/断了.eml", without_last(mail("goodcut", "goodcutbody 后面的内容丢失了"), 8)},
      {"good/归档.mbox", "From lin@qinghe-ec.com Mon Jan  1 10:00:00 2024\n" + mail("goodmbox", "第一封") +
                           "\nFrom lin@qinghe-ec.com Mon Jan  1 11:00:00 2024\n" + mail("second", "goodmboxtwo") + "\n"},
  };
  for (const auto& [path, bytes] : good) test::write_file(root / path, bytes);

  // The bad files, each with (part of) the reason it must be reported with.
  const std::string good_docx = good.at("good/手册.docx");
  std::string flipped_xlsx = good.at("good/报价.xlsx");
  for (std::size_t i = 0; i < flipped_xlsx.size(); i += 7) flipped_xlsx[i] = static_cast<char>(~flipped_xlsx[i]);
  std::string liar = test::make_gigabyte_bomb({{"_rels/.rels", rels_to("word/document.xml")}}, "word/document.xml", 3072);
  test::declare_size(liar, "word/document.xml", 4096);
  std::string huge_line;
  huge_line.reserve(100u << 20);
  while (huge_line.size() < (100u << 20)) huge_line += "一行没有尽头的数据 endless line ";
  const std::string good_pdf = good.at("good/指南.pdf");

  const std::map<std::string, std::pair<std::string, std::string>> bad = {
      {"bad/truncated.docx", {good_docx.substr(0, good_docx.size() / 2), "corrupt zip"}},
      {"bad/corrupt.xlsx", {flipped_xlsx, "zip"}},
      {"bad/junk.xlsx", {"PK\x03\x04" + random_bytes(4000, 1), "corrupt zip"}},
      {"bad/truncated.pdf", {good_pdf.substr(0, 40), "PDF"}},
      {"bad/corrupt.pdf", {"%PDF-1.4\n" + random_bytes(5000, 2), "PDF"}},
      {"bad/junk.eml", {random_bytes(3000, 3), "not a mail message"}},
      {"bad/truncated.eml", {mail("cut", "body").substr(0, 3), "not a mail message"}},
      {"bad/junk.mbox", {"From nobody Mon Jan  1 10:00:00 2024\n" + random_bytes(3000, 4), "not an mbox"}},
      {"bad/truncated.mbox", {"From nobody Mon Jan  1 10:00:00 2024\n" + mail("cut", "body").substr(0, 3), "not an mbox"}},
      {"bad/bomb.docx",
       {test::make_gigabyte_bomb({{"_rels/.rels", rels_to("word/document.xml")}}, "word/document.xml", 3072),
        "word/document.xml in the docx unpacks to more than 64 MB"}},
      {"bad/liar.docx", {liar, "inflates to more than its header says"}},
      {"bad/one-line.txt", {huge_line, "line 1 is longer than 1 MB"}},
      {"bad/junk.txt", {random_bytes(10000, 5), "binary data, not text"}},
      {"bad/junk.md", {random_bytes(10000, 6, 1), "binary data, not text"}},  // no NUL byte in it
      {"bad/junk.csv", {random_bytes(10000, 7), "binary data, not text"}},
  };
  for (const auto& [path, file] : bad) test::write_file(root / path, file.first);
  // A bomb of gigabytes is a few MB on disk: nothing was inflated to make it.
  CHECK(bad.at("bad/bomb.docx").first.size() < (8u << 20));

  auto summary = sync(data.path(), {root.path()});
  REQUIRE(summary.ok());
  CHECK(summary->scanned == good.size() + bad.size());
  CHECK(summary->added == good.size());
  CHECK(summary->failed == bad.size());
  std::map<std::string, std::string> reported;
  for (const auto& f : summary->failures) reported[f.path] = f.reason;
  for (const auto& [path, file] : bad) {
    INFO(path);
    REQUIRE(reported.count(path) == 1);
    CHECK_THAT(reported[path], Catch::Contains(file.second));
    CHECK_FALSE(reported[path].starts_with("extraction failed"));  // an exception, not a value
  }
  for (const auto& [path, bytes] : good) CHECK(reported.count(path) == 0);

  for (const std::string word : {"goodmarkdown", "goodtext", "goodcsv", "gooddocx", "goodxlsx", "goodpdf", "goodmail",
                                 "goodcutbody", "goodmbox", "goodmboxtwo"}) {
    INFO(word);
    CHECK(hits(data.path(), word) == 1);
  }
  CHECK(hits(data.path(), "endless") == 0);

  // Failures are remembered: unchanged, they are not read again; the good files stay as they were.
  auto again = sync(data.path(), {root.path()});
  REQUIRE(again.ok());
  CHECK(again->skipped == bad.size());
  CHECK(again->unchanged == good.size());
  CHECK(again->failed == 0);
  CHECK(hits(data.path(), "gooddocx") == 1);
}

TEST_CASE("a document's text is capped, and the cut is said in its last section", "[extract][bad]") {
  std::string text;
  const std::string line = "值班记录 duty log line\n";
  while (text.size() < max_document_text_bytes + (4u << 20)) text += line;
  auto docs = extract("long.log", text);
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 1);
  const Document& doc = docs->front();
  std::size_t total = 0;
  for (const auto& s : doc.sections) total += s.text.size();
  CHECK(total <= max_document_text_bytes + text_cut_note.size());
  CHECK(total > max_document_text_bytes - (1u << 20));
  CHECK(doc.sections.back().text == text_cut_note);
}

TEST_CASE("a line just under the limit is text, one byte more is refused", "[extract][bad]") {
  const std::string under(max_line_bytes, 'a');
  CHECK(extract("wide.csv", "name\n" + under + "\n").ok());
  auto over = extract("wide.md", "# title\n" + under + "a\n");
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().message == "line 2 is longer than 1 MB: a data dump or minified file, not a document: not read");
}

TEST_CASE("text with a stray control character is text, bytes with many are binary", "[extract][bad]") {
  CHECK(extract("log.txt", "\x1b[31mERROR\x1b[0m disk full\n\x07 bell once\n" + std::string(200, 'x')).ok());
  auto junk = extract("junk.txt", std::string(100, '\x01') + std::string(100, 'x'));
  REQUIRE_FALSE(junk.ok());
  CHECK(junk.error().message == "binary data, not text");
}
