#!/usr/bin/env python3
"""The Home Assistant blueprint (config/homeassistant/*.yaml) against deskd's MQTT contract.

Checks that it is valid YAML for Home Assistant (its !input tags included), that it triggers on
deskd's B/event "warning" (the type deskd publishes, read from core/schedule_event.cpp), that each
of the notification's buttons publishes exactly one command to B/set, and that those commands are
ones deskd's command codec knows (read from mqtt/command_codec.cpp): a renamed action in either
place fails here. usage: ha_blueprint_test.py SOURCE_DIR. Exit 77 (skipped) without PyYAML."""
import json
import re
import sys
from pathlib import Path

try:
    import yaml
except ImportError:
    print("SKIP: python3-yaml is not installed")
    sys.exit(77)

src = Path(sys.argv[1])
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


class Loader(yaml.SafeLoader):
    pass


Loader.add_constructor("!input", lambda loader, node: {"!input": loader.construct_scalar(node)})

codec = (src / "daemon/src/mqtt/command_codec.cpp").read_text()
known_actions = set(re.findall(r'\{Action::k\w+, "([a-z_]+)"\}', codec))
events = (src / "daemon/src/core/schedule_event.cpp").read_text()
check(re.search(r'return "warning";', events) is not None, "deskd publishes a B/event type 'warning'")
check({"snooze", "skip", "stop"} <= known_actions, f"deskd's codec knows snooze, skip, stop ({sorted(known_actions)})")


def walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)


blueprints = sorted((src / "config/homeassistant").glob("*.yaml"))
check(len(blueprints) > 0, "there is a blueprint")
for path in blueprints:
    doc = yaml.load(path.read_text(), Loader=Loader)
    name = path.name
    bp = doc.get("blueprint", {})
    check(bp.get("domain") == "automation", f"{name}: an automation blueprint")
    inputs = bp.get("input", {})
    check("desk_topic" in inputs and "notify_device" in inputs, f"{name}: inputs desk_topic and notify_device")
    check(doc.get("trigger_variables", {}).get("base") == {"!input": "desk_topic"}, f"{name}: the trigger's topic comes from desk_topic")
    triggers = doc.get("trigger", [])
    check(any(t.get("platform") == "mqtt" and t.get("topic") == "{{ base }}/event" and t.get("payload") == "warning"
              and t.get("value_template") == "{{ value_json.type }}" for t in triggers),
          f"{name}: triggers on B/event with type 'warning'")
    buttons = {}
    for node in walk(doc.get("action", [])):
        for a in node.get("actions", []) if isinstance(node.get("actions"), list) else []:
            buttons[a.get("title")] = a.get("action")
    check(set(buttons) == {"Snooze", "Skip", "Stop"}, f"{name}: the notification offers Snooze, Skip, Stop ({sorted(buttons, key=str)})")
    variables = doc.get("variables", {})
    publishes = [n for n in walk(doc.get("action", [])) if n.get("service") == "mqtt.publish"]
    check(len(publishes) == 3, f"{name}: three publications, one per button")
    for p in publishes:
        data = p.get("data", {})
        check(data.get("topic") == "{{ base }}/set", f"{name}: publishes to B/set ({data.get('topic')})")
        try:
            payload = json.loads(data.get("payload", ""))
        except ValueError:
            payload = None
        check(isinstance(payload, dict) and set(payload) == {"action"} and payload["action"] in known_actions,
              f"{name}: payload {data.get('payload')} is a deskd command")
    # Each button's id leads to the publication of its own action.
    for title, var in (("Snooze", "snooze"), ("Skip", "skip"), ("Stop", "stop")):
        check(buttons.get(title) == "{{ %s }}" % var and var in variables, f"{name}: {title} carries the id '{var}'")
        branch = [n for n in walk(doc.get("action", [])) if isinstance(n.get("conditions"), str)
                  and f"== {var}" in n["conditions"]]
        sent = [json.loads(n["data"]["payload"])["action"] for b in branch for n in walk(b.get("sequence", []))
                if n.get("service") == "mqtt.publish"]
        check(sent == [var], f"{name}: {title} sends {{\"action\":\"{var}\"}} ({sent})")

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("PASS")
