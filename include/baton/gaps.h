// The gap view: what a handover still lacks. Reads the catalog and the index; writes nothing but
// people's decisions about entities.
//
// - Checklist areas (data/checklist.json): covered, partial or missing, with the sections that cover them.
// - Entities (clients, partners, projects, systems) found in the material itself, aliases merged, each
//   with its write-up's fields covered or missing, and how often and how recently the conversations
//   name it. Those with no write-up come first: the successor meets them first.
// - Facts only in conversation, demand (searches that found nothing), markers, stale documents,
//   references to documents that do not exist, and secrets to move to a vault.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "baton/result.h"

namespace baton {

/// One field of a complete write-up ("联系人", "偏好") and the words that show it is there.
struct ChecklistField {
  std::string id, zh, en;
  std::vector<std::string> cues;
};

/// A kind of entity (client, project, partner, system): the folders its write-ups live in and the
/// fields a complete write-up has.
struct EntityKind {
  std::string id, zh, en;
  std::vector<std::string> folders;
  std::vector<ChecklistField> fields;
};

/// An area of a complete handover. An entity area (clients, ...) is judged per entity instead of by cues.
struct ChecklistArea {
  std::string id, zh, en, what;
  std::vector<std::string> cues;   ///< headings, labelled lines or titles that show the area is covered
  std::vector<std::string> kinds;  ///< document kinds that count as covering it on their own ("manual" for sops)
  std::string entity;              ///< the entity kind this area is about, or ""
  std::size_t min_chars = 0;       ///< less text than this is thin (0: the checklist's)
  /// True if an entity's write-up says nothing about the area by a heading (a project's 团队 section is
  /// the project's team, not the leaver's team): only by its title.
  bool not_in_write_ups = false;
  /// Document kinds whose headings and labelled lines say nothing about the area, only their titles
  /// ("manual" for training: an SOP's 复盘 step or 培训要求 is that procedure's).
  std::vector<std::string> not_in_kinds;
  /// Words of a fact the area's documents should hold (涨价, 欠款, 截止 for risks): when `unlisted_at_least`
  /// or more facts only in conversation have one and are about entities the area's documents never name,
  /// the area is partial ("风险清单有6条，但漏了只在邮件/聊天里的风险"). 0: not checked.
  std::vector<std::string> unlisted_words;
  std::size_t unlisted_at_least = 0;
  /// True if each document of the area's `kinds` must be current: one out of date makes the area partial
  /// (an SOP is followed step by step; an old one leads the successor astray). Otherwise two or more,
  /// and a third of them or more, must be.
  bool each_up_to_date = false;
  /// What the area is made of, when it is several things (training: sessions held or planned, and
  /// lessons learned): covered only when every part has a title, heading or labelled line of its own.
  struct Part {
    std::string zh, en;
    std::vector<std::string> cues;
  };
  std::vector<Part> parts;
};

struct Checklist {
  std::string name;
  std::string source;  ///< the file it was read from, or "built-in (data/checklist.json)"
  int version = 1;
  std::size_t min_chars = 200;  ///< less text than this under an area's headings: partial
  std::vector<ChecklistArea> areas;
  std::vector<EntityKind> entity_kinds;

  /// Errors: not JSON, or a field missing or of the wrong type (the message names it).
  static Result<Checklist> parse(std::string_view json, std::string source);
  static Result<Checklist> load(const std::filesystem::path& file);
  /// data/checklist.json as built into the binary.
  static const Checklist& builtin();
  const EntityKind* entity_kind(std::string_view id) const;
};

enum class Coverage { covered, partial, missing };
std::string_view coverage_name(Coverage c);

/// Where something was seen: a section (unit) of a document.
struct Evidence {
  std::string unit;     ///< unit id ("" when the whole document is meant)
  std::string doc;
  std::string path;     ///< relative to its root
  std::string title;
  std::string section;  ///< heading path
  std::string date;
};

struct FieldCoverage {
  std::string id, zh, en;
  Coverage state = Coverage::missing;
  std::vector<Evidence> evidence;
};

struct Entity {
  std::string key;   ///< stable: its normalised name (decisions refer to it)
  std::string name;  ///< as shown
  std::string kind;  ///< client, project, partner, system
  std::vector<std::string> aliases;  ///< other names it goes by (short name, English name, mail domain)
  std::string decision;              ///< "confirmed", "ignored", "added" (a person added it), or "" when nobody decided
  Coverage write_up = Coverage::missing;  ///< covered: every field; partial: some; missing: none
  std::vector<Evidence> write_ups;
  std::vector<FieldCoverage> fields;
  std::size_t conversations = 0;  ///< mail and chat documents that name it, and contact lists (a record of whom the team talks to)
  std::size_t mentions = 0;       ///< other documents that name it
  std::string last_seen;          ///< the latest date of those mails and chats
  std::vector<Evidence> seen_in;  ///< the most recent conversations naming it
  std::string summary;            ///< in words: "瑞丰贸易：缺 未解决问题、偏好"
};

struct AreaReport {
  std::string id, zh, en, what;
  Coverage state = Coverage::missing;
  double score = 0;                ///< 0..1: covered 1, partial 0.5; an entity area the mean of its entities' fields
  std::vector<Evidence> evidence;
  std::string missing;             ///< what is missing, in words
  std::vector<std::string> entities;  ///< keys of the entities of an entity area
};

/// A fact (a date, a price, an amount) about an entity that only a mail or chat holds.
struct ConversationFact {
  std::string entity;  ///< key
  std::string fact;    ///< the sentence
  Evidence source;
};

struct DemandItem {
  std::string query, example, last;
  std::int64_t searches = 0, zero_hits = 0, opened = 0;
};

/// A question nobody has answered yet (the feedback channel's).
struct OpenQuestion {
  std::int64_t id = 0;
  std::string question, asker, channel, asked, last_asked;
  std::int64_t count = 1;  ///< how many times it was asked
};

struct LineFinding {
  Evidence doc;
  int line = 0;
  std::string label;    ///< marker word, secret type
  std::string excerpt;  ///< secrets masked
  std::string value;    ///< masked secret, referenced target
};

struct StaleDocument {
  Evidence doc;
  std::string updated;  ///< the date it says it was last updated (or its file date)
  int days = 0;         ///< before the report's date
};

struct GapOptions {
  std::string as_of;                  ///< YYYY-MM-DD, default today (UTC)
  int stale_days = 180;               ///< older than this is stale
  std::filesystem::path checklist;    ///< default: DATA_DIR/checklist.json, else the built-in one
};

struct GapReport {
  std::string checklist_name, checklist_source;
  std::string as_of;
  int stale_days = 0;
  double score = 0;  ///< 0..100
  std::string formula;
  std::vector<AreaReport> areas;
  std::vector<Entity> entities;             ///< every entity, write-up missing first, then by conversations
  std::vector<std::string> own_organisation;  ///< names and domains taken to be the team's own company
  std::vector<std::pair<std::string, std::string>> ignored;  ///< key and name of the entities people ignored
  std::vector<ConversationFact> conversation_only;
  std::vector<DemandItem> not_found;        ///< searches that found nothing (grouped)
  std::vector<DemandItem> not_opened;       ///< searches repeated without any result opened
  std::vector<OpenQuestion> open_questions; ///< unanswered questions, most asked first
  std::vector<LineFinding> markers, secrets, broken_references;
  std::vector<StaleDocument> stale;
  std::uint64_t documents = 0;              ///< documents the report read
};

/// The report for the index and catalog in `data_dir`. Errors: no index, a bad checklist or date.
Result<GapReport> analyse_gaps(const std::filesystem::path& data_dir, const GapOptions& options = {});

/// Records a person's decision about an entity: "confirm" (kind optional in `value`), "ignore",
/// "rename" (value = new name), "merge" (value = the key of the entity it is the same as), "kind",
/// "add" (key = the name of one the report missed, value = its kind; the report then finds it by that
/// name), or "undo". Errors: unknown action or kind, missing value, a name to add out of 2..60
/// characters, merging an added one.
Status decide_entity(const std::filesystem::path& data_dir, const std::string& key, const std::string& action,
                     const std::string& value);

/// The report as JSON (GET /api/gaps, `baton gaps --format json`), as Markdown for sign-off, and as
/// plain text for the terminal.
std::string gaps_json(const GapReport& report, int indent = -1);
std::string gaps_markdown(const GapReport& report);
std::string gaps_text(const GapReport& report);

}  // namespace baton
