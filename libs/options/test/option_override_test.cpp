#include <typhoon/options/option_override.hpp>

#include <boost/test/unit_test.hpp>

using namespace typhoon::options;

BOOST_AUTO_TEST_SUITE(option_override_test)

BOOST_AUTO_TEST_CASE(sets_an_option_for_a_scope_and_restores_it) {
    OptionParser parser;
    auto port = parser.define("port", 8000);
    {
        OptionOverride override{parser, "port", 9000};
        BOOST_TEST(*port == 9000);
    }
    BOOST_TEST(*port == 8000);
}

BOOST_AUTO_TEST_CASE(works_from_a_handle_and_restores_none) {
    OptionParser parser;
    auto host = parser.define<std::string>("host");
    {
        OptionOverride override{host, "example.com"};
        BOOST_TEST(*host == "example.com");
    }
    BOOST_TEST(!host.has_value());
}

BOOST_AUTO_TEST_CASE(both_changes_run_the_callback_as_tornados_mockable_does) {
    OptionParser parser;
    std::vector<bool> seen;
    parser.define("debug", false, {.callback = [&](const bool& value) { seen.push_back(value); }});
    { OptionOverride override{parser, "debug", true}; }
    BOOST_TEST((seen == std::vector<bool>{true, false}));
}

BOOST_AUTO_TEST_CASE(overriding_an_unknown_option_is_an_error) {
    OptionParser parser;
    BOOST_CHECK_THROW((OptionOverride{parser, "nope", 1}), Error);
}

BOOST_AUTO_TEST_CASE(overrides_on_the_global_options_nest) {
    auto level = define("option_override_test_level", 1);
    {
        OptionOverride outer{options(), "option_override_test_level", 2};
        {
            OptionOverride inner{level, 3};
            BOOST_TEST(get<int>("option_override_test_level") == 3);
        }
        BOOST_TEST(*level == 2);
    }
    BOOST_TEST(*level == 1);
}

BOOST_AUTO_TEST_SUITE_END()
