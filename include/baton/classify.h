// Classification: what kind of document this is, from where it lives and what it says.
#pragma once

#include <string>
#include <string_view>

#include "baton/document.h"
#include "baton/extract.h"

namespace baton {

/// Infers the kind from folder names (Chinese and English: 交接/handover, 手册/SOP/manual,
/// 邮件/聊天/mail/chat, 记录/records ...), then the format (mail is communication), then the title.
Kind infer_kind(std::string_view rel_path, Format format, const Document& doc);

/// Fills doc.clients and doc.projects: a file or folder inside a folder named for clients
/// (客户, 客户资料, clients, customers) or projects (项目, projects) names one; so does a company a
/// mail is from or to (its organisations). Underscores in names read as spaces.
void infer_entities(std::string_view rel_path, Document& doc);

/// The date a document says it was last updated ("最后更新：2026-11-28", "编写：张三 2026年3月5日",
/// "Last updated: 2024-01-31"), as YYYY-MM-DD, from its first lines; "" when it says none.
/// The latest such date wins (a header may give both the first draft and the last revision).
std::string declared_update(std::string_view text);

}  // namespace baton
