#include <typhoon/http/http_client.hpp>

#include "chunk_framing.hpp"
#include "client_url.hpp"
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

namespace typhoon::httpclient {

using detail::parse_url;
using detail::ParsedUrl;
using detail::resolve_location;

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using httputil::HTTPHeaders;
using Clock = std::chrono::steady_clock;
using TLSStream = beast::ssl_stream<beast::tcp_stream>;

namespace {

constexpr std::size_t body_chunk_size = 64 * 1024;

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && detail::lower(a) == detail::lower(b);
}

std::string base64(std::string_view in) {
    return netutil::detail::base64_encode(in);
}

/// Raised inside a fetch when a reused keep-alive connection turns out to be closed before
/// anything was read: the request is retried once on a new connection.
struct StaleConnection {
    std::string message;
};

/// One open connection, plain or TLS, with what was read past the last response.
struct Connection {
    std::unique_ptr<beast::tcp_stream> plain;
    std::unique_ptr<TLSStream> tls;
    std::shared_ptr<asio::ssl::context> context;  // the TLS settings outlive the stream
    beast::flat_buffer buffer;
    Clock::time_point idle_since{};
    bool reused = false;

    beast::tcp_stream& tcp() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
    ~Connection() {
        if (!plain && !tls) return;
        beast::error_code ignored;
        tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        tcp().close();
    }

    /// Whether an idle connection may carry another request: the server has not closed it and
    /// sent nothing unasked (a peek, which reads nothing).
    bool still_open() {
        if (buffer.size() != 0) return false;
        char byte;
        const auto n = ::recv(tcp().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
};

Clock::time_point deadline_after(Clock::time_point start, Clock::duration timeout) {
    return timeout > Clock::duration::zero() ? start + timeout : Clock::time_point::max();
}

void set_expiry(beast::tcp_stream& tcp, Clock::time_point deadline) {
    if (deadline == Clock::time_point::max())
        tcp.expires_never();
    else
        tcp.expires_at(deadline);
}

/// `text` quoted for an error message, with control bytes escaped as Python's repr() does, so
/// that the message cannot itself break a log line.
std::string printable(std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "'";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\r') {
            out += "\\r";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\\' || c == '\'') {
            out += '\\';
            out += c;
        } else if (byte < 0x20 || byte == 0x7f) {
            out += "\\x";
            out += hex[byte >> 4];
            out += hex[byte & 15];
        } else {
            out += c;
        }
    }
    return out + "'";
}

/// RFC 9110 §5.6.2: the characters of a token (method names, header field names).
bool is_tchar(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

/// RFC 9110 §5.5: a field value is visible characters, obs-text, spaces and tabs; any other
/// control byte (CR and LF above all) would end the line and start a header of the sender's
/// choosing.
bool is_field_value_byte(char c) noexcept {
    const auto byte = static_cast<unsigned char>(c);
    return c == '\t' || (byte >= 0x20 && byte != 0x7f);
}

/// The first byte of `text` for which `allowed` is false, or npos.
template <class Predicate>
std::size_t first_disallowed(std::string_view text, Predicate allowed) {
    for (std::size_t i = 0; i < text.size(); ++i)
        if (!allowed(text[i])) return i;
    return std::string_view::npos;
}

/** Refuses, before anything is sent, a URL or method that would not stay one token of the
    request line: a space, CR, LF or any other control byte would end it early or start a line
    of its own (request smuggling). The host, and with it the CONNECT target of a proxied https
    request, is part of the URL. */
void check_request_line(const HTTPRequest& request) {
    const auto bad_url = first_disallowed(request.url, [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte > 0x20 && byte != 0x7f;
    });
    if (bad_url != std::string_view::npos)
        throw HTTPClientError(599, "Invalid character " +
                                       printable(std::string_view(request.url).substr(bad_url, 1)) +
                                       " in url: " + printable(request.url));
    if (request.method.empty()) throw Error("Empty HTTP method");
    const auto bad_method = first_disallowed(request.method, is_tchar);
    if (bad_method != std::string_view::npos)
        throw Error("Invalid character " +
                    printable(std::string_view(request.method).substr(bad_method, 1)) +
                    " in HTTP method " + printable(request.method));
}

/// Tornado's check of a request's method against its body (simple_httpclient._HTTPConnection).
void check_request(const HTTPRequest& request) {
    if (request.auth_mode != "basic") throw Error("unsupported auth_mode " + request.auth_mode);
    check_request_line(request);
    if (request.allow_nonstandard_methods) return;
    const bool body_expected =
        request.method == "POST" || request.method == "PATCH" || request.method == "PUT";
    const bool body_present = request.body.has_value() || static_cast<bool>(request.body_producer);
    if (body_expected != body_present)
        throw Error(std::string("Body must ") + (body_expected ? "not " : "") +
                    "be None for method " + request.method +
                    " (unless allow_nonstandard_methods is true)");
}

/// Whether the request streams a body of unknown length (sent chunked).
bool chunked_upload(const HTTPRequest& request) {
    return request.body_producer && !request.body && !request.headers.contains("Content-Length");
}

/// Whether the request goes to an HTTP proxy with the absolute URL in its request line.
bool absolute_form(const HTTPRequest& request, const ParsedUrl& url) {
    return !request.proxy_host.empty() && url.scheme == "http";
}

/** The request line and headers as they go on the wire.
    @throws Error for a header name that is not a token or a value with a control byte (RFC 9110
    §5.1, §5.5), so that no value can add lines of its own. */
std::string request_head(const HTTPRequest& request, const ParsedUrl& url) {
    HTTPHeaders headers = request.headers;
    if (!headers.contains("Host")) headers.set("Host", url.netloc);
    if (request.user_agent)
        headers.set("User-Agent", *request.user_agent);
    else if (!headers.contains("User-Agent"))
        headers.set("User-Agent", "Typhoon/" TYPHOON_VERSION_STRING);
    if (request.decompress_response) headers.set("Accept-Encoding", "gzip");
    const auto username = request.auth_username ? request.auth_username : url.username;
    if (username) {
        const auto password = request.auth_username ? request.auth_password : url.password;
        headers.set("Authorization", "Basic " + base64(*username + ":" + password.value_or("")));
    }
    if (request.if_modified_since)
        headers.set("If-Modified-Since", httputil::format_timestamp(*request.if_modified_since));
    if (request.body) headers.set("Content-Length", std::to_string(request.body->size()));
    if (request.method == "POST" && !headers.contains("Content-Type"))
        headers.set("Content-Type", "application/x-www-form-urlencoded");
    if (chunked_upload(request)) headers.set("Transfer-Encoding", "chunked");
    if (request.expect_100_continue) headers.set("Expect", "100-continue");
    const bool absolute = absolute_form(request, url);
    if (absolute && request.proxy_username)
        headers.set("Proxy-Authorization", "Basic " + base64(*request.proxy_username + ":" +
                                                             request.proxy_password.value_or("")));

    std::string head = request.method + " ";
    head += absolute ? url.scheme + "://" + url.netloc + url.target : url.target;
    head += " HTTP/1.1\r\n";
    for (const auto& [name, value] : headers.get_all()) {
        const auto bad_name = name.empty() ? 0 : first_disallowed(name, is_tchar);
        if (bad_name != std::string_view::npos)
            throw Error(name.empty() ? std::string("Empty request header name")
                                     : "Invalid character " + printable(name.substr(bad_name, 1)) +
                                           " in request header name " + printable(name));
        const auto bad_value = first_disallowed(value, is_field_value_byte);
        if (bad_value != std::string_view::npos)
            throw Error("Invalid character " + printable(value.substr(bad_value, 1)) +
                        " in the value of request header " + std::string(name) + ": " +
                        printable(value));
        head += name;
        head += ": ";
        head += value;
        head += "\r\n";
    }
    head += "\r\n";
    return head;
}

bool is_redirect(int code) {
    return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
}

bool should_follow(const HTTPRequest& request, int code, const HTTPHeaders& headers) {
    return request.follow_redirects && request.max_redirects > 0 && is_redirect(code) &&
           headers.contains("Location");
}

/// The request for the next hop of a redirect (simple_httpclient's _HTTPConnection.finish).
HTTPRequest redirected(const HTTPRequest& request, const HTTPResponse& response) {
    HTTPRequest next = request;
    next.url = resolve_location(request.url, response.headers.get("Location", ""));
    next.max_redirects = request.max_redirects - 1;
    next.headers.remove("Host");
    // Credentials belong to the origin they were given for (RFC 9110 §15.4: "a user agent MUST
    // NOT" leak them; §4.3.1 defines the origin as scheme, host and port). A redirect elsewhere,
    // and so also from https to http, goes without them, as with Tornado 6.5.6 and curl.
    const ParsedUrl from = parse_url(request.url), to = parse_url(next.url);
    if (from.scheme != to.scheme || from.host != to.host || from.port != to.port) {
        next.headers.remove("Authorization");
        next.headers.remove("Cookie");
        next.auth_username.reset();
        next.auth_password.reset();
    }
    // Browsers turned POST into GET after 301 and 302, and RFC 7231 §6.4.4 makes 303 mean "GET
    // this": Tornado does the same.
    if ((response.code == 303 && request.method != "HEAD") ||
        ((response.code == 301 || response.code == 302) && request.method == "POST")) {
        next.method = "GET";
        next.body.reset();
        next.body_producer = nullptr;
        for (const char* name :
             {"Content-Length", "Content-Type", "Content-Encoding", "Transfer-Encoding"})
            next.headers.remove(name);
    }
    return next;
}

/// The OpenSSL reason for a failed handshake, as precise as OpenSSL can tell.
std::string tls_failure(TLSStream& tls, const beast::error_code& ec, bool validating) {
    std::string reason = ec.message();
    if (validating) {
        const long result = SSL_get_verify_result(tls.native_handle());
        if (result != X509_V_OK)
            reason += std::string(" (") + X509_verify_cert_error_string(result) + ")";
    }
    return reason;
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

}  // namespace

struct detail::ClientState {
    explicit ClientState(AsyncHTTPClientOptions o)
        : options(std::move(o)), slots(std::max(options.max_clients, 1)), tcp(options.resolver) {}

    AsyncHTTPClientOptions options;
    locks::Semaphore slots;
    tcpclient::TCPClient tcp;
    std::map<std::string, std::deque<std::unique_ptr<Connection>>, std::less<>> idle;
    std::map<std::string, std::shared_ptr<asio::ssl::context>, std::less<>> contexts;

    std::unique_ptr<Connection> take_idle(const std::string& key) {
        const auto found = idle.find(key);
        if (found == idle.end()) return nullptr;
        auto& queue = found->second;
        while (!queue.empty()) {
            auto connection = std::move(queue.back());  // the most recent is the likeliest alive
            queue.pop_back();
            if (Clock::now() - connection->idle_since < options.idle_connection_timeout &&
                connection->still_open()) {
                connection->reused = true;
                return connection;
            }
        }
        idle.erase(found);
        return nullptr;
    }

    void put_idle(const std::string& key, std::unique_ptr<Connection> connection) {
        auto& queue = idle[key];
        if (queue.size() >= options.max_idle_connections_per_host) queue.pop_front();
        connection->idle_since = Clock::now();
        connection->tcp().expires_never();
        queue.push_back(std::move(connection));
    }

    std::shared_ptr<asio::ssl::context> tls_context(const HTTPRequest& request) {
        const std::string key = (request.validate_cert ? "1|" : "0|") + request.ca_certs + "|" +
                                request.client_cert + "|" + request.client_key;
        if (const auto found = contexts.find(key); found != contexts.end()) return found->second;
        std::shared_ptr<asio::ssl::context> context;
        try {
            context = netutil::ssl_options_to_context({.certfile = request.client_cert,
                                                       .keyfile = request.client_key,
                                                       .ca_certs = request.ca_certs,
                                                       .verify_peer = request.validate_cert},
                                                      false);
        } catch (const Error& e) {
            throw HTTPClientError(
                599, std::string("Could not load the TLS files of the request: ") + e.what());
        }
        contexts.emplace(key, context);
        return context;
    }
};

namespace {

using StatePtr = std::shared_ptr<detail::ClientState>;

std::string pool_key(const ParsedUrl& url, const HTTPRequest& request) {
    std::string key = url.scheme + "://" + url.host_port();
    if (!request.proxy_host.empty())
        key += "|proxy " + request.proxy_host + ":" + std::to_string(request.proxy_port) + " " +
               request.proxy_username.value_or("");
    if (url.scheme == "https")
        key += (request.validate_cert ? "|v|" : "|n|") + request.ca_certs + "|" +
               request.client_cert + "|" + request.client_key;
    return key;
}

/// Opens the connection a request needs: TCP (to the proxy, when there is one), CONNECT through
/// the proxy for https, then the TLS handshake with SNI and certificate checks.
awaitable<std::unique_ptr<Connection>> open_connection(StatePtr state, const ParsedUrl& url,
                                                       const HTTPRequest& request,
                                                       Clock::time_point connect_deadline,
                                                       Clock::time_point request_deadline) {
    const bool proxied = !request.proxy_host.empty();
    std::string host = proxied ? request.proxy_host : url.host;
    const std::uint16_t port = proxied ? request.proxy_port : url.port;
    if (const auto mapped = state->options.hostname_mapping.find(host);
        mapped != state->options.hostname_mapping.end())
        host = mapped->second;
    const std::string where = (host.find(':') != std::string::npos ? "[" + host + "]" : host) +
                              ":" + std::to_string(port);
    // Whichever timeout ends the connection phase, Tornado reports it as a connect timeout.
    const auto deadline = std::min(connect_deadline, request_deadline);
    const char* const timeout_message = "Timeout while connecting";

    iostream::Stream stream;
    try {
        tcpclient::ConnectOptions options;
        if (deadline != Clock::time_point::max()) options.timeout = gen::Deadline(deadline);
        stream = co_await state->tcp.connect_socket(host, port, std::move(options));
    } catch (const gen::TimeoutError&) {
        throw HTTPTimeoutError(timeout_message);
    } catch (const iostream::StreamClosedError& e) {
        throw HTTPStreamClosedError("Could not connect to " + where + ": " +
                                    e.real_error().message());
    } catch (const boost::system::system_error& e) {
        throw HTTPStreamClosedError("Could not resolve host " + host + ": " + e.code().message());
    }
    auto connection = std::make_unique<Connection>();
    // Beast's tcp_stream, for the deadline it gives each operation; TLS goes over it, after
    // the proxy's CONNECT when there is one, so the client does its own handshake.
    connection->plain = std::make_unique<beast::tcp_stream>(stream.take_tcp());
    beast::error_code ignored;
    connection->plain->socket().set_option(asio::ip::tcp::no_delay(true), ignored);

    if (url.scheme != "https") co_return connection;

    if (proxied) {  // a tunnel to the origin, through which TLS runs end to end
        std::string connect =
            "CONNECT " + url.host_port() + " HTTP/1.1\r\nHost: " + url.host_port() + "\r\n";
        if (request.proxy_username)
            connect += "Proxy-Authorization: Basic " +
                       base64(*request.proxy_username + ":" + request.proxy_password.value_or("")) +
                       "\r\n";
        connect += "\r\n";
        set_expiry(*connection->plain, deadline);
        auto [write_error, written] = co_await asio::async_write(
            *connection->plain, asio::buffer(connect), asio::as_tuple(asio::use_awaitable));
        (void)written;
        http::response_parser<http::empty_body> parser;
        parser.skip(true);  // a 2xx answer to CONNECT has no body: the tunnel starts after it
        beast::error_code read_error = write_error;
        if (!read_error)
            std::tie(read_error, std::ignore) =
                co_await http::async_read_header(*connection->plain, connection->buffer, parser,
                                                 asio::as_tuple(asio::use_awaitable));
        if (read_error == beast::error::timeout) throw HTTPTimeoutError(timeout_message);
        if (read_error)
            throw HTTPStreamClosedError("Proxy " + where + " failed to CONNECT to " +
                                        url.host_port() + ": " + read_error.message());
        const auto& message = parser.get();
        if (message.result_int() / 100 != 2)
            throw HTTPStreamClosedError(
                "Proxy " + where + " refused to CONNECT to " + url.host_port() + ": " +
                std::to_string(message.result_int()) + " " + std::string(message.reason()));
    }

    connection->context = state->tls_context(request);
    connection->tls =
        std::make_unique<TLSStream>(std::move(*connection->plain), *connection->context);
    connection->plain.reset();
    netutil::set_client_hostname(connection->tls->native_handle(), url.host);
    set_expiry(connection->tcp(), deadline);
    auto [ec] = co_await connection->tls->async_handshake(asio::ssl::stream_base::client,
                                                          asio::as_tuple(asio::use_awaitable));
    if (ec == beast::error::timeout) throw HTTPTimeoutError(timeout_message);
    if (ec)
        throw HTTPStreamClosedError("SSL handshake with " + url.host_port() + " failed: " +
                                    tls_failure(*connection->tls, ec, request.validate_cert));
    co_return connection;
}

/// What one request/response exchange on a connection produced.
struct Exchange {
    HTTPResponse response;
    bool keep_alive = false;
};

/// Sends one request and reads its response on an open connection.
template <class Stream>
awaitable<void> exchange(Stream& stream, Connection& connection, const HTTPRequest& request,
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
            if (connection->tls)
                co_await exchange(*connection->tls, *connection, request, url, head,
                                  max_header_size, max_body_size, request_deadline, result);
            else
                co_await exchange(*connection->plain, *connection, request, url, head,
                                  max_header_size, max_body_size, request_deadline, result);
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
