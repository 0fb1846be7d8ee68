// Chat exports (QQ text export, WeChat-style text) and the line between a chat and a dated document.
#include <catch2/catch.hpp>
#include <filesystem>

#include "extract_internal.h"  // looks_like_chat is internal to the extract module
#include "baton/extract.h"
#include "test_util.h"

using namespace baton;
using detail::extract_chat;
using detail::looks_like_chat;

namespace {

std::vector<Document> chat_docs(std::string_view path, std::string_view bytes) {
  auto r = extract(path, bytes);
  INFO((r ? std::string() : r.error().message));
  REQUIRE(r.ok());
  return std::move(r).value();
}

const std::string qq_export =
    "\xEF\xBB\xBF"  // newer QQ writes a BOM
    "消息记录（此消息记录为文本格式，不支持重新导入）\r\n\r\n"
    "================================================================\r\n"
    "消息分组:我的群聊\r\n"
    "================================================================\r\n"
    "消息对象:青禾运营群\r\n"
    "================================================================\r\n\r\n"
    "2024-01-02 9:05:01 【管理员】林晓雯(10001)\r\n"
    "大家注意，年货节活动明天上线。\r\n"
    "优惠券在后台已经配好。\r\n\r\n"
    "2024-01-02 9:07:45 周航<zhouhang@qinghe-ec.com>\r\n"
    "收到\r\n\r\n"
    "2024-01-02 9:08:00 系统消息(10000)\r\n"
    "马志强加入本群。\r\n\r\n"
    "2024-01-03 8:43:38 PM 林晓雯(10001)\r\n"
    "[图片]\r\n"
    "库存表在共享盘。\r\n\r\n"
    "================================================================\r\n"
    "消息分组:我的好友\r\n"
    "================================================================\r\n"
    "消息对象:陈经理\r\n"
    "================================================================\r\n\r\n"
    "2024-01-02 11:00:00 陈经理(20002)\r\n"
    "报价单发您邮箱了。\r\n\r\n"
    "2024-01-02 11:02:10 林晓雯(10001)\r\n"
    "好的，谢谢。\r\n";

const std::string wechat_export =
    "微信聊天记录导出\n"
    "群聊：青禾双十二作战群（9 人）\n"
    "导出范围：2026-12-01 至 2026-12-02\n\n"
    "2026-12-01 09:16:05 林晓雯\n"
    "@所有人 双十二正式进入倒计时。\n"
    "周航这次全程跟我一起。\n\n"
    "2026-12-01 09:18:47 郑启明\n"
    "收到。预算 38 万已经批了。\n\n"
    "2026-12-02 11:40:29 马志强\n"
    "电热水壶现在可用库存 1,800 台。\n\n"
    "2026-12-02 11:45:02 林晓雯\n"
    "好的，那电热水壶改预售。\n";

}  // namespace

TEST_CASE("Chat: QQ text export, one document per conversation and day", "[chat]") {
  const auto docs = chat_docs("聊天记录/全部消息记录.txt", qq_export);
  REQUIRE(docs.size() == 3);
  const Document& first = docs[0];
  CHECK(first.format == "chat");
  CHECK(first.title == "青禾运营群 2024-01-02");
  CHECK(first.date == "2024-01-02");
  CHECK(first.thread == "青禾运营群 2024-01-02");
  CHECK(first.participants == std::vector<std::string>{"林晓雯", "周航"});  // no role, number, address, system
  REQUIRE(first.sections.size() == 1);
  CHECK(first.sections[0].text ==
        "09:05 林晓雯: 大家注意，年货节活动明天上线。 优惠券在后台已经配好。\n"
        "09:07 周航: 收到\n"
        "09:08 系统消息: 马志强加入本群。");
  CHECK(docs[1].title == "青禾运营群 2024-01-03");
  CHECK(docs[1].sections[0].text == "20:43 林晓雯: [图片] 库存表在共享盘。");  // 12-hour clock
  CHECK(docs[2].title == "陈经理 2024-01-02");
  CHECK(docs[2].participants == std::vector<std::string>{"陈经理", "林晓雯"});
  CHECK_THAT(docs[2].sections[0].text, Catch::Contains("11:00 陈经理: 报价单发您邮箱了。"));
}

TEST_CASE("Chat: WeChat-style export with a group name", "[chat]") {
  const auto docs = chat_docs("微信群_青禾双十二作战群.txt", wechat_export);
  REQUIRE(docs.size() == 2);
  CHECK(docs[0].title == "青禾双十二作战群 2026-12-01");  // the member count is not part of the name
  CHECK(docs[0].participants == std::vector<std::string>{"林晓雯", "郑启明"});
  CHECK(
      docs[0].sections[0].text ==
      "09:16 林晓雯: @所有人 双十二正式进入倒计时。 周航这次全程跟我一起。\n09:18 郑启明: 收到。预算 38 万已经批了。");
  CHECK(docs[1].date == "2026-12-02");
  CHECK(docs[1].participants == std::vector<std::string>{"马志强", "林晓雯"});
}

TEST_CASE("Chat: sender-first and slash-dated variants, no name gives 聊天记录", "[chat]") {
  const std::string chatlog =
      "小林(wxid_abc123) 2024-03-05 14:00:01\n在吗？\n\n"
      "陈经理(wxid_chen) 2024-03-05 14:02:30\n在，什么事？\n\n"
      "小林(wxid_abc123) 2024-03-05 14:03:00\n合同明天寄出。\n";
  REQUIRE(looks_like_chat(chatlog));
  auto a = extract_chat(chatlog);
  REQUIRE(a.ok());
  REQUIRE(a->size() == 1);
  CHECK((*a)[0].title == "聊天记录 2024-03-05");
  CHECK((*a)[0].thread == "小林、陈经理 2024-03-05");  // without a name, the people tell conversations apart
  CHECK((*a)[0].participants == std::vector<std::string>{"小林", "陈经理"});

  const std::string slashed =
      "2024/3/5 14:00 小林\n在吗？\n2024/3/5 14:02 陈经理\n在。\n2024/3/6 9:00 小林\n合同寄出了。\n";
  REQUIRE(looks_like_chat(slashed));
  auto b = extract_chat(slashed);
  REQUIRE(b.ok());
  REQUIRE(b->size() == 2);
  CHECK((*b)[1].sections[0].text == "09:00 小林: 合同寄出了。");
}

TEST_CASE("Chat: a GBK export is read after charset detection", "[chat]") {
  // "微信聊天记录导出 / 2024-01-02 10:00:00 张三 / <gbk_sentence> / 2024-01-02 10:05:00 李四 / 收到，明天发货。 /
  //  2024-01-03 09:00:00 张三 / 交接" in GBK.
  const std::string gbk =
      "\xce\xa2\xd0\xc5\xc1\xc4\xcc\xec\xbc\xc7\xc2\xbc\xb5\xbc\xb3\xf6\r\n\r\n"
      "2024-01-02 10:00:00 \xd5\xc5\xc8\xfd\r\n" +
      test::gbk_sentence +
      "\r\n\r\n"
      "2024-01-02 10:05:00 \xc0\xee\xcb\xc4\r\n"
      "\xca\xd5\xb5\xbd\xa3\xac\xc3\xf7\xcc\xec\xb7\xa2\xbb\xf5\xa1\xa3\r\n\r\n"
      "2024-01-03 09:00:00 \xd5\xc5\xc8\xfd\r\n\xbd\xbb\xbd\xd3\r\n";
  const auto docs = chat_docs("chat.txt", gbk);
  REQUIRE(docs.size() == 2);
  CHECK(docs[0].format == "chat");
  CHECK(docs[0].charset == "GB18030");
  CHECK(docs[0].participants == std::vector<std::string>{"张三", "李四"});
  CHECK_THAT(docs[0].sections[0].text, Catch::Contains("10:00 张三: 交接文档：客户资料和退款流程都在共享盘"));
  CHECK_THAT(docs[0].sections[0].text, Catch::Contains("10:05 李四: 收到，明天发货。"));
}

TEST_CASE("Chat: dated documents, logs and transcripts are not chats", "[chat]") {
  // Minutes with dated headings: each heading distinct, so no sender speaks twice.
  CHECK_FALSE(
      looks_like_chat("周会纪要\n\n2024-01-02 10:00 项目启动会\n参会：张三、李四\n"
                      "2024-01-09 10:00 需求评审\n结论：下周上线\n2024-01-16 10:00 上线复盘\n问题：库存同步\n"));
  // A log: stamped lines follow each other with nothing under them.
  CHECK_FALSE(
      looks_like_chat("2024-01-02 10:00:00 INFO server started\n2024-01-02 10:00:01 WARN disk 91%\n"
                      "2024-01-02 10:00:02 worker ready\n2024-01-02 10:00:03 worker ready\n"
                      "2024-01-02 10:00:04 worker ready\n"));
  // Prose that mentions dates and times.
  CHECK_FALSE(
      looks_like_chat("交接说明\n活动于 2024-01-02 10:00 上线，截止 2024-01-09 18:00。\n"
                      "2024-01-02 10:00 之前请完成备货，负责人张三。\n联系人：李四\n"));
  CHECK_FALSE(
      looks_like_chat("更新时间 2024-01-02 10:00\n修复库存同步\n更新时间 2024-01-09 10:00\n新增报表\n"
                      "更新时间 2024-01-16 10:00\n优化导出\n"));
  // Only two messages: too little to call it a chat.
  CHECK_FALSE(looks_like_chat("2024-01-02 10:00:00 张三\n你好\n2024-01-02 10:01:00 李四\n你好\n"));
  CHECK_FALSE(looks_like_chat(""));
  CHECK(looks_like_chat(wechat_export));
  CHECK_FALSE(extract_chat("没有任何消息行的文本\n").ok());
}

TEST_CASE("Chat: the demo's WeChat exports read as conversations, its duty roster does not", "[chat]") {
  // The demo lives in the repository, beside tests/.
  const auto demo = std::filesystem::path(__FILE__).parent_path().parent_path() / "data" / "demo";
  const auto roster = chat_docs("旧版值班表.txt", test::read_file(demo / "交接文档" / "旧版值班表.txt"));
  REQUIRE(roster.size() == 1);
  CHECK(roster[0].format.empty());
  const auto chat = chat_docs("微信_宏昌包材_陳怡君.txt",
                              test::read_file(demo / "客户沟通" / "聊天记录" / "微信_宏昌包材_陳怡君.txt"));
  REQUIRE(chat.size() == 5);
  CHECK(chat[0].title == "陳怡君（宏昌包材 業務經理） 2026-11-20");
  CHECK(chat[0].participants == std::vector<std::string>{"陳怡君", "林晓雯"});
}

TEST_CASE("Chat corpus: JD customer-service sessions stay plain text, one document each", "[chat]") {
  // "顾客: …" / "客服: …" transcripts without times: a file is already one session, and "name: text"
  // lines are what key-value documents are made of, so they are read as text.
  const auto dir = test::corpus() / "comms-zh" / "dialogues" / "jddc" / "sessions";
  int sessions = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".txt") continue;
    const std::string bytes = test::read_file(e.path());
    INFO(e.path().filename().string());
    CHECK_FALSE(looks_like_chat(bytes));
    const auto docs = chat_docs(e.path().filename().string(), bytes);
    REQUIRE(docs.size() == 1);
    CHECK_THAT(docs[0].sections[0].text, Catch::Contains("会话编号"));
    ++sessions;
  }
  CHECK(sessions == 994);
  const auto first = chat_docs("0001.txt", test::read_file(dir / "0001_0000b82c62117aa4497508bb1bdfb53a.txt"));
  std::string text;
  for (const auto& s : first[0].sections) text += s.text;
  CHECK_THAT(text, Catch::Contains("不在同一城市，现在收件地址是上海"));
}
