#include "connection.hpp"

#include <typhoon/ioloop/timeout.hpp>
#include <typhoon/redis/errors.hpp>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/system/system_error.hpp>

#include <sys/ioctl.h>

#include <algorithm>
#include <utility>

namespace typhoon::redis::detail {

namespace asio = boost::asio;
using boost::system::error_code;

/** The Asio side of hiredis's event hooks (its `ev.addRead` ... `ev.cleanup`): the context's fd
    is watched with async_wait, and readiness is handed to redisAsyncHandleRead/Write. The fd
    stays hiredis's: it closes it when it frees the context, after `cleanup`, where the
    descriptor lets go of it. The Socket keeps itself alive until then, and each wait keeps it
    alive until it completes. */
class Socket : public std::enable_shared_from_this<Socket> {
public:
    static void attach(redisAsyncContext* context, const asio::any_io_executor& executor) {
        auto socket = std::shared_ptr<Socket>(new Socket(context, executor));
        socket->self_ = socket;
        context->ev.data = socket.get();
        context->ev.addRead = [](void* data) { static_cast<Socket*>(data)->want(true, true); };
        context->ev.delRead = [](void* data) { static_cast<Socket*>(data)->want(true, false); };
        context->ev.addWrite = [](void* data) { static_cast<Socket*>(data)->want(false, true); };
        context->ev.delWrite = [](void* data) { static_cast<Socket*>(data)->want(false, false); };
        context->ev.cleanup = [](void* data) { static_cast<Socket*>(data)->cleanup(); };
    }

private:
    Socket(redisAsyncContext* context, const asio::any_io_executor& executor)
        : context_(context), descriptor_(executor, context->c.fd) {}

    void want(bool read, bool on) {
        (read ? want_read_ : want_write_) = on;
        if (on) read ? arm_read() : arm_write();
    }

    void arm_read() {
        if (reading_ || !context_) return;
        reading_ = true;
        descriptor_.async_wait(asio::posix::descriptor_base::wait_read,
                               [self = shared_from_this()](error_code ec) {
                                   self->reading_ = false;
                                   if (!ec) self->readable();
                               });
    }

    void arm_write() {
        if (writing_ || !context_) return;
        writing_ = true;
        descriptor_.async_wait(asio::posix::descriptor_base::wait_write,
                               [self = shared_from_this()](error_code ec) {
                                   self->writing_ = false;
                                   if (ec || !self->context_ || !self->want_write_) return;
                                   redisAsyncHandleWrite(self->context_);
                                   if (self->context_ && self->want_write_) self->arm_write();
                               });
    }

    // hiredis reads at most 16 KiB per call. What is left in the kernel buffer is read here,
    // rather than by waiting again, so that no readiness is missed; after a few rounds the
    // rest is posted so that one busy connection does not starve the loop.
    void readable() {
        for (int round = 0; round < 16; ++round) {
            if (!context_ || !want_read_) return;
            redisAsyncHandleRead(context_);
            if (!context_ || !want_read_) return;
            int available = 0;
            if (ioctl(context_->c.fd, FIONREAD, &available) != 0 || available <= 0) {
                arm_read();
                return;
            }
        }
        asio::post(descriptor_.get_executor(), [self = shared_from_this()] { self->readable(); });
    }

    void cleanup() {
        auto keep = std::move(self_);  // this may be the last owner: go on from the copy
        context_ = nullptr;
        error_code ignored;
        descriptor_.cancel(ignored);
        (void)descriptor_.release();  // hiredis closes the fd itself, next
        if (auto* connection = owner()) connection->context_ = nullptr;
    }

    Connection* owner() const { return owner_; }

    friend class Connection;
    redisAsyncContext* context_;
    asio::posix::stream_descriptor descriptor_;
    Connection* owner_ = nullptr;
    bool want_read_ = false, want_write_ = false, reading_ = false, writing_ = false;
    std::shared_ptr<Socket> self_;
};

Reply to_reply(const redisReply& reply) {
    switch (reply.type) {
        case REDIS_REPLY_STRING:
            return Reply::bulk(std::string(reply.str, reply.len));
        case REDIS_REPLY_STATUS:
            return Reply::status(std::string(reply.str, reply.len));
        case REDIS_REPLY_ERROR:
            return Reply::error(std::string(reply.str, reply.len));
        case REDIS_REPLY_INTEGER:
            return Reply::integer(reply.integer);
        case REDIS_REPLY_ARRAY: {
            std::vector<Reply> elements;
            elements.reserve(reply.elements);
            for (std::size_t i = 0; i < reply.elements; ++i)
                elements.push_back(to_reply(*reply.element[i]));
            return Reply::array(std::move(elements));
        }
        default:
            return Reply();
    }
}

Connection::Connection(const Config& config, ioloop::IOLoop& loop) : config_(config), loop_(loop) {}

std::shared_ptr<Connection> Connection::open(const Config& config, ioloop::IOLoop& loop) {
    auto connection = std::shared_ptr<Connection>(new Connection(config, loop));
    connection->start();
    return connection;
}

void Connection::start() {
    const auto& endpoint = config_.endpoint;
    // hiredis resolves a host name with a blocking getaddrinfo() here; see Client's docs.
    redisAsyncContext* context = endpoint.socket_path.empty()
                                     ? redisAsyncConnect(endpoint.host.c_str(), endpoint.port)
                                     : redisAsyncConnectUnix(endpoint.socket_path.c_str());
    if (!context) throw ConnectionError("redis: out of memory connecting to " + endpoint.display);
    if (context->err) {
        std::string message = "redis: cannot connect to " + endpoint.display + ": " +
                              (context->errstr ? context->errstr : "unknown error");
        redisAsyncFree(context);
        throw ConnectionError(message);
    }
    context_ = context;
    context->data = this;
    Socket::attach(context, loop_.get_executor());
    static_cast<Socket*>(context->ev.data)->owner_ = this;
    // Setting the connect callback makes hiredis wait for writability: that is how a
    // non-blocking connect() reports that it is done.
    redisAsyncSetConnectCallback(context, &Connection::on_connect);
    redisAsyncSetDisconnectCallback(context, &Connection::on_disconnect);

    auto setup = [&](std::vector<std::string> command) {
        std::vector<const char*> argv;
        std::vector<std::size_t> lengths;
        for (const auto& argument : command) {
            argv.push_back(argument.data());
            lengths.push_back(argument.size());
        }
        ++setup_left_;
        redisAsyncCommandArgv(context, &Connection::on_setup_reply, nullptr,
                              static_cast<int>(argv.size()), argv.data(), lengths.data());
    };
    if (!endpoint.password.empty()) {
        if (endpoint.user.empty())
            setup({"AUTH", endpoint.password});
        else
            setup({"AUTH", endpoint.user, endpoint.password});
    }
    if (endpoint.db != 0) setup({"SELECT", std::to_string(endpoint.db)});

    const auto timeout = config_.options.connect_timeout;
    connect_timer_ =
        loop_.call_later(timeout, [weak = std::weak_ptr<Connection>(shared_from_this()), timeout] {
            if (auto connection = weak.lock(); connection && !connection->established_)
                connection->drop("redis: cannot connect to " +
                                 connection->config_.endpoint.display + ": timed out after " +
                                 std::to_string(timeout.count()) + " ms");
        });
}

Connection::~Connection() {
    loop_.remove_timeout(connect_timer_);
    drop("redis: connection closed");
}

void Connection::setup_done(std::string error) {
    if (!error.empty()) {
        drop("redis: cannot log in to " + config_.endpoint.display + ": " + error);
        return;
    }
    if (established_ || !usable()) return;
    established_ = true;
    loop_.remove_timeout(connect_timer_);
}

void Connection::on_connect(const redisAsyncContext* context, int status) {
    auto* self = static_cast<Connection*>(context->data);
    if (status != REDIS_OK) {
        self->lost("redis: cannot connect to " + self->config_.endpoint.display + ": " +
                   (context->errstr ? context->errstr : "connection failed"));
        return;
    }
    if (self->setup_left_ == 0) self->setup_done({});
}

void Connection::on_disconnect(const redisAsyncContext* context, int status) {
    auto* self = static_cast<Connection*>(context->data);
    if (status != REDIS_OK && context->errstr)
        self->lost("redis: connection to " + self->config_.endpoint.display +
                   " lost: " + context->errstr);
    else
        self->lost("redis: connection to " + self->config_.endpoint.display + " closed");
}

void Connection::on_setup_reply(redisAsyncContext* context, void* reply, void*) {
    auto* self = static_cast<Connection*>(context->data);
    --self->setup_left_;
    const auto* r = static_cast<redisReply*>(reply);
    if (!r) return;  // the connection is going; its reason is set
    if (r->type == REDIS_REPLY_ERROR)
        self->setup_done(std::string(r->str, r->len));
    else if (self->setup_left_ == 0)
        self->setup_done({});
}

void Connection::lost(std::string reason) noexcept {
    if (!reason_.empty()) return;
    reason_ = std::move(reason);
    lost_at_ = loop_.time();
}

std::string Connection::loss_message() const {
    if (!reason_.empty()) return reason_;
    if (context_ && context_->err && context_->errstr)
        return "redis: connection to " + config_.endpoint.display + " lost: " + context_->errstr;
    return "redis: connection to " + config_.endpoint.display + " lost";
}

void Connection::drop(std::string reason) noexcept {
    if (!context_) return;
    lost(std::move(reason));
    // Inside a hiredis callback this only marks the context; hiredis frees it on return.
    redisAsyncFree(context_);
}

void Connection::on_reply(redisAsyncContext* context, void* reply, void* data) {
    auto* self = static_cast<Connection*>(context->data);
    auto* pending = static_cast<Pending*>(data);
    --self->in_flight_;
    // The last callback releases hiredis's hold; `keep` holds it to the end of this call.
    std::shared_ptr<Pending> keep =
        --pending->callbacks_left == 0 ? std::move(pending->held_by_hiredis) : nullptr;
    if (reply) {
        pending->replies.push_back(to_reply(*static_cast<redisReply*>(reply)));
    } else if (pending->lost.empty()) {
        if (self->reason_.empty() && context->err && context->errstr)
            self->lost("redis: connection to " + self->config_.endpoint.display +
                       " lost: " + context->errstr);
        pending->lost = self->loss_message();
    }
    if (pending->callbacks_left == 0) pending->done.set();
}

void Connection::send(const std::vector<std::string>& command,
                      const std::shared_ptr<Pending>& pending) {
    if (!usable()) throw ConnectionError(loss_message());
    const char* argv_small[8];
    std::size_t lengths_small[8];
    std::vector<const char*> argv_big;
    std::vector<std::size_t> lengths_big;
    const char** argv = argv_small;
    std::size_t* lengths = lengths_small;
    if (command.size() > 8) {
        argv_big.resize(command.size());
        lengths_big.resize(command.size());
        argv = argv_big.data();
        lengths = lengths_big.data();
    }
    for (std::size_t i = 0; i < command.size(); ++i) {
        argv[i] = command[i].data();
        lengths[i] = command[i].size();
    }
    if (redisAsyncCommandArgv(context_, &Connection::on_reply, pending.get(),
                              static_cast<int>(command.size()), argv, lengths) != REDIS_OK)
        throw ConnectionError("redis: cannot send " + (command.empty() ? "" : command[0]) + ": " +
                              loss_message());
    if (pending->callbacks_left++ == 0) pending->held_by_hiredis = pending;
    ++in_flight_;
}

void Connection::send(const std::vector<std::vector<std::string>>& commands,
                      const std::shared_ptr<Pending>& pending) {
    for (const auto& command : commands)
        send(command, pending);
}

bool Connection::send_raw(const std::vector<std::string>& command,
                          void (*callback)(redisAsyncContext*, void*, void*), void* data) {
    if (!usable()) return false;
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const auto& argument : command) {
        argv.push_back(argument.data());
        lengths.push_back(argument.size());
    }
    return redisAsyncCommandArgv(context_, callback, data, static_cast<int>(argv.size()),
                                 argv.data(), lengths.data()) == REDIS_OK;
}

asio::awaitable<void> Connection::wait(std::shared_ptr<Connection> connection, Pending& pending,
                                       std::optional<std::chrono::milliseconds> timeout) {
    std::optional<gen::Deadline> deadline;
    if (timeout) deadline = gen::Deadline(*timeout);
    try {
        co_await pending.done.wait(deadline);
    } catch (const gen::TimeoutError&) {
        const std::string message = "redis: no reply from " + connection->config_.endpoint.display +
                                    " within " + std::to_string(timeout->count()) + " ms";
        connection->drop(message + "; the connection was closed");
        throw TimeoutError(message);
    } catch (const boost::system::system_error&) {
        // Cancelled: the reply will still come, in order, and nobody would take it.
        connection->drop("redis: the connection was closed because a command was cancelled");
        throw;
    }
    if (!pending.lost.empty()) throw ConnectionError(pending.lost);
}

}  // namespace typhoon::redis::detail
