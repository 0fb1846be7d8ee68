// The gap analysis's entity finder: clients, partners, projects and systems named by folders, write-up
// headings, mail correspondents, chat participants, contact lists and the text of conversations.
#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <unordered_map>

#include "baton/text.h"
#include "extract_internal.h"
#include "gaps_internal.h"

namespace fs = std::filesystem;

namespace baton::gaps_detail {

namespace {

class EntityFinder {
  // What a name found by its ending does not hold: particles, pronouns, demonstratives.
  static constexpr std::string_view name_breaks = "的和与跟给在是找让请向从对把被由及或说问了们也都就还要会同为到等个这那该本新此各按已";

 public:
  EntityFinder(const Checklist& checklist, const std::vector<Doc>& docs) : checklist_(checklist), docs_(docs) {}

  std::vector<Candidate> find() {
    for (const Doc& d : docs_) {
      if (d.conversation) {
        from_mail(d);
        from_chat_name(d);
        from_chat_people(d);
        from_text(d);
        named_things(d);
        known_products(d);
        systems_by_use(d);
      } else {
        from_folders(d);
        from_rollup(d);
        listed_beside_write_ups(d);
        if (d.contact_list) from_contact_list(d);
        from_account_list(d);
        if (d.rec.kind == "manual") systems_by_use(d);  // an SOP's steps name the systems they use
      }
    }
    add_registered();
    // Systems and projects that only conversations name: counted once per conversation, kept when
    // at least two name them (once is chatter), or a conversation and an SOP use it as a system, or an
    // SOP logs in to it by name.
    std::set<std::string> longer;  // folded names of candidates and things, to tell a fragment from a name
    for (const auto& [key, _] : index_) longer.insert(key);
    for (const auto& [name, _] : things_) longer.insert(fold(name));
    pool_longer_forms();
    named_in_documents();
    systems_with_accounts();
    // "中国种业大数据平台", "国家企业信用信息公示系统": the state's platforms are public services, looked things up
    // in, not the team's systems; a sentence may name them without the 中国 (种业大数据平台).
    std::set<std::string> state_platforms;
    for (const auto& [name, t] : things_) {
      const std::string f = fold(name);
      for (std::string_view state : {"中国", "国家", "全国"})
        if (t.kind == "system" && f.starts_with(state) && code_points(f).size() >= 6) {
          state_platforms.insert(f);
          state_platforms.insert(f.substr(state.size()));
        }
    }
    std::map<std::string, int> kinds_of_accounts;  // CRM → how many systems of the account lists end in it
    for (const auto& [name, t] : things_)
      if (t.accounts)
        if (const std::string kind = latin_kind(name); !kind.empty()) ++kinds_of_accounts[kind];
    for (const auto& [name, t] : things_) {
      if (state_platforms.count(fold(name))) continue;
      const bool kept = t.kind.empty()               ? t.times >= 2
                        : widely_named_.count(name) ? !t.conversations.empty() && t.conversations.size() + t.documents.size() >= 3
                                                     : t.conversations.size() >= 2 || t.quoted || t.listed || t.accounts || t.known || t.said >= 3 ||
                                                           t.logged_in || (!t.documents.empty() && !t.conversations.empty());
      // ("上海虹桥云" is the piece of 虹桥云汇会展中心 too: the city it starts with is not part of the name.)
      if (!kept || fragment(fold(name), longer) || fragment(core_name(name), longer) || (t.known && (someone_elses(name) || in_their_write_ups(name))) ||
          !after_a_word(fold(name), longer, 2, 3).empty())
        continue;
      if (t.kind == "system" && said_to_be_theirs(name)) continue;
      if (departments_.count(name)) continue;  // the team's own 项目部 (a site it runs), not a project to write up
      const bool known = index_.count(fold(name)) > 0;  // named by stronger evidence already
      Candidate& c = add(name, t.kind, t.kind.empty() ? 0 : 1);
      if (!known && t.kind.empty()) c.weak = true;
      if (t.accounts) {
        c.listed = true;  // the team holds an account in it: the successor will use it
        // (Other names, not counted as seen: the name stays the one the list gives.)
        if (const std::string brand = system_brand(name, longer); !brand.empty()) c.names.emplace(brand, 0);
        // ("CRM 权限还没下来" of 对公CRM: the team's one CRM is called by its kind.)
        if (const std::string kind = latin_kind(name); !kind.empty() && kinds_of_accounts[kind] == 1) c.names.emplace(kind, 0);
      }
    }
    return std::move(candidates_);
  }

 private:
  // "员工都走他们的差旅平台", "through their internal Workday expense system": a system some document
  // says is someone else's, theirs to run, wherever else it is named. (What follows each such word is
  // collected once, in one pass over the documents.)
  bool said_to_be_theirs(const std::string& name) const {
    if (!theirs_) {
      theirs_.emplace();
      static constexpr std::string_view words[] = {"他们的", "她们的", "对方的", "人家的", "他们自己的", "对方自己的",
                                                   "their", "their own", "their internal", "their in-house"};
      for (const Doc& d : docs_)
        for (const Unit& u : d.units) {
          const std::string lower = ascii_lower(u.text);
          for (std::string_view w : words)
            for (std::size_t at = lower.find(w); at != std::string::npos; at = lower.find(w, at + w.size())) {
              // (An English word stands alone: not the "their" of "theirs" or of "Northeirn".)
              if (std::isalpha(static_cast<unsigned char>(w[0])) &&
                  ((at > 0 && std::isalpha(static_cast<unsigned char>(lower[at - 1]))) ||
                   (at + w.size() < lower.size() && std::isalpha(static_cast<unsigned char>(lower[at + w.size()])))))
                continue;
              std::size_t from = at + w.size();
              while (from < u.text.size() && u.text[from] == ' ') ++from;
              theirs_->push_back(u.text.substr(from, 64));
            }
        }
    }
    return std::any_of(theirs_->begin(), theirs_->end(), [&](const std::string& after) { return after.starts_with(name); });
  }

  // "报告电子签章系统" in a mail and "电子签章系统" in a chat: a sentence's run before 系统 may take a word
  // of the sentence with it; the shorter name the longer one ends with is the thing, named in both.
  void pool_longer_forms() {
    std::map<std::string, std::vector<std::string>> by_ending;  // last two characters → names
    for (const auto& [name, t] : things_)
      if (!t.kind.empty())
        if (const auto chars = code_points(name); chars.size() >= 4) by_ending[chars[chars.size() - 2] + chars.back()].push_back(name);
    for (const auto& [ending, names] : by_ending)
      for (const std::string& shorter : names)
        for (const std::string& longer : names)
          if (longer.size() > shorter.size() && longer.ends_with(shorter) && code_points(shorter).size() >= 4) {
            Thing& s = things_[shorter];
            const Thing& l = things_.at(longer);
            if (s.kind != l.kind) continue;
            s.conversations.insert(l.conversations.begin(), l.conversations.end());
            s.times += l.times;
          }
  }

  // "期间集控平台不可用" (during the cut-over, 集控平台 is down): a run before 平台 or 系统 may start with a
  // word of the sentence. The name of `names` (folded) that `folded` is after a word of up to
  // `max_word` characters, if one of at least `min_rest` characters is; otherwise "".
  static std::string after_a_word(const std::string& folded, const std::set<std::string>& names, std::size_t max_word,
                                  std::size_t min_rest) {
    const auto chars = code_points(folded);
    for (std::size_t k = 1; k <= max_word && chars.size() >= k + min_rest; ++k) {
      std::string rest;
      for (std::size_t i = k; i < chars.size(); ++i) rest += chars[i];
      if (names.count(rest)) return rest;
    }
    return {};
  }

  // "SellerPilot" in a chat and in the duties and an SOP, "票通宝" in IT's mail and an SOP step: a system or
  // project a conversation names that the team's documents name too is one the successor will meet.
  // (One pass over the documents, looking names up by their first two characters.)
  void named_in_documents() {
    std::unordered_map<std::string, std::vector<std::pair<std::string, Thing*>>> by_start;
    for (auto& [name, t] : things_)
      if (!t.kind.empty() && (t.conversations.size() == 1 || widely_named_.count(name)) && t.documents.empty())
        if (const std::string f = fold(name); code_points(f).size() >= 3) {
          const auto cps = code_points(f);
          by_start[cps[0] + cps[1]].emplace_back(f, &t);
        }
    if (by_start.empty()) return;
    for (const Doc& d : docs_) {
      if (d.conversation) continue;
      for (const Unit& u : d.units) {
        const std::string& text = u.folded_text;
        for (std::size_t i = 0; i < text.size();) {
          const auto c = static_cast<unsigned char>(text[i]);
          const std::size_t len = utf8_length(c);
          if (i + len < text.size()) {
            const auto c2 = static_cast<unsigned char>(text[i + len]);
            const std::size_t len2 = utf8_length(c2);
            if (const auto it = by_start.find(text.substr(i, len + len2)); it != by_start.end())
              for (auto& [name, thing] : it->second)
                if (text.compare(i, name.size(), name) == 0) thing->documents.insert(d.rec.id);
          }
          i += len;
        }
      }
    }
  }

  // "虹桥云" of 虹桥云汇会展中心, "金蝶云" of 金蝶云星空: a thing whose name only starts a longer name found
  // in the material is a piece of that name (the 云 and 宝 of product names also start other words).
  static bool fragment(const std::string& folded, const std::set<std::string>& names) {
    // ("PetNova" of PetNova GmbH: a Latin word is a piece at any length.)
    if (has_cjk(folded) && code_points(folded).size() > 4) return false;
    // ("运力云" of 运力云TMS is the same thing, named with the kind of system it is.)
    for (auto it = names.upper_bound(folded); it != names.end() && it->starts_with(folded); ++it)
      if (const std::string_view rest = std::string_view(*it).substr(folded.size());
          !rest.empty() && !(has_cjk(folded) && rest.size() <= 4 && std::all_of(rest.begin(), rest.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); })))
        return true;
    return false;
  }

  // 客户/Northwind_Trading.md, 客户/瑞丰/报价.md: a write-up of the entity its folder names.
  void from_folders(const Doc& d) {
    std::vector<std::string> parts;
    for (std::size_t start = 0; start <= d.rec.path.size();) {
      const std::size_t slash = std::min(d.rec.path.find('/', start), d.rec.path.size());
      if (slash > start) parts.push_back(d.rec.path.substr(start, slash - start));
      start = slash + 1;
    }
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      const EntityKind* kind = kind_of_folder(parts[i]);
      if (!kind) continue;
      // (服务商&供应商/服务商联系人.csv: a list of their people, read as the contact list it is.)
      if (i + 2 == parts.size() && d.contact_list) return;
      std::string name = parts[i + 1];
      if (i + 2 == parts.size()) name = named_by_title(fs::path(name).stem().string(), d.rec.title);  // the file itself
      else if (const std::string file = file_named_entity(d, parts[i + 1]); !file.empty()) name = file;
      std::replace(name.begin(), name.end(), '_', ' ');
      name = clean_heading(name);
      // A list of them ("客户总表") is not one of them: its table rows name them. So is a spreadsheet kept
      // beside their write-ups (客户/客户订单跟踪_2026Q1.csv, 供应商/进口单价表_2026.csv): a table of rows.
      if (list_like(name) || (i + 2 == parts.size() && (d.rec.format == "csv" || d.rec.format == "xlsx"))) {
        from_table(d, *kind);
        return;
      }
      name = entity_of_file_name(name);
      if (name.empty()) continue;
      // "政府项目/武侯区民政局_居家养老服务项目.md": a project's file named for an organisation is the write-up of
      // the one the work is for, a client.
      if (kind->id == "project" && (public_body(fold(name)) || registered_name(name) || company_like(name)))
        if (const EntityKind* client = checklist_.entity_kind("client")) kind = client;
      Candidate& c = add(name, kind->id, 3);
      c.write_ups.push_back({&d, {}});
      for (const std::string& t : names_in_title(d.rec.title, name)) ++c.names[t];
      // "TPM费用系统.md" titled "费控通 TPM（促销费用管理）使用说明", "ERP使用笔记.md" titled "ERP（启元ERP）使用笔记": a
      // system's write-up named by what it is; its title says the product's name, outside or in brackets.
      if (kind->id == "system" && i + 2 == parts.size()) {
        static constexpr std::string_view document_words[] = {"操作说明", "使用说明", "使用笔记", "使用手册", "操作手册", "说明", "笔记",
                                                              "手册", "指南", "介绍"};
        std::string outside = clean_heading(d.rec.title);
        for (std::string_view w : document_words)
          if (outside.ends_with(w)) {
            outside = std::string(trim(std::string_view(outside).substr(0, outside.size() - w.size())));
            break;
          }
        if (code_points(fold(outside)).size() >= 3 && fold(outside) != fold(name)) c.names.emplace(outside, 0);
        if (const std::string inside = bracketed(d.rec.title); !inside.empty()) {
          const std::string fi = fold(inside), fo = fold(outside);
          if (code_points(fi).size() >= 3 && !fo.empty() && fi != fo && (contains(fi, fo) || contains(fo, fi))) c.names.emplace(inside, 0);
        }
      }
      // "启明二期_考勤排班实施.md", "冷机节能改造_EMC.md": a project's file gives its short name and what it is;
      // the team calls it by either (启明二期, 冷机改造), whichever the title names.
      if (kind->id == "project" && i + 2 == parts.size()) {
        const std::string stem = fs::path(parts.back()).stem().string();
        if (const std::size_t cut = stem.find_first_of("-_"); cut != std::string::npos && stem.find_first_of("-_", cut + 1) == std::string::npos)
          for (const std::string& part : {stem.substr(0, cut), stem.substr(cut + 1)})
            if (fold(part) != fold(name) && has_cjk(part) && code_points(part).size() >= 4 && !made_of_common_words(fold(part)))
              c.names.emplace(part, 0);
      }
      return;
    }
  }

  // "商砼-恒基.md" titled "商砼：南京恒基商品混凝土有限公司", "劳务-鑫盛劳务.md" titled "劳务分包：安徽鑫盛建筑劳务有限公司":
  // a file named by what sort of one it is and which one. Of two Chinese parts, the one the title names
  // after its label is the name (when it names both, the second if it holds the first: 劳务 in 鑫盛劳务);
  // otherwise the stem stays as it is.
  static std::string named_by_title(const std::string& stem, const std::string& title) {
    const std::size_t cut = stem.find_first_of("-_");
    if (cut == std::string::npos || stem.find_first_of("-_", cut + 1) != std::string::npos) return stem;
    const std::string a = stem.substr(0, cut), b = stem.substr(cut + 1);
    // (Two Latin parts are one name: Nordvik_Home. 船公司_Pacora is a sort and a name. "HIS电子病历_说明": a
    // word for the document is never the name, whatever the title says.)
    if ((!has_cjk(a) && !has_cjk(b)) || code_points(a).size() < 2 || code_points(b).size() < 2 || is_document_word(a) || is_document_word(b))
      return stem;
    std::string named = title;
    for (std::string_view colon : {"：", ":"})
      if (const std::size_t at = named.find(colon); at != std::string::npos) named = named.substr(at + colon.size());
    const std::string n = fold(named);
    // ("恒通安装" in "澄川县恒通水电安装工程有限公司": a short name of four characters or more is the long one's
    // characters in order, after a place no list has.)
    const auto spelled = [](const std::string& f, const std::string& text) {
      const auto a = code_points(f);
      return a.size() >= 4 && std::all_of(a.begin(), a.end(), is_han) && in_order(a, a.size(), code_points(text));
    };
    const auto in_title = [&](const std::string& part) {
      const std::string f = fold(part);
      return contains(n, f) || abbreviates(f, core_name(named)) || spelled(f, fold(strip_brackets(named)));
    };
    const bool has_a = in_title(a), has_b = in_title(b);
    // ("宁波-曼萨尼略新航线.md" titled "宁波 — 曼萨尼略（墨西哥）新航线上线": a route from a city is named by
    // where it goes; a city alone names nothing.)
    if (is_place(a) && !is_place(b)) return b;
    if (has_b && (!has_a || contains(fold(b), fold(a)))) return b;
    if (has_a && !has_b) return a;
    // "服务通（售后工单系统）说明" in 工单系统_服务通.md: the name is the one outside the brackets (not a
    // place: 华晟汽配_宁波.md titled 宁波华晟汽车零部件有限公司（华晟汽配）).
    if (has_a && has_b) {
      // (Before a dash: "江淮商业银行徐州分行（国际业务部）—— 信用证…" in 江淮银行_信用证.md is the bank's, 江淮银行 for
      // short; what follows the dash is what the document is about.)
      std::string head = named;
      for (std::string_view dash : {"——", "—", " - "})
        if (const std::size_t at = head.find(dash); at != std::string::npos && at > 0) head = head.substr(0, at);
      const std::string outside = fold(strip_brackets(head));
      const auto in_head = [&](const std::string& part) {
        return contains(outside, fold(part)) || abbreviates(fold(part), outside) || spelled(fold(part), outside);
      };
      const bool out_a = in_head(a), out_b = in_head(b);
      const std::string& chosen = out_a ? a : b;
      if (out_a != out_b && std::find(std::begin(places), std::end(places), chosen) == std::end(places)) return chosen;
      // ("MT引擎_深演.md" titled "深演 MT 引擎（深演智能科技（北京）有限公司）": a title says the name, then
      // what it is; the part it starts with is the name.)
      if (out_a && out_b && !is_place(a) && !is_place(b)) {
        const std::size_t at_a = outside.find(fold(a)), at_b = outside.find(fold(b));
        if (at_a != std::string::npos && at_b != std::string::npos && at_a != at_b) return at_a < at_b ? a : b;
      }
    }
    return stem;
  }

  // 供应商/酒店/千岛湖云庐.md: a folder of one sort of them (酒店, 车队, 地接社), not of one of them
  // (客户/瑞丰/报价.md), when the file's title names what the file is named for and not the folder.
  // The entity the file is named for, or "".
  std::string file_named_entity(const Doc& d, const std::string& folder) const {
    std::string stem = fs::path(d.rec.path).stem().string();
    std::replace(stem.begin(), stem.end(), '_', ' ');
    const std::string file = entity_of_file_name(clean_heading(stem));
    const std::string title = fold(clean_heading(d.rec.title));
    // (A title that starts with the folder's name is about the folder's one: 瑞丰报价单 in 客户/瑞丰/报价.md;
    // one that ends with it names a sort of thing: 千岛湖湖畔云庐度假酒店 in 供应商/酒店/.)
    if (file.empty() || code_points(fold(file)).size() < 2 || title.starts_with(fold(without_sort_number(folder)))) return {};
    // (千岛湖云庐.md titled 千岛湖湖畔云庐度假酒店: the file's name is an abbreviation of the title's.)
    if (contains(title, fold(file)) || abbreviates(fold(file), title) || !names_in_title(d.rec.title, file).empty()) return file;
    return {};
  }

  // The names a write-up's title gives the entity its file is named for (`file_name`):
  // - "# 临澄市第一人民医院（市一院）" in 市一院.md: the name in full, then in brackets the short name the
  //   file goes by (or the other way round). Both are its names.
  // - "# 临澄市中医院" in 市中医院.md: the name with the place it is in before it.
  // - "# 瑞丰贸易有限公司" in 瑞丰贸易.md: a name the file's abbreviates (related()).
  std::vector<std::string> names_in_title(const std::string& title, const std::string& file_name) const {
    const std::string t = clean_heading(title), file = fold(file_name);
    std::vector<std::string> out;
    if (t.empty()) return out;
    const std::string raw(trim(title));
    for (auto [open, close] : {std::pair<std::string_view, std::string_view>{"（", "）"}, {"(", ")"}}) {
      if (!raw.ends_with(close)) continue;
      // (The bracket that the last one closes: "深演 MT 引擎（深演智能科技（北京）有限公司）" holds a bracket of its own.)
      std::size_t at = std::string::npos;
      for (std::size_t depth = 0, p = raw.size() - close.size(); p > 0;) {
        const std::size_t c = raw.rfind(close, p - 1), o = raw.rfind(open, p - 1);
        if (o == std::string::npos) break;
        if (c != std::string::npos && c > o) {
          ++depth;
          p = c;
        } else if (depth == 0) {
          at = o;
          break;
        } else {
          --depth;
          p = o;
        }
      }
      if (at == std::string::npos || at == 0) continue;
      // ("船公司：Pacora Line（青岛代理：青岛百川船务代理有限公司）", "（简称：华辰）": a label before a colon is not
      // part of the name.)
      const auto unlabelled = [](std::string part) {
        for (std::string_view colon : {"：", ":"})
          if (const std::size_t c = part.rfind(colon); c != std::string::npos && c + colon.size() < part.size())
            part = std::string(trim(std::string_view(part).substr(c + colon.size())));
        return part;
      };
      const std::string outside = unlabelled(clean_heading(raw.substr(0, at)));
      const std::string inside = unlabelled(std::string(trim(std::string_view(raw).substr(at + open.size(), raw.size() - at - open.size() - close.size()))));
      if (outside.empty() || inside.empty() || code_points(inside).size() > 30) continue;
      if (fold(inside) == file && fold(outside) != file) out.push_back(outside);
      // (Not the city of "博润医药（清溪）": where it is, not what it is called.)
      if (fold(outside) == file && fold(inside) != file && code_points(inside).size() >= 2 && !place(inside)) out.push_back(inside);
      // ("理赔平台（ClaimHub）" in 理赔平台ClaimHub.md: the file's name is both.)
      if (out.empty() && fold(outside + inside) == file && code_points(inside).size() >= 2) {
        out.push_back(outside);
        out.push_back(inside);
      }
      // ("劳务实名制系统（筑工宝）" in 劳务实名制-筑工宝.md: the file's name is the title's without the 系统.)
      // ("Pacora Line（青岛代理：青岛百川船务代理有限公司）" in 船公司_Pacora.md: the same, with its agent.)
      if (out.empty() && code_points(file).size() >= (has_cjk(file) ? 3u : 4u) && fold(outside).starts_with(file) &&
          code_points(inside).size() >= 2 && !contains(fold(inside), file) && !place(inside)) {
        out.push_back(outside);
        out.push_back(inside);
      }
      // ("医保结算接口（易联医保中间件 YL-MedLink）" in 医保接口_易联中间件.md: the name outside is the file's in full,
      // and inside are the product's other names, MedLink for short.)
      if (out.empty() && fold(outside) != file && has_cjk(file) && related(outside, file_name) && code_points(inside).size() >= 2) {
        out.push_back(outside);
        // (Its Chinese and its Latin names apart; "Seller Central" stays one name.)
        std::vector<std::string> parts;
        for (std::size_t start = 0; start < inside.size();) {
          const std::size_t end = std::min(inside.find(' ', start), inside.size());
          if (end > start) parts.push_back(inside.substr(start, end - start));
          start = end + 1;
        }
        const bool scripts_differ = std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return has_cjk(p); }) &&
                                    std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return !has_cjk(p); });
        if (!scripts_differ) parts = {inside};
        for (const std::string& part : parts) {
          if (code_points(part).size() < 2 || made_of_common_words(fold(part))) continue;
          out.push_back(part);
          if (const std::size_t dash = part.rfind('-'); !has_cjk(part) && dash != std::string::npos && part.size() - dash - 1 >= 4)
            out.push_back(part.substr(dash + 1));
        }
      }
      // ("澄川农村商业银行（水费代扣代收）" in 农商行代扣.md, "澄川县恒通水电安装工程有限公司（换表施工外包）" in
      // 恒通安装_换表施工.md: the file's name is a short name of the one outside, its characters in order (four
      // at least, or three and then a word of what the brackets say it does).)
      if (out.empty() && has_cjk(file) && organisation_like(outside)) {
        const auto f = code_points(file), o = code_points(fold(outside));
        for (std::size_t cut = 3; cut <= f.size() && out.empty(); ++cut) {
          std::string rest;
          for (std::size_t i = cut; i < f.size(); ++i) rest += f[i];
          if (rest.empty() ? cut < 4 : code_points(rest).size() < 2 || !contains(fold(inside), rest)) continue;
          if (o.size() > cut && in_order(f, cut, o)) out.push_back(outside);
        }
      }
      if (!out.empty()) return out;
    }
    // "森域服务云 — 售后服务平台使用说明" in 售后服务平台说明.md: the part that is not the file's name is another
    // name of the same thing (not "经销商档案" of "长沙湘森家居有限公司— 经销商档案", a sort of document).
    for (std::string_view dash : {"——", "—", "–", "－", " - "}) {
      const std::size_t at = raw.find(dash);
      if (at == std::string::npos) continue;
      const std::string a = entity_of_file_name(clean_heading(raw.substr(0, at)));
      const std::string b = entity_of_file_name(clean_heading(raw.substr(at + dash.size())));
      // ("长沙湘森家居有限公司— 经销商档案" in 长沙湘森.md: the part that is its full name, without the rest.)
      for (const auto& [mine, other] : {std::pair{a, b}, std::pair{b, a}}) {
        if (fold(mine) == file && fold(other) != file && code_points(other).size() >= 3 && !made_of_common_words(fold(other)) &&
            other.find("—") == std::string::npos && other.find('-') == std::string::npos)
          out.push_back(other);
        else if (fold(mine) != file && !mine.empty() && related(mine, file_name))
          out.push_back(mine);
      }
      if (!out.empty()) return out;
      break;
    }
    const std::string folded = fold(t);
    if (folded == file) return out;
    if (related(t, file_name) || (has_cjk(file) && code_points(file).size() >= 3 && folded.ends_with(file))) out.push_back(t);
    return out;
  }

  // True if `name` is a place: a city or county of the lists, or one the material names as one ("清溪市医疗
  // 保障局": 清溪, a city no list has).
  bool place(const std::string& name) const {
    if (is_place(name)) return true;
    if (!places_named_) {
      places_named_.emplace();
      for (const Doc& d : docs_)
        for (const Unit& u : d.units)
          for (std::string_view level : {"市", "县", "省"})
            for (std::size_t at = u.folded_text.find(level); at != std::string::npos; at = u.folded_text.find(level, at + level.size())) {
              std::string before;
              for (std::size_t n = 0, p = at; n < 3 && p >= 3 && is_han(std::string_view(u.folded_text).substr(p - 3, 3)); ++n, p -= 3) {
                before.insert(0, u.folded_text.substr(p - 3, 3));
                if (n >= 1) places_named_->insert(before);
              }
            }
    }
    return places_named_->count(fold(name)) > 0;
  }

  // "德纳精密_客户档案" → 德纳精密, "易管家ERP操作说明" → 易管家ERP, "Nordvik_Home_notes_EN" → Nordvik Home,
  // "绿源环保-危废处置" → 绿源环保: what a write-up's file is named for, without the words for the document.
  // A registered or official name: "澄川县恒通水电安装工程有限公司", "澄川农村商业银行", "市场监督管理局".
  static bool organisation_like(const std::string& name) {
    const std::string f = fold(name);
    return registered_name(name) || company_like(name) || public_body(f) || (code_points(f).size() >= 4 && (f.ends_with("银行") || f.ends_with("分行") || f.ends_with("支行")));
  }

  // A word a file's name says of the document, not of what it is about: 说明, 客户档案, notes, v2.
  static const std::vector<std::string>& document_words() {
    static const std::vector<std::string> words = {
        "客户档案", "客户资料", "客户信息", "基本信息", "操作说明", "使用说明", "对接说明", "使用手册", "操作手册", "使用要点",
        "项目进度", "进度", "说明", "手册", "资料", "信息", "介绍", "简介", "笔记", "档案", "要点", "notes", "note", "profile",
        "en", "cn", "zh", "v1", "v2", "draft", "草稿"};
    return words;
  }
  static bool is_document_word(const std::string& t) {
    return std::find(document_words().begin(), document_words().end(), ascii_lower(t)) != document_words().end();
  }

  static std::string entity_of_file_name(std::string name) {
    std::vector<std::string> tokens;
    for (std::size_t start = 0; start <= name.size();) {
      const std::size_t end = std::min(name.find_first_of("_- ", start), name.size());
      if (end > start) tokens.push_back(name.substr(start, end - start));
      start = end + 1;
    }
    // ("SouthernCross_AU", "Nordkyst_NO": the country a supplier is in, by its ISO code in capitals.)
    static const std::set<std::string> countries = {"AU", "BR", "NO", "US", "UK", "JP", "DE", "FR", "NZ", "CA", "HK", "TW", "SG", "KR",
                                                    "IT", "ES", "NL", "CL", "AR", "TH", "VN", "MY", "ID", "IN", "RU", "MX", "DK", "SE"};
    // (And in Chinese: "Mekong_Delta_越南", "Kilimanjaro_坦桑".)
    static const std::set<std::string> country_names = {
        "越南", "印尼", "印度尼西亚", "泰国", "马来", "马来西亚", "菲律宾", "新加坡", "柬埔寨", "缅甸", "老挝", "印度", "巴基斯坦",
        "孟加拉", "沙特", "阿联酋", "迪拜", "卡塔尔", "科威特", "阿曼", "伊拉克", "土耳其", "埃及", "肯尼亚", "坦桑", "坦桑尼亚",
        "尼日利亚", "南非", "摩洛哥", "阿尔及利亚", "埃塞", "加纳", "巴西", "墨西哥", "智利", "秘鲁", "阿根廷", "俄罗斯", "哈萨克斯坦",
        "美国", "加拿大", "英国", "德国", "法国", "意大利", "西班牙", "荷兰", "波兰", "日本", "韩国", "澳洲", "澳大利亚", "新西兰",
        "挪威", "瑞典", "丹麦", "芬兰", "欧洲", "中东", "东南亚", "非洲"};
    while (tokens.size() > 1 && (is_document_word(tokens.back()) || countries.count(tokens.back()) ||
                                 (country_names.count(tokens.back()) && !has_cjk(tokens.front()))))
      tokens.pop_back();
    // "成都_蓉信人力": the city a partner is in, then its name.
    while (tokens.size() > 1 && std::find(std::begin(places), std::end(places), tokens.front()) != std::end(places)) tokens.erase(tokens.begin());
    // A Chinese name, then what the file says about it.
    if (tokens.size() > 1 && has_cjk(tokens[0]) && has_cjk(tokens[1]) && code_points(tokens[0]).size() >= 2) tokens.resize(1);
    std::string out;
    for (const auto& t : tokens) out += (out.empty() || (has_cjk(out) && has_cjk(t)) ? "" : " ") + t;
    for (const auto& word : document_words())
      if (out.ends_with(word) && code_points(out).size() > code_points(word).size() + 1 && has_cjk(word)) {
        out = std::string(trim(out.substr(0, out.size() - word.size())));
        break;
      }
    return out;
  }

  static bool list_like(const std::string& name) {
    static const CueSet words({"总表", "清单", "一览", "汇总", "列表", "名单", "名录", "索引", "目录", "进度表", "台账",
                               "overview", "list", "index", "readme"});
    if (!words.in(fold(name))) return false;
    // ("PartsNavi配件电子目录": a product's name, an electronic catalogue, not a list of them.)
    for (std::size_t i = 0; i < name.size();) {
      std::size_t j = i;
      while (j < name.size() && std::isalpha(static_cast<unsigned char>(name[j]))) ++j;
      if (j - i >= 4 && std::isupper(static_cast<unsigned char>(name[i])) && !words.in(ascii_lower(name.substr(i, j - i)))) return false;
      i = j == i ? i + 1 : j;
    }
    return true;
  }

  // The rows of a list of entities ("| 6 | 合肥蓝湾冷链物流有限公司 | …"): each company named in a cell is
  // one (mentioned, not written up).
  void from_table(const Doc& d, const EntityKind& kind) {
    if (kind.id == "project") project_rows(d);
    // "临澄康华医院 | 康华医院 | C | 民营 …" under "客户名称 | 简称 | 等级 | 行业 …" in 客户总表: a list's name
    // column names one of them in every row, whatever it is (a hospital is no company by its name), and
    // its short-name column another name of the same one. The other columns say things about it (行业:
    // 机械制造 is an industry): only a registered name counts there. (A system's list is mostly of
    // accounts, and names the tools everyone has: 企业微信, 共享盘.)
    static const std::set<std::string> name_headers = {
        "名称", "客户", "客户名称", "客户全称", "单位名称", "医院", "医院名称", "供应商", "供应商名称", "合作方", "合作方名称",
        "合作伙伴", "厂家", "厂家名称", "厂商", "服务商", "经销商", "经销商名称", "加盟商", "加盟商名称", "商家", "商家名称",
        "商户", "商户名称", "公司名称", "企业名称", "机构名称", "name", "client", "customer", "supplier", "vendor", "partner",
        "dealer", "distributor", "merchant", "company"};
    static const std::set<std::string> short_headers = {"简称", "别名", "简写", "shortname", "alias"};
    const bool by_column = kind.id == "client" || kind.id == "partner";
    for (const Unit& u : d.units) {
      std::size_t name_col = std::string::npos, short_col = std::string::npos;
      std::vector<std::string> headers;
      bool header = true;
      for_each_line(u.text, [&](std::string_view line) {
        const std::vector<std::string> cells = table_cells(line);
        if (cells.empty()) return true;
        if (header) {
          header = false;
          for (const std::string& cell : cells) headers.push_back(fold(cell));
          for (std::size_t i = 0; by_column && i < cells.size(); ++i) {
            const std::string& h = headers[i];
            if (name_col == std::string::npos && name_headers.count(h)) name_col = i;
            else if (short_col == std::string::npos && short_headers.count(h)) short_col = i;
          }
          if (name_col != std::string::npos) return true;
        }
        for (std::size_t c = 0; c < cells.size(); ++c) {
          const std::string name = clean_heading(cells[c]);
          if (c == name_col) {
            name_row(name, short_col < cells.size() ? clean_heading(cells[short_col]) : std::string(), kind);
            continue;
          }
          // "萧山湘湖培训中心" in a list of partners: a venue is one of them too.
          const auto chars = code_points(name);
          const bool venue = (name.ends_with("中心") || name.ends_with("基地")) && chars.size() >= 5 &&
                             std::all_of(chars.begin(), chars.end(), is_han) && !made_of_common_words(fold(name));
          // "蜀安人寿成都分公司", "青羊区民政局" under "甲方/合作方" in 项目进度表: a list of projects names whom each
          // is for or with, a client or a partner by the column, not a project.
          if (kind.id == "project") {
            const EntityKind* party = c < headers.size() ? party_of_column(headers[c]) : nullptr;
            if (party && (registered_name(name) || company_like(name) || venue || public_body(fold(name)))) add_listed(name, *party);
            continue;
          }
          if (!registered_name(name) && (name_col != std::string::npos || (!company_like(name) && !venue))) continue;
          add_listed(name, kind);
        }
        return true;
      });
    }
  }

  // The kind of the organisations in a project list's column: "甲方", "客户", "甲方/合作方" (the first word
  // says) are clients; "合作方", "供应商", "分包" partners; other columns name none.
  const EntityKind* party_of_column(const std::string& header) const {
    static constexpr std::pair<std::string_view, std::string_view> words[] = {
        {"甲方", "client"},    {"客户", "client"},  {"委托方", "client"},  {"业主", "client"},    {"client", "client"},
        {"customer", "client"}, {"合作方", "partner"}, {"供应商", "partner"}, {"服务商", "partner"}, {"分包", "partner"},
        {"厂商", "partner"},   {"partner", "partner"}, {"vendor", "partner"}, {"supplier", "partner"}};
    std::size_t first = std::string::npos;
    std::string_view id;
    for (const auto& [word, kind] : words)
      if (const std::size_t at = header.find(word); at < first) {
        first = at;
        id = kind;
      }
    return id.empty() ? nullptr : checklist_.entity_kind(id);
  }

  // One row's name column (and its short name) in a list of clients or partners.
  void name_row(const std::string& name, const std::string& short_name, const EntityKind& kind) {
    const auto chars = code_points(name);
    if (chars.size() < 2 || chars.size() > 30 || std::all_of(name.begin(), name.end(), [](char c) { return c == '-' || c == ':' || c == ' '; }) ||
        std::isdigit(static_cast<unsigned char>(name[0])) || made_of_common_words(fold(name)))
      return;
    Candidate& listed = add_listed(name, kind);
    if (code_points(short_name).size() >= 2 && fold(short_name) != fold(name)) ++listed.names[short_name];
  }

  // One of a list: "宁海县天工模具有限公司" is 天工模具 when the team talks of it, so the name without its
  // county is another of its names.
  // So is "厦门鹭航航空服务有限公司" 鹭航航空: a name that ends in what every firm does (服务, 管理, 发展) is
  // said without it.
  Candidate& add_listed(const std::string& name, const EntityKind& kind) {
    Candidate& listed = add(name, kind.id, 1);
    listed.listed = true;
    auto core = code_points(core_name(name));
    if (const std::size_t place = place_prefix(core); place > 0) {
      core.erase(core.begin(), core.begin() + static_cast<std::ptrdiff_t>(place));
      std::string rest;
      for (const auto& c : core) rest += c;
      ++listed.names[rest];
    }
    if (core.size() >= 6 && std::all_of(core.begin(), core.end(), [](const std::string& c) { return is_han(c); })) {
      const std::string tail = core[core.size() - 2] + core.back();
      if (tail == "服务" || tail == "管理" || tail == "发展") {
        std::string shorter;
        for (std::size_t i = 0; i + 2 < core.size(); ++i) shorter += core[i];
        ++listed.names[shorter];
      }
    }
    return listed;
  }

  // "仓掌柜WMS | cangku01 | 密码已改 …" under "系统 | 账号 | 密码 …": a list of the team's accounts names a
  // system in every row. 121 of the 144 rows of such lists in the 26 handovers of bench/gaps are systems a
  // reader counts (24 of them without a write-up); the rest are the tools everyone has (企业微信, 公司邮箱,
  // WiFi) and the portals of clients and partners (山岚供应商协同平台, 融付通商户平台), which are theirs.
  void from_account_list(const Doc& d) {
    static const std::set<std::string> system_headers = {"系统", "平台", "系统/平台", "平台/系统", "系统名称", "平台名称", "system", "platform"};
    static const CueSet account_headers({"账号", "账户", "帐号", "用户名", "登录名", "account", "username", "login"});
    for (const Unit& u : d.units) {
      std::size_t system_col = std::string::npos;
      bool header = true;
      for_each_line(u.text, [&](std::string_view line) {
        const std::vector<std::string> cells = table_cells(line);
        if (cells.empty()) return true;
        if (header) {
          header = false;
          bool accounts = false;
          for (std::size_t i = 0; i < cells.size(); ++i) {
            const std::string h = fold(cells[i]);
            if (system_col == std::string::npos && system_headers.count(h)) system_col = i;
            else if (code_points(h).size() <= 6 && account_headers.in(h)) accounts = true;
          }
          if (!accounts) system_col = std::string::npos;
          return system_col != std::string::npos;
        }
        if (system_col < cells.size())
          if (std::string name = account_system_name(cells[system_col]); !name.empty()) account_systems_.emplace_back(std::move(name), &d);
        return true;
      });
    }
  }

  // The system a row of an account list names: "云签 子账号" → 云签, "客易通CRM（企业版）" → 客易通CRM,
  // "云栈CRM开放平台" → 云栈CRM; "" for a tool everyone has, a placeholder or a number (12306 企业账号).
  static std::string account_system_name(const std::string& cell) {
    // (顺丰月结: a courier's monthly billing account, not a system.)
    static const CueSet everyones({"wifi", "共享盘", "同上", "月结"});
    if (everyones.in(fold(cell))) return {};
    std::string name = cell.substr(0, std::min({cell.find("（"), cell.find('('), cell.size()}));
    if (const std::size_t space = name.find(' '); space != std::string::npos) {
      const std::string first = name.substr(0, space);
      if (has_cjk(first) && code_points(first).size() >= 2) name = first;
    }
    name = std::string(trim(name));
    // "森域服务云2.0", "订货平台 V2": the version is not part of the name.
    // (Not the 8 of 用友U8: a version has a point, a V or a space before it.)
    if (!name.empty() && std::isdigit(static_cast<unsigned char>(name.back()))) {
      std::size_t at = name.size();
      while (at > 0 && (std::isdigit(static_cast<unsigned char>(name[at - 1])) || name[at - 1] == '.')) --at;
      const bool point = name.find('.', at) != std::string::npos;
      if (at > 0 && (name[at - 1] == 'V' || name[at - 1] == 'v')) --at;
      if (at > 0 && (point || name[at] == 'V' || name[at] == 'v' || name[at - 1] == ' ')) name = std::string(trim(name.substr(0, at)));
    }
    static constexpr std::string_view roles[] = {"开放接口", "开放平台", "接口", "超管", "管理员", "子账号", "账号", "管理端", "查看"};
    for (bool cut = true; cut;) {
      cut = false;
      for (std::string_view role : roles)
        if (name.ends_with(role) && code_points(name).size() >= code_points(role).size() + 2) {
          name = std::string(trim(name.substr(0, name.size() - role.size())));
          cut = true;
        }
    }
    const auto chars = code_points(name);
    // (Also not the |---|---| under a Markdown table's header.)
    const bool letters = has_cjk(name) || std::any_of(name.begin(), name.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
    if (!letters || chars.size() < 2 || chars.size() > 20 || std::isdigit(static_cast<unsigned char>(name[0])) || generic_tool(name) ||
        made_of_common_words(fold(name)) || name.find_first_of("/\\:@") != std::string::npos)
      return {};
    return name;
  }

  // What the team calls a system of its account list for short: "在星盘里更新" for 星盘达人库, "鹰眼里点了冻结"
  // for 鹰眼风控, 观澜 for 观澜BI: the Chinese before its Latin kind, or the first two characters of four or
  // more. Not an everyday word (渠道 of 渠道数据驾驶舱), a place, nor the start of another name (`names`, folded).
  static std::string system_brand(const std::string& name, const std::set<std::string>& names) {
    const auto chars = code_points(name);
    std::size_t han = 0;
    while (han < chars.size() && is_han(chars[han])) ++han;
    std::string brand;
    if (han >= 2 && han < chars.size() && std::all_of(chars.begin() + static_cast<std::ptrdiff_t>(han), chars.end(), [](const std::string& c) {
          return c.size() == 1 && std::isalpha(static_cast<unsigned char>(c[0]));
        }))
      for (std::size_t i = 0; i < han; ++i) brand += chars[i];
    else if (han == chars.size() && han >= 4)
      brand = chars[0] + chars[1];
    if (brand.empty() || made_of_common_words(fold(brand)) || std::find(std::begin(places), std::end(places), brand) != std::end(places))
      return {};
    const std::string f = fold(brand), whole = fold(name);
    if (std::any_of(names.begin(), names.end(), [&](const std::string& n) { return n != whole && n.starts_with(f); })) return {};
    return brand;
  }

  // The kind of system a name ends in, in capitals after Chinese (CRM of 对公CRM, ERP of 印捷通ERP), or "".
  static std::string latin_kind(const std::string& name) {
    std::size_t at = name.size();
    while (at > 0 && std::isupper(static_cast<unsigned char>(name[at - 1]))) --at;
    const std::string kind = name.substr(at);
    if (kind.size() < 2 || kind.size() > 4 || at == 0 || !has_cjk(name.substr(0, at))) return {};
    return kind;
  }

  // The account lists' systems that are not a client's or partner's (their portals start with their trade
  // name: 天衡SRM供应商门户 of 天衡钢铁) nor a name found already (印捷通ERP), kept like a system an SOP
  // logs in to.
  // A name's Chinese and Latin runs in order of their bytes: "云栈CRM" and "CRM 云栈" (of CRM_云栈.md) are one.
  static std::string runs_key(const std::string& name) {
    std::vector<std::string> runs;
    std::string run;
    bool han_run = false;
    for (const std::string& cp : code_points(fold(name))) {
      const bool han = is_han(cp);
      if (!run.empty() && han != han_run) runs.push_back(std::exchange(run, std::string()));
      if (han || (cp.size() == 1 && std::isalnum(static_cast<unsigned char>(cp[0])))) {
        run += cp;
        han_run = han;
      }
    }
    if (!run.empty()) runs.push_back(run);
    std::sort(runs.begin(), runs.end());
    std::string key;
    for (const auto& r : runs) key += r + "|";
    return key;
  }

  void systems_with_accounts() {
    std::set<std::string> brands, names;
    std::map<std::string, std::size_t> by_runs;  // runs_key → candidate
    for (std::size_t i = 0; i < candidates_.size(); ++i)
      for (const auto& [n, _] : candidates_[i].names) by_runs.emplace(runs_key(n), i);
    for (const Candidate& c : candidates_)
      for (const auto& [n, _] : c.names) {
        names.insert(fold(n));
        const auto core = code_points(core_name(n));
        if (core.size() >= 2 && is_han(core[0]) && is_han(core[1])) brands.insert(core[0] + core[1]);
      }
    for (const auto& [name, d] : account_systems_) {
      const std::string f = fold(name);
      const auto chars = code_points(name);
      // (签立方 | 企业账号 …: the e-sign service whose mails made it a correspondent is a system the team logs in to.)
      if (const auto it = index_.find(f); it != index_.end()) {
        candidates_[it->second].kinds["system"] += 2;
        continue;
      }
      if (const auto it = by_runs.find(runs_key(name)); it != by_runs.end()) {
        candidates_[it->second].names.emplace(name, 0);
        if (const std::string brand = system_brand(name, names); !brand.empty()) candidates_[it->second].names.emplace(brand, 0);
        continue;
      }
      if (chars.size() >= 2 && brands.count(chars[0] + chars[1])) continue;
      if (std::any_of(names.begin(), names.end(), [&](const std::string& n) { return code_points(n).size() >= 2 && f.starts_with(n); }))
        continue;
      note_thing(name, "system", *d);
      things_[name].accounts = true;
    }
  }

  // True if `text` names a file ("见 projects/DMS二期上线.md", "资料：项目/XT-E3.docx").
  static bool names_a_file(std::string_view text) {
    static constexpr std::string_view endings[] = {".md", ".docx", ".xlsx", ".pdf", ".txt", ".csv", ".doc", ".xls", ".pptx"};
    return std::any_of(std::begin(endings), std::end(endings), [&](std::string_view e) { return contains(text, e); });
  }

  // "蓝鲸项目 高压线束 | 湘岳 | … | 2025-07" in 项目总表: a list of projects names each in its first
  // column; a row that points to no document is a project without a write-up ("XT-E3 … | 项目/XT-E3.md"
  // has one, found by its file). The name is the row's first cell without its remark, and without the
  // words after a name that says it is a project or plan ("蓝鲸项目 高压线束").
  void project_rows(const Doc& d) {
    static const CueSet name_columns({"项目", "项目名称", "名称", "project", "name"});
    for (const Unit& u : d.units) {
      bool header = false;
      for_each_line(u.text, [&](std::string_view line) {
        const std::vector<std::string> cells = table_cells(line);
        if (cells.size() < 2) return true;
        if (!header) {
          header = name_columns.in(fold(cells.front())) && code_points(cells.front()).size() <= 4;
          return header;  // a table that does not begin with a name column is no list of projects
        }
        if (names_a_file(line)) return true;
        std::string name = clean_heading(cells.front());
        for (std::string_view word : {"项目", "计划", "工程", "专项"})
          if (const std::size_t at = name.find(word); at != std::string::npos && at + word.size() < name.size() && name[at + word.size()] == ' ')
            name.resize(at + word.size());
        const std::size_t n = code_points(name).size();
        if (n >= 2 && n <= 20 && !made_of_common_words(fold(name))) add(name, "project", 1);
        return true;
      });
    }
  }

  // A contact list's rows: each organisation in it is one the team deals with, its mail domain (the
  // row's address) another name of it. People of the team's own company are dropped with it later.
  void from_contact_list(const Doc& d) {
    // (A list kept in the folder of one sort, 服务商&供应商/服务商联系人.csv, is of that sort.)
    const EntityKind* sort = nullptr;
    for (fs::path folder = fs::path(d.rec.path).parent_path(); !sort && !folder.empty(); folder = folder.parent_path())
      sort = kind_of_folder(folder.filename().string());
    for_each_contact_row(d, [&](const std::vector<std::string>& cells, const ContactColumns& columns) {
      const std::string name = clean_heading(cells[columns.organisation]);
      const auto chars = code_points(name);
      if (chars.size() < 2 || chars.size() > 30 || std::isdigit(static_cast<unsigned char>(name[0]))) return;
      static const CueSet nobody({"个人", "自由职业", "暂无", "待定", "未知", "本公司", "我司", "n/a", "none"});
      if (nobody.in(fold(name))) return;
      // A row with no one to contact ("砌块 | 就近采购 | — | — | 现场询价") names a way of buying, not someone.
      const auto given = [&](std::size_t column) {
        if (column >= cells.size()) return false;
        const std::string v(trim(cells[column]));
        return !v.empty() && v != "—" && v != "-" && v != "--" && v != "/" && v != "无" && v != "n/a";
      };
      const bool any_column = columns.person < cells.size() || columns.mail < cells.size() || columns.phone < cells.size();
      if (any_column && !given(columns.person) && !given(columns.mail) && !given(columns.phone)) return;
      Candidate& c = add(name, sort ? sort->id : "", sort ? 1 : 0);
      c.mail_docs.insert(d.rec.id);
      // "颐信科技（颐管家）": another name of it, or what it makes, in brackets.
      c.bracketed = bracketed(cells[columns.organisation]);
      if (columns.mail >= cells.size()) return;
      const std::string& address = cells[columns.mail];
      const auto at = address.rfind('@');
      if (at == std::string::npos) return;
      const std::string domain = ascii_lower(std::string(trim(std::string_view(address).substr(at + 1))));
      if (is_domain(domain) && !detail::public_mail_domain(domain)) ++c.names[domain];
    });
  }

  static bool registered_name(const std::string& name) {
    const std::size_t n = code_points(name).size();
    return n >= 5 && n <= 30 && (name.ends_with("有限公司") || name.ends_with("股份有限公司"));
  }

  // "合作伙伴与供应商.md" with one top heading per partner: each heading's subtree is a write-up.
  void from_rollup(const Doc& d) {
    if (d.rec.kind != "handover" && d.rec.kind != "record") return;  // a manual's headings are steps
    if (in_entity_folder(d.rec.path)) return;                         // one entity's write-up, not a list
    const EntityKind* kind = nullptr;
    const std::string title = fold(d.rec.title);
    // (供应商结算周报: a report's headings are its parts, 本周应付 and 下周预计.)
    static const CueSet procedure({"流程", "手册", "规范", "操作", "指南", "模板", "周报", "月报", "日报", "报表", "sop",
                                   "procedure", "manual", "template", "report"});
    if (procedure.in(title)) return;
    // (经销商拜访记录 in 模板/经销商拜访记录模板.md: a template's headings are the fields to fill in.)
    static const CueSet templates({"模板", "范本", "template"});
    if (procedure.in(fold(fs::path(d.rec.path).stem().string())) || templates.in(fold(fs::path(d.rec.path).parent_path().string())))
      return;
    // The title is about them: "合作伙伴与供应商", "主要客户一览", not "客户成功经理交接清单".
    const std::string topic = fold(strip_brackets(d.rec.title));
    for (const auto& k : checklist_.entity_kinds) {
      for (const auto& f : k.folders)
        if (topic.starts_with(fold(f)) || topic.ends_with(fold(f)) || (list_like(topic) && contains(topic, fold(f)))) kind = &k;
      if (kind) break;
    }
    if (!kind) return;
    // "九江滨江店开业项目": a title naming one project is its write-up, not a list of them (its 已完成 and
    // 下一步优先级 are its parts).
    if (kind->id == "project" && !list_like(topic))
      for (const auto& f : kind->folders)
        if (const std::string w = fold(f); has_cjk(w) && topic.ends_with(w)) {
          const std::string name = topic.substr(0, topic.size() - w.size());
          if (code_points(name).size() < 4 || made_of_common_words(name)) break;
          std::string shown = clean_heading(strip_brackets(d.rec.title));
          if (const std::size_t at = shown.rfind(f); at != std::string::npos && at > 0) shown = std::string(trim(shown.substr(0, at)));
          Candidate& c = add(shown, kind->id, 3);
          c.write_ups.push_back({&d, {}});
          return;
        }
    std::vector<std::string> tops;
    for (const Unit& u : d.units)
      if (!u.headings.empty() && std::find(tops.begin(), tops.end(), u.headings.front()) == tops.end() &&
          entity_like_heading(u.headings.front()))
        tops.push_back(u.headings.front());
    if (tops.size() < 2) return;  // one heading is a section, not a list of entities
    for (const std::string& top : tops) {
      Candidate& c = add(top, kind->id, 2);
      c.write_ups.push_back({&d, top});
    }
  }

  // "They submit every invoice into SAP Concur" in 会员公司/Lindqvist_Maritime.md: a product the team's
  // documents name only in write-ups of clients and partners is theirs (the mails that name it are theirs too).
  bool in_their_write_ups(const std::string& product) const {
    bool named = false;
    for (const Doc& d : docs_) {
      if (d.conversation || std::none_of(d.units.begin(), d.units.end(), [&](const Unit& u) { return u.text.find(product) != std::string::npos; }))
        continue;
      const EntityKind* kind = kind_of_path(d.rec.path);
      if (!kind || (kind->id != "client" && kind->id != "partner")) return false;
      named = true;
    }
    return named;
  }

  // The entity kind of the first folder on `path` that holds write-ups of one (客户/, 供应商&合作方/), or nullptr.
  const EntityKind* kind_of_path(const std::string& path) const {
    for (std::size_t start = 0; start < path.size();) {
      const std::size_t slash = path.find('/', start);
      if (slash == std::string::npos) break;
      if (const EntityKind* kind = kind_of_folder(path.substr(start, slash - start))) return kind;
      start = slash + 1;
    }
    return nullptr;
  }

  bool in_entity_folder(const std::string& path) const { return kind_of_path(path) != nullptr; }

  // A heading that names something, not a field or an area ("联系人", "概述", "注意事项").
  bool entity_like_heading(const std::string& heading) const {
    const std::size_t n = code_points(heading).size();
    if (n < 2 || n > 24) return false;
    const std::string f = fold(heading);
    for (const auto& k : checklist_.entity_kinds) {
      if (f == fold(k.zh) || f == fold(k.en)) return false;
      for (const auto& folder : k.folders)
        if (contains(f, fold(folder))) return false;
    }
    for (const auto& k : checklist_.entity_kinds)
      for (const auto& field : k.fields)
        for (const auto& cue : field.cues)
          if (f == fold(cue) || (code_points(cue).size() >= 2 && contains(f, fold(cue)) && code_points(f).size() <= code_points(cue).size() + 2))
            return false;
    for (const auto& a : checklist_.areas)
      for (const auto& cue : a.cues)
        if (contains(f, fold(cue))) return false;
    static const std::vector<std::string> generic = {"概述", "说明", "简介", "背景", "附录", "总结", "目录", "其他", "备注",
                                                     "overview", "summary", "notes", "appendix", "contents"};
    return std::none_of(generic.begin(), generic.end(), [&](const std::string& g) { return contains(f, g); });
  }

  // The companies a mail names (signature, domains).
  void from_mail(const Doc& d) {
    for (const auto& org : d.rec.organisations) {
      Candidate& c = add(org, "", 0);
      c.from_mail = true;
      c.mail_docs.insert(d.rec.id);
    }
  }

  static bool registered_suffix(const std::string& suffix) { return suffix.ends_with("公司") || suffix.ends_with("合作社"); }

  // Companies a conversation names by their registered name: "南京蓝点信息技术有限公司那边…".
  void from_text(const Doc& d) {
    static const std::vector<std::string> suffixes = [] {
      // ("五常市稻香源水稻专业合作社": a farmers' cooperative is registered so, like a company.)
      std::vector<std::string> all = {"股份有限公司", "有限责任公司", "有限公司", "专业合作社"};
      for (const auto& t : trade_suffixes()) all.push_back(t);
      return all;
    }();
    // Where a name cannot start: what comes before it in a sentence ("跟", "是", "我们"), a demonstrative,
    // a pronoun or a question word ("这个酒店", "什么快递", "我想咨询", "附近有酒店"); a registered name,
    // only after registered_name_breaks.
    static constexpr std::string_view breaks = "的和与跟给在是找让请向从对把被由及或说问了们也都就还要会同为到等个这那哪啥么您你我想有没以";
    for (const Unit& u : d.units) {
      const std::string& text = u.text;
      for (const std::string& suffix : suffixes)
        for (std::size_t at = text.find(suffix); at != std::string::npos; at = text.find(suffix, at + suffix.size())) {
          std::vector<std::string> before;
          std::size_t start = at;
          while (start > 0 && before.size() < 14) {
            std::size_t b = start - 1;
            while (b > 0 && (static_cast<unsigned char>(text[b]) & 0xC0) == 0x80) --b;
            const std::string cp = text.substr(b, start - b);
            // "凌川冷链物流（苏州）有限公司": a place in brackets is part of the name.
            if (cp == "）" && registered_suffix(suffix)) {
              const std::size_t open = text.rfind("（", b);
              if (open != std::string::npos && b - open <= 3 * 8) {
                before.insert(before.begin(), text.substr(open, start - open));
                start = open;
                continue;
              }
            }
            // "您的账户（上海鹭汀…有限公司，…": an opening bracket or a comma is before the name, not in it.
            if (!is_han(cp) || (registered_suffix(suffix) ? registered_name_breaks : breaks).find(cp) != std::string_view::npos)
              break;
            before.insert(before.begin(), cp);
            start = b;
          }
          // "短信供应商南京蓝点…": the name starts after a role word, or at a place name.
          static const std::vector<std::string> roles = {"供应商", "服务商", "合作方", "客户", "伙伴", "厂商", "代理商"};
          std::string run;
          for (const auto& cp : before) run += cp;
          for (const auto& role : roles)
            if (const auto r = run.rfind(role); r != std::string::npos) run.erase(0, r + role.size());
          // "第一受益人继续为沅川银行股份…", "收款方是…": a verb of being before the name, when a sentence is
          // before it and a name of four or more characters after it (not the 为 of 大有为科技).
          for (std::string_view verb : {"为", "是"})
            if (const auto v = run.rfind(verb); v != std::string::npos && code_points(run.substr(0, v)).size() >= 2 &&
                                                 code_points(run.substr(v + verb.size())).size() >= 4)
              run.erase(0, v + verb.size());
          // (A place in brackets, "（苏州）", is where a branch is, not where the name starts.)
          // (Not inside a registered name that starts with one: the 南通 of 河南通运物流有限公司.)
          const std::size_t bracket = std::min(run.find("（"), run.find("("));
          const bool starts_at_place = registered_suffix(suffix) &&
                                       std::any_of(std::begin(places), std::end(places), [&](std::string_view p) { return run.starts_with(p); });
          for (std::string_view place : places)
            if (const auto p = run.find(place); !starts_at_place && p != std::string::npos && p > 0 && p < bracket) {
              run.erase(0, p);
              break;
            }
          if (code_points(run).size() < 2) continue;
          // A trade name alone ("新锐纺织") is a company only with its city in front ("常州新锐纺织"):
          // "做物流", "搞科技" are not.
          const bool registered = registered_suffix(suffix);
          // An address ("南京市雨花台区软件大道") is not a name.
          static const CueSet address({"市", "区", "县", "镇", "路", "街", "号", "省"});
          if (!registered && address.in(run)) continue;
          // "苏州前置仓冷链配送": the trade word describes a service here ("冷链配送"), it does not end a name.
          if (!registered && compound_follows(std::string_view(text).substr(at + suffix.size()))) continue;
          std::string name = run;
          name += suffix;
          // Without its city a trade name must come up more than once ("找印象彩印 … 还是印象彩印").
          if (!registered && std::none_of(std::begin(places), std::end(places), [&](std::string_view p) {
                return run.starts_with(p) && code_points(run).size() >= code_points(p).size() + 2;
              })) {
            if (code_points(run).size() >= 2 && code_points(run).size() <= 4) note_thing(name, "", d);
            continue;
          }
          if (const std::string f = fold(name); f.starts_with("本") || f.starts_with("贵") || f.starts_with("该")) continue;
          registered_.insert(name);  // added once every name is known: see add_registered()
        }
    }
  }

  // "受盐池华曜新能源有限公司委托", "抬头写青岚新能源运维有限公司": the run before 有限公司 may start with a
  // word of the sentence. A registered name that is another one found in the material (a signature, a
  // contact list, another sentence) after a word of up to three characters is that one.
  void add_registered() {
    std::set<std::string> known;  // folded
    for (const auto& name : registered_) known.insert(fold(name));
    for (const auto& [key, _] : index_) known.insert(key);
    for (const auto& name : registered_)
      if (after_a_word(fold(name), known, 3, 6).empty()) add(name, "", 0);  // its mentions are found by name later
  }

  // True if `after` starts with a noun that makes the trade word before it part of a compound: 冷链配送,
  // 物流服务, 科技行业 (a name is followed by a particle, a verb or punctuation, not by what it sells).
  static bool compound_follows(std::string_view after) {
    static constexpr std::string_view nouns[] = {"配送", "运输", "服务", "业务", "行业", "市场", "方案", "需求", "设备",
                                                 "车辆", "仓储", "专线", "产品", "板块", "模式", "能力", "资源", "企业"};
    return std::any_of(std::begin(nouns), std::end(nouns), [&](std::string_view n) { return after.starts_with(n); });
  }

  // "3. DMS二期上线：…，见 projects/DMS二期上线.md" and "5. 订单小麦：彭经理在谈，资料都在邮件里": a list whose
  // items point to project write-ups (two at least) lists projects, so an item that points to no
  // document at all is a project without one.
  void listed_beside_write_ups(const Doc& d) {
    const std::vector<std::string>& project_files = project_files_of();
    if (project_files.empty()) return;
    for (const Unit& u : d.units) {
      std::vector<std::string> unreferenced;
      std::size_t pointing = 0;
      for_each_line(u.text, [&](std::string_view line) {
        const std::size_t colon = line.find("：");
        if (colon == std::string_view::npos || colon == 0) return;
        const std::string name = clean_heading(line.substr(0, colon));
        const std::size_t n = code_points(name).size();
        static const CueSet punctuation({"，", "。", "、", "；", " ", "（", "("});
        if (n < 2 || n > 12 || punctuation.in(name)) return;
        const std::string_view rest = line.substr(colon);
        if (std::any_of(project_files.begin(), project_files.end(), [&](const std::string& f) { return contains(rest, f); }))
          ++pointing;
        else if (!names_a_file(rest))
          unreferenced.push_back(name);
      });
      if (pointing < 2) continue;
      for (const std::string& name : unreferenced) {
        note_thing(name, "project", d);
        things_[name].listed = true;
      }
    }
  }

  // The paths and file names of the documents in a projects folder (found once).
  const std::vector<std::string>& project_files_of() {
    if (project_files_) return *project_files_;
    project_files_.emplace();
    for (const Doc& d : docs_) {
      if (d.conversation) continue;
      const fs::path path(d.rec.path);
      bool project = false;
      for (const auto& part : path.parent_path())
        if (const EntityKind* kind = kind_of_folder(part.string()); kind && kind->id == "project") project = true;
      if (!project) continue;
      project_files_->push_back(d.rec.path);
      project_files_->push_back(path.filename().string());
    }
    return *project_files_;
  }

  // "垄上农技通小程序", "掌上通 App": what a mini-program or an app is called is a system of the team's.
  void named_apps(const std::string& t, const Doc& d) {
    for (const std::string kind : {"小程序", "APP", "App", "app", "公众号"})
      for (std::size_t at = t.find(kind); at != std::string::npos; at = t.find(kind, at + kind.size())) {
        std::size_t start = at;
        if (std::isalpha(static_cast<unsigned char>(kind[0]))) {
          const std::size_t after = at + kind.size();
          if (after < t.size() && std::isalpha(static_cast<unsigned char>(t[after]))) continue;  // AppID, Apple
          if (start > 0 && t[start - 1] == ' ') --start;  // "掌上通 App"
        }
        std::size_t n = 0;
        static const std::string breaks = std::string(name_breaks) + "用您你我他她咱";  // "经销商用小程序扫码"
        std::string run = han_run_before(t, start, 6, breaks, n);
        // "可以打开京东App", "进入小秘书": what is done with the app is not its name.
        for (std::string_view verb : {"打开", "进入", "通过", "下载", "安装", "登录", "使用", "关注", "点击", "点开"})
          if (const std::size_t v = run.rfind(verb); v != std::string::npos) {
            run.erase(0, v + verb.size());
            n = code_points(run).size();
          }
        // A two-character name keeps its kind: "禾询小程序" (禾询 alone is a word of anything). Not the apps
        // everyone has.
        static const std::set<std::string> everyday = {"京东", "淘宝", "天猫", "支付宝", "抖音", "快手", "美团", "拼多多", "高德",
                                                       "百度", "滴滴", "饿了么", "小红书", "微博", "携程", "闲鱼", "银行"};
        // ("家长迁移（推送小程序）": a verb of the language, not a name.)
        if (n >= 2 && !generic_tool(run) && !made_of_common_words(fold(run)) && !everyday.count(run) && !(n == 2 && everyday_word(run)))
          note_thing(n == 2 ? run + kind : run, "system", d);
      }
  }

  // "FineBI", "PowerBI": a product name (a capital after the first letter, some lower case);
  // "温控追踪试点", "仓库搬迁项目": a project.
  void named_things(const Doc& d) {
    // A mail's subject names what it is about ("冷站节能改造方案（CoolPeak）初步意见").
    if (d.rec.format == "mail") named_in(d.rec.title, d);
    for (const Unit& u : d.units) named_in(u.text, d);
  }

  void named_in(const std::string& t, const Doc& d) {
    static const std::set<std::string> common = {"WeChat", "iPhone", "iPad", "iOS", "macOS", "PowerPoint", "JavaScript",
                                                 "YouTube", "LinkedIn", "PayPal", "WhatsApp", "TikTok", "GitHub", "OneDrive",
                                                 "OneNote", "FaceTime", "AirDrop", "McDonald", "eBay", "DingTalk", "WeCom",
                                                 // password vaults and remote desktops everyone uses
                                                 "KeePass", "KeePassXC", "LastPass", "TeamViewer", "AnyDesk", "ToDesk",
                                                 "SharePoint"};
    for (std::size_t i = 0; i < t.size();) {
      if (!std::isalpha(static_cast<unsigned char>(t[i]))) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < t.size() && std::isalnum(static_cast<unsigned char>(t[j]))) ++j;
      const std::string word = t.substr(i, j - i);
      const bool before_ok = i == 0 || !std::isalnum(static_cast<unsigned char>(t[i - 1]));
      i = j;
      if (!before_ok || word.size() < 4 || word.size() > 24 || common.count(word)) continue;
      // A product name has a run of lower case ("FineBI", "PowerBI"); "RoHS", "PAHs", "UKey" are abbreviations.
      const bool inner_upper = std::any_of(word.begin() + 1, word.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
      bool lower_run = false;
      for (std::size_t k = 0; k + 2 < word.size(); ++k)
        lower_run |= std::islower(static_cast<unsigned char>(word[k])) && std::islower(static_cast<unsigned char>(word[k + 1])) &&
                     std::islower(static_cast<unsigned char>(word[k + 2]));
      // "COuld", "SUnday", "EMails": the shift key held one letter too long, not a name.
      const bool shift_slip = std::isupper(static_cast<unsigned char>(word[1])) &&
                              std::all_of(word.begin() + 2, word.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); });
      if (word.size() >= 5 && inner_upper && lower_run && std::isupper(static_cast<unsigned char>(word[0])) && !shift_slip && !generic_tool(word))
        note_thing(word, "system", d);
    }
    quoted_projects(t, d);
    named_apps(t, d);
    named_by_acronym(t, d);
    named_with_year(t, d);
    // "库房改造", "仓库搬迁": works on a place are projects with a two-character name too.
    for (const std::string suffix : {"试点", "项目", "专项", "集采", "系统", "平台", "机器人", "浏览器", "宝", "云", "通", "看板", "改造", "搬迁",
                                     "升级", "整改", "测评"})
      for (std::size_t at = t.find(suffix); at != std::string::npos; at = t.find(suffix, at + suffix.size())) {
        // "西溪数智园项目部" is a department of the team, not a project.
        const std::string_view after = std::string_view(t).substr(at + suffix.size());
        const bool department = suffix == "项目" && (after.starts_with("部") || after.starts_with("组") || after.starts_with("室"));
        std::size_t start = at, n = 0;
        // "电子签章那个系统" is the 电子签章系统.
        for (std::string_view that : {"那个", "这个"})
          if (std::string_view(t).substr(0, start).ends_with(that) && (suffix == "系统" || suffix == "平台")) start -= that.size();
        const std::string run = han_run_before(t, start, 10, name_breaks, n);
        const bool system = suffix == "系统" || suffix == "平台" || suffix == "机器人" || suffix == "浏览器" || suffix == "宝" ||
                            suffix == "云" || suffix == "通" || suffix == "看板";
        // "展位宝", "票通云": a product; "支付宝", "阿里云", "谷歌浏览器" everyone has.
        static const std::set<std::string> everyday = {"支付宝", "淘宝", "余额宝", "阿里云", "腾讯云", "华为云", "百度云",
                                                       "天翼云", "移动云", "金山云", "京东云", "多宝", "上云", "谷歌浏览器",
                                                       "火狐浏览器", "搜狗浏览器", "夸克浏览器", "微软浏览器", "苹果浏览器"};
        const bool short_suffix = suffix == "宝" || suffix == "云" || suffix == "通" || suffix == "浏览器";
        if (short_suffix && (n < 2 || n > 4 || everyday.count(run + suffix))) continue;
        // "云签通", "维保通": a product named …通; not 开通, 沟通, 交通 or the couriers everyone uses (圆通, 中通).
        static const std::set<std::string> through = {"开", "沟", "交", "普", "打", "连", "接", "畅", "流", "精", "疏", "相",
                                                      "互", "贯", "变", "融", "直", "联", "卡", "串", "圆", "申", "中", "汇",
                                                      "神", "不", "走", "跑", "调", "灵", "共", "四", "是", "都", "能", "可"};
        // (Nor the 通 of 通知, 通道, 通过: "短信通知" names no 短信通.)
        static const std::set<std::string> word_after = {"知", "道", "过", "报", "讯", "用", "常", "行", "话", "信", "往", "宵",
                                                         "勤", "风", "畅", "关", "俗", "顺", "融", "红", "车", "航", "电", "票",
                                                         "告", "晓", "达", "透", "盘", "力", "路", "识", "病"};
        const std::string_view next = std::string_view(t).substr(at + suffix.size());
        const bool word_goes_on = !next.empty() && word_after.count(std::string(code_points(next.substr(0, 4)).front()));
        if (suffix == "通" && (through.count(code_points(run).back()) || n > 3 || word_goes_on)) continue;
        if (suffix == "看板" && (n < 2 || n > 4 || made_of_common_words(fold(run)))) continue;
        // ("天成云谷" is a building, 云端 and 云盘 are words: a 云 the word goes on after ends no name; 运力云平台
        // is 运力云's.)
        static const std::set<std::string> cloud_words = {"谷", "端", "盘", "集", "顶", "朵", "层", "海", "山", "霄", "图", "计"};
        if (suffix == "云" && !next.empty() && cloud_words.count(std::string(code_points(next.substr(0, 4)).front()))) continue;
        // "恒泰云南奖励游": the 云 of a place (云南) ends no name.
        if (short_suffix && std::any_of(std::begin(places), std::end(places), [&](std::string_view place) {
              return place.starts_with(suffix) && std::string_view(t).substr(at).starts_with(place);
            }))
          continue;
        if (department) {
          if (n >= 2) departments_.insert(run + suffix);
          continue;
        }
        const bool works = suffix == "改造" || suffix == "搬迁";
        // "7#楼卸料平台", "3号楼电梯改造": a thing of a numbered building is on a site, not a name.
        const std::size_t run_start = start - run.size();
        if (n >= 2 && run_start >= 1 && (std::isdigit(static_cast<unsigned char>(t[run_start - 1])) || t[run_start - 1] == '#') &&
            std::string_view("楼栋层座").find(code_points(run).front()) != std::string_view::npos)
          continue;
        // "质量日报机器人": a bot the team runs; "扫地机器人", "智能机器人": what a shop sells.
        if (suffix == "机器人" && (n < 3 || run.ends_with("智能"))) continue;
        // ("损耗专项", "门店试点": a 专项 or 试点 is named with two characters too, unless they are everyday words.)
        const bool short_project = (suffix == "专项" || suffix == "试点") && n == 2 && !made_of_common_words(fold(run));
        // ("门禁人脸识别升级", "等保三级测评", "隐私合规整改": works on a thing with a name of four characters or more;
        // not "系统升级", "安全整改".)
        const bool upgrade = suffix == "升级" || suffix == "整改" || suffix == "测评";
        // (Nor "问题我马上升级", "帮您升级": escalating a customer's case.)
        static constexpr std::string_view people[] = {"我", "你", "您", "他", "她", "帮", "马上"};
        if (upgrade && (n < 4 || made_of_common_words(fold(run)) ||
                        std::any_of(std::begin(people), std::end(people), [&](std::string_view p) { return run.find(p) != std::string::npos; })))
          continue;
        if (upgrade) widely_named_.insert(run + suffix);
        if (n >= (system || works ? 2 : 3) || short_project) note_thing(run + suffix, system ? "system" : "project", d);
        // "Clearwater 项目", "Atlas系统": a code name in Latin letters.
        if (n == 0 && (suffix == "项目" || suffix == "系统" || suffix == "平台"))
          if (const std::string word = latin_word_before(t, at); !word.empty()) note_thing(word, system ? "system" : "project", d);
        // "楼控BA系统": what it runs, in Chinese, and its letters (not "公司OA系统", the office's).
        if (n == 0 && (suffix == "系统" || suffix == "平台")) {
          std::size_t letters = at;
          while (letters > 0 && std::isupper(static_cast<unsigned char>(t[letters - 1])) && at - letters < 5) --letters;
          std::size_t m = 0;
          const std::string han = at - letters >= 2 && at - letters <= 4 ? han_run_before(t, letters, 6, name_breaks, m) : std::string();
          if (m >= 2 && !made_of_common_words(fold(han)) && t.compare(letters, at - letters, "OA") != 0)
            note_thing(han + t.substr(letters, at - letters) + suffix, "system", d);
        }
      }
  }

  // The Chinese characters right before `at`, up to `most` of them, stopping at a character of `breaks`
  // (the particles and pronouns a name does not hold); `n` is how many were taken.
  static std::string han_run_before(const std::string& t, std::size_t at, std::size_t most, std::string_view breaks, std::size_t& n) {
    std::string run;
    std::size_t start = at;
    n = 0;
    while (start > 0 && n < most) {
      std::size_t b = start - 1;
      while (b > 0 && (static_cast<unsigned char>(t[b]) & 0xC0) == 0x80) --b;
      const std::string cp = t.substr(b, start - b);
      // (The 新 of 更新, 翻新, 创新 is part of a word: "客梯更新改造" is one name, "新系统" a new one.)
      const bool word_new = cp == "新" && b >= 3 && std::string_view("更翻创刷革焕").find(t.substr(b - 3, 3)) != std::string_view::npos;
      if (!is_han(cp) || (breaks.find(cp) != std::string_view::npos && !word_new)) break;
      run.insert(0, cp);
      start = b;
      ++n;
    }
    return run;
  }

  // The word of Latin letters that ends at `at` (one space between allowed), if it looks like a code
  // name: a capital, then lower case, five letters at least ("Clearwater"; not "DMA", "the").
  static std::string latin_word_before(const std::string& t, std::size_t at) {
    std::size_t end = at;
    if (end > 0 && t[end - 1] == ' ') --end;
    std::size_t start = end;
    while (start > 0 && std::isalpha(static_cast<unsigned char>(t[start - 1]))) --start;
    if (start > 0 && std::isalnum(static_cast<unsigned char>(t[start - 1]))) return {};
    const std::string word = t.substr(start, end - start);
    if (word.size() < 5 || !std::isupper(static_cast<unsigned char>(word[0])) ||
        !std::all_of(word.begin() + 1, word.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); }))
      return {};
    // ("共享盘 Projects项目/秋拍结算进度.csv": a folder named in both languages, not a code name.)
    static const std::set<std::string> kinds = {"project", "projects", "system", "systems", "platform", "platforms"};
    if (kinds.count(ascii_lower(word))) return {};
    return word;
  }

  // "清欠2024 的收尾": a short name with its year is an undertaking's code name (not "截至2024年", a
  // date, nor "报表2024.xlsx", a file).
  void named_with_year(const std::string& t, const Doc& d) {
    for (std::size_t at = t.find("20"); at != std::string::npos; at = t.find("20", at + 2)) {
      // (A year of this century's teens to thirties: "瑞通2000，鑫盛5000" are amounts.)
      if (at + 4 > t.size() || !std::isdigit(static_cast<unsigned char>(t[at + 2])) || !std::isdigit(static_cast<unsigned char>(t[at + 3])) ||
          t[at + 2] < '1' || t[at + 2] > '3')
        continue;
      const std::string_view after = std::string_view(t).substr(at + 4);
      if (!after.empty() && !after.starts_with(" ") && !after.starts_with("，") && !after.starts_with("、") && !after.starts_with("的") &&
          !after.starts_with("\n") && !after.starts_with("。"))
        continue;
      std::size_t n = 0;
      const std::string run = han_run_before(t, at, 5, std::string(name_breaks) + "至止于", n);  // not 截至2024
      if (n >= 2 && n <= 4 && !made_of_common_words(fold(run))) note_thing(run + t.substr(at, 4), "project", d);
    }
  }

  // "云仓WMS", "鲜丰汇SRM", "明途OA": a name, then the kind of business system it is.
  void named_by_acronym(const std::string& t, const Doc& d) {
    static constexpr std::string_view acronyms[] = {"ERP", "WMS", "CRM", "SRM", "OMS", "TMS", "MES", "PLM", "SCM", "OA",
                                                    "GIS", "EAM", "HIS", "LIS", "PACS", "HRM"};
    static const std::string breaks = "的和与跟给在是找让请向从对把被由及或说问了们也都就还要会同为到等个这那该本新此各用您你我他她咱";
    for (std::string_view acronym : acronyms)
      for (std::size_t at = t.find(acronym); at != std::string::npos; at = t.find(acronym, at + acronym.size())) {
        const std::size_t after = at + acronym.size();
        if (after < t.size() && std::isalnum(static_cast<unsigned char>(t[after]))) continue;  // "OAuth", "ERPs"
        std::size_t n = 0;
        const std::string run = han_run_before(t, at, 5, breaks, n);
        if (n >= 2 && n <= 4 && !generic_tool(run)) note_thing(run + std::string(acronym), "system", d);
      }
  }

  // “2027苏州新能源汽车零部件展”, 「仓库搬迁项目」: a named undertaking in quotation marks.
  void quoted_projects(const std::string& t, const Doc& d) {
    static const std::vector<std::pair<std::string, std::string>> quotes = {{"“", "”"}, {"「", "」"}, {"\"", "\""}};
    // "西部智造巡展·成都站": a stop of a tour, a phase, a launch are undertakings too.
    static const std::vector<std::string> endings = {"展", "展会", "项目", "计划", "工程", "改造", "试点", "专项", "大会", "峰会", "活动",
                                                     "站", "巡展", "二期", "三期", "上线", "发布会", "答谢会", "年会", "搬迁"};
    for (const auto& [open, close] : quotes)
      for (std::size_t a = t.find(open); a != std::string::npos; a = t.find(open, a + open.size())) {
        const std::size_t b = t.find(close, a + open.size());
        if (b == std::string::npos) break;
        const std::string inner = t.substr(a + open.size(), b - a - open.size());
        const std::size_t n = code_points(inner).size();
        if (n < 4 || n > 24 || !has_cjk(inner)) continue;
        // A quoted sentence, not a name: “时间还早可以再加一个项目” is what someone said.
        static const CueSet sentence({"，", "。", "；", "：", "\n", " ", "可以", "一个", "这个", "那个", "我们", "你们", "他们",
                                      "还", "吗", "吧", "了"});
        if (sentence.in(inner)) continue;
        if (std::any_of(endings.begin(), endings.end(), [&](const std::string& e) { return inner.ends_with(e); })) {
          note_thing(inner, "project", d);
          things_[inner].quoted = true;
          continue;
        }
        // "西溪店“游程直连”试点": the quoted name, then what it is.
        const std::string_view after = std::string_view(t).substr(b + close.size());
        for (std::string_view what : {"试点", "专项"})
          if (after.starts_with(what)) {
            const std::string name = inner + std::string(what);
            note_thing(name, "project", d);
            things_[name].quoted = true;
            break;
          }
      }
  }

  // 金蝶云星空, 用友U8, SAP: business software everyone in the trade knows by name. Named once in a
  // conversation it is a system the successor will meet (general tools such as 微信 or Excel are not here).
  void known_products(const Doc& d) {
    note_listed(d, known_systems(), true);
    // 堡垒机, 监控大屏, 状态页: what an operations team runs, by its common noun. Like any system a
    // conversation names, kept when two conversations name it, or one and a team document. (Not VPN:
    // every office has one, and no reader of bench/gaps counted it; four listed it as not an entity.)
    static const std::vector<std::string> infrastructure = {"堡垒机", "跳板机", "监控大屏", "状态页", "网闸",
                                                            "日志平台", "告警平台", "域控", "NAS"};
    note_listed(d, infrastructure, false);
  }

  void note_listed(const Doc& d, const std::vector<std::string>& list, bool known) {
    for (const Unit& u : d.units)
      for (const std::string& product : list) {
        const std::size_t at = u.text.find(product);
        if (at == std::string::npos) continue;
        const bool latin = std::isalpha(static_cast<unsigned char>(product[0]));
        // "SAP" in "SAPPHIRE" is not SAP; a longer product of the list ("金蝶云星空" before "金蝶") wins.
        if (latin && ((at > 0 && std::isalnum(static_cast<unsigned char>(u.text[at - 1]))) ||
                      (at + product.size() < u.text.size() && std::isalnum(static_cast<unsigned char>(u.text[at + product.size()])))))
          continue;
        note_thing(product, "system", d);
        if (known) things_[product].known = true;
      }
  }

  // "海晟 SAP", "海晟的SAP": a product the material calls a client's or partner's (by its trade name's first
  // two characters) is theirs, not a system of the team.
  bool someone_elses(const std::string& product) const {
    std::set<std::string> brands;
    for (const Candidate& c : candidates_)
      if (const auto chars = code_points(core_name(c.name)); chars.size() >= 2 && is_han(chars[0]) && is_han(chars[1]))
        brands.insert(chars[0] + chars[1]);
    for (const Doc& d : docs_)
      for (const Unit& u : d.units)
        for (std::size_t at = u.text.find(product); at != std::string::npos; at = u.text.find(product, at + product.size())) {
          std::string_view before = std::string_view(u.text).substr(0, at);
          while (before.ends_with(" ")) before.remove_suffix(1);
          if (before.ends_with("的")) before.remove_suffix(std::string_view("的").size());
          if (before.size() >= 6 && brands.count(std::string(before.substr(before.size() - 6)))) return true;
        }
    return false;
  }

  // The list, longest first so that the longer name of a product is taken.
  static const std::vector<std::string>& known_systems() {
    static const std::vector<std::string> list = [] {
      std::vector<std::string> l = {
          "金蝶云星空", "金蝶云星辰", "金蝶精斗云", "金蝶K3", "金蝶EAS", "金蝶", "用友U8", "用友NC", "用友YonSuite", "用友",
          "畅捷通", "管家婆", "浪潮GS", "SAP", "Oracle EBS", "NetSuite", "Salesforce", "HubSpot", "Zoho", "Dynamics 365",
          "纷享销客", "销售易", "泛微", "致远OA", "蓝凌", "北森", "Moka", "聚水潭", "旺店通", "有赞", "微盟", "简道云",
          "明道云", "宜搭", "帆软", "FineReport", "FineBI", "Power BI", "Tableau", "Jira", "Confluence", "禅道", "Teambition",
          "ServiceNow", "Workday", "e签宝", "法大大", "契约锁", "上上签", "问卷星", "金数据", "QuickBooks", "Xero", "Odoo",
          // what an operations team runs: monitoring, build, code, access
          "Grafana", "Zabbix", "Prometheus", "Kibana", "Nagios", "夜莺", "Sentry", "Jenkins", "GitLab", "SonarQube",
          "Harbor", "Rancher", "JumpServer", "PagerDuty", "Datadog", "Statuspage"};
      std::stable_sort(l.begin(), l.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
      return l;
    }();
    return list;
  }

  // "签立方的管理员账号在方总那里", "在签立方后台选模板": a name followed by a system's parts (后台, 管理员
  // 账号) is a system. Kept when the conversation keeps naming it (three times) or two conversations do.
  void systems_by_use(const Doc& d) {
    static constexpr std::string_view parts[] = {"管理后台", "后台", "的管理员", "管理员账号"};
    // (Not 会, 同, 为: they start product names, 会易通.)
    static const std::string breaks = "的和与跟给在是找让请向从对把被由及或说问了们也都就还要到等个这那该本新此各用您你我他她咱";
    for (const Unit& u : d.units)
      for (std::string_view part : parts)
        for (std::size_t at = u.text.find(part); at != std::string::npos; at = u.text.find(part, at + part.size())) {
          std::string run;
          std::size_t start = at, n = 0;
          while (start > 0 && n < 6) {
            const std::string_view before = std::string_view(u.text).substr(0, start);
            if (before.ends_with("登录") || before.ends_with("进入") || before.ends_with("打开") || before.ends_with("通过")) break;
            std::size_t b = start - 1;
            while (b > 0 && (static_cast<unsigned char>(u.text[b]) & 0xC0) == 0x80) --b;
            const std::string cp = u.text.substr(b, start - b);
            if (!is_han(cp) || breaks.find(cp) != std::string::npos) break;
            run.insert(0, cp);
            start = b;
            ++n;
          }
          if (n < 2 || n > 4 || generic_tool(run)) continue;
          note_used(run, u.text, d);
        }
    // "登录会易通后台", "登录金蝶": what an SOP step logs in to.
    static constexpr std::string_view login = "登录";
    // Where the name ends: the system word after it, or the rest of the sentence ("登录不上", "登录后").
    static const std::string stops = "后台系统平台账号页面网页界面并后时前的不了一下过上去到再就要都需也还才";
    for (const Unit& u : d.units)
      for (std::size_t at = u.text.find(login); at != std::string::npos; at = u.text.find(login, at + login.size())) {
        std::string run;
        std::size_t pos = at + login.size(), n = 0;
        while (pos < u.text.size() && n < 6) {
          const auto c = static_cast<unsigned char>(u.text[pos]);
          const std::size_t len = utf8_length(c);
          const std::string cp = u.text.substr(pos, len);
          if (!is_han(cp) || stops.find(cp) != std::string::npos) break;
          run += cp;
          pos += len;
          ++n;
        }
        // ("逾期将无法登录变更", "登录查看", "发登录验证码": a word of the language after it, not a product's name.)
        if (n < 2 || n > 5 || generic_tool(run) || (n <= 3 && everyday_word(run))) continue;
        note_used(run, u.text, d);
        // "登录云信通后台 →", "登录明途OA": the step names the system as one; "登录会话" is a word.
        static constexpr std::string_view system_words[] = {"后台", "系统", "平台", "OA", "ERP", "CRM", "APP", "App", "→", "->", " →", " >"};
        const std::string_view after = std::string_view(u.text).substr(pos);
        if (std::any_of(std::begin(system_words), std::end(system_words), [&](std::string_view w) { return after.starts_with(w); }))
          things_[run].logged_in = true;
      }
  }

  void note_used(const std::string& run, const std::string& text, const Doc& d) {
    note_thing(run, "system", d);
    std::size_t said = 0;
    for (std::size_t p = text.find(run); p != std::string::npos; p = text.find(run, p + run.size())) ++said;
    if (d.conversation) things_[run].said = std::max(things_[run].said, said);
  }

  // Tools everyone has: not systems a handover must explain.
  static bool generic_tool(const std::string& name) {
    // (开发者 of "在开发者后台重新生成密钥": a platform's developer console, part of that platform.)
    static const CueSet tools({"微信", "企业微信", "钉钉", "飞书", "QQ", "邮箱", "邮件", "Excel", "网盘", "公众号", "小程序",
                               "腾讯会议", "手机", "电脑", "系统", "平台", "个人", "自己", "公司", "我们", "他们", "对方",
                               "官网", "网站", "首页", "客户端", "网银", "账号", "账户", "密码", "成功", "失败", "之后", "以后",
                               "信息", "用户", "管理员", "活跃", "开发者", "FrameMaker", "InDesign", "Photoshop", "Illustrator",
                               "Acrobat", "AutoCAD", "Visio", "PowerPoint", "OneNote", "Dropbox"});
    // (The office's OA, where approvals go: "OA", "OA系统", "OA审批"; not the oa inside a word.)
    const std::string f = fold(name);
    if (f == "oa" || (f.starts_with("oa") && has_cjk(f.substr(2)) && code_points(f).size() <= 6)) return true;
    return tools.in(f);
  }

  void note_thing(const std::string& name, const char* kind, const Doc& d) {
    Thing& t = things_[name];
    t.kind = kind;
    if (d.conversation) t.conversations.insert(d.rec.id);
    else t.documents.insert(d.rec.id);
    ++t.times;
  }

  // "小林烘焙-林晓(2853317406)", "聊天对象：科试-吴晓峰（销售）", "[名片] 星屿咖啡-品牌 Vivian", "声威 老许":
  // people save a contact as organisation and person, so the part beside the person is whom the chat is with.
  void from_chat_people(const Doc& d) {
    if (d.rec.format != "chat") return;
    std::vector<std::string> names = d.rec.participants;
    names.push_back(conversation_name(d.rec.title));
    for (const Unit& u : d.units)
      for (std::size_t at = u.text.find("[名片]"); at != std::string::npos; at = u.text.find("[名片]", at + 1)) {
        const std::size_t start = at + std::string_view("[名片]").size();
        names.push_back(u.text.substr(start, std::min(u.text.find('\n', start), u.text.size()) - start));
      }
    for (const std::string& name : names)
      if (const std::string org = organisation_beside_person(name); !org.empty()) add(org, "", 0).mail_docs.insert(d.rec.id);
  }

  // "鹭汀会展运营组 2026-11-20" → "鹭汀会展运营组": a chat day's title is the conversation's name and the day.
  static std::string conversation_name(const std::string& title) {
    const std::size_t space = title.rfind(' ');
    return space == std::string::npos ? title : title.substr(0, space);
  }

  // "赵蕾-远帆品牌部" → "远帆", "周航 智眸科技" → "智眸科技", "陳嘉欣 Kelly" → "" (two people), "启衡-客户成功部"
  // → "" (no person), "衡正样品组" → "" (a group).
  static std::string organisation_beside_person(std::string name) {
    name = std::string(trim(strip_brackets(name)));
    if (contains(name, "群")) return {};
    std::size_t cut = name.find('-'), width = 1;
    for (std::string_view dash : {"—", "－", "–"})
      if (const std::size_t at = name.find(dash); at < cut) cut = at, width = dash.size();
    if (cut == std::string::npos) cut = name.find(' ');
    if (cut == std::string::npos) return {};
    std::string left(trim(std::string_view(name).substr(0, cut))), right(trim(std::string_view(name).substr(cut + width)));
    if (person_like(left) && !person_like(right)) std::swap(left, right);
    if (!person_like(right) || person_like(left)) return {};
    // "远帆品牌部": the department is not part of the organisation's name.
    for (std::string_view unit : {"部", "组"})
      if (const auto chars = code_points(left); chars.size() >= 5 && left.ends_with(unit))
        left.resize(left.size() - chars[chars.size() - 1].size() - chars[chars.size() - 2].size() - chars[chars.size() - 3].size());
    const auto chars = code_points(left);
    if (chars.size() < 2 || chars.size() > 16 || !std::all_of(chars.begin(), chars.end(), [](const std::string& c) { return is_han(c); }))
      return {};
    // "运营部-孟佳", "上海-王磊", "嘉兴仓-小沈": a department, a city or a site of one's contacts, not an
    // organisation.
    if (left.ends_with("部") || left.ends_with("组") || left.ends_with("室") || left.ends_with("仓") || left.ends_with("仓库") ||
        left.ends_with("库房") || left.ends_with("车间") || left.ends_with("工地") || left.ends_with("现场") ||
        std::find(std::begin(places), std::end(places), left) != std::end(places))
      return {};
    // ("马骁-计调": a colleague and the job, as a team saves its own people.)
    static const CueSet roles({"客户", "客服", "销售", "经理", "老板", "总监", "主管", "助理", "财务", "采购", "同事", "老师", "领导", "家人",
                               "计调", "会计", "出纳", "司机", "导游", "领队", "文员", "专员", "跟单", "仓管", "质检", "店长",
                               "督导", "前台", "行政", "人事"});
    return roles.in(fold(left)) ? std::string() : left;
  }

  // A person's name as a chat shows it: 林晓, 吴晓峰, 老许, 小吴, Linda, "品牌 Vivian" (a role, then the name).
  static bool person_like(const std::string& part) {
    const std::size_t space = part.rfind(' ');
    const std::string last = space == std::string::npos ? part : part.substr(space + 1);
    if (!last.empty() && std::all_of(last.begin(), last.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }))
      return last.size() >= 2 && last.size() <= 12 && std::isupper(static_cast<unsigned char>(last[0]));
    const auto chars = code_points(fold(last));
    if (chars.size() < 2 || chars.size() > 3) return false;
    if (chars.size() == 2 && (chars[0] == "老" || chars[0] == "小" || chars[0] == "阿")) return true;
    static const std::string surnames =  // common ones, without those that often start a trade name (明, 华, 金…)
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
        "石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤常温康施牛樊葛邢乔伍庞颜倪庄聂章鲁岳翟殷詹"
        "申欧耿关焦俞左柳祝包符舒阮柯纪梅童凌毕单季裴霍涂苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍喻祁蒲房滕屈饶解牟艾尤穆卓缪芦褚娄窦戚岑"
        "卜晏瞿佟臧闵苟邬卞姬仇栾隋刁巫寇桑郎甄敖迟邝";
    return surnames.find(chars[0]) != std::string::npos;
  }

  // "微信_宏昌包材_陳怡君.txt": a chat export named for a company.
  void from_chat_name(const Doc& d) {
    if (d.rec.format != "chat") return;
    std::string stem = fs::path(d.rec.path).stem().string();
    std::replace(stem.begin(), stem.end(), '-', '_');
    std::vector<std::string> parts;
    for (std::size_t start = 0; start <= stem.size();) {
      const std::size_t end = std::min(stem.find('_', start), stem.size());
      std::string part = stem.substr(start, end - start);
      start = end + 1;
      // "孙浩(远澜物流)": a person, and in brackets whom they are with.
      bool bracketed = false;
      for (auto [open, close] : {std::pair<std::string_view, std::string_view>{"(", ")"}, {"（", "）"}})
        if (const std::size_t o = part.find(open); o != std::string::npos && part.ends_with(close) && o > 0) {
          parts.push_back(part.substr(0, o));
          parts.push_back(part.substr(o + open.size(), part.size() - o - open.size() - close.size()));
          bracketed = true;
          break;
        }
      if (!bracketed) parts.push_back(part);
    }
    for (std::string part : parts) {
      // "与译声同传Linda的QQ消息记录": "with", not part of the name.
      for (std::string_view with : {"与", "和", "跟"})
        if (part.starts_with(with)) part.erase(0, with.size());
      if (company_like(part)) {
        add(part, "", 0).mail_docs.insert(d.rec.id);
        continue;
      }
      // "智眸科技周航": the company, then the person.
      for (const auto& suffix : trade_suffixes())
        if (const auto at = part.find(suffix); at != std::string::npos && at + suffix.size() < part.size()) {
          const std::string company = part.substr(0, at + suffix.size());
          if (company_like(company)) add(company, "", 0).mail_docs.insert(d.rec.id);
          break;
        }
    }
  }

 public:
  static bool company_like(const std::string& name) {
    static const std::vector<std::string> suffixes = {"公司", "集团", "科技", "贸易", "物流", "包材", "传媒", "文创", "工厂",
                                                      "厂",   "商贸", "实业", "电子", "供应链", "母婴", "快递", "货运", "货代"};
    const std::size_t n = code_points(name).size();
    if (n < 3 || n > 20) return false;
    for (const auto& list : {std::cref(suffixes), std::cref(trade_suffixes())})
      for (const auto& s : list.get())
        if (name.ends_with(s) && n >= code_points(s).size() + 2) return true;
    return false;
  }

 private:
  const EntityKind* kind_of_folder(const std::string& folder) const { return entity_kind_of_folder(checklist_, folder); }

  static bool related(const std::string& a, const std::string& b) {
    const std::string ca = core_name(a), cb = core_name(b);
    return ca == cb || abbreviates(ca, cb) || abbreviates(cb, ca) || (!has_cjk(ca) && !has_cjk(cb) && (ca.starts_with(cb) || cb.starts_with(ca)));
  }

  Candidate& add(const std::string& name, const std::string& kind, int weight) {
    const std::string key = fold(name);
    auto [it, fresh] = index_.try_emplace(key, candidates_.size());
    if (fresh) candidates_.push_back({name, {}, {}, {}, false, false, false, {}, {}});
    Candidate& c = candidates_[it->second];
    ++c.names[name];
    if (!kind.empty()) c.kinds[kind] += weight;
    return c;
  }

  const Checklist& checklist_;
  const std::vector<Doc>& docs_;
  mutable std::optional<std::set<std::string>> places_named_;  // see place()
  // Works named by what is done (…升级, …整改, …测评): a sentence says "超时自动升级" once; kept when a
  // conversation and three documents in all name it.
  std::set<std::string> widely_named_;
  struct Thing {
    std::string kind;                     // "system", "project", or "" for a company
    std::set<std::string> conversations;  // that name it
    std::size_t times = 0;
    bool quoted = false;                  // named in quotation marks: “2027苏州新能源汽车零部件展”
    bool known = false;                   // a widely known product (金蝶云星空): named once is enough
    std::size_t said = 0;                 // how often a conversation that names it with a system word says it
    std::set<std::string> documents;      // other documents that use it as a system (an SOP: "登录X后台")
    bool logged_in = false;               // an SOP step logs in to it by name: "登录云信通后台 →"
    bool listed = false;                  // an item of a list whose other items point to project write-ups
    bool accounts = false;                // a row of the team's account list
  };
  std::map<std::string, Thing> things_;
  mutable std::optional<std::vector<std::string>> theirs_;  // what follows 他们的, their … (said_to_be_theirs)
  std::set<std::string> departments_;  // "西溪数智园项目" of 西溪数智园项目部
  std::optional<std::vector<std::string>> project_files_;
  std::set<std::string> registered_;   // registered company names found in conversations' sentences
  std::vector<std::pair<std::string, const Doc*>> account_systems_;  // the systems of account lists
  std::vector<Candidate> candidates_;
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace

std::vector<Candidate> find_entities(const Checklist& checklist, const std::vector<Doc>& docs) {
  return EntityFinder(checklist, docs).find();
}

const EntityKind* entity_kind_of_folder(const Checklist& checklist, const std::string& folder) {
  const std::string f = fold(without_sort_number(folder));
  static const CueSet conversation({"沟通", "邮件", "聊天", "记录", "mail", "chat", "message"});
  if (conversation.in(f)) return nullptr;
  const auto kind_of = [&](const std::string& part) -> const EntityKind* {
    for (const auto& k : checklist.entity_kinds)
      for (const auto& name : k.folders)
        if (const std::string n = fold(name); part == n || part.starts_with(n) || (code_points(n).size() >= 2 && part.ends_with(n)))
          return &k;
    return nullptr;
  };
  if (const EntityKind* k = kind_of(f)) return k;
  // "大客户-企业福利": a folder named by its sort and what it is for; the sort is one of its parts.
  const std::string raw(without_sort_number(folder));
  for (std::size_t start = 0; start < raw.size();) {
    std::size_t end = raw.size(), next = raw.size();
    for (std::string_view sep : {"-", "_", "&", " ", "+", "、"})
      if (const std::size_t at = raw.find(sep, start); at < end) {
        end = at;
        next = at + sep.size();
      }
    if (end > start && end - start < raw.size())
      if (const std::string part = fold(raw.substr(start, end - start)); code_points(part).size() >= 2)
        if (const EntityKind* k = kind_of(part)) return k;
    start = next;
  }
  return nullptr;
}

}  // namespace baton::gaps_detail
