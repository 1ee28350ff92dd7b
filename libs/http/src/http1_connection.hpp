#ifndef TYPHOON_HTTP_SRC_HTTP1_CONNECTION_HPP
#define TYPHOON_HTTP_SRC_HTTP1_CONNECTION_HPP

#include <typhoon/http/http_connection.hpp>
#include <typhoon/http/http_server.hpp>
#include <typhoon/net/stream.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <type_traits>

namespace typhoon::httpserver::detail {

using Clock = std::chrono::steady_clock;

/// What the server needs of a connection for timeouts and a graceful shutdown, whatever its
/// transport.
class ConnectionBase {
public:
    virtual ~ConnectionBase() = default;
    /// Between requests, waiting for the next one.
    virtual bool idle() const noexcept = 0;
    virtual void close() noexcept = 0;
    /// The deadline passed while the connection waited for its client: it closes.
    virtual void expire() noexcept = 0;

    /// When the I/O the connection waits for must be done; Clock::time_point::max() while it
    /// waits for none (e.g. while the application works on a request).
    Clock::time_point deadline = Clock::time_point::max();

private:
    friend class ConnectionList;
    ConnectionBase* previous_ = nullptr;
    ConnectionBase* next_ = nullptr;
    bool listed_ = false;
};

/** The open connections of a server, linked through the connections themselves: a std::set
    cost every connection a tree node, 56 bytes held for as long as it is open. */
class ConnectionList {
public:
    class iterator {
    public:
        explicit iterator(ConnectionBase* at) noexcept : at_(at) {}
        ConnectionBase* operator*() const noexcept { return at_; }
        iterator& operator++() noexcept {
            at_ = at_->next_;
            return *this;
        }
        bool operator!=(const iterator& other) const noexcept { return at_ != other.at_; }

    private:
        ConnectionBase* at_;
    };

    void insert(ConnectionBase* connection) noexcept {
        if (connection->listed_) return;
        connection->listed_ = true;
        connection->previous_ = nullptr;
        connection->next_ = head_;
        if (head_) head_->previous_ = connection;
        head_ = connection;
        ++size_;
    }
    /// Idempotent: a connection leaves when it is detached and again when it is destroyed.
    void erase(ConnectionBase* connection) noexcept {
        if (!connection->listed_) return;
        connection->listed_ = false;
        if (connection->previous_)
            connection->previous_->next_ = connection->next_;
        else
            head_ = connection->next_;
        if (connection->next_) connection->next_->previous_ = connection->previous_;
        --size_;
    }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    /// Iterating must not erase: closing a connection only closes its socket, and it leaves
    /// the list later, from its own coroutine.
    iterator begin() const noexcept { return iterator(head_); }
    iterator end() const noexcept { return iterator(nullptr); }

private:
    ConnectionBase* head_ = nullptr;
    std::size_t size_ = 0;
};

/** What an HTTPServer shares with its connections; connections keep it alive.

    Timeouts cost no timer per read: each connection writes a deadline before it waits, and one
    sweep per server, running while there are connections, closes those past theirs. */
struct ServerState {
    HTTPServerOptions options;
    RequestCallback callback;                                    // either this
    httputil::HTTPServerConnectionDelegate* delegate = nullptr;  // or this
    ConnectionList connections;
    bool shutting_down = false;
    boost::asio::steady_timer* sweep_timer = nullptr;  // the sweep's, while it runs
    bool over_capacity = false;  // max_connections was reached, and that was logged

    /// Registers `connection`, starting the sweep on `executor` if it is not running.
    static void add(const std::shared_ptr<ServerState>& state, ConnectionBase* connection,
                    const boost::asio::any_io_executor& executor);
    void remove(ConnectionBase* connection) noexcept;
};

/** One client connection speaking HTTP/1.x (tornado.http1connection.HTTP1ServerConnection and
    HTTP1Connection in one): reads requests one after the other, hands them to the delegate, and
    is the HTTPConnection the delegate answers through. `Stream` is one of net's sockets: TCP, a
    Unix socket, or TLS over TCP (each is instantiated in the .cpp); a TLS connection shakes hands
    first, within header_timeout. */
template <class Stream>
class Http1Connection final : public httputil::HTTPConnection, public ConnectionBase {
public:
    Http1Connection(std::shared_ptr<ServerState> server, Stream stream, std::string address);
    ~Http1Connection() override;

    /// Serves requests until the client or the server ends the connection.
    awaitable<void> serve();
    bool idle() const noexcept override { return idle_; }
    void close() noexcept override;
    void expire() noexcept override;

    awaitable<void> write_headers(httputil::ResponseStartLine start_line,
                                  httputil::HTTPHeaders headers, std::string_view chunk) override;
    awaitable<void> write(std::string_view chunk) override;
    awaitable<void> flush() override;
    awaitable<void> finish() override;
    iostream::Stream detach() override;

private:
    static constexpr bool plain = !std::is_same_v<Stream, iostream::TLSSocket>;

    /// What find_header_block() answers for a header block with a bare LF, or a folded line.
    static constexpr std::size_t bare_lf = static_cast<std::size_t>(-1);
    static constexpr std::size_t folded = static_cast<std::size_t>(-2);
    /// The size of the header block at the start of buffer_ when it is all there (bare_lf when a
    /// line ends in LF alone, folded when a line starts with whitespace); `searched` (0 at first)
    /// remembers how far a previous call looked.
    std::optional<std::size_t> find_header_block(std::size_t& searched);
    /// Sets the deadline of the next header read (the idle timeout until the first byte, then
    /// header_timeout from it) and returns how many bytes to read.
    std::size_t prepare_header_read(std::optional<Clock::time_point>& header_deadline);
    /// Answers a request we refuse, logs why, and closes.
    awaitable<void> refuse(int code, std::string_view reason, std::string_view why);
    awaitable<void> serve_one(std::size_t header_size);
    void apply_xheaders(httputil::HTTPServerRequest& request) const;
    /// Appends a body chunk to the output (chunk-framed when chunking); false when it is empty.
    bool append_body(std::string_view chunk);
    /// Sends what the socket takes of out_ without waiting; true when out_ is all sent.
    bool send_now();
    /// Sends the rest of out_, waiting for the socket (at most body_timeout).
    awaitable<void> send_rest();
    /// Watches the socket while the application answers (Tornado's close callback): when the
    /// client closes, the connection closes and `delegate` hears of it at once.
    void watch_for_close(httputil::HTTPMessageDelegate& delegate);
    /// Tells the delegate of the request in progress, once, that its client has gone.
    void notify_close(httputil::HTTPMessageDelegate* delegate);

    /// The socket itself: `stream_`, or the TCP socket under TLS.
    auto& socket() noexcept {
        if constexpr (plain)
            return stream_;
        else
            return stream_.next_layer();
    }
    void arm(Clock::duration timeout) { deadline = Clock::now() + timeout; }
    void disarm() noexcept { deadline = Clock::time_point::max(); }

    std::shared_ptr<ServerState> server_;
    Stream stream_;
    boost::beast::flat_buffer buffer_;
    std::string address_, remote_ip_;
    Clock::time_point idle_deadline_{};  // when the wait for the next request ends
    bool idle_ = true, closed_ = false, timed_out_ = false;
    bool detached_ = false;
    // The close watch: a peek of one byte pending on the socket (watching_) on behalf of the
    // request in progress (watched_, null once it is answered). The peek's handler refers to
    // this object, so serve() does not return while it is pending.
    bool watching_ = false, close_notified_ = false;
    httputil::HTTPMessageDelegate* watched_ = nullptr;
    char peek_ = 0;

    // The request being answered.
    std::string request_method_;
    bool http10_ = false;
    bool request_keep_alive_header_ = false;
    bool disconnect_on_finish_ = false;
    bool headers_written_ = false, write_finished_ = false, chunking_ = false;
    std::optional<std::uint64_t> expected_content_remaining_;
    std::string out_;  // response bytes not yet sent
};

}  // namespace typhoon::httpserver::detail

#endif
