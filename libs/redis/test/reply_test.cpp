#include <typhoon/redis/reply.hpp>

#include <typhoon/redis/errors.hpp>

#include <boost/test/unit_test.hpp>

using typhoon::redis::Reply;

BOOST_AUTO_TEST_SUITE(reply_test)

BOOST_AUTO_TEST_CASE(a_default_reply_is_nil_and_reads_as_no_string) {
    const Reply reply;
    BOOST_TEST(reply.is_nil());
    BOOST_TEST(!reply.as_optional_string());
}

BOOST_AUTO_TEST_CASE(strings_and_statuses_both_read_as_strings) {
    BOOST_TEST(Reply::bulk(std::string("a\0b", 3)).as_string() == std::string("a\0b", 3));
    BOOST_TEST(Reply::status("OK").as_string() == "OK");
    BOOST_TEST(*Reply::bulk("x").as_optional_string() == "x");
}

BOOST_AUTO_TEST_CASE(reading_the_wrong_type_raises_naming_both) {
    try {
        (void)Reply::integer(3).as_string();
        BOOST_FAIL("no exception");
    } catch (const typhoon::redis::Error& e) {
        BOOST_TEST(std::string(e.what()) == "redis: reply is an integer, not a string");
    }
    BOOST_CHECK_THROW((void)Reply().as_integer(), typhoon::redis::Error);
    BOOST_CHECK_THROW((void)Reply::bulk("1").as_array(), typhoon::redis::Error);
    BOOST_CHECK_THROW((void)Reply::status("OK").error_message(), typhoon::redis::Error);
}

BOOST_AUTO_TEST_CASE(arrays_hold_replies_of_any_type) {
    const auto reply = Reply::array({Reply::integer(1), Reply(), Reply::error("ERR no")});
    BOOST_TEST(reply.as_array().size() == 3u);
    BOOST_TEST(reply.as_array()[0].as_integer() == 1);
    BOOST_TEST(reply.as_array()[1].is_nil());
    BOOST_TEST(reply.as_array()[2].error_message() == "ERR no");
    BOOST_TEST(Reply::type_name(reply.type()) == "array");
}

BOOST_AUTO_TEST_CASE(reply_error_code_is_the_first_word) {
    const typhoon::redis::ReplyError error("WRONGTYPE Operation against a key");
    BOOST_TEST(error.code() == "WRONGTYPE");
}

BOOST_AUTO_TEST_SUITE_END()
