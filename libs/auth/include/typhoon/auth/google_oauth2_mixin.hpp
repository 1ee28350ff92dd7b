#ifndef TYPHOON_AUTH_GOOGLE_OAUTH2_MIXIN_HPP
#define TYPHOON_AUTH_GOOGLE_OAUTH2_MIXIN_HPP

#include <typhoon/auth/oauth2_mixin.hpp>

#include <boost/json/object.hpp>

#include <string>

namespace typhoon::auth {

/** Google login with OAuth 2 (tornado.auth.GoogleOAuth2Mixin). Register the application with
    Google, put its client id and secret in the settings as Tornado does,
    `.extra = {{"google_oauth", {{"key", CLIENT_ID}, {"secret", CLIENT_SECRET}}}}`, and write the
    login handler as in Tornado's guide: the guide's chapter 8 (doc/guide/08-security.md) shows
    one, whose code is compiled and tested in libs/auth/test/google_oauth2_mixin_test.cpp. */
class GoogleOAuth2Mixin : public OAuth2Mixin {
public:
    GoogleOAuth2Mixin();

    /** Exchanges the authorization `code` for tokens at oauth_access_token_url (a POST with the
        client id and secret of the `google_oauth` setting) and returns Google's answer:
        `access_token`, `expires_in`, `id_token`...
        @throws typhoon::Error when the setting is missing; AuthError when Google answers with an
        error (its `error` and `error_description` in the message), with something other than
        JSON, without an access_token, or not in time. */
    awaitable<boost::json::object> get_authenticated_user(std::string redirect_uri,
                                                          std::string code);

protected:
    /// The `key` of the oauth_settings_key setting. @throws typhoon::Error when it is missing.
    std::string google_client_id();
    /// The `secret` of the oauth_settings_key setting. @throws typhoon::Error when it is missing.
    std::string google_client_secret();

    /// Tornado's `_OAUTH_USERINFO_URL`: where oauth2_request() finds the user's profile.
    std::string oauth_userinfo_url = "https://www.googleapis.com/oauth2/v1/userinfo";
    /// Tornado's `_OAUTH_SETTINGS_KEY`: the setting (in Settings::extra) with key and secret.
    std::string oauth_settings_key = "google_oauth";

private:
    std::string setting(const char* field);
};

}  // namespace typhoon::auth

#endif
