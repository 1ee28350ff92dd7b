// The long-polling chat (Tornado's chatdemo): a browser posts to /a/message/new and keeps a POST
// to /a/message/updates open until there is something after its cursor.
#ifndef CHAT_LONG_POLLING_HPP
#define CHAT_LONG_POLLING_HPP

#include "chat.hpp"
#include "message_buffer.hpp"

#include <typhoon/ioloop/event.hpp>
#include <typhoon/web/request_handler.hpp>

namespace chat {

/// GET /poll: the chat page with the cached messages.
class LongPollingPageHandler final : public typhoon::web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    void initialize(MessageBuffer& buffer) { buffer_ = &buffer; }
    boost::asio::awaitable<void> get() override;

private:
    MessageBuffer* buffer_ = nullptr;
};

/** POST /a/message/new with `body`: answers the new message as JSON, or redirects to `next`
    (a local path) for a browser without JavaScript. An empty body is a 400; a chat across
    processes whose Redis cannot take the message answers 503, and nothing was posted. */
class MessageNewHandler final : public typhoon::web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    void initialize(Chat& chat) { chat_ = &chat; }
    boost::asio::awaitable<void> post() override;

private:
    Chat* chat_ = nullptr;
};

/** POST /a/message/updates with an optional `cursor`: answers {"messages": [...]} with those after
    the cursor, waiting for the next message when there are none yet. When the browser goes away
    meanwhile, its wait is cancelled and nothing is answered. */
class MessageUpdatesHandler final : public typhoon::web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    void initialize(MessageBuffer& buffer) { buffer_ = &buffer; }
    boost::asio::awaitable<void> post() override;
    void on_connection_close() override { client_gone_.set(); }

private:
    MessageBuffer* buffer_ = nullptr;
    typhoon::locks::Event client_gone_;
};

}  // namespace chat

#endif
