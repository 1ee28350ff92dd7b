// What a fuzz target calls to fail an input that breaks a property the code promises (a crash or
// a sanitizer report fails it without help).
#ifndef TYPHOON_FUZZ_SUPPORT_CHECK_HPP
#define TYPHOON_FUZZ_SUPPORT_CHECK_HPP

#include <cstdio>
#include <cstdlib>

namespace fuzz_support {

/// Says which property broke, then aborts: libFuzzer keeps the input and reports it, and the
/// corpus replay of the test run stops on it.
inline void check(bool condition, const char* what = "a property of the target") {
    if (condition) return;
    std::fprintf(stderr, "fuzz target: property broken: %s\n", what);
    std::abort();
}

}  // namespace fuzz_support

#endif
