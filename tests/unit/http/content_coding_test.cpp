#include "http/content_coding.h"

#include <gtest/gtest.h>

namespace deskd::http {
namespace {

TEST(ContentCoding, GzipNamedWithAPositiveWeightIsAccepted) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("gzip, deflate, br, zstd"));  // what Chromium sends
  EXPECT_TRUE(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_TRUE(accepts_gzip(" deflate ,\tgzip ; q=0.001"));
  EXPECT_TRUE(accepts_gzip("gzip;Q=1"));
}

TEST(ContentCoding, AWildcardCountsOnlyWhenGzipIsNotNamed) {
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("br, *;q=0.1"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0, *"));
  EXPECT_FALSE(accepts_gzip("*;q=0"));
}

TEST(ContentCoding, ZeroWeightsOtherCodingsAndMalformedWeightsAreRefused) {
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("deflate, br"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0.000"));
  EXPECT_FALSE(accepts_gzip("gzip;q=2"));
  EXPECT_FALSE(accepts_gzip("gzip;q=1.5"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0.1234"));
  EXPECT_FALSE(accepts_gzip("gzip;q="));
  EXPECT_FALSE(accepts_gzip("gzip;q=abc"));
  EXPECT_FALSE(accepts_gzip("gzipx, xgzip"));
  EXPECT_FALSE(accepts_gzip("gzip; q = 0.5"));
  EXPECT_FALSE(accepts_gzip("gzip;q =1"));
  EXPECT_FALSE(accepts_gzip("gzip;q= 1"));
  EXPECT_FALSE(accepts_gzip("gzip;q"));
}

}  // namespace
}  // namespace deskd::http
