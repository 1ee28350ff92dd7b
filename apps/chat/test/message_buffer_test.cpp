#include "message_buffer.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace {
boost::json::object message(const std::string& id) {
    return {{"id", id}, {"body", "text of " + id}, {"html", "<div>" + id + "</div>"}};
}

std::vector<std::string> ids(const boost::json::array& messages) {
    std::vector<std::string> out;
    for (const auto& m : messages)
        out.emplace_back(m.at("id").as_string());
    return out;
}

using Ids = std::vector<std::string>;
}  // namespace

BOOST_AUTO_TEST_SUITE(message_buffer_test)

BOOST_AUTO_TEST_CASE(the_cursor_selects_the_messages_after_it) {
    chat::MessageBuffer buffer;
    for (const char* id : {"a", "b", "c"})
        buffer.add_message(message(id));
    BOOST_TEST(ids(buffer.get_messages_since("a")) == (Ids{"b", "c"}),
               boost::test_tools::per_element());
    BOOST_TEST(ids(buffer.get_messages_since("c")).empty());
}

BOOST_AUTO_TEST_CASE(no_cursor_or_a_forgotten_one_gets_every_cached_message) {
    chat::MessageBuffer buffer;
    for (const char* id : {"a", "b"})
        buffer.add_message(message(id));
    BOOST_TEST(ids(buffer.get_messages_since(std::nullopt)) == (Ids{"a", "b"}),
               boost::test_tools::per_element());
    BOOST_TEST(ids(buffer.get_messages_since("gone")) == (Ids{"a", "b"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_cache_keeps_the_newest_messages) {
    chat::MessageBuffer buffer(2);
    for (const char* id : {"a", "b", "c"})
        buffer.add_message(message(id));
    BOOST_TEST(ids(buffer.cache()) == (Ids{"b", "c"}), boost::test_tools::per_element());
    // "a" has left the cache: a browser that last saw it gets everything there is.
    BOOST_TEST(ids(buffer.get_messages_since("a")) == (Ids{"b", "c"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(messages_keep_their_fields) {
    chat::MessageBuffer buffer;
    buffer.add_message(message("a"));
    BOOST_TEST(buffer.cache().at(0).as_object() == message("a"));
}

BOOST_AUTO_TEST_SUITE_END()
