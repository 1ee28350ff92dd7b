#ifndef TYPHOON_NET_HPP
#define TYPHOON_NET_HPP

// Everything typhoon::net offers: tornado.iostream, tcpserver, tcpclient, netutil and process.
#include <typhoon/net/error.hpp>
#include <typhoon/net/iostream.hpp>
#include <typhoon/net/netutil.hpp>
#include <typhoon/net/prefixed_stream.hpp>
#include <typhoon/net/process.hpp>
#include <typhoon/net/self_signed_certificate.hpp>
#include <typhoon/net/ssl_iostream.hpp>
#include <typhoon/net/ssl_options.hpp>
#include <typhoon/net/stream.hpp>
#include <typhoon/net/tcp_client.hpp>
#include <typhoon/net/tcp_server.hpp>

#endif
