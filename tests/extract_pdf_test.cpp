#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <random>
#include <regex>

#include "baton/extract.h"
#include "test_util.h"

using namespace baton;

namespace {

// A minimal PDF written by hand: pages of Helvetica lines, an optional outline (title, 0-based page)
// and an optional Info dictionary body. Enough to pin behaviour the real corpus cannot isolate.
std::string make_pdf(const std::vector<std::vector<std::string>>& pages,
                     const std::vector<std::pair<std::string, int>>& outline = {}, const std::string& info = "") {
  auto escape = [](const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c == '(' || c == ')' || c == '\\') out += '\\';
      out += c;
    }
    return out;
  };
  std::vector<std::string> objects;  // object n is objects[n - 1]
  const int n_pages = static_cast<int>(pages.size());
  const int first_page = 3;  // page k: object 3 + 2k, its content 4 + 2k
  const int font = first_page + 2 * n_pages;
  const int outlines = font + 1;  // then one object per outline entry
  const int info_obj = outline.empty() ? font + 1 : outlines + 1 + static_cast<int>(outline.size());
  std::string kids;
  for (int k = 0; k < n_pages; ++k) kids += std::to_string(first_page + 2 * k) + " 0 R ";
  objects.push_back("<< /Type /Catalog /Pages 2 0 R" +
                    (outline.empty() ? std::string() : " /Outlines " + std::to_string(outlines) + " 0 R") + " >>");
  objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(n_pages) + " >>");
  for (int k = 0; k < n_pages; ++k) {
    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents " +
                      std::to_string(first_page + 2 * k + 1) + " 0 R /Resources << /Font << /F1 " +
                      std::to_string(font) + " 0 R >> >> >>");
    std::string content;
    if (!pages[k].empty()) {
      content = "BT /F1 11 Tf 14 TL 72 740 Td";
      for (const auto& line : pages[k]) content += " (" + escape(line) + ") Tj T*";
      content += " ET";
    } else {
      content = "0.5 g 72 72 468 648 re f";  // a picture, no text: what a scan looks like
    }
    objects.push_back("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream");
  }
  objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  if (!outline.empty()) {
    const int first = outlines + 1;
    const int last = outlines + static_cast<int>(outline.size());
    objects.push_back("<< /Type /Outlines /First " + std::to_string(first) + " 0 R /Last " + std::to_string(last) +
                      " 0 R /Count " + std::to_string(outline.size()) + " >>");
    for (std::size_t i = 0; i < outline.size(); ++i) {
      const int self = first + static_cast<int>(i);
      std::string item = "<< /Title (" + escape(outline[i].first) + ") /Parent " + std::to_string(outlines) +
                         " 0 R /Dest [" + std::to_string(first_page + 2 * outline[i].second) + " 0 R /Fit]";
      if (self > first) item += " /Prev " + std::to_string(self - 1) + " 0 R";
      if (self < last) item += " /Next " + std::to_string(self + 1) + " 0 R";
      objects.push_back(item + " >>");
    }
  }
  if (!info.empty()) objects.push_back("<< " + info + " >>");
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t off : offsets) {
    char entry[24];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", off);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R" +
         (info.empty() ? std::string() : " /Info " + std::to_string(info_obj) + " 0 R") + " >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

// A one-page PDF encrypted with the standard security handler (RC4, 128 bit, revision 3): user
// password "baton", owner password "owner". Generated once with a short script (MD5 + RC4 as in the
// PDF 1.7 reference, algorithms 3.1–3.5); poppler opens it with the password and shows
// "Secret handover notes".
// clang-format off
constexpr char encrypted_pdf_bytes[] =
    "%PDF-1.4\n"
    "1 0 obj\n"
    "<< /Type /Catalog /Pages 2 0 R >>\n"
    "endobj\n"
    "2 0 obj\n"
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>\n"
    "endobj\n"
    "3 0 obj\n"
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 "
    "R >> >> >>\n"
    "endobj\n"
    "4 0 obj\n"
    "<< /Length 52 >>\n"
    "stream\n"
    "\xe4""\xd0""\x07""\xd9""\xa8""\x0e""=\xbf""\xde""\xe1""\n"
    ";\x10""\xa8""\xee""\x86""\xc3""\x00""\xe8""\x9d""\xdb""\xa1""\x86""Q\xa7""\x04""8\x09""3\x0b""\xba"""
    "\xb7""\xbd""\x7f""\x8b""9\xf3""\xa8""\xa2""\xa2""\x99""P#vYw\xcf""1\x22""\xff""\xbb"">\n"
    "endstream\n"
    "endobj\n"
    "5 0 obj\n"
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\n"
    "endobj\n"
    "6 0 obj\n"
    "<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 /O <1cb19242ce6ef298f775ab936441800c82e5252de0b0"
    "fdc1205823063e56c326> /U <36dfdfd6291f54e4f98c0edc80d4822800000000000000000000000000000000> >>\n"
    "endobj\n"
    "xref\n"
    "0 7\n"
    "0000000000 65535 f \n"
    "0000000009 00000 n \n"
    "0000000058 00000 n \n"
    "0000000115 00000 n \n"
    "0000000241 00000 n \n"
    "0000000343 00000 n \n"
    "0000000413 00000 n \n"
    "trailer\n"
    "<< /Size 7 /Root 1 0 R /Encrypt 6 0 R /ID [<6261746f6e2d656e637279707465642d> <6261746f6e2d656e63727"
    "9707465642d>] >>\n"
    "startxref\n"
    "623\n"
    "%%EOF\n";
// clang-format on
const std::string encrypted_pdf(encrypted_pdf_bytes, sizeof encrypted_pdf_bytes - 1);

const Section* find_section(const Document& doc, const std::vector<std::string>& path) {
  for (const auto& s : doc.sections)
    if (s.heading_path == path) return &s;
  return nullptr;
}

std::string all_text(const Document& doc) {
  std::string text;
  for (const auto& s : doc.sections) text += s.text + "\n\n";
  return text;
}

Document extract_one(const std::string& name, const std::string& bytes) {
  auto docs = extract(name, bytes);
  INFO(name << ": " << (docs ? std::string("ok") : docs.error().message));
  REQUIRE(docs);
  REQUIRE(docs->size() == 1);
  return std::move(docs->front());
}

Document corpus_pdf(const std::string& name) {
  return extract_one(name, test::read_file(test::corpus() / "office/pdf" / name));
}

}  // namespace

TEST_CASE("dump pdf corpus", "[.dump]") {
  for (const auto& e : std::filesystem::directory_iterator(test::corpus() / "office/pdf")) {
    if (e.path().extension() != ".pdf") continue;
    auto docs = extract(e.path().filename().string(), test::read_file(e.path()));
    std::cout << "##### " << e.path().filename().string() << "\n";
    if (!docs) {
      std::cout << "ERROR: " << docs.error().message << "\n";
      continue;
    }
    for (const auto& d : *docs) {
      std::cout << "title=" << d.title << " author=" << d.author << " date=" << d.date << "\n";
      for (const auto& s : d.sections)
        std::cout << "--- [" << heading_label(s) << "] L" << s.level << "\n" << s.text << "\n";
    }
  }
}

TEST_CASE("PDF: Chinese manual — title, date, outline headings, words intact across line wraps", "[pdf]") {
  const Document doc = corpus_pdf("debian-edu-bullseye-manual.zh-cn.pdf");
  CHECK(doc.title == "Debian Edu / Skolelinux Bullseye 11 手册");
  CHECK(doc.date == "2024-01-31");  // CreationDate D:20240131160855; there is no ModDate
  CHECK(doc.sections.size() > 100);

  // Headings come from the outline, at the depth the outline gives them.
  const Section* network = find_section(doc, {"结构", "网络", "缺省网络设置"});
  REQUIRE(network);
  CHECK(network->level == 3);
  CHECK(network->text.find("DHCP 在主服务器上为 10.0.0.0/8 网络工作") != std::string::npos);
  CHECK(find_section(doc, {"维护", "服务器监视", "Munin"}));
  CHECK(find_section(doc, {"关于 Debian Edu 和 Skolelinux", "部分历史及为何使用两个名称"}));
  // The cover and the table of contents come before any heading: they are named by page.
  CHECK(doc.sections.front().heading_path == std::vector<std::string>{"第 1 页"});

  const std::string text = all_text(doc);
  // Lines that wrapped inside a word are joined without a space: "…正确的计" + "算机…", "…常规的工" + "作站…".
  CHECK(text.find("别名到正确的计算机") != std::string::npos);
  CHECK(text.find("包含常规的工作站") != std::string::npos);
  CHECK(text.find("服务器提供客户端运行所需的信息。当服务器安装在一台机器上") != std::string::npos);
  // No space between two Han characters survives (poppler guesses them from glyph gaps).
  CHECK_FALSE(std::regex_search(
      text, std::regex("(\xe5|\xe6|\xe7|\xe8|\xe9)[\x80-\xbf]{2} (\xe5|\xe6|\xe7|\xe8|\xe9)[\x80-\xbf]{2}")));
  // Running headers and footers are gone: the title line on every page, "12 / 81".
  CHECK(text.find(" / 81") == std::string::npos);
  CHECK(text.find("Debian Edu / Skolelinux Bullseye 11 手册") == std::string::npos);
  // Ligatures are spelled out: "postoﬀice" is found as postoffice.
  CHECK(text.find("postoffice") != std::string::npos);
  CHECK(text.find("\xef\xac\x80") == std::string::npos);
  // Table-of-contents leaders are stripped.
  CHECK(text.find(". . . .") == std::string::npos);
}

TEST_CASE("PDF: every outline entry of the Chinese and English maintainer guides becomes a heading", "[pdf]") {
  for (const char* name : {"maint-guide.zh-cn.pdf", "maint-guide.en.pdf"}) {
    INFO(name);
    const Document doc = corpus_pdf(name);
    CHECK(doc.author.find("Osamu Aoki") != std::string::npos);
    CHECK(doc.date == "2022-10-08");
    std::size_t headed = 0;
    for (const auto& s : doc.sections)
      headed +=
          s.heading_path.size() > 0 && !s.heading_path[0].starts_with("Page ") && !s.heading_path[0].starts_with("第 ");
    CHECK(headed > 90);
  }
  const Document zh = corpus_pdf("maint-guide.zh-cn.pdf");
  CHECK(zh.title == "Debian 新维护者手册");
  const Section* control = find_section(zh, {"debian 目录中的必需内容", "control"});
  REQUIRE(control);
  CHECK(control->level == 2);
  CHECK(control->text.find("dpkg") != std::string::npos);
  const std::string zh_text = all_text(zh);
  CHECK(zh_text.find("此软件包") != std::string::npos);  // typeset letter-spaced: "此 软 件 包"

  const Document en = corpus_pdf("maint-guide.en.pdf");
  CHECK(en.title == "Debian New Maintainers' Guide");
  const Section* targets =
      find_section(en, {"Required files under the debian directory", "rules", "Targets of the rules file"});
  REQUIRE(targets);
  CHECK(targets->level == 3);
  // The chapter number set above a title ("Chapter 1") goes with the heading, not into the text.
  CHECK(en.sections.size() > 10);
  for (const auto& s : en.sections) CHECK_FALSE(s.text.ends_with("Chapter 1"));
  CHECK(en.sections.front().heading_path == std::vector<std::string>{"Page 1"});
}

TEST_CASE("PDF: long English outline titles that wrap over two lines are still found", "[pdf]") {
  const Document faq = corpus_pdf("debian-faq.en.pdf");
  CHECK(faq.title == "The Debian GNU/Linux FAQ");
  CHECK(
      find_section(faq, {"Definitions and overview",
                         "What is the difference between Debian GNU/Linux and other Linux distributions? Why should I "
                         "choose Debian over some other distribution?"}));
}

TEST_CASE("PDF: the biggest corpus PDF extracts fast", "[pdf]") {
  const std::string bytes = test::read_file(test::corpus() / "office/pdf/debian-edu-bullseye-manual.zh-cn.pdf");
  const auto start = std::chrono::steady_clock::now();
  auto docs = extract("manual.pdf", bytes);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(docs);
  // About 0.12 s in a release build; sanitizers make it ~10x slower.
  CHECK(ms < 10000);
}

TEST_CASE("PDF: outline headings in a generated file, with numbers, across pages", "[pdf]") {
  const std::string pdf = make_pdf(
      {{"1 Overview", "The queue is checked every morning.", "1.1 Daily tasks", "Answer the tickets first."},
       {"2 Contacts", "Ask Li Wei about invoices."}},
      {{"Overview", 0}, {"Daily tasks", 0}, {"Contacts", 1}},
      "/Title (Support handover) /Author (Li Wei) /CreationDate (D:20230101) /ModDate (D:20240301093000+08'00')");
  const Document doc = extract_one("handover.pdf", pdf);
  CHECK(doc.title == "Support handover");
  CHECK(doc.author == "Li Wei");
  CHECK(doc.date == "2024-03-01");  // ModDate wins over CreationDate, as the author's clock saw it
  REQUIRE(doc.sections.size() == 3);
  CHECK(doc.sections[0].heading_path == std::vector<std::string>{"Overview"});
  CHECK(doc.sections[0].text == "The queue is checked every morning.");
  CHECK(doc.sections[1].heading_path == std::vector<std::string>{"Daily tasks"});  // the outline is flat here
  CHECK(doc.sections[1].text == "Answer the tickets first.");
  CHECK(doc.sections[2].heading_path == std::vector<std::string>{"Contacts"});
  CHECK(doc.sections[2].text == "Ask Li Wei about invoices.");
}

TEST_CASE("PDF: a title Office made from the file name is cleaned up", "[pdf]") {
  // UTF-16BE with a byte-order mark, as PDF text strings with Chinese are written.
  const std::string word =
      "/Title "
      "<FEFF004D006900630072006F0073006F0066007400200057006F007200640020002D00204EA463A58BF4660E002E0064006F00630078>";
  CHECK(extract_one("a.pdf", make_pdf({{"Text."}}, {}, word)).title == "交接说明");
  CHECK(extract_one("b.pdf", make_pdf({{"Text."}}, {}, "/Title (D:\\\\work\\\\handover notes.doc)")).title ==
        "handover notes");
  CHECK(extract_one("c.pdf", make_pdf({{"Text."}}, {}, "/Title (Debian Edu / Skolelinux)")).title ==
        "Debian Edu / Skolelinux");
}

TEST_CASE("PDF: without an outline, one section per page named by its number", "[pdf]") {
  const Document doc = extract_one("notes.pdf", make_pdf({{"First page."}, {}, {"Third page."}}));
  CHECK(doc.title == "notes");        // no Title in the Info dictionary: the caller uses the file name
  REQUIRE(doc.sections.size() == 2);  // the empty page makes no section
  CHECK(doc.sections[0].heading_path == std::vector<std::string>{"Page 1"});
  CHECK(doc.sections[0].level == 1);
  CHECK(doc.sections[1].heading_path == std::vector<std::string>{"Page 3"});
  CHECK(doc.sections[1].text == "Third page.");
}

TEST_CASE("PDF: wrapped English lines are joined and hyphenation undone, short lines stay lines", "[pdf]") {
  const std::vector<std::string> lines = {"The weekly customer report is generated every Monday by the",
                                          "night job on the reporting server and copied to the shared",
                                          "drive before eight. When the job fails, the report is pro-",
                                          "duced late and the sales team asks for it in the group chat,",
                                          "usually before ten. Restart the job by hand from the admin",
                                          "page of the server, then check the log for the error lines",
                                          "and mail them to the vendor.",
                                          "Short line one.",
                                          "Short line two."};
  const Document doc = extract_one("wrap.pdf", make_pdf({lines}));
  REQUIRE(doc.sections.size() == 1);
  CHECK(doc.sections[0].text ==
        "The weekly customer report is generated every Monday by the night job on the reporting server and copied to "
        "the shared drive before eight. When the job fails, the report is produced late and the sales team asks for "
        "it in the group chat, usually before ten. Restart the job by hand from the admin page of the server, then "
        "check the log for the error lines and mail them to the vendor.\n"
        "Short line one.\nShort line two.");
}

TEST_CASE("PDF: running headers and footers are dropped", "[pdf]") {
  std::vector<std::vector<std::string>> pages;
  for (int i = 1; i <= 5; ++i)
    pages.push_back({"ACME Handover Guide", std::string(i, '*') + " topic " + std::string(6 - i, '+'),
                     "Page " + std::to_string(i) + " of 5"});
  const Document doc = extract_one("guide.pdf", make_pdf(pages));
  REQUIRE(doc.sections.size() == 5);
  CHECK(doc.sections[2].text == "*** topic +++");
}

TEST_CASE("PDF: a scanned PDF without a text layer is an error", "[pdf]") {
  auto docs = extract("scan.pdf", make_pdf({{}, {}}));
  REQUIRE_FALSE(docs);
  CHECK(docs.error().message.starts_with("no text layer (scanned PDF?)"));
}

TEST_CASE("PDF: an encrypted PDF is an error that says so", "[pdf]") {
  auto docs = extract("secret.pdf", encrypted_pdf);
  REQUIRE_FALSE(docs);
  CHECK(docs.error().message.starts_with("encrypted PDF"));
}

TEST_CASE("PDF: truncated, random and empty files are errors, not crashes", "[pdf]") {
  const std::string real = test::read_file(test::corpus() / "office/pdf/maint-guide.zh-cn.pdf");
  auto truncated = extract("cut.pdf", real.substr(0, 20 * 1024));
  REQUIRE_FALSE(truncated);
  CHECK(truncated.error().message.starts_with("corrupt or truncated PDF"));

  // Truncated just before the end: the cross-reference table is lost.
  auto tail_cut = extract("cut.pdf", real.substr(0, real.size() - 200));
  CHECK((!tail_cut || !tail_cut->front().sections.empty()));

  std::mt19937 rng(42);
  std::string noise(50000, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  auto random = extract("noise.pdf", noise);
  REQUIRE_FALSE(random);
  CHECK(random.error().message.starts_with("not a PDF file"));

  auto headed_noise = extract("noise.pdf", "%PDF-1.7\n" + noise);
  REQUIRE_FALSE(headed_noise);
  CHECK(headed_noise.error().message.starts_with("corrupt or truncated PDF"));

  CHECK_FALSE(extract("empty.pdf", ""));
  CHECK_FALSE(extract("header.pdf", "%PDF-1.4\n%%EOF\n"));
}

TEST_CASE("PDF: damaged copies of a real file never crash", "[pdf]") {
  const std::string real = test::read_file(test::corpus() / "office/pdf/maint-guide.en.pdf");
  std::mt19937 rng(7);
  for (int round = 0; round < 6; ++round) {
    std::string bytes = real;
    for (int i = 0; i < 200; ++i) bytes[rng() % bytes.size()] = static_cast<char>(rng());
    auto docs = extract("damaged.pdf", bytes);  // an error or some text: either is fine
    if (docs) CHECK(docs->size() == 1);
  }
}
