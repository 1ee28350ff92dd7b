#include <typhoon/auth/oauth2_mixin.hpp>

#include <typhoon/http/url.hpp>
#include <typhoon/web/request_handler.hpp>

#include "params.hpp"

namespace typhoon::auth {

void OAuth2Mixin::authorize_redirect(OAuth2RedirectOptions options) {
    Params args = {{"response_type", options.response_type}};
    if (options.redirect_uri) args.emplace_back("redirect_uri", *options.redirect_uri);
    if (options.client_id) args.emplace_back("client_id", *options.client_id);
    detail::update_params(args, options.extra_params);
    if (!options.scope.empty()) {
        std::string scope;
        for (const auto& s : options.scope)
            scope += (scope.empty() ? "" : " ") + s;
        detail::set_param(args, "scope", std::move(scope));
    }
    handler().redirect(httputil::url_concat(oauth_authorize_url, args));
}

std::string OAuth2Mixin::token_request_url(const std::optional<std::string>& redirect_uri,
                                           const std::optional<std::string>& client_id,
                                           const std::optional<std::string>& client_secret,
                                           const std::optional<std::string>& code,
                                           const Params& extra_params) {
    Params args;
    if (redirect_uri) args.emplace_back("redirect_uri", *redirect_uri);
    if (code) args.emplace_back("code", *code);
    if (client_id) args.emplace_back("client_id", *client_id);
    if (client_secret) args.emplace_back("client_secret", *client_secret);
    detail::update_params(args, extra_params);
    return httputil::url_concat(oauth_access_token_url, args);
}

awaitable<boost::json::value> OAuth2Mixin::oauth2_request(std::string url,
                                                          OAuth2RequestOptions options) {
    Params all_args;
    // Tornado adds the other arguments only together with a token; kept, so that the same call
    // sends the same URL.
    if (options.access_token && !options.access_token->empty()) {
        all_args.emplace_back("access_token", *options.access_token);
        detail::update_params(all_args, options.args);
    }
    if (!all_args.empty()) url += "?" + detail::urlencode(all_args);
    co_return co_await fetch_json(std::move(url), options.post_args);
}

}  // namespace typhoon::auth
