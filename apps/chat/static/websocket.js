// Tornado's websocket chat demo in the browser: one socket to /chatsocket; what we send is
// {"body": ...} and every message, ours included, comes back as {id, body, html}.
"use strict";

(() => {
  const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/chatsocket";
  let socket = null;
  let retryDelay = 500;

  function connect() {
    chat.status("connecting", "Connecting…");
    socket = new WebSocket(url);
    socket.onopen = () => {
      retryDelay = 500;
      chat.status("connected", "Connected");
    };
    socket.onmessage = (event) => chat.show(JSON.parse(event.data));
    socket.onclose = (event) => {
      chat.status("error", `Disconnected (${event.code}); reconnecting in ${retryDelay / 1000} s`);
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 60000);
    };
  }

  chat.onSend((body) => {
    if (socket && socket.readyState === WebSocket.OPEN)
      socket.send(JSON.stringify({body}));
    else
      chat.status("error", "Not sent: not connected");
  });
  connect();
})();
