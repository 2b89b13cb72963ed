#include <gtest/gtest.h>

#include "http/cache_policy.h"
#include "http/content_type.h"
#include "http/entity_tag.h"
#include "http/http_date.h"

namespace deskd::http {
namespace {

TEST(ContentType, KnownExtensionsCaseInsensitiveElseOctetStream) {
  EXPECT_EQ(content_type_for("a/b/INDEX.HTML"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("x.webmanifest"), "application/manifest+json");
  EXPECT_EQ(content_type_for("x.tar"), "application/octet-stream");
  EXPECT_EQ(content_type_for("Makefile"), "application/octet-stream");
  EXPECT_EQ(content_type_for("dir.js/file"), "application/octet-stream");
  EXPECT_EQ(content_type_for("trailing."), "application/octet-stream");
}

TEST(CachePolicy, IndexAndConfigAreRevalidatedAssetsImmutable) {
  EXPECT_EQ(cache_control_for("index.html"), "no-cache");
  EXPECT_EQ(cache_control_for("fleet/index.html"), "no-cache");
  EXPECT_EQ(cache_control_for("config.json"), "no-cache");
  EXPECT_EQ(cache_control_for("assets/app-1.js"), "public, max-age=31536000, immutable");
  EXPECT_EQ(cache_control_for("favicon.ico"), "public, max-age=300");
}

TEST(HttpDate, FormatsAndParsesImfFixdate) {
  EXPECT_EQ(format_http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_EQ(parse_http_date(format_http_date(1'790'000'000)), 1'790'000'000);
}

TEST(HttpDate, ObsoleteAndMalformedDatesAreRejected) {
  EXPECT_FALSE(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"));
  EXPECT_FALSE(parse_http_date("Sun Nov  6 08:49:37 1994"));
  EXPECT_FALSE(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"));
  EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 25:49:37 GMT"));
  EXPECT_FALSE(parse_http_date(""));
}

TEST(EntityTag, ChangesWithSizeOrTimeAndMatchesWeakly) {
  const auto tag = make_entity_tag(10, 5);
  EXPECT_NE(tag, make_entity_tag(11, 5));
  EXPECT_NE(tag, make_entity_tag(10, 6));
  EXPECT_TRUE(if_none_match_matches(tag, tag));
  EXPECT_TRUE(if_none_match_matches("\"a\" , W/" + tag, tag));
  EXPECT_TRUE(if_none_match_matches(" * ", tag));
  EXPECT_FALSE(if_none_match_matches("\"a\", \"b\"", tag));
  EXPECT_FALSE(if_none_match_matches("", tag));
}

}  // namespace
}  // namespace deskd::http
