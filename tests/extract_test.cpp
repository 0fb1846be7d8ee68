#include "baton/extract.h"

#include <catch2/catch.hpp>

#include "test_util.h"

using namespace baton;

namespace {
Document only(const Result<std::vector<Document>>& r) {
  REQUIRE(r.ok());
  REQUIRE(r->size() == 1);
  return r->front();
}
}  // namespace

TEST_CASE("format_of chooses by extension, case-insensitively", "[extract]") {
  CHECK(format_of("a/退款.md") == Format::markdown);
  CHECK(format_of("NOTES.TXT") == Format::text);
  CHECK(format_of("x.htm") == Format::html);
  CHECK(format_of("x.eml") == Format::mail);
  CHECK(format_of("x.exe") == Format::unsupported);
  CHECK(format_of("Makefile") == Format::unsupported);
}

TEST_CASE("format_of decides a name without an extension by its content", "[extract]") {
  const std::string mail = "Message-ID: <1@enron.com>\nDate: Mon, 14 May 2001 16:39:00 -0700\nFrom: a@enron.com\n"
                           "To: b@enron.com\nSubject: forecast\n\nHere is our forecast.\n";
  CHECK(format_of("maildir/allen-p/inbox/1.", mail) == Format::mail);  // a Maildir message: "1."
  const std::string mbox = "From - Mon Jan 01 00:00:00 2001\n" + mail + "\nFrom b@enron.com Tue Jan  2 00:00:00 2001\n" + mail;
  CHECK(format_of("Mail/Local Folders/Inbox", mbox) == Format::mbox);  // Thunderbird's mailbox
  CHECK(format_of("README", "交接说明：先看操作手册。\n") == Format::text);
  CHECK(format_of("README", "From the start, read the manual.\nThen ask.\n") == Format::text);  // "From " alone is no mailbox
  CHECK(format_of("page", "<!DOCTYPE html><html><head><title>退款</title></head><body><p>流程</p></body></html>") == Format::html);
  CHECK(format_of("scan", std::string("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")) == Format::pdf);
  CHECK(format_of("tool", std::string("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0", 20)) == Format::unsupported);
  CHECK(format_of("empty", "") == Format::unsupported);
  // An extension Baton does not read stays unread whatever the content: a .exe full of text is still a .exe.
  CHECK(format_of("notes.bak", "交接说明\n") == Format::unsupported);
  CHECK(format_of("a/退款.md", "") == Format::markdown);
  for (const Format f : {Format::markdown, Format::mail, Format::pdf, Format::unsupported})
    CHECK(format_named(format_name(f)) == f);
}

TEST_CASE("a mailbox without an extension is read message by message", "[extract]") {
  const std::string mbox =
      "From a@example.com Mon Jan  1 00:00:00 2001\nFrom: a@example.com\nSubject: =?UTF-8?B?6YCA5qy+?=\n\n退款已处理。\n\n"
      "From b@example.com Tue Jan  2 00:00:00 2001\nFrom: b@example.com\nSubject: invoice\n\nInvoice attached.\n";
  const auto docs = extract("Inbox", mbox);
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 2);
  CHECK(docs->front().title == "退款");
  CHECK(docs->back().title == "invoice");
}

TEST_CASE("Markdown: headings become sections with their path", "[extract]") {
  const char* md =
      "# 退款处理流程\n\n适用于天猫和京东。\n\n## 审批\n\n- 200 元以下客服处理\n- 以上找主管\n\n"
      "### 例外\n\n| 客户 | 方式 |\n|---|---|\n| Northwind | credit note |\n\n## 附录\n\n```\ncode &amp; more\n```\n";
  const Document doc = only(extract("sop/退款.md", md));
  CHECK(doc.title == "退款处理流程");
  REQUIRE(doc.sections.size() == 4);
  CHECK(doc.sections[0].heading_path == std::vector<std::string>{"退款处理流程"});
  CHECK(doc.sections[0].text == "适用于天猫和京东。");
  CHECK(doc.sections[1].heading_path == std::vector<std::string>{"退款处理流程", "审批"});
  CHECK(doc.sections[1].text == "200 元以下客服处理\n以上找主管");
  CHECK(doc.sections[2].heading_path == std::vector<std::string>{"退款处理流程", "审批", "例外"});
  CHECK(doc.sections[2].level == 3);
  CHECK_THAT(doc.sections[2].text, Catch::Contains("Northwind | credit note"));
  CHECK(doc.sections[3].heading_path == std::vector<std::string>{"退款处理流程", "附录"});
  CHECK_THAT(doc.sections[3].text, Catch::Contains("code &amp; more"));  // code is verbatim
}

TEST_CASE("Markdown without headings takes its title from the file name", "[extract]") {
  const Document doc = only(extract("notes/值班安排.md", "只有正文。"));
  CHECK(doc.title == "值班安排");
  REQUIRE(doc.sections.size() == 1);
  CHECK(doc.sections[0].heading_path.empty());
}

TEST_CASE("Plain text in GBK is converted", "[extract]") {
  const Document doc = only(extract("交接.txt", test::gbk_sentence));
  CHECK(doc.charset == "GB18030");
  REQUIRE(doc.sections.size() == 1);
  CHECK_THAT(doc.sections[0].text, Catch::Contains("值班安排"));
}

TEST_CASE("Plain text laid out as a man page: margin headings are sections, NAME is the title", "[extract]") {
  const char* page =
      "REV(1)                            User Commands                           REV(1)\n\n\n\n"
      "NAME\n       rev - reverse lines characterwise\n\n"
      "SYNOPSIS\n       rev [option] [file...]\n\n"
      "DESCRIPTION\n       The rev utility copies the specified files to standard output, reversing\n"
      "       the order of characters in every line.\n\n"
      "OPTIONS\n       -h, --help\n           Display help text and exit.\n\n"
      "SEE ALSO\n       tac(1)\n\n"
      "util-linux 2.38.1                 2022-05-11                            REV(1)\n";
  const Document doc = only(extract("man/rev.1.txt", page));
  CHECK(doc.title == "rev - reverse lines characterwise");
  REQUIRE(doc.sections.size() == 5);
  CHECK(doc.sections[0].heading_path == std::vector<std::string>{"NAME"});
  CHECK(doc.sections[2].heading_path == std::vector<std::string>{"DESCRIPTION"});
  CHECK(doc.sections[2].text == "The rev utility copies the specified files to standard output, reversing\nthe order of characters in every line.");
  CHECK(doc.sections[4].heading_path == std::vector<std::string>{"SEE ALSO"});
  // The running header and footer are not text.
  for (const auto& s : doc.sections) CHECK_THAT(s.text, !Catch::Contains("REV(1)"));
}

TEST_CASE("Plain text with Chinese numbered headings is cut at them, list items stay text", "[extract]") {
  const char* text =
      "仓库交接说明\n\n一、日常工作\n每天九点盘点。\n1. 登录 WMS\n2. 导出库存表\n\n"
      "（一）异常处理\n破损拍照留档。\n\n二、联系人\n物流：张伟\n\n【注意】\n月底不要改库位。\n";
  const Document doc = only(extract("仓库交接说明.txt", text));
  CHECK(doc.title == "仓库交接说明");
  REQUIRE(doc.sections.size() == 5);
  CHECK(doc.sections[0].heading_path.empty());
  CHECK(doc.sections[1].heading_path == std::vector<std::string>{"一、日常工作"});
  CHECK(doc.sections[1].text == "每天九点盘点。\n1. 登录 WMS\n2. 导出库存表");
  CHECK(doc.sections[2].heading_path == std::vector<std::string>{"一、日常工作", "（一）异常处理"});
  CHECK(doc.sections[3].heading_path == std::vector<std::string>{"二、联系人"});
  CHECK(doc.sections[4].heading_path == std::vector<std::string>{"二、联系人", "【注意】"});
  CHECK(doc.sections[4].text == "月底不要改库位。");
}

TEST_CASE("Plain text: a field and its value at the margin is no heading", "[extract]") {
  // A note with an indented body: "最后更新：2023-09-12" is a line of it, not the heading of what follows.
  const char* text =
      "力拓电机 备忘\n最后更新：2023-09-12\n\n东莞力拓电机有限公司，做风扇电机。\nERP 编码 SGD011。\n\n联系人：\n"
      "  郭涛 业务经理 136 8221 5097\n  工厂 张工 0769-8512 3306\n\n合作：\n  2022 年 10 月导入，月用量 1.2 万台，\n"
      "  交期 3 周。\n  2023 年上半年有两次来料不良。\n";
  const Document doc = only(extract("力拓电机_备忘.txt", text));
  for (const auto& s : doc.sections)
    for (const auto& h : s.heading_path) CHECK_THAT(h, !Catch::Contains("最后更新"));
  REQUIRE_FALSE(doc.sections.empty());
  CHECK_THAT(doc.sections.front().text, Catch::Contains("最后更新：2023-09-12"));
}

TEST_CASE("Plain text without an outline stays one section", "[extract]") {
  // Indented lines alone (a quoted mail, a poem) or one numbered line are no outline.
  const char* text = "Hi all,\n\n  please find the figures below.\n  Totals are final.\n\n一、见附件\nThanks\n";
  const Document doc = only(extract("note.txt", text));
  CHECK(doc.title == "note");
  REQUIRE(doc.sections.size() == 1);
  CHECK(doc.sections[0].heading_path.empty());
  CHECK_THAT(doc.sections[0].text, Catch::Contains("一、见附件"));
}

TEST_CASE("Binary junk with a text extension is an error, not a crash", "[extract]") {
  auto r = extract("junk.txt", std::string("\x7f" "ELF\x02\x01\x01\0\0\0\0", 12));
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("binary"));
}

TEST_CASE("HTML: title, headings, visible text only", "[extract]") {
  const char* html =
      "<html><head><meta charset=utf-8><title>ERP 升级公告</title><style>p{color:red}</style>"
      "<script>var secret = 1;</script></head><body><h1>维护通知</h1><p>11 月 17 日 22:00 停机。</p>"
      "<h2>影响</h2><ul><li>订单同步暂停</li><li>库存不更新</li></ul></body></html>";
  const Document doc = only(extract("系统/公告.html", html));
  CHECK(doc.title == "ERP 升级公告");
  REQUIRE(doc.sections.size() == 2);
  CHECK(doc.sections[0].heading_path == std::vector<std::string>{"维护通知"});
  CHECK(doc.sections[0].text == "11 月 17 日 22:00 停机。");
  CHECK(doc.sections[1].heading_path == std::vector<std::string>{"维护通知", "影响"});
  CHECK(doc.sections[1].text == "订单同步暂停\n库存不更新");
  for (const auto& s : doc.sections) CHECK_THAT(s.text, !Catch::Contains("secret") && !Catch::Contains("color"));
}

TEST_CASE("HTML declared as GBK is converted", "[extract]") {
  const std::string html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\"></head><body><p>" +
                           test::gbk_sentence + "</p></body></html>";
  const Document doc = only(extract("旧/page.htm", html));
  REQUIRE(doc.sections.size() == 1);
  CHECK(doc.sections[0].text == "交接文档：客户资料和退款流程都在共享盘，值班安排见附件。");
}

TEST_CASE("Mail: RFC 2047 subject, base64 UTF-8 body, people and date", "[extract]") {
  // Subject "年货团购询价" in GB2312 B-encoding; body "请报价 500 套礼盒。" in UTF-8 base64.
  const std::string eml =
      "From: =?UTF-8?B?6ZmI5pix?= <chen@ruifeng-trade.com>\r\n"
      "To: Lin Xiaowen <lin@qinghe.example>\r\n"
      "Cc: boss@qinghe.example\r\n"
      "Subject: =?GB2312?B?xOq79c3FubrRr7zb?=\r\n"
      "Date: Wed, 15 Oct 2025 09:30:00 +0800\r\n"
      "Message-ID: <a1@ruifeng-trade.com>\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=UTF-8\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n"
      "6K+35oql5Lu3IDUwMCDlpZfnpLznm5LjgII=\r\n";
  const Document doc = only(extract("mail/询价.eml", eml));
  CHECK(doc.title == "年货团购询价");
  CHECK(doc.date == "2025-10-15");
  CHECK_THAT(doc.author, Catch::Contains("chen@ruifeng-trade.com"));
  CHECK(doc.participants.size() == 3);
  REQUIRE(doc.sections.size() == 1);
  CHECK_THAT(doc.sections[0].text, Catch::Contains("请报价 500 套礼盒。"));
}

TEST_CASE("Mail: a GBK body declared as gb2312 and an HTML-only body", "[extract]") {
  const std::string gbk =
      "From: a@b.cn\r\nSubject: test\r\nContent-Type: text/plain; charset=gb2312\r\n"
      "Content-Transfer-Encoding: 8bit\r\n\r\n" + test::gbk_sentence + "\r\n";
  CHECK_THAT(only(extract("a.eml", gbk)).sections[0].text, Catch::Contains("客户资料和退款流程"));

  const std::string html =
      "From: a@b.cn\r\nSubject: html\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
      "<p>发货<b>延迟</b></p><script>x()</script>\r\n";
  const Document doc = only(extract("b.eml", html));
  CHECK_THAT(doc.sections[0].text, Catch::Contains("发货延迟"));
  CHECK_THAT(doc.sections[0].text, !Catch::Contains("x()"));
}

TEST_CASE("Unsupported formats are an error", "[extract]") {
  CHECK_FALSE(extract("a.bin", "x").ok());
}
