// A classic script (not inline: the page's Content-Security-Policy allows only its own files).
// Opens the broker's WebSocket while the script loads (see src/early_socket.ts): at once
// for the URL remembered from the last visit, else as soon as config.json names deskd's
// /mqtt bridge (as bridgeUrl() in src/config.ts resolves it).
(function () {
  function open(url) {
    if (window.deskdEarlySocket || window.deskdMqttStarted) return;
    try {
      var socket = new WebSocket(url, ['mqtt']);
      socket.binaryType = 'arraybuffer';
      window.deskdEarlySocket = { url: url, socket: socket };
    } catch (e) {}
  }
  var saved = null;
  try { saved = JSON.parse(localStorage.getItem('deskd.config') || 'null'); } catch (e) {}
  if (saved && typeof saved.broker_ws_url === 'string') return open(saved.broker_ws_url);
  // The page's own loadConfig() takes this answer over (window.deskdConfigResponse).
  window.deskdConfigResponse = fetch('config.json', { mode: 'cors', credentials: 'same-origin' });
  // Settled once the socket is opened (or not): loadConfig() waits for it, so the page's probe
  // always finds the socket opened for it, however the two reads of the answer interleave.
  window.deskdEarlySocketDecided = window.deskdConfigResponse
    .then(function (r) { return r.ok ? r.clone().json() : null; })
    .then(function (c) {
      if (!c || typeof c.mqtt_ws_path !== 'string' || c.mqtt_ws_path === '') return;
      var u = new URL(c.mqtt_ws_path.replace(/^\/+/, ''), location.href);
      u.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
      u.search = '';
      u.hash = '';
      open(u.toString());
    })
    .catch(function () {});
})();
