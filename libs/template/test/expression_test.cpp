#include <typhoon/template/template.hpp>

#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_SUITE(expression_test)
BOOST_AUTO_TEST_SUITE_END()
