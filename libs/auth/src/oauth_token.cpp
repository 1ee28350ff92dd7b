#include <typhoon/auth/oauth_token.hpp>

#include <typhoon/auth/auth_error.hpp>
#include <typhoon/http/arguments.hpp>

namespace typhoon::auth {

boost::json::object OAuthToken::to_json() const {
    boost::json::object object;
    for (const auto& [name, value] : extra)
        object[name] = value;
    // Written last so that an extra field of the same name cannot stand in for them.
    object["key"] = key;
    object["secret"] = secret;
    if (verifier) object["verifier"] = *verifier;
    return object;
}

OAuthToken OAuthToken::from_json(const boost::json::object& object) {
    OAuthToken token;
    for (const auto& [name, value] : object) {
        if (!value.is_string()) {
            if (name == "key" || name == "secret")
                throw AuthError("OAuth token field '" + std::string(name) + "' is not a string");
            continue;
        }
        std::string text(value.as_string());
        if (name == "key")
            token.key = std::move(text);
        else if (name == "secret")
            token.secret = std::move(text);
        else if (name == "verifier")
            token.verifier = std::move(text);
        else
            token.extra.emplace(std::string(name), std::move(text));
    }
    if (!object.contains("key") || !object.contains("secret"))
        throw AuthError("OAuth token has no key or no secret");
    return token;
}

OAuthToken oauth_parse_response(std::string_view body) {
    const auto fields = httputil::parse_qs_bytes(body);
    auto first = [&](std::string_view name) -> const std::string& {
        const auto it = fields.find(name);
        if (it == fields.end() || it->second.empty())
            throw AuthError("OAuth response has no " + std::string(name) + ": '" +
                            std::string(body.substr(0, 200)) + "'");
        return it->second.front();
    };
    OAuthToken token{.key = first("oauth_token"), .secret = first("oauth_token_secret")};
    // A field named like one of the token's own would replace it in to_json(), as it does in
    // Tornado's dict, and a provider's answer must not choose the key that signs requests.
    const auto own = [](std::string_view name) {
        return name == "oauth_token" || name == "oauth_token_secret" || name == "key" ||
               name == "secret" || name == "verifier";
    };
    for (const auto& [name, values] : fields)
        if (!own(name) && !values.empty()) token.extra.emplace(name, values.front());
    return token;
}

}  // namespace typhoon::auth
