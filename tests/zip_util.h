// Helpers for tests that build zip packages (docx, xlsx ...) in memory, zip bombs among them.
#pragma once

#include <zip.h>
#include <zlib.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace baton::test {

using Entries = std::vector<std::pair<std::string, std::string>>;

// An entry whose content is `size` zero bytes, streamed to libzip: a bomb without a buffer its size.
struct Zeros {
  zip_uint64_t size = 0;
  zip_uint64_t pos = 0;
  zip_error_t error{};
};

inline zip_int64_t zeros_source(void* state, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
  auto& z = *static_cast<Zeros*>(state);
  switch (cmd) {
    case ZIP_SOURCE_OPEN:
      z.pos = 0;
      return 0;
    case ZIP_SOURCE_READ: {
      const zip_uint64_t n = std::min(len, z.size - z.pos);
      std::memset(data, 0, n);
      z.pos += n;
      return static_cast<zip_int64_t>(n);
    }
    case ZIP_SOURCE_CLOSE:
      return 0;
    case ZIP_SOURCE_STAT: {
      auto* st = static_cast<zip_stat_t*>(data);
      zip_stat_init(st);
      st->valid = ZIP_STAT_SIZE;
      st->size = z.size;
      return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR:
      return zip_error_to_data(&z.error, data, len);
    case ZIP_SOURCE_FREE:
      return 0;
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                            ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
      zip_error_set(&z.error, ZIP_ER_OPNOTSUPP, 0);
      return -1;
  }
}

// A zip made by libzip in memory: `entries` deflated, and `zeros_size` zero bytes as `zeros_name`.
inline std::string make_zip(const Entries& entries, const std::string& zeros_name = {}, zip_uint64_t zeros_size = 0) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
  REQUIRE(out);
  zip_source_keep(out);
  zip_t* zip = zip_open_from_source(out, ZIP_TRUNCATE, &error);
  REQUIRE(zip);
  for (const auto& [name, data] : entries) {
    zip_source_t* s = zip_source_buffer_create(data.data(), data.size(), 0, &error);
    REQUIRE(s);
    REQUIRE(zip_file_add(zip, name.c_str(), s, ZIP_FL_ENC_UTF_8) >= 0);
  }
  Zeros zeros;
  zeros.size = zeros_size;
  zip_error_init(&zeros.error);
  if (!zeros_name.empty()) {
    zip_source_t* s = zip_source_function_create(zeros_source, &zeros, &error);
    REQUIRE(s);
    const zip_int64_t index = zip_file_add(zip, zeros_name.c_str(), s, 0);
    REQUIRE(index >= 0);
    // Fast deflate: the test pays for 300 MB of zeros once, not for the best ratio.
    REQUIRE(zip_set_file_compression(zip, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE, 1) == 0);
  }
  REQUIRE(zip_close(zip) == 0);
  zip_error_fini(&zeros.error);
  REQUIRE(zip_source_open(out) == 0);
  REQUIRE(zip_source_seek(out, 0, SEEK_END) == 0);
  const zip_int64_t size = zip_source_tell(out);
  REQUIRE(zip_source_seek(out, 0, SEEK_SET) == 0);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  REQUIRE(zip_source_read(out, bytes.data(), bytes.size()) == size);
  zip_source_close(out);
  zip_source_free(out);
  zip_error_fini(&error);
  return bytes;
}

inline void put_u32(std::string& bytes, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) bytes[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFF);
}
inline std::uint32_t get_u32(const std::string& bytes, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
  return v;
}

// Makes the headers of entry `name` (local and central) claim `size` uncompressed bytes: a lying bomb.
inline void declare_size(std::string& zip, const std::string& name, std::uint32_t size) {
  int patched = 0;
  for (const auto& [signature, size_at, name_at] :
       {std::tuple{std::string("PK\x03\x04"), 22, 30}, std::tuple{std::string("PK\x01\x02"), 24, 46}}) {
    for (std::size_t at = zip.find(signature); at != std::string::npos; at = zip.find(signature, at + 1)) {
      if (zip.compare(at + static_cast<std::size_t>(name_at), name.size(), name) != 0) continue;
      REQUIRE(get_u32(zip, at + static_cast<std::size_t>(size_at)) != 0xFFFFFFFFu);  // no zip64 here
      put_u32(zip, at + static_cast<std::size_t>(size_at), size);
      ++patched;
    }
  }
  REQUIRE(patched == 2);
}

// Little-endian fields of a zip header.
inline void append_u16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}
inline void append_u32(std::string& out, std::uint32_t v) {
  append_u16(out, v & 0xFFFF);
  append_u16(out, v >> 16);
}

/// A zip of `entries` (stored) and an entry `bomb_name` of `megabytes` MB of zeros (deflated), with
/// honest headers. The deflate stream is one compressed megabyte repeated (each ends in a full flush,
/// so it refers to nothing before it): a bomb of gigabytes costs a few MB and no time to make.
inline std::string make_gigabyte_bomb(const Entries& entries, const std::string& bomb_name, std::uint32_t megabytes) {
  REQUIRE(megabytes < 4096);  // sizes stay 32-bit: no zip64
  const std::string zeros(1u << 20, '\0');
  z_stream z{};
  REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string chunk(deflateBound(&z, zeros.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
  z.avail_in = static_cast<uInt>(zeros.size());
  z.next_out = reinterpret_cast<Bytef*>(chunk.data());
  z.avail_out = static_cast<uInt>(chunk.size());
  REQUIRE(deflate(&z, Z_FULL_FLUSH) == Z_OK);
  REQUIRE(z.avail_in == 0);
  chunk.resize(chunk.size() - z.avail_out);
  std::string end(64, '\0');
  z.next_out = reinterpret_cast<Bytef*>(end.data());
  z.avail_out = static_cast<uInt>(end.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  end.resize(end.size() - z.avail_out);
  deflateEnd(&z);

  const uLong crc_mb = crc32(0, reinterpret_cast<const Bytef*>(zeros.data()), static_cast<uInt>(zeros.size()));
  uLong crc = crc32(0, nullptr, 0);
  for (std::uint32_t i = 0; i < megabytes; ++i) crc = crc32_combine(crc, crc_mb, static_cast<z_off_t>(zeros.size()));
  std::string data;
  data.reserve(chunk.size() * megabytes + end.size());
  for (std::uint32_t i = 0; i < megabytes; ++i) data += chunk;
  data += end;

  struct Entry {
    std::string name;
    std::uint32_t method, crc, packed, size, offset;
  };
  std::vector<Entry> written;
  std::string zip;
  auto add = [&](const std::string& name, std::uint32_t method, std::uint32_t entry_crc, const std::string& bytes,
                 std::uint32_t size) {
    written.push_back({name, method, entry_crc, static_cast<std::uint32_t>(bytes.size()), size,
                       static_cast<std::uint32_t>(zip.size())});
    append_u32(zip, 0x04034b50);
    for (std::uint32_t v : {20u, 0u, method, 0u, 0x21u}) append_u16(zip, v);  // version, flags, method, time, date
    append_u32(zip, entry_crc);
    append_u32(zip, static_cast<std::uint32_t>(bytes.size()));
    append_u32(zip, size);
    append_u16(zip, static_cast<std::uint32_t>(name.size()));
    append_u16(zip, 0);
    zip += name;
    zip += bytes;
  };
  for (const auto& [name, bytes] : entries) {
    const auto entry_crc = static_cast<std::uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
    add(name, 0, entry_crc, bytes, static_cast<std::uint32_t>(bytes.size()));
  }
  add(bomb_name, 8, static_cast<std::uint32_t>(crc), data, megabytes << 20);

  const auto directory = static_cast<std::uint32_t>(zip.size());
  for (const Entry& e : written) {
    append_u32(zip, 0x02014b50);
    for (std::uint32_t v : {20u, 20u, 0u, e.method, 0u, 0x21u}) append_u16(zip, v);
    append_u32(zip, e.crc);
    append_u32(zip, e.packed);
    append_u32(zip, e.size);
    for (std::uint32_t v : {static_cast<std::uint32_t>(e.name.size()), 0u, 0u, 0u, 0u}) append_u16(zip, v);
    append_u32(zip, 0);  // external attributes
    append_u32(zip, e.offset);
    zip += e.name;
  }
  const auto directory_size = static_cast<std::uint32_t>(zip.size()) - directory;
  append_u32(zip, 0x06054b50);
  for (std::uint32_t v : {0u, 0u, static_cast<std::uint32_t>(written.size()), static_cast<std::uint32_t>(written.size())})
    append_u16(zip, v);
  append_u32(zip, directory_size);
  append_u32(zip, directory);
  append_u16(zip, 0);
  return zip;
}

}  // namespace baton::test
