#include "chat_app.hpp"

#include "long_polling.hpp"

#include <typhoon/web/request_handler.hpp>
#include <typhoon/web/url_spec.hpp>

#include <functional>

namespace chat {
namespace web = typhoon::web;

namespace {
/// GET /: the front page, linking both chats.
class MainHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    boost::asio::awaitable<void> get() override {
        render("index.html");
        co_return;
    }
};
}  // namespace

web::Application make_app(const std::string& root, Chat& chat, bool debug) {
    return web::Application(
        {
            web::url<MainHandler>("/", {.name = "main"}),
            web::url<LongPollingPageHandler>("/poll", {.name = "long_polling"},
                                             std::ref(chat.messages)),
            web::url<MessageNewHandler>("/a/message/new", {.name = "message_new"}, std::ref(chat)),
            web::url<MessageUpdatesHandler>("/a/message/updates", {}, std::ref(chat.messages)),
            web::url<WebSocketPageHandler>("/socket", {.name = "websocket"}, std::ref(chat)),
            web::url<ChatSocketHandler>("/chatsocket", {}, std::ref(chat)),
        },
        {.debug = debug,
         .template_path = root + "/templates",
         .static_path = root + "/static",
         .xsrf_cookies = true,
         .extra = {{"websocket_ping_interval", 30},
                   {"websocket_max_outbound_bytes", 1024 * 1024},
                   {"websocket_write_timeout", 10}}});
}

}  // namespace chat
