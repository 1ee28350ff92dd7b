#include <typhoon/net/iostream.hpp>
#include <typhoon/net/iostream_regex.hpp>

#include "socket_transport.hpp"
#include "tls_transport.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cstring>

namespace typhoon::iostream {

namespace asio = boost::asio;

StreamClosedError::StreamClosedError(boost::system::error_code real_error)
    : Error(real_error ? "Stream is closed: " + real_error.message()
                       : std::string("Stream is closed")),
      real_error_(real_error) {}

struct IOStream::State {
    State(std::unique_ptr<detail::Transport> t, IOStreamOptions o)
        : transport(std::move(t)), options(o), write_signal(transport->get_executor()) {
        write_signal.expires_at(asio::steady_timer::time_point::max());
    }

    std::unique_ptr<detail::Transport> transport;
    IOStreamOptions options;

    std::string buffer;  // bytes read from the socket; those before `consumed` are handed out
    std::size_t consumed = 0;
    bool reading = false;

    std::string pending;    // written by callers, not yet given to the socket
    bool flushing = false;  // a write() is moving `pending` to the socket
    std::uint64_t queued = 0, written = 0;
    asio::steady_timer write_signal;  // cancelled whenever bytes are written or the stream closes

    bool closed = false;
    boost::system::error_code error;
    std::function<void()> close_callback;

    /// Marks the stream as reading for the lifetime of one read call: one read at a time.
    struct ReadScope {
        explicit ReadScope(State& state) : s(state) {
            if (s.reading) throw Error("Already reading");
            s.reading = true;
        }
        ~ReadScope() { s.reading = false; }
        ReadScope(const ReadScope&) = delete;
        ReadScope& operator=(const ReadScope&) = delete;
        State& s;
    };

    std::string_view unread() const noexcept { return std::string_view(buffer).substr(consumed); }

    std::string take(std::size_t n) {
        std::string out(unread().substr(0, n));
        consumed += out.size();
        if (consumed == buffer.size()) {
            buffer.clear();
            consumed = 0;
        }
        return out;
    }

    void close(boost::system::error_code why = {}) {
        if (closed) return;
        closed = true;
        if (why && why != asio::error::eof && why != asio::error::operation_aborted) error = why;
        transport->close();
        write_signal.cancel();
        if (close_callback) asio::post(transport->get_executor(), std::move(close_callback));
        close_callback = nullptr;
    }

    void check_open() const {
        if (closed) throw StreamClosedError(error);
    }

    /// Reads one more chunk into `buffer`. Returns false at end of stream (the stream is then
    /// closed); throws StreamBufferFullError if the buffer is full.
    awaitable<bool> fill(std::shared_ptr<State> self) {
        if (closed) co_return false;
        if (consumed > 0 && consumed * 2 >= buffer.size()) {
            buffer.erase(0, consumed);
            consumed = 0;
        }
        if (unread().size() >= options.max_buffer_size) {
            close();
            throw StreamBufferFullError("Reached maximum read buffer size");
        }
        const std::size_t room =
            std::min(options.read_chunk_size, options.max_buffer_size - unread().size());
        const std::size_t old_size = buffer.size();
        buffer.resize(old_size + room);
        auto [ec, n] = co_await transport->read_some(asio::buffer(buffer.data() + old_size, room));
        buffer.resize(old_size + n);
        if (ec) {
            self->close(ec);
            co_return false;
        }
        co_return true;
    }
};

IOStream::IOStream(asio::ip::tcp::socket socket, IOStreamOptions options)
    : IOStream(std::make_unique<detail::SocketTransport<asio::ip::tcp::socket>>(std::move(socket)),
               options) {}

IOStream::IOStream(asio::local::stream_protocol::socket socket, IOStreamOptions options)
    : IOStream(std::make_unique<detail::SocketTransport<asio::local::stream_protocol::socket>>(
                   std::move(socket)),
               options) {}

namespace {

std::unique_ptr<detail::Transport> transport_of(Stream& stream) {
    if (auto* tcp = stream.tcp())
        return std::make_unique<detail::SocketTransport<TCPSocket>>(std::move(*tcp));
    if (auto* unix_socket = stream.unix_socket())
        return std::make_unique<detail::SocketTransport<UnixSocket>>(std::move(*unix_socket));
    if (stream.tls()) return std::make_unique<detail::TLSTransport>(std::move(*stream.take_tls()));
    throw Error("IOStream: the Stream holds no socket");
}

}  // namespace

IOStream::IOStream(Stream stream, IOStreamOptions options)
    : IOStream(transport_of(stream), options) {
    state_->buffer = std::move(stream.buffered);
}

IOStream::IOStream(std::unique_ptr<detail::Transport> transport, IOStreamOptions options)
    : state_(std::make_shared<State>(std::move(transport), options)) {}

IOStream::~IOStream() {
    // Coroutines still suspended in a read or write hold the state; closing wakes them.
    state_->close_callback = nullptr;
    state_->close();
}

detail::Transport& IOStream::transport() noexcept {
    return *state_->transport;
}

awaitable<std::string> IOStream::read_until(std::string delimiter,
                                            std::optional<std::size_t> max_bytes) {
    auto s = state_;
    s->check_open();
    const State::ReadScope scope(*s);
    std::size_t search_from = 0;
    for (;;) {
        const std::string_view unread = s->unread();
        const auto found = unread.find(delimiter, search_from);
        const std::size_t needed =
            found == std::string_view::npos ? unread.size() : found + delimiter.size();
        if (max_bytes && needed > *max_bytes) {
            s->close();
            throw UnsatisfiableReadError("delimiter not found within " +
                                         std::to_string(*max_bytes) + " bytes");
        }
        if (found != std::string_view::npos) co_return s->take(needed);
        // The delimiter may straddle this read and the next one.
        search_from = unread.size() >= delimiter.size() ? unread.size() - delimiter.size() + 1 : 0;
        if (!co_await s->fill(s)) throw StreamClosedError(s->error);
    }
}

awaitable<std::string> IOStream::read_bytes(std::size_t num_bytes, ReadBytesOptions options) {
    auto s = state_;
    s->check_open();
    const State::ReadScope scope(*s);
    for (;;) {
        const std::size_t available = s->unread().size();
        if (available >= num_bytes || (options.partial && available > 0))
            co_return s->take(num_bytes);
        if (num_bytes == 0) co_return std::string();
        if (!co_await s->fill(s)) throw StreamClosedError(s->error);
    }
}

awaitable<std::size_t> IOStream::read_into(std::span<char> buffer, ReadBytesOptions options) {
    const std::string bytes = co_await read_bytes(buffer.size(), options);
    std::memcpy(buffer.data(), bytes.data(), bytes.size());
    co_return bytes.size();
}

awaitable<std::string> IOStream::read_until_close() {
    auto s = state_;
    const State::ReadScope scope(*s);
    while (co_await s->fill(s)) {
    }
    if (s->error) throw StreamClosedError(s->error);
    co_return s->take(s->unread().size());
}

awaitable<void> IOStream::write(std::string data) {
    auto s = state_;
    s->check_open();
    s->queued += data.size();
    const std::uint64_t mine = s->queued;
    s->pending += data;
    if (s->flushing) {
        // Another write() is moving bytes to the socket: wait until it has moved ours.
        while (s->written < mine) {
            s->check_open();
            boost::system::error_code ignored;
            co_await s->write_signal.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
        }
        co_return;
    }
    s->flushing = true;
    struct Flushing {
        State& s;
        ~Flushing() { s.flushing = false; }
    } flushing{*s};
    while (!s->pending.empty()) {
        std::string chunk;
        chunk.swap(s->pending);
        const auto ec = co_await s->transport->write_all(asio::buffer(chunk));
        if (ec) {
            s->close(ec);
            throw StreamClosedError(s->error);
        }
        s->written += chunk.size();
        s->write_signal.cancel();
    }
}

void IOStream::close() {
    state_->close();
}

bool IOStream::closed() const noexcept {
    return state_->closed;
}

boost::system::error_code IOStream::error() const noexcept {
    return state_->error;
}

bool IOStream::reading() const noexcept {
    return state_->reading;
}

bool IOStream::writing() const noexcept {
    return state_->flushing;
}

void IOStream::set_close_callback(std::function<void()> callback) {
    if (state_->closed) {
        if (callback) asio::post(state_->transport->get_executor(), std::move(callback));
        return;
    }
    state_->close_callback = std::move(callback);
}

void IOStream::set_nodelay(bool enabled) {
    state_->transport->set_nodelay(enabled);
}

std::string IOStream::peer_address() const {
    return state_->transport->peer_address();
}

asio::ip::tcp::socket IOStream::release_socket() {
    auto& s = *state_;
    s.check_open();
    auto* tcp = dynamic_cast<detail::SocketTransport<asio::ip::tcp::socket>*>(s.transport.get());
    if (!tcp) throw Error("release_socket: not a plain TCP stream");
    if (s.reading || s.flushing || !s.unread().empty() || !s.pending.empty())
        throw Error("release_socket: the stream has a read or write pending or bytes buffered");
    asio::ip::tcp::socket socket = std::move(tcp->socket());
    s.close_callback = nullptr;
    s.close();  // closes the moved-from socket, which is a no-op
    return socket;
}

struct detail::RegexReader {
    static awaitable<std::string> read(IOStream& stream, const std::regex& pattern,
                                       std::optional<std::size_t> max_bytes) {
        auto s = stream.state_;
        s->check_open();
        const IOStream::State::ReadScope scope(*s);
        for (;;) {
            const std::string_view unread = s->unread();
            std::cmatch match;
            const bool found =
                std::regex_search(unread.data(), unread.data() + unread.size(), match, pattern);
            const std::size_t needed =
                found ? static_cast<std::size_t>(match.position(0) + match.length(0))
                      : unread.size();
            if (max_bytes && needed > *max_bytes) {
                s->close();
                throw UnsatisfiableReadError("pattern not found within " +
                                             std::to_string(*max_bytes) + " bytes");
            }
            if (found) co_return s->take(needed);
            if (!co_await s->fill(s)) throw StreamClosedError(s->error);
        }
    }
};

awaitable<std::string> read_until_regex(IOStream& stream, const std::regex& pattern,
                                        std::optional<std::size_t> max_bytes) {
    return detail::RegexReader::read(stream, pattern, max_bytes);
}

}  // namespace typhoon::iostream
