#include "baton/document.h"

#include <array>
#include <utility>

namespace baton {

namespace {
constexpr std::array<std::pair<Kind, std::string_view>, 5> kind_names{{
    {Kind::handover, "handover"},
    {Kind::manual, "manual"},
    {Kind::communication, "communication"},
    {Kind::record, "record"},
    {Kind::answer, "answer"},
}};

// Where to cut `text` so the first part is at most `max` bytes: the last paragraph break, else the
// last line break, else the last UTF-8 character boundary before `max`.
std::size_t cut_point(std::string_view text, std::size_t max) {
  const std::string_view head = text.substr(0, max);
  for (std::string_view sep : {"\n\n", "\n", "。", ". "}) {
    const std::size_t at = head.rfind(sep);
    if (at != std::string_view::npos && at > max / 3) return at + sep.size();
  }
  std::size_t at = max;
  while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
  return at == 0 ? max : at;
}
}  // namespace

std::string_view kind_name(Kind kind) {
  for (const auto& [k, name] : kind_names)
    if (k == kind) return name;
  return "record";
}

std::optional<Kind> parse_kind(std::string_view name) {
  for (const auto& [k, n] : kind_names)
    if (n == name) return k;
  return std::nullopt;
}

std::string heading_label(const Section& section) {
  std::string label;
  for (const auto& h : section.heading_path) {
    if (!label.empty()) label += " › ";
    label += h;
  }
  return label;
}

void split_long_sections(Document& doc, std::size_t max_bytes) {
  std::vector<Section> out;
  out.reserve(doc.sections.size());
  for (auto& section : doc.sections) {
    std::string_view rest = section.text;
    while (rest.size() > max_bytes) {
      const std::size_t cut = cut_point(rest, max_bytes);
      out.push_back({section.heading_path, section.level, std::string(rest.substr(0, cut))});
      rest.remove_prefix(cut);
    }
    if (!rest.empty() || out.empty() || out.back().heading_path != section.heading_path)
      out.push_back({std::move(section.heading_path), section.level, std::string(rest)});
  }
  doc.sections = std::move(out);
}

}  // namespace baton
