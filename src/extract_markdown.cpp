// Markdown through md4c: headings become sections, everything else plain text.
#include <md4c.h>

#include "extract_internal.h"

namespace baton::detail {

namespace {

struct MarkdownState {
  SectionBuilder builder;
  int table_cell = 0;
};

int enter_block(MD_BLOCKTYPE type, void* detail, void* userdata) {
  auto& st = *static_cast<MarkdownState*>(userdata);
  switch (type) {
    case MD_BLOCK_H: st.builder.begin_heading(static_cast<int>(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level)); break;
    case MD_BLOCK_TR: st.table_cell = 0; break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      if (st.table_cell++ > 0) st.builder.text(" | ");
      break;
    default: break;
  }
  return 0;
}

int leave_block(MD_BLOCKTYPE type, void*, void* userdata) {
  auto& st = *static_cast<MarkdownState*>(userdata);
  switch (type) {
    case MD_BLOCK_H: st.builder.end_heading(); break;
    case MD_BLOCK_LI:
    case MD_BLOCK_TR: st.builder.line_break(); break;
    case MD_BLOCK_P:
    case MD_BLOCK_CODE:
    case MD_BLOCK_HTML:
    case MD_BLOCK_QUOTE:
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
    case MD_BLOCK_TABLE:
    case MD_BLOCK_HR: st.builder.paragraph_break(); break;
    default: break;
  }
  return 0;
}

int on_span(MD_SPANTYPE, void*, void*) { return 0; }

std::string_view decode_entity(std::string_view e) {
  if (e == "&amp;") return "&";
  if (e == "&lt;") return "<";
  if (e == "&gt;") return ">";
  if (e == "&quot;") return "\"";
  if (e == "&nbsp;") return " ";
  return e;
}

int on_text(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* userdata) {
  auto& st = *static_cast<MarkdownState*>(userdata);
  const std::string_view s(text, size);
  switch (type) {
    case MD_TEXT_BR:
    case MD_TEXT_SOFTBR: st.builder.text("\n"); break;
    case MD_TEXT_ENTITY: st.builder.text(decode_entity(s)); break;
    case MD_TEXT_NULLCHAR: break;
    case MD_TEXT_HTML: break;  // inline tags carry no text of their own
    default: st.builder.text(s);
  }
  return 0;
}

}  // namespace

Result<Document> extract_markdown(std::string_view utf8) {
  MarkdownState st;
  MD_PARSER parser{};
  parser.abi_version = 0;
  parser.flags = MD_DIALECT_GITHUB;
  parser.enter_block = enter_block;
  parser.leave_block = leave_block;
  parser.enter_span = on_span;
  parser.leave_span = on_span;
  parser.text = on_text;
  if (md_parse(utf8.data(), static_cast<MD_SIZE>(utf8.size()), &parser, &st) != 0)
    return make_error("markdown parser failed");
  Document doc;
  doc.sections = st.builder.finish();
  doc.title = st.builder.first_heading();
  return doc;
}

}  // namespace baton::detail
