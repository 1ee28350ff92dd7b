#include "http1_connection.hpp"

#include "chunk_framing.hpp"
#include "gzip_inflater.hpp"

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/log.hpp>
#include <typhoon/http/http_input_error.hpp>
#include <typhoon/net/error.hpp>
#include <typhoon/net/netutil.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace typhoon::httpserver::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using httputil::HTTPHeaders;
using httputil::HTTPOutputError;

namespace {

constexpr std::size_t body_chunk_size = 64 * 1024;
constexpr std::size_t flush_threshold = 64 * 1024;

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view s) {
    return escape::detail::strip(s, escape::detail::http_whitespace);
}

/// Whether `text` holds '\r' or '\n' (or ':' with `colon`). It runs over every byte of every
/// response header, so eight bytes at a time: only a word with a byte below ' ' (rare in headers)
/// or a ':' is looked at byte by byte.
bool has_line_break(std::string_view text, bool colon) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101, highs = 0x8080808080808080;
    const auto suspect = [&](std::uint64_t word) {
        const std::uint64_t colons = word ^ (ones * ':');
        return (((word - ones * ' ') & ~word) | (colon ? (colons - ones) & ~colons : 0)) & highs;
    };
    const auto exact = [&](std::string_view bytes) {
        for (const char c : bytes)
            if (c == '\r' || c == '\n' || (colon && c == ':')) return true;
        return false;
    };
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, text.data() + i, 8);
        if (suspect(word) && exact(text.substr(i, 8))) return true;
    }
    return exact(text.substr(i));
}

/// The IP of an "ip:port" or "[ipv6]:port" peer address; "0.0.0.0" for a Unix socket, as Tornado.
std::string ip_of(std::string_view address) {
    if (address.empty()) return "0.0.0.0";
    const auto colon = address.rfind(':');
    std::string_view ip = address.substr(0, colon);
    if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
    return std::string(ip);
}

/** What the framing and keep-alive rules read of a request head, gathered in the one pass that
    copies its fields: a lookup per rule was a tree search with case-blind string compares
    each, a tenth of the cost of serving a small request. */
struct HeadFields {
    std::size_t hosts = 0, transfer_encodings = 0;
    std::string_view host, transfer_encoding;  // the first of each
    bool content_length = false;
    // The values of each, joined by ",", as HTTPHeaders::get() gives them.
    std::optional<std::string> connection, expect;

    void add(http::field name, std::string_view value) {
        switch (name) {
            case http::field::host:
                if (hosts++ == 0) host = value;
                break;
            case http::field::transfer_encoding:
                if (transfer_encodings++ == 0) transfer_encoding = value;
                break;
            case http::field::content_length:
                content_length = true;
                break;
            case http::field::connection:
                append(connection, value);
                break;
            case http::field::expect:
                append(expect, value);
                break;
            default:
                break;
        }
    }
    static bool is(const std::optional<std::string>& joined, std::string_view expected) {
        return joined && iequals(*joined, expected);
    }

private:
    static void append(std::optional<std::string>& joined, std::string_view value) {
        if (joined)
            *joined += ',';
        else
            joined.emplace();
        *joined += value;
    }
};

/// Tornado's keep-alive rule (HTTP1Connection._can_keep_alive), on the parsed request. A 1.0
/// request with Transfer-Encoding has been refused by then.
bool can_keep_alive(bool no_keep_alive, bool http10, http::verb method, const HeadFields& head) {
    if (no_keep_alive) return false;
    if (!http10) return !HeadFields::is(head.connection, "close");
    const bool framed =
        head.content_length || method == http::verb::head || method == http::verb::get;
    return framed && HeadFields::is(head.connection, "keep-alive");
}

/// How often a server looks for connections past their deadline: a timeout fires up to this late.
Clock::duration sweep_period(const HTTPServerOptions& options) {
    const Clock::duration shortest =
        std::min({options.header_timeout, options.body_timeout, options.idle_connection_timeout,
                  Clock::duration(std::chrono::seconds(5))});
    return std::clamp<Clock::duration>(shortest / 8, std::chrono::milliseconds(1),
                                       std::chrono::milliseconds(500));
}

awaitable<void> sweep(std::shared_ptr<ServerState> state) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    state->sweep_timer = &timer;
    struct Forget {  // also when the loop is destroyed with the sweep waiting
        ServerState& state;
        ~Forget() { state.sweep_timer = nullptr; }
    } forget{*state};
    const auto period = sweep_period(state->options);
    while (!state->connections.empty()) {
        timer.expires_after(period);
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        const auto now = Clock::now();
        // expire() only closes the socket: the connection leaves the set from its own coroutine.
        for (auto* connection : state->connections)
            if (connection->deadline <= now) connection->expire();
    }
}

/// A reg-name, IPv4 or bracketed IPv6 host with an optional port: the characters RFC 3986 §3.2.2
/// allows there. Userinfo ("@"), a path, spaces and controls make a Host invalid.
bool valid_host(std::string_view host) {
    static constexpr auto allowed = [] {
        std::array<bool, 256> table{};
        for (int c = '0'; c <= '9'; ++c)
            table[c] = true;
        for (int c = 'a'; c <= 'z'; ++c)
            table[c] = table[c - 'a' + 'A'] = true;
        for (const char c : std::string_view("-._~!$&'()*+,;=%:[]"))
            table[static_cast<unsigned char>(c)] = true;
        return table;
    }();
    return std::all_of(host.begin(), host.end(),
                       [](char c) { return allowed[static_cast<unsigned char>(c)]; });
}

struct Refusal {
    int code;
    std::string_view reason;
    std::string why;
};

/// Why a parsed request head cannot be served, when it cannot: the rules Beast leaves to us.
std::optional<Refusal> framing_error(const HeadFields& head, bool http10) {
    if (head.transfer_encodings > 0) {
        // A 1.0 recipient of Transfer-Encoding cannot trust the framing (RFC 9112 §6.1).
        if (http10) return Refusal{400, "Bad Request", "Transfer-Encoding in HTTP/1.0"};
        if (head.transfer_encodings > 1)
            return Refusal{400, "Bad Request", "more than one Transfer-Encoding field"};
        const std::string_view value = trim(head.transfer_encoding);
        if (!iequals(value, "chunked")) {
            // "chunked, chunked" frames the body twice: the framing is unknowable, so 400;
            // any other coding is one we do not decode, so 501 (§6.1, §7).
            std::size_t chunked = 0;
            for (std::size_t at = 0; at + 7 <= value.size(); ++at)
                if (iequals(value.substr(at, 7), "chunked")) ++chunked;
            if (chunked > 1) return Refusal{400, "Bad Request", "chunked applied twice"};
            return Refusal{501, "Not Implemented",
                           "unsupported Transfer-Encoding " + std::string(value)};
        }
    }
    if (!http10 && head.hosts == 0) return Refusal{400, "Bad Request", "no Host in HTTP/1.1"};
    if (head.hosts > 1) return Refusal{400, "Bad Request", "more than one Host field"};
    if (head.hosts == 1 && !valid_host(head.host))
        return Refusal{400, "Bad Request", "invalid Host " + std::string(head.host)};
    // RFC 9110 §10.1.1: only 100-continue is defined; HTTP/1.0 servers ignore Expect.
    if (!http10 && head.expect && !HeadFields::is(head.expect, "100-continue"))
        return Refusal{417, "Expectation Failed", "unsupported Expect"};
    return std::nullopt;
}

}  // namespace

void ServerState::add(const std::shared_ptr<ServerState>& state, ConnectionBase* connection,
                      const asio::any_io_executor& executor) {
    state->connections.insert(connection);
    if (!state->sweep_timer) {
        asio::co_spawn(executor, sweep(state), asio::detached);
    }
}

void ServerState::remove(ConnectionBase* connection) noexcept {
    connections.erase(connection);
    if (connections.empty() && sweep_timer) sweep_timer->cancel();  // the sweep ends
}

template <class Stream>
Http1Connection<Stream>::Http1Connection(std::shared_ptr<ServerState> server, Stream stream,
                                         std::string address)
    : server_(std::move(server)),
      stream_(std::move(stream)),
      address_(std::move(address)),
      remote_ip_(ip_of(address_)) {
    // A chunk-size line or trailers that never end fail the read instead of growing the buffer.
    buffer_.max_size(httputil::detail::read_buffer_limit(server_->options.max_header_size));
    ServerState::add(server_, this, socket().get_executor());
}

template <class Stream>
Http1Connection<Stream>::~Http1Connection() {
    server_->remove(this);
}

template <class Stream>
asio::ip::tcp::socket& Http1Connection<Stream>::socket() noexcept {
    return beast::get_lowest_layer(stream_);
}

template <class Stream>
void Http1Connection<Stream>::close() noexcept {
    if (closed_ || detached_) return;
    closed_ = true;
    disarm();
    beast::error_code ignored;
    socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket().close(ignored);
}

template <class Stream>
void Http1Connection<Stream>::expire() noexcept {
    timed_out_ = true;
    close();
}

template <class Stream>
awaitable<void> Http1Connection<Stream>::serve() {
    if constexpr (plain) {
        beast::error_code ignored;  // responses are first sent without waiting (send_now)
        socket().non_blocking(true, ignored);
    } else {
        arm(server_->options.header_timeout);
        auto [ec] = co_await stream_.async_handshake(asio::ssl::stream_base::server,
                                                     asio::as_tuple(asio::use_awaitable));
        disarm();
        if (ec) {  // a client that cannot speak TLS is the client's problem, not the server's
            log::gen_log.warning("SSL Error on connection from " + address_ + ": " +
                                 (timed_out_ ? std::string("handshake timed out") : ec.message()));
            close();
            co_return;
        }
    }
    while (!closed_ && !server_->shutting_down) {
        idle_ = true;
        // Read until a whole header block is buffered (here rather than in a coroutine of its
        // own: one coroutine frame less per request).
        std::size_t searched = 0;
        std::optional<Clock::time_point> header_deadline;
        std::optional<std::size_t> header_size;
        idle_deadline_ = Clock::now() + server_->options.idle_connection_timeout;
        while (!(header_size = find_header_block(searched))) {
            if (buffer_.size() > server_->options.max_header_size) {
                co_await refuse(431, "Request Header Fields Too Large",
                                "header block over max_header_size");
                break;
            }
            const bool started = buffer_.size() > 0;
            const std::size_t room = prepare_header_read(header_deadline);
            auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(room),
                                                            asio::as_tuple(asio::use_awaitable));
            disarm();
            buffer_.commit(n);
            if (ec) {  // the client left, or was idle too long: nothing to answer
                if (timed_out_ && started)
                    log::gen_log.info("Timeout reading request headers from " + address_);
                break;
            }
        }
        idle_ = false;
        if (!header_size) break;
        if (*header_size == bare_lf) {
            co_await refuse(400, "Bad Request", "bare LF as a line ending");
            break;
        }
        if (*header_size == folded) {
            co_await refuse(400, "Bad Request", "obsolete line folding in headers");
            break;
        }
        co_await serve_one(*header_size);
        if (disconnect_on_finish_) break;
        if (detached_) break;
        if (buffer_.size() == 0) buffer_.shrink_to_fit();  // an idle connection keeps no buffer
    }
    close();
    // The close watch's handler runs (cancelled) before this frame goes away.
    while (watching_)
        co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
}

template <class Stream>
void Http1Connection<Stream>::watch_for_close(httputil::HTTPMessageDelegate& delegate) {
    watched_ = &delegate;
    if (watching_) return;  // left pending by an earlier request of this connection
    watching_ = true;
    // A peek is tried at once (a client that already left is seen now) and then waits for the
    // socket to become readable: end of stream or an error means the client has gone; data (a
    // pipelined request) ends the watch, left for the next read.
    socket().async_receive(asio::buffer(&peek_, 1), asio::socket_base::message_peek,
                           [this](beast::error_code ec, std::size_t) {
                               watching_ = false;
                               if (!ec || ec == asio::error::operation_aborted || !watched_) return;
                               close();
                               notify_close(std::exchange(watched_, nullptr));
                           });
}

template <class Stream>
void Http1Connection<Stream>::notify_close(httputil::HTTPMessageDelegate* delegate) {
    if (!delegate || close_notified_) return;
    close_notified_ = true;
    delegate->on_connection_close();
}

template <class Stream>
httputil::DetachedStream Http1Connection<Stream>::detach() {
    if (closed_ || detached_) throw iostream::StreamClosedError();
    if (headers_written_) throw HTTPOutputError("detach() after the response started");
    beast::error_code ignored;
    // The watch's handler must not see the socket once it has moved.
    if (watching_) socket().cancel(ignored);
    watched_ = nullptr;
    server_->remove(this);
    disarm();
    detached_ = true;
    disconnect_on_finish_ = true;
    httputil::DetachedStream detached;
    detached.buffered.assign(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    buffer_ = beast::flat_buffer();
    if constexpr (plain) {
        socket().non_blocking(false, ignored);  // back to what a fresh socket is
        detached.socket.emplace(std::move(stream_));
    } else {
        detached.tls = std::make_unique<Stream>(std::move(stream_));
    }
    return detached;
}

template <class Stream>
std::optional<std::size_t> Http1Connection<Stream>::find_header_block(std::size_t& searched) {
    std::string_view data(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    // Blank lines before a request line are ignored (RFC 7230 §3.5).
    std::size_t blank = 0;
    while (blank < data.size() && (data[blank] == '\r' || data[blank] == '\n'))
        ++blank;
    if (blank > 0 && blank == data.size()) {
        buffer_.consume(blank);
        data = {};
    } else if (blank > 0 && searched == 0) {
        buffer_.consume(blank);
        data.remove_prefix(blank);
    }
    // Every LF must end a CRLF (RFC 9112 §2.2 lets a server refuse a bare LF, and we do, as Beast
    // and llhttp do: a parser that took it would frame the message differently from one that did
    // not). A bare LF is answered bare_lf, so the request is refused rather than left waiting
    // for a CRLF CRLF that never comes.
    // A line that starts with SP or HTAB continues the one before (obs-fold), a way to hide a
    // header from one parser and show it to another: RFC 9112 §5.2 lets a server refuse it,
    // and we do (folded). Both checks ride on this one scan for LFs.
    for (std::size_t at = searched; (at = data.find('\n', at)) != std::string_view::npos; ++at) {
        if (at == 0 || data[at - 1] != '\r') return bare_lf;
        if (at >= 3 && data[at - 2] == '\n' && data[at - 3] == '\r') return at + 1;
        if (at + 1 == data.size()) {  // the next byte decides: look at this LF again
            searched = at;
            return std::nullopt;
        }
        if (data[at + 1] == ' ' || data[at + 1] == '\t') return folded;
    }
    searched = data.size();
    return std::nullopt;
}

template <class Stream>
std::size_t Http1Connection<Stream>::prepare_header_read(
    std::optional<Clock::time_point>& header_deadline) {
    const auto& options = server_->options;
    const std::size_t buffered = buffer_.size();
    if (buffered > 0 && !header_deadline) header_deadline = Clock::now() + options.header_timeout;
    if (header_deadline)
        deadline = *header_deadline;
    else
        deadline = idle_deadline_;  // blank lines between requests do not extend it
    // An idle keep-alive connection waits with a small buffer (as small as a raw Beast server's):
    // most requests fit in it, and ten thousand idle clients must not cost ten thousand 16 KiB
    // buffers.
    const std::size_t wanted = buffered == 0 ? 512 : 16 * 1024;
    return std::min<std::size_t>(wanted, options.max_header_size + 1 - buffered);
}

template <class Stream>
awaitable<void> Http1Connection<Stream>::refuse(int code, std::string_view reason,
                                                std::string_view why) {
    log::gen_log.info("Malformed HTTP message from " + address_ + ": " + std::string(why));
    disconnect_on_finish_ = true;
    if (headers_written_) {  // too late for a status: all we can do is hang up
        close();
        co_return;
    }
    const std::string response = "HTTP/1.1 " + std::to_string(code) + " " + std::string(reason) +
                                 "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    arm(std::chrono::seconds(5));
    co_await asio::async_write(stream_, asio::buffer(response),
                               asio::as_tuple(asio::use_awaitable));
    close();
}

template <class Stream>
void Http1Connection<Stream>::apply_xheaders(httputil::HTTPServerRequest& request) const {
    const auto& options = server_->options;
    std::string ip = request.headers.get("X-Forwarded-For", request.remote_ip);
    // The last X-Forwarded-For entry not added by a trusted proxy is the client.
    std::string_view list = ip;
    std::string candidate;
    while (true) {
        const auto comma = list.rfind(',');
        candidate =
            std::string(trim(comma == std::string_view::npos ? list : list.substr(comma + 1)));
        if (std::find(options.trusted_downstream.begin(), options.trusted_downstream.end(),
                      candidate) == options.trusted_downstream.end() ||
            comma == std::string_view::npos)
            break;
        list = list.substr(0, comma);
    }
    candidate = request.headers.get("X-Real-Ip", candidate);
    if (netutil::is_valid_ip(candidate)) request.remote_ip = candidate;
    std::string scheme =
        request.headers.get("X-Scheme", request.headers.get("X-Forwarded-Proto", request.protocol));
    const auto comma = scheme.rfind(',');
    const std::string_view last =
        trim(comma == std::string::npos ? std::string_view(scheme)
                                        : std::string_view(scheme).substr(comma + 1));
    if (last == "http" || last == "https") request.protocol = std::string(last);
}

template <class Stream>
awaitable<void> Http1Connection<Stream>::serve_one(std::size_t header_size) {
    const auto& options = server_->options;
    const std::string_view header_block(static_cast<const char*>(buffer_.data().data()),
                                        header_size);
    // RFC 9112 §2.3: any HTTP/1.x from x = 1 up is served as HTTP/1.1 (Beast only takes 1.0 and
    // 1.1, so the minor is rewritten in place); another major is 505. The rest of the request
    // line is Beast's to judge.
    {
        const std::string_view line = header_block.substr(0, header_block.find("\r\n"));
        const auto space = line.rfind(' ');
        const std::string_view version =
            space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
        const auto digit = [](char c) { return c >= '0' && c <= '9'; };
        if (version.size() == 8 && version.starts_with("HTTP/") && digit(version[5]) &&
            version[6] == '.' && digit(version[7])) {
            if (version[5] != '1') {
                co_await refuse(505, "HTTP Version Not Supported",
                                "HTTP version " + std::string(version));
                co_return;
            }
            if (version[7] > '1') static_cast<char*>(buffer_.data().data())[space + 8] = '1';
        }
    }

    http::request_parser<http::buffer_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(header_size + 1));
    parser.body_limit(options.max_body_size);
    parser.eager(false);
    beast::error_code ec;
    parser.put(asio::buffer(header_block), ec);
    if (ec == http::error::body_limit) {  // a declared Content-Length over the limit: refuse before
                                          // reading
        co_await refuse(413, "Payload Too Large", "Content-Length over max_body_size");
        co_return;
    }
    if (ec || !parser.is_header_done()) {
        co_await refuse(400, "Bad Request", ec ? ec.message() : std::string("incomplete header"));
        co_return;
    }
    buffer_.consume(header_size);
    auto& message = parser.get();

    http10_ = message.version() == 10;
    HTTPHeaders headers;
    headers.reserve(static_cast<std::size_t>(std::distance(message.begin(), message.end())));
    HeadFields head;
    for (const auto& field : message) {
        headers.add(field.name_string(), field.value());
        head.add(field.name(), field.value());
    }
    if (const auto why = framing_error(head, http10_)) {
        co_await refuse(why->code, why->reason, why->why);
        co_return;
    }

    // Beast bounds neither a chunk-size line nor the trailers: a line over max_chunk_line_size
    // is a 400, and trailers count against max_header_size with the header block (431).
    const std::size_t trailer_budget =
        options.max_header_size > header_size ? options.max_header_size - header_size : 0;
    std::optional<httputil::detail::ChunkLimit> chunk_limit;
    auto on_chunk_header = [&](std::uint64_t size, beast::string_view, beast::error_code& ec) {
        chunk_limit = httputil::detail::chunk_limit_crossed(httputil::detail::buffered(buffer_),
                                                            size == 0, trailer_budget);
        if (chunk_limit) ec = http::error::bad_chunk;
    };
    if (parser.chunked()) parser.on_chunk_header(on_chunk_header);

    request_method_ = std::string(message.method_string());
    disconnect_on_finish_ = !can_keep_alive(options.no_keep_alive, http10_, message.method(), head);
    request_keep_alive_header_ = HeadFields::is(head.connection, "keep-alive");
    headers_written_ = write_finished_ = chunking_ = false;
    close_notified_ = false;
    expected_content_remaining_.reset();

    const bool expect_continue = !http10_ && HeadFields::is(head.expect, "100-continue");
    // The absolute form (RFC 9112 §3.2.2) is routed by its path and query; its authority, not
    // the Host field, is the request's host.
    std::string_view target = message.target();
    std::optional<std::string> authority;
    if (const auto scheme_end = target.find("://");
        scheme_end != std::string_view::npos && target.front() != '/' &&
        (iequals(target.substr(0, scheme_end), "http") ||
         iequals(target.substr(0, scheme_end), "https"))) {
        const auto rest = target.substr(scheme_end + 3);
        const auto path = rest.find_first_of("/?");
        authority = std::string(rest.substr(0, path));
        target = path == std::string_view::npos ? std::string_view("/") : rest.substr(path);
    }
    std::string uri(target);
    if (!uri.empty() && uri.front() == '?') uri.insert(0, "/");
    if (authority) headers.set("Host", *authority);
    httputil::HTTPServerRequest request({.method = request_method_,
                                         .uri = std::move(uri),
                                         .version = http10_ ? "HTTP/1.0" : "HTTP/1.1",
                                         .headers = std::move(headers),
                                         .remote_ip = remote_ip_,
                                         .protocol = plain ? "http" : "https"});
    if (options.xheaders) apply_xheaders(request);

    // A request callback needs no delegate object: it is called here, after the body is read.
    const std::unique_ptr<httputil::HTTPMessageDelegate> delegate =
        server_->delegate ? server_->delegate->start_request() : nullptr;

    // decompress_request: the delegate sees the decompressed body and no Content-Encoding, as in
    // Tornado, and the decompressed size counts against max_body_size (a gzip bomb gets 413).
    std::unique_ptr<GzipInflater>
        inflater;  // on the heap: its 16 KiB buffer stays out of this frame
    std::uint64_t inflated = 0;
    if (options.decompress_request &&
        iequals(request.headers.get("Content-Encoding", ""), "gzip")) {
        inflater = std::make_unique<GzipInflater>();
        request.headers.add("X-Consumed-Content-Encoding",
                            request.headers.get("Content-Encoding", ""));
        request.headers.remove("Content-Encoding");
    }

    std::optional<std::string> refusal;  // an HTTPInputError from the delegate: answered 400
    bool failed = false;                 // any other exception before the headers: answered 500
    try {
        if (delegate) co_await delegate->headers_received(request);
        if (!parser.is_done()) {
            // body_timeout bounds the whole body (Tornado's meaning), not each read: a client
            // trickling a byte a minute must not hold the connection for ever.
            const auto body_deadline = Clock::now() + options.body_timeout;
            if (expect_continue) {
                deadline = body_deadline;
                static constexpr std::string_view go_on = "HTTP/1.1 100 (Continue)\r\n\r\n";
                co_await asio::async_write(stream_, asio::buffer(go_on), asio::use_awaitable);
                disarm();
            }
            const auto chunk = std::make_unique<char[]>(body_chunk_size);
            while (!parser.is_done()) {
                message.body().data = chunk.get();
                message.body().size = body_chunk_size;
                deadline = body_deadline;
                auto [read_error, n] = co_await http::async_read_some(
                    stream_, buffer_, parser, asio::as_tuple(asio::use_awaitable));
                disarm();
                if (read_error == http::error::need_buffer) read_error = {};
                if (read_error == http::error::buffer_overflow)  // framing that never ends
                    chunk_limit = httputil::detail::chunk_limit_crossed(
                        httputil::detail::buffered(buffer_), true, trailer_budget);
                if (chunk_limit == httputil::detail::ChunkLimit::line) {
                    co_await refuse(400, "Bad Request", "chunk-size line over 4 KiB");
                    co_return;
                }
                if (chunk_limit == httputil::detail::ChunkLimit::trailers) {
                    co_await refuse(431, "Request Header Fields Too Large",
                                    "header block and trailers over max_header_size");
                    co_return;
                }
                if (read_error == http::error::body_limit) {
                    co_await refuse(413, "Payload Too Large", "body over max_body_size");
                    co_return;
                }
                const bool client_left = read_error == http::error::end_of_stream ||
                                         read_error == http::error::partial_message;
                if (read_error && !client_left &&
                    read_error.category() ==
                        http::make_error_code(http::error::bad_chunk).category()) {
                    co_await refuse(400, "Bad Request", read_error.message());
                    co_return;
                }
                if (read_error) {  // the client left or stalled mid-body
                    notify_close(delegate.get());
                    disconnect_on_finish_ = true;
                    close();
                    co_return;
                }
                const std::size_t got = body_chunk_size - message.body().size;
                if (got > 0 && !inflater) {
                    const std::string_view piece(chunk.get(), got);
                    if (delegate)
                        co_await delegate->data_received(request, piece);
                    else
                        request.body.append(piece);
                }
                if (got > 0 && inflater) {
                    inflater->input(std::string_view(chunk.get(), got));
                    bool bad_gzip = false;
                    for (;;) {
                        std::optional<std::string_view> piece;
                        try {
                            piece = inflater->next();
                        } catch (const std::invalid_argument&) {
                            bad_gzip =
                                true;  // answered below: co_await is not allowed in a handler
                            break;
                        }
                        if (!piece) break;
                        inflated += piece->size();
                        if (inflated > options.max_body_size) break;
                        if (delegate)
                            co_await delegate->data_received(request, *piece);
                        else
                            request.body.append(*piece);
                    }
                    if (bad_gzip) {
                        co_await refuse(400, "Bad Request", "invalid gzip body");
                        co_return;
                    }
                    if (inflated > options.max_body_size) {
                        co_await refuse(413, "Payload Too Large",
                                        "decompressed body over max_body_size");
                        co_return;
                    }
                }
            }
        }
        if (delegate) {
            if (delegate->watches_connection_close()) watch_for_close(*delegate);
            co_await delegate->finish(request, *this);
            watched_ = nullptr;
        } else {
            request.parse_body();  // Tornado's HTTPServer parses form bodies before the callback
            co_await server_->callback(request, *this);
        }
        if (detached_) co_return;  // the application owns the connection now
        if (!write_finished_) {
            if (!headers_written_)
                throw HTTPOutputError("the request handler finished without answering");
            co_await finish();
        }
    } catch (const iostream::StreamClosedError&) {
        notify_close(delegate.get());
        disconnect_on_finish_ = true;
    } catch (const httputil::HTTPInputError& e) {
        refusal = e.what();
    } catch (const boost::system::system_error&) {  // a write failed: the client is gone
        notify_close(delegate.get());
        disconnect_on_finish_ = true;
    } catch (...) {
        log::app_log.exception("Uncaught exception in HTTP request from " + address_);
        disconnect_on_finish_ = true;
        failed = !headers_written_;
    }
    watched_ = nullptr;
    if (detached_) co_return;
    // co_await is not allowed in a handler, so the answers to failures are written here.
    if (refusal) co_await refuse(400, "Bad Request", *refusal);
    if (failed) {
        static constexpr std::string_view failure =
            "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        arm(std::chrono::seconds(5));
        co_await asio::async_write(stream_, asio::buffer(failure),
                                   asio::as_tuple(asio::use_awaitable));
    }
    request.finish();
}

template <class Stream>
awaitable<void> Http1Connection<Stream>::write_headers(httputil::ResponseStartLine start_line,
                                                       HTTPHeaders headers,
                                                       std::string_view chunk) {
    if (headers_written_) throw HTTPOutputError("write_headers called twice for one response");
    headers_written_ = true;
    const int code = start_line.code;
    // Tornado's framing rules (HTTP1Connection.write_headers): chunk HTTP/1.1 responses that may
    // have a body and say nothing of their length.
    chunking_ = !http10_ && request_method_ != "HEAD" && code != 204 && code != 304 &&
                (code < 100 || code >= 200) && !headers.contains("Content-Length") &&
                !headers.contains("Transfer-Encoding");
    if (!http10_ && disconnect_on_finish_) headers.set("Connection", "close");
    if (http10_ && request_keep_alive_header_) headers.set("Connection", "Keep-Alive");
    if (chunking_) headers.set("Transfer-Encoding", "chunked");
    if (request_method_ == "HEAD" || code == 304) {
        expected_content_remaining_ = 0;
    } else if (const auto length = headers.get("Content-Length")) {
        std::uint64_t value = 0;
        const auto [end, error] =
            std::from_chars(length->data(), length->data() + length->size(), value);
        if (error != std::errc() || end != length->data() + length->size())
            throw HTTPOutputError("malformed Content-Length " + *length);
        expected_content_remaining_ = value;
    }

    out_ += "HTTP/1.1 ";
    char digits[12];
    out_.append(digits, std::to_chars(digits, digits + sizeof digits, code).ptr);
    out_ += ' ';
    out_ += start_line.reason;
    out_ += "\r\n";
    if (const auto lines = headers.wire_lines()) {
        out_ += *lines;
    } else {
        headers.for_each([&](std::string_view name, std::string_view value) {
            // A line break in a header would let a value inject headers of its own (response
            // splitting).
            if (has_line_break(value, false) || has_line_break(name, true))
                throw HTTPOutputError("Newline in header: " + std::string(name));
            out_ += name;
            out_ += ": ";
            out_ += value;
            out_ += "\r\n";
        });
    }
    out_ += "\r\n";
    // The body is appended here rather than through write(): one coroutine frame less.
    if (append_body(chunk) && out_.size() >= flush_threshold) co_await flush();
}

template <class Stream>
bool Http1Connection<Stream>::append_body(std::string_view chunk) {
    if (!headers_written_) throw HTTPOutputError("write before write_headers");
    if (write_finished_) throw HTTPOutputError("write after finish");
    if (expected_content_remaining_) {
        if (chunk.size() > *expected_content_remaining_) {
            close();
            throw HTTPOutputError("Tried to write more data than Content-Length");
        }
        *expected_content_remaining_ -= chunk.size();
    }
    if (chunk.empty()) return false;
    if (chunking_) {
        char size[20];
        const auto end = std::to_chars(size, size + sizeof size, chunk.size(), 16).ptr;
        out_.append(size, end);
        out_ += "\r\n";
        out_ += chunk;
        out_ += "\r\n";
    } else {
        out_ += chunk;
    }
    return true;
}

template <class Stream>
awaitable<void> Http1Connection<Stream>::write(std::string_view chunk) {
    if (append_body(chunk) && out_.size() >= flush_threshold) co_await flush();
}

template <class Stream>
bool Http1Connection<Stream>::send_now() {
    if (closed_) throw iostream::StreamClosedError();
    if constexpr (plain) {
        // The socket is non-blocking: this sends what fits in the kernel's buffer, at once. A
        // small response (the usual case) goes out without an asynchronous operation.
        beast::error_code ec;
        const std::size_t n = stream_.write_some(asio::buffer(out_), ec);
        if (ec && ec != asio::error::would_block && ec != asio::error::try_again) {
            close();
            throw iostream::StreamClosedError(ec);
        }
        if (n == out_.size()) {
            if (out_.capacity() > 4 * flush_threshold) {
                std::string().swap(out_);  // a big response does not pin its buffer
            } else {
                out_.clear();
            }
            return true;
        }
        out_.erase(0, n);
        return false;
    } else {
        return out_.empty();
    }
}

template <class Stream>
awaitable<void> Http1Connection<Stream>::send_rest() {
    arm(server_->options.body_timeout);
    auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(out_),
                                              asio::as_tuple(asio::use_awaitable));
    disarm();
    if (out_.capacity() > 4 * flush_threshold) {
        std::string().swap(out_);  // a big response does not pin its buffer to an idle connection
    } else {
        out_.clear();
    }
    if (ec) {
        close();
        throw iostream::StreamClosedError(ec);
    }
}

template <class Stream>
awaitable<void> Http1Connection<Stream>::flush() {
    if (out_.empty()) co_return;
    if (!send_now()) co_await send_rest();
}

template <class Stream>
awaitable<void> Http1Connection<Stream>::finish() {
    if (!headers_written_) throw HTTPOutputError("finish before write_headers");
    if (write_finished_) co_return;
    if (expected_content_remaining_ && *expected_content_remaining_ != 0) {
        const auto missing = *expected_content_remaining_;
        close();
        throw HTTPOutputError("Tried to write " + std::to_string(missing) +
                              " bytes less than Content-Length");
    }
    if (chunking_) out_ += "0\r\n\r\n";
    write_finished_ = true;
    if (!out_.empty() && !send_now()) co_await send_rest();
}

template class Http1Connection<asio::ip::tcp::socket>;
template class Http1Connection<beast::ssl_stream<asio::ip::tcp::socket>>;

}  // namespace typhoon::httpserver::detail
