// The gap analysis: checklist areas, entities and their write-ups, conversation-only facts, demand,
// hygiene and secrets. See gaps.h for what each part means.
#include "baton/gaps.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "baton/catalog.h"
#include "baton/findings.h"
#include "baton/index.h"
#include "baton/text.h"
#include "extract_internal.h"
#include "gaps_internal.h"

namespace fs = std::filesystem;

namespace baton::gaps_detail {

// --- text helpers -------------------------------------------------------------------------------

std::vector<std::string> code_points(std::string_view s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = utf8_length(c);
    out.emplace_back(s.substr(i, std::min(n, s.size() - i)));
    i += n;
  }
  return out;
}

bool has_cjk(std::string_view s) {
  for (const auto& cp : code_points(s))
    if (cp.size() >= 3) {
      const auto* b = reinterpret_cast<const unsigned char*>(cp.data());
      const unsigned u = cp.size() == 3 ? ((b[0] & 0x0Fu) << 12) | ((b[1] & 0x3Fu) << 6) | (b[2] & 0x3Fu)
                                        : ((b[0] & 0x07u) << 18) | ((b[1] & 0x3Fu) << 12) | ((b[2] & 0x3Fu) << 6) | (b[3] & 0x3Fu);
      if (is_cjk(u)) return true;
    }
  return false;
}

bool is_han(std::string_view cp) {
  if (cp.size() < 3) return false;
  const auto* b = reinterpret_cast<const unsigned char*>(cp.data());
  const unsigned u = cp.size() == 3 ? ((b[0] & 0x0Fu) << 12) | ((b[1] & 0x3Fu) << 6) | (b[2] & 0x3Fu)
                                    : ((b[0] & 0x07u) << 18) | ((b[1] & 0x3Fu) << 12) | ((b[2] & 0x3Fu) << 6) | (b[3] & 0x3Fu);
  return (u >= 0x3400 && u <= 0x9FFF) || (u >= 0xF900 && u <= 0xFAFF) || (u >= 0x20000 && u <= 0x2FA1F);
}

std::string strip_brackets(std::string s) {
  for (auto [open, close] : {std::pair<std::string_view, std::string_view>{"(", ")"}, {"（", "）"}, {"[", "]"}, {"【", "】"}}) {
    for (std::size_t a; (a = s.find(open)) != std::string::npos;) {
      const std::size_t b = s.find(close, a + open.size());
      s.erase(a, b == std::string::npos ? std::string::npos : b + close.size() - a);
    }
  }
  return s;
}

// "1. 宏昌包材（台湾台中）" → "宏昌包材": numbering and bracketed remarks off a heading ("2026Q4续约攻坚"
// keeps its year: numbering ends in a separator).
std::string clean_heading(std::string_view heading) {
  // Alternations, not bracket classes: std::regex matches bytes, and a class of Chinese characters
  // would match single bytes of other characters.
  static const std::regex numbering(
      R"(^\s*(\d+(\.\d+)*(\.|、|\)|）)?\s+|\d+(\.\d+)*(\.|、|\)|）)|(一|二|三|四|五|六|七|八|九|十)+(、|\.|．)\s*|(\(|（)(一|二|三|四|五|六|七|八|九|十|\d)+(\)|）)\s*|第(一|二|三|四|五|六|七|八|九|十|\d)+(章|节|部分|条)\s*))");
  const std::string s = strip_brackets(std::string(trim(heading)));
  return std::string(trim(std::regex_replace(s, numbering, "", std::regex_constants::format_first_only)));
}

std::string fold(std::string_view s) {
  const std::string n = normalize_for_index(s);
  std::string out;
  for (const auto& cp : code_points(n)) {
    if (cp.size() == 1 && !std::isalnum(static_cast<unsigned char>(cp[0]))) continue;
    static constexpr std::string_view punctuation[] = {"，", "。", "、", "·", "・", "：", "“", "”", "—", "–", "－", "～"};
    if (std::find(std::begin(punctuation), std::end(punctuation), std::string_view(cp)) != std::end(punctuation)) continue;
    out += cp;
  }
  return out;
}

const std::vector<std::string>& trade_suffixes() {
  static const std::vector<std::string> s = {"科技", "信息", "物流", "冷链", "纺织", "电子", "贸易", "商贸", "实业", "制造",
                                             "精密", "化工", "家电", "汽配", "包材", "传媒", "文创", "食品", "餐饮", "医药",
                                             "服饰", "家居", "五金", "机械", "电器", "印刷", "包装", "供应链", "快运", "快递",
                                             "货运", "货代", "母婴", "工厂", "厨具厂", "软件", "网络", "咨询", "广告", "建材",
                                             "彩印", "印务", "展览", "会展", "酒店", "物业", "保洁", "安保", "律所", "事务所", "速运",
                                             "咖啡", "烘焙", "同传", "药业", "家纺", "置业", "鞋业", "珠宝", "酒业", "乳业", "船务"};
  return s;
}

std::string core_name_uncached(std::string_view name) {
  std::string s = fold(strip_brackets(std::string(name)));
  static constexpr std::string_view suffixes[] = {"股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司",
                                                  "coltd", "ltd", "limited", "inc", "llc", "gmbh", "corp", "corporation", "co"};
  for (bool again = true; again;) {
    again = false;
    for (std::string_view suffix : suffixes)
      if (s.size() > suffix.size() + 3 && s.ends_with(suffix)) {
        s.resize(s.size() - suffix.size());
        again = true;
      }
  }
  // "Nordwerk 上海联络处", "PetNova 北京代表处": a foreign company's office in a city is the company.
  for (std::string_view office : {"联络处", "办事处", "代表处"})
    if (s.ends_with(office) && !has_cjk(s.substr(0, 1))) {
      std::string rest = s.substr(0, s.size() - office.size());
      auto chars = code_points(rest);
      for (std::size_t n : {3u, 2u})
        if (chars.size() > n) {
          std::string tail;
          for (std::size_t i = chars.size() - n; i < chars.size(); ++i) tail += chars[i];
          if (is_place(tail)) {
            rest.resize(rest.size() - tail.size());
            break;
          }
        }
      if (!rest.empty() && !has_cjk(rest)) return rest;
    }
  for (std::string_view place : places)
    if (s.starts_with(place) && code_points(s).size() >= code_points(place).size() + 2) {
      s.erase(0, place.size());
      // "深圳市蓝桥跨境科技": the city's 市 (a province's 省) goes with it.
      for (std::string_view level : {"市", "省"})
        if (s.starts_with(level) && code_points(s).size() >= 3) s.erase(0, level.size());
      break;
    }
  return s;
}

// Entity merging compares every pair of names: each name's core is worked out once.
const std::string& core_name(const std::string& name) {
  thread_local std::unordered_map<std::string, std::string> cache;
  auto it = cache.find(name);
  if (it == cache.end()) it = cache.emplace(name, core_name_uncached(name)).first;
  return it->second;
}

namespace {
const std::unordered_set<std::string>& places_of_friso() {
  static const std::unordered_set<std::string> places = [] {
    std::unordered_set<std::string> out;
    std::ifstream in(std::string(BATON_FRISO_DICT) + "lex-cn-place.lex");
    static constexpr std::string_view levels[] = {"省", "市", "县", "区", "旗", "州", "盟"};
    for (std::string line; std::getline(in, line);) {
      const std::string place = line.substr(0, line.find('/'));  // "盐池县/null"
      if (!is_utf8(place) || code_points(place).size() < 2) continue;
      out.insert(place);
      for (std::string_view level : levels)
        if (place.ends_with(level) && code_points(place).size() >= 3) out.insert(place.substr(0, place.size() - level.size()));
    }
    return out;
  }();
  return places;
}
}  // namespace

// Words of two or three characters in friso's main dictionary (变更, 查看, 验证码): the language's, where a
// product's name (金蝶, 用友, 颐管家) mostly is not.
bool everyday_word(const std::string& word) {
  static const std::unordered_set<std::string> words = [] {
    std::unordered_set<std::string> out;
    std::ifstream in(std::string(BATON_FRISO_DICT) + "lex-main.lex");
    for (std::string line; std::getline(in, line);) {
      const std::string w = line.substr(0, line.find('/'));  // "变更/null"
      if (!is_utf8(w)) continue;
      if (const std::size_t n = code_points(w).size(); n == 2 || n == 3) out.insert(w);
    }
    return out;
  }();
  return words.count(word) > 0;
}

bool is_place(const std::string& name) {
  return std::find(std::begin(places), std::end(places), name) != std::end(places) || places_of_friso().count(name) > 0;
}

std::size_t place_prefix(const std::vector<std::string>& core) {
  std::string prefix;
  std::size_t best = 0;
  for (std::size_t k = 0; k + 3 < core.size() && k < 6; ++k) {
    prefix += core[k];
    if (k >= 1 && is_place(prefix)) best = k + 1;
  }
  return best;
}

// The trade name without its trade words: "速展国际物流" → "速展", "顺丰速运" → "顺丰", "会易通报名系统" stays;
// "" when nothing distinctive is left (two characters at least).
std::string brand_of(const std::string& core) {
  static const std::vector<std::string> words = [] {
    std::vector<std::string> w = trade_suffixes();
    for (const char* extra : {"国际", "中国", "集团", "控股", "股份", "技术", "服务", "管理", "发展"}) w.emplace_back(extra);
    return w;
  }();
  std::string s = core;
  for (bool again = true; again;) {
    again = false;
    for (const auto& w : words)
      if (s.size() > w.size() && s.ends_with(w) && code_points(s).size() >= code_points(w).size() + 2) {
        s.resize(s.size() - w.size());
        again = true;
      }
  }
  return s == core || code_points(s).size() < 2 || !has_cjk(s) ? std::string() : s;
}

// True if `shorter`'s characters appear in `longer` in order, starting at its first: 宏昌包材 in
// 宏昌包装材料, 华辰 in 华辰物流.
bool in_order(const std::vector<std::string>& a, std::size_t count, const std::vector<std::string>& b) {
  std::size_t j = 0;
  for (const auto& c : b)
    if (j < count && c == a[j]) ++j;
  return j == count;
}

bool abbreviates(const std::string& shorter, const std::string& longer) {
  const auto a = code_points(shorter), b = code_points(longer);
  return a.size() >= 2 && a.size() <= b.size() && a.front() == b.front() && in_order(a, a.size(), b);
}

std::string bracketed(const std::string& text) {
  const std::size_t open = text.find("（");
  if (open == std::string::npos) return {};
  const std::size_t close = text.find("）", open);
  if (close == std::string::npos) return {};
  return std::string(trim(std::string_view(text).substr(open + 3, close - open - 3)));
}

std::string pinyin_uncached(const std::string& cjk) {
  static std::mutex mutex;
  static std::unique_ptr<icu::Transliterator> to_latin = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(
        icu::Transliterator::createInstance("Han-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
    return U_SUCCESS(status) ? std::move(t) : nullptr;
  }();
  if (!to_latin) return {};
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(cjk);
  {
    std::lock_guard lock(mutex);
    to_latin->transliterate(u);
  }
  std::string out, latin;
  u.toUTF8String(latin);
  for (char c : latin)
    if (std::isalnum(static_cast<unsigned char>(c))) out += c;
  return out;
}

const std::string& pinyin(const std::string& cjk) {
  thread_local std::unordered_map<std::string, std::string> cache;
  auto it = cache.find(cjk);
  if (it == cache.end()) it = cache.emplace(cjk, pinyin_uncached(cjk)).first;
  return it->second;
}

bool is_domain(std::string_view s) {
  return s.find('.') != std::string_view::npos && s.find(' ') == std::string_view::npos && !has_cjk(s);
}

std::string domain_label(std::string_view domain) {
  std::vector<std::string> labels;
  for (std::size_t start = 0; start <= domain.size();) {
    const std::size_t dot = std::min(domain.find('.', start), domain.size());
    labels.emplace_back(domain.substr(start, dot - start));
    start = dot + 1;
  }
  static const std::set<std::string> generic = {"com", "cn", "net", "org", "co", "uk", "tw", "hk", "jp", "de",
                                                "io", "biz", "info", "mail", "www", "edu", "gov", "ltd"};
  std::string best;
  for (const auto& l : labels)
    if (!generic.count(ascii_lower(l)) && l.size() > best.size()) best = ascii_lower(l);
  std::string out;
  for (char c : best)
    if (std::isalnum(static_cast<unsigned char>(c))) out += c;
  return out;
}

bool domain_matches(const std::string& domain, const std::string& name) {
  const std::string label = domain_label(domain);
  if (label.size() < 3) return false;
  const std::string core = core_name(name);
  if (has_cjk(core)) {
    const auto chars = code_points(core);
    if (chars.size() < 2) return false;
    const auto spelt = [&](const std::string& two) {
      const std::string py = pinyin(two);
      return py.size() >= 4 && label.starts_with(py);
    };
    if (spelt(chars[0] + chars[1])) return true;
    // 南峤云栖数据科技有限公司 and yunqi-dc.com: a registered name may begin with a place no list has.
    if (chars.size() >= 4 && fold(name).ends_with("公司") && spelt(chars[2] + chars[3])) return true;
    // 中科检测 and zkjc-lab.cn: the initials of a name of four characters or more.
    if (chars.size() < 4 || !std::all_of(chars.begin(), chars.end(), [](const std::string& c) { return is_han(c); })) return false;
    std::string initials;
    for (const auto& c : chars)
      if (const std::string& py = pinyin(c); !py.empty()) initials += py[0];
    return initials.size() == chars.size() && label.starts_with(initials);
  }
  const std::string first = ascii_lower(std::string(trim(name)).substr(0, std::string(trim(name)).find(' ')));
  std::string word;
  for (char c : first)
    if (std::isalnum(static_cast<unsigned char>(c))) word += c;
  return word.size() >= 4 && label.starts_with(word);
}

// --- tables -------------------------------------------------------------------------------------

std::vector<std::string> table_cells(std::string_view line) {
  if (line.find('|') == std::string_view::npos) return {};
  line = trim(line);
  // ("| a | b |": Markdown's bars around the row. " | 银杏湾业主答谢宴 | 企业": a spreadsheet's row whose first
  // cell is empty, which its bar keeps in place.)
  const bool markdown = line.starts_with("|") && line.ends_with("|") && line.size() > 1;
  if (markdown) {
    line.remove_prefix(1);
    line.remove_suffix(1);
  } else if (line.ends_with("|")) {
    line.remove_suffix(1);
  }
  std::vector<std::string> cells;
  for (std::size_t start = 0; start <= line.size();) {
    const std::size_t bar = std::min(line.find('|', start), line.size());
    cells.emplace_back(trim(line.substr(start, bar - start)));
    start = bar + 1;
  }
  return cells;
}

ContactColumns contact_columns(const std::vector<std::string>& header) {
  static const CueSet organisation({"单位", "公司", "机构", "company", "organisation", "organization"});
  // A column named for the kind of organisation ("客户", "供应商名称"), not for a person of it ("客户经理").
  static const std::set<std::string> kind_columns = {"客户", "客户名称", "供应商", "供应商名称", "合作方", "合作方名称", "服务商", "厂商",
                                                     "承运商", "client", "customer", "supplier", "vendor", "partner"};
  static const CueSet department({"部门", "岗位", "职务", "department"});  // "部门/职务" is a role, not an employer
  static const CueSet person({"姓名", "联系人", "name"}), mail({"邮箱", "邮件", "email", "e-mail", "mail"}),
      phone({"手机", "电话", "座机", "phone", "mobile", "tel"});
  ContactColumns c;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string f = fold(header[i]);
    if (f.empty() || code_points(f).size() > 8) continue;
    if ((organisation.in(f) || kind_columns.count(f)) && !department.in(f) && c.organisation == std::string::npos) c.organisation = i;
    else if (mail.in(f) && c.mail == std::string::npos) c.mail = i;
    else if (phone.in(f) && c.phone == std::string::npos) c.phone = i;
    else if (person.in(f) && c.person == std::string::npos) c.person = i;
  }
  return c;
}

bool is_contact_list(const Doc& d) {
  if (d.conversation) return false;
  bool found = false;
  for_each_contact_row(d, [&](const std::vector<std::string>&, const ContactColumns&) { found = true; });
  return found;
}

// True if a folded name is only words any business uses ("店铺技术支持", "服务平台", "另外改造", "AppSecret"):
// it names no one company, project or system.
bool made_of_common_words(const std::string& folded) {
  static const std::vector<std::string> words = [] {
    std::vector<std::string> w = {
        // the business and its parts
        "店铺", "门店", "网店", "旗舰店", "商户", "商家", "技术", "支持", "服务", "客服", "售后", "售前", "运营", "工作", "业务", "销售", "市场",
        "产品", "质量", "品质", "行政", "人事", "财务", "采购", "仓库", "仓储", "物流", "商务", "渠道", "电商", "跨境", "海外",
        "国内", "国际", "广告", "推广", "内容", "直播", "设计", "研发", "工程", "设备", "维修", "维保", "安全", "保安", "保洁", "排烟", "防排烟", "喷淋", "新风", "暖通", "给排水", "照明", "配电", "供电",
        "物业", "前台", "总部", "分公司", "公司", "集团", "部门", "团队", "小组", "中心", "厂商", "厂家", "供应商", "服务商",
        "客户", "用户", "会员", "合作", "伙伴", "项目", "系统", "平台", "管理", "后台", "数据", "报表", "信息", "网络", "软件",
        "硬件", "机房", "电梯", "空调", "门禁", "监控", "消防", "停车", "车位", "考勤", "报销", "审批", "工单", "合同", "订单",
        "发票", "开票", "开户", "付款", "收款", "对账", "结算", "库存", "发货", "退货", "年度", "月度", "季度", "日常", "临时", "专项", "节能",
        "周报", "月报", "日报", "年报",
        "智能", "智慧", "数字", "在线", "线上", "线下", "移动", "办公", "协同", "共享", "公共", "开放", "通用", "综合", "统一", "内部",
        "外部", "相关", "其他", "整体", "全部", "所有", "各类", "新版", "旧版", "老版", "升级", "改造", "搬迁", "建设", "上线",
        "对接", "沟通", "协调", "交接", "培训", "检查", "巡检", "测试", "试点", "计划", "方案", "调整", "优化", "整改", "另外",
        "然后", "还有", "只有", "没有", "已有", "现有", "以及", "关于", "这次", "那次", "目前", "现在", "已经", "今年", "明年", "去年", "下周", "本周", "默认",
        "手机", "电脑", "计算机", "指纹", "浏览器", "邮件", "转发", "回复", "示例", "样例", "范例", "某某", "部", "组", "群",
        // how a letter addresses the reader's organisation or its own ("贵店销售部郭亮介绍的")
        "贵店", "贵司", "贵公司", "贵方", "贵院", "贵行", "贵校", "贵单位", "贵厂", "本店", "我店", "本司", "我司", "我方",
        // English parts of field and tool names
        "app", "api", "secret", "key", "token", "id", "client", "access", "user", "name", "pass", "word", "web", "hook",
        "data", "admin", "login", "account", "service", "server", "cloud", "system", "platform", "manager", "support", "shop",
        "store", "online", "open", "auth", "code", "sign", "in", "out", "up"};
    std::stable_sort(w.begin(), w.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    return w;
  }();
  if (folded.empty()) return false;
  // Covered word by word, longest first (greedy is enough for words this plain).
  std::vector<bool> reach(folded.size() + 1, false);
  reach[0] = true;
  for (std::size_t i = 0; i < folded.size(); ++i) {
    if (!reach[i]) continue;
    for (const auto& w : words)
      if (folded.compare(i, w.size(), w) == 0) reach[i + w.size()] = true;
  }
  return reach[folded.size()];
}

// "杭州市特种设备检测研究院", "西湖区消防救援大队", "市场监督管理局": a public body, by what its name ends with.
bool public_body(const std::string& folded) {
  static constexpr std::string_view endings[] = {"局", "委员会", "管委会", "人民政府", "政府", "街道办事处", "街道办", "派出所",
                                                 "法院", "检察院", "大队", "支队", "海关", "居委会", "村委会", "办事处", "消防救援站"};
  if (std::any_of(std::begin(endings), std::end(endings), [&](std::string_view e) { return folded.ends_with(e) && folded.size() > e.size(); }))
    return true;
  // A research or testing institute of a city or province (a company's lab is 检测, not 研究院).
  const bool official = std::any_of(std::begin(places), std::end(places), [&](std::string_view p) {
    return folded.starts_with(std::string(p) + "市") || folded.starts_with(std::string(p) + "省");
  });
  return official && (folded.ends_with("研究院") || folded.ends_with("研究所") || folded.ends_with("检测院") || folded.ends_with("检验院"));
}

}  // namespace baton::gaps_detail

namespace baton {

using namespace gaps_detail;

namespace {

constexpr std::size_t max_evidence = 5;
constexpr std::size_t max_seen_in = 5;
constexpr std::size_t facts_per_entity = 3;
constexpr std::size_t max_facts = 40;
constexpr std::size_t max_demand = 30;

// --- dates --------------------------------------------------------------------------------------

// Days since 1970 of an ISO date; nullopt if it is not one.
std::optional<long> day_number(std::string_view iso) {
  if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
  std::tm tm{};
  try {
    tm.tm_year = std::stoi(std::string(iso.substr(0, 4))) - 1900;
    tm.tm_mon = std::stoi(std::string(iso.substr(5, 2))) - 1;
    tm.tm_mday = std::stoi(std::string(iso.substr(8, 2)));
  } catch (...) {
    return std::nullopt;
  }
  if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31) return std::nullopt;
  return static_cast<long>(timegm(&tm) / 86400);
}

// --- the material ---------------------------------------------------------------------------------

Evidence evidence_of(const Doc& d, const Unit* u = nullptr) {
  return {u ? u->id : std::string(), d.rec.id, d.rec.path, d.rec.title, u ? u->label : std::string(), d.rec.date};
}

std::vector<std::string> split_label(const std::string& label) {
  std::vector<std::string> out;
  static const std::string sep = " › ";
  for (std::size_t start = 0; start <= label.size();) {
    const std::size_t end = std::min(label.find(sep, start), label.size());
    if (end > start) out.push_back(clean_heading(label.substr(start, end - start)));
    start = end + sep.size();
  }
  return out;
}

// Reads every document's sections from the index.
void load_units(const fs::path& data_dir, std::vector<Doc>& docs) {
  Xapian::Database db(index_path(data_dir).string());
  for (Doc& d : docs) {
    const std::string term = std::string(schema::doc_prefix) + d.rec.id;
    std::vector<std::pair<double, Unit>> units;
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
      const Xapian::Document xdoc = db.get_document(*it);
      auto u = schema::decode_unit(xdoc.get_data());
      if (!u) continue;
      Unit unit{u->id, split_label(u->section), u->section, u->text, {}};
      unit.folded_text = fold(u->section + "\n" + u->text);
      units.emplace_back(Xapian::sortable_unserialise(xdoc.get_value(schema::ordinal_slot)), std::move(unit));
    }
    std::sort(units.begin(), units.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [order, unit] : units) d.units.push_back(std::move(unit));
  }
}

// --- cues: headings and labelled lines ------------------------------------------------------------

// The label of a line like "- 联系人：陳怡君" or "**Contacts**: ..." (folded), or "".
std::string line_label(std::string_view line) {
  line = trim(line);
  while (!line.empty() && (line.front() == '-' || line.front() == '*' || line.front() == '+' || line.front() == '|' || line.front() == ' '))
    line.remove_prefix(1);
  if (line.starts_with("•")) line.remove_prefix(std::string_view("•").size());
  std::size_t colon = std::min(line.find("："), line.find(':'));
  if (colon == std::string_view::npos || colon == 0 || colon > 36) return {};
  return fold(line.substr(0, colon));
}

// The characters of a unit's lines whose label matches the cues ("- 联系人：陳怡君"); 0 if none does.
std::size_t labelled_chars(const Unit& u, const CueSet& cues) {
  std::size_t chars = 0;
  for_each_line(u.text, [&](std::string_view line) {
    if (const std::string label = line_label(line); !label.empty() && cues.in(label))
      chars += static_cast<std::size_t>(std::count_if(line.begin(), line.end(), [](char c) { return (c & 0xC0) != 0x80 && c != ' '; }));
  });
  return chars;
}

bool labelled_line(const Unit& u, const CueSet& cues) { return labelled_chars(u, cues) > 0; }

bool heading_matches(const Unit& u, const CueSet& cues) {
  return std::any_of(u.headings.begin(), u.headings.end(), [&](const std::string& h) { return cues.in(fold(h)); });
}

std::size_t char_count(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80 && c != ' ' && c != '\n'; }));
}

// The trade name of a core (its first two Chinese characters, 知页 of 知页科技), or "" for a beginning many
// names share (中国, 华东, 智慧) and for a core too short to have one.
std::string trade_of_core(const std::vector<std::string>& chars) {
  static const std::set<std::string> general = {"中国", "中华", "国际", "华东", "华南", "华北", "华中", "西南", "西北", "东北",
                                                "全国", "环球", "亚洲", "东方", "新城", "智慧", "数字", "科技", "信息"};
  if (chars.size() < 3 || !is_han(chars[0]) || !is_han(chars[1])) return {};
  std::string t = chars[0] + chars[1];
  return general.count(t) ? std::string() : t;
}

// Union-find over candidates: names, abbreviations and domains of one company become one entity.
struct Merger {
  std::vector<std::size_t> parent;
  explicit Merger(std::size_t n) : parent(n) {
    for (std::size_t i = 0; i < n; ++i) parent[i] = i;
  }
  std::size_t find(std::size_t i) { return parent[i] == i ? i : parent[i] = find(parent[i]); }
  void join(std::size_t a, std::size_t b) { parent[find(b)] = find(a); }
};

bool same_company(const std::string& a, const std::string& b) {
  const bool da = is_domain(a), db = is_domain(b);
  if (da && db) return domain_label(a) == domain_label(b);
  if (da) return domain_matches(a, b);
  if (db) return domain_matches(b, a);
  const std::string ca = core_name(a), cb = core_name(b);
  if (ca.empty() || cb.empty()) return false;
  if (ca == cb) return true;
  if (has_cjk(ca) && has_cjk(cb)) return ca.size() <= cb.size() ? abbreviates(ca, cb) : abbreviates(cb, ca);
  if (!has_cjk(ca) && !has_cjk(cb)) {
    const std::string& s = ca.size() <= cb.size() ? ca : cb;
    const std::string& l = ca.size() <= cb.size() ? cb : ca;
    return s.size() >= 4 && l.starts_with(s);
  }
  // "Ningbo Lanzhou Small Appliance Co., Ltd." is 澜舟小家电: the Chinese name's first two characters,
  // in pinyin, are a word of the English one.
  const std::string& cjk = has_cjk(ca) ? ca : cb;
  const std::string& latin = has_cjk(ca) ? b : a;
  const auto chars = code_points(cjk);
  if (chars.size() < 2 || has_cjk(latin)) return false;
  const std::string py = pinyin(chars[0] + chars[1]);
  if (py.size() < 5) return false;
  std::string words = " ";
  for (char c : ascii_lower(latin)) words += std::isalnum(static_cast<unsigned char>(c)) ? c : ' ';
  words += ' ';
  return words.find(" " + py + " ") != std::string::npos;
}

}  // namespace

namespace {

std::vector<std::string> sentences(std::string_view text);

// --- the analysis ---------------------------------------------------------------------------------

struct EntityState {
  Entity entity;
  std::vector<std::string> folded_names;  // names to find in text (folded)
  std::set<std::string> mail_docs;       // conversations naming it (after find_mentions)
  std::set<std::string> correspondence;  // mails and chats with it (its organisation in the headers, a chat named for it)
  bool weak = true;                      // every name of it is weak evidence (see Candidate::weak)
  bool listed = false;                   // the team's list of clients or partners, or of its accounts, names it
  std::vector<Scope> write_ups;
  bool ignored = false;
};

class Analysis {
 public:
  Analysis(const Checklist& checklist, std::vector<Doc> docs, GapReport& report)
      : checklist_(checklist), docs_(std::move(docs)), report_(report) {
    for (const Doc& d : docs_) {
      by_id_[d.rec.id] = &d;
      filed_.push_back(filed_under_entity_kind(d));
      put_away_.push_back(archived_path(d.rec.path));
    }
  }

  void entities(const std::vector<EntityDecision>& decisions) {
    std::vector<Candidate> candidates = find_entities(checklist_, docs_);
    find_local_places(candidates);
    Merger merger(candidates.size());
    for (std::size_t i = 0; i < candidates.size(); ++i)
      for (std::size_t j = i + 1; j < candidates.size(); ++j)
        if (merger.find(i) != merger.find(j) && compatible(candidates[i], candidates[j]) && any_same(candidates[i], candidates[j]))
          merger.join(i, j);
    mail_pairs(candidates, merger);
    brand_pairs(candidates, merger);
    trade_name_pairs(candidates, merger);
    vendor_pairs(candidates, merger);
    project_pairs(candidates, merger);
    system_tail_pairs(candidates, merger);
    latin_brand_pairs(candidates, merger);
    unit_pairs(candidates, merger);
    maker_pairs(candidates, merger);
    shared_name_pairs(candidates, merger);
    std::map<std::size_t, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < candidates.size(); ++i) groups[merger.find(i)].push_back(i);
    for (const auto& [root, members] : groups) states_.push_back(merge(candidates, members));
    drop_own_organisation();
    drop_weak_parts();
    drop_common_names();
    apply(decisions);
    write_ups_by_file_name();
    drop_their_portals();
    drop_public_bodies();
    const auto named_in = documents_naming();
    for (std::size_t i = 0; i < states_.size(); ++i) {
      EntityState& s = states_[i];
      if (s.ignored) continue;
      find_mentions(s, named_in[i]);
      if (s.entity.kind.empty()) s.entity.kind = guess_kind(s);
      judge_write_up(s);
    }
    drop_partner_programmes();
    for (const auto& s : states_)
      if (s.ignored && !s.entity.decision.empty()) report_.ignored.push_back({s.entity.key, s.entity.name});
    std::erase_if(states_, [](const EntityState& s) {
      // A mail domain nobody wrote about and no conversation names is noise (a list server, a newsletter);
      // a system the team holds an account in (观澜看板 in 账号权限清单.csv) is one the successor will use.
      return s.ignored || (s.write_ups.empty() && s.entity.conversations == 0 && s.entity.decision.empty() && !(s.listed && s.entity.kind == "system"));
    });
    rank();
  }

  void areas(long as_of_day, int stale_days) {
    as_of_day_ = as_of_day;
    stale_days_ = stale_days;
    double total = 0;
    for (const ChecklistArea& area : checklist_.areas) {
      AreaReport r{area.id, area.zh, area.en, area.what, Coverage::missing, 0, {}, {}, {}};
      if (!area.entity.empty()) entity_area(area, r);
      else cue_area(area, r);
      total += r.score;
      report_.areas.push_back(std::move(r));
    }
    report_.score = checklist_.areas.empty() ? 0 : std::round(1000.0 * total / static_cast<double>(checklist_.areas.size())) / 10.0;
    report_.formula =
        "score = 100 × mean over the " + std::to_string(checklist_.areas.size()) +
        " areas of: covered 1, partial 0.5, missing 0; an entity area (clients, projects, partners, systems) scores "
        "the mean over its entities of the share of write-up fields covered (an entity without a write-up scores 0)";
  }

  void conversation_facts();
  void hygiene(const std::vector<std::pair<std::string, FindingRecord>>& findings, long as_of_day, int stale_days);

 private:
  static std::string top_kind(const Candidate& c) {
    return c.kinds.empty() ? std::string() : std::max_element(c.kinds.begin(), c.kinds.end(), [](const auto& x, const auto& y) { return x.second < y.second; })->first;
  }

  // A system or project is never the company in a mail ("云杉管理后台" is not yunshan-tech.com), and
  // two write-ups of different kinds are two things.
  static bool compatible(const Candidate& a, const Candidate& b) {
    const std::string ka = top_kind(a), kb = top_kind(b);
    if (!ka.empty() && !kb.empty()) return ka == kb;
    const std::string known = ka.empty() ? kb : ka;
    return known.empty() || known == "client" || known == "partner";
  }

  bool any_same(const Candidate& a, const Candidate& b) const {
    for (const auto& [na, _a] : a.names)
      for (const auto& [nb, _b] : b.names)
        if (same_company(without_local_place(na, nb), without_local_place(nb, na))) return true;
    return false;
  }

  // 南峤恒泰造纸, 南峤康帝食品, 南峤丰源啤酒: a beginning that three registered names of different companies
  // share is where they are registered, a place even if no list of places has it (a small or invented
  // one), not a trade name they share.
  void find_local_places(const std::vector<Candidate>& candidates) {
    std::map<std::string, std::set<std::string>> after;  // first two characters → the next two
    for (const Candidate& c : candidates)
      for (const auto& [n, _] : c.names) {
        const std::string f = fold(n);
        const auto chars = code_points(f);
        if (!f.ends_with("公司") || chars.size() < 8 || !is_han(chars[0]) || !is_han(chars[1]) || place_prefix(chars) > 0) continue;
        after[chars[0] + chars[1]].insert(chars[2] + chars[3]);
      }
    for (const auto& [prefix, trades] : after)
      if (trades.size() >= 3) local_places_.insert(prefix);
  }

  // "华峰印染有限公司" for 澄川华峰印染有限公司 beside a domain (huafeng-dyeing.com): a place of the material is
  // no part of the name a domain spells (chengchuan-water.cn, the team's own, would be every 澄川 company's).
  std::string without_local_place(const std::string& name, const std::string& other) const {
    if (!is_domain(other) || is_domain(name)) return name;
    const auto chars = code_points(fold(name));
    if (chars.size() < 5 || !local_places_.count(chars[0] + chars[1])) return name;
    std::size_t skip = 2;
    if (chars[2] == "县" || chars[2] == "市" || chars[2] == "区") ++skip;
    if (chars.size() < skip + 3) return name;
    std::string rest;
    for (std::size_t i = skip; i < chars.size(); ++i) rest += chars[i];
    return rest;
  }

  // Characters of the place a company's core starts with: a place of the material or of friso's list.
  std::size_t place_length(const std::vector<std::string>& core) const {
    if (core.size() >= 4 && local_places_.count(core[0] + core[1])) return 2;
    return place_prefix(core);
  }

  // "顺丰速运" and the write-up "顺丰月结及上门取件": a company's trade name (its name without the trade
  // words) that a write-up's name starts with is what the write-up is about. Looked up by the write-up
  // names' beginnings, not pair by pair (thousands of candidates on a large corpus).
  void brand_pairs(const std::vector<Candidate>& candidates, Merger& merger) const {
    std::unordered_map<std::string, std::vector<std::size_t>> by_brand;
    for (std::size_t i = 0; i < candidates.size(); ++i)
      if (candidates[i].write_ups.empty())
        for (const auto& [n, _] : candidates[i].names)
          if (!is_domain(n))
            if (std::string brand = brand_of(core_name(n)); !brand.empty()) by_brand[std::move(brand)].push_back(i);
    if (by_brand.empty()) return;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (candidates[i].write_ups.empty()) continue;
      for (const auto& [n, _] : candidates[i].names) {
        if (is_domain(n)) continue;
        std::string prefix;
        for (const auto& cp : code_points(core_name(n))) {
          prefix += cp;
          const auto it = by_brand.find(prefix);
          if (it == by_brand.end()) continue;
          for (std::size_t j : it->second)
            if (merger.find(i) != merger.find(j) && compatible(candidates[i], candidates[j])) merger.join(i, j);
        }
      }
    }
  }

  // "袁涛-卫嘉秩序" in a chat and the write-up of 卫嘉保安, "思源科技" in the contact list and the write-up of
  // 思源物业云: a company name that starts with the trade name (two characters) of something written up is
  // that one, a team of it or its maker. Not for general beginnings (中国, 华东) nor for projects, which are
  // named for their client.
  void trade_name_pairs(const std::vector<Candidate>& candidates, Merger& merger) const {
    const auto trade_name = [&](const std::string& name) -> std::string {
      return is_domain(name) ? std::string() : trade_of_core(code_points(core_name(name)));
    };
    std::unordered_map<std::string, std::vector<std::size_t>> written;  // trade name → written-up candidates
    for (std::size_t i = 0; i < candidates.size(); ++i)
      if (!candidates[i].write_ups.empty() && top_kind(candidates[i]) != "project")
        for (const auto& [n, _] : candidates[i].names)
          if (std::string t = trade_name(n); !t.empty())
            if (auto& w = written[t]; std::find(w.begin(), w.end(), i) == w.end()) w.push_back(i);
    for (std::size_t j = 0; j < candidates.size(); ++j) {
      const Candidate& c = candidates[j];
      const std::string kind = top_kind(c);
      if (!c.write_ups.empty() || (!kind.empty() && kind != "client" && kind != "partner")) continue;
      bool joined = false;
      for (const auto& [n, _] : c.names) {
        if (is_domain(n)) continue;
        // A registered name begins with its place, which may be a county the short list of places lacks
        // (中卫沙坡光伏发电有限公司 is 沙坡电站's): its core is also tried without a place of friso's list.
        const auto core = code_points(core_name(n));
        // Nor does it list every district: 绍兴柯桥蓝禾印染 is 蓝禾印染's when the rest is that name whole.
        struct Try {
          std::size_t skip;  // characters of place left out
          bool whole;        // a guessed district: the rest must be the written-up name, whole
        };
        std::vector<Try> tries = {{0, false}};
        if (fold(n).ends_with("公司")) {
          if (const std::size_t place = place_length(core); place > 0) tries.push_back({place, false});
          tries.insert(tries.end(), {{2, true}, {3, true}});
        }
        for (const auto& [skip, whole] : tries) {
          if (joined) break;
          if (core.size() < skip + 3) continue;
          const std::vector<std::string> a(core.begin() + static_cast<std::ptrdiff_t>(skip), core.end());
          const auto it = written.find(trade_of_core(a));
          if (it == written.end()) continue;
          // Two written-up things share it: a company's name is the company's (锦程汽车, not its portal
          // 锦程QIS); two companies, or two systems: unclear.
          std::vector<std::size_t> owners = it->second;
          if (owners.size() > 1)
            std::erase_if(owners, [&](std::size_t i) { const std::string k = top_kind(candidates[i]); return k != "client" && k != "partner"; });
          if (owners.size() != 1) continue;
          // The shared beginning is half the shorter name at least: 卫嘉 of 卫嘉秩序 and 卫嘉保安, not 虹桥云 of
          // 虹桥云栖锦岚酒店 and 虹桥云汇会展中心 (a district's name begins both).
          const auto& names = candidates[owners.front()].names;
          const bool close = std::any_of(names.begin(), names.end(), [&](const auto& w) {
            const auto b = code_points(core_name(w.first));
            if (whole) return b.size() >= 4 && a == b;
            std::size_t common = 0;
            while (common < a.size() && common < b.size() && a[common] == b[common]) ++common;
            return common >= 2 && 2 * common >= std::min(a.size(), b.size());
          });
          if (!close) continue;
          merger.join(owners.front(), j);
          joined = true;
        }
        if (joined) break;
      }
    }
  }

  // 能耗监测平台's write-up: "厂商"碳衡科技"": a company a system's write-up names as its maker (on a line
  // with 厂商, 供应商, 服务商, vendor) is listed with the system, not as a partner of its own.
  void vendor_pairs(const std::vector<Candidate>& candidates, Merger& merger) const {
    static const CueSet maker({"厂商", "厂家", "供应商", "服务商", "开发商", "提供商", "vendor", "supplier", "provider"});
    std::vector<std::size_t> companies;
    for (std::size_t j = 0; j < candidates.size(); ++j) {
      const std::string kind = top_kind(candidates[j]);
      if (candidates[j].write_ups.empty() && (kind.empty() || kind == "partner")) companies.push_back(j);
    }
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (candidates[i].write_ups.empty() || top_kind(candidates[i]) != "system") continue;
      for (const Scope& scope : candidates[i].write_ups)
        for (const Unit& u : scope.doc->units) {
          if (!scope.heading.empty() && std::find(u.headings.begin(), u.headings.end(), scope.heading) == u.headings.end()) continue;
          for (std::size_t pos = 0; pos < u.text.size();) {
            const std::size_t end = std::min(u.text.find('\n', pos), u.text.size());
            const std::string line = fold(std::string_view(u.text).substr(pos, end - pos));
            pos = end + 1;
            if (!maker.in(line)) continue;
            for (std::size_t j : companies)
              for (const auto& [n, _] : candidates[j].names)
                if (const std::string f = fold(n); !is_domain(n) && code_points(f).size() >= 3 && contains(line, f)) merger.join(i, j);
          }
        }
    }
  }

  // "电梯改造" in a mail's subject and the write-up of A座电梯更新改造: a project name whose characters all
  // come, in order, in a written-up project's name (four at least, half of it) is that project.
  void project_pairs(const std::vector<Candidate>& candidates, Merger& merger) const {
    const auto within = [](const std::vector<std::string>& a, const std::vector<std::string>& b) { return in_order(a, a.size(), b); };
    // (The Chinese of a name is what is said: "冷机改造" of 冷机节能改造_EMC.md; and "启明二期项目" is 启明二期.)
    const auto chinese = [](const std::string& name) {
      std::vector<std::string> out;
      for (auto& c : code_points(fold(name)))
        if (is_han(c)) out.push_back(std::move(c));
      return out;
    };
    for (std::size_t j = 0; j < candidates.size(); ++j) {
      if (!candidates[j].write_ups.empty() || top_kind(candidates[j]) != "project") continue;
      auto part = code_points(fold(candidates[j].name));
      if (part.size() >= 6 && part[part.size() - 2] + part.back() == "项目") part.resize(part.size() - 2);
      if (part.size() < 4) continue;
      for (std::size_t i = 0; i < candidates.size(); ++i) {
        if (candidates[i].write_ups.empty() || top_kind(candidates[i]) != "project") continue;
        const bool same = std::any_of(candidates[i].names.begin(), candidates[i].names.end(), [&](const auto& n) {
          for (const auto& whole : {code_points(fold(n.first)), chinese(n.first)})
            if (!whole.empty() && 2 * part.size() >= whole.size() && within(part, whole)) return true;
          return false;
        });
        if (same) {
          merger.join(i, j);
          break;
        }
      }
    }
  }

  // "报价系统里的车价要不要先改" and the write-up of 途易报价系统: a system named by what it is, that the end
  // (or the start) of one written-up system's name is, is that system (two written-up ones that end so: neither).
  void system_tail_pairs(const std::vector<Candidate>& candidates, Merger& merger) const {
    std::vector<std::size_t> written;
    for (std::size_t i = 0; i < candidates.size(); ++i)
      if (!candidates[i].write_ups.empty() && top_kind(candidates[i]) == "system") written.push_back(i);
    for (std::size_t j = 0; j < candidates.size(); ++j) {
      if (!candidates[j].write_ups.empty() || top_kind(candidates[j]) != "system") continue;
      const std::string tail = fold(candidates[j].name);
      if (!has_cjk(tail) || code_points(tail).size() < 3) continue;
      std::size_t found = candidates.size(), count = 0;
      for (const std::size_t i : written) {
        // ("易订云" of the write-up titled 易订云DMS（经销商订货平台）操作说明: its head too. "易订开放平台" of
        // 易订DMS: the product's console, its brand and a word for one.)
        static constexpr std::string_view consoles[] = {"开放平台", "管理后台", "后台", "开发者中心", "门户"};
        const bool ends = std::any_of(candidates[i].names.begin(), candidates[i].names.end(), [&](const auto& n) {
          const std::string whole = fold(n.first);
          if (whole.size() > tail.size() && (whole.ends_with(tail) || whole.starts_with(tail)) &&
              code_points(whole).size() >= code_points(tail).size() + 2)
            return true;
          const auto w = code_points(whole), t = code_points(tail);
          return w.size() >= 3 && t.size() >= 4 && is_han(w[0]) && is_han(w[1]) && w[0] == t[0] && w[1] == t[1] &&
                 std::any_of(std::begin(consoles), std::end(consoles), [&](std::string_view c) {
                   return tail.ends_with(c) && code_points(tail).size() == 2 + code_points(std::string(c)).size();
                 });
        });
        if (ends && merger.find(i) != found) {
          found = merger.find(i);
          ++count;
        }
      }
      if (count == 1) merger.join(found, j);
    }
  }

  // "MemoraCAT Server" in a mail and the write-up 系统工具/MemoraCAT服务器.md: a system named by a Latin word of
  // five letters or more is the one written-up system whose name starts with that word; so is the domain its
  // notices come from (notify.tradewharf.com of TradeWharf卖家后台). An organisation shares a brand written in
  // camel case only ("EuroHub Fulfilment B.V." and 供应商/EuroHub海外仓_荷兰.md; not "Pacific …").
  void latin_brand_pairs(const std::vector<Candidate>& candidates, Merger& merger) const {
    const auto brand = [](const std::string& name, bool camel) {
      std::string word;
      bool inner_capital = false;
      for (char c : std::string(trim(name))) {
        if (!std::isalpha(static_cast<unsigned char>(c))) break;
        inner_capital = inner_capital || (!word.empty() && std::isupper(static_cast<unsigned char>(c)) && std::islower(static_cast<unsigned char>(word.back())));
        word += c;
      }
      if (word.size() < 5 || (camel && !inner_capital)) return std::string();
      return ascii_lower(word);
    };
    for (std::size_t j = 0; j < candidates.size(); ++j) {
      if (!candidates[j].write_ups.empty()) continue;
      const std::string kind = top_kind(candidates[j]);
      const bool domain = is_domain(candidates[j].name);
      const bool organisation = kind == "client" || kind == "partner";
      if (!domain && kind != "system" && !organisation) continue;
      const std::string b = domain ? domain_label(candidates[j].name) : brand(candidates[j].name, organisation);
      if (b.size() < 5) continue;
      std::size_t found = candidates.size(), count = 0;
      for (std::size_t i = 0; i < candidates.size(); ++i) {
        const std::string other = top_kind(candidates[i]);
        if (candidates[i].write_ups.empty() || (domain ? other != "system" : other != kind)) continue;
        const bool named = std::any_of(candidates[i].names.begin(), candidates[i].names.end(),
                                       [&](const auto& n) { return brand(n.first, organisation) == b; });
        if (named && merger.find(i) != found) {
          found = merger.find(i);
          ++count;
        }
      }
      if (count == 1) merger.join(found, j);
    }
  }

  // "FaceGate,系统厂商,…" and "票易开,系统厂商,…" in the contact list beside the write-ups 系统/FaceGate闸机平台.md
  // and 系统/票易开电子发票_使用说明.md: an organisation called by the name a written-up system starts with (its
  // brand: a Latin word of five letters or more, or three Chinese characters or more) is the system's maker,
  // listed with the system, not a partner of its own.
  void maker_pairs(const std::vector<Candidate>& candidates, Merger& merger) const {
    std::vector<std::size_t> written;
    for (std::size_t i = 0; i < candidates.size(); ++i)
      if (!candidates[i].write_ups.empty() && top_kind(candidates[i]) == "system") written.push_back(i);
    for (std::size_t j = 0; j < candidates.size(); ++j) {
      const std::string kind = top_kind(candidates[j]);
      if (!candidates[j].write_ups.empty() || (!kind.empty() && kind != "partner")) continue;
      for (const auto& [n, _] : candidates[j].names) {
        if (is_domain(n)) continue;
        const std::string b = fold(n);
        const bool latin = !has_cjk(b);
        const auto chars = code_points(b);
        if (latin ? b.size() < 5 || !std::all_of(b.begin(), b.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); })
                  : chars.size() < 3 || !std::all_of(chars.begin(), chars.end(), is_han))
          continue;
        std::size_t found = candidates.size(), count = 0;
        for (const std::size_t i : written) {
          const bool starts = std::any_of(candidates[i].names.begin(), candidates[i].names.end(), [&](const auto& w) {
            const std::string f = fold(w.first);
            // (The brand whole: "FaceGate闸机平台", not "Facegates"; "票易开电子发票", not a longer Chinese word.)
            return f.size() > b.size() && f.starts_with(b) && (latin ? !std::isalpha(static_cast<unsigned char>(f[b.size()])) : code_points(f).size() >= chars.size() + 2);
          });
          if (starts && merger.find(i) != found) {
            found = merger.find(i);
            ++count;
          }
        }
        if (count == 1) {
          merger.join(found, j);
          break;
        }
      }
    }
  }

  // "piaoyikai.com", the sender of 【票易开】's notices, after the contact list's row "票易开,系统厂商,…,service@
  // piaoyikai.com" joined the system's write-up: a name another candidate brought into one written-up entity
  // is that entity's wherever it is seen.
  void shared_name_pairs(const std::vector<Candidate>& candidates, Merger& merger) const {
    std::unordered_set<std::size_t> written;  // groups with a write-up
    for (std::size_t i = 0; i < candidates.size(); ++i)
      if (!candidates[i].write_ups.empty()) written.insert(merger.find(i));
    std::unordered_map<std::string, std::set<std::size_t>> groups_named;  // folded name → written-up groups with it
    for (std::size_t i = 0; i < candidates.size(); ++i)
      if (const std::size_t root = merger.find(i); written.count(root))
        for (const auto& [n, _] : candidates[i].names) groups_named[fold(n)].insert(root);
    // ("颐信科技（颐管家）" in the contact list: the product its row names in brackets is the written-up 颐管家.)
    for (std::size_t j = 0; j < candidates.size(); ++j) {
      if (!candidates[j].write_ups.empty() || written.count(merger.find(j))) continue;
      for (const std::string& n : {candidates[j].name, candidates[j].bracketed}) {
        const std::string key = fold(n);
        if (code_points(key).size() < 3) continue;
        if (const auto it = groups_named.find(key); it != groups_named.end() && it->second.size() == 1) {
          merger.join(*it->second.begin(), j);
          break;
        }
      }
    }
  }

  // "汇澄银行股份有限公司" in the mails and the write-up of 汇澄银行股份有限公司金融科技创新实验室: a registered
  // name that one written-up entity's name starts with is that entity's organisation, the one the team deals with.
  void unit_pairs(const std::vector<Candidate>& candidates, Merger& merger) const {
    for (std::size_t j = 0; j < candidates.size(); ++j) {
      if (!candidates[j].write_ups.empty()) continue;
      const std::string whole = fold(strip_brackets(candidates[j].name));
      if (!candidates[j].name.ends_with("有限公司") || code_points(whole).size() < 6) continue;
      std::size_t found = candidates.size(), count = 0;
      for (std::size_t i = 0; i < candidates.size(); ++i) {
        if (candidates[i].write_ups.empty()) continue;
        const bool unit = std::any_of(candidates[i].names.begin(), candidates[i].names.end(), [&](const auto& n) {
          const std::string f = fold(strip_brackets(n.first));
          return f.size() > whole.size() + 3 && f.starts_with(whole);
        });
        if (unit && merger.find(i) != found) {
          found = merger.find(i);
          ++count;
        }
      }
      if (count == 1) merger.join(found, j);
    }
  }

  // A mail from one company's domain signed with one company name: the two are one company.
  void mail_pairs(const std::vector<Candidate>& candidates, Merger& merger) {
    std::unordered_map<std::string, std::size_t> by_name;
    for (std::size_t i = 0; i < candidates.size(); ++i)
      for (const auto& [n, _] : candidates[i].names) by_name[n] = i;
    // The own company's domain is in most mails; its products are named for it, but it is not their vendor.
    std::unordered_map<std::string, std::size_t> mails_with;
    std::size_t mails = 0;
    for (const Doc& d : docs_)
      if (d.conversation && d.rec.format == "mail") {
        ++mails;
        for (const auto& o : d.rec.organisations) ++mails_with[o];
      }
    const auto own_domain = [&](const std::string& domain) {
      const std::size_t n = mails_with.count(domain) ? mails_with.at(domain) : 0;
      return n >= 3 && static_cast<double>(n) >= 0.4 * static_cast<double>(mails);
    };
    for (const Doc& d : docs_) {
      if (!d.conversation || d.rec.participants.empty()) continue;
      std::string sender = d.rec.participants.front();
      const auto lt = sender.rfind('<');
      const std::string address = lt == std::string::npos ? sender : sender.substr(lt + 1, sender.find('>', lt) - lt - 1);
      const auto at = address.rfind('@');
      if (at == std::string::npos) continue;
      const std::string domain = ascii_lower(address.substr(at + 1));
      std::vector<std::string> named;
      for (const auto& o : d.rec.organisations)
        if (!is_domain(o)) named.push_back(o);
      if (by_name.count(domain) && !own_domain(domain)) vendor_mail(d, domain, by_name[domain], candidates, merger);
      if (named.size() != 1 || !by_name.count(domain) || !by_name.count(named.front())) continue;
      merger.join(by_name[domain], by_name[named.front()]);
    }
  }

  // A mail from huiyitong.cn about 会易通, from yunhui-expo.com about 虹桥云汇会展中心: the sender's domain
  // spells, in pinyin, a written-up system's or company's name that the mail names. The domain is that
  // one's maker or owner (a system's vendor is listed with the system, not as a client of its own).
  void vendor_mail(const Doc& d, const std::string& domain, std::size_t sender, const std::vector<Candidate>& candidates, Merger& merger) {
    const std::string word = domain_word(domain);
    if (word.size() < 5) return;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      const Candidate& c = candidates[i];
      // A project is named for its client (远帆春季新品发布会), not made by the sender's company.
      if (c.write_ups.empty() || top_kind(c) == "project" || merger.find(i) == merger.find(sender)) continue;
      for (const auto& [name, _] : c.names) {
        const std::string core = core_name(name);
        if (!has_cjk(core) || pinyin(core).find(word) == std::string::npos) continue;
        // The part of the name the domain spells: 会易通 of 会易通报名系统 for huiyitong.cn.
        std::string spelled;
        for (const auto& cp : code_points(core)) {
          spelled += cp;
          if (pinyin(spelled).find(word) != std::string::npos) break;
        }
        const auto named = [&](const std::string& n) {
          return code_points(n).size() >= 2 && (contains(d.folded_title, n) ||
                 std::any_of(d.units.begin(), d.units.end(), [&](const Unit& u) { return contains(u.folded_text, n); }));
        };
        if (named(fold(spelled))) {
          merger.join(i, sender);
          break;
        }
      }
    }
  }

  // "yunhui-expo.com" → "yunhui", "huiyitong.cn" → "huiyitong": the domain's distinctive word.
  static std::string domain_word(const std::string& domain) {
    std::string label;
    for (std::size_t start = 0; start < domain.size();) {
      const std::size_t dot = std::min(domain.find('.', start), domain.size());
      const std::string l = domain.substr(start, dot - start);
      if (l != "www" && l != "mail") {
        label = l;
        break;
      }
      start = dot + 1;
    }
    std::string word;
    for (char c : label) {
      if (!std::isalpha(static_cast<unsigned char>(c))) break;
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return word;
  }

  EntityState merge(const std::vector<Candidate>& candidates, const std::vector<std::size_t>& members) {
    EntityState s;
    std::map<std::string, int> names, kinds;
    for (std::size_t i : members) {
      const Candidate& c = candidates[i];
      for (const auto& [n, k] : c.names) names[n] += k;
      for (const auto& [k, w] : c.kinds) kinds[k] += w;
      s.write_ups.insert(s.write_ups.end(), c.write_ups.begin(), c.write_ups.end());
      s.mail_docs.insert(c.mail_docs.begin(), c.mail_docs.end());
      s.weak = s.weak && c.weak;
      s.listed = s.listed || c.listed;
    }
    // The name shown: the one its write-up uses, else the most frequent company name (not a domain).
    std::string shown;
    int best = -1;
    for (const auto& [n, k] : names) {
      const int score = (is_domain(n) ? 0 : 1000) + (n.ends_with("公司") || n.ends_with("Ltd") || n.ends_with("Ltd.") ? 500 : 0) + k;
      if (score > best) {
        best = score;
        shown = n;
      }
    }
    for (std::size_t i : members)
      if (!candidates[i].write_ups.empty()) shown = candidates[i].name;
    s.entity.name = shown;
    s.entity.key = fold(shown);
    for (const auto& [n, _] : names) {
      if (n != shown) s.entity.aliases.push_back(n);
      std::string f = is_domain(n) ? std::string() : fold(strip_brackets(n));
      if (code_points(f).size() >= 2 && std::find(s.folded_names.begin(), s.folded_names.end(), f) == s.folded_names.end())
        s.folded_names.push_back(f);
      // The short form people write: 华辰物流 for 北京华辰物流有限公司.
      if (const std::string core = core_name(n); !is_domain(n) && code_points(core).size() >= 2 &&
                                                 std::find(s.folded_names.begin(), s.folded_names.end(), core) == s.folded_names.end())
        s.folded_names.push_back(core);
      for (const std::string& form : short_forms(n))
        if (std::find(s.folded_names.begin(), s.folded_names.end(), form) == s.folded_names.end()) s.folded_names.push_back(form);
      // (金泽酿造 for 澄川金泽酿造有限公司: without the place of the material it is registered in.)
      if (const auto core = code_points(core_name(n)); !is_domain(n) && n.ends_with("公司") && core.size() >= 6 && local_places_.count(core[0] + core[1]) &&
                                                        !(core[2] == "县" || core[2] == "市" || core[2] == "区")) {
        std::string rest;
        for (std::size_t i = 2; i < core.size(); ++i) rest += core[i];
        if (std::find(s.folded_names.begin(), s.folded_names.end(), rest) == s.folded_names.end()) s.folded_names.push_back(rest);
      }
    }
    s.entity.kind = kinds.empty() ? std::string() : std::max_element(kinds.begin(), kinds.end(), [](const auto& a, const auto& b) { return a.second < b.second; })->first;
    return s;
  }

  // Other forms a name is written in: "速展物流" for 速展国际物流 (the trade name and its last trade word),
  // "成都站" for 西部智造巡展·成都站 (the part after the dot).
  static std::vector<std::string> short_forms(const std::string& name) {
    std::vector<std::string> out;
    if (is_domain(name)) return out;
    const std::string core = core_name(name);
    if (const std::string brand = brand_of(core); !brand.empty())
      for (const auto& word : trade_suffixes())
        if (core.ends_with(word) && core.size() > brand.size() + word.size()) {
          out.push_back(brand + word);
          break;
        }
    for (std::string_view dot : {"·", "・"})
      if (const auto at = name.rfind(dot); at != std::string::npos)
        if (const std::string tail = fold(name.substr(at + dot.size())); code_points(tail).size() >= 3) out.push_back(tail);
    return out;
  }

  // CP/零度像素_星海指挥官.md, 渠道/华为.md, 海外/遊悅數位_港澳台.md: a write-up in a folder the checklist
  // does not know (a trade's own word for its clients or partners) is found by its file's name, a name of
  // one entity and of no other, when its headings are a write-up's fields (联系人, 合作历史 ...): a quote
  // sheet or a note named after a client is not one.
  void write_ups_by_file_name() {
    for (const Doc& d : docs_) {
      if (d.conversation || in_entity_folder(d)) continue;
      const fs::path path(d.rec.path);
      // (A title that is its name alone makes it one without headings: "# 小米游戏中心" over labelled lines.)
      const std::string title = fold(strip_brackets(d.rec.title));
      const bool fields = write_up_fields(d) >= 2;
      std::vector<std::string> parts;
      std::string part;
      for (const std::string& cp : code_points(strip_brackets(path.stem().string()))) {
        if (cp == "_" || cp == "-" || cp == "&" || cp == "＆" || cp == " " || cp == "·" || cp == "、") {
          if (!part.empty()) parts.push_back(fold(part));
          part.clear();
        } else {
          part += cp;
        }
      }
      if (!part.empty()) parts.push_back(fold(part));
      // The entities a name names: its own name, its core, a name it starts, (three characters or
      // more) an abbreviation of its core: 鑫盛劳务 of 安徽鑫盛建筑劳务有限公司, or (four or more) the end of
      // a name after its region: 明德医院 of 华东明德医院.
      // ("知页阅读" of 知页科技（北京）有限公司: a registered company is also called by its trade name, its core's
      // first two characters, and what it runs.)
      const auto same_trade = [](const std::string& p, const std::string& name) {
        if (!name.ends_with("公司")) return false;
        const auto b = code_points(core_name(name));
        const std::string trade = trade_of_core(b);
        return b.size() >= 4 && !trade.empty() && code_points(p).size() >= 3 && p.starts_with(trade);
      };
      // (The trade name is the weaker reading: tried when no name is written so.)
      const auto named_by = [&](const std::string& p) {
        std::vector<EntityState*> out;
        const std::size_t n = code_points(p).size();
        if (n < 2 || (!has_cjk(p) && n < 3)) return out;
        for (bool by_trade : {false, true}) {
          for (auto& st : states_) {
            if (st.ignored || !st.write_ups.empty()) continue;
            if (std::any_of(st.folded_names.begin(), st.folded_names.end(), [&](const std::string& name) {
                  return by_trade ? same_trade(p, name)
                                  : name == p || core_name(name) == p || name.starts_with(p) || (n >= 3 && has_cjk(p) && abbreviates(p, core_name(name))) ||
                                        (n >= 4 && has_cjk(p) && name.ends_with(p) && !made_of_common_words(p));
                }))
              out.push_back(&st);
          }
          if (!out.empty()) break;
        }
        return out;
      };
      // A title that is the name of one entity alone; else the longest part of the file's name that names
      // one entity and no other ("劳务" of 劳务-鑫盛劳务 names several).
      std::vector<EntityState*> titled;
      if (code_points(title).size() >= 2)
        for (auto& st : states_)
          if (!st.ignored && st.write_ups.empty() &&
              std::find(st.folded_names.begin(), st.folded_names.end(), title) != st.folded_names.end())
            titled.push_back(&st);
      EntityState* named = titled.size() == 1 ? titled.front() : nullptr;
      if (!named && fields) {
        // ("睿保TPA": the Chinese name before the kind of business it is in Latin letters.)
        for (std::size_t i = 0, n = parts.size(); i < n; ++i) {
          const std::string& p = parts[i];
          std::size_t cjk_end = 0;
          while (cjk_end < p.size() && static_cast<unsigned char>(p[cjk_end]) >= 0x80) ++cjk_end;
          if (cjk_end > 0 && cjk_end < p.size() &&
              std::all_of(p.begin() + static_cast<std::ptrdiff_t>(cjk_end), p.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }))
            parts.push_back(p.substr(0, cjk_end));
        }
        std::stable_sort(parts.begin(), parts.end(), [](const std::string& a, const std::string& b) { return code_points(a).size() > code_points(b).size(); });
        for (const std::string& p : parts)
          if (const auto found = named_by(p); found.size() == 1) {
            named = found.front();
            break;
          }
      }
      if (named) named->write_ups.push_back({&d, {}});
    }
  }

  // True if a folder of `d`'s path puts it away: old/, 旧资料/, 归档/, archive/, zz_old/ (worked out once per
  // document, in the constructor).
  bool archived(const Doc& d) const { return put_away_[static_cast<std::size_t>(&d - docs_.data())]; }
  static bool archived_path(const std::string& path) {
    static const CueSet put_away({"旧资料", "旧版", "旧文档", "归档", "历史资料", "废弃"});  // (folded: 舊資料, 歸檔 too)
    for (const auto& part : fs::path(path).parent_path()) {
      const std::string folder = ascii_lower(part.string());
      for (std::string_view word : {"old", "archive", "archived", "deprecated", "obsolete"})
        if (folder == word || folder.ends_with("_" + std::string(word)) || folder.ends_with("-" + std::string(word)) ||
            folder.starts_with(std::string(word) + "_"))
          return true;
      if (put_away.in(fold(part.string()))) return true;
    }
    return false;
  }

  // True if a folder of `d`'s path is one for an entity kind (客户/, 供应商与合作方/, 04_系统/); worked out
  // once per document, in the constructor.
  bool in_entity_folder(const Doc& d) const { return filed_[static_cast<std::size_t>(&d - docs_.data())]; }
  bool filed_under_entity_kind(const Doc& d) const {
    const fs::path folders = fs::path(d.rec.path).parent_path();
    return std::any_of(folders.begin(), folders.end(), [&](const fs::path& part) { return entity_kind_of_folder(checklist_, part.string()) != nullptr; });
  }

  // The most fields of one entity kind that `d`'s headings name.
  std::size_t write_up_fields(const Doc& d) const {
    std::size_t best = 0;
    for (const auto& k : checklist_.entity_kinds) {
      std::size_t n = 0;
      for (const ChecklistField& field : k.fields) {
        const CueSet cues(field.cues);
        n += std::any_of(d.units.begin(), d.units.end(), [&](const Unit& u) { return heading_matches(u, cues); });
      }
      best = std::max(best, n);
    }
    return best;
  }

  // "华东智能家居" said twice is the 2026华东智能家居展 that has a write-up, not a company.
  void drop_weak_parts() {
    for (auto& s : states_) {
      if (!s.weak || !s.write_ups.empty()) continue;
      for (const auto& other : states_)
        if (&other != &s && !other.write_ups.empty() &&
            std::any_of(other.folded_names.begin(), other.folded_names.end(), [&](const std::string& big) {
              return std::any_of(s.folded_names.begin(), s.folded_names.end(), [&](const std::string& n) { return big != n && big.find(n) != std::string::npos; });
            }))
          s.ignored = true;
    }
  }

  // "店铺技术支持", "厂商", "服务平台", "另外改造": names made only of words any business uses name no one
  // thing; "杭州市特种设备检测研究院", "西湖区消防救援大队": public bodies the team deals with are not its
  // clients or partners. Dropped unless written up (a write-up makes it a thing of the handover).
  // (So is a place and what stands there: "慈溪工厂" is where the client loads, "北仑仓库" a warehouse.)
  void drop_common_names() {
    static constexpr std::string_view sites[] = {"工厂", "厂区", "厂", "仓库", "仓", "门店", "工地", "基地", "办公室", "分公司", "总部"};
    const auto site = [](const std::string& n) {
      return std::any_of(std::begin(sites), std::end(sites), [&](std::string_view w) {
        return n.size() > w.size() && n.ends_with(w) && is_place(n.substr(0, n.size() - w.size()));
      });
    };
    for (auto& s : states_) {
      if (!s.write_ups.empty()) continue;
      bool common = !s.folded_names.empty();
      for (const std::string& n : s.folded_names) common = common && (made_of_common_words(n) || site(n));
      if (common) s.ignored = true;
    }
  }

  // "游程优选酒店计划" in the mail of 游程旅行网: a 计划 named with a partner's name is the partner's programme,
  // which the team joins or not, not an undertaking of its own (a project named with a client's name,
  // 启明二期, is the team's work for that client).
  void drop_partner_programmes() {
    for (auto& s : states_) {
      if (s.ignored || s.entity.kind != "project" || !s.write_ups.empty() || !s.entity.decision.empty()) continue;
      const std::string name = fold(s.entity.name);
      if (!name.ends_with("计划")) continue;
      s.ignored = std::any_of(states_.begin(), states_.end(), [&](const EntityState& o) {
        if (&o == &s || o.ignored || o.entity.kind != "partner") return false;
        const auto core = code_points(core_name(o.entity.name));
        return core.size() >= 2 && has_cjk(core[0]) && name.starts_with(core[0] + core[1]);
      });
    }
  }

  // "声海内容合作平台" beside the write-up of the channel 声海FM (声海网络科技有限公司): a platform named with the
  // trade name of a written-up client is that client's (its portal, where the team uploads and reads its
  // statements), and so is a partner's portal for its merchants or suppliers; covered under their write-up,
  // not a system of the team's. (A partner's product the team runs, 云健SaaS of 云健科技, stays.)
  void drop_their_portals() {
    static const CueSet portal({"合作平台", "商户", "商家", "供应商", "门户", "开放平台", "portal"});
    for (auto& s : states_) {
      if (s.ignored || s.entity.kind != "system" || !s.write_ups.empty() || !s.entity.decision.empty()) continue;
      const std::string name = fold(s.entity.name);
      if (code_points(name).size() < 4) continue;
      s.ignored = std::any_of(states_.begin(), states_.end(), [&](const EntityState& o) {
        if (&o == &s || o.ignored || o.write_ups.empty()) return false;
        const std::string kind = o.entity.kind.empty() ? guess_kind(o) : o.entity.kind;  // (a mail's organisation: guessed later)
        if (kind != "client" && (kind != "partner" || !portal.in(name))) return false;
        return std::any_of(o.folded_names.begin(), o.folded_names.end(), [&](const std::string& n) {
          const std::string trade = trade_of_core(code_points(core_name(n)));
          return !trade.empty() && name.starts_with(trade);
        });
      });
    }
  }

  // A public body (市场监管局, 海关) the team deals with but keeps no write-up of is the state's, not an
  // entity to hand over; one with a write-up (清溪医保.md of 清溪市医疗保障局), one the team's list of clients
  // names (a sanitation contractor's 街道办事处), or one a person confirmed, is one.
  void drop_public_bodies() {
    for (auto& s : states_)
      if (s.write_ups.empty() && s.entity.decision.empty() && !s.listed &&
          std::any_of(s.folded_names.begin(), s.folded_names.end(), [](const std::string& n) { return public_body(n); }))
        s.ignored = true;
  }

  // The team's own company: the organisation most mails name, when it is in at least 40% of them and
  // in three or more (with fewer mails a client who wrote them all would look the same).
  void drop_own_organisation() {
    std::size_t mails = 0;
    for (const Doc& d : docs_) mails += d.conversation && d.rec.format == "mail";
    std::size_t best = 0, count = 0;
    for (std::size_t i = 0; i < states_.size(); ++i) {
      // Mails only: a client's chat export has a document per day, a contact list names everyone.
      const std::size_t n = static_cast<std::size_t>(std::count_if(states_[i].mail_docs.begin(), states_[i].mail_docs.end(), [&](const std::string& id) {
        const Doc* d = doc(id);
        return d && d->rec.format == "mail";
      }));
      if (n > count) {
        count = n;
        best = i;
      }
    }
    if (mails < 3 || count < 3 || static_cast<double>(count) < 0.4 * static_cast<double>(mails)) {
      if (const auto team = contact_list_majority(); team && !states_[*team].ignored) drop_own(*team);
      else drop_own(std::nullopt);
      return;
    }
    drop_own(best);
  }

  // "湖州筠澜纺织有限公司（下面简称筠澜）外贸业务部订单运营主管", "公司：宁波甬灿电器有限公司（简称甬灿电器）":
  // the handover's overview (交接文档, README, 先看这个, 交接说明, 总览) names first the company the leaver
  // works for, and the short name it goes by. Folded; empty if no overview names a registered company.
  std::vector<std::string> overview_own_names() const {
    static const CueSet overview({"readme", "先看", "交接说明", "交接文档", "总览", "overview"});
    static constexpr std::string_view registered = "有限公司";
    std::vector<const Doc*> overviews;
    for (const Doc& d : docs_)
      if (!d.conversation && overview.in(fold(fs::path(d.rec.path).filename().string()))) overviews.push_back(&d);
    std::sort(overviews.begin(), overviews.end(), [](const Doc* a, const Doc* b) { return a->rec.path < b->rec.path; });
    for (const Doc* d : overviews)
      for (const Unit& u : d->units)
        for (std::size_t at = u.text.find(registered); at != std::string::npos; at = u.text.find(registered, at + 1)) {
          std::size_t start = at, n = 0;
          while (start > 0 && n < 20) {
            std::size_t b = start - 1;
            while (b > 0 && (static_cast<unsigned char>(u.text[b]) & 0xC0) == 0x80) --b;
            const std::string cp = u.text.substr(b, start - b);
            if ((!is_han(cp) && cp != "（" && cp != "）") || registered_name_breaks.find(cp) != std::string_view::npos) break;
            start = b;
            ++n;
          }
          if (n < 4) continue;
          // "本岗位负责杭州瀚庭物业服务有限公司": the name starts at its place, where one is named.
          auto chars = code_points(u.text.substr(start, at - start));
          for (std::size_t k = 1; k + 3 < chars.size(); ++k)
            if (std::vector<std::string> rest(chars.begin() + static_cast<std::ptrdiff_t>(k), chars.end()); place_prefix(rest) > 0) {
              chars = std::move(rest);
              break;
            }
          std::string name;
          for (const auto& c : chars) name += c;
          std::vector<std::string> names = {fold(name + std::string(registered))};
          // "（简称“甬灿电器”）", "（下面简称筠澜）": the short name it goes by.
          const std::string_view after = std::string_view(u.text).substr(at + registered.size());
          if (after.starts_with("（") || after.starts_with("(")) {
            const std::size_t close = std::min(after.find("）"), after.find(")"));
            const std::string_view remark = after.substr(0, close);
            if (const std::size_t short_name = remark.find("简称"); short_name != std::string_view::npos) {
              std::string alias = fold(remark.substr(short_name + std::string_view("简称").size()));
              for (const std::string_view cut : {"，", "、", "英文"})
                if (const std::size_t c = alias.find(cut); c != std::string::npos) alias.resize(c);
              if (code_points(alias).size() >= 2) names.push_back(alias);
            }
          }
          return names;
        }
    return {};
  }

  // Without mails enough to tell, a contact list tells: the organisation of most of its rows (three at
  // least, twice as many as any other) is the team's own.
  std::optional<std::size_t> contact_list_majority() const {
    std::map<std::string, std::size_t> rows;
    for (const Doc& d : docs_)
      if (d.contact_list)
        for_each_contact_row(d, [&](const std::vector<std::string>& cells, const ContactColumns& columns) { ++rows[fold(clean_heading(cells[columns.organisation]))]; });
    std::string top;
    std::size_t first = 0, second = 0;
    for (const auto& [name, n] : rows)
      if (n > first) {
        second = first;
        first = n;
        top = name;
      } else if (n > second) {
        second = n;
      }
    if (first < 3 || first < 2 * second) return std::nullopt;
    for (std::size_t i = 0; i < states_.size(); ++i)
      if (std::find(states_[i].folded_names.begin(), states_[i].folded_names.end(), top) != states_[i].folded_names.end()) return i;
    return std::nullopt;
  }

  void drop_own(std::optional<std::size_t> best) {
    if (best) {
      EntityState& own = states_[*best];
      report_.own_organisation.push_back(own.entity.name);
      for (const auto& a : own.entity.aliases) report_.own_organisation.push_back(a);
      own_ = own.folded_names;
      own.ignored = true;
      also_own(own);
    }
    for (std::string& name : overview_own_names())
      if (std::find(own_.begin(), own_.end(), name) == own_.end()) {
        report_.own_organisation.push_back(name);
        own_.push_back(std::move(name));
      }
    // "杭州启衡云" of 杭州启衡云链科技: a piece of the own company's name is the own company; "云杉云仓" of
    // 云杉科技, named for it, is its own product (the team's own products are not things to hand over as
    // clients', partners' or vendors').
    std::set<std::string> trade_names;
    for (const auto& own_name : own_) {
      auto chars = code_points(core_name(own_name));
      // (南峤水务's trade name is 水务 where 南峤 is the city: not 南峤, which every local company has.)
      if (const std::size_t place = place_length(chars); place > 0) chars.erase(chars.begin(), chars.begin() + static_cast<std::ptrdiff_t>(place));
      if (chars.size() >= 3 && is_han(chars[0]) && is_han(chars[1])) trade_names.insert(chars[0] + chars[1]);
    }
    for (auto& s : states_)
      if (s.write_ups.empty())
        for (const auto& n : s.folded_names) {
          const auto chars = code_points(n);
          if (std::any_of(own_.begin(), own_.end(), [&](const std::string& own_name) { return own_name.find(n) != std::string::npos; }) ||
              (chars.size() >= 3 && trade_names.count(chars[0] + chars[1])))
            s.ignored = true;
        }
  }

  // "公司对外简称“南峤水务”（南峤水务集团有限公司），邮箱域名 nqwater.com.cn": a line of the team's documents
  // that gives the own company's mail domain names the company too.
  void also_own(const EntityState& own) {
    std::vector<std::string> domains;
    std::vector<std::string> names = own.entity.aliases;
    names.push_back(own.entity.name);
    for (const std::string& n : names)
      if (is_domain(n)) domains.push_back(ascii_lower(n));
    if (domains.empty()) return;
    for (const Doc& d : docs_) {
      if (d.conversation || d.contact_list) continue;
      for (const Unit& u : d.units)
        for (std::size_t pos = 0; pos < u.text.size();) {
          const std::size_t end = std::min(u.text.find('\n', pos), u.text.size());
          const std::string line = ascii_lower(std::string_view(u.text).substr(pos, end - pos));
          pos = end + 1;
          if (std::none_of(domains.begin(), domains.end(), [&](const std::string& dm) { return contains(line, dm); })) continue;
          const std::string folded = fold(line);
          for (auto& s : states_) {
            // (A company: "看共享邮箱 order@… 和禾询小程序后台" names the team's own system, not its company.)
            if (s.ignored || !s.write_ups.empty() || s.entity.kind == "system" || s.entity.kind == "project") continue;
            const bool named = std::any_of(s.folded_names.begin(), s.folded_names.end(), [&](const std::string& n) {
              return code_points(n).size() >= 4 && !is_domain(n) && contains(folded, n);
            });
            if (!named) continue;
            s.ignored = true;
            report_.own_organisation.push_back(s.entity.name);
            own_.insert(own_.end(), s.folded_names.begin(), s.folded_names.end());
          }
        }
    }
  }

  void apply(const std::vector<EntityDecision>& decisions) {
    // What a person added because the report missed it ("海防外发", a project the team only talks
    // about): from now on found by its name like any other. A name the report already has confirms
    // that one.
    for (const EntityDecision& d : decisions) {
      if (d.action != "add") continue;
      const std::string name(trim(d.key)), folded = fold(name);
      if (code_points(folded).size() < 2) continue;
      const auto known = std::find_if(states_.begin(), states_.end(), [&](const EntityState& s) {
        return !s.ignored && (s.entity.key == folded || std::find(s.folded_names.begin(), s.folded_names.end(), folded) != s.folded_names.end());
      });
      if (known != states_.end()) {
        known->entity.decision = "confirmed";
        if (checklist_.entity_kind(d.value)) known->entity.kind = d.value;
        continue;
      }
      EntityState added;
      added.entity.key = name;
      added.entity.name = name;
      if (checklist_.entity_kind(d.value)) added.entity.kind = d.value;
      added.entity.decision = "added";
      added.folded_names.push_back(folded);
      added.weak = false;
      states_.push_back(std::move(added));
    }
    for (const EntityDecision& d : decisions) {
      auto it = std::find_if(states_.begin(), states_.end(), [&](const EntityState& s) { return s.entity.key == d.key; });
      if (it == states_.end()) continue;
      if (d.action == "ignore") {
        it->ignored = true;
        it->entity.decision = "ignored";
      }
      else if (d.action == "confirm") {
        it->entity.decision = "confirmed";
        if (!d.value.empty() && checklist_.entity_kind(d.value)) it->entity.kind = d.value;
      } else if (d.action == "kind" && checklist_.entity_kind(d.value)) {
        it->entity.kind = d.value;
      } else if (d.action == "rename" && !d.value.empty()) {
        it->entity.aliases.push_back(it->entity.name);
        it->entity.name = d.value;
        if (auto f = fold(d.value); code_points(f).size() >= 2) it->folded_names.push_back(f);
      }
    }
    for (const EntityDecision& d : decisions) {
      if (d.action != "merge") continue;
      auto from = std::find_if(states_.begin(), states_.end(), [&](const EntityState& s) { return s.entity.key == d.key; });
      auto into = std::find_if(states_.begin(), states_.end(), [&](const EntityState& s) { return s.entity.key == d.value; });
      if (from == states_.end() || into == states_.end() || from == into || from->ignored || into->ignored) continue;
      into->entity.aliases.push_back(from->entity.name);
      for (const auto& a : from->entity.aliases) into->entity.aliases.push_back(a);
      into->folded_names.insert(into->folded_names.end(), from->folded_names.begin(), from->folded_names.end());
      into->write_ups.insert(into->write_ups.end(), from->write_ups.begin(), from->write_ups.end());
      into->mail_docs.insert(from->mail_docs.begin(), from->mail_docs.end());
      from->ignored = true;
    }
  }

  // A correspondent nobody filed anywhere: a supplier if its mails talk like one, else a client.
  std::string guess_kind(const EntityState& s) const {
    // A write-up reads like one of a kind: "联系人 / 协议 / 合作方式 / 重要事项" are a partner's fields,
    // "交易历史 / 需求 / 偏好" a client's (保司&TPA/安澜人寿_团险.md at an insurance broker).
    std::size_t as_partner = 0, as_client = 0;
    for (const auto& k : checklist_.entity_kinds) {
      if (k.id != "partner" && k.id != "client") continue;
      std::size_t n = 0;
      for (const ChecklistField& field : k.fields) {
        const CueSet cues(field.cues);
        n += std::any_of(s.write_ups.begin(), s.write_ups.end(), [&](const Scope& w) {
          const auto units = units_of(w);
          return std::any_of(units.begin(), units.end(), [&](const Unit* u) { return heading_matches(*u, cues); });
        });
      }
      (k.id == "partner" ? as_partner : as_client) = n;
    }
    if (as_partner != as_client && std::max(as_partner, as_client) >= 2) return as_partner > as_client ? "partner" : "client";
    static const CueSet partner_words({"供货", "供应", "采购", "代工", "货代", "订舱", "报价调整", "涨价", "合作方", "服务商",
                                       "实施", "代运营", "外包", "厂商", "承接", "承运", "运输", "supplier", "vendor"});
    static const CueSet client_words({"询价", "下单", "订单", "采购需求", "需求", "续约", "续费", "投诉", "客户",
                                      "purchase order", "customer"});
    int partner = 0, client = 0;
    for (const auto& id : s.mail_docs) {
      const Doc* d = doc(id);
      if (!d) continue;
      // In a conversation with it every sentence counts; elsewhere those that name it.
      // (A contact list names everyone: there its own row counts.)
      const bool with_it = s.correspondence.count(id) > 0 && !d->contact_list;
      for (const Unit& u : d->units)
        for (const std::string& f : folded_sentences_of(u)) {
          if (!with_it && std::none_of(s.folded_names.begin(), s.folded_names.end(), [&](const std::string& n) { return contains(f, n); }))
            continue;
          partner += partner_words.in(f);
          client += client_words.in(f);
        }
    }
    return partner > client ? "partner" : "client";
  }

  bool is_own(const std::string& folded_name) const {
    return std::find(own_.begin(), own_.end(), folded_name) != own_.end();
  }

  // For every entity, the documents whose title or text names it: one pass over all text, names looked
  // up by their first character (every entity against every document was minutes on a large corpus).
  std::vector<std::set<const Doc*>> documents_naming() const {
    std::unordered_map<std::string, std::vector<std::pair<const std::string*, std::size_t>>> by_first;
    for (std::size_t i = 0; i < states_.size(); ++i) {
      if (states_[i].ignored) continue;
      for (const std::string& n : states_[i].folded_names)
        if (!n.empty() && !is_own(n)) by_first[code_points(std::string_view(n).substr(0, 4)).front()].emplace_back(&n, i);
    }
    // "公交集团" of 临江市公共交通集团有限公司, "清溪农商银行" of 清溪农村商业银行股份有限公司: an organisation is
    // called by the first character of each word of its name, without its city, keeping what it is
    // (集团, 银行, 医院). Such a form is found where it is written (four characters or more).
    struct Abbreviable {
      std::vector<std::string> chars;  // the name without its place and legal form
      std::size_t state;
    };
    std::unordered_map<std::string, std::vector<Abbreviable>> abbreviable;
    for (std::size_t i = 0; i < states_.size(); ++i) {
      if (states_[i].ignored) continue;
      for (const std::string& n : states_[i].folded_names) {
        std::string f = fold(strip_brackets(n));
        for (std::string_view legal : {"股份有限公司", "有限责任公司", "有限公司"})
          if (f.ends_with(legal)) f.resize(f.size() - legal.size());
        auto chars = code_points(f);
        if (chars.size() < 5 || !std::all_of(chars.begin(), chars.end(), [](const std::string& c) { return is_han(c); })) continue;
        chars.erase(chars.begin(), chars.begin() + static_cast<std::ptrdiff_t>(place_prefix(chars)));
        static const std::set<std::string> kinds = {"集团", "银行", "医院", "大学", "学院", "中心", "学校", "协会"};
        if (chars.size() < 5 || !kinds.count(chars[chars.size() - 2] + chars.back())) continue;
        abbreviable[chars.front()].push_back({std::move(chars), i});
      }
    }
    std::vector<std::set<const Doc*>> out(states_.size());
    const auto abbreviated_at = [&](const std::string& text, std::size_t pos, const Abbreviable& a) {
      std::vector<std::string> next;  // the characters from pos, as many as the name has
      for (std::size_t p = pos; p < text.size() && next.size() + 1 < a.chars.size();) {
        const auto c = static_cast<unsigned char>(text[p]);
        const std::size_t len = std::min<std::size_t>(utf8_length(c), text.size() - p);
        next.push_back(text.substr(p, len));
        p += len;
      }
      for (std::size_t n = 4; n <= next.size(); ++n) {
        if (next[n - 2] != a.chars[a.chars.size() - 2] || next[n - 1] != a.chars.back()) continue;
        std::size_t j = 0;  // the form's characters appear in the name in order
        for (const auto& c : a.chars)
          if (j < n && c == next[j]) ++j;
        if (j == n) return true;
      }
      return false;
    };
    const auto scan = [&](const std::string& text, const Doc& d) {
      for (std::size_t pos = 0; pos < text.size();) {
        const auto c = static_cast<unsigned char>(text[pos]);
        const std::size_t len = std::min<std::size_t>(utf8_length(c), text.size() - pos);
        const std::string first = text.substr(pos, len);
        if (const auto it = by_first.find(first); it != by_first.end())
          for (const auto& [name, i] : it->second)
            if (text.compare(pos, name->size(), *name) == 0) out[i].insert(&d);
        if (len > 1)
          if (const auto it = abbreviable.find(first); it != abbreviable.end())
            for (const Abbreviable& a : it->second)
              if (abbreviated_at(text, pos, a)) out[a.state].insert(&d);
        pos += len;
      }
    };
    for (const Doc& d : docs_) {
      scan(d.folded_title, d);
      for (const Unit& u : d.units) scan(u.folded_text, d);
    }
    return out;
  }

  void find_mentions(EntityState& s, const std::set<const Doc*>& naming) {
    std::vector<std::pair<std::string, const Doc*>> conversations;  // date, doc
    for (const Doc& d : docs_) {
      if (!s.mail_docs.count(d.rec.id) && !naming.count(&d)) continue;
      // A chat export named for it ("微信_明川零售_李娜.txt") is a conversation with it.
      if (d.rec.format == "chat") {
        const std::string stem = fold(fs::path(d.rec.path).stem().string());
        if (std::any_of(s.folded_names.begin(), s.folded_names.end(), [&](const std::string& n) { return !is_own(n) && contains(stem, n); }))
          s.mail_docs.insert(d.rec.id);
      }
      // A contact list is a record of whom the team talks to, as a mail is.
      if (d.conversation || d.contact_list) conversations.emplace_back(d.rec.date, &d);
      else ++s.entity.mentions;
    }
    std::sort(conversations.begin(), conversations.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    s.entity.conversations = conversations.size();
    // Last seen in a mail or chat: a contact list's date is when someone edited the list.
    for (const auto& [date, d] : conversations)
      if (d->conversation) {
        s.entity.last_seen = date;
        break;
      }
    for (std::size_t i = 0; i < conversations.size() && i < max_seen_in; ++i)
      s.entity.seen_in.push_back(evidence_of(*conversations[i].second));
    s.correspondence = std::move(s.mail_docs);
    s.mail_docs.clear();
    for (const auto& [date, d] : conversations) s.mail_docs.insert(d->rec.id);
  }

  // The units of a write-up.
  static std::vector<const Unit*> units_of(const Scope& scope) {
    std::vector<const Unit*> out;
    for (const Unit& u : scope.doc->units)
      if (scope.heading.empty() || (!u.headings.empty() && u.headings.front() == scope.heading)) out.push_back(&u);
    return out;
  }

  void judge_write_up(EntityState& s) {
    Entity& e = s.entity;
    const EntityKind* kind = checklist_.entity_kind(e.kind);
    for (const Scope& w : s.write_ups) {
      const auto units = units_of(w);
      e.write_ups.push_back(evidence_of(*w.doc, w.heading.empty() || units.empty() ? nullptr : units.front()));
    }
    if (!kind) return;
    std::size_t covered = 0;
    std::vector<std::string> missing;
    for (const ChecklistField& field : kind->fields) {
      FieldCoverage fc{field.id, field.zh, field.en, Coverage::missing, {}};
      const CueSet cues(field.cues);
      for (const Scope& w : s.write_ups)
        for (const Unit* u : units_of(w)) {
          const bool by_heading = w.heading.empty() ? heading_matches(*u, cues) : heading_has_field(*u, cues);
          if ((by_heading || labelled_line(*u, cues)) && fc.evidence.size() < 2) {
            fc.state = Coverage::covered;
            fc.evidence.push_back(evidence_of(*w.doc, u));
          }
        }
      if (fc.state == Coverage::covered) ++covered;
      else missing.push_back(field.zh + " " + field.en);
      e.fields.push_back(std::move(fc));
    }
    e.write_up = s.write_ups.empty() ? Coverage::missing : covered == kind->fields.size() ? Coverage::covered : Coverage::partial;
    if (s.write_ups.empty()) e.summary = e.name + "：没有单独的资料 no write-up";
    else if (!missing.empty()) {
      e.summary = e.name + "：缺 missing ";
      for (std::size_t i = 0; i < missing.size(); ++i) e.summary += (i ? "、" : "") + missing[i];
    }
  }

  // In a roll-up's entity section, the heading is the entity's name: only deeper headings name fields.
  static bool heading_has_field(const Unit& u, const CueSet& cues) {
    return u.headings.size() > 1 && std::any_of(u.headings.begin() + 1, u.headings.end(), [&](const std::string& h) { return cues.in(fold(h)); });
  }

  void rank() {
    const auto as_of = day_number(report_.as_of).value_or(0);
    const auto weight = [&](const Entity& e) {
      const auto seen = day_number(e.last_seen);
      const long age = seen ? as_of - *seen : 365;
      const double recency = std::max(0.0, 1.0 - static_cast<double>(std::max(0L, age)) / 365.0);
      return static_cast<double>(e.conversations) * (0.5 + recency);
    };
    std::stable_sort(states_.begin(), states_.end(), [&](const EntityState& a, const EntityState& b) {
      const int wa = a.entity.write_up == Coverage::missing ? 0 : a.entity.write_up == Coverage::partial ? 1 : 2;
      const int wb = b.entity.write_up == Coverage::missing ? 0 : b.entity.write_up == Coverage::partial ? 1 : 2;
      if (wa != wb) return wa < wb;
      return weight(a.entity) > weight(b.entity);
    });
    for (auto& s : states_) report_.entities.push_back(s.entity);
  }

  void entity_area(const ChecklistArea& area, AreaReport& r) {
    double sum = 0;
    std::size_t n = 0, with_write_up = 0, full = 0;
    std::vector<std::string> lacking;
    for (const Entity& e : report_.entities) {
      if (e.kind != area.entity) continue;
      ++n;
      r.entities.push_back(e.key);
      const auto covered = static_cast<double>(std::count_if(e.fields.begin(), e.fields.end(), [](const FieldCoverage& f) { return f.state == Coverage::covered; }));
      sum += e.write_ups.empty() || e.fields.empty() ? 0.0 : covered / static_cast<double>(e.fields.size());
      with_write_up += !e.write_ups.empty();
      full += e.write_up == Coverage::covered;
      if (e.write_up != Coverage::covered && lacking.size() < 6) lacking.push_back(e.summary);
      for (const auto& w : e.write_ups)
        if (r.evidence.size() < max_evidence) r.evidence.push_back(w);
    }
    const EntityKind* kind = checklist_.entity_kind(area.entity);
    if (n == 0) {
      r.missing = "no " + (kind ? kind->en : area.entity) + " found in the material (没有找到" + (kind ? kind->zh : area.entity) + ")";
      return;
    }
    r.score = sum / static_cast<double>(n);
    r.state = full == n ? Coverage::covered : with_write_up == 0 ? Coverage::missing : Coverage::partial;
    r.missing = std::to_string(full) + " of " + std::to_string(n) + " complete";
    for (const auto& l : lacking) r.missing += "; " + l;
  }

  void cue_area(const ChecklistArea& area, AreaReport& r) {
    const CueSet cues(area.cues);
    std::size_t chars = 0, placeholders = 0, unfinished = 0, sections = 0;
    std::set<std::string> seen, area_docs, stale_docs;
    std::string stale_guide;  // the area's own guide (模板说明.md, 报表说明.md), if it is out of date
    std::string stale_procedure;  // a document of the area's own kind (an SOP) that is out of date
    std::string area_text;    // its sections, folded (for unlisted_in_conversation)
    static const CueSet guide_words({"说明", "指南", "指引", "清单", "目录", "一览", "索引", "readme", "guide", "index"});
    for (const Doc& d : docs_) {
      if (d.conversation) continue;
      const bool by_title = cues.in(d.folded_title);
      if (by_title && stale_guide.empty() && guide_words.in(fold(d.rec.title)) && !archived(d) && !in_entity_folder(d) &&
          stale(d, as_of_day_, stale_days_))
        stale_guide = d.rec.path;
      const bool by_kind = std::find(area.kinds.begin(), area.kinds.end(), d.rec.kind) != area.kinds.end();
      if (area.each_up_to_date && by_kind && stale_procedure.empty() && !archived(d) && stale(d, as_of_day_, stale_days_))
        stale_procedure = d.rec.path;
      // (The 团队 of 项目/宏拓供应链金融试点.md is that project's team, not the leaver's: readers of gaps24, gaps26
      // and gaps31 judged the team by the handover's own documents.)
      const bool in_write_up = (area.not_in_write_ups && in_entity_folder(d)) ||
                               std::find(area.not_in_kinds.begin(), area.not_in_kinds.end(), d.rec.kind) != area.not_in_kinds.end();
      for (const Unit& u : d.units) {
        const bool dedicated = by_title || (heading_matches(u, cues) && !in_write_up);
        const bool by_heading = dedicated || by_kind;
        const std::size_t labelled = by_heading || in_write_up ? 0 : labelled_chars(u, cues);
        if (!by_heading && labelled == 0) continue;
        ++sections;
        const std::size_t n = by_heading ? char_count(u.text) : labelled;
        // "待补充", "TODO": a section that is only that is a placeholder; a section written for this
        // area that has one is unfinished (a TODO in some manual does not make the manuals unfinished).
        const bool marked = marked_for(u, area);
        if (marked && n < 40) ++placeholders;
        else chars += n;
        unfinished += marked && dedicated;
        // (系统/ERP.md is the systems' write-up; 旧资料/打样SOP_v1.md was put away as superseded.)
        if ((dedicated || (by_kind && !in_entity_folder(d))) && !archived(d) && area_docs.insert(d.rec.id).second &&
            stale(d, as_of_day_, stale_days_))
          stale_docs.insert(d.rec.id);
        if (r.evidence.size() < max_evidence && seen.insert(d.rec.id + u.label).second) r.evidence.push_back(evidence_of(d, &u));
        if (!area.unlisted_words.empty()) area_text += u.folded_text + "\n";
      }
    }
    const std::size_t min_chars = area.min_chars ? area.min_chars : checklist_.min_chars;
    const bool thin = chars < min_chars;
    // A TODO in one of many procedures is a to-do of that one, not a gap of the area: unfinished
    // sections make it partial from one in ten. (The readers of bench/gaps*: SOPs with 1 of 25, 1 of 41,
    // 2 of 31 and 3 of 37 sections marked were covered; areas with 1 of 10 or more, partial, except one
    // of 12 and two plans of 1 of 6, where readers disagreed.)
    const bool unfinished_area = unfinished > 0 && unfinished * 10 >= sections;
    // Out of date: two or more of its documents, and a third of them or more, not updated for the
    // staleness period (the readers of bench/gaps19 and gaps22: two of four SOPs from 2022-2023 make the
    // SOPs partial; one of four or six left them covered in nine sets, partial in two).
    // So is an area whose own guide is (模板说明.md of 2021 beside this year's templates: the readers of
    // gaps20, gaps26 and gaps30 marked the templates partial; gaps28's of a 月报制作说明 the reports).
    // An area whose documents must each be current (each_up_to_date: the SOPs, followed step by step) is
    // partial with one out of date (拼箱SOP of 2023, with the old warehouse and cut-off times). The readers of
    // bench/gaps19 to gaps45 judged so (+13 areas in 27 sets); those of gaps to gaps18 did not (−14 in 18):
    // the later sets are written as the next ones will be.
    const bool mostly_stale = stale_docs.size() >= 2 && stale_docs.size() * 3 >= area_docs.size();
    const bool outdated = mostly_stale || !stale_guide.empty() || !stale_procedure.empty();
    r.state = chars < 20 ? Coverage::missing : thin || unfinished_area || outdated ? Coverage::partial : Coverage::covered;
    r.score = r.state == Coverage::covered ? 1.0 : r.state == Coverage::partial ? 0.5 : 0.0;
    if (sections == 0) r.missing = "nothing on " + area.en + " (没有" + area.zh + "的内容): " + area.what;
    else if (r.state == Coverage::missing)
      r.missing = placeholders ? "only a placeholder (只有待补充的标题)" : "only a passing mention (只是顺带提到)";
    else if (thin) r.missing = "thin: " + std::to_string(chars) + " characters (less than " + std::to_string(min_chars) + ")";
    else if (unfinished_area) r.missing = "unfinished: " + std::to_string(unfinished) + " of " + std::to_string(sections) + " sections marked TODO/待补充";
    else if (outdated && !stale_guide.empty())
      r.missing = "out of date: its guide " + stale_guide + " not updated for " + std::to_string(stale_days_) + " days (说明文档过时)";
    else if (outdated && !mostly_stale)
      r.missing = "out of date: " + stale_procedure + " not updated for " + std::to_string(stale_days_) + " days (操作手册过时)";
    else if (outdated)
      r.missing = "out of date: " + std::to_string(stale_docs.size()) + " of " + std::to_string(area_docs.size()) +
                  " documents not updated for " + std::to_string(stale_days_) + " days (文档过时)";
    if (r.state == Coverage::covered) unlisted_in_conversation(area, area_text, r);
    // Lessons learned without any training held or planned (or the reverse) are part of the area.
    if (r.state == Coverage::missing) return;
    for (const auto& part : area.parts) {
      if (has_part(part)) continue;
      r.state = Coverage::partial;
      r.score = 0.5;
      r.missing += std::string(r.missing.empty() ? "" : "; ") + "no " + part.en + " (没有" + part.zh + ")";
    }
  }

  // A risk list that leaves out the risks only mail and chat raise is partial: facts only in conversation
  // with one of the area's words (涨价, 欠款, 截止 …) about entities its sections never name. The readers
  // of bench/gaps19 to gaps59 judged 40 of 41 risk lists so ("漏了…等只在邮件/聊天里的风险"): one risk the
  // list misses makes it incomplete. Those of gaps to gaps18 mostly judged it covered. The checklist says how
  // many such facts it takes (1; 3 until 2026-11-29: risks agreed in 23 of 41 later sets and 12 of 18
  // earlier, with 1 in 37 and 7, areas 693 → 702 of 767). (调整 and 延长 as words measured the same or worse:
  // 调整 turns nearly every risk list partial.)
  void unlisted_in_conversation(const ChecklistArea& area, const std::string& area_text, AreaReport& r) const {
    if (area.unlisted_at_least == 0) return;
    const CueSet words(area.unlisted_words);
    std::vector<std::string> about;  // the entities of those facts, in the report's order
    std::size_t facts = 0;
    for (const ConversationFact& f : report_.conversation_only) {
      if (!words.in(fold(f.fact))) continue;
      const auto s = std::find_if(states_.begin(), states_.end(), [&](const EntityState& st) { return st.entity.key == f.entity; });
      // (The list may say a name shorter than any the report has: 谱测检测 of 青岛谱测检测技术有限公司, the first
      // four characters of its core.)
      if (s == states_.end() || std::any_of(s->folded_names.begin(), s->folded_names.end(), [&](const std::string& n) {
            if (code_points(n).size() >= 2 && contains(area_text, n)) return true;
            const auto core = code_points(core_name(n));
            return core.size() >= 5 && std::all_of(core.begin(), core.begin() + 4, [](const std::string& c) { return is_han(c); }) &&
                   contains(area_text, core[0] + core[1] + core[2] + core[3]);
          }))
        continue;
      ++facts;
      if (std::find(about.begin(), about.end(), s->entity.name) == about.end()) about.push_back(s->entity.name);
    }
    if (facts < area.unlisted_at_least) return;
    r.state = Coverage::partial;
    r.score = 0.5;
    std::string names;
    for (std::size_t i = 0; i < about.size() && i < 4; ++i) names += (i ? ", " : "") + about[i];
    if (about.size() > 4) names += " …";
    r.missing = std::to_string(facts) + " facts only in mail or chat are not on it (只在邮件/聊天里，清单没有): " + names;
  }

  // True if a document's title, a heading or a labelled line is about `part` (not a word in passing:
  // "交接期间没有安排专门的培训" is no training).
  bool has_part(const ChecklistArea::Part& part) const {
    const CueSet cues(part.cues);
    return std::any_of(docs_.begin(), docs_.end(), [&](const Doc& d) {
      if (d.conversation) return false;
      if (cues.in(d.folded_title)) return true;
      return std::any_of(d.units.begin(), d.units.end(), [&](const Unit& u) { return heading_matches(u, cues) || labelled_line(u, cues); });
    });
  }

  // True if a line of the unit says TODO/待补充 about `area`: not a line labelled for another area
  // ("后续支持：TBD" and "培训安排：TBD" in the handover plan are the support's and training's to-dos).
  bool marked_for(const Unit& u, const ChecklistArea& area) const {
    if (!has_marker(u.text)) return false;
    const CueSet own(area.cues);
    // ("## 四、离职后联系 / 待补充" in 交接清单: a section headed for another area is that area's to-do.)
    if (!heading_matches(u, own) && std::any_of(checklist_.areas.begin(), checklist_.areas.end(), [&](const ChecklistArea& other) {
          return &other != &area && !other.cues.empty() && heading_matches(u, CueSet(other.cues));
        }))
      return false;
    bool marked = false;
    for_each_line(u.text, [&](std::string_view line) {
      if (!has_marker(std::string(line))) return true;
      const std::string label = line_label(line);
      const bool elsewhere = !label.empty() && !own.in(label) && std::any_of(checklist_.areas.begin(), checklist_.areas.end(), [&](const ChecklistArea& other) {
        return &other != &area && !other.cues.empty() && CueSet(other.cues).in(label);
      });
      marked = !elsewhere;
      return !marked;
    });
    return marked;
  }

  // True if `d` (a document, not a conversation or an attachment) was last updated, by the date it states
  // or else its file's, more than `stale_days` before `as_of_day`.
  static bool stale(const Doc& d, long as_of_day, int stale_days) {
    if (d.conversation || !d.rec.parent.empty()) return false;
    const auto day = day_number(!d.rec.updated.empty() ? d.rec.updated : d.rec.date);
    return day && as_of_day - *day > stale_days;
  }

  static bool has_marker(const std::string& text) {
    const auto found = scan_findings(text);
    return std::any_of(found.begin(), found.end(), [](const Finding& f) { return f.kind == FindingKind::marker; });
  }

  const Checklist& checklist_;
  std::vector<Doc> docs_;
  GapReport& report_;
  long as_of_day_ = 0;  // the report's reference date and staleness (see areas())
  int stale_days_ = 0;
  std::vector<bool> filed_, put_away_;  // by the index of each document in docs_: in_entity_folder(), archived()
  // Sentences of a unit, split once: facts and kind guessing read the same conversations per entity.
  mutable std::unordered_map<const Unit*, std::vector<std::string>> sentences_;
  const std::vector<std::string>& sentences_of(const Unit& u) const {
    auto it = sentences_.find(&u);
    if (it == sentences_.end()) it = sentences_.emplace(&u, sentences(u.text)).first;
    return it->second;
  }
  // The same, folded: kind guessing reads a conversation once per entity it names (a contact list names hundreds).
  mutable std::unordered_map<const Unit*, std::vector<std::string>> folded_sentences_;
  const std::vector<std::string>& folded_sentences_of(const Unit& u) const {
    auto it = folded_sentences_.find(&u);
    if (it == folded_sentences_.end()) {
      std::vector<std::string> folded;
      for (const std::string& sentence : sentences_of(u)) folded.push_back(fold(sentence));
      it = folded_sentences_.emplace(&u, std::move(folded)).first;
    }
    return it->second;
  }
  std::unordered_map<std::string, const Doc*> by_id_;
  std::vector<EntityState> states_;
  std::vector<std::string> own_;
  std::set<std::string> local_places_;  // places found in the material (see find_local_places)

 public:
  const std::vector<Doc>& docs() const { return docs_; }
  const Doc* doc(const std::string& id) const {
    const auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : it->second;
  }
  const std::vector<EntityState>& states() const { return states_; }
};

}  // namespace

namespace {

// --- facts only in conversation ---------------------------------------------------------------------

// Dates and amounts in a sentence, in one form: 2027-03-31, 2027年3月31日 → "20270331"; 7.34元 → "7.34".
std::vector<std::string> fact_keys(std::string_view sentence) {
  static const std::regex date(R"((20\d\d)\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2}))");
  static const std::regex amount(R"((\d+(?:[.,]\d+)*)\s*(%|元|万|美元|usd|rmb|美金|块|天|个月|days|months))", std::regex::icase);
  std::vector<std::string> keys;
  const std::string s(sentence);
  for (std::sregex_iterator it(s.begin(), s.end(), date), end; it != end; ++it) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%s%02d%02d", (*it)[1].str().c_str(), std::stoi((*it)[2]), std::stoi((*it)[3]));
    keys.emplace_back(buf);
    keys.emplace_back(buf + 4);  // the same day as a month and day
  }
  // "12月15日", "12 月 1 号": a date of this year, as chats say it (a dated one also gives this key).
  // (std::regex is slow over a corpus's every section: only where a 月 is.)
  static const std::regex month_day(R"((\d{1,2})\s*月\s*(\d{1,2})\s*(?:日|号))");
  if (s.find("月") != std::string::npos)
    for (std::sregex_iterator it(s.begin(), s.end(), month_day), end; it != end; ++it) {
      const int m = std::stoi((*it)[1]), d = std::stoi((*it)[2]);
      if (m < 1 || m > 12 || d < 1 || d > 31) continue;
      char buf[16];
      std::snprintf(buf, sizeof buf, "%02d%02d", m, d);
      keys.emplace_back(buf);
    }
  // A mobile number, eleven digits alone starting 13..19: a contact only a conversation gives.
  const auto digit = [&](std::size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; };
  for (std::size_t i = 0; i < s.size();) {
    if (!digit(i)) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (digit(j)) ++j;
    if (j - i == 11 && s[i] == '1' && s[i + 1] >= '3') keys.push_back(s.substr(i, 11));
    i = j;
  }
  for (std::sregex_iterator it(s.begin(), s.end(), amount), end; it != end; ++it) {
    std::string v = (*it)[1].str();
    std::erase(v, ',');
    const std::string unit = ascii_lower((*it)[2].str());
    // "60 天" is a term only next to other words; an amount of money or a percentage stands alone.
    if (unit == "天" || unit == "个月" || unit == "days" || unit == "months") v += unit;
    if (v.size() >= 2 || v.find('.') != std::string::npos) keys.push_back(v);
  }
  return keys;
}

std::vector<std::string> sentences(std::string_view text) {
  static constexpr std::string_view ends[] = {"\n", "。", "！", "？", "；", "!", "?"};
  std::vector<std::string> out;
  const auto keep = [&](std::string_view piece) {
    if (const std::string_view t = trim(piece); !t.empty() && !t.starts_with(">")) out.emplace_back(t);
  };
  std::size_t start = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const auto c = static_cast<unsigned char>(text[pos]);
    const std::size_t len = std::min<std::size_t>(utf8_length(c), text.size() - pos);
    const std::string_view cp = text.substr(pos, len);
    if (std::find(std::begin(ends), std::end(ends), cp) != std::end(ends)) {
      keep(text.substr(start, pos - start));
      start = pos + len;
    } else if (pos + len - start > 400) {  // a run-on line: cut it anyway
      keep(text.substr(start, pos + len - start));
      start = pos + len;
    }
    pos += len;
  }
  keep(text.substr(start));
  return out;
}

}  // namespace

void Analysis::conversation_facts() {
  static const CueSet fact_words({"合同", "协议", "到期", "续签", "续约", "报价", "单价", "价格", "涨价", "上调", "下调", "调价",
                                  "账期", "付款", "回款", "截止", "交期", "起订", "上线", "改为", "改成", "变更", "调整",
                                  "有效期", "逾期", "提前", "推迟", "延期", "顺延", "延后", "停服", "停用", "暂停", "开业",
                                  "截单", "发货", "到货", "改由", "换成", "接手", "对接", "联系人", "转让", "断货", "contract",
                                  "expire", "expiry", "renewal", "price", "deadline", "due", "go-live", "postpone"});
  // Every date and amount the written documents hold.
  std::unordered_set<std::string> written;
  for (const Doc& d : docs())
    if (!d.conversation)
      for (const Unit& u : d.units)
        for (auto& k : fact_keys(u.text)) written.insert(std::move(k));
  std::set<std::pair<std::string, std::string>> reported;  // a sentence naming two entities is one fact
  for (const EntityState& s : states()) {
    if (s.ignored) continue;
    std::size_t found = 0;
    std::set<std::string> said;
    for (const auto& id : s.mail_docs) {
      const Doc* d = doc(id);
      if (!d || !d->conversation) continue;
      // In a conversation with it every sentence is about it; elsewhere only those that name it.
      const bool with_it = s.correspondence.count(id) > 0;
      for (const Unit& u : d->units)
        for (const std::string& sentence : sentences_of(u)) {
          if (found >= facts_per_entity || report_.conversation_only.size() >= max_facts) break;
          const std::string folded = fold(sentence);
          if (!fact_words.in(folded)) continue;
          if (!with_it && std::none_of(s.folded_names.begin(), s.folded_names.end(), [&](const std::string& n) { return contains(folded, n); }))
            continue;
          const auto keys = fact_keys(sentence);
          // A change ("账期由 30 天改为 60 天") is news if any of its dates or amounts is written nowhere.
          const auto news = std::find_if(keys.begin(), keys.end(), [&](const std::string& k) { return !written.count(k); });
          if (news == keys.end()) continue;
          if (!said.insert(*news).second) continue;  // the same fact quoted again in a reply
          if (!reported.emplace(d->rec.id, sentence).second) continue;
          report_.conversation_only.push_back({s.entity.key, sentence, evidence_of(*d, &u)});
          ++found;
        }
    }
  }
}

void Analysis::hygiene(const std::vector<std::pair<std::string, FindingRecord>>& findings, long as_of_day, int stale_days) {
  // Paths and titles that exist, to check references against.
  std::unordered_set<std::string> paths, names, titles;
  for (const Doc& d : docs()) {
    paths.insert(d.rec.path);
    names.insert(fs::path(d.rec.path).filename().string());
    titles.insert(fold(d.rec.title));
    titles.insert(fold(fs::path(d.rec.path).stem().string()));
  }
  for (const auto& [doc_id, f] : findings) {
    const Doc* d = doc(doc_id);
    if (!d) continue;
    Evidence where = evidence_of(*d);
    where.section = f.section;
    LineFinding item{where, f.line, f.label, f.excerpt, f.value};
    if (f.kind == "marker") report_.markers.push_back(std::move(item));
    else if (f.kind == "secret") report_.secrets.push_back(std::move(item));
    else if (f.kind == "reference") {
      // A chat's or mail's file names are attachments; a network share or an absolute path is outside
      // what Baton indexed, so whether it exists cannot be told.
      if (d->conversation || f.value.find('\\') != std::string::npos || f.value.starts_with("/") ||
          (f.value.size() > 1 && f.value[1] == ':'))
        continue;
      // "评分标准见《供应商考核细则V3.xlsx》" points to a file of the handover: it is looked up as one. ("打开
      // 《观众日报.xlsx》" is a workbook the work uses, wherever it is kept.)
      static constexpr std::string_view file_types[] = {".md", ".txt", ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt",
                                                        ".pptx", ".csv", ".html", ".eml"};
      const bool file_name = f.label == "title" && std::any_of(std::begin(file_types), std::end(file_types), [&](std::string_view e) {
        return ascii_lower(f.value).ends_with(e) && f.value.size() > e.size();
      });
      if (file_name) {
        const std::size_t at = f.excerpt.find("《" + f.value);
        const std::string_view before = std::string_view(f.excerpt).substr(0, at == std::string::npos ? 0 : at);
        static constexpr std::string_view pointers[] = {"见", "参考", "附件", "附", "see", "See"};
        const std::string_view near = before.substr(before.size() > 12 ? before.size() - 12 : 0);
        if (std::none_of(std::begin(pointers), std::end(pointers), [&](std::string_view p) { return near.find(p) != std::string_view::npos; }))
          continue;
      }
      if (f.label == "title" && !file_name) {
        // 《退款处理流程》 names a document; 《用章记录》 a paper register, 《电子商务法》 a law.
        static const std::vector<std::string> document_words = {"手册", "流程", "规范", "规定", "制度", "指南", "说明", "方案",
                                                                "文档", "清单", "规程", "sop"};
        const std::string t = fold(f.value);
        if (std::none_of(document_words.begin(), document_words.end(), [&](const std::string& w) { return t.ends_with(w); }))
          continue;
        if (titles.count(t) || std::any_of(titles.begin(), titles.end(), [&](const std::string& x) { return contains(x, t); })) continue;
      } else {
        // A bare file name in a manual is more often what the work produces ("周报_2026W49.xlsx") or a
        // file kept elsewhere than a document of this knowledge base: only paths and links are checked.
        if (f.label == "path" && f.value.find('/') == std::string::npos) continue;
        const fs::path relative = (fs::path(d->rec.path).parent_path() / f.value).lexically_normal();
        const std::string name = fs::path(f.value).filename().string();
        if (paths.count(f.value) || paths.count(relative.generic_string()) || names.count(name)) continue;
      }
      report_.broken_references.push_back(std::move(item));
    }
  }
  for (const Doc& d : docs()) {
    if (!stale(d, as_of_day, stale_days)) continue;
    const std::string updated = !d.rec.updated.empty() ? d.rec.updated : d.rec.date;
    report_.stale.push_back({evidence_of(d), updated, static_cast<int>(as_of_day - *day_number(updated))});
  }
  std::sort(report_.stale.begin(), report_.stale.end(), [](const StaleDocument& a, const StaleDocument& b) { return a.days > b.days; });
}

Result<GapReport> analyse_gaps(const fs::path& data_dir, const GapOptions& options) {
  GapReport report;
  report.as_of = options.as_of.empty() ? now_iso().substr(0, 10) : options.as_of;
  const auto as_of_day = day_number(report.as_of);
  if (!as_of_day || report.as_of.size() != 10) return make_error("as-of date must be YYYY-MM-DD, got " + report.as_of);
  if (options.stale_days < 1) return make_error("stale days must be at least 1");
  report.stale_days = options.stale_days;

  Checklist checklist;
  fs::path checklist_file = options.checklist;
  if (checklist_file.empty() && fs::exists(data_dir / "checklist.json")) checklist_file = data_dir / "checklist.json";
  if (!checklist_file.empty()) {
    auto loaded = Checklist::load(checklist_file);
    if (!loaded) return loaded.error();
    checklist = std::move(*loaded);
  } else {
    checklist = Checklist::builtin();
  }
  report.checklist_name = checklist.name;
  report.checklist_source = checklist.source;

  auto catalog = Catalog::open(catalog_path(data_dir));
  if (!catalog) return catalog.error();
  std::vector<Doc> docs;
  for (auto& rec : catalog->documents()) {
    Doc d;
    d.conversation = rec.kind == "communication";
    d.folded_title = fold(rec.title + " " + fs::path(rec.path).stem().string());
    d.rec = std::move(rec);
    docs.push_back(std::move(d));
  }
  report.documents = docs.size();
  try {
    load_units(data_dir, docs);
  } catch (const Xapian::DatabaseOpeningError&) {
    return make_error("no index in " + data_dir.string() + ": run `baton index ROOT` first", ErrorKind::unavailable);
  } catch (const Xapian::Error& e) {
    return make_error("cannot read the index: " + e.get_description());
  }

  for (Doc& d : docs) d.contact_list = is_contact_list(d);
  Analysis analysis(checklist, std::move(docs), report);
  analysis.entities(catalog->entity_decisions());
  analysis.conversation_facts();  // (before the areas: a risk list is judged against them)
  analysis.areas(*as_of_day, options.stale_days);
  analysis.hygiene(catalog->findings(), *as_of_day, options.stale_days);

  for (const QuestionRecord& q : catalog->questions("open", 100, 0))
    report.open_questions.push_back({q.id, q.question, q.asker, q.channel, q.created_at, q.last_asked_at, q.count});
  std::stable_sort(report.open_questions.begin(), report.open_questions.end(),
                   [](const OpenQuestion& a, const OpenQuestion& b) { return a.count > b.count; });
  for (const QueryDemand& q : catalog->query_demand()) {
    const DemandItem item{q.query, q.example, q.last, q.searches, q.zero_hits, q.opened};
    if (q.zero_hits > 0 && report.not_found.size() < max_demand) report.not_found.push_back(item);
    else if (q.zero_hits == 0 && q.opened == 0 && q.searches >= 2 && report.not_opened.size() < max_demand)
      report.not_opened.push_back(item);
  }
  return report;
}

Status decide_entity(const fs::path& data_dir, const std::string& key, const std::string& action, const std::string& value) {
  if (trim(key).empty()) return make_error("entity key is empty");
  static const std::set<std::string> actions = {"confirm", "ignore", "rename", "merge", "kind", "add", "undo"};
  if (!actions.count(action))
    return make_error("unknown action \"" + action + "\": use confirm, ignore, rename, merge, kind, add or undo");
  if ((action == "rename" || action == "merge" || action == "kind" || action == "add") && trim(value).empty())
    return make_error(action + " needs a value (" +
                      (action == "rename" ? "the new name" : action == "merge" ? "the key of the entity it is the same as" : "client, project, partner or system") + ")");
  const auto known_kind = [](const std::string& k) {
    return Checklist::builtin().entity_kind(k) || k == "client" || k == "project" || k == "partner" || k == "system";
  };
  if ((action == "kind" || action == "add" || (action == "confirm" && !value.empty())) && !known_kind(value))
    return make_error("unknown entity kind \"" + value + "\"");
  const std::string name(trim(key));
  if (action == "add" && (code_points(fold(name)).size() < 2 || code_points(name).size() > 60))
    return make_error("a name to add has 2 to 60 characters, got \"" + name + "\"");
  auto catalog = Catalog::open(catalog_path(data_dir));
  if (!catalog) return catalog.error();
  // An entity a person added is that decision: changing its kind or name changes the addition,
  // ignoring it takes it back, and it is nothing to merge or confirm.
  const std::vector<EntityDecision> decisions = catalog->entity_decisions();
  std::optional<EntityDecision> addition;
  for (const EntityDecision& d : decisions)
    if (d.key == key && d.action == "add") addition = d;
  if (addition) {
    if (action == "kind" || action == "add") {
      catalog->decide_entity({key, "add", std::string(trim(value)), now_iso()});
      return Ok{};
    }
    if (action == "rename") {
      const std::string renamed(trim(value));
      if (code_points(fold(renamed)).size() < 2 || code_points(renamed).size() > 60)
        return make_error("a name has 2 to 60 characters, got \"" + renamed + "\"");
      catalog->undo_entity_decision(key);
      catalog->decide_entity({renamed, "add", addition->value, now_iso()});
      return Ok{};
    }
    if (action == "ignore" || action == "undo") {
      catalog->undo_entity_decision(key);
      return Ok{};
    }
    if (action == "confirm") return Ok{};
    return make_error(key + " was added by hand: take it back (undo) and rename the one it is the same as instead");
  }
  if (action == "undo") {
    if (catalog->undo_entity_decision(key)) return Ok{};
    // An addition the report found already is shown as that entity, under that entity's key (its full
    // name: 北京华辰物流有限公司 for an added 华辰物流).
    for (const EntityDecision& d : decisions)
      if (d.action == "add" && contains(fold(key), fold(d.key))) {
        catalog->undo_entity_decision(d.key);
        return Ok{};
      }
    return make_error("no decision about " + key, ErrorKind::not_found);
  }
  catalog->decide_entity({action == "add" ? name : key, action, std::string(trim(value)), now_iso()});
  return Ok{};
}

}  // namespace baton
