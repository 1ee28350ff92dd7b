#ifndef TYPHOON_HTTP_HTTP_CLIENT_HPP
#define TYPHOON_HTTP_HTTP_CLIENT_HPP

#include <typhoon/http/chunk_limits.hpp>
#include <typhoon/http/client_request.hpp>
#include <typhoon/http/client_response.hpp>
#include <typhoon/http/http_client_error.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>

namespace typhoon::netutil {
class Resolver;
}
namespace typhoon::ioloop {
class IOLoop;
}

/// The HTTP/1.1 client (tornado.httpclient and simple_httpclient).
namespace typhoon::httpclient {

using boost::asio::awaitable;

namespace detail {
struct ClientState;
}

/// A chunk-size line over 4 KiB fails a fetch with HTTPClientError 599 (see chunk_limits.hpp).
using httputil::max_chunk_line_size;

/// The keyword arguments of AsyncHTTPClient.configure(), for one client or for current()'s.
struct AsyncHTTPClientOptions {
    /// Requests in flight at once; the others wait in FIFO order, at most
    /// min(connect_timeout, request_timeout) ("Timeout in request queue").
    int max_clients = 10;
    ///@{
    /** Limits of every response unless the request overrides them: the status line plus
        headers (and the trailer fields of a chunked body, which count against the same
        limit), and the body (after decompression too, so a gzip bomb is cut off). Crossing
        either fails the fetch with HTTPClientError 599 naming the limit. */
    std::size_t max_header_size = 64 * 1024;
    std::size_t max_body_size = 100 * 1024 * 1024;
    ///@}
    /// Resolves host names (netutil::Resolver by default).
    std::shared_ptr<netutil::Resolver> resolver{};
    /// Host names replaced before resolution ("example.com" → "127.0.0.1"), as Tornado's
    /// hostname_mapping; Host, SNI and certificate checks keep the original name.
    std::map<std::string, std::string, std::less<>> hostname_mapping{};
    /// Idle keep-alive connections kept per scheme, host and port.
    std::size_t max_idle_connections_per_host = 10;
    /// An idle connection older than this is closed instead of reused.
    std::chrono::steady_clock::duration idle_connection_timeout = std::chrono::seconds(60);
};

/** A non-blocking HTTP/1.1 client (tornado.httpclient.AsyncHTTPClient, the simple_httpclient
    implementation) on Boost.Beast, for coroutines on one IOLoop:

        auto& client = AsyncHTTPClient::current();
        HTTPResponse response = co_await client.fetch("http://example.com/");
        HTTPResponse posted = co_await client.fetch(url, {.method = "POST", .body = "a=1",
                                                          .request_timeout = 5s});

    Unlike Tornado's simple client it keeps connections alive: a finished response leaves its
    connection in a small idle pool per scheme, host and port, and the next request there reuses
    it (a pooled connection the server has closed meanwhile is detected and replaced). HTTPS
    verifies the certificate and the host name by default and sends SNI. IPv6 literals are
    written as in URLs: http://[::1]:8888/.

    Use a client from one loop's thread only. Each fetch keeps what it needs alive, so a client
    may be destroyed while its fetches are still running. */
class AsyncHTTPClient {
public:
    /// A client of its own, not shared (Tornado's `AsyncHTTPClient(force_instance=True)`), for
    /// the current IOLoop.
    explicit AsyncHTTPClient(AsyncHTTPClientOptions options = {});
    /// Closes the idle connections; fetches in flight finish normally.
    ~AsyncHTTPClient();
    AsyncHTTPClient(const AsyncHTTPClient&) = delete;
    AsyncHTTPClient& operator=(const AsyncHTTPClient&) = delete;

    /** The current IOLoop's shared client, made with default options on first use and destroyed
        with the loop (Tornado's `AsyncHTTPClient()` without force_instance). */
    static AsyncHTTPClient& current();
    /** The options of the shared clients that current() makes from now on, on any thread
        (Tornado's `AsyncHTTPClient.configure(None, max_clients=...)`). Clients already made keep
        theirs. Thread-safe. */
    static void configure(AsyncHTTPClientOptions options);

    /** Fetches `url` with the options in `request` (its `url` member is replaced), following
        redirects as asked.
        @throws HTTPClientError for a response outside 2xx when `request.raise_error` (the
        default; the error's response() holds it); HTTPTimeoutError or HTTPStreamClosedError
        (code 599) when there is no response, whatever raise_error says; HTTPClientError 599 for
        an unsupported URL, a URL holding a space or a control byte (CR, LF, ...), an oversized
        or malformed response (a chunk-size line over max_chunk_line_size, trailers over
        max_header_size, a gzip body cut short); typhoon::Error for a request that is wrong
        before anything is sent (a body with GET, none with POST, an unsupported auth_mode, a
        method that is not a token, a header name that is not a token or a value with a
        control byte other than tab). The request's own faults are found before a connection is
        opened, so nothing of such a request reaches any server or proxy.

        A redirect to another origin (scheme, host or port; so also https to http) is sent
        without the Authorization and Cookie headers and without auth_username/auth_password,
        as Tornado 6.5.6 does: credentials go only where they were given for. */
    awaitable<HTTPResponse> fetch(std::string url, HTTPRequest request = {});
    /// fetch() of a request that names its own url.
    awaitable<HTTPResponse> fetch(HTTPRequest request);

    /// Closes the idle connections now.
    void close();
    /// Idle keep-alive connections in the pool (all hosts).
    std::size_t idle_connection_count() const noexcept;

private:
    std::shared_ptr<detail::ClientState> state_;
};

/** A blocking client (tornado.httpclient.HTTPClient) for scripts and tests: it runs an
    AsyncHTTPClient on an IOLoop of its own, so it must not be used from inside a running loop.

        HTTPClient client;
        std::cout << client.fetch("http://localhost:8888/").body;  */
class HTTPClient {
public:
    /// Makes a private IOLoop (not made current) and a client on it.
    explicit HTTPClient(AsyncHTTPClientOptions options = {});
    ~HTTPClient();
    HTTPClient(const HTTPClient&) = delete;
    HTTPClient& operator=(const HTTPClient&) = delete;

    ///@{
    /// As AsyncHTTPClient::fetch, blocking until the response. Throws the same errors.
    HTTPResponse fetch(std::string url, HTTPRequest request = {});
    HTTPResponse fetch(HTTPRequest request);
    ///@}
    /// Closes the idle connections.
    void close();

private:
    std::unique_ptr<ioloop::IOLoop> loop_;
    std::unique_ptr<AsyncHTTPClient> client_;
};

}  // namespace typhoon::httpclient

#endif
