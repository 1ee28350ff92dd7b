#include <typhoon/auth/google_oauth2_mixin.hpp>

#include <typhoon/auth/auth_error.hpp>
#include <typhoon/web/application.hpp>
#include <typhoon/web/request_handler.hpp>
#include <typhoon/web/settings.hpp>

#include "params.hpp"

namespace typhoon::auth {

GoogleOAuth2Mixin::GoogleOAuth2Mixin() {
    oauth_authorize_url = "https://accounts.google.com/o/oauth2/v2/auth";
    oauth_access_token_url = "https://www.googleapis.com/oauth2/v4/token";
}

std::string GoogleOAuth2Mixin::setting(const char* field) {
    const auto& extra = handler().settings().extra;
    const auto* entry = extra.if_contains(oauth_settings_key);
    const auto* object = entry ? entry->if_object() : nullptr;
    const auto* value = object ? object->if_contains(field) : nullptr;
    if (value == nullptr || !value->is_string())
        throw Error("You must define the '" + oauth_settings_key +
                    "' setting as {\"key\": ..., \"secret\": ...} in your application to use "
                    "Google OAuth");
    return std::string(value->as_string());
}

std::string GoogleOAuth2Mixin::google_client_id() {
    return setting("key");
}
std::string GoogleOAuth2Mixin::google_client_secret() {
    return setting("secret");
}

awaitable<boost::json::object> GoogleOAuth2Mixin::get_authenticated_user(std::string redirect_uri,
                                                                         std::string code) {
    const Params form = {
        {"redirect_uri", std::move(redirect_uri)}, {"code", std::move(code)},
        {"client_id", google_client_id()},         {"client_secret", google_client_secret()},
        {"grant_type", "authorization_code"},
    };
    // Google explains a refused code in a JSON body with a 400 (RFC 6749 §5.2): read it.
    httpclient::HTTPRequest request{
        .method = "POST", .body = detail::urlencode(form), .raise_error = false};
    request.headers.add("Content-Type", "application/x-www-form-urlencoded");
    const auto response = co_await auth_fetch(oauth_access_token_url, std::move(request));
    const auto where = detail::without_query(oauth_access_token_url);
    boost::json::value answer;
    try {
        answer = decode_json(response);
    } catch (const AuthError&) {
        if (response.code / 100 == 2) throw;
        throw AuthError("Error response from POST " + where + ": HTTP " +
                        std::to_string(response.code) + ": " + response.reason + " (" +
                        response.body.substr(0, 200) + ")");
    }
    const auto* object = answer.if_object();
    if (object == nullptr)
        throw AuthError("Google token answer from " + where + " is not an object");
    // Tornado hands back whatever came; a login without a token cannot go on, so it ends here.
    if (const auto* error = object->if_contains("error")) {
        std::string message = "Google OAuth error from " + where + ": ";
        message += error->is_string() ? std::string(error->as_string()) : "unknown";
        if (const auto* description = object->if_contains("error_description");
            description && description->is_string())
            message += " (" + std::string(description->as_string()) + ")";
        throw AuthError(message);
    }
    if (response.code / 100 != 2)
        throw AuthError("Error response from POST " + where + ": HTTP " +
                        std::to_string(response.code) + ": " + response.reason);
    if (const auto* token = object->if_contains("access_token"); !token || !token->is_string())
        throw AuthError("Google token answer from " + where + " has no access_token");
    co_return *object;
}

}  // namespace typhoon::auth
