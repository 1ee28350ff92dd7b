#ifndef TYPHOON_WEBSOCKET_HPP
#define TYPHOON_WEBSOCKET_HPP

// tornado.websocket: WebSocketHandler on the server, websocket_connect() for clients.
#include <typhoon/websocket/error.hpp>
#include <typhoon/websocket/message.hpp>
#include <typhoon/websocket/websocket_client.hpp>
#include <typhoon/websocket/websocket_handler.hpp>

#endif
