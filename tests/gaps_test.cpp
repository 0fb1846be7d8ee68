#include "baton/gaps.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "baton/catalog.h"
#include "baton/index.h"
#include "baton/questions.h"
#include "baton/search.h"
#include "test_util.h"

using namespace baton;
namespace fs = std::filesystem;

namespace {

// tests/fixtures/gaps (a handover with planted gaps, see its EXPECTED.md), indexed once.
struct Fixture {
  test::TempDir root, data;
  Fixture() {
    const fs::path src = fs::path(BATON_SOURCE_DIR) / "tests/fixtures/gaps";
    fs::copy(src, root.path(), fs::copy_options::recursive);
    fs::remove(root / "EXPECTED.md");  // what the tests know, not part of the handover
    auto r = sync(data.path(), {root.path()});
    if (!r) throw std::runtime_error(r.error().message);
  }
  static Fixture& get() {
    static Fixture f;
    return f;
  }
  GapReport report(const std::string& as_of = "2026-12-10") {
    GapOptions options;
    options.as_of = as_of;
    auto r = analyse_gaps(data.path(), options);
    if (!r) throw std::runtime_error(r.error().message);
    return std::move(*r);
  }
};

const AreaReport& area(const GapReport& r, const std::string& id) {
  for (const auto& a : r.areas)
    if (a.id == id) return a;
  throw std::runtime_error("no area " + id);
}

// The entity one of whose names contains `name`, or nullptr.
const Entity* entity(const GapReport& r, const std::string& name) {
  for (const auto& e : r.entities) {
    if (e.name.find(name) != std::string::npos) return &e;
    for (const auto& a : e.aliases)
      if (a.find(name) != std::string::npos) return &e;
  }
  return nullptr;
}

Coverage field(const Entity& e, const std::string& id) {
  for (const auto& f : e.fields)
    if (f.id == id) return f.state;
  throw std::runtime_error("no field " + id);
}

bool has_line(const std::vector<LineFinding>& list, const std::string& path, int line) {
  return std::any_of(list.begin(), list.end(), [&](const LineFinding& f) { return f.doc.path == path && f.line == line; });
}

}  // namespace

TEST_CASE("gaps: the built-in checklist has the 13 areas of a handover and four kinds of entity", "[gaps]") {
  const Checklist& c = Checklist::builtin();
  REQUIRE(c.areas.size() == 13);
  for (const char* id : {"duties", "projects", "clients", "partners", "systems", "sops", "reports", "team", "risks",
                         "training", "templates", "plan", "support"})
    CHECK(std::any_of(c.areas.begin(), c.areas.end(), [&](const ChecklistArea& a) { return a.id == id; }));
  for (const char* kind : {"client", "project", "partner", "system"}) {
    REQUIRE(c.entity_kind(kind));
    CHECK(c.entity_kind(kind)->fields.size() >= 4);
  }
}

TEST_CASE("gaps: a bad checklist is refused with a message that names the problem", "[gaps]") {
  CHECK_FALSE(Checklist::parse("not json", "x").ok());
  auto no_areas = Checklist::parse(R"({"name": "n", "entities": {}, "areas": []})", "x");
  REQUIRE_FALSE(no_areas.ok());
  CHECK_THAT(no_areas.error().message, Catch::Contains("areas"));
  auto bad_entity = Checklist::parse(R"({"name": "n", "entities": {}, "areas": [{"id": "a", "zh": "甲", "en": "A", "what": "w", "entity": "robot"}]})", "x");
  REQUIRE_FALSE(bad_entity.ok());
  CHECK_THAT(bad_entity.error().message, Catch::Contains("robot"));
  auto no_part_cues = Checklist::parse(
      R"({"name": "n", "entities": {}, "areas": [{"id": "a", "zh": "甲", "en": "A", "what": "w", "cues": ["甲"], "parts": [{"zh": "乙", "en": "B"}]}]})", "x");
  REQUIRE_FALSE(no_part_cues.ok());
  CHECK_THAT(no_part_cues.error().message, Catch::Contains("part B"));
  auto bad_flag = Checklist::parse(
      R"({"name": "n", "entities": {}, "areas": [{"id": "a", "zh": "甲", "en": "A", "what": "w", "cues": ["甲"], "not_in_write_ups": "yes"}]})", "x");
  REQUIRE_FALSE(bad_flag.ok());
  CHECK_THAT(bad_flag.error().message, Catch::Contains("not_in_write_ups"));
  for (const char* unlisted : {R"("unlisted_in_conversation": {"words": ["涨价"], "at_least": 0})", R"("unlisted_in_conversation": {"words": [], "at_least": 2})",
                                R"("unlisted_in_conversation": ["涨价"])"}) {
    INFO(unlisted);
    auto bad = Checklist::parse(std::string(R"({"name": "n", "entities": {}, "areas": [{"id": "a", "zh": "甲", "en": "A", "what": "w", "cues": ["甲"], )") +
                                    unlisted + "}]}",
                                "x");
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(bad.error().message, Catch::Contains("unlisted_in_conversation"));
  }
  auto ok = Checklist::parse(R"({"name": "mine", "entities": {}, "areas": [{"id": "a", "zh": "甲", "en": "A", "what": "w", "cues": ["甲"]}]})", "f.json");
  REQUIRE(ok.ok());
  CHECK(ok->source == "f.json");
  CHECK_FALSE(ok->areas.front().not_in_write_ups);
  CHECK(ok->areas.front().unlisted_at_least == 0);
  auto bad_kinds = Checklist::parse(
      R"({"name": "n", "entities": {}, "areas": [{"id": "a", "zh": "甲", "en": "A", "what": "w", "cues": ["甲"], "not_in_kinds": "manual"}]})", "x");
  REQUIRE_FALSE(bad_kinds.ok());
  CHECK_THAT(bad_kinds.error().message, Catch::Contains("not_in_kinds"));
  auto bad_current = Checklist::parse(
      R"({"name": "n", "entities": {}, "areas": [{"id": "a", "zh": "甲", "en": "A", "what": "w", "kinds": ["manual"], "each_up_to_date": "yes"}]})", "x");
  REQUIRE_FALSE(bad_current.ok());
  CHECK_THAT(bad_current.error().message, Catch::Contains("each_up_to_date"));
  CHECK(Checklist::builtin().areas.at(5).id == "sops");
  CHECK(Checklist::builtin().areas.at(5).each_up_to_date);
  CHECK_FALSE(ok->areas.front().each_up_to_date);
}

TEST_CASE("gaps: areas are judged covered, partial or missing as a careful reader would", "[gaps]") {
  const GapReport r = Fixture::get().report();
  for (const char* id : {"duties", "projects", "team", "risks", "plan"}) {
    INFO(id);
    CHECK(area(r, id).state == Coverage::covered);
    CHECK_FALSE(area(r, id).evidence.empty());
  }
  // Two procedures, one of them out of date: each must be current, so partial, and the page says which.
  CHECK(area(r, "sops").state == Coverage::partial);
  CHECK_FALSE(area(r, "sops").evidence.empty());
  CHECK_THAT(area(r, "sops").missing, Catch::Contains("操作手册/客户续费提醒流程.md"));
  for (const char* id : {"clients", "partners", "systems", "training"}) {
    INFO(id);
    CHECK(area(r, id).state == Coverage::partial);
  }
  for (const char* id : {"reports", "templates", "support"}) {
    INFO(id);
    CHECK(area(r, id).state == Coverage::missing);
    CHECK(area(r, id).evidence.empty());
  }
  // The score follows the formula shown: mean of area scores.
  double sum = 0;
  for (const auto& a : r.areas) sum += a.score;
  CHECK(r.score == Approx(100 * sum / 13).margin(0.1));
  CHECK_THAT(r.formula, Catch::Contains("mean"));
  CHECK(r.checklist_source.find("built-in") != std::string::npos);
}

TEST_CASE("gaps: entities with write-ups have their fields judged", "[gaps]") {
  const GapReport r = Fixture::get().report();
  const Entity* mingchuan = entity(r, "明川零售");
  REQUIRE(mingchuan);
  CHECK(mingchuan->kind == "client");
  CHECK(mingchuan->write_up == Coverage::covered);
  const Entity* hefeng = entity(r, "禾丰");
  REQUIRE(hefeng);
  CHECK(hefeng->write_up == Coverage::partial);
  CHECK(field(*hefeng, "contacts") == Coverage::covered);
  CHECK(field(*hefeng, "history") == Coverage::covered);
  for (const char* f : {"needs", "issues", "preferences", "handling"}) CHECK(field(*hefeng, f) == Coverage::missing);
  CHECK_THAT(hefeng->summary, Catch::Contains("偏好"));
  const Entity* admin = entity(r, "云杉管理后台");
  REQUIRE(admin);
  CHECK(admin->kind == "system");
  CHECK(admin->write_up == Coverage::covered);
  const Entity* crm = entity(r, "云杉CRM");
  REQUIRE(crm);
  CHECK(crm->write_up == Coverage::partial);
  CHECK(field(*crm, "usage") == Coverage::missing);
  const Entity* partner = entity(r, "启航实施");
  REQUIRE(partner);
  CHECK(partner->kind == "partner");
  CHECK(partner->write_up == Coverage::covered);
  const Entity* project = entity(r, "续约攻坚");
  REQUIRE(project);
  CHECK(project->kind == "project");
  CHECK(project->write_up == Coverage::covered);
}

TEST_CASE("gaps: companies only the conversations name are found, aliases merged, own company left out", "[gaps]") {
  const GapReport r = Fixture::get().report();
  std::vector<const Entity*> undocumented;
  for (const auto& e : r.entities)
    if (e.write_up == Coverage::missing && e.conversations > 0) undocumented.push_back(&e);
  CHECK(undocumented.size() == 3);
  const Entity* huachen = entity(r, "华辰物流");
  REQUIRE(huachen);
  CHECK(huachen->write_up == Coverage::missing);
  // Signature name, domain and the short names of the chat are one entity: 4 mails from them, the reply, the chat.
  CHECK(std::find(huachen->aliases.begin(), huachen->aliases.end(), "huachen-logistics.com") != huachen->aliases.end());
  CHECK(huachen->conversations == 6);
  CHECK(huachen->last_seen == "2026-11-19");
  const Entity* haiou = entity(r, "海鸥餐饮");
  REQUIRE(haiou);
  CHECK(haiou->conversations == 1);
  CHECK(haiou->last_seen == "2026-03-09");
  const Entity* landian = entity(r, "南京蓝点");
  REQUIRE(landian);
  CHECK(landian->kind == "partner");
  // The most talked-about comes first.
  CHECK(r.entities.front().name == huachen->name);
  // The team's own company is not a client.
  CHECK(entity(r, "云杉科技") == nullptr);
  CHECK(std::find(r.own_organisation.begin(), r.own_organisation.end(), "yunshan-tech.com") != r.own_organisation.end());
  CHECK(entity(r, "yunshan") == nullptr);
}

TEST_CASE("gaps: a fact only a conversation holds is pointed out, one the write-up has is not", "[gaps]") {
  const GapReport r = Fixture::get().report();
  const auto only = [&](const std::string& text) {
    return std::any_of(r.conversation_only.begin(), r.conversation_only.end(),
                       [&](const ConversationFact& f) { return f.fact.find(text) != std::string::npos; });
  };
  CHECK(only("2027-03-31"));
  CHECK_FALSE(only("2027-01-18"));
}

TEST_CASE("gaps: markers, stale documents, missing references and secrets with file and line", "[gaps]") {
  const GapReport r = Fixture::get().report();
  CHECK(r.markers.size() == 3);
  CHECK(has_line(r.markers, "项目/2026Q4续约攻坚.md", 61));
  CHECK(has_line(r.markers, "客户/成都禾丰超市.md", 27));
  CHECK(has_line(r.markers, "合作伙伴/启航实施.md", 20));
  CHECK_FALSE(has_line(r.markers, "交接文档/交接清单_王磊.md", 54));  // "Todoist" is no marker

  REQUIRE(r.stale.size() == 1);
  CHECK(r.stale.front().doc.path == "操作手册/客户续费提醒流程.md");
  CHECK(r.stale.front().updated == "2025-01-15");
  CHECK(r.stale.front().days == 694);
  // The same documents judged a year earlier: nothing is stale yet.
  CHECK(Fixture::get().report("2025-06-01").stale.empty());

  REQUIRE(r.broken_references.size() == 1);
  CHECK(r.broken_references.front().doc.path == "操作手册/新客户开通流程.md");
  CHECK(r.broken_references.front().line == 38);
  CHECK(r.broken_references.front().value == "操作手册/退款审批.md");

  REQUIRE(r.secrets.size() == 2);
  CHECK(has_line(r.secrets, "系统/云杉管理后台.md", 32));
  CHECK(has_line(r.secrets, "操作手册/新客户开通流程.md", 27));
  for (const auto& s : r.secrets) {
    CHECK(s.value.find("Ys@2026admin") == std::string::npos);
    CHECK(s.excerpt.find("Ys@2026admin") == std::string::npos);
  }
}

TEST_CASE("gaps: a secret is never shown or found: not in snippets, the document view or the report", "[gaps]") {
  auto& f = Fixture::get();
  auto searcher = Searcher::open(f.data.path(), SearcherOptions{false, {}, CjkMode::words_bigrams});
  REQUIRE(searcher.ok());
  auto hits = searcher->search({"后台密码", 10, 0});
  REQUIRE(hits.ok());
  REQUIRE_FALSE(hits->hits.empty());
  for (const auto& h : hits->hits) CHECK(h.snippet.find("Ys@2026admin") == std::string::npos);
  auto by_value = searcher->search({"Ys@2026admin", 10, 0});
  REQUIRE(by_value.ok());
  for (const auto& h : by_value->hits) CHECK(h.snippet.find("2026admin") == std::string::npos);
  auto doc = searcher->document(hits->hits.front().doc);
  REQUIRE(doc.ok());
  for (const auto& s : doc->sections) CHECK(s.html.find("Ys@2026admin") == std::string::npos);
  CHECK(gaps_json(f.report()).find("Ys@2026admin") == std::string::npos);
  CHECK(gaps_markdown(f.report()).find("Ys@2026admin") == std::string::npos);
}

TEST_CASE("gaps: decisions about entities apply to the report and survive a re-index", "[gaps]") {
  test::TempDir data;
  auto& f = Fixture::get();
  REQUIRE(sync(data.path(), {f.root.path()}).ok());
  GapOptions options;
  options.as_of = "2026-12-10";
  auto before = analyse_gaps(data.path(), options);
  REQUIRE(before.ok());
  const Entity* haiou = entity(*before, "海鸥餐饮");
  REQUIRE(haiou);
  const std::string key = haiou->key;
  const Entity* huachen = entity(*before, "华辰物流");
  REQUIRE(huachen);

  REQUIRE(decide_entity(data.path(), key, "ignore", "").ok());
  REQUIRE(decide_entity(data.path(), huachen->key, "rename", "华辰物流").ok());
  CHECK_FALSE(decide_entity(data.path(), key, "explode", "").ok());
  CHECK_FALSE(decide_entity(data.path(), key, "rename", "").ok());
  CHECK_FALSE(decide_entity(data.path(), key, "kind", "robot").ok());

  // A rebuilt index (another version, or the data deleted) keeps the decisions: they are user data.
  {
    auto catalog = Catalog::open(catalog_path(data.path()));
    REQUIRE(catalog.ok());
    catalog->forget_sources();
  }
  REQUIRE(sync(data.path(), {f.root.path()}).ok());
  auto after = analyse_gaps(data.path(), options);
  REQUIRE(after.ok());
  CHECK(entity(*after, "海鸥餐饮") == nullptr);
  REQUIRE(after->ignored.size() == 1);  // listed apart, so that a person can undo it
  CHECK(after->ignored.front().first == key);
  const Entity* renamed = entity(*after, "华辰物流");
  REQUIRE(renamed);
  CHECK(renamed->name == "华辰物流");

  REQUIRE(decide_entity(data.path(), key, "undo", "").ok());
  auto undone = analyse_gaps(data.path(), options);
  REQUIRE(undone.ok());
  CHECK(entity(*undone, "海鸥餐饮") != nullptr);
  CHECK(decide_entity(data.path(), key, "undo", "").error().kind == ErrorKind::not_found);
}

TEST_CASE("gaps: a person adds what the report missed, found by its name from then on and across a re-index", "[gaps]") {
  test::TempDir data;
  auto& f = Fixture::get();
  REQUIRE(sync(data.path(), {f.root.path()}).ok());
  GapOptions options;
  options.as_of = "2026-12-10";
  auto before = analyse_gaps(data.path(), options);
  REQUIRE(before.ok());
  REQUIRE(entity(*before, "短信通道") == nullptr);  // the group chat names it; the report does not know it
  const std::size_t count = before->entities.size();

  REQUIRE(decide_entity(data.path(), "短信通道", "add", "system").ok());
  REQUIRE(decide_entity(data.path(), " 华辰物流 ", "add", "client").ok());  // one the report has: confirmed
  CHECK_FALSE(decide_entity(data.path(), "短", "add", "system").ok());   // one character names nothing
  CHECK_FALSE(decide_entity(data.path(), "短信通道2", "add", "robot").ok());
  CHECK_FALSE(decide_entity(data.path(), "短信通道2", "add", "").ok());
  CHECK_FALSE(decide_entity(data.path(), "短信通道", "merge", "杭州明川零售").ok());
  {  // a rebuilt index keeps what was added: it is user data
    auto catalog = Catalog::open(catalog_path(data.path()));
    REQUIRE(catalog.ok());
    catalog->forget_sources();
  }
  REQUIRE(sync(data.path(), {f.root.path()}).ok());
  auto after = analyse_gaps(data.path(), options);
  REQUIRE(after.ok());
  CHECK(after->entities.size() == count + 1);
  const Entity* sms = entity(*after, "短信通道");
  REQUIRE(sms);
  CHECK(sms->key == "短信通道");
  CHECK(sms->kind == "system");
  CHECK(sms->decision == "added");
  CHECK(sms->write_up == Coverage::missing);
  CHECK(sms->conversations == 1);
  CHECK(sms->last_seen == "2026-11-20");
  const Entity* huachen = entity(*after, "华辰物流");
  REQUIRE(huachen);
  CHECK(huachen->decision == "confirmed");
  CHECK_THAT(gaps_json(*after), Catch::Contains("\"decision\":\"added\""));

  // Its kind and name change the addition; undo (or ignore) takes it back.
  REQUIRE(decide_entity(data.path(), "短信通道", "kind", "partner").ok());
  REQUIRE(decide_entity(data.path(), "短信通道", "rename", "短信通道服务").ok());
  auto changed = analyse_gaps(data.path(), options);
  REQUIRE(changed.ok());
  REQUIRE(entity(*changed, "短信通道服务"));
  CHECK(entity(*changed, "短信通道服务")->kind == "partner");
  CHECK(entity(*changed, "短信通道服务")->conversations == 0);  // the chat says 短信通道, not 短信通道服务
  REQUIRE(decide_entity(data.path(), "短信通道服务", "undo", "").ok());
  REQUIRE(decide_entity(data.path(), huachen->key, "undo", "").ok());  // the addition shown as the client it named
  auto undone = analyse_gaps(data.path(), options);
  REQUIRE(undone.ok());
  CHECK(entity(*undone, "短信通道") == nullptr);
  CHECK(entity(*undone, "华辰物流")->decision.empty());
}

TEST_CASE("gaps: searches that found nothing are demand, grouped by what was typed", "[gaps]") {
  test::TempDir data;
  REQUIRE(sync(data.path(), {Fixture::get().root.path()}).ok());
  {
    auto searcher = Searcher::open(data.path());
    REQUIRE(searcher.ok());
    for (const char* q : {"量子琴谱", "量子琴谱", "  量子琴譜 ", "华辰"}) REQUIRE(searcher->search({q, 10, 0}).ok());
    searcher->flush_log();
  }
  GapOptions options;
  options.as_of = "2026-12-10";
  auto r = analyse_gaps(data.path(), options);
  REQUIRE(r.ok());
  // Found nothing: listed once, counted three times (the Traditional one folded into it).
  const auto it = std::find_if(r->not_found.begin(), r->not_found.end(), [](const DemandItem& d) { return d.query == "量子琴谱"; });
  REQUIRE(it != r->not_found.end());
  CHECK(it->searches == 3);
  CHECK(it->zero_hits == 3);
  CHECK(r->not_found.size() == 1);
  // "华辰" finds mail: not demand.
  CHECK(std::none_of(r->not_found.begin(), r->not_found.end(), [](const DemandItem& d) { return d.query == "华辰"; }));
}

TEST_CASE("gaps: bad options are errors, not reports", "[gaps]") {
  GapOptions options;
  options.as_of = "2026-13-45";
  CHECK_FALSE(analyse_gaps(Fixture::get().data.path(), options).ok());
  options.as_of = "yesterday";
  CHECK_FALSE(analyse_gaps(Fixture::get().data.path(), options).ok());
  test::TempDir empty;
  CHECK_FALSE(analyse_gaps(empty.path(), {}).ok());
}

TEST_CASE("gaps: JSON and Markdown carry the same findings", "[gaps]") {
  const GapReport r = Fixture::get().report();
  const auto j = nlohmann::json::parse(gaps_json(r));
  CHECK(j["areas"].size() == 13);
  CHECK(j["score"].get<double>() == Approx(r.score));
  CHECK(j["undocumented"].size() == 3);
  CHECK(j["hygiene"]["markers"].size() == 3);
  CHECK(j["secrets"].size() == 2);
  const std::string md = gaps_markdown(r);
  CHECK_THAT(md, Catch::Contains("华辰物流"));
  CHECK_THAT(md, Catch::Contains("项目/2026Q4续约攻坚.md:61"));
  CHECK_THAT(md, Catch::Contains("操作手册/退款审批.md"));
  CHECK_THAT(md, Catch::Contains("签字"));
}

TEST_CASE("gaps: a registered name with its city in brackets is one company", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "沟通记录/聊天/群聊.txt",
                   "2026-11-02 09:00:00 王磊\n凌川冷链物流（苏州）有限公司的报价今天到了，合同 2027-01-31 到期\n\n"
                   "2026-11-03 10:00:00 赵敏\n好的，凌川冷链物流（苏州）有限公司那边我来跟\n");
  REQUIRE(sync(data.path(), {root.path()}).ok());
  GapOptions options;
  options.as_of = "2026-12-10";
  auto r = analyse_gaps(data.path(), options);
  REQUIRE(r.ok());
  const Entity* e = entity(*r, "凌川冷链物流");
  REQUIRE(e);
  CHECK(e->name == "凌川冷链物流（苏州）有限公司");
  for (const auto& x : r->entities) CHECK_FALSE(x.name.starts_with("苏州）"));
}

TEST_CASE("gaps: unanswered questions are demand, answered ones are not, and an answer's secret is never shown", "[gaps][questions]") {
  test::TempDir data;
  REQUIRE(sync(data.path(), {Fixture::get().root.path()}).ok());
  auto searcher = Searcher::open(data.path(), SearcherOptions{false, {}, CjkMode::words_bigrams});
  REQUIRE(searcher.ok());
  auto open = ask_question(data.path(), *searcher, {"华辰物流的合同什么时候到期？", "赵敏", "web"});
  REQUIRE(open.ok());
  REQUIRE(ask_question(data.path(), *searcher, {"华辰物流的合同什么时候到期", "陈立", "web"}).ok());  // the same, asked again
  auto answered = ask_question(data.path(), *searcher, {"CRM 管理员密码在哪", "赵敏", "web"});
  REQUIRE(answered.ok());
  auto answer = answer_question(data.path(), answered->question.id, {"在 1Password，临时密码：Zm@2026crm9 请尽快改掉", "王磊", {}});
  REQUIRE(answer.ok());

  GapOptions options;
  options.as_of = "2026-12-10";
  auto r = analyse_gaps(data.path(), options);
  REQUIRE(r.ok());
  REQUIRE(r->open_questions.size() == 1);
  CHECK(r->open_questions.front().question == "华辰物流的合同什么时候到期？");
  CHECK(r->open_questions.front().count == 2);
  CHECK(nlohmann::json::parse(gaps_json(*r))["demand"]["questions"].size() == 1);

  auto found = searcher->search({"1Password 临时密码", 10, 0});
  REQUIRE(found.ok());
  REQUIRE_FALSE(found->hits.empty());
  CHECK(found->hits.front().kind == "answer");
  for (const auto& h : found->hits) CHECK(h.snippet.find("Zm@2026crm9") == std::string::npos);
  auto doc = searcher->document(found->hits.front().doc);
  REQUIRE(doc.ok());
  for (const auto& s : doc->sections) CHECK(s.html.find("Zm@2026crm9") == std::string::npos);
}

TEST_CASE("gaps: a chat export's markers and secrets carry the export file's line numbers", "[gaps]") {
  // A chat export is one document per day; what the report points at is the line in the file.
  test::TempDir root, data;
  test::write_file(root / "沟通记录/运营群.txt",
                   "2026-12-08 09:00:01 周雨桐\n早上好，今天盘点。\n\n"
                   "2026-12-08 09:05:12 陈嘉禾\n收到\n\n"
                   "2026-12-09 17:45:12 孟佳\n后台 ops01 的密码我改了，新的是 Sj@Hq2026!ops ，大家别外传\n\n"
                   "2026-12-09 17:46:00 周雨桐\n报价单模板 TODO 下周补\n");
  REQUIRE(sync(data.path(), {root.path()}).ok());
  GapOptions options;
  options.as_of = "2026-12-10";
  auto r = analyse_gaps(data.path(), options);
  REQUIRE(r.ok());
  REQUIRE(r->secrets.size() == 1);
  CHECK(has_line(r->secrets, "沟通记录/运营群.txt", 8));
  CHECK(r->secrets.front().excerpt.find("Hq2026") == std::string::npos);
  REQUIRE(r->markers.size() == 1);
  CHECK(has_line(r->markers, "沟通记录/运营群.txt", 11));
}

TEST_CASE("gaps: a key pasted alone under the message that announces it is found and never shown", "[gaps]") {
  // The chat extractor joins a message's lines; the key is found in the file, by its line there, and
  // redacted in the joined message all the same.
  test::TempDir root, data;
  test::write_file(root / "沟通记录/运营群.txt",
                   "2025-06-10 14:30:01 周俊\n早上好，今天对账。\n\n"
                   "2025-06-10 14:31:27 林可欣\n日报脚本要接广告数据，黄工让我把 API key 发他，我先贴这里大家别外传\n"
                   "q7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE\n\n"
                   "2025-06-10 14:33:50 邓晓雯\n@林可欣 key 别发群里啊，回头让黄工换一个\n\n"
                   "2025-06-10 14:40:12 周俊\n收到\n");
  REQUIRE(sync(data.path(), {root.path()}).ok());
  GapOptions options;
  options.as_of = "2025-06-20";
  auto r = analyse_gaps(data.path(), options);
  REQUIRE(r.ok());
  REQUIRE(r->secrets.size() == 1);
  CHECK(has_line(r->secrets, "沟通记录/运营群.txt", 6));
  CHECK(gaps_json(*r).find("q7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE") == std::string::npos);
  auto searcher = Searcher::open(data.path(), SearcherOptions{false, {}, CjkMode::words_bigrams});
  REQUIRE(searcher.ok());
  auto hits = searcher->search({"日报脚本 API key", 10, 0});
  REQUIRE(hits.ok());
  REQUIRE_FALSE(hits->hits.empty());
  for (const auto& h : hits->hits) CHECK(h.snippet.find("q7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE") == std::string::npos);
  auto by_value = searcher->search({"q7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE", 10, 0});
  REQUIRE(by_value.ok());
  CHECK(by_value->hits.empty());
  auto doc = searcher->document(hits->hits.front().doc);
  REQUIRE(doc.ok());
  bool redacted = false;
  for (const auto& s : doc->sections) {
    CHECK(s.html.find("q7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE") == std::string::npos);
    redacted = redacted || s.html.find("别外传 ••••••") != std::string::npos;
    UNSCOPED_INFO(s.html);
  }
  CHECK(redacted);
}

namespace {

GapReport analyse_folder(const test::TempDir& root, const test::TempDir& data) {
  if (auto r = sync(data.path(), {root.path()}); !r.ok()) throw std::runtime_error(r.error().message);
  GapOptions options;
  options.as_of = "2026-12-10";
  auto r = analyse_gaps(data.path(), options);
  if (!r) throw std::runtime_error(r.error().message);
  return std::move(*r);
}

bool undocumented(const Entity* e) { return e && e->write_up == Coverage::missing && e->conversations > 0; }

std::string mail(const std::string& from, const std::string& subject, const std::string& date, const std::string& body,
                 const std::string& to = "王磊 <wanglei@yunshan-tech.com>") {
  return "From: " + from + "\nTo: " + to + "\nSubject: " + subject + "\nDate: " + date +
         "\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n" + body;
}

}  // namespace

TEST_CASE("gaps: a chat contact saved as organisation and person names the organisation and two people name none", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "沟通记录/QQ_小林.txt",
                   "消息记录（此消息记录为文本格式，不支持重新导入）\n\n================================================================\n"
                   "消息分组:我的好友\n================================================================\n消息对象:小林烘焙-林晓\n"
                   "================================================================\n\n"
                   "2026-11-02 9:15:22 小林烘焙-林晓(2853317406)\n这周五要多加 20 箱冷冻面团\n\n"
                   "2026-11-02 9:20:01 王磊(1037728514)\n好的，跟吴中线走\n\n"
                   "2026-11-03 8:20:44 小林烘焙-林晓(2853317406)\n收到货了\n\n"
                   "2026-11-03 8:30:12 王磊(1037728514)\n好的\n");
  test::write_file(root / "沟通记录/微信_Kelly.txt",
                   "2026-11-05 10:00:00 陳嘉欣 Kelly\n船期改到下周二\n\n2026-11-05 10:05:00 王磊\n收到\n\n"
                   "2026-11-05 10:06:00 陳嘉欣 Kelly\n[名片] 星屿咖啡-品牌 Vivian\n\n2026-11-05 10:07:00 运营部-孟佳\n好\n");
  const GapReport r = analyse_folder(root, data);
  CHECK(undocumented(entity(r, "小林烘焙")));
  CHECK(undocumented(entity(r, "星屿咖啡")));  // a shared contact card
  CHECK(entity(r, "陳嘉欣") == nullptr);
  CHECK(entity(r, "Kelly") == nullptr);
  CHECK(entity(r, "林晓") == nullptr);
  CHECK(entity(r, "运营部") == nullptr);  // a colleague's department
}

TEST_CASE("gaps: a chat export named with whom it is names the organisation without the with", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "沟通记录/与译声同传Linda的聊天记录.txt",
                   "2026-11-16 14:10:45 Linda\n同传设备的报价发您了\n\n2026-11-16 14:11:30 王磊\n收到\n\n"
                   "2026-11-16 14:20:37 Linda\n译员两位\n\n2026-11-16 14:21:00 王磊\n好\n");
  const GapReport r = analyse_folder(root, data);
  CHECK(undocumented(entity(r, "译声同传")));
  for (const auto& e : r.entities) CHECK_FALSE(e.name.starts_with("与"));
}

TEST_CASE("gaps: a client's mail about the project named for it leaves client and project apart", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "客户/远帆汽车零部件.md", "# 远帆汽车零部件\n\n## 联系人\n赵蕾\n");
  test::write_file(root / "项目/远帆春季新品发布会.md", "# 远帆春季新品发布会\n\n## 负责人\n王磊\n");
  test::write_file(root / "沟通记录/邮件/方案.eml",
                   mail("赵蕾 <zhaolei@yuanfan-auto.com>", "发布会方案", "Thu, 11 Dec 2026 10:00:00 +0800",
                        "王经理，远帆的发布会改到 3 月 11 日。\n\n赵蕾\n宁波远帆汽车零部件有限公司\n"));
  const GapReport r = analyse_folder(root, data);
  const Entity* client = entity(r, "远帆汽车零部件");
  const Entity* project = entity(r, "远帆春季新品发布会");
  REQUIRE(client);
  REQUIRE(project);
  CHECK(client != project);
  CHECK(project->kind == "project");
}

TEST_CASE("gaps: a contact list names organisations with their domains but not the team or the written-up ones", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "联系人/通讯录.csv",
                   "姓名,单位,职务,手机,邮箱\n王磊,云杉科技,客户成功,139 0000 0001,wanglei@yunshan-tech.com\n"
                   "刘斌,速展国际物流,客户经理,189 1652 3370,liubin@suzhan-logistics.com\n"
                   "彭浩,顺丰速运,客户经理,135 8482 0196,\n值班,盾卫安保,现场领班,400-820-6617,\n");
  test::write_file(root / "团队/团队通讯录.csv", "姓名,部门,岗位,手机\n马骏,运营部-华东调度组,调度专员,151 6237 0485\n");
  test::write_file(root / "交接文档/外部联系人.md",
                   "# 外部联系人\n\n| 供应商 | 联系人 | 电话 | 合作内容 |\n|---|---|---|---|\n| 译声同传 | Linda 林丽 | 137 6420 1185 | 同传译员 |\n");
  test::write_file(root / "合作伙伴/顺丰月结及上门取件.md", "# 顺丰月结及上门取件\n\n## 联系人\n彭浩\n");
  for (int i = 1; i <= 3; ++i)
    test::write_file(root / ("沟通记录/邮件/" + std::to_string(i) + ".eml"),
                     mail("赵敏 <zhaomin@yunshan-tech.com>", "周报 " + std::to_string(i), "Mon, 0" + std::to_string(i) + " Nov 2026 10:00:00 +0800",
                          "本周速展物流那边回话了，运输是速展做的。\n\n赵敏\n杭州云杉科技有限公司\n"));
  const GapReport r = analyse_folder(root, data);
  const Entity* suzhan = entity(r, "速展国际物流");
  REQUIRE(undocumented(suzhan));
  CHECK(std::find(suzhan->aliases.begin(), suzhan->aliases.end(), "suzhan-logistics.com") != suzhan->aliases.end());
  CHECK(undocumented(entity(r, "盾卫安保")));
  CHECK(undocumented(entity(r, "译声同传")));  // a markdown table with a 供应商 column
  // The courier's write-up is named for its service, not its registered name: the same partner.
  const Entity* shunfeng = entity(r, "顺丰");
  REQUIRE(shunfeng);
  CHECK(shunfeng->write_up != Coverage::missing);
  CHECK(entity(r, "云杉科技") == nullptr);    // the own company's rows
  CHECK(entity(r, "运营部") == nullptr);      // a department column is not an organisation
}

TEST_CASE("gaps: a vendor mail joins its system and known products and systems named by their parts are found", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "系统/会易通报名系统.md", "# 会易通报名系统\n\n## 用途\n展商报名\n\n## 账号\n管理员在IT\n");
  test::write_file(root / "客户/海晟家电.md", "# 海晟家电\n\n## 联系人\n潘晓燕\n");
  test::write_file(root / "沟通记录/邮件/续费.eml",
                   mail("会易通客户成功部 <cs@huiyitong.cn>", "续费提醒", "Mon, 01 Dec 2026 10:00:00 +0800",
                        "尊敬的会易通用户：\n\n您的账户（上海鹭汀会展策划有限公司，专业版，6个席位）订阅将于 2027年1月31日 到期。\n\n会易通 客户成功部\n"));
  test::write_file(root / "沟通记录/邮件/开票.eml",
                   mail("何丽 <heli@yunshan-tech.com>", "开票", "Tue, 02 Dec 2026 10:00:00 +0800",
                        "从 2027 年 1 月起，所有开票申请都在金蝶云星空里提交。海晟 SAP 的订单照旧。询价：苏州前置仓冷链配送。\n"));
  test::write_file(root / "沟通记录/微信群_运营组.txt",
                   "2026-11-20 10:00:00 孟佳\n签立方那边英文合同模板又出问题了\n\n2026-11-20 10:05:00 王磊\n先用纸质合同，签立方客服说下周修。"
                   "签立方的管理员账号在方总那里\n\n2026-11-20 10:06:00 孟佳\n晓雯的账号我已经申请了\n\n"
                   "2026-11-20 10:07:00 王磊\n董事会想做\"西部智造巡展·成都站\"，先评估\n");
  const GapReport r = analyse_folder(root, data);
  const Entity* system = entity(r, "会易通");
  REQUIRE(system);
  CHECK(system->write_up != Coverage::missing);
  CHECK(std::find(system->aliases.begin(), system->aliases.end(), "huiyitong.cn") != system->aliases.end());
  for (const auto& e : r.entities) {
    CHECK_FALSE(e.name.starts_with("账户"));  // a bracket before a name is not part of it
    CHECK_FALSE(e.name.starts_with("晓雯"));  // a person's account is no system
  }
  CHECK(undocumented(entity(r, "金蝶云星空")));
  CHECK(entity(r, "SAP") == nullptr);          // 海晟's own system
  CHECK(entity(r, "前置仓冷链") == nullptr);    // 冷链配送 is a service, not a trade name
  const Entity* sign = entity(r, "签立方");
  REQUIRE(undocumented(sign));
  CHECK(sign->kind == "system");
  const Entity* tour = entity(r, "成都站");
  REQUIRE(undocumented(tour));
  CHECK(tour->kind == "project");
}

TEST_CASE("gaps: without mails enough to tell the own company is the one most contact list rows name", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "通讯录.csv",
                   "姓名,单位,职务,手机\n王磊,杭州云杉科技有限公司,客户成功,139 0000 0001\n赵敏,杭州云杉科技有限公司,财务,139 0000 0002\n"
                   "陈立,杭州云杉科技有限公司,IT,139 0000 0003\n刘斌,速展国际物流,客户经理,189 1652 3370\n");
  // Its registered name with the city's 市 is the same company.
  test::write_file(root / "沟通记录/微信_运营群.txt",
                   "2026-12-07 08:51:20 王磊\n合同主体写杭州市云杉科技有限公司\n\n2026-12-07 09:00:00 赵敏\n"
                   "杭州市云杉科技有限公司的章在财务\n\n2026-12-07 09:01:00 王磊\n好的\n");
  const GapReport r = analyse_folder(root, data);
  CHECK(entity(r, "云杉科技") == nullptr);
  CHECK(undocumented(entity(r, "速展国际物流")));
  CHECK(std::find(r.own_organisation.begin(), r.own_organisation.end(), "杭州云杉科技有限公司") != r.own_organisation.end());
}

TEST_CASE("gaps: a system an SOP step logs in to is a system and a login step names nothing else", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "操作手册/短信发送流程.md",
                   "# 短信发送流程\n\n1. 找主管确认名单\n2. 登录云信通后台 → 群发 → 上传名单\n3. 首次登录后修改密码，登录信息不要外传\n");
  test::write_file(root / "沟通记录/微信_运营组.txt",
                   "2026-11-20 10:00:00 孟佳\n云信通的余额不多了\n\n2026-11-20 10:05:00 王磊\n好的我来充\n");
  const GapReport r = analyse_folder(root, data);
  const Entity* sms = entity(r, "云信通");
  REQUIRE(undocumented(sms));
  CHECK(sms->kind == "system");
  for (const auto& e : r.entities) {
    CHECK(e.name.find("修改密码") == std::string::npos);
    CHECK(e.name != "信息");
  }
}

TEST_CASE("gaps: plain words, public bodies and the team's 项目部 name no entity, and a written-up one's team and maker join it", "[gaps]") {
  test::TempDir root, data;
  // (The write-up gives the registered name too: two names of one write-up are one trade name, not two.)
  test::write_file(root / "供应商/卫嘉保安.md", "# 杭州卫嘉保安服务有限公司\n\n## 联系人\n队长 袁涛\n\n## 合同\n2026-03-31 到期\n");
  test::write_file(root / "系统/思源物业云.md", "# 思源物业云\n\n## 用途\n租户档案、收费、工单\n\n## 账号\n管理员在IT\n");
  test::write_file(root / "系统/能耗监测平台.md", "# 能耗监测平台\n\n## 用途\n远程抄表，厂商\"碳衡科技\"，2024 年上线\n");
  test::write_file(root / "通讯录.csv",
                   "姓名,单位,职务,手机\n何工,思源科技,项目实施,189 0000 0001\n碳衡售后,碳衡科技,售后,189 0000 0002\n"
                   "检验科,杭州市特种设备检测研究院,电梯检验,0571 8691 2345\n对接人,厂商,售后,189 0000 0003\n"
                   "刘斌,速展国际物流,客户经理,189 1652 3370\n黄蓓,虹桥云栖锦岚酒店,销售经理,021 5266 8810\n");
  test::write_file(root / "供应商/虹桥云汇会展中心.md", "# 虹桥云汇会展中心\n\n## 联系人\n场馆部 张琳\n");
  test::write_file(root / "沟通记录/微信群_工程协调群.txt",
                   "2026-12-07 08:51:20 袁涛-卫嘉秩序\n地库巡查完毕\n\n2026-12-07 09:00:00 周晓岚\n另外改造期间要停冷站，提前通知\n\n"
                   "2026-12-07 09:05:00 袁涛-卫嘉秩序\n收到\n");
  test::write_file(root / "沟通记录/微信_交接.txt",
                   "2026-12-08 10:00:00 周晓岚\n另外改造期间空调照常，速展国际物流的车周三到\n\n2026-12-08 10:01:00 蒋一鸣\n好\n\n"
                   "2026-12-08 10:02:00 周晓岚\n记得签收\n");
  test::write_file(root / "沟通记录/邮件/驻场.eml",
                   mail("吴春梅 <wu@jingbang-clean.cn>", "驻场人数调整", "Mon, 01 Dec 2026 10:00:00 +0800",
                        "瀚庭物业西溪数智园项目部：\n\n我司拟对西溪数智园项目保洁驻场人员作如下调整。\n\n净邦保洁 西溪数智园项目 吴春梅\n"));
  const GapReport r = analyse_folder(root, data);
  CHECK(undocumented(entity(r, "速展国际物流")));  // the control: a company only the material names
  CHECK(undocumented(entity(r, "虹桥云栖锦岚酒店")));  // 虹桥 is a district: not the trade name of 虹桥云汇
  for (const char* name : {"厂商", "另外改造", "特种设备检测研究院", "西溪数智园项目"}) {
    INFO(name);
    CHECK(entity(r, name) == nullptr);
  }
  const Entity* guard = entity(r, "卫嘉秩序");
  REQUIRE(guard);
  CHECK(guard->name == "卫嘉保安");
  const Entity* meter = entity(r, "碳衡科技");
  REQUIRE(meter);
  CHECK(meter->name == "能耗监测平台");
  const Entity* property = entity(r, "思源科技");
  REQUIRE(property);
  CHECK(property->name == "思源物业云");
}

TEST_CASE("gaps: a mail subject names projects and a system named in a chat and a document is found", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "项目/A座电梯更新改造.md", "# A座电梯更新改造\n\n## 负责人\n周晓岚\n\n## 进度\n3# 梯已安装\n");
  test::write_file(root / "日常工作/每日工作清单.md", "# 每日工作清单\n\n1. 广告数据 SellerPilot 早上 8 点自动出，看 ACOS\n");
  test::write_file(root / "沟通记录/微信_运营群.txt",
                   "2026-12-07 08:51:20 林可欣\n日报脚本要接 SellerPilot 的广告数据\n\n2026-12-07 09:00:00 王磊\n"
                   "明早看\n\n2026-12-07 09:01:00 林可欣\n好的\n");
  test::write_file(root / "沟通记录/邮件/方案.eml",
                   mail("CoolPeak <pm@coolpeak.com>", "冷站节能改造方案初步意见", "Mon, 01 Dec 2026 10:00:00 +0800", "见附件。\n"));
  test::write_file(root / "沟通记录/邮件/回复.eml",
                   mail("周晓岚 <zhou@hanting-pm.cn>", "回复：冷站节能改造方案初步意见", "Tue, 02 Dec 2026 10:00:00 +0800", "收到。\n"));
  test::write_file(root / "沟通记录/邮件/周报.eml",
                   mail("奥菱 <pm@aoling-lift.com>", "A座电梯改造周报（第24周）", "Wed, 03 Dec 2026 10:00:00 +0800", "电梯改造：本周完成 3# 梯导轨。\n"));
  test::write_file(root / "沟通记录/邮件/例会.eml",
                   mail("恒安 <pm@hengan-re.com>", "11月例会纪要", "Thu, 04 Dec 2026 10:00:00 +0800", "1. 电梯改造：验收前做一次全负荷试运行。\n"));
  const GapReport r = analyse_folder(root, data);
  const Entity* retrofit = entity(r, "冷站节能改造");
  REQUIRE(undocumented(retrofit));
  CHECK(retrofit->kind == "project");
  const Entity* ads = entity(r, "SellerPilot");
  REQUIRE(undocumented(ads));
  CHECK(ads->kind == "system");
  const Entity* lift = entity(r, "电梯改造");
  REQUIRE(lift);
  CHECK(lift->name == "A座电梯更新改造");
}

TEST_CASE("gaps: a system named with its kind (云仓WMS), a note's stated date and a file pointed to in 《》", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "供应商/力拓电机_备忘.txt",
                   "力拓电机 备忘\n最后更新：2023-09-12\n\n东莞力拓电机有限公司，做风扇电机。\n\n联系人：\n  郭涛 业务经理\n  工厂 张工\n\n"
                   "合作：\n  2022 年 10 月导入\n  交期 3 周\n");
  test::write_file(root / "SOP/新供应商导入流程.md",
                   "# 新供应商导入流程\n\n1. 现场审核，评分标准见《供应商考核细则V3.xlsx》（同目录）。\n2. 打开《来料日报_2026.xlsx》刷新数据。\n");
  test::write_file(root / "沟通记录/微信群_供应链.txt",
                   "2026-12-07 08:51:20 王磊\n今天下午 3 点云仓WMS 升级，收货先用纸单\n\n2026-12-07 09:00:00 赵敏\n收到\n\n"
                   "2026-12-07 09:05:00 王磊\n5 点以后补录\n");
  test::write_file(root / "沟通记录/QQ_仓库.txt",
                   "2026-12-08 10:00:00 林浩然\n刘哥，云仓WMS 我的账号还没开\n\n2026-12-08 10:01:00 刘强\n明天开\n\n"
                   "2026-12-08 10:02:00 林浩然\n谢谢\n");
  const GapReport r = analyse_folder(root, data);
  const Entity* wms = entity(r, "云仓WMS");
  REQUIRE(undocumented(wms));
  CHECK(wms->kind == "system");
  REQUIRE(r.stale.size() == 1);  // the note says when it was last updated in its second line
  CHECK(r.stale.front().doc.path == "供应商/力拓电机_备忘.txt");
  CHECK(r.stale.front().updated == "2023-09-12");
  REQUIRE(r.broken_references.size() == 1);  // the workbook opened to refresh is kept elsewhere
  CHECK(r.broken_references.front().value == "供应商考核细则V3.xlsx");
  CHECK(r.broken_references.front().line == 3);
}

TEST_CASE("gaps: a county before a trade name, a word before a name and an operations team's common nouns", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "客户/沙坡电站.md", "# 沙坡电站\n\n## 联系人\n杨站长\n");
  test::write_file(root / "系统/集控平台.md", "# 集控平台\n\n## 用途\n各站监盘\n");
  test::write_file(root / "操作手册/监盘.md", "# 监盘\n\n值班期间集控平台画面不得关闭。\n");
  test::write_file(root / "合作方/蓝禾印染.md", "# 蓝禾印染\n\n## 联系人\n王国强\n");
  // 中卫 is a city the short list of places lacks; 受 and 期间 are words of the sentences.
  test::write_file(root / "沟通记录/邮件/委托.eml",
                   mail("杨站长 <yang@shapo-pv.cn>", "委托书", "Mon, 09 Jun 2025 10:00:00 +0800",
                        "受中卫沙坡光伏发电有限公司委托，7 月起由贵司代维。切换在 22:00 至 06:00，期间集控平台不可用。\n"
                        "堡垒机地址改为 10.30.0.8。面料请绍兴柯桥蓝禾印染有限公司直接发。\n\n杨站长\n中卫沙坡光伏发电有限公司\n"));
  test::write_file(root / "沟通记录/QQ_值班群.txt",
                   "2025-06-10 09:00:00 陶然\n堡垒机 ops 账号密码改了，大家登录一次\n\n"
                   "2025-06-10 09:05:00 周亦辰\n监控大屏（Grafana）下周迁到新服务器，VPN 不受影响\n\n"
                   "2025-06-10 09:06:00 陶然\nCOuld you check? SUnday is fine\n\n"
                   "2025-06-11 09:06:00 陶然\nCOuld do. SUnday then\n");
  const GapReport r = analyse_folder(root, data);
  // The registered name is the written-up client's.
  const Entity* shapo = entity(r, "中卫沙坡光伏发电有限公司");
  REQUIRE(shapo);
  CHECK(shapo == entity(r, "沙坡电站"));
  CHECK(shapo->write_up != Coverage::missing);
  // 柯桥 is a district of 绍兴 no list has: the rest of the name is the written-up one, whole.
  const Entity* lanhe = entity(r, "蓝禾印染");
  REQUIRE(lanhe);
  CHECK(lanhe->write_up != Coverage::missing);
  CHECK(entity(r, "绍兴柯桥蓝禾印染有限公司") == lanhe);
  for (const auto& e : r.entities) {
    CHECK_FALSE(e.name.starts_with("受"));
    CHECK_FALSE(e.name.starts_with("期间"));
  }
  // Named in two conversations: systems the successor will meet. Named once: chatter.
  CHECK(undocumented(entity(r, "堡垒机")));
  CHECK(undocumented(entity(r, "Grafana")));  // a product an operations team runs, named once
  CHECK(entity(r, "VPN") == nullptr);
  // The shift key held too long is not a product name.
  CHECK(entity(r, "COuld") == nullptr);
  CHECK(entity(r, "SUnday") == nullptr);
}

TEST_CASE("gaps: an overview's list item beside project write-ups, apps by name, the state's platforms", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "交接说明.md", "# 交接说明\n\n## 近期最要紧的事\n\n"
                                        "1. **发货高峰**：每天订单审核不能断，流程见 sops/发货SOP.md。\n"
                                        "2. **DMS二期上线**：返利模块，见 projects/DMS二期上线.md。\n"
                                        "3. **示范田**：选点、观摩会，见 projects/示范田2025.md。\n"
                                        "4. **订单小麦**：彭经理在谈合同，资料都在邮件里，还没整理成文档。\n");
  test::write_file(root / "projects/DMS二期上线.md", "# DMS二期上线\n\n## 负责人\n顾雪晴\n");
  test::write_file(root / "projects/示范田2025.md", "# 示范田2025\n\n## 负责人\n顾雪晴\n");
  test::write_file(root / "sops/发货SOP.md", "# 发货SOP\n\n1. 审核订单\n");
  test::write_file(root / "chats/经销商群.txt",
                   "2025-03-14 09:50:13 马理事长\n社员能不能用那个垄上农技通小程序扫码查真假？\n\n"
                   "2025-03-14 09:52:00 顾雪晴\n可以，经销商用小程序扫码出库也行。订单小麦的事彭经理在谈。\n\n"
                   "2025-03-14 09:55:00 彭立新\n种业大数据平台不用写交接文档，会查备案就行\n");
  test::write_file(root / "chats/项目群.txt",
                   "2025-03-15 10:00:00 丁凯\n垄上农技通小程序和DMS打通扫码出库了，可以打开京东App对比一下\n\n"
                   "2025-03-15 10:05:00 顾雪晴\n中国种业大数据平台上的备案我来查。开票信息我发你\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind << " " << e.conversations);
  // The item that points to no document, among items that point to project write-ups, is a project.
  const Entity* wheat = entity(r, "订单小麦");
  REQUIRE(undocumented(wheat));
  CHECK(wheat->kind == "project");
  CHECK(entity(r, "发货高峰") == nullptr);  // it points to an SOP
  // A mini-program by its name is a system; who uses it and what is done with it are not names.
  const Entity* app = entity(r, "垄上农技通");
  REQUIRE(undocumented(app));
  CHECK(app->kind == "system");
  CHECK(entity(r, "经销商用") == nullptr);
  CHECK(entity(r, "可以打开京东") == nullptr);
  // The state's platform, with or without its 中国, and an invoice's details are not the team's.
  CHECK(entity(r, "种业大数据平台") == nullptr);
  CHECK(entity(r, "中国种业大数据平台") == nullptr);
  CHECK(entity(r, "开票信息") == nullptr);
}

TEST_CASE("gaps: a project list's rows without a document, a bot by name, a company beside its portal", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "项目/项目总表.csv", "项目,客户/范围,负责人,状态,资料\n"
                                             "XT-E3 高压线束 PPAP,骁途,陶俊,进行中,项目/XT-E3_PPAP.md\n"
                                             "蓝鲸项目 高压线束,湘岳,陶俊,定点后启动,\n"
                                             "清风计划（0公里PPM降一半）,公司,邵立峰,进行中,\n");
  test::write_file(root / "项目/XT-E3_PPAP.md", "# XT-E3 高压线束 PPAP\n\n## 负责人\n陶俊\n");
  test::write_file(root / "客户/锦程汽车.md", "# 客户资料：锦程汽车\n\n- 全称：芜湖锦程汽车股份有限公司\n\n## 联系人\n汪磊\n");
  test::write_file(root / "系统/锦程QIS.md", "# 锦程QIS\n\n锦程的供应商质量门户，每天登录查看质量通知。\n");
  test::write_file(root / "chats/陶俊.txt",
                   "2025-06-17 09:00:00 顾晓岚\n质量日报机器人其实是我电脑上的计划任务，每天 8:25 推到企微群。清风计划每月报数。\n\n"
                   "2025-06-17 09:05:00 陶俊\n湘岳蓝鲸项目的资料我先看邮件\n");
  test::write_file(root / "chats/质量群.txt", "2025-06-18 10:00:00 钱鹏\n今天质量日报机器人没推送，蓝鲸项目的节点也要更新\n");
  test::write_file(root / "mails/1.eml", mail("汪磊 <wanglei@jcmotor.com.cn>", "退针索赔", "Mon, 9 Jun 2025 10:00:00 +0800",
                                              "顾工：分摊比例下周定。\n\n汪磊\n芜湖锦程汽车股份有限公司 质量部\n", "顾晓岚 <guxl@chengrui-ae.com.cn>"));
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind << " " << e.conversations);
  // Rows that point to no document are projects without a write-up, by the name before its remark.
  for (const char* name : {"蓝鲸项目", "清风计划"}) {
    const Entity* p = entity(r, name);
    INFO(name);
    REQUIRE(undocumented(p));
    CHECK(p->kind == "project");
  }
  CHECK(entity(r, "蓝鲸项目 高压线束") == nullptr);
  // A chat bot the team runs is a system.
  const Entity* bot = entity(r, "质量日报机器人");
  REQUIRE(undocumented(bot));
  CHECK(bot->kind == "system");
  // The registered name of 锦程汽车 joins the client written up, not its portal 锦程QIS, though both begin with 锦程.
  CHECK(entity(r, "芜湖锦程汽车股份有限公司") == entity(r, "锦程汽车"));
  REQUIRE(entity(r, "锦程汽车"));
  CHECK(entity(r, "锦程汽车")->write_up != Coverage::missing);
}

TEST_CASE("gaps: a place the material shares, the own company named beside its domain and code names", "[gaps]") {
  test::TempDir root, data;
  // 南峤 is a city no list has: four companies registered there share it, and so does the team's own.
  test::write_file(root / "README.md", "# 交接说明\n\n公司对外简称“南峤水务”（南峤水务集团有限公司），邮箱域名 nqwater.com.cn。\n\n"
                                       "当前重点：清欠2024 的收尾；公众号缴费改版（Clearwater）12月1日上线。\n");
  test::write_file(root / "客户/恒泰造纸.md", "# 恒泰造纸\n\n## 联系人\n刘倩\n");
  test::write_file(root / "合作方/中科检测.md", "# 中科检测\n\n## 合同\n年度检测\n");
  test::write_file(root / "操作手册/报装.md", "# 报装\n\n1. 在管网GIS 上确认接驳点\n");
  for (const auto& [file, from, body] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"1.eml", "刘倩 <liuqian@hengtai-paper.cn>", "周经理：分期的事按南峤恒泰造纸有限公司的函办。清欠2024 我们这边配合。\n\n刘倩\n南峤恒泰造纸有限公司\n"},
           {"2.eml", "许娜 <xuna@zkjc-lab.cn>", "周经理：合同明年续签。\n\n许娜\n南峤中科环境检测有限公司 业务部\n"},
           {"3.eml", "徐亮 <xuliang@yunqi-dc.com>", "周经理：我司（南峤云栖数据科技有限公司）申请报装。Clearwater 项目延期的事也知道了。\n\n徐亮\n"},
           {"4.eml", "孙悦 <sunyue@kangdi-food.com>", "周经理：南峤康帝食品股份有限公司的报告已按南峤水务集团有限公司的要求寄出。管网GIS系统的只读账号还能用吗？\n\n孙悦\n"}})
    test::write_file(root / ("邮件/" + file),
                     mail(from, "事项", "Mon, 11 Nov 2024 10:00:00 +0800", body, "周雅琴 <zhouyaqin@nqwater.com.cn>"));
  for (int i = 0; i < 3; ++i)
    test::write_file(root / ("邮件/own" + std::to_string(i) + ".eml"),
                     mail("周雅琴 <zhouyaqin@nqwater.com.cn>", "交接 " + std::to_string(i), "Tue, 12 Nov 2024 10:00:00 +0800",
                          "浩然：清欠2024 的表在共享盘。\n\n雅琴\n", "蒋浩然 <jianghr@nqwater.com.cn>"));
  const GapReport r = analyse_folder(root, data);
  for (const auto& o : r.own_organisation) UNSCOPED_INFO("own: " << o);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind << " " << e.conversations);
  // The own company, named beside its domain, is not a client; nor is every company of its city.
  CHECK(std::find(r.own_organisation.begin(), r.own_organisation.end(), "南峤水务集团有限公司") != r.own_organisation.end());
  CHECK_FALSE(undocumented(entity(r, "南峤水务")));
  CHECK(undocumented(entity(r, "南峤云栖数据科技有限公司")));
  CHECK(undocumented(entity(r, "南峤康帝食品股份有限公司")));
  // Registered names without their city join the written-up trade names, and so do the domains.
  CHECK(entity(r, "南峤恒泰造纸有限公司") == entity(r, "恒泰造纸"));
  CHECK(entity(r, "南峤中科环境检测有限公司") == entity(r, "中科检测"));
  CHECK(entity(r, "zkjc-lab.cn") == entity(r, "中科检测"));                          // the initials
  CHECK(entity(r, "yunqi-dc.com") == entity(r, "南峤云栖数据科技有限公司"));  // after the city
  // Code names: a year, Latin letters before 项目, a kind of business system.
  const Entity* qingqian = entity(r, "清欠2024");
  REQUIRE(undocumented(qingqian));
  CHECK(qingqian->kind == "project");
  CHECK(undocumented(entity(r, "Clearwater")));
  CHECK(undocumented(entity(r, "管网GIS")));
}

TEST_CASE("gaps: lessons learned without training held or planned leave the training area partial", "[gaps]") {
  const std::string lessons = "# 经验与注意事项\n\n交接期间没有安排专门的培训，下面是这几年踩过的坑。\n\n"
                              "1. 授信不够一律先打款，2023年先发了货，结果拖了三个月才收回。\n"
                              "2. 发货前一定确认批次有检测报告，没有报告的批次出了发芽率问题责任在渠道。\n"
                              "3. 返利确认函一定要盖章回收，口头确认的返利第二年经常被客户翻出来重新算。\n"
                              "4. 窜货处罚要有证据链：扫码记录截图、稽查照片、客户签收单，三样缺一样客户就不认。\n"
                              "5. QQ群里不要讨论价格和返利，一对一私聊，群里都是竞争对手，说多了会被截图传出去。\n";
  const auto training = [](const GapReport& r) {
    const auto it = std::find_if(r.areas.begin(), r.areas.end(), [](const AreaReport& a) { return a.id == "training"; });
    REQUIRE(it != r.areas.end());
    return *it;
  };
  {
    test::TempDir root, data;
    test::write_file(root / "经验与注意事项.md", lessons);
    const AreaReport a = training(analyse_folder(root, data));
    CHECK(a.state == Coverage::partial);
    CHECK_THAT(a.missing, Catch::Contains("no training held or planned"));
  }
  {
    test::TempDir root, data;
    test::write_file(root / "经验与注意事项.md", lessons);
    test::write_file(root / "交接计划.md", "# 交接计划\n\n## 培训安排\n\n3月24日起带教一周：订单审核、授信、返利结算各讲一次，邵宇航跟做，周五考核。\n");
    CHECK(training(analyse_folder(root, data)).state == Coverage::covered);
  }
}

TEST_CASE("gaps: a listed company is named without its county when the team talks of it, and a venue is a partner", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "客户/客户总表.csv", "客户全称,简称,城市,状态\n宁海县天工模具有限公司,天工模具,宁波,已签约\n");
  test::write_file(root / "合作伙伴/合作方清单.csv", "名称,类型,说明\n桐庐湘湖培训中心,场地,备选外训场地\n");
  test::write_file(root / "chats/运营部.txt", "2025-11-10 10:00:00 沈佳怡\n湘湖培训中心的报价发过来了。天工模具的合同原件寄回来了\n");
  test::write_file(root / "chats/郭振华.txt", "2025-11-12 10:00:00 郭振华\n天工模具的学徒制补贴材料还差社保证明\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind << " " << e.conversations);
  const Entity* tiangong = entity(r, "宁海县天工模具有限公司");
  REQUIRE(undocumented(tiangong));
  CHECK(tiangong->conversations == 2);
  CHECK(entity(r, "天工模具") == tiangong);
  const Entity* venue = entity(r, "桐庐湘湖培训中心");
  REQUIRE(undocumented(venue));
  CHECK(venue->kind == "partner");
}

TEST_CASE("gaps: a to-do on a line labelled for another area is that area's, not the plan's", "[gaps]") {
  test::TempDir root, data;
  std::string plan = "# 交接计划\n\n## 一、时间安排\n\n";
  for (int day = 16; day <= 26; ++day)
    plan += "- 6/" + std::to_string(day) + "：逐个客户过订单和对账，顾晨阳跟做，沈佳怡旁听，当天在交接清单上打勾。\n";
  plan += "\n## 二、确认\n\n6/26 交接确认会，许国栋签字确认。\n培训安排：TBD（许经理说确认会之后再定）\n后续支持：TBD\n";
  test::write_file(root / "交接计划.md", plan);
  const GapReport r = analyse_folder(root, data);
  const auto state = [&](const char* id) {
    const auto it = std::find_if(r.areas.begin(), r.areas.end(), [&](const AreaReport& a) { return a.id == id; });
    REQUIRE(it != r.areas.end());
    return it->state;
  };
  CHECK(state("plan") == Coverage::covered);
  CHECK(state("support") != Coverage::covered);
}

TEST_CASE("gaps: a two-character mini-program, a group purchase, and the own domain beside a system", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "交接总览.md", "# 交接总览\n\n常州恒禾化工原料有限公司（恒禾化工）商务部订单岗交接。\n");
  test::write_file(root / "岗位职责.md", "# 岗位职责\n\n1. 看共享邮箱 order@henghe-chem.com.cn 和禾询小程序后台的新询价。\n");
  test::write_file(root / "chats/顾晨阳.txt", "2025-06-18 20:12:37 沈佳怡\n禾询小程序管理员还绑在我微信上，醋酸丁酯集采方案我发许经理了。开放平台的参数在邮件里\n");
  test::write_file(root / "chats/李俊.txt", "2025-06-18 09:00:00 沈佳怡\n俊哥，禾询小程序管理员要转给顾晨阳。醋酸丁酯集采下周定供应商。开放平台的AppID发你了\n");
  for (int i = 0; i < 3; ++i)
    test::write_file(root / ("mails/" + std::to_string(i) + ".eml"),
                     mail("沈佳怡 <shenjy@henghe-chem.com.cn>", "订单 " + std::to_string(i), "Mon, 16 Jun 2025 10:00:00 +0800",
                          "晨阳：订单见附件。\n\n沈佳怡\n常州恒禾化工原料有限公司\n", "顾晨阳 <guchy@henghe-chem.com.cn>"));
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind << " " << e.conversations);
  for (const auto& o : r.own_organisation) UNSCOPED_INFO("own: " << o);
  const Entity* app = entity(r, "禾询小程序");
  REQUIRE(undocumented(app));
  CHECK(app->kind == "system");
  CHECK(std::find(r.own_organisation.begin(), r.own_organisation.end(), "禾询小程序") == r.own_organisation.end());
  const Entity* purchase = entity(r, "醋酸丁酯集采");
  REQUIRE(undocumented(purchase));
  CHECK(purchase->kind == "project");
  CHECK(entity(r, "开放平台") == nullptr);  // any platform's open API, no one system
}

TEST_CASE("gaps: every day of a CSV chat export and every message of a mailbox is scanned", "[gaps]") {
  // A CSV export is one document per day, by the file's lines; a mailbox has no lines of the file to
  // give, so each message is scanned on its own (before, only the first day's and the first message's).
  test::TempDir root, data;
  test::write_file(root / "沟通记录/发货群.csv",
                   "time(Asia/Shanghai),group_id,group_name,from_id,from_nickname,content_type,content\n"
                   "2025-03-10 16:20:11,2098@chatroom,发货群,wxid_a,顾雪晴,Text,明天第二批 280 件\n"
                   "2025-03-12 09:41:26,2098@chatroom,发货群,wxid_b,老韩,Text,对账平台升级了：账号 longshang01 密码 Jyt@2025ls# 登录以后自己改一下\n");
  test::write_file(root / "邮件/往来.mbox",
                   "From a@x.cn Mon Mar 10 09:00:00 2025\nFrom: a@x.cn\nSubject: 第一封\n\n你好，资料已发。\n\n"
                   "From b@x.cn Tue Mar 11 09:00:00 2025\nFrom: b@x.cn\nSubject: 第二封\n\n接口 token: 9fK2pQ7xV4mN8rT1aB3c\n");
  const GapReport r = analyse_folder(root, data);
  std::string found;
  for (const auto& s : r.secrets) found += s.doc.path + ":" + std::to_string(s.line) + " ";
  INFO(found);
  CHECK(has_line(r.secrets, "沟通记录/发货群.csv", 3));
  CHECK(std::any_of(r.secrets.begin(), r.secrets.end(), [](const auto& s) { return s.doc.path == "邮件/往来.mbox"; }));
  CHECK(r.secrets.size() == 2);
}

TEST_CASE("gaps: a secret in a mail is given by the file's line where the body is stored as it is", "[gaps]") {
  test::TempDir root, data;
  const std::string headers = "From: 周雅琴 <zhouyaqin@nqwater.com.cn>\nTo: 蒋浩然 <jianghr@nqwater.com.cn>\nSubject: 交接补充\n"
                              "Date: Mon, 18 Nov 2024 10:00:00 +0800\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n";
  const std::string body = "浩然：\n\n测试接口用下面这个 token：\nAuthorization:  Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJucXN3In0.Qm7Zp2LkV9xR4tN8sW1yF6cH\n";
  test::write_file(root / "邮件/8bit.eml", headers + "Content-Transfer-Encoding: 8bit\n\n" + body);
  // base64: the file does not hold the line, so it is the body's.
  std::string encoded;
  {
    static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t i = 0; i < body.size(); i += 3) {
      const unsigned n = (static_cast<unsigned char>(body[i]) << 16) | (i + 1 < body.size() ? static_cast<unsigned char>(body[i + 1]) << 8 : 0) |
                         (i + 2 < body.size() ? static_cast<unsigned char>(body[i + 2]) : 0);
      encoded += table[(n >> 18) & 63];
      encoded += table[(n >> 12) & 63];
      encoded += i + 1 < body.size() ? table[(n >> 6) & 63] : '=';
      encoded += i + 2 < body.size() ? table[n & 63] : '=';
      if (encoded.size() % 77 == 76) encoded += '\n';
    }
  }
  test::write_file(root / "邮件/base64.eml", headers + "Content-Transfer-Encoding: base64\n\n" + encoded + "\n");
  const GapReport r = analyse_folder(root, data);
  std::string found;
  for (const auto& s : r.secrets) found += s.doc.path + ":" + std::to_string(s.line) + " ";
  INFO(found);
  CHECK(has_line(r.secrets, "邮件/8bit.eml", 12));   // 7 header lines, a blank one, then the body's 4th
  CHECK(has_line(r.secrets, "邮件/base64.eml", 4));  // the decoded body's 4th
}

TEST_CASE("gaps: a TODO among many procedures leaves the area covered, one in a few sections makes it partial", "[gaps]") {
  test::TempDir root, data;
  std::string sops = "# 操作手册\n\n";
  for (int i = 1; i <= 12; ++i) {
    sops += "## 流程" + std::to_string(i) + "\n\n1. 登录营收系统，打开第" + std::to_string(i) + "号报表，核对上月读数与本月读数的差额。\n"
            "2. 差额超过百分之三十的户号导出清单，发给抄表班长复核，复核结果填回系统后再出账。\n" +
            (i == 5 ? "3. TODO：补充异常户的处理口径\n" : "") + "\n";
  }
  test::write_file(root / "操作手册/操作手册.md", sops);
  test::write_file(root / "交接计划.md",
                   "# 交接计划\n\n## 时间安排\n\n11 月 18 日至 29 日，每天下午两点到四点一起过一遍客户和系统，周五由主管确认签字后交接完成。\n\n"
                   "## 移交清单\n\n待补充\n\n## 交接后支持\n\n离职后一个月内微信可以找我，每周三晚上答复一次问题，紧急的电话联系。\n");
  const GapReport r = analyse_folder(root, data);
  CHECK(area(r, "sops").state == Coverage::covered);  // 1 of 12 sections
  CHECK(area(r, "plan").state == Coverage::partial);  // 1 of 3
}

TEST_CASE("gaps: the handover's overview names the leaver's own company first, with its short name", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "00_README_交接说明.md",
                   "# 订单运营交接资料\n\n## 我是做什么的\n本岗位负责湖州筠澜纺织有限公司（下面简称筠澜）外贸业务部的订单运营。\n"
                   "面料由绍兴蓝禾印染有限公司染整。\n");
  test::write_file(root / "合作方/蓝禾印染.md", "# 蓝禾印染\n\n## 联系人\n王国强\n");
  for (int day = 2; day <= 3; ++day)
    test::write_file(root / ("聊天记录/QQ_筠澜外贸部群_" + std::to_string(day) + ".txt"),
                     "2025-06-0" + std::to_string(day) + " 09:00:00 邵雨桐\n今天的出运单发群里了\n\n2025-06-0" + std::to_string(day) +
                         " 09:05:00 骆嘉禾\n收到\n");
  const GapReport r = analyse_folder(root, data);
  for (const char* own : {"湖州筠澜纺织有限公司", "筠澜"}) {
    INFO(own);
    CHECK(std::find(r.own_organisation.begin(), r.own_organisation.end(), own) != r.own_organisation.end());
  }
  CHECK_FALSE(undocumented(entity(r, "筠澜")));
  for (const auto& o : r.own_organisation) CHECK_FALSE(o.starts_with("本岗位"));  // the name starts at its city
}

TEST_CASE("gaps: a write-up's title gives the full name, a list's name column names institutions, a signature names a hospital", "[gaps]") {
  test::TempDir root, data;
  // 市一院.md says in its title who 市一院 is; 市中医院.md's title puts the place before the file's name.
  test::write_file(root / "客户/市一院.md", "# 临澄市第一人民医院（市一院）\n\n## 联系人\n陈立群，设备科\n");
  test::write_file(root / "客户/市中医院.md", "# 临澄市中医院\n\n## 联系人\n袁伟，设备科\n");
  // The list's 客户名称 column: hospitals are no companies by their names, and 简称 is what chats say.
  test::write_file(root / "客户/客户总表.csv",
                   "客户名称,简称,等级,状态\n临澄市第一人民医院,市一院,A,合作中\n临澄康华医院,康华医院,C,合作中\n"
                   "东陵区妇幼保健院,东陵妇幼,C,潜在\n");
  test::write_file(root / "chats/渠道运营组.txt",
                   "2025-11-10 10:00:00 罗建平\n康华医院的事看邮件，东陵妇幼的宫腔镜要三家报价\n"
                   "2025-11-11 10:00:00 罗建平\n临澄市中医院洗消中心改造延期了\n");
  test::write_file(root / "mails/对接人.eml",
                   mail("孟晓东 <mengxd@lcsyy.org.cn>", "答复: 设备科对接人确认", "Tue, 11 Nov 2025 10:00:00 +0800",
                        "沈经理：\n\n12月1日起设备科的验收由我签字。\n\n孟晓东\n临澄市第一人民医院 设备科\n"));
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind << " " << e.conversations);
  const Entity* first = entity(r, "临澄市第一人民医院");
  REQUIRE(first);
  CHECK(first->write_up != Coverage::missing);
  CHECK(entity(r, "市一院") == first);
  CHECK(entity(r, "lcsyy.org.cn") == first);  // the signature's hospital is the mail domain's
  const Entity* tcm = entity(r, "临澄市中医院");
  REQUIRE(tcm);
  CHECK(tcm->write_up != Coverage::missing);
  CHECK(entity(r, "市中医院") == tcm);
  const Entity* kanghua = entity(r, "临澄康华医院");
  REQUIRE(undocumented(kanghua));
  CHECK(kanghua->kind == "client");
  CHECK(entity(r, "康华医院") == kanghua);
  const Entity* donglin = entity(r, "东陵区妇幼保健院");
  REQUIRE(undocumented(donglin));
  CHECK(entity(r, "东陵妇幼") == donglin);
}

TEST_CASE("gaps: a franchise brand's franchisees, a maker's dealers and a platform's merchants are its clients", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "加盟商/常州启明餐饮.md", "# 常州启明餐饮\n\n## 联系人\n周启明，老板\n");
  test::write_file(root / "经销商/金坛华联商贸.md", "# 金坛华联商贸\n\n## 联系人\n华总\n");
  test::write_file(root / "01_商家/麦香坊烘焙.md", "# 麦香坊烘焙\n\n## 联系人\n周老板\n");
  test::write_file(root / "chats/区域群.txt", "2025-11-10 10:00:00 陈思远\n常州启明餐饮有限公司的转让协议签了，金坛华联商贸下月订货\n"
                                             "2025-11-11 10:00:00 陈思远\n杭州麦香坊食品有限公司的年货节报名表到了\n");
  const GapReport r = analyse_folder(root, data);
  for (const char* name : {"常州启明餐饮", "金坛华联商贸", "麦香坊"}) {
    INFO(name);
    const Entity* e = entity(r, name);
    REQUIRE(e);
    CHECK(e->kind == "client");
    CHECK(e->write_up != Coverage::missing);
  }
}

TEST_CASE("gaps: write-ups in folders of one sort (供应商/酒店/), a city before a file's name, a list's industry column", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "供应商/酒店/千岛湖云庐.md", "# 千岛湖湖畔云庐度假酒店\n\n## 联系人\n俞敏，销售经理\n");
  test::write_file(root / "供应商/车队/顺达客运.md", "# 杭州顺达旅游客运有限公司（顺达大巴）\n\n## 联系人\n老蒋\n");
  test::write_file(root / "客户/瑞丰/报价.md", "# 瑞丰报价单\n\n2026 年报价 12 万\n");
  test::write_file(root / "代理机构与供应商/成都_蓉信人力.md", "# 蓉信人力\n\n## 联系人\n小唐\n");
  test::write_file(root / "客户/客户总表.csv", "客户名称,简称,行业,所在地\n苏州恒泰精密机械股份有限公司,恒泰精密,机械制造,苏州\n"
                                               "上海澜启生物科技有限公司,澜启生物,生物医药,上海\n");
  test::write_file(root / "通讯录.csv", "姓名,单位,部门/职务,手机\n俞敏,千岛湖云庐酒店,销售经理,13735810926\n"
                                        "老蒋,杭州顺达旅游客运有限公司,调度,13900000001\n");
  test::write_file(root / "chats/运营组.txt", "2025-11-10 10:00:00 马骁-计调\n顺达客运发函说明年涨价，蓉信人力的报价也到了，瑞丰下周签\n"
                                             "2025-11-11 10:00:00 嘉兴仓-小沈\n云庐酒店房间确认了，机械制造的客户名单发我，澜启生物的结算单还没确认\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind << " " << e.conversations);
  for (const char* name : {"千岛湖云庐", "顺达客运", "蓉信人力", "瑞丰"}) {
    INFO(name);
    const Entity* e = entity(r, name);
    REQUIRE(e);
    CHECK(e->write_up != Coverage::missing);
  }
  CHECK(entity(r, "千岛湖云庐酒店") == entity(r, "千岛湖云庐"));
  CHECK(entity(r, "杭州顺达旅游客运有限公司") == entity(r, "顺达客运"));
  for (const char* not_one : {"酒店", "车队", "成都", "报价", "机械制造", "生物医药", "计调", "嘉兴仓"}) {
    INFO(not_one);
    const Entity* e = entity(r, not_one);
    CHECK((e == nullptr || e->name != not_one));
  }
  REQUIRE(undocumented(entity(r, "上海澜启生物科技有限公司")));
}

TEST_CASE("gaps: a product named …通, a generic name of a written-up system, quoted speech and the 云 of 云南", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "系统/途易报价系统.md", "# 途易报价系统\n\n## 用途\n报价\n");
  test::write_file(root / "mails/合同.eml",
                   mail("罗倩 <luoqian@hezhong-hr.cn>", "拓野户外合同已在云签通发起", "Tue, 11 Nov 2025 10:00:00 +0800",
                        "周皓：\n\n合同已在云签通发起，员工在云签通签完就能上线。短信通知已发。\n\n罗倩\n"));
  test::write_file(root / "chats/运营组.txt",
                   "2025-11-10 10:00:00 周启明\n报价系统里的车价要不要先改？恒泰云南奖励游的名单定了\n"
                   "2025-11-11 10:00:00 林晓蔓\n教练说“时间还早可以再加一个项目”，我没同意。云签通的账号在我这\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind << " " << e.conversations);
  const Entity* sign = entity(r, "云签通");
  REQUIRE(undocumented(sign));
  CHECK(sign->kind == "system");
  const Entity* quote = entity(r, "途易报价系统");
  REQUIRE(quote);
  CHECK(entity(r, "报价系统") == quote);
  for (const char* not_one : {"短信通", "恒泰云", "时间还早可以再加一个项目"}) {
    INFO(not_one);
    CHECK(entity(r, not_one) == nullptr);
  }
}

TEST_CASE("gaps: a date said as month and day, a new contact's mobile and a postponement are facts only a conversation holds", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "项目/中庚广场店开业.md", "# 中庚广场店开业\n\n## 里程碑\n- 开业：12 月 6 日\n- 负责人：陈思远\n");
  test::write_file(root / "客户/悦享餐饮.md", "# 悦享餐饮\n\n## 联系人\n周海峰，13800001111\n");
  test::write_file(root / "chats/运营组.txt",
                   "2025-11-10 10:00:00 陈思远\n中庚广场店开业推迟到 12 月 20 日左右了，12 月 6 日来不及\n"
                   "2025-11-11 10:00:00 陈思远\n悦享餐饮日常订货改由孙蕾对接，电话 13776120358\n"
                   "2025-11-12 10:00:00 陈思远\n中庚广场店开业还是按 12 月 6 日准备物料\n");
  const GapReport r = analyse_folder(root, data);
  const auto only = [&](const std::string& text) {
    return std::count_if(r.conversation_only.begin(), r.conversation_only.end(),
                         [&](const ConversationFact& f) { return f.fact.find(text) != std::string::npos; });
  };
  for (const auto& f : r.conversation_only) UNSCOPED_INFO("fact: " << f.entity << " " << f.fact);
  CHECK(only("12 月 20 日") == 1);  // once, though it names an entity and is in a conversation with none
  CHECK(only("13776120358") == 1);
  CHECK(only("还是按 12 月 6 日") == 0);  // the write-up has that date
}

TEST_CASE("gaps: a write-up in a folder the checklist does not know is found by its file's name and fields or its title", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "CP/零度像素_星海指挥官.md", "# 星海指挥官 CP 对接\n\n## 对接人\n许航\n\n## 合同\n分成 50:50\n\n## 注意事项\n合服前报备\n");
  test::write_file(root / "渠道/xiaomi_小米游戏中心.md", "# 小米游戏中心\n\n对接人：赵鹏\n分成：50:50\n");
  test::write_file(root / "报价/鹿鸣鞋业_报价单.md", "# 报价单\n\n鞋盒 2.3 元/只，1 万只起\n");
  test::write_file(root / "mail/合服.eml",
                   "From: =?UTF-8?B?6K645oiq?= <xuhang@ldpixel.com>\nTo: ops@qingyou-game.cn\nSubject: =?UTF-8?B?5ZCI5pyN?=\n"
                   "Content-Type: text/plain; charset=UTF-8\n\n合服安排见附件。\n--\n厦门零度像素网络科技有限公司 许航\n");
  test::write_file(root / "chats/运营群.txt", "2025-11-20 10:00:00 沈嘉怡\n小米游戏中心的资源位要提了，鹿鸣鞋业股份有限公司的报价发了\n"
                                               "2025-11-21 10:00:00 蒋一鸣\n鹿鸣鞋业股份有限公司还没回\n");
  test::write_file(root / "chats/微信_赵鹏.txt", "2025-11-22 10:00:00 赵鹏\n小米游戏中心这边审核要两天\n");
  test::write_file(root / "通讯录.csv", "姓名,单位,职务,手机\n赵鹏,小米游戏中心,运营,13911502367\n许航,厦门零度像素网络科技有限公司,制作人,13900000002\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind << " " << e.conversations);
  for (const char* name : {"零度像素", "小米游戏中心"}) {
    INFO(name);
    const Entity* e = entity(r, name);
    REQUIRE(e);
    CHECK(e->write_up != Coverage::missing);
  }
  // A quote sheet named after a client is no write-up of it: no field of one.
  const Entity* quoted = entity(r, "鹿鸣鞋业");
  REQUIRE(quoted);
  CHECK(quoted->write_up == Coverage::missing);
}

TEST_CASE("gaps: an area half of whose documents are out of date is partial, old versions put away do not count", "[gaps]") {
  const auto sop = [](const std::string& title, const std::string& updated) {
    std::string text = "# " + title + "\n\n最后更新：" + updated + "\n\n## 步骤\n\n";
    for (int i = 1; i <= 6; ++i) text += std::to_string(i) + ". 在 ERP 里核对订单第 " + std::to_string(i) + " 项，确认后提交主管审批，再通知仓库发货。\n";
    return text;
  };
  const auto sops = [](const GapReport& r) { return area(r, "sops"); };
  SECTION("two of four SOPs not updated since 2023: partial, and the page says why") {
    test::TempDir root, data;
    test::write_file(root / "SOP/充值异常处理.md", sop("充值异常处理流程", "2023-06-02"));
    test::write_file(root / "SOP/礼包码申请发放.md", sop("礼包码申请发放流程", "2023-11-08"));
    test::write_file(root / "SOP/渠道对账流程.md", sop("渠道对账流程", "2026-10-20"));
    test::write_file(root / "SOP/版本更新上线SOP.md", sop("版本更新上线流程", "2026-11-02"));
    const GapReport r = analyse_folder(root, data);
    CHECK(sops(r).state == Coverage::partial);
    CHECK_THAT(sops(r).missing, Catch::Contains("out of date: 2 of 4"));
  }
  SECTION("one of four SOPs: partial, each procedure must be current; a checklist may ask less") {
    test::TempDir root, data;
    test::write_file(root / "SOP/充值异常处理.md", sop("充值异常处理流程", "2023-06-02"));
    test::write_file(root / "SOP/礼包码申请发放.md", sop("礼包码申请发放流程", "2026-09-08"));
    test::write_file(root / "SOP/渠道对账流程.md", sop("渠道对账流程", "2026-10-20"));
    test::write_file(root / "SOP/版本更新上线SOP.md", sop("版本更新上线流程", "2026-11-02"));
    const GapReport r = analyse_folder(root, data);
    CHECK(sops(r).state == Coverage::partial);
    CHECK_THAT(sops(r).missing, Catch::Contains("out of date: SOP/充值异常处理.md"));
    // Without each_up_to_date, one of four is not enough.
    std::string checklist = test::read_file(std::filesystem::path(BATON_SOURCE_DIR) / "data/checklist.json");
    const std::string flag = "\"each_up_to_date\": true,";
    REQUIRE(checklist.find(flag) != std::string::npos);
    checklist.erase(checklist.find(flag), flag.size());
    test::write_file(data.path() / "checklist.json", checklist);
    CHECK(sops(analyse_folder(root, data)).state == Coverage::covered);
  }
  SECTION("the old versions kept in 旧资料/ and old/: covered") {
    test::TempDir root, data;
    test::write_file(root / "旧资料/充值异常处理_2023.md", sop("充值异常处理流程（旧版）", "2023-06-02"));
    test::write_file(root / "old/礼包码申请发放_v1.md", sop("礼包码申请发放流程 v1", "2022-11-08"));
    test::write_file(root / "SOP/渠道对账流程.md", sop("渠道对账流程", "2026-10-20"));
    test::write_file(root / "SOP/版本更新上线SOP.md", sop("版本更新上线流程", "2026-11-02"));
    CHECK(sops(analyse_folder(root, data)).state == Coverage::covered);
  }
}

TEST_CASE("gaps: files named by sort and name (商砼-恒基), a system titled with its brand, rows with no one to contact, amounts and buildings", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "供应商/商砼-恒基.md", "# 商砼：南京恒基商品混凝土有限公司\n\n## 联系人\n蒋志明\n\n## 合同\nC30 398 元/m³\n");
  test::write_file(root / "02分包单位/劳务-鑫盛劳务.md",
                   "# 劳务分包：安徽鑫盛建筑劳务有限公司\n\n## 对接人\n王德海\n\n## 合同\n清包工\n\n## 注意事项\n工资专户按月发\n");
  test::write_file(root / "系统/劳务实名制-筑工宝.md", "# 劳务实名制系统（筑工宝）\n\n## 用途\n工人实名登记\n\n## 使用方法\n闸机注册\n");
  test::write_file(root / "系统/工单系统_服务通.md", "# 服务通（售后工单系统）说明\n\n## 用途\n报修派单\n\n## 使用方法\n建单、派单\n");
  test::write_file(root / "客户/华晟汽配_宁波.md", "# 宁波华晟汽车零部件有限公司（华晟汽配）\n\n## 联系人\n蒋伟\n");
  test::write_file(root / "材料供应商一览.md",
                   "# 材料供应商一览\n\n| 材料 | 供应商 | 联系人 | 电话 |\n|---|---|---|---|\n"
                   "| 商品混凝土 | 南京恒基商品混凝土有限公司 | 蒋志明 | 13851723315 |\n| 砌块 | 就近采购 | — | — |\n"
                   "| 防水卷材 | 甲方认质认价 | — | — |\n");
  test::write_file(root / "chats/项目部群.txt",
                   "2025-11-18 08:07:02 陈思远\n好的，鑫盛5000，瑞通2000，恒力那个附着等他们说法\n"
                   "2025-11-18 09:31:26 马丽\n鑫盛劳务新进场22人，筑工宝都录好了，7#楼卸料平台的限载牌也挂了\n"
                   "2025-11-19 10:00:00 陈思远\n恒基说下月涨价，瑞通2000元罚款从进度款扣，7#楼卸料平台复查了\n");
  test::write_file(root / "chats/微信_马丽.txt", "2025-11-20 10:00:00 马丽\n筑工宝明天升级，恒基的票到了，鑫盛劳务的工资表也到了\n"
                                              "2025-11-21 10:00:00 马丽\n服务通今天又卡了，KA周报看板数据停在11号了，华晟汽配的单子到了\n");
  test::write_file(root / "chats/微信_唐立新.txt", "2025-11-22 10:00:00 唐立新\n服务通的工单我补了，KA周报看板我也看了\n");
  test::write_file(root / "通讯录.csv", "姓名,单位,职务,手机\n王德海,安徽鑫盛建筑劳务有限公司,劳务队长,13900000003\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind << " " << e.conversations);
  for (const char* name : {"恒基", "鑫盛", "筑工宝", "服务通", "华晟汽配"}) {
    INFO(name);
    const Entity* e = entity(r, name);
    REQUIRE(e);
    CHECK(e->write_up != Coverage::missing);
  }
  for (const char* not_one : {"就近采购", "甲方认质认价", "瑞通2000", "楼卸料平台", "卸料平台", "商砼", "工单系统", "周报看板", "宁波"}) {
    INFO(not_one);
    const Entity* e = entity(r, not_one);
    CHECK((e == nullptr || e->name != not_one));
  }
}

TEST_CASE("gaps: a write-up named with a Latin kind (睿保TPA), a file named by both names of its title, a vault is a tool", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "保司&TPA/睿保TPA_合作说明.md", "# 睿保TPA 合作说明\n\n## 联系人\n曹雪\n\n## 协议\n按件收费\n\n## 重要事项\n每月对账\n");
  test::write_file(root / "系统/理赔平台ClaimHub.md", "# 理赔平台（ClaimHub）\n\n## 是什么\n理赔案件管理\n\n## 怎么用\n录入报案\n");
  test::write_file(root / "通讯录.csv", "姓名,单位,职务,手机\n曹雪,上海睿保理赔服务有限公司,客户经理,13601752294\n");
  test::write_file(root / "chats/客服群.txt", "2025-11-18 10:00:00 何静怡\n睿保那边说ClaimHub的导出坏了，KeePass里的密码也改了\n"
                                              "2025-11-19 10:00:00 陆子昂\n睿保的账单到了，ClaimHub今晚升级，KeePass我装好了\n");
  test::write_file(root / "chats/微信_欧阳博.txt", "2025-11-20 10:00:00 欧阳博\nClaimHub的账号在KeePass里，KeePass的主密码问IT\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind << " " << e.conversations);
  for (const char* name : {"睿保", "ClaimHub"}) {
    INFO(name);
    const Entity* e = entity(r, name);
    REQUIRE(e);
    CHECK(e->write_up != Coverage::missing);
  }
  CHECK(entity(r, "KeePass") == nullptr);
  // Its write-up's headings are a partner's fields (联系人, 协议, 重要事项), whatever its folder's name.
  CHECK(entity(r, "睿保")->kind == "partner");
}

TEST_CASE("gaps: a table of who does what (人员分工) is the team, a handover timetable (交接时间安排) the plan", "[gaps]") {
  test::TempDir root, data;
  std::string rows;
  for (const char* who : {"何建军 | 项目经理 | 全面负责，签证、结算、付款最终签字", "刘长江 | 生产经理 | 现场进度、分包协调、月度形象进度确认",
                          "宋文博 | 技术负责人 | 图纸、方案、设计变更的技术资料", "赵大勇 | 安全总监 | 安全检查、罚款单、安全文明措施费计量"})
    rows += std::string("| ") + who + "；每周一例会汇报，商务需要配合提供计量、签证和结算的依据资料 |\n";
  test::write_file(root / "项目部人员分工.md", "# 项目部 管理人员分工及对接\n\n| 姓名 | 岗位 | 职责 |\n|---|---|---|\n" + rows);
  test::write_file(root / "交接清单.md", "# 商务经理岗位交接清单\n\n## 一、交接时间安排\n\n| 日期 | 内容 | 接收人 |\n|---|---|---|\n"
                                        "| 12-01 | 分包合同台账、结算资料移交，逐份过一遍 | 林雨桐 |\n| 12-03 | 进度款申报带做一遍，系统里实际提交 | 林雨桐 |\n"
                                        "| 12-08 | 一期结算对账会，和华审一起核对 | 林雨桐 |\n| 12-11 | 交接确认会，项目经理主持 | 何建军 |\n"
                                        "| 12-04 | 分包结算审批流程带做，晶筑、瑞通、鑫盛三家各走一遍，陈思远复核 | 林雨桐 |\n"
                                        "| 12-05 | 材料对账：恒基商砼、金诚钢贸的小票和磅单核对，差异记在台账 | 林雨桐 |\n"
                                        "| 12-09 | 签证台账逐项过，甲方未批的签证列清单，约监理和甲方一起确认 | 林雨桐 |\n"
                                        "| 12-10 | 三期投标资料移交，澄清答疑文件和保证金的付款记录一并交接 | 林雨桐 |\n");
  const GapReport r = analyse_folder(root, data);
  CHECK(area(r, "team").state == Coverage::covered);
  CHECK(area(r, "plan").state != Coverage::missing);
  CHECK(area(r, "plan").missing.find("thin") == std::string::npos);
}

TEST_CASE("gaps: a list of the team's accounts names a system in each row, not a tool everyone has nor a client's portal", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "客户资料/山岚茶业.md", "# 杭州山岚茶业有限公司\n\n## 联系人\n陈经理\n\n## 历史\n合作三年\n\n## 需求\n礼盒\n");
  test::write_file(root / "账号密码清单.csv",
                   "系统,账号,密码/登录方式,保管人,备注\n"
                   "仓掌柜WMS,cangku01,见保管库,张伟东,只查库存\n"
                   "数据魔方BI（看板）,hejy,向IT申请,何静怡,\n"
                   "观澜BI 管理员,admin,见保管库,王海鹏,\n"
                   "企业微信,扫码登录,无,何静怡,\n"
                   "访客 WiFi,guest,见前台,行政,\n"
                   "12306 企业账号,qy01,见保管库,行政,\n"
                   "OA,shenjy,域账号,沈佳怡,审批\n"
                   "山岚供应商协同平台,DY-SL-0031,见客户档案,沈佳怡,客户的系统\n");
  test::write_file(root / "chats/运营群.txt",
                   "2025-11-18 10:00:00 何静怡\n仓掌柜WMS今天盘点，数据魔方BI的周报晚点出，观澜BI卡了，山岚供应商协同平台约了交货\n"
                   "2025-11-19 10:00:00 张伟东\n仓掌柜WMS盘完了，企业微信通知大家，访客WiFi密码换了，OA审批走完了\n");
  test::write_file(root / "chats/微信_王海鹏.txt", "2025-11-20 10:00:00 王海鹏\n观澜BI和数据魔方BI今晚升级，山岚的单子到了\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind << " " << e.conversations);
  for (const char* name : {"仓掌柜WMS", "数据魔方BI", "观澜BI"}) {
    INFO(name);
    const Entity* e = entity(r, name);
    REQUIRE(e);
    CHECK(e->kind == "system");
    CHECK(e->write_up == Coverage::missing);
  }
  for (const char* not_one : {"企业微信", "访客", "WiFi", "12306", "山岚供应商协同平台", "OA"}) {
    INFO(not_one);
    const Entity* e = entity(r, not_one);
    CHECK((e == nullptr || e->name != not_one));
  }
  // The client's portal is the client's, which has its write-up.
  REQUIRE(entity(r, "山岚"));
  CHECK(entity(r, "山岚")->write_up != Coverage::missing);
}

TEST_CASE("gaps: a dealers' list, a template's headings, a site named after its region, a title of two names", "[gaps]") {
  test::TempDir root, data;
  // A maker's dealers are listed by 经销商名称; the list is their file, not a write-up of one.
  test::write_file(root / "经销商档案/经销商总表.csv",
                   "经销商编码,经销商名称,简称,城市,状态\nHZ-0012,长沙湘森家居有限公司,湘森,长沙,正常\n"
                   "XN-0011,贵阳黔森木业经营部,黔森,贵阳,正常\n");
  test::write_file(root / "经销商档案/长沙湘森.md",
                   "# 长沙湘森家居有限公司— 经销商档案\n\n## 联系人\n周建湘\n\n## 合作历史\n2019年签约\n\n## 需求\n样品\n");
  // A template's headings are the fields to fill in, not clients.
  test::write_file(root / "模板/经销商拜访记录模板.md",
                   "# 经销商拜访记录\n\n## 一、经营情况\n- 提货：\n\n## 二、对方提出的问题和需求\n1.\n\n## 三、我方承诺事项\n\n"
                   "## 四、下次跟进时间\n");
  // A research site's write-up in a folder the checklist does not know, named without its region.
  test::write_file(root / "研究中心/明德医院.md", "# 华东明德医院（杭州）— 中心档案\n\n## 联系人\n王主任\n\n## 协议\n2024版\n\n## 重要事项\n伦理每月一次\n");
  test::write_file(root / "通讯录.csv", "姓名,单位,职务,手机\n王主任,华东明德医院,PI,13900000001\n");
  // The system's write-up titled with its brand name and its sort: both are its names.
  test::write_file(root / "系统/售后服务平台说明.md",
                   "# 森域服务云 — 售后服务平台使用说明\n\n## 用途\n售后工单\n\n## 操作步骤\n派单\n\n外网用 VPN 登录。\n");
  // (一 is E4 B8 80 in UTF-8: no byte of a name may be taken for a dash's.)
  test::write_file(root / "系统/订单平台说明.md", "# 一品云 — 订单平台说明\n\n## 用途\n下单\n\n## 操作步骤\n审核\n");
  // A contact list kept in the partners' folder: its organisations are partners, and it is no write-up.
  test::write_file(root / "服务商&供应商/服务商联系人.csv",
                   "单位,类别,联系人,手机\n成都蓉运物流有限公司,西南物流,王涛,18081926635\n");
  test::write_file(root / "聊天记录/钉钉_渠道运营部.txt",
                   "2025-07-08 10:00:00 刘振华\n黔森欠款先停发货，湘森的补贴到了，服务云今天卡了，VPN也断了，华东明德医院的伦理批了\n"
                   "2025-07-09 10:00:00 陈思颖\n蓉运的车到了，服务云好了，VPN连上了，明德医院的合同也回来了，一品云卡了\n");
  test::write_file(root / "聊天记录/微信_王涛.txt", "2025-07-10 10:00:00 王涛\n成都蓉运物流有限公司的对账单发你了，服务云账号开好了，VPN在用，一品云好了\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind << " " << e.conversations);
  REQUIRE(entity(r, "贵阳黔森"));
  CHECK(entity(r, "贵阳黔森")->kind == "client");
  CHECK(entity(r, "贵阳黔森")->write_up == Coverage::missing);
  for (const char* name : {"华东明德医院", "服务云", "湘森", "一品云"}) {
    INFO(name);
    const Entity* e = entity(r, name);
    REQUIRE(e);
    CHECK(e->write_up != Coverage::missing);
  }
  REQUIRE(entity(r, "蓉运"));
  CHECK(entity(r, "蓉运")->kind == "partner");
  for (const char* not_one : {"经营情况", "对方提出的问题和需求", "下次跟进时间", "服务商联系人", "西南物流", "VPN"}) {
    INFO(not_one);
    const Entity* e = entity(r, not_one);
    CHECK((e == nullptr || e->name != not_one));
  }
  // The title's parts are names, not the whole title with its sort of document.
  for (const auto& e : r.entities)
    for (const auto& a : e.aliases) CHECK(a.find("档案") == std::string::npos);
}

TEST_CASE("gaps: a letter's 贵店 (your store), a bare 商户 (merchant) and the sentence before a registered name are no entities", "[gaps]") {
  test::TempDir root, data;
  const auto mail = [&](const std::string& file, const std::string& from, const std::string& body) {
    test::write_file(root / "mail" / file, "From: " + from + "\r\nTo: penghm@ganjin-auto.com\r\nSubject: =?UTF-8?B?5ZKo6K+i?=\r\n"
                                           "Date: Thu, 13 Nov 2025 10:00:00 +0800\r\nMIME-Version: 1.0\r\n"
                                           "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body);
  };
  mail("1.eml", "zhongwb@lvjie-wl.com",
       "彭经理您好，\r\n\r\n我是江西绿捷城配物流有限公司的钟文彬，贵店销售部郭亮介绍的。\r\n"
       "2. 我们想装直流快充桩，贵店能否提供或推荐供应商；\r\n"
       "按贵行要求，续保保单第一受益人继续为沅川银行股份有限公司高新区支行。\r\n");
  mail("2.eml", "zhengran@yunhu-tech.com",
       "感谢贵店一直以来对云呼呼叫中心的支持。\r\n1. 坐席服务到期：贵店6个坐席的年度服务将于2025年12月20日到期。\r\n"
       "3. 管理员变更：贵店管理员账号绑定的手机号为彭经理本人。\r\n");
  test::write_file(root / "SOP/结算.md", "# 结算\n\n4. 4 日：在付结通商户后台确认批次，U 盾授权。\n");
  test::write_file(root / "账号权限清单.csv", "系统,账号,持有人\n付结通商户后台,lm_op01,苏芮\n");
  test::write_file(root / "chats/客服群.txt", "2025-11-14 10:00:00 彭慧敏\n付结通商户后台今天卡了，商户号发我\n"
                                              "2025-11-15 10:00:00 邓子昂\n商户后台好了，付结通说明天升级\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind << " " << e.conversations);
  REQUIRE(entity(r, "绿捷城配"));
  for (const char* not_one : {"贵店", "商户"}) {
    INFO(not_one);
    const Entity* e = entity(r, not_one);
    CHECK((e == nullptr || e->name != not_one));
  }
  // A verb of being before a registered name is the sentence's, not the name's.
  CHECK(entity(r, "第一受益人") == nullptr);
  REQUIRE(entity(r, "沅川银行股份有限公司"));
}

TEST_CASE("gaps: an account list's system is found by what the team calls it for short, not a courier's billing account", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "账号清单.csv",
                   "系统,账号,权限,负责人\n星盘达人库,—,只读,田野\n鹰眼风控,xuqing（只读）,查看,刘畅\n仓掌柜WMS,cangku01,只查库存,张伟东\n"
                   "顺丰月结,月结卡号 5713092648,寄样品,张伟东\n");
  test::write_file(root / "聊天记录/运营群.txt",
                   "2025-05-18 10:00:00 方晴\n达人档期我已经在星盘里更新到6月底，顺丰今天没来取件\n"
                   "2025-05-19 10:00:00 刘畅\n先冻，我在鹰眼里点了冻结，仓掌柜今天盘点，顺丰的单号发群里了\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind << " " << e.conversations);
  for (const char* name : {"星盘达人库", "鹰眼风控", "仓掌柜WMS"}) {
    INFO(name);
    const Entity* e = entity(r, name);
    REQUIRE(e);
    CHECK(e->kind == "system");
    CHECK(e->conversations == 1);
  }
  CHECK(entity(r, "顺丰") == nullptr);
}

TEST_CASE("gaps: an area whose own guide is out of date is partial, a fresh guide leaves it covered", "[gaps]") {
  const auto write = [](const test::TempDir& root, const std::string& updated, const std::string& title = "模板使用说明") {
    std::string guide = "# " + title + "\n\n最后更新：" + updated + "\n\n";
    for (const char* t : {"报价单模板：按价目表填单价，折扣超过九折要主管审批后再发给品牌方。",
                          "直播Brief模板：每场直播前两天发给主播团队，写清卖点、福利和禁用词。",
                          "结案报告模板：活动结束后五个工作日内交给品牌方，附数据截图和复盘。",
                          "样品寄送单模板：寄样前填好品牌、SKU、数量和收件主播，寄出后把单号填回表里。",
                          "对账单模板：每月三日前导出上月订单，和品牌方逐单核对佣金，差异写在备注栏。"})
      guide += std::string("- ") + t + "\n";
    test::write_file(root / "模板" / (title + ".md"), guide);
    for (const char* name : {"报价单模板.md", "直播Brief模板.md", "结案报告模板.md"})
      test::write_file(root / "模板" / name, std::string("# ") + name + "\n\n| 项目 | 内容 |\n|---|---|\n| 品牌 | |\n| 日期 | |\n| 负责人 | |\n");
  };
  SECTION("the guide of 2021: partial, and the page says which") {
    test::TempDir root, data;
    write(root, "2021-12-15");
    const GapReport r = analyse_folder(root, data);
    CHECK(area(r, "templates").state == Coverage::partial);
    CHECK_THAT(area(r, "templates").missing, Catch::Contains("模板/模板使用说明.md"));
  }
  SECTION("the guide of this autumn: covered") {
    test::TempDir root, data;
    write(root, "2026-10-15");
    CHECK(area(analyse_folder(root, data), "templates").state == Coverage::covered);
  }
  SECTION("their list (模板清单, 模板目录) of 2021 is their guide too: partial") {
    for (const char* title : {"模板清单", "模板目录"}) {
      test::TempDir root, data;
      write(root, "2021-09-01", title);
      INFO(title);
      CHECK(area(analyse_folder(root, data), "templates").state == Coverage::partial);
    }
  }
}

TEST_CASE("gaps: the team's one CRM is called by its kind, and an account list's 云栈CRM is the write-up CRM_云栈.md", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "systems/CRM_云栈.md", "# CRM 云栈\n\n## 用途\n客户和商机\n\n## 操作步骤\n录入拜访\n");
  test::write_file(root / "权限账号清单.csv", "系统,用途,账号,持有人\n云栈CRM,客户/商机,admin,何婉清\n对公CRM,拜访记录,shenjiayi,沈佳怡\n");
  test::write_file(root / "chats/工作群.txt", "2025-11-18 10:00:00 韩磊\n子轩 CRM 权限还没下来，先用我的账号录拜访\n"
                                             "2025-11-19 10:00:00 沈佳怡\n云栈今天升级，下午再录\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind << " " << e.conversations);
  std::size_t yunzhan = 0;
  for (const auto& e : r.entities)
    if (e.name.find("云栈") != std::string::npos || std::any_of(e.aliases.begin(), e.aliases.end(), [](const std::string& a) { return a.find("云栈") != std::string::npos; }))
      ++yunzhan;
  CHECK(yunzhan == 1);
  REQUIRE(entity(r, "云栈"));
  CHECK(entity(r, "云栈")->write_up != Coverage::missing);
}

TEST_CASE("gaps: a handover checklist (交接清单) is the plan, and its section on later contact is the support's to-do", "[gaps]") {
  test::TempDir root, data;
  std::string plan = "# 工作交接清单 —— 沈佳怡\n\n## 一、时间安排\n\n";
  for (int day = 1; day <= 6; ++day)
    plan += "- 12-0" + std::to_string(day) + "：和陆子轩一起过客户档案和授信台账，当天把移交的资料放到共享盘并在群里说一声。\n";
  plan += "\n## 二、移交清单\n\n| 事项 | 接手人 |\n|---|---|\n| 代发工资客户 | 陆子轩 |\n| 授信年审资料 | 苏婉 |\n\n"
          "## 三、离职后联系\n\n- 问题反馈方式：TBD\n\n## 四、签字确认\n\n交接人、接手人、主管三方签字后交人力。\n";
  test::write_file(root / "00_交接清单_沈佳怡.md", plan);
  const GapReport r = analyse_folder(root, data);
  CHECK(area(r, "plan").state == Coverage::covered);
  CHECK(area(r, "support").state != Coverage::covered);
}

TEST_CASE("gaps: a project's 团队 section is that project's team, not the leaver's team and collaboration", "[gaps]") {
  const auto project = [](const std::string& name) {
    return "# " + name + "\n\n## 目标\n年内上线\n\n## 团队\n\n- 负责人：钱卫东（副行长），统筹与审批\n- 成员：韩磊（客户经理），负责客户"
           "对接和尽调；苏婉（风险经理），负责授信审查和贷后；沈佳怡，负责资料收集和系统录入\n- 总行：郭宇（交易银行部），负责产品"
           "参数和系统对接\n\n## 进度\n完成三家\n";
  };
  SECTION("only projects' teams: the area is missing") {
    test::TempDir root, data;
    test::write_file(root / "Projects项目/宏拓供应链金融试点.md", project("宏拓供应链金融试点"));
    test::write_file(root / "Projects项目/2025授信年审.md", project("2025授信年审"));
    CHECK(area(analyse_folder(root, data), "team").state == Coverage::missing);
  }
  SECTION("the handover's own page on the team: covered") {
    test::TempDir root, data;
    test::write_file(root / "Projects项目/宏拓供应链金融试点.md", project("宏拓供应链金融试点"));
    test::write_file(root / "团队与协作.md", project("团队与协作"));
    CHECK(area(analyse_folder(root, data), "team").state != Coverage::missing);
  }
}

TEST_CASE("gaps: a project's own training (its staff, its partners) is not the handover's knowledge transfer", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "Projects/家充桩安装服务上线.md",
                   "# 家充桩安装服务上线\n\n## 目标\n12月上线\n\n## 合作方\n- 星桩能源：安装套件，技师培训：12-08 星桩派人来给技师做两天培训，讲安装规范和验收。\n\n"
                   "## 待办\n- 薪云操作培训：上线前给前台三人培训一次系统操作，培训材料由星桩提供。\n");
  CHECK(area(analyse_folder(root, data), "training").state == Coverage::missing);
}

TEST_CASE("gaps: a folder named by its sort and purpose, an organisation called by its abbreviation, a city in brackets, a public body's write-up", "[gaps]") {
  test::TempDir root, data;
  // "大客户-企业福利": a folder of clients (大客户) for one line of business; its list names them.
  test::write_file(root / "大客户-企业福利/企业客户一览.csv",
                   "客户,行业,人数,项目,对接人,状态\n临江汇通精密制造股份有限公司,制造,3800,健康福利卡,陈立群,合作中\n"
                   "临江市公共交通集团有限公司,公交,2200,驾驶员慢病用药福利,钱主席,合作中\n"
                   "清溪农村商业银行股份有限公司,银行,600,健康福利卡（意向）,工会,意向\n");
  test::write_file(root / "大客户-企业福利/汇通精密.md",
                   "# 临江汇通精密制造股份有限公司 — 员工健康福利卡\n\n## 联系人\n陈立群\n\n## 合作历史\n2024年签约\n\n## 需求\n每月对账\n");
  // A supplier's write-up titled with the city it serves ("（清溪）"), and the city's insurance bureau,
  // whose write-up is named by the short name the team uses (清溪医保 of 清溪市医疗保障局).
  test::write_file(root / "供应商/博润医药.md", "# 博润医药（清溪）\n\n## 联系人\n王经理\n\n## 合作方式\n清溪门店主供\n\n## 重要事项\n不做冷链\n");
  test::write_file(root / "医保/清溪医保.md",
                   "# 清溪医保对接\n\n## 联系人\n医药服务科\n\n## 协议\n《清溪市定点零售药店医疗保障服务协议》2026 年度\n");
  test::write_file(root / "通讯录.csv", "姓名,单位,职务,手机\n黄敏,清溪市医疗保障局,医药服务科,13900000002\n");
  test::write_file(root / "聊天记录/企业微信_运营组.txt",
                   "2026-03-11 10:00:00 蒋慧敏\n公交集团的合同4月底到期，钱主席那边我在谈，清溪医保的第二批名单出来了\n"
                   "2026-03-12 10:00:00 蒋慧敏\n清溪农商银行工会有意向做员工福利卡，汇通精密的方案发一份，商家后台的计算机系统又卡了\n"
                   "2026-03-13 10:00:00 蒋慧敏\n商场 B1 排烟系统还在整改，消防验收延期\n"
                   "2026-03-14 10:00:00 蒋慧敏\n排烟系统整改做完了，计算机系统也好了\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind << " " << e.conversations);
  // The list's clients, talked of by their abbreviations in the chat: undocumented, and seen in it.
  for (const char* name : {"临江市公共交通集团有限公司", "清溪农村商业银行股份有限公司"}) {
    INFO(name);
    const Entity* e = entity(r, name);
    REQUIRE(e);
    CHECK(e->kind == "client");
    CHECK(e->write_up == Coverage::missing);
    CHECK(std::any_of(e->seen_in.begin(), e->seen_in.end(), [](const Evidence& s) { return s.path.starts_with("聊天记录/"); }));
  }
  REQUIRE(entity(r, "汇通精密"));
  CHECK(entity(r, "汇通精密")->kind == "client");
  CHECK(entity(r, "汇通精密")->write_up != Coverage::missing);
  // The bureau keeps its own write-up; the supplier is not the city it serves.
  REQUIRE(entity(r, "清溪市医疗保障局"));
  CHECK(entity(r, "清溪市医疗保障局")->write_up != Coverage::missing);
  REQUIRE(entity(r, "博润医药"));
  CHECK(entity(r, "博润医药") != entity(r, "清溪市医疗保障局"));
  for (const auto& a : entity(r, "博润医药")->aliases) CHECK(a.find("清溪") == std::string::npos);
  for (const char* not_one : {"商家", "计算机系统", "排烟系统"}) {
    INFO(not_one);
    const Entity* e = entity(r, not_one);
    CHECK((e == nullptr || e->name != not_one));
  }
}

TEST_CASE("gaps: a spreadsheet beside write-ups is a table of them, a file named for a supplier's country, a write-up titled with its agent", "[gaps]") {
  test::TempDir root, data;
  // An order-tracking sheet in the clients' folder: its 客户 column names clients; it is no client's write-up.
  test::write_file(root / "客户/客户订单跟踪_2026Q1.csv",
                   "批次号,客户,供应商,品名,状态\nHLI-2601-01,济南鲁丰食品,Southern Cross Beef,冷冻牛腩 24t,已出库\n"
                   "HLI-2602-02,北京京膳坊商贸,Southern Cross Beef,冷冻牛腩 24t,索赔中\n");
  test::write_file(root / "客户/鲁丰食品.md", "# 济南鲁丰食品有限公司\n\n## 联系人\n王经理\n\n## 合作历史\n2023年起\n\n## 需求\n牛腩\n");
  // A price list in the suppliers' folder names them; SouthernCross_AU.md is the write-up of Southern Cross Beef.
  test::write_file(root / "供应商 Suppliers/进口单价表_2026.csv", "供应商,品名,单价USD/t\nSouthern Cross Beef,冷冻牛腩,5200\n");
  test::write_file(root / "供应商 Suppliers/SouthernCross_AU.md",
                   "# Southern Cross Beef Pty Ltd\n\n## 联系人\nJack\n\n## 合作方式\nCFR 青岛\n\n## 重要事项\n每柜单独报价\n");
  // The shipping line's write-up, titled with its agent in port: the agent is written up there too.
  test::write_file(root / "服务商/船公司_Pacora.md",
                   "# 船公司：Pacora Line（青岛代理：青岛百川船务代理有限公司）\n\n## 联系人\n于菲，yufei@baichuan-shipping.cn\n\n"
                   "## 合作方式\n换单费 350 元/票\n\n## 重要事项\n免柜期 10 天\n");
  test::write_file(root / "聊天记录/企业微信群_物流部.txt",
                   "2026-03-10 10:00:00 宋佩琳\n京膳坊商贸的索赔单到了，鲁丰的柜放了，青岛百川船务代理有限公司的免柜期改了\n"
                   "2026-03-11 10:00:00 毛建新\nSouthern Cross Beef 的新报价来了，京膳坊商贸要发票\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind << " " << e.conversations);
  for (const char* sheet : {"客户订单跟踪", "进口单价表"}) {
    INFO(sheet);
    CHECK(entity(r, sheet) == nullptr);
  }
  REQUIRE(entity(r, "京膳坊"));
  CHECK(entity(r, "京膳坊")->kind == "client");
  CHECK(entity(r, "京膳坊")->write_up == Coverage::missing);
  for (const char* written : {"Southern Cross", "青岛百川船务代理有限公司", "鲁丰"}) {
    INFO(written);
    REQUIRE(entity(r, written));
    CHECK(entity(r, written)->write_up != Coverage::missing);
  }
  CHECK(entity(r, "Pacora") == entity(r, "青岛百川船务代理有限公司"));
}

TEST_CASE("gaps: a risk list that leaves out the risks only mail and chat raise is partial, and says which", "[gaps]") {
  const std::string risks =
      "# 风险与问题清单\n\n| 风险 | 影响 | 对策 | 负责人 |\n|---|---|---|---|\n"
      "| 港誉冷库满仓 | 到港无处存放 | 提前一周预约，备选胶州冷库 | 宋佩琳 |\n| 恒通报关人手紧 | 申报慢 | 月初提前递单 | 孔德昊 |\n"
      "| 单一窗口账号到期 | 无法申报 | 3月底前续期，找IT | 孔德昊 |\n| ERP对接延期 | 手工录单 | 每周跟进云擎 | 宋佩琳 |\n"
      "| 巴西新厂注册未获批 | 新厂的货不能清关 | 每两周查一次注册名单，未获批前只从老厂订货，供应商那边盯紧 | 宋佩琳 |\n"
      "| 冷箱插电费超预算 | 成本上升 | 到港后三天内提柜，超期的柜子每周五汇总给财务，月底和船代对账 | 孔德昊 |\n";
  const auto chat = [](const std::string& about) {
    return "2026-03-05 10:00:00 宋佩琳\n" + about + "\n";
  };
  const std::string said = "远捷物流通知自4月1日起海运附加费涨价到每柜1,200元。谱测检测技术说送检预约的截止日改到3月20日。"
                           "京膳坊商贸的货款逾期45天了，还欠款386,000元。";
  SECTION("three risks only in the chat, about entities the list never names: partial") {
    test::TempDir root, data;
    test::write_file(root / "风险与问题清单.md", risks);
    test::write_file(root / "聊天记录/微信_物流部.txt", chat(said));
    test::write_file(root / "通讯录.csv",
                     "姓名,单位,手机\n于菲,青岛远捷物流有限公司,18600000001\n王敏,青岛谱测检测技术有限公司,18600000002\n"
                     "陈立,北京京膳坊商贸有限公司,18600000003\n");
    const GapReport r = analyse_folder(root, data);
    for (const auto& f : r.conversation_only) UNSCOPED_INFO("fact: " << f.entity << " " << f.fact);
    CHECK(area(r, "risks").state == Coverage::partial);
    CHECK_THAT(area(r, "risks").missing, Catch::Contains("只在邮件/聊天里"));
  }
  SECTION("one risk only in the chat is one the list misses: partial; named by its first four characters, covered") {
    for (const bool named : {false, true}) {
      test::TempDir root, data;
      test::write_file(root / "风险与问题清单.md", risks + (named ? "| 谱测检测送检 | 排期 | 提前预约 | 宋佩琳 |\n" : ""));
      test::write_file(root / "聊天记录/微信_物流部.txt", chat("谱测检测技术说送检预约的截止日改到3月20日。"));
      test::write_file(root / "通讯录.csv", "姓名,单位,手机\n王敏,青岛谱测检测技术有限公司,18600000002\n");
      INFO(named);
      CHECK(area(analyse_folder(root, data), "risks").state == (named ? Coverage::covered : Coverage::partial));
    }
  }
  SECTION("the same, with the list naming them: covered") {
    test::TempDir root, data;
    test::write_file(root / "风险与问题清单.md", risks + "| 远捷物流、谱测检测、京膳坊商贸 | 成本、回款 | 见聊天记录，逐个跟进 | 宋佩琳 |\n");
    test::write_file(root / "聊天记录/微信_物流部.txt", chat(said));
    test::write_file(root / "通讯录.csv",
                     "姓名,单位,手机\n于菲,青岛远捷物流有限公司,18600000001\n王敏,青岛谱测检测技术有限公司,18600000002\n"
                     "陈立,北京京膳坊商贸有限公司,18600000003\n");
    CHECK(area(analyse_folder(root, data), "risks").state == Coverage::covered);
  }
}

TEST_CASE("gaps: an SOP's 复盘 step and its 培训要求 are that procedure's, not the handover's training", "[gaps]") {
  const std::string sop =
      "# 故障应急与升级 SOP\n\n## 1. 发现与确认\n值班收到告警后 5 分钟内确认影响范围，在工单系统建单。\n\n"
      "## 2. 升级\n30 分钟未恢复升级到运维经理，1 小时未恢复通知客户。\n\n## 3. 复盘\n恢复后 3 个工作日内写复盘。\n\n"
      "## 4. 培训要求\n新值班员上岗前跟班一周。\n";
  SECTION("only the SOP: no training") {
    test::TempDir root, data;
    test::write_file(root / "SOP/故障应急与升级.md", sop);
    CHECK(area(analyse_folder(root, data), "training").state == Coverage::missing);
  }
  SECTION("the handover's own lessons learned and training plan: there is training") {
    test::TempDir root, data;
    test::write_file(root / "SOP/故障应急与升级.md", sop);
    test::write_file(root / "经验总结与培训安排.md",
                     "# 经验总结与培训安排\n\n## 培训安排\n3月16日起两周，每天下午带邱明哲过一遍工单和门禁授权，第二周由他主操、我复核。\n\n"
                     "## 经验\n- 客户说“马上到”的远程协助，一律按加急单处理，否则夜里没人陪同进场。\n"
                     "- 扩容前先看 PDU 余量，别只看机柜的合同功率，去年两次跳闸都是这个原因。\n");
    CHECK(area(analyse_folder(root, data), "training").state != Coverage::missing);
  }
}

TEST_CASE("gaps: a document titled with one project's name is its write-up, not a list of projects by its headings", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "门店/九江滨江店开业/开业项目说明.md",
                   "# 九江滨江店开业项目\n\n## 目标\n4月30日开业，首月销售 180 万。\n\n## 已完成\n- 租赁合同签订\n- 装修进场\n\n"
                   "## 下一步优先级\n1. 消防联合验收\n2. 收银设备调试\n");
  test::write_file(root / "聊天记录/钉钉_筹备群.txt",
                   "2026-03-05 10:00:00 罗俊峰\n九江滨江店开业推迟到4月30日\n2026-03-06 10:00:00 曹国栋\n滨江店开业的物料清单发我\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  REQUIRE(entity(r, "九江滨江店开业"));
  CHECK(entity(r, "九江滨江店开业")->kind == "project");
  CHECK(entity(r, "九江滨江店开业")->write_up != Coverage::missing);
  for (const char* not_one : {"已完成", "下一步优先级"}) {
    INFO(not_one);
    CHECK(entity(r, not_one) == nullptr);
  }
}

TEST_CASE("gaps: works named by what is done (…升级, …整改) when several records name them, and a 专项 of two characters", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "个人笔记/随手记.txt", "01-05 今年要做的：UPS电池、门禁人脸识别升级。\n");
  test::write_file(root / "风险与遗留问题.md",
                   "# 风险与遗留问题\n\n| # | 事项 | 对策 |\n|---|---|---|\n| 1 | 门禁人脸识别升级（费用已批）：4/7~4/10 施工 | 提前通知租户 |\n");
  test::write_file(root / "reports/2026-02_月报.md", "# 2026-02 月报\n\n## 重点事项\n- 门禁人脸识别升级：方案 2/24 评审通过，4 月上旬施工。\n"
                                                    "- 生鲜损耗专项：2 月损耗率 4.1%。\n");
  test::write_file(root / "聊天记录/企业微信_运维群.txt",
                   "2026-03-10 10:00:00 龚蔚然\n门禁人脸识别升级的租户通知，3/20 前要发出去\n"
                   "2026-03-10 10:05:00 韩思远\n工单超时自动升级的规则我改好了\n"
                   "2026-03-11 10:00:00 龚蔚然\n今日重点：损耗专项的晚间分段打折今天起全区执行\n");
  test::write_file(root / "聊天记录/微信_刘长青.txt", "2026-03-12 10:00:00 刘长青\n另外损耗专项那个事，叶菜报损超过5%的部分我们补货\n");
  test::write_file(root / "聊天记录/客服_0001.txt", "2026-03-12 10:00:00 客服\n好的，问题我马上升级处理\n2026-03-13 10:00:00 客服\n我这边帮您升级处理\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  for (const char* name : {"门禁人脸识别升级", "损耗专项"}) {
    INFO(name);
    REQUIRE(entity(r, name));
    CHECK(entity(r, name)->kind == "project");
  }
  for (const char* not_one : {"超时自动升级", "马上升级", "帮您升级"}) {
    INFO(not_one);
    CHECK(entity(r, not_one) == nullptr);
  }
}

TEST_CASE("gaps: a write-up titled with the system's full name and, in brackets, its product's names", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "系统 systems/医保接口_易联中间件.md",
                   "# 医保结算接口（易联医保中间件 YL-MedLink）\n\n## 用途\n门店 POS 与医保平台之间的结算。\n\n## 使用方法\n每日对账。\n\n"
                   "## 注意事项\n升级前通知门店。\n");
  test::write_file(root / "聊天记录/企业微信_运营组.txt",
                   "2026-03-17 10:00:00 沈佳怡\nMedLink 3月22日晚上升级，易联医保中间件那晚停用两小时\n"
                   "2026-03-18 10:00:00 陆昊\nMedLink 升级通知已转门店，易联医保中间件的回滚方案也有了\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  REQUIRE(entity(r, "医保接口"));
  CHECK(entity(r, "MedLink") == entity(r, "医保接口"));
  CHECK(entity(r, "易联医保中间件") == entity(r, "医保接口"));
  CHECK(entity(r, "医保接口")->write_up != Coverage::missing);
}

TEST_CASE("gaps: a chat named for a person with their company in brackets names that company, not 'person(company'", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "聊天记录/微信_孙浩(远澜物流).txt",
                   "微信聊天记录导出\n聊天对象：孙浩-远澜物流\n导出时间：2026-03-16 18:22:07\n"
                   "------------------------------------------------------------\n\n"
                   "2026-03-03 09:41:12  孙浩-远澜物流\n许经理早，船公司通知4月1日起中东线加收紧急附加费，40FR每箱加 USD 600\n\n"
                   "2026-03-03 09:43:50  许嘉怡\n啊？我们年度协议不是按月锁价吗，这个也要加？\n\n"
                   "2026-03-03 09:47:05  孙浩-远澜物流\n3月已经订舱的按3月锁价走，不受影响。4月1日以后开船的都得加。\n");
  test::write_file(root / "聊天记录/微信_邓晓（恒通物流）.txt",
                   "微信聊天记录导出\n聊天对象：邓晓\n\n2026-03-10 10:00:00  邓晓\n查验通知到了\n\n2026-03-10 10:05:00  许嘉怡\n收到\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  REQUIRE_FALSE(r.entities.empty());
  for (const auto& e : r.entities) {
    CHECK(e.name.find("孙浩") == std::string::npos);
    CHECK(e.name.find("邓晓") == std::string::npos);
  }
}

TEST_CASE("gaps: a dealer's file named with its country in Chinese (Mekong_Delta_越南.md) is that dealer's write-up", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "客户资料/Mekong_Delta_越南.md",
                   "# Mekong Delta Equipment JSC\n\n## 联系人\nMr. Tran\n\n## 合作历史\n2023 年起代理\n\n## 需求\n挖机 20 台/年\n");
  test::write_file(root / "聊天记录/企业微信_海外部.txt",
                   "2026-03-10 10:00:00 许嘉怡\nMekong Delta 的信用证到了\n2026-03-11 10:00:00 韩子墨\nMekong Delta 要的配件清单发了\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  REQUIRE(entity(r, "Mekong Delta"));
  CHECK(entity(r, "Mekong Delta")->write_up != Coverage::missing);
  for (const auto& e : r.entities) CHECK(e.name.find("越南") == std::string::npos);
}

TEST_CASE("gaps: a file named by a short name and a topic, a product's electronic catalogue, a Latin name in brackets", "[gaps]") {
  test::TempDir root, data;
  // 江淮银行 is the bank of the title, for short; 信用证 is what the document is about.
  test::write_file(root / "合作方 Partners/江淮银行_信用证.md",
                   "# 江淮商业银行徐州分行（国际业务部）—— 信用证通知、审单、交单、保函\n\n## 联系人\n周经理\n\n## 合作方式\n交单\n\n## 重要事项\n不符点\n");
  // An electronic catalogue (目录) named for its product is that system's write-up, not a list.
  test::write_file(root / "系统 Systems/PartsNavi配件电子目录.md",
                   "# PartsNavi 配件电子目录（EPC）使用说明\n\n## 用途\n查配件号\n\n## 使用方法\n按机型查\n\n## 注意事项\n每月更新\n");
  test::write_file(root / "系统 Systems/亚马逊后台_SellerCentral.md",
                   "# 亚马逊后台（Seller Central）\n\n## 用途\n店铺管理\n\n## 使用方法\n登录\n\n## 注意事项\n两步验证\n");
  test::write_file(root / "SOP/广告调价SOP.md", "# 广告调价 SOP\n\n1. 每天 9 点在 SellerPilot 里导出昨日数据。\n2. 按 ACoS 调价。\n");
  test::write_file(root / "聊天记录/企业微信_海外部.txt",
                   "2026-03-10 10:00:00 许嘉怡\nPartsNavi 的配件价格更新了，江淮商业银行徐州分行的交单退回来了，SellerPilot 调价跑完了\n"
                   "2026-03-11 10:00:00 韩子墨\nPartsNavi 登不上，江淮银行说不符点要改，SellerPilot 报错\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  CHECK(entity(r, "信用证") == nullptr);
  REQUIRE(entity(r, "江淮商业银行徐州分行"));
  CHECK(entity(r, "江淮商业银行徐州分行")->write_up != Coverage::missing);
  REQUIRE(entity(r, "PartsNavi"));
  CHECK(entity(r, "PartsNavi")->kind == "system");
  CHECK(entity(r, "PartsNavi")->write_up != Coverage::missing);
  REQUIRE(entity(r, "SellerPilot"));
  CHECK(entity(r, "SellerPilot") != entity(r, "亚马逊后台"));
}

TEST_CASE("gaps: a foreign company's office in a city (Nordwerk 上海联络处) is that company", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "合作方 Partners/Nordwerk_CE认证.md",
                   "# Nordwerk Prüf- und Zertifizierungs GmbH\n\n## 联系人\nDr. Hoffmann\n\n## 合作方式\nCE 换证审核\n\n## 重要事项\n新机械法规\n");
  test::write_file(root / "通讯录.csv", "姓名,单位,手机\n王蕾,Nordwerk 上海联络处,13900000003\n");
  test::write_file(root / "聊天记录/企业微信_海外部.txt",
                   "2026-03-10 10:00:00 许嘉怡\nNordwerk 上海联络处说审核排在4月\n2026-03-11 10:00:00 韩子墨\nNordwerk 的报价到了\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  REQUIRE(entity(r, "Nordwerk"));
  CHECK(entity(r, "上海联络处") == entity(r, "Nordwerk"));
  CHECK(entity(r, "Nordwerk")->write_up != Coverage::missing);
}

TEST_CASE("gaps: a listed firm called without its 服务, works named with 更新, a system named in Chinese and letters", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "客户 Accounts/协议客户总表.csv",
                   "客户,类型,适用酒店,负责人\n厦门鹭航航空服务有限公司,机组协议,厦门湖里,林雅琪\n杭州芯曜半导体有限公司,公司协议,杭州西溪,沈若岚\n");
  test::write_file(root / "聊天记录/企业微信_工程部群.txt",
                   "2025-11-20 10:00:00 林雅琪\n鹭航航空刚来通知：明年 1 月起机组房从每晚 20 间加到 28 间\n"
                   "2025-11-21 10:00:00 彭立军\n迅梯3#/4#客梯更新改造的正式报价到了，168万两台\n"
                   "2025-11-22 10:00:00 彭立军\n加班空调在楼控BA系统里排好了，公司OA系统里的申请也批了\n"
                   "2025-11-23 10:00:00 顾思源\n楼控BA系统的操作员密码别贴群里\n");
  test::write_file(root / "个人笔记/随手记.txt", "11-27 客梯更新改造报价有效期到12-31\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind << " conversations " << e.conversations);
  const Entity* listed = entity(r, "厦门鹭航航空服务有限公司");
  CHECK((listed && listed->conversations >= 1));
  const Entity* works = entity(r, "客梯更新改造");
  CHECK((works && works->kind == "project"));
  const Entity* system = entity(r, "楼控BA系统");
  CHECK((system && system->kind == "system"));
  CHECK(entity(r, "公司OA系统") == nullptr);
}

TEST_CASE("gaps: a project called by its file's other part, by its Chinese, or with 项目 after it is the written-up one", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "projects/冷机节能改造_EMC.md",
                   "# 汇景国际大厦 冷水机组节能改造（EMC）\n\n## 目标\n节能 20%\n\n## 团队\n彭立军\n\n## 进度\n12 月到货\n");
  test::write_file(root / "项目Projects/启明二期_考勤排班实施.md",
                   "# 启明餐饮 考勤排班实施\n\n## 目标\n分批上线\n\n## 进度\n第一批已上线\n");
  test::write_file(root / "聊天记录/钉钉_对接群.txt",
                   "2025-11-10 18:02:37 顾思源\n冷机改造的新机组到货推迟到12月20日\n"
                   "2025-11-11 09:00:00 夏雨\n启明二期项目经理这周请假，冷机改造的调试也顺延\n");
  test::write_file(root / "聊天记录/企业微信_组群.txt", "2025-11-12 09:00:00 韩子墨\n启明二期项目的周会改到周四，冷机改造的验收也排了\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  REQUIRE(entity(r, "冷机节能改造"));
  CHECK(entity(r, "冷机改造") == entity(r, "冷机节能改造"));
  CHECK(entity(r, "冷机节能改造")->conversations == 2);
  REQUIRE(entity(r, "启明二期"));
  CHECK(entity(r, "启明二期") == entity(r, "考勤排班实施"));
  CHECK(entity(r, "启明二期项目") == entity(r, "考勤排班实施"));
}

TEST_CASE("gaps: a quoted pilot's name, not a partner's programme nor a platform someone says is theirs", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "合作伙伴/游程旅行网.md",
                   "# 游程旅行网\n\n## 联系人\n蔡文博\n\n## 合作方式\n佣金 15%\n\n## 重要事项\n- 蔡文博提过西溪店做“游程直连”（不经过云桥）的试点，还没有定\n");
  test::write_file(root / "客户 Accounts/芯曜半导体.md",
                   "# 杭州芯曜半导体有限公司\n\n## 联系人\n王敏\n\n## 偏好\n- 要求员工都走他们的差旅平台（芯曜 iTravel）直连我们的协议价\n");
  test::write_file(root / "聊天记录/企业微信_收益组.txt",
                   "2025-11-20 10:00:00 沈若岚\n游程蔡文博又提了西溪店“游程直连”试点，说 1 月可以测\n"
                   "2025-11-21 10:00:00 江屿\n加入“游程优选酒店计划”要 12-15 前确认，芯曜说差旅平台里超标订单提交不了\n"
                   "2025-11-22 10:00:00 沈若岚\n游程优选酒店计划先不加，游程直连试点等云桥升级\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  const Entity* pilot = entity(r, "游程直连试点");
  CHECK((pilot && pilot->kind == "project"));
  CHECK(entity(r, "游程优选酒店计划") == nullptr);
  CHECK(entity(r, "差旅平台") == nullptr);
}

TEST_CASE("gaps: a developer console, a system someone says is theirs, a place's factory and a route from a city", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "系统/易充API对接.md",
                   "# 易充开放平台 API 对接说明\n\n## 用途\n推送价格\n\n## 使用方法\n- 开发者后台：https://open.example.com\n"
                   "- 推送失败的在易充开发者后台提工单\n");
  test::write_file(root / "客户/Volkmar_Automotive.md",
                   "# Volkmar Automotive\n\n## Contacts\nAnna Berg\n\n## Billing\nParents claim reimbursement from Volkmar through "
                   "their internal Workday expense system.\n");
  test::write_file(root / "项目Projects/宁波-曼萨尼略新航线.md",
                   "# 宁波 — 曼萨尼略（墨西哥）新航线上线\n\n## 目标\n首航 12-20\n\n## 进度\nEHL 协议已签\n");
  test::write_file(root / "聊天记录/企业微信_KA客服组.txt",
                   "2025-11-12 10:00:00 方磊\nv2 接口要在开发者后台重新生成密钥\n"
                   "2025-11-13 10:00:00 陈思琪\n欣悦电器的货在慈溪工厂装柜，宁波—曼萨尼略新航线首航推迟一周\n"
                   "2025-11-14 10:00:00 王蕾\n慈溪工厂那边 14 号前货好；Workday 报销的事 Volkmar 自己处理\n"
                   "2025-11-15 10:00:00 陈思琪\n宁波—曼萨尼略新航线的首航客户还是欣悦电器\n");
  test::write_file(root / "聊天记录/微信_冯师傅.txt", "2025-11-16 10:00:00 冯师傅\n开发者后台我进不去，慈溪工厂地址发我\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  for (const char* not_one : {"开发者", "Workday", "慈溪工厂"}) {
    INFO(not_one);
    CHECK(entity(r, not_one) == nullptr);
  }
  const Entity* route = entity(r, "曼萨尼略新航线");
  REQUIRE(route);
  CHECK(route->name != "宁波");
  CHECK(route->write_up != Coverage::missing);
  for (const auto& e : r.entities)  // the dash of "宁波—曼萨尼略新航线" in the chat is no other route
    if (&e != route) CHECK(e.name.find("曼萨尼略") == std::string::npos);
  CHECK(route->conversations >= 1);
}

TEST_CASE("gaps: a public body the team's list of clients names is a client (a sanitation contractor's 街道办事处)", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "客户 Clients/客户合同与单价一览.csv",
                   "客户,合同,年金额,到期\n云溪区枫桥街道办事处,农贸市场周边清运,38万,2025-12-31\n云溪区城市管理局,环卫一体化,1260万,2028-12-31\n");
  test::write_file(root / "聊天记录/企业微信_进场群.txt",
                   "2025-11-12 10:00:00 顾晓峰\n枫桥街道的合同 12-31 到期，明年并入一体化项目\n"
                   "2025-11-13 10:00:00 邱文杰\n云溪区枫桥街道办事处那边说续到 1 月底\n"
                   "2025-11-14 10:00:00 顾晓峰\n市场监管局下周来查农贸市场\n");
  test::write_file(root / "聊天记录/微信_沈丽娟.txt", "2025-11-15 10:00:00 沈丽娟\n市场监管局的检查你陪一下\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  const Entity* listed = entity(r, "枫桥街道");
  REQUIRE(listed);
  CHECK(listed->kind == "client");
  CHECK(entity(r, "市场监管局") == nullptr);  // named in chat only: the state's, not a client
}

TEST_CASE("gaps: write-ups named by what they are, found by the names their titles give, and names that are no one's", "[gaps]") {
  test::TempDir root, data;
  // A co-working operator's member companies are its clients; a bank's lab is the bank the mails name.
  test::write_file(root / "会员公司/汇澄银行创新实验室.md",
                   "# 汇澄银行股份有限公司金融科技创新实验室\n\n## 联系人\n陈璐\n\n## 合同\n2026-06-30 到期\n");
  test::write_file(root / "会员公司/Lindqvist_Maritime.md", "# Lindqvist Maritime AB\n\n## Contacts\nKarin Holm\n\n## Contract\n2025-12-31\n");
  // The name first, then what it is; a system's file named by what it is, its title by the product.
  test::write_file(root / "供应商&译员/MT引擎_深演.md", "# 深演 MT 引擎（深演智能科技（北京）有限公司）\n\n## 联系人\n刘工\n\n## 合作方式\n按量计费\n");
  test::write_file(root / "系统工具/MemoraCAT服务器.md", "# MemoraCAT 服务器说明\n\n## 用途\n翻译记忆\n\n## 使用方法\n登录\n");
  test::write_file(root / "系统说明/TPM费用系统.md", "# 费控通 TPM（促销费用管理）使用说明\n\n## 用途\n促销费用\n\n## 使用方法\n申请\n");
  test::write_file(root / "系统说明/DMS订货平台操作说明.md", "# 易订云 DMS（经销商订货平台）使用说明\n\n## 用途\n经销商订货\n\n## 使用方法\n下单\n");
  test::write_file(root / "聊天记录/企业微信_项目群.txt",
                   "2026-01-08 10:00:00 高静怡\n深演智能科技有限公司的额度下月调整，MemoraCAT Server 的授权文件延期到 1/20\n"
                   "2026-01-08 11:00:00 沈奕辰\n排版用 FrameMaker 出 PDF，易订云 下周二晚上停机升级，费控通TPM 的核销也要等\n"
                   "2026-01-09 10:00:00 陈璐\n汇澄银行股份有限公司的门禁名单我发你；天成云谷那边的停车还没批\n"
                   "2026-01-09 11:00:00 沈奕辰\n天成云谷物业说下周检修\n");
  test::write_file(root / "聊天记录/微信_刘工.txt",
                   "2026-01-10 10:00:00 刘工\n深演智能科技有限公司的新合同到了，MemoraCAT Server 迁移排在周末，FrameMaker 的模板也更新了\n"
                   "2026-01-10 11:00:00 陆子航\n易订云 和 费控通TPM 的账号都开好了，汇澄银行股份有限公司那边也确认了\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind << " " << (e.write_up == Coverage::missing ? "no write-up" : "written"));
  const auto written = [&](const char* name) {
    const Entity* e = entity(r, name);
    return e && e->write_up != Coverage::missing;
  };
  for (const char* name : {"Lindqvist", "深演", "费控通", "易订云", "汇澄银行股份有限公司"}) {
    INFO(name);
    CHECK(written(name));
    if (const Entity* e = entity(r, name); e && std::string(name) != "Lindqvist") CHECK(e->conversations == 2);
  }
  CHECK(entity(r, "深演")->kind == "partner");
  for (const auto& alias : entity(r, "深演")->aliases) {  // the title's bracket holds one of its own: （北京）
    INFO(alias);
    CHECK_FALSE(alias.starts_with("北京"));
  }
  for (const auto& e : r.entities)  // "MemoraCAT Server" in the chats is the write-up's MemoraCAT 服务器
    if (e.name.find("MemoraCAT") != std::string::npos) CHECK(e.write_up != Coverage::missing);
  for (const char* not_one : {"FrameMaker", "天成云"}) {
    INFO(not_one);
    CHECK(entity(r, not_one) == nullptr);
  }
}

TEST_CASE("gaps: a known product only a client's write-up names is the client's, one the team's SOP uses is the team's", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "客户/Lindqvist_Maritime.md",
                   "# Lindqvist Maritime AB\n\n## Contacts\nKarin Holm\n\n## Billing\nThey submit every invoice into SAP Concur.\n");
  test::write_file(root / "SOP/月结SOP.md", "# 月结 SOP\n\n1. 在金蝶里导出应收明细。\n2. 核对后提交。\n");
  test::write_file(root / "聊天记录/企业微信_财务群.txt",
                   "2025-09-08 10:00:00 沈一诺\nLindqvist 说没有 PO 号的发票会被 SAP 退回\n"
                   "2025-09-09 10:00:00 邱宇航\n金蝶这个月的结账日提前到 25 号\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  CHECK(entity(r, "SAP") == nullptr);
  const Entity* ours = entity(r, "金蝶");
  CHECK((ours && ours->kind == "system"));
}

TEST_CASE("gaps: a table's first row is its header (a report list's row is no contact list), and a system the team has an account in is reported", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "reports/报表清单说明.md",
                   "# 报表清单说明\n\n| 报表 | 周期 | 数据来源 | 存放位置 | 看的人 |\n|---|---|---|---|---|\n"
                   "| 大客户日销售 | 每天 | 观澜看板 | 看板在线看 | 方卫东、韩立 |\n| 驿修常备件库存表 | 每周五 | 观澜看板导出 | 邮件发驿修吴佳 | 客户 |\n"
                   "| 大客户月报 | 每月 | 商城订单导出 | 共享盘 | 方卫东、月会 |\n| 汽配云集店铺周报 | 每周一 | 商家后台 | 钉钉群 | 孙晓萌出 |\n");
  test::write_file(root / "账号权限清单.csv", "系统,账号,用途,持有人\n观澜看板,chensy,报表只读,陈思远\n");
  test::write_file(root / "聊天记录/企业微信_运营群.txt", "2026-03-10 10:00:00 方卫东\n月报这周五前发我\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  for (const char* not_one : {"方卫东、月会", "孙晓萌出", "客户"}) {
    INFO(not_one);
    CHECK(entity(r, not_one) == nullptr);
  }
  const Entity* board = entity(r, "观澜看板");
  REQUIRE(board);
  CHECK(board->kind == "system");
  CHECK(board->write_up == Coverage::missing);
}

TEST_CASE("gaps: a system only the team's account list and notes name is still one to write up", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "账号权限清单.csv", "系统,账号,用途,持有人\n观澜看板,chensy,报表只读,陈思远\n");
  test::write_file(root / "个人笔记/随手记.txt", "03-02 观澜看板的大客户页要加一列回款\n");
  test::write_file(root / "聊天记录/企业微信_运营群.txt", "2026-03-10 10:00:00 方卫东\n月报这周五前发我\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  const Entity* board = entity(r, "观澜看板");
  REQUIRE(board);
  CHECK(board->kind == "system");
  CHECK(board->write_up == Coverage::missing);
}

TEST_CASE("gaps: a folder of vendors (厂商/) holds partners' write-ups", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "厂商/中汇通信.md", "# 中汇通信（专线运营商）\n\n## 联系人\n陈工\n\n## 合作方式\n专线 100M\n");
  test::write_file(root / "聊天记录/企业微信_信息科.txt", "2025-12-01 10:00:00 曾立新\n中汇通信的专线合同月底到期\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  const Entity* vendor = entity(r, "中汇通信");
  REQUIRE(vendor);
  CHECK(vendor->kind == "partner");
  CHECK(vendor->write_up != Coverage::missing);
}

TEST_CASE("gaps: the domain a written-up system's notices come from is that system", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "系统/TradeWharf卖家后台说明.md", "# TradeWharf 卖家后台说明\n\n## 用途\n平台店铺\n\n## 使用方法\n回复询盘\n");
  test::write_file(root / "mail存档/rfq.eml",
                   mail("TradeWharf <no-reply@notify.tradewharf.com>", "[TradeWharf] New RFQ Organic Silver Needle",
                        "Fri, 2 Jan 2026 09:00:00 +0000", "A buyer sent you an RFQ. Reply within 24 hours in TradeWharf.\n"));
  test::write_file(root / "聊天记录/企业微信_国际业务部.txt", "2026-01-03 10:00:00 陈思颖\nTradeWharf 的询盘我回了\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  CHECK(entity(r, "notify.tradewharf.com") == entity(r, "TradeWharf"));
  REQUIRE(entity(r, "TradeWharf"));
  CHECK(entity(r, "TradeWharf")->write_up != Coverage::missing);
}

TEST_CASE("gaps: a project list names whom each project is for (甲方), a client, and a project's file named for an organisation is that client's write-up", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "政府项目/项目进度表_2025.csv",
                   "项目,甲方/合作方,类型,状态,负责人\n武侯居家养老2025,武侯区民政局,政府购买,执行中,唐宇航\n"
                   "长照险居家上门照护,蜀安人寿成都分公司,长照险定点,执行中,唐宇航\n青羊区探访关爱项目投标,青羊区民政局,投标,准备中,唐宇航\n");
  test::write_file(root / "政府项目/武侯区民政局_居家养老服务项目.md",
                   "# 武侯区民政局 · 居家养老上门服务\n\n## 联系人\n王科长\n\n## 合作历史\n2023 年起政府购买服务\n");
  test::write_file(root / "聊天记录/企业微信_运营部.txt",
                   "2025-12-01 10:00:00 何静怡\n青羊区民政局的招标 1 月 6 日截止\n2025-12-02 10:00:00 唐宇航\n蜀安人寿成都分公司说 11 月稽核要整改\n"
                   "2025-12-03 10:00:00 何静怡\n武侯区民政局说工单要 3 张照片\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  for (const char* client : {"武侯区民政局", "蜀安人寿成都分公司", "青羊区民政局"}) {
    INFO(client);
    const Entity* e = entity(r, client);
    REQUIRE(e);
    CHECK(e->kind == "client");
  }
  CHECK(entity(r, "武侯区民政局")->write_up != Coverage::missing);
  CHECK(entity(r, "青羊区民政局")->write_up == Coverage::missing);
}

TEST_CASE("gaps: a word of the language after 登录 (登录变更) or a run after 按 names no system", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "mail/v5.eml",
                   mail("颐管家 <notice@yiguanjia-saas.cn>", "颐管家 V5 升级通知", "Mon, 1 Dec 2025 09:00:00 +0800",
                        "如需变更绑定手机，请于12月26日前提交申请，逾期将无法登录变更。\n"));
  test::write_file(root / "聊天记录/企业微信_武侯项目群.txt",
                   "2025-12-01 10:00:00 罗晓梅\n12月工单全部按新标准，区里按平台有效工单结算。\n2025-12-02 10:00:00 何静怡\n收到，区里按平台结算\n"
                   "2025-12-03 10:00:00 何静怡\n登录变更的事我来跟\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  CHECK(entity(r, "变更") == nullptr);
  CHECK(entity(r, "区里按平台") == nullptr);
}

TEST_CASE("gaps: a write-up named for what a registered company runs (渠道/知页阅读.md) is that company's, and a platform named with a written-up client's trade name is the client's portal", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "渠道/知页阅读.md", "# 知页阅读\n\n## 联系人\n王编辑\n\n## 合作历史\n2021 年上架\n\n## 未结问题\n结算周期\n");
  test::write_file(root / "邮件/zhiye.eml",
                   mail("知页科技有限公司 <bd@zhiye-read.com>", "关于2026年起文件格式调整的通知", "Mon, 10 Nov 2025 09:00:00 +0800",
                        "知页科技有限公司通知：2026年起只接收EPUB3。请在声海内容合作平台之外的渠道另行确认。\n"));
  test::write_file(root / "聊天记录/企业微信_数字发行组.txt",
                   "2025-11-11 10:00:00 沈嘉怡\n知页科技有限公司说 EPUB3 的事\n2025-11-12 10:00:00 韩子墨\n知页内容合作平台上传失败了\n"
                   "2025-11-13 10:00:00 沈嘉怡\n知页内容合作平台要重新登录\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  const Entity* channel = entity(r, "知页科技有限公司");
  REQUIRE(channel);
  CHECK(channel->write_up != Coverage::missing);
  CHECK(entity(r, "知页内容合作平台") == nullptr);
}

TEST_CASE("gaps: an organisation called by the brand a written-up system starts with is its maker, and every name of it is the system's", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "系统/FaceGate闸机平台.md", "# FaceGate闸机平台\n\n## 用途\n门店人脸闸机\n\n## 使用方法\n后台录入人脸\n");
  test::write_file(root / "系统/票易开电子发票_使用说明.md", "# 票易开 电子发票 使用说明\n\n## 用途\n开票\n\n## 使用方法\n每月 1-5 日开票\n");
  test::write_file(root / "通讯录_外部联系人.csv",
                   "单位,类型,角色,电话,邮箱\nFaceGate,系统厂商,技术支持,400-900-5127,support@facegate-cloud.cn\n"
                   "票易开,系统厂商,客服,400-016-3388,service@piaoyikai.com\n");
  test::write_file(root / "mail/v1.eml",
                   mail("票易开 <notice@piaoyikai.com>", "【票易开】开票接口V1版本停止服务通知", "Fri, 21 Nov 2025 09:00:00 +0800",
                        "开票接口V1版本将于2026年1月1日停止服务，请尽快切换。\n"));
  test::write_file(root / "聊天记录/企业微信_运营群.txt",
                   "2025-11-05 10:00:00 冯嘉欣\nFaceGate 技术支持说下个固件改增量同步\n2025-11-22 10:00:00 苏婉婷\n票易开的接口要换 V2\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  REQUIRE(entity(r, "FaceGate闸机平台"));
  CHECK(entity(r, "FaceGate") == entity(r, "FaceGate闸机平台"));
  CHECK(entity(r, "facegate-cloud.cn") == entity(r, "FaceGate闸机平台"));
  REQUIRE(entity(r, "票易开电子发票"));
  CHECK(entity(r, "piaoyikai.com") == entity(r, "票易开电子发票"));
  for (const auto& e : r.entities) CHECK((e.kind != "partner" || e.write_up != Coverage::missing));  // no maker on its own
}

TEST_CASE("gaps: a contact list's organisation with a written-up system in brackets (颐信科技（颐管家）) is that system's maker", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "systems/颐管家使用说明.md", "# 颐管家使用说明\n\n## 用途\n护理管理\n\n## 使用方法\n派单、签到\n");
  test::write_file(root / "通讯录.csv", "姓名,单位,部门,手机,邮箱\n韩雪,颐信科技（颐管家）,客户成功部,13900000001,hanxue@yixin-soft.com\n");
  test::write_file(root / "聊天记录/企业微信_运营部.txt",
                   "2025-12-01 10:00:00 杨帆\n颐信科技说 V5 要加短信验证\n2025-12-02 10:00:00 何静怡\n续费找颐信科技的韩雪\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  REQUIRE(entity(r, "颐管家"));
  CHECK(entity(r, "颐信科技") == entity(r, "颐管家"));
}

TEST_CASE("gaps: the team's own domain spells its county (chengchuan-water.cn), not every company registered there", "[gaps]") {
  test::TempDir root, data;
  const std::string own = "宋佳琪 <songjq@chengchuan-water.cn>";
  test::write_file(root / "mail/1.eml", mail("周明 <zhoum@mingtai-paper.com>", "关于水表校验争议", "Mon, 1 Dec 2025 09:00:00 +0800",
                                             "澄川明泰纸业有限公司对 DN150 水表读数有异议，要求第三方校验。\n", own));
  test::write_file(root / "mail/2.eml", mail("李华 <lih@huafeng-dyeing.com>", "联系人变更", "Tue, 2 Dec 2025 09:00:00 +0800",
                                             "澄川华峰印染有限公司自 12 月起由李华对接。\n", own));
  test::write_file(root / "mail/3.eml", mail(own, "回复：联系人变更", "Tue, 2 Dec 2025 10:00:00 +0800",
                                             "收到。澄川县水务有限公司 客服计量部\n", "李华 <lih@huafeng-dyeing.com>"));
  test::write_file(root / "大客户/大用户总表.csv",
                   "客户名称,用水类别,月均用水\n澄川明泰纸业有限公司,工业,52000\n澄川华峰印染有限公司,工业,61000\n澄川金泽酿造有限公司,工业,18000\n");
  test::write_file(root / "聊天记录/微信群_计量班组.txt",
                   "2025-12-03 10:00:00 宋佳琪\n金泽酿造的大表下周换\n2025-12-04 10:00:00 卢海峰\n明泰纸业的校验约在周五\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  for (const char* client : {"澄川明泰纸业有限公司", "澄川华峰印染有限公司", "澄川金泽酿造有限公司"}) {
    INFO(client);
    CHECK(entity(r, client));
  }
  CHECK(entity(r, "澄川明泰纸业有限公司") != entity(r, "澄川华峰印染有限公司"));
  CHECK(entity(r, "mingtai-paper.com") == entity(r, "澄川明泰纸业有限公司"));
}

TEST_CASE("gaps: a registered name that starts with its province keeps it whole (河南通运物流, not 南通运物流), and a written-up system's console (易订开放平台) is that system", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "合作单位/通运物流.md", "# 河南通运物流有限公司（通运物流）\n\n## 联系人\n牛建国\n\n## 合作方式\n整车\n");
  test::write_file(root / "系统/易订DMS使用说明.md", "# 易订DMS使用说明\n\n## 用途\n经销商订货\n\n## 使用方法\n接口文档在开发者中心\n");
  test::write_file(root / "mail/yunjia.eml",
                   mail("段志强 <dispatch@tongyun56.cn>", "2026年运价调整函", "Mon, 10 Nov 2025 09:00:00 +0800",
                        "河南通运物流有限公司自2026年1月1日起整车运价上调5%。\n"));
  test::write_file(root / "mail/maliann.eml",
                   mail("郭涛 <guot@malian-tech.cn>", "扫码追溯二期上线安排", "Fri, 14 Nov 2025 09:00:00 +0800",
                        "二期上线前请在易订开放平台重新生成 AppSecret，批次同步走易订开放平台的新接口。\n"));
  test::write_file(root / "聊天记录/企业微信_渠道部.txt", "2025-11-15 10:00:00 王振宇\n易订开放平台的接口文档更新了\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  for (const auto& e : r.entities) {
    CHECK(e.name != "南通运物流有限公司");
    CHECK(std::find(e.aliases.begin(), e.aliases.end(), "南通运物流有限公司") == e.aliases.end());
  }
  REQUIRE(entity(r, "通运物流"));
  CHECK(entity(r, "通运物流")->write_up != Coverage::missing);
  REQUIRE(entity(r, "易订DMS"));
  CHECK(entity(r, "易订开放平台") == entity(r, "易订DMS"));
}

TEST_CASE("gaps: a word for the document in a file's name (HIS电子病历_说明.md) is never the entity's name", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "系统/HIS电子病历_说明.md", "# 医云HIS（电子病历）使用说明\n\n## 用途\n病历\n\n## 使用方法\n医生站录入\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  for (const auto& e : r.entities) CHECK(e.name != "说明");
  REQUIRE(entity(r, "HIS电子病历"));
  CHECK(entity(r, "HIS电子病历")->kind == "system");
}

TEST_CASE("gaps: a write-up's file named by a short name (恒通安装, 农商行) is the organisation its title names in full", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "供应商&外包/恒通安装_换表施工.md", "# 澄川县恒通水电安装工程有限公司（换表施工外包）\n\n## 联系人\n周工\n\n## 合作方式\n按户计价\n");
  test::write_file(root / "供应商&外包/农商行代扣.md", "# 澄川农村商业银行（水费代扣代收）\n\n## 联系人\n柜面主管\n\n## 合作方式\n每日 14:30 前上传代扣文件\n");
  test::write_file(root / "通讯录.csv",
                   "姓名,单位,手机\n周建,澄川县恒通水电安装工程有限公司,13900000001\n吴敏,澄川农村商业银行,13900000002\n");
  test::write_file(root / "chat记录/微信群_营业厅.txt",
                   "2025-12-01 10:00:00 宋佳琪\n澄川县恒通水电安装工程有限公司说换表单价要涨\n2025-12-02 10:00:00 卢海峰\n澄川农村商业银行代扣文件改成 14:30 前传\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  for (const char* written : {"澄川县恒通水电安装工程有限公司", "澄川农村商业银行"}) {
    INFO(written);
    REQUIRE(entity(r, written));
    CHECK(entity(r, written)->write_up != Coverage::missing);
  }
  for (const auto& e : r.entities) CHECK(e.name != "换表施工");  // what it does for the team, not its name
}

TEST_CASE("gaps: a folder named in both languages (Projects项目/) is no project's code name", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "聊天记录/企业微信_秋拍运营群.txt",
                   "2025-12-07 21:40:00 宋雨桐\n明天开始结算，进度表在共享盘 Projects项目/秋拍结算进度.csv\n"
                   "2025-12-08 09:20:00 宋雨桐\nClearwater 项目下周启动\n");
  test::write_file(root / "聊天记录/微信_贾一帆.txt",
                   "2025-12-08 09:10:00 贾一帆\nProjects项目/春拍征集表.xlsx 我也更新了\n2025-12-09 09:20:00 贾一帆\nClearwater 项目的合同到了\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  CHECK(entity(r, "Projects") == nullptr);
  REQUIRE(entity(r, "Clearwater"));
  CHECK(entity(r, "Clearwater")->kind == "project");
}

TEST_CASE("gaps: a list of merchants names each in its 商户名称 column, and its 简称 is how the chat calls it", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "商户档案/商户总表.csv",
                   "商户ID,商户名称,简称,区域,状态\nM50010003,重庆山城畅行汽车租赁有限公司,山城畅行,主城,正常\n"
                   "M50010058,重庆巴渝之星汽车租赁有限公司,巴渝之星,九龙坡,正常\n");
  test::write_file(root / "聊天记录/企业微信_商户运营群.txt",
                   "2025-12-03 10:00:00 谭慧\n巴渝之星核查结果：认定刷单\n2025-12-04 10:00:00 何雨桐\n巴渝之星已改暂停接单\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  const Entity* merchant = entity(r, "重庆巴渝之星汽车租赁有限公司");
  REQUIRE(merchant);
  CHECK(merchant->kind == "client");
  CHECK(merchant->conversations >= 1);
  CHECK(entity(r, "巴渝之星") == merchant);
}

TEST_CASE("gaps: a spreadsheet's row with an empty first cell keeps its columns (the client of 银杏湾业主答谢宴 is 银杏湾置业)", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "项目Projects/2026档期总表.csv",
                   "订单号,活动,类型,日期,场地,规模,客户/新人,负责人,状态\n"
                   "XYT-BK-20250612-03,陈吴婚礼,婚礼,2025-12-20,万悦酒店,28桌,陈诗涵/吴俊,许晴,已签约\n"
                   ",银杏湾业主答谢宴,企业,2026-01待定,待定,10桌左右,银杏湾置业,王浩然,询价\n");
  test::write_file(root / "聊天记录/企业微信_供应商协调群.txt",
                   "2025-12-01 10:00:00 王浩然\n银杏湾置业那边想 1 月搞个业主答谢宴，10 桌左右\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  const Entity* client = entity(r, "银杏湾置业");
  REQUIRE(client);
  CHECK(client->kind == "client");
  CHECK(client->write_up == Coverage::missing);
}

TEST_CASE("gaps: words of the language are no system's or project's name: 登录验证码, 推送小程序, 已交付项目", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "mail/v3.eml",
                   mail("家园通 <notice@jiayuantong.cn>", "【家园通】V3版本上线时间调整通知", "Tue, 2 Dec 2025 09:00:00 +0800",
                        "小程序端也需要等签名通过后才能发登录验证码。\n- 家长迁移（推送小程序）：2026-02-16 至 02-20\n明年起已交付项目 90 天后自动转冷存储。\n"));
  test::write_file(root / "聊天记录/企业微信_运营部.txt",
                   "2025-12-03 10:00:00 陈雅婷\n登录验证码收不到，推送小程序那边也没消息\n2025-12-04 10:00:00 许志鸿\n已交付项目要挪到冷存储\n");
  test::write_file(root / "聊天记录/微信_许志鸿.txt", "2025-12-05 10:00:00 许志鸿\n登录验证码好了，推送小程序下周，已交付项目清单我来整理\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  for (const char* not_one : {"验证码", "推送小程序", "已交付项目", "交付项目"}) {
    INFO(not_one);
    for (const auto& e : r.entities) CHECK(e.name != not_one);
  }
}

TEST_CASE("gaps: a farmers' cooperative is registered like a company (五常市稻香源水稻专业合作社)", "[gaps]") {
  test::TempDir root, data;
  test::write_file(root / "mail/xunjia.eml",
                   mail("姜春雨 <wcdxy_jiang@163.com>", "五常稻香源合作社询价：2026年水稻飞防服务", "Wed, 19 Nov 2025 09:00:00 +0800",
                        "我社（五常市稻香源水稻专业合作社）位于五常市民乐乡，拟通过比选确定飞防服务单位。\n\n姜春雨\n五常市稻香源水稻专业合作社 办公室\n"));
  test::write_file(root / "个人笔记/工作随手记.txt", "2025-11-20 五常稻香源发邮件询价，太远了，转给付晓楠先评估。\n");
  const GapReport r = analyse_folder(root, data);
  for (const auto& e : r.entities) UNSCOPED_INFO("entity: " << e.name << " " << e.kind);
  const Entity* coop = entity(r, "五常市稻香源水稻专业合作社");
  REQUIRE(coop);
  CHECK(coop->write_up == Coverage::missing);
}
