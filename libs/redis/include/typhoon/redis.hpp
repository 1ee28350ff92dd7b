#ifndef TYPHOON_REDIS_HPP
#define TYPHOON_REDIS_HPP

// What typhoon::redis offers: a Client (commands, pipelines, a pool) and its Subscriptions.
#include <typhoon/redis/client.hpp>
#include <typhoon/redis/errors.hpp>
#include <typhoon/redis/reply.hpp>
#include <typhoon/redis/subscription.hpp>

#endif
