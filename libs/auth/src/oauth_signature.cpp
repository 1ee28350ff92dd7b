#include <typhoon/auth/oauth_signature.hpp>

#include "crypto.hpp"

#include <typhoon/net/detail/base64.hpp>

#include <cctype>

namespace typhoon::auth {

namespace {

/// What urllib.parse.urlparse keeps of `url` for the base string URI (RFC 5849 §3.4.1.2):
/// scheme and netloc lower-cased, then the path, without query, fragment or the `;params` that
/// urlparse splits off the last path segment.
std::string normalized_url(std::string_view url) {
    std::string scheme;
    if (const auto colon = url.find(':'); colon != std::string_view::npos && colon > 0) {
        const auto candidate = url.substr(0, colon);
        bool valid = std::isalpha(static_cast<unsigned char>(candidate[0])) != 0;
        for (const char c : candidate)
            valid = valid && (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' ||
                              c == '-' || c == '.');
        if (valid) {
            scheme = candidate;
            url.remove_prefix(colon + 1);
        }
    }
    std::string netloc;
    if (url.starts_with("//")) {
        url.remove_prefix(2);
        const auto end = url.find_first_of("/?#");
        netloc = url.substr(0, end);
        url = end == std::string_view::npos ? std::string_view() : url.substr(end);
    }
    url = url.substr(0, url.find('#'));
    url = url.substr(0, url.find('?'));
    const auto last_slash = url.rfind('/');
    if (const auto semicolon = url.find(';', last_slash == std::string_view::npos ? 0 : last_slash);
        semicolon != std::string_view::npos)
        url = url.substr(0, semicolon);
    auto lower = [](std::string text) {
        for (char& c : text)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return text;
    };
    return lower(std::move(scheme)) + "://" + lower(std::move(netloc)) + std::string(url);
}

std::string base_string(std::string_view method, std::string_view url,
                        const OAuthParameters& parameters) {
    std::string upper(method);
    for (char& c : upper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::string pairs;
    for (const auto& [name, value] : parameters) {
        if (!pairs.empty()) pairs += '&';
        pairs += name;
        pairs += '=';
        pairs += oauth_escape(value);
    }
    return oauth_escape(upper) + '&' + oauth_escape(normalized_url(url)) + '&' +
           oauth_escape(pairs);
}

std::string sign(std::string_view key, std::string_view base) {
    return netutil::detail::base64_encode(detail::hmac_sha1(key, base));
}

}  // namespace

std::string oauth_escape(std::string_view value) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += hex[byte >> 4];
            out += hex[byte & 15];
        }
    }
    return out;
}

std::string oauth_signature(const OAuthToken& consumer_token, std::string_view method,
                            std::string_view url, const OAuthParameters& parameters,
                            const std::optional<OAuthToken>& token) {
    const std::string key = consumer_token.secret + '&' + (token ? token->secret : std::string());
    return sign(key, base_string(method, url, parameters));
}

std::string oauth10a_signature(const OAuthToken& consumer_token, std::string_view method,
                               std::string_view url, const OAuthParameters& parameters,
                               const std::optional<OAuthToken>& token) {
    const std::string key =
        oauth_escape(consumer_token.secret) + '&' + (token ? oauth_escape(token->secret) : "");
    return sign(key, base_string(method, url, parameters));
}

}  // namespace typhoon::auth
