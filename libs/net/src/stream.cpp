#include <typhoon/net/stream.hpp>

#include <typhoon/core/error.hpp>

#include <boost/beast/ssl/ssl_stream.hpp>

namespace typhoon::iostream {

Stream::Stream() noexcept = default;
Stream::Stream(TCPSocket socket, std::string bytes)
    : buffered(std::move(bytes)), socket_(std::move(socket)) {}
Stream::Stream(UnixSocket socket, std::string bytes)
    : buffered(std::move(bytes)), socket_(std::move(socket)) {}
Stream::Stream(std::unique_ptr<TLSSocket> socket, std::string bytes)
    : buffered(std::move(bytes)), socket_(std::move(socket)) {
    if (!std::get<std::unique_ptr<TLSSocket>>(socket_)) socket_ = std::monostate();
}
Stream::Stream(Stream&& other) noexcept
    : buffered(std::move(other.buffered)), socket_(std::exchange(other.socket_, {})) {}
Stream& Stream::operator=(Stream&& other) noexcept {
    if (this != &other) {
        close();
        buffered = std::move(other.buffered);
        socket_ = std::exchange(other.socket_, {});
    }
    return *this;
}
Stream::~Stream() {
    close();
}

TCPSocket* Stream::tcp() noexcept {
    return std::get_if<TCPSocket>(&socket_);
}

UnixSocket* Stream::unix_socket() noexcept {
    return std::get_if<UnixSocket>(&socket_);
}

TLSSocket* Stream::tls() noexcept {
    auto* tls = std::get_if<std::unique_ptr<TLSSocket>>(&socket_);
    return tls ? tls->get() : nullptr;
}

Stream::operator bool() const noexcept {
    return !std::holds_alternative<std::monostate>(socket_);
}

TCPSocket* Stream::tcp_layer() noexcept {
    if (auto* tls_socket = tls()) return &tls_socket->next_layer();
    return tcp();
}

namespace {

template <class Socket, class Variant>
Socket take(Variant& socket, const char* kind) {
    auto* held = std::get_if<Socket>(&socket);
    if (!held) throw Error(std::string("Stream: not a ") + kind + " stream");
    Socket out = std::move(*held);
    socket = std::monostate();
    return out;
}

}  // namespace

TCPSocket Stream::take_tcp() {
    return take<TCPSocket>(socket_, "plain TCP");
}

UnixSocket Stream::take_unix() {
    return take<UnixSocket>(socket_, "Unix socket");
}

std::unique_ptr<TLSSocket> Stream::take_tls() {
    return take<std::unique_ptr<TLSSocket>>(socket_, "TLS");
}

std::string Stream::peer_address() const {
    auto* self = const_cast<Stream*>(this);  // reading the address changes nothing
    const auto* socket = self->tcp_layer();
    return socket ? iostream::peer_address(*socket) : std::string();
}

void Stream::close() noexcept {
    boost::system::error_code ignored;
    if (auto* socket = tcp_layer()) {
        socket->shutdown(TCPSocket::shutdown_both, ignored);
        socket->close(ignored);
    } else if (auto* unix_stream = unix_socket()) {
        unix_stream->shutdown(UnixSocket::shutdown_both, ignored);
        unix_stream->close(ignored);
    }
    socket_ = std::monostate();
}

std::string peer_address(const TCPSocket& socket) {
    boost::system::error_code ec;
    const auto peer = socket.remote_endpoint(ec);
    if (ec) return {};
    const auto address = peer.address();
    return (address.is_v6() ? "[" + address.to_string() + "]" : address.to_string()) + ":" +
           std::to_string(peer.port());
}

}  // namespace typhoon::iostream
