#include "http1_connection.hpp"
#include "http1_rules.hpp"

#include "chunk_framing.hpp"
#include "gzip_inflater.hpp"

#include <typhoon/core/log.hpp>
#include <typhoon/http/http_input_error.hpp>
#include <typhoon/net/detail/exact_size_allocator.hpp>
#include <typhoon/net/error.hpp>
#include <typhoon/net/netutil.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace typhoon::httpserver::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using httputil::HTTPHeaders;
using httputil::HTTPOutputError;

template <class Stream>
Http1Connection<Stream>::Http1Connection(std::shared_ptr<ServerState> server, Stream stream,
                                         std::string address)
    : server_(std::move(server)),
      stream_(std::move(stream)),
      address_(std::move(address)),
      remote_ip_(ip_of(address_)) {
    // A chunk-size line or trailers that never end fail the read instead of growing the buffer.
    buffer_.max_size(httputil::detail::read_buffer_limit(server_->options.max_header_size));
    ServerState::add(server_, this, socket().get_executor());
}

template <class Stream>
Http1Connection<Stream>::~Http1Connection() {
    server_->remove(this);
}

template <class Stream>
void Http1Connection<Stream>::close() noexcept {
    if (closed_ || detached_) return;
    closed_ = true;
    disarm();
    beast::error_code ignored;
    socket().shutdown(asio::socket_base::shutdown_both, ignored);
    socket().close(ignored);
}

template <class Stream>
void Http1Connection<Stream>::expire() noexcept {
    timed_out_ = true;
    close();
}

template <class Stream>
iostream::Stream Http1Connection<Stream>::detach() {
    if (closed_ || detached_) throw iostream::StreamClosedError();
    if (headers_written_) throw HTTPOutputError("detach() after the response started");
    beast::error_code ignored;
    // The watch's handler must not see the socket once it has moved.
    if (watching_) socket().cancel(ignored);
    watched_ = nullptr;
    server_->remove(this);
    disarm();
    detached_ = true;
    disconnect_on_finish_ = true;
    std::string buffered(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    buffer_ = beast::flat_buffer();
    if constexpr (plain) {
        socket().non_blocking(false, ignored);  // back to what a fresh socket is
        return iostream::Stream(std::move(stream_), std::move(buffered));
    } else {
        return iostream::Stream(std::make_unique<Stream>(std::move(stream_)), std::move(buffered));
    }
}

}  // namespace typhoon::httpserver::detail

// The reading and writing halves, in files of their own, instantiated here with the rest.
#include "http1_reader.hpp"
#include "http1_writer.hpp"

namespace typhoon::httpserver::detail {

template class Http1Connection<iostream::TCPSocket>;
template class Http1Connection<iostream::UnixSocket>;
template class Http1Connection<iostream::TLSSocket>;

}  // namespace typhoon::httpserver::detail
