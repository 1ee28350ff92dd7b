#ifndef TYPHOON_SESSION_HPP
#define TYPHOON_SESSION_HPP

// typhoon::session: server-side sessions for request handlers (Tornado has none; Drogon and Crow
// do): the Session, the SessionMixin that loads and saves it, the SessionStore interface and the
// in-memory store. The stores on other engines have targets and headers of their own:
// <typhoon/session/database_store.hpp> (typhoon::session_database) and
// <typhoon/session/redis_store.hpp> (typhoon::session_redis).
#include <typhoon/session/memory_store.hpp>
#include <typhoon/session/session.hpp>
#include <typhoon/session/session_mixin.hpp>
#include <typhoon/session/session_options.hpp>
#include <typhoon/session/session_store.hpp>

#endif
