// The gap report as JSON (API, `baton gaps --format json`), Markdown (for sign-off) and terminal text.
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "baton/gaps.h"

namespace baton {

namespace {

using nlohmann::json;

json to_json(const Evidence& e) {
  return {{"unit", e.unit}, {"doc", e.doc}, {"path", e.path}, {"title", e.title}, {"section", e.section}, {"date", e.date}};
}

json to_json(const std::vector<Evidence>& list) {
  json out = json::array();
  for (const auto& e : list) out.push_back(to_json(e));
  return out;
}

json to_json(const LineFinding& f) {
  return {{"doc", to_json(f.doc)}, {"path", f.doc.path}, {"line", f.line}, {"label", f.label}, {"excerpt", f.excerpt}, {"value", f.value}};
}

json to_json(const std::vector<LineFinding>& list) {
  json out = json::array();
  for (const auto& f : list) out.push_back(to_json(f));
  return out;
}

json to_json(const Entity& e) {
  json fields = json::array();
  for (const auto& f : e.fields)
    fields.push_back({{"id", f.id}, {"zh", f.zh}, {"en", f.en}, {"state", coverage_name(f.state)}, {"evidence", to_json(f.evidence)}});
  return {{"key", e.key},
          {"name", e.name},
          {"kind", e.kind},
          {"aliases", e.aliases},
          {"decision", e.decision.empty() ? json(nullptr) : json(e.decision)},
          {"write_up", coverage_name(e.write_up)},
          {"write_ups", to_json(e.write_ups)},
          {"fields", fields},
          {"conversations", e.conversations},
          {"mentions", e.mentions},
          {"last_seen", e.last_seen},
          {"seen_in", to_json(e.seen_in)},
          {"summary", e.summary}};
}

json to_json(const DemandItem& d) {
  return {{"query", d.query}, {"example", d.example}, {"searches", d.searches}, {"zero_hits", d.zero_hits}, {"opened", d.opened}, {"last", d.last}};
}

json report_json(const GapReport& r) {
  json areas = json::array();
  for (const auto& a : r.areas)
    areas.push_back({{"id", a.id}, {"zh", a.zh}, {"en", a.en}, {"what", a.what}, {"state", coverage_name(a.state)},
                     {"score", std::round(a.score * 100) / 100}, {"evidence", to_json(a.evidence)}, {"missing", a.missing},
                     {"entities", a.entities}});
  json entities = json::array(), undocumented = json::array();
  for (const auto& e : r.entities) {
    entities.push_back(to_json(e));
    if (e.write_up == Coverage::missing && e.conversations > 0) undocumented.push_back(e.key);
  }
  json ignored = json::array();
  for (const auto& [key, name] : r.ignored) ignored.push_back({{"key", key}, {"name", name}});
  json facts = json::array();
  for (const auto& f : r.conversation_only) facts.push_back({{"entity", f.entity}, {"fact", f.fact}, {"source", to_json(f.source)}});
  json questions = json::array();
  for (const auto& q : r.open_questions)
    questions.push_back({{"id", q.id}, {"question", q.question}, {"asker", q.asker}, {"channel", q.channel},
                         {"asked", q.asked}, {"last_asked", q.last_asked}, {"count", q.count}});
  json not_found = json::array(), not_opened = json::array();
  for (const auto& d : r.not_found) not_found.push_back(to_json(d));
  for (const auto& d : r.not_opened) not_opened.push_back(to_json(d));
  json stale = json::array();
  for (const auto& s : r.stale) stale.push_back({{"doc", to_json(s.doc)}, {"path", s.doc.path}, {"updated", s.updated}, {"days", s.days}});
  return {{"checklist", {{"name", r.checklist_name}, {"source", r.checklist_source}}},
          {"as_of", r.as_of},
          {"stale_days", r.stale_days},
          {"documents", r.documents},
          {"score", r.score},
          {"formula", r.formula},
          {"areas", areas},
          {"entities", entities},
          {"undocumented", undocumented},
          {"own_organisation", r.own_organisation},
          {"ignored", ignored},
          {"conversation_only", facts},
          {"demand", {{"not_found", not_found}, {"not_opened", not_opened}, {"questions", questions}}},
          {"hygiene", {{"markers", to_json(r.markers)}, {"stale", stale}, {"broken_references", to_json(r.broken_references)}}},
          {"secrets", to_json(r.secrets)}};
}

const char* mark(Coverage c) {
  switch (c) {
    case Coverage::covered: return "✅";
    case Coverage::partial: return "🟡";
    case Coverage::missing: return "❌";
  }
  return "";
}

// Markdown table cells: no line breaks, no pipes.
std::string cell(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else out += c;
  }
  return out;
}

std::string where(const LineFinding& f) {
  return f.doc.path + (f.line > 0 ? ":" + std::to_string(f.line) : "") + (f.doc.section.empty() ? "" : " (" + f.doc.section + ")");
}

}  // namespace

std::string gaps_json(const GapReport& report, int indent) {
  return report_json(report).dump(indent, ' ', false, json::error_handler_t::replace);
}

std::string gaps_markdown(const GapReport& r) {
  std::ostringstream md;
  md << "# 交接缺口报告 Handover gap report\n\n";
  md << "- 日期 As of: " << r.as_of << "\n- 清单 Checklist: " << r.checklist_name << " (" << r.checklist_source << ")\n";
  md << "- 文档 Documents read: " << r.documents << "\n- **完整度 Completeness: " << r.score << " / 100**\n\n";
  md << "> " << r.formula << "\n\n";
  md << "## 各领域 Areas\n\n| | 领域 Area | 状态 State | 得分 Score | 缺什么 What is missing | 依据 Evidence |\n|---|---|---|---|---|---|\n";
  for (const auto& a : r.areas) {
    std::string ev;
    for (const auto& e : a.evidence) ev += (ev.empty() ? "" : "<br>") + e.path + (e.section.empty() ? "" : " › " + e.section);
    md << "| " << mark(a.state) << " | " << cell(a.zh + " " + a.en) << " | " << coverage_name(a.state) << " | "
       << std::lround(a.score * 100) << "% | " << cell(a.missing) << " | " << cell(ev) << " |\n";
  }
  md << "\n## 没有资料的对象 Entities without a write-up\n\n";
  bool any = false;
  for (const auto& e : r.entities) {
    if (e.write_up != Coverage::missing) continue;
    any = true;
    md << "- **" << e.name << "** (" << e.kind << ")：" << e.conversations << " 次沟通 conversations, 最近 last " << (e.last_seen.empty() ? "-" : e.last_seen);
    if (!e.aliases.empty()) {
      md << "；别名 aliases: ";
      for (std::size_t i = 0; i < e.aliases.size(); ++i) md << (i ? ", " : "") << e.aliases[i];
    }
    md << "\n";
  }
  if (!any) md << "无 None.\n";
  md << "\n## 资料不全的对象 Partial write-ups\n\n";
  any = false;
  for (const auto& e : r.entities)
    if (e.write_up == Coverage::partial) {
      any = true;
      md << "- " << e.summary << "\n";
    }
  if (!any) md << "无 None.\n";
  md << "\n## 只在沟通记录里的事实 Only in conversation\n\n";
  if (r.conversation_only.empty()) md << "无 None.\n";
  for (const auto& f : r.conversation_only) md << "- " << f.entity << "：" << cell(f.fact) << "（" << f.source.path << "）\n";
  md << "\n## 搜不到的问题 Searches that found nothing\n\n";
  if (r.not_found.empty()) md << "无 None.\n";
  for (const auto& d : r.not_found) md << "- " << d.example << " — " << d.zero_hits << " 次 times, last " << d.last << "\n";
  md << "\n## 没人回答的问题 Unanswered questions\n\n";
  if (r.open_questions.empty()) md << "无 None.\n";
  for (const auto& q : r.open_questions)
    md << "- " << cell(q.question) << "（" << q.count << " 次 times, " << (q.asker.empty() ? q.channel : q.asker) << "）\n";
  md << "\n## 未完成标记 Markers\n\n";
  if (r.markers.empty()) md << "无 None.\n";
  for (const auto& m : r.markers) md << "- `" << where(m) << "` " << m.label << "：" << cell(m.excerpt) << "\n";
  md << "\n## 过期文档 Stale documents (older than " << r.stale_days << " days)\n\n";
  if (r.stale.empty()) md << "无 None.\n";
  for (const auto& s : r.stale) md << "- " << s.doc.path << " — " << s.updated << "（" << s.days << " 天 days）\n";
  md << "\n## 引用的文档不存在 References to missing documents\n\n";
  if (r.broken_references.empty()) md << "无 None.\n";
  for (const auto& b : r.broken_references) md << "- `" << where(b) << "` → " << b.value << "\n";
  md << "\n## 应移入密码库的密钥 Secrets to move to a vault\n\n";
  if (r.secrets.empty()) md << "无 None.\n";
  for (const auto& s : r.secrets) md << "- `" << where(s) << "` " << s.label << "：" << s.value << "\n";
  md << "\n## 确认 Sign-off\n\n| 角色 Role | 姓名 Name | 日期 Date | 签字 Signature |\n|---|---|---|---|\n"
        "| 交接人 Leaver | | | |\n| 接手人 Successor | | | |\n| 主管 Supervisor | | | |\n";
  return md.str();
}

std::string gaps_text(const GapReport& r) {
  std::ostringstream out;
  out << "Completeness " << r.score << "/100 as of " << r.as_of << " (checklist: " << r.checklist_name << ")\n\n";
  for (const auto& a : r.areas) {
    char line[64];
    std::snprintf(line, sizeof line, "  %-8s %3ld%%  ", std::string(coverage_name(a.state)).c_str(), std::lround(a.score * 100));
    out << line << a.zh << " " << a.en;
    if (!a.missing.empty() && a.state != Coverage::covered) out << " — " << a.missing;
    out << "\n";
  }
  out << "\nEntities without a write-up (most talked about first):\n";
  for (const auto& e : r.entities)
    if (e.write_up == Coverage::missing)
      out << "  " << e.name << " [" << e.kind << "] " << e.conversations << " conversations, last " << (e.last_seen.empty() ? "-" : e.last_seen) << "\n";
  out << "\nPartial write-ups:\n";
  for (const auto& e : r.entities)
    if (e.write_up == Coverage::partial) out << "  " << e.summary << "\n";
  if (!r.conversation_only.empty()) out << "\nOnly in conversation:\n";
  for (const auto& f : r.conversation_only) out << "  " << f.entity << ": " << f.fact << " (" << f.source.path << ")\n";
  if (!r.not_found.empty()) out << "\nSearches that found nothing:\n";
  for (const auto& d : r.not_found) out << "  " << d.example << " (" << d.zero_hits << "×, last " << d.last << ")\n";
  if (!r.open_questions.empty()) out << "\nUnanswered questions:\n";
  for (const auto& q : r.open_questions) out << "  " << q.question << " (" << q.count << "×)\n";
  if (!r.markers.empty()) out << "\nMarkers:\n";
  for (const auto& m : r.markers) out << "  " << where(m) << "  " << m.label << ": " << m.excerpt << "\n";
  if (!r.stale.empty()) out << "\nStale (older than " << r.stale_days << " days):\n";
  for (const auto& s : r.stale) out << "  " << s.doc.path << "  " << s.updated << " (" << s.days << " days)\n";
  if (!r.broken_references.empty()) out << "\nReferences to missing documents:\n";
  for (const auto& b : r.broken_references) out << "  " << where(b) << " → " << b.value << "\n";
  if (!r.secrets.empty()) out << "\nSecrets to move to a vault:\n";
  for (const auto& s : r.secrets) out << "  " << where(s) << "  " << s.label << ": " << s.value << "\n";
  out << "\n" << r.formula << "\n";
  return out.str();
}

}  // namespace baton
