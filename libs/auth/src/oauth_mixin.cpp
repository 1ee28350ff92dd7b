#include <typhoon/auth/oauth_mixin.hpp>

#include <typhoon/auth/auth_error.hpp>
#include <typhoon/http/http_client.hpp>
#include <typhoon/net/detail/base64.hpp>
#include <typhoon/web/request_handler.hpp>

#include "crypto.hpp"
#include "params.hpp"

namespace typhoon::auth {

namespace {

constexpr std::string_view request_token_cookie = "_oauth_request_token";

/// The signature covers the parameters as a set; the URL lists them in Tornado's order.
OAuthParameters as_map(const Params& params) {
    OAuthParameters map;
    for (const auto& [name, value] : params)
        map[name] = value;
    return map;
}

}  // namespace

std::string OAuthMixin::sign(const OAuthToken& consumer, std::string_view method,
                             std::string_view url, const OAuthParameters& parameters,
                             const std::optional<OAuthToken>& token) {
    return oauth_version == "1.0a" ? oauth10a_signature(consumer, method, url, parameters, token)
                                   : oauth_signature(consumer, method, url, parameters, token);
}

awaitable<void> OAuthMixin::authorize_redirect(OAuthRedirectOptions options) {
    if (options.callback_uri && oauth_no_callbacks)
        throw Error("This service does not support oauth_callback");
    // OAuth 1.0 has no oauth_callback in the request-token request: it goes to the authorize URL.
    const auto url = oauth_version == "1.0a"
                         ? request_token_url(options.callback_uri, options.extra_params)
                         : request_token_url();
    const auto response = co_await auth_fetch(url, {}, options.http_client);
    on_request_token(oauth_authorize_url, options.callback_uri, response);
}

awaitable<boost::json::object> OAuthMixin::get_authenticated_user(
    httpclient::AsyncHTTPClient* http_client) {
    auto& h = handler();
    const auto request_key = h.get_argument("oauth_token");
    const auto verifier = h.get_argument("oauth_verifier", std::nullopt);
    const auto cookie = h.get_cookie(request_token_cookie);
    if (!cookie || cookie->empty()) throw AuthError("Missing OAuth request token cookie");
    // A request token is good for one attempt, whatever its outcome.
    h.clear_cookie(request_token_cookie);
    const auto bar = cookie->find('|');
    std::optional<std::string> key, secret;
    if (bar != std::string::npos && cookie->find('|', bar + 1) == std::string::npos) {
        using netutil::detail::base64_decode, netutil::detail::Base64Input;
        key = base64_decode(std::string_view(*cookie).substr(0, bar), Base64Input::strict);
        secret = base64_decode(std::string_view(*cookie).substr(bar + 1), Base64Input::strict);
    }
    if (!key || !secret) throw AuthError("Malformed OAuth request token cookie");
    if (*key != request_key) throw AuthError("Request token does not match cookie");
    OAuthToken token{.key = std::move(*key), .secret = std::move(*secret)};
    if (verifier && !verifier->empty()) token.verifier = *verifier;

    const auto response = co_await auth_fetch(access_token_url(token), {}, http_client);
    const auto access_token = oauth_parse_response(response.body);
    auto user = co_await oauth_get_user_future(access_token);
    if (user.empty()) throw AuthError("Error getting user");
    user["access_token"] = access_token.to_json();
    co_return user;
}

std::string OAuthMixin::request_token_url(const std::optional<std::string>& callback_uri,
                                          const Params& extra_params) {
    const auto consumer = oauth_consumer_token();
    Params args = {
        {"oauth_consumer_key", consumer.key},
        {"oauth_signature_method", "HMAC-SHA1"},
        {"oauth_timestamp", detail::oauth_timestamp()},
        {"oauth_nonce", detail::oauth_nonce()},
        {"oauth_version", "1.0"},
    };
    if (oauth_version == "1.0a") {
        if (callback_uri == "oob")
            args.emplace_back("oauth_callback", "oob");
        else if (callback_uri && !callback_uri->empty())
            args.emplace_back("oauth_callback",
                              detail::urljoin(handler().request().full_url(), *callback_uri));
        detail::update_params(args, extra_params);
    }
    args.emplace_back("oauth_signature",
                      sign(consumer, "GET", oauth_request_token_url, as_map(args), std::nullopt));
    return oauth_request_token_url + "?" + detail::urlencode(args);
}

void OAuthMixin::on_request_token(const std::string& authorize_url,
                                  const std::optional<std::string>& callback_uri,
                                  const httpclient::HTTPResponse& response) {
    auto& h = handler();
    const auto request_token = oauth_parse_response(response.body);
    h.set_cookie(request_token_cookie, netutil::detail::base64_encode(request_token.key) + "|" +
                                           netutil::detail::base64_encode(request_token.secret));
    Params args = {{"oauth_token", request_token.key}};
    if (callback_uri == "oob") {
        h.finish(authorize_url + "?" + detail::urlencode(args));
        return;
    }
    if (callback_uri && !callback_uri->empty())
        args.emplace_back("oauth_callback", detail::urljoin(h.request().full_url(), *callback_uri));
    h.redirect(authorize_url + "?" + detail::urlencode(args));
}

std::string OAuthMixin::access_token_url(const OAuthToken& request_token) {
    const auto consumer = oauth_consumer_token();
    Params args = {
        {"oauth_consumer_key", consumer.key},    {"oauth_token", request_token.key},
        {"oauth_signature_method", "HMAC-SHA1"}, {"oauth_timestamp", detail::oauth_timestamp()},
        {"oauth_nonce", detail::oauth_nonce()},  {"oauth_version", "1.0"},
    };
    if (request_token.verifier) args.emplace_back("oauth_verifier", *request_token.verifier);
    args.emplace_back("oauth_signature",
                      sign(consumer, "GET", oauth_access_token_url, as_map(args), request_token));
    return oauth_access_token_url + "?" + detail::urlencode(args);
}

OAuthParameters OAuthMixin::oauth_request_parameters(std::string_view url,
                                                     const OAuthToken& access_token,
                                                     const OAuthParameters& parameters,
                                                     std::string_view method) {
    const auto consumer = oauth_consumer_token();
    OAuthParameters base_args = {
        {"oauth_consumer_key", consumer.key},    {"oauth_token", access_token.key},
        {"oauth_signature_method", "HMAC-SHA1"}, {"oauth_timestamp", detail::oauth_timestamp()},
        {"oauth_nonce", detail::oauth_nonce()},  {"oauth_version", "1.0"},
    };
    // The request's own arguments are signed too, and win over OAuth's on a clash, as in Tornado.
    auto args = base_args;
    for (const auto& [name, value] : parameters)
        args[name] = value;
    base_args["oauth_signature"] = sign(consumer, method, url, args, access_token);
    return base_args;
}

}  // namespace typhoon::auth
