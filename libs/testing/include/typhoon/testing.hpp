#ifndef TYPHOON_TESTING_HPP
#define TYPHOON_TESTING_HPP

// What `import tornado.testing` gives, on Boost.Test: AsyncTestCase, AsyncHTTPTestCase,
// AsyncHTTPSTestCase, TYPHOON_GEN_TEST (gen_test) and ExpectLog.
#include <typhoon/testing/async_http_test_case.hpp>
#include <typhoon/testing/async_test_case.hpp>
#include <typhoon/testing/cookie_jar.hpp>
#include <typhoon/testing/expect_log.hpp>

#endif
