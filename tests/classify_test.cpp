#include "baton/classify.h"

#include <catch2/catch.hpp>

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

TEST_CASE("mail is communication wherever it lives; titles decide when folders do not", "[classify]") {
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
