#ifndef TYPHOON_NET_ERROR_HPP
#define TYPHOON_NET_ERROR_HPP

#include <typhoon/core/error.hpp>

#include <boost/system/error_code.hpp>

#include <string>

namespace typhoon::iostream {

/// Raised by a read or write on a stream that is closed or gets closed meanwhile
/// (tornado.iostream.StreamClosedError). `real_error()` says why, when the system said.
class StreamClosedError : public Error {
public:
    /// `what()` is "Stream is closed", as Tornado's message, then ": <reason>" when `real_error`
    /// is set.
    explicit StreamClosedError(boost::system::error_code real_error = {});
    /// The system's reason when there was one (reset by peer, broken pipe, a failed TLS
    /// handshake); empty otherwise.
    const boost::system::error_code& real_error() const noexcept { return real_error_; }

private:
    boost::system::error_code real_error_;
};

/// A read that can never complete, such as read_until() finding no delimiter within `max_bytes`
/// (tornado.iostream.UnsatisfiableReadError). The stream is closed.
class UnsatisfiableReadError : public Error {
public:
    using Error::Error;
};

/// Buffering more would pass the stream's `max_buffer_size`
/// (tornado.iostream.StreamBufferFullError). The stream is closed: this is how a peer sending
/// without end is cut off.
class StreamBufferFullError : public Error {
public:
    using Error::Error;
};

}  // namespace typhoon::iostream

#endif
