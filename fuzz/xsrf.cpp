// XSRF tokens as RequestHandler reads them (Tornado's _decode_xsrf_token, reached through
// check_xsrf_cookie and xsrf_token): the input's first line is the `_xsrf` cookie a client
// sends, its second the token it submits in X-XSRFToken, the first byte of its third the
// version of the tokens the application hands out ('1', anything else 2).
// - A POST with that cookie and token is accepted (200) or refused with a 403, never more.
// - A GET with the cookie is answered with a token of the application's format; a new cookie,
//   when one is set (always when none came), holds that very token.
// - That token, posted back with the cookie in force, is accepted by an application of either
//   version: each reads both formats. (Not when the cookie holds an empty token: Tornado keeps
//   it, and then no token matches, by design.)

#include "check.hpp"
#include "one_response.hpp"

#include <typhoon/core/log.hpp>
#include <typhoon/http/http_server.hpp>
#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/web.hpp>

#include <boost/beast/http/field.hpp>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

using namespace typhoon;
namespace http = boost::beast::http;

namespace {

using fuzz_support::check;

class FormHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    boost::asio::awaitable<void> get() override {
        write(xsrf_token());
        co_return;
    }
    boost::asio::awaitable<void> post() override {
        write("accepted");
        co_return;
    }
};

struct Site {
    std::unique_ptr<web::Application> application;
    std::unique_ptr<httpserver::HTTPServer> server;
    std::uint16_t port = 0;
};

struct Harness {
    ioloop::IOLoop loop;
    Site version[3];  // [1] and [2]
};
Harness* harness = nullptr;

void start(Site& site, int token_version) {
    web::Settings settings;
    settings.xsrf_cookies = true;
    settings.xsrf_cookie_version = token_version;
    site.application = std::make_unique<web::Application>(
        std::vector<web::URLSpec>{web::url<FormHandler>("/form")}, settings);
    site.server = std::make_unique<httpserver::HTTPServer>(*site.application);
    site.server->listen(0, "127.0.0.1");
    site.port = site.server->ports().at(0);
}

std::string_view line(std::string_view& input) {
    const auto end = input.find('\n');
    const std::string_view first = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    return first;
}

bool plain(std::string_view text) {  // what may go into a header as it is
    for (const unsigned char c : text)
        if (c < 0x20 || c == 0x7f) return false;
    return true;
}

struct Answer {
    unsigned status = 0;
    std::string body;
    std::string xsrf_cookie;  // the value of a `_xsrf` Set-Cookie, if one came
    bool sets_cookie = false;
};

Answer ask(const Site& site, std::string_view method, std::string_view cookie,
           std::string_view token) {
    std::string request = std::string(method) + " /form HTTP/1.1\r\nHost: x\r\n";
    if (!cookie.empty()) request += "Cookie: " + std::string(cookie) + "\r\n";
    if (!token.empty()) request += "X-XSRFToken: " + std::string(token) + "\r\n";
    if (method == "POST") request += "Content-Length: 0\r\n";
    request += "Connection: close\r\n\r\n";
    const auto response = fuzz_support::one_response(harness->loop, site.port, request);
    Answer answer;
    answer.status = response.result_int();
    answer.body = response.body();
    for (const auto& field : response) {
        if (field.name() != http::field::set_cookie) continue;
        const std::string_view value = field.value();
        check(value.starts_with("_xsrf="), "a cookie other than _xsrf");
        check(!answer.sets_cookie, "two _xsrf cookies in one answer");
        answer.sets_cookie = true;
        const std::string_view rest = value.substr(6);
        answer.xsrf_cookie = std::string(rest.substr(0, rest.find(';')));
    }
    return answer;
}

bool lower_hex(std::string_view text) {
    for (const char c : text)
        if (!std::isdigit(static_cast<unsigned char>(c)) && (c < 'a' || c > 'f')) return false;
    return text.size() % 2 == 0;
}

// The raw token inside a token of `version`'s format, which must be well formed; the empty
// string marks an empty raw token.
std::string_view checked_token(std::string_view token, int version) {
    if (version == 1) {
        check(lower_hex(token), "a version 1 token that is not lower-case hex");
        return token;
    }
    check(token.starts_with("2|"), "a version 2 token without its version");
    const auto mask_end = token.find('|', 2);
    check(mask_end == 10 && lower_hex(token.substr(2, 8)), "a version 2 token without a mask");
    const auto masked_end = token.find('|', mask_end + 1);
    check(masked_end != std::string_view::npos, "a version 2 token without a timestamp");
    const std::string_view masked = token.substr(mask_end + 1, masked_end - mask_end - 1);
    const std::string_view timestamp = token.substr(masked_end + 1);
    check(lower_hex(masked), "a version 2 token whose token is not hex");
    check(!timestamp.empty() && timestamp.find_first_not_of("-0123456789") == std::string::npos,
          "a version 2 token whose timestamp is not a number");
    return masked;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    harness = new Harness;
    log::clear_handlers();
    start(harness->version[1], 1);
    start(harness->version[2], 2);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::string_view cookie_value = line(input), submitted = line(input);
    const int version = input.starts_with('1') ? 1 : 2;
    // A request the client could send; how the server reads it is under test.
    if (!plain(cookie_value) || !plain(submitted)) return 0;
    const std::string cookie = cookie_value.empty() ? "" : "_xsrf=" + std::string(cookie_value);
    const Site& site = harness->version[version];

    const Answer posted = ask(site, "POST", cookie, submitted);
    check(posted.status == 200 || posted.status == 403, "a POST answered other than 200 or 403");
    check(!posted.sets_cookie, "a POST that sets the XSRF cookie");
    if (posted.status == 200) check(!submitted.empty(), "a POST accepted without a token");

    const Answer form = ask(site, "GET", cookie, "");
    check(form.status == 200, "a GET of the form answered other than 200");
    const std::string_view raw_token = checked_token(form.body, version);
    check(form.sets_cookie || !cookie_value.empty(), "no XSRF cookie for a client without one");
    if (form.sets_cookie)
        check(form.xsrf_cookie == form.body && !raw_token.empty(),
              "a new XSRF cookie that is not the token handed out");
    const std::string in_force = form.sets_cookie ? "_xsrf=" + form.xsrf_cookie : cookie;
    if (raw_token.empty()) return 0;
    for (const int reader : {1, 2}) {
        const Answer back = ask(harness->version[reader], "POST", in_force, form.body);
        check(back.status == 200, "a token handed out refused when posted back");
    }
    return 0;
}
