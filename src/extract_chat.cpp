// Text chat exports (QQ, WeChat-style): one document per conversation day.
#include "extract_internal.h"

namespace baton::detail {

bool looks_like_chat(std::string_view) { return false; }
Result<std::vector<Document>> extract_chat(std::string_view) { return make_error("chat exports are not supported yet"); }

}  // namespace baton::detail
