// Mail and mbox: metadata, threads, attachments as documents, and the real corpora (Chinese list mail
// in GB charsets, Enron).
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "baton/extract.h"
#include "test_util.h"

using namespace baton;

namespace {

std::vector<Document> docs_of(std::string_view path, std::string_view bytes) {
  auto r = extract(path, bytes);
  INFO((r ? std::string() : r.error().message));
  REQUIRE(r.ok());
  return std::move(r).value();
}

bool has(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string all_text(const Document& doc) {
  std::string text;
  for (const auto& s : doc.sections) text += s.text + "\n";
  return text;
}

// Han ideographs (U+4E00..U+9FFF) in UTF-8 text.
std::size_t cjk_count(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i + 2 < s.size(); ++i) {
    const auto b0 = static_cast<unsigned char>(s[i]), b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 >= 0xE4 && b0 <= 0xE9 && (b1 & 0xC0) == 0x80) {
      ++n;
      i += 2;
    }
  }
  return n;
}

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

const std::string multipart_mail =
    "From: =?UTF-8?B?5p6X5pmT6Zuv?= <linxiaowen@qinghe-ec.com>\r\n"
    "To: Wu Jianguo <wujianguo@ruifeng-trade.com>, someone@qq.com\r\n"
    "Subject: =?UTF-8?B?5Lqk5o6l6LWE5paZ?=\r\n"  // 交接资料
    "Date: Tue, 02 Dec 2025 14:31:26 +0800\r\n"
    "Message-ID: <handover-1@qinghe-ec.com>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n"
    "--XX\r\n"
    "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
    "吴经理好，交接资料见附件。\r\n\r\n林晓雯\r\n杭州青禾电子商务有限公司\r\n"
    "--XX\r\n"
    "Content-Type: text/plain; charset=UTF-8; name=\"duty.txt\"\r\n"
    "Content-Disposition: attachment; filename=\"duty.txt\"\r\n"
    "Content-Transfer-Encoding: base64\r\n\r\n"
    "5YC854+t5a6J5o6S77ya5ZGo5LiA5byg5LiJ77yM5ZGo5LqM5p2O5Zub44CCCg==\r\n"  // 值班安排：周一张三，周二李四。
    "--XX\r\n"
    "Content-Type: text/markdown; charset=UTF-8\r\n"
    "Content-Disposition: attachment; filename*=UTF-8''%E5%AE%A2%E6%88%B7%E6%B8%85%E5%8D%95.md\r\n\r\n"  // 客户清单.md
    "# 重点客户\r\n\r\n瑞丰贸易：年货团购，联系人吴建国。\r\n"
    "--XX\r\n"
    "Content-Type: application/octet-stream\r\n"
    "Content-Disposition: attachment; filename=\"backup.bin\"\r\n"
    "Content-Transfer-Encoding: base64\r\n\r\n"
    "AAECAwQFBgc=\r\n"
    "--XX--\r\n";

}  // namespace

TEST_CASE("Mail: readable attachments become documents linked to their mail", "[mail]") {
  const auto docs = docs_of("邮件/交接.eml", multipart_mail);
  REQUIRE(docs.size() == 3);
  const Document& mail = docs[0];
  CHECK(mail.title == "交接资料");
  CHECK(mail.parent == -1);
  CHECK(mail.attachments == std::vector<std::string>{"duty.txt", "客户清单.md", "backup.bin"});
  CHECK(mail.message_id == "handover-1@qinghe-ec.com");
  CHECK(mail.thread == "handover-1@qinghe-ec.com");
  CHECK(mail.date == "2025-12-02");
  CHECK(mail.author == "林晓雯 <linxiaowen@qinghe-ec.com>");
  CHECK(mail.participants == std::vector<std::string>{"林晓雯 <linxiaowen@qinghe-ec.com>",
                                                      "Wu Jianguo <wujianguo@ruifeng-trade.com>", "someone@qq.com"});
  // Public mailboxes (qq.com) name no organisation; the signature's company does.
  CHECK(mail.organisations ==
        std::vector<std::string>{"qinghe-ec.com", "ruifeng-trade.com", "杭州青禾电子商务有限公司"});
  CHECK_THAT(all_text(mail), Catch::Contains("交接资料见附件"));
  CHECK_THAT(all_text(mail), Catch::Contains("duty.txt"));   // attachment names are searchable with the mail
  CHECK_THAT(all_text(mail), !Catch::Contains("值班安排"));  // attachment text is not

  const Document& txt = docs[1];
  CHECK(txt.parent == 0);
  CHECK(txt.title == "duty.txt");
  CHECK(txt.format == "text");
  CHECK_THAT(all_text(txt), Catch::Contains("值班安排：周一张三，周二李四。"));
  const Document& md = docs[2];
  CHECK(md.parent == 0);
  CHECK(md.format == "markdown");
  CHECK(md.title == "重点客户");  // a document's own title wins over its file name
  CHECK_THAT(all_text(md), Catch::Contains("年货团购"));
  for (const Document* d : {&txt, &md}) {
    CHECK(d->date == mail.date);
    CHECK(d->thread == mail.thread);
    CHECK(d->participants == mail.participants);
    CHECK(d->message_id.empty());
  }
}

TEST_CASE("Mail: attached mails nest two levels deep, no further", "[mail]") {
  // A mail forwarding a mail that forwards a mail that carries a text file.
  auto wrap = [](const std::string& subject, const std::string& inner) {
    return "From: a@qinghe-ec.com\r\nSubject: " + subject +
           "\r\nDate: Mon, 1 Dec 2025 10:00:00 +0800\r\n"
           "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" +
           subject +
           "\"\r\n\r\n"
           "--" +
           subject + "\r\nContent-Type: text/plain\r\n\r\nbody of " + subject +
           "\r\n"
           "--" +
           subject + "\r\n" + inner + "--" + subject + "--\r\n";
  };
  const std::string note =
      "Content-Type: text/plain\r\nContent-Disposition: attachment; filename=\"note.txt\"\r\n\r\n"
      "deepest note\r\n";
  auto as_part = [](const std::string& mail) {
    return "Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n" + mail;
  };
  const std::string level2 = wrap("level2", note);
  const std::string level1 = wrap("level1", as_part(level2));
  const std::string top = wrap("top", as_part(level1));

  const auto docs = docs_of("fwd.eml", top);
  REQUIRE(docs.size() == 3);  // top, level1, level2; level2's note.txt is past the limit
  CHECK(docs[0].title == "top");
  CHECK(docs[0].attachments == std::vector<std::string>{"level1.eml"});
  CHECK(docs[1].title == "level1");
  CHECK(docs[1].format == "mail");
  CHECK(docs[1].parent == 0);
  CHECK(docs[2].title == "level2");
  CHECK(docs[2].parent == 1);  // an attached mail's attachment points at that mail
  CHECK(docs[2].attachments == std::vector<std::string>{"note.txt"});
  CHECK_THAT(all_text(docs[2]), Catch::Contains("body of level2"));

  // One level less, and the note is read.
  const auto shallow = docs_of("fwd.eml", level1);
  REQUIRE(shallow.size() == 3);
  CHECK(shallow[2].title == "note.txt");
  CHECK(shallow[2].parent == 1);
}

TEST_CASE("Mail: replies share their root's thread", "[mail]") {
  auto mail = [](const std::string& id, const std::string& refs) {
    return "From: a@ruifeng-trade.com\r\nSubject: s\r\nMessage-ID: <" + id + ">\r\n" + refs + "\r\nbody\r\n";
  };
  const auto root = docs_of("1.eml", mail("root@x", ""));
  const auto reply = docs_of("2.eml", mail("r1@x", "In-Reply-To: <root@x>\r\n"));
  const auto reply2 = docs_of("3.eml", mail("r2@x", "In-Reply-To: <r1@x>\r\nReferences: <root@x>\r\n\t<r1@x>\r\n"));
  CHECK(root[0].thread == "root@x");
  CHECK(reply[0].thread == "root@x");
  CHECK(reply2[0].thread == "root@x");
  CHECK(reply2[0].message_id == "r2@x");
}

TEST_CASE("Mail: 8-bit GBK headers and split encoded words decode", "[mail]") {
  // Raw GBK in Subject and From, as old Chinese mailers send them: "年终对账", "陈经理".
  const std::string gbk =
      "From: \xb3\xc2\xbe\xad\xc0\xed <chen@ruifeng-trade.com>\r\n"
      "Subject: \xc4\xea\xd6\xd5\xb6\xd4\xd5\xcb\r\n"
      "Content-Type: text/plain; charset=gbk\r\n\r\n" +
      test::gbk_sentence + "\r\n";
  const auto docs = docs_of("gbk.eml", gbk);
  CHECK(docs[0].title == "年终对账");
  CHECK(docs[0].author == "陈经理 <chen@ruifeng-trade.com>");
  CHECK_THAT(all_text(docs[0]), Catch::Contains("客户资料和退款流程"));

  // A padded B-word followed by another (GMime 3.2.13 drops the second): "Re: 交接" + "清单"; "M 林" + "晓雯".
  const std::string split =
      "From: =?UTF-8?B?TSDmnpc=?=\r\n =?UTF-8?B?5pmT6Zuv?= <lin@qinghe-ec.com>\r\n"
      "Subject: =?UTF-8?B?UmU6IOS6pOaOpQ==?=\r\n =?UTF-8?B?5riF5Y2V?=\r\n\r\nbody\r\n";
  const auto fixed = docs_of("split.eml", split);
  CHECK(fixed[0].title == "Re: 交接清单");
  CHECK(fixed[0].author == "M 林晓雯 <lin@qinghe-ec.com>");

  // Enron's "j..kean@enron.com" is no valid address, but it is the person.
  const std::string dotted =
      "From: pr <.palmer@enron.com>\r\nTo: j..kean@enron.com, mark@enron.com\r\nSubject: s\r\n\r\nb\r\n";
  const auto enron = docs_of("dotted.eml", dotted);
  CHECK(enron[0].author == "pr <.palmer@enron.com>");
  CHECK(enron[0].participants.size() == 3);
  CHECK(enron[0].organisations == std::vector<std::string>{"enron.com"});
}

TEST_CASE("Mail: body from text/plain, else HTML, a lying charset does not garble it", "[mail]") {
  // multipart/alternative with an empty plain part: the HTML is the body.
  const std::string alt =
      "From: a@b.cn\r\nSubject: alt\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"B\"\r\n\r\n"
      "--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n \r\n"
      "--B\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>退款<b>流程</b></p>\r\n--B--\r\n";
  CHECK_THAT(all_text(docs_of("alt.eml", alt)[0]), Catch::Contains("退款流程"));
  // Plain and HTML both present: plain wins, the HTML copy is not indexed twice.
  const std::string both =
      "From: a@b.cn\r\nSubject: both\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; "
      "boundary=\"B\"\r\n\r\n"
      "--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n纯文本正文\r\n"
      "--B\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>网页正文</p>\r\n--B--\r\n";
  const std::string text = all_text(docs_of("both.eml", both)[0]);
  CHECK_THAT(text, Catch::Contains("纯文本正文"));
  CHECK_THAT(text, !Catch::Contains("网页正文"));
  // UTF-8 bytes declared gb2312, base64: valid UTF-8 wins over the declaration.
  const std::string lying =
      "From: a@b.cn\r\nSubject: x\r\nContent-Type: text/plain; charset=gb2312\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n6K+35oql5Lu3IDUwMCDlpZfnpLznm5LjgII=\r\n";
  CHECK_THAT(all_text(docs_of("lying.eml", lying)[0]), Catch::Contains("请报价 500 套礼盒。"));
}

TEST_CASE("Mail: something that is not mail is an error", "[mail]") {
  auto r = extract("notes.eml", "hello world\nthis is not mail\n");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::StartsWith("not a mail message"));
  CHECK_FALSE(extract("empty.eml", "").ok());
  // A blank line above the headers (some exports) does not turn the headers into body.
  const auto docs = docs_of("blank.eml", "\nFrom: a@enron.com\nSubject: Hi\n\nbody\n");
  CHECK(docs[0].title == "Hi");
}

TEST_CASE("Mbox: one document per message, a damaged message skipped", "[mail]") {
  const std::string mbox =
      "From alice@qinghe-ec.com Mon Jan  1 10:00:00 2024\n"
      "From: Alice <alice@qinghe-ec.com>\nTo: bob@ruifeng-trade.com\nSubject: =?UTF-8?B?56ys5LiA5bCB?=\n"
      "Date: Mon, 1 Jan 2024 10:00:00 +0800\nMessage-ID: <m1@qinghe-ec.com>\n\nbody one\n>From the start\n\n"
      "From garbage Mon Jan  1 11:00:00 2024\n\x01\x02 garbage line with no colon\nmore junk\n\n"
      "From bob@ruifeng-trade.com Mon Jan  1 12:00:00 2024\n"
      "From: Bob <bob@ruifeng-trade.com>\nSubject: Re: third\nDate: Tue, 2 Jan 2024 12:00:00 +0800\n"
      "Message-ID: <m3@ruifeng-trade.com>\nIn-Reply-To: <m1@qinghe-ec.com>\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"Z\"\n\n--Z\nContent-Type: text/plain\n\nbody three\n"
      "--Z\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"list.txt\"\n\nattached list\n--Z--\n";
  const auto docs = docs_of("archive/2024.mbox", mbox);
  REQUIRE(docs.size() == 3);
  CHECK(docs[0].title == "第一封");
  CHECK_THAT(all_text(docs[0]), Catch::Contains("body one"));
  CHECK(docs[1].title == "Re: third");
  CHECK(docs[1].date == "2024-01-02");
  CHECK(docs[1].thread == "m1@qinghe-ec.com");
  CHECK(docs[2].title == "list.txt");
  CHECK(docs[2].parent == 1);  // the attachment's own mail, not the first of the mbox

  auto none = extract("x.mbox", "From nobody Mon Jan  1 10:00:00 2024\n\x01 junk without headers\n");
  REQUIRE_FALSE(none.ok());
  CHECK_THAT(none.error().message, Catch::Contains("none of its 1 messages"));
  CHECK_FALSE(extract("empty.mbox", "").ok());
}

TEST_CASE("Mbox: a large mbox streams through", "[mail]") {
  std::string mbox;
  const std::string body = std::string(2000, 'x') + "\n交接说明\n";
  for (int i = 0; i < 2000; ++i)
    mbox += "From a@b Mon Jan  1 10:00:00 2024\nFrom: a@qinghe-ec.com\nSubject: m" + std::to_string(i) +
            "\nMessage-ID: <" + std::to_string(i) + "@x>\n\n" + body + "\n";
  const auto docs = docs_of("big.mbox", mbox);
  REQUIRE(docs.size() == 2000);
  CHECK(docs[1999].title == "m1999");
  CHECK_THAT(all_text(docs[1999]), Catch::Contains("交接说明"));
}

TEST_CASE("Mail corpus: every Chinese list mail decodes its subject and body", "[mail]") {
  const auto dir = test::corpus() / "comms-zh" / "mail";
  std::istringstream index(test::read_file(dir / "INDEX.tsv"));
  std::string line;
  std::getline(index, line);  // header
  int rows = 0, exact = 0, truncated = 0, with_cjk = 0, damaged = 0, subject_only = 0;
  while (std::getline(index, line)) {
    std::vector<std::string> cols;
    std::istringstream fields(line);
    for (std::string f; std::getline(fields, f, '\t');) cols.push_back(f);
    REQUIRE(cols.size() == 6);
    const std::string bytes = test::read_file(dir / cols[0] / cols[1]);
    const auto docs = docs_of(cols[1], bytes);
    const Document& doc = docs[0];
    const std::string& subject = cols[5];
    INFO(cols[1] << ": " << doc.title);
    ++rows;
    // INDEX.tsv cuts subjects at 90 characters: a longer title must start with its cut.
    if (doc.title == subject) {
      ++exact;
    } else {
      CHECK(code_points(subject) == 90);
      CHECK_THAT(doc.title, Catch::StartsWith(subject));
      truncated += code_points(subject) == 90 && doc.title.rfind(subject, 0) == 0;
    }
    const std::string body = all_text(doc);
    // A few messages were damaged before they were archived (their Chinese already replaced by U+FFFD;
    // INDEX counts the GBK reading of those bytes, "锟斤拷"): they must still come out, just not as Chinese.
    if (body.find("\xef\xbf\xbd") != std::string::npos && cjk_count(body) == 0) {
      ++damaged;
      CHECK(body.size() > 200);
    } else if (cols[4] == "0") {
      ++subject_only;  // its Chinese is in the subject alone
    } else {
      CHECK(cjk_count(body) > 0);
      with_cjk += cjk_count(body) > 0;
    }
  }
  CHECK(rows == 88);
  CHECK(exact == 79);
  CHECK(truncated == 9);
  CHECK(with_cjk == 83);
  CHECK(damaged == 4);
  CHECK(subject_only == 1);
}

TEST_CASE("Mail corpus: Enron mail has sender, date, people and enron.com", "[mail]") {
  const auto root = test::corpus() / "mail";
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root / "enron-full-headers"))
    if (e.path().extension() == ".eml") files.push_back(e.path());
  for (const auto* user : {"lay-k", "allen-p", "kaminski-v"})
    for (int n : {1, 8, 50, 267, 398})
      if (auto p = root / "enron-inbox-subset" / user / "inbox" / (std::to_string(n) + ".eml");
          std::filesystem::exists(p))
        files.push_back(p);
  REQUIRE(files.size() > 50);
  int with_enron = 0;
  for (const auto& path : files) {
    INFO(path.string());
    const auto docs = docs_of(path.filename().string(), test::read_file(path));
    const Document& doc = docs[0];
    CHECK_FALSE(doc.author.empty());
    CHECK(doc.date.size() == 10);
    CHECK_FALSE(doc.participants.empty());
    const bool enron_person = std::any_of(doc.participants.begin(), doc.participants.end(), [](const std::string& p) {
      return p.find("@enron.com") != std::string::npos;
    });
    if (enron_person) {
      CHECK(has(doc.organisations, "enron.com"));
      ++with_enron;
    }
  }
  CHECK(with_enron > 40);

  const auto lay = docs_of("267.eml", test::read_file(root / "enron-inbox-subset/lay-k/inbox/267.eml"));
  CHECK(lay[0].title == "Draft Press Release");
  CHECK(lay[0].author == "karen.denne@enron.com");
  CHECK(lay[0].date == "2001-10-24");
  CHECK(lay[0].participants.size() == 7);
  CHECK(lay[0].organisations == std::vector<std::string>{"enron.com"});
}
