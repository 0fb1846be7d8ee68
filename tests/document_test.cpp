#include "baton/document.h"

#include <catch2/catch.hpp>

using namespace baton;

TEST_CASE("kind names round-trip", "[document]") {
  for (Kind k : {Kind::handover, Kind::manual, Kind::communication, Kind::record, Kind::answer})
    CHECK(parse_kind(kind_name(k)) == k);
  CHECK_FALSE(parse_kind("memo").has_value());
}

TEST_CASE("heading_label joins the heading path", "[document]") {
  CHECK(heading_label(Section{{"交接总览", "日常工作"}, 2, ""}) == "交接总览 › 日常工作");
  CHECK(heading_label(Section{}) == "");
}

TEST_CASE("split_long_sections cuts long text at paragraph boundaries", "[document]") {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "第" + std::to_string(i) + "段：客户资料和退款流程都在共享盘。\n\n";
  Document doc;
  doc.sections.push_back({{"退款"}, 1, text});
  doc.sections.push_back({{"短"}, 1, "short"});
  split_long_sections(doc, 1000);

  REQUIRE(doc.sections.size() > 2);
  std::string joined;
  for (std::size_t i = 0; i + 1 < doc.sections.size(); ++i) {
    const auto& s = doc.sections[i];
    CHECK(s.text.size() <= 1000);
    CHECK(s.heading_path == std::vector<std::string>{"退款"});
    joined += s.text;
  }
  CHECK(joined == text);
  CHECK(doc.sections.back().text == "short");
}

TEST_CASE("split_long_sections never cuts inside a UTF-8 character", "[document]") {
  Document doc;
  doc.sections.push_back({{}, 0, std::string(3000, 'x') + std::string(600, '\0')});
  doc.sections[0].text.clear();
  for (int i = 0; i < 1000; ++i) doc.sections[0].text += "交";  // no break opportunities at all
  split_long_sections(doc, 100);
  for (const auto& s : doc.sections) CHECK(s.text.size() % 3 == 0);
}
