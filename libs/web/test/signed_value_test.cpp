// Signed values and signed cookies. Expected values are what Debian's python3-tornado 6.2 gives
// for the same secret, name, value and clock (tornado.web.create_signed_value and
// decode_signed_value), and the warnings are its log lines.
#include <typhoon/web/signed_value.hpp>

#include <typhoon/web.hpp>

#include <typhoon/core/log_capture.hpp>

#include "web_test_case.hpp"

#include <boost/test/unit_test.hpp>

using namespace typhoon;
using namespace web_test;

namespace {

constexpr double signed_at = 1700000000;
const web::SignedValueClock fixed_clock = [] { return signed_at + 0.7; };
web::SignedValueClock days_later(double days) {
    return [days] { return signed_at + days * 86400; };
}

const std::string tornado_v1 = "dmFsdWU=|1700000000|0fdcc7055dd9242041ca1f067de1d163701396e0";
const std::string tornado_v2 =
    "2|1:0|10:1700000000|4:name|8:dmFsdWU=|"
    "a10442fe9dfd04c38d66405499eca973aa061c03364bdc2e4d993487049011fd";
const std::string tornado_v2_key7 =
    "2|1:7|10:1700000000|4:name|8:dmFsdWU=|"
    "05d9ec8af33d0e8bcc549e54f45135ed7c9badc0ce964053574bcfa28d3776b4";
const std::map<int, std::string> secrets{{0, "zero"}, {7, "seven"}};

class SignedHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        const auto value = get_signed_cookie("user");
        const auto key = get_signed_cookie_key_version("user");
        write((value ? *value : std::string("<none>")) +
              ";key=" + (key ? std::to_string(*key) : std::string("-")));
        co_return;
    }
    awaitable<void> post() override {
        const auto version = get_argument("version", "");
        set_signed_cookie(
            "user", get_argument("user"),
            {.httponly = true,
             .version = version.empty() ? std::nullopt : std::optional<int>(std::stoi(version))});
        set_secure_cookie("session", "s", {.expires_days = std::nullopt});
        co_return;
    }
};

class NoSecretHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        write(get_signed_cookie("user").value_or("-"));
        co_return;
    }
};

/// Serves the signed-cookie handlers with `settings`, which a derived fixture may change.
struct SignedFixture : testing::AsyncHTTPTestCase {
    web::Settings settings{.cookie_secret = "secret"};
    web::Application get_app() override {
        return web::Application(
            {web::url<SignedHandler>("/signed"), web::url<NoSecretHandler>("/nosecret")}, settings);
    }

    /// The value of the Set-Cookie line for `name`, unquoted as a browser would send it back.
    static std::string cookie_value(const httpclient::HTTPResponse& response,
                                    std::string_view name) {
        for (const auto line : response.headers.get_list("Set-Cookie")) {
            if (!line.starts_with(std::string(name) + "=")) continue;
            std::string value(line.substr(name.size() + 1, line.find(';') - name.size() - 1));
            if (value.size() >= 2 && value.front() == '"')
                value = value.substr(1, value.size() - 2);
            return value;
        }
        return {};
    }
    httpclient::HTTPResponse post(const std::string& path) {
        return fetch(path, {.method = "POST", .body = ""});
    }
    httpclient::HTTPResponse get_with_cookie(const std::string& cookie) {
        return fetch("/signed", {.headers = headers({{"Cookie", cookie}})});
    }
};
struct KeyVersionFixture : SignedFixture {
    KeyVersionFixture() { settings = {.cookie_secrets = secrets, .key_version = 7}; }
};
struct NoSecretFixture : SignedFixture {
    NoSecretFixture() { settings = {}; }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(signed_value_test)

BOOST_AUTO_TEST_CASE(signs_the_same_bytes_as_tornado) {
    BOOST_TEST(web::create_signed_value("secret", "name", "value",
                                        {.version = 1, .clock = fixed_clock}) == tornado_v1);
    BOOST_TEST(web::create_signed_value("secret", "name", "value", {.clock = fixed_clock}) ==
               tornado_v2);
    BOOST_TEST(web::create_signed_value("secret", "name", std::string("h\xc3\xa9llo \0 bytes", 14),
                                        {.clock = fixed_clock}) ==
               "2|1:0|10:1700000000|4:name|20:aMOpbGxvIAAgYnl0ZXM=|"
               "13e8444c79c9258a98d7598bab6d4c952f2b724b902a484e6852a399ad21be07");
    BOOST_TEST(web::create_signed_value(secrets, "name", "value",
                                        {.key_version = 7, .clock = fixed_clock}) ==
               tornado_v2_key7);
    BOOST_TEST(web::create_signed_value("secret", "name", "value",
                                        {.key_version = 3, .clock = fixed_clock}) ==
               "2|1:3|10:1700000000|4:name|8:dmFsdWU=|"
               "a5e466c6e67b8d9ffdde8bd40db9ed71958cc74d1ca47e7b780cebb1b5b9e702");
}

BOOST_AUTO_TEST_CASE(key_versions_need_a_version_2_value_and_a_known_key) {
    BOOST_CHECK_THROW(web::create_signed_value(secrets, "n", "v"), std::invalid_argument);
    BOOST_CHECK_THROW(web::create_signed_value(secrets, "n", "v", {.key_version = 5}),
                      std::invalid_argument);
    BOOST_CHECK_THROW(web::create_signed_value(secrets, "n", "v", {.version = 1, .key_version = 0}),
                      std::invalid_argument);
    BOOST_CHECK_THROW(web::create_signed_value("s", "n", "v", {.version = 3}),
                      std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(decodes_what_tornado_signed) {
    BOOST_TEST(*web::decode_signed_value("secret", "name", tornado_v1, {.clock = fixed_clock}) ==
               "value");
    BOOST_TEST(*web::decode_signed_value("secret", "name", tornado_v2, {.clock = fixed_clock}) ==
               "value");
    BOOST_TEST(*web::decode_signed_value(secrets, "name", tornado_v2_key7,
                                         {.clock = fixed_clock}) == "value");
    BOOST_TEST(*web::get_signature_key_version(tornado_v2_key7) == 7);
    BOOST_TEST(!web::get_signature_key_version(tornado_v1));
}

BOOST_AUTO_TEST_CASE(max_age_is_counted_in_days_from_the_timestamp) {
    BOOST_TEST(web::decode_signed_value("secret", "name", tornado_v2,
                                        {.clock = [] { return signed_at + 31 * 86400 - 1; }})
                   .has_value());
    log::LogCapture capture{{.logger = &log::gen_log}};
    BOOST_TEST(!web::decode_signed_value("secret", "name", tornado_v2,
                                         {.clock = [] { return signed_at + 31 * 86400 + 1; }}));
    BOOST_TEST(!web::decode_signed_value("secret", "name", tornado_v2,
                                         {.max_age_days = 1, .clock = days_later(2)}));
    BOOST_TEST(!web::decode_signed_value("secret", "name", tornado_v1, {.clock = days_later(40)}));
    BOOST_TEST(capture.contains("Expired cookie b'" + tornado_v1 + "'"));
}

BOOST_AUTO_TEST_CASE(tampered_values_are_refused_with_a_warning) {
    log::LogCapture capture{{.logger = &log::gen_log}};
    std::string tampered = tornado_v1;
    tampered.replace(0, 8, "dmFsdWV=");
    BOOST_TEST(!web::decode_signed_value("secret", "name", tampered, {.clock = fixed_clock}));
    BOOST_TEST(capture.contains("Invalid cookie signature b'" + tampered + "'"));
    BOOST_TEST(!web::decode_signed_value("secret", "other", tornado_v1, {.clock = fixed_clock}));
    BOOST_TEST(!web::decode_signed_value("wrong", "name", tornado_v2, {.clock = fixed_clock}));
    BOOST_TEST(!web::decode_signed_value("secret", "other", tornado_v2, {.clock = fixed_clock}));
    BOOST_TEST(!web::decode_signed_value(
        "secret", "name", "2|1:0|10:1700000000|4:name|8:dmFsdWU=|0000", {.clock = fixed_clock}));
    BOOST_TEST(!web::decode_signed_value(secrets, "name", tornado_v2, {.clock = fixed_clock}));
    // Malformed: a field longer than what follows, no fields, garbage.
    for (const char* bad : {"2|9:0|", "2|", "2|x:0|1:1|1:n|1:v|sig", "|||", "abc"})
        BOOST_TEST(!web::decode_signed_value("secret", "name", bad, {.clock = fixed_clock}));
    BOOST_TEST(!web::decode_signed_value("secret", "name", "", {.clock = fixed_clock}));
    BOOST_TEST(capture.records().size() >= 10u);
}

BOOST_AUTO_TEST_CASE(a_version_1_timestamp_far_in_the_future_is_tampering) {
    log::LogCapture capture{{.logger = &log::gen_log}};
    const std::string future = "dmFsdWU=|1703456000|8de4c0784a1c626afb81f34a157903993d8866f3";
    BOOST_TEST(!web::decode_signed_value("secret", "name", future, {.clock = fixed_clock}));
    BOOST_TEST(
        capture.contains("Cookie timestamp in future; possible tampering b'" + future + "'"));
}

BOOST_AUTO_TEST_CASE(min_version_2_refuses_version_1) {
    BOOST_TEST(!web::decode_signed_value("secret", "name", tornado_v1,
                                         {.min_version = 2, .clock = fixed_clock}));
    BOOST_CHECK_THROW(web::decode_signed_value("secret", "name", tornado_v1, {.min_version = 3}),
                      std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(round_trips_any_bytes) {
    const std::string bytes("\0\x01\xff|:=\"\n", 9);
    for (int version : {1, 2})
        BOOST_TEST(*web::decode_signed_value(
                       "k", "n",
                       web::create_signed_value("k", "n", bytes,
                                                {.version = version, .clock = fixed_clock}),
                       {.clock = fixed_clock}) == bytes);
}

BOOST_FIXTURE_TEST_CASE(signed_cookie_round_trips_through_the_browser, SignedFixture) {
    const auto set = post("/signed?user=ada");
    std::vector<std::string> lines;
    for (const auto line : set.headers.get_list("Set-Cookie"))
        lines.emplace_back(line);
    BOOST_TEST_REQUIRE(lines.size() == 2u);
    // As Tornado: 30 days and the flags asked for; a value of legal characters only ("ada" is
    // "YWRh") unquoted, one with '=' ("s" is "cw==") quoted.
    BOOST_TEST(lines[0].starts_with("user=2|1:0|10:"));
    BOOST_TEST(lines[0].find("|4:user|4:YWRh|") != std::string::npos);
    BOOST_TEST(lines[0].find("; expires=") != std::string::npos);
    BOOST_TEST(lines[0].ends_with(" GMT; HttpOnly; Path=/"));
    BOOST_TEST(lines[1].starts_with("session=\"2|1:0|"));
    BOOST_TEST(lines[1].find("|7:session|4:cw==|") != std::string::npos);
    BOOST_TEST(lines[1].ends_with("\"; Path=/"));  // a session cookie: no expiry
    const std::string value = cookie_value(set, "user");
    BOOST_TEST(*web::decode_signed_value("secret", "user", value) == "ada");
    BOOST_TEST(get_with_cookie("user=" + value).body == "ada;key=0");
}

BOOST_FIXTURE_TEST_CASE(forged_or_misnamed_cookies_read_as_missing, SignedFixture) {
    testing::ExpectLog expected{log::gen_log, "^Invalid cookie signature"};
    const std::string other_name = web::create_signed_value("secret", "admin", "ada");
    const std::string other_secret = web::create_signed_value("not the secret", "user", "ada");
    for (const auto& value : {other_name, other_secret, std::string("forged")}) {
        const auto response = get_with_cookie("user=\"" + value + "\"");
        BOOST_TEST(response.code == 200);
        BOOST_TEST(response.body.starts_with("<none>;"));
    }
}

BOOST_FIXTURE_TEST_CASE(version_1_cookies_on_request, SignedFixture) {
    const auto set = post("/signed?user=bob&version=1");
    const std::string value = cookie_value(set, "user");
    BOOST_TEST(value.find('|') == 4u);  // "Ym9i" base64, then the timestamp: no version prefix
    BOOST_TEST(get_with_cookie("user=" + value).body == "bob;key=-");
}

BOOST_FIXTURE_TEST_CASE(key_versions_sign_with_the_current_key_and_read_any_known_one,
                        KeyVersionFixture) {
    const auto set = post("/signed?user=eve");
    const std::string value = cookie_value(set, "user");
    BOOST_TEST(value.starts_with("2|1:7|"));
    BOOST_TEST(*web::decode_signed_value(secrets, "user", value) == "eve");
    const std::string old_key =
        web::create_signed_value(secrets, "user", "old", {.key_version = 0});
    BOOST_TEST(get_with_cookie("user=\"" + old_key + "\"").body == "old;key=0");
}

BOOST_FIXTURE_TEST_CASE(signed_cookies_without_a_secret_are_a_500, NoSecretFixture) {
    testing::ExpectLog expected{log::app_log, "^Uncaught exception GET /nosecret "};
    BOOST_TEST(fetch("/nosecret").code == 500);
}

BOOST_AUTO_TEST_SUITE_END()
