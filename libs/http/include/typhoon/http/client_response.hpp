#ifndef TYPHOON_HTTP_CLIENT_RESPONSE_HPP
#define TYPHOON_HTTP_CLIENT_RESPONSE_HPP

#include <typhoon/http/client_request.hpp>
#include <typhoon/http/headers.hpp>

#include <chrono>
#include <exception>
#include <map>
#include <string>

namespace typhoon::httpclient {

/** What a fetch got back (tornado.httpclient.HTTPResponse). `request` is the request as it was
    given, `effective_url` the URL that answered after redirects. */
struct HTTPResponse {
    HTTPRequest request{};            ///< the request as fetch() was given it
    int code = 0;                     ///< the status code of the final response
    std::string reason{};             ///< its reason phrase, as the server sent it
    httputil::HTTPHeaders headers{};  ///< its header fields
    /// Empty when the request had a streaming_callback.
    std::string body{};
    std::string effective_url{};  ///< the URL that answered, after redirects
    /// Seconds from the start of the fetch to the end of the response.
    double request_time = 0;
    std::chrono::system_clock::time_point start_time{};  ///< wall-clock time fetch() was called
    /** Seconds spent per phase of the last hop: "queue" (waiting for max_clients), "connect"
        (0 for a reused connection) and "total". */
    std::map<std::string, double> time_info{};
    /// An HTTPClientError for a code outside 2xx (set even when raise_error was false).
    std::exception_ptr error{};

    /// Throws `error`, if any (Tornado's rethrow()).
    void rethrow() const {
        if (error) std::rethrow_exception(error);
    }
};

}  // namespace typhoon::httpclient

#endif
