#ifndef TYPHOON_HTTP_SRC_HTTP1_READER_HPP
#define TYPHOON_HTTP_SRC_HTTP1_READER_HPP

// Http1Connection, reading: the header block under its deadlines, the request's framing and
// limits, the body to the delegate, and the watch for a client that leaves. Included by
// http1_connection.cpp only, where the connection's templates are instantiated.

namespace typhoon::httpserver::detail {

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
            beast::error_code ec;
            std::size_t n = 0;
            bool done = false;
            if constexpr (plain) {
                if (!started) {
                    // Between requests a connection holds nothing but its socket's state, as
                    // nginx's does: it waits until the socket is readable (the wait in a block of
                    // its own size), then reads into a fresh buffer.
                    if (out_.empty()) std::string().swap(out_);
                    std::tie(ec) = co_await socket().async_wait(
                        asio::socket_base::wait_read,
                        asio::bind_allocator(iostream::detail::ExactSizeAllocator<void>(),
                                             asio::as_tuple(asio::use_awaitable)));
                    done = true;
                    if (!ec) {
                        n = socket().read_some(buffer_.prepare(room), ec);
                        done = ec != asio::error::would_block && ec != asio::error::try_again;
                        if (!done) ec = {};
                    }
                }
            }
            if (!done)
                std::tie(ec, n) = co_await stream_.async_read_some(
                    buffer_.prepare(room), asio::as_tuple(asio::use_awaitable));
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

}  // namespace typhoon::httpserver::detail

#endif
