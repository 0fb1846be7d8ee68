// Classification: what kind of document this is, from where it lives and what it says.
#pragma once

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

}  // namespace baton
