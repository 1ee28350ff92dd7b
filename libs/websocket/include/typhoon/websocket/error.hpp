#ifndef TYPHOON_WEBSOCKET_ERROR_HPP
#define TYPHOON_WEBSOCKET_ERROR_HPP

#include <typhoon/core/error.hpp>

namespace typhoon::websocket {

/// Base of the WebSocket errors (tornado.websocket.WebSocketError).
class WebSocketError : public Error {
public:
    using Error::Error;
};

/// A message written to, or a ping sent on, a connection that is closed or closing
/// (tornado.websocket.WebSocketClosedError).
class WebSocketClosedError : public WebSocketError {
public:
    WebSocketClosedError() : WebSocketError("WebSocket closed") {}
};

}  // namespace typhoon::websocket

#endif
