// tornado.escape and tornado.web's signed values on arbitrary bytes.
// - xhtml_unescape(xhtml_escape(s)) and url_unescape(url_escape(s)) give s back, in both plus
//   modes (UTF-8 decoding replaces what is not UTF-8, as Tornado's errors="replace" does);
//   squeeze() is idempotent.
// - json_decode either returns a value or throws JSONDecodeError at a position inside the input;
//   json_encode of what decoded decodes to text that encodes the same again.
// - decode_signed_value of the input, with one secret and with versioned secrets, v1 and v2, old
//   and young, returns a value or std::nullopt and never throws; create_signed_value of the input
//   (and of its first line as the name) decodes back to it in both versions and key versions.
// XSRF tokens are decoded only inside RequestHandler, so fuzz/xsrf.cpp reaches them through
// requests.

#include "check.hpp"

#include <typhoon/core/escape.hpp>
#include <typhoon/core/json.hpp>
#include <typhoon/core/log.hpp>
#include <typhoon/core/utf8.hpp>
#include <typhoon/web/signed_value.hpp>

#include <boost/json/value.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>

using namespace typhoon;

namespace {

using fuzz_support::check;

void escapes(std::string_view s) {
    using namespace typhoon::escape;
    const std::string valid = to_valid_utf8(s);
    check(xhtml_unescape(xhtml_escape(s)) == valid, "xhtml_unescape(xhtml_escape(s)) != s");
    for (const bool plus : {true, false}) {
        const std::string escaped = url_escape(s, {.plus = plus});
        for (const bool unescape_plus : {true, false}) {
            // url_escape writes '+' as %2B, so a '+' in its output is always its space.
            if (!plus || unescape_plus) {
                check(url_unescape(escaped, {.plus = unescape_plus, .decode_utf8 = false}) == s,
                      "url_unescape(url_escape(s)) != s");
                check(url_unescape(escaped, {.plus = unescape_plus}) == valid,
                      "url_unescape(url_escape(s)) decoded != s with replacements");
            }
        }
    }
    (void)url_unescape(s);
    (void)url_unescape(s, {.plus = false, .decode_utf8 = false});
    (void)xhtml_unescape(s);
    const std::string squeezed = squeeze(s);
    check(squeeze(squeezed) == squeezed, "squeeze is not idempotent");
}

void json(std::string_view s) {
    using namespace typhoon::escape;
    boost::json::value value;
    try {
        value = json_decode(s);
    } catch (const JSONDecodeError& e) {
        check(e.position() <= s.size(), "a JSONDecodeError points past the input");
        check(e.line() >= 1 && e.column() >= 1, "a JSONDecodeError's line or column is 0");
        return;
    }
    const std::string encoded = json_encode(value);
    // json_encode writes a number too large for a double (1e400) as Infinity, as Python does,
    // and json_decode cannot read that back yet (Boost.JSON 1.81 has no option for it).
    if (encoded.find("Infinity") != std::string::npos || encoded.find("NaN") != std::string::npos)
        return;
    boost::json::value again;
    try {
        again = json_decode(encoded);
    } catch (const JSONDecodeError&) {
        check(false, "json_decode refused what json_encode wrote");
    }
    check(json_encode(again) == encoded, "json_encode(json_decode(json_encode(v))) changed");
}

constexpr double signed_at = 1700000000;
web::SignedValueClock at(double days_later) {
    return [days_later] { return signed_at + days_later * 86400; };
}

void signed_values(std::string_view s) {
    static const std::map<int, std::string> secrets{{0, "zero"}, {7, "seven"}};
    const std::optional<int> key_version = web::get_signature_key_version(s);
    for (const double days : {0.0, 40.0, -1.0}) {
        for (const int min_version : {1, 2}) {
            const web::DecodeOptions options{.min_version = min_version, .clock = at(days)};
            const auto one = web::decode_signed_value("secret", "name", s, options);
            const auto many = web::decode_signed_value(secrets, "name", s, options);
            if (many) check(key_version.has_value(), "a versioned secret accepted no key version");
            if (one && min_version == 2)
                check(s.starts_with("2|"), "min_version 2 took a v1 value");
        }
    }

    const std::string_view name = s.substr(0, s.find('\n'));
    for (const std::string_view each_name : {std::string_view("name"), name}) {
        for (const int version : {1, 2}) {
            const std::string signed_value = web::create_signed_value(
                "secret", each_name, s, {.version = version, .clock = at(0)});
            const auto decoded =
                web::decode_signed_value("secret", each_name, signed_value, {.clock = at(0.5)});
            check(decoded == s, "decode_signed_value(create_signed_value(v)) != v");
            if (each_name != "other")
                check(
                    !web::decode_signed_value("secret", "other", signed_value, {.clock = at(0.5)}),
                    "a signed value decoded under another name");
        }
        const std::string versioned =
            web::create_signed_value(secrets, each_name, s, {.key_version = 7, .clock = at(0)});
        check(web::get_signature_key_version(versioned) == 7, "the key version was not written");
        check(web::decode_signed_value(secrets, each_name, versioned, {.clock = at(1)}) == s,
              "a value signed with key version 7 did not decode");
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    typhoon::log::clear_handlers();  // every refused signed value is a warning
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    escapes(input);
    json(input);
    signed_values(input);
    return 0;
}
