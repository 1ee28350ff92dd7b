#ifndef TYPHOON_DATABASE_NOTIFICATIONS_HPP
#define TYPHOON_DATABASE_NOTIFICATIONS_HPP

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>

namespace typhoon::database {

namespace detail {
class Subscription;
}

/// One PostgreSQL notification: what `NOTIFY channel, 'payload'` (or pg_notify()) sent.
struct Notification {
    std::string channel;  ///< as LISTEN named it
    std::string payload;  ///< empty when NOTIFY gave none
    int pid = 0;          ///< the server process of the session that sent it
};

/** The notifications of one PostgreSQL channel, as they arrive: `LISTEN channel` as an async
    stream (what asyncpg's add_listener() and psycopg's notifies() give). Every stream of a
    Connection shares one connection of its own, outside the pool, which Typhoon reopens when
    it is lost (a server restart, a failover) and on which it LISTENs again; what was sent while
    it was away is not delivered, as PostgreSQL keeps nothing for a session that is gone.

        auto notes = co_await db.listen("notes");
        co_await db.notify("notes", "note 7 changed");   // from any connection, any process
        auto n = co_await notes.next();                  // n.channel, n.payload, n.pid

    Notifications wait in the stream until read: read them, or destroy the stream (its last one
    on a channel UNLISTENs). Use it on the loop of its Connection, which must outlive it. */
class Notifications {
public:
    ///@{
    /// Moves the stream; a moved-from one may only be destroyed or assigned.
    Notifications(Notifications&&) noexcept;
    Notifications& operator=(Notifications&&) noexcept;
    ///@}
    ~Notifications();

    /** The next notification of the channel, waiting for it.
        @throws OperationalError when the Connection has been destroyed meanwhile. */
    boost::asio::awaitable<Notification> next();
    /// The channel this stream listens on.
    const std::string& channel() const noexcept;

    /// Internal: made by Connection::listen().
    explicit Notifications(std::shared_ptr<detail::Subscription> subscription);

private:
    std::shared_ptr<detail::Subscription> subscription_;
};

}  // namespace typhoon::database

#endif
