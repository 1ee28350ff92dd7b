#include <typhoon/http/http_connection.hpp>

#include <typhoon/http/http_input_error.hpp>
#include <typhoon/http/http_server.hpp>

namespace typhoon::httputil {

awaitable<void> HTTPMessageDelegate::headers_received(HTTPServerRequest&) {
    co_return;
}

awaitable<void> HTTPMessageDelegate::data_received(HTTPServerRequest& request,
                                                   std::string_view chunk) {
    request.body.append(chunk);
    co_return;
}

iostream::Stream HTTPConnection::detach() {
    throw HTTPOutputError("this connection cannot be detached");
}

}  // namespace typhoon::httputil
