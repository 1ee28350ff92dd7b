#include <typhoon/session/session_store.hpp>

namespace typhoon::session {

SessionStoreError::SessionStoreError(const std::string& what)
    : web::HTTPError(503, "session store: " + what) {}

SessionStore::~SessionStore() = default;

}  // namespace typhoon::session
