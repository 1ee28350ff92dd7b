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

class Http1Connection;

/// What an HTTPServer shares with its connections; connections keep it alive.
struct ServerState {
    HTTPServerOptions options;
    RequestCallback callback;                                    // either this
    httputil::HTTPServerConnectionDelegate* delegate = nullptr;  // or this
    std::set<Http1Connection*> connections;
    bool shutting_down = false;
};

/** One client connection speaking HTTP/1.x (tornado.http1connection.HTTP1ServerConnection and
    HTTP1Connection in one): reads requests one after the other, hands them to the delegate, and
    is the HTTPConnection the delegate answers through. */
class Http1Connection final : public httputil::HTTPConnection {
public:
    Http1Connection(std::shared_ptr<ServerState> server, boost::asio::ip::tcp::socket socket,
                    std::string address);
    ~Http1Connection() override;

    /// Serves requests until the client or the server ends the connection.
    awaitable<void> serve();
    /// Between requests, waiting for the next one.
    bool idle() const noexcept { return idle_; }
    void close() noexcept;

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
    boost::beast::tcp_stream stream_;
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
