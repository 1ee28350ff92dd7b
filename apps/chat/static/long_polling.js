// Tornado's chatdemo in the browser: messages are posted with fetch(), and one POST to
// /a/message/updates stays open; the server answers it when there is something after our cursor.
"use strict";

(() => {
  let cursor = chat.inbox.dataset.cursor || null;  // the id of the last message shown
  let retryDelay = 500;                            // doubled after each failure, up to a minute

  async function post(url, fields) {
    const body = new URLSearchParams({_xsrf: chat.xsrf(), ...fields});
    const response = await fetch(url, {method: "POST", body});
    if (!response.ok) throw new Error(url + " answered " + response.status);
    return response.json();
  }

  async function poll() {
    for (;;) {
      try {
        chat.status("listening", "Listening for new messages");
        const {messages} = await post("/a/message/updates", cursor ? {cursor} : {});
        messages.forEach(chat.show);
        if (messages.length) cursor = messages[messages.length - 1].id;
        retryDelay = 500;
      } catch (error) {
        chat.status("error", `${error.message}; retrying in ${retryDelay / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, retryDelay));
        retryDelay = Math.min(retryDelay * 2, 60000);
      }
    }
  }

  chat.onSend(async (body) => {
    try {
      chat.show(await post(chat.form.action, {body}));
    } catch (error) {
      chat.status("error", "Not sent: " + error.message);
    }
  });
  poll();
})();
