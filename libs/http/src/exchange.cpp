#include "exchange.hpp"

#include "redirect_policy.hpp"
#include "request_writer.hpp"

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/http/http_client_error.hpp>

#include "chunk_framing.hpp"
#include "gzip_inflater.hpp"

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

namespace typhoon::httpclient::detail {

namespace http = boost::beast::http;
using boost::asio::awaitable;
using httputil::HTTPHeaders;
using httputil::max_chunk_line_size;

namespace {

constexpr std::size_t body_chunk_size = 64 * 1024;

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && escape::detail::ascii_lower(a) == escape::detail::ascii_lower(b);
}

std::string read_failure(const beast::error_code& ec, const std::string& where,
                         std::size_t max_header_size, std::size_t max_body_size) {
    if (ec == http::error::header_limit)
        return "Response header block from " + where + " larger than max_header_size (" +
               std::to_string(max_header_size) + " bytes)";
    if (ec == http::error::body_limit)
        return "Response body from " + where + " larger than max_body_size (" +
               std::to_string(max_body_size) + " bytes)";
    return "Malformed HTTP response from " + where + ": " + ec.message();
}

bool connection_lost(const beast::error_code& ec) {
    return ec == http::error::end_of_stream || ec == http::error::partial_message ||
           ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == asio::error::broken_pipe || ec == asio::error::connection_aborted ||
           ec == asio::ssl::error::stream_truncated;
}

/// Sends one request and reads its response on an open connection.
template <class Stream>
awaitable<void> exchange_on(Stream& stream, Connection& connection, const HTTPRequest& request,
                            const ParsedUrl& url, std::string head, std::size_t max_header_size,
                            std::size_t max_body_size, Clock::time_point deadline, Exchange& out) {
    auto& tcp = connection.tcp();
    const std::string where = url.host_port();
    const bool chunked = chunked_upload(request);
    bool received_anything = false;
    const bool idempotent = request.method == "GET" || request.method == "HEAD" ||
                            request.method == "OPTIONS" || request.method == "PUT" ||
                            request.method == "DELETE" || request.method == "TRACE";

    // Failures while writing or before the first byte of the answer on a reused connection mean
    // the server dropped it while idle: the caller retries on a new one.
    // It returns the error rather than throwing it from a helper so that its type survives.
    const auto fail = [&](const beast::error_code& ec, bool reading) -> std::exception_ptr {
        if (ec == beast::error::timeout)
            return std::make_exception_ptr(HTTPTimeoutError("Timeout during request"));
        if (connection_lost(ec) || !reading) {
            // A request that failed while being written never reached the application; one
            // whose answer never came may have, so only idempotent methods are sent again
            // (RFC 7230 §6.3.1).
            if (connection.reused && !received_anything && (!reading || idempotent))
                throw StaleConnection{"Connection to " + where + " closed: " + ec.message()};
            if (ec == http::error::partial_message)
                return std::make_exception_ptr(
                    HTTPStreamClosedError("Connection closed by " + where +
                                          " before the response was complete (truncated body)"));
            if (!received_anything)
                return std::make_exception_ptr(HTTPStreamClosedError(
                    "Connection closed by " + where + " before a response: " + ec.message()));
            return std::make_exception_ptr(
                HTTPStreamClosedError("Connection to " + where + " lost: " + ec.message()));
        }
        return std::make_exception_ptr(
            HTTPClientError(599, read_failure(ec, where, max_header_size, max_body_size)));
    };

    set_expiry(tcp, deadline);
    const auto write_all = [&](std::string_view data) -> awaitable<void> {
        set_expiry(tcp, deadline);
        auto [ec, n] = co_await asio::async_write(stream, asio::buffer(data.data(), data.size()),
                                                  asio::as_tuple(asio::use_awaitable));
        (void)n;
        if (ec) std::rethrow_exception(fail(ec, false));
    };
    const auto write_body = [&]() -> awaitable<void> {
        if (request.body) {
            co_await write_all(*request.body);
        } else if (request.body_producer) {
            const BodyWrite write = [&](std::string_view chunk) -> awaitable<void> {
                if (chunk.empty()) co_return;  // an empty chunk would end a chunked body
                if (!chunked) {
                    co_await write_all(chunk);
                    co_return;
                }
                char size[20];
                const auto end = std::to_chars(size, size + sizeof size, chunk.size(), 16).ptr;
                std::string framed(size, end);
                framed += "\r\n";
                framed += chunk;
                framed += "\r\n";
                co_await write_all(framed);
            };
            co_await request.body_producer(write);
            if (chunked) co_await write_all("0\r\n\r\n");
        }
    };

    bool body_sent = false;
    if (!request.expect_100_continue && request.body && request.body->size() < 16 * 1024) {
        head += *request.body;  // a small request is one send
        body_sent = true;
    }
    co_await write_all(head);
    if (!request.expect_100_continue && !body_sent) {
        co_await write_body();
        body_sent = true;
    }

    // Interim 1xx responses are skipped, except the 100 that an expect_100_continue request
    // waits for.
    connection.buffer.max_size(httputil::detail::read_buffer_limit(max_header_size));
    std::optional<http::response_parser<http::buffer_body>> parser;
    std::size_t header_bytes = 0;
    for (;;) {
        parser.emplace();
        parser->header_limit(static_cast<std::uint32_t>(
            std::min<std::size_t>(max_header_size, std::numeric_limits<std::uint32_t>::max())));
        parser->body_limit(max_body_size);
        if (request.method == "HEAD") parser->skip(true);
        set_expiry(tcp, deadline);
        auto [ec, n] = co_await http::async_read_header(stream, connection.buffer, *parser,
                                                        asio::as_tuple(asio::use_awaitable));
        if (n > 0 || connection.buffer.size() > 0) received_anything = true;
        if (ec) std::rethrow_exception(fail(ec, true));
        header_bytes = n;
        const int code = static_cast<int>(parser->get().result_int());
        // Beast reads any three digits; RFC 9110 §15 gives the first one a class from 1 to 5
        // (6 to 9 are left to private use), so "050" frames nothing a caller could act on.
        if (code < 100)
            throw HTTPClientError(599, "Malformed HTTP response from " + where + ": status code " +
                                           std::to_string(code) +
                                           " is not an HTTP status (100-999)");
        if (code == 100 && request.expect_100_continue && !body_sent) {
            co_await write_body();
            body_sent = true;
            continue;
        }
        if (code >= 100 && code < 200 && code != 101) continue;
        break;
    }

    // Trailer fields count against the header block's limit, as the server's do (Tornado reads
    // no trailers at all; RFC 9112 §7.1.2 lets a recipient bound them).
    const std::size_t trailer_budget =
        max_header_size > header_bytes ? max_header_size - header_bytes : 0;
    std::optional<std::string> over_limit;  // set when a chunk's framing broke a limit
    const auto framing_failure = [&](bool last) -> std::optional<std::string> {
        const auto crossed = httputil::detail::chunk_limit_crossed(
            httputil::detail::buffered(connection.buffer), last, trailer_budget);
        if (crossed == httputil::detail::ChunkLimit::line)
            return "Chunk-size line from " + where + " longer than " +
                   std::to_string(max_chunk_line_size) + " bytes";
        if (crossed == httputil::detail::ChunkLimit::trailers)
            return "Response header block and trailers from " + where +
                   " larger than max_header_size (" + std::to_string(max_header_size) + " bytes)";
        return std::nullopt;
    };
    // Called once Beast holds a whole chunk-size line (and, for the last chunk, the trailers).
    auto on_chunk_header = [&](std::uint64_t size, beast::string_view, beast::error_code& ec) {
        over_limit = framing_failure(size == 0);
        if (over_limit) ec = http::error::bad_chunk;
    };
    parser->on_chunk_header(on_chunk_header);

    auto& message = parser->get();
    HTTPResponse& response = out.response;
    response.code = static_cast<int>(message.result_int());
    response.reason = std::string(message.reason());
    if (response.reason.empty()) response.reason = reason_phrase(response.code);
    for (const auto& field : message)
        response.headers.add(field.name_string(), field.value());
    const bool following = should_follow(request, response.code, response.headers);

    std::unique_ptr<httpserver::detail::GzipInflater> inflater;
    if (request.decompress_response &&
        iequals(response.headers.get("Content-Encoding", ""), "gzip")) {
        inflater = std::make_unique<httpserver::detail::GzipInflater>();
        response.headers.add("X-Consumed-Content-Encoding",
                             response.headers.get("Content-Encoding", ""));
        response.headers.remove("Content-Encoding");
    }
    if (request.header_callback && !following) {
        request.header_callback((message.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ") +
                                std::to_string(response.code) + " " + response.reason + "\r\n");
        for (const auto& [name, value] : response.headers.get_all())
            request.header_callback(std::string(name) + ": " + std::string(value) + "\r\n");
        request.header_callback("\r\n");
    }

    std::size_t delivered = 0;
    const auto deliver = [&](std::string_view piece) {
        if (following) return;  // the body of a redirect we follow is read and dropped
        if (request.streaming_callback)
            request.streaming_callback(piece);
        else
            response.body.append(piece);
    };
    if (!parser->is_done()) {
        // Uninitialised, and no larger than a declared length: zeroing 64 KiB per response
        // cost more than the rest of a small fetch.
        const std::size_t chunk_size = static_cast<std::size_t>(std::min<std::uint64_t>(
            body_chunk_size, parser->content_length().value_or(body_chunk_size)));
        const std::unique_ptr<char[]> chunk(new char[chunk_size]);
        while (!parser->is_done()) {
            message.body().data = chunk.get();
            message.body().size = chunk_size;
            set_expiry(tcp, deadline);
            auto [ec, n] = co_await http::async_read_some(stream, connection.buffer, *parser,
                                                          asio::as_tuple(asio::use_awaitable));
            (void)n;
            if (ec == http::error::need_buffer) ec = {};
            if (over_limit) throw HTTPClientError(599, *over_limit);
            if (ec == http::error::buffer_overflow) {  // a line or trailers that never end
                if (auto failure = framing_failure(true)) throw HTTPClientError(599, *failure);
            }
            if (ec) std::rethrow_exception(fail(ec, true));
            const std::size_t got = chunk_size - message.body().size;
            if (got == 0) continue;
            if (!inflater) {
                deliver(std::string_view(chunk.get(), got));
                continue;
            }
            inflater->input(std::string_view(chunk.get(), got));
            for (;;) {
                std::optional<std::string_view> piece;
                try {
                    piece = inflater->next();
                } catch (const std::invalid_argument&) {
                    throw HTTPClientError(
                        599, "Malformed HTTP response from " + where + ": invalid gzip body");
                }
                if (!piece) break;
                delivered += piece->size();
                if (delivered > max_body_size)
                    throw HTTPClientError(599, "Decompressed response body from " + where +
                                                   " larger than max_body_size (" +
                                                   std::to_string(max_body_size) + " bytes)");
                deliver(*piece);
            }
        }
    }
    // A gzip stream carries its own end (RFC 1952 §2.2: CRC32 and ISIZE); a body that stops
    // before it was cut off, however well its HTTP framing ended.
    if (inflater && inflater->started() && !inflater->finished())
        throw HTTPClientError(599, "Malformed HTTP response from " + where +
                                       ": truncated gzip body (it ends before the gzip trailer)");
    out.keep_alive = parser->keep_alive() && body_sent &&
                     !iequals(request.headers.get("Connection", ""), "close") &&
                     response.code != 101;
}

}  // namespace

awaitable<void> exchange(Connection& connection, const HTTPRequest& request, const ParsedUrl& url,
                         std::string head, std::size_t max_header_size, std::size_t max_body_size,
                         Clock::time_point deadline, Exchange& out) {
    if (connection.tls)
        co_await exchange_on(*connection.tls, connection, request, url, std::move(head),
                             max_header_size, max_body_size, deadline, out);
    else
        co_await exchange_on(*connection.plain, connection, request, url, std::move(head),
                             max_header_size, max_body_size, deadline, out);
}

}  // namespace typhoon::httpclient::detail
