#include "long_polling.hpp"

#include "message.hpp"

#include <typhoon/redis/errors.hpp>
#include <typhoon/web/http_error.hpp>
#include <typhoon/web/local_redirect.hpp>

#include <boost/asio/experimental/awaitable_operators.hpp>

#include <optional>
#include <string>

namespace chat {

boost::asio::awaitable<void> LongPollingPageHandler::get() {
    render("long_polling.html",
           {{"messages", buffer_->cache()}, {"post_url", reverse_url("message_new")}});
    co_return;
}

boost::asio::awaitable<void> MessageNewHandler::post() {
    auto message = make_message(*this, get_argument("body"));
    try {
        co_await chat_->post(message);
    } catch (const typhoon::redis::Error& e) {
        throw typhoon::web::HTTPError(503, std::string("chat: Redis: ") + e.what());
    }
    // A form without JavaScript says where to go next: a path on this site only, anything else
    // ("//host", "/\\host", a URL) goes to "/", or the chat would be an open redirector.
    if (const auto next = get_argument("next", std::nullopt))
        redirect(typhoon::web::local_redirect_target(*next));
    else
        write(message);
    co_return;
}

boost::asio::awaitable<void> MessageUpdatesHandler::post() {
    using namespace boost::asio::experimental::awaitable_operators;
    const std::optional<std::string> cursor = get_argument("cursor", std::nullopt);
    auto messages = buffer_->get_messages_since(cursor);
    while (messages.empty()) {
        // Whichever ends first cancels the other: a browser that left stops waiting (Tornado's
        // demo cancels its wait future in on_connection_close).
        const auto woken = co_await (buffer_->wait() || client_gone_.wait());
        if (woken.index() == 1) co_return;  // nobody is there to answer
        messages = buffer_->get_messages_since(cursor);
    }
    write(boost::json::object{{"messages", std::move(messages)}});
}

}  // namespace chat
