#ifndef TYPHOON_DATABASE_ROW_STREAM_HPP
#define TYPHOON_DATABASE_ROW_STREAM_HPP

#include <typhoon/database/row.hpp>

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <optional>

namespace typhoon::database {

namespace detail {
class Backend;
class Lease;
}  // namespace detail

/** The rows of one statement, read one by one as they arrive (what torndb's iter() yields).
    From Connection::iter() it holds a connection of the pool until the last row has been read
    or the stream is destroyed; a stream left unfinished costs that connection (a MariaDB
    connection in the middle of a result cannot be reused), so read to the end when you can.
    From Transaction::iter() it borrows the transaction's connection: finish or destroy it before
    the transaction ends, and before the transaction's next statement (which throws meanwhile). */
class RowStream {
public:
    ///@{
    /// Moves the stream and its hold on the connection; assignment first ends the stream it
    /// replaces, as destruction would.
    RowStream(RowStream&&) noexcept;
    RowStream& operator=(RowStream&&) noexcept;
    ///@}
    ~RowStream();

    /// The next row, or std::nullopt after the last one (and on every call after that).
    boost::asio::awaitable<std::optional<Row>> next();

    /// Internal: made by QueryMethods::iter().
    RowStream(std::unique_ptr<detail::Lease> lease, detail::Backend* backend);

private:
    void finish() noexcept;

    std::unique_ptr<detail::Lease> lease_;  // null when a Transaction lends its connection
    detail::Backend* backend_;
    bool done_ = false;
};

}  // namespace typhoon::database

#endif
