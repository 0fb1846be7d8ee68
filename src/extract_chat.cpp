// Text chat exports: QQ's "消息记录" text export ("2024-01-02 10:00:00 Nick(12345)" blocks under
// "消息对象:" headings) and WeChat-style exports ("2024-01-02 10:00:00 name" or "name 2024-01-02 10:00:00"
// lines, then the message). One document per conversation and day: a day is what people remember
// ("the Tuesday we agreed the price") and small enough to land a hit on.
#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <optional>

#include "baton/text.h"
#include "extract_internal.h"

namespace baton::detail {

namespace {

struct Stamp {
  std::string day;   // "2024-01-02"
  std::string time;  // "09:48"
  bool seconds = false;
};

struct Header {
  Stamp stamp;
  std::string sender;
};

std::string two_digits(int n) {
  return std::string(1, static_cast<char>('0' + n / 10)) + static_cast<char>('0' + n % 10);
}

// Reads 1..max digits at `pos`; -1 if there are none.
int number(std::string_view s, std::size_t& pos, std::size_t max) {
  int n = 0;
  std::size_t digits = 0;
  while (pos < s.size() && digits < max && std::isdigit(static_cast<unsigned char>(s[pos]))) {
    n = n * 10 + (s[pos++] - '0');
    ++digits;
  }
  return digits ? n : -1;
}


// "2024-01-02 10:00:00", "2024/1/2 9:05", "2019-09-23 8:43:38 PM" at the start of `s`; sets `used` to
// the bytes it took.
std::optional<Stamp> parse_stamp(std::string_view s, std::size_t& used) {
  std::size_t p = 0;
  const std::size_t year_start = p;
  const int year = number(s, p, 4);
  if (p - year_start != 4 || year < 1990 || year > 2100 || p >= s.size()) return std::nullopt;
  const char sep = s[p];
  if (sep != '-' && sep != '/' && sep != '.') return std::nullopt;
  const int month = number(s, ++p, 2);
  if (month < 1 || month > 12 || p >= s.size() || s[p] != sep) return std::nullopt;
  const int day = number(s, ++p, 2);
  if (day < 1 || day > 31 || p >= s.size() || (s[p] != ' ' && s[p] != '\t')) return std::nullopt;
  while (p < s.size() && (s[p] == ' ' || s[p] == '\t')) ++p;
  int hour = number(s, p, 2);
  if (hour < 0 || hour > 23 || p >= s.size() || s[p] != ':') return std::nullopt;
  const std::size_t minute_start = ++p;
  const int minute = number(s, p, 2);
  if (p - minute_start != 2 || minute > 59) return std::nullopt;
  bool seconds = false;
  if (p < s.size() && s[p] == ':') {
    const std::size_t second_start = ++p;
    if (number(s, p, 2) > 59 || p - second_start != 2) return std::nullopt;
    seconds = true;
  }
  // QQ on an English Windows writes a 12-hour clock.
  std::size_t q = p;
  while (q < s.size() && s[q] == ' ') ++q;
  const std::string_view meridiem = s.substr(q, 2);
  const bool pm = meridiem == "PM" || meridiem == "pm", am = meridiem == "AM" || meridiem == "am";
  if ((pm || am) && hour >= 1 && hour <= 12 && (q + 2 == s.size() || s[q + 2] == ' ' || s[q + 2] == '\t')) {
    hour = (hour % 12) + (pm ? 12 : 0);
    p = q + 2;
  }
  used = p;
  return Stamp{std::to_string(year) + "-" + two_digits(month) + "-" + two_digits(day),
               two_digits(hour) + ":" + two_digits(minute), seconds};
}

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// "【管理员】小林(10001)" → "小林"; "Lin<lin@qq.com>" → "Lin". Empty when the text reads like a sentence
// or a log line rather than a name: that is what keeps a dated document from passing for a chat.
std::string sender_name(std::string_view s) {
  s = trim(s);
  if (s.starts_with("【")) {
    if (auto close = s.find("】"); close != std::string_view::npos) s = trim(s.substr(close + 3));
  }
  if (s.ends_with(")")) {
    if (auto open = s.rfind('('); open != std::string_view::npos && open > 0) s = trim(s.substr(0, open));
  } else if (s.ends_with(">")) {
    if (auto open = s.rfind('<'); open != std::string_view::npos && open > 0) s = trim(s.substr(0, open));
  }
  if (s.empty() || code_points(s) > 40 || std::count(s.begin(), s.end(), ' ') > 3) return {};
  for (std::string_view bad : {"，", "。", "！", "？", "；", "：", ": ", "=", "|"})
    if (s.find(bad) != std::string_view::npos) return {};
  static constexpr std::array<std::string_view, 9> log_levels = {"INFO",  "WARN",  "WARNING",  "ERROR", "DEBUG",
                                                                 "TRACE", "FATAL", "CRITICAL", "["};
  for (std::string_view level : log_levels)
    if (s.starts_with(level)) return {};
  return std::string(s);
}

// "2024-01-02 10:00:00 Nick(12345)" (QQ, WeChat-style) or "Nick(wxid) 2024-01-02 10:00:00" (chatlog).
std::optional<Header> parse_header(std::string_view line) {
  line = trim(line);
  std::size_t used = 0;
  if (auto stamp = parse_stamp(line, used)) {
    if (used < line.size() && (line[used] == ' ' || line[used] == '\t'))
      if (std::string sender = sender_name(line.substr(used)); !sender.empty()) return Header{*stamp, sender};
    return std::nullopt;
  }
  // Sender first (chatlog's "Nick(wxid) 2024-01-02 10:00:00"): the stamp is the last two or three words
  // of the line, with seconds, so "会议改到 2024-12-10 14:00" stays a sentence.
  std::size_t space = line.size();
  for (int words = 0; words < 3; ++words) {
    space = line.rfind(' ', space - 1);
    if (space == std::string_view::npos || space == 0) return std::nullopt;
    auto stamp = parse_stamp(line.substr(space + 1), used);
    if (stamp && stamp->seconds && space + 1 + used == line.size()) {
      if (std::string sender = sender_name(line.substr(0, space)); !sender.empty()) return Header{*stamp, sender};
      return std::nullopt;
    }
  }
  return std::nullopt;
}

// The conversation a QQ or WeChat export names in its preamble: "消息对象:青禾运营群", "群聊：青禾双十二作战群（9
// 人）", "聊天对象：陳怡君（宏昌包材 業務經理）".
std::optional<std::string> conversation_name(std::string_view line) {
  line = trim(line);
  static constexpr std::string_view labels[] = {"消息对象", "聊天对象", "群聊", "群名称"};
  for (std::string_view label : labels) {
    if (!line.starts_with(label)) continue;
    std::string_view rest = line.substr(label.size());
    if (rest.starts_with("："))
      rest.remove_prefix(3);
    else if (rest.starts_with(":"))
      rest.remove_prefix(1);
    else
      continue;
    rest = trim(rest);
    // A group's member count is not part of its name.
    for (std::string_view open : {"（", "("}) {
      const auto at = rest.rfind(open);
      if (at == std::string_view::npos || at == 0) continue;
      const std::string_view count = rest.substr(at + open.size());
      if ((count.ends_with("人）") || count.ends_with("人)")) &&
          std::all_of(count.begin(), count.begin() + static_cast<std::ptrdiff_t>(count.find("人")),
                      [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == ' '; }))
        rest = trim(rest.substr(0, at));
    }
    return std::string(rest);
  }
  return std::nullopt;
}

bool separator(std::string_view line) {
  line = trim(line);
  return line.size() >= 8 && std::all_of(line.begin(), line.end(), [](char c) { return c == '=' || c == '-'; });
}

// Calls `f(line)` for each line of `text`, without the line end.
template <typename F>
void for_each_line(std::string_view text, F f) {
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = end + 1;
    if (!f(line)) return;
  }
}

struct Day {
  std::string name;  // conversation name, may be empty
  std::string day;
  std::vector<std::string> senders;
  std::string text;
};

// QQ writes this sender for join, leave and recall notices; it is not a participant.
constexpr std::string_view system_sender = "系统消息";

Document day_document(Day& d) {
  Document doc;
  doc.format = "chat";
  doc.date = d.day;
  doc.title = (d.name.empty() ? std::string("聊天记录") : d.name) + " " + d.day;
  for (std::string& s : d.senders)
    if (s != system_sender) doc.participants.push_back(s);
  // Without a name, the people in it tell one conversation from another.
  std::string key = d.name;
  if (key.empty())
    for (const std::string& p : doc.participants) key += (key.empty() ? "" : "、") + p;
  if (key.empty()) key = "聊天记录";
  doc.thread = key + " " + d.day;
  doc.sections.push_back({{}, 0, std::move(d.text)});
  return doc;
}

}  // namespace

bool looks_like_chat(std::string_view utf8) {
  int lines = 0, headers = 0, answered = 0;
  bool preamble = false, previous_header = false;
  std::map<std::string, int> senders;
  for_each_line(utf8, [&](std::string_view line) {
    if (trim(line).empty()) return true;
    ++lines;
    if (lines <= 5 && (line.find("消息记录") != std::string_view::npos ||
                       line.find("聊天记录") != std::string_view::npos || conversation_name(line)))
      preamble = true;
    if (auto header = parse_header(line)) {
      ++headers;
      ++senders[header->sender];
      previous_header = true;
    } else {
      if (previous_header) ++answered;  // a message line under its header, not a log of stamped lines
      previous_header = false;
    }
    return lines < 50;
  });
  const bool repeated = std::any_of(senders.begin(), senders.end(), [](const auto& s) { return s.second > 1; });
  return headers >= 3 && headers * 5 >= lines && answered * 3 >= headers * 2 && (preamble || repeated);
}

Result<std::vector<Document>> extract_chat(std::string_view utf8) {
  std::vector<Day> days;
  std::map<std::pair<std::string, std::string>, std::size_t> index;  // (name, day) → position in `days`
  std::string name;
  std::optional<Header> current;
  std::string content;
  bool after_separator = false;

  auto flush = [&] {
    if (!current) return;
    const auto key = std::make_pair(name, current->stamp.day);
    auto [it, added] = index.try_emplace(key, days.size());
    if (added) days.push_back({name, current->stamp.day, {}, {}});
    Day& d = days[it->second];
    if (std::find(d.senders.begin(), d.senders.end(), current->sender) == d.senders.end())
      d.senders.push_back(current->sender);
    if (!d.text.empty()) d.text += '\n';
    d.text += current->stamp.time + " " + current->sender + ": " + content;
    while (!d.text.empty() && d.text.back() == ' ') d.text.pop_back();
    current.reset();
    content.clear();
  };

  for_each_line(utf8, [&](std::string_view raw) {
    const std::string_view line = trim(raw);
    if (auto header = parse_header(line)) {
      flush();
      current = std::move(header);
      after_separator = false;
    } else if (separator(line)) {
      after_separator = true;
    } else if (auto conversation = conversation_name(line); conversation && (!current || after_separator)) {
      // QQ's export of several conversations: "消息对象:" between separators starts the next one.
      flush();
      name = *conversation;
    } else if (line.empty() || (after_separator && line.starts_with("消息分组"))) {
      // blank lines between messages; QQ's friend-group label says nothing about the conversation
    } else if (current) {
      content += (content.empty() ? "" : " ") + std::string(line);
    }
    return true;
  });
  flush();
  if (days.empty()) return make_error("not a chat export (no \"2024-01-02 10:00:00 name\" message lines)");

  std::vector<Document> docs;
  docs.reserve(days.size());
  for (Day& d : days) docs.push_back(day_document(d));
  return docs;
}

}  // namespace baton::detail
