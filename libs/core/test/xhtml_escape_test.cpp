#include <typhoon/core/detail/xhtml_escape.hpp>

#include <typhoon/core/escape.hpp>

#include <boost/test/unit_test.hpp>

#include <string>

using namespace typhoon::escape;

namespace {

/// Tornado's xhtml_escape, one character at a time: what the block kernel must agree with.
std::string reference(std::string_view text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(xhtml_escape_test)

BOOST_AUTO_TEST_CASE(append_xhtml_escaped_appends_to_what_is_there) {
    std::string out = "<p>";
    detail::append_xhtml_escaped(out, "Tom & 'Jerry'");
    BOOST_TEST(out == "<p>Tom &amp; &#39;Jerry&#39;");
    detail::append_xhtml_escaped(out, "");
    BOOST_TEST(out == "<p>Tom &amp; &#39;Jerry&#39;");
}

BOOST_AUTO_TEST_CASE(every_length_and_position_escapes_as_tornado_does) {
    // The kernel copies blocks of 16, 8 and 4 bytes: a special character at each place of texts
    // around those sizes checks every path through it.
    for (std::size_t size = 0; size <= 40; ++size) {
        for (std::size_t at = 0; at <= size; ++at) {
            for (const char special : std::string_view("&<>\"'x")) {
                std::string text(size, 'a');
                if (at < size) text[at] = special;
                const std::string expected = reference(text);
                std::string out;
                detail::append_xhtml_escaped(out, text);
                BOOST_TEST_REQUIRE(out == expected, "size " << size << " at " << at);
                BOOST_TEST_REQUIRE(xhtml_escape(text) == expected);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(the_room_for_the_escaped_size_plus_16_is_enough) {
    const std::string text = "a<b>c&d\"e'f" + std::string(30, '&');
    const std::string expected = reference(text);
    std::string buffer(expected.size() + 16, '#');
    const char* end = detail::xhtml_escape_into(buffer.data(), text);
    BOOST_TEST(std::string_view(buffer.data(), end) == expected);
    BOOST_TEST(detail::xhtml_escape_room(text.size()) >= expected.size() + 16);
}

BOOST_AUTO_TEST_SUITE_END()
