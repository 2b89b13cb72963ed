#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "hw/gpio_lines.h"
#include "hw/input_decoder.h"
#include "ports/desk_io.h"

namespace deskd::hw {

// DeskIo on GPIO lines (libgpiod in production, any GpioLines in tests). Input edges are awaited
// on the event loop through each input's event descriptor: no thread, no polling. `io` must
// outlive this object; all calls happen on the loop's thread.
class GpiodBackend : public ports::DeskIo {
 public:
  // An edge older than this when read is taken as "now" (a clock that cannot be trusted).
  static constexpr std::chrono::seconds kMaxInputAge{5};
  // Receives run-time GPIO failures (a failed event read), which otherwise have no caller.
  using ErrorHandler = std::function<void(const std::string&)>;

  // Opens the chip and requests the lines of `gpio` (see GpiodLines). Throws std::runtime_error
  // with one clear message ("gpiochip 'gpiochip9' not found", "line 'motor-up' (up) not found on
  // gpiochip0") if the chip or a line is missing or busy.
  GpiodBackend(boost::asio::io_context& io, const config::GpioSettings& gpio);
  // With already requested lines; `lines` must have up and down. Throws std::runtime_error if
  // not, or if an input's descriptor cannot be watched.
  GpiodBackend(boost::asio::io_context& io, std::unique_ptr<GpioLines> lines);
  // Drives every output inactive, stops watching and releases the lines.
  ~GpiodBackend() override;
  GpiodBackend(const GpiodBackend&) = delete;
  GpiodBackend& operator=(const GpiodBackend&) = delete;

  // Refuses to drive (outputs inactive, an error naming the line) while an input line cannot be
  // read: stall detection, limits and manual override would be blind. It first tries to read
  // such a line again, and watches it again if that works.
  std::optional<std::string> set_drive(core::Drive drive) override;
  core::Drive drive() const override { return drive_; }
  ports::InputState inputs() const override { return decoder_.state(); }
  void set_input_handler(InputHandler handler) override { handler_ = std::move(handler); }
  void all_off() noexcept override;
  void sync_inputs() override;
  // From the kernel's CLOCK_MONOTONIC timestamp of the last edge of the change being delivered.
  std::chrono::nanoseconds input_age() const override { return input_age_; }

  void set_error_handler(ErrorHandler handler) { error_handler_ = std::move(handler); }
  // Something to say that is not a fault (edges the kernel may have dropped); stderr if unset.
  void set_warning_handler(ErrorHandler handler) { warning_handler_ = std::move(handler); }

  // Quadrature edges younger than this are held, then decoded in timestamp order with the other
  // encoder line's: the two queues are read one after the other, and an edge may reach its queue
  // (from its irq thread) after a later edge of the other line was read. A limit or handset edge
  // first releases every held edge older than itself, so a re-zero sees exactly the steps before
  // it.
  static constexpr std::chrono::milliseconds kReorderWindow{5};

 private:
  struct Edge {
    std::int64_t timestamp_ns;
    LineRole role;
    bool level;
    static bool earlier(const Edge& a, const Edge& b) { return a.timestamp_ns < b.timestamp_ns; }
  };
  struct Watch {
    LineRole role;
    std::unique_ptr<boost::asio::posix::stream_descriptor> descriptor;
    bool unreadable = false;  // the last read failed: not waited on until a read works again
  };

  void start_watching(boost::asio::io_context& io);
  void wait(std::size_t watch);
  void on_readable(std::size_t watch);
  // Reads the pending edges of `role` and of the encoder lines, decodes those old enough in
  // timestamp order (see kReorderWindow) and calls the handler if the inputs changed; false if
  // `role` can no longer be read.
  bool drain(LineRole role);
  // Appends the pending edges of `role`; false (reported) if it cannot be read.
  bool read_line(LineRole role, std::vector<Edge>& into);
  // Moves the held encoder edges at or before `cutoff_ns` (and any with a clock that makes no
  // sense) out of held_, oldest first.
  std::vector<Edge> release_held(std::int64_t cutoff_ns);
  // Applies `edges` in order; the handler sees the state after each limit or handset edge, and at
  // the end.
  void apply(const std::vector<Edge>& edges);
  void deliver_if_changed(ports::InputState& delivered, std::int64_t timestamp_ns);
  void arm_flush();
  bool watched(LineRole role) const;
  void note_full_queue(LineRole role, const std::vector<std::int64_t>& timestamps_ns);
  // Tries the unreadable lines again; the first one still unreadable, if any.
  std::optional<LineRole> retry_unreadable();
  void report(const std::string& message);
  static void deliver(const ErrorHandler& handler, const std::string& message);  // stderr if unset
  // How long ago (CLOCK_MONOTONIC) an edge with this kernel timestamp happened; 0 if unknown.
  static std::chrono::nanoseconds age_of(std::int64_t timestamp_ns);
  static std::int64_t monotonic_now_ns();  // CLOCK_MONOTONIC, as the kernel stamps line events

  std::unique_ptr<GpioLines> lines_;
  core::Drive drive_ = core::Drive::kNone;
  InputDecoder decoder_;
  std::vector<Watch> watches_;
  InputHandler handler_;
  ErrorHandler error_handler_;
  ErrorHandler warning_handler_;
  std::chrono::nanoseconds input_age_{0};
  const bool reorder_;      // quadrature: two queues to put in order
  std::vector<Edge> held_;  // encoder edges inside the reorder window, oldest first
  boost::asio::steady_timer flush_timer_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // the flush handler's guard
};

}  // namespace deskd::hw
