#ifndef TYPHOON_HTTP_SRC_EXCHANGE_HPP
#define TYPHOON_HTTP_SRC_EXCHANGE_HPP

// One request and its response on an open connection of AsyncHTTPClient: the body sent (whole,
// chunked or produced), 100-continue, the response read under max_header_size and
// max_body_size, gzip decoded, streaming_callback and header_callback fed.

#include "client_connection.hpp"
#include "client_url.hpp"

#include <typhoon/http/client_request.hpp>
#include <typhoon/http/client_response.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <string>

namespace typhoon::httpclient::detail {

/// What one request/response exchange on a connection produced.
struct Exchange {
    HTTPResponse response;
    bool keep_alive = false;
};

/** Sends `head` and the body of `request`, reads the response into `out`.
    @throws StaleConnection when a reused connection was found closed before anything was read
    (the caller retries once), HTTPTimeoutError at `deadline`, HTTPStreamClosedError,
    HTTPClientError (599) for a malformed or oversized response. */
boost::asio::awaitable<void> exchange(Connection& connection, const HTTPRequest& request,
                                      const ParsedUrl& url, std::string head,
                                      std::size_t max_header_size, std::size_t max_body_size,
                                      Clock::time_point deadline, Exchange& out);

}  // namespace typhoon::httpclient::detail

#endif
