// The checklist the gap view judges a handover by (data/checklist.json, or a team's own file).
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "baton/gaps.h"

namespace baton {

namespace {

using nlohmann::json;

// Reads a required string field; the error names where it was expected.
std::string need_string(const json& j, const char* key, const std::string& where) {
  if (!j.contains(key) || !j[key].is_string()) throw std::runtime_error(where + ": \"" + key + "\" must be a string");
  return j[key].get<std::string>();
}

std::vector<std::string> strings(const json& j, const char* key, const std::string& where) {
  std::vector<std::string> out;
  if (!j.contains(key)) return out;
  if (!j[key].is_array()) throw std::runtime_error(where + ": \"" + key + "\" must be a list of strings");
  for (const auto& v : j[key]) {
    if (!v.is_string()) throw std::runtime_error(where + ": \"" + key + "\" must be a list of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

ChecklistField read_field(const json& j, const std::string& where) {
  const std::string id = need_string(j, "id", where);
  const std::string at = where + " field " + id;
  return {id, need_string(j, "zh", at), need_string(j, "en", at), strings(j, "cues", at)};
}

}  // namespace

std::string_view coverage_name(Coverage c) {
  switch (c) {
    case Coverage::covered: return "covered";
    case Coverage::partial: return "partial";
    case Coverage::missing: return "missing";
  }
  return "missing";
}

Result<Checklist> Checklist::parse(std::string_view text, std::string source) {
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return make_error("checklist " + source + " is not a JSON object");
  Checklist c;
  c.source = std::move(source);
  try {
    c.name = need_string(j, "name", "checklist");
    if (j.contains("version") && j["version"].is_number_integer()) c.version = j["version"].get<int>();
    if (j.contains("min_chars")) {
      if (!j["min_chars"].is_number_unsigned()) throw std::runtime_error("checklist: \"min_chars\" must be a number");
      c.min_chars = j["min_chars"].get<std::size_t>();
    }
    if (!j.contains("entities") || !j["entities"].is_object())
      throw std::runtime_error("checklist: \"entities\" must be an object (client, project, partner, system)");
    for (const auto& [id, e] : j["entities"].items()) {
      const std::string where = "checklist entity " + id;
      if (!e.is_object() || !e.contains("fields") || !e["fields"].is_array())
        throw std::runtime_error(where + ": \"fields\" must be a list");
      EntityKind kind{id, need_string(e, "zh", where), need_string(e, "en", where), strings(e, "folders", where), {}};
      for (const auto& f : e["fields"]) kind.fields.push_back(read_field(f, where));
      c.entity_kinds.push_back(std::move(kind));
    }
    if (!j.contains("areas") || !j["areas"].is_array() || j["areas"].empty())
      throw std::runtime_error("checklist: \"areas\" must be a non-empty list");
    for (const auto& a : j["areas"]) {
      const std::string id = need_string(a, "id", "checklist area");
      const std::string where = "checklist area " + id;
      ChecklistArea area{id, need_string(a, "zh", where), need_string(a, "en", where), need_string(a, "what", where),
                         strings(a, "cues", where), strings(a, "kinds", where), {}, 0, false, {}, {}, 0, false, {}};
      area.not_in_kinds = strings(a, "not_in_kinds", where);
      if (a.contains("parts")) {
        if (!a["parts"].is_array()) throw std::runtime_error(where + ": \"parts\" must be a list");
        for (const auto& part : a["parts"]) {
          ChecklistArea::Part p{need_string(part, "zh", where + " part"), need_string(part, "en", where + " part"), strings(part, "cues", where + " part")};
          if (p.cues.empty()) throw std::runtime_error(where + " part " + p.en + ": needs \"cues\"");
          area.parts.push_back(std::move(p));
        }
      }
      if (a.contains("min_chars")) {
        if (!a["min_chars"].is_number_unsigned()) throw std::runtime_error(where + ": \"min_chars\" must be a number");
        area.min_chars = a["min_chars"].get<std::size_t>();
      }
      if (a.contains("not_in_write_ups")) {
        if (!a["not_in_write_ups"].is_boolean()) throw std::runtime_error(where + ": \"not_in_write_ups\" must be true or false");
        area.not_in_write_ups = a["not_in_write_ups"].get<bool>();
      }
      if (a.contains("each_up_to_date")) {
        if (!a["each_up_to_date"].is_boolean()) throw std::runtime_error(where + ": \"each_up_to_date\" must be true or false");
        area.each_up_to_date = a["each_up_to_date"].get<bool>();
      }
      if (a.contains("unlisted_in_conversation")) {
        const json& u = a["unlisted_in_conversation"];
        const std::string at = where + " unlisted_in_conversation";
        if (!u.is_object() || !u.contains("at_least") || !u["at_least"].is_number_unsigned() || u["at_least"].get<std::size_t>() == 0)
          throw std::runtime_error(at + ": must be an object with \"words\" and \"at_least\" (a whole number, 1 or more)");
        area.unlisted_words = strings(u, "words", at);
        if (area.unlisted_words.empty()) throw std::runtime_error(at + ": \"words\" must list at least one word");
        area.unlisted_at_least = u["at_least"].get<std::size_t>();
      }
      if (a.contains("entity")) {
        area.entity = need_string(a, "entity", where);
        if (!c.entity_kind(area.entity))
          throw std::runtime_error(where + ": entity kind \"" + area.entity + "\" is not under \"entities\"");
      } else if (area.cues.empty() && area.kinds.empty()) {
        throw std::runtime_error(where + ": needs \"cues\", \"kinds\" or \"entity\"");
      }
      c.areas.push_back(std::move(area));
    }
  } catch (const std::exception& e) {
    return make_error(e.what());
  }
  return c;
}

Result<Checklist> Checklist::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return make_error("cannot read checklist " + file.string(), ErrorKind::not_found);
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), file.string());
}

const Checklist& Checklist::builtin() {
  static const Checklist checklist = [] {
    auto c = parse(
#include "default_checklist.inc"
        , "built-in (data/checklist.json)");
    if (!c) throw std::logic_error("the built-in checklist does not parse: " + c.error().message);
    return std::move(*c);
  }();
  return checklist;
}

const EntityKind* Checklist::entity_kind(std::string_view id) const {
  for (const auto& k : entity_kinds)
    if (k.id == id) return &k;
  return nullptr;
}

}  // namespace baton
