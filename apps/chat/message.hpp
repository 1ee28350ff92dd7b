// One chat message as both chats keep and send it.
#ifndef CHAT_MESSAGE_HPP
#define CHAT_MESSAGE_HPP

#include <typhoon/web/request_handler.hpp>

#include <boost/json/object.hpp>

#include <string>

namespace chat {

/** {"id": a fresh UUID, "body": `body`, "html": message.html rendered by `handler`}: the HTML is
    made once, on the server, so that every browser shows the same escaped and linkified text.
    @throws typhoon::web::HTTPError(400) for an empty body. */
boost::json::object make_message(typhoon::web::RequestHandler& handler, std::string body);

}  // namespace chat

#endif
