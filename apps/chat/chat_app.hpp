// Tornado's two chat demos in one application: long polling at /poll, WebSocket at /socket.
#ifndef CHAT_CHAT_APP_HPP
#define CHAT_CHAT_APP_HPP

#include "message_buffer.hpp"
#include "websocket_chat.hpp"

#include <typhoon/web/application.hpp>

#include <string>

namespace chat {

/// What the chats remember while the server runs; one per application, on its loop.
struct Rooms {
    MessageBuffer long_polling;
    ChatRoom websocket;
};

/** The route table. `root` holds templates/ and static/; `rooms` must outlive the application.
    XSRF checks are on: every POST carries the `_xsrf` token of the page's form. */
typhoon::web::Application make_app(const std::string& root, Rooms& rooms, bool debug = false);

}  // namespace chat

#endif
