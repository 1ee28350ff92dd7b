#ifndef TYPHOON_NET_IOSTREAM_HPP
#define TYPHOON_NET_IOSTREAM_HPP

#include <typhoon/net/error.hpp>
#include <typhoon/net/stream.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

/// Buffered non-blocking streams over sockets, plain or TLS (tornado.iostream).
namespace typhoon::iostream {

using boost::asio::awaitable;

/// Buffer limits of an IOStream (the `max_buffer_size` and `read_chunk_size` of Tornado's).
struct IOStreamOptions {
    /// Most bytes a read may buffer before it fails with StreamBufferFullError (Tornado: 100 MiB).
    std::size_t max_buffer_size = 100 * 1024 * 1024;
    /// Bytes asked of the socket per read.
    std::size_t read_chunk_size = 64 * 1024;
};

/// How read_bytes() and read_into() wait.
struct ReadBytesOptions {
    /// Return as soon as some bytes are there (at most `num_bytes`) instead of waiting for all.
    bool partial = false;
};

namespace detail {
class Transport;
struct RegexReader;
}  // namespace detail

/** A buffered, non-blocking byte stream over a connected socket (tornado.iostream.IOStream), with
    coroutine reads and writes:

        auto stream = co_await TCPClient().connect("example.com", 80);
        co_await stream->write("GET / HTTP/1.0\r\nHost: example.com\r\n\r\n");
        std::string header = co_await stream->read_until("\r\n\r\n");

    One read may be pending at a time (as in Tornado); writes may overlap and go out in call order.
    Every read and write throws StreamClosedError once the stream is closed, by either side.
    An IOStream lives on the loop that created it and is used from that loop's thread only. */
class IOStream {
public:
    ///@{
    /// Takes over a connected TCP or Unix-domain socket, which must belong to the current loop's
    /// io_context (IOLoop::context()).
    explicit IOStream(boost::asio::ip::tcp::socket socket, IOStreamOptions options = {});
    explicit IOStream(boost::asio::local::stream_protocol::socket socket,
                      IOStreamOptions options = {});
    ///@}
    /// Takes over a connection as net hands it between layers (plain, Unix or TLS with the
    /// handshake done); its `buffered` bytes are the first to be read.
    explicit IOStream(Stream stream, IOStreamOptions options = {});
    /// Closes the socket.
    virtual ~IOStream();
    IOStream(const IOStream&) = delete;
    IOStream& operator=(const IOStream&) = delete;

    /** Reads up to and including `delimiter`.
        @throws UnsatisfiableReadError when `max_bytes` pass without the delimiter (the stream is
        closed), StreamBufferFullError past `max_buffer_size`, StreamClosedError. */
    awaitable<std::string> read_until(std::string delimiter,
                                      std::optional<std::size_t> max_bytes = {});
    // read_until_regex() is a function of its own, in <typhoon/net/iostream_regex.hpp>.
    /// Reads exactly `num_bytes`, or with `partial` whatever is available first (at least one
    /// byte).
    awaitable<std::string> read_bytes(std::size_t num_bytes, ReadBytesOptions options = {});
    /// Fills `buffer` (which must outlive the call), or with `partial` part of it; returns the
    /// count.
    awaitable<std::size_t> read_into(std::span<char> buffer, ReadBytesOptions options = {});
    /// Reads until the peer closes and returns everything; StreamBufferFullError past
    /// max_buffer_size.
    awaitable<std::string> read_until_close();

    /** Sends `data`; completes once it is handed to the kernel. A peer that does not read makes
        this wait rather than buffer without bound (back-pressure). */
    awaitable<void> write(std::string data);

    /// Closes the socket; pending reads and writes fail with StreamClosedError. Idempotent.
    void close();
    /// Whether close() was called or the peer or an error closed the stream.
    bool closed() const noexcept;
    /// Why the stream closed, when it closed because of an error.
    boost::system::error_code error() const noexcept;
    ///@{
    /// True while a read is pending, and while a write is.
    bool reading() const noexcept;
    bool writing() const noexcept;
    ///@}

    /// Called once, on the loop, when the stream closes for any reason (Tornado's close callback).
    void set_close_callback(std::function<void()> callback);
    /// TCP_NODELAY: send small writes at once instead of waiting to coalesce them. TCP only.
    void set_nodelay(bool enabled);

    /// "address:port" of the peer ("" for a Unix socket).
    std::string peer_address() const;

    /** Takes the TCP socket out of an idle stream, for start_tls() and protocol upgrades; the
        stream is then closed without running its close callback.
        @throws typhoon::Error if this is not a plain TCP stream, or a read or write is pending,
        or bytes are buffered; StreamClosedError if it is closed. */
    boost::asio::ip::tcp::socket release_socket();

protected:
    /// For SSLIOStream: a stream whose bytes go through another transport (TLS).
    explicit IOStream(std::unique_ptr<detail::Transport> transport, IOStreamOptions options);
    /// The transport given to the constructor, for SSLIOStream's handshake.
    detail::Transport& transport() noexcept;

private:
    friend struct detail::RegexReader;  // read_until_regex() reads the buffer as read_until() does

    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace typhoon::iostream

#endif
