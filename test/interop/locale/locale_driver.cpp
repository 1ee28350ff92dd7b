// Reads one JSON request per line and answers each with one line, {"result": ...} or
// {"error": "..."}: loads translations, then translates and formats as asked. locale_interop.py
// sends the same requests to tornado.locale and compares.
#include <typhoon/core/json.hpp>
#include <typhoon/core/log.hpp>
#include <typhoon/locale.hpp>

#include <boost/json.hpp>

#include <chrono>
#include <iostream>
#include <string>
#include <vector>

namespace {

namespace bj = boost::json;
namespace locale = typhoon::locale;
using std::chrono::system_clock;

std::string text(const bj::object& request, std::string_view key) {
    return std::string(request.at(key).as_string());
}

system_clock::time_point instant(const bj::value& micros) {
    return system_clock::time_point(std::chrono::microseconds(micros.to_number<std::int64_t>()));
}

bj::value call(const bj::object& request) {
    const std::string op = text(request, "op");
    if (op == "load_csv") {
        const auto* encoding = request.if_contains("encoding");
        locale::load_translations(
            text(request, "dir"),
            {.encoding = encoding ? std::string(encoding->as_string()) : std::string()});
        return nullptr;
    }
    if (op == "load_gettext") {
        locale::load_gettext_translations(text(request, "dir"), text(request, "domain"));
        return nullptr;
    }
    if (op == "set_default") {
        locale::set_default_locale(text(request, "code"));
        return nullptr;
    }
    if (op == "supported") {
        bj::array codes;
        for (const auto& code : locale::get_supported_locales())
            codes.emplace_back(code);
        return codes;
    }
    if (op == "closest") {
        std::vector<std::string> codes;
        for (const auto& code : request.at("codes").as_array())
            codes.emplace_back(code.as_string());
        return bj::value(locale::Locale::get_closest(codes).code());
    }
    const locale::Locale locale = locale::Locale::get(text(request, "locale"));
    if (op == "info")
        return bj::array{bj::value(locale.code()), bj::value(locale.name()),
                         bj::value(locale.rtl())};
    if (op == "translate" || op == "pgettext") {
        const std::string message = text(request, "message");
        const bj::value& plural = request.at("plural");
        const bool with_context = op == "pgettext";
        const std::string context = with_context ? text(request, "context") : std::string();
        if (plural.is_null())
            return bj::value(with_context ? locale.pgettext(context, message)
                                          : locale.translate(message));
        const std::string plural_message(plural.as_string());
        const auto count = request.at("count").to_number<std::int64_t>();
        return bj::value(with_context ? locale.pgettext(context, message, plural_message, count)
                                      : locale.translate(message, plural_message, count));
    }
    if (op == "format_date") {
        return bj::value(locale.format_date(
            instant(request.at("date")),
            {.gmt_offset = std::chrono::minutes(request.at("gmt_offset").to_number<int>()),
             .relative = request.at("relative").as_bool(),
             .shorter = request.at("shorter").as_bool(),
             .full_format = request.at("full_format").as_bool(),
             .now = instant(request.at("now"))}));
    }
    if (op == "format_day") {
        return bj::value(locale.format_day(
            instant(request.at("date")),
            {.gmt_offset = std::chrono::minutes(request.at("gmt_offset").to_number<int>()),
             .dow = request.at("dow").as_bool()}));
    }
    if (op == "list") {
        std::vector<std::string> parts;
        for (const auto& part : request.at("parts").as_array())
            parts.emplace_back(part.as_string());
        return bj::value(locale.list(parts));
    }
    if (op == "friendly_number")
        return bj::value(locale.friendly_number(request.at("value").to_number<std::int64_t>()));
    throw std::invalid_argument("unknown op " + op);
}

}  // namespace

int main() {
    typhoon::log::clear_handlers();  // warnings would only clutter the comparison
    std::string line;
    while (std::getline(std::cin, line)) {
        bj::object answer;
        try {
            answer["result"] = call(typhoon::escape::json_decode(line).as_object());
        } catch (const std::exception& e) {
            answer["error"] = e.what();
        }
        std::cout << bj::serialize(answer) << '\n';
    }
}
