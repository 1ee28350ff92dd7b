#include <typhoon/http/headers.hpp>

#include <typhoon/http/http_input_error.hpp>

#include <boost/test/unit_test.hpp>

#include "linear_time.hpp"

// Expected values were produced by Debian's python3-tornado 6.2 on the same inputs.
using typhoon::httputil::HTTPHeaders;
using typhoon::httputil::HTTPInputError;
using Pairs = std::vector<std::pair<std::string_view, std::string_view>>;

BOOST_AUTO_TEST_SUITE(headers_test)

BOOST_AUTO_TEST_CASE(lookup_ignores_case) {
    HTTPHeaders h;
    h.add("content-type", "text/plain");
    BOOST_TEST(*h.get("CONTENT-TYPE") == "text/plain");
    BOOST_TEST(h.contains("Content-type"));
    BOOST_TEST(!h.get("Content-Length"));
    BOOST_TEST(h.get("Content-Length", "0") == "0");
}

BOOST_AUTO_TEST_CASE(names_are_stored_in_http_header_case) {
    BOOST_TEST(HTTPHeaders::normalize_name("coNtent-TYPE") == "Content-Type");
    BOOST_TEST(HTTPHeaders::normalize_name("WWW-authenticate") == "Www-Authenticate");
    BOOST_TEST(HTTPHeaders::normalize_name("--x") == "--X");
    BOOST_TEST(HTTPHeaders::normalize_name("x--y") == "X--Y");
    BOOST_TEST(HTTPHeaders::normalize_name("a1-b2") == "A1-B2");
}

BOOST_AUTO_TEST_CASE(get_joins_repeated_values_and_get_list_keeps_them_apart) {
    HTTPHeaders h;
    h.add("Set-Cookie", "a=1");
    h.add("set-cookie", "b=2");
    BOOST_TEST(*h.get("Set-Cookie") == "a=1,b=2");
    const std::vector<std::string_view> expected{"a=1", "b=2"};
    BOOST_TEST(h.get_list("Set-Cookie") == expected, boost::test_tools::per_element());
    BOOST_TEST(h.get_list("Missing").empty());
}

BOOST_AUTO_TEST_CASE(get_all_groups_values_by_first_appearance_of_the_name) {
    HTTPHeaders h;
    h.add("content-TYPE", "text/html");
    h.add("Set-Cookie", "a=1");
    h.add("x-api-KEY", "k");
    h.add("SET-COOKIE", "b=2");
    const Pairs expected{{"Content-Type", "text/html"},
                         {"Set-Cookie", "a=1"},
                         {"Set-Cookie", "b=2"},
                         {"X-Api-Key", "k"}};
    BOOST_TEST((h.get_all() == expected));
    BOOST_TEST(h.size() == 3u);
    BOOST_TEST(h.str() ==
               "Content-Type: text/html\nSet-Cookie: a=1\nSet-Cookie: b=2\nX-Api-Key: k\n");
}

BOOST_AUTO_TEST_CASE(set_replaces_every_value_and_remove_drops_them) {
    HTTPHeaders h;
    h.add("A", "1");
    h.add("B", "x");
    h.add("a", "2");
    h.set("A", "3");
    BOOST_TEST((h.get_all() == Pairs{{"A", "3"}, {"B", "x"}}));
    BOOST_TEST(h.remove("b"));
    BOOST_TEST(!h.remove("b"));
    BOOST_TEST(h.size() == 1u);
}

BOOST_AUTO_TEST_CASE(set_keeps_the_place_of_the_name_and_later_fields_stay_intact) {
    HTTPHeaders h;
    h.add("Content-Type", "text/html; charset=UTF-8");
    h.add("Date", "Wed, 02 Dec 2026 05:10:43 GMT");
    h.add("Etag", "\"abc\"");
    h.set("content-type", "application/json; charset=UTF-8");  // longer: later fields move
    h.set("Etag", "\"d\"");                                    // shorter
    BOOST_TEST((h.get_all() == Pairs{{"Content-Type", "application/json; charset=UTF-8"},
                                     {"Date", "Wed, 02 Dec 2026 05:10:43 GMT"},
                                     {"Etag", "\"d\""}}));
    h.remove("DATE");
    h.add("Content-Length", "12");
    BOOST_TEST(*h.get("Etag") == "\"d\"");
    BOOST_TEST(*h.get("Content-Length") == "12");
    BOOST_TEST(h.wire_lines().value() ==
               "Content-Type: application/json; charset=UTF-8\r\nEtag: \"d\"\r\n"
               "Content-Length: 12\r\n");
}

BOOST_AUTO_TEST_CASE(wire_lines_refuse_what_cannot_go_out_verbatim) {
    HTTPHeaders grouped;
    grouped.add("Set-Cookie", "a=1");
    grouped.add("Set-Cookie", "b=2");
    grouped.add("Server", "x");
    BOOST_TEST(grouped.wire_lines().value() ==
               "Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nServer: x\r\n");

    HTTPHeaders scattered;  // a name back after another: only for_each() gives Tornado's order
    scattered.add("Set-Cookie", "a=1");
    scattered.add("Server", "x");
    scattered.add("Set-Cookie", "b=2");
    BOOST_TEST(!scattered.wire_lines());

    HTTPHeaders injected;
    injected.add("X-A", "1\r\nX-Evil: 1");
    BOOST_TEST(!injected.wire_lines());
    HTTPHeaders bad_name;
    bad_name.add("X:A", "1");
    BOOST_TEST(!bad_name.wire_lines());
    HTTPHeaders empty;
    BOOST_TEST(empty.wire_lines().value().empty());
}

BOOST_AUTO_TEST_CASE(an_empty_name_is_a_name_like_any_other) {
    auto h = HTTPHeaders::parse(":empty\r\nA: 1\r\n");
    BOOST_TEST(*h.get("") == "empty");
    BOOST_TEST(*h.get("a") == "1");
    BOOST_TEST(h.remove(""));
    BOOST_TEST(!h.contains(""));
}

BOOST_AUTO_TEST_CASE(copies_are_independent) {
    HTTPHeaders original;
    original.add("Server", "TornadoServer/6.2");
    HTTPHeaders copy = original;
    copy.set("Server", "other");
    copy.add("X", "1");
    BOOST_TEST(*original.get("Server") == "TornadoServer/6.2");
    BOOST_TEST(!original.contains("X"));
    BOOST_TEST(*copy.get("Server") == "other");
}

BOOST_AUTO_TEST_CASE(parse_reads_folded_lines_and_strips_values) {
    const auto h = HTTPHeaders::parse(
        "Foo: bar\r\n baz\r\nAsdf: qwer\r\n\tzxcv\r\nFoo: even\r\n     more\r\n   lines\r\n");
    BOOST_TEST((h.get_all() ==
                Pairs{{"Foo", "bar baz"}, {"Foo", "even more lines"}, {"Asdf", "qwer zxcv"}}));
    const auto spaced = HTTPHeaders::parse("A:  spaced value  \nB:\n");
    BOOST_TEST(*spaced.get("a") == "spaced value");
    BOOST_TEST(*spaced.get("b") == "");
}

// RFC 9112 §5.2: a fold is one space, so a folded field reads as the same field on one line.
BOOST_AUTO_TEST_CASE(a_folded_field_reads_as_it_would_on_one_line) {
    const auto h = HTTPHeaders::parse("Empty:\r\n first\r\nTrailing: a \r\n b \t\r\n \r\n");
    BOOST_TEST(*h.get("Empty") == "first");
    BOOST_TEST(*h.get("Trailing") == "a b");
    BOOST_TEST(HTTPHeaders::parse(std::string(*h.wire_lines())).get_all() == h.get_all());
}

BOOST_AUTO_TEST_CASE(parse_rejects_a_line_without_colon) {
    BOOST_CHECK_THROW(HTTPHeaders::parse("Host example.com\r\n"), HTTPInputError);
    BOOST_CHECK_EXCEPTION(
        HTTPHeaders::parse("no colon\r\n"), HTTPInputError,
        [](const HTTPInputError& e) { return std::string(e.what()) == "no colon in header line"; });
}

BOOST_AUTO_TEST_CASE(parse_rejects_a_continuation_with_nothing_to_continue) {
    BOOST_CHECK_EXCEPTION(
        HTTPHeaders::parse(" leading: ws\r\n"), HTTPInputError, [](const HTTPInputError& e) {
            return std::string(e.what()) == "first header line cannot start with whitespace";
        });
}

namespace {

/// `line` repeated up to about `size` bytes, each `{}` in it replaced by the line's number.
std::string lines(std::string_view line, std::size_t size) {
    std::string out;
    for (std::size_t i = 0; out.size() < size; ++i) {
        std::string numbered(line);
        for (auto at = numbered.find("{}"); at != std::string::npos; at = numbered.find("{}"))
            numbered.replace(at, 2, std::to_string(i));
        out += numbered;
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(many_repeats_of_one_header_take_linear_time) {
    // 64 KiB of "X-Repeated: v" is over 4,000 fields of one name: joining, listing, counting,
    // writing and dropping them must not compare or move each against all the others.
    http_test::check_linear_time([](std::size_t size) { return lines("X-Repeated: v\r\n", size); },
                                 [](const std::string& block) {
                                     HTTPHeaders h = HTTPHeaders::parse(block);
                                     BOOST_TEST(h.get("X-Repeated")->size() > 1000u);
                                     BOOST_TEST(h.get_all().size() > 1000u);
                                     BOOST_TEST(h.size() == 1u);
                                     BOOST_TEST(h.wire_lines().has_value());
                                     HTTPHeaders copy = h;
                                     copy.set("X-Repeated", "one");
                                     BOOST_TEST(copy.get_list("X-Repeated").size() == 1u);
                                     BOOST_TEST(h.remove("x-repeated"));
                                     BOOST_TEST(h.empty());
                                 });
}

BOOST_AUTO_TEST_CASE(many_names_interleaved_take_linear_time) {
    // Distinct names, and two names taking turns: grouping them for get_all() must not scan
    // every earlier field for each one.
    for (const std::string_view line : {"X-Name-{}: v\r\n", "X-A: {}\r\nX-B: {}\r\n"}) {
        BOOST_TEST_CONTEXT(line) {
            http_test::check_linear_time([&](std::size_t size) { return lines(line, size); },
                                         [](const std::string& block) {
                                             const HTTPHeaders h = HTTPHeaders::parse(block);
                                             BOOST_TEST(h.get_all().size() > 1000u);
                                             BOOST_TEST(h.size() >= 2u);
                                             BOOST_TEST(h.str().size() > block.size() / 2);
                                             (void)h.wire_lines();
                                         });
        }
    }
}

BOOST_AUTO_TEST_CASE(dropping_a_name_repeated_among_others_takes_linear_time) {
    // set() and remove() of a name whose fields alternate with another's (a client strips
    // Content-Encoding from such a response): no moving the rest of the block per field.
    http_test::check_linear_time(
        [](std::size_t size) { return lines("Content-Encoding: x\r\nX-B: {}\r\n", size); },
        [](const std::string& block) {
            HTTPHeaders h = HTTPHeaders::parse(block);
            HTTPHeaders copy = h;
            BOOST_TEST(h.remove("Content-Encoding"));
            BOOST_TEST(!h.contains("Content-Encoding"));
            BOOST_TEST(h.get_list("X-B").size() > 500u);
            BOOST_TEST(h.get_list("X-B").back() == copy.get_list("X-B").back());
            copy.set("Content-Encoding", "gzip");
            BOOST_TEST(copy.get_list("Content-Encoding").size() == 1u);
            BOOST_TEST(*copy.get("Content-Encoding") == "gzip");
            BOOST_TEST(copy.get_all().front().first == "Content-Encoding");
            BOOST_TEST(copy.wire_lines().has_value());
        });
}

BOOST_AUTO_TEST_CASE(many_continuation_lines_take_linear_time) {
    http_test::check_linear_time(
        [](std::size_t size) { return "X-Folded: a\r\n" + lines(" b\r\n", size); },
        [](const std::string& block) {
            BOOST_TEST(HTTPHeaders::parse(block).get("X-Folded")->size() > 1000u);
        });
}

BOOST_AUTO_TEST_SUITE_END()
