// The common C API: versions, statuses, per-thread errors, modules, threads.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "hotpath/hotpath.h"

TEST_CASE("version macros, string and number agree", "[common]") {
  const std::string expect = std::to_string(HOTPATH_VERSION_MAJOR) + "." +
                             std::to_string(HOTPATH_VERSION_MINOR) + "." +
                             std::to_string(HOTPATH_VERSION_PATCH);
  CHECK(expect == hotpath_version_string());
  CHECK(hotpath_version_number() == uint32_t(HOTPATH_VERSION_MAJOR * 10000 +
                                             HOTPATH_VERSION_MINOR * 100 + HOTPATH_VERSION_PATCH));
  CHECK(hotpath_abi_version() == HOTPATH_ABI_VERSION);
}

TEST_CASE("every status has a distinct name and text", "[common]") {
  const struct {
    hotpath_status_t code;
    const char* name;
  } all[] = {{HOTPATH_OK, "OK"},
             {HOTPATH_EINVAL, "EINVAL"},
             {HOTPATH_ENULL, "ENULL"},
             {HOTPATH_ERANGE, "ERANGE"},
             {HOTPATH_EOVERFLOW, "EOVERFLOW"},
             {HOTPATH_EUTF8, "EUTF8"},
             {HOTPATH_ENOMEM, "ENOMEM"},
             {HOTPATH_EBUFFER, "EBUFFER"},
             {HOTPATH_EIO, "EIO"},
             {HOTPATH_ECORRUPT, "ECORRUPT"},
             {HOTPATH_EUNSUPPORTED, "EUNSUPPORTED"},
             {HOTPATH_EINTERNAL, "EINTERNAL"}};
  for (const auto& a : all) {
    CHECK(std::string(hotpath_status_name(a.code)) == a.name);
    CHECK(std::strlen(hotpath_status_str(a.code)) > 0);
    CHECK(std::string(hotpath_status_str(a.code)) != "unknown status");
    for (const auto& b : all)
      if (a.code != b.code)
        CHECK(std::string(hotpath_status_str(a.code)) != hotpath_status_str(b.code));
  }
  CHECK(std::string(hotpath_status_str(12345)) == "unknown status");
  CHECK(std::string(hotpath_status_name(-999)) == "UNKNOWN");
}

TEST_CASE("last error message is per thread, set on failure, cleared on success", "[common]") {
  uint64_t out = 0;
  REQUIRE(hotpath_williams_optimal_batch_size(10, 100.0, -1.0, &out) == HOTPATH_ERANGE);
  const std::string msg = hotpath_last_error_message();
  CHECK(msg.find("memory_per_item_mb") != std::string::npos);

  std::string other_thread_msg = "unset";
  std::thread t([&] { other_thread_msg = hotpath_last_error_message(); });
  t.join();
  CHECK(other_thread_msg.empty());
  CHECK(std::string(hotpath_last_error_message()) == msg);  // untouched by the other thread

  REQUIRE(hotpath_williams_optimal_batch_size(10, 100.0, 5.0, &out) == HOTPATH_OK);
  CHECK(std::string(hotpath_last_error_message()).empty());
}

TEST_CASE("module list names williams", "[common]") {
  REQUIRE(hotpath_module_count() >= 1);
  bool found = false;
  for (size_t i = 0; i < hotpath_module_count(); ++i) {
    REQUIRE(hotpath_module_name(i) != nullptr);
    found = found || std::string(hotpath_module_name(i)) == "williams";
  }
  CHECK(found);
  CHECK(hotpath_module_name(hotpath_module_count()) == nullptr);
}

TEST_CASE("thread count control", "[common]") {
  const int32_t def = hotpath_get_num_threads();
  const unsigned hc = std::thread::hardware_concurrency();
  CHECK(def == int32_t(hc == 0 ? 1 : (hc > 256 ? 256 : hc)));
  REQUIRE(hotpath_set_num_threads(3) == HOTPATH_OK);
  CHECK(hotpath_get_num_threads() == 3);
  CHECK(hotpath_set_num_threads(-1) == HOTPATH_ERANGE);
  CHECK(std::string(hotpath_last_error_message()).find("'n'") != std::string::npos);
  CHECK(hotpath_set_num_threads(hotpath_max_threads() + 1) == HOTPATH_ERANGE);
  CHECK(hotpath_get_num_threads() == 3);
  REQUIRE(hotpath_set_num_threads(0) == HOTPATH_OK);
  CHECK(hotpath_get_num_threads() == def);
}

namespace {
// Items joined by sep, as a binding builds them.
std::string join(const std::vector<std::string>& items, char sep) {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) s += sep;
    s += items[i];
  }
  return s;
}
}  // namespace

TEST_CASE("split_joined turns joined items into packed items", "[common][packed]") {
  // Short and long items, empty ones, first and last empty: every branch of
  // the block copy (items of 0..70 bytes, more than 15 of them).
  std::vector<std::string> items;
  for (size_t i = 0; i < 300; ++i) items.push_back(std::string((i * 7) % 71, char('a' + i % 26)));
  items.front().clear();
  items.back().clear();
  for (const char sep : {'\0', '\x1f'}) {
    std::string data = join(items, sep);
    std::vector<size_t> offsets(items.size() + 1, 12345);
    REQUIRE(hotpath_split_joined(&data[0], data.size(), static_cast<uint8_t>(sep), items.size(),
                                 offsets.data()) == HOTPATH_OK);
    CHECK(std::string(hotpath_last_error_message()).empty());
    CHECK(offsets[0] == 0);
    for (size_t i = 0; i < items.size(); ++i) {
      INFO("item " << i);
      REQUIRE(offsets[i + 1] >= offsets[i]);
      CHECK(data.compare(offsets[i], offsets[i + 1] - offsets[i], items[i]) == 0);
    }
    CHECK(offsets.back() == data.size() - (items.size() - 1));
  }
}

TEST_CASE("split_joined handles one item, no items and all-empty items", "[common][packed]") {
  char one[] = "xyz";
  size_t o1[2] = {7, 7};
  CHECK(hotpath_split_joined(one, 3, 0, 1, o1) == HOTPATH_OK);
  CHECK((o1[0] == 0 && o1[1] == 3));
  size_t o0[1] = {7};
  CHECK(hotpath_split_joined(nullptr, 0, 0, 0, o0) == HOTPATH_OK);
  CHECK(o0[0] == 0);
  char seps[] = "\0\0\0";
  size_t o4[5];
  CHECK(hotpath_split_joined(seps, 3, 0, 4, o4) == HOTPATH_OK);
  for (size_t v : o4) CHECK(v == 0);
}

TEST_CASE("split_joined refuses a wrong count and leaves the data alone", "[common][packed]") {
  const std::string original = std::string("a\0b\0c", 5);
  for (size_t n : {1u, 2u, 4u, 9u}) {
    std::string data = original;
    std::vector<size_t> offsets(n + 1);
    CHECK(hotpath_split_joined(&data[0], data.size(), 0, n, offsets.data()) == HOTPATH_EINVAL);
    CHECK(data == original);
    CHECK(std::string(hotpath_last_error_message()).find("separator") != std::string::npos);
  }
  std::string data = original;
  size_t o[1];
  CHECK(hotpath_split_joined(&data[0], data.size(), 0, 0, o) == HOTPATH_EINVAL);
  size_t o3[4];
  CHECK(hotpath_split_joined(nullptr, 5, 0, 3, o3) == HOTPATH_ENULL);
  CHECK(hotpath_split_joined(&data[0], data.size(), 0, 3, nullptr) == HOTPATH_ENULL);
  CHECK(hotpath_split_joined(&data[0], data.size(), 0, SIZE_MAX, o3) == HOTPATH_EOVERFLOW);
}
