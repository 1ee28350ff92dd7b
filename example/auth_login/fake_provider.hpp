#ifndef AUTH_LOGIN_FAKE_PROVIDER_HPP
#define AUTH_LOGIN_FAKE_PROVIDER_HPP

// A stand-in OAuth 2 provider served by the demo itself (--provider=fake), so that the whole
// sign-in flow runs offline: a consent page, one-time authorization codes bound to their
// redirect_uri, a token endpoint that checks the client's secret, and a user endpoint that takes
// the token as Google (?access_token=) and GitHub (Authorization: Bearer) do.

#include <typhoon/web.hpp>

#include <boost/json/object.hpp>

#include <map>
#include <string>
#include <vector>

namespace auth_login {

class FakeProvider {
public:
    FakeProvider(std::string name, std::string client_id, std::string client_secret,
                 boost::json::object user);

    const std::string& name() const noexcept { return name_; }
    const std::string& client_id() const noexcept { return client_id_; }
    const std::string& client_secret() const noexcept { return client_secret_; }
    const boost::json::object& user() const noexcept { return user_; }

    /// A fresh code for a user who approved, valid once and only with `redirect_uri`.
    std::string issue_code(const std::string& redirect_uri);
    /// Spends `code`; false when it is unknown, spent, or was issued for another redirect_uri.
    bool redeem_code(const std::string& code, const std::string& redirect_uri);
    std::string issue_token();
    bool valid_token(const std::string& token) const;

private:
    std::string name_, client_id_, client_secret_;
    boost::json::object user_;
    std::map<std::string, std::string> codes_;  // code → redirect_uri
    std::vector<std::string> tokens_;
};

/// The fake Google and the fake GitHub.
struct FakeProviders {
    FakeProvider google{"google",
                        "fake-google-client-id",
                        "fake-google-client-secret",
                        {{"id", "1001"},
                         {"name", "Ada Lovelace"},
                         {"email", "ada@example.com"},
                         {"picture", "https://example.com/ada.png"}}};
    FakeProvider github{"github",
                        "fake-github-client-id",
                        "fake-github-client-secret",
                        {{"id", 583231}, {"login", "octocat"}, {"name", "The Octocat"}}};
};

/// The routes of a fake provider under /fake/<name>/: authorize, approve, token, user.
std::vector<typhoon::web::URLSpec> fake_provider_routes(FakeProvider& provider);

}  // namespace auth_login

#endif
