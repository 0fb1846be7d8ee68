#include "baton/text.h"

#include <catch2/catch.hpp>

#include "test_util.h"

using namespace baton;

TEST_CASE("is_utf8 accepts well-formed UTF-8 and rejects the rest", "[text]") {
  CHECK(is_utf8("plain ascii"));
  CHECK(is_utf8("交接文档 ✓ 😀"));
  CHECK_FALSE(is_utf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(is_utf8("\xED\xA0\x80"));      // UTF-16 surrogate
  CHECK_FALSE(is_utf8("\xE4\xBA"));          // truncated 3-byte sequence
  CHECK_FALSE(is_utf8(test::gbk_sentence));  // GBK is not UTF-8
}

TEST_CASE("sanitize_utf8 replaces each broken sequence with U+FFFD and keeps the rest", "[text]") {
  CHECK(sanitize_utf8("ok") == "ok");
  CHECK(sanitize_utf8("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
  CHECK(sanitize_utf8("交\xE4\xBA") == "交\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(is_utf8(sanitize_utf8(test::gbk_sentence)));
}

TEST_CASE("to_utf8 detects and converts the charsets Chinese offices use", "[text]") {
  SECTION("UTF-8 stays as it is, a BOM is dropped") {
    auto d = to_utf8("\xEF\xBB\xBF交接");
    REQUIRE(d.ok());
    CHECK(d->text == "交接");
    CHECK(d->charset == "UTF-8");
  }
  SECTION("undeclared GBK is detected") {
    auto d = to_utf8(test::gbk_sentence);
    REQUIRE(d.ok());
    CHECK(d->text == "交接文档：客户资料和退款流程都在共享盘，值班安排见附件。");
  }
  SECTION("a declared charset is honoured") {
    auto d = to_utf8(test::big5_phrase, "big5");
    REQUIRE(d.ok());
    CHECK(d->text == "網路設定與資料備份");
  }
  SECTION("a declaration that lies about UTF-8 text loses to the bytes") {
    auto d = to_utf8("退款流程", "gb2312");
    REQUIRE(d.ok());
    CHECK(d->text == "退款流程");
  }
  SECTION("UTF-16 with a byte-order mark") {
    const std::string le("\xFF\xFE\xA4\x4E\xA5\x63", 6);  // 交接
    auto d = to_utf8(le);
    REQUIRE(d.ok());
    CHECK(d->text == "交接");
    CHECK(d->charset == "UTF-16LE");
  }
  SECTION("binary data is refused") {
    auto d = to_utf8(std::string("PK\x03\x04\0\0\x14\0", 8));
    REQUIRE_FALSE(d.ok());
    CHECK_THAT(d.error().message, Catch::Contains("binary"));
  }
}

TEST_CASE("convert_to_utf8 names an unknown charset", "[text]") {
  auto r = convert_to_utf8("abc", "no-such-charset");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("no-such-charset"));
}

TEST_CASE("normalize_for_index folds width and case", "[text]") {
  CHECK(normalize_for_index("ＡＢＣ１２３") == "abc123");
  CHECK(normalize_for_index("Invoice") == "invoice");
  CHECK(normalize_for_index("ASCII Only: A-Z 0-9 ~") == "ascii only: a-z 0-9 ~");
  CHECK(normalize_for_index("Straße ＡＢ") == "strasse ab");
  CHECK(normalize_for_index("ｶﾀｶﾅ") == "カタカナ");
  CHECK(normalize_for_index("客户资料") == "客户资料");
}

TEST_CASE("mainland_wording puts a Traditional text's Taiwan terms in the mainland's words", "[text]") {
  CHECK(mainland_wording("硬碟的檔案") == "硬盘的文件");
  CHECK(mainland_wording("記憶體不夠") == "内存不够");
  // Simplified and Latin text is left as it is (档案 is a mainland word: a dossier).
  CHECK(mainland_wording("档案室的硬盘") == "档案室的硬盘");
  CHECK(mainland_wording("memory") == "memory");
  CHECK(mainland_wording("") == "");
}

TEST_CASE("html_escape escapes every character that matters in HTML", "[text]") {
  CHECK(html_escape("<img src=x onerror=\"a('b')\">&") ==
        "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;");
  CHECK(html_escape("退款") == "退款");
}

TEST_CASE("merge_adjacent_marks joins per-character CJK highlights", "[text]") {
  CHECK(merge_adjacent_marks("申请<mark>退</mark><mark>款</mark>流程") == "申请<mark>退款</mark>流程");
  CHECK(merge_adjacent_marks("<mark>a</mark> <mark>b</mark>") == "<mark>a</mark> <mark>b</mark>");
  CHECK(merge_adjacent_marks("none") == "none");
}

TEST_CASE("tidy_whitespace collapses spaces and keeps paragraphs", "[text]") {
  CHECK(tidy_whitespace("  a   b \n\n\n\n c\t\td  \n e ") == "a b\n\nc d\ne");
  CHECK(tidy_whitespace("\n\n") == "");
}

TEST_CASE("hash_hex is stable and distinguishes content", "[text]") {
  CHECK(hash_hex("abc") == hash_hex("abc"));
  CHECK(hash_hex("abc") != hash_hex("abd"));
  CHECK(hash_hex("").size() == 16);
}

TEST_CASE("ascii_lower lowers A-Z only", "[text]") {
  CHECK(ascii_lower("MAIL/Chat 客户 ÄB") == "mail/chat 客户 Äb");
}
