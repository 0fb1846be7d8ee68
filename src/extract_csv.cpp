// CSV through libcsv: tables, and chat exports with time/sender/content columns.
#include <csv.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>

#include "baton/extract.h"
#include "baton/text.h"
#include "extract_internal.h"

namespace baton::detail {

namespace {

using Row = std::vector<std::string>;

// Rows per table section: small enough to land a hit near its row, big enough to keep context; and
// under the size at which extract() would split a section (and lose the header line on top).
constexpr std::size_t rows_per_section = 200;
constexpr std::size_t bytes_per_section = 5000;

// --- parsing --------------------------------------------------------------------------------------

// Memory for the cells of one parse: an empty cell costs a std::string (32 bytes) for one byte of file,
// so a file of commas would cost 32 times its size. Rows past this are not kept: their text would be
// past max_document_text_bytes, where extract() cuts anyway.
constexpr std::size_t max_cell_bytes = 4 * max_document_text_bytes;

struct Collector {
  std::vector<Row> rows;
  Row row;
  std::size_t max_rows = SIZE_MAX;
  std::size_t bytes = 0;  // cost of the cells kept, counted against max_cell_bytes
};

void on_field(void* field, std::size_t len, void* data) {
  auto& c = *static_cast<Collector*>(data);
  c.bytes += sizeof(std::string) + len;
  if (c.bytes > max_cell_bytes) return;
  c.row.emplace_back(len == 0 ? std::string() : std::string(static_cast<const char*>(field), len));
}

void on_row(int, void* data) {
  auto& c = *static_cast<Collector*>(data);
  const bool blank = std::all_of(c.row.begin(), c.row.end(), [](const std::string& f) { return trim(f).empty(); });
  if (!blank && c.rows.size() < c.max_rows && c.bytes <= max_cell_bytes) c.rows.push_back(std::move(c.row));
  c.row.clear();
}

// Only a real space is padding: a tab may be the delimiter.
int is_padding(unsigned char c) {
  return c == ' ';
}

enum class Quoting { strict, lenient, none };

// Parses `text` with libcsv; nullopt when the input breaks the quoting rules of `quoting`.
std::optional<std::vector<Row>> parse(std::string_view text, char delimiter, Quoting quoting,
                                      std::size_t max_rows = SIZE_MAX) {
  csv_parser parser;
  const unsigned char options = quoting == Quoting::strict ? CSV_STRICT | CSV_STRICT_FINI : CSV_STRICT_FINI;
  if (csv_init(&parser, options) != 0) return std::nullopt;
  csv_set_delim(&parser, static_cast<unsigned char>(delimiter));
  // With no quoting, a quote is an ordinary character; NUL never occurs in decoded text.
  if (quoting == Quoting::none) csv_set_quote(&parser, '\0');
  csv_set_space_func(&parser, is_padding);
  Collector collector;
  collector.max_rows = max_rows;
  const bool parsed = csv_parse(&parser, text.data(), text.size(), on_field, on_row, &collector) == text.size();
  const bool finished = parsed && csv_fini(&parser, on_field, on_row, &collector) == 0;
  csv_free(&parser);
  if (!finished) return std::nullopt;
  return std::move(collector.rows);
}

// Strict first; a stray quote (`5" screen`) falls back to lenient quoting, and a quote that never
// closes (lenient quoting would swallow the rest of the file into one cell) to no quoting at all.
std::vector<Row> parse_all(std::string_view text, char delimiter) {
  if (auto rows = parse(text, delimiter, Quoting::strict)) return std::move(*rows);
  if (auto rows = parse(text, delimiter, Quoting::lenient)) {
    // A last cell with a line break was quoted; if the file does not end with a quote, it never closed.
    const bool unclosed = !rows->empty() && !rows->back().empty() &&
                          rows->back().back().find('\n') != std::string::npos && !trim(text).ends_with('"');
    if (!unclosed) return std::move(*rows);
  }
  return parse(text, delimiter, Quoting::none).value_or(std::vector<Row>{});
}

// The delimiter that splits the first rows into the same number of fields (two or more) most often.
char detect_delimiter(std::string_view text) {
  std::string_view head = text.substr(0, 64 * 1024);
  if (head.size() < text.size() && head.rfind('\n') != std::string_view::npos)
    head = head.substr(0, head.rfind('\n') + 1);
  char best = ',';
  std::pair<std::size_t, std::size_t> best_score{0, 0};  // rows agreeing with the usual width, that width
  for (char delimiter : {',', '\t', ';'}) {
    const auto rows = parse(head, delimiter, Quoting::lenient, 50);
    if (!rows || rows->empty()) continue;
    std::map<std::size_t, std::size_t> widths;
    for (const Row& r : *rows) ++widths[r.size()];
    const auto usual = std::max_element(widths.begin(), widths.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second < b.second : a.first < b.first;
    });
    if (usual->first < 2) continue;
    const std::pair<std::size_t, std::size_t> score{usual->second, usual->first};
    if (score > best_score) {
      best_score = score;
      best = delimiter;
    }
  }
  return best;
}

// A cell as one line of text: trimmed, inner line breaks and runs of spaces made single spaces.
std::string cell_text(std::string_view cell) {
  std::string out;
  bool space = false;
  for (char c : trim(cell)) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// "a | b | c", without the empty cells at the end of the row.
std::string row_line(const Row& row) {
  std::size_t n = row.size();
  while (n > 0 && trim(row[n - 1]).empty()) --n;
  std::string line;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) line += " | ";
    line += cell_text(row[i]);
  }
  return line;
}

// --- tables -----------------------------------------------------------------------------------------

Document table_document(const std::vector<Row>& rows) {
  Document doc;
  const std::string header = row_line(rows.front());
  Section section;
  std::size_t in_section = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const std::string line = row_line(rows[i]);
    if (in_section > 0 && (in_section == rows_per_section || section.text.size() + line.size() > bytes_per_section)) {
      doc.sections.push_back(std::move(section));
      section = Section{};
      in_section = 0;
    }
    if (in_section == 0) section.text = header;
    section.text += '\n';
    section.text += line;
    ++in_section;
  }
  if (in_section > 0) doc.sections.push_back(std::move(section));
  return doc;
}

// --- chat exports -------------------------------------------------------------------------------------

// A column name as compared: lower case, without spaces, '_', '-', and a "(time zone)" note.
std::string column_key(std::string_view name) {
  std::string key;
  std::string_view s = trim(name);
  for (std::string_view open : {"(", "（"})
    if (const std::size_t at = s.find(open); at != std::string_view::npos && at > 0) s = s.substr(0, at);
  for (char c : s)
    if (c != ' ' && c != '_' && c != '-') key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

// The first column whose name is in `names`, trying the names in order (the better ones first).
std::optional<std::size_t> find_column(const std::vector<std::string>& keys,
                                       std::initializer_list<std::string_view> names) {
  for (std::string_view name : names)
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (keys[i] == name) return i;
  return std::nullopt;
}

struct ChatColumns {
  std::vector<std::size_t> time;  // a date and a time column, or one for both
  std::size_t sender;
  std::size_t content;
  std::optional<std::size_t> conversation;
};

std::optional<ChatColumns> chat_columns(const Row& header) {
  std::vector<std::string> keys;
  for (const auto& h : header) keys.push_back(column_key(h));
  ChatColumns c;
  for (std::string_view name : {"时间", "日期", "发送时间", "消息时间", "日期时间", "time", "date", "datetime",
                                "timestamp", "sendtime", "createtime", "strtime", "msgtime"})
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (keys[i] == name && std::find(c.time.begin(), c.time.end(), i) == c.time.end()) c.time.push_back(i);
  const auto sender =
      find_column(keys, {"发送人", "发送者", "发言人", "发件人", "昵称", "用户", "用户名", "姓名", "fromnickname",
                         "nickname", "sender", "from", "user", "username", "name", "speaker", "author"});
  const auto content = find_column(
      keys, {"内容", "消息", "消息内容", "聊天内容", "content", "message", "text", "strcontent", "msg", "body"});
  if (c.time.empty() || !sender || !content) return std::nullopt;
  std::sort(c.time.begin(), c.time.end());
  c.time.resize(std::min<std::size_t>(c.time.size(), 2));
  c.sender = *sender;
  c.content = *content;
  // (PyWxDump's Remark is the name the exporter gave the chat; its TalkerId only an id.)
  c.conversation = find_column(keys, {"群名", "群聊", "群名称", "会话", "会话名称", "聊天对象", "对话", "groupname",
                                      "chatname", "conversation", "chat", "room", "remark", "talker"});
  return c;
}

struct Moment {
  std::string day;   // YYYY-MM-DD
  std::string time;  // HH:MM, or empty
};

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Chat exports come from China: Unix times are shown on Beijing time (UTC+8, no daylight saving).
Moment from_unix(long long seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds + 8 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char day[32];
  char time[32];
  std::snprintf(day, sizeof day, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  std::snprintf(time, sizeof time, "%02d:%02d", tm.tm_hour, tm.tm_min);
  return {day, time};
}

// Reads the numbers of "2024-03-01 09:05:33", "2024/3/1 下午 2:05", "2024年3月1日 14:05", "2024.03.01",
// or a Unix time in seconds or milliseconds.
std::optional<Moment> parse_moment(std::string_view s) {
  s = trim(s);
  if (all_digits(s) && (s.size() == 10 || s.size() == 13)) {
    const long long value = std::stoll(std::string(s.substr(0, 10)));
    if (value > 946684800) return from_unix(value);  // after 2000
  }
  std::vector<int> numbers;
  std::vector<std::size_t> ends;
  for (std::size_t i = 0; i < s.size() && numbers.size() < 6;) {
    if (s[i] < '0' || s[i] > '9') {
      ++i;
      continue;
    }
    int value = 0;
    std::size_t digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && digits < 9) value = value * 10 + (s[i++] - '0'), ++digits;
    numbers.push_back(value);
    ends.push_back(i);
  }
  if (numbers.size() < 3) return std::nullopt;
  const int year = numbers[0], month = numbers[1], day = numbers[2];
  if (year < 1990 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  Moment m{buf, {}};
  if (numbers.size() >= 5 && numbers[3] < 24 && numbers[4] < 60) {
    int hour = numbers[3];
    const std::string_view rest = s.substr(ends[2]);
    const bool pm = rest.find("下午") != std::string_view::npos || rest.find("晚上") != std::string_view::npos ||
                    rest.find("PM") != std::string_view::npos || rest.find("pm") != std::string_view::npos;
    const bool am = rest.find("上午") != std::string_view::npos || rest.find("凌晨") != std::string_view::npos ||
                    rest.find("AM") != std::string_view::npos || rest.find("am") != std::string_view::npos;
    if (pm && hour < 12) hour += 12;
    if (am && hour == 12) hour = 0;
    std::snprintf(buf, sizeof buf, "%02d:%02d", hour, numbers[4]);
    m.time = buf;
  }
  return m;
}

struct Day {
  std::string conversation;
  std::string day;
  std::vector<std::string> senders;  // in order of first message
  std::string text;
};

std::string field(const Row& row, std::size_t i) {
  return i < row.size() ? cell_text(row[i]) : std::string();
}

// One document per conversation and day; nullopt if the time column does not hold dates for most rows.
std::optional<std::vector<Document>> chat_documents(const std::vector<Row>& rows, const ChatColumns& columns) {
  std::vector<Day> days;
  std::map<std::pair<std::string, std::string>, std::size_t> day_index;
  std::size_t undated = 0;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const Row& row = rows[r];
    // A column that holds date and time alone wins (PyWxDump's CreateTime, a Unix time, beside StrTime);
    // else the columns together (a date column and a time column).
    std::optional<Moment> moment;
    for (std::size_t c : columns.time)
      if (auto m = parse_moment(field(row, c)); m && !m->time.empty()) {
        moment = std::move(m);
        break;
      }
    if (!moment) {
      std::string when;
      for (std::size_t c : columns.time) when += field(row, c) + " ";
      moment = parse_moment(when);
    }
    if (!moment) {
      ++undated;
      continue;
    }
    const std::string sender = field(row, columns.sender);
    std::string content = columns.content < row.size() ? std::string(trim(row[columns.content])) : std::string();
    if (content.empty()) continue;
    const std::string conversation = columns.conversation ? field(row, *columns.conversation) : std::string();
    auto [it, added] = day_index.try_emplace({conversation, moment->day}, days.size());
    if (added) days.push_back({conversation, moment->day, {}, {}});
    Day& d = days[it->second];
    if (!sender.empty() && std::find(d.senders.begin(), d.senders.end(), sender) == d.senders.end())
      d.senders.push_back(sender);
    if (!d.text.empty()) d.text += '\n';
    if (!moment->time.empty()) d.text += moment->time + " ";
    d.text += (sender.empty() ? std::string("?") : sender) + ": " + content;
  }
  if (days.empty() || undated * 2 > rows.size() - 1) return std::nullopt;
  std::vector<Document> docs;
  for (Day& d : days) {
    Document doc;
    doc.format = "chat";
    doc.date = d.day;
    doc.title = (d.conversation.empty() ? std::string("聊天记录") : d.conversation) + " " + d.day;
    doc.participants = d.senders;
    // Without a name, the people in it tell one conversation from another.
    std::string key = d.conversation;
    if (key.empty())
      for (std::size_t i = 0; i < d.senders.size(); ++i) key += (i ? "、" : "") + d.senders[i];
    if (key.empty()) key = "聊天记录";
    doc.thread = key + " " + d.day;
    doc.sections.push_back({{}, 0, std::move(d.text)});
    docs.push_back(std::move(doc));
  }
  return docs;
}

}  // namespace

Result<std::vector<Document>> extract_csv(std::string_view bytes) {
  auto decoded = to_utf8(bytes);
  if (!decoded) return decoded.error();
  std::string_view text = decoded->text;
  char delimiter = 0;
  // Excel's "sep=;" first line names the delimiter.
  if (text.starts_with("sep=") && text.size() >= 5 && (text.size() == 5 || text[5] == '\n' || text[5] == '\r')) {
    delimiter = text[4];
    text.remove_prefix(std::min(text.size(), text.find('\n') + 1));
  }
  if (delimiter == 0) delimiter = detect_delimiter(text);
  const std::vector<Row> rows = parse_all(text, delimiter);
  if (rows.size() < 2) return make_error("empty table: no rows below the header");

  std::vector<Document> docs;
  if (auto columns = chat_columns(rows.front()))
    if (auto chats = chat_documents(rows, *columns)) docs = std::move(*chats);
  if (docs.empty()) docs.push_back(table_document(rows));
  for (Document& doc : docs) doc.charset = decoded->charset;
  return docs;
}

}  // namespace baton::detail
