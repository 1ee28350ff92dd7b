#ifndef TYPHOON_TESTING_EXPECT_LOG_HPP
#define TYPHOON_TESTING_EXPECT_LOG_HPP

#include <typhoon/core/log.hpp>

#include <memory>
#include <optional>
#include <string>

namespace typhoon::testing {

/// The keyword arguments of tornado.testing.ExpectLog.
struct ExpectLogOptions {
    /// Fail the test when no matching record appeared (Tornado's `required=True`).
    bool required = true;
    /// Only records at this level; any level when unset.
    std::optional<log::Level> level{};
};

/** Swallows the log records of `logger` whose message matches `regex` (searched, as Python's
    re.match on the formatted message is in practice), while it lives; other records go on to
    the usual handlers. On destruction it fails the test when a required record never appeared
    (tornado.testing.ExpectLog).

        ExpectLog expected{log::gen_log, "Missing argument name"};
        BOOST_TEST(fetch("/greet").code == 400);  */
class ExpectLog {
public:
    /// Starts swallowing. `regex` is ECMAScript syntax, searched anywhere in the message.
    /// @throws std::regex_error for an invalid `regex`.
    ExpectLog(const log::Logger& logger, std::string regex, ExpectLogOptions options = {});
    ~ExpectLog();
    ExpectLog(const ExpectLog&) = delete;
    ExpectLog& operator=(const ExpectLog&) = delete;

    /// How many records it swallowed so far.
    int matched() const noexcept;

private:
    class Filter;
    std::shared_ptr<Filter> filter_;
};

}  // namespace typhoon::testing

#endif
