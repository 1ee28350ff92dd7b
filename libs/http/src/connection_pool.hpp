#ifndef TYPHOON_HTTP_SRC_CONNECTION_POOL_HPP
#define TYPHOON_HTTP_SRC_CONNECTION_POOL_HPP

// AsyncHTTPClient's connections: opened through net (TCP, a proxy's CONNECT, TLS), kept idle
// per origin and settings, and handed out again while they are still open.

#include "client_connection.hpp"
#include "client_url.hpp"

#include <typhoon/http/http_client.hpp>
#include <typhoon/ioloop/semaphore.hpp>
#include <typhoon/net/tcp_client.hpp>

#include <boost/asio/awaitable.hpp>

#include <deque>
#include <map>
#include <memory>
#include <string>

namespace typhoon::httpclient::detail {

/// What an AsyncHTTPClient shares with its fetches: the options, the slots of max_clients, the
/// idle connections and the TLS contexts made so far.
struct ClientState {
    explicit ClientState(AsyncHTTPClientOptions o)
        : options(std::move(o)), slots(std::max(options.max_clients, 1)), tcp(options.resolver) {}

    AsyncHTTPClientOptions options;
    locks::Semaphore slots;
    tcpclient::TCPClient tcp;
    std::map<std::string, std::deque<std::unique_ptr<Connection>>, std::less<>> idle;
    std::map<std::string, std::shared_ptr<asio::ssl::context>, std::less<>> contexts;

    /// An idle connection for `key` that is still open, or null.
    std::unique_ptr<Connection> take_idle(const std::string& key);
    void put_idle(const std::string& key, std::unique_ptr<Connection> connection);
    /// The TLS context of a request's settings, made once per set of settings.
    std::shared_ptr<asio::ssl::context> tls_context(const HTTPRequest& request);
};

/// The key of the idle connections a request may reuse: origin, proxy and TLS settings.
std::string pool_key(const ParsedUrl& url, const HTTPRequest& request);

/** Opens the connection a request needs: TCP (to the proxy, when there is one), CONNECT through
    the proxy for https, then the TLS handshake with SNI and certificate checks. Whichever of
    the two deadlines comes first bounds it.
    @throws HTTPTimeoutError, HTTPStreamClosedError, HTTPClientError (599). */
boost::asio::awaitable<std::unique_ptr<Connection>> open_connection(
    std::shared_ptr<ClientState> state, const ParsedUrl& url, const HTTPRequest& request,
    Clock::time_point connect_deadline, Clock::time_point request_deadline);

}  // namespace typhoon::httpclient::detail

#endif
