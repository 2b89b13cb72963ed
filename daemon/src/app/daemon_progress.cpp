// B/progress: the weekly progress computed from the statistics and the schedule. Published with
// the statistics (on connect and every save interval) and on B/get.
#include "app/daemon.h"
#include "core/progress.h"
#include "mqtt/progress_codec.h"

namespace deskd::app {

void Daemon::publish_progress() {
  if (!mqtt_ || !scheduler_) return;
  update_stats();
  const auto progress = core::compute_progress(stats_.history(), schedule_settings_,
                                               scheduler_->progression_start(), clock_.wall_now());
  mqtt_->publish(topics_.progress, mqtt::encode_progress(progress), 1, true);
}

}  // namespace deskd::app
