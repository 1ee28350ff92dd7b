#include <typhoon/options/option_parser.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>

using namespace typhoon::options;
using namespace std::chrono_literals;

namespace {
bool message_is(const Error& e, const std::string& expected) {
    BOOST_TEST_INFO("message: " << e.what());
    return e.what() == expected;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(option_parser_test)

BOOST_AUTO_TEST_CASE(define_takes_its_type_from_the_default) {
    OptionParser parser;
    auto port = parser.define("port", 8000, {.help = "run on the given port"});
    auto host = parser.define("host", "localhost");  // a string literal makes a std::string option
    auto ratio = parser.define("ratio", 0.5);
    auto debug = parser.define("debug", false);
    static_assert(std::is_same_v<decltype(port), Option<int>>);
    static_assert(std::is_same_v<decltype(host), Option<std::string>>);
    BOOST_TEST(*port == 8000);
    BOOST_TEST(*host == "localhost");
    BOOST_TEST(*ratio == 0.5);
    BOOST_TEST(!*debug);
    BOOST_TEST(port.name() == "port");
}

BOOST_AUTO_TEST_CASE(an_explicit_type_converts_the_default) {
    OptionParser parser;
    auto ratio = parser.define<double>("ratio", 1);
    auto timeout = parser.define<std::chrono::milliseconds>("timeout", 5s);
    auto ports = parser.define<std::vector<int>>("ports", {80, 443});
    auto hosts = parser.define<std::vector<std::string>>("hosts", {"a"}, {.help = "cache servers"});
    BOOST_TEST(*ratio == 1.0);
    BOOST_TEST(timeout->count() == 5000);
    BOOST_TEST((*ports == std::vector{80, 443}));
    BOOST_TEST((*hosts == std::vector<std::string>{"a"}));
}

BOOST_AUTO_TEST_CASE(without_default_an_option_is_none_and_a_list_is_empty) {
    // Tornado: define("mysql_host") gives None; define("hosts", multiple=True) gives [].
    OptionParser parser;
    auto host = parser.define<std::string>("mysql_host", {.help = "Main user DB"});
    auto hosts = parser.define<std::vector<std::string>>("memcache_hosts");
    BOOST_TEST(!host.has_value());
    BOOST_TEST(!host.optional());
    BOOST_CHECK_EXCEPTION(*host, Error, [](const Error& e) {
        return message_is(e, "Option 'mysql_host' is None (it has no default and was not set)");
    });
    BOOST_TEST(!parser.get<std::optional<std::string>>("mysql_host"));
    BOOST_TEST(hosts->empty());
}

BOOST_AUTO_TEST_CASE(get_reads_by_name_with_dashes_or_underscores) {
    OptionParser parser;
    parser.define("log_file_max_size", 100);
    BOOST_TEST(parser.get<int>("log_file_max_size") == 100);
    BOOST_TEST(parser.get<int>("log-file-max-size") == 100);
    BOOST_TEST(parser.get<long long>("log-file_max-size") ==
               100);  // any integer type reads an int option
    BOOST_TEST(parser.contains("log-file-max-size"));
    BOOST_TEST(!parser.contains("log-file"));
}

BOOST_AUTO_TEST_CASE(get_refuses_an_unknown_name_or_another_type) {
    OptionParser parser;
    parser.define("port", 8000);
    BOOST_CHECK_EXCEPTION(parser.get<int>("prot"), Error, [](const Error& e) {
        return message_is(e, "Unrecognized option 'prot'");
    });
    BOOST_CHECK_EXCEPTION(parser.get<std::string>("port"), Error, [](const Error& e) {
        return message_is(e, "Option 'port' is a int, not a str");
    });
    BOOST_CHECK_EXCEPTION(parser.get<std::vector<int>>("port"), Error, [](const Error& e) {
        return message_is(e, "Option 'port' is a int, not a list of int");
    });
}

BOOST_AUTO_TEST_CASE(a_second_definition_names_both_places) {
    OptionParser parser;
    const unsigned first_line = std::source_location::current().line() + 1;
    parser.define("log_level", "info");
    try {
        parser.define("log-level", 1);  // the same option: "-" and "_" are one
        BOOST_FAIL("no error");
    } catch (const Error& e) {
        const std::string here = std::source_location::current().file_name();
        BOOST_TEST(e.what() == "Option 'log-level' already defined in " + here + ":" +
                                   std::to_string(first_line) + ", defined again in " + here + ":" +
                                   std::to_string(first_line + 2));
    }
}

BOOST_AUTO_TEST_CASE(set_stores_the_value_and_runs_the_callback) {
    OptionParser parser;
    std::vector<int> seen;
    auto port =
        parser.define("port", 8000, {.callback = [&](const int& value) { seen.push_back(value); }});
    port.set(9000);
    parser.set("port", 9001);
    BOOST_TEST(*port == 9001);
    BOOST_TEST((seen == std::vector{9000, 9001}));
}

BOOST_AUTO_TEST_CASE(set_refuses_a_value_the_option_type_cannot_hold) {
    OptionParser parser;
    auto level = parser.define<std::uint8_t>("level", 1);
    parser.define<std::chrono::seconds>("timeout", std::chrono::seconds(1));
    BOOST_CHECK_EXCEPTION(parser.set("level", 300), Error, [](const Error& e) {
        return message_is(e, "Invalid value 300 for option 'level': out of range 0..255");
    });
    BOOST_CHECK_THROW(parser.set("timeout", 1500ms), Error);
    BOOST_TEST(*level == 1);
}

BOOST_AUTO_TEST_CASE(parse_callbacks_run_in_order_after_a_final_parse) {
    OptionParser parser;
    std::string order;
    parser.add_parse_callback([&] { order += "a"; });
    parser.add_parse_callback([&] { order += "b"; });
    parser.parse_command_line(std::vector<std::string>{"prog"}, {.final = false});
    BOOST_TEST(order == "");
    parser.parse_command_line(std::vector<std::string>{"prog"});
    BOOST_TEST(order == "ab");
    parser.parse_config_text("", "a.conf");
    BOOST_TEST(order == "abab");
}

BOOST_AUTO_TEST_CASE(names_and_groups_list_what_was_defined) {
    OptionParser parser;
    parser.define("template_path", "t", {.group = "application"});
    parser.define("static_path", "s", {.group = "application"});
    parser.define("port", 1);
    BOOST_TEST((parser.names() ==
                std::vector<std::string>{"help", "template_path", "static_path", "port"}));
    BOOST_TEST((parser.group_names("application") ==
                std::vector<std::string>{"template_path", "static_path"}));
    const auto groups = parser.groups();
    BOOST_TEST(groups.contains("application"));
    BOOST_TEST(groups.contains(std::source_location::current().file_name()));  // the default group
    BOOST_TEST(groups.contains(""));                                           // --help's
}

BOOST_AUTO_TEST_CASE(option_returns_a_handle_for_a_name_defined_elsewhere) {
    OptionParser parser;
    parser.define("port", 8000);
    Option<int> port = parser.option<int>("port");
    port.set(1);
    BOOST_TEST(parser.get<int>("port") == 1);
    BOOST_CHECK_THROW(parser.option<double>("port"), Error);
}

BOOST_AUTO_TEST_CASE(the_global_parser_has_help_and_logging_options) {
    BOOST_TEST(options().contains("help"));
    BOOST_TEST(options().contains("logging"));
    BOOST_TEST(get<std::string>("logging") == "info");
    BOOST_TEST(get<int>("log_file_max_size") == 100'000'000);
    BOOST_TEST(!get<std::optional<bool>>("log_to_stderr"));
}

BOOST_AUTO_TEST_SUITE_END()
