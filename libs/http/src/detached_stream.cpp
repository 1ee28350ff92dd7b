#include <typhoon/http/detached_stream.hpp>

#include <typhoon/http/http_connection.hpp>
#include <typhoon/http/http_input_error.hpp>

#include <boost/beast/ssl/ssl_stream.hpp>

namespace typhoon::httputil {

DetachedStream::DetachedStream() = default;
DetachedStream::DetachedStream(DetachedStream&&) noexcept = default;
DetachedStream& DetachedStream::operator=(DetachedStream&&) noexcept = default;
DetachedStream::~DetachedStream() = default;

DetachedStream HTTPConnection::detach() {
    throw HTTPOutputError("this connection cannot be detached");
}

}  // namespace typhoon::httputil
