#ifndef TYPHOON_HTTP_SRC_HTTP1_RULES_HPP
#define TYPHOON_HTTP_SRC_HTTP1_RULES_HPP

// The rules between reading a request and writing its response on an HTTP/1 connection: which
// heads are refused and why, how a body is framed, whether the connection is kept alive. The
// reader (http1_reader.hpp) and the writer (http1_writer.hpp) apply them.

#include <ostream>  // before Beast's verb.hpp, which writes verbs to streams without it

#include <typhoon/core/detail/strings.hpp>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace typhoon::httpserver::detail {

namespace http = boost::beast::http;

constexpr std::size_t body_chunk_size = 64 * 1024;
constexpr std::size_t flush_threshold = 64 * 1024;

inline bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

/// `s` without the spaces and tabs around it (HTTP's optional whitespace).
inline std::string_view trim(std::string_view s) {
    return escape::detail::strip(s, escape::detail::http_whitespace);
}

/// Whether `text` holds '\r' or '\n' (or ':' with `colon`). It runs over every byte of every
/// response header, so eight bytes at a time: only a word with a byte below ' ' (rare in headers)
/// or a ':' is looked at byte by byte.
inline bool has_line_break(std::string_view text, bool colon) noexcept {
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
std::string ip_of(std::string_view address);

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
bool can_keep_alive(bool no_keep_alive, bool http10, http::verb method, const HeadFields& head);

struct Refusal {
    int code;
    std::string_view reason;
    std::string why;
};

/// Why a parsed request head cannot be served, when it cannot: the rules Beast leaves to us.
std::optional<Refusal> framing_error(const HeadFields& head, bool http10);

}  // namespace typhoon::httpserver::detail

#endif
