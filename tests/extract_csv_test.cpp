#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "baton/extract.h"
#include "test_util.h"

using namespace baton;

namespace {

std::vector<Document> extract_ok(const std::string& name, const std::string& bytes) {
  auto docs = extract(name, bytes);
  INFO(name << ": " << (docs ? std::string("ok") : docs.error().message));
  REQUIRE(docs);
  return std::move(docs.value());
}

Document extract_table(const std::string& name, const std::string& bytes) {
  auto docs = extract_ok(name, bytes);
  REQUIRE(docs.size() == 1);
  CHECK(docs.front().format.empty());
  return std::move(docs.front());
}

// UTF-8 text as UTF-16LE with a byte-order mark: what Excel writes as "Unicode Text" (tab-separated).
std::string utf16le(const std::string& ascii) {
  std::string out = "\xFF\xFE";
  for (char c : ascii) {
    out += c;
    out += '\0';
  }
  return out;
}

}  // namespace

TEST_CASE("CSV: a table with a header becomes rows of cells joined by |", "[csv]") {
  const Document doc = extract_table("交接清单.csv",
                                     "事项,负责人,备注\n"
                                     "客户资料整理,张伟,在共享盘\n"
                                     "退款流程,李娜,见附件\n");
  CHECK(doc.title == "交接清单");  // tables have no title of their own: the file name
  CHECK(doc.charset == "UTF-8");
  REQUIRE(doc.sections.size() == 1);
  CHECK(doc.sections[0].heading_path.empty());
  CHECK(doc.sections[0].level == 0);
  CHECK(doc.sections[0].text == "事项 | 负责人 | 备注\n客户资料整理 | 张伟 | 在共享盘\n退款流程 | 李娜 | 见附件");
}

TEST_CASE("CSV: long tables are cut into sections that each start with the header", "[csv]") {
  std::string csv = "编号,客户,电话,地址\r\n";  // Excel ends lines with CRLF
  for (int i = 1; i <= 450; ++i)
    csv +=
        std::to_string(i) + ",客户" + std::to_string(i) + ",1380000" + std::to_string(1000 + i) + ",上海市浦东新区\r\n";
  const Document doc = extract_table("customers.csv", csv);
  REQUIRE(doc.sections.size() >= 3);
  std::size_t rows = 0;
  for (const auto& s : doc.sections) {
    CHECK(s.text.starts_with("编号 | 客户 | 电话 | 地址\n"));
    CHECK(s.text.size() <= 6000);
    const auto lines = static_cast<std::size_t>(std::count(s.text.begin(), s.text.end(), '\n'));
    CHECK(lines <= 200);
    rows += lines;
    CHECK(s.text.find('\r') == std::string::npos);
  }
  CHECK(rows == 450);
  CHECK(doc.sections.back().text.ends_with("450 | 客户450 | 13800001450 | 上海市浦东新区"));
}

TEST_CASE("CSV: GBK from Excel is converted", "[csv]") {
  const std::string gbk = "id,note\n1," + test::gbk_sentence + "\n2," + test::gbk_customer_info + "\n";
  const Document doc = extract_table("gbk.csv", gbk);
  CHECK(doc.charset == "GB18030");
  REQUIRE(doc.sections.size() == 1);
  CHECK(doc.sections[0].text ==
        "id | note\n1 | 交接文档：客户资料和退款流程都在共享盘，值班安排见附件。\n2 | 客户资料");
}

TEST_CASE("CSV: tab- and semicolon-separated files are recognised", "[csv]") {
  const Document tsv =
      extract_table("list.tsv", "系统\t账号\t说明\nERP\tadmin\t月底对账, 用完退出\nOA\tzhangwei\t审批\n");
  REQUIRE(tsv.sections.size() == 1);
  CHECK(tsv.sections[0].text == "系统 | 账号 | 说明\nERP | admin | 月底对账, 用完退出\nOA | zhangwei | 审批");

  const Document semi = extract_table("eu.csv", "name;amount;note\nLi Wei;1,5;paid, late\nZhang;2,0;ok\n");
  CHECK(semi.sections[0].text == "name | amount | note\nLi Wei | 1,5 | paid, late\nZhang | 2,0 | ok");

  const Document unicode = extract_table("unicode.txt.tsv", utf16le("a\tb\n1\t2\n"));
  CHECK(unicode.charset == "UTF-16LE");
  CHECK(unicode.sections[0].text == "a | b\n1 | 2");
}

TEST_CASE("CSV: Excel's sep= line names the delimiter", "[csv]") {
  const Document doc = extract_table("sep.csv", "sep=|\r\na|b,c\r\n1|2,3\r\n");
  CHECK(doc.sections[0].text == "a | b,c\n1 | 2,3");
}

TEST_CASE("CSV: quoted fields keep their commas, quotes and line breaks", "[csv]") {
  const Document doc = extract_table("quoted.csv",
                                     "who,what,said\n"
                                     "\"Li, Wei\",\"line one\nline two\",\"he said \"\"done\"\"\"\n"
                                     "Zhang,,\n");
  CHECK(doc.sections[0].text == "who | what | said\nLi, Wei | line one line two | he said \"done\"\nZhang");
}

TEST_CASE("CSV: broken quoting is read leniently instead of failing", "[csv]") {
  // A stray quote inside a field.
  const Document stray = extract_table("stray.csv", "item,size\nmonitor,27\" wide\ncable,\"2m\"x\n");
  CHECK(stray.sections[0].text == "item | size\nmonitor | 27\" wide\ncable | \"2m\"x");
  // A quote that never closes: the rest of the file must not vanish into one cell.
  const Document unclosed = extract_table("unclosed.csv", "name,note\nx,\"unclosed\ny,z\nw,v\n");
  CHECK(unclosed.sections[0].text == "name | note\nx | \"unclosed\ny | z\nw | v");
}

TEST_CASE("CSV: a chat export becomes one document per day with its participants", "[csv]") {
  const auto docs = extract_ok("群聊.csv",
                               "\xEF\xBB\xBF时间,发送人,内容\n"  // UTF-8 with BOM, as Excel writes "CSV UTF-8"
                               "2024-03-01 09:05:33,张伟,早上好，客户资料在共享盘\n"
                               "2024-03-01 09:06:10,李娜,\"收到,谢谢\n我下午看\"\n"
                               "2024-03-01 10:00:00,王芳,\n"  // an empty message (a picture) is left out
                               "2024/3/2 下午 2:05,张伟,退款流程见附件\n");
  REQUIRE(docs.size() == 2);
  const Document& first = docs[0];
  CHECK(first.format == "chat");
  CHECK(first.title == "聊天记录 2024-03-01");
  CHECK(first.date == "2024-03-01");
  CHECK(first.thread == "张伟、李娜 2024-03-01");
  CHECK(first.participants == std::vector<std::string>{"张伟", "李娜"});
  REQUIRE(first.sections.size() == 1);
  CHECK(first.sections[0].heading_path.empty());
  CHECK(first.sections[0].text == "09:05 张伟: 早上好，客户资料在共享盘\n09:06 李娜: 收到,谢谢\n我下午看");
  const Document& second = docs[1];
  CHECK(second.date == "2024-03-02");
  CHECK(second.participants == std::vector<std::string>{"张伟"});
  CHECK(second.sections[0].text == "14:05 张伟: 退款流程见附件");
}

TEST_CASE("CSV: WeChat-style export with English columns, a group name and Unix times", "[csv]") {
  const auto docs = extract_ok("wechat.csv",
                               "time(Asia/Shanghai),group_id,group_name,from_id,from_nickname,content_type,content\n"
                               "2024-05-06 08:59:00,g1,供应链对接群,u1,Amy,Text,ERP 账号已开通\n"
                               "2024-05-06 09:01:00,g1,供应链对接群,u2,老王,Text,好的\n"
                               "2024-05-06 09:03:00,g2,财务群,u3,Lily,Text,发票已寄出\n");
  REQUIRE(docs.size() == 2);
  CHECK(docs[0].title == "供应链对接群 2024-05-06");
  CHECK(docs[0].thread == "供应链对接群 2024-05-06");
  CHECK(docs[0].participants == std::vector<std::string>{"Amy", "老王"});
  CHECK(docs[0].sections[0].text == "08:59 Amy: ERP 账号已开通\n09:01 老王: 好的");
  CHECK(docs[1].title == "财务群 2024-05-06");

  // CreateTime in Unix seconds, shown on Beijing time: 1709254800 = 2024-03-01 01:00 UTC = 09:00 +08.
  const auto unix_docs = extract_ok("msg.csv",
                                    "CreateTime,NickName,StrContent\n1709254800,张伟,月底前完成对账\n"
                                    "1709312400,张伟,对账完成\n");
  REQUIRE(unix_docs.size() == 2);
  CHECK(unix_docs[0].date == "2024-03-01");
  CHECK(unix_docs[0].sections[0].text == "09:00 张伟: 月底前完成对账");
  CHECK(unix_docs[1].date == "2024-03-02");
}

TEST_CASE("CSV: PyWxDump's export: CreateTime and StrTime both times, Remark the chat's name", "[csv]") {
  // The rows have one field more than the header (the sender's wxid), as PyWxDump writes them.
  const auto docs = extract_ok("微信_海防外发群.csv",
                               "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\n"
                               "2042,451@chatroom,1,0,1,1747792875,2,阮总您好，这个群专门对接海防外发,2025-05-21 10:01:15,海防外发-明心,邵雨桐,wxid_s\n"
                               "2045,451@chatroom,1,0,1,1748742330,2,合同按今天签的那版,2025-06-01 09:45:30,海防外发-明心,邵雨桐,wxid_s\n");
  REQUIRE(docs.size() == 2);
  CHECK(docs[0].format == "chat");
  CHECK(docs[0].date == "2025-05-21");
  CHECK(docs[0].title == "海防外发-明心 2025-05-21");
  CHECK(docs[0].sections[0].text == "10:01 邵雨桐: 阮总您好，这个群专门对接海防外发");
  CHECK(docs[1].date == "2025-06-01");
}

TEST_CASE("CSV: a GBK chat export with separate date and time columns", "[csv]") {
  // 日期,时间,发送人,内容 / 2024-03-01,09:30,张伟,<客户资料> — in GBK.
  const std::string gbk =
      "\xc8\xd5\xc6\xda,\xca\xb1\xbc\xe4,\xb7\xa2\xcb\xcd\xc8\xcb,\xc4\xda\xc8\xdd\n"
      "2024-03-01,09:30,\xd5\xc5\xce\xb0," +
      test::gbk_customer_info + "\n";
  const auto docs = extract_ok("chat.csv", gbk);
  REQUIRE(docs.size() == 1);
  CHECK(docs[0].format == "chat");
  CHECK(docs[0].charset == "GB18030");
  CHECK(docs[0].participants == std::vector<std::string>{"张伟"});
  CHECK(docs[0].sections[0].text == "09:30 张伟: 客户资料");
}

TEST_CASE("CSV: chat-like columns without dates stay a table", "[csv]") {
  const Document doc = extract_table("roles.csv", "time,name,text\nmorning,Li,opens the shop\nevening,Wang,closes\n");
  CHECK(doc.sections[0].text == "time | name | text\nmorning | Li | opens the shop\nevening | Wang | closes");
}

TEST_CASE("CSV: empty tables and binary junk are errors", "[csv]") {
  for (const std::string& bytes :
       {std::string(), std::string("\n\n"), std::string("a,b,c\n"), std::string(",,\n,,\n")}) {
    auto docs = extract("empty.csv", bytes);
    REQUIRE_FALSE(docs);
    CHECK(docs.error().message.starts_with("empty table"));
  }
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk += static_cast<char>((i * 7919) & 0xFF);
  auto docs = extract("junk.csv", junk);
  REQUIRE_FALSE(docs);
}

TEST_CASE("CSV: the corpus TSV (mail index) extracts as a table", "[csv]") {
  const std::string bytes = test::read_file(test::corpus() / "comms-zh/mail/INDEX.tsv");
  const Document doc = extract_table("INDEX.tsv", bytes);
  CHECK(doc.title == "INDEX");
  REQUIRE(doc.sections.size() >= 1);
  std::size_t rows = 0;
  for (const auto& s : doc.sections) {
    CHECK(
        s.text.starts_with("list | file | git_blob_sha1 | charsets | cjk_chars_in_decoded_text | subject(decoded)\n"));
    rows += static_cast<std::size_t>(std::count(s.text.begin(), s.text.end(), '\n'));
  }
  CHECK(rows == 88);
  CHECK(doc.sections[0].text.find("linux-erofs | 20190718-104744_69038b92b3d0.eml | "
                                  "69038b92b3d039b233e5dcac8fcb23ff075e8b48 | gb18030 | 470 | eros性能问题") !=
        std::string::npos);
}

TEST_CASE("CSV: rows of empty cells stop being kept at the cell budget", "[csv][bad]") {
  // Each row is 600,000 empty cells: 600 KB of file (under the line limit), about 19 MB of memory as
  // cells. Three such rows fit the parser's budget (4 × max_document_text_bytes); the later ones are dropped.
  std::string csv = "name,value\n";
  for (int row = 1; row <= 5; ++row) csv += "row" + std::to_string(row) + "marker" + std::string(600000, ',') + "\n";
  const Document doc = extract_table("commas.csv", csv);
  std::string text;
  for (const auto& s : doc.sections) text += s.text;
  CHECK(text.find("row3marker") != std::string::npos);
  CHECK(text.find("row4marker") == std::string::npos);
  CHECK(text.find("row5marker") == std::string::npos);
}
