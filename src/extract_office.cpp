// OOXML (docx, xlsx, pptx) and ODF (odt) through libzip + pugixml.
#include "extract_internal.h"

namespace baton::detail {

Result<Document> extract_docx(std::string_view) { return make_error("docx is not supported yet"); }
Result<Document> extract_xlsx(std::string_view) { return make_error("xlsx is not supported yet"); }
Result<Document> extract_pptx(std::string_view) { return make_error("pptx is not supported yet"); }
Result<Document> extract_odt(std::string_view) { return make_error("odt is not supported yet"); }

}  // namespace baton::detail
