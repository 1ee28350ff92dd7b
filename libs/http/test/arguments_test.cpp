#include <typhoon/http/arguments.hpp>

#include <typhoon/http/headers.hpp>
#include <typhoon/http/http_input_error.hpp>

#include <boost/test/unit_test.hpp>

#include "linear_time.hpp"

// Expected values were produced by Debian's python3-tornado 6.2 on the same inputs.
using namespace typhoon::httputil;
using Values = std::vector<std::string>;

namespace {
bool message_is(const HTTPInputError& e, std::string_view expected) {
    BOOST_TEST_INFO("message: " << e.what());
    return std::string_view(e.what()) == expected;
}

const std::string form_body =
    "--1234\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHello\r\n"
    "--1234\r\nContent-Disposition: form-data; name=\"files\"; "
    "filename=\"ab.txt\"\r\nContent-Type: text/plain\r\n\r\n"
    "Foo\r\nbar\r\n"
    "--1234\r\nContent-Disposition: form-data; name=\"files\"; "
    "filename*=UTF-8''%E2%82%AC.bin\r\n\r\n" +
    std::string("\x00\xff", 2) + "\r\n--1234--\r\n";

void expect_multipart_error(std::string_view body, std::string_view message) {
    Arguments arguments;
    Files files;
    BOOST_CHECK_EXCEPTION(
        parse_body_arguments("multipart/form-data; boundary=1234", body, arguments, files),
        HTTPInputError, [&](const HTTPInputError& e) { return message_is(e, message); });
}
}  // namespace

BOOST_AUTO_TEST_SUITE(arguments_test)

BOOST_AUTO_TEST_CASE(parse_qs_bytes_collects_repeated_names) {
    const auto args = parse_qs_bytes("a=1&b=2&a=3");
    BOOST_TEST(args.at("a") == (Values{"1", "3"}), boost::test_tools::per_element());
    BOOST_TEST(args.at("b") == (Values{"2"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(parse_qs_bytes_drops_blank_values_unless_asked) {
    BOOST_TEST(parse_qs_bytes("a&b=&c=3").size() == 1u);
    const auto kept = parse_qs_bytes("a&b=&c=3", {.keep_blank_values = true});
    BOOST_TEST(kept.at("a") == Values{""}, boost::test_tools::per_element());
    BOOST_TEST(kept.at("b") == Values{""}, boost::test_tools::per_element());
    BOOST_TEST(kept.size() == 3u);
    const auto empty_name = parse_qs_bytes("=x&y", {.keep_blank_values = true});
    BOOST_TEST(empty_name.at("") == Values{"x"}, boost::test_tools::per_element());
    BOOST_TEST(parse_qs_bytes("&&a=1&&").size() == 1u);
    BOOST_TEST(parse_qs_bytes("").empty());
}

BOOST_AUTO_TEST_CASE(parse_qs_bytes_decodes_to_raw_bytes) {
    const auto args = parse_qs_bytes("a+b=c+d&e=%41%zz&f=%C3%A9&g=%FF");
    BOOST_TEST(args.at("a b") == Values{"c d"}, boost::test_tools::per_element());
    BOOST_TEST(args.at("e") == Values{"A%zz"}, boost::test_tools::per_element());
    BOOST_TEST(args.at("f") == Values{"é"}, boost::test_tools::per_element());
    BOOST_TEST(args.at("g") == Values{"\xFF"},
               boost::test_tools::per_element());  // not replaced: bytes
}

BOOST_AUTO_TEST_CASE(parse_qs_bytes_strict_parsing_rejects_fields_without_equals) {
    BOOST_CHECK_EXCEPTION(
        parse_qs_bytes("a&b=1", {.strict_parsing = true}), HTTPInputError,
        [](const HTTPInputError& e) { return message_is(e, "bad query field: 'a'"); });
}

BOOST_AUTO_TEST_CASE(urlencoded_body_keeps_blank_values) {
    Arguments arguments{{"a", {"0"}}};
    Files files;
    parse_body_arguments("application/x-www-form-urlencoded", "a=1&b=&c&a=%41", arguments, files);
    BOOST_TEST(arguments.at("a") == (Values{"0", "1", "A"}), boost::test_tools::per_element());
    BOOST_TEST(arguments.at("b") == Values{""}, boost::test_tools::per_element());
    BOOST_TEST(arguments.at("c") == Values{""}, boost::test_tools::per_element());
    BOOST_TEST(files.empty());
}

BOOST_AUTO_TEST_CASE(compressed_form_bodies_are_refused) {
    HTTPHeaders headers;
    headers.add("Content-Encoding", "gzip");
    Arguments arguments;
    Files files;
    BOOST_CHECK_EXCEPTION(parse_body_arguments("application/x-www-form-urlencoded; charset=utf-8",
                                               "x=1", arguments, files, &headers),
                          HTTPInputError, [](const HTTPInputError& e) {
                              return message_is(e, "Unsupported Content-Encoding: gzip");
                          });
}

BOOST_AUTO_TEST_CASE(other_content_types_add_nothing) {
    Arguments arguments;
    Files files;
    parse_body_arguments("text/plain", "a=1", arguments, files);
    BOOST_TEST(arguments.empty());
}

BOOST_AUTO_TEST_CASE(multipart_body_gives_arguments_and_files) {
    for (const char* content_type :
         {"multipart/form-data; boundary=1234", "multipart/form-data; boundary=\"1234\"",
          "multipart/form-data; charset=utf-8; boundary=1234"}) {
        BOOST_TEST_CONTEXT(content_type) {
            Arguments arguments;
            Files files;
            parse_body_arguments(content_type, form_body, arguments, files);
            BOOST_TEST(arguments.at("title") == Values{"Hello"}, boost::test_tools::per_element());
            const auto& uploaded = files.at("files");
            BOOST_TEST_REQUIRE(uploaded.size() == 2u);
            BOOST_TEST(uploaded[0].filename == "ab.txt");
            BOOST_TEST(uploaded[0].body == "Foo\r\nbar");
            BOOST_TEST(uploaded[0].content_type == "text/plain");
            BOOST_TEST(uploaded[1].filename == "€.bin");  // RFC 2231 filename*, decoded
            BOOST_TEST(uploaded[1].body == std::string("\x00\xff", 2));
            BOOST_TEST(uploaded[1].content_type == "application/unknown");
        }
    }
}

BOOST_AUTO_TEST_CASE(an_empty_part_value_is_kept) {
    Arguments arguments;
    Files files;
    parse_multipart_form_data(
        "1234", "--1234\r\nContent-Disposition: form-data; name=\"e\"\r\n\r\n\r\n--1234--",
        arguments, files);
    BOOST_TEST(arguments.at("e") == Values{""}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(malformed_multipart_bodies_name_what_is_wrong) {
    Arguments arguments;
    Files files;
    BOOST_CHECK_EXCEPTION(parse_body_arguments("multipart/form-data", form_body, arguments, files),
                          HTTPInputError, [](const HTTPInputError& e) {
                              return message_is(
                                  e, "Invalid multipart/form-data: multipart boundary not found");
                          });
    std::string truncated = form_body;
    truncated.replace(truncated.find("--1234--"), 8, "--12");
    expect_multipart_error(
        truncated,
        "Invalid multipart/form-data: Invalid multipart/form-data: no final boundary found");
    expect_multipart_error(
        "--1234\r\nContent-Disposition: form-data; name=\"a\"\r\nValue\r\n--1234--",
        "Invalid multipart/form-data: multipart/form-data missing headers");
    expect_multipart_error(
        "--1234\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--1234--",
        "Invalid multipart/form-data: Invalid multipart/form-data");
    expect_multipart_error(
        "--1234\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nv\r\n--1234--",
        "Invalid multipart/form-data: multipart/form-data missing name");
    expect_multipart_error("--1234\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv--1234--",
                           "Invalid multipart/form-data: Invalid multipart/form-data");
}

namespace {

/// A multipart body of `count` parts named a0, a1, ... with boundary "b".
std::string parts_body(std::size_t count, std::string_view extra_header = "") {
    std::string body;
    for (std::size_t i = 0; i < count; ++i)
        body += "--b\r\nContent-Disposition: form-data; name=\"a" + std::to_string(i) + "\"" +
                std::string(extra_header) + "\r\n\r\nv\r\n";
    return body + "--b--\r\n";
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_body_of_more_than_100_parts_is_refused) {
    Arguments arguments;
    Files files;
    parse_body_arguments("multipart/form-data; boundary=b", parts_body(100), arguments, files);
    BOOST_TEST(arguments.size() == 100u);
    BOOST_TEST(default_max_multipart_parts == 100u);
    BOOST_CHECK_EXCEPTION(
        parse_body_arguments("multipart/form-data; boundary=b", parts_body(101), arguments, files),
        HTTPInputError, [](const HTTPInputError& e) {
            return message_is(
                e, "Invalid multipart/form-data: multipart/form-data has too many parts");
        });
    // The limit is the caller's to choose.
    Arguments more;
    parse_multipart_form_data("b", parts_body(500), more, files, {.max_parts = 500});
    BOOST_TEST(more.size() == 500u);
    BOOST_CHECK_THROW(parse_multipart_form_data("b", parts_body(3), more, files, {.max_parts = 2}),
                      HTTPInputError);
}

BOOST_AUTO_TEST_CASE(a_part_header_block_over_10_kib_is_refused) {
    Arguments arguments;
    Files files;
    // A header block of exactly `size` bytes: the disposition line, then an X-Pad line.
    const auto padded = [](std::size_t size) {
        const std::string disposition = "Content-Disposition: form-data; name=\"a\"\r\nX-Pad: ";
        return "--b\r\n" + disposition + std::string(size - disposition.size(), 'p') +
               "\r\n\r\nv\r\n--b--";
    };
    parse_multipart_form_data("b", padded(10 * 1024), arguments, files);
    BOOST_TEST(arguments.size() == 1u);
    BOOST_CHECK_EXCEPTION(parse_multipart_form_data("b", padded(10 * 1024 + 1), arguments, files),
                          HTTPInputError, [](const HTTPInputError& e) {
                              return message_is(e, "multipart/form-data part header too large");
                          });
}

BOOST_AUTO_TEST_CASE(a_bare_cr_in_part_headers_is_refused) {
    for (const std::string_view header :
         {"Content-Disposition: form-data; name=\"a\"\rX-Injected: 1",
          "Content-Disposition: form-data;\r name=\"a\"",
          "Content-Disposition: form-data; name=\"a\"\r",
          "X-Other: \r\r\nContent-Disposition: form-data; name=\"a\""}) {
        BOOST_TEST_CONTEXT(header) {
            expect_multipart_error("--1234\r\n" + std::string(header) + "\r\n\r\nv\r\n--1234--",
                                   "Invalid multipart/form-data: bare CR in header line");
        }
    }
    // A bare LF still ends a line, as in Tornado (RFC 9112 §2.2 lets a recipient accept it).
    Arguments arguments;
    Files files;
    parse_multipart_form_data(
        "b", "--b\r\nX-Other: 1\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--b--",
        arguments, files);
    BOOST_TEST(arguments.at("a") == Values{"v"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(quoted_semicolons_and_rfc2231_parameters) {
    const auto parse_disposition = [](std::string disposition) {
        Arguments arguments;
        Files files;
        parse_multipart_form_data(
            "b", "--b\r\nContent-Disposition: " + disposition + "\r\n\r\nv\r\n--b--", arguments,
            files);
        return files.empty()
                   ? std::pair{arguments.begin()->first, std::string()}
                   : std::pair{files.begin()->first, files.begin()->second.front().filename};
    };
    BOOST_TEST((parse_disposition("form-data; name=\"a;b\"; filename=\"x.txt\"") ==
                std::pair<std::string, std::string>{"a;b", "x.txt"}));
    BOOST_TEST(parse_disposition("form-data; name=files; filename*=UTF-8''%E2%82%AC%20rates.txt; "
                                 "filename=\"fallback.txt\"")
                   .second == "€ rates.txt");
    BOOST_TEST(
        parse_disposition("form-data; name=f; filename*0=\"a\"; filename*1=\"b.txt\"").second ==
        "ab.txt");
    BOOST_TEST(parse_disposition("form-data; name=f; filename*=latin-1''%E9t%E9").second == "été");
    BOOST_TEST(parse_disposition("form-data; name=f; filename*=nosuch''%41%22").second == "A\"");
    BOOST_TEST(parse_disposition("form-data; name=<angle>; x").first == "angle");
}

BOOST_AUTO_TEST_CASE(many_quotes_and_semicolons_parse_in_linear_time) {
    // Python's cgi parser went quadratic on this shape; a Content-Disposition is attacker input.
    const std::string disposition =
        "form-data; name=\"a\"; filename=\"" + std::string(200000, ';') + "\"";
    Arguments arguments;
    Files files;
    // Over the default part header limit, which a caller may raise: the parser must cope.
    parse_multipart_form_data("b",
                              "--b\r\nContent-Disposition: " + disposition + "\r\n\r\nv\r\n--b--",
                              arguments, files, {.max_part_header_size = 1 << 20});
    BOOST_TEST(files.at("a").front().filename.size() == 200000u);
}

BOOST_AUTO_TEST_CASE(many_disposition_parameters_parse_in_linear_time) {
    // 64 KiB of parameters in one part's Content-Disposition: plain ones, RFC 2231 ones of as
    // many names, continuations of one name, and quotes with escapes between semicolons.
    const auto params = [](std::string_view param, std::size_t size) {
        std::string out = "form-data; name=\"a\"";
        for (std::size_t i = 0; out.size() < size; ++i) {
            std::string numbered(param);
            for (auto at = numbered.find("{}"); at != std::string::npos; at = numbered.find("{}"))
                numbered.replace(at, 2, std::to_string(i));
            out += numbered;
        }
        return out;
    };
    for (const std::string_view param :
         {"; p{}=v", "; p{}*=UTF-8''%41", "; p{}*0=a; p{}*1=b", "; filename*{}=x", "; q=\"\\\";\"",
          "; \"", "; x=\"\\\\\""}) {
        BOOST_TEST_CONTEXT(param) {
            http_test::check_linear_time(
                [&](std::size_t size) {
                    return "--b\r\nContent-Disposition: " + params(param, size) +
                           "\r\n\r\nv\r\n--b--";
                },
                [](const std::string& body) {
                    Arguments arguments;
                    Files files;
                    // Over the default part header limit, which a caller may raise.
                    parse_multipart_form_data("b", body, arguments, files,
                                              {.max_part_header_size = 1 << 20});
                    BOOST_TEST(arguments.size() + files.size() == 1u);
                });
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
