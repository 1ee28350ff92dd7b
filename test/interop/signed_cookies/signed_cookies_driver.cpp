// Two modes for signed_cookies_interop.py.
//   signed_cookies_driver lines: reads one JSON request per line and answers each with one line:
//     {"fn": "create", "secret": "s" or {"7": "s"}, "name", "value_hex", "version", "key_version",
//      "clock"}                                  -> {"result": "<signed value>"}
//     {"fn": "decode", "secret", "name", "value", "clock", "max_age_days", "min_version"}
//                                                -> {"result_hex": "<hex>" or null}
//     {"fn": "key_version", "value"}             -> {"result": n or null}
//   signed_cookies_driver serve XSRF_VERSION SECRET: serves an application on a free port, prints
//     the port, and runs until killed. GET /xsrf answers xsrf_token() (setting the cookie), POST
//     /xsrf answers "ok" when the XSRF check passes; GET /signed?name=N&value=V sets a signed
//     cookie, GET /read?name=N answers the signed cookie's value or "<none>".
#include <typhoon/web.hpp>

#include <typhoon/core/log.hpp>
#include <typhoon/ioloop/ioloop.hpp>

#include <boost/json.hpp>

#include <iostream>
#include <string>

namespace {

namespace bj = boost::json;
namespace web = typhoon::web;
using boost::asio::awaitable;

std::string hex_encode(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (const char ch : bytes) {
        out += digits[static_cast<unsigned char>(ch) >> 4];
        out += digits[static_cast<unsigned char>(ch) & 15];
    }
    return out;
}

std::string hex_decode(std::string_view hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
    return out;
}

std::optional<int> optional_int(const bj::object& request, std::string_view key) {
    const auto* value = request.if_contains(key);
    if (!value || value->is_null()) return std::nullopt;
    return static_cast<int>(value->to_number<std::int64_t>());
}

web::SignedValueClock clock_of(const bj::object& request) {
    const double now = request.at("clock").to_number<double>();
    return [now] { return now; };
}

bj::value answer(const bj::object& request) {
    const std::string fn(request.at("fn").as_string());
    if (fn == "key_version") {
        const auto version = web::get_signature_key_version(request.at("value").as_string());
        return bj::object{{"result", version ? bj::value(*version) : bj::value(nullptr)}};
    }
    const auto& secret = request.at("secret");
    std::map<int, std::string> secrets;
    if (secret.is_object())
        for (const auto& [key, value] : secret.as_object())
            secrets.emplace(std::stoi(std::string(key)), std::string(value.as_string()));
    const std::string name(request.at("name").as_string());
    if (fn == "create") {
        const std::string value = hex_decode(request.at("value_hex").as_string());
        const web::SignOptions options{.version = optional_int(request, "version"),
                                       .key_version = optional_int(request, "key_version"),
                                       .clock = clock_of(request)};
        return bj::object{
            {"result", secret.is_object()
                           ? web::create_signed_value(secrets, name, value, options)
                           : web::create_signed_value(secret.as_string(), name, value, options)}};
    }
    if (fn == "decode") {
        const std::string value(request.at("value").as_string());
        const web::DecodeOptions options{
            .max_age_days = request.at("max_age_days").to_number<double>(),
            .min_version = optional_int(request, "min_version"),
            .clock = clock_of(request)};
        const auto decoded =
            secret.is_object() ? web::decode_signed_value(secrets, name, value, options)
                               : web::decode_signed_value(secret.as_string(), name, value, options);
        return bj::object{{"result_hex", decoded ? bj::value(hex_encode(*decoded)) : nullptr}};
    }
    throw std::invalid_argument("unknown fn " + fn);
}

int run_lines() {
    // The signed-value functions warn on gen_log for every refused value; the script compares
    // results, not logs.
    typhoon::log::gen_log.set_level(typhoon::log::Level::error);
    std::string line;
    while (std::getline(std::cin, line)) {
        bj::value reply;
        try {
            reply = answer(bj::parse(line).as_object());
        } catch (const std::exception& e) {
            reply = bj::object{{"error", e.what()}};
        }
        std::cout << bj::serialize(reply) << '\n' << std::flush;
    }
    return 0;
}

class XsrfHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        write(xsrf_token());
        co_return;
    }
    awaitable<void> post() override {
        write("ok");
        co_return;
    }
};

class SignedHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        set_signed_cookie(get_argument("name"), get_argument("value"));
        co_return;
    }
};

class ReadHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        write(get_signed_cookie(get_argument("name")).value_or("<none>"));
        co_return;
    }
};

int run_server(int xsrf_version, std::string secret) {
    typhoon::log::set_root_level(typhoon::log::Level::error);  // the script checks the answers
    typhoon::ioloop::IOLoop loop;
    web::Application app({web::url<XsrfHandler>("/xsrf"), web::url<SignedHandler>("/signed"),
                          web::url<ReadHandler>("/read")},
                         {.cookie_secret = std::move(secret),
                          .xsrf_cookies = true,
                          .xsrf_cookie_version = xsrf_version});
    const auto port = app.listen(0, "127.0.0.1").ports().at(0);
    std::cout << port << std::endl;
    loop.start();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "lines";
    if (mode == "serve" && argc == 4) return run_server(std::stoi(argv[2]), argv[3]);
    if (mode == "lines") return run_lines();
    std::cerr << "usage: signed_cookies_driver lines | serve XSRF_VERSION SECRET\n";
    return 2;
}
