#ifndef TYPHOON_HTTP_SRC_HTTP1_CONNECTION_HPP
#define TYPHOON_HTTP_SRC_HTTP1_CONNECTION_HPP

#include <typhoon/http/http_connection.hpp>
#include <typhoon/http/http_server.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <optional>
#include <set>
#include <string>

namespace typhoon::httpserver::detail {

/// What the server needs of a connection for a graceful shutdown, whatever its transport.
class ConnectionBase {
public:
    virtual ~ConnectionBase() = default;
    /// Between requests, waiting for the next one.
    virtual bool idle() const noexcept = 0;
    virtual void close() noexcept = 0;
};

/// What an HTTPServer shares with its connections; connections keep it alive.
struct ServerState {
    HTTPServerOptions options;
    RequestCallback callback;                                    // either this
    httputil::HTTPServerConnectionDelegate* delegate = nullptr;  // or this
    std::set<ConnectionBase*> connections;
    bool shutting_down = false;
};

/** One client connection speaking HTTP/1.x (tornado.http1connection.HTTP1ServerConnection and
    HTTP1Connection in one): reads requests one after the other, hands them to the delegate, and
    is the HTTPConnection the delegate answers through. `Stream` is beast::tcp_stream, or
    beast::ssl_stream over one after the TLS handshake (both are instantiated in the .cpp). */
template <class Stream>
class Http1Connection final : public httputil::HTTPConnection, public ConnectionBase {
public:
    Http1Connection(std::shared_ptr<ServerState> server, Stream stream, std::string address);
    ~Http1Connection() override;

    /// Serves requests until the client or the server ends the connection.
    awaitable<void> serve();
    bool idle() const noexcept override { return idle_; }
    void close() noexcept override;

    awaitable<void> write_headers(httputil::ResponseStartLine start_line,
                                  httputil::HTTPHeaders headers, std::string_view chunk) override;
    awaitable<void> write(std::string_view chunk) override;
    awaitable<void> flush() override;
    awaitable<void> finish() override;

private:
    /// Reads until a whole header block is buffered; its size, or nullopt when the connection ends.
    awaitable<std::optional<std::size_t>> read_header_block();
    /// Answers a request we refuse, logs why, and closes.
    awaitable<void> refuse(int code, std::string_view reason, std::string_view why);
    awaitable<void> serve_one(std::size_t header_size);
    void apply_xheaders(httputil::HTTPServerRequest& request) const;

    std::shared_ptr<ServerState> server_;
    /// The TCP stream under any TLS layer: it carries the timeouts and the socket.
    boost::beast::tcp_stream& lowest_layer() noexcept {
        return boost::beast::get_lowest_layer(stream_);
    }

    Stream stream_;
    boost::beast::flat_buffer buffer_;
    std::string address_, remote_ip_;
    bool idle_ = true, closed_ = false;

    // The request being answered.
    std::string request_method_, request_version_;
    bool request_keep_alive_header_ = false;
    bool disconnect_on_finish_ = false;
    bool headers_written_ = false, write_finished_ = false, chunking_ = false;
    std::optional<std::uint64_t> expected_content_remaining_;
    std::string out_;  // response bytes not yet sent
};

}  // namespace typhoon::httpserver::detail

#endif
