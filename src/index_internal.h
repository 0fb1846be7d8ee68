// The indexer's term generation, run by the sync's extraction workers; not part of the public API
// (tests pin what its units may share).
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "baton/document.h"
#include "baton/index.h"
#include "baton/text.h"

namespace baton::detail {

// Indexes text with positions, CJK runs as n-grams without stemming and everything else as English
// stems (Z-prefixed, one term per word, with positions: STEM_ALL_Z; search parses the same way).
// One TermGenerator with a stemmer would also write a Z-prefixed copy of every CJK unigram and
// bigram (PLATFORM-NOTES): a third more index and nearly half the indexing time, for terms no
// query asks for (the 1.4 query parser does not stem CJK). STEM_SOME's second, unstemmed copy of
// every English word cost another 15% of indexing time (measured on the manuals).
class TextIndexer {
 public:
  TextIndexer() {
    words_.set_flags(schema::cjk_flags);
    words_.set_stemmer(Xapian::Stem("english"));
    words_.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
    cjk_.set_flags(schema::cjk_flags);
  }

  void start(Xapian::Document& doc) {
    words_.set_document(doc);
    cjk_.set_document(doc);
    pos_ = 0;
  }

  /// Lets go of the document start() was given. A TermGenerator keeps a handle to its document
  /// until the next set_document(), and Xapian's reference counts are not atomic: a handle kept
  /// here and dropped at the next start() on a worker thread raced with the writer thread copying
  /// (add_document) and dropping its own, which corrupted the count and freed the document twice.
  void finish() {
    words_.set_document(blank_);
    cjk_.set_document(blank_);
  }

  /// True while a TermGenerator still holds a handle to `doc`'s document.
  bool holds(const Xapian::Document& doc) const {
    return words_.get_document().internal.get() == doc.internal.get() ||
           cjk_.get_document().internal.get() == doc.internal.get();
  }

  /// Leaves a gap in positions so that no phrase matches across two fields.
  void gap() { pos_ += 100; }

  void index(std::string_view text, Xapian::termcount wdf_inc = 1, const std::string& prefix = {},
             bool positions = true) {
    std::size_t run_start = 0;
    bool run_cjk = false;
    for (Xapian::Utf8Iterator it(text.data(), text.size()); it != Xapian::Utf8Iterator();) {
      const std::size_t at = static_cast<std::size_t>(it.raw() - text.data());
      const bool cjk = is_cjk(*it);
      ++it;
      if (at == 0) run_cjk = cjk;
      if (cjk == run_cjk) continue;
      flush(text.substr(run_start, at - run_start), run_cjk, wdf_inc, prefix, positions);
      run_start = at;
      run_cjk = cjk;
    }
    flush(text.substr(run_start), run_cjk, wdf_inc, prefix, positions);
  }

 private:
  void flush(std::string_view run, bool cjk, Xapian::termcount wdf_inc, const std::string& prefix, bool positions) {
    if (run.empty()) return;
    Xapian::TermGenerator& tg = cjk ? cjk_ : words_;
    if (!positions) {
      tg.index_text_without_positions(Xapian::Utf8Iterator(run.data(), run.size()), wdf_inc, prefix);
      return;
    }
    tg.set_termpos(pos_);
    tg.index_text(Xapian::Utf8Iterator(run.data(), run.size()), wdf_inc, prefix);
    pos_ = tg.get_termpos();
  }

  Xapian::TermGenerator words_, cjk_;
  const Xapian::Document blank_;  // what the TermGenerators hold between documents: never leaves this thread
  Xapian::termpos pos_ = 0;
};

// The Xapian documents (one per section) of one extracted document. Runs on the extraction workers
// (one builder each): normalising and term generation are most of the indexing work, and only
// add_document has to happen on the single writer thread.
class UnitBuilder {
 public:
  /// English words seen by build() since the last call, for the spelling table.
  std::unordered_map<std::string, unsigned> spellings;

  /// The units of `doc`. Each is the only handle to its document: the caller may give them to
  /// another thread.
  std::vector<Xapian::Document> build(const std::string& source_id, const std::string& root, const Document& doc,
                                      const std::string& parent_id);
  /// True if the builder still holds a handle to `unit`: never once build() has returned it.
  bool holds(const Xapian::Document& unit) const { return text_.holds(unit); }

 private:
  TextIndexer text_;
};

}  // namespace baton::detail
