#include "baton/findings.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "baton/text.h"

using namespace baton;

namespace {

std::vector<Finding> of_kind(std::string_view text, FindingKind kind) {
  std::vector<Finding> out;
  for (Finding& f : scan_findings(text))
    if (f.kind == kind) out.push_back(std::move(f));
  return out;
}

std::vector<Finding> secrets(std::string_view text) {
  return of_kind(text, FindingKind::secret);
}
std::vector<Finding> markers(std::string_view text) {
  return of_kind(text, FindingKind::marker);
}
std::vector<Finding> references(std::string_view text) {
  return of_kind(text, FindingKind::reference);
}

/// The one secret on `text`, as "label value".
std::string secret(std::string_view text) {
  const auto found = secrets(text);
  if (found.size() != 1) return std::to_string(found.size()) + " secrets";
  return found[0].label + " " + found[0].value;
}

/// The references in `text`, as "label value" each.
std::vector<std::string> refs(std::string_view text) {
  std::vector<std::string> out;
  for (const Finding& f : references(text)) out.push_back(f.label + " " + f.value);
  return out;
}

std::string redacted(std::string_view text) {
  return redact_secrets(text);
}

using Strings = std::vector<std::string>;

}  // namespace

// ---- markers -----------------------------------------------------------------------------------

TEST_CASE("TODO, TBD and FIXME are markers as whole words in any case", "[findings]") {
  for (std::string_view line : {"TODO: 补充退款流程", "- [ ] todo 联系仓库", "价格 TBD", "FIXME 链接失效",
                                "【TODO】补联系人", "Todo：问财务", "(TBD)"}) {
    INFO(line);
    const auto found = markers(line);
    REQUIRE(found.size() == 1);
    CHECK(found[0].line == 1);
    CHECK(found[0].value.empty());
  }
  CHECK(markers("todo: x")[0].label == "TODO");
  CHECK(markers("fixme")[0].label == "FIXME");
}

TEST_CASE("words that merely contain a marker's letters are not markers", "[findings]") {
  for (std::string_view line : {"my todos for today", "用 Todoist 管理任务", "two TBDs left", "TODO_LIST = []",
                                "mastodon", "fixmes", "autodoc"}) {
    INFO(line);
    CHECK(markers(line).empty());
  }
}

TEST_CASE("Chinese markers, Traditional ones reported in Simplified", "[findings]") {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"联系人：待补充", "待补充"}, {"流程待完善", "待完善"},   {"字段待补全", "待补全"},
      {"报价（待填写）", "待填写"}, {"截图待更新", "待更新"},
      {"聯絡人：待補充", "待补充"}, {"流程待完善。", "待完善"}, {"欄位待補全", "待补全"},
      {"報價待填寫", "待填写"},
  };
  for (const auto& [line, label] : cases) {
    INFO(line);
    const auto found = markers(line);
    REQUIRE(found.size() == 1);
    CHECK(found[0].label == label);
  }
  CHECK(markers("等待补货").empty());
  // 待定 is the state of the work, not of its write-up; a marker in quotation marks is a word talked about.
  CHECK(markers("| 11-27 | 交接复盘会 | 周启明 | 时间待定 |").empty());
  CHECK(markers("资料不全的，把状态标成「待补充」，补齐后再改「在职」").empty());
  CHECK(markers("文档里写 \"TODO\" 的地方都要补").empty());
  REQUIRE(markers("「状态」待补充").size() == 1);
}

TEST_CASE("one marker per line, the first, with its line number", "[findings]") {
  const auto found = markers("交接文档\n\n待补充：客户联系人 TODO FIXME\r\nTBD 与 待定\r\n正文");
  REQUIRE(found.size() == 2);
  CHECK(found[0].line == 3);
  CHECK(found[0].label == "待补充");
  CHECK(found[0].excerpt == "待补充：客户联系人 TODO FIXME");
  CHECK(found[1].line == 4);
  CHECK(found[1].label == "TBD");
}

// ---- secrets: labelled values ------------------------------------------------------------------

TEST_CASE("a password after its label is a secret, masked", "[findings]") {
  const auto found = secrets("后台登录\n密码：Qh@2026shop（每季度改）");
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 2);
  CHECK(found[0].label == "password");
  CHECK(found[0].value == "Qh******");
  CHECK(found[0].excerpt == "密码：Qh******（每季度改）");
}

TEST_CASE("password labels in Chinese, English and Traditional, with every separator", "[findings]") {
  for (std::string_view line : {"密码：Qh@2026shop",
                                "密码:Qh@2026shop",
                                "密码 = Qh@2026shop",
                                "登录密码是Qh@2026shop",
                                "支付密码为 Qh@2026shop",
                                "口令：Qh@2026shop",
                                "password: Qh@2026shop",
                                "Password=Qh@2026shop",
                                "passwd: Qh@2026shop",
                                "pwd=Qh@2026shop",
                                "pass: Qh@2026shop",
                                "DB_PASSWORD=Qh@2026shop",
                                "dbPassword: Qh@2026shop",
                                "--pass=Qh@2026shop",
                                "密碼：Qh@2026shop",
                                "登入密碼：Qh@2026shop",
                                "密码＝Qh@2026shop",
                                "\"password\": \"Qh@2026shop\",",
                                "password: 'Qh@2026shop'",
                                "**密码**：Qh@2026shop",
                                "- **密码：** Qh@2026shop",
                                "【密码】Qh@2026shop",
                                "密码（测试环境）：Qh@2026shop",
                                "password (prod): Qh@2026shop",
                                "密码 Qh@2026shop",
                                "初始密码Qh@2026shop",
                                "(密码：Qh@2026shop)",
                                "| 密码 | Qh@2026shop |",
                                "The root password: Qh@2026shop.",
                                "Café password:Qh@2026shop",
                                "\xff密码:Qh@2026shop\xfe"}) {
    INFO(line);
    CHECK(secret(line) == "password Qh******");
  }
}

TEST_CASE("keys, secrets and tokens after their labels", "[findings]") {
  CHECK(secret("AppSecret: 3f2a9c8e7d6b5a4c") == "app_secret 3f******");
  CHECK(secret("app_secret=3f2a9c8e7d6b5a4c") == "app_secret 3f******");
  CHECK(secret("app secret：3f2a9c8e7d6b5a4c") == "app_secret 3f******");
  CHECK(secret("client_secret: 3f2a9c8e7d6b5a4c") == "app_secret 3f******");
  CHECK(secret("AccessKey Secret：Wq8ZrT5yUi0pLk3jHg") == "app_secret Wq******");
  CHECK(secret("secret = 3f2a9c8e7d6b5a4c") == "app_secret 3f******");
  CHECK(secret("API密钥：a8F3kd92LmQ0") == "api_key a8******");
  CHECK(secret("api key = a8F3kd92LmQ0") == "api_key a8******");
  CHECK(secret("apikey: a8F3kd92LmQ0") == "api_key a8******");
  CHECK(secret("X-API-Key: a8F3kd92LmQ0") == "api_key a8******");
  CHECK(secret("access key：a8F3kd92LmQ0") == "api_key a8******");
  CHECK(secret("接口密钥：a8F3kd92LmQ0") == "api_key a8******");
  CHECK(secret("金鑰：a8F3kd92LmQ0") == "api_key a8******");
  CHECK(secret("token: 1a2b3c4d5e6f") == "token 1a******");
  CHECK(secret("access_token=1a2b3c4d5e6f") == "token 1a******");
  CHECK(secret("AccessToken: 1a2b3c4d5e6f") == "token 1a******");
  CHECK(secret("令牌：1a2b3c4d5e6f") == "token 1a******");
  CHECK(secret("權杖：1a2b3c4d5e6f") == "token 1a******");
  CHECK(secret("私钥：MIIEvQIBADANBg") == "private_key ******");
}

TEST_CASE("an English label with only a space before a random value, as chats say it", "[findings]") {
  CHECK(secret("AppID wx7c2e9a41d0b35f68，AppSecret 3f9c1e7a52b04d8e96a1c0f27d4b8e53") == "app_secret 3f******");
  CHECK(secret("new API key 9fK2pQ7xV4mN8rT1aB3cD5eF, the old one stops on Friday") == "api_key 9f******");
  CHECK(secret("db password Xq7#mP2vL9 (prod)") == "password Xq******");
  // Prose, and values that are not random, are not.
  for (std::string_view line : {"password reset needed", "the token expired yesterday", "AppSecret rotation 2025Q3",
                                "password policy2024 applies", "secret santa list", "API key TBD",
                                // a manual's example, too short to be random
                                "CREATE USER davide WITH PASSWORD 'jw8s0F4';"}) {
    INFO(line);
    CHECK(secrets(line).empty());
  }
}

TEST_CASE("random letters are a credential, words and names are not", "[findings]") {
  CHECK(secret("密码：MIIEvQIBADANBg") == "password MI******");
  CHECK(secret("password: kQzPwLmRt") == "password kQ******");
  for (std::string_view line : {"password: AppSecret", "password: XMLHttpRequest", "password: iPhone_only"}) {
    INFO(line);
    CHECK(secrets(line).empty());
  }
}

TEST_CASE("weak passwords people really paste are flagged", "[findings]") {
  CHECK(secret("密码：123456") == "password ******");
  CHECK(secret("password: changeme") == "password ch******");
  CHECK(secret("password: password") == "password pa******");
  CHECK(secret("支付密码：886688") == "password ******");
  CHECK(secret("pwd=admin123") == "password ad******");
}

TEST_CASE("a value shorter than 8 characters shows nothing of itself", "[findings]") {
  CHECK(secret("密码：Qh@2026") == "password ******");
  CHECK(secret("密码：Qh@20261") == "password Qh******");
}

TEST_CASE("account/password pairs: the secret is the part after the slash", "[findings]") {
  CHECK(secret("账号/密码：admin/Qh@2026shop") == "password Qh******");
  CHECK(redacted("账号/密码：admin/Qh@2026shop") == "账号/密码：admin/••••••");
  CHECK(redacted("user / password: admin / Qh@2026shop") == "user / password: admin / ••••••");
  // No password label at all: an account given as user / password.
  CHECK(secret("  堡垒机出问题时的应急账号：emergency / Hm#Jump2024!qz") == "password Hm******");
  CHECK(secret("login: ops01/Sj@Hq2026!ops") == "password Sj******");
  for (std::string_view line : {"账号/密码见保管库", "应急账号：emergency / ${JUMP_PASSWORD}", "账号：ops01 / 向IT申请",
                                "账号清单见 docs/Runbook2024-v3.md", "account: https://sso.example.cn/Login2024?x=1",
                                "账号开通日期 2024/11/20", "账号：ops01 / ops02 / ops03"}) {
    INFO(line);
    CHECK(secrets(line).empty());
  }
  // Without a word for the account, a password with all four kinds of character: a notes line, a chat message.
  CHECK(secret("安澜e站 RH_JS_0318 / Anl@n#0318js （11月改过）") == "password An******");
  CHECK(secret("ruihong_tmp / Qy#tmp1118!") == "password Qy******");
  for (std::string_view line : {"RH_JS_0318 / Anl0318js", "ldap://host.com:6666/o=University%20of%20Michigan,c=US??sub?(cn=Babs%20Jensen)",
                                "http://216.229.129.46:8080/Ss?Click&cunard&3be09795", "价格 100 / Box#12kg!"}) {
    INFO(line);
    CHECK(secrets(line).empty());
  }
}

TEST_CASE("a token given after a colon later in the sentence that names it, and a CSV cell is its own sentence", "[findings]") {
  const std::string chat = "4105,17,1,0,0,1763518350,2,新接口token先发群里给杜明他们测：lyb_tk_9f2e61c4a7d85b03e6f1a29c4d7b8e05,"
                           "2025-11-19 10:12:30,对接群,冯伟,fengwei_sld";
  CHECK(secret(chat) == "token ly******");
  CHECK(secret("API 密钥已经发你邮箱，测试环境的：sk_9f2e61c4a7d85b03e6f1") == "api_key sk******");
  for (std::string_view line : {"token 的有效期：2025-12-31", "新接口token先发群里给杜明他们测：见群公告",
                                "token 换过了。新的问唐晓：tangxiao_2025_ops_account",
                                // the account column of an account list is no password because another column speaks of one
                                "融付通商户平台,SL-HZ-op01,操作员,密码已改，新密码在保管库,许晴,商户号 8927 5501 3306 012",
                                // nor is a role's projects in brackets, part of a cell that says nothing of a password
                                "ClinBase EDC,hanzy@zhilin-cro.com,中心管理员(RK-101/HJ-2201),韩志远,密码见保管库（1Password 临床运营库）,吴立群",
                                "| ClinBase EDC | hanzy | 中心管理员(RK-101/HJ-2201) | 密码见保管库 |"}) {
    INFO(line);
    CHECK(secrets(line).empty());
  }
}

TEST_CASE("a value ends at Chinese text, full-width punctuation, spaces and the next query parameter", "[findings]") {
  CHECK(redacted("密码：Qh@2026shop（每季度改）") == "密码：••••••（每季度改）");
  CHECK(redacted("密码：Qh@2026shop，用户名 admin") == "密码：••••••，用户名 admin");
  CHECK(redacted("密码：Qh@2026shop 每季度改") == "密码：•••••• 每季度改");
  CHECK(redacted("密码是Qh@2026shop。") == "密码是••••••。");
  CHECK(redacted("/login?user=admin&password=Qh2026x&lang=zh") == "/login?user=admin&password=••••••&lang=zh");
  CHECK(redacted("password: \"Qh@2026shop\";") == "password: \"••••••\";");
}

TEST_CASE("labelled values that are not credentials are not flagged", "[findings]") {
  for (std::string_view line :
       {// The report must not cry wolf over the usual ways of saying where a password is.
        "密码：见 1Password 保管库", "密码由张三保管，找他要", "登录密码请向 IT 申请", "password: ask IT",
        "password: <your password>", "密码：******", "密码：xxxxxx", "忘记密码怎么办",
        "reset your password in the portal", "密码修改流程", "token 过期后重新登录", "Token: (see vault)",
        "API key is stored in Vault at secret/shop/api", "修改支付密码需要短信验证",
        // And the ways code, forms and templates mention them.
        "password: required", "token: string;", "password = os.environ['DB_PASS']", "password=$DB_PASSWORD",
        "password: ${DB_PASSWORD}", "password: {{ vault_password }}", "api_key: YOUR_API_KEY",
        "脚本里用环境变量：`export RATESENSE_API_KEY=${RATESENSE_API_KEY}`",
        "api_key: your-api-key-here", "密码：Qh****", "密码：同上", "密码：手机号后 6 位", "密码：8 位以上，含大小写",
        "修改密码 2024-06-01 前完成", "token: process.env.SHOP_TOKEN", "密码：（空）", "私钥 ~/.ssh/id_rsa",
        "password: https://vault.example.com/shop", "passport: E12345678", "bypass: abc12345", "密码强度：Strong1",
        "AccessKey ID: LTAI5tQh2026shop", "| 账号 | 密码 | 备注 |", "pwd: /home/ops",
        // Lines from the manuals in the shared corpus.
        "group_name:password:GID:user_list", "--root-password=PASSWORD, --root-password-file=PATH",
        "说明这个账号没有口令(Lanman Password Hash", "不能修改用户的NIS密码,shell和GECOS信息",
        "请求用户输入 ssh-add 密码 (GNOME)", "$pwd = (getpwuid($<))[1];"}) {
    INFO(line);
    CHECK(secrets(line).empty());
  }
}

TEST_CASE("a password said in a sentence, as chats say it", "[findings]") {
  CHECK(secret("速检后台 ops01 的密码我改了，之前那个外包的人也知道。新的是 Sj@Hq2026!ops ，大家别外传") ==
        "password Sj******");
  CHECK(secret("the password for the staging box is now Tr0ub4dor&3, don't share it.") == "password Tr******");
  CHECK(secret("临时密码 **Gs#Ext2025!rev**，用完就改") == "password Gs******");
  // A CSV export's row: the message's fields one by one, not the row's run of ids and times.
  CHECK(secret("1011,wxid_gcy0917hh,1,0,1,1750067419,2,Jyt@2025ls# 是新的密码,2025-06-16 17:50:19") == "password Jy******");
  // Not without a password word, nor a value of one or two kinds, an address, a date or an option.
  for (std::string_view line : {"新的是 Sj@Hq2026!ops", "密码发到 ops01@example.cn 了", "密码 2026-12-01 起统一改",
                                "密码改成 rooms2026 了吗？问一下",
                                "账号：lcxl_bd01，密码同样放在 1Password「调度组」保险库", "重置密码见 https://sso.example.cn/Reset?x=1",
                                // a connection string's host, port and database beside a placeholder account
                                "- 连接串格式：Data Source=192.168.20.21:1521/HISDB;User Id=<只读账号>;Password=<见保管库>",
                                // a host key's fingerprint, to compare, is public
                                "首次连接时提示的主机指纹：SHA256:qV3l8Yk2Xz0pH7mN4rT9wB6cF1dS5aE8gJ2uK0oL3iM（服务器公钥指纹，不是密码）",
                                "密码登录已关，指纹 MD5:3f:9a:1c:77:02:bd:e4:55:90:6a:c8:11:f0:2e:7b:c1",
                                // a product's name in bold is no password of three kinds of character
                                "1. **08:30 登录 RateSense**（企业邮箱 SSO）。SSO 用的是企业邮箱密码，每 90 天强制修改一次",
                                "--root-password=PASSWORD, --root-password-file=PATH", "密码规则：ABC 开头 + 8 位数字",
                                // a chat export's row: the group's id is a name at a host, not the password
                                // where the passwords are kept: a Windows share and a drive, not a password
                                "1011,wxid_gcy0917hh,1,0,1,1750067419,2,U8的密码我单独发你了，别存群里,2025-06-16 17:50:19,顾晨阳",
                                "说明：密码统一放质量部 KeePass 库（\\\\cr-fs01\\质量部\\keepass\\quality.kdbx），主密码在邵经理处",
                                "密码文件在 D:\\keys\\ops.kdbx 里",
                                "1045 | 24518836902@chatroom | 1 | 0 | 1730882575 | 敏姐这个别发群里呀，回头让信息中心改一下密码 | "
                                "2024-11-06 16:42:55 |  | 周雅琴 | wxid_zyq0815"}) {
    INFO(line);
    CHECK(secrets(line).empty());
  }
}

// ---- secrets: tables ---------------------------------------------------------------------------

TEST_CASE("a table with a password column: its cells are secrets", "[findings]") {
  const std::string table =
      "| 系统 | 账号 | 密码 | 备注 |\n"
      "| --- | --- | :---: | --- |\n"
      "| 后台账号 | admin | Qh@2026shop | 每季度改 |\n"
      "| ERP | ops01 | Erp#88990011 | |\n"
      "| 邮箱 | ops@shop.com | 见 1Password | |\n"
      "\n"
      "| 后台账号 | admin | Qh@2026shop | 表格外 |\n";
  const auto found = secrets(table);
  REQUIRE(found.size() == 2);
  CHECK(found[0].line == 3);
  CHECK(found[0].label == "password");
  CHECK(found[0].value == "Qh******");
  CHECK(found[0].excerpt == "| 后台账号 | admin | Qh****** | 每季度改 |");
  CHECK(found[1].line == 4);
  CHECK(redacted(table).find("| 后台账号 | admin | •••••• | 每季度改 |\n| ERP | ops01 | •••••• | |") !=
        std::string::npos);
}

TEST_CASE("a row without a header naming a password column is not guessed at", "[findings]") {
  CHECK(secrets("| 后台账号 | admin | Qh@2026shop |").empty());
  CHECK(secrets("| 系统 | 账号 | 说明 |\n|---|---|---|\n| 后台账号 | admin | Qh@2026shop |").empty());
}

TEST_CASE("spreadsheet rows joined by \" | \" follow their header while the cell count matches", "[findings]") {
  const std::string sheet =
      "系统 | 账号 | 登录密码\n"
      "后台 | admin | Qh@2026shop\n"
      "ERP | ops01 | Erp#88990011\n"
      "邮箱 | Erp#88990011\n";  // a cell was empty and dropped: the columns no longer line up
  const auto found = secrets(sheet);
  REQUIRE(found.size() == 2);
  CHECK(found[0].line == 2);
  CHECK(found[1].line == 3);
}

TEST_CASE("a CSV file's password column: its fields are secrets, quoted commas kept", "[findings]") {
  const std::string csv =
      "系统,用途,登录地址,账号,持有人,密码/凭证,备注\n"
      "薪云HR,\"薪资计算,员工档案\",https://app.xinyun-hr.com/hz,hz_admin,林晓雯,Hz@xy2025!ops,交接完改密\n"
      "薪云HR,日常操作,https://app.xinyun-hr.com/hz,zhouhao,周皓,个人自己设,\n"
      "鹊桥工单,工单,https://qq.example.cn,ops,周皓,见保管库,\n";
  const auto found = secrets(csv);
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 2);
  CHECK(found[0].label == "password");
  CHECK(redacted(csv).find("Hz@xy2025!ops") == std::string::npos);
  // Prose with commas is no CSV row (uri(7)).
  CHECK(secrets("supplies a username but no password,  and  the  remote  server  requests  a\n"
                "password,  the  program  interpreting the URL should request one from the\n").empty());
}

TEST_CASE("an account/password column and key/value tables", "[findings]") {
  CHECK(redacted("| 系统 | 账号/密码 |\n|--|--|\n| 后台 | admin/Qh@2026shop |") ==
        "| 系统 | 账号/密码 |\n|--|--|\n| 后台 | admin/•••••• |");
  const std::string kv = "| 项目 | 内容 |\n|---|---|\n| 账号 | shop_admin |\n| 密码 | Qh@2026shop |\n| 备注 | 2FA |";
  const auto found = secrets(kv);
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 4);
}

// ---- secrets: shapes without labels -------------------------------------------------------------

TEST_CASE("well-known token shapes are secrets without a label", "[findings]") {
  const std::string jwt =
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
  CHECK(secret("AWS 用的是 AKIAIOSFODNN7EXAMPLE 这个") == "api_key AK******");
  CHECK(secret("ghp_0123456789abcdefABCDEF0123456789abcd") == "token gh******");
  CHECK(secret("推送用 github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz") == "token gi******");
  CHECK(secret("机器人 xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOp") == "token xo******");
  CHECK(secret("OPENAI=sk-Ab12Cd34Ef56Gh78Ij90Kl12") == "api_key sk******");
  CHECK(secret("OPENAI=sk-proj-Ab12Cd34_Ef56-Gh78Ij90Kl12") == "api_key sk******");
  CHECK(secret("- 我们在用的 Key：sk-sy-7Qm2Lr8VfT4nXc9aKd3WpE6hJz1BoY5u") == "api_key sk******");
  CHECK(secret("key AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q") == "api_key AI******");
  CHECK(secret("登录后拿到 " + jwt + " 放请求头") == "token ey******");
  CHECK(secret("Authorization: Bearer 7fQ2kLm9Xa0bC3dE5fG7hJ") == "token 7f******");
  CHECK(redacted("curl -H 'Authorization: Bearer 7fQ2kLm9Xa0bC3dE5fG7hJ' ...") ==
        "curl -H 'Authorization: Bearer ••••••' ...");
}

TEST_CASE("near misses of token shapes are not secrets", "[findings]") {
  for (std::string_view line :
       {"AKIA1234", "we use sk-learn and risk-free-assessments-for-everyone",
        "sk-ecdsa-sha2-nistp256@openssh.com,sk-ssh-ed25519@openssh.com", "ask-me-anything-about-the-shop-config",
        "eyJhbGciOiJIUzI1NiJ9 alone", "Bearer authentication is used", "Bearer <token>", "task_xoxb-abc"}) {
    INFO(line);
    CHECK(secrets(line).empty());
  }
}

TEST_CASE("more well-known credential formats: Stripe and its like, Amazon LWA, GitLab, Shopify", "[findings]") {
  CHECK(secret("STRIPE_KEY=sk_test_4eC39HqLyjWDarjtT1zdp7dc") == "api_key sk******");
  CHECK(secret("限权 key rk_live_51HxQm7RtZ8vLw3NbH6cYd1PaE5gUj 给财务") == "api_key rk******");
  CHECK(secret("rk_test_51HxQm7RtZ8vLw3NbH6cYd1PaE5gUj") == "api_key rk******");
  CHECK(secret("webhook 签名 whsec_Qm7RtZ8vLw3NbH6cYd1PaE5gUj4f") == "app_secret wh******");
  CHECK(secret("sp_live_4f9Kx2Qm7RtZ8vLw3NbH6cYd1PaE5gUj") == "api_key sp******");
  CHECK(secret("Atzr|IwEBgUg5pDml9rQoHdHmZ4utwgK33hX7gdCQ32EKF58pCnPNdptPqkBlGKmJL--dA796lAJ8XhtJXLYWGCy") ==
        "token At******");
  CHECK(secret("access_token 先用 Atza|IwEBIKq3Fv9Lm2Xz8RtY4NpQw7HcJ5sDk1GbVu6ZeAo0fMi 一小时过期") == "token At******");
  CHECK(secret("CI 用 glpat-Qm7RtZ8vLw3NbH6cYd1P") == "token gl******");
  CHECK(secret("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") == "token sh******");
  CHECK(secret("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") == "app_secret sh******");
  CHECK(redacted("refresh_token 在这：Atzr|IwEBgUg5pDml9rQoHdHmZ4utwgK33hX7gdCQ32EKF58pCnPNdpt，别外传") ==
        "refresh_token 在这：••••••，别外传");
  CHECK(redacted("key: sp_live_4f9Kx2Qm7RtZ8vLw3NbH6cYd1PaE5gUj.") == "key: ••••••.");
}

TEST_CASE("near misses of the new credential formats are not secrets", "[findings]") {
  for (std::string_view line :
       {"sk_live_****", "sk_live_****************", "密钥 sk_test_xxxxxxxxxxxxxxxxxxxxxxxx", "sk_test_1234",
        "run_test_all_the_modules_in_this_repository", "sp_live_abcdefghijklmnopqrstuvwx",
        "sp_live_ABCDEFGH12345678IJKLMNOP", "AKIAXXXXXXXXXXXXXXXX", "mode_live_4f9Kx2Qm7RtZ8vLw3NbH6cYd1PaE5gUj", "Atzr|IwEB",
        "Atzr|xxxx", "shpat_Qm7RtZ8vLw3NbH6cYd1PaE5gUj4f9K", "glpat-short", "whsec_****",
        "前端用 pk_live_4f9Kx2Qm7RtZ8vLw3NbH6cYd1PaE5gUj（可公开）"}) {
    INFO(line);
    CHECK(secrets(line).empty());
  }
}

// ---- secrets: values announced on the line before ---------------------------------------------

TEST_CASE("a value alone on the line under one that announces a credential is a secret", "[findings]") {
  const std::string wechat =
      "2025-06-10 14:31:27 林可欣\n"
      "日报脚本要接 SellerPilot 的广告数据，黄工让我把 API key 发他，我先贴这里大家别外传\n"
      "Qm7RtZ8vLw3NbH6cYd1PaE5gUj4f9Kx2\n"
      "\n"
      "2025-06-10 14:33:50 邓晓雯\n"
      "@林可欣 key 别发群里啊…… 下次私发黄志勇\n";
  auto found = secrets(wechat);
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 3);
  CHECK(found[0].label == "api_key");
  CHECK(found[0].value == "Qm******");
  CHECK(found[0].excerpt == "Qm******");
  CHECK(redacted(wechat).find("Qm7RtZ8vLw3NbH6cYd1PaE5gUj4f9Kx2") == std::string::npos);
  CHECK(redacted(wechat).find("我先贴这里大家别外传\n••••••\n\n") != std::string::npos);

  CHECK(secret("日报脚本那边我先用现在的 refresh token 顶着，你确认一下是不是这个：\n"
               "IwEBgUg5pDml9rQoHdHmZ4utwgK33hX7gdCQ32EKF58pCnPNdptPqkBlGKmJL--dA796lAJ8Xh") == "token Iw******");
  CHECK(secret("ERP 新密码发你了：\nQh@2026shop!") == "password Qh******");
  CHECK(secret("新密码如下\nQh@2026shop!（测试环境）") == "password Qh******");
  CHECK(secret("Secret:\n  q7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE") == "app_secret q7******");
  CHECK(secret("开放平台的密钥如下\n`q7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE`") == "api_key q7******");
  CHECK(secret("token：\nq7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE  （测试环境）") == "token q7******");
  CHECK(secret("API key 是下面这个\n3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c") == "api_key 3f******");
  CHECK(secret("The deploy token is\n> q7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE") == "token q7******");
  CHECK(secret("API key:\n```\nq7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE\n```") == "api_key q7******");
  CHECK(secret("apiKey for staging:\nq7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE") == "api_key q7******");
  // AK/SK: two lines under one announcement.
  const auto pair = secrets("阿里云 AK/SK 如下：\nLTAI5tQ8mZ3kP9xW2vN7rB4c\nq7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE\n");
  REQUIRE(pair.size() == 2);
  CHECK(pair[0].line == 2);
  CHECK(pair[1].line == 3);
  CHECK(redacted("AK/SK：\nLTAI5tQ8mZ3kP9xW2vN7rB4c\nq7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE") == "AK/SK：\n••••••\n••••••");
  // The access key id of a well-known form, the secret under it of none.
  CHECK(redacted("AWS AK/SK：\nAKIAIOSFODNN7EXAMPLE\nwJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\n") ==
        "AWS AK/SK：\n••••••\n••••••\n");
  // At most three lines under one announcement, and a line of prose ends them.
  CHECK(secrets("keys:\nq7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE\nr8Jg0LeM3nYw9QaS5uZx7OcD2tK4vF\n"
                "s9Kh1MfN4oZx0RbT6vAy8PdE3uL5wG\nt0Li2NgO5pAy1ScU7wBz9QeF4vM6xH\n")
            .size() == 3);
  CHECK(secrets("API key:\nq7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE\n用完记得删\nr8Jg0LeM3nYw9QaS5uZx7OcD2tK4vF\n").size() == 1);
  // Words before a random tail are a vendor's prefix, not the name of something.
  CHECK(secret("SupplyDesk 的接口 token 给你，ASN 我是用脚本传的：\nsdk_live_tok_9fK2pQ7xV4mN8rT1wZ6yB3cH5jL0sD") ==
        "token sd******");
}

TEST_CASE("what follows an announcement but is no credential, or follows none, is not flagged", "[findings]") {
  for (std::string_view text : {
           // no value, or none on the next line
           "密码见保管库", "密码见保管库\n2025-06-10 14:33:50 邓晓雯", "密码向IT申请\n找王磊", "API key 别发群里\n\n"
           "q7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE",
           "上次的日报数据\nq7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE",
           "API key:\nq7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE and the rest of a sentence",
           // placeholders and masked values
           "API key:\n${API_KEY}", "token:\n{{token}}", "API key:\nsk_live_****", "密钥：\n****************",
           "token:\n<your-token-here>", "密钥：\nxxxxxxxxxxxxxxxxxxxxxxxx",
           // public identifiers and bare words
           "app_key 是：\n6a1b2c3d4e5fAbCd7a8b9c0d", "AppKey:\n6a1b2c3d4e5fAbCd7a8b9c0d", "AppID：\nwx8f3a9b2c1d4e5f6a",
           "AppSecret 你去开放平台后台看，别发群里\nAppSecret", "public key:\nq7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE",
           "primary key of the table:\nq7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE", "key id:\nq7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE",
           "keyboard layout\nq7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE",
           // locations, files, settings
           "token 接口地址：\nhttps://api.example.com/v1/token?x=AbC123dEf456", "密钥文件放在：\n/etc/keys/Prod2025Key.pem",
           "密钥在附件里：\nProd_2025_Key_Backup.xlsx", "密码走环境变量：\nDB_HOST=127.0.0.1", "token 服务：\napi2.shopTools.example.com",
           "密码重置发到：\nOps2025@bluebridge-ec.cn",
           // numbers, dates, ids, hashes
           "订单号（不是密码）：\n112-1234567-1234567", "token 查询的运单号:\n1Z999AA10123456784",
           "密码重置的手机号：\n13812345678", "密码有效期到：\n2025-06-30", "token 对应的设备 ID：\n550e8400-e29b-41d4-a716-446655440000",
           "sha256 checksum of the release key:\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
           "安装包的校验值（不是密钥）：\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
           "token 批次号：\nSO2025060100123456", "密钥版本：\nv2.3.1-rc4",
           // manuals: option names, wrapped sentences, paths in parentheses (false positives once)
           "       PasswordAuthentication\n       PKCS11Provider", "keys are kept by the\nBase64Encoder2Factory",
           "你需要在共享定义中指定用户列表以便进行口令验证.对于象Win‐\ndos95/98和WindowsNT这样的现代客户端",
           "enable access points via a shared secret\n(/etc/freeradius/3.0/clients.conf)."}) {
    INFO(text);
    CHECK(secrets(text).empty());
  }
}

TEST_CASE("secret_values and redact_secrets with known values: the file's secrets redacted where lines are joined",
          "[findings]") {
  const std::string file = "2025-06-10 14:31:27 林可欣\n我先贴这里大家别外传 API key:\nq7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE\n";
  const auto known = secret_values(file);
  REQUIRE(known == Strings{"q7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE"});
  // The chat extractor joins a message's lines: the announcement no longer stands on the line before.
  const std::string joined = "14:31:27 林可欣: 我先贴这里大家别外传 API key: 看下 q7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE 谢谢";
  CHECK(redact_secrets(joined).find("q7Hf9KdL2mXv8PzR4tYw6NbC1sJ3uE") != std::string::npos);
  std::size_t n = 0;
  CHECK(redact_secrets(joined, known, &n) == "14:31:27 林可欣: 我先贴这里大家别外传 API key: 看下 •••••• 谢谢");
  CHECK(n == 1);
  // Found both ways: one redaction. Values under 6 bytes are not looked for.
  CHECK(redact_secrets("密码：Qh@2026shop", {"Qh@2026shop", "abc"}) == "密码：••••••");
  CHECK(redact_secrets("abc abcd", {"abc"}) == "abc abcd");
  CHECK(secret_values("nothing here").empty());
}

TEST_CASE("connection strings: the password between user and host", "[findings]") {
  CHECK(secret("DATABASE_URL=mysql://shop:Qh2026db!@10.0.0.5:3306/shop") == "connection_string Qh******");
  CHECK(redacted("mongodb+srv://ops:Qh2026db@cluster0.example.net/db") ==
        "mongodb+srv://ops:••••••@cluster0.example.net/db");
  CHECK(redacted("redis://:Qh2026redis@cache:6379") == "redis://:••••••@cache:6379");
  // A '#' in the password is no fragment: an '@' comes after it.
  CHECK(secret("mysql://heyue_ro:Rk8#vP2q!Lz7w@10.20.3.16:3306/heyue_prod") == "connection_string Rk******");
  for (std::string_view line : {"mysql://root:${DB_PASS}@db/shop", "https://example.com/a?b=c", "https://example.com#user:pass",
                                "postgres://shop@db/shop", "mysql://root:<password>@db", "ftp://user:****@host"}) {
    INFO(line);
    CHECK(secrets(line).empty());
  }
}

// ---- secrets: private keys ---------------------------------------------------------------------

TEST_CASE("a PEM private key: one finding at BEGIN, the whole body redacted", "[findings]") {
  const std::string text =
      "服务器私钥如下：\n"
      "-----BEGIN RSA PRIVATE KEY-----\n"
      "Proc-Type: 4,ENCRYPTED\n"
      "MIIEowIBAAKCAQEAwX9q2tTODOabc+def/ghi==\n"
      "\n"
      "TODO see 操作手册/a.md\n"
      "bXlrZXkgaXMgbm90IGEgcmVhbCBrZXk=\n"
      "-----END RSA PRIVATE KEY-----\n"
      "用完删掉 TODO\n";
  const auto found = scan_findings(text);
  REQUIRE(found.size() == 2);
  CHECK(found[0].kind == FindingKind::secret);
  CHECK(found[0].line == 2);
  CHECK(found[0].label == "private_key");
  CHECK(found[0].value == "******");
  CHECK(found[0].excerpt == "-----BEGIN RSA PRIVATE KEY-----");
  CHECK(found[1].kind == FindingKind::marker);  // the body's lines are not read for markers or references
  CHECK(found[1].line == 9);
  std::size_t n = 0;
  CHECK(redact_secrets(text, &n) ==
        "服务器私钥如下：\n-----BEGIN RSA PRIVATE KEY-----\n••••••\n-----END RSA PRIVATE KEY-----\n用完删掉 TODO\n");
  CHECK(n == 1);
}

TEST_CASE("private keys with CRLF, inline in JSON, OpenSSH and unterminated", "[findings]") {
  CHECK(redacted("-----BEGIN PRIVATE KEY-----\r\nMIIEvQIBADANBg\r\nkqhkiG9w0BAQEF\r\n-----END PRIVATE KEY-----\r\n") ==
        "-----BEGIN PRIVATE KEY-----\r\n••••••\r\n-----END PRIVATE KEY-----\r\n");
  CHECK(redacted(R"({"private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n"})") ==
        R"({"private_key": "-----BEGIN PRIVATE KEY-----••••••-----END PRIVATE KEY-----\n"})");
  CHECK(redacted("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----") ==
        "-----BEGIN OPENSSH PRIVATE KEY-----\n••••••\n-----END OPENSSH PRIVATE KEY-----");
  CHECK(
      redacted("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY/PuoAoGCCqGSM49\n") ==
      "-----BEGIN EC PRIVATE KEY-----\n••••••\n");
  CHECK(secrets(
            "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----")
            .empty());
}

// ---- redaction ---------------------------------------------------------------------------------

TEST_CASE("redact_secrets leaves text without secrets byte for byte", "[findings]") {
  std::string text =
      "# 交接文档\r\n\r\n退款流程见 操作手册/退款.md。TODO 补截图\n密码由张三保管，找他要\n"
      "| 账号 | 密码 |\n|---|---|\n| admin | 见保管库 |\n\t缩进  两个空格  \n《客服工单流转规则》\n"
      "mixed 中文 and English, 全角：标点；\xff\xfe invalid bytes";
  text += '\0';
  text += " and a NUL\n";
  std::size_t n = 99;
  CHECK(redact_secrets(text, &n) == text);
  CHECK(n == 0);
  CHECK(redact_secrets("") == "");
}

TEST_CASE("redact_secrets replaces every kind of secret and keeps the labels", "[findings]") {
  const std::string text =
      "后台 admin 密码：Qh@2026shop（每季度改）\n"
      "api_key=sk-Ab12Cd34Ef56Gh78Ij90Kl12\n"
      "DB: postgres://ops:Pg2026pass@db:5432/shop\n"
      "AWS AKIAIOSFODNN7EXAMPLE\n"
      "密碼：Tw2026@shop\n";
  std::size_t n = 0;
  CHECK(redact_secrets(text, &n) ==
        "后台 admin 密码：••••••（每季度改）\n"
        "api_key=••••••\n"
        "DB: postgres://ops:••••••@db:5432/shop\n"
        "AWS ••••••\n"
        "密碼：••••••\n");
  CHECK(n == 5);
  CHECK(secrets(text).size() == 5);
  CHECK(secrets(redact_secrets(text)).empty());  // redacting twice changes nothing more
}

// ---- references --------------------------------------------------------------------------------

TEST_CASE("Markdown links and images to files are references, URLs and anchors are not", "[findings]") {
  CHECK(refs("流程见[退款流程](操作手册/退款流程.md#%E9%80%80%E6%AC%BE)") == Strings{"link 操作手册/退款流程.md"});
  CHECK(refs("[手册](./docs/%E9%80%80%E6%AC%BE.md)") == Strings{"link ./docs/退款.md"});
  CHECK(refs("![截图](images/后台.png \"后台\")") == Strings{"link images/后台.png"});
  CHECK(refs("[规则](<客服 规则.md>)") == Strings{"link 客服 规则.md"});
  CHECK(refs("[官网](https://example.com/a.md) [邮件](mailto:a@b.com) [上面](#联系人) [x](//cdn.example.com/a.md)")
            .empty());
  CHECK(refs("[a](b.md) and [c](b.md#x)") == Strings{"link b.md"});
}

TEST_CASE("file names in running text, Chinese or English, without the words around them", "[findings]") {
  CHECK(refs("流转规则见 操作手册/客服工单流转.md。") == Strings{"path 操作手册/客服工单流转.md"});
  CHECK(refs("流转规则见操作手册/客服工单流转.md。") == Strings{"path 操作手册/客服工单流转.md"});
  CHECK(refs("客户名单（详见客户清单.xlsx）") == Strings{"path 客户清单.xlsx"});
  CHECK(refs("请参考2024年报价单.xlsx，别用旧的") == Strings{"path 2024年报价单.xlsx"});
  CHECK(refs("常见问题.md 里有") == Strings{"path 常见问题.md"});
  CHECK(refs("参考资料.md") == Strings{"path 参考资料.md"});
  CHECK(refs("上周的客户见面记录.md") == Strings{"path 上周的客户见面记录.md"});
  CHECK(refs("这个文件是客户清单.xlsx") == Strings{"path 客户清单.xlsx"});
  CHECK(refs("模板放在`templates/退款申请.docx`里") == Strings{"path templates/退款申请.docx"});
  CHECK(refs("See docs/refund-policy.md. Then handover_2024.pdf!") ==
        Strings{"path docs/refund-policy.md", "path handover_2024.pdf"});
  CHECK(refs("共享盘 D:\\交接\\客户.xlsx 里") == Strings{"path D:\\交接\\客户.xlsx"});
  CHECK(refs("报价单(1).xlsx 是最新的") == Strings{"path 报价单(1).xlsx"});
  CHECK(refs("目录中的BROWSING.txt文件") == Strings{"path BROWSING.txt"});
  CHECK(refs("见docs/目录下的Speed.txt") == Strings{"path Speed.txt"});
  CHECK(refs("对账步骤详见 sops/月结对账SOP.md") == Strings{"path sops/月结对账SOP.md"});  // an acronym is part of the name
  CHECK(refs("客户A.xlsx、报价单_final.xlsx、用户手册v2.pdf") ==
        Strings{"path 客户A.xlsx", "path 报价单_final.xlsx", "path 用户手册v2.pdf"});
  CHECK(refs("见 a.md 和 b.MD，再看 a.md") == Strings{"path a.md", "path b.MD"});
  CHECK(refs("Mail archive: 2024.mbox, chat.csv, 记录.txt, 演示.pptx, 旧表.xls, 说明.odt, page.htm") ==
        Strings{"path 2024.mbox", "path chat.csv", "path 记录.txt", "path 演示.pptx", "path 旧表.xls", "path 说明.odt",
                "path page.htm"});
  // A screen recording or a bundle the handover points to is a file it should hold too.
  CHECK(refs("操作录屏见 系统说明/ERP操作录屏_下单.mp4（何俊录的），资料包 旧资料/2023归档.zip") ==
        Strings{"path 系统说明/ERP操作录屏_下单.mp4", "path 旧资料/2023归档.zip"});
}

TEST_CASE("things that end like a document but are none are not references", "[findings]") {
  for (std::string_view line : {"https://example.com/guide.html", "www.example.com/a.html", "all *.md files",
                                "the .md extension", "checksum.md5", "backup.txt.gz", "draft.md-old", "v1.2", "backup.zip.001"}) {
    INFO(line);
    CHECK(references(line).empty());
  }
}

TEST_CASE("a link's own text is not reported again as a path", "[findings]") {
  CHECK(refs("[客户清单.xlsx](客户/客户清单.xlsx)") == Strings{"link 客户/客户清单.xlsx"});
}

TEST_CASE("titles in book-title marks", "[findings]") {
  CHECK(refs("按《客服工单流转规则》处理") == Strings{"title 客服工单流转规则"});
  CHECK(refs("見《客服工單流轉規則》") == Strings{"title 客服工單流轉規則"});
  CHECK(refs("《退款规则》和《退款规则》还有《发票说明》") == Strings{"title 退款规则", "title 发票说明"});
  CHECK(refs("《》《a》").empty());
  CHECK(refs("《" + std::string(41, 'x') + "》").empty());
  CHECK(refs("他说《今天不行，明天再说》").empty());
  CHECK(refs("《未闭合的标题").empty());
  CHECK(refs("《《嵌套》").size() == 1);
}

// ---- lines, excerpts, mixed text ---------------------------------------------------------------

TEST_CASE("a mixed line reports its marker, its secrets, then its references", "[findings]") {
  const auto found = scan_findings(
      "前言\r\nTODO 把 Stripe key 搬到 vault：api_key=sk_live_AbCdEf0123456789GhIjKl 见 docs/支付配置.md");
  REQUIRE(found.size() == 3);
  for (const Finding& f : found) CHECK(f.line == 2);
  CHECK(found[0].kind == FindingKind::marker);
  CHECK(found[1].kind == FindingKind::secret);
  CHECK(found[1].label == "api_key");
  CHECK(found[1].value == "sk******");
  CHECK(found[2].kind == FindingKind::reference);
  CHECK(found[2].value == "docs/支付配置.md");
  CHECK(found[0].excerpt == "TODO 把 Stripe key 搬到 vault：api_key=sk****** 见 docs/支付配置.md");
}

TEST_CASE("excerpts are trimmed, masked and cut at a character boundary", "[findings]") {
  std::string line = "   密码：Qh@2026shop ";
  for (int i = 0; i < 100; ++i) line += "退款";
  const auto found = secrets(line);
  REQUIRE(found.size() == 1);
  const std::string& excerpt = found[0].excerpt;
  CHECK(excerpt.starts_with("密码：Qh****** 退款"));
  CHECK(excerpt.ends_with("…"));
  CHECK(excerpt.size() <= 160 + std::string("…").size());
  CHECK(is_utf8(excerpt));
  CHECK(excerpt.find("Qh@2026") == std::string::npos);
  CHECK(markers("  TODO 补充  \t")[0].excerpt == "TODO 补充");
}

TEST_CASE("a secret never shows whole in a finding", "[findings]") {
  const std::string values[] = {"Qh@2026shop", "123456", "a8F3kd92LmQ0", "Erp#88990011"};
  for (const std::string& v : values) {
    for (const Finding& f : scan_findings("密码：" + v + " 和 token=" + v)) {
      CHECK(f.value.find(v) == std::string::npos);
      CHECK(f.excerpt.find(v) == std::string::npos);
    }
  }
}

// ---- robustness --------------------------------------------------------------------------------

TEST_CASE("any bytes at all: no throw, valid UTF-8 out, one redaction per secret", "[findings]") {
  const std::string pieces[] = {"密码",
                                "：",
                                ":",
                                "=",
                                "|",
                                " ",
                                "\n",
                                "\r\n",
                                "Qh@2026shop",
                                "TODO",
                                "待补充",
                                "《",
                                "》",
                                "](",
                                "[",
                                ")",
                                ".md",
                                "/",
                                "见",
                                "-----BEGIN PRIVATE KEY-----",
                                "-----END PRIVATE KEY-----",
                                "://",
                                "user:pw123456@",
                                "AKIAIOSFODNN7EXAMPLE",
                                "eyJ",
                                "Bearer ",
                                "\xff",
                                "\xe5\xbe",
                                std::string(1, '\0'),
                                "---",
                                "**",
                                "/",
                                "&a="};
  std::mt19937 rng(42);
  std::uniform_int_distribution<std::size_t> pick(0, std::size(pieces) - 1);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    for (int k = 0; k < 40; ++k) text += pieces[pick(rng)];
    std::vector<Finding> found;
    REQUIRE_NOTHROW(found = scan_findings(text));
    std::size_t n = 0;
    REQUIRE_NOTHROW(redact_secrets(text, &n));
    std::size_t secret_count = 0;
    for (const Finding& f : found) {
      CHECK(is_utf8(f.excerpt));
      CHECK(f.excerpt.size() <= 160 + std::string("…").size());
      CHECK(is_utf8(f.value));
      CHECK(f.line >= 1);
      secret_count += f.kind == FindingKind::secret;
    }
    CHECK(secret_count == n);
  }
}

TEST_CASE("long and pathological lines scan in linear time", "[findings]") {
  // Each line below would take minutes if any scan went back over it for every separator or mark.
  std::string text;
  for (std::string_view unit : {"pwd=", "<pwd=", "《", "](", "a.md-", "/", "见", "密码", "://", "&a=", "eyJ", "|"}) {
    for (int i = 0; i < 20000; ++i) text += unit;
    text += '\n';
  }
  text += std::string(200000, 'A') + '\n';
  std::string prose;
  for (int i = 0; i < 2000; ++i)
    prose += "第" + std::to_string(i) + "步：见 操作手册/退款.md，密码：Qh@2026shop，TODO 补截图 [a](b.md)\n";
  text += prose;
  std::vector<Finding> found;
  REQUIRE_NOTHROW(found = scan_findings(text));
  CHECK(found.size() >= 2000 * 4);
  CHECK(redact_secrets(prose).find("Qh@2026shop") == std::string::npos);
}

// ---- a realistic handover document ------------------------------------------------------------

TEST_CASE("a handover document yields exactly the expected findings", "[findings]") {
  const std::string doc =
      "# 电商运营交接文档（林晓雯 → 王磊）\n"                       // 1
      "\n"                                                          // 2
      "## 一、日常工作\n"                                           // 3
      "- 每天 9:30 查看后台订单，流程见 操作手册/订单处理.md。\n"   // 4
      "- 退款按《退款审核规则》执行，超过 500 元找主管。\n"         // 5
      "- 周报模板：[周报](模板/周报模板.docx)，每周五发。\n"        // 6
      "- 大促排期：待补充\n"                                        // 7
      "\n"                                                          // 8
      "## 二、系统账号\n"                                           // 9
      "| 系统 | 账号 | 密码 | 备注 |\n"                             // 10
      "| --- | --- | --- | --- |\n"                                 // 11
      "| 店铺后台 | ops_lin | Qh@2026shop | 每季度改 |\n"           // 12
      "| ERP | lin.xw | 见 1Password | 张三管 |\n"                  // 13
      "\n"                                                          // 14
      "- 支付宝商户号 2088xxxx，支付密码由财务保管，找她要。\n"     // 15
      "- 物流接口 AppSecret: 7d9f2c4e8a1b3f5d\n"                    // 16
      "- 数据库：mysql://report:Rp2026!db@10.1.2.3:3306/shop\n"     // 17
      "- 忘记密码怎么办？后台有重置入口。\n"                        // 18
      "\n"                                                          // 19
      "## 三、客户\n"                                               // 20
      "- 瑞丰贸易：对接人李总，历史订单见 客户/瑞丰贸易.xlsx\n"     // 21
      "- 华美：联系方式 TODO\n"                                     // 22
      "- 返点政策参见《2024年渠道返点政策》和 返点计算.xlsx\n"      // 23
      "\n"                                                          // 24
      "## 四、遗留问题\n"                                           // 25
      "1. 发票抬头错误的工单还没处理完（TBD）\n"                    // 26
      "2. token 过期后重新登录即可，不用找技术。\n"                 // 27
      "3. 旧链接 https://wiki.example.com/ops/guide.html 已失效\n"  // 28
      "4. 交接清单.md 待完善\n"                                     // 29
      "5. 最后更新：2026-03-05\n";                                  // 30
  struct Expected {
    int line;
    FindingKind kind;
    std::string label;
    std::string value;
  };
  const std::vector<Expected> expected = {
      {4, FindingKind::reference, "path", "操作手册/订单处理.md"},
      {5, FindingKind::reference, "title", "退款审核规则"},
      {6, FindingKind::reference, "link", "模板/周报模板.docx"},
      {7, FindingKind::marker, "待补充", ""},
      {12, FindingKind::secret, "password", "Qh******"},
      {16, FindingKind::secret, "app_secret", "7d******"},
      {17, FindingKind::secret, "connection_string", "Rp******"},
      {21, FindingKind::reference, "path", "客户/瑞丰贸易.xlsx"},
      {22, FindingKind::marker, "TODO", ""},
      {23, FindingKind::reference, "title", "2024年渠道返点政策"},
      {23, FindingKind::reference, "path", "返点计算.xlsx"},
      {26, FindingKind::marker, "TBD", ""},
      {29, FindingKind::marker, "待完善", ""},
      {29, FindingKind::reference, "path", "交接清单.md"},
  };
  const auto found = scan_findings(doc);
  REQUIRE(found.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("finding " << i << ": line " << found[i].line << " " << found[i].label << " " << found[i].value);
    CHECK(found[i].line == expected[i].line);
    CHECK(found[i].kind == expected[i].kind);
    CHECK(found[i].label == expected[i].label);
    CHECK(found[i].value == expected[i].value);
  }
  CHECK(found[4].excerpt == "| 店铺后台 | ops_lin | Qh****** | 每季度改 |");
  std::size_t n = 0;
  const std::string clean = redact_secrets(doc, &n);
  CHECK(n == 3);
  CHECK(clean.find("Qh@2026shop") == std::string::npos);
  CHECK(clean.find("7d9f2c4e8a1b3f5d") == std::string::npos);
  CHECK(clean.find("mysql://report:••••••@10.1.2.3:3306/shop") != std::string::npos);
  CHECK(clean.size() ==
        doc.size() - std::string("Qh@2026shop7d9f2c4e8a1b3f5dRp2026!db").size() + 3 * std::string("••••••").size());
}

TEST_CASE("a key in a URL's query is a secret, a short or word-like one is not", "[findings]") {
  const auto found = scan_findings(
      "机器人 webhook：https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=6f2b9c3e-81d4-4a7f-b5e0-3c9d27a1f846\n"
      "文档：https://example.com/page?key=home&lang=zh\n");
  REQUIRE(found.size() == 1);
  CHECK(found[0].kind == FindingKind::secret);
  CHECK(found[0].line == 1);
  CHECK(found[0].value == "6f******");
  CHECK(redact_secrets("send?key=6f2b9c3e-81d4-4a7f-b5e0-3c9d27a1f846 ok") == "send?key=•••••• ok");
}

TEST_CASE("a chat robot's webhook path and a checkword are secrets, a hook page and a vault note are not", "[findings]") {
  const auto found = scan_findings(
      "05-20 飞书机器人（渠道日报推送）webhook：https://open.feishu.cn/open-apis/bot/v2/hook/3b8e1f52-9c4d-4a7e-b1f6-0d2c9e7a5f13\n"
      "Slack: https://hooks.slack.com/services/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\n"
      "文档 https://docs.example.com/guide/hooks/getting-started 和 /hook/ 目录\n"
      "顺丰开放平台：顾客编码 DYBZ_0573  checkword=7e41c09a2bd85f36a1c4e9d07b2f58aa\n"
      "顺丰 checkword 见保管库\n");
  REQUIRE(found.size() == 3);
  CHECK(found[0].line == 1);
  CHECK(found[0].label == "token");
  CHECK(found[1].line == 2);
  CHECK(found[2].line == 4);
  CHECK(found[2].label == "api_key");
  const std::string clean = redact_secrets("https://open.feishu.cn/open-apis/bot/v2/hook/3b8e1f52-9c4d-4a7e-b1f6-0d2c9e7a5f13 推送");
  CHECK(clean == "https://open.feishu.cn/open-apis/bot/v2/hook/•••••• 推送");
}

TEST_CASE("a plain-text table with a '-+-' rule and a 密码 / 说明 column", "[findings]") {
  const std::string table =
      "系统          | 账号        | 密码 / 说明              | 持有人\n"
      "--------------+-------------+--------------------------+--------\n"
      "云签 管理员   | zhou@x.cn   | 见 1Password「运营部」   | 周静怡\n"
      "展商通 后台   | admin_ops   | Jf#Expo2026!             | 周静怡\n"
      "场馆账号      | jinfan_ops  | ********（每季度强制改） | 黄志强\n";
  const auto found = scan_findings(table);
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 4);
  CHECK(found[0].label == "password");
  CHECK(redact_secrets(table).find("Jf#Expo2026!") == std::string::npos);
}

TEST_CASE("WeCom's corpsecret and a 凭据 column are secrets, not a placeholder's name, an example token or a month", "[findings]") {
  const auto found = scan_findings(
      "- corpsecret: Qm8xT2vN7pL4sK9dR1wZ6yH3jF5cB0eA2uG8iV4nX1o\n"
      "系统,账号,持有人,权限,凭据,审批人,备注\n"
      "智途DMS,ganjin_kf01,彭慧敏,售后客服主管,见集团密码柜,万建国,12-03移交邓子昂\n"
      "智途DMS,admin_sh,售后共用,售后管理员,Gj@Dms#2024!sh,陶宇,共用账号，离职后需改密\n");
  REQUIRE(found.size() == 2);
  CHECK(found[0].line == 1);
  CHECK(found[0].label == "app_secret");
  CHECK(found[1].line == 4);
  for (std::string_view text : {"- 自己配置时的格式：mysql://<用户名>:<密码>@<只读库地址>:3306/tide_settle（账号找崔立明开）\n",
                                "Authorization: Bearer pt-EXAMPLE-0000000000\n",
                                "系统,账号,用途,持有人,审批人,登录方式/密码,备注\n飞瞳数据,fangqing,子账号,方晴,韩子昂,2025-02 开通（席位 2/5）,\n",
                                "凭证号：记-2025-0032\n",
                                "系统,角色,账号,持有人,登录方式/密码,审批人\n课栈CRM,开放接口,kz_open_10482,王浩宇,app_key=kz_open_10482；AppSecret 在课栈开放平台查看,邓卫东\n"}) {
    INFO(text);
    CHECK(scan_findings(text).empty());
  }
}

TEST_CASE("A column of where the credential is kept (凭据保管) holds an account and its password now and then", "[findings]") {
  const std::string table =
      "系统,账号,角色/用途,持有人,审批人,凭据保管,备注\n"
      "灵枢DCIM,admin,超级管理员,冼志杰,龚蔚然,密码见保管库（Bitwarden/运维服务部）,\n"
      "灵枢DCIM API,app_key=lsdcim_ops_2024,脚本只读,冼志杰,龚蔚然,AppSecret 在DCIM后台【系统设置-开放接口】查看,每年6月轮换\n"
      "知澜工单,个人账号,运维/值班,运维服务部全员,龚蔚然,企业微信SSO扫码登录，无独立密码,2025-05起改SSO\n"
      "安矩门禁,admin,门禁超级管理员,覃卫东,龚蔚然,admin / AjACS@sz1-2025,厂商也知道\n"
      "账云计费,只读查询账号,月度电量核对,韩思远,麦嘉欣,向IT申请（冼志杰）,\n"
      "睿控动环,noc,值班监控,罗振,祁国梁,密码 ****（见保管库）,\n";
  const auto found = scan_findings(table);
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 5);
  CHECK(redact_secrets(table).find("AjACS@sz1-2025") == std::string::npos);
  // Notes of how the team works are not such a column.
  CHECK(scan_findings("系统,账号,操作说明\n安矩门禁,admin,admin / 在门禁后台改\n").empty());
}

TEST_CASE("A token is never read across the cells of a row: a port and a date, an operator and a U盾", "[findings]") {
  for (std::string_view text :
       {"机型,配置,区域,经销商价(USD),底价(USD),贸易术语,生效日期,备注\nDY-E215,标准臂1.0m³斗,中东,118500,112000,CFR Jebel Ali/Dammam,2026-01-01,含阿/英双语铭牌\n",
        "系统,用途,账号,密码/获取方式,持有人,审批人,备注\n"
        "江淮银行企业网银,国际结算/交单申请,操作员XZ-DY-02,U盾2个；登录密码见保管库,许嘉怡（制单）/彭雪（复核）,欧阳立军,U盾3/27交部长\n"}) {
    INFO(text);
    CHECK(scan_findings(text).empty());
  }
  // Still a password, in a cell or after an account.
  CHECK(scan_findings("系统,账号,密码\n堡垒机,emergency,Hm#Jump2024!qz\n").size() == 1);
  CHECK(scan_findings("堡垒机应急账号：emergency / Hm#Jump2024!qz\n").size() == 1);
}

TEST_CASE("A mail client's 授权码 is a password, also in random lower-case letters, but words and pinyin are not", "[findings]") {
  const auto found = scan_findings("01-09 群发通知用 kfc@qhims.org.cn 发信，SMTP 授权码 hqtmzvkcpxwbdrae\n");
  REQUIRE(found.size() == 1);
  CHECK(found[0].label == "password");
  for (std::string_view text : {"授权码：见保管库\n", "软件授权码 向IT申请\n", "password: internationalization\n", "密码 zhongguancunxinxi\n",
                                "密码：xxxxxxxxxxxxxxxx\n", "授权码 ****************\n"}) {
    INFO(text);
    CHECK(scan_findings(text).empty());
  }
}

TEST_CASE("A credential given to a command as an argument: an S3 client's secret key, sshpass, redis-cli, mysql -p", "[findings]") {
  const auto mc = scan_findings("  - mc alias set cjg https://dam.example.cn yc-dist-ro 9fQ2xL7vRk3WmT8pZa6NcY1uHs4Bd0Ge\n");
  REQUIRE(mc.size() == 1);
  CHECK(mc[0].label == "secret");
  CHECK(redact_secrets("mc alias set cjg https://dam.example.cn yc-dist-ro 9fQ2xL7vRk3WmT8pZa6NcY1uHs4Bd0Ge\n").find("yc-dist-ro") != std::string::npos);
  CHECK(scan_findings("mc config host add old http://10.0.0.8:9000 minio 'Mn#2024store'\n").size() == 1);
  CHECK(scan_findings("sshpass -p Rk8#vP2q ssh ops@10.20.3.16\n").size() == 1);
  CHECK(scan_findings("redis-cli -h 10.0.0.5 -p 6379 -a Redis@2025pass\n").size() == 1);
  CHECK(scan_findings("mysqldump -u backup -pBk2025#db shop > shop.sql\n").size() == 1);
  // The command without its secret, or with a placeholder, is no credential.
  for (std::string_view text : {"mc alias set cjg https://dam.example.cn yc-dist-ro ${SECRET_KEY}\n", "mc alias set cjg https://dam.example.cn\n",
                                "mysql -u root -p shop\n", "mysql -u root -p${DB_PASS}\n", "sshpass -p '<密码>' ssh host\n",
                                "mc alias list\n"}) {
    INFO(text);
    CHECK(scan_findings(text).empty());
  }
}

TEST_CASE("An Oracle login's password: jdbc:oracle:thin:user/password@host, sqlplus user/password@host", "[findings]") {
  const auto found = scan_findings("  jdbc:oracle:thin:ys_report/Rpt#2025ccsw@10.10.3.40:1521/YSDB\n");
  REQUIRE(found.size() == 1);
  CHECK(redact_secrets("jdbc:oracle:thin:ys_report/Rpt#2025ccsw@10.10.3.40:1521/YSDB").find("ys_report/") != std::string::npos);
  CHECK(redact_secrets("jdbc:oracle:thin:ys_report/Rpt#2025ccsw@10.10.3.40:1521/YSDB").find("Rpt#2025ccsw") == std::string::npos);
  CHECK(scan_findings("sqlplus system/Orcl@2024db@10.0.0.9:1521/ORCL\n").size() == 1);
  CHECK(scan_findings("report.url=jdbc:oracle:thin:ys_report/Rpt#2025ccsw@10.10.3.40:1521/YSDB\n").size() == 1);
  for (std::string_view text : {"连接串格式示例：jdbc:oracle:thin:<用户名>/<密码>@<主机>:1521/<服务名>\n", "sqlplus / as sysdba\n",
                                "jdbc:oracle:thin:@10.10.3.40:1521/YSDB\n", "sqlplus ys_report@YSDB\n"}) {
    INFO(text);
    CHECK(scan_findings(text).empty());
  }
}

TEST_CASE("A password manager's name is where the credential is kept, not one (1Password 运营部保管库)", "[findings]") {
  for (std::string_view text : {"系统,账号,用途,持有人,审批人,密码/凭证,备注\n1Password 运营部保管库,管理员,存放运营部所有密码,陈雅婷,林碧霞,主密码由本人记忆，不写下来,12-10前转\n",
                                "所有密码都在 1Password 里，KeePassXC 的旧库已停用\n", "密码：见 Bitwarden\n"}) {
    INFO(text);
    CHECK(scan_findings(text).empty());
  }
  CHECK(scan_findings("所有密码都在 1Password 里，新的是 Sj@Hq2026!ops\n").size() == 1);
}
