// libFuzzer target for one extractor: the input is a whole file named BATON_FUZZ_PATH, whose extension
// picks the extractor, through the same entry point the indexer calls. Any crash, sanitizer report,
// leak, timeout or out-of-memory is a bug: a bad file must cost an Error value, nothing else.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "baton/extract.h"

#ifndef BATON_FUZZ_PATH
#error "BATON_FUZZ_PATH names the file the input pretends to be"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto docs = baton::extract(BATON_FUZZ_PATH, bytes);
  if (!docs) return 0;
  // Read every byte of the result, as the indexer will: a view into freed memory shows here.
  std::size_t sum = 0;
  for (const auto& doc : *docs) {
    for (char c : doc.title) sum += static_cast<unsigned char>(c);
    for (const auto& section : doc.sections)
      for (char c : section.text) sum += static_cast<unsigned char>(c);
  }
  volatile std::size_t sink = sum;
  (void)sink;
  return 0;
}
