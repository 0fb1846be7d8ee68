#include <zip.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <random>
#include <tuple>

#include "baton/extract.h"
#include "test_util.h"
#include "zip_util.h"

using namespace baton;
using test::declare_size;
using test::Entries;
using test::make_zip;

namespace {

const std::string content_types = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
                                  R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>)";

std::string rels(const std::vector<std::tuple<std::string, std::string, std::string>>& list) {
  std::string xml =
      R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)";
  for (const auto& [id, type, target] : list)
    xml += R"(<Relationship Id=")" + id +
           R"(" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/)" + type + R"(" Target=")" +
           target + R"("/>)";
  return xml + "</Relationships>";
}

const std::string root_rels = rels({{"rId1", "officeDocument", "word/document.xml"}});

std::string core_xml(const std::string& title, const std::string& creator, const std::string& modified) {
  return R"(<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">)"
         "<dc:title>" +
         title + "</dc:title><dc:creator>" + creator + "</dc:creator><dcterms:modified>" + modified +
         "</dcterms:modified></cp:coreProperties>";
}

std::string word_document(const std::string& body) {
  return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
         R"(<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" )"
         R"(xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" )"
         R"(xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml">)"
         "<w:body>" +
         body + "<w:sectPr/></w:body></w:document>";
}

std::string para(const std::string& text, const std::string& ppr = {}) {
  return "<w:p>" + (ppr.empty() ? "" : "<w:pPr>" + ppr + "</w:pPr>") + "<w:r><w:t>" + text + "</w:t></w:r></w:p>";
}
std::string styled(const std::string& style, const std::string& text) {
  return para(text, R"(<w:pStyle w:val=")" + style + R"("/>)");
}

// Chinese Word writes styleIds "1", "2" ... and English built-in names; WPS writes 标题 N.
const std::string styles_xml =
    R"(<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">)"
    R"(<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>)"
    R"(<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>)"
    R"(<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/></w:style>)"
    R"(<w:style w:type="paragraph" w:styleId="30"><w:name w:val="标题 3"/></w:style>)"
    R"(<w:style w:type="paragraph" w:styleId="Custom"><w:name w:val="交接小节"/><w:basedOn w:val="2"/></w:style>)"
    R"(<w:style w:type="paragraph" w:styleId="Loop1"><w:name w:val="Loop one"/><w:basedOn w:val="Loop2"/></w:style>)"
    R"(<w:style w:type="paragraph" w:styleId="Loop2"><w:name w:val="Loop two"/><w:basedOn w:val="Loop1"/></w:style>)"
    R"(<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="List Paragraph"/></w:style>)"
    R"(<w:style w:type="character" w:styleId="10"><w:name w:val="heading 1 Char"/></w:style>)"
    R"(<w:style w:type="paragraph" w:styleId="11"><w:name w:val="toc 1"/></w:style>)"
    "</w:styles>";

const std::string list_ppr = R"(<w:pStyle w:val="a5"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>)";

const std::string handover_body =
    // A table of contents repeats the headings: as a content control, and as bare "toc 1" paragraphs.
    R"(<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/></w:docPartObj>)"
    R"(</w:sdtPr><w:sdtContent>)" +
    para("目录") + styled("11", "岗位交接 1") + "</w:sdtContent></w:sdt>" + styled("11", "日常工作 2") +
    styled("1", "岗位交接") + para("本文档说明客服主管岗位的交接事项。") +
    R"(<w:p><w:pPr><w:pStyle w:val="2"/></w:pPr><w:r><w:t>日常</w:t></w:r><w:r><w:t>工作</w:t></w:r></w:p>)" +
    para("每天 9 点查看退款队列", list_ppr) + para("每周一发周报", list_ppr) + styled("30", "每周报表") +
    // Deleted text of a tracked change and a field's instruction are not text.
    R"(<w:p><w:r><w:t xml:space="preserve">报表模板在 </w:t></w:r><w:r><w:t>共享盘</w:t></w:r>)"
    R"(<w:del><w:r><w:delText>旧路径</w:delText></w:r></w:del>)"
    R"(<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>HYPERLINK "http://x"</w:instrText></w:r>)"
    R"(<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>（链接）</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>)"
    // A heading style inside a table is cell text, not a heading.
    R"(<w:tbl><w:tblPr/><w:tr><w:tc>)" +
    styled("1", "客户") + "</w:tc><w:tc>" + para("联系人") + "</w:tc></w:tr>" + R"(<w:tr><w:tc>)" + para("瑞丰贸易") +
    "</w:tc><w:tc>" +
    R"(<w:p><w:r><w:t>王经理</w:t></w:r><w:r><w:br/><w:t>138-0000-0000</w:t></w:r></w:p></w:tc></w:tr></w:tbl>)" +
    para("系统账号", R"(<w:outlineLvl w:val="0"/>)") + styled("Custom", "ERP") +
    // A text box: once in mc:Choice, again in mc:Fallback for old readers.
    R"(<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>)" +
    para("文本框内容") +
    R"(</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>)" +
    para("文本框内容") +
    R"(</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>账号在 ERP 后台</w:t></w:r></w:p>)" +
    styled("Loop1", "循环样式不是标题");

std::string handover_docx(bool with_core) {
  Entries entries = {{"[Content_Types].xml", content_types},
                     {"_rels/.rels", root_rels},
                     {"word/document.xml", word_document(handover_body)},
                     {"word/styles.xml", styles_xml}};
  if (with_core) {
    entries.emplace_back("docProps/core.xml", core_xml("客服主管交接文档", "李娜", "2024-03-01T09:30:00Z"));
    entries[1].second = rels({{"rId1", "officeDocument", "word/document.xml"},
                              {"rId2", "package/2006/relationships/metadata/core-properties", "docProps/core.xml"}});
  }
  return make_zip(entries);
}

Document only(Result<std::vector<Document>> docs) {
  INFO((docs ? std::string() : docs.error().message));
  REQUIRE(docs);
  REQUIRE(docs->size() == 1);
  return std::move(docs->front());
}

std::string all_text(const Document& doc) {
  std::string text;
  for (const auto& s : doc.sections) text += s.text + "\n\n";
  return text;
}

const Section* section(const Document& doc, const std::vector<std::string>& path) {
  for (const auto& s : doc.sections)
    if (s.heading_path == path) return &s;
  return nullptr;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

Result<std::vector<Document>> extract_corpus(const std::string& rel) {
  const auto path = test::corpus() / rel;
  return extract(path.filename().string(), test::read_file(path));
}

}  // namespace

// ---- real files --------------------------------------------------------------------------------------

TEST_CASE("docx: a table becomes lines of cells between its paragraphs", "[office]") {
  const Document doc = only(extract_corpus("office/docx/mammoth.js__tables.docx"));
  REQUIRE(doc.sections.size() == 1);
  CHECK(doc.sections[0].heading_path.empty());
  CHECK(doc.sections[0].text == "Above\n\nTop left | Top right\nBottom left | Bottom right\n\nBelow");
  CHECK(doc.title == "mammoth.js__tables");  // no dc:title, no heading: the caller's file name
  CHECK(doc.author == "Michael Williamson");
  CHECK(doc.date == "2014-07-05");
}

TEST_CASE("docx: list items are lines", "[office]") {
  const Document doc = only(extract_corpus("office/docx/mammoth.js__simple-list.docx"));
  REQUIRE(doc.sections.size() == 1);
  CHECK(doc.sections[0].text == "Apple\nBanana");
  CHECK(doc.date == "2013-05-03");
}

TEST_CASE("docx: footnotes and comments become sections of their own", "[office]") {
  const Document notes = only(extract_corpus("office/docx/mammoth.js__footnotes.docx"));
  REQUIRE(notes.sections.size() == 2);
  CHECK(notes.sections[0].text == "Ouch.");
  CHECK(notes.sections[1].heading_path == std::vector<std::string>{"脚注"});
  CHECK(notes.sections[1].text == "A tachyon walks into a bar.\n\nFin.");
  CHECK(notes.title == "mammoth.js__footnotes");  // the notes heading is no title

  const Document comments = only(extract_corpus("office/docx/mammoth.js__comments.docx"));
  const Section* c = section(comments, {"批注"});
  REQUIRE(c);
  CHECK(c->text == "Michael Williamson：A tachyon walks into a bar.\n\nMichael Williamson：Fin.");

  const Document rich = only(extract_corpus("office/docx/python-docx__comments-rich-para.docx"));
  CHECK(all_text(rich).find("Some text worthy of note.") != std::string::npos);
  const Section* r = section(rich, {"批注"});
  REQUIRE(r);
  CHECK(r->text.find("Steve Canny：Text with hyperlink https://google.com embedded.") != std::string::npos);
  CHECK(rich.author.empty());  // its core.xml names no creator
  CHECK(rich.date == "2025-06-08");
}

TEST_CASE("docx: runs, hyperlinks and preserved spaces join as written", "[office]") {
  const Document links = only(extract_corpus("office/docx/python-docx__par-hyperlinks.docx"));
  CHECK(links.sections.at(0).text ==
        "No hyperlinks\n\nOne awesome hyperlink.\n\nThree hyperlinks: the first one here, the second one, and the "
        "third.");
  const Document strike = only(extract_corpus("office/docx/python-docx__txt-font-props.docx"));
  CHECK(all_text(strike).find("Paragraph in ‘Double Underlined’ style.") != std::string::npos);
  const Document special = only(extract_corpus("office/docx/mammoth.js__strikethrough.docx"));
  CHECK(special.sections.at(0).text == "Today's Special: Salmon Sold out");
}

TEST_CASE("docx: nested tables flatten into their cell, empty tables leave nothing", "[office]") {
  const Document doc = only(extract_corpus("office/docx/python-docx__blk-paras-and-tables.docx"));
  REQUIRE(doc.sections.size() == 1);
  CHECK(doc.sections[0].text ==
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n\nText before Table Between Text after\n\n"
        "Donec semper facilisis metus finibus malesuada.");
  const Document styled_table = only(extract_corpus("office/docx/python-docx__tbl-having-applied-style.docx"));
  CHECK(count(all_text(styled_table), "foo to you | and a hearty foo to you too sir!\n") == 3);
}

TEST_CASE("docx: every file of the corpus extracts", "[office]") {
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(test::corpus() / "office/docx")) {
    if (e.path().extension() != ".docx") continue;
    ++files;
    INFO(e.path().filename().string());
    auto docs = extract(e.path().filename().string(), test::read_file(e.path()));
    CHECK(docs);
  }
  CHECK(files == 11);
}

TEST_CASE("docx: a picture is its alternative text or the name of its file", "[office]") {
  // Pictures only, each once per drawing (Word names the drawing "Picture 1" and the picture python.bmp).
  const std::string text = all_text(only(extract_corpus("office/docx/python-docx__having-images.docx")));
  CHECK(count(text, "[image: python.bmp]") == 1);
  CHECK(count(text, "[image: monty-truth.png]") == 2);
  CHECK(count(text, "[image: python-powered.png]") == 2);
  CHECK(text.find("Picture") == std::string::npos);
}

TEST_CASE("xlsx: one section per sheet, one line per row", "[office]") {
  const Document book = only(extract_corpus("office/xlsx/excelize__Book1.xlsx"));
  REQUIRE(book.sections.size() == 2);
  const Section& first = book.sections[0];
  CHECK(first.heading_path == std::vector<std::string>{"Sheet1"});
  // The formula's cached value, never its text; the sheet is named by an absolute target (/xl/...).
  CHECK(first.text == "Total: | 237\nColumn1 | Column2\nGitHub\n\n批注 A22：Hyperlink test");
  const Section& second = book.sections[1];
  CHECK(second.heading_path == std::vector<std::string>{"Sheet2"});
  CHECK(second.text.starts_with("Monitor | Brand | inlineStr\n> 23 Inch | 19 | HP | 200\n"));
  CHECK(second.text.find("\nIBM | 127\n") != std::string::npos);  // a shared string of three runs
  CHECK(second.text.ends_with("\nOther | 37"));                   // formulas without a cached value: nothing
  CHECK(all_text(book).find("SUM(") == std::string::npos);
  CHECK(book.title == "excelize__Book1");
  CHECK(book.author == "Microsoft Office User");
  CHECK(book.date == "2016-12-22");

  const Document merged = only(extract_corpus("office/xlsx/excelize__MergeCell.xlsx"));
  REQUIRE(merged.sections.size() == 1);
  CHECK(merged.sections[0].text.starts_with("A1 | C1 | D1\nA2 | B2 | C2 | D2\nB3 | C3 | D3\n"));

  const Document shared = only(extract_corpus("office/xlsx/excelize__SharedStrings.xlsx"));
  REQUIRE(shared.sections.size() == 2);
  CHECK(shared.sections[1].heading_path == std::vector<std::string>{"Sheet2"});
  CHECK(shared.sections[1].text == "Test Weight (Kgs)");

  // Its rels say sharedStrings.xml, the zip holds xl/SharedStrings.xml: part names ignore case.
  const Document calc = only(extract_corpus("office/xlsx/excelize__CalcChain.xlsx"));
  REQUIRE(calc.sections.size() == 1);
  CHECK(calc.sections[0].text == "0 | 1");
}

TEST_CASE("xlsx: an encrypted workbook is a clear error", "[office]") {
  auto docs = extract_corpus("office/xlsx/excelize__encryptAES.xlsx");
  REQUIRE_FALSE(docs);
  CHECK(docs.error().message == "encrypted or legacy Office file (OLE container): save it unencrypted as .docx/.xlsx");
}

// ---- fixtures built here --------------------------------------------------------------------------------

TEST_CASE("docx: heading styles, outline levels and inherited styles make the section tree", "[office]") {
  const Document doc = only(extract("交接.docx", handover_docx(true)));
  std::vector<std::vector<std::string>> paths;
  for (const auto& s : doc.sections) paths.push_back(s.heading_path);
  CHECK(paths ==
        std::vector<std::vector<std::string>>{
            {"岗位交接"}, {"岗位交接", "日常工作"}, {"岗位交接", "日常工作", "每周报表"}, {"系统账号", "ERP"}});
  CHECK(doc.sections[0].level == 1);
  CHECK(doc.sections[0].text == "本文档说明客服主管岗位的交接事项。");
  CHECK(doc.sections[1].level == 2);
  CHECK(doc.sections[1].text == "每天 9 点查看退款队列\n每周一发周报");
  CHECK(doc.sections[2].level == 3);
  CHECK(doc.sections[2].text == "报表模板在 共享盘（链接）\n\n客户 | 联系人\n瑞丰贸易 | 王经理 138-0000-0000");
  CHECK(doc.sections[3].level == 2);  // basedOn heading 2
  CHECK(doc.sections[3].text == "文本框内容\n账号在 ERP 后台\n\n循环样式不是标题");
  const std::string text = all_text(doc);
  CHECK(text.find("旧路径") == std::string::npos);
  CHECK(text.find("HYPERLINK") == std::string::npos);
  CHECK(count(text, "文本框内容") == 1);
  CHECK(text.find("目录") == std::string::npos);
  CHECK(text.find("日常工作 2") == std::string::npos);
  CHECK(doc.title == "客服主管交接文档");
  CHECK(doc.author == "李娜");
  CHECK(doc.date == "2024-03-01");
}

TEST_CASE("docx: without dc:title the first heading is the title", "[office]") {
  const Document doc = only(extract("交接.docx", handover_docx(false)));
  CHECK(doc.title == "岗位交接");
  CHECK(doc.author.empty());
  CHECK(doc.date.empty());
}

TEST_CASE("docx: part names ignore case and styleIds speak without styles.xml", "[office]") {
  const std::string body = styled("Heading1", "概述") + para("正文") + styled("heading2", "细节") + para("更多");
  const Document doc =
      only(extract("a.docx", make_zip({{"_rels/.rels", root_rels}, {"Word/Document.XML", word_document(body)}})));
  REQUIRE(doc.sections.size() == 2);
  CHECK(doc.sections[0].heading_path == std::vector<std::string>{"概述"});
  CHECK(doc.sections[1].heading_path == std::vector<std::string>{"概述", "细节"});
  CHECK(doc.sections[1].text == "更多");
  // No package relationships at all: word/document.xml is where it always is.
  const Document bare = only(extract("b.docx", make_zip({{"word/document.xml", word_document(para("只有正文"))}})));
  CHECK(bare.sections.at(0).text == "只有正文");
}

TEST_CASE("docx: a picture's alternative text is said once, where the picture is", "[office]") {
  const std::string drawing =
      R"(<w:r><w:drawing><wp:inline><wp:docPr id="1" name="图片 1" descr="华东仓 组织架构图"/><a:graphic><a:graphicData>)"
      R"(<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="image1.png" descr="华东仓 组织架构图"/></pic:nvPicPr></pic:pic>)"
      R"(</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>)";
  const std::string body = R"(<w:p><w:r><w:t>见下图：</w:t></w:r>)" + drawing + R"(<w:r><w:t>（2024 版）</w:t></w:r></w:p>)";
  const Document doc = only(extract("a.docx", make_zip({{"word/document.xml", word_document(body)}})));
  CHECK(doc.sections.at(0).text == "见下图：[image: 华东仓 组织架构图] （2024 版）");
}

namespace {

const std::string p_ns = R"(xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" )"
                         R"(xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" )"
                         R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships")";

std::string shape(const std::string& placeholder, const std::vector<std::string>& paragraphs) {
  std::string xml = "<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"s\"/><p:cNvSpPr/><p:nvPr>" +
                    (placeholder.empty() ? "" : "<p:ph type=\"" + placeholder + "\"/>") +
                    "</p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>";
  for (const auto& p : paragraphs) xml += "<a:p><a:r><a:rPr lang=\"zh-CN\"/><a:t>" + p + "</a:t></a:r></a:p>";
  return xml + "</p:txBody></p:sp>";
}

std::string slide(const std::string& shapes) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><p:sld " + p_ns + "><p:cSld><p:spTree>" + shapes +
         "</p:spTree></p:cSld></p:sld>";
}

std::string presentation_pptx() {
  const std::string table =
      "<p:graphicFrame><a:graphic><a:graphicData><a:tbl>"
      "<a:tr><a:tc><a:txBody><a:p><a:r><a:t>阶段</a:t></a:r></a:p></a:txBody></a:tc>"
      "<a:tc><a:txBody><a:p><a:r><a:t>负责人</a:t></a:r></a:p></a:txBody></a:tc></a:tr>"
      "<a:tr><a:tc><a:txBody><a:p><a:r><a:t>报价</a:t></a:r></a:p></a:txBody></a:tc>"
      "<a:tc><a:txBody><a:p><a:r><a:t>李娜</a:t></a:r></a:p></a:txBody></a:tc></a:tr>"
      "</a:tbl></a:graphicData></a:graphic></p:graphicFrame>";
  const std::string notes = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><p:notes " + p_ns + "><p:cSld><p:spTree>" +
                            shape("sldImg", {}) + shape("body", {"下周跟进报价"}) + shape("sldNum", {"2"}) +
                            "</p:spTree></p:cSld></p:notes>";
  return make_zip({
      {"[Content_Types].xml", content_types},
      {"_rels/.rels", rels({{"rId1", "officeDocument", "ppt/presentation.xml"},
                            {"rId2", "package/2006/relationships/metadata/core-properties", "docProps/core.xml"}})},
      // What PowerPoint writes unless told otherwise.
      {"docProps/core.xml", core_xml("PowerPoint 演示文稿", "王磊", "2024-02-29T08:00:00Z")},
      // The presentation shows slide2.xml first: its order, not the part names', counts.
      {"ppt/presentation.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><p:presentation " + p_ns +
                                   "><p:sldIdLst><p:sldId id=\"256\" r:id=\"rId3\"/><p:sldId id=\"257\" r:id=\"rId2\"/>"
                                   "</p:sldIdLst></p:presentation>"},
      {"ppt/_rels/presentation.xml.rels",
       rels({{"rId2", "slide", "slides/slide1.xml"}, {"rId3", "slide", "slides/slide2.xml"}})},
      {"ppt/slides/slide2.xml", slide(shape("sldNum", {"1"}) + shape("ctrTitle", {"项目背景"}) +
                                      shape("body", {"客户：瑞丰贸易", "合同每年三月续签"}) + table)},
      {"ppt/slides/slide1.xml", slide(shape("", {"联系人：王经理"}) + shape("dt", {"2024/3/1"}))},
      {"ppt/slides/_rels/slide1.xml.rels", rels({{"rId1", "notesSlide", "../notesSlides/notesSlide1.xml"}})},
      {"ppt/notesSlides/notesSlide1.xml", notes},
  });
}

}  // namespace

TEST_CASE("pptx: one section per slide, titled by its title placeholder", "[office]") {
  const Document doc = only(extract("汇报.pptx", presentation_pptx()));
  REQUIRE(doc.sections.size() == 2);
  CHECK(doc.sections[0].heading_path == std::vector<std::string>{"项目背景"});
  CHECK(doc.sections[0].text == "客户：瑞丰贸易\n合同每年三月续签\n\n阶段 | 负责人\n报价 | 李娜");
  CHECK(doc.sections[1].heading_path == std::vector<std::string>{"第 2 页"});
  CHECK(doc.sections[1].text == "联系人：王经理\n\n备注：下周跟进报价");
  CHECK(doc.title == "项目背景");  // not PowerPoint's default dc:title
  CHECK(doc.author == "王磊");
  CHECK(doc.date == "2024-02-29");
  CHECK(all_text(doc).find("2024/3/1") == std::string::npos);  // dates and slide numbers repeat on every slide
}

namespace {

std::string handover_odt(const std::string& manifest_extra = {}) {
  const std::string content =
      R"(<?xml version="1.0" encoding="UTF-8"?><office:document-content )"
      R"(xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" )"
      R"(xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2">)"
      R"(<office:body><office:text>)"
      R"(<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>已删除的内容</text:p></text:deletion></text:changed-region></text:tracked-changes>)"
      R"(<text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Table"/></text:sequence-decls>)"
      R"(<text:p>前言</text:p>)"
      R"(<text:h text:outline-level="1">交接说明</text:h>)"
      R"(<text:p>负责<text:span>华东区</text:span>客户<text:s text:c="3"/>维护。<text:note text:id="n1" text:note-class="footnote">)"
      R"(<text:note-citation>1</text:note-citation><text:note-body><text:p>华东区包括上海和江苏。</text:p></text:note-body></text:note></text:p>)"
      R"(<text:h text:outline-level="2">客户清单</text:h>)"
      R"(<text:list><text:list-item><text:p>瑞丰贸易</text:p></text:list-item><text:list-item><text:p>恒通物流</text:p></text:list-item></text:list>)"
      R"(<table:table table:name="表1"><table:table-column table:number-columns-repeated="3"/>)"
      R"(<table:table-row><table:table-cell><text:p>客户</text:p></table:table-cell><table:table-cell><text:p>电话</text:p></table:table-cell><table:table-cell/></table:table-row>)"
      R"(<table:table-row><table:table-cell><text:p>瑞丰</text:p></table:table-cell><table:covered-table-cell/><table:table-cell><text:p>021-1234</text:p></table:table-cell></table:table-row>)"
      R"(</table:table>)"
      R"(<text:p><office:annotation><dc:creator>张三</dc:creator><dc:date>2024-01-01T00:00:00</dc:date><text:p>合同在柜子里</text:p></office:annotation>合同见附件。</text:p>)"
      R"(</office:text></office:body></office:document-content>)";
  const std::string meta =
      R"(<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" )"
      R"(xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"><office:meta>)"
      R"(<dc:title>华东区交接</dc:title><meta:initial-creator>张三</meta:initial-creator><dc:date>2024-05-06T10:00:00</dc:date>)"
      R"(</office:meta></office:document-meta>)";
  const std::string manifest =
      R"(<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">)"
      R"(<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">)" +
      manifest_extra + "</manifest:file-entry></manifest:manifest>";
  return make_zip({{"mimetype", "application/vnd.oasis.opendocument.text"},
                   {"content.xml", content},
                   {"meta.xml", meta},
                   {"META-INF/manifest.xml", manifest}});
}

}  // namespace

TEST_CASE("odt: text:h outline levels make the section tree, notes and comments apart", "[office]") {
  const Document doc = only(extract("交接.odt", handover_odt()));
  std::vector<std::vector<std::string>> paths;
  for (const auto& s : doc.sections) paths.push_back(s.heading_path);
  CHECK(paths == std::vector<std::vector<std::string>>{{}, {"交接说明"}, {"交接说明", "客户清单"}, {"脚注"}, {"批注"}});
  CHECK(doc.sections[0].text == "前言");
  CHECK(doc.sections[1].text == "负责华东区客户 维护。");
  CHECK(doc.sections[2].level == 2);
  CHECK(doc.sections[2].text == "瑞丰贸易\n恒通物流\n\n客户 | 电话\n瑞丰 | 021-1234\n\n合同见附件。");
  CHECK(doc.sections[3].text == "华东区包括上海和江苏。");
  CHECK(doc.sections[4].text == "张三：合同在柜子里");
  CHECK(all_text(doc).find("已删除的内容") == std::string::npos);
  CHECK(doc.title == "华东区交接");
  CHECK(doc.author == "张三");
  CHECK(doc.date == "2024-05-06");
}

TEST_CASE("odt: an encrypted package is a clear error", "[office]") {
  auto docs = extract("秘密.odt", handover_odt(R"(<manifest:encryption-data manifest:checksum-type="SHA1"/>)"));
  REQUIRE_FALSE(docs);
  CHECK(docs.error().message == "encrypted odt: save it without a password");
}

// ---- broken and hostile files ---------------------------------------------------------------------------

TEST_CASE("office: a truncated file is a corrupt zip", "[office]") {
  const std::string docx = test::read_file(test::corpus() / "office/docx/mammoth.js__tables.docx");
  auto docs = extract("half.docx", docx.substr(0, docx.size() / 2));
  REQUIRE_FALSE(docs);
  CHECK(docs.error().message == "corrupt zip: not a zip archive (the docx is damaged, truncated or not a docx at all)");
}

TEST_CASE("office: random bytes, an empty file and an OLE file are clear errors", "[office]") {
  std::mt19937 rng(42);
  std::string noise(4096, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  for (const char* name : {"x.docx", "x.xlsx", "x.pptx", "x.odt"}) {
    INFO(name);
    auto docs = extract(name, noise);
    REQUIRE_FALSE(docs);
    CHECK(docs.error().message.starts_with("corrupt zip: not a zip archive"));
    auto empty = extract(name, "");
    REQUIRE_FALSE(empty);
    CHECK(empty.error().message.starts_with("empty file"));
  }
  auto ole = extract("old.docx", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(1024, '\0'));
  REQUIRE_FALSE(ole);
  CHECK(ole.error().message.starts_with("encrypted or legacy Office file (OLE container)"));
}

TEST_CASE("office: a zip without the main part says which part is missing", "[office]") {
  const std::string zip = make_zip({{"[Content_Types].xml", content_types}, {"_rels/.rels", root_rels}});
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a.docx", "not a valid docx: missing word/document.xml"},
      {"a.xlsx", "not a valid xlsx: missing xl/workbook.xml"},
      {"a.pptx", "not a valid pptx: missing ppt/presentation.xml"},
      {"a.odt", "not a valid odt: missing content.xml"}};
  for (const auto& [name, message] : cases) {
    auto docs = extract(name, zip);
    REQUIRE_FALSE(docs);
    CHECK(docs.error().message == message);
  }
}

TEST_CASE("office: malformed XML in the main part is an error that names the part", "[office]") {
  auto docs = extract("bad.docx", make_zip({{"word/document.xml", "<w:document><w:body><w:p>"}}));
  REQUIRE_FALSE(docs);
  CHECK(docs.error().message.starts_with("not a valid docx: word/document.xml is not well-formed XML ("));
  // Malformed optional parts cost only what they hold.
  auto styles = extract("ok.docx", make_zip({{"word/document.xml", word_document(para("正文"))},
                                             {"word/styles.xml", "<w:styles><w:style"}}));
  REQUIRE(styles);
  CHECK(only(styles).sections.at(0).text == "正文");
}

TEST_CASE("office: corrupt compressed data is an error, not garbage", "[office]") {
  std::string zip = make_zip({{"word/document.xml", word_document(para(std::string(20000, 'x') + "结尾"))}});
  const std::size_t data = 30 + std::string("word/document.xml").size();  // after the local header
  for (std::size_t i = data + 10; i < data + 40; ++i) zip[i] = static_cast<char>(zip[i] ^ 0x5A);
  auto docs = extract("flipped.docx", zip);
  REQUIRE_FALSE(docs);
  CHECK(docs.error().message.starts_with("corrupt zip: word/document.xml: "));
}

TEST_CASE("office: a zip bomb is refused without inflating it", "[office]") {
  // 300 MB of zeros (more than max_unpacked_bytes) compress to about a megabyte; streamed to libzip.
  static const std::string bomb = make_zip({{"_rels/.rels", root_rels}}, "word/document.xml", 300u << 20);
  CHECK(bomb.size() < (4u << 20));
  SECTION("its header tells the truth: refused before inflating") {
    auto docs = extract("bomb.docx", bomb);
    REQUIRE_FALSE(docs);
    CHECK(docs.error().message ==
          "word/document.xml in the docx unpacks to more than 64 MB (a zip bomb, or too big to read): not read");
  }
  SECTION("its header lies about the size: refused as soon as it inflates past it") {
    std::string liar = bomb;
    declare_size(liar, "word/document.xml", 4096);
    auto docs = extract("liar.docx", liar);
    REQUIRE_FALSE(docs);
    // The reader stopped by itself (libzip would only notice at the end of 300 MB).
    CHECK(docs.error().message == "corrupt zip: word/document.xml: it inflates to more than its header says");
  }
}

TEST_CASE("office: parts that add up past the budget are refused", "[office]") {
  // Many sheets reading the same 40 MB part: each read counts, together they exceed the budget.
  std::string sheets, sheet_rels;
  for (int i = 1; i <= 8; ++i) {
    sheets += "<sheet name=\"S" + std::to_string(i) + "\" sheetId=\"" + std::to_string(i) + "\" r:id=\"rId1\"/>";
  }
  const std::string workbook =
      R"(<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>)" + sheets +
      "</sheets></workbook>";
  const std::string zip = make_zip(
      {{"xl/workbook.xml", workbook}, {"xl/_rels/workbook.xml.rels", rels({{"rId1", "worksheet", "big.xml"}})}},
      "xl/big.xml", 40u << 20);
  auto docs = extract("many.xlsx", zip);
  REQUIRE_FALSE(docs);
  CHECK(docs.error().message == "xlsx unpacks to more than 256 MB (a zip bomb?): not read");
}

TEST_CASE("office: deeply nested XML neither overflows the stack nor loses the text", "[office]") {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<w:sdt><w:sdtContent>";
  deep += para("深处的文字");
  for (int i = 0; i < 100000; ++i) deep += "</w:sdtContent></w:sdt>";
  std::string nested_tables;
  for (int i = 0; i < 20000; ++i) nested_tables += "<w:tbl><w:tr><w:tc>";
  nested_tables += para("表中表");
  for (int i = 0; i < 20000; ++i) nested_tables += "</w:tc></w:tr></w:tbl>";
  const Document doc =
      only(extract("deep.docx", make_zip({{"word/document.xml", word_document(deep + nested_tables)}})));
  CHECK(all_text(doc).find("深处的文字") != std::string::npos);
  CHECK(all_text(doc).find("表中表") != std::string::npos);
}

TEST_CASE("office: truncated and bit-flipped files never crash or throw", "[office]") {
  const std::vector<std::pair<std::string, std::string>> seeds = {
      {"t.docx", test::read_file(test::corpus() / "office/docx/mammoth.js__footnotes.docx")},
      {"t.xlsx", test::read_file(test::corpus() / "office/xlsx/excelize__Book1.xlsx")},
      {"t.docx", handover_docx(true)},
      {"t.pptx", presentation_pptx()},
      {"t.odt", handover_odt()}};
  std::mt19937 rng(7);
  for (const auto& [name, original] : seeds) {
    INFO(name);
    for (int round = 0; round < 120; ++round) {
      std::string bytes = original;
      if (round < 40) {
        bytes.resize(rng() % bytes.size());
      } else {
        const int flips = 1 + static_cast<int>(rng() % 8);
        for (int f = 0; f < flips; ++f) bytes[rng() % bytes.size()] = static_cast<char>(rng());
      }
      auto docs = extract(name, bytes);
      // An exception would surface as "extraction failed"; ASan and UBSan watch the rest.
      if (!docs) CHECK_FALSE(docs.error().message.starts_with("extraction failed"));
    }
  }
}
