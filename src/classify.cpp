#include "baton/classify.h"

#include "baton/text.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <regex>
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
    {"加盟商", Kind::handover},      {"经销商", Kind::handover},      {"代理商", Kind::handover},
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

namespace {

// Folder names whose entries are each one client or project. Matched whole (lower case), so that
// 客户沟通 (client communication) is not a client folder.
// (The same as data/checklist.json's client folders: a franchise brand's franchisees, a maker's dealers
// and a platform's merchants are its clients.)
constexpr std::string_view client_folders[] = {"客户",   "客户资料", "客戶",    "客户档案", "租户",        "业主",
                                                "甲方",   "商户",     "商家",    "加盟商",  "经销商",   "代理商",      "渠道商",
                                                "clients", "client",  "customers", "customer", "franchisees", "dealers",
                                                "distributors"};
constexpr std::string_view project_folders[] = {"项目", "項目", "projects", "project", "项目资料"};

bool is_one_of(std::string_view name, const auto& names) {
  return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

std::string entity_name(std::string_view component, bool is_file) {
  std::string name(component);
  if (is_file) {
    if (const auto dot = name.rfind('.'); dot != std::string::npos && dot > 0) name.resize(dot);
  }
  std::replace(name.begin(), name.end(), '_', ' ');
  return std::string(trim(name));
}

void add_unique(std::vector<std::string>& v, std::string value) {
  if (!value.empty() && std::find(v.begin(), v.end(), value) == v.end()) v.push_back(std::move(value));
}

}  // namespace

void infer_entities(std::string_view rel_path, Document& doc) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0; start <= rel_path.size();) {
    const std::size_t slash = std::min(rel_path.find('/', start), rel_path.size());
    if (slash > start) parts.push_back(rel_path.substr(start, slash - start));
    start = slash + 1;
  }
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    const std::string folder = ascii_lower(without_sort_number(parts[i]));
    const bool last = i + 2 == parts.size();
    if (is_one_of(folder, client_folders)) add_unique(doc.clients, entity_name(parts[i + 1], last));
    if (is_one_of(folder, project_folders)) add_unique(doc.projects, entity_name(parts[i + 1], last));
  }
  // Companies named in mail; their domains only when no company is named (a name reads better).
  const auto is_domain = [](const std::string& o) { return o.find('.') != std::string::npos && o.find(' ') == std::string::npos; };
  const bool named = std::any_of(doc.organisations.begin(), doc.organisations.end(), [&](const auto& o) { return !is_domain(o); });
  for (const auto& o : doc.organisations)
    if (!named || !is_domain(o)) add_unique(doc.clients, o);
}

std::string declared_update(std::string_view text) {
  // Words that put a date on the text itself, not on what it describes.
  static const std::regex cue(R"((更新|修订|修改|编写|整理|撰写|记录人|作者|updated|revised|written|modified|author))",
                              std::regex::icase);
  static const std::regex date(R"((20\d\d|19\d\d)\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2}))");
  constexpr std::size_t header_lines = 8, max_line = 400;
  std::string best;
  std::size_t pos = 0;
  for (std::size_t n = 0; n < header_lines && pos < text.size(); ++n) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    const std::string line(text.substr(pos, std::min(end - pos, max_line)));
    pos = end + 1;
    if (!std::regex_search(line, cue)) continue;
    for (std::sregex_iterator it(line.begin(), line.end(), date), stop; it != stop; ++it) {
      const int y = std::stoi((*it)[1]), m = std::stoi((*it)[2]), d = std::stoi((*it)[3]);
      if (m < 1 || m > 12 || d < 1 || d > 31) continue;
      char iso[16];
      std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
      best = std::max(best, std::string(iso));
    }
  }
  return best;
}

}  // namespace baton
