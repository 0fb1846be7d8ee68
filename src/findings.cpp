#include "baton/findings.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "baton/text.h"

namespace baton {

namespace {

constexpr std::size_t npos = std::string_view::npos;
constexpr std::string_view redaction = "••••••";
constexpr std::size_t excerpt_bytes = 160;

// ---- bytes and code points -------------------------------------------------------------------

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_alpha(char c) {
  return is_upper(c) || is_lower(c);
}
bool is_alnum(char c) {
  return is_alpha(c) || is_digit(c);
}
bool is_word(char c) {
  return is_alnum(c) || c == '_';
}
bool is_blank(char c) {
  return c == ' ' || c == '\t';
}
bool is_space(char c) {
  return is_blank(c) || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}
// Printable ASCII but space: what a password, key or token is made of. False for UTF-8 bytes
// whether char is signed or not.
bool is_graph(char c) {
  return c > ' ' && c < 0x7F;
}
bool is_non_ascii(char c) {
  return static_cast<unsigned char>(c) >= 0x80;
}
char to_lower(char c) {
  return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_one_of(char c, std::string_view set) {
  return set.find(c) != npos;
}

bool iequals(std::string_view a, std::string_view lower_b) {
  return a.size() == lower_b.size() &&
         std::equal(a.begin(), a.end(), lower_b.begin(), [](char x, char y) { return to_lower(x) == y; });
}

bool starts_with_at(std::string_view s, std::size_t i, std::string_view prefix) {
  // The first byte alone rules out nearly every position: scans call this at each byte.
  if (prefix.empty()) return i <= s.size();
  return i < s.size() && s[i] == prefix.front() && s.substr(i).starts_with(prefix);
}

bool ends_with_at(std::string_view s, std::size_t end, std::string_view suffix) {
  return end <= s.size() && s.substr(0, end).ends_with(suffix);
}

struct CodePoint {
  char32_t value;
  std::size_t size;
};

/// The code point at s[i]. An ill-formed sequence reads as U+FFFD of one byte, so a scan always moves on.
CodePoint decode_at(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  const std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return {0xFFFD, 1};
  char32_t cp = n == 1 ? b : b & (0x7F >> n);
  for (std::size_t k = 1; k < n; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return {0xFFFD, 1};
    cp = (cp << 6) | (c & 0x3F);
  }
  return {cp, n};
}

/// The code point that ends just before s[end] (end > 0), for scanning backwards.
CodePoint decode_before(std::string_view s, std::size_t end) {
  std::size_t start = end - 1;
  while (start > 0 && end - start < 4 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
  const CodePoint c = decode_at(s, start);
  return start + c.size == end ? c : CodePoint{0xFFFD, 1};
}

/// Chinese characters (CJK unified ideographs and their extensions), not CJK punctuation or full-width forms.
bool is_han(char32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0x20000 && c <= 0x3134F);
}

/// Calls visit(line, offset, number) for each line of `text`: without its "\n" or "\r\n", at byte
/// `offset` of the text, numbered from 1.
template <typename Visit>
void for_each_line(std::string_view text, Visit&& visit) {
  std::size_t start = 0;
  for (int number = 1;; ++number) {
    const std::size_t newline = text.find('\n', start);
    const std::size_t end = newline == npos ? text.size() : newline;
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    visit(line, start, number);
    if (newline == npos) return;
    start = newline + 1;
  }
}

// ---- secrets: is this value a credential? ------------------------------------------------------

/// Words people do paste as passwords: flagged although they are plain words.
constexpr std::string_view weak_passwords[] = {"password", "changeme", "qwerty", "qwertyuiop", "letmein",
                                               "welcome",  "iloveyou", "abcdef", "abcdefg",    "abcdefgh"};

/// Stands for a value rather than being one: ******, xxxxxx, <your password>, {token}, ${DB_PASS}, your_key.
bool is_placeholder(std::string_view v) {
  if (std::all_of(v.begin(), v.end(), [&](char c) { return c == v.front(); })) return true;
  if (v.front() == '<' || v.front() == '{' || v.starts_with("$(") || v.starts_with("%(")) return true;
  if (v.front() == '$' && std::all_of(v.begin() + 1, v.end(), [](char c) {
        return is_upper(c) || is_digit(c) || c == '_' || c == '{' || c == '}';
      }))
    return true;
  const std::string lower = ascii_lower(v);
  if (lower.find("xxx") != npos || lower.find("***") != npos || lower.find("...") != npos) return true;
  if (lower.starts_with("your")) return true;
  // A documented example that says so in a part of its own: "Bearer pt-EXAMPLE-0000000000", "sk_test_sample".
  // (Not AWS's AKIAIOSFODNN7EXAMPLE: a key of the real shape, which the tests treat as one.)
  for (std::size_t start = 0; start <= lower.size();) {
    const std::size_t end = std::min(lower.find_first_of("-_.:", start), lower.size());
    const std::string_view part = std::string_view(lower).substr(start, end - start);
    if (part == "example" || part == "sample" || part == "dummy" || part == "placeholder") return true;
    start = end + 1;
  }
  return std::all_of(v.begin(), v.end(), [](char c) { return is_one_of(c, "xX*.-_?#"); });
}

/// A part of a name between case changes (App, Secret in AppSecret; XMLHttp, Request): all lower case, all
/// upper case, or ending in at least two lower-case letters. Random letters (MIIEvQIB) have parts like "Ev".
bool is_word_hump(std::string_view hump) {
  const auto lower = std::count_if(hump.begin(), hump.end(), is_lower);
  return lower == 0 || lower >= 2 || lower == static_cast<std::ptrdiff_t>(hump.size());
}

/// Letters only, joined by _ - . / : at most, in words or camelCase: a word or a name (required, String,
/// see_vault, process.env.DB_PASS, AppSecret, GID:user_list), not a credential.
bool is_word_like(std::string_view v) {
  std::size_t hump = 0;
  for (std::size_t i = 0; i <= v.size(); ++i) {
    const bool joiner = i < v.size() && is_one_of(v[i], "_-./:");
    if (i < v.size() && !joiner && !is_alpha(v[i])) return false;
    const bool boundary = i == v.size() || joiner || (i > 0 && is_lower(v[i - 1]) && is_upper(v[i]));
    if (!boundary) continue;
    if (!is_word_hump(v.substr(hump, i - hump))) return false;
    hump = joiner ? i + 1 : i;
  }
  return true;
}

/// Code that reads the value from elsewhere: getenv("X"), os.environ['X'], (getpwuid($<))[1]: a name
/// of three letters or more right before "(" or "[" (a password like Qh(2026) has fewer).
bool is_code(std::string_view v) {
  std::size_t letters = 0;
  for (char c : v) {
    if ((c == '(' || c == '[') && letters >= 3) return true;
    letters = is_alpha(c) || c == '_' ? letters + 1 : 0;
  }
  return false;
}

/// A date or time (2024-06-01, 10:30:00): digits with at least two separators.
/// A year and month (2025-02, 2025/2) too.
bool is_date_like(std::string_view v) {
  const auto separators = std::count_if(v.begin(), v.end(), [](char c) { return is_one_of(c, "-/.:"); });
  if (!std::all_of(v.begin(), v.end(), [](char c) { return is_digit(c) || is_one_of(c, "-/.:"); })) return false;
  if (separators >= 2) return true;
  if (separators != 1 || v.size() < 6 || v.size() > 7 || !(v.starts_with("19") || v.starts_with("20")) || !is_one_of(v[4], "-/."))
    return false;
  const int month = v.size() == 6 ? v[5] - '0' : (v[5] - '0') * 10 + (v[6] - '0');
  return month >= 1 && month <= 12;
}

/// A path or a URL: it says where the secret is, not what it is. Windows paths too: a share
/// (\\cr-fs01\keepass) and a drive (D:\keys).
bool is_location(std::string_view v) {
  const bool drive = v.size() >= 3 && is_alpha(v[0]) && v[1] == ':' && v[2] == '\\';
  return v.find("://") != npos || v.front() == '/' || v.starts_with("~/") || v.starts_with("./") ||
         v.starts_with("../") || v.starts_with("\\\\") || drive;
}

/// The name of a password manager, where the credential is kept (1Password, KeePassXC, Bitwarden): shaped
/// like a password ("1Password 运营部保管库" on a line about passwords), but the vault, not what is in it.
bool is_vault_name(std::string_view v) {
  static constexpr std::string_view vaults[] = {"1password", "keepass", "keepassxc", "keepassx", "bitwarden", "vaultwarden",
                                                "lastpass", "dashlane", "enpass"};
  return std::any_of(std::begin(vaults), std::end(vaults), [&](std::string_view name) { return iequals(v, name); });
}

/// The value could be a password, whatever it looks like: six or more characters that are neither a
/// placeholder nor a date nor a location. Enough where the position says it is one (user:HERE@host).
bool could_be_password(std::string_view v) {
  return v.size() >= 6 && !is_placeholder(v) && !is_date_like(v) && !is_location(v) && !is_vault_name(v);
}

/// A labelled value is a credential when it could be a password and is not a word, a name or code
/// ("password: required", "token: string", "password = os.environ[...]"); known weak passwords
/// (changeme, password) are words but credentials all the same, unless in capitals: PASSWORD is how
/// manuals write "your password here".
/// Lower-case letters that no language writes: "hqtmzvkcpxwbdrae", the 授权码 a mail service gives a mail
/// client (twelve letters or more, eight of them different, fewer than one in four a vowel, five
/// consonants in a row somewhere). English and pinyin words have a vowel in every few letters.
bool random_letters(std::string_view v) {
  if (v.size() < 12 || !std::all_of(v.begin(), v.end(), is_lower)) return false;
  std::size_t vowels = 0, run = 0, longest = 0;
  bool seen[26] = {};
  std::size_t distinct = 0;
  for (char c : v) {
    const bool vowel = is_one_of(c, "aeiou");
    vowels += vowel;
    run = vowel ? 0 : run + 1;
    longest = std::max(longest, run);
    if (!seen[c - 'a']) {
      seen[c - 'a'] = true;
      ++distinct;
    }
  }
  return distinct >= 8 && vowels * 4 < v.size() && longest >= 5;
}

/// A key's public fingerprint, as ssh prints it to be compared: SHA256:qV3l8Yk2… (base64 of a hash),
/// MD5:3f:9a:… or 3f:9a:…:c1 (sixteen or more hex pairs). Anyone may see it; it opens nothing.
bool is_fingerprint(std::string_view v) {
  if (v.starts_with("SHA256:") || v.starts_with("SHA1:")) {
    const std::string_view body = v.substr(v.find(':') + 1);
    return body.size() >= 27 && std::all_of(body.begin(), body.end(), [](char c) { return is_alnum(c) || is_one_of(c, "+/="); });
  }
  if (v.starts_with("MD5:")) v.remove_prefix(4);
  if (v.size() < 47 || (v.size() + 1) % 3 != 0) return false;
  for (std::size_t i = 0; i < v.size(); ++i)
    if (i % 3 == 2 ? v[i] != ':' : !is_hex_digit(v[i])) return false;
  return true;
}

bool is_credential(std::string_view v) {
  if (!could_be_password(v) || is_code(v) || is_fingerprint(v)) return false;
  if (!is_word_like(v) || random_letters(v)) return true;
  if (std::none_of(v.begin(), v.end(), is_lower)) return false;
  const std::string lower = ascii_lower(v);
  return std::find(std::begin(weak_passwords), std::end(weak_passwords), lower) != std::end(weak_passwords);
}

/// What the report shows of a secret: 2 characters of a long value, none of a short one.
std::string mask(std::string_view value) {
  return value.size() >= 8 ? std::string(value.substr(0, 2)) + "******" : std::string("******");
}

// ---- secrets: labels and their values ----------------------------------------------------------

/// A word that labels the value after it as a secret. ASCII words match case-insensitively as whole
/// words or camelCase parts (dbPassword); a space in them matches nothing, " ", "_" or "-", so
/// "api key" matches api_key, API-Key and apiKey. Chinese words match anywhere (登录密码 ends in 密码).
struct SecretLabel {
  std::string_view word;
  std::string_view type;
};

constexpr SecretLabel secret_labels[] = {
    {"password", "password"},
    {"passwd", "password"},
    {"pwd", "password"},
    {"pass", "password"},
    {"passphrase", "password"},
    {"密码", "password"},
    {"密碼", "password"},
    {"口令", "password"},
    {"secret", "app_secret"},
    {"app secret", "app_secret"},
    {"client secret", "app_secret"},
    {"access key secret", "app_secret"},
    {"secret key", "app_secret"},
    {"secret access key", "app_secret"},
    {"api key", "api_key"},
    {"access key", "api_key"},
    {"密钥", "api_key"},
    {"密鑰", "api_key"},
    {"金鑰", "api_key"},
    {"token", "token"},
    {"access token", "token"},
    {"refresh token", "token"},
    {"auth token", "token"},
    {"api token", "token"},
    {"令牌", "token"},
    {"checkword", "api_key"},  // SF Express's open platform: the key a request's digest is signed with
    {"corpsecret", "app_secret"},  // WeCom's API: corpid and corpsecret get an app's access token
    {"corp secret", "app_secret"},
    {"授权码", "password"},  // a mail account's password for SMTP/IMAP clients (QQ, 163, 企业邮箱)
    {"授權碼", "password"},
    {"凭据", "password"},  // (not 凭证, which is also an accounting voucher: 记账凭证)
    {"憑據", "password"},
    {"credential", "password"},
    {"权杖", "token"},
    {"權杖", "token"},
    {"private key", "private_key"},
    {"私钥", "private_key"},
    {"私鑰", "private_key"},
};

/// Where `word` (see SecretLabel) starts if it ends `s` at `end`, or npos.
std::size_t word_start_before(std::string_view s, std::size_t end, std::string_view word) {
  std::size_t j = end;
  for (std::size_t i = word.size(); i > 0; --i) {
    const char w = word[i - 1];
    if (w == ' ') {
      if (j > 0 && is_one_of(s[j - 1], " _-")) --j;
    } else if (j > 0 && to_lower(s[j - 1]) == w) {
      --j;
    } else {
      return npos;
    }
  }
  if (is_non_ascii(word.front()) || j == 0 || !is_alnum(s[j - 1])) return j;
  return is_lower(s[j - 1]) && is_upper(s[j]) ? j : npos;
}

struct LabelMatch {
  std::size_t begin = 0;
  std::string_view type;
  bool paired = false;  // 账号/密码, user/password: the value is the second of "admin/Qh@2026"
};

/// The longest secret label that ends `line` at `end`.
std::optional<LabelMatch> label_ending_at(std::string_view line, std::size_t end) {
  std::optional<LabelMatch> best;
  for (const SecretLabel& label : secret_labels) {
    const std::size_t begin = word_start_before(line, end, label.word);
    if (begin != npos && (!best || begin < best->begin)) best = LabelMatch{begin, label.type};
  }
  // "mysql://<用户名>:<密码>@<地址>": a placeholder's name, not a label.
  if (best && best->begin > 0 && is_one_of(line[best->begin - 1], "<{") && end < line.size() && is_one_of(line[end], ">}"))
    return std::nullopt;
  if (best) {
    std::size_t k = best->begin;
    while (k > 0 && is_blank(line[k - 1])) --k;
    best->paired = (k > 0 && line[k - 1] == '/') || ends_with_at(line, k, "／");
  }
  return best;
}

/// Steps back over what may stand between a label and its separator: spaces, emphasis (**密码**：),
/// quotes ("password":) and closing brackets (【密码】, [password]).
std::size_t skip_back_decoration(std::string_view line, std::size_t end) {
  while (end > 0) {
    if (is_one_of(line[end - 1], " \t*\"'`]")) {
      --end;
    } else if (ends_with_at(line, end, "】") || ends_with_at(line, end, "\u3000")) {
      end -= 3;
    } else {
      break;
    }
  }
  return end;
}

/// Where the parenthesised remark that ends `line` at `end` opens ("(测试环境)", "（初始）"), or npos.
std::size_t remark_start(std::string_view line, std::size_t end) {
  const auto open_before = [&](std::string_view open, std::size_t close_size, std::size_t window) {
    const std::size_t low = end > window ? end - window : 0;
    const std::size_t at = line.substr(low, end - close_size - low).rfind(open);
    return at == npos ? npos : low + at;
  };
  if (end > 0 && line[end - 1] == ')') return open_before("(", 1, 48);
  if (ends_with_at(line, end, "）")) return open_before("（", 3, 64);
  return npos;
}

/// The secret label before a separator at `end`, looking past decoration and a remark in parentheses
/// (密码（测试环境）：): tried with the remark and without it.
std::optional<LabelMatch> label_before(std::string_view line, std::size_t end) {
  for (int round = 0; round < 3; ++round) {
    end = skip_back_decoration(line, end);
    if (auto label = label_ending_at(line, end)) return label;
    end = remark_start(line, end);
    if (end == npos) return std::nullopt;
  }
  return std::nullopt;
}

/// A byte range in a line or, once collected, in the text.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string_view label;
};

struct Value {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t next = 0;  // where scanning goes on: past the raw run, so nothing is read twice
};

/// True at "&name=" in user=admin&password=...&next=1: the next query parameter, not the value.
bool starts_next_parameter(std::string_view line, std::size_t i, std::size_t limit) {
  if (line[i] != '&') return false;
  std::size_t j = i + 1;
  while (j < limit && j - i <= 32 && (is_word(line[j]) || line[j] == '.' || line[j] == '-')) ++j;
  return j > i + 1 && j < limit && line[j] == '=';
}

std::size_t skip_blanks(std::string_view line, std::size_t i, std::size_t limit) {
  for (;;) {
    if (i < limit && is_blank(line[i])) {
      ++i;
    } else if (i + 3 <= limit && starts_with_at(line, i, "\u3000")) {
      i += 3;
    } else {
      return i;
    }
  }
}

/// Drops what surrounds a value without being part of it: emphasis (**), sentence punctuation, enclosing
/// parentheses ("密码 (GNOME)") and an unbalanced bracket ("(密码：abc12345)").
void trim_value(std::string_view line, Value& v) {
  for (int i = 0; i < 2 && v.begin < v.end && line[v.begin] == '*'; ++i) ++v.begin;
  if (v.begin < v.end && (line[v.begin] == '(' || line[v.begin] == '[')) {
    const char close = line[v.begin] == '(' ? ')' : ']';
    if (line[v.end - 1] == close) --v.end;
    ++v.begin;
  }
  for (bool trimmed = true; trimmed && v.begin < v.end;) {
    const char c = line[v.end - 1];
    const std::string_view inside = line.substr(v.begin, v.end - v.begin - 1);
    // (A code span's closing mark: `export API_KEY=${API_KEY}`.)
    trimmed = c == '*' || c == '.' || c == ',' || c == ';' || (c == ')' && inside.find('(') == npos) ||
              (c == ']' && inside.find('[') == npos) || (c == '}' && inside.find('{') == npos) ||
              (c == '`' && inside.find('`') == npos);
    if (trimmed) --v.end;
  }
}

/// The value that starts at `pos` (after a separator), up to `limit`: a run of printable ASCII ended by
/// a space, any non-ASCII character (Chinese text, full-width punctuation), a closing quote or the next
/// query parameter. So `密码：Qh@2026shop（每季度改）` gives Qh@2026shop.
Value read_value(std::string_view line, std::size_t pos, std::size_t limit) {
  pos = skip_blanks(line, pos, limit);
  if (pos < limit && (line[pos] == ':' || line[pos] == '=')) pos = skip_blanks(line, pos + 1, limit);
  // Closing emphasis after the separator: **密码：** Qh@2026shop.
  std::size_t stars = pos;
  while (stars < limit && line[stars] == '*') ++stars;
  if (stars > pos && stars < limit && is_blank(line[stars])) pos = skip_blanks(line, stars, limit);
  Value v{pos, pos, pos};
  char quote = 0;
  if (v.begin < limit && is_one_of(line[v.begin], "\"'`")) quote = line[v.begin++];
  v.end = v.begin;
  while (v.end < limit && is_graph(line[v.end]) && line[v.end] != quote && !starts_next_parameter(line, v.end, limit))
    ++v.end;
  v.next = v.end;
  trim_value(line, v);
  return v;
}

/// For a paired label (账号/密码：admin/Qh@2026 or user / password: admin / Qh@2026) the part after the slash.
Value second_of_pair(std::string_view line, Value v, std::size_t limit) {
  const std::string_view value = line.substr(v.begin, v.end - v.begin);
  if (std::count(value.begin(), value.end(), '/') == 1) {
    v.begin += value.find('/') + 1;
    return v;
  }
  if (value.find('/') != npos) return v;
  const std::size_t slash = skip_blanks(line, v.next, limit);
  if (slash < limit && line[slash] == '/') return read_value(line, slash + 1, limit);
  return v;
}

enum class Separator { none, sign, pipe, adjacent };

constexpr std::string_view wide_signs[] = {"：", "＝", "是", "为", "為"};

/// What separates a label from its value at line[i]: a sign (: ： = ＝ 是 为 為, `size` bytes), a table
/// cell boundary, or nothing at all after Chinese (密码 Qh@2026, 口令123456, 【密码】Qh@2026): `adjacent`,
/// before a space, a letter or a digit only (not 密码(GNOME), 密码,shell). An English label needs a sign:
/// "password reset" is prose.
Separator separator_at(std::string_view line, std::size_t i, std::size_t& size) {
  size = 1;
  const char c = line[i];
  if (c == ':' || c == '=') return Separator::sign;
  if (c == '|') return Separator::pipe;
  if (is_non_ascii(c)) {
    for (std::string_view sign : wide_signs) {
      if (!starts_with_at(line, i, sign)) continue;
      size = sign.size();
      return Separator::sign;
    }
    return Separator::none;
  }
  size = 0;
  if (i > 0 && is_non_ascii(line[i - 1]) && (is_blank(c) || is_alnum(c))) return Separator::adjacent;
  return Separator::none;
}

/// Labelled values: 密码：Qh@2026shop, password=..., "api_key": "...", | 密码 | ... |, 初始密码是123456.
void labelled_values(std::string_view line, std::vector<Span>& out) {
  std::size_t i = 0;
  while (i < line.size()) {
    std::size_t size = 0;
    const Separator separator = separator_at(line, i, size);
    std::optional<LabelMatch> label;
    if (separator != Separator::none) label = label_before(line, i);
    // "密码 | Qh@2026" or "密码 ：Qh@2026": the separator further on reads the value.
    if (label && separator == Separator::adjacent) {
      const std::size_t next = skip_blanks(line, i, line.size());
      std::size_t ignored = 0;
      const Separator further = next < line.size() ? separator_at(line, next, ignored) : Separator::none;
      if (further == Separator::sign || further == Separator::pipe) label.reset();
    }
    if (!label) {
      i += std::max<std::size_t>(size, 1);
      continue;
    }
    const std::size_t limit = separator == Separator::pipe ? std::min(line.find('|', i + 1), line.size()) : line.size();
    Value v = read_value(line, i + size, limit);
    if (label->paired) v = second_of_pair(line, v, limit);
    if (is_credential(line.substr(v.begin, v.end - v.begin))) out.push_back({v.begin, v.end, label->type});
    i = std::max(i + std::max<std::size_t>(size, 1), v.next);
  }
}

// ---- secrets: tables with a password column ---------------------------------------------------

struct Cell {
  std::size_t begin = 0;
  std::size_t end = 0;
};

/// The fields of a CSV row (a file's own lines: 系统,账号,密码/凭证), commas in double quotes kept.
std::vector<Cell> split_csv_cells(std::string_view line) {
  std::vector<Cell> cells;
  std::size_t start = 0;
  bool quoted = false;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i < line.size() && line[i] == '"') quoted = !quoted;
    if (i < line.size() && (quoted || line[i] != ',')) continue;
    cells.push_back({start, i});
    start = i + 1;
  }
  return cells;
}

/// A CSV row: two commas at least and none followed by a space (prose writes ", ": "no password, and").
bool csv_row(std::string_view line) {
  return std::count(line.begin(), line.end(), ',') >= 2 && line.find(", ") == npos;
}

/// The cells of a table row (| a | b |, the " | "-joined rows of spreadsheets, or a CSV row), empty if
/// `line` is none of those.
std::vector<Cell> split_cells(std::string_view line) {
  std::vector<Cell> cells;
  if (line.find('|') == npos) return csv_row(line) ? split_csv_cells(line) : cells;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i < line.size() && (line[i] != '|' || (i > 0 && line[i - 1] == '\\'))) continue;
    cells.push_back({start, i});
    start = i + 1;
  }
  const auto blank = [&](const Cell& c) { return trim(line.substr(c.begin, c.end - c.begin)).empty(); };
  const std::string_view row = trim(line);
  if (row.ends_with('|') && blank(cells.back())) cells.pop_back();
  if (row.starts_with('|') && !cells.empty() && blank(cells.front())) cells.erase(cells.begin());
  return cells;
}

/// | --- | :---: |: the row under a Markdown table's header.
bool is_delimiter_row(std::string_view line, const std::vector<Cell>& cells) {
  return std::all_of(cells.begin(), cells.end(), [&](const Cell& c) {
    std::string_view s = trim(line.substr(c.begin, c.end - c.begin));
    if (s.starts_with(':')) s.remove_prefix(1);
    if (s.ends_with(':')) s.remove_suffix(1);
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) { return ch == '-'; });
  });
}

/// Tables whose header names a secret column (| 系统 | 账号 | 密码 |): that column's cells are secrets
/// although no label stands beside them. A Markdown table is recognised by its delimiter row; rows
/// without one (spreadsheets, which drop empty cells) count only while they have the header's number
/// of cells, so that a shifted row is not misread.
class SecretColumns {
 public:
  void scan(std::string_view line, std::vector<Span>& out) {
    const std::vector<Cell> cells = split_cells(line);
    // "-----+-----": the rule under a plain-text table's header (psql, hand-drawn).
    if (!header_.empty() && is_ascii_rule(line)) return start_table(0);
    if (cells.size() < 2) {
      columns_.clear();
      header_.clear();
      return;
    }
    if (!columns_.empty()) {
      if (row_cells_ == 0 || cells.size() == row_cells_) return check_row(line, cells, out);
      columns_.clear();
    }
    if (!header_.empty()) {
      if (is_delimiter_row(line, cells)) return start_table(0);
      if (cells.size() == header_cells_) {
        start_table(header_cells_);
        return check_row(line, cells, out);
      }
    }
    header_ = secret_columns(line, cells);
    header_cells_ = cells.size();
  }

 private:
  struct Column {
    std::size_t index = 0;
    std::string_view type;
    bool paired = false;
  };

  void start_table(std::size_t row_cells) {
    columns_ = std::move(header_);
    header_.clear();
    row_cells_ = row_cells;
  }

  static bool is_ascii_rule(std::string_view line) {
    line = trim(line);
    return line.size() >= 3 && line.find('-') != std::string_view::npos && line.find('+') != std::string_view::npos &&
           std::all_of(line.begin(), line.end(), [](char c) { return c == '-' || c == '+' || c == '=' || c == ':' || c == '|' || c == ' '; });
  }

  /// The columns whose header cell ends in a secret label (密码, 登录密码, 密码（初始）, API Key, 账号/密码),
  /// or whose first part before a slash does (密码 / 说明).
  /// None if a cell holds a credential: | 密码 | Qh@2026shop | is a labelled row, not a header.
  static std::vector<Column> secret_columns(std::string_view line, const std::vector<Cell>& cells) {
    std::vector<Column> columns;
    for (std::size_t k = 0; k < cells.size(); ++k) {
      const Value v = read_value(line, cells[k].begin, cells[k].end);
      if (is_credential(line.substr(v.begin, v.end - v.begin))) return {};
      const std::string_view cell = line.substr(0, cells[k].end);
      auto label = label_before(cell, cell.size());
      // (凭据保管, 密码说明: where the team keeps the credential, or what it says of it; the cells still
      // hold one now and then: "admin / AjACS@sz1-2025" beside "密码见保管库".)
      if (!label) {
        std::string_view header = trim(line.substr(cells[k].begin, cells[k].end - cells[k].begin));
        for (std::string_view about : {"保管", "说明", "存放", "位置", "备注"})
          if (header.size() > about.size() && header.ends_with(about)) {
            const std::size_t end = static_cast<std::size_t>(header.data() - line.data()) + header.size() - about.size();
            if (auto l = label_before(line.substr(0, end), end); l && l->begin >= cells[k].begin) label = l;
            break;
          }
      }
      if (!label) {
        const std::size_t slash = line.substr(cells[k].begin, cells[k].end - cells[k].begin).find('/');
        if (slash != std::string_view::npos) {
          std::size_t end = cells[k].begin + slash;
          while (end > cells[k].begin && is_blank(line[end - 1])) --end;
          if (auto first = label_before(line.substr(0, end), end); first && !first->paired) label = first;
        }
      }
      if (label && label->begin >= cells[k].begin) columns.push_back({k, label->type, label->paired});
    }
    return columns;
  }

  void check_row(std::string_view line, const std::vector<Cell>& cells, std::vector<Span>& out) const {
    for (const Column& column : columns_) {
      if (column.index >= cells.size()) continue;
      const Cell& cell = cells[column.index];
      Value v = read_value(line, cell.begin, cell.end);
      if (column.paired) v = second_of_pair(line, v, cell.end);
      // ("admin / AjACS@sz1-2025" in a 凭据 column: an account and its password, as under 账号/密码.)
      else if (!is_credential(line.substr(v.begin, v.end - v.begin))) v = second_of_pair(line, v, cell.end);
      const std::string_view value = line.substr(v.begin, v.end - v.begin);
      // "app_key=kz_open_10482；AppSecret 在开放平台查看" in a 密码 column: a setting named in the cell, which
      // the labelled reader judges by its own name (an app_key is an id; app_secret=… is a secret).
      const std::size_t eq = value.find('=');
      const bool setting = eq != npos && eq > 0 && eq + 1 < value.size() &&
                           std::all_of(value.begin(), value.begin() + static_cast<std::ptrdiff_t>(eq), [](char c) { return is_alpha(c) || c == '_'; });
      if (!setting && is_credential(value)) out.push_back({v.begin, v.end, column.type});
    }
  }

  std::vector<Column> header_;  // named by the previous row, until the next row confirms it is a header
  std::size_t header_cells_ = 0;
  std::vector<Column> columns_;  // of the table being read
  std::size_t row_cells_ = 0;    // the cells a row must have to count; 0 in a Markdown table
};

// ---- secrets: well-known token shapes and connection strings -----------------------------------

bool is_token_char(char c) {
  return is_alnum(c) || c == '_' || c == '-';
}
bool is_upper_or_digit(char c) {
  return is_upper(c) || is_digit(c);
}
bool is_alnum_or_dash(char c) {
  return is_alnum(c) || c == '-';
}
bool is_alnum_or_underscore(char c) {
  return is_alnum(c) || c == '_';
}

/// A credential recognisable by its form alone: a fixed prefix and a body of `min` to `max` characters.
struct TokenShape {
  std::string_view prefix;
  std::string_view type;
  bool (*body)(char);
  std::size_t min;
  std::size_t max;
};

constexpr TokenShape token_shapes[] = {
    {"AKIA", "api_key", is_upper_or_digit, 16, 16},  // AWS access key id
    {"ASIA", "api_key", is_upper_or_digit, 16, 16},  // AWS temporary access key id
    {"AIza", "api_key", is_token_char, 35, 35},      // Google API key
    {"sk-", "api_key", is_alnum, 20, 200},           // OpenAI and its imitators
    {"sk-proj-", "api_key", is_token_char, 20, 200},
    {"sk_live_", "api_key", is_alnum, 20, 200},  // Stripe: secret and restricted keys, live and test
    {"sk_test_", "api_key", is_alnum, 20, 200},
    {"rk_live_", "api_key", is_alnum, 20, 200},
    {"rk_test_", "api_key", is_alnum, 20, 200},
    {"whsec_", "app_secret", is_alnum, 24, 200},  // Stripe webhook signing secret
    {"Atzr|", "token", is_token_char, 40, 2000},  // Amazon Login with Amazon (SP-API): refresh, access
    {"Atza|", "token", is_token_char, 40, 2000},
    {"glpat-", "token", is_token_char, 20, 64},  // GitLab personal access token
    {"shpat_", "token", is_hex_digit, 32, 32},   // Shopify: admin API access token, app shared secret
    {"shpca_", "token", is_hex_digit, 32, 32},
    {"shppa_", "token", is_hex_digit, 32, 32},
    {"shpss_", "app_secret", is_hex_digit, 32, 32},
    {"ghp_", "token", is_alnum, 30, 255},        // GitHub: personal, OAuth, user, server, refresh
    {"gho_", "token", is_alnum, 30, 255},
    {"ghu_", "token", is_alnum, 30, 255},
    {"ghs_", "token", is_alnum, 30, 255},
    {"ghr_", "token", is_alnum, 30, 255},
    {"github_pat_", "token", is_alnum_or_underscore, 30, 255},
    {"xoxa-", "token", is_alnum_or_dash, 10, 255},  // Slack
    {"xoxb-", "token", is_alnum_or_dash, 10, 255},
    {"xoxp-", "token", is_alnum_or_dash, 10, 255},
    {"xoxr-", "token", is_alnum_or_dash, 10, 255},
    {"xoxs-", "token", is_alnum_or_dash, 10, 255},
};

/// Where the token of `shape` at line[i] ends, or npos. A body that runs on past `max` is some other
/// string, and "sk-" needs a digit so that a long word after it does not count.
std::size_t shape_end(std::string_view line, std::size_t i, const TokenShape& shape) {
  if (!starts_with_at(line, i, shape.prefix)) return npos;
  const std::size_t body = i + shape.prefix.size();
  std::size_t j = body;
  while (j < line.size() && j - body < shape.max && shape.body(line[j])) ++j;
  if (j - body < shape.min || (j < line.size() && is_token_char(line[j]))) return npos;
  const std::string_view token = line.substr(body, j - body);
  if (shape.prefix.starts_with("sk-") && std::none_of(token.begin(), token.end(), is_digit)) return npos;
  if (is_placeholder(token)) return npos;  // sk_test_xxxxxxxxxxxxxxxxxxxxxxxx, AKIAXXXXXXXXXXXXXXXX
  return j;
}

/// Where a JSON Web Token (eyJ….eyJ….signature) at line[i] ends, or npos.
std::size_t jwt_end(std::string_view line, std::size_t i) {
  const auto segment = [&](std::size_t& j) {
    const std::size_t start = j;
    while (j < line.size() && j - start < 8192 && is_token_char(line[j])) ++j;
    return j - start;
  };
  std::size_t j = i;
  if (!starts_with_at(line, j, "eyJ") || segment(j) < 10 || j >= line.size() || line[j] != '.') return npos;
  if (!starts_with_at(line, ++j, "eyJ") || segment(j) < 10 || j >= line.size() || line[j] != '.') return npos;
  ++j;
  segment(j);
  return j;
}

/// Where the random body of a key that starts at `body` ends, or npos: 20 to 200 letters and digits with
/// upper case, lower case and digits, not a placeholder, and nothing of a token right after it.
std::size_t random_body_end(std::string_view line, std::size_t body) {
  std::size_t end = body;
  while (end < line.size() && end - body <= 200 && is_alnum(line[end])) ++end;
  if (end - body < 20 || end - body > 200 || (end < line.size() && is_token_char(line[end]))) return npos;
  const std::string_view b = line.substr(body, end - body);
  if (std::none_of(b.begin(), b.end(), is_upper) || std::none_of(b.begin(), b.end(), is_lower) ||
      std::none_of(b.begin(), b.end(), is_digit) || is_placeholder(b))
    return npos;
  return end;
}

/// Where a key in the style of OpenAI's with a vendor's segment at line[i] ends, or npos: "sk-", two to
/// eight lower-case letters and "-", then a random body (sk-sy-7Qm2Lr8V…, sk-ant-…). Not
/// sk-ecdsa-sha2-nistp256@openssh.com.
std::size_t vendor_sk_end(std::string_view line, std::size_t i) {
  if (!starts_with_at(line, i, "sk-")) return npos;
  std::size_t j = i + 3;
  while (j < line.size() && j - i - 3 <= 8 && is_lower(line[j])) ++j;
  if (j - i - 3 < 2 || j - i - 3 > 8 || j >= line.size() || line[j] != '-') return npos;
  return random_body_end(line, j + 1);
}

/// Where a key in the style of Stripe's at line[i] ends, or npos: two or three lower-case letters, "_live_"
/// or "_test_", then a random body (sp_live_4f9Kx2Qm…: a vendor's copy of sk_live_). Not sk_live_****, nor
/// run_test_all_the_modules, nor pk_live_ (a publishable key).
std::size_t live_key_end(std::string_view line, std::size_t i) {
  std::size_t j = i;
  while (j < line.size() && j - i <= 3 && is_lower(line[j])) ++j;
  if (j - i < 2 || j - i > 3 || !(starts_with_at(line, j, "_live_") || starts_with_at(line, j, "_test_"))) return npos;
  if (line.substr(i, j - i) == "pk") return npos;  // Stripe's publishable key: public, in every checkout page
  return random_body_end(line, j + 6);
}

/// The token after "Bearer " at line[i] (a span of it), or nothing.
std::optional<Span> bearer_token(std::string_view line, std::size_t i) {
  if (i + 6 >= line.size() || !iequals(line.substr(i, 6), "bearer") || !is_blank(line[i + 6])) return std::nullopt;
  const std::size_t begin = skip_blanks(line, i + 6, line.size());
  std::size_t end = begin;
  while (end < line.size() && end - begin < 8192 && (is_alnum(line[end]) || is_one_of(line[end], "._~+/=-"))) ++end;
  const std::string_view token = line.substr(begin, end - begin);
  if (token.size() < 16 || !is_credential(token)) return std::nullopt;
  return Span{begin, end, "token"};
}

/// How many kinds of character a value has: upper case, lower case, digits, and symbols other than the
/// _ . - that names are made with (lcxl_bd01 has two kinds, Sj@Hq2026!ops four).
int character_kinds(std::string_view v) {
  return (std::any_of(v.begin(), v.end(), is_upper) ? 1 : 0) + (std::any_of(v.begin(), v.end(), is_lower) ? 1 : 0) +
         (std::any_of(v.begin(), v.end(), is_digit) ? 1 : 0) +
         (std::any_of(v.begin(), v.end(), [](char c) { return !is_alnum(c) && !is_one_of(c, "_.-"); }) ? 1 : 0);
}

/// An address, a name at a host: ops@example.cn, 24518836902@chatroom (a WeChat group's id), zhangsan@corp.
bool at_a_host(std::string_view v) {
  const std::size_t at = v.find('@');
  if (at == npos || at == 0) return false;
  if (v.find('.', at) != npos) return true;
  return at + 1 < v.size() && std::all_of(v.begin() + static_cast<std::ptrdiff_t>(at) + 1, v.end(), is_lower) &&
         std::all_of(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(at), [](char c) { return is_alnum(c) || is_one_of(c, "_.-"); });
}

/// True if `text` speaks of a password (密码, 密碼, 口令, password).
bool speaks_of_password(std::string_view text) {
  return text.find("密码") != npos || text.find("密碼") != npos || text.find("口令") != npos ||
         ascii_lower(text).find("password") != npos;
}

/// A password said in a sentence, with no label right before it, as chats say it: "ops01 的密码我改了，
/// 新的是 Sj@Hq2026!ops". Only on a line that speaks of a password, and only a value shaped like one:
/// eight or more characters of at least three kinds (upper case, lower case, digits, symbols other than
/// the _ . - of names such as lcxl_bd01), not an address, a location or a placeholder.
void password_in_sentence(std::string_view line, std::vector<Span>& out) {
  if (!speaks_of_password(line)) return;
  const std::vector<Cell> cells = split_cells(line);
  std::size_t fields_end = 0;  // the end of a run read field by field
  for (std::size_t i = 0; i < line.size();) {
    if (!is_graph(line[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < line.size() && is_graph(line[end])) ++end;
    // A row of a CSV export ("1011,wxid_gcy0917hh,1,1750067419,2,U8的密码…"): its fields one by one.
    if (const std::string_view run = line.substr(i, end - i); i >= fields_end && std::count(run.begin(), run.end(), ',') >= 2)
      fields_end = end;
    std::size_t next = end;
    if (i < fields_end) {
      end = std::min(line.find(',', i), fields_end);
      next = end + 1;
    }
    std::size_t first = i, last = end;  // without the punctuation around it
    // (and without Markdown's emphasis and code marks: "**登录 RateSense**" is a product's name in bold)
    while (first < end && is_one_of(line[first], ":(['\"<*`")) ++first;
    while (last > first && is_one_of(line[last - 1], ".,;:)]}>\"'*`")) --last;
    const std::string_view token = line.substr(first, last - first);
    // ("mysql://<用户名>:<密码>@<地址>:3306/db": the rest of a template, after a placeholder's name.)
    if (token.empty() || token.find_first_of("<>") != npos) {
      i = next;
      continue;
    }
    const int kinds = character_kinds(token);
    const bool address = at_a_host(token);
    // An option or a setting (--root-password=PASSWORD, key=value) is the labelled readers' to judge.
    const bool setting = token.front() == '-' || token.find('=') != npos || ascii_lower(token).find("pass") != npos;
    // A CSV cell is a sentence of its own: the password word must be in it ("Jyt@2025ls# 是新的密码"), not in
    // another column of the row (an account list's "SL-HZ-op01,操作员,密码已改").
    // So is a table's cell, also when the value is only part of it: "中心管理员(RK-101/HJ-2201)" is a role.
    bool told = true;
    if (const auto cell = std::find_if(cells.begin(), cells.end(), [&](const Cell& c) { return c.begin <= first && last <= c.end; });
        cell != cells.end()) {
      told = speaks_of_password(line.substr(cell->begin, cell->end - cell->begin));
    } else if ((first > 0 && line[first - 1] == ',') || (last < line.size() && line[last] == ',')) {
      const std::size_t from = first == 0 ? npos : line.rfind(',', first - 1);
      const std::size_t to = line.find(',', last);
      const std::size_t begin = from == npos ? 0 : from + 1;
      told = speaks_of_password(line.substr(begin, (to == npos ? line.size() : to) - begin));
    } else if (!cells.empty()) {
      told = false;  // across two cells of a row: "操作员XZ-DY-02,U盾2个" is no token
    }
    if (token.size() >= 8 && kinds >= 3 && !address && !setting && told && is_credential(token))
      out.push_back({first, last, "password"});
    i = next;
  }
}

/// A token or key given later in the sentence that names it, after a colon: "新接口token先发群里给杜明他们
/// 测：lyb_tk_9f2e61c4…". Only a long value (16 characters or more, letters and digits) with no full stop
/// between the word and the colon.
void key_in_sentence(std::string_view line, std::vector<Span>& out) {
  static constexpr std::pair<std::string_view, std::string_view> words[] = {
      {"token", "token"}, {"令牌", "token"}, {"secret", "app_secret"}, {"密钥", "api_key"}, {"秘钥", "api_key"}, {"apikey", "api_key"}};
  const std::string lower = ascii_lower(line);
  for (const auto& [word, type] : words) {
    const std::size_t at = lower.find(word);
    if (at == npos) continue;
    // (A Latin word stands alone or against Chinese: not "tokens" or "mytoken_path".)
    if (is_alpha(word.front()) && ((at > 0 && is_alnum(line[at - 1])) || (at + word.size() < line.size() && is_alpha(line[at + word.size()]))))
      continue;
    std::size_t colon = npos, colon_size = 0;
    for (std::string_view c : {"：", ":"})
      if (const std::size_t p = line.find(c, at + word.size()); p != npos && p < colon) {
        colon = p;
        colon_size = c.size();
      }
    if (colon == npos || colon == at + word.size()) continue;  // "token: x" is the labelled readers'
    const std::string_view between = line.substr(at + word.size(), colon - at - word.size());
    if (between.find("。") != npos || between.find("；") != npos || between.find('.') != npos || between.size() > 60) continue;
    const std::size_t first = skip_blanks(line, colon + colon_size, line.size());
    std::size_t last = first;
    while (last < line.size() && (is_alnum(line[last]) || is_one_of(line[last], "_-"))) ++last;
    const std::string_view value = line.substr(first, last - first);
    if (value.size() >= 16 && std::any_of(value.begin(), value.end(), is_digit) && std::any_of(value.begin(), value.end(), is_alpha) &&
        !is_placeholder(value) && is_credential(value))
      out.push_back({first, last, type});
    return;
  }
}

/// An account given as "user / password" on a line about an account: "堡垒机应急账号：emergency / Hm#Jump2024!qz",
/// "login: ops01/Sj@Hq2026!ops". The part after the slash is a password when it is shaped like one
/// (as in a sentence: eight or more characters of three kinds); "账号/密码见保管库" and "admin / ${PW}" are not.
/// Without a word for an account on the line, the password must have all four kinds of character
/// (a notes line "安澜e站 RH_JS_0318 / Anl@n#0318js", a chat message "ruihong_tmp / Qy#tmp1118!").
void account_pairs(std::string_view line, std::vector<Span>& out) {
  const std::string lower = ascii_lower(line);
  static constexpr std::string_view accounts[] = {"账号", "帐号", "账户", "用户名", "account", "login", "username"};
  const bool about_account = std::any_of(std::begin(accounts), std::end(accounts), [&](std::string_view a) { return lower.find(a) != npos; });
  for (std::size_t slash = line.find('/'); slash != npos; slash = line.find('/', slash + 1)) {
    // The user: a name right before the slash (blanks allowed around it).
    std::size_t user_end = slash;
    while (user_end > 0 && is_blank(line[user_end - 1])) --user_end;
    std::size_t user = user_end;
    while (user > 0 && (is_alnum(line[user - 1]) || is_one_of(line[user - 1], "_.-@"))) --user;
    // (After a label's colon, a bracket, a blank or Chinese text: not the middle of a path or a URL.)
    if (user_end - user < 2 || (user > 0 && is_graph(line[user - 1]) && !is_non_ascii(line[user - 1]) && !is_one_of(line[user - 1], ":("))) continue;
    // The password: the token right after it.
    const std::size_t first = skip_blanks(line, slash + 1, line.size());
    std::size_t last = first;
    // (A comma ends it: "CFR Jebel Ali/Dammam,2026-01-01" in a price list is a port and the next field.)
    while (last < line.size() && is_graph(line[last]) && !is_non_ascii(line[last]) && line[last] != ',') ++last;
    while (last > first && is_one_of(line[last - 1], ".,;)]}>\"'")) --last;
    const std::string_view token = line.substr(first, last - first);
    const int kinds = character_kinds(token);
    const std::size_t dot = token.rfind('.');
    const bool file_name = dot != npos && token.size() - dot <= 5 && std::all_of(token.begin() + static_cast<std::ptrdiff_t>(dot) + 1, token.end(), is_alpha);
    // (Without the account word, not a URL's path or query: ldap://host.com:6666/o=University%20of...)
    // A user name has a letter (not "100 / Box#12kg!").
    const bool url_like = user > 0 && line[user - 1] == ':';
    const bool named = std::any_of(line.begin() + static_cast<std::ptrdiff_t>(user), line.begin() + static_cast<std::ptrdiff_t>(user_end), is_alpha);
    // (A user name has a letter also on a line about an account: "Data Source=10.0.0.2:1521/HISDB;User Id=…" is a
    // host's port and database.)
    const bool plain = named && (about_account || (!url_like && token.find_first_of("=?&%<>") == npos));
    if (token.size() >= 8 && kinds >= (about_account ? 3 : 4) && plain && token.find('/') == npos && !file_name && is_credential(token))
      out.push_back({first, last, "password"});
  }
}

/// Tokens recognisable without a label: AWS, Google, OpenAI, Stripe and its like, Amazon LWA, GitHub, GitLab,
/// Shopify, Slack, JWT, Bearer.
void token_shapes_in(std::string_view line, std::vector<Span>& out) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    if ((i > 0 && is_token_char(line[i - 1])) || !(is_lower(line[i]) || is_one_of(line[i], "AB"))) continue;
    std::optional<Span> found;
    for (const TokenShape& shape : token_shapes)
      if (const std::size_t end = shape_end(line, i, shape); end != npos) found = Span{i, end, shape.type};
    if (const std::size_t end = live_key_end(line, i); !found && end != npos) found = Span{i, end, "api_key"};
    if (const std::size_t end = vendor_sk_end(line, i); !found && end != npos) found = Span{i, end, "api_key"};
    if (const std::size_t end = jwt_end(line, i); !found && end != npos) found = Span{i, end, "token"};
    if (!found) found = bearer_token(line, i);
    if (!found) continue;
    out.push_back(*found);
    i = found->end - 1;
  }
}

/// The password in a connection string: mysql://user:PASSWORD@host/db (the user and host stay).
void connection_strings(std::string_view line, std::vector<Span>& out) {
  for (std::size_t at = line.find("://"); at != npos; at = line.find("://", at + 3)) {
    std::size_t scheme = at;
    while (scheme > 0 && at - scheme < 32 && (is_alnum(line[scheme - 1]) || is_one_of(line[scheme - 1], "+.-")))
      --scheme;
    if (at - scheme < 2 || !is_alpha(line[scheme])) continue;
    const std::size_t begin = at + 3;
    std::size_t end = begin;
    // ('#' may be in the password: mysql://ro:Rk8#vP2q@10.20.3.16 — a fragment never has an '@' after it.)
    while (end < line.size() && end - begin < 1024 && is_graph(line[end]) && !is_one_of(line[end], "/?\"'<>`")) ++end;
    const std::string_view authority = line.substr(begin, end - begin);
    const std::size_t host = authority.rfind('@');
    const std::size_t colon = authority.find(':');
    if (host == npos || colon == npos || colon > host) continue;
    if (could_be_password(authority.substr(colon + 1, host - colon - 1)))
      out.push_back({begin + colon + 1, begin + host, "connection_string"});
  }
}

/// A credential a command takes as an argument, with no label beside it: the secret key of an S3 client's
/// alias ("mc alias set cjg https://dam.example.cn yc-dist-ro 9fQ2xL7v…", the fourth argument; "mc config
/// host add" the same), the password of "sshpass -p", of "redis-cli -a", of "mysql -pSECRET" (attached).
/// The next space-separated argument of a command line from `pos`, which moves past it: [begin, end).
std::pair<std::size_t, std::size_t> next_argument(std::string_view line, std::size_t& pos) {
  while (pos < line.size() && line[pos] == ' ') ++pos;
  const std::size_t begin = pos;
  while (pos < line.size() && is_graph(line[pos])) ++pos;
  return {begin, pos};
}

/// Calls f with where each use of `command` ("sqlplus ", "mc alias set ", "jdbc:oracle:thin:") ends, when no
/// letter or digit runs into it ("url=jdbc:…", "/usr/bin/sshpass" count; "xmc alias set" does not).
template <typename F>
void each_command(std::string_view line, std::string_view command, F&& f) {
  for (std::size_t at = line.find(command); at != npos; at = line.find(command, at + 1))
    if (at == 0 || !is_alnum(line[at - 1])) f(at + command.size());
}

void command_credentials(std::string_view line, std::vector<Span>& out) {
  const auto word_at = [&](std::size_t& pos) { return next_argument(line, pos); };
  const auto take = [&](std::size_t begin, std::size_t end, std::string_view type) {
    // (Quotes around the value are the shell's: -p 'Rk8#vP2q'.)
    if (end - begin >= 2 && (line[begin] == '\'' || line[begin] == '"') && line[end - 1] == line[begin]) ++begin, --end;
    if (could_be_password(line.substr(begin, end - begin))) out.push_back({begin, end, type});
  };
  for (std::string_view command : {"mc alias set ", "mc config host add "})
    each_command(line, command, [&](std::size_t pos) {
      std::pair<std::size_t, std::size_t> args[4];
      for (auto& a : args) a = word_at(pos);
      const std::string_view url = line.substr(args[1].first, args[1].second - args[1].first);
      if (args[3].first < args[3].second && url.find("://") != npos) take(args[3].first, args[3].second, "secret");
    });
  // The option's value is the next argument; mysql's is attached to its -p ("mysql -u root -p" alone asks
  // for it at the prompt).
  struct Option {
    std::string_view command, option;
    bool attached;
  };
  static constexpr Option options[] = {{"sshpass ", "-p", false},  {"redis-cli ", "-a", false},  {"mysql ", "-p", true},
                                       {"mysqldump ", "-p", true}, {"mysqladmin ", "-p", true}};
  for (const Option& o : options)
    each_command(line, o.command, [&](std::size_t pos) {
      while (pos < line.size()) {
        const auto [begin, end] = word_at(pos);
        if (begin == end || is_one_of(line[begin], "|;&>")) break;  // the command ends
        if (o.attached && end - begin > 2 && line.compare(begin, 2, o.option) == 0) take(begin + 2, end, "password");
        if (!o.attached && line.substr(begin, end - begin) == o.option) {
          const auto [v_begin, v_end] = word_at(pos);
          if (v_begin < v_end) take(v_begin, v_end, "password");
          break;
        }
      }
    });
}

/// Oracle's user/password@host: "jdbc:oracle:thin:ys_report/Rpt#2025ccsw@10.10.3.40:1521/YSDB", and the same
/// after sqlplus, expdp or impdp. The password is between the first "/" and the last "@" (a "/" or "@" of
/// the host's part comes after it).
void oracle_logins(std::string_view line, std::vector<Span>& out) {
  for (std::string_view prefix : {"jdbc:oracle:thin:", "sqlplus ", "expdp ", "impdp "})
    each_command(line, prefix, [&](std::size_t pos) {
      const auto [begin, end] = next_argument(line, pos);
      const std::string_view login = line.substr(begin, end - begin);
      const std::size_t slash = login.find('/'), host = login.rfind('@');
      if (slash == npos || host == npos || slash == 0 || host < slash) return;
      if (could_be_password(login.substr(slash + 1, host - slash - 1))) out.push_back({begin + slash + 1, begin + host, "connection_string"});
    });
}

/// A key in a URL's query: ...webhook/send?key=6f2b9c3e-81d4-... (a chat robot's webhook, a signed link).
/// Only names no label covers, and only long values: "?key=home" is a page, not a secret.
void url_keys(std::string_view line, std::vector<Span>& out) {
  static constexpr std::string_view names[] = {"key", "sig", "signature", "access_key", "accesskey", "sk"};
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] != '?' && line[i] != '&') continue;
    for (std::string_view name : names) {
      const std::size_t eq = i + 1 + name.size();
      if (eq >= line.size() || line[eq] != '=' || !iequals(line.substr(i + 1, name.size()), name)) continue;
      std::size_t end = eq + 1;
      while (end < line.size() && (is_alnum(line[end]) || is_one_of(line[end], "-_.~%"))) ++end;
      const std::string_view value = line.substr(eq + 1, end - eq - 1);
      if (value.size() >= 16 && std::any_of(value.begin(), value.end(), is_digit) && !is_placeholder(value))
        out.push_back({eq + 1, end, "api_key"});
      i = end - 1;
      break;
    }
  }
}

/// A chat robot's webhook whose path is the credential: anyone holding the URL posts as the robot.
/// https://open.feishu.cn/open-apis/bot/v2/hook/3b8e1f52-…, hooks.slack.com/services/T…/B…/…,
/// discord.com/api/webhooks/…/…: the path after the hook segment, when long and not a word.
void hook_paths(std::string_view line, std::vector<Span>& out) {
  static constexpr std::string_view segments[] = {"/hook/", "/hooks/", "/webhooks/", "hooks.slack.com/services/"};
  for (std::string_view segment : segments)
    for (std::size_t at = line.find(segment); at != npos; at = line.find(segment, at + 1)) {
      // Only in a URL: "…://" earlier in the same run of non-space characters.
      std::size_t start = at;
      while (start > 0 && is_graph(line[start - 1])) --start;
      if (line.substr(start, at - start).find("://") == npos) continue;
      const std::size_t begin = at + segment.size();
      std::size_t end = begin;
      while (end < line.size() && end - begin < 512 && (is_alnum(line[end]) || is_one_of(line[end], "-_/"))) ++end;
      while (end > begin && line[end - 1] == '/') --end;
      const std::string_view value = line.substr(begin, end - begin);
      if (value.size() >= 16 && std::any_of(value.begin(), value.end(), is_digit) && !is_placeholder(value))
        out.push_back({begin, end, "token"});
    }
}

// ---- secrets: a value on its own line under the line that announces it ------------------------

/// A word that announces a credential in a sentence ("我把 API key 发他", "is this the refresh token:"),
/// matched like a SecretLabel (ASCII as a whole word or a camelCase part, Chinese anywhere), with the
/// type a value under it gets. "key" alone counts unless a word before makes it a public thing (app key,
/// public key, primary key); "AK", "SK" only in capitals.
struct Announcement {
  std::string_view word;
  std::string_view type;
};

constexpr Announcement announcements[] = {
    {"password", "password"}, {"passwd", "password"},  {"passphrase", "password"}, {"密码", "password"},
    {"密碼", "password"},     {"口令", "password"},    {"token", "token"},         {"tokens", "token"},
    {"令牌", "token"},        {"secret", "app_secret"}, {"secrets", "app_secret"}, {"key", "api_key"},
    {"keys", "api_key"},      {"apikey", "api_key"},    {"密钥", "api_key"},        {"密鑰", "api_key"},
    {"秘钥", "api_key"},      {"金鑰", "api_key"},      {"credential", "api_key"},  {"credentials", "api_key"},
    {"凭证", "api_key"},      {"凭据", "api_key"},      {"憑證", "api_key"},        {"AK", "api_key"},
    {"SK", "app_secret"},     {"私钥", "private_key"},  {"私鑰", "private_key"},
};

/// Words before "key" that make it something other than a credential: an app's public id, a public key,
/// a database's or a keyboard's key.
constexpr std::string_view public_keys[] = {"app", "public", "pub", "primary", "foreign", "sort", "hot",
                                            "ssh", "gpg", "pgp",  "host",    "license", "product"};

/// A line that speaks of hashes, public keys or fingerprints: what follows it is not a secret.
constexpr std::string_view not_secret_lines[] = {"checksum", "sha1",   "sha256",      "sha512", "md5",  "hash",
                                                 "fingerprint", "public key", "-----begin", "公钥", "公鑰", "校验",
                                                 "哈希",   "指纹",   "摘要"};

/// True if the ASCII word at line[begin, end) stands as a word or ends a camelCase name: no letter runs on
/// into it from either side (apiKey, dbPassword, API_KEY count; keyboard, monkey, PasswordAuthentication,
/// the name of an option, do not).
bool stands_as_word(std::string_view line, std::size_t begin, std::size_t end) {
  const bool left = begin == 0 || !is_alpha(line[begin - 1]) || (is_lower(line[begin - 1]) && is_upper(line[begin]));
  return left && (end == line.size() || !is_alpha(line[end]));
}

/// The type of credential `line` announces, or nothing.
std::optional<std::string_view> announced_type(std::string_view line) {
  const std::string lower = ascii_lower(line);
  for (std::string_view word : not_secret_lines)
    if (lower.find(word) != npos) return std::nullopt;
  for (const Announcement& a : announcements) {
    const bool chinese = is_non_ascii(a.word.front());
    const bool capitals = is_upper(a.word.front());
    const std::string_view haystack = chinese || capitals ? line : std::string_view(lower);
    for (std::size_t at = haystack.find(a.word); at != npos; at = haystack.find(a.word, at + 1)) {
      if (chinese) return a.type;
      const std::size_t end = at + a.word.size();
      if (!stands_as_word(line, at, end)) continue;
      if (capitals && (end < line.size() && is_alnum(line[end]))) continue;
      if (a.word.starts_with("key")) {
        std::size_t k = at;  // the word before: "app key", "app_key", "appKey", "AppKey"
        while (k > 0 && is_one_of(line[k - 1], " _-")) --k;
        std::size_t w = k;
        while (w > 0 && is_alpha(line[w - 1]) && !(w < k && is_upper(line[w]) && is_lower(line[w - 1]))) --w;
        const std::string before = ascii_lower(line.substr(w, k - w));
        if (std::find(std::begin(public_keys), std::end(public_keys), before) != std::end(public_keys)) continue;
        std::size_t n = skip_blanks(line, end, line.size());  // key id, key_id, KeyId: a name, not the key
        if (n < line.size() && is_one_of(line[n], "_-")) ++n;
        if (n + 2 <= line.size() && iequals(line.substr(n, 2), "id") && (n + 2 == line.size() || !is_alpha(line[n + 2])))
          continue;
      }
      return a.type;
    }
  }
  return std::nullopt;
}

/// The value that stands alone on `line`: one run of printable ASCII, perhaps in backticks or quotes,
/// after a quote mark or a list bullet, before a remark in Chinese or in parentheses. Empty if the line
/// holds anything else.
Value standalone_value(std::string_view line) {
  std::size_t i = skip_blanks(line, 0, line.size());
  if (i + 1 < line.size() && is_one_of(line[i], ">-*+") && is_blank(line[i + 1])) i = skip_blanks(line, i + 1, line.size());
  char quote = 0;
  if (i < line.size() && is_one_of(line[i], "`\"'")) quote = line[i++];
  Value v{i, i, i};
  while (v.end < line.size() && is_graph(line[v.end]) && line[v.end] != quote) ++v.end;
  std::size_t rest = v.end;
  if (quote != 0) {
    if (rest >= line.size() || line[rest] != quote) return {};
    ++rest;
  }
  const std::size_t blanks = rest;
  rest = skip_blanks(line, rest, line.size());
  // A remark after a space, or after full-width punctuation (Qh@2026shop（测试）); not Chinese glued to
  // the value, which is a wrapped sentence (dos95/98和WindowsNT…).
  const char32_t next = rest < line.size() && is_non_ascii(line[rest]) ? decode_at(line, rest).value : 0;
  const bool wide_mark = (next >= 0x3000 && next <= 0x303F) || (next >= 0xFF00 && next <= 0xFF65);
  const bool remark = rest == line.size() || wide_mark || (rest > blanks && (next != 0 || is_one_of(line[rest], "(#")));
  if (!remark || v.begin == v.end) return {};
  trim_value(line, v);
  return v;
}

/// Words in camelCase or joined by digits (PKCS11Provider, Base64Encoder): the name of something. Not
/// words before a random tail (sdk_live_tok_9fK2pQ7xV4mN8rT1…: letters one or two at a time between
/// digits and capitals).
bool is_identifier_like(std::string_view v) {
  std::size_t words = 0, hump = 0, scraps = 0;
  for (std::size_t i = 0; i <= v.size(); ++i) {
    const bool letter = i < v.size() && is_alpha(v[i]);
    if (i < v.size() && !letter && !is_digit(v[i]) && !is_one_of(v[i], "_.-")) return false;
    const bool boundary = i == v.size() || !letter || (i > 0 && is_lower(v[i - 1]) && is_upper(v[i]));
    if (!boundary) continue;
    const std::string_view part = v.substr(hump, i - hump);
    if (!is_word_hump(part)) return false;
    words += part.size() >= 3;
    scraps += !part.empty() && part.size() < 3;
    hump = letter ? i : i + 1;
  }
  return words >= 2 && scraps < 4;
}

/// A UUID (8-4-4-4-12 hex digits): an id, as often as not.
bool is_uuid(std::string_view v) {
  if (v.size() != 36) return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? v[i] != '-' : !is_hex_digit(v[i])) return false;
  }
  return true;
}

/// Shannon entropy of `v` in bits per character.
double entropy(std::string_view v) {
  int counts[128] = {};
  for (char c : v) ++counts[static_cast<unsigned char>(c) & 0x7F];
  double bits = 0;
  for (int n : counts) {
    if (n == 0) continue;
    const double p = static_cast<double>(n) / static_cast<double>(v.size());
    bits -= p * std::log2(p);
  }
  return bits;
}

/// A value alone on its line looks like a credential when nothing else explains it: not a word, a path,
/// a URL, a file or host name, an address, a date, a UUID, a name in camelCase, a number (phone, order, tracking: digits, or
/// capitals and digits), a placeholder or a masked value; letters and digits mixed, and random (entropy).
/// A password is 8 characters or more of three kinds; a key or a token 16 or more of upper case, lower
/// case and digits, or 24 or more of lower case (or 32 of upper case) and digits, as hex keys are.
bool looks_random(std::string_view v, std::string_view type) {
  if (v.size() > 2048 || !is_credential(v) || is_uuid(v) || is_identifier_like(v)) return false;
  if (v.find("://") != npos || v.starts_with("www.") || v.find('\\') != npos) return false;
  if (at_a_host(v)) return false;
  // A setting (DB_HOST=127.0.0.1, host:port): a name and its value, the labelled readers' to judge. The
  // "=" that pads base64 at the end is part of a key.
  const std::size_t sign = v.find_first_of("=:");
  if (sign != npos && sign > 0 && v.find_first_not_of('=', sign) != npos &&
      std::all_of(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(sign), [](char c) { return is_word(c) || c == '.' || c == '-'; }))
    return false;
  const std::size_t dot = v.rfind('.');
  if (dot != npos && dot + 1 < v.size() && v.size() - dot - 1 <= 5 &&
      std::all_of(v.begin() + static_cast<std::ptrdiff_t>(dot) + 1, v.end(), is_alpha))
    return false;  // report_2025Q2.xlsx, shop.example.com
  const bool upper = std::any_of(v.begin(), v.end(), is_upper), lower = std::any_of(v.begin(), v.end(), is_lower);
  const bool digit = std::any_of(v.begin(), v.end(), is_digit);
  const bool symbol = std::any_of(v.begin(), v.end(), [](char c) { return !is_alnum(c) && !is_one_of(c, "_.-"); });
  if (!digit || !(upper || lower)) return false;
  if (type == "password" && v.size() >= 8 && upper + lower + digit + symbol >= 3) return true;
  if (v.size() < 16) return false;
  const double bits = entropy(v);
  if (upper && lower) return bits >= 3.0;
  if (lower) return v.size() >= 24 && bits >= 3.3;
  return v.size() >= 32 && bits >= 3.3;
}

/// An English label and its value with only a space between, as a chat says it ("AppSecret 3f9c1e…"):
/// only a random value (looks_random), since "password reset" and "token expired" are prose.
void spaced_values(std::string_view line, std::vector<Span>& out) {
  for (std::size_t i = 1; i < line.size(); ++i) {
    if (!is_blank(line[i]) || !is_alpha(line[i - 1])) continue;
    const auto label = label_ending_at(line, i);
    if (!label || label->paired) continue;
    const Value v = read_value(line, i, line.size());
    const std::string_view value = line.substr(v.begin, v.end - v.begin);
    if (!value.empty() && is_credential(value) && looks_random(value, label->type)) out.push_back({v.begin, v.end, label->type});
    i = v.next;
  }
}

/// Reads values announced on a line before them: "我先贴这里大家别外传" then "sp_live_…" alone on the next
/// line, "AK/SK 如下：" then two lines of keys. The lines right under the announcement (no blank line
/// between: the same message or paragraph), up to three, each a value alone; a code fence may open
/// between. A line with a labelled value on it announces nothing: its value is said.
class AnnouncedValues {
 public:
  void scan(std::string_view line, std::vector<Span>& out) {
    const std::string_view trimmed = trim(line);
    if (trimmed.starts_with("```") || trimmed.starts_with("~~~")) return;
    if (type_ && taken_ < 3) {
      const Value v = standalone_value(line);
      // A value of a well-known form found already (AKIA… under "AK/SK:") is one of those announced.
      const bool known = out.size() == 1 && out.front().begin <= v.begin && out.front().end >= v.end;
      if (v.begin < v.end && (known || (out.empty() && looks_random(line.substr(v.begin, v.end - v.begin), *type_)))) {
        if (!known) out.push_back({v.begin, v.end, *type_});
        ++taken_;
        return;
      }
    }
    type_ = out.empty() && !trimmed.empty() ? announced_type(line) : std::nullopt;
    taken_ = 0;
  }

 private:
  std::optional<std::string_view> type_;  // what the previous line announced
  int taken_ = 0;                         // values read under it so far
};

// ---- secrets: the whole text -------------------------------------------------------------------

/// A secret at bytes [begin, end) of the text, reported at `line`.
struct Secret {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string_view label;
  int line = 0;
};

struct KeyMarker {
  std::size_t begin = npos;  // where "-----BEGIN" or "-----END" starts; npos if the line has none
  std::size_t end = 0;       // just after its closing "-----"
};

/// The "-----BEGIN … PRIVATE KEY-----" (prefix "-----BEGIN ") or "-----END …" marker in `line`.
KeyMarker find_key_marker(std::string_view line, std::string_view prefix) {
  const std::size_t begin = line.find(prefix);
  if (begin == npos) return {};
  const std::size_t close = line.find("-----", begin + prefix.size());
  if (close == npos) return {};
  if (line.substr(begin, close - begin).find("PRIVATE KEY") == npos) return {};
  return {begin, close + 5};
}

/// Finds the secrets of a text line by line. Private keys and tables span lines, hence the state.
class SecretScanner {
 public:
  explicit SecretScanner(std::string_view text) : text_(text) {}

  void scan(std::string_view line, std::size_t offset, int number) {
    if (key_) {
      if (const KeyMarker end = find_key_marker(line, "-----END "); end.begin != npos) close_key(offset + end.begin);
      return;
    }
    const KeyMarker begin = find_key_marker(line, "-----BEGIN ");
    const std::string_view head = line.substr(0, begin.begin == npos ? line.size() : begin.begin);
    spans_.clear();
    labelled_values(head, spans_);
    if (spans_.empty()) spaced_values(head, spans_);
    if (spans_.empty()) password_in_sentence(head, spans_);  // a labelled value is the line's password
    if (spans_.empty()) account_pairs(head, spans_);
    if (spans_.empty()) key_in_sentence(head, spans_);
    token_shapes_in(head, spans_);
    connection_strings(head, spans_);
    command_credentials(head, spans_);
    oracle_logins(head, spans_);
    url_keys(head, spans_);
    hook_paths(head, spans_);
    columns_.scan(head, spans_);
    announced_.scan(head, spans_);
    for (const Span& s : spans_)
      if (s.begin < s.end) secrets_.push_back({offset + s.begin, offset + s.end, s.label, number});
    if (begin.begin != npos) open_key(line, offset, number, begin.end);
  }

  /// The secrets found, in text order and without overlaps (a key left open ends with the text).
  std::vector<Secret> finish() {
    if (key_) close_key(text_.size());
    std::sort(secrets_.begin(), secrets_.end(),
              [](const Secret& a, const Secret& b) { return a.begin != b.begin ? a.begin < b.begin : a.end > b.end; });
    std::vector<Secret> merged;
    for (const Secret& s : secrets_) {
      if (!merged.empty() && s.begin < merged.back().end) {
        merged.back().end = std::max(merged.back().end, s.end);
      } else {
        merged.push_back(s);
      }
    }
    return merged;
  }

 private:
  struct OpenKey {
    std::size_t body = 0;  // where the body may start: just after the BEGIN marker
    int line = 0;
  };

  void open_key(std::string_view line, std::size_t offset, int number, std::size_t marker_end) {
    key_ = OpenKey{offset + marker_end, number};
    const KeyMarker end = find_key_marker(line.substr(marker_end), "-----END ");
    if (end.begin != npos) close_key(offset + marker_end + end.begin);
  }

  /// The body is everything between the markers but the whitespace around it, so the redacted key
  /// keeps its BEGIN and END lines.
  void close_key(std::size_t end) {
    std::size_t begin = key_->body;
    while (begin < end && is_space(text_[begin])) ++begin;
    while (end > begin && is_space(text_[end - 1])) --end;
    if (begin < end) secrets_.push_back({begin, end, "private_key", key_->line});
    key_.reset();
  }

  std::string_view text_;
  std::vector<Secret> secrets_;
  std::vector<Span> spans_;  // one line's, reused
  std::optional<OpenKey> key_;
  SecretColumns columns_;
  AnnouncedValues announced_;
};

std::vector<Secret> find_secrets(std::string_view text) {
  SecretScanner scanner(text);
  for_each_line(text,
                [&](std::string_view line, std::size_t offset, int number) { scanner.scan(line, offset, number); });
  return scanner.finish();
}

// ---- markers -----------------------------------------------------------------------------------

struct MarkerWord {
  std::string_view word;   // ASCII in lower case (matched case-insensitively), or Chinese
  std::string_view label;  // the same word upper case or Simplified
};

constexpr MarkerWord ascii_markers[] = {{"todo", "TODO"}, {"tbd", "TBD"}, {"fixme", "FIXME"}};
constexpr MarkerWord chinese_markers[] = {
    {"待补充", "待补充"}, {"待補充", "待补充"}, {"待完善", "待完善"}, {"待补全", "待补全"}, {"待補全", "待补全"},
    {"待填写", "待填写"}, {"待填寫", "待填写"}, {"待更新", "待更新"},
};
// (Not 待定, "to be decided": the state of the work — 开会时间待定, 滞纳金待定 — not of its write-up.
// Readers of three handovers that used it counted it in none.)

/// The marker at line[i], or "". TODO, TBD and FIXME count as whole words only (not todos, Todoist, TBDs).
std::string_view marker_at(std::string_view line, std::size_t i) {
  if (is_alpha(line[i]) && (i == 0 || !is_word(line[i - 1]))) {
    for (const MarkerWord& marker : ascii_markers) {
      const std::size_t end = i + marker.word.size();
      if (end <= line.size() && iequals(line.substr(i, marker.word.size()), marker.word) &&
          (end == line.size() || !is_word(line[end])))
        return marker.label;
    }
  } else if (starts_with_at(line, i, "待")) {
    for (const MarkerWord& marker : chinese_markers)
      if (starts_with_at(line, i, marker.word)) return marker.label;
  }
  return {};
}

/// The label of the first marker on `line`, or "". A marker in quotation marks is a word being talked
/// about (状态标成「待补充」, the word "TODO"), not one left in the text.
std::string_view first_marker(std::string_view line) {
  static constexpr std::pair<std::string_view, std::string_view> quotes[] = {{"「", "」"}, {"“", "”"}, {"\"", "\""}, {"'", "'"}, {"『", "』"}};
  for (std::size_t i = 0; i < line.size(); ++i) {
    const std::string_view marker = marker_at(line, i);
    if (marker.empty()) continue;
    const std::string_view before = line.substr(0, i);
    const bool quoted = std::any_of(std::begin(quotes), std::end(quotes), [&](const auto& q) {
      if (!before.ends_with(q.first)) return false;
      const std::size_t close = line.find(q.second, i);
      return close != std::string_view::npos && close - i <= 12;
    });
    if (!quoted) return marker;
  }
  return {};
}

// ---- references --------------------------------------------------------------------------------

struct Reference {
  std::size_t at = 0;  // where it starts in the line, for ordering
  std::string_view label;
  std::string value;
};

constexpr std::string_view document_extensions[] = {"md",  "markdown", "txt",  "docx", "doc", "xlsx",
                                                    "xls", "pptx",     "ppt",  "pdf",  "eml", "mbox",
                                                    "csv", "tsv",      "html", "htm",  "odt",
                                                    // a screen recording or a bundle the handover points to
                                                    "mp4", "mov", "avi", "wmv", "mkv", "zip", "rar", "7z"};

/// True if `target` starts with a URL scheme (http:, mailto:, data:); a drive letter (C:) is not one.
bool has_scheme(std::string_view target) {
  std::size_t i = 0;
  while (i < target.size() && (is_alnum(target[i]) || is_one_of(target[i], "+.-"))) ++i;
  return i >= 2 && is_alpha(target[0]) && i < target.size() && target[i] == ':';
}

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const int high = s[i] == '%' && i + 2 < s.size() ? hex_value(s[i + 1]) : -1;
    const int low = high >= 0 ? hex_value(s[i + 2]) : -1;
    if (low < 0) {
      out += s[i];
      continue;
    }
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

/// A link target as a document reference: "" for a URL or an anchor in the same page; else the target
/// without its #anchor, percent-decoded (%E9%80%80 → 退).
std::string link_value(std::string_view target) {
  if (target.empty() || target.front() == '#' || target.starts_with("//") || has_scheme(target)) return {};
  return percent_decode(target.substr(0, target.find('#')));
}

/// Markdown links and images whose target is not a URL: [text](target), ![alt](<a b.png> "title").
/// Their extent goes to `covered`, so that the file names inside are not reported again as paths.
void markdown_links(std::string_view line, std::vector<Reference>& refs, std::vector<Span>& covered) {
  std::size_t from = 0;
  for (std::size_t mid = line.find("](", from); mid != npos; mid = line.find("](", from)) {
    from = mid + 2;
    // A link's text is short: looking further back for its "[" would make a long line quadratic.
    const std::size_t low = std::max(covered.empty() ? 0 : covered.back().end, mid > 1024 ? mid - 1024 : 0);
    const std::size_t open = line.substr(low, mid - low).rfind('[');
    if (open == npos) continue;
    std::size_t begin = skip_blanks(line, mid + 2, line.size()), end = begin, after = begin;
    if (begin < line.size() && line[begin] == '<') {
      end = line.find('>', ++begin);
      if (end == npos) continue;
      after = end + 1;
    } else {
      for (int depth = 0; end < line.size() && !is_blank(line[end]) && (line[end] != ')' || depth > 0); ++end)
        depth += line[end] == '(' ? 1 : line[end] == ')' ? -1 : 0;
      after = end;
    }
    after = skip_blanks(line, after, line.size());
    if (after >= line.size() || !is_one_of(line[after], ")\"'(")) continue;
    const std::size_t close = line.find(')', after);
    if (close == npos) continue;
    covered.push_back({low + open, close + 1, {}});
    if (std::string value = link_value(line.substr(begin, end - begin)); !value.empty())
      refs.push_back({low + open, "link", std::move(value)});
    from = close + 1;
  }
}

/// Where a document extension at line[dot] (".md", ".xlsx") ends, or npos when there is none or the name
/// runs on (.md5, .txt.gz, .html-old, .md/).
std::size_t extension_end(std::string_view line, std::size_t dot) {
  std::size_t end = dot + 1;
  while (end < line.size() && end - dot <= 9 && is_alnum(line[end])) ++end;
  const std::string ext = ascii_lower(line.substr(dot + 1, end - dot - 1));
  if (std::find(std::begin(document_extensions), std::end(document_extensions), ext) == std::end(document_extensions))
    return npos;
  if (end < line.size() && (is_word(line[end]) || is_one_of(line[end], "-/\\"))) return npos;
  if (end + 1 < line.size() && line[end] == '.' && is_alnum(line[end + 1])) return npos;
  return end;
}

/// Words that introduce a file name in Chinese prose, where no space separates it (流转规则见操作手册/…).
constexpr std::string_view lead_ins[] = {
    "详见", "詳見", "参见", "參見", "请见", "請見", "另见", "另見",   "见",     "見",     "参考",   "參考", "参照",
    "參照", "参阅", "參閱", "查看", "查阅", "查閱", "请看", "請看",   "打开",   "打開",   "阅读",   "閱讀", "位于",
    "位於", "放在", "存于", "存於", "根据", "根據", "按照", "保存在", "存放在", "记录在", "記錄在", "是"};

/// Characters before 见 that make it part of a word (常见问题, 意见) rather than "see".
constexpr std::u32string_view jian_words = U"常意可看遇预預偏少罕听聽再会會接召拜不所只主成起易显顯相";

/// True if the lead-in `word` at head[at] introduces what follows. At the start of the run only 见 does:
/// a two-character lead-in there more likely begins the name (参考资料.md, 查看记录.md). 见 in a word
/// (常见, 意见, 见面) does not.
bool is_lead_in_at(std::string_view head, std::size_t at, std::string_view word) {
  const bool jian = word == "见" || word == "見";
  if (!jian) return at > 0;
  if (starts_with_at(head, at + word.size(), "面")) return false;
  return at == 0 || jian_words.find(decode_before(head, at).value) == std::u32string_view::npos;
}

/// Where the file name starts once the Chinese words glued before it are cut off: after the last
/// lead-in word (见, 参考, 放在 ...) in the Chinese run the path starts with.
std::size_t cut_lead_in(std::string_view line, std::size_t start, std::size_t dot) {
  std::size_t run = start;
  while (run < dot && is_non_ascii(line[run])) run += decode_at(line, run).size;
  const std::string_view head = line.substr(start, std::min(run, dot) - start);
  std::size_t cut = start;
  for (std::string_view word : lead_ins) {
    for (std::size_t at = head.rfind(word); at != npos; at = at == 0 ? npos : head.rfind(word, at - 1)) {
      if (!is_lead_in_at(head, at, word)) continue;
      cut = std::max(cut, start + at + word.size());
      break;
    }
  }
  return cut;
}

/// Where the file name starts when Chinese is glued before an English one (目录中的BROWSING.txt,
/// docs/目录下的Speed.txt): the Chinese is the sentence. A name that is Chinese with a short or joined
/// English part (客户A.xlsx, 报价单_final.xlsx) or an acronym (月结对账SOP.md) keeps it.
std::size_t cut_before_english_name(std::string_view line, std::size_t start, std::size_t dot) {
  const std::size_t slash = line.substr(start, dot - start).find_last_of("/\\");
  const std::size_t name = slash == npos ? start : start + slash + 1;
  std::size_t english = name;
  while (english < dot && is_non_ascii(line[english])) english += decode_at(line, english).size;
  if (english == name || english >= dot || !is_alnum(line[english])) return start;
  const std::string_view rest = line.substr(english, dot - english);
  if (std::any_of(rest.begin(), rest.end(), is_non_ascii) || std::count_if(rest.begin(), rest.end(), is_alpha) < 3)
    return start;
  const bool acronym = rest.size() <= 5 && std::all_of(rest.begin(), rest.end(), [](char c) { return is_upper(c) || is_digit(c); });
  return acronym ? start : english;
}

/// A web host as the first folder (www.example.com/a.html): a URL without its scheme, not a path.
bool starts_with_host(std::string_view path) {
  const std::size_t slash = path.find('/');
  if (slash == npos) return false;
  const std::string_view host = path.substr(0, slash);
  const std::size_t dot = host.rfind('.');
  if (dot == npos || dot == 0) return false;
  const std::string_view tld = host.substr(dot + 1);
  return tld.size() >= 2 && std::all_of(tld.begin(), tld.end(), is_alpha) &&
         std::all_of(host.begin(), host.end(), [](char c) { return is_alnum(c) || c == '.' || c == '-'; });
}

/// Where the path that ends with the extension at line[dot] starts, not before `floor`; npos for a bare
/// extension (*.md) or a URL. A path is ASCII letters, digits and _-.~+/\, Chinese characters and
/// (balanced) parenthesised parts: 报价单(1).xlsx, 操作手册/客服工单流转.md.
std::size_t path_start(std::string_view line, std::size_t dot, std::size_t floor) {
  std::size_t s = dot;
  while (s > floor) {
    const char c = line[s - 1];
    if (is_alnum(c) || is_one_of(c, "_-.~+/\\")) {
      --s;
      continue;
    }
    const std::size_t open = remark_start(line, s);
    if (open != npos && open >= floor) {
      s = open;
      continue;
    }
    const CodePoint cp = is_non_ascii(c) ? decode_before(line, s) : CodePoint{0, 0};
    if (!is_han(cp.value)) break;
    s -= cp.size;
  }
  s = cut_before_english_name(line, cut_lead_in(line, s, dot), dot);
  while (s < dot && (line[s] == '-' || line[s] == '+')) ++s;
  if (s == dot || is_one_of(line[dot - 1], "/\\")) return npos;
  if (s > 0 && line[s - 1] == ':' && is_one_of(line[s], "/\\")) {
    const bool drive = s >= 2 && is_alpha(line[s - 2]) && (s == 2 || !is_alnum(line[s - 3]));
    if (!drive) return npos;  // scheme://host/…
    s -= 2;
  }
  return starts_with_host(line.substr(s, dot - s)) ? npos : s;
}

/// File names with a document extension in running text: 见 操作手册/客服工单流转.md。, `docs/a.md`,
/// C:\交接\客户清单.xlsx. Parts of the line in `covered` (links, secrets) are skipped.
void plain_paths(std::string_view line, const std::vector<Span>& covered, std::vector<Reference>& refs) {
  std::size_t floor = 0, k = 0;
  for (std::size_t dot = line.find('.'); dot != npos; dot = line.find('.', dot + 1)) {
    while (k < covered.size() && covered[k].end <= dot) floor = std::max(floor, covered[k++].end);
    if (k < covered.size() && covered[k].begin <= dot) continue;
    const std::size_t end = extension_end(line, dot);
    if (end == npos) continue;
    const std::size_t start = path_start(line, dot, floor);
    if (start == npos) continue;
    refs.push_back({start, "path", std::string(line.substr(start, end - start))});
    floor = end;
    dot = end - 1;
  }
}

constexpr std::string_view sentence_marks[] = {"，", "。", "！", "？", "；"};

/// Titles in book-title marks that may name a document: 《客服工单流转规则》. 2 to 40 characters and no
/// sentence punctuation inside (a quoted sentence is not a title); an unclosed 《 counts for nothing.
void book_titles(std::string_view line, std::vector<Reference>& refs) {
  std::size_t close = npos;
  for (std::size_t open = line.find("《"); open != npos;) {
    const std::size_t next = line.find("《", open + 3);
    if (close == npos || close < open) close = line.find("》", open + 3);
    if (close == npos) return;
    std::string_view title = trim(line.substr(open + 3, close - open - 3));
    while (title.starts_with("\u3000")) title.remove_prefix(3);
    while (title.ends_with("\u3000")) title.remove_suffix(3);
    std::size_t chars = 0;
    for (std::size_t i = 0; i < title.size(); i += decode_at(title, i).size) ++chars;
    const bool sentence = std::any_of(std::begin(sentence_marks), std::end(sentence_marks),
                                      [&](std::string_view mark) { return title.find(mark) != npos; });
    if (close < next && chars >= 2 && chars <= 40 && !sentence) refs.push_back({open, "title", std::string(title)});
    open = next;
  }
}

/// The references on a line, in order, each target once. `covered`: the line's secrets, to skip.
std::vector<Reference> find_references(std::string_view line, std::vector<Span> covered) {
  std::vector<Reference> refs;
  std::vector<Span> links;
  markdown_links(line, refs, links);
  covered.insert(covered.end(), links.begin(), links.end());
  std::sort(covered.begin(), covered.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  plain_paths(line, covered, refs);
  book_titles(line, refs);
  std::stable_sort(refs.begin(), refs.end(), [](const Reference& a, const Reference& b) { return a.at < b.at; });
  std::set<std::string> seen;
  std::erase_if(refs, [&](const Reference& r) { return !seen.insert(r.value).second; });
  return refs;
}

// ---- findings ----------------------------------------------------------------------------------

/// How a secret shows in a report: masked, a private key without even its first characters.
std::string shown(std::string_view value, std::string_view label) {
  return label == "private_key" ? std::string("******") : mask(value);
}

/// `line` trimmed, with its secrets (line-relative, in order) shown masked, cut to excerpt_bytes.
/// Only what the excerpt can show is copied: a line may be megabytes long.
std::string make_excerpt(std::string_view line, const std::vector<Span>& secrets) {
  // A few bytes more than will be shown, so that a character cut by the copy falls past the cut below.
  constexpr std::size_t copied = excerpt_bytes + 4;
  std::size_t pos = 0;
  while (pos < line.size() && is_space(line[pos])) ++pos;
  std::string out;
  for (const Span& s : secrets) {
    if (out.size() >= copied) break;
    if (s.end <= pos) continue;
    out.append(line.substr(pos, s.begin > pos ? s.begin - pos : 0));
    out += shown(line.substr(s.begin, s.end - s.begin), s.label);
    pos = s.end;
  }
  const std::size_t room = out.size() >= copied ? 0 : copied - out.size();
  const bool whole = line.size() - pos <= room;
  out.append(line.substr(pos, room));
  if (whole)
    while (!out.empty() && is_space(out.back())) out.pop_back();
  // Repaired before it is cut: U+FFFD is longer than the byte it replaces.
  out = sanitize_utf8(out);
  if (out.size() <= excerpt_bytes) return out;
  std::size_t cut = excerpt_bytes;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  out.resize(cut);
  while (!out.empty() && is_space(out.back())) out.pop_back();
  return out + "…";
}

/// Builds the findings one line at a time, from the text's secrets found beforehand.
class FindingCollector {
 public:
  explicit FindingCollector(std::string_view text) : text_(text), secrets_(find_secrets(text)) {}

  void scan(std::string_view line, std::size_t offset, int number) {
    const std::size_t line_end = offset + line.size();
    while (overlap_ < secrets_.size() && secrets_[overlap_].end <= offset) ++overlap_;
    std::vector<Span> spans;  // the secrets on this line, line-relative
    bool all_secret = false;  // a line of a private key's body
    for (std::size_t k = overlap_; k < secrets_.size() && secrets_[k].begin < std::max(line_end, offset + 1); ++k) {
      const Secret& s = secrets_[k];
      all_secret = all_secret || (s.begin <= offset && s.end >= line_end);
      spans.push_back({std::max(s.begin, offset) - offset, std::min(s.end, line_end) - offset, s.label});
    }
    std::optional<std::string> excerpt;
    const auto add = [&](FindingKind kind, std::string_view label, std::string value) {
      if (!excerpt) excerpt = make_excerpt(line, spans);
      findings_.push_back({kind, number, std::string(label), *excerpt, std::move(value)});
    };
    const std::string_view marker = all_secret ? std::string_view() : first_marker(line);
    if (!marker.empty()) add(FindingKind::marker, marker, {});
    for (; reported_ < secrets_.size() && secrets_[reported_].line <= number; ++reported_) {
      const Secret& s = secrets_[reported_];
      add(FindingKind::secret, s.label, shown(text_.substr(s.begin, s.end - s.begin), s.label));
    }
    if (all_secret) return;
    for (Reference& r : find_references(line, spans)) add(FindingKind::reference, r.label, sanitize_utf8(r.value));
  }

  std::vector<Finding> take() { return std::move(findings_); }

 private:
  std::string_view text_;
  std::vector<Secret> secrets_;
  std::size_t overlap_ = 0;   // the first secret that may reach the current line
  std::size_t reported_ = 0;  // the first secret not yet reported
  std::vector<Finding> findings_;
};

}  // namespace

std::vector<Finding> scan_findings(std::string_view text) {
  FindingCollector collector(text);
  for_each_line(text,
                [&](std::string_view line, std::size_t offset, int number) { collector.scan(line, offset, number); });
  return collector.take();
}

std::string redact_secrets(std::string_view text, std::size_t* replaced) {
  return redact_secrets(text, {}, replaced);
}

std::vector<std::string> secret_values(std::string_view text) {
  std::vector<std::string> values;
  for (const Secret& s : find_secrets(text)) values.emplace_back(text.substr(s.begin, s.end - s.begin));
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

std::string redact_secrets(std::string_view text, const std::vector<std::string>& known, std::size_t* replaced) {
  std::vector<Secret> secrets = find_secrets(text);
  const std::size_t found = secrets.size();
  for (const std::string& value : known) {
    if (value.size() < 6) continue;
    for (std::size_t at = text.find(value); at != npos; at = text.find(value, at + value.size()))
      secrets.push_back({at, at + value.size(), {}, 0});
  }
  if (secrets.size() > found) {  // merged with what the text's own scan found, overlaps joined
    std::sort(secrets.begin(), secrets.end(), [](const Secret& a, const Secret& b) { return a.begin < b.begin; });
    std::vector<Secret> merged;
    for (const Secret& s : secrets) {
      if (!merged.empty() && s.begin < merged.back().end) {
        merged.back().end = std::max(merged.back().end, s.end);
      } else {
        merged.push_back(s);
      }
    }
    secrets = std::move(merged);
  }
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  for (const Secret& s : secrets) {
    out.append(text.substr(pos, s.begin - pos));
    out += redaction;
    pos = s.end;
  }
  out.append(text.substr(pos));
  if (replaced) *replaced = secrets.size();
  return out;
}

}  // namespace baton
