#include <typhoon/http/http_client.hpp>

#include "client_url.hpp"
#include "connection_pool.hpp"
#include "exchange.hpp"
#include "redirect_policy.hpp"
#include "request_writer.hpp"

#include <typhoon/http/timestamp.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/ioloop/semaphore.hpp>
#include <typhoon/net/detail/base64.hpp>
#include <typhoon/net/netutil.hpp>
#include <typhoon/net/ssl_options.hpp>
#include <typhoon/net/tcp_client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <deque>
#include <limits>
#include <mutex>

namespace typhoon::httpclient {

using namespace detail;

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using httputil::HTTPHeaders;

namespace {

using StatePtr = std::shared_ptr<detail::ClientState>;

/// One hop: a request to one URL, without following its redirect.
awaitable<HTTPResponse> fetch_hop(StatePtr state, const HTTPRequest& request) {
    check_request(request);
    const ParsedUrl url = parse_url(request.url);
    // Built before a connection is asked for, so that a header that would smuggle in lines of
    // its own fails without a byte sent (or a connection opened) anywhere.
    const std::string head = request_head(request, url);
    const auto queued = Clock::now();
    const auto queue_timeout = [&]() -> std::optional<gen::Deadline> {
        const auto connect = request.connect_timeout, whole = request.request_timeout;
        if (connect <= Clock::duration::zero() && whole <= Clock::duration::zero())
            return std::nullopt;
        if (connect <= Clock::duration::zero()) return gen::Deadline(queued + whole);
        if (whole <= Clock::duration::zero()) return gen::Deadline(queued + connect);
        return gen::Deadline(queued + std::min(connect, whole));
    }();
    bool acquired = false;
    try {
        co_await state->slots.acquire(queue_timeout);
        acquired = true;
    } catch (const gen::TimeoutError&) {
    }
    if (!acquired) throw HTTPTimeoutError("Timeout in request queue");
    const locks::Releaser<locks::Semaphore> slot(state->slots);

    const auto start = Clock::now();
    const auto connect_deadline = deadline_after(start, request.connect_timeout);
    const auto request_deadline = deadline_after(start, request.request_timeout);
    const std::string key = pool_key(url, request);
    const std::size_t max_header_size =
        request.max_header_size.value_or(state->options.max_header_size);
    const std::size_t max_body_size = request.max_body_size.value_or(state->options.max_body_size);

    for (int attempt = 0;; ++attempt) {
        auto connection = state->take_idle(key);
        auto connected = start;
        if (!connection) {
            connection =
                co_await open_connection(state, url, request, connect_deadline, request_deadline);
            connected = Clock::now();
        }
        Exchange result;
        std::optional<std::string> stale;
        try {
            co_await exchange(*connection, request, url, head, max_header_size, max_body_size,
                              request_deadline, result);
        } catch (StaleConnection& e) {
            stale = std::move(e.message);
        }
        if (stale) {
            // A body we cannot produce twice is not retried.
            if (attempt > 0 || request.body_producer) throw HTTPStreamClosedError(*stale);
            continue;
        }
        if (result.keep_alive) state->put_idle(key, std::move(connection));
        const auto seconds = [](Clock::duration d) {
            return std::chrono::duration<double>(d).count();
        };
        result.response.effective_url = request.url;
        result.response.time_info = {{"queue", seconds(start - queued)},
                                     {"connect", seconds(connected - start)},
                                     {"total", seconds(Clock::now() - queued)}};
        co_return std::move(result.response);
    }
}

awaitable<HTTPResponse> run_fetch(StatePtr state, HTTPRequest request) {
    const auto wall_start = std::chrono::system_clock::now();
    const auto start = Clock::now();
    HTTPRequest current = request;
    HTTPResponse response = co_await fetch_hop(state, current);
    while (should_follow(current, response.code, response.headers)) {
        current = redirected(current, response);
        response = co_await fetch_hop(state, current);
    }
    response.request = std::move(request);
    response.request_time = std::chrono::duration<double>(Clock::now() - start).count();
    response.start_time = wall_start;
    if (response.code < 200 || response.code >= 300) {
        response.error = std::make_exception_ptr(HTTPClientError(response.code, response.reason));
        if (response.request.raise_error)
            throw HTTPClientError(response.code, response.reason,
                                  std::make_shared<const HTTPResponse>(response));
    }
    co_return response;
}

/// What configure() set: Tornado makes this global on purpose, so it is, behind a lock.
struct Configured {
    std::mutex mutex;
    AsyncHTTPClientOptions options;
};
Configured& configured() {
    static Configured instance;
    return instance;
}

/// Owns the shared client of one IOLoop: an Asio service of the loop's io_context, so it is
/// destroyed (with its idle sockets) when the loop is, before the context goes.
class ClientHolder final : public asio::execution_context::service {
public:
    using key_type = ClientHolder;
    static inline asio::execution_context::id id;  // NOLINT: Asio finds services by this member
    explicit ClientHolder(asio::execution_context& context) : service(context) {}
    AsyncHTTPClient& client() {
        if (!client_) {
            auto& shared = configured();
            const std::lock_guard lock(shared.mutex);
            client_ = std::make_unique<AsyncHTTPClient>(shared.options);
        }
        return *client_;
    }

private:
    void shutdown() override { client_.reset(); }
    std::unique_ptr<AsyncHTTPClient> client_;
};

}  // namespace

AsyncHTTPClient::AsyncHTTPClient(AsyncHTTPClientOptions options)
    : state_(std::make_shared<detail::ClientState>(std::move(options))) {}

AsyncHTTPClient::~AsyncHTTPClient() {
    close();
}

AsyncHTTPClient& AsyncHTTPClient::current() {
    return asio::use_service<ClientHolder>(ioloop::IOLoop::current().context()).client();
}

void AsyncHTTPClient::configure(AsyncHTTPClientOptions options) {
    auto& shared = configured();
    const std::lock_guard lock(shared.mutex);
    shared.options = std::move(options);
}

awaitable<HTTPResponse> AsyncHTTPClient::fetch(std::string url, HTTPRequest request) {
    request.url = std::move(url);
    return run_fetch(state_, std::move(request));
}

awaitable<HTTPResponse> AsyncHTTPClient::fetch(HTTPRequest request) {
    return run_fetch(state_, std::move(request));
}

void AsyncHTTPClient::close() {
    state_->idle.clear();
}

std::size_t AsyncHTTPClient::idle_connection_count() const noexcept {
    std::size_t count = 0;
    for (const auto& [key, queue] : state_->idle)
        count += queue.size();
    return count;
}

HTTPClient::HTTPClient(AsyncHTTPClientOptions options)
    : loop_(std::make_unique<ioloop::IOLoop>(ioloop::IOLoopOptions{.make_current = false})),
      client_(std::make_unique<AsyncHTTPClient>(std::move(options))) {}

HTTPClient::~HTTPClient() {
    client_.reset();  // its sockets belong to loop_
}

HTTPResponse HTTPClient::fetch(std::string url, HTTPRequest request) {
    request.url = std::move(url);
    return fetch(std::move(request));
}

HTTPResponse HTTPClient::fetch(HTTPRequest request) {
    return loop_->run_sync([this, request = std::move(request)]() mutable {
        return client_->fetch(std::move(request));
    });
}

void HTTPClient::close() {
    client_->close();
}

}  // namespace typhoon::httpclient
