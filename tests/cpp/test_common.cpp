// The common C API: versions, statuses, per-thread errors, modules, threads.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <thread>

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
