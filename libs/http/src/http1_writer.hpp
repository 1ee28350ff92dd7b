#ifndef TYPHOON_HTTP_SRC_HTTP1_WRITER_HPP
#define TYPHOON_HTTP_SRC_HTTP1_WRITER_HPP

// Http1Connection, writing: the response head, the body (chunk-framed when chunking), sent at
// once when the socket takes it and under body_timeout when it does not. Included by
// http1_connection.cpp only, where the connection's templates are instantiated.

namespace typhoon::httpserver::detail {

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

}  // namespace typhoon::httpserver::detail

#endif
