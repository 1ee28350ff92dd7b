#include "http1_rules.hpp"

#include <array>

namespace typhoon::httpserver::detail {

namespace {

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

}  // namespace

/// The IP of an "ip:port" or "[ipv6]:port" peer address; "0.0.0.0" for a Unix socket, as Tornado.
std::string ip_of(std::string_view address) {
    if (address.empty()) return "0.0.0.0";
    const auto colon = address.rfind(':');
    std::string_view ip = address.substr(0, colon);
    if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
    return std::string(ip);
}

/// Tornado's keep-alive rule (HTTP1Connection._can_keep_alive), on the parsed request. A 1.0
/// request with Transfer-Encoding has been refused by then.
bool can_keep_alive(bool no_keep_alive, bool http10, http::verb method, const HeadFields& head) {
    if (no_keep_alive) return false;
    if (!http10) return !HeadFields::is(head.connection, "close");
    const bool framed =
        head.content_length || method == http::verb::head || method == http::verb::get;
    return framed && HeadFields::is(head.connection, "keep-alive");
}

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

}  // namespace typhoon::httpserver::detail
