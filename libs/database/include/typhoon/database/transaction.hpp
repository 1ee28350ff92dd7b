#ifndef TYPHOON_DATABASE_TRANSACTION_HPP
#define TYPHOON_DATABASE_TRANSACTION_HPP

#include <typhoon/database/query_methods.hpp>

#include <boost/asio/awaitable.hpp>

#include <memory>

namespace typhoon::database {

namespace detail {
class Lease;
}

/** A transaction on one connection of the pool, from `co_await db.begin()`. Its query methods
    run inside the transaction; `commit()` makes the changes durable. One that leaves scope
    uncommitted is rolled back (on the loop, before its connection returns to the pool):

        auto tx = co_await db.begin();
        co_await tx.execute("UPDATE accounts SET balance = balance - ? WHERE id = ?", 10, a);
        co_await tx.execute("UPDATE accounts SET balance = balance + ? WHERE id = ?", 10, b);
        co_await tx.commit();   // an exception before this line rolls both back */
class Transaction final : public QueryMethods {
public:
    /// Moves the transaction and its connection; the moved-from one is no longer active().
    Transaction(Transaction&&) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction() override;

    /// Commits, and gives the connection back to the pool. @throws InterfaceError if the
    /// transaction has ended already.
    awaitable<void> commit();
    /// Rolls back, and gives the connection back to the pool. @throws InterfaceError if the
    /// transaction has ended already.
    awaitable<void> rollback();
    /// False once committed or rolled back.
    bool active() const noexcept { return lease_ != nullptr; }

    /// Internal: made by Connection::begin() once BEGIN has succeeded.
    explicit Transaction(std::unique_ptr<detail::Lease> lease);

protected:
    awaitable<detail::Result> run(std::string sql, std::vector<Params> params,
                                  Limit limit) override;
    awaitable<RowStream> stream(std::string sql, Params params, Limit limit) override;

private:
    awaitable<void> end(const char* sql);
    detail::Backend& backend();

    std::unique_ptr<detail::Lease> lease_;
};

}  // namespace typhoon::database

#endif
