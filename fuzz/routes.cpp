// Route patterns as an Application compiles them: the first line of the input is a Python-syntax
// regex given to URLSpec (which throws typhoon::Error naming the pattern when it does not compile),
// every further line a path matched against it, and reverse() is tried with zero to three
// arguments. Matching returns groups or std::nullopt, never throws; a literal route matches its
// literal path; every match starts with the literal prefix the router skips on; reverse() either
// fills every group or throws typhoon::Error. Backtracking blow-ups show as the fuzzer's timeout.

#include "check.hpp"

#include <typhoon/core/error.hpp>
#include <typhoon/core/log.hpp>
#include <typhoon/web/url_spec.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using namespace typhoon;

namespace {

using fuzz_support::check;

void matches(const web::URLSpec& route, std::string_view path) {
    const std::optional<web::URLSpec::Match> found = route.match(path);
    if (!found) return;
    check(path.starts_with(route.literal_prefix()), "a match does not start with the prefix");
    check(found->args.empty() || found->kwargs.empty(), "a match has both args and kwargs");
    if (route.literal_path()) {
        check(path == *route.literal_path(), "a literal route matched another path");
        check(found->args.empty() && found->kwargs.empty(), "a literal route has groups");
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    typhoon::log::clear_handlers();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto newline = input.find('\n');
    const std::string pattern(input.substr(0, newline));

    std::unique_ptr<web::URLSpec> route;
    try {
        route = std::make_unique<web::URLSpec>(pattern, web::HandlerFactory(),
                                               web::URLSpecOptions{.name = "fuzz"});
    } catch (const typhoon::Error& e) {
        // what() is a C string: a pattern holding a NUL is named up to it.
        const std::string named = pattern.substr(0, pattern.find('\0'));
        check(std::string_view(e.what()).find(named) != std::string_view::npos,
              "a pattern error does not name the pattern");
        return 0;
    }
    std::string_view compiled = route->pattern();
    check(compiled.ends_with('$'), "the pattern is not anchored at its end");
    compiled.remove_suffix(1);
    std::size_t backslashes = 0;
    while (compiled.ends_with('\\')) {
        compiled.remove_suffix(1);
        ++backslashes;
    }
    check(backslashes % 2 == 0, "the pattern's final '$' is escaped, so it is not an anchor");
    if (route->literal_path()) matches(*route, *route->literal_path());

    if (newline != std::string_view::npos) {
        std::string_view paths = input.substr(newline + 1);
        for (int line = 0; line < 16; ++line) {
            const auto end = paths.find('\n');
            matches(*route, paths.substr(0, end));
            if (end == std::string_view::npos) break;
            paths.remove_prefix(end + 1);
        }
    }

    const std::vector<std::string> candidates{"7", "a b/c?d", "", "\xc3\xa9%"};
    for (std::size_t count = 0; count <= 3; ++count) {
        const std::vector<std::string> args(candidates.begin(),
                                            candidates.begin() + static_cast<long>(count));
        try {
            const std::string path = route->reverse(args);
            // url_escape(plus = false) leaves no space, '?' or '%' of an argument raw.
            if (count >= 2)
                check(path.find("a%20b") != std::string::npos, "an argument is missing");
        } catch (const typhoon::Error&) {
        }
    }
    return 0;
}
