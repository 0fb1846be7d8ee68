// PDF through poppler-cpp.
#include "extract_internal.h"

namespace baton::detail {

Result<Document> extract_pdf(std::string_view) { return make_error("pdf is not supported yet"); }

}  // namespace baton::detail
