#include "baton/classify.h"

#include "baton/text.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace baton {

namespace {

struct Cue {
  std::string_view word;  // matched case-insensitively (ASCII) against folder names
  Kind kind;
};

// Folder-name cues, most specific first. Chinese and English names teams give their folders.
constexpr Cue folder_cues[] = {
    {"交接", Kind::handover},        {"handover", Kind::handover},    {"hand-over", Kind::handover},
    {"项目", Kind::handover},        {"project", Kind::handover},     {"客户资料", Kind::handover},
    {"客户沟通", Kind::communication}, {"沟通", Kind::communication},  {"邮件", Kind::communication},
    {"郵件", Kind::communication},   {"聊天", Kind::communication},   {"对话", Kind::communication},
    {"mail", Kind::communication},   {"chat", Kind::communication},   {"conversation", Kind::communication},
    {"dialog", Kind::communication}, {"手册", Kind::manual},          {"手冊", Kind::manual},
    {"操作", Kind::manual},          {"流程", Kind::manual},          {"规范", Kind::manual},
    {"sop", Kind::manual},           {"manual", Kind::manual},        {"guide", Kind::manual},
    {"faq", Kind::manual},           {"记录", Kind::record},          {"記錄", Kind::record},
    {"报表", Kind::record},          {"record", Kind::record},        {"report", Kind::record},
    {"模板", Kind::record},          {"template", Kind::record},      {"客户", Kind::handover},
    {"client", Kind::handover},      {"customer", Kind::handover},    {"系统", Kind::manual},
    {"system", Kind::manual},
};

}  // namespace

Kind infer_kind(std::string_view rel_path, Format format, const Document& doc) {
  if (format == Format::mail || format == Format::mbox || doc.format == "chat") return Kind::communication;
  // Folders from the innermost out: the nearest folder says most about a file.
  std::string folders = ascii_lower(rel_path.substr(0, rel_path.rfind('/') == std::string_view::npos ? 0 : rel_path.rfind('/')));
  while (!folders.empty()) {
    const std::size_t slash = folders.rfind('/');
    const std::string_view name = std::string_view(folders).substr(slash == std::string::npos ? 0 : slash + 1);
    for (const Cue& cue : folder_cues)
      if (name.find(cue.word) != std::string_view::npos) return cue.kind;
    folders.resize(slash == std::string::npos ? 0 : slash);
  }
  if (format == Format::xlsx || format == Format::csv) return Kind::record;
  const std::string title = ascii_lower(doc.title);
  if (title.find("交接") != std::string::npos || title.find("handover") != std::string::npos) return Kind::handover;
  if (title.find("手册") != std::string::npos || title.find("流程") != std::string::npos ||
      title.find("sop") != std::string::npos || title.find("manual") != std::string::npos)
    return Kind::manual;
  return Kind::record;
}

}  // namespace baton
