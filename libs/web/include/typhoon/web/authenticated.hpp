#ifndef TYPHOON_WEB_AUTHENTICATED_HPP
#define TYPHOON_WEB_AUTHENTICATED_HPP

#include <typhoon/web/request_handler.hpp>

namespace typhoon::web {

/** Requires a logged-in user for the rest of the method (Tornado's `@tornado.web.authenticated`).
    Call it first, where Tornado puts the decorator:

        awaitable<void> get() override {
            web::authenticated(*this);
            write("Hello, " + std::string(current_user().as_string()));
            co_return;
        }

    When current_user() is empty (null, "", false, 0, {} or [], as Python's truth test), a GET or
    HEAD is redirected to get_login_url() with `?next=` the request URI (the full URL when the
    login URL is absolute; nothing is added when the login URL has a query already), and the
    method stops there; any other method is refused with HTTPError(403).

    Why a call rather than a wrapper: C++ has no decorators, and a wrapper around a member
    function (`return authenticated(&Handler::get_impl, *this)`) would need a second method for
    each protected one. A one-line guard at the top of the method keeps the method whole, reads
    in the same place as the decorator, and works the same in prepare(). It stops the method by
    throwing Finish after the redirect, which the handler treats as a normal end. */
void authenticated(RequestHandler& handler);

}  // namespace typhoon::web

#endif
