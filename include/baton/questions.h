// The feedback channel: a question asked in the UI (or, later, a chat), answers suggested from search
// at once, a repeat counted on the open question it repeats, and an answer turned into indexed
// knowledge (a document of kind `answer`) the moment it is given. Questions live in the catalog.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "baton/catalog.h"
#include "baton/result.h"

namespace baton {

class Searcher;

/// Limits a question or an answer must respect; larger is a user error.
inline constexpr std::size_t max_question_bytes = 2000;
inline constexpr std::size_t max_asker_bytes = 200;
inline constexpr std::size_t max_channel_bytes = 32;
inline constexpr std::size_t max_event_id_bytes = 256;
inline constexpr std::size_t max_answer_bytes = 20000;
inline constexpr std::size_t max_links = 20;
inline constexpr std::size_t max_link_bytes = 2000;
/// Search hits attached to a question as suggested answers.
inline constexpr int suggestion_count = 3;

/// What makes two questions the same: normalize_for_index (NFKC, lower case, Simplified), every run
/// of characters that are not letters, digits or marks (spaces, punctuation, symbols) cut to one
/// space between two non-CJK words and dropped next to CJK (where spaces mean nothing), trimmed.
/// "退款 怎么处理？" and "退款怎么處理" are the same; "How do I  refund?!" and "how do i refund" too.
std::string normalize_question(std::string_view question);

/// A question as asked.
struct NewQuestion {
  std::string question;
  std::string asker;            ///< free text (not authenticated)
  std::string channel = "web";  ///< where it came from: letters, digits, '-', '_'
  /// A chat platform's id of the event that carried it (Feishu event_id, DingTalk msgId, ...), or "":
  /// a retried delivery of the same event of the same channel is not counted again.
  std::string event_id{};
};

struct AskOutcome {
  QuestionRecord question;  ///< with this asking's suggestions
  bool merged = false;      ///< it repeated an open question, which was counted again
  bool retried = false;     ///< its event was asked before (a platform's retry): nothing changed
};

/// Checks and stores a question, with the top `suggestion_count` hits of `searcher` for it (not logged
/// as a search). Errors (invalid, nothing stored): empty, too long, not UTF-8, a bad channel or event id.
Result<AskOutcome> ask_question(const std::filesystem::path& data_dir, Searcher& searcher, const NewQuestion& question);

/// An answer as given by an editor.
struct NewAnswer {
  std::string answer;
  std::string answered_by;
  std::vector<std::string> links;  ///< URLs or paths that say more
};

struct AnswerOutcome {
  QuestionRecord question;
  bool indexed = false;  ///< search finds it now; else a running sync indexes it (see `note`)
  std::string note;      ///< why it is not indexed yet
};

/// Stores an answer (status answered; answering again replaces it) and indexes it at once.
/// Errors: invalid (empty, too long, not UTF-8, too many links), not_found (no such question).
/// The index being busy is not an error: the answer is safe in the catalog and `indexed` is false.
Result<AnswerOutcome> answer_question(const std::filesystem::path& data_dir, std::int64_t id, const NewAnswer& answer);

/// Closes a question (an answer it has stays searchable). Errors: not_found.
Result<QuestionRecord> close_question(const std::filesystem::path& data_dir, std::int64_t id);

/// One question. Errors: not_found.
Result<QuestionRecord> get_question(const std::filesystem::path& data_dir, std::int64_t id);

struct QuestionPage {
  std::vector<QuestionRecord> questions;
  std::int64_t total = 0;  ///< with this status, over all pages
};

/// Questions with `status` (open, answered, closed or all), most recently asked first.
/// Errors: an unknown status, limit outside 1..100, a negative offset.
Result<QuestionPage> list_questions(const std::filesystem::path& data_dir, const std::string& status, int limit,
                                    int offset);

}  // namespace baton
