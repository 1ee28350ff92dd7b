// What both chat pages share: showing each message once, sending the form without a reload, and
// a status line (its text is also in <body data-status>, which the browser test waits for).
"use strict";

const chat = {
  inbox: document.getElementById("inbox"),
  form: document.getElementById("messageform"),
  input: document.getElementById("message"),
  statusLine: document.getElementById("status"),

  // `message` is {id, body, html}; the server rendered `html` (escaped and linkified), so every
  // browser shows the same thing and nothing the user typed is parsed as HTML here.
  show(message) {
    if (document.getElementById("m" + message.id)) return;  // ours, or already on the page
    chat.inbox.insertAdjacentHTML("beforeend", message.html);
    chat.inbox.lastElementChild.scrollIntoView({block: "nearest"});
  },

  status(state, text) {
    document.body.dataset.status = state;
    chat.statusLine.textContent = text;
  },

  // The token of the page's form, which every POST and the WebSocket's messages carry.
  xsrf() {
    return chat.form.elements["_xsrf"].value;
  },

  // Calls send(body) when the form is submitted with something in it, then clears the input.
  onSend(send) {
    chat.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = chat.input.value.trim();
      if (!body) return;
      send(body);
      chat.input.value = "";
      chat.input.focus();
    });
  },
};
