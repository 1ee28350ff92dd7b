#include "message.hpp"

#include <typhoon/web/http_error.hpp>

#include <boost/uuid/uuid_generators.hpp>
#include <boost/uuid/uuid_io.hpp>

namespace chat {

boost::json::object make_message(typhoon::web::RequestHandler& handler, std::string body) {
    if (body.empty()) throw typhoon::web::HTTPError(400, "empty message");
    // Seeded once per thread from the system's entropy: seeding is the expensive part.
    thread_local boost::uuids::random_generator uuid4;
    boost::json::object message{{"id", boost::uuids::to_string(uuid4())},
                                {"body", std::move(body)}};
    message["html"] = handler.render_string("message.html", {{"message", message}});
    return message;
}

}  // namespace chat
