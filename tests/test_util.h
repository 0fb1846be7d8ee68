// Helpers for tests: temporary folders and files.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <algorithm>
#include <fstream>
#include <cstdlib>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "baton/search.h"

namespace baton::test {

/// A fresh folder under the system temp dir, removed with everything in it when this goes out of scope.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("baton-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view rel) const { return path_ / std::filesystem::path(std::string(rel)); }

 private:
  std::filesystem::path path_;
};

/// How many hits `q` has on the first page (10) of the index in `data`; throws if it cannot search.
inline std::uint64_t hits(const std::filesystem::path& data, const std::string& q) {
  auto searcher = Searcher::open(data);
  if (!searcher) throw std::runtime_error(searcher.error().message);
  auto r = searcher->search({q, 10, 0});
  if (!r) throw std::runtime_error(r.error().message);
  return r->hits.size();
}

/// The first `limit` files under `dir` (all if 0), in path order: the same files every run.
inline std::vector<std::filesystem::path> first_files(const std::filesystem::path& dir, std::size_t limit) {
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file()) paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  if (limit && paths.size() > limit) paths.resize(limit);
  return paths;
}

/// Writes `bytes` to `path`, creating folders on the way.
inline void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

/// The shared corpus of real documents (../shared/corpus, from BATON_CORPUS that ctest sets).
/// Throws if it is missing: a test that needs it must fail, not pass silently.
inline std::filesystem::path corpus() {
  const char* env = std::getenv("BATON_CORPUS");
  const std::filesystem::path dir = env ? env : "";
  if (!env || !std::filesystem::is_directory(dir))
    throw std::runtime_error("shared corpus not found (BATON_CORPUS=" + dir.string() + "): run through ctest with ../shared beside the repo");
  return dir;
}

/// The whole content of a file.
inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// "客户资料" encoded as GBK: the bytes a Windows editor in China writes.
inline const std::string gbk_customer_info = "\xBF\xCD\xBB\xA7\xD7\xCA\xC1\xCF";

}  // namespace baton::test

namespace baton::test {

/// "交接文档：客户资料和退款流程都在共享盘，值班安排见附件。" encoded as GBK.
inline const std::string gbk_sentence =
    "\xbd\xbb\xbd\xd3\xce\xc4\xb5\xb5\xa3\xba\xbf\xcd\xbb\xa7\xd7\xca\xc1\xcf\xba\xcd\xcd\xcb\xbf\xee\xc1\xf7\xb3\xcc"
    "\xb6\xbc\xd4\xda\xb9\xb2\xcf\xed\xc5\xcc\xa3\xac\xd6\xb5\xb0\xe0\xb0\xb2\xc5\xc5\xbc\xfb\xb8\xbd\xbc\xfe\xa1\xa3";

/// "網路設定與資料備份" encoded as Big5.
inline const std::string big5_phrase = "\xba\xf4\xb8\xf4\xb3\x5d\xa9\x77\xbb\x50\xb8\xea\xae\xc6\xb3\xc6\xa5\xf7";

}  // namespace baton::test
