#ifndef TYPHOON_HTTP_SRC_REQUEST_WRITER_HPP
#define TYPHOON_HTTP_SRC_REQUEST_WRITER_HPP

// What AsyncHTTPClient writes for a request: the checks that keep a caller's values from
// injecting lines of their own, and the request head.

#include "client_url.hpp"

#include <typhoon/http/client_request.hpp>

#include <string>

namespace typhoon::httpclient::detail {

/** Refuses a request whose URL, method or headers hold bytes that would break the request line
    or a header line (CR, LF, controls).
    @throws typhoon::Error naming the offending value. */
void check_request(const HTTPRequest& request);
/// Whether the body goes chunked (a body_producer without Content-Length).
bool chunked_upload(const HTTPRequest& request);
/// The request line and headers of `request` to `url`, ending in the blank line.
std::string request_head(const HTTPRequest& request, const ParsedUrl& url);

}  // namespace typhoon::httpclient::detail

#endif
