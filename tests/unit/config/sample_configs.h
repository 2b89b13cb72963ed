#pragma once

namespace deskd::config {

// A config that sets nearly every key, mostly to values other than the defaults.
inline constexpr const char* kFullConfig = R"(
[desk]
id = "office"
name = "Office desk"
min_height_mm = 640
max_height_mm = 1250
sit_height_mm = 700
stand_height_mm = 1120
[desk.presets]
focus = 1000
low = 650

[sensor]
kind = "encoder"
mm_per_count = 0.25
up_speed_mm_s = 40
down_speed_mm_s = 35.5
bottom_height_mm = 630
top_height_mm = 1260

[motion]
reverse_delay_ms = 300
max_run_s = 45
stall_timeout_ms = 1200
backoff_mm = 20
tolerance_mm = 2
nudge_mm = 12
obstruction_ratio = 0.3
deadline_margin = 2

[gpio]
backend = "gpiod"
chip = "/dev/gpiochip1"
up = 17
down = "MOTOR_DOWN"
enable = 22
encoder_a = 5
encoder_b = 6
limit_bottom = 13
handset_up = 20
handset_down = 21
button = 26
outputs_active_low = true
inputs_active_low = true
input_bias = "pull-up"

[schedule]
enabled = false
mode = "confirm"
sit_minutes = 40
stand_minutes = 15
warn_seconds = 10
snooze_minutes = 5
nudge = true
max_auto_moves_per_day = 8
require_time_sync = false
mon = ["09:00-12:00", "13:00-17:30"]
sun = []
skip_dates = ["2026-12-24", 2026-12-31]
presence_topic = "home/office/occupancy"
busy_topic = "home/office/in_a_call"
busy_max_defer_minutes = 45
activity_topic = "home/office/pc_activity"
break_wait_minutes = 15
break_idle_seconds = 90
comfort_checkin = "after_stand"
presence_on = ["present"]
presence_off = ["away"]
[schedule.progression]
enabled = true
start_minutes = 5
step_minutes = 5
period_days = 7
target_minutes = 20
start_date = "2026-01-05"
[schedule.breaks]
enabled = true
every_minutes = 90
duration_minutes = 10

[sim]
up_speed_mm_s = 30
down_speed_mm_s = 31
speed_noise = 0
coast_min_mm = 1
coast_max_mm = 2
start_height_mm = 1000
seed = 42

[mqtt]
uri = "ssl://broker.example:8883"
client_id = "desk-1"
username = "deskd"
password = "hunter2"
base_topic = "office/desks"
discovery_prefix = "ha"
discovery = "entities"
keepalive_s = 60

[web]
enabled = false
listen = "[::]:8081"
broker_ws_url = "wss://broker.example:9443/mqtt"
root = "/srv/deskd"

[state]
dir = "/tmp/deskd-state"
)";

}  // namespace deskd::config
