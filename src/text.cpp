#include "baton/text.h"

#include <unicode/normalizer2.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>
#include <opencc.h>
#include <uchardet.h>
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <mutex>

namespace baton {

namespace {

// Length of the well-formed UTF-8 sequence at s[i], or 0 if it is ill-formed (RFC 3629).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return n;
}

// Text has no NUL byte and next to no other control characters; binary data (random bytes, images,
// archives) has NULs, or failing that about one control byte in ten. Tab, line ends, form feed and
// ESC (colour codes in logs) are text's own.
bool looks_binary(std::string_view bytes) {
  const std::string_view probe = bytes.substr(0, 8192);
  std::size_t controls = 0;
  for (const char c : probe) {
    if (c == '\0') return true;
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' &&
        c != '\x1b')
      ++controls;
  }
  // More than one in twenty: a text with a stray control character or two stays text.
  return controls * 20 > probe.size();
}

std::string detect_charset(std::string_view bytes) {
  std::unique_ptr<std::remove_pointer_t<uchardet_t>, decltype(&uchardet_delete)> ud(uchardet_new(),
                                                                                   &uchardet_delete);
  // uchardet only needs a sample; a few hundred KB decide as well as the whole file.
  const std::size_t sample = std::min<std::size_t>(bytes.size(), 256 * 1024);
  if (uchardet_handle_data(ud.get(), bytes.data(), sample) != 0) return {};
  uchardet_data_end(ud.get());
  return uchardet_get_charset(ud.get());
}

}  // namespace

bool is_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

Result<std::string> convert_to_utf8(std::string_view bytes, std::string_view charset) {
  const std::string name(charset);
  UErrorCode status = U_ZERO_ERROR;
  UConverter* conv = ucnv_open(name.c_str(), &status);
  if (U_FAILURE(status)) return make_error("unknown charset '" + name + "'");
  // GB2312 and GBK labels are routinely used for text that only GB18030 covers.
  const icu::UnicodeString u(bytes.data(), static_cast<int32_t>(bytes.size()), conv, status);
  ucnv_close(conv);
  if (U_FAILURE(status)) return make_error("cannot convert from '" + name + "': " + u_errorName(status));
  std::string out;
  u.toUTF8String(out);
  return out;
}

Result<Decoded> to_utf8(std::string_view bytes, std::string_view declared) {
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF")
    return Decoded{sanitize_utf8(bytes.substr(3)), "UTF-8"};
  if (bytes.size() >= 2 && (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF")) {
    const char* name = bytes[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE";
    auto text = convert_to_utf8(bytes.substr(2), name);
    if (!text) return text.error();
    return Decoded{std::move(text.value()), name};
  }
  if (looks_binary(bytes)) return make_error("binary data, not text");
  if (is_utf8(bytes)) return Decoded{std::string(bytes), "UTF-8"};

  std::string charset(declared);
  std::transform(charset.begin(), charset.end(), charset.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (charset.empty() || charset == "UTF-8" || charset == "US-ASCII" || charset == "ASCII") {
    charset = detect_charset(bytes);
  }
  // The GB family is a chain of supersets: decoding as GB18030 never loses what GBK/GB2312 meant.
  if (charset.empty() || charset == "GB2312" || charset == "GBK" || charset == "EUC-CN" ||
      charset == "HZ-GB-2312")
    charset = "GB18030";
  auto text = convert_to_utf8(bytes, charset);
  if (!text) text = convert_to_utf8(bytes, "GB18030");
  if (!text) return text.error();
  return Decoded{sanitize_utf8(text.value()), charset};
}

namespace {
#include "fold_table.inc"

char32_t fold_han(char32_t c) {
  if (c < fold_first || c > fold_last) return c;
  const char16_t to = fold_table[c - fold_first];
  return to ? to : c;
}
}  // namespace

std::string normalize_for_index(std::string_view s) {
  // ASCII is its own NFKC form and case-folds to lower case: skip ICU's UTF-16 round trip.
  if (std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
    return ascii_lower(s);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) return std::string(s);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  icu::UnicodeString folded = nfkc->normalize(u, status);
  if (U_FAILURE(status)) return std::string(s);
  // Traditional → Simplified, character by character: every mapped character is in the BMP.
  for (int32_t i = 0; i < folded.length(); ++i) {
    const char16_t c = folded.charAt(i);
    if (const char32_t to = fold_han(c); to != c) folded.setCharAt(i, static_cast<char16_t>(to));
  }
  std::string out;
  folded.toUTF8String(out);
  return out;
}

std::string mainland_wording(std::string_view s) {
  bool traditional = false;
  for (std::size_t i = 0; i < s.size() && !traditional;) {
    UChar32 c;
    U8_NEXT(s.data(), i, s.size(), c);
    traditional = c > 0 && fold_han(static_cast<char32_t>(c)) != static_cast<char32_t>(c);
  }
  if (!traditional) return std::string(s);
  // Loaded on first use (about 10 ms); OpenCC does not promise that one converter serves several
  // threads at once, and queries in Traditional are few: one at a time.
  struct Converter {
    opencc_t handle = opencc_open("tw2sp.json");
    std::mutex mutex;
    ~Converter() {
      if (handle != reinterpret_cast<opencc_t>(-1)) opencc_close(handle);
    }
  };
  static Converter converter;
  if (converter.handle == reinterpret_cast<opencc_t>(-1)) return std::string(s);
  const std::lock_guard lock(converter.mutex);
  char* out = opencc_convert_utf8(converter.handle, s.data(), s.size());
  if (!out) return std::string(s);
  std::string result(out);
  opencc_convert_utf8_free(out);
  return result;
}

char32_t fold_cjk(char32_t c) {
  // The unified ideographs are their own NFKC case fold: only the table applies. Anything else
  // (compatibility ideographs, width forms, radicals, kana) goes through ICU.
  if (c >= fold_first && c <= fold_last) return fold_han(c);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) return c;
  const icu::UnicodeString n = nfkc->normalize(icu::UnicodeString(static_cast<UChar32>(c)), status);
  if (U_FAILURE(status) || n.isEmpty()) return c;
  return fold_han(static_cast<char32_t>(n.char32At(0)));
}

bool is_cjk(unsigned p) {
  return (p >= 0x2E80 && p <= 0x2EFF) || (p >= 0x3000 && p <= 0x9FFF) || (p >= 0xA700 && p <= 0xA71F) ||
         (p >= 0xAC00 && p <= 0xD7AF) || (p >= 0xF900 && p <= 0xFAFF) || (p >= 0xFE30 && p <= 0xFE4F) ||
         (p >= 0xFF00 && p <= 0xFFEF) || (p >= 0x20000 && p <= 0x2A6DF) || (p >= 0x2F800 && p <= 0x2FA1F);
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string merge_adjacent_marks(std::string_view html, std::string_view open, std::string_view close) {
  const std::string seam = std::string(close) + std::string(open);
  std::string out;
  out.reserve(html.size());
  std::size_t pos = 0;
  for (std::size_t hit; (hit = html.find(seam, pos)) != std::string_view::npos; pos = hit + seam.size())
    out.append(html.substr(pos, hit - pos));
  out.append(html.substr(pos));
  return out;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_wide(char32_t c) {
  return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) || (c >= 0x20000 && c <= 0x3FFFF);
}

int display_width(std::string_view s) {
  int width = 0;
  for (int32_t i = 0, n = static_cast<int32_t>(s.size()); i < n;) {
    UChar32 c = 0;
    U8_NEXT(s.data(), i, n, c);
    width += c >= 0 && is_wide(static_cast<char32_t>(c)) ? 2 : 1;
  }
  return width;
}

std::string_view without_sort_number(std::string_view name) {
  std::size_t i = 0;
  while (i < name.size() && name[i] >= '0' && name[i] <= '9') ++i;
  if (i == 0 || i > 4) return name;  // "2026Q4续约" is a name with a year, not a sort number
  std::size_t j = i;
  while (j < name.size() && (name[j] == '_' || name[j] == '-' || name[j] == '.' || name[j] == ' ')) ++j;
  if (name.substr(j).starts_with("、")) j += 3;
  if (j == i || j == name.size()) return name;
  return name.substr(j);
}

std::string tidy_whitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  int blank_run = 0;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find('\n', start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view line = trim(s.substr(start, end - start));
    if (line.empty()) {
      ++blank_run;
    } else {
      if (!out.empty()) out += blank_run > 0 ? "\n\n" : "\n";
      blank_run = 0;
      bool in_space = false;
      for (char c : line) {
        const bool space = c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
        if (space) {
          if (!in_space) out += ' ';
        } else {
          out += c;
        }
        in_space = space;
      }
    }
    start = end + 1;
  }
  return out;
}

std::string hash_hex(std::string_view bytes) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx",
                static_cast<unsigned long long>(XXH3_64bits(bytes.data(), bytes.size())));
  return buf;
}

}  // namespace baton
