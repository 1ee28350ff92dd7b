#include <typhoon/ioloop.hpp>
#include <typhoon/redis.hpp>

#include <iostream>

namespace redis = typhoon::redis;

int main() {
    // Only typhoon::redis was asked for: hiredis comes along by itself. No server is needed:
    // a Client connects on first use, and a bad URL is refused at once.
    typhoon::ioloop::IOLoop loop;
    redis::Client client("redis://127.0.0.1:6379/0");
    try {
        redis::Client bad("redis://localhost:http");
    } catch (const redis::URLError& e) {
        std::cout << "redis_consumer: " << e.what() << '\n';
        return 0;
    }
    return 1;
}
