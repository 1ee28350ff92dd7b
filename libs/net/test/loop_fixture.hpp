#ifndef TYPHOON_NET_TEST_LOOP_FIXTURE_HPP
#define TYPHOON_NET_TEST_LOOP_FIXTURE_HPP

#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/net/iostream.hpp>

#include <boost/asio/local/connect_pair.hpp>

#include <chrono>
#include <memory>
#include <utility>

namespace net_test {

/// A fresh IOLoop per test, made current; run() drives one coroutine to completion.
struct LoopFixture {
    typhoon::ioloop::IOLoop loop;

    template <class F>
    auto run(F coroutine) {
        return loop.run_sync(std::move(coroutine), std::chrono::seconds(20));
    }

    /// Two connected streams over a Unix socket pair: enough for everything that is not TCP.
    std::pair<std::unique_ptr<typhoon::iostream::IOStream>,
              std::unique_ptr<typhoon::iostream::IOStream>>
    stream_pair(typhoon::iostream::IOStreamOptions options = {}) {
        boost::asio::local::stream_protocol::socket a(loop.context()), b(loop.context());
        boost::asio::local::connect_pair(a, b);
        return {std::make_unique<typhoon::iostream::IOStream>(std::move(a), options),
                std::make_unique<typhoon::iostream::IOStream>(std::move(b), options)};
    }
};

}  // namespace net_test

#endif
