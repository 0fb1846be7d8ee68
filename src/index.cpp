#include "baton/index.h"

#include <sys/stat.h>
#include <unistd.h>
#include <xapian.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <exception>
#include <memory>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "baton/catalog.h"
#include "baton/findings.h"
#include "baton/classify.h"
#include "baton/extract.h"
#include "baton/text.h"
#include "index_internal.h"

namespace fs = std::filesystem;

namespace baton {

fs::path index_path(const fs::path& data_dir) { return data_dir / "index"; }
fs::path catalog_path(const fs::path& data_dir) { return data_dir / "baton.db"; }

Status prepare_data_dir(const fs::path& data_dir) {
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) return make_error("cannot create data dir " + data_dir.string() + ": " + ec.message());
  if (!fs::is_directory(data_dir)) return make_error("data dir " + data_dir.string() + " is not a folder");
  if (::access(data_dir.c_str(), W_OK | X_OK) != 0)
    return make_error("data dir " + data_dir.string() + " is not writable");
  return Ok{};
}

namespace schema {

std::string encode_unit(const StoredUnit& u) {
  nlohmann::json data = {{"id", u.id},         {"doc", u.doc},         {"path", u.path},   {"root", u.root},
                         {"title", u.title},   {"section", u.section}, {"level", u.level}, {"kind", u.kind},
                         {"date", u.date},     {"author", u.author},   {"text", u.text},   {"format", u.format}};
  // Mail and chat only: most units have none of these.
  if (!u.parent.empty()) data["parent"] = u.parent;
  if (!u.thread.empty()) data["thread"] = u.thread;
  if (!u.participants.empty()) data["participants"] = u.participants;
  if (!u.attachments.empty()) data["attachments"] = u.attachments;
  return data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<StoredUnit> decode_unit(const std::string& data) {
  const auto j = nlohmann::json::parse(data, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  try {
    return StoredUnit{j.value("id", ""),
                      j.value("doc", ""),
                      j.value("path", ""),
                      j.value("root", ""),
                      j.value("title", ""),
                      j.value("section", ""),
                      j.value("level", 0),
                      j.value("kind", ""),
                      j.value("date", ""),
                      j.value("author", ""),
                      j.value("text", ""),
                      j.value("format", ""),
                      j.value("parent", ""),
                      j.value("thread", ""),
                      j.value("participants", std::vector<std::string>{}),
                      j.value("attachments", std::vector<std::string>{})};
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // a field of the wrong type
  }
}

std::string join_values(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += value_separator;
    out += n;
  }
  return out;
}

std::vector<std::string> split_values(std::string_view joined) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start < joined.size();) {
    const std::size_t end = std::min(joined.find(value_separator, start), joined.size());
    if (end > start) out.emplace_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

namespace {
constexpr char field_separator = '\x1e';
}

std::string pack_facets(const Facets& f) {
  std::string out;
  for (const std::string* field : {&f.doc, &f.kind, &f.format, &f.year}) {
    out += *field;
    out += field_separator;
  }
  out += join_values(f.clients);
  out += field_separator;
  out += join_values(f.projects);
  out += field_separator;
  out += f.author;
  return out;
}

std::string_view facets_doc(std::string_view packed) { return packed.substr(0, packed.find(field_separator)); }

Facets unpack_facets(std::string_view packed) {
  std::string_view fields[7];
  for (std::size_t i = 0, start = 0; i < std::size(fields) && start <= packed.size(); ++i) {
    const std::size_t end = std::min(packed.find(field_separator, start), packed.size());
    fields[i] = packed.substr(start, end - start);
    start = end + 1;
  }
  return {std::string(fields[0]), std::string(fields[1]), std::string(fields[2]), std::string(fields[3]),
          split_values(fields[4]), split_values(fields[5]), std::string(fields[6])};
}

}  // namespace schema

namespace {

// A file that needs reading: new, or its size or mtime changed.
struct Job {
  std::string root;
  std::string rel;
  fs::path abs;
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::optional<SourceRecord> previous;
  std::optional<Kind> kind_override;
  std::string source_id;  // the previous record's, or a new one
};

// What a worker made of a job.
struct Outcome {
  enum class Type { unchanged_content, extracted, renamed, failed } type = Type::failed;
  const Job* job = nullptr;
  std::string hash;
  std::string error;
  Format format = Format::unsupported;
  std::vector<Xapian::Document> units;    // ready for the writer: terms, values, data
  std::vector<DocumentRecord> records;    // for the catalog
  std::string charset;
  const SourceRecord* renamed_from = nullptr;  // a vanished source with the same content
  std::unordered_map<std::string, unsigned> spellings;  // English words and their counts, for "did you mean"
};

// The first 64 KB of a file (enough for libmagic to tell its format); empty if it cannot be read.
std::string read_head(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes(64u << 10, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(in ? bytes.size() : static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  return bytes;
}

std::string read_file(const fs::path& path, std::size_t size, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open file";
    return {};
  }
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

std::string iso_date_of(std::int64_t mtime_ns) {
  const std::time_t t = static_cast<std::time_t>(mtime_ns / 1000000000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string date_value(const std::string& iso) {
  std::string v;
  for (char c : iso)
    if (c >= '0' && c <= '9') v += c;
  return v.size() == 8 ? v : std::string();
}

// The heading path shown with a hit; a leading heading that repeats the title says nothing new.
std::string section_label(const Document& doc, const Section& section) {
  if (section.heading_path.empty() || section.heading_path.front() != doc.title) return heading_label(section);
  Section rest{{section.heading_path.begin() + 1, section.heading_path.end()}, section.level, {}};
  return heading_label(rest);
}

std::string term(const char* prefix, std::string_view value) {
  std::string t = prefix;  // not `prefix + string(...)`: GCC 12 warns falsely (PR 105651)
  t += value;
  return t.size() > 240 ? t.substr(0, 240) : t;  // Xapian's term length limit is 245 bytes
}

// "Lin Xiaowen <lin@example.com>" → "Lin Xiaowen"; an address alone stays as it is.
std::string display_name(std::string_view person) {
  const std::size_t lt = person.find('<');
  if (lt == std::string_view::npos) return std::string(trim(person));
  std::string name(trim(person.substr(0, lt)));
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
  if (!name.empty()) return name;
  const std::size_t gt = person.find('>', lt);
  return std::string(trim(person.substr(lt + 1, gt == std::string_view::npos ? std::string_view::npos : gt - lt - 1)));
}

// Counts the plain English words (3 to 24 letters, not glued to digits or '_' as in "utf8" or
// "max_len") of normalised text: Xapian's spelling table suggests from these.
void count_words(std::string_view text, std::unordered_map<std::string, unsigned>& counts) {
  const auto letter = [](char c) { return c >= 'a' && c <= 'z'; };
  const auto glue = [](char c) { return (c >= '0' && c <= '9') || c == '_'; };
  for (std::size_t i = 0; i < text.size();) {
    if (!letter(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && letter(text[j])) ++j;
    const bool glued = (i > 0 && glue(text[i - 1])) || (j < text.size() && glue(text[j]));
    if (!glued && j - i >= 3 && j - i <= 24) ++counts[std::string(text.substr(i, j - i))];
    i = j;
  }
}

// The words of a file's name, for search: "excelize__CalcChain.xlsx" → "excelize Calc Chain CalcChain",
// "2025-11_退款流程_v2.md" → "2025 11 退款流程 v2". Underscores, hyphens and dots join words into one
// term otherwise, and a camel-case name is one word to Xapian.
std::string file_name_words(const std::string& path) {
  const std::string stem = fs::path(path).stem().string();
  std::string out, word;
  const auto flush = [&] {
    if (word.empty()) return;
    // A camel-case word is also indexed in its parts: CalcChain → Calc Chain CalcChain.
    std::string parts;
    bool camel = false;
    for (std::size_t i = 0; i < word.size(); ++i) {
      const char c = word[i];
      if (i > 0 && std::isupper(static_cast<unsigned char>(c)) && std::islower(static_cast<unsigned char>(word[i - 1]))) {
        parts += ' ';
        camel = true;
      }
      parts += c;
    }
    out += (out.empty() ? "" : " ") + (camel ? parts + " " + word : word);
    word.clear();
  };
  for (const char c : stem) {
    if (c == '_' || c == '-' || c == '.' || c == ' ' || c == '+' || c == '&') flush();
    else word += c;
  }
  flush();
  return out;
}

}  // namespace

std::vector<Xapian::Document> detail::UnitBuilder::build(const std::string& source_id, const std::string& root,
                                                         const Document& doc, const std::string& parent_id) {
  std::vector<Xapian::Document> units;
  const std::string title = normalize_for_index(doc.title);
  // The file's name weighs like the title, when it says something the title does not.
  std::string file_words = normalize_for_index(file_name_words(doc.path));
  if (file_words == title || title.find(file_words) != std::string::npos) file_words.clear();
  const std::string kind(kind_name(doc.kind));
  const std::string author = display_name(doc.author);
  const std::string date = date_value(doc.date);
  const std::string facets = schema::pack_facets(
      {doc.id, kind, doc.format, date.substr(0, 4), doc.clients, doc.projects, author});
  // Only a document with units counts: delete_units() takes back what its units added.
  if (!doc.sections.empty()) count_words(title, spellings);
  // The boolean terms every section of the document carries.
  std::vector<std::string> doc_terms{term(schema::doc_prefix, doc.id), term(schema::source_prefix, source_id),
                                     term(schema::kind_prefix, kind), term(schema::format_prefix, doc.format)};
  for (const auto& p : doc.participants) {
    doc_terms.push_back(term(schema::participant_prefix, normalize_for_index(p)));
    doc_terms.push_back(term(schema::author_prefix, normalize_for_index(display_name(p))));
  }
  for (const auto& o : doc.organisations) doc_terms.push_back(term(schema::organisation_prefix, normalize_for_index(o)));
  if (!doc.thread.empty()) doc_terms.push_back(term(schema::thread_prefix, doc.thread));
  for (const auto& c : doc.clients) doc_terms.push_back(term(schema::client_prefix, normalize_for_index(c)));
  for (const auto& p : doc.projects) doc_terms.push_back(term(schema::project_prefix, normalize_for_index(p)));
  if (!author.empty()) doc_terms.push_back(term(schema::author_prefix, normalize_for_index(author)));
  for (std::size_t i = 0; i < doc.sections.size(); ++i) {
    const Section& section = doc.sections[i];
    const std::string unit_id = doc.id + "-" + std::to_string(i);
    const std::string heading = section_label(doc, section);
    Xapian::Document xdoc;
    text_.start(xdoc);
    // Title and headings weigh more. With positions: a hyphenated word ("erofs-utils") is a
    // phrase query, and a mail subject is often the only place it occurs.
    text_.index(title, schema::title_weight);
    text_.index(title, 1, schema::title_prefix);
    if (!file_words.empty()) {
      text_.gap();
      text_.index(file_words, schema::title_weight);
      text_.index(file_words, 1, schema::title_prefix);
    }
    if (!heading.empty()) {
      const std::string h = normalize_for_index(heading);
      text_.gap();
      text_.index(h, schema::title_weight);
      text_.index(h, 1, schema::title_prefix);
    }
    text_.gap();
    const std::string body = normalize_for_index(section.text);
    text_.index(body);
    text_.finish();  // `xdoc` may leave this thread: nothing here may keep a handle to it
    count_words(body, spellings);
    if (!heading.empty()) count_words(normalize_for_index(heading), spellings);
    xdoc.add_boolean_term(term(schema::unit_prefix, unit_id));
    for (const auto& t : doc_terms) xdoc.add_boolean_term(t);
    xdoc.add_value(schema::date_slot, date);
    xdoc.add_value(schema::ordinal_slot, Xapian::sortable_serialise(static_cast<double>(i)));
    xdoc.add_value(schema::doc_slot, doc.id);
    xdoc.add_value(schema::facets_slot, facets);
    xdoc.set_data(schema::encode_unit({unit_id, doc.id, doc.path, root, doc.title, heading, section.level, kind,
                                       doc.date, doc.author, section.text, doc.format, parent_id, doc.thread,
                                       doc.participants, doc.attachments}));
    units.push_back(std::move(xdoc));
  }
  return units;
}

namespace {

using detail::UnitBuilder;

// Deletes the units indexed by term `t` and takes back the spellings they added (the words build()
// counted, recounted from the text the units store): the spelling table then counts what the index
// holds. Without this it grew with every re-index of a changed file, kept suggesting the words of
// deleted files, and a batch redone after a crash between Xapian's commit and the catalog's counted
// its words twice.
void delete_units(Xapian::WritableDatabase& db, const std::string& t) {
  std::unordered_map<std::string, unsigned> spellings;
  std::unordered_set<std::string> titled;  // documents whose title was counted (once per document)
  for (auto it = db.postlist_begin(t); it != db.postlist_end(t); ++it) {
    const auto unit = schema::decode_unit(db.get_document(*it).get_data());
    if (!unit) continue;
    if (titled.insert(unit->doc).second) count_words(normalize_for_index(unit->title), spellings);
    count_words(normalize_for_index(unit->text), spellings);
    if (!unit->section.empty()) count_words(normalize_for_index(unit->section), spellings);
  }
  for (const auto& [word, count] : spellings) db.remove_spelling(word, count);
  db.delete_document(t);
}

std::string_view finding_kind_name(FindingKind kind) {
  switch (kind) {
    case FindingKind::marker: return "marker";
    case FindingKind::secret: return "secret";
    case FindingKind::reference: return "reference";
  }
  return "marker";
}

FindingRecord to_record(const Finding& f, std::string section) {
  return {std::string(finding_kind_name(f.kind)), f.line, std::move(section), f.label, f.excerpt, f.value};
}

// `s` with each run of spaces and tabs as one space, as the extracted text has them (newlines kept, so
// that lines count the same).
std::string spaces_collapsed(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i)
    if ((s[i] != ' ' && s[i] != '\t') || out.empty() || (out.back() != ' ')) out += s[i] == '\t' ? ' ' : s[i];
  return out;
}

// The line to report for a finding on line `line` of a mail's section (its header block, a blank line,
// then its body): where the body is stored as it is (8bit or 7bit), the line of the file that holds it
// (the first if several do: a quoted reply repeats them); otherwise (base64, quoted-printable) the line
// of the decoded body.
int mail_line(const std::optional<std::string>& stored, const std::string& section_text, int line) {
  const std::size_t blank = section_text.find("\n\n");
  const int head_lines = blank == std::string::npos ? 0 : 2 + static_cast<int>(std::count(section_text.begin(), section_text.begin() + static_cast<std::ptrdiff_t>(blank), '\n'));
  const int body_line = line > head_lines ? line - head_lines : line;
  std::size_t pos = 0;
  for (int k = 1; k < line; ++k) {
    pos = section_text.find('\n', pos);
    if (pos == std::string::npos) return body_line;
    ++pos;
  }
  const std::size_t end = section_text.find('\n', pos);
  const std::string_view text = trim(std::string_view(section_text).substr(pos, end == std::string::npos ? std::string::npos : end - pos));
  if (text.size() < 8) return body_line;  // too short to be the same line
  const std::size_t at = stored ? stored->find(spaces_collapsed(text)) : std::string::npos;
  if (at == std::string::npos) return body_line;
  return 1 + static_cast<int>(std::count(stored->begin(), stored->begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

// What the gap view needs from a document's text (markers, secrets, references), and the text with its
// secrets redacted: a password pasted into a document must never be shown or found by search.
// `file_text`: the whole file when its lines are the document's (Markdown, plain text, a chat export),
// for file line numbers; otherwise lines are counted within each section. `scan` false: redact only
// (the file's findings went with its first document). `known`: the secrets of the file text, redacted
// in the sections too, where the lines that found them may have been joined (a chat message's) or split
// apart (a key under a heading that announced it).
std::vector<FindingRecord> scan_and_redact(Document& doc, const std::optional<std::string>& file_text, bool scan = true,
                                           const std::vector<std::string>& known = {},
                                           bool mail = false, const std::optional<std::string>& stored_text = std::nullopt) {
  std::vector<FindingRecord> out;
  if (file_text && scan)
    for (const Finding& f : scan_findings(*file_text)) out.push_back(to_record(f, {}));
  for (Section& section : doc.sections) {
    if (!file_text && scan)
      for (Finding f : scan_findings(section.text)) {
        if (mail) f.line = mail_line(stored_text, section.text, f.line);
        out.push_back(to_record(f, heading_label(section)));
      }
    section.text = redact_secrets(section.text, known);
    for (auto& h : section.heading_path) h = redact_secrets(h, known);
  }
  doc.title = redact_secrets(doc.title, known);
  return out;
}

// The date the document's first lines say it was last updated. Its headings are lines of it too: a
// plain-text note may lay "最后更新：2023-09-12" out as one.
std::string updated_of(const Document& doc) {
  constexpr std::size_t first_lines = 8;
  std::string head;
  std::size_t lines = 0;
  for (const Section& section : doc.sections) {
    if (!section.heading_path.empty()) {
      head += section.heading_path.back() + "\n";
      ++lines;
    }
    for (std::size_t pos = 0; pos < section.text.size() && lines < first_lines;) {
      const std::size_t end = std::min(section.text.find('\n', pos), section.text.size());
      if (const std::string_view line = trim(std::string_view(section.text).substr(pos, end - pos)); !line.empty()) {
        head += std::string(line) + "\n";
        ++lines;
      }
      pos = end + 1;
    }
    if (lines >= first_lines) break;
  }
  return declared_update(head);
}

// Turns the documents extracted from a job's file into units and catalog records.
void prepare(const Job& job, std::vector<Document> docs, Outcome& out, UnitBuilder& builder,
             const std::optional<std::string>& file_text = std::nullopt,
             const std::optional<std::string>& stored_text = std::nullopt) {
  const std::string format(format_name(out.format));
  out.charset = docs.empty() ? std::string() : docs.front().charset;
  const std::vector<std::string> known = file_text ? secret_values(*file_text) : std::vector<std::string>();
  for (std::size_t i = 0; i < docs.size(); ++i) {
    Document& doc = docs[i];
    doc.id = hash_hex(job.source_id + '\n' + std::to_string(i));
    doc.path = job.rel;
    if (doc.format.empty()) doc.format = format;
    const bool attached = doc.parent >= 0 && static_cast<std::size_t>(doc.parent) < i;
    doc.kind = job.kind_override ? *job.kind_override
               : attached        ? docs[static_cast<std::size_t>(doc.parent)].kind
                                 : infer_kind(job.rel, out.format, doc);
    if (doc.date.empty()) doc.date = iso_date_of(job.mtime_ns);
    infer_entities(job.rel, doc);
    // A chat export is one document per day: the file's findings, by its line numbers, go with the first.
    // Without the file's lines each document is scanned (a mailbox's messages, a mail's attachments).
    const bool mail = (out.format == Format::mail || out.format == Format::mbox) && doc.parent < 0;  // not an attachment
    std::vector<FindingRecord> findings = scan_and_redact(doc, file_text, !file_text || i == 0, known, mail, stored_text);
    const std::string parent_id = attached ? docs[static_cast<std::size_t>(doc.parent)].id : std::string();
    auto units = builder.build(job.source_id, job.root, doc, parent_id);
    out.records.push_back({doc.id, job.source_id, job.root, doc.path, doc.title, std::string(kind_name(doc.kind)),
                           doc.date, doc.author, static_cast<int>(units.size()), doc.format, doc.thread,
                           doc.message_id, parent_id, doc.participants, doc.organisations, doc.clients,
                           doc.projects, updated_of(doc), std::move(findings)});
    std::move(units.begin(), units.end(), std::back_inserter(out.units));
  }
  out.spellings = std::move(builder.spellings);
  builder.spellings.clear();
}

// Extracts `bytes` of a job into `out` (extracted or failed).
void extract_into(const Job& job, std::string_view bytes, Outcome& out, UnitBuilder& builder) {
  auto docs = extract(job.rel, bytes);
  if (!docs) {
    out.type = Outcome::Type::failed;
    out.error = docs.error().message;
    return;
  }
  // Markdown, plain text and CSV (a table, a chat export): findings by the file's own line numbers.
  std::optional<std::string> file_text;
  if (out.format == Format::markdown || out.format == Format::text || out.format == Format::csv)
    if (auto decoded = to_utf8(bytes)) file_text = std::move(decoded->text);
  // A mail: findings by the file's line numbers where the body is stored as it is. (Not a mailbox: each
  // finding's line is looked up in the whole file, which for a mailbox of thousands of messages would
  // read it once per finding.)
  std::optional<std::string> stored_text;
  if (out.format == Format::mail && is_utf8(bytes)) stored_text = spaces_collapsed(bytes);
  prepare(job, std::move(docs.value()), out, builder, file_text, stored_text);
  out.type = Outcome::Type::extracted;
}

// All the work on one file that can run on a worker thread; touches nothing shared but `vanished`
// (read-only).
Outcome process(const Job& job, const std::unordered_map<std::string, const SourceRecord*>& vanished,
                UnitBuilder& builder) {
  Outcome out;
  out.job = &job;
  out.format = format_of(job.rel);  // (by its content below, once read: a file without an extension)
  if (static_cast<std::size_t>(job.size) > max_file_bytes) {
    out.error = "file too large (" + std::to_string(job.size >> 20) + " MB; limit " +
                std::to_string(max_file_bytes >> 20) + " MB)";
    return out;
  }
  const std::string bytes = read_file(job.abs, static_cast<std::size_t>(job.size), out.error);
  if (!out.error.empty()) return out;
  out.format = format_of(job.rel, bytes);
  out.hash = hash_hex(bytes);
  if (job.previous && !job.previous->failed && job.previous->hash == out.hash) {
    out.type = Outcome::Type::unchanged_content;  // touched or copied back: nothing to re-extract
    return out;
  }
  if (!job.previous) {
    if (auto it = vanished.find(out.hash); it != vanished.end()) {
      out.type = Outcome::Type::renamed;
      out.renamed_from = it->second;
      return out;
    }
  }
  extract_into(job, bytes, out, builder);
  return out;
}

struct Stat {
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
};

std::optional<Stat> stat_file(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return Stat{st.st_size, static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

bool is_hidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

// The kind a folder's .baton-kind file sets, if it has a valid one.
std::optional<Kind> read_kind_override(const fs::path& dir) {
  std::ifstream in(dir / kind_override_file);
  std::string word;
  if (!(in >> word)) return std::nullopt;
  return parse_kind(word);
}

// Walks `root`, sorting files into jobs (to read), unchanged or skipped ones; returns what vanished.
std::vector<SourceRecord> diff_root(const fs::path& root, Catalog& catalog, std::vector<Job>& jobs, SyncSummary& summary) {
  const std::string root_str = root.string();
  auto known = catalog.sources_under(root_str);
  // Kind overrides by folder depth: overrides[d] applies to the folder at depth d and below.
  std::vector<std::optional<Kind>> overrides{read_kind_override(root)};
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    const auto depth = static_cast<std::size_t>(it.depth());  // 0 for entries directly in root
    if (is_hidden(p)) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_directory(ec)) {
      overrides.resize(depth + 1);
      const auto own = read_kind_override(p);
      overrides.push_back(own ? own : overrides[depth]);
      continue;
    }
    if (format_of(p.filename().string()) == Format::unsupported) {
      // A name without an extension ("Inbox", "1.", "README") is read if its first bytes are a format
      // Baton reads; everything else is counted by extension.
      // (One read before is one still: a Maildir's thousands of messages are not sniffed on every sync.)
      const bool by_content = decided_by_content(p.filename().string()) && it->is_regular_file(ec) &&
                              (known.count(p.lexically_relative(root).generic_string()) > 0 ||
                               format_of(p.filename().string(), read_head(p)) != Format::unsupported);
      if (!by_content) {
        if (it->is_regular_file(ec) && p.filename() != kind_override_file) ++summary.unsupported[p.extension().string()];
        continue;
      }
    }
    const auto st = stat_file(p);
    if (!st) continue;
    ++summary.scanned;
    const std::string rel = p.lexically_relative(root).generic_string();
    auto found = known.find(rel);
    std::optional<SourceRecord> previous;
    if (found != known.end()) {
      previous = std::move(found->second);
      known.erase(found);
      if (previous->size == st->size && previous->mtime_ns == st->mtime_ns) {
        ++(previous->failed ? summary.skipped : summary.unchanged);
        continue;
      }
    }
    jobs.push_back({root_str, rel, p, st->size, st->mtime_ns, std::move(previous), overrides[std::min(depth, overrides.size() - 1)], {}});
  }
  std::vector<SourceRecord> gone;
  for (auto& [rel, record] : known) gone.push_back(std::move(record));
  return gone;
}

// The shard a source's units live in. Stable for a source: derived from its id, which a rename keeps.
unsigned shard_of(const std::string& source_id, unsigned shards) {
  return static_cast<unsigned>(std::stoul(source_id.substr(0, 8), nullptr, 16) % shards);
}

unsigned shard_of(const Outcome& out, unsigned shards) {
  return shard_of(out.renamed_from ? out.renamed_from->id : out.job->source_id, shards);
}

// Workers extract jobs in parallel and hand outcomes, by shard, to one writer per shard through
// bounded queues.
class Pipeline {
 public:
  Pipeline(const std::vector<Job>& jobs, const std::unordered_map<std::string, const SourceRecord*>& vanished,
           unsigned threads, unsigned shards)
      : jobs_(jobs), vanished_(vanished), queues_(shards) {
    const unsigned n = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(jobs.size())));
    for (unsigned t = 0; t < n && !jobs.empty(); ++t) workers_.emplace_back([this] { work(); });
  }
  ~Pipeline() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    space_.notify_all();
    for (auto& w : workers_) w.join();
  }

  /// The next outcome for `shard`, in any order; nullopt once every job is done.
  std::optional<Outcome> next(unsigned shard) {
    std::unique_lock lock(mutex_);
    auto& queue = queues_[shard];
    ready_.wait(lock, [&] { return !queue.empty() || pushed_ == jobs_.size() || stopping_; });
    if (queue.empty()) return std::nullopt;
    Outcome out = std::move(queue.front());
    queue.pop_front();
    space_.notify_all();
    return out;
  }

  /// Stops the workers early (a writer failed).
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    space_.notify_all();
    ready_.notify_all();
  }

 private:
  void work() {
    UnitBuilder builder;
    for (std::size_t i; (i = next_job_.fetch_add(1)) < jobs_.size();) {
      Outcome out = process(jobs_[i], vanished_, builder);
      auto& queue = queues_[shard_of(out, static_cast<unsigned>(queues_.size()))];
      std::unique_lock lock(mutex_);
      // Bounded: extracted text waits in memory only this long for its writer.
      space_.wait(lock, [&] { return queue.size() < max_queued || stopping_; });
      if (stopping_) return;
      queue.push_back(std::move(out));
      ++pushed_;
      ready_.notify_all();
    }
  }

  static constexpr std::size_t max_queued = 64;
  const std::vector<Job>& jobs_;
  const std::unordered_map<std::string, const SourceRecord*>& vanished_;
  std::atomic<std::size_t> next_job_{0};
  std::mutex mutex_;
  std::condition_variable ready_, space_;
  std::vector<std::deque<Outcome>> queues_;
  std::size_t pushed_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

// Applies outcomes to Xapian and collects the catalog changes of the current batch.
class Writer {
 public:
  Writer(Xapian::WritableDatabase& db, Catalog& catalog, std::mutex& catalog_mutex)
      : db_(db), catalog_(catalog), catalog_mutex_(catalog_mutex) {}

  SyncSummary& summary() { return summary_; }

  void apply(Outcome& out) {
    const Job& job = *out.job;
    SourceRecord rec = job.previous.value_or(SourceRecord{});
    rec.id = job.source_id;
    rec.root = job.root;
    rec.path = job.rel;
    rec.size = job.size;
    rec.mtime_ns = job.mtime_ns;
    rec.format = std::string(format_name(out.format));
    FormatCounts& counts = summary_.by_format[rec.format];
    bytes_ += static_cast<std::uint64_t>(job.size);
    summary_.bytes_read += static_cast<std::uint64_t>(job.size);

    if (out.type == Outcome::Type::renamed && !claimed_.insert(out.renamed_from->id).second) {
      // Two new files with the content of one vanished file: only the first can take its place.
      const std::string bytes = read_file(job.abs, static_cast<std::size_t>(job.size), out.error);
      extract_into(job, bytes, out, builder_);
    }
    switch (out.type) {
      case Outcome::Type::unchanged_content:
        ++summary_.unchanged;
        pending_.push_back({std::move(rec), std::nullopt});
        break;
      case Outcome::Type::failed:
        // Keep what the index had of an earlier good version: a broken save must not lose it.
        rec.failed = true;
        rec.error = out.error;
        ++summary_.failed;
        ++counts.failed;
        summary_.failures.push_back({job.rel, out.error});
        pending_.push_back({std::move(rec), std::nullopt});
        break;
      case Outcome::Type::renamed: {
        // Same content under a new name: move the units, keep the ids (links to them stay valid).
        rec = *out.renamed_from;
        rec.root = job.root;
        rec.path = job.rel;
        rec.size = job.size;
        rec.mtime_ns = job.mtime_ns;
        move_units(rec, job.kind_override);
        ++summary_.renamed;
        ++counts.renamed;
        pending_.push_back({std::move(rec), std::nullopt});
        break;
      }
      case Outcome::Type::extracted: {
        ++(job.previous ? summary_.updated : summary_.added);
        ++(job.previous ? counts.updated : counts.added);
        // Also for a new file: a run killed after its Xapian commit left units the catalog never heard of.
        delete_units(db_, term(schema::source_prefix, rec.id));
        for (const auto& unit : out.units) db_.add_document(unit);
        for (const auto& [word, count] : out.spellings) db_.add_spelling(word, count);
        rec.failed = false;
        rec.error.clear();
        rec.hash = out.hash;
        rec.charset = out.charset;
        rec.units = static_cast<int>(out.units.size());
        summary_.units += out.units.size();
        pending_.push_back({std::move(rec), std::move(out.records)});
        break;
      }
    }
    ++files_;
  }

  /// True when the batch is big enough to commit.
  bool batch_full(const SyncOptions& options) const {
    return files_ >= options.batch_files || bytes_ >= options.batch_bytes;
  }

  /// Commits Xapian, then the catalog. If we die between the two, the catalog still lists the old
  /// state and the next run redoes this batch (deleting by source term first makes that idempotent).
  void commit(const std::vector<SourceRecord>& removed = {}) {
    db_.commit();
    failpoint_after_xapian_commit();
    std::lock_guard lock(catalog_mutex_);
    catalog_.transaction([&] {
      for (const auto& [rec, docs] : pending_) {
        catalog_.put_source(rec);
        if (docs) catalog_.put_documents(rec.id, *docs);
      }
      for (const auto& rec : removed) catalog_.remove_source(rec.id);
    });
    pending_.clear();
    files_ = 0;
    bytes_ = 0;
  }

  bool claimed(const std::string& source_id) const { return claimed_.count(source_id) > 0; }

 private:
  // Rewrites the stored path (and, if the new folder says so, the kind) of a renamed source's units.
  void move_units(const SourceRecord& rec, std::optional<Kind> kind_override) {
    const std::string source_term = term(schema::source_prefix, rec.id);
    std::vector<Xapian::docid> ids(db_.postlist_begin(source_term), db_.postlist_end(source_term));
    for (Xapian::docid id : ids) {
      Xapian::Document xdoc = db_.get_document(id);
      auto unit = schema::decode_unit(xdoc.get_data());
      if (!unit) continue;
      unit->root = rec.root;
      unit->path = rec.path;
      Document probe;
      probe.title = unit->title;
      const std::string kind(kind_name(kind_override ? *kind_override
                                       : unit->parent.empty() ? infer_kind(rec.path, format_named(unit->format), probe)
                                                              : parse_kind(unit->kind).value_or(Kind::communication)));
      if (kind != unit->kind) {
        xdoc.remove_term(term(schema::kind_prefix, unit->kind));
        xdoc.add_boolean_term(term(schema::kind_prefix, kind));
        schema::Facets facets = schema::unpack_facets(xdoc.get_value(schema::facets_slot));
        facets.kind = kind;
        xdoc.add_value(schema::facets_slot, schema::pack_facets(facets));
        unit->kind = kind;
      }
      xdoc.set_data(schema::encode_unit(*unit));
      db_.replace_document(id, xdoc);
    }
  }

  // Crash tests set BATON_FAILPOINT=xapian-commit:N to die right after the Nth Xapian commit, before
  // the catalog's: the one moment a random kill rarely hits.
  static void failpoint_after_xapian_commit() {
    static const char* spec = std::getenv("BATON_FAILPOINT");
    static const std::string prefix = "xapian-commit:";
    static std::atomic<unsigned long> commits{0};
    if (!spec || std::string_view(spec).substr(0, prefix.size()) != prefix) return;
    if (++commits == std::strtoul(spec + prefix.size(), nullptr, 10)) std::_Exit(86);
  }

  Xapian::WritableDatabase& db_;
  Catalog& catalog_;
  std::mutex& catalog_mutex_;
  SyncSummary summary_;
  UnitBuilder builder_;
  std::vector<std::pair<SourceRecord, std::optional<std::vector<DocumentRecord>>>> pending_;
  std::unordered_set<std::string> claimed_;
  std::size_t files_ = 0;
  std::uint64_t bytes_ = 0;
};

void merge_into(SyncSummary& total, const SyncSummary& part) {
  total.added += part.added;
  total.updated += part.updated;
  total.renamed += part.renamed;
  total.unchanged += part.unchanged;
  total.removed += part.removed;
  total.failed += part.failed;
  total.units += part.units;
  total.bytes_read += part.bytes_read;
  for (const auto& [format, c] : part.by_format) {
    FormatCounts& t = total.by_format[format];
    t.added += c.added;
    t.updated += c.updated;
    t.renamed += c.renamed;
    t.removed += c.removed;
    t.failed += c.failed;
  }
  total.failures.insert(total.failures.end(), part.failures.begin(), part.failures.end());
}

// The shards of an index, opened for writing. A new index gets `default_shards` of them and a stub
// file (XAPIANDB) that lets readers open them all as one database; an index from before shards (one
// glass database in index/) stays one shard. `overwrite` empties them.
std::vector<Xapian::WritableDatabase> open_shards(const fs::path& dir, bool overwrite) {
  std::vector<fs::path> paths;
  const fs::path stub = dir / "XAPIANDB";
  if (fs::exists(dir / "iamglass")) {
    paths.push_back(dir);
  } else if (fs::exists(stub)) {
    std::ifstream in(stub);
    for (std::string type, name; in >> type >> name;) paths.push_back(dir / name);
  } else {
    fs::create_directories(dir);
    for (unsigned i = 0; i < default_shards; ++i) paths.push_back(dir / ("shard" + std::to_string(i)));
  }
  std::vector<Xapian::WritableDatabase> shards;
  for (const auto& p : paths)
    shards.emplace_back(p.string(), overwrite ? Xapian::DB_CREATE_OR_OVERWRITE : Xapian::DB_CREATE_OR_OPEN);
  if (!fs::exists(dir / "iamglass") && !fs::exists(stub)) {
    // Written last, once every shard exists: a reader sees no index or a whole one.
    const fs::path tmp = dir / "XAPIANDB.tmp";
    {
      std::ofstream out(tmp);
      for (const auto& p : paths) out << "auto " << p.filename().string() << "\n";
    }
    fs::rename(tmp, stub);
  }
  return shards;
}


// An answered question as a document: the question is its title (so a search for the question finds
// it), the answer and its links its one section.
Document answer_document(const QuestionRecord& q) {
  Document doc;
  doc.id = answer_doc_id(q.id);
  doc.path = std::string(answers_root) + "/" + std::to_string(q.id);
  doc.kind = Kind::answer;
  doc.title = tidy_whitespace(q.question);
  doc.date = q.answered_at.substr(0, 10);
  doc.author = q.answered_by;
  doc.format = "answer";
  std::string text = q.answer;
  for (std::size_t i = 0; i < q.links.size(); ++i) text += (i == 0 ? "\n\n" : "\n") + q.links[i];
  doc.sections.push_back({{}, 0, std::move(text)});
  split_long_sections(doc);
  scan_and_redact(doc, std::nullopt);  // a password pasted into an answer is no more shown than one in a file
  return doc;
}

// Replaces the units of every answer the index is behind on, commits, then tells the catalog. A
// kill between the two leaves the catalog behind: the next writer redoes it (replacing by the
// document term is idempotent).
std::size_t write_answers(std::vector<Xapian::WritableDatabase>& shards, Catalog& catalog) {
  const std::vector<QuestionRecord> pending = catalog.answers_to_index();
  if (pending.empty()) return 0;
  UnitBuilder builder;
  const auto n = static_cast<unsigned>(shards.size());
  for (const QuestionRecord& q : pending) {
    const Document doc = answer_document(q);
    for (auto& shard : shards) delete_units(shard, term(schema::doc_prefix, doc.id));
    Xapian::WritableDatabase& shard = shards[shard_of(doc.id, n)];
    for (const auto& unit : builder.build(answers_root, answers_root, doc, {})) shard.add_document(unit);
    for (const auto& [word, count] : builder.spellings) shard.add_spelling(word, count);
    builder.spellings.clear();
  }
  for (auto& shard : shards) shard.commit();
  catalog.transaction([&] {
    for (const QuestionRecord& q : pending) catalog.mark_answer_indexed(q.id, q.answer_rev);
  });
  return pending.size();
}

}  // namespace

std::string answer_doc_id(std::int64_t question_id) { return hash_hex("answer\n" + std::to_string(question_id)); }

Result<std::size_t> index_answers(const fs::path& data_dir, std::chrono::milliseconds patience) {
  const fs::path dir = index_path(data_dir);
  if (!fs::exists(dir / "iamglass") && !fs::exists(dir / "XAPIANDB"))
    return make_error("no index in " + data_dir.string() + " yet: the first `baton index` writes the answers",
                      ErrorKind::unavailable);
  auto catalog = Catalog::open(catalog_path(data_dir));
  if (!catalog) return catalog.error();
  if (catalog->meta("index_version").value_or("") != std::to_string(schema::version))
    return make_error("the index is being rebuilt; the rebuild writes the answers", ErrorKind::unavailable);
  const auto deadline = std::chrono::steady_clock::now() + patience;
  for (;;) {
    try {
      std::vector<Xapian::WritableDatabase> shards = open_shards(dir, false);
      return write_answers(shards, *catalog);
    } catch (const Xapian::DatabaseLockError&) {
      // A sync is writing; it ends by writing the pending answers, so waiting briefly usually
      // finds them written (this call then writes nothing).
      if (std::chrono::steady_clock::now() >= deadline)
        return make_error("the index is busy (a sync is running); it will index the answer when it finishes",
                          ErrorKind::unavailable);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    } catch (const Xapian::Error& e) {
      return make_error("index write failed: " + e.get_description());
    } catch (const CatalogError& e) {
      return make_error(e.what());
    }
  }
}

Result<SyncSummary> sync(const fs::path& data_dir, const std::vector<fs::path>& roots, const SyncOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<fs::path> canonical_roots;
  for (const auto& root : roots) {
    std::error_code ec;
    if (!fs::exists(root, ec)) return make_error(root.string() + ": no such folder");
    if (!fs::is_directory(root, ec)) return make_error(root.string() + ": not a folder");
    canonical_roots.push_back(fs::canonical(root, ec));
    if (ec) return make_error(root.string() + ": " + ec.message());
  }
  if (auto ready = prepare_data_dir(data_dir); !ready) return ready.error();
  auto catalog = Catalog::open(catalog_path(data_dir));
  if (!catalog) return catalog.error();

  // An index written by another version of Baton is rebuilt: its terms and values mean other things.
  // Emptied under Xapian's lock first, then the catalog forgets its sources in the same transaction
  // that records the version: a kill in between leaves the old version recorded, so the next run
  // rebuilds again.
  const std::string version = std::to_string(schema::version);
  // A missing index (deleted by hand) is rebuilt too: the catalog's sources would say every file is
  // already in it, and its answers that they are.
  const fs::path index_dir = index_path(data_dir);
  const bool missing = !fs::exists(index_dir / "iamglass") && !fs::exists(index_dir / "XAPIANDB");
  const bool rebuild = catalog->meta("index_version").value_or("") != version || missing;

  std::vector<Xapian::WritableDatabase> shards;
  try {
    shards = open_shards(index_path(data_dir), rebuild);
    if (rebuild) {
      catalog->transaction([&] {
        catalog->forget_sources();
        catalog->forget_indexed_answers();
        catalog->set_meta("index_version", version);
      });
    }
  } catch (const Xapian::DatabaseLockError&) {
    return make_error("another `baton index` or `baton serve` is writing " + data_dir.string() + "; wait for it to finish",
                      ErrorKind::unavailable);
  } catch (const Xapian::Error& e) {
    return make_error("cannot open index in " + data_dir.string() + ": " + e.get_description());
  } catch (const CatalogError& e) {
    return make_error(e.what());
  }

  SyncSummary summary;
  try {
    std::vector<Job> jobs;
    std::vector<SourceRecord> gone;
    for (const auto& root : canonical_roots) {
      auto vanished = diff_root(root, *catalog, jobs, summary);
      gone.insert(gone.end(), std::make_move_iterator(vanished.begin()), std::make_move_iterator(vanished.end()));
    }
    // A renamed file keeps its id, so a new file at its old path must not take that id again.
    std::unordered_set<std::string> issued;
    for (Job& job : jobs) {
      if (job.previous) {
        job.source_id = job.previous->id;
        continue;
      }
      std::string id = hash_hex(job.root + '\n' + job.rel);
      for (int salt = 1; catalog->has_source(id) || !issued.insert(id).second; ++salt)
        id = hash_hex(job.root + '\n' + job.rel + '\n' + std::to_string(salt));
      job.source_id = std::move(id);
    }
    // Vanished files by content: a new file with the same hash is the same file, moved.
    std::unordered_map<std::string, const SourceRecord*> vanished_by_hash;
    for (const auto& rec : gone)
      if (!rec.hash.empty() && !rec.failed) vanished_by_hash.emplace(rec.hash, &rec);

    // As many extraction workers as cores: the writers wait on them often enough that one worker
    // fewer measured slower (manuals, 2 cores: 3.9 s against 3.5 s, three interleaved runs each).
    const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    const auto n = static_cast<unsigned>(shards.size());
    std::mutex catalog_mutex, progress_mutex;
    std::vector<std::unique_ptr<Writer>> writers;
    for (auto& shard : shards) writers.push_back(std::make_unique<Writer>(shard, *catalog, catalog_mutex));
    SyncProgress progress{0, jobs.size(), {}};
    {
      // One writer thread per shard: Xapian's indexing of a batch is single-threaded per database.
      Pipeline pipeline(jobs, vanished_by_hash, threads, n);
      std::vector<std::exception_ptr> errors(n);
      std::vector<std::thread> writer_threads;
      for (unsigned s = 0; s < n; ++s) {
        writer_threads.emplace_back([&, s] {
          try {
            while (auto out = pipeline.next(s)) {
              writers[s]->apply(*out);
              if (writers[s]->batch_full(options)) writers[s]->commit();
              if (options.on_progress) {
                std::lock_guard lock(progress_mutex);
                ++progress.done;
                progress.current = out->job->rel;
                options.on_progress(progress);
              }
            }
          } catch (...) {
            errors[s] = std::current_exception();
            pipeline.stop();
          }
        });
      }
      for (auto& t : writer_threads) t.join();
      for (auto& e : errors)
        if (e) std::rethrow_exception(e);
    }
    std::vector<std::vector<SourceRecord>> removed(n);
    for (auto& rec : gone) {
      const unsigned s = shard_of(rec.id, n);
      if (writers[s]->claimed(rec.id)) continue;  // it was renamed, not removed
      delete_units(shards[s], term(schema::source_prefix, rec.id));
      ++summary.removed;
      ++summary.by_format[rec.format].removed;
      removed[s].push_back(std::move(rec));
    }
    for (unsigned s = 0; s < n; ++s) {
      writers[s]->commit(removed[s]);
      merge_into(summary, writers[s]->summary());
    }
    // Last, just before the lock is released: an answer given while this sync ran, which the server
    // could not write because of the lock, is written here.
    summary.answers = write_answers(shards, *catalog);
    if (summary.changed() || !catalog->meta("last_sync")) catalog->set_meta("last_sync", now_iso());
  } catch (const Xapian::Error& e) {
    return make_error("index write failed: " + e.get_description());
  } catch (const CatalogError& e) {
    return make_error(e.what());
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace baton
