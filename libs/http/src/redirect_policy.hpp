#ifndef TYPHOON_HTTP_SRC_REDIRECT_POLICY_HPP
#define TYPHOON_HTTP_SRC_REDIRECT_POLICY_HPP

// Which responses AsyncHTTPClient follows, and the request it sends next.

#include <typhoon/http/client_request.hpp>
#include <typhoon/http/client_response.hpp>

namespace typhoon::httpclient::detail {

/// Whether `code` with `headers` is a redirect `request` asks to follow.
bool should_follow(const HTTPRequest& request, int code, const httputil::HTTPHeaders& headers);
/** The request for the next hop (simple_httpclient's _HTTPConnection.finish): one redirect
    fewer, credentials dropped when the origin changes, POST turned into GET where browsers
    do. */
HTTPRequest redirected(const HTTPRequest& request, const HTTPResponse& response);

}  // namespace typhoon::httpclient::detail

#endif
