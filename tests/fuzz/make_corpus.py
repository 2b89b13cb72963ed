#!/usr/bin/env python3
"""Writes the seed corpora of tests/fuzz/corpus/<name>/ from the good and bad cases of the unit
tests (and the shipped config files). Run it after changing a seed list here; the output is
committed. Each seed file is named after what it is, so a failing seed is easy to recognise."""
import pathlib
import struct

here = pathlib.Path(__file__).resolve().parent
root = here.parent.parent
out = here / "corpus"

seeds = {}

# command: byte 0 picks the entry point (0 JSON, 1 "<key>\n<value>", 2 topic).
seeds["command"] = {f"json_{i}": b"\x00" + p for i, p in enumerate([
    b'{"height_mm":1100}', b'{"position":80}', b'{"posture":"standing"}',
    b'{"posture":"sitting"}', b'{"preset":"focus"}', b'{"schedule_enabled":false}',
    b'{"height_mm":1100.0}', b'{"action":"stop"}', b'{"action":"clear_fault"}',
    b'{"action":"nudge"}', b'{height_mm:', b'[1]', b'{"hieght_mm":1100}',
    b'{"height_mm":"high"}', b'{"height_mm":1100.5}', b'{"height_mm":99999999999}',
    b'{"position":101}', b'{"position":-1}', b'{"action":"jump"}', b'{"action":1}',
    b'{"posture":"lying"}', b'{"schedule_enabled":"yes"}', b'{"preset":""}',
    b'{"height_mm":1100,"action":"stop"}', b'{}'])}
seeds["command"].update({f"plain_{i}": b"\x01" + k + b"\n" + v for i, (k, v) in enumerate([
    (b"height_mm", b" 1100\n"), (b"height_mm", b"1100.0"), (b"position", b"80"),
    (b"posture", b"standing"), (b"preset", b"focus"), (b"schedule_enabled", b"ON"),
    (b"schedule_enabled", b"maybe"), (b"action", b"calibrate"), (b"hieght_mm", b"1100"),
    (b"height_mm", b"tall"), (b"position", b"150"), (b"action", b"jump")])})
seeds["command"].update({f"topic_{i}": b"\x02" + t for i, t in enumerate([
    b"deskd/office/set", b"deskd/office/set/height_mm", b"deskd/office/set/a/b",
    b"deskd/office/request/schedule/set", b"deskd/office/request/", b"deskd/office/get",
    b"homeassistant/status", b"deskd/office/set/+", b"a//b"])})

seeds["request"] = {f"req_{i}": p for i, p in enumerate([
    b"", b"  \n", b'{"transaction":"t1"}', b'{"transaction":42,"days":7}', b'{"days":400}',
    b'{"days":0}', b'{"days":"7"}', b'{"weeks":1}', b'{"transaction":[1]}', b"[]", b"{",
    b'{"transaction":1.5e300,"days":7.0}', b'{"transaction":null}'])}

# Inputs that found bugs (tests/unit/.../*_regression_test.cpp) stay in the corpus.
seeds["request"]["regression_transaction_infinity"] = b'{"transaction":1.5e600,"days":7.0}'
seeds["request"]["regression_transaction_1.5e200"] = b'{"transaction":1.5e200,"days":7.1}'

limits = struct.pack("<HH", 620, 650)  # 620..1270 mm
seeds["presets"] = {f"presets_{i}": limits + p for i, p in enumerate([
    b'{"presets":{"focus":1000,"sit":700,"stand":1120}}', b'{"presets":{}}',
    b'{"presets":{"focus":2000}}', b'{"presets":{"Fo cus":1000}}', b'{"presets":{"a":"x"}}',
    b'{"presets":[1]}', b'{"other":1}', b'{}', b'{"presets":{"focus":1000.0},"x":1}'])}

seeds["schedule"] = {f"patch_{i}": p for i, p in enumerate([
    b'{"sit_minutes":40,"stand_minutes":15}', b'{"enabled":false}', b'{"mode":"confirm"}',
    b'{"mode":"sometimes"}', b'{"windows":{"mon":["09:00-12:00","13:00-17:30"]}}',
    b'{"windows":{"mon":["9-12"]}}', b'{"windows":{"xyz":[]}}',
    b'{"windows":{"mon":["09:00-12:00","11:00-13:00"]}}', b'{"skip_dates":["2026-12-24"]}',
    b'{"skip_dates":["2026-02-30"]}', b'{"progression":{"enabled":true,"start_date":null}}',
    b'{"progression":{"start_date":"2026-11-02","step_minutes":5}}',
    b'{"breaks":{"enabled":true,"every_minutes":50,"duration_minutes":5}}',
    b'{"sit_minutes":3}', b'{"frobnicate":1}', b'{"transaction":"x","nudge":true}',
    b'{"warn_seconds":30}\xff{"warn_seconds":"30"}',
    b'{"max_auto_moves_per_day":8,"require_time_sync":false}'])}

seeds["presence"] = {f"presence_{i}": p for i, p in enumerate([
    b"on", b"ON", b"not_home", b"home", b"false", b"maybe", b"",
    b"present\npresent\nyes\n\nabsent\nno", b"on\non\n\non", b"\xc3\x84\n\xc3\xa4\n\nx"])}

def files(pattern):
    return {p.name: p.read_bytes() for p in sorted(root.glob(pattern))}

sim = b'[desk]\nid = "office"\n[gpio]\nbackend = "sim"\n'
seeds["config"] = files("config/*.toml")
seeds["config"].update({f"example_{k}": v for k, v in files("config/examples/*.toml").items()})
seeds["config"].update({f"bad_{i}.toml": p for i, p in enumerate([
    sim + b"[schedule]\nsit_minute = 40\n", sim + b"[motor]\nspeed = 3\n", b"verbose = true\n",
    b"desk = 5\n", b'[desk]\nmin_height_mm = "low"\n', b"[motion]\nmax_run_s = 4.5\n",
    b"[motion]\nmax_run_s = 500\n", b"[sensor]\nmm_per_count = nan\n", b'[sensor]\nkind = "laser"\n',
    b'[desk]\nname = "a\x01b"\n', b'[desk]\nid = "Office Desk"\n',
    b"[desk]\nmin_height_mm = 800\nmax_height_mm = 700\n", b"[desk.presets]\nfocus = 2000\n",
    b"[desk.presets]\nFocus = 1000\n", b'[gpio]\nbackend = "gpiod"\n',
    b'[gpio]\nbackend = "gpiod"\nup = 17\ndown = 17\n', b"[gpio]\nup = -1\n",
    sim + b"[schedule]\nsit_minutes = 3\n", sim + b'[mqtt]\npassword_file = "secret"\n',
    sim + b'[schedule.windows]\nmon = ["09:00-12:00", "11:00-13:00"]\n',
    sim + b'[schedule]\nskip_dates = [2026-12-24, "2026-02-30"]\n', b"[desk\n", b"a = \n"])})

desk_ok = (b"# deskd's desk state; rewritten by deskd.\nheight_mm = 742.5\nclean_shutdown = true\n"
           b"coast_up_s = 0.0012\ncoast_down_s = 0.001\ncoast_samples_up = 4\n"
           b"coast_samples_down = 3\nup_speed_mm_s = 38.5\ndown_speed_mm_s = 35\n")
seeds["desk_state"] = {f"desk_{i}.toml": p for i, p in enumerate([
    desk_ok, b"clean_shutdown = false\n", b"", b"\n \n", b"height_mm = \n", b"height_mm = -5\n",
    b"height_mm = 742.5\nheight = 3\n", b'height_mm = "742"\n', b"coast_samples_up = 1.5\n",
    b"up_speed_mm_s = 0\n", b"[extra]\n", desk_ok[:60]])}

settings_ok = (b"sit_height_mm = 700\nstand_height_mm = 1120\n\n[presets]\nfocus = 1000\n\n"
               b'[schedule]\nenabled = true\nmode = "confirm"\nsit_minutes = 40\n'
               b"stand_minutes = 15\n[schedule.windows]\nmon = [\"09:00-12:00\"]\n")
seeds["settings_state"] = {f"settings_{i}.toml": p for i, p in enumerate([
    settings_ok, b"[presets]\n", b"", b"sit_height_mm = 5000\n", b"[presets]\nFocus = 1000\n",
    b'[presets]\nfocus = "high"\n', b"[schedule]\nsit_minutes = 3\n", b"[schedule]\nfoo = 1\n",
    b"stand_height_mm = 1120\nunknown = 1\n", settings_ok[:70]])}

seeds["stats"] = {f"stats_{i}": p for i, p in enumerate([
    b"deskd-stats 1\n", b"deskd-stats 1\n2026-11-21 1800 1200 3 2 0 1 900\n"
    b"2026-11-22 3600 1800 4 2 1 0 1200\n", b"deskd-stats 2\n", b"deskd-stats 1\n2026-11-21 1800 12",
    b"deskd-stats 1\n2026-11-21 1 2 3 4 5 6\n", b"deskd-stats 1\n2026-02-30 1 2 3 4 5 6 1\n",
    b"deskd-stats 1\n2026-11-22 1 2 3 4 5 6 1\n2026-11-21 1 2 3 4 5 6 1\n",
    b"deskd-stats 1\n2026-11-21 90000 1 3 4 5 6 1\n", b"deskd-stats 1\n2026-11-21 -1 2 3 4 5 6 1\n",
    b""])}

seeds["scheduler_memory"] = {f"memory_{i}": p for i, p in enumerate([
    b"# deskd schedule memory\npaused_until = 1764590400\nprogression_start = 2026-11-02\n"
    b"moves_date = 2026-12-01\nmoves_today = 3\n", b"moves_today = 0\n", b"", b"moves_today = 1001\n",
    b"paused_until = -1\n", b"moves_date = 2026-13-01\n", b"frobnicate = 1\n", b"no equals sign\n",
    b"paused_until = 99999999999999\n", b"  moves_today\t=\t2\r\n"])}

seeds["scheduler_memory"]["regression_paused_after_2262"] = (
    b"# deskd schedule memory\npaused_until = 11764590400\n")

seeds["request_target"] = {f"target_{i}": p for i, p in enumerate([
    b"/", b"/index.html", b"/assets/app.js?v=1", b"/config.json", b"/a/b/", b"/%61pp.js",
    b"/..", b"/a/../b", b"/%2e%2e/etc/passwd", b"/a%2fb", b"/a%5cb", b"/%252e", b"//etc",
    b"/.git/config", b"/a%00b", b"/\xc3\xa4", b"/a#frag", b"/%4", b"relative"])}

seeds["http_request"] = {f"http_{i}": p for i, p in enumerate([
    b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", b"HEAD /assets/app.js HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /config.json HTTP/1.0\r\n\r\n", b"GET /index.html HTTP/1.1\r\nConnection: close\r\n\r\n",
    b'GET /index.html HTTP/1.1\r\nIf-None-Match: "x"\r\n\r\n',
    b"GET /index.html HTTP/1.1\r\nIf-Modified-Since: Tue, 01 Dec 2026 12:00:00 GMT\r\n\r\n",
    b"POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", b"GET /escape.txt HTTP/1.1\r\n\r\n",
    b"GET /up/outside.txt HTTP/1.1\r\n\r\n", b"GET /.hidden HTTP/1.1\r\n\r\n",
    b"GET /%2e%2e/outside.txt HTTP/1.1\r\n\r\n", b"DELETE /index.html HTTP/1.1\r\n\r\n",
    b"GET /nope HTTP/1.1\r\n\r\n", b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    b"GET /\x00 HTTP/1.1\r\n\r\n", b"GARBAGE\r\n\r\n"])}

for name, items in seeds.items():
    d = out / name
    d.mkdir(parents=True, exist_ok=True)
    for old in d.iterdir():
        old.unlink()
    for fname, data in items.items():
        (d / fname).write_bytes(data)
    print(f"{name}: {len(items)} seeds")
