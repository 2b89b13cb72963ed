// Untrusted text is never echoed raw (DESIGN.md §4 invariant 10, issue 19 finding 5): a rejected
// payload reaches the log, B/event and B/response escaped, on one line, and capped; a huge one
// costs deskd no lasting memory.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "support/mqtt_desk_fixture.h"

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif
namespace deskd::testing {
namespace {

using boost::json::object;
using std::chrono::seconds;

std::vector<std::string> log_lines(const std::string& log) {
  std::vector<std::string> lines;
  std::istringstream in(log);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

// The resident set of a process in KiB (VmRSS in /proc/<pid>/status), or -1.
long rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

bool has_control_byte(const std::string& s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7F) return true;
  }
  return false;
}

class MqttUntrustedText : public MqttDeskTest {
 protected:
  // deskd as under systemd: every log line carries a journald priority prefix.
  DeskdOptions journald_options() const {
    auto o = desk_options();
    o.env = {{"JOURNAL_STREAM", "8:12345"}};
    return o;
  }
};

TEST_F(MqttUntrustedText, when_a_payload_holds_a_newline_and_a_priority_expect_one_escaped_line) {
  ASSERT_TRUE(start_all(journald_options()));
  const auto since = mark();
  send("set", "{\"nope\":1}\n<0>deskd: EMERGENCY \x1b[2J");
  auto e = wait_error("invalid JSON", since);
  ASSERT_TRUE(e) << deskd_->log();
  EXPECT_FALSE(has_control_byte(json_string(*e, "command"))) << json_string(*e, "command");
  EXPECT_NE(json_string(*e, "command").find(R"(\n<0>deskd: EMERGENCY \x1b[2J)"), std::string::npos);

  int mentions = 0;
  for (const auto& l : log_lines(deskd_->log())) {
    EXPECT_NE(l.rfind("<0>", 0), 0u) << "a line of deskd's log claims emergency priority: " << l;
    EXPECT_FALSE(has_control_byte(l)) << l;
    if (l.find("EMERGENCY") == std::string::npos) continue;
    ++mentions;
    EXPECT_EQ(l.rfind("<4>rejected command {\"nope\":1}\\n<0>deskd: EMERGENCY", 0), 0u) << l;
  }
  EXPECT_EQ(mentions, 1) << deskd_->log();
}

TEST_F(MqttUntrustedText,
       when_a_request_quotes_a_control_byte_expect_it_escaped_in_log_and_response) {
  ASSERT_TRUE(start_all(journald_options()));
  const auto since = mark();
  // A JSON key holding a newline: the codec quotes it in its error.
  send("request/stats/get", R"({"\n<0>deskd: EMERGENCY":1})");
  auto r = wait_json(
      "response/stats/get", [](const object&) { return true; }, since);
  ASSERT_TRUE(r) << deskd_->log();
  EXPECT_EQ(json_string(*r, "status"), "error");
  EXPECT_FALSE(has_control_byte(json_string(*r, "error"))) << json_string(*r, "error");
  EXPECT_NE(json_string(*r, "error").find(R"(\n<0>deskd: EMERGENCY)"), std::string::npos);
  for (const auto& l : log_lines(deskd_->log())) EXPECT_NE(l.rfind("<0>", 0), 0u) << l;
}

// Finding 5: a 4 MiB malformed command made a 4 MiB log line and a 4 MiB B/event, and RSS went
// from 11 to 18.7 MiB. (The test broker has no message_size_limit / max_packet_size: mosquitto
// 2.0's default accepts up to 256 MiB, so the payload reaches deskd.)
TEST_F(MqttUntrustedText, when_a_4_MiB_command_is_rejected_expect_capped_echoes_and_bounded_rss) {
  ASSERT_TRUE(start_all(journald_options()));
  // The baseline once start-up is over: deskd has answered a B/get.
  ASSERT_TRUE(fresh_state());
  const long before = rss_kib(deskd_->process().pid());
  ASSERT_GT(before, 0);

  const std::string key(4u << 20, 'k');
  const std::string payload = "{\"" + key + "\":1}";
  const std::string dropped = std::to_string(payload.size() - 256) + " more bytes)";
  long peak = before;
  long after_first = before;
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE(round);
    const auto since = mark();
    send("set", payload);
    auto e = wait_error("unknown key", since, seconds(20));
    ASSERT_TRUE(e) << deskd_->log().substr(0, 4000);
    const std::string event = boost::json::serialize(*e);
    EXPECT_LT(event.size(), 2048u) << event.substr(0, 600);
    EXPECT_NE(json_string(*e, "command").find(dropped), std::string::npos)
        << json_string(*e, "command").substr(0, 600);
    ASSERT_TRUE(fresh_state());
    peak = std::max(peak, rss_kib(deskd_->process().pid()));
    if (round == 0) after_first = rss_kib(deskd_->process().pid());
  }
  const long after = rss_kib(deskd_->process().pid());
  std::cout << "deskd VmRSS: " << before << " KiB before, " << after << " KiB after three 4 MiB "
            << "commands (peak seen " << peak << " KiB)\n";
  // paho-mqtt-c keeps its socket read buffer at the largest packet it has read (bounded by the
  // broker's message_size_limit): one 4 MiB block, once. Nothing else may stay or accumulate.
  // Under AddressSanitizer (the sanitizer tree builds deskd with it too) freed blocks sit in its
  // quarantine and RSS says nothing about deskd's own use: the bound is checked in the plain tree.
  if (!kAddressSanitizer) {
    EXPECT_LT(after - before, 6 * 1024) << "RSS grew from " << before << " to " << after << " KiB";
    EXPECT_LT(after - after_first, 1024)
        << "RSS kept growing: " << after_first << " KiB after "
        << "the first command, " << after << " KiB after the third";
  }

  int mentions = 0;
  for (const auto& l : log_lines(deskd_->log())) {
    if (l.find("kkkkkkkk") == std::string::npos) continue;
    ++mentions;
    EXPECT_LT(l.size(), 2048u) << l.substr(0, 600);
    EXPECT_NE(l.find(dropped), std::string::npos) << l.substr(0, 600);
  }
  EXPECT_EQ(mentions, 3);
}

}  // namespace
}  // namespace deskd::testing
