#ifndef TYPHOON_AUTH_OPENID_MIXIN_HPP
#define TYPHOON_AUTH_OPENID_MIXIN_HPP

#include <typhoon/auth/auth_mixin.hpp>

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

namespace typhoon::auth {

/// Options of OpenIdMixin::authenticate_redirect (Tornado's keyword arguments).
struct OpenIdRedirectOptions {
    /// Where the provider sends the user back, relative to the request's URL; the request's URI
    /// when unset.
    std::optional<std::string> callback_uri{};
    /// Attribute-exchange attributes to ask for: "name" (first, full and last name), "email",
    /// "language", "username".
    std::vector<std::string> ax_attrs = {"name", "email", "language", "username"};
};

/** OpenID 2.0 login with attribute exchange (tornado.auth.OpenIdMixin). Set `openid_endpoint`
    to the provider's endpoint, send the user there with authenticate_redirect(), and when the
    provider sends them back (an `openid.mode` argument), verify with get_authenticated_user():

        class OpenIdLoginHandler final : public web::RequestHandler, public auth::OpenIdMixin {
        public:
            using RequestHandler::RequestHandler;
            void initialize() { openid_endpoint = "https://openid.example.com/server"; }
            awaitable<void> get() override {
                if (get_argument("openid.mode", std::nullopt)) {
                    const auto user = co_await get_authenticated_user();
                    set_signed_cookie("user", user.at("email").as_string());
                    redirect("/");
                    co_return;
                }
                authenticate_redirect();
            }
        };  */
class OpenIdMixin : public virtual AuthMixin {
public:
    /** Redirects to the provider's endpoint to authenticate the user (Tornado's
        authenticate_redirect). openid.return_to is `callback_uri` resolved against the request's
        full URL, and openid.realm the root of that. */
    void authenticate_redirect(OpenIdRedirectOptions options = {});

    /** Verifies the provider's answer now in the request's arguments with a
        `check_authentication` round trip to the endpoint, then returns the user: `name`,
        `first_name`, `last_name`, `email`, `locale`, `username` (those the provider gave) and
        `claimed_id`. Only fields named in the provider's `openid.signed` list are read (an
        attribute's `ns`, `type` and `value` fields all need to be signed): Tornado reads any
        `openid.*` argument, so a field added to the query after the provider signed it would
        reach the user object there.
        @throws AuthError when the provider does not say `is_valid:true`, or cannot be reached. */
    awaitable<boost::json::object> get_authenticated_user(
        httpclient::AsyncHTTPClient* http_client = nullptr);

protected:
    /// The OpenID arguments of the redirect (Tornado's _openid_args); with `oauth_scope`, those of
    /// the OpenID+OAuth hybrid extension too.
    Params openid_args(const std::string& callback_uri, const std::vector<std::string>& ax_attrs,
                       const std::optional<std::string>& oauth_scope = std::nullopt);

    /// Tornado's `_OPENID_ENDPOINT`: the provider's OpenID endpoint.
    std::string openid_endpoint{};

private:
    boost::json::object user_from_verified_request();
};

}  // namespace typhoon::auth

#endif
