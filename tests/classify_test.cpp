#include "baton/classify.h"

#include <catch2/catch.hpp>

#include "baton/text.h"

using namespace baton;

TEST_CASE("kind comes from the nearest telling folder name", "[classify]") {
  Document doc;
  CHECK(infer_kind("交接文档/总览.md", Format::markdown, doc) == Kind::handover);
  CHECK(infer_kind("操作手册/退款处理流程.md", Format::markdown, doc) == Kind::manual);
  CHECK(infer_kind("Ops/SOPs/refund.md", Format::markdown, doc) == Kind::manual);
  CHECK(infer_kind("客户沟通/聊天记录/群.txt", Format::text, doc) == Kind::communication);
  CHECK(infer_kind("交接文档/客户沟通/x.txt", Format::text, doc) == Kind::communication);
  CHECK(infer_kind("客户/Northwind.md", Format::markdown, doc) == Kind::handover);
}

TEST_CASE("mail is communication wherever it lives, titles decide when folders do not", "[classify]") {
  Document doc;
  CHECK(infer_kind("操作手册/a.eml", Format::mail, doc) == Kind::communication);
  doc.title = "林晓雯工作交接清单";
  CHECK(infer_kind("misc/a.md", Format::markdown, doc) == Kind::handover);
  doc.title = "random";
  CHECK(infer_kind("a.md", Format::markdown, doc) == Kind::record);
}

TEST_CASE("chat exports are communication, spreadsheets records, unless a folder says otherwise", "[classify]") {
  Document chat;
  chat.format = "chat";
  CHECK(infer_kind("misc/群聊.txt", Format::text, chat) == Kind::communication);
  CHECK(infer_kind("x/a.mbox", Format::mbox, Document{}) == Kind::communication);
  CHECK(infer_kind("data/订单.xlsx", Format::xlsx, Document{}) == Kind::record);
  CHECK(infer_kind("操作手册/参数表.xlsx", Format::xlsx, Document{}) == Kind::manual);
}

TEST_CASE("declared_update: the date a document's header says it was last updated", "[classify]") {
  CHECK(declared_update("整理：林晓雯　最后更新：2026-11-28\n\n正文") == "2026-11-28");
  CHECK(declared_update("编写：张三 2026年3月5日\n正文") == "2026-03-05");
  CHECK(declared_update("Last updated: 2024/01/31\nBody") == "2024-01-31");
  // First draft and last revision: the later one.
  CHECK(declared_update("编写：2025-01-02　修订：2025-06-30\n") == "2025-06-30");
  // A date without a word that dates the text itself is an event, not an update.
  CHECK(declared_update("双十二活动 2026-12-12 开始\n") == "");
  // Only the header: a date deep in the body says nothing about the document.
  std::string body;
  for (int i = 0; i < 20; ++i) body += "第" + std::to_string(i) + "行\n";
  CHECK(declared_update(body + "最后更新：2026-01-01\n") == "");
  CHECK(declared_update("更新：2026-13-40\n") == "");
  CHECK(declared_update("") == "");
}

TEST_CASE("folders numbered to sort them still name their clients and projects", "[classify]") {
  Document doc;
  infer_entities("03_客户/瑞丰贸易.md", doc);
  infer_entities("05_项目/A座电梯改造/说明.md", doc);
  infer_entities("1. 业主/恒安置业.md", doc);
  CHECK(doc.clients == std::vector<std::string>{"瑞丰贸易", "恒安置业"});
  CHECK(doc.projects == std::vector<std::string>{"A座电梯改造"});
  CHECK(without_sort_number("02-操作手册") == "操作手册");
  CHECK(without_sort_number("2026Q4续约攻坚") == "2026Q4续约攻坚");
  CHECK(without_sort_number("2026") == "2026");
  CHECK(without_sort_number("3、客户") == "客户");
}

TEST_CASE("a franchise brand's franchisees, a maker's dealers and a platform's merchants are clients, and their write-ups handover", "[classify]") {
  Document doc;
  infer_entities("加盟商/常州启明餐饮.md", doc);
  infer_entities("经销商/金坛华联商贸.md", doc);
  infer_entities("01_商家/麦香坊烘焙.md", doc);  // a platform's merchants
  CHECK(doc.clients == std::vector<std::string>{"常州启明餐饮", "金坛华联商贸", "麦香坊烘焙"});
  CHECK(infer_kind("加盟商/常州启明餐饮.md", Format::markdown, doc) == Kind::handover);
}
