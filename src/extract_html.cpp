// HTML through gumbo (an HTML5 parser): visible text, headings as sections, <title> as title.
#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>

#include "baton/text.h"
#include "extract_internal.h"

namespace baton::detail {

namespace {

// gumbo's tree costs about ten times the HTML it holds; pages beyond this are dumps, not pages people
// wrote (the longest page of the Debian manuals in the corpus is under 1 MB). A file this big is
// refused; a mail's HTML body is cut here (gumbo reads a cut page as it reads any broken one).
constexpr std::size_t max_html_bytes = 32u << 20;

using GumboPtr = std::unique_ptr<GumboOutput, void (*)(GumboOutput*)>;

GumboPtr parse(std::string_view utf8) {
  utf8 = utf8.substr(0, max_html_bytes);
  return GumboPtr(gumbo_parse_with_options(&kGumboDefaultOptions, utf8.data(), utf8.size()),
                  [](GumboOutput* out) { gumbo_destroy_output(&kGumboDefaultOptions, out); });
}

bool is_hidden(GumboTag tag) {
  return tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_NOSCRIPT ||
         tag == GUMBO_TAG_TEMPLATE || tag == GUMBO_TAG_HEAD;
}

int heading_level(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_H1: return 1;
    case GUMBO_TAG_H2: return 2;
    case GUMBO_TAG_H3: return 3;
    case GUMBO_TAG_H4: return 4;
    case GUMBO_TAG_H5: return 5;
    case GUMBO_TAG_H6: return 6;
    default: return 0;
  }
}

bool is_line_block(GumboTag tag) {
  return tag == GUMBO_TAG_BR || tag == GUMBO_TAG_LI || tag == GUMBO_TAG_TR || tag == GUMBO_TAG_DT ||
         tag == GUMBO_TAG_DD || tag == GUMBO_TAG_OPTION;
}

bool is_paragraph_block(GumboTag tag) {
  return tag == GUMBO_TAG_P || tag == GUMBO_TAG_DIV || tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_TABLE ||
         tag == GUMBO_TAG_UL || tag == GUMBO_TAG_OL || tag == GUMBO_TAG_BLOCKQUOTE ||
         tag == GUMBO_TAG_SECTION || tag == GUMBO_TAG_ARTICLE || tag == GUMBO_TAG_HR ||
         tag == GUMBO_TAG_DL || tag == GUMBO_TAG_FORM;
}

// Walks the tree iteratively: hostile documents nest deeper than the stack allows.
void walk(const GumboNode* root, SectionBuilder& out, bool with_headings) {
  struct Frame {
    const GumboNode* node;
    unsigned next_child;
  };
  std::vector<Frame> stack{{root, 0}};
  while (!stack.empty()) {
    Frame& f = stack.back();
    const GumboNode* node = f.node;
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE || node->type == GUMBO_NODE_CDATA) {
      out.text(node->v.text.text);
      stack.pop_back();
      continue;
    }
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_DOCUMENT && node->type != GUMBO_NODE_TEMPLATE) {
      stack.pop_back();
      continue;
    }
    const GumboVector& children =
        node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children : node->v.element.children;
    const GumboTag tag = node->type == GUMBO_NODE_DOCUMENT ? GUMBO_TAG_UNKNOWN : node->v.element.tag;
    if (f.next_child == 0) {  // entering
      if (is_hidden(tag)) {
        stack.pop_back();
        continue;
      }
      if (with_headings && heading_level(tag)) out.begin_heading(heading_level(tag));
      if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) out.text(" ");
    }
    if (f.next_child < children.length) {
      const auto* child = static_cast<const GumboNode*>(children.data[f.next_child++]);
      stack.push_back({child, 0});
      continue;
    }
    // leaving
    if (with_headings && heading_level(tag)) out.end_heading();
    else if (is_line_block(tag)) out.line_break();
    else if (is_paragraph_block(tag)) out.paragraph_break();
    stack.pop_back();
  }
}

const GumboNode* find_title(const GumboNode* node, int depth = 0) {
  if (node->type != GUMBO_NODE_ELEMENT || depth > 4) return nullptr;
  if (node->v.element.tag == GUMBO_TAG_TITLE) return node;
  const GumboVector& children = node->v.element.children;
  for (unsigned i = 0; i < children.length; ++i)
    if (const GumboNode* t = find_title(static_cast<const GumboNode*>(children.data[i]), depth + 1)) return t;
  return nullptr;
}

// The charset a page declares in <meta charset> or http-equiv, from its first bytes.
std::string declared_charset(std::string_view bytes) {
  const std::string head = ascii_lower(bytes.substr(0, 4096));
  const std::size_t at = head.find("charset=");
  if (at == std::string::npos) return {};
  std::size_t start = at + 8;
  while (start < head.size() && (head[start] == '"' || head[start] == '\'' || head[start] == ' ')) ++start;
  std::size_t end = start;
  while (end < head.size() && (std::isalnum(static_cast<unsigned char>(head[end])) || head[end] == '-' || head[end] == '_')) ++end;
  return head.substr(start, end - start);
}

}  // namespace

std::string html_to_text(std::string_view utf8) {
  auto out = parse(utf8);
  SectionBuilder builder;
  walk(out->document, builder, false);
  std::string text;
  for (const auto& s : builder.finish()) {
    if (!text.empty()) text += "\n\n";
    text += s.text;
  }
  return text;
}

Result<Document> extract_html(std::string_view bytes) {
  if (bytes.size() > max_html_bytes)
    return make_error("HTML page larger than " + std::to_string(max_html_bytes >> 20) + " MB: a dump, not a page: not read");
  auto decoded = to_utf8(bytes, declared_charset(bytes));
  if (!decoded) return decoded.error();
  auto out = parse(decoded->text);
  SectionBuilder builder;
  walk(out->document, builder, true);
  Document doc;
  doc.charset = decoded->charset;
  doc.sections = builder.finish();
  if (const GumboNode* title = find_title(out->root)) {
    SectionBuilder tb;
    walk(title, tb, false);
    auto parts = tb.finish();
    if (!parts.empty()) doc.title = parts.front().text;
  }
  if (doc.title.empty()) doc.title = builder.first_heading();
  std::replace(doc.title.begin(), doc.title.end(), '\n', ' ');
  return doc;
}

}  // namespace baton::detail
