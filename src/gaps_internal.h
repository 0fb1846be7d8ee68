// Shared by the gap analysis (gaps.cpp) and its entity finder (gaps_entities.cpp): the material as the
// analysis reads it, and the name helpers both use. Not part of the public API.
#pragma once

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "baton/catalog.h"
#include "baton/gaps.h"
#include "baton/text.h"

namespace baton::gaps_detail {

// --- names ---------------------------------------------------------------------------------------

// The bytes of the UTF-8 character that starts with `lead` (1 to 4).
inline std::size_t utf8_length(unsigned char lead) { return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4; }
std::vector<std::string> code_points(std::string_view s);
bool has_cjk(std::string_view s);
// A Chinese character that can be part of a name: an ideograph, not CJK punctuation (，「（ are in the
// CJK blocks too, and a name never runs across them).
bool is_han(std::string_view cp);
inline bool contains(std::string_view text, std::string_view part) { return !part.empty() && text.find(part) != std::string_view::npos; }
// The name without what is in brackets: "启明分析（分包实验室）" → "启明分析".
std::string strip_brackets(std::string s);
// "1. 宏昌包材（台湾台中）" → "宏昌包材": numbering and bracketed remarks off a heading.
std::string clean_heading(std::string_view heading);
// Matching form: folded (case, width, Traditional), without spaces and punctuation.
std::string fold(std::string_view s);

// Places a company name may start with ("北京华辰物流" is 华辰物流).
inline constexpr std::string_view places[] = {
    "北京", "上海", "天津", "重庆", "广州", "深圳", "杭州", "宁波", "温州", "南京", "苏州", "无锡", "厦门", "福州",
    "成都", "武汉", "西安", "长沙", "郑州", "济南", "青岛", "合肥", "大连", "沈阳", "东莞", "佛山", "义乌", "金华",
    "台湾", "台北", "台中", "香港", "澳门", "浙江", "江苏", "广东", "福建", "山东", "四川", "湖北", "湖南", "河南",
    "常州", "嘉兴", "昆山", "太仓", "绍兴", "湖州", "台州", "扬州", "南通", "徐州", "泉州", "中山", "珠海", "惠州",
    "烟台", "潍坊", "昆明", "贵阳", "南宁", "南昌", "兰州", "太原", "石家庄", "哈尔滨", "长春", "海口", "汕头", "江门",
    "临沂", "镇江", "泰州", "盐城", "淮安", "连云港", "丽水", "衢州", "舟山", "漳州", "莆田", "晋江", "顺德", "安徽",
    "江西", "河北", "山西", "陕西", "辽宁", "吉林", "黑龙江", "广西", "云南", "贵州", "海南"};

// Where a registered company name found in a sentence ("…有限公司") starts: after one of these. Only the
// plainest particles: a name may hold 会, 和, 同, 为 (会展, 和平, 华为).
inline constexpr std::string_view registered_name_breaks = "的是在找给跟向从对把被由及或说问了们按已将";

// Words a company's trade name ends with ("新锐纺织", "智眸科技").
const std::vector<std::string>& trade_suffixes();
// A company's distinctive part: "北京华辰物流有限公司" → "华辰物流", "Northwind Trading Ltd" → "northwindtrading".
const std::string& core_name(const std::string& name);
// Characters of the place (a county or city of friso's list: 中卫, 盐池县) a company's core starts with,
// if three characters at least follow it; 0 otherwise.
std::size_t place_prefix(const std::vector<std::string>& core);
// True if `name` is a place (a city, county or province, with or without its 市/县/省).
bool is_place(const std::string& name);

// True if `word` (two or three characters) is a word of the language in friso's main dictionary (变更, 验证码).
bool everyday_word(const std::string& word);
// The trade name without its trade words: "速展国际物流" → "速展"; "" when nothing distinctive is left.
std::string brand_of(const std::string& core);
// True if `shorter`'s characters appear in `longer` in order, starting at its first: 宏昌包材 in 宏昌包装材料.
bool abbreviates(const std::string& shorter, const std::string& longer);

// True if the first `count` characters of `a` come in `b` in order, others between them ("恒通安装" in
// 澄川县恒通水电安装工程).
bool in_order(const std::vector<std::string>& a, std::size_t count, const std::vector<std::string>& b);

// What the first full-width brackets of `text` hold, trimmed ("颐信科技（颐管家）" → 颐管家), or "".
std::string bracketed(const std::string& text);
// True if a folded name is only words any business uses (店铺技术支持, 服务平台): it names no one.
bool made_of_common_words(const std::string& folded);

// "市场监督管理局", "西湖区消防救援大队", "玉林街道办事处": a public body, by what its (folded) name ends with.
bool public_body(const std::string& folded);
// 华辰 → "huachen" (ICU Han-Latin, ASCII letters and digits only).
const std::string& pinyin(const std::string& cjk);
bool is_domain(std::string_view s);
// "ruifeng-trade.com" → "ruifengtrade"; "mail.northwind.co.uk" → "northwind".
std::string domain_label(std::string_view domain);
// A domain names the same company as `name` when its label starts with the name's pinyin or first word.
bool domain_matches(const std::string& domain, const std::string& name);

// --- the material --------------------------------------------------------------------------------

struct Unit {
  std::string id;
  std::vector<std::string> headings;  // the section's heading path (cleaned), title not repeated
  std::string label;                  // as shown
  std::string text;
  std::string folded_text;            // fold()ed text and headings, for matching names and cues
};

struct Doc {
  DocumentRecord rec;
  bool conversation = false;
  bool contact_list = false;  // a table of people with their organisation (通讯录): whom the team deals with
  std::vector<Unit> units;
  std::string folded_title;
};

struct CueSet {
  std::vector<std::string> folded;
  explicit CueSet(const std::vector<std::string>& cues) {
    for (const auto& c : cues)
      if (auto f = fold(c); !f.empty()) folded.push_back(std::move(f));
  }
  bool in(std::string_view folded_text) const {
    return std::any_of(folded.begin(), folded.end(), [&](const std::string& c) { return contains(folded_text, c); });
  }
};

// Calls `f(line)` for each line of `text`, without its "\n"; `f` may return false to stop.
template <typename F>
void for_each_line(std::string_view text, F&& f) {
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if constexpr (std::is_same_v<decltype(f(line)), bool>) {
      if (!f(line)) return;
    } else {
      f(line);
    }
  }
}

// --- tables --------------------------------------------------------------------------------------

// "| 刘斌 | 速展国际物流 | … |" or a CSV row "刘斌 | 速展国际物流 | …" as cells; {} if the line is no row.
std::vector<std::string> table_cells(std::string_view line);

// Which column of a header row holds what: the organisation (单位, 公司), a person (姓名) and a way to
// reach them (手机, 邮箱). Unknown columns are npos.
struct ContactColumns {
  std::size_t organisation = std::string::npos, person = std::string::npos, mail = std::string::npos, phone = std::string::npos;
  bool contact_list() const { return organisation != std::string::npos && (person != std::string::npos || mail != std::string::npos || phone != std::string::npos); }
};

ContactColumns contact_columns(const std::vector<std::string>& header);

// Calls f(cells, columns) for every row under a contact list's header in the document's tables.
template <typename F>
void for_each_contact_row(const Doc& d, F f) {
  for (const Unit& u : d.units) {
    ContactColumns columns;
    bool header = true;  // a table's first row is its header; a row under another table's header is data
    for (std::size_t pos = 0; pos < u.text.size();) {
      const std::size_t end = std::min(u.text.find('\n', pos), u.text.size());
      const std::vector<std::string> cells = table_cells(std::string_view(u.text).substr(pos, end - pos));
      pos = end + 1;
      if (cells.empty()) {
        columns = {};
        header = true;
        continue;
      }
      if (header) {
        columns = contact_columns(cells);
        header = false;
        continue;
      }
      if (!columns.contact_list()) continue;  // ("报表 | 周期 | … | 看的人": a row "… | 邮件发驿修吴佳 | 客户" is no header)
      const bool rule = std::all_of(cells.begin(), cells.end(), [](const std::string& c) {  // |---|:--:|
        return c.find_first_not_of("-: ") == std::string::npos;
      });
      if (rule) continue;
      if (columns.organisation < cells.size()) f(cells, columns);
    }
  }
}

bool is_contact_list(const Doc& d);

// --- entities ------------------------------------------------------------------------------------

struct Scope {  // a write-up: a whole document, or a subtree of its sections
  const Doc* doc = nullptr;
  std::string heading;  // "" = the whole document
};

struct Candidate {
  std::string name;
  std::map<std::string, int> names;  // every name seen, with how often
  std::map<std::string, int> kinds;  // kind votes
  std::vector<Scope> write_ups;
  bool from_mail = false;            // seen as a mail correspondent's organisation
  bool weak = false;                 // only a trade name said twice: dropped if it is part of a written-up name
  bool listed = false;               // a row of the team's list of clients or partners, or of its accounts
  std::set<std::string> mail_docs;   // mails whose organisations name it
  std::string bracketed;             // what a contact list's row says in brackets after it: "颐信科技（颐管家）"
};

// Every client, partner, project and system the material names, with the write-ups found for each
// (gaps_entities.cpp). Candidates are not merged yet: the analysis merges aliases.
std::vector<Candidate> find_entities(const Checklist& checklist, const std::vector<Doc>& docs);

// The entity kind whose write-ups a folder holds: "客户", "02_客户资料", "供应商与合作方", "系统工具说明";
// not "客户沟通" (conversations). nullptr for any other folder.
const EntityKind* entity_kind_of_folder(const Checklist& checklist, const std::string& folder);

}  // namespace baton::gaps_detail
