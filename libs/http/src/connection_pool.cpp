#include "connection_pool.hpp"

#include <typhoon/http/http_client_error.hpp>

#include <typhoon/http/timestamp.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/ioloop/semaphore.hpp>
#include <typhoon/net/detail/base64.hpp>
#include <typhoon/net/netutil.hpp>
#include <typhoon/net/ssl_options.hpp>
#include <typhoon/net/tcp_client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <deque>
#include <limits>
#include <mutex>

namespace typhoon::httpclient::detail {

namespace http = boost::beast::http;
using awaitable_connection = boost::asio::awaitable<std::unique_ptr<Connection>>;

namespace {

/// The OpenSSL reason for a failed handshake, as precise as OpenSSL can tell.
std::string tls_failure(TLSStream& tls, const beast::error_code& ec, bool validating) {
    std::string reason = ec.message();
    if (validating) {
        const long result = SSL_get_verify_result(tls.native_handle());
        if (result != X509_V_OK)
            reason += std::string(" (") + X509_verify_cert_error_string(result) + ")";
    }
    return reason;
}

}  // namespace

std::unique_ptr<Connection> ClientState::take_idle(const std::string& key) {
    const auto found = idle.find(key);
    if (found == idle.end()) return nullptr;
    auto& queue = found->second;
    while (!queue.empty()) {
        auto connection = std::move(queue.back());  // the most recent is the likeliest alive
        queue.pop_back();
        if (Clock::now() - connection->idle_since < options.idle_connection_timeout &&
            connection->still_open()) {
            connection->reused = true;
            return connection;
        }
    }
    idle.erase(found);
    return nullptr;
}

void ClientState::put_idle(const std::string& key, std::unique_ptr<Connection> connection) {
    auto& queue = idle[key];
    if (queue.size() >= options.max_idle_connections_per_host) queue.pop_front();
    connection->idle_since = Clock::now();
    connection->tcp().expires_never();
    queue.push_back(std::move(connection));
}

std::shared_ptr<asio::ssl::context> ClientState::tls_context(const HTTPRequest& request) {
    const std::string key = (request.validate_cert ? "1|" : "0|") + request.ca_certs + "|" +
                            request.client_cert + "|" + request.client_key;
    if (const auto found = contexts.find(key); found != contexts.end()) return found->second;
    auto context = ssl_context_for(request);
    contexts.emplace(key, context);
    return context;
}

std::string pool_key(const ParsedUrl& url, const HTTPRequest& request) {
    std::string key = url.scheme + "://" + url.host_port();
    if (!request.proxy_host.empty())
        key += "|proxy " + request.proxy_host + ":" + std::to_string(request.proxy_port) + " " +
               request.proxy_username.value_or("");
    if (url.scheme == "https")
        key += (request.validate_cert ? "|v|" : "|n|") + request.ca_certs + "|" +
               request.client_cert + "|" + request.client_key;
    return key;
}

boost::asio::awaitable<std::unique_ptr<Connection>> open_connection(
    std::shared_ptr<ClientState> state, const ParsedUrl& url, const HTTPRequest& request,
    Clock::time_point connect_deadline, Clock::time_point request_deadline) {
    const bool proxied = !request.proxy_host.empty();
    std::string host = proxied ? request.proxy_host : url.host;
    const std::uint16_t port = proxied ? request.proxy_port : url.port;
    if (const auto mapped = state->options.hostname_mapping.find(host);
        mapped != state->options.hostname_mapping.end())
        host = mapped->second;
    const std::string where = (host.find(':') != std::string::npos ? "[" + host + "]" : host) +
                              ":" + std::to_string(port);
    // Whichever timeout ends the connection phase, Tornado reports it as a connect timeout.
    const auto deadline = std::min(connect_deadline, request_deadline);
    const char* const timeout_message = "Timeout while connecting";

    iostream::Stream stream;
    try {
        tcpclient::ConnectOptions options;
        if (deadline != Clock::time_point::max()) options.timeout = gen::Deadline(deadline);
        stream = co_await state->tcp.connect_socket(host, port, std::move(options));
    } catch (const gen::TimeoutError&) {
        throw HTTPTimeoutError(timeout_message);
    } catch (const iostream::StreamClosedError& e) {
        throw HTTPStreamClosedError("Could not connect to " + where + ": " +
                                    e.real_error().message());
    } catch (const boost::system::system_error& e) {
        throw HTTPStreamClosedError("Could not resolve host " + host + ": " + e.code().message());
    }
    auto connection = std::make_unique<Connection>();
    // Beast's tcp_stream, for the deadline it gives each operation; TLS goes over it, after
    // the proxy's CONNECT when there is one, so the client does its own handshake.
    connection->plain = std::make_unique<beast::tcp_stream>(stream.take_tcp());
    beast::error_code ignored;
    connection->plain->socket().set_option(asio::ip::tcp::no_delay(true), ignored);

    if (url.scheme != "https") co_return connection;

    if (proxied) {  // a tunnel to the origin, through which TLS runs end to end
        std::string connect =
            "CONNECT " + url.host_port() + " HTTP/1.1\r\nHost: " + url.host_port() + "\r\n";
        if (request.proxy_username)
            connect += "Proxy-Authorization: Basic " +
                       netutil::detail::base64_encode(*request.proxy_username + ":" +
                                                      request.proxy_password.value_or("")) +
                       "\r\n";
        connect += "\r\n";
        set_expiry(*connection->plain, deadline);
        auto [write_error, written] = co_await asio::async_write(
            *connection->plain, asio::buffer(connect), asio::as_tuple(asio::use_awaitable));
        (void)written;
        http::response_parser<http::empty_body> parser;
        parser.skip(true);  // a 2xx answer to CONNECT has no body: the tunnel starts after it
        beast::error_code read_error = write_error;
        if (!read_error)
            std::tie(read_error, std::ignore) =
                co_await http::async_read_header(*connection->plain, connection->buffer, parser,
                                                 asio::as_tuple(asio::use_awaitable));
        if (read_error == beast::error::timeout) throw HTTPTimeoutError(timeout_message);
        if (read_error)
            throw HTTPStreamClosedError("Proxy " + where + " failed to CONNECT to " +
                                        url.host_port() + ": " + read_error.message());
        const auto& message = parser.get();
        if (message.result_int() / 100 != 2)
            throw HTTPStreamClosedError(
                "Proxy " + where + " refused to CONNECT to " + url.host_port() + ": " +
                std::to_string(message.result_int()) + " " + std::string(message.reason()));
    }

    connection->context = state->tls_context(request);
    connection->tls =
        std::make_unique<TLSStream>(std::move(*connection->plain), *connection->context);
    connection->plain.reset();
    netutil::set_client_hostname(connection->tls->native_handle(), url.host);
    set_expiry(connection->tcp(), deadline);
    auto [ec] = co_await connection->tls->async_handshake(asio::ssl::stream_base::client,
                                                          asio::as_tuple(asio::use_awaitable));
    if (ec == beast::error::timeout) throw HTTPTimeoutError(timeout_message);
    if (ec)
        throw HTTPStreamClosedError("SSL handshake with " + url.host_port() + " failed: " +
                                    tls_failure(*connection->tls, ec, request.validate_cert));
    co_return connection;
}

}  // namespace typhoon::httpclient::detail
