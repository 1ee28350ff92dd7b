#include <typhoon/auth/twitter_mixin.hpp>

#include <typhoon/auth/auth_error.hpp>
#include <typhoon/web/request_handler.hpp>
#include <typhoon/web/settings.hpp>

#include "params.hpp"

namespace typhoon::auth {

TwitterMixin::TwitterMixin() {
    oauth_request_token_url = "https://api.twitter.com/oauth/request_token";
    oauth_access_token_url = "https://api.twitter.com/oauth/access_token";
    oauth_authorize_url = "https://api.twitter.com/oauth/authorize";
}

awaitable<void> TwitterMixin::authenticate_redirect(std::optional<std::string> callback_uri) {
    const auto response = co_await auth_fetch(request_token_url(callback_uri));
    on_request_token(oauth_authenticate_url, std::nullopt, response);
}

awaitable<boost::json::value> TwitterMixin::twitter_request(
    std::string_view path, const std::optional<OAuthToken>& access_token,
    TwitterRequestOptions options) {
    std::string url = path.starts_with("http:") || path.starts_with("https:")
                          ? std::string(path)
                          : twitter_base_url + std::string(path) + ".json";
    Params args = options.args;
    if (access_token) {
        // The signature covers the query and the form body alike (RFC 5849 §3.4.1.3.1).
        OAuthParameters signed_args;
        for (const auto& [name, value] : options.args)
            signed_args[name] = value;
        if (options.post_args)
            for (const auto& [name, value] : *options.post_args)
                signed_args[name] = value;
        const auto oauth = oauth_request_parameters(url, *access_token, signed_args,
                                                    options.post_args ? "POST" : "GET");
        for (const auto& [name, value] : oauth)
            detail::set_param(args, name, value);
    }
    if (!args.empty()) url += "?" + detail::urlencode(args);
    co_return co_await fetch_json(std::move(url), options.post_args);
}

OAuthToken TwitterMixin::oauth_consumer_token() {
    const auto& extra = handler().settings().extra;
    auto require = [&](const char* name) {
        const auto* value = extra.if_contains(name);
        if (value == nullptr || !value->is_string())
            throw Error(std::string("You must define the '") + name +
                        "' setting in your application to use Twitter OAuth");
        return std::string(value->as_string());
    };
    return {.key = require("twitter_consumer_key"), .secret = require("twitter_consumer_secret")};
}

awaitable<boost::json::object> TwitterMixin::oauth_get_user_future(const OAuthToken& access_token) {
    const auto answer = co_await twitter_request("/account/verify_credentials", access_token);
    if (answer.is_null()) co_return boost::json::object();
    const auto* user = answer.if_object();
    if (user && user->empty()) co_return boost::json::object();
    const auto* screen_name = user ? user->if_contains("screen_name") : nullptr;
    if (screen_name == nullptr)
        throw AuthError("Twitter's verify_credentials answer has no screen_name");
    auto result = *user;
    result["username"] = *screen_name;
    co_return result;
}

}  // namespace typhoon::auth
