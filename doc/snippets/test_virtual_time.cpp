// The testing chapter's virtual-time test, run by CTest as doc.test_virtual_time.
#define BOOST_TEST_MODULE virtual_time
#include <typhoon/ioloop.hpp>
#include <typhoon/testing.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>

using namespace std::chrono_literals;

// guide:begin test
/// Retries a failed job after 30 seconds.
class Retrier {
public:
    void failed() {
        typhoon::ioloop::IOLoop::current().call_later(30s, [this] { ++retries_; });
    }
    int retries() const { return retries_; }

private:
    int retries_ = 0;
};

struct VirtualTimeTest : typhoon::testing::AsyncTestCase {
    VirtualTimeTest() : AsyncTestCase({.virtual_time = true}) {}
};

BOOST_FIXTURE_TEST_CASE(retries_after_thirty_seconds, VirtualTimeTest) {
    Retrier retrier;
    retrier.failed();
    advance(29s);  // instant: the loop's clock moves, nothing sleeps
    BOOST_TEST(retrier.retries() == 0);
    advance(1s);
    BOOST_TEST(retrier.retries() == 1);
}
// guide:end test
