// CSV through libcsv: tables, and chat exports with time/sender/content columns.
#include "extract_internal.h"

namespace baton::detail {

Result<std::vector<Document>> extract_csv(std::string_view) { return make_error("csv is not supported yet"); }

}  // namespace baton::detail
