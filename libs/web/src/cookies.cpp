// RequestHandler's cookies, signed cookies, XSRF protection and login (tornado.web's), and the
// authenticated() guard.
#include <typhoon/web/authenticated.hpp>
#include <typhoon/web/request_handler.hpp>

#include <typhoon/web/application.hpp>
#include <typhoon/web/http_error.hpp>
#include <typhoon/web/signed_value.hpp>

#include "signed_value_detail.hpp"

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/escape.hpp>
#include <typhoon/core/utf8.hpp>
#include <typhoon/http/cookies.hpp>
#include <typhoon/http/timestamp.hpp>

#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace typhoon::web {

namespace json = boost::json;

namespace {

// An XSRF token as Tornado's _get_raw_xsrf_token holds it.
struct RawXsrfToken {
    std::optional<int> version;  // std::nullopt: made for this request
    std::string token;
    long long timestamp = 0;
};

}  // namespace

struct RequestHandler::CookieState {
    // Outgoing cookies as "name=value; attributes", in the order they were last set.
    std::vector<std::pair<std::string, std::string>> outgoing;
    // The token of the request's `_xsrf` cookie, or a new one.
    std::optional<RawXsrfToken> raw_xsrf;
    std::optional<std::string> xsrf_token;
};

namespace {

// Python's http.cookies: characters a value may hold unquoted, and those it may hold quoted
// without an escape.
bool legal_cookie_char(char32_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c < 0x80 && std::string_view("!#$%&'*+-.^_`|~:").find(static_cast<char>(c)) !=
                            std::string_view::npos);
}
bool unescaped_cookie_char(char32_t c) {
    return legal_cookie_char(c) ||
           (c < 0x80 &&
            std::string_view(" ()/<=>?@[]{}").find(static_cast<char>(c)) != std::string_view::npos);
}

// http.cookies._quote: a value of legal characters only stays as it is; any other is put in
// double quotes, with `"` and `\` escaped by a backslash and the other code points below 256
// that need it written as octal escapes (code points above stay as they are, in UTF-8).
std::string quote_cookie_value(std::string_view value) {
    const std::u32string points = escape::utf8_decode(value);
    if (!points.empty() && std::all_of(points.begin(), points.end(), legal_cookie_char))
        return std::string(value);
    std::string out = "\"";
    for (const char32_t c : points) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 256 && !unescaped_cookie_char(c)) {
            const char octal[] = {'\\', static_cast<char>('0' + ((c >> 6) & 7)),
                                  static_cast<char>('0' + ((c >> 3) & 7)),
                                  static_cast<char>('0' + (c & 7)), 0};
            out += octal;
        } else {
            escape::append_utf8(out, c);
        }
    }
    return out + "\"";
}

std::chrono::system_clock::time_point days_from_now(double days) {
    return std::chrono::system_clock::now() +
           std::chrono::duration_cast<std::chrono::system_clock::duration>(
               std::chrono::duration<double>(days * 86400));
}

// Morsel.OutputString: "name=value" and the attributes set, in the order of their sorted keys
// (domain, expires, httponly, max-age, path, samesite, secure).
std::string set_cookie_line(std::string_view name, std::string_view value,
                            const CookieOptions& options) {
    std::string line = std::string(name) + "=" + quote_cookie_value(value);
    std::optional<std::chrono::system_clock::time_point> expires = options.expires;
    if (options.expires_days && !expires) expires = days_from_now(*options.expires_days);
    if (!options.domain.empty()) line += "; Domain=" + options.domain;
    if (expires) line += "; expires=" + httputil::format_timestamp(*expires);
    if (options.httponly) line += "; HttpOnly";
    if (options.max_age) line += "; Max-Age=" + std::to_string(*options.max_age);
    if (!options.path.empty()) line += "; Path=" + options.path;
    if (!options.samesite.empty()) line += "; SameSite=" + options.samesite;
    if (options.secure) line += "; Secure";
    return line;
}

CookieOptions plain_options(const SignedCookieOptions& options) {
    return {.domain = options.domain,
            .expires = options.expires,
            .path = options.path,
            .expires_days = options.expires_days,
            .max_age = options.max_age,
            .httponly = options.httponly,
            .secure = options.secure,
            .samesite = options.samesite};
}

std::string random_bytes(std::size_t count) {
    std::string bytes(count, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1)
        throw std::runtime_error("OpenSSL has no random bytes");
    return bytes;
}

long long now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Tornado's _decode_xsrf_token: a version 2 token (`2|mask|masked token|timestamp`, in hex) or
// a version 1 one (the token in hex, or as it is when it is not hex); std::nullopt for anything
// else, including unknown versions.
std::optional<RawXsrfToken> decode_xsrf_token(std::string_view text) {
    if (const auto version = detail::leading_version(text)) {
        if (*version != 2) return std::nullopt;
        std::vector<std::string_view> parts;
        std::size_t start = 0;
        while (true) {
            const auto bar = text.find('|', start);
            parts.push_back(text.substr(start, bar - start));
            if (bar == std::string_view::npos) break;
            start = bar + 1;
        }
        if (parts.size() != 4) return std::nullopt;
        auto mask = detail::hex_decode(parts[1]);
        auto token = detail::hex_decode(parts[2]);
        if (!mask || !token) return std::nullopt;
        // Tornado's C mask function reads 4 bytes whatever the mask's length; a short mask meets
        // the zero byte that ends Python's bytes. Use the first 4 bytes, zero-padded.
        mask->resize(4, '\0');
        const auto timestamp = detail::python_int(parts[3]);
        if (!timestamp) return std::nullopt;
        detail::xor_mask(*token, *mask);
        return RawXsrfToken{2, std::move(*token), *timestamp};
    }
    auto token = detail::hex_decode(text);
    return RawXsrfToken{1, token ? std::move(*token) : std::string(text), now_seconds()};
}

// The token of the request's `_xsrf` cookie, made the first time it is needed; a new random one
// when there is no cookie or it cannot be decoded (an empty token decoded from a cookie stays, as
// in Tornado: no token then matches it).
const RawXsrfToken& raw_xsrf_token(std::optional<RawXsrfToken>& slot,
                                   const std::optional<std::string>& cookie) {
    if (!slot) {
        if (cookie && !cookie->empty()) slot = decode_xsrf_token(*cookie);
        if (!slot) slot = RawXsrfToken{std::nullopt, random_bytes(16), now_seconds()};
    }
    return *slot;
}

bool python_truthy(const json::value& value) {
    switch (value.kind()) {
        case json::kind::null:
            return false;
        case json::kind::bool_:
            return value.get_bool();
        case json::kind::int64:
            return value.get_int64() != 0;
        case json::kind::uint64:
            return value.get_uint64() != 0;
        case json::kind::double_:
            return value.get_double() != 0;
        case json::kind::string:
            return !value.get_string().empty();
        case json::kind::array:
            return !value.get_array().empty();
        case json::kind::object:
            return !value.get_object().empty();
    }
    return false;
}

// The scheme urllib.parse.urlsplit finds: letters, digits, "+-." before the first ':', starting
// with a letter.
bool has_url_scheme(std::string_view url) {
    const auto colon = url.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    if (!std::isalpha(static_cast<unsigned char>(url.front()))) return false;
    return std::all_of(url.begin(), url.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
    });
}

}  // namespace

RequestHandler::CookieState& RequestHandler::cookie_state() {
    if (!cookie_state_) cookie_state_ = std::make_shared<CookieState>();
    return *cookie_state_;
}

// --- plain cookies -------------------------------------------------------------------------------

const std::map<std::string, std::string, std::less<>>& RequestHandler::cookies() const {
    return request_->cookies();
}

std::optional<std::string> RequestHandler::get_cookie(std::string_view name) const {
    const auto& all = request_->cookies();
    const auto found = all.find(name);
    if (found == all.end()) return std::nullopt;
    return found->second;
}

std::string RequestHandler::get_cookie(std::string_view name,
                                       std::string_view default_value) const {
    auto value = get_cookie(name);
    return value ? std::move(*value) : std::string(default_value);
}

void RequestHandler::set_cookie(std::string_view name, std::string_view value,
                                CookieOptions options) {
    const auto unsafe = [](char c) { return static_cast<unsigned char>(c) <= 0x20; };
    if (std::any_of(name.begin(), name.end(), unsafe) ||
        std::any_of(value.begin(), value.end(), unsafe))
        throw std::invalid_argument("Invalid cookie " + escape::detail::python_repr(name) + ": " +
                                    escape::detail::python_repr(value));
    if (!httputil::is_legal_cookie_name(name))
        throw std::invalid_argument("Illegal cookie name " + escape::detail::python_repr(name));
    if (!escape::is_valid_utf8(value))
        throw std::invalid_argument("Cookie value is not UTF-8: " +
                                    escape::detail::python_repr(value));
    // The attributes go into the Set-Cookie line as they are: a `;` would start an attribute of
    // the caller's choosing (a Domain widening the cookie, an Expires, a SameSite=None), and a
    // control character ends or corrupts the line (RFC 6265 §4.1.1: attribute values are
    // characters other than CTLs and ";").
    const auto check_attribute = [](std::string_view attribute, std::string_view text) {
        for (const char c : text) {
            const auto byte = static_cast<unsigned char>(c);
            if (c == ';' || byte < 0x20 || byte == 0x7f)
                throw std::invalid_argument("Invalid cookie " + std::string(attribute) + " " +
                                            escape::detail::python_repr(text));
        }
    };
    check_attribute("domain", options.domain);
    check_attribute("path", options.path);
    check_attribute("samesite", options.samesite);
    auto& outgoing = cookie_state().outgoing;
    std::erase_if(outgoing, [name](const auto& cookie) { return cookie.first == name; });
    outgoing.emplace_back(std::string(name), set_cookie_line(name, value, options));
}

void RequestHandler::clear_cookie(std::string_view name, std::string_view path,
                                  std::string_view domain) {
    set_cookie(
        name, "",
        {.domain = std::string(domain), .expires = days_from_now(-365), .path = std::string(path)});
}

void RequestHandler::clear_all_cookies(std::string_view path, std::string_view domain) {
    for (const auto& entry : request_->cookies())
        clear_cookie(entry.first, path, domain);
}

void RequestHandler::add_cookie_headers() {
    if (!cookie_state_) return;
    for (const auto& cookie : cookie_state_->outgoing)
        headers_.add("Set-Cookie", cookie.second);
}

// --- signed cookies ------------------------------------------------------------------------------

namespace {

void require_cookie_secret(const Settings& settings) {
    if (settings.cookie_secret.empty() && settings.cookie_secrets.empty())
        throw Error(
            "You must define the 'cookie_secret' setting in your application to use "
            "secure cookies");
}

}  // namespace

std::string RequestHandler::create_signed_value(std::string_view name, std::string_view value,
                                                std::optional<int> version) const {
    const Settings& s = settings();
    require_cookie_secret(s);
    if (s.cookie_secrets.empty())
        return web::create_signed_value(s.cookie_secret, name, value, {.version = version});
    if (!s.key_version) throw Error("key_version setting must be used for secret_key dicts");
    return web::create_signed_value(s.cookie_secrets, name, value,
                                    {.version = version, .key_version = s.key_version});
}

void RequestHandler::set_signed_cookie(std::string_view name, std::string_view value,
                                       SignedCookieOptions options) {
    set_cookie(name, create_signed_value(name, value, options.version), plain_options(options));
}

std::optional<std::string> RequestHandler::get_signed_cookie(
    std::string_view name, SignedCookieReadOptions options) const {
    const Settings& s = settings();
    require_cookie_secret(s);
    const auto value = options.value ? options.value : get_cookie(name);
    if (!value) return std::nullopt;
    const DecodeOptions decode{.max_age_days = options.max_age_days,
                               .min_version = options.min_version};
    if (s.cookie_secrets.empty())
        return web::decode_signed_value(s.cookie_secret, name, *value, decode);
    return web::decode_signed_value(s.cookie_secrets, name, *value, decode);
}

std::optional<int> RequestHandler::get_signed_cookie_key_version(
    std::string_view name, std::optional<std::string> value) const {
    require_cookie_secret(settings());
    if (!value) value = get_cookie(name);
    if (!value) return std::nullopt;
    return get_signature_key_version(*value);
}

// --- XSRF ----------------------------------------------------------------------------------------

const std::string& RequestHandler::xsrf_token() {
    auto& state = cookie_state();
    if (state.xsrf_token) return *state.xsrf_token;
    const RawXsrfToken raw = raw_xsrf_token(state.raw_xsrf, get_cookie("_xsrf"));
    const int output_version = settings().xsrf_cookie_version;
    if (output_version == 1) {
        state.xsrf_token = detail::hex_encode(raw.token);
    } else if (output_version == 2) {
        const std::string mask = random_bytes(4);
        std::string masked = raw.token;
        detail::xor_mask(masked, mask);
        state.xsrf_token = "2|" + detail::hex_encode(mask) + "|" + detail::hex_encode(masked) +
                           "|" + std::to_string(raw.timestamp);
    } else {
        throw Error("unknown xsrf cookie version " + std::to_string(output_version));
    }
    if (!raw.version) {
        CookieOptions options = settings().xsrf_cookie_kwargs;
        if (!options.expires_days && python_truthy(current_user())) options.expires_days = 30;
        set_cookie("_xsrf", *state.xsrf_token, std::move(options));
    }
    return *state.xsrf_token;
}

void RequestHandler::check_xsrf_cookie() {
    std::optional<std::string> token = get_argument("_xsrf", std::nullopt);
    for (const char* header : {"X-Xsrftoken", "X-Csrftoken"})
        if (!token || token->empty()) token = request_->headers.get(header);
    if (!token || token->empty()) throw HTTPError(403, "'_xsrf' argument missing from POST");
    const auto given = decode_xsrf_token(*token);
    auto& state = cookie_state();
    const RawXsrfToken& expected = raw_xsrf_token(state.raw_xsrf, get_cookie("_xsrf"));
    if (!given || given->token.empty()) throw HTTPError(403, "'_xsrf' argument has invalid format");
    if (!detail::constant_time_equal(given->token, expected.token))
        throw HTTPError(403, "XSRF cookie does not match POST argument");
}

void RequestHandler::check_xsrf_if_enabled() {
    const auto& method = request_->method;
    if (method != "GET" && method != "HEAD" && method != "OPTIONS" && settings().xsrf_cookies)
        check_xsrf_cookie();
}

std::string RequestHandler::xsrf_form_html() {
    return "<input type=\"hidden\" name=\"_xsrf\" value=\"" + escape::xhtml_escape(xsrf_token()) +
           "\"/>";
}

void RequestHandler::add_xsrf_names(templates::Namespace& names) {
    const auto form_html = [this](const json::array&, const json::object&) -> json::value {
        return json::value(json::string(xsrf_form_html()));
    };
    names.add_function("xsrf_form_html", form_html);
    names.add_module("xsrf_form_html", form_html);
}

// --- login ---------------------------------------------------------------------------------------

std::string RequestHandler::get_login_url() const {
    if (settings().login_url.empty())
        throw Error(
            "You must define the 'login_url' setting in your application to use "
            "web::authenticated");
    return settings().login_url;
}

void authenticated(RequestHandler& handler) {
    if (python_truthy(handler.current_user())) return;
    const auto& request = handler.request();
    if (request.method != "GET" && request.method != "HEAD") throw HTTPError(403);
    std::string url = handler.get_login_url();
    if (url.find('?') == std::string::npos) {
        const std::string next = has_url_scheme(url) ? request.full_url() : request.uri;
        url += "?next=" + escape::url_escape(next);
    }
    handler.redirect(url);
    throw Finish();
}

}  // namespace typhoon::web
