#include "redirect_policy.hpp"

#include "client_url.hpp"

namespace typhoon::httpclient::detail {

using httputil::HTTPHeaders;

namespace {

bool is_redirect(int code) {
    return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
}

}  // namespace

bool should_follow(const HTTPRequest& request, int code, const HTTPHeaders& headers) {
    return request.follow_redirects && request.max_redirects > 0 && is_redirect(code) &&
           headers.contains("Location");
}

HTTPRequest redirected(const HTTPRequest& request, const HTTPResponse& response) {
    HTTPRequest next = request;
    next.url = resolve_location(request.url, response.headers.get("Location", ""));
    next.max_redirects = request.max_redirects - 1;
    next.headers.remove("Host");
    // Credentials belong to the origin they were given for (RFC 9110 §15.4: "a user agent MUST
    // NOT" leak them; §4.3.1 defines the origin as scheme, host and port). A redirect elsewhere,
    // and so also from https to http, goes without them, as with Tornado 6.5.6 and curl.
    const ParsedUrl from = parse_url(request.url), to = parse_url(next.url);
    if (from.scheme != to.scheme || from.host != to.host || from.port != to.port) {
        next.headers.remove("Authorization");
        next.headers.remove("Cookie");
        next.auth_username.reset();
        next.auth_password.reset();
    }
    // Browsers turned POST into GET after 301 and 302, and RFC 7231 §6.4.4 makes 303 mean "GET
    // this": Tornado does the same.
    if ((response.code == 303 && request.method != "HEAD") ||
        ((response.code == 301 || response.code == 302) && request.method == "POST")) {
        next.method = "GET";
        next.body.reset();
        next.body_producer = nullptr;
        for (const char* name :
             {"Content-Length", "Content-Type", "Content-Encoding", "Transfer-Encoding"})
            next.headers.remove(name);
    }
    return next;
}

}  // namespace typhoon::httpclient::detail
