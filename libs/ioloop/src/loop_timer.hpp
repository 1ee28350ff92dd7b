#ifndef TYPHOON_IOLOOP_SRC_LOOP_TIMER_HPP
#define TYPHOON_IOLOOP_SRC_LOOP_TIMER_HPP

#include <typhoon/ioloop/loop_clock.hpp>

#include <boost/asio/basic_waitable_timer.hpp>

namespace typhoon::ioloop::detail {

/// The timer of sleeps, call_at() and timeouts: on LoopClock, so virtual time moves it.
using LoopTimer = boost::asio::basic_waitable_timer<LoopClock>;

}  // namespace typhoon::ioloop::detail

#endif
