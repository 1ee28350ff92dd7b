#ifndef TYPHOON_SESSION_SESSION_MIXIN_HPP
#define TYPHOON_SESSION_SESSION_MIXIN_HPP

#include <typhoon/session/session.hpp>
#include <typhoon/session/session_options.hpp>
#include <typhoon/session/session_store.hpp>

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace typhoon::web {
class RequestHandler;
}

namespace typhoon::session {

/** Server-side sessions for a web::RequestHandler, mixed in beside it as tornado.auth's mixins
    are: the handler says where sessions live (session_store()), loads the browser's session with
    `co_await session()` and writes it back with `co_await save_session()`.

        class CartHandler final : public web::RequestHandler, public session::SessionMixin {
        public:
            using RequestHandler::RequestHandler;
            void initialize(session::SessionStore& store) { store_ = &store; }
            session::SessionStore& session_store() override { return *store_; }

            awaitable<void> post() override {
                session::Session& session = co_await this->session();
                auto cart = session.get("cart", boost::json::array()).as_array();
                cart.push_back(boost::json::string(get_argument("item")));
                session.set("cart", std::move(cart));
                co_await save_session();
                redirect("/cart");
            }
        private:
            session::SessionStore* store_ = nullptr;
        };

    Saving is explicit: a response is sent when the method returns, and a store write is a
    coroutine that must finish before it (so that the next request sees it, and a failure
    answers this one). Call save_session() after the changes, before the method returns; after
    finish(), redirect() or render() is fine, as long as nothing was flushed. It writes only a
    session that changed.

    The id: 192 random bits from OpenSSL, in a cookie signed with the application's
    cookie_secret (set_signed_cookie), HttpOnly, SameSite=Lax, Secure over HTTPS (see
    SessionOptions). A cookie that is missing, tampered with (logged at warning by
    get_signed_cookie), expired or names no stored session gives a new, empty session, never an
    error page; a new session takes a fresh id when first saved, never one the browser chose.
    After a login, call regenerate_session(): the session keeps its data under a new id, so that
    an id planted in the browser before the login (session fixation) is worth nothing after it.

    Each request that loads an existing session moves its idle expiry forward (one touch() of
    the store). Failures of the store raise SessionStoreError, so the request answers 503; the
    next request asks the store again. */
class SessionMixin {
public:
    virtual ~SessionMixin();

    /// Where the handler's sessions live. The store must outlive the request.
    virtual SessionStore& session_store() = 0;
    /// Expiry and cookie options; SessionOptions{} by default. Override to change them (return
    /// an object that outlives the request: a static, or one the route hands to initialize()).
    virtual const SessionOptions& session_options() const;

protected:
    ///@{
    /// A mixin is only a base of a handler class.
    SessionMixin();
    SessionMixin(const SessionMixin&) = delete;
    SessionMixin& operator=(const SessionMixin&) = delete;
    ///@}

    /** The browser's session, loaded from the store on the first call of the request (the same
        object afterwards). An ended session is deleted and a new one returned. An awaitable
        cannot carry a reference, hence the wrapper: `session::Session& s = co_await session();`
        @throws SessionStoreError; typhoon::Error when the most derived class is not also a
        web::RequestHandler, or the application has no cookie_secret. */
    awaitable<std::reference_wrapper<Session>> session();
    /** Writes the session to the store if it changed, and sends the cookie when the session is
        new. A new session that holds nothing is not stored. Nothing happens when session() was
        never called. @throws SessionStoreError */
    awaitable<void> save_session();
    /** Gives the session a new id (and a new absolute lifetime), keeping its data, and deletes
        the entry under the old one: call it when the user logs in. A new session just stays
        new (it gets its id when saved). @throws SessionStoreError */
    awaitable<void> regenerate_session();
    /** Deletes the session from the store and clears its cookie: call it when the user logs
        out. session() then returns a new, empty session. @throws SessionStoreError */
    awaitable<void> destroy_session();

private:
    web::RequestHandler& handler();
    /// The id in the request's session cookie, when its signature holds.
    std::optional<std::string> cookie_id();
    /// Saves the session under a fresh id and sends the cookie that names it.
    awaitable<void> store_under_new_id(Session& session);

    std::unique_ptr<Session> session_;  // null until session() loads it
};

}  // namespace typhoon::session

#endif
