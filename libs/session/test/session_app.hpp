#ifndef TYPHOON_SESSION_TEST_SESSION_APP_HPP
#define TYPHOON_SESSION_TEST_SESSION_APP_HPP

// What every store's suite serves and how it browses: a small application whose handlers read
// and change the session, and a browser that keeps the cookies it is given.

#include <typhoon/session.hpp>

#include <typhoon/core/json.hpp>
#include <typhoon/testing.hpp>
#include <typhoon/web.hpp>

#include <boost/json.hpp>

#include <map>
#include <string>
#include <utility>

namespace session_test {

namespace session = typhoon::session;
namespace web = typhoon::web;
namespace httpclient = typhoon::httpclient;
using boost::asio::awaitable;

inline const std::string cookie_secret = "session tests secret";

/// The handlers' common part: the route gives the store and the options.
class SessionHandler : public web::RequestHandler, public session::SessionMixin {
public:
    using RequestHandler::RequestHandler;
    void initialize(session::SessionStore& store, const session::SessionOptions& options) {
        store_ = &store;
        options_ = &options;
    }
    session::SessionStore& session_store() override { return *store_; }
    const session::SessionOptions& session_options() const override { return *options_; }

protected:
    /// The session as the client sees it: {"id", "new", "data"}.
    awaitable<void> write_session() {
        session::Session& session = co_await this->session();
        write(boost::json::object{
            {"id", session.id()}, {"new", session.is_new()}, {"data", session.data()}});
    }

private:
    session::SessionStore* store_ = nullptr;
    const session::SessionOptions* options_ = nullptr;
};

/// GET /get: the session, loaded and not changed.
class GetHandler final : public SessionHandler {
public:
    using SessionHandler::SessionHandler;
    awaitable<void> get() override {
        co_await write_session();
        co_await save_session();  // nothing changed: writes nothing
    }
};

/// GET /set?key=K&value=V: session[K] = V (a string), saved.
class SetHandler final : public SessionHandler {
public:
    using SessionHandler::SessionHandler;
    awaitable<void> get() override {
        session::Session& session = co_await this->session();
        session.set(get_argument("key"), boost::json::string(get_argument("value")));
        co_await save_session();
        co_await write_session();
    }
};

/// GET /erase?key=K.
class EraseHandler final : public SessionHandler {
public:
    using SessionHandler::SessionHandler;
    awaitable<void> get() override {
        session::Session& session = co_await this->session();
        session.erase(get_argument("key"));
        co_await save_session();
        co_await write_session();
    }
};

/// GET /regenerate: a new id for the same data (what a login does).
class RegenerateHandler final : public SessionHandler {
public:
    using SessionHandler::SessionHandler;
    awaitable<void> get() override {
        co_await regenerate_session();
        co_await write_session();
    }
};

/// GET /destroy: what a logout does.
class DestroyHandler final : public SessionHandler {
public:
    using SessionHandler::SessionHandler;
    awaitable<void> get() override {
        co_await destroy_session();
        co_await write_session();
    }
};

inline web::Application make_app(session::SessionStore& store,
                                 const session::SessionOptions& options) {
    auto route = [&]<class H>(std::string pattern) {
        return web::url<H>(std::move(pattern), {}, std::ref(store), std::cref(options));
    };
    return web::Application({route.template operator()<GetHandler>("/get"),
                             route.template operator()<SetHandler>("/set"),
                             route.template operator()<EraseHandler>("/erase"),
                             route.template operator()<RegenerateHandler>("/regenerate"),
                             route.template operator()<DestroyHandler>("/destroy")},
                            {.cookie_secret = cookie_secret});
}

/// The cookies of one browser, and the session cookie among them.
struct Browser : typhoon::testing::CookieJar {
    std::string session_cookie() const {
        const auto found = cookies.find("session");
        return found == cookies.end() ? std::string() : found->second;
    }
};

/// A fixture serving make_app() on the store of a derived fixture.
struct SessionAppTest : typhoon::testing::AsyncHTTPTestCase {
    session::SessionOptions options{};

    virtual session::SessionStore& store() = 0;
    web::Application get_app() override { return make_app(store(), options); }

    /// GET `path` as `browser`; the JSON body for a 200, null otherwise.
    boost::json::value browse(Browser& browser, const std::string& path, int expected = 200) {
        httpclient::HTTPRequest request;
        browser.prepare(request);
        last = fetch(path, std::move(request));
        browser.take(last);
        BOOST_TEST(last.code == expected, path << " answered " << last.code);
        return last.code == 200 ? typhoon::escape::json_decode(last.body) : boost::json::value();
    }
    /// The same, as a coroutine, for requests made at the same time.
    awaitable<boost::json::value> async_browse(Browser& browser, std::string path) {
        httpclient::HTTPRequest request{.raise_error = false};
        browser.prepare(request);
        auto response = co_await http_client().fetch(get_url(path), std::move(request));
        browser.take(response);
        BOOST_TEST(response.code == 200);
        co_return typhoon::escape::json_decode(response.body);
    }

    httpclient::HTTPResponse last{};  // the response of the last browse()
};

}  // namespace session_test

#endif
