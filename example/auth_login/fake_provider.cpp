#include "fake_provider.hpp"

#include <typhoon/core/escape.hpp>
#include <typhoon/http/url.hpp>

#include <algorithm>
#include <random>

namespace auth_login {

namespace web = typhoon::web;
namespace json = boost::json;
using boost::asio::awaitable;

namespace {

std::string random_hex() {
    static std::random_device device;
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 32; ++i)
        out += hex[device() % 16];
    return out;
}

class FakeHandler : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    void initialize(FakeProvider& provider) { provider_ = &provider; }

protected:
    /// An OAuth 2 error answer (RFC 6749 §5.2).
    void oauth_error(int status, std::string_view error) {
        set_status(status);
        write(json::object{{"error", error}});
    }
    FakeProvider* provider_ = nullptr;
};

/// The consent page: the user approves or denies the application.
class AuthorizeHandler final : public FakeHandler {
public:
    using FakeHandler::FakeHandler;
    awaitable<void> get() override {
        if (get_argument("client_id", "") != provider_->client_id() ||
            get_argument("response_type", "") != "code")
            throw web::HTTPError(400, "unknown client or response_type");
        const auto redirect_uri = get_argument("redirect_uri");
        const auto state = get_argument("state", "");
        const auto approve =
            typhoon::httputil::url_concat("/fake/" + provider_->name() + "/approve",
                                          {{"redirect_uri", redirect_uri}, {"state", state}});
        const auto deny = typhoon::httputil::url_concat(
            redirect_uri, {{"error", "access_denied"}, {"state", state}});
        namespace escape = typhoon::escape;
        write("<html><title>Fake " + provider_->name() + "</title><body><h1>Fake " +
              provider_->name() + "</h1><p>Sign in as <b>" +
              escape::xhtml_escape(provider_->user().at("name").as_string()) +
              "</b> and let the application see your profile (" +
              escape::xhtml_escape(get_argument("scope", "")) +
              ")?</p><p><a id=\"approve\" href=\"" + escape::xhtml_escape(approve) +
              "\">Allow</a> <a id=\"deny\" href=\"" + escape::xhtml_escape(deny) +
              "\">Deny</a></p></body></html>");
        co_return;
    }
};

class ApproveHandler final : public FakeHandler {
public:
    using FakeHandler::FakeHandler;
    awaitable<void> get() override {
        const auto redirect_uri = get_argument("redirect_uri");
        std::vector<std::pair<std::string, std::string>> back = {
            {"code", provider_->issue_code(redirect_uri)}};
        if (const auto state = get_argument("state", ""); !state.empty())
            back.emplace_back("state", state);
        redirect(typhoon::httputil::url_concat(redirect_uri, back));
        co_return;
    }
};

class TokenHandler final : public FakeHandler {
public:
    using FakeHandler::FakeHandler;
    awaitable<void> post() override {
        if (get_argument("client_id", "") != provider_->client_id() ||
            get_argument("client_secret", "") != provider_->client_secret()) {
            oauth_error(401, "invalid_client");
            co_return;
        }
        if (!provider_->redeem_code(get_argument("code", ""), get_argument("redirect_uri", ""))) {
            oauth_error(400, "invalid_grant");
            co_return;
        }
        write(json::object{{"access_token", provider_->issue_token()},
                           {"token_type", "Bearer"},
                           {"expires_in", 3599}});
    }
};

class UserHandler final : public FakeHandler {
public:
    using FakeHandler::FakeHandler;
    awaitable<void> get() override {
        auto token = get_argument("access_token", "");
        const auto authorization = request().headers.get("Authorization", "");
        if (authorization.starts_with("Bearer ")) token = authorization.substr(7);
        if (!provider_->valid_token(token)) throw web::HTTPError(401);
        write(provider_->user());
        co_return;
    }
};

}  // namespace

FakeProvider::FakeProvider(std::string name, std::string client_id, std::string client_secret,
                           boost::json::object user)
    : name_(std::move(name)),
      client_id_(std::move(client_id)),
      client_secret_(std::move(client_secret)),
      user_(std::move(user)) {}

std::string FakeProvider::issue_code(const std::string& redirect_uri) {
    auto code = random_hex();
    codes_[code] = redirect_uri;
    return code;
}

bool FakeProvider::redeem_code(const std::string& code, const std::string& redirect_uri) {
    const auto it = codes_.find(code);
    if (it == codes_.end()) return false;
    const bool matches = it->second == redirect_uri;
    codes_.erase(it);
    return matches;
}

std::string FakeProvider::issue_token() {
    tokens_.push_back(random_hex());
    return tokens_.back();
}

bool FakeProvider::valid_token(const std::string& token) const {
    return !token.empty() && std::find(tokens_.begin(), tokens_.end(), token) != tokens_.end();
}

std::vector<web::URLSpec> fake_provider_routes(FakeProvider& provider) {
    const auto base = "/fake/" + provider.name();
    return {
        web::url<AuthorizeHandler>(base + "/authorize", {}, std::ref(provider)),
        web::url<ApproveHandler>(base + "/approve", {}, std::ref(provider)),
        web::url<TokenHandler>(base + "/token", {}, std::ref(provider)),
        web::url<UserHandler>(base + "/user", {}, std::ref(provider)),
    };
}

}  // namespace auth_login
