#ifndef TYPHOON_HTTP_TEST_LINEAR_TIME_HPP
#define TYPHOON_HTTP_TEST_LINEAR_TIME_HPP

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

namespace http_test {

/// The best of three timings of `work(input)`, in seconds.
inline double best_seconds(const std::function<void(const std::string&)>& work,
                           const std::string& input) {
    double best = 1e9;
    for (int i = 0; i < 3; ++i) {
        const auto start = std::chrono::steady_clock::now();
        work(input);
        best = std::min(
            best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return best;
}

/** Checks that `work` takes time linear in its input's size: on a hostile input of 64 KiB it
    takes less than 8 times what it takes on 16 KiB of the same shape, where quadratic work takes
    16 times. `make(n)` builds an input of about n bytes. The small run's time is counted as at
    least a millisecond, so that a fast parser's noise cannot fail the check. */
inline void check_linear_time(const std::function<std::string(std::size_t)>& make,
                              const std::function<void(const std::string&)>& work) {
    const std::string small = make(16 * 1024), large = make(64 * 1024);
    const double small_seconds = best_seconds(work, small);
    const double large_seconds = best_seconds(work, large);
    BOOST_TEST_MESSAGE("16 KiB: " << small_seconds << " s, 64 KiB: " << large_seconds << " s");
    BOOST_TEST(large_seconds / std::max(small_seconds, 1e-3) < 8.0,
               "16 KiB took " << small_seconds << " s, 64 KiB took " << large_seconds << " s");
}

}  // namespace http_test

#endif
