#include <typhoon/auth/facebook_graph_mixin.hpp>

#include <typhoon/auth/auth_error.hpp>
#include <typhoon/core/json.hpp>

#include "crypto.hpp"
#include "params.hpp"

#include <set>

namespace typhoon::auth {

FacebookGraphMixin::FacebookGraphMixin() {
    // The trailing '?' is Tornado's; url_concat copes with it.
    oauth_access_token_url = "https://graph.facebook.com/oauth/access_token?";
    oauth_authorize_url = "https://www.facebook.com/dialog/oauth?";
}

awaitable<std::optional<boost::json::object>> FacebookGraphMixin::get_authenticated_user(
    FacebookAuthOptions options) {
    std::set<std::string> fields = {"id",     "name",    "first_name", "last_name",
                                    "locale", "picture", "link"};
    fields.insert(options.extra_fields.begin(), options.extra_fields.end());

    const auto response = co_await auth_fetch(token_request_url(
        options.redirect_uri, options.client_id, options.client_secret, options.code));
    const auto answer = decode_json(response);
    const auto* session = answer.if_object();
    const auto* access_token = session ? session->if_contains("access_token") : nullptr;
    if (access_token == nullptr || !access_token->is_string())
        throw AuthError("Facebook token answer from " +
                        detail::without_query(oauth_access_token_url) + " has no access_token");
    const std::string token(access_token->as_string());
    const auto* expires_in = session->if_contains("expires_in");

    std::string joined;
    for (const auto& field : fields)
        joined += (joined.empty() ? "" : ",") + field;
    const auto user = co_await facebook_request(
        "/me", {.access_token = token,
                .args = {{"appsecret_proof", detail::hmac_sha256_hex(options.client_secret, token)},
                         {"fields", joined}}});
    if (user.is_null()) co_return std::nullopt;
    const auto* profile = user.if_object();
    if (profile == nullptr) throw AuthError("Facebook /me answer is not an object");

    boost::json::object fieldmap;
    for (const auto& field : fields) {
        const auto* value = profile->if_contains(field);
        fieldmap[field] = value ? *value : boost::json::value();
    }
    fieldmap["access_token"] = token;
    // Python's str() of the value: "3600" for a number, "None" when there is none.
    if (expires_in == nullptr || expires_in->is_null())
        fieldmap["session_expires"] = "None";
    else if (expires_in->is_string())
        fieldmap["session_expires"] = expires_in->as_string();
    else
        fieldmap["session_expires"] = escape::json_encode(*expires_in);
    co_return fieldmap;
}

awaitable<boost::json::value> FacebookGraphMixin::facebook_request(std::string_view path,
                                                                   OAuth2RequestOptions options) {
    co_return co_await oauth2_request(facebook_base_url + std::string(path), std::move(options));
}

}  // namespace typhoon::auth
