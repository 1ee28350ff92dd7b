#ifndef TYPHOON_BENCH_COMMON_TIME_IT_HPP
#define TYPHOON_BENCH_COMMON_TIME_IT_HPP

#include <chrono>
#include <cstddef>
#include <iostream>

namespace typhoon_bench {

/** Calls `call()` in batches of 256 for about 400 ms and prints "<name> <nanoseconds per call>",
    the line format tools/dev/compare_medians.py reads. `call` returns something with size(),
    summed so that the optimiser cannot drop the work; " (empty)" flags a call that did nothing. */
template <class F>
void time_it(const char* name, F&& call) {
    using clock = std::chrono::steady_clock;
    std::size_t sink = 0, iterations = 0;
    const auto start = clock::now();
    auto elapsed = clock::duration::zero();
    while (elapsed < std::chrono::milliseconds(400)) {
        for (int i = 0; i < 256; ++i)
            sink += call().size();
        iterations += 256;
        elapsed = clock::now() - start;
    }
    const double ns =
        std::chrono::duration<double, std::nano>(elapsed).count() / static_cast<double>(iterations);
    std::cout << name << ' ' << ns << (sink == 0 ? " (empty)" : "") << '\n';
}

}  // namespace typhoon_bench

#endif
