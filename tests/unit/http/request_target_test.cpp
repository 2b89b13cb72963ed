#include "http/request_target.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace deskd::http {
namespace {

TEST(RequestTarget, RootAndFolderTargetsNameIndexHtml) {
  EXPECT_EQ(decode_request_target("/").path, "index.html");
  EXPECT_EQ(decode_request_target("/docs/").path, "docs/index.html");
  EXPECT_EQ(decode_request_target("/?x=1").path, "index.html");
}

TEST(RequestTarget, PlainPathsDecodeOnceAndDropTheQuery) {
  const auto t = decode_request_target("/assets/index-4f3a9c.js?v=2");
  EXPECT_EQ(t.status, TargetStatus::kOk);
  EXPECT_EQ(t.path, "assets/index-4f3a9c.js");
  EXPECT_EQ(decode_request_target("/my%20file.txt").status, TargetStatus::kBadRequest);
  EXPECT_EQ(decode_request_target("/caf%65.txt").path, "cafe.txt");
  EXPECT_EQ(decode_request_target("/a~b_c-d.e@f").path, "a~b_c-d.e@f");
}

TEST(RequestTarget, TraversalInAnySpellingIsABadRequest) {
  const std::vector<std::string> bad = {
      "/..",
      "/../x",
      "/a/../../x",
      "/./x",
      "/a/./b",
      "/%2e%2e/x",
      "/%2E%2e/x",
      "/.%2e/x",
      "/%2e./x",
      "/%2e",
      "/..%2fx",
      "/a%2f..%2fx",
      "/..%5cx",
      "/..\\x",
      "/a\\b",
      "/%252e%252e/x",
      "/%25",
      "/%c0%ae%c0%ae/x",
      "/%e0%80%ae/x",
      "/%00",
      "/a%00.html",
      "/%0a",
      "/%7f",
      "/%2",
      "/%g0",
      "//etc/passwd",
      "/%2fetc/passwd",
      "/a//b",
      "etc/passwd",
      "",
      "http://h/x",
      "*",
      "C:\\x",
      "/\x01",
      "/\xc3\xa9",
      "/a b",
      "/a\"b",
      "/a<b",
      "/" + std::string(3000, 'a'),
  };
  for (const auto& target : bad) {
    EXPECT_EQ(decode_request_target(target).status, TargetStatus::kBadRequest) << target;
  }
}

TEST(RequestTarget, HiddenFilesAreNotFound) {
  EXPECT_EQ(decode_request_target("/.env").status, TargetStatus::kNotFound);
  EXPECT_EQ(decode_request_target("/assets/.git/config").status, TargetStatus::kNotFound);
  EXPECT_EQ(decode_request_target("/%2eenv").status, TargetStatus::kNotFound);
  EXPECT_EQ(decode_request_target("/...").status, TargetStatus::kNotFound);
}

}  // namespace
}  // namespace deskd::http
