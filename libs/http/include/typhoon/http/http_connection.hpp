#ifndef TYPHOON_HTTP_HTTP_CONNECTION_HPP
#define TYPHOON_HTTP_HTTP_CONNECTION_HPP

#include <typhoon/http/headers.hpp>
#include <typhoon/http/server_request.hpp>
#include <typhoon/http/start_line.hpp>
#include <typhoon/net/stream.hpp>

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string_view>

namespace typhoon::httputil {

using boost::asio::awaitable;

/** The response side of one request (tornado.httputil.HTTPConnection): headers once, then body
    chunks, then finish(). Without a Content-Length, an HTTP/1.1 response is sent chunked. Writes
    are buffered and sent when the buffer fills or at finish(), so a small response is one send.
    @throws HTTPOutputError from write() or finish() when the body does not match Content-Length;
    iostream::StreamClosedError when the client has gone. */
class HTTPConnection {
public:
    virtual ~HTTPConnection() = default;
    /// Starts the response: status line, headers and optionally the first body chunk. Once only.
    virtual awaitable<void> write_headers(ResponseStartLine start_line, HTTPHeaders headers,
                                          std::string_view chunk = {}) = 0;
    /// Appends `chunk` to the body; it may wait while the client is slow to read.
    virtual awaitable<void> write(std::string_view chunk) = 0;
    /// Sends what is buffered now, waiting for the socket (back-pressure for streamed responses).
    virtual awaitable<void> flush() = 0;
    /// Ends the response (the last chunk of a chunked body) and sends what is buffered.
    virtual awaitable<void> finish() = 0;
    /** Takes the connection over (Tornado's HTTP1Connection.detach()), e.g. for a WebSocket:
        the caller owns the transport from now on and the server sends nothing more on it,
        forgets it (no timeout, no shutdown() closes it), and ends the request quietly once the
        delegate's finish() returns, without reading the request again: the delegate may move
        it out to keep it beyond finish(). It returns the socket (TLS handshake done) and the
        bytes the server read past the request's header block, which belong to whoever reads
        next.
        @throws HTTPOutputError once the response has started, or when the connection cannot be
        detached (the default); iostream::StreamClosedError when the client has gone. */
    virtual iostream::Stream detach();
};

/** Receives one request as it arrives (tornado.httputil.HTTPMessageDelegate): the headers, the
    body in chunks (never buffered whole unless data_received() does so, which is the default),
    then finish(), which answers through the connection. */
class HTTPMessageDelegate {
public:
    virtual ~HTTPMessageDelegate() = default;
    /// The request line and headers are in `request`; its body is empty.
    virtual awaitable<void> headers_received(HTTPServerRequest& request);
    /// One piece of the body, in order. The default appends it to `request.body`.
    virtual awaitable<void> data_received(HTTPServerRequest& request, std::string_view chunk);
    /// The request is complete: write the response.
    virtual awaitable<void> finish(HTTPServerRequest& request, HTTPConnection& connection) = 0;
    /** The connection closed before the response was complete: the client went away while the
        body was read, or while finish() waits (e.g. a long poll), when
        watches_connection_close() says so. Called once per request. */
    virtual void on_connection_close() {}
    /** Whether the connection watches the client while finish() runs, so as to call
        on_connection_close() as soon as it closes (Tornado always does). Watching costs a
        system call per request, so the web layer asks for it only for handlers that override
        on_connection_close(); without it a closed client is noticed at the next write. */
    virtual bool watches_connection_close() const noexcept { return true; }
};

/// Makes a message delegate per request (tornado.httputil.HTTPServerConnectionDelegate).
class HTTPServerConnectionDelegate {
public:
    virtual ~HTTPServerConnectionDelegate() = default;
    /// Called by the server when a request starts arriving; the delegate lives until it finishes.
    virtual std::unique_ptr<HTTPMessageDelegate> start_request() = 0;
};

}  // namespace typhoon::httputil

#endif
