#include <typhoon/options/option_parser.hpp>

#include <boost/test/unit_test.hpp>

#include <sstream>

using namespace typhoon::options;

BOOST_AUTO_TEST_SUITE(help_test)

BOOST_AUTO_TEST_CASE(help_is_grouped_sorted_and_wrapped_as_tornado_prints_it) {
    OptionParser parser;
    parser.define("port", 8000, {.help = "run on the given port", .group = "/srv/app/main.py"});
    parser.define("mysql_host", "127.0.0.1:3306",
                  {.help = "Main user DB", .group = "/srv/app/main.py"});
    parser.define<std::vector<std::string>>("memcache_hosts",
                                            std::vector<std::string>{"a:1", "b:2"},
                                            {.help = "Main user memcache servers",
                                             .metavar = "HOST:PORT",
                                             .group = "/srv/app/cache.py"});
    parser.define<std::string>(
        "template_path",
        {.help = "where the templates are; a path relative to the working directory, or "
                 "absolute, which is read once at start-up",
         .group = "/srv/app/main.py"});
    parser.parse_command_line(std::vector<std::string>{"app"});
    std::ostringstream out;
    parser.print_help(out);
    // What tornado.options.print_help() writes for the same definitions with sys.argv[0] == "app".
    BOOST_TEST(out.str() ==
               "Usage: app [OPTIONS]\n\nOptions:\n\n"
               "  --help                           show this help information\n\n"
               "/srv/app/cache.py options:\n\n"
               "  --memcache-hosts=HOST:PORT       Main user memcache servers (default ['a:1',\n"
               "                                   'b:2'])\n\n"
               "/srv/app/main.py options:\n\n"
               "  --mysql-host                     Main user DB (default 127.0.0.1:3306)\n"
               "  --port                           run on the given port (default 8000)\n"
               "  --template-path                  where the templates are; a path relative to\n"
               "                                   the working directory, or absolute, which is\n"
               "                                   read once at start-up\n\n");
}

BOOST_AUTO_TEST_CASE(options_are_grouped_by_the_file_that_defined_them) {
    OptionParser parser;
    parser.define("port", 8000);
    std::ostringstream out;
    parser.print_help(out);
    BOOST_TEST(out.str().find(std::string("\n") + std::source_location::current().file_name() +
                              " options:\n\n  --port") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_global_parser_lists_the_logging_options) {
    std::ostringstream out;
    print_help(out);
    BOOST_TEST(out.str().find("\ntyphoon/log options:\n") != std::string::npos);
    BOOST_TEST(out.str().find("  --logging=debug|info|warning|error|none") != std::string::npos);
    // Tornado's own text for these options, after its "tornado/log.py options:" heading.
    const std::string tornado =
        "  --log-file-max-size              max size of log files before rollover\n"
        "                                   (default 100000000)\n"
        "  --log-file-num-backups           number of log files to keep (default 10)\n"
        "  --log-file-prefix=PATH           Path prefix for log files. Note that if you\n"
        "                                   are running multiple tornado processes,\n"
        "                                   log_file_prefix must be different for each\n"
        "                                   of them (e.g. include the port number)\n"
        "  --log-rotate-interval            The interval value of timed rotating\n"
        "                                   (default 1)\n"
        "  --log-rotate-mode                The mode of rotating files(time or size)\n"
        "                                   (default size)\n"
        "  --log-rotate-when                specify the type of TimedRotatingFileHandler\n"
        "                                   interval other options:('S', 'M', 'H', 'D',\n"
        "                                   'W0'-'W6') (default midnight)\n"
        "  --log-to-stderr                  Send log output to stderr (colorized if\n"
        "                                   possible). By default use stderr if\n"
        "                                   --log_file_prefix is not set and no other\n"
        "                                   logging is configured.\n"
        "  --logging=debug|info|warning|error|none \n"
        "                                   Set the Python log level. If 'none', tornado\n"
        "                                   won't touch the logging configuration.\n"
        "                                   (default info)\n"
        "\n";
    BOOST_TEST(out.str().ends_with("typhoon/log options:\n\n" + tornado));
}

BOOST_AUTO_TEST_SUITE_END()
