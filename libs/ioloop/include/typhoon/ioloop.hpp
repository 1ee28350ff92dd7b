#ifndef TYPHOON_IOLOOP_HPP
#define TYPHOON_IOLOOP_HPP

// What `import tornado.ioloop, tornado.gen, tornado.locks, tornado.queues` gives.
#include <typhoon/ioloop/condition.hpp>
#include <typhoon/ioloop/event.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/ioloop/lock.hpp>
#include <typhoon/ioloop/loop_clock.hpp>
#include <typhoon/ioloop/periodic_callback.hpp>
#include <typhoon/ioloop/queue.hpp>
#include <typhoon/ioloop/semaphore.hpp>
#include <typhoon/ioloop/timeout.hpp>
#include <typhoon/ioloop/virtual_time.hpp>

#endif
