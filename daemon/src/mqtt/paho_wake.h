#pragma once

namespace deskd::mqtt {

// Works around paho-mqtt-c 1.3's connect delay (eclipse-paho/paho.mqtt.c#1430, fixed upstream
// after 1.3.12): while paho has no socket, its receive thread sleeps 100 ms at a time
// (MQTTAsync_sleep → clock_nanosleep) and only notices a new connection when that sleep ends.
// The first connect starts that thread, which nearly always sleeps before the send thread has
// made the socket, so "MQTT: connecting" → "connected" took ~110 ms on loopback.
//
// wake_sleeping_threads() sends a no-op signal (its handler does nothing and is installed
// without SA_RESTART) to every other thread of this process that is blocked in clock_nanosleep
// or nanosleep right now, which ends that sleep early; paho's loop then looks at its sockets at
// once. In deskd only paho's receive thread ever sleeps that way (the loop thread waits in
// epoll, paho's send thread on a condition variable). Returns how many threads were signalled.
// Safe to call from any thread, at any time; a thread woken for nothing just loops again.
int wake_sleeping_threads();

}  // namespace deskd::mqtt
