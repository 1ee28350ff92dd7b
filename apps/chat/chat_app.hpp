// Tornado's two chat demos in one application and one chat: long polling at /poll, WebSocket at
// /socket; a message posted on either page reaches both.
#ifndef CHAT_CHAT_APP_HPP
#define CHAT_CHAT_APP_HPP

#include "chat.hpp"

#include <typhoon/web/application.hpp>

#include <string>

namespace chat {

/** The route table. `root` holds templates/ and static/; `chat` must outlive the application.
    XSRF checks are on: every POST carries the `_xsrf` token of the page's form.

    The chat sockets are pinged every 30 s (under the 60 s after which nginx's proxy drops a
    silent connection), and one that has not answered for 90 s is closed. A socket that stops
    reading is closed with 1008 once 1 MiB is queued for it (hundreds of messages: no live
    browser falls that far behind), or dropped when one message waits 10 s to be taken, so that
    it never holds memory or the others' messages. */
typhoon::web::Application make_app(const std::string& root, Chat& chat, bool debug = false);

}  // namespace chat

#endif
