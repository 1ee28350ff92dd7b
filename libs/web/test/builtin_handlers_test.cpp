#include <boost/test/unit_test.hpp>
BOOST_AUTO_TEST_SUITE(builtin_handlers_test)
BOOST_AUTO_TEST_SUITE_END()
