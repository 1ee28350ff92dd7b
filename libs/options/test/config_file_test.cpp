#include <typhoon/options/option_parser.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cmath>

using namespace typhoon::options;
using namespace std::chrono_literals;

namespace {
struct Parser : OptionParser {
    Option<int> port = define("port", 8000);
    Option<std::string> host = define<std::string>("host");
    Option<double> ratio = define("ratio", 0.5);
    Option<bool> debug = define("debug", false);
    Option<std::vector<int>> ports = define<std::vector<int>>("ports");
    Option<std::vector<std::string>> names = define<std::vector<std::string>>("names");
    Option<std::chrono::microseconds> timeout = define<std::chrono::microseconds>("timeout");

    void parse(std::string_view text) { parse_config_text(text, "app.conf"); }
};

std::function<bool(const Error&)> says(std::string expected) {
    return [expected](const Error& e) {
        BOOST_TEST_INFO("message: " << e.what());
        return e.what() == expected;
    };
}
}  // namespace

// Values and Tornado's own messages are those tornado.options 6.2 gives for the same file.
BOOST_AUTO_TEST_SUITE(config_file_test)

BOOST_AUTO_TEST_CASE(reads_a_tornado_config_file) {
    OptionParser parser;
    auto port = parser.define("port", 8000);
    auto mysql_host = parser.define<std::string>("mysql_host");
    auto memcache_hosts = parser.define<std::vector<std::string>>("memcache_hosts");
    auto debug = parser.define("debug", true);
    auto max_size = parser.define("log_file_max_size", 1);
    parser.parse_config_file(TYPHOON_TEST_DIR "/data/server.conf");
    BOOST_TEST(*port == 80);
    BOOST_TEST(*mysql_host == "mydb.example.com:3306");
    BOOST_TEST((*memcache_hosts ==
                std::vector<std::string>{"cache1.example.com:11011", "cache2.example.com:11011"}));
    BOOST_TEST(!*debug);
    BOOST_TEST(*max_size == 100'000'000);
}

BOOST_AUTO_TEST_CASE(strings_take_both_quotes_and_pythons_escapes) {
    Parser p;
    p.parse(R"(host = "it's")");
    BOOST_TEST(*p.host == "it's");
    p.parse(R"(host = 'tab\there\n\x41\101\u00e9\\ \q')");
    BOOST_TEST(*p.host == "tab\there\nAA\xc3\xa9\\ \\q");  // an unknown escape keeps its backslash
    p.parse(R"(host = r'\d+' "x" 'y')");  // raw strings, and adjacent literals joined
    BOOST_TEST(*p.host == "\\d+xy");
    p.parse("host = '''two\nlines'''");
    BOOST_TEST(*p.host == "two\nlines");
}

BOOST_AUTO_TEST_CASE(numbers_booleans_none_and_lists) {
    Parser p;
    p.parse(
        "port = 0x1F\nratio = 1_0.5e1\ndebug = True\nports = [1, 2, 3,]\nnames = ['a', "
        "\"b\"]\nhost = None\n");
    BOOST_TEST(*p.port == 31);
    BOOST_TEST(*p.ratio == 105.0);
    BOOST_TEST(*p.debug);
    BOOST_TEST((*p.ports == std::vector{1, 2, 3}));
    BOOST_TEST((*p.names == std::vector<std::string>{"a", "b"}));
    BOOST_TEST(!p.host.has_value());
    p.parse("port = True");  // Python's bool is an int: True is 1
    BOOST_TEST(*p.port == 1);
}

BOOST_AUTO_TEST_CASE(strings_for_other_types_are_parsed_as_on_the_command_line) {
    Parser p;
    p.parse("port = '81'\nports = '1:3,7'\ntimeout = '1h 30m'\ndebug = 'false'\n");
    BOOST_TEST(*p.port == 81);
    BOOST_TEST((*p.ports == std::vector{1, 2, 3, 7}));
    BOOST_TEST(p.timeout->count() == std::chrono::microseconds(90min).count());
    BOOST_TEST(!*p.debug);
}

BOOST_AUTO_TEST_CASE(comments_blank_lines_arithmetic_and_earlier_names) {
    Parser p;
    p.parse(
        "# comment\n\n   \nbase = 8000  # not an option\nport = base + 80\n"
        "host = 'h' + \"ost\"; ratio = 3 / 4\nnames = ['x'] * 2\n");
    BOOST_TEST(*p.port == 8080);
    BOOST_TEST(*p.host == "host");
    BOOST_TEST(*p.ratio == 0.75);
    BOOST_TEST((*p.names == std::vector<std::string>{"x", "x"}));
}

BOOST_AUTO_TEST_CASE(file_is_the_absolute_path_of_the_config) {
    Parser p;
    p.parse_config_text("host = __file__", "/etc/app/../app/server.conf");
    BOOST_TEST(*p.host == "/etc/app/server.conf");
}

BOOST_AUTO_TEST_CASE(the_last_assignment_wins_and_names_are_dash_insensitive) {
    OptionParser parser;
    auto prefix = parser.define<std::string>("log-file-prefix");
    parser.parse_config_text("log_file_prefix = 'a'\nlog_file_prefix = 'b'\n", "x.conf");
    BOOST_TEST(*prefix == "b");
}

BOOST_AUTO_TEST_CASE(type_mismatches_use_tornados_messages_with_file_and_line) {
    Parser p;
    BOOST_CHECK_EXCEPTION(
        p.parse("port = 1\nratio = 1\n"), Error,
        says("app.conf:2: Option 'ratio' is required to be a float (<class 'int'> given)"));
    BOOST_CHECK_EXCEPTION(
        p.parse("debug = 1"), Error,
        says("app.conf:1: Option 'debug' is required to be a bool (<class 'int'> given)"));
    BOOST_CHECK_EXCEPTION(
        p.parse("ports = (1, 2)"), Error,
        says("app.conf:1: Option 'ports' is required to be a list of int or a comma-separated "
             "string"));
    BOOST_CHECK_EXCEPTION(p.parse("ports = [1, 'a']"), Error,
                          says("app.conf:1: Option 'ports' is required to be a list of int"));
    // Tornado quirk kept: a string is not a list for a multiple str option.
    BOOST_CHECK_EXCEPTION(p.parse("names = 'a,b'"), Error,
                          says("app.conf:1: Option 'names' is required to be a list of str"));
    BOOST_CHECK_EXCEPTION(
        p.parse("\nport = 'x'"), Error,
        says("app.conf:2: Invalid value 'x' for option 'port': expected an integer"));
}

BOOST_AUTO_TEST_CASE(syntax_errors_name_file_and_line) {
    Parser p;
    BOOST_CHECK_EXCEPTION(p.parse("port = 1\nhost = 'open\n"), Error,
                          says("app.conf:2: unterminated string literal"));
    BOOST_CHECK_EXCEPTION(
        p.parse("port = 010"), Error,
        says("app.conf:1: leading zeros in decimal integer literals are not permitted; use an 0o "
             "prefix for octal integers"));
    BOOST_CHECK_EXCEPTION(p.parse("\n\nport = undefined_name"), Error,
                          says("app.conf:3: name 'undefined_name' is not defined"));
    BOOST_CHECK_EXCEPTION(p.parse("port = 1\n  host = 'x'"), Error,
                          says("app.conf:2: unexpected indent"));
    BOOST_CHECK_EXCEPTION(
        p.parse("import os"), Error,
        says("app.conf:1: only `name = value` assignments are supported in a config file"));
    BOOST_CHECK_EXCEPTION(p.parse("ports = [1,\n2"), Error,
                          says("app.conf:2: unexpected end of file inside brackets"));
    BOOST_CHECK_EXCEPTION(p.parse("port = 1 / 0"), Error,
                          says("app.conf:1: float division by zero"));
    BOOST_CHECK_EXCEPTION(p.parse("host = 'a' + 1"), Error,
                          says("app.conf:1: unsupported operand type(s) for +: 'str' and 'int'"));
}

BOOST_AUTO_TEST_CASE(nothing_is_set_when_the_file_does_not_parse) {
    Parser p;
    BOOST_CHECK_THROW(p.parse("port = 1\nhost = ("), Error);
    BOOST_TEST(*p.port == 8000);
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_an_error_naming_it) {
    Parser p;
    BOOST_CHECK_EXCEPTION(p.parse_config_file("/nonexistent/app.conf"), Error,
                          says("Cannot open config file '/nonexistent/app.conf'"));
}

BOOST_AUTO_TEST_SUITE_END()
