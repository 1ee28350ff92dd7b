#ifndef TYPHOON_AUTH_AUTH_MIXIN_HPP
#define TYPHOON_AUTH_AUTH_MIXIN_HPP

#include <typhoon/http/client_request.hpp>
#include <typhoon/http/client_response.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace typhoon::httpclient {
class AsyncHTTPClient;
}
namespace typhoon::web {
class RequestHandler;
}

namespace typhoon::auth {

using boost::asio::awaitable;

/// Query or form parameters in the order they are sent (Python's dicts keep insertion order,
/// and Tornado's URLs list their parameters in that order).
using Params = std::vector<std::pair<std::string, std::string>>;

/** What every mixin of tornado.auth shares: the request handler it is mixed into and the HTTP
    client that talks to the provider. The mixins derive from it virtually, so a handler may mix
    in several (a Google and a Facebook login in one class).

    Why mixins beside RequestHandler, as Tornado spells them:

        class GoogleLoginHandler final : public web::RequestHandler,
                                         public auth::GoogleOAuth2Mixin {
        public:
            using RequestHandler::RequestHandler;
            awaitable<void> get() override;
        };

    reads line for line as Tornado's `class GoogleLoginHandler(RequestHandler, GoogleOAuth2Mixin)`,
    the mixin's methods are called unqualified from the handler's (`co_await
    get_authenticated_user(...)`, `authorize_redirect(...)`), the handler overrides the hooks
    (`oauth_consumer_token()`, `get_auth_http_client()`) as a Python subclass does, and the
    provider URLs are members the handler may reassign in `initialize()`, as Tornado's tests
    assign `self._OAUTH_AUTHORIZE_URL`. A CRTP spelling (`GoogleOAuth2Mixin<GoogleLoginHandler>`)
    would repeat the class name and put every body in the header; a mixin holding a handler
    reference would need a second object per request. The mixin reaches its handler with a
    cross-cast, once per call, which is nothing beside the HTTP round trip the call makes.

    Failures reach the caller as AuthError: an HTTP error or timeout talking to the provider, an
    answer that is not the JSON or form the protocol says, a missing field. Messages name the
    provider URL without its query, which may hold secrets. */
class AuthMixin {
public:
    virtual ~AuthMixin();

    /** The client for requests to the provider (Tornado's get_auth_http_client): the loop's
        shared AsyncHTTPClient::current() by default. Override it to use another, e.g. one with a
        proxy or a hostname_mapping. */
    virtual httpclient::AsyncHTTPClient& get_auth_http_client();

protected:
    ///@{
    /// A mixin is only a base of a handler class; it holds no state of its own to copy.
    AuthMixin() = default;
    AuthMixin(const AuthMixin&) = default;
    AuthMixin& operator=(const AuthMixin&) = default;
    ///@}

    /** The handler this mixin is part of.
        @throws typhoon::Error when the most derived class is not also a web::RequestHandler. */
    web::RequestHandler& handler();

    /** Fetches `url` from the provider with auth_request_timeout.
        @throws AuthError for a non-2xx answer (with its code and the start of its body) unless
        `request.raise_error` is false, and for a timeout or a connection that failed. */
    awaitable<httpclient::HTTPResponse> auth_fetch(std::string url,
                                                   httpclient::HTTPRequest request = {},
                                                   httpclient::AsyncHTTPClient* client = nullptr);
    /** The JSON of a provider's answer. @throws AuthError when it is not JSON. */
    static boost::json::value decode_json(const httpclient::HTTPResponse& response);
    /** An API call: GET `url`, or POST it `post_args` form-encoded, and decode the JSON answer.
        @throws AuthError as auth_fetch() and decode_json() do. */
    awaitable<boost::json::value> fetch_json(std::string url,
                                             const std::optional<Params>& post_args);

    /// How long one request to the provider may take before the login fails with AuthError
    /// (connection and answer together). Tornado uses its client's 20 s default.
    std::chrono::steady_clock::duration auth_request_timeout = std::chrono::seconds(20);
};

}  // namespace typhoon::auth

#endif
