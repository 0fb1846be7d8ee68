// OOXML (docx, xlsx, pptx) and ODF (odt) through libzip + pugixml.
//
// Every part is inflated against one budget per file (max_unpacked_bytes) and a limit per part
// (max_part_bytes), and no entry may inflate to more than its header declares, so a zip bomb costs
// an error, not the machine. Element names are matched by local name (the prefix dropped): prefixes
// are the writer's choice, and strict OOXML uses other namespace URIs for the same elements. Trees are
// walked without recursion: hostile files nest deeper than the stack allows.
#include <zip.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "baton/extract.h"
#include "baton/text.h"
#include "extract_internal.h"

namespace baton::detail {

namespace {

constexpr std::string_view ole_magic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
// A spreadsheet is cut here rather than make one unit of search out of a data dump.
constexpr std::size_t max_sheet_rows = 200'000;
// Shared strings let a small sheet repeat a long string a million times; the text stops here, where
// extract() would cut it anyway, with a note that says how many rows were read.
constexpr std::size_t max_sheet_text_bytes = max_document_text_bytes;

// ---- small string helpers -------------------------------------------------------------------------

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// One line: runs of ASCII whitespace (newlines too) become one space, trimmed at both ends.
std::string one_line(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// "2024-03-01T09:30:00Z" → "2024-03-01"; empty for anything that does not start with a date.
std::string iso_date(std::string_view s) {
  s = trim(s);
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return {};
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[static_cast<std::size_t>(i)] < '0' || s[static_cast<std::size_t>(i)] > '9') return {};
  return std::string(s.substr(0, 10));
}

std::optional<int> parse_int(std::string_view s) {
  int value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// ---- XML helpers ------------------------------------------------------------------------------------

std::string_view local_name(const char* name) {
  const std::string_view s(name);
  const std::size_t colon = s.find(':');
  return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

std::string_view local_name(pugi::xml_node n) {
  return local_name(n.name());
}

bool is_text(pugi::xml_node n) {
  return n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata;
}

pugi::xml_node child(pugi::xml_node parent, std::string_view local) {
  for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && local_name(c) == local) return c;
  return {};
}

std::string_view attr(pugi::xml_node n, std::string_view local) {
  for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute())
    if (local_name(a.name()) == local) return a.value();
  return {};
}

// The relationship id of a sheet or slide reference (r:id), which is not its plain `id`.
std::string_view rel_id(pugi::xml_node n) {
  for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute()) {
    const std::string_view name = a.name();
    if (name.find(':') != std::string_view::npos && local_name(a.name()) == "id") return a.value();
  }
  return {};
}

// Visits the tree under `root` in document order without recursion. `enter(node)` returns whether to
// descend into the node's children; `leave(node)` follows for every node entered.
template <typename Visitor>
void walk(pugi::xml_node root, Visitor& v) {
  pugi::xml_node n = root.first_child();
  while (n) {
    if (v.enter(n) && n.first_child()) {
      n = n.first_child();
      continue;
    }
    v.leave(n);
    while (!n.next_sibling()) {
      n = n.parent();
      if (!n || n == root) return;
      v.leave(n);
    }
    n = n.next_sibling();
  }
}

// Rich text (a shared string, an inline string, a cell comment): every t, but not the phonetic
// guide (rPh) that Japanese and Chinese workbooks carry beside the text.
std::string rich_text(pugi::xml_node node) {
  struct Collect {
    std::string text;
    bool enter(pugi::xml_node n) {
      if (is_text(n)) {
        if (local_name(n.parent()) == "t") text += n.value();
        return false;
      }
      return local_name(n) != "rPh";
    }
    void leave(pugi::xml_node) {}
  } collect;
  walk(node, collect);
  return std::move(collect.text);
}

// ---- the zip package ---------------------------------------------------------------------------------

struct XmlPart {
  std::string bytes;  // parsed in place: the tree points into it
  pugi::xml_document doc;
};
using XmlPtr = std::unique_ptr<XmlPart>;

struct Relationship {
  std::string id;
  std::string type;    // last segment of the type URI: "officeDocument", "styles", "worksheet" ...
  std::string target;  // the part it names, resolved against the source part
};

struct ZipDiscard {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileClose {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

// "word/document.xml" + "../media/a.png" → "media/a.png"; "/xl/x.xml" → "xl/x.xml".
std::string resolve_target(std::string_view source_part, std::string_view target) {
  std::string path;
  if (!target.empty() && target.front() == '/') {
    path = target.substr(1);
  } else {
    const std::size_t slash = source_part.rfind('/');
    if (slash != std::string_view::npos) path = source_part.substr(0, slash + 1);
    path += target;
  }
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    const std::string segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& s : segments) out += (out.empty() ? "" : "/") + s;
  return out;
}

// "word/document.xml" → "word/_rels/document.xml.rels"; "" (the package) → "_rels/.rels".
std::string rels_part_of(std::string_view part) {
  const std::size_t slash = part.rfind('/');
  const std::string_view dir = slash == std::string_view::npos ? std::string_view() : part.substr(0, slash + 1);
  const std::string_view file = slash == std::string_view::npos ? part : part.substr(slash + 1);
  return std::string(dir) + "_rels/" + std::string(file) + ".rels";
}

/// An OOXML or ODF package: a zip read from memory whose parts are inflated against one budget.
class Package {
 public:
  /// Opens `bytes` as the zip of a `format` ("docx", ...) file.
  static Result<Package> open(std::string_view bytes, std::string format) {
    if (bytes.empty()) return make_error("empty file: not a valid " + format);
    if (bytes.substr(0, ole_magic.size()) == ole_magic)
      return make_error("encrypted or legacy Office file (OLE container): save it unencrypted as .docx/.xlsx");
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    zip_t* zip = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
    if (!zip) {
      if (source) zip_source_free(source);
      const bool not_zip = zip_error_code_zip(&error) == ZIP_ER_NOZIP;
      std::string why = zip_error_strerror(&error);
      zip_error_fini(&error);
      if (not_zip)
        return make_error("corrupt zip: not a zip archive (the " + format + " is damaged, truncated or not a " +
                          format + " at all)");
      return make_error("corrupt zip: " + lower_ascii(why));
    }
    zip_error_fini(&error);
    return Package(zip, std::move(format));
  }

  /// Every part name, in archive order, normalised (lower case, '/' separated).
  const std::vector<std::string>& parts() const { return names_; }
  bool has(std::string_view part) const { return find(part).has_value(); }

  /// "not a valid docx: <what>".
  Error invalid(std::string_view what) const { return make_error("not a valid " + format_ + ": " + std::string(what)); }

  /// The inflated bytes of a part. Errors: missing part, corrupt or encrypted entry, budget exceeded.
  Result<std::string> read(std::string_view part) {
    const auto index = find(part);
    if (!index) return invalid("missing " + std::string(part));
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip_.get(), *index, 0, &st) != 0) return corrupt(part, zip_strerror(zip_.get()));
    const bool declared = (st.valid & ZIP_STAT_SIZE) != 0;
    if (declared && st.size > max_part_bytes) return part_too_big(part);
    if (declared && st.size > left_) return too_big();
    const std::size_t allowed = std::min(left_, max_part_bytes);
    const std::size_t limit = declared ? static_cast<std::size_t>(st.size) : allowed;
    std::unique_ptr<zip_file_t, ZipFileClose> file(zip_fopen_index(zip_.get(), *index, 0));
    if (!file) {
      const int code = zip_error_code_zip(zip_get_error(zip_.get()));
      if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD || code == ZIP_ER_ENCRNOTSUPP)
        return make_error("encrypted " + format_ + " (password-protected zip): save it without a password");
      return corrupt(part, zip_strerror(zip_.get()));
    }
    std::string data;
    data.reserve(std::min<std::size_t>(limit, 16u << 20));
    constexpr std::size_t chunk = 64u << 10;
    for (;;) {
      const std::size_t old = data.size();
      // Asking for one byte more than allowed is how a lie in the header shows, before it costs memory.
      const std::size_t want = std::min(chunk, limit - old + 1);
      data.resize(old + want);
      const zip_int64_t n = zip_fread(file.get(), data.data() + old, want);
      if (n < 0) return corrupt(part, zip_error_strerror(zip_file_get_error(file.get())));
      data.resize(old + static_cast<std::size_t>(n));
      if (n == 0) break;
      if (data.size() > limit) {
        if (declared) return corrupt(part, "it inflates to more than its header says");
        return left_ < max_part_bytes ? too_big() : part_too_big(part);
      }
    }
    left_ -= data.size();
    return data;
  }

  /// A part parsed as XML. Errors: those of read(), and XML that is not well-formed.
  Result<XmlPtr> xml(std::string_view part) {
    auto bytes = read(part);
    if (!bytes) return bytes.error();
    std::string why;
    XmlPtr parsed = parse(std::move(*bytes), why);
    if (!parsed) return invalid(std::string(part) + " is not well-formed XML (" + why + ")");
    return parsed;
  }

  /// A part that may be absent: null when it is missing or not well-formed. Zip errors and an
  /// exhausted budget are still errors: they say the whole file is bad.
  Result<XmlPtr> optional_xml(std::string_view part) {
    if (!has(part)) return XmlPtr();
    auto bytes = read(part);
    if (!bytes) return bytes.error();
    std::string why;
    return parse(std::move(*bytes), why);
  }

  /// The relationships of `part` ("" for the package's own), from its _rels part; none if it has none.
  Result<std::vector<Relationship>> relationships(std::string_view part) {
    auto rels = optional_xml(rels_part_of(part));
    if (!rels) return rels.error();
    std::vector<Relationship> out;
    if (!*rels) return out;
    for (pugi::xml_node r : (*rels)->doc.document_element().children()) {
      if (local_name(r) != "Relationship" || attr(r, "TargetMode") == "External") continue;
      const std::string_view type = attr(r, "Type");
      out.push_back({std::string(attr(r, "Id")), std::string(type.substr(type.rfind('/') + 1)),
                     resolve_target(part, attr(r, "Target"))});
    }
    return out;
  }

 private:
  Package(zip_t* zip, std::string format) : zip_(zip), format_(std::move(format)) {
    const zip_int64_t count = zip_get_num_entries(zip, 0);
    for (zip_int64_t i = 0; i < count; ++i) {
      const char* name = zip_get_name(zip, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW);
      if (!name) continue;
      std::string key = normalise(name);
      if (index_.emplace(key, static_cast<zip_uint64_t>(i)).second) names_.push_back(std::move(key));
    }
  }

  // Part names are case-insensitive (OPC), and some Windows tools write '\' for '/'.
  static std::string normalise(std::string_view name) {
    std::string key = lower_ascii(name);
    std::replace(key.begin(), key.end(), '\\', '/');
    const std::size_t start = key.find_first_not_of('/');
    return start == std::string::npos ? std::string() : key.substr(start);
  }

  std::optional<zip_uint64_t> find(std::string_view part) const {
    const auto it = index_.find(normalise(part));
    if (it == index_.end()) return std::nullopt;
    return it->second;
  }

  static XmlPtr parse(std::string bytes, std::string& why) {
    auto part = std::make_unique<XmlPart>();
    part->bytes = std::move(bytes);
    // Whitespace-only text is kept where it is an element's only content: <w:t xml:space="preserve"> </w:t>.
    const pugi::xml_parse_result r = part->doc.load_buffer_inplace(part->bytes.data(), part->bytes.size(),
                                                                   pugi::parse_default | pugi::parse_ws_pcdata_single);
    if (!r) {
      why = std::string(r.description()) + " at byte " + std::to_string(r.offset);
      return nullptr;
    }
    return part;
  }

  Error corrupt(std::string_view part, std::string_view why) const {
    return make_error("corrupt zip: " + std::string(part) + ": " + std::string(why));
  }
  Error part_too_big(std::string_view part) const {
    return make_error(std::string(part) + " in the " + format_ + " unpacks to more than " +
                      std::to_string(max_part_bytes >> 20) + " MB (a zip bomb, or too big to read): not read");
  }
  Error too_big() const {
    return make_error(format_ + " unpacks to more than " + std::to_string(max_unpacked_bytes >> 20) +
                      " MB (a zip bomb?): not read");
  }

  std::unique_ptr<zip_t, ZipDiscard> zip_;
  std::string format_;
  std::unordered_map<std::string, zip_uint64_t> index_;
  std::vector<std::string> names_;
  std::size_t left_ = max_unpacked_bytes;
};

// The target of the first relationship of `type` whose part exists, else `fallback`.
std::string target_of(const Package& pkg, const std::vector<Relationship>& rels, std::string_view type,
                      std::string_view fallback) {
  for (const auto& r : rels)
    if (r.type == type && pkg.has(r.target)) return r.target;
  return std::string(fallback);
}

// Title, author and date from OOXML core properties (docProps/core.xml) or ODF meta (meta.xml).
void read_properties(pugi::xml_node props, Document& doc) {
  doc.title = one_line(child(props, "title").text().get());
  doc.author = one_line(child(props, "creator").text().get());
  if (doc.author.empty()) doc.author = one_line(child(props, "initial-creator").text().get());
  for (std::string_view key : {"modified", "date", "created", "creation-date"}) {
    doc.date = iso_date(child(props, key).text().get());
    if (!doc.date.empty()) break;
  }
}

Status read_core_properties(Package& pkg, const std::vector<Relationship>& root_rels, Document& doc) {
  auto core = pkg.optional_xml(target_of(pkg, root_rels, "core-properties", "docProps/core.xml"));
  if (!core) return core.error();
  if (*core) read_properties((*core)->doc.document_element(), doc);
  return Ok{};
}

// The package's main part (word/document.xml ...), as its relationships name it.
Result<std::string> main_part(Package& pkg, std::string_view fallback) {
  auto rels = pkg.relationships("");
  if (!rels) return rels.error();
  return target_of(pkg, *rels, "officeDocument", fallback);
}

// ---- text sinks and walkers ---------------------------------------------------------------------------

/// Text on its way to a SectionBuilder. Inside a table the text goes to the current cell, and each row
/// becomes one line of its non-empty cells joined by " | ". A capture (a slide title) takes everything.
class TextSink {
 public:
  explicit TextSink(SectionBuilder& out) : out_(out) {}

  SectionBuilder& builder() { return out_; }
  bool in_table() const { return table_depth_ > 0; }
  bool capturing() const { return capture_ != nullptr; }
  void capture(std::string* into) { capture_ = into; }

  void text(std::string_view s) {
    if (capture_)
      capture_->append(s);
    else if (in_cell())
      row_.back().append(s);
    else
      out_.text(s);
  }
  void line_break() {
    if (capture_ || in_cell())
      text(" ");
    else
      out_.line_break();
  }
  void paragraph_break() {
    if (capture_ || in_cell())
      text(" ");
    else
      out_.paragraph_break();
  }

  void enter_table() {
    if (table_depth_++ > 0) return;
    row_.clear();
    out_.paragraph_break();  // after a list, too
  }
  void leave_table() {
    if (table_depth_ == 1) flush_row();
    if (--table_depth_ == 0) out_.paragraph_break();
  }
  // A table nested in a cell flattens into that cell.
  void enter_row() {
    if (table_depth_ == 1)
      flush_row();
    else
      text(" ");
  }
  void leave_row() {
    if (table_depth_ == 1)
      flush_row();
    else
      text(" ");
  }
  void enter_cell() {
    if (table_depth_ == 1)
      row_.emplace_back();
    else
      text(" ");
  }
  void leave_cell() {
    if (table_depth_ != 1) text(" ");
  }

 private:
  bool in_cell() const { return table_depth_ > 0 && !row_.empty(); }
  void flush_row() {
    std::string line;
    for (const auto& cell : row_) {
      std::string value = one_line(cell);
      if (value.empty()) continue;
      if (!line.empty()) line += " | ";
      line += value;
    }
    row_.clear();
    if (line.empty()) return;
    out_.text(line);
    out_.line_break();
  }

  SectionBuilder& out_;
  std::string* capture_ = nullptr;
  int table_depth_ = 0;
  std::vector<std::string> row_;
};

/// What a Word paragraph style means here.
struct ParagraphStyle {
  int level = 0;  // heading level, 0 for body text
  bool list = false;
  bool toc = false;  // an entry of a table of contents: it repeats the headings
};

// "heading 2", "Heading2", "标题 2" → 2; "Title", "标题" → 1; anything else → 0.
int heading_level_of_name(std::string_view name) {
  std::string s;
  for (char c : lower_ascii(name))
    if (c != ' ') s += c;
  if (s == "title" || s == "标题") return 1;
  std::string_view rest = s;
  if (rest.starts_with("heading"))
    rest.remove_prefix(7);
  else if (rest.starts_with("标题"))
    rest.remove_prefix(std::string_view("标题").size());
  else
    return 0;
  const auto level = parse_int(rest);
  return level && *level >= 1 && *level <= 9 ? *level : 0;
}

// w:outlineLvl: 0..8 are heading levels 1..9, 9 is body text.
int outline_level(std::string_view val) {
  const auto n = parse_int(val);
  return n && *n >= 0 && *n <= 8 ? *n + 1 : 0;
}

/// Paragraph styles of word/styles.xml by styleId, with heading levels inherited through basedOn.
class Styles {
 public:
  Styles() = default;
  explicit Styles(pugi::xml_node root) {
    struct Raw {
      int level = -1;  // -1: not said, look at basedOn
      bool list = false;
      bool toc = false;
      std::string based_on;
    };
    std::unordered_map<std::string, Raw> raw;
    std::string default_id;
    for (pugi::xml_node s : root.children()) {
      if (local_name(s) != "style") continue;
      const std::string_view type = attr(s, "type");
      if (!type.empty() && type != "paragraph") continue;
      const std::string id(attr(s, "styleId"));
      const std::string_view name = attr(child(s, "name"), "val");
      Raw r;
      const int named = std::max(heading_level_of_name(name), heading_level_of_name(id));
      if (named > 0) r.level = named;
      const pugi::xml_node ppr = child(s, "pPr");
      if (const std::string_view lvl = attr(child(ppr, "outlineLvl"), "val"); r.level < 0 && !lvl.empty())
        r.level = outline_level(lvl);
      const std::string lower = lower_ascii(name);
      r.list = lower.starts_with("list") || lower.starts_with("列表") || child(ppr, "numPr");
      r.toc = lower.starts_with("toc ") || lower.starts_with("目录 ");
      r.based_on = attr(child(s, "basedOn"), "val");
      const std::string_view is_default = attr(s, "default");
      if (is_default == "1" || is_default == "true") default_id = id;
      raw.emplace(id, std::move(r));
    }
    for (const auto& [id, r] : raw) {
      int level = r.level;
      std::string_view base = r.based_on;
      for (int hops = 0; level < 0 && hops < 16; ++hops) {  // bounded: basedOn chains can loop
        const auto it = raw.find(std::string(base));
        if (it == raw.end()) break;
        level = it->second.level;
        base = it->second.based_on;
      }
      by_id_[id] = {std::max(level, 0), r.list, r.toc};
    }
    if (const auto it = by_id_.find(default_id); it != by_id_.end()) default_ = it->second;
  }

  /// The style of a pStyle value ("" for a paragraph without one: the default style).
  ParagraphStyle of(std::string_view id) const {
    if (id.empty()) return default_;
    if (const auto it = by_id_.find(std::string(id)); it != by_id_.end()) return it->second;
    return {heading_level_of_name(id), false, false};  // no styles.xml: a styleId like "Heading1" still says it
  }

 private:
  std::unordered_map<std::string, ParagraphStyle> by_id_;
  ParagraphStyle default_;
};

/// WordprocessingML and DrawingML text. Both call paragraphs p, text t and tables tbl/tr/tc, so one
/// walker serves a Word body (headings from styles), a slide (title placeholder apart) and slide notes.
class OoxmlWalker {
 public:
  enum class Mode { word, slide, notes };
  OoxmlWalker(TextSink& sink, Mode mode, const Styles* styles = nullptr) : sink_(sink), mode_(mode), styles_(styles) {}

  /// The text of a slide's title placeholder.
  const std::string& title() const { return title_; }

  bool enter(pugi::xml_node n) {
    if (is_text(n)) {
      if (local_name(n.parent()) == "t") sink_.text(n.value());
      return false;
    }
    if (n.type() != pugi::node_element) return false;
    const std::string_view name = local_name(n);
    if (name == "p") {
      if (begin_paragraph(n)) return true;
      skipped_paragraph_ = true;  // its leave() comes next, with nothing in between
      return false;
    }
    if (name == "sdt" && is_table_of_contents(n)) return false;
    if (name == "tbl")
      sink_.enter_table();
    else if (name == "tr")
      sink_.enter_row();
    else if (name == "tc")
      sink_.enter_cell();
    else if (name == "tab")
      sink_.text("\t");
    else if (name == "br" || name == "cr")
      sink_.line_break();
    else if (name == "noBreakHyphen")
      sink_.text("-");
    else if (name == "sp" && mode_ != Mode::word)
      return enter_shape(n);
    else if (name == "docPr" || (name == "cNvPr" && local_name(n.parent()) == "nvPicPr"))
      picture(n);
    else if (is_skipped(name))
      return false;
    return true;
  }

  void leave(pugi::xml_node n) {
    if (n.type() != pugi::node_element) return;
    const std::string_view name = local_name(n);
    if (name == "p" && skipped_paragraph_)
      skipped_paragraph_ = false;
    else if (name == "p")
      end_paragraph();
    else if (name == "tbl")
      sink_.leave_table();
    else if (name == "tr")
      sink_.leave_row();
    else if (name == "tc")
      sink_.leave_cell();
    else if (name == "sp" && mode_ != Mode::word)
      leave_shape(n);
  }

 private:
  // Properties hold no text (and w:tabs/w:tab would read as tab characters); deleted and moved-away
  // text is gone; an mc:Fallback repeats its mc:Choice.
  static bool is_skipped(std::string_view name) {
    static constexpr std::string_view skipped[] = {"pPr",     "rPr",  "tblPr",    "trPr",     "tcPr",    "sectPr",
                                                   "tblGrid", "del",  "moveFrom", "Fallback", "delText", "instrText",
                                                   "nvSpPr",  "spPr", "bodyPr",   "lstStyle", "extLst"};
    return std::find(std::begin(skipped), std::end(skipped), name) != std::end(skipped);
  }

  ParagraphStyle style_of(pugi::xml_node p) const {
    const pugi::xml_node ppr = child(p, "pPr");
    ParagraphStyle style = styles_ ? styles_->of(attr(child(ppr, "pStyle"), "val")) : ParagraphStyle{};
    if (const std::string_view lvl = attr(child(ppr, "outlineLvl"), "val"); !lvl.empty())
      style.level = outline_level(lvl);
    if (const pugi::xml_node num = child(ppr, "numPr"); num && attr(child(num, "numId"), "val") != "0")
      style.list = true;
    return style;
  }

  // A picture is its alternative text, or the name of the file it was inserted from: "[image: 组织架构图]",
  // "[image: python-powered.png]" (a document of pictures only is found by them). Word gives both the
  // drawing (docPr) and the picture (cNvPr) these attributes, often the same; "Picture 3" is no name.
  void picture(pugi::xml_node n) {
    if (local_name(n) == "docPr") last_picture_.clear();  // a new drawing
    std::string text = one_line(attr(n, "descr"));
    if (text.empty()) text = one_line(attr(n, "title"));
    if (text.empty()) {
      const std::string name = one_line(attr(n, "name"));
      static constexpr std::string_view image_types[] = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".svg", ".emf", ".wmf", ".webp"};
      const std::string lower = lower_ascii(name);
      if (std::any_of(std::begin(image_types), std::end(image_types), [&](std::string_view e) { return lower.size() > e.size() && lower.ends_with(e); }))
        text = name;
    }
    if (text.empty() || text == last_picture_) return;
    last_picture_ = text;
    sink_.text("[image: " + text + "]");
    if (mode_ == Mode::word) sink_.text(" ");
    else sink_.line_break();
  }

  // A table of contents repeats the headings, with page numbers: it would make its section match them all.
  static bool is_table_of_contents(pugi::xml_node sdt) {
    return attr(child(child(child(sdt, "sdtPr"), "docPartObj"), "docPartGallery"), "val") == "Table of Contents";
  }

  // False for a paragraph to skip (an entry of a table of contents).
  bool begin_paragraph(pugi::xml_node p) {
    if (para_depth_ > 0 || mode_ != Mode::word) {  // a text box inside a paragraph, or DrawingML
      ++para_depth_;
      return true;
    }
    const ParagraphStyle style = style_of(p);
    if (style.toc) return false;
    ++para_depth_;
    list_ = style.list;
    if (after_list_ && !list_) sink_.paragraph_break();
    if (styles_ && style.level > 0 && !sink_.in_table() && !sink_.capturing()) {
      sink_.builder().begin_heading(style.level);
      heading_ = true;
    }
    return true;
  }

  void end_paragraph() {
    if (--para_depth_ > 0) {
      sink_.line_break();
      return;
    }
    if (heading_) {
      sink_.builder().end_heading();
      heading_ = false;
    } else if (mode_ != Mode::word || list_) {
      sink_.line_break();
    } else {
      sink_.paragraph_break();
    }
    after_list_ = list_ && mode_ == Mode::word;
  }

  static std::string_view placeholder_type(pugi::xml_node sp) {
    const pugi::xml_node ph = child(child(child(sp, "nvSpPr"), "nvPr"), "ph");
    if (!ph) return {};
    const std::string_view type = attr(ph, "type");
    return type.empty() ? "obj" : type;
  }

  bool enter_shape(pugi::xml_node sp) {
    const std::string_view type = placeholder_type(sp);
    if (mode_ == Mode::notes) return type == "body";
    // Slide numbers, dates and footers repeat on every slide and say nothing.
    if (type == "sldNum" || type == "dt" || type == "ftr" || type == "hdr" || type == "sldImg") return false;
    if ((type == "title" || type == "ctrTitle") && title_.empty() && !sink_.capturing()) {
      title_shape_ = sp;
      sink_.capture(&title_);
    }
    return true;
  }

  void leave_shape(pugi::xml_node sp) {
    if (sp == title_shape_) {
      sink_.capture(nullptr);
      title_ = one_line(title_);
      title_shape_ = pugi::xml_node();
    } else {
      sink_.paragraph_break();
    }
  }

  TextSink& sink_;
  Mode mode_;
  const Styles* styles_;
  int para_depth_ = 0;
  bool skipped_paragraph_ = false;
  bool heading_ = false;
  bool list_ = false;
  bool after_list_ = false;
  std::string title_;
  pugi::xml_node title_shape_;
  std::string last_picture_;  // (so that a drawing's and its picture's same text is said once)
};

/// ODF text (content.xml): text:h headings, text:p, lists, tables. Footnotes and comments are set
/// aside to be walked on their own.
class OdfWalker {
 public:
  OdfWalker(TextSink& sink, bool headings) : sink_(sink), headings_(headings) {}

  const std::vector<pugi::xml_node>& notes() const { return notes_; }
  const std::vector<pugi::xml_node>& annotations() const { return annotations_; }

  bool enter(pugi::xml_node n) {
    if (is_text(n)) {
      if (para_depth_ > 0) sink_.text(n.value());
      return false;
    }
    if (n.type() != pugi::node_element) return false;
    const std::string_view name = local_name(n);
    if (name == "h")
      begin_paragraph(level_of(n));
    else if (name == "p")
      begin_paragraph(0);
    else if (name == "s")
      sink_.text(" ");
    else if (name == "tab")
      sink_.text("\t");
    else if (name == "line-break")
      sink_.line_break();
    else if (name == "list-item" || name == "list-header")
      ++list_depth_;
    else if (name == "table")
      sink_.enter_table();
    else if (name == "table-row")
      sink_.enter_row();
    else if (name == "table-cell" || name == "covered-table-cell")
      sink_.enter_cell();
    else if (name == "note" || name == "annotation") {
      (name == "note" ? notes_ : annotations_).push_back(n);
      return false;
    } else if (is_skipped(name)) {
      return false;
    }
    return true;
  }

  void leave(pugi::xml_node n) {
    if (n.type() != pugi::node_element) return;
    const std::string_view name = local_name(n);
    if (name == "h" || name == "p")
      end_paragraph();
    else if (name == "list-item" || name == "list-header")
      --list_depth_;
    else if (name == "table")
      sink_.leave_table();
    else if (name == "table-row")
      sink_.leave_row();
    else if (name == "table-cell" || name == "covered-table-cell")
      sink_.leave_cell();
  }

 private:
  // Deleted text of tracked changes, the note's own number, declarations, alt text of drawings (svg:title
  // and svg:desc).
  static bool is_skipped(std::string_view name) {
    static constexpr std::string_view skipped[] = {
        "tracked-changes", "note-citation", "sequence-decls", "variable-decls", "user-field-decls",
        "forms",           "title",         "desc",           "annotation-end"};
    return std::find(std::begin(skipped), std::end(skipped), name) != std::end(skipped);
  }

  static int level_of(pugi::xml_node h) {
    const auto level = parse_int(attr(h, "outline-level"));
    return level && *level >= 1 ? *level : 1;
  }

  void begin_paragraph(int level) {
    if (++para_depth_ > 1) return;  // a text box inside a paragraph
    list_ = list_depth_ > 0;
    if (after_list_ && !list_) sink_.paragraph_break();
    if (headings_ && level > 0 && !sink_.in_table()) {
      sink_.builder().begin_heading(level);
      heading_ = true;
    }
  }

  void end_paragraph() {
    if (--para_depth_ > 0) {
      sink_.line_break();
      return;
    }
    if (heading_) {
      sink_.builder().end_heading();
      heading_ = false;
    } else if (list_) {
      sink_.line_break();
    } else {
      sink_.paragraph_break();
    }
    after_list_ = list_;
  }

  TextSink& sink_;
  bool headings_;
  int para_depth_ = 0;
  int list_depth_ = 0;
  bool heading_ = false;
  bool list_ = false;
  bool after_list_ = false;
  std::vector<pugi::xml_node> notes_;
  std::vector<pugi::xml_node> annotations_;
};

// The text a builder collected, its sections joined by blank lines.
std::string text_of(SectionBuilder& b) {
  std::string text;
  for (const auto& s : b.finish()) {
    if (s.text.empty()) continue;
    if (!text.empty()) text += "\n\n";
    text += s.text;
  }
  return text;
}

// Appends a section of its own ("脚注", "批注"), unless there is no text for it.
void append_section(SectionBuilder& out, std::string_view heading, std::string_view text) {
  if (text.empty()) return;
  out.begin_heading(1);
  out.text(heading);
  out.end_heading();
  out.text(text);
  out.paragraph_break();
}

// ---- docx ---------------------------------------------------------------------------------------------

// Footnotes, endnotes or comments of a Word document, one paragraph each; comments led by their author.
Result<std::string> word_notes(Package& pkg, const std::vector<Relationship>& rels, std::string_view type,
                               std::string_view fallback, std::string_view element) {
  auto xml = pkg.optional_xml(target_of(pkg, rels, type, fallback));
  if (!xml) return xml.error();
  if (!*xml) return std::string();
  SectionBuilder notes;
  TextSink sink(notes);
  for (pugi::xml_node note : (*xml)->doc.document_element().children()) {
    if (local_name(note) != element) continue;
    const std::string_view kind = attr(note, "type");  // separators are not notes
    if (!kind.empty() && kind != "normal") continue;
    const std::string author = one_line(attr(note, "author"));
    if (!author.empty()) notes.text(author + "：");
    OoxmlWalker walker(sink, OoxmlWalker::Mode::word);
    walk(note, walker);
    notes.paragraph_break();
  }
  return text_of(notes);
}

}  // namespace

Result<Document> extract_docx(std::string_view bytes) {
  auto pkg = Package::open(bytes, "docx");
  if (!pkg) return pkg.error();
  auto main = main_part(*pkg, "word/document.xml");
  if (!main) return main.error();
  auto xml = pkg->xml(*main);
  if (!xml) return xml.error();
  const pugi::xml_node body = child((*xml)->doc.document_element(), "body");
  if (!body) return pkg->invalid(*main + " holds no document body");
  auto rels = pkg->relationships(*main);
  if (!rels) return rels.error();

  auto styles_xml = pkg->optional_xml(target_of(*pkg, *rels, "styles", "word/styles.xml"));
  if (!styles_xml) return styles_xml.error();
  const Styles styles = *styles_xml ? Styles((*styles_xml)->doc.document_element()) : Styles();

  SectionBuilder out;
  TextSink sink(out);
  OoxmlWalker walker(sink, OoxmlWalker::Mode::word, &styles);
  walk(body, walker);

  Document doc;
  const std::string first_heading = out.first_heading();  // before the notes add headings of their own
  static constexpr std::string_view notes[][4] = {{"footnotes", "word/footnotes.xml", "footnote", "脚注"},
                                                  {"endnotes", "word/endnotes.xml", "endnote", "尾注"},
                                                  {"comments", "word/comments.xml", "comment", "批注"}};
  for (const auto& [type, fallback, element, heading] : notes) {
    auto text = word_notes(*pkg, *rels, type, fallback, element);
    if (!text) return text.error();
    append_section(out, heading, *text);
  }
  doc.sections = out.finish();

  auto root_rels = pkg->relationships("");
  if (!root_rels) return root_rels.error();
  if (auto status = read_core_properties(*pkg, *root_rels, doc); !status) return status.error();
  if (doc.title.empty()) doc.title = first_heading;
  return doc;
}

// ---- xlsx ---------------------------------------------------------------------------------------------

namespace {

std::vector<std::string> shared_strings(pugi::xml_node sst) {
  std::vector<std::string> strings;
  for (pugi::xml_node si : sst.children())
    if (local_name(si) == "si") strings.push_back(rich_text(si));
  return strings;
}

// A cell's value as the sheet shows it: shared and inline strings, numbers as written, a formula's
// cached result (never the formula). Error values (#N/A) are left out.
std::string cell_value(pugi::xml_node c, const std::vector<std::string>& strings) {
  const std::string_view type = attr(c, "t");
  if (type == "inlineStr") return rich_text(child(c, "is"));
  const std::string_view v = child(c, "v").text().get();
  if (type == "s") {
    const auto i = parse_int(trim(v));
    return i && *i >= 0 && static_cast<std::size_t>(*i) < strings.size() ? strings[static_cast<std::size_t>(*i)]
                                                                         : std::string();
  }
  if (type == "b") return trim(v) == "1" ? "TRUE" : "FALSE";
  if (type == "e") return {};
  return std::string(v);
}

/// Rows of a workbook's sheets as lines, within the limits for all sheets together.
class SheetWriter {
 public:
  SheetWriter(SectionBuilder& out, const std::vector<std::string>& strings) : out_(out), strings_(strings) {}
  bool full() const { return full_; }

  void rows(pugi::xml_node sheet) {
    for (pugi::xml_node row : child(sheet, "sheetData").children()) {
      if (local_name(row) != "row") continue;
      if (rows_ >= max_sheet_rows || bytes_ >= max_sheet_text_bytes) {
        out_.text("（表格过长：只索引了前 " + std::to_string(rows_) + " 行）");
        out_.paragraph_break();
        full_ = true;
        return;
      }
      std::string line;
      for (pugi::xml_node c : row.children()) {
        if (local_name(c) != "c") continue;
        const std::string value = one_line(cell_value(c, strings_));
        if (value.empty()) continue;
        if (!line.empty()) line += " | ";
        line += value;
      }
      if (line.empty()) continue;
      out_.text(line);
      out_.line_break();
      ++rows_;
      bytes_ += line.size();
    }
    out_.paragraph_break();
  }

  // Cell comments: "批注 A1：text".
  void comments(pugi::xml_node root) {
    for (pugi::xml_node c : child(root, "commentList").children()) {
      if (local_name(c) != "comment") continue;
      const std::string text = one_line(rich_text(child(c, "text")));
      if (text.empty()) continue;
      const std::string line = "批注 " + std::string(attr(c, "ref")) + "：" + text;
      out_.text(line);
      out_.line_break();
      bytes_ += line.size();
    }
    out_.paragraph_break();
  }

 private:
  SectionBuilder& out_;
  const std::vector<std::string>& strings_;
  std::size_t rows_ = 0;
  std::size_t bytes_ = 0;
  bool full_ = false;
};

}  // namespace

Result<Document> extract_xlsx(std::string_view bytes) {
  auto pkg = Package::open(bytes, "xlsx");
  if (!pkg) return pkg.error();
  auto main = main_part(*pkg, "xl/workbook.xml");
  if (!main) return main.error();
  auto workbook = pkg->xml(*main);
  if (!workbook) return workbook.error();
  const pugi::xml_node root = (*workbook)->doc.document_element();
  if (local_name(root) != "workbook") return pkg->invalid(*main + " holds no workbook");
  auto rels = pkg->relationships(*main);
  if (!rels) return rels.error();

  auto sst = pkg->optional_xml(target_of(*pkg, *rels, "sharedStrings", "xl/sharedStrings.xml"));
  if (!sst) return sst.error();
  const std::vector<std::string> strings =
      *sst ? shared_strings((*sst)->doc.document_element()) : std::vector<std::string>();

  SectionBuilder out;
  SheetWriter writer(out, strings);
  int number = 0;
  for (pugi::xml_node sheet : child(root, "sheets").children()) {
    if (local_name(sheet) != "sheet" || writer.full()) continue;
    ++number;
    std::string part = "xl/worksheets/sheet" + std::to_string(number) + ".xml";
    for (const auto& r : *rels)
      if (r.id == rel_id(sheet)) part = r.target;
    const std::string name = one_line(attr(sheet, "name"));
    out.begin_heading(1);
    out.text(name.empty() ? "Sheet " + std::to_string(number) : name);
    out.end_heading();
    auto xml = pkg->optional_xml(part);
    if (!xml) return xml.error();
    if (!*xml) continue;  // a chart sheet, or a sheet that is missing: its name alone
    writer.rows((*xml)->doc.document_element());
    auto sheet_rels = pkg->relationships(part);
    if (!sheet_rels) return sheet_rels.error();
    for (const auto& r : *sheet_rels) {
      if (r.type != "comments") continue;
      auto comments = pkg->optional_xml(r.target);
      if (!comments) return comments.error();
      if (*comments) writer.comments((*comments)->doc.document_element());
    }
  }

  Document doc;
  doc.sections = out.finish();
  auto root_rels = pkg->relationships("");
  if (!root_rels) return root_rels.error();
  if (auto status = read_core_properties(*pkg, *root_rels, doc); !status) return status.error();
  return doc;
}

// ---- pptx ---------------------------------------------------------------------------------------------

namespace {

// Slide parts in presentation order; by number from the part names when the presentation lists none.
std::vector<std::string> slide_parts(const Package& pkg, pugi::xml_node presentation,
                                     const std::vector<Relationship>& rels) {
  std::vector<std::string> slides;
  for (pugi::xml_node id : child(presentation, "sldIdLst").children()) {
    if (local_name(id) != "sldId") continue;
    for (const auto& r : rels)
      if (r.id == rel_id(id) && pkg.has(r.target)) slides.push_back(r.target);
  }
  if (!slides.empty()) return slides;
  std::vector<std::pair<int, std::string>> numbered;
  constexpr std::string_view prefix = "ppt/slides/slide", suffix = ".xml";
  for (const auto& name : pkg.parts()) {
    if (name.size() <= prefix.size() + suffix.size() || !name.starts_with(prefix) || !name.ends_with(suffix)) continue;
    const auto n = parse_int(std::string_view(name).substr(prefix.size(), name.size() - prefix.size() - suffix.size()));
    if (n) numbered.emplace_back(*n, name);
  }
  std::sort(numbered.begin(), numbered.end());
  for (auto& [n, name] : numbered) slides.push_back(std::move(name));
  return slides;
}

}  // namespace

Result<Document> extract_pptx(std::string_view bytes) {
  auto pkg = Package::open(bytes, "pptx");
  if (!pkg) return pkg.error();
  auto main = main_part(*pkg, "ppt/presentation.xml");
  if (!main) return main.error();
  auto presentation = pkg->xml(*main);
  if (!presentation) return presentation.error();
  auto rels = pkg->relationships(*main);
  if (!rels) return rels.error();

  SectionBuilder out;
  std::string first_title;
  int number = 0;
  for (const std::string& part : slide_parts(*pkg, (*presentation)->doc.document_element(), *rels)) {
    ++number;
    auto slide = pkg->optional_xml(part);
    if (!slide) return slide.error();
    if (!*slide) continue;
    SectionBuilder body;
    TextSink sink(body);
    OoxmlWalker walker(sink, OoxmlWalker::Mode::slide);
    walk((*slide)->doc, walker);
    std::string text = text_of(body);

    auto slide_rels = pkg->relationships(part);
    if (!slide_rels) return slide_rels.error();
    for (const auto& r : *slide_rels) {
      if (r.type != "notesSlide") continue;
      auto notes = pkg->optional_xml(r.target);
      if (!notes) return notes.error();
      if (!*notes) continue;
      SectionBuilder notes_body;
      TextSink notes_sink(notes_body);
      OoxmlWalker notes_walker(notes_sink, OoxmlWalker::Mode::notes);
      walk((*notes)->doc, notes_walker);
      if (const std::string n = text_of(notes_body); !n.empty()) text += (text.empty() ? "" : "\n\n") + ("备注：" + n);
    }

    if (first_title.empty()) first_title = walker.title();
    out.begin_heading(1);
    out.text(walker.title().empty() ? "第 " + std::to_string(number) + " 页" : walker.title());
    out.end_heading();
    out.text(text);
  }

  Document doc;
  doc.sections = out.finish();
  auto root_rels = pkg->relationships("");
  if (!root_rels) return root_rels.error();
  if (auto status = read_core_properties(*pkg, *root_rels, doc); !status) return status.error();
  // PowerPoint fills dc:title with its own name; the first slide's title says more.
  if (doc.title.empty() || doc.title == "PowerPoint 演示文稿" || doc.title == "PowerPoint Presentation")
    doc.title = first_title;
  return doc;
}

// ---- odt ----------------------------------------------------------------------------------------------

namespace {

// Footnotes (their note-body) or comments (led by their author), walked apart from the body they sit in.
std::string odf_notes(const std::vector<pugi::xml_node>& nodes, bool footnotes) {
  SectionBuilder notes;
  TextSink sink(notes);
  for (pugi::xml_node n : nodes) {
    OdfWalker walker(sink, false);
    if (footnotes) {
      walk(child(n, "note-body"), walker);
    } else {
      const std::string author = one_line(child(n, "creator").text().get());
      if (!author.empty()) notes.text(author + "：");
      walk(n, walker);
    }
    notes.paragraph_break();
  }
  return text_of(notes);
}

}  // namespace

Result<Document> extract_odt(std::string_view bytes) {
  auto pkg = Package::open(bytes, "odt");
  if (!pkg) return pkg.error();
  // An encrypted ODF package is a zip whose parts are ciphertext; its manifest says so.
  auto manifest = pkg->optional_xml("META-INF/manifest.xml");
  if (!manifest) return manifest.error();
  if (*manifest && (*manifest)->doc.find_node([](pugi::xml_node n) { return local_name(n) == "encryption-data"; }))
    return make_error("encrypted odt: save it without a password");
  auto content = pkg->xml("content.xml");
  if (!content) return content.error();
  const pugi::xml_node body = child((*content)->doc.document_element(), "body");
  if (!body) return pkg->invalid("content.xml holds no document body");

  SectionBuilder out;
  TextSink sink(out);
  OdfWalker walker(sink, true);
  walk(body, walker);
  const std::string first_heading = out.first_heading();
  append_section(out, "脚注", odf_notes(walker.notes(), true));
  append_section(out, "批注", odf_notes(walker.annotations(), false));

  Document doc;
  doc.sections = out.finish();
  auto meta = pkg->optional_xml("meta.xml");
  if (!meta) return meta.error();
  if (*meta) read_properties(child((*meta)->doc.document_element(), "meta"), doc);
  if (doc.title.empty()) doc.title = first_heading;
  return doc;
}

}  // namespace baton::detail
