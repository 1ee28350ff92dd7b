#ifndef TYPHOON_HTTP_HTTP_INPUT_ERROR_HPP
#define TYPHOON_HTTP_HTTP_INPUT_ERROR_HPP

#include <typhoon/core/error.hpp>

namespace typhoon::httputil {

/// A malformed request from the peer (tornado.httputil.HTTPInputError): the server answers 400 and
/// the message goes to the log, never to the client.
class HTTPInputError : public Error {
public:
    using Error::Error;
};

/// A response our own code got wrong, such as a body longer than its Content-Length
/// (tornado.httputil.HTTPOutputError).
class HTTPOutputError : public Error {
public:
    using Error::Error;
};

}  // namespace typhoon::httputil

#endif
