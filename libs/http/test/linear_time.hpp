#ifndef TYPHOON_HTTP_TEST_LINEAR_TIME_HPP
#define TYPHOON_HTTP_TEST_LINEAR_TIME_HPP

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

namespace http_test {

/// The seconds one run of `work(input)` takes.
inline double seconds_of(const std::function<void(const std::string&)>& work,
                         const std::string& input) {
    const auto start = std::chrono::steady_clock::now();
    work(input);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/** Checks that `work` takes time linear in its input's size: on a hostile input of 256 KiB it
    takes less than 48 times what it takes on 16 KiB of the same shape, where linear work takes
    16 times and quadratic work 256. The sizes are far apart, and each is timed at its best of
    five runs taken in turn, so that a loaded machine (the tests run in parallel) slows both
    alike rather than fail the check. The small run's time is counted as at least a
    millisecond, so that a fast parser's noise cannot fail it either. `make(n)` builds an input
    of about n bytes. */
inline void check_linear_time(const std::function<std::string(std::size_t)>& make,
                              const std::function<void(const std::string&)>& work) {
    const std::string small = make(16 * 1024), large = make(256 * 1024);
    double small_seconds = 1e9, large_seconds = 1e9;
    for (int i = 0; i < 5; ++i) {
        small_seconds = std::min(small_seconds, seconds_of(work, small));
        large_seconds = std::min(large_seconds, seconds_of(work, large));
    }
    BOOST_TEST_MESSAGE("16 KiB: " << small_seconds << " s, 256 KiB: " << large_seconds << " s");
    BOOST_TEST(large_seconds / std::max(small_seconds, 1e-3) < 48.0,
               "16 KiB took " << small_seconds << " s, 256 KiB took " << large_seconds << " s");
}

}  // namespace http_test

#endif
