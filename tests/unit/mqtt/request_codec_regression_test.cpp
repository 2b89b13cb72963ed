// Regressions found by tests/fuzz/request_fuzz.cpp.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <variant>

#include "mqtt/request_codec.h"

namespace deskd::mqtt {
namespace {

// fuzz crash-5f87612a: a number too large for a double parses to infinity, and Boost.JSON
// serializes that as the bare word Infinity, so the response echoing the transaction was not
// JSON and the client could not match it to its request. Such a transaction is refused.
TEST(RequestCodecRegression, TransactionOutsideTheDoubleRangeIsRefusedNotEchoedAsInfinity) {
  for (const std::string payload :
       {R"({"transaction":1.5e600,"days":7.0})", R"({"transaction":-1e309})"}) {
    const auto parsed = parse_request(payload);
    ASSERT_TRUE(std::holds_alternative<std::string>(parsed)) << payload;
    EXPECT_EQ(std::get<std::string>(parsed), "transaction: expected a string or a number");
  }
}

TEST(RequestCodecRegression, EveryEchoedTransactionIsValidJson) {
  for (const std::string payload : {R"({"transaction":1e308})", R"({"transaction":-0.0})",
                                    R"({"transaction":18446744073709551615})"}) {
    const auto parsed = parse_request(payload);
    ASSERT_TRUE(std::holds_alternative<Request>(parsed)) << payload;
    const auto& t = std::get<Request>(parsed).transaction;
    boost::system::error_code ec;
    const auto echoed = boost::json::parse(encode_response_error("x", t), ec);
    ASSERT_FALSE(ec) << encode_response_error("x", t);
    EXPECT_EQ(echoed.at("transaction"), *t) << payload;
  }
}

}  // namespace
}  // namespace deskd::mqtt
