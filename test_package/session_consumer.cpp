#include <typhoon/ioloop.hpp>
#include <typhoon/redis.hpp>
#include <typhoon/session.hpp>
#include <typhoon/session/redis_store.hpp>

#include <iostream>

int main() {
    // Only typhoon::session_redis was asked for: the sessions' core, web and redis come along.
    // No server is needed: the Client connects on first use.
    typhoon::ioloop::IOLoop loop;
    typhoon::redis::Client client("redis://127.0.0.1:6379/0");
    typhoon::session::RedisStore store(client);
    typhoon::session::Session session;
    session.set("cart", 1);
    std::cout << "session_consumer: " << session.data().size() << " value, modified "
              << session.modified() << '\n';
    return session.modified() ? 0 : 1;
}
