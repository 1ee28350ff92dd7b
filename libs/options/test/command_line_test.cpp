#include <typhoon/options/option_parser.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>

using namespace typhoon::options;
using namespace std::chrono_literals;
using Args = std::vector<std::string>;

namespace {
struct Parser : OptionParser {
    Option<int> port = define("port", 8000);
    Option<bool> debug = define("debug", false);
    Option<std::string> log_file_prefix = define<std::string>("log_file_prefix");
    Option<std::vector<int>> ports = define<std::vector<int>>("ports");
    Option<std::vector<std::string>> names = define<std::vector<std::string>>("names");
    Option<std::chrono::microseconds> timeout = define<std::chrono::microseconds>("timeout");
    Option<DateTime> start = define<DateTime>("start");
    Option<double> ratio = define("ratio", 0.5);

    Args parse(Args args) { return parse_command_line(args); }
};

std::function<bool(const Error&)> says(std::string expected) {
    return [expected](const Error& e) {
        BOOST_TEST_INFO("message: " << e.what());
        return e.what() == expected;
    };
}
}  // namespace

// Parse results and Tornado's own messages are those of tornado.options 6.2 for the same argv.
BOOST_AUTO_TEST_SUITE(command_line_test)

BOOST_AUTO_TEST_CASE(parses_name_equals_value_and_returns_the_rest) {
    Parser p;
    const Args rest =
        p.parse({"prog", "--port=8080", "--log_file_prefix=/var/log/app", "a.txt", "--debug"});
    BOOST_TEST(*p.port == 8080);
    BOOST_TEST(*p.log_file_prefix == "/var/log/app");
    BOOST_TEST((rest == Args{"a.txt", "--debug"}));  // the first positional ends the options
    BOOST_TEST(!*p.debug);
}

BOOST_AUTO_TEST_CASE(double_dash_ends_the_options_and_is_dropped) {
    Parser p;
    BOOST_TEST((p.parse({"prog", "--port=1", "--", "--port=2", "x"}) == Args{"--port=2", "x"}));
    BOOST_TEST(*p.port == 1);
    BOOST_TEST(p.parse({"prog", "--"}).empty());
}

BOOST_AUTO_TEST_CASE(dashes_and_underscores_are_the_same_and_any_number_of_dashes_works) {
    Parser p;
    p.parse({"prog", "--log-file-prefix=/a", "-port=2", "---ratio=0.25"});
    BOOST_TEST(*p.log_file_prefix == "/a");
    BOOST_TEST(*p.port == 2);
    BOOST_TEST(*p.ratio == 0.25);
}

BOOST_AUTO_TEST_CASE(a_bool_flag_alone_means_true_and_takes_false_after_equals) {
    Parser p;
    p.parse({"prog", "--debug"});
    BOOST_TEST(*p.debug);
    p.parse({"prog", "--debug=false"});
    BOOST_TEST(!*p.debug);
    p.parse({"prog", "--debug=no"});  // Tornado: only false, 0 and f are false
    BOOST_TEST(*p.debug);
}

BOOST_AUTO_TEST_CASE(name_space_value_is_accepted_for_options_that_take_a_value) {
    // An extension: Tornado refuses "--port 8080" ("requires a value"); we read "--port=8080".
    Parser p;
    BOOST_TEST((p.parse({"prog", "--port", "8080", "rest"}) == Args{"rest"}));
    BOOST_TEST(*p.port == 8080);
    BOOST_CHECK_EXCEPTION(p.parse({"prog", "--port"}), Error,
                          says("Option 'port' requires a value"));
    // A bool keeps Tornado's reading: debug is true and "false" is a positional argument.
    BOOST_TEST((p.parse({"prog", "--debug", "false"}) == Args{"false"}));
    BOOST_TEST(*p.debug);
}

BOOST_AUTO_TEST_CASE(unknown_options_are_named) {
    Parser p;
    BOOST_CHECK_EXCEPTION(p.parse({"prog", "--prot=1"}), Error,
                          says("Unrecognized command line option: 'prot'"));
    BOOST_CHECK_EXCEPTION(p.parse({"prog", "--log_file=x"}), Error,
                          says("Unrecognized command line option: 'log-file'"));
    BOOST_CHECK_EXCEPTION(p.parse({"prog", "-"}), Error,
                          says("Unrecognized command line option: ''"));
}

BOOST_AUTO_TEST_CASE(a_bad_value_names_the_option_and_the_value) {
    Parser p;
    BOOST_CHECK_EXCEPTION(p.parse({"prog", "--port=abc"}), Error,
                          says("Invalid value 'abc' for option 'port': expected an integer"));
    BOOST_CHECK_EXCEPTION(p.parse({"prog", "--ratio=fast"}), Error,
                          says("Invalid value 'fast' for option 'ratio': expected a number"));
    BOOST_CHECK_EXCEPTION(p.parse({"prog", "--timeout=1h30m"}), Error,
                          says("Invalid value '1h30m' for option 'timeout': unknown unit 'h30m'"));
    BOOST_CHECK_EXCEPTION(
        p.parse({"prog", "--start=2023-02-30"}), Error,
        says("Invalid value '2023-02-30' for option 'start': unrecognized date/time format"));
    BOOST_CHECK_EXCEPTION(p.parse({"prog", "--ports=1,x"}), Error,
                          says("Invalid value '1,x' for option 'ports': expected an integer"));
    BOOST_CHECK_EXCEPTION(
        p.parse({"prog", "--port=99999999999"}), Error,
        says(
            "Invalid value '99999999999' for option 'port': out of range -2147483648..2147483647"));
    BOOST_TEST(*p.port == 8000);  // nothing was stored
}

BOOST_AUTO_TEST_CASE(multiple_values_split_on_commas_and_expand_integer_ranges) {
    Parser p;
    p.parse({"prog", "--ports=1,5:7", "--names=a,b"});
    BOOST_TEST((*p.ports == std::vector{1, 5, 6, 7}));
    BOOST_TEST((*p.names == std::vector<std::string>{"a", "b"}));
    p.parse({"prog", "--ports=3:1"});
    BOOST_TEST(p.ports->empty());  // range(3, 2) is empty
    p.parse({"prog", "--ports=4:"});
    BOOST_TEST((*p.ports == std::vector{4}));
    p.parse({"prog", "--names="});
    BOOST_TEST((*p.names == std::vector<std::string>{""}));
}

BOOST_AUTO_TEST_CASE(durations_and_datetimes_take_tornados_syntax) {
    Parser p;
    p.parse({"prog", "--timeout=1h 30m", "--start=2023-01-15 10:30"});
    BOOST_TEST(p.timeout->count() == std::chrono::microseconds(90min).count());
    using namespace std::chrono;
    BOOST_TEST((*p.start == DateTime(local_days(2023y / 1 / 15) + 10h + 30min)));
}

BOOST_AUTO_TEST_CASE(a_duration_must_fit_the_resolution_of_its_type) {
    OptionParser parser;
    auto timeout = parser.define<std::chrono::seconds>("timeout", 30s);
    parser.parse_command_line(Args{"prog", "--timeout=2m"});
    BOOST_TEST(timeout->count() == 120);
    BOOST_CHECK_EXCEPTION(parser.parse_command_line(Args{"prog", "--timeout=1500ms"}), Error,
                          says("Invalid value '1500ms' for option 'timeout': not a whole number of "
                               "1000000 microsecond units, the "
                               "resolution of this option"));
}

BOOST_AUTO_TEST_CASE(small_integer_types_are_range_checked) {
    OptionParser parser;
    auto level = parser.define<std::uint8_t>("level", 1);
    BOOST_CHECK_EXCEPTION(parser.parse_command_line(Args{"prog", "--level=256"}), Error,
                          says("Invalid value '256' for option 'level': out of range 0..255"));
    parser.parse_command_line(Args{"prog", "--level=255"});
    BOOST_TEST(*level == 255);
}

BOOST_AUTO_TEST_CASE(callbacks_see_each_parsed_value) {
    OptionParser parser;
    std::vector<std::string> seen;
    parser.define("config", "",
                  {.callback = [&](const std::string& path) { seen.push_back(path); }});
    parser.parse_command_line(Args{"prog", "--config=a.conf", "--config=b.conf"});
    BOOST_TEST((seen == std::vector<std::string>{"a.conf", "b.conf"}));
}

BOOST_AUTO_TEST_CASE(a_config_option_can_load_a_file_between_flags) {
    // Tornado's documented pattern: define("config", callback=lambda path: parse_config_file(path,
    // final=False))
    OptionParser parser;
    auto port = parser.define("port", 1);
    auto host = parser.define("host", "a");
    parser.define<std::string>("config", {.callback = [&](const std::string& path) {
                                   parser.parse_config_file(path, {.final = false});
                               }});
    parser.parse_command_line(
        Args{"prog", "--port=5", "--config=" TYPHOON_TEST_DIR "/data/server.conf", "--host=b"});
    BOOST_TEST(*port == 80);   // the file overrides earlier flags
    BOOST_TEST(*host == "b");  // and later flags override the file
}

BOOST_AUTO_TEST_CASE(help_false_does_not_print_help) {
    OptionParser parser;
    BOOST_TEST(parser.parse_command_line(Args{"prog", "--help=false", "x"}) == Args{"x"});
}

BOOST_AUTO_TEST_CASE(argc_argv_form_skips_the_program_name) {
    OptionParser parser;
    auto port = parser.define("port", 1);
    const char* argv[] = {"/usr/bin/app", "--port=2", "rest"};
    BOOST_TEST((parser.parse_command_line(3, argv) == Args{"rest"}));
    BOOST_TEST(*port == 2);
}

BOOST_AUTO_TEST_SUITE_END()
