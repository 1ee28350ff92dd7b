// The authentication and security chapter: server-side sessions.
#include <typhoon/database.hpp>
#include <typhoon/ioloop.hpp>
#include <typhoon/redis.hpp>
#include <typhoon/session.hpp>
#include <typhoon/session/database_store.hpp>
#include <typhoon/session/redis_store.hpp>
#include <typhoon/web.hpp>

#include <cstdint>
#include <string>

using boost::asio::awaitable;
namespace web = typhoon::web;
namespace session = typhoon::session;

// guide:begin handler
class BaseHandler : public web::RequestHandler, public session::SessionMixin {
public:
    using RequestHandler::RequestHandler;
    void initialize(session::SessionStore& store) { store_ = &store; }
    session::SessionStore& session_store() override { return *store_; }

    // get_current_user() cannot wait for a store: load the user in prepare(), as Tornado
    // advises for anything asynchronous.
    awaitable<void> prepare() override {
        session::Session& session = co_await this->session();
        if (auto user = session.get("user")) set_current_user(std::move(*user));
    }

private:
    session::SessionStore* store_ = nullptr;
};

class CartHandler final : public BaseHandler {
public:
    using BaseHandler::BaseHandler;
    awaitable<void> post() override {
        session::Session& session = co_await this->session();  // the same object prepare() loaded
        const auto items = session.get("items", 0).to_number<std::int64_t>() + 1;
        session.set("items", items);
        co_await save_session();  // written only because it changed
        write("Items in your cart: " + std::to_string(items));
    }
};

class LoginHandler final : public BaseHandler {
public:
    using BaseHandler::BaseHandler;
    awaitable<void> post() override {
        // ... check the password, then:
        co_await regenerate_session();  // a new id: one planted before the login is worthless
        session::Session& session = co_await this->session();
        session.set("user", boost::json::string(get_body_argument("name")));
        co_await save_session();
        redirect("/");
    }
};

class LogoutHandler final : public BaseHandler {
public:
    using BaseHandler::BaseHandler;
    awaitable<void> post() override {
        co_await destroy_session();  // the entry and the cookie both go
        redirect("/");
    }
};
// guide:end handler

// guide:begin options
class ShortSessionHandler : public BaseHandler {
public:
    using BaseHandler::BaseHandler;
    const session::SessionOptions& session_options() const override {
        static const session::SessionOptions options{
            .cookie_name = "sid",
            .idle_timeout = std::chrono::minutes(30),
            .lifetime = std::chrono::hours(12),
        };
        return options;
    }
};
// guide:end options

int main(int argc, char**) {
    // guide:begin stores
    session::MemoryStore memory;  // one process, lost at exit: development and tests

    typhoon::redis::Client redis("redis://127.0.0.1:6379/0");
    session::RedisStore in_redis(redis);  // typhoon::session_redis

    typhoon::database::Connection db("sqlite:///sessions.db");  // or mysql://...
    session::DatabaseStore in_database(db);                     // typhoon::session_database
    // guide:end stores

    session::SessionStore& store = argc > 2   ? static_cast<session::SessionStore&>(in_database)
                                   : argc > 1 ? static_cast<session::SessionStore&>(in_redis)
                                              : memory;
    web::Application application(
        {
            web::url<CartHandler>("/cart", {}, std::ref(store)),
            web::url<LoginHandler>("/login", {}, std::ref(store)),
            web::url<LogoutHandler>("/logout", {}, std::ref(store)),
            web::url<ShortSessionHandler>("/short", {}, std::ref(store)),
        },
        {.cookie_secret = "__TODO:_GENERATE_YOUR_OWN_RANDOM_VALUE_HERE__", .xsrf_cookies = true});
    application.listen(8888);
    typhoon::ioloop::IOLoop::current().start();
}
