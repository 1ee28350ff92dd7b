#include "url.hpp"

#include <typhoon/redis/errors.hpp>

#include <charconv>

namespace typhoon::redis::detail {

namespace {

[[noreturn]] void bad(std::string_view what, std::string_view url) {
    throw URLError("redis: " + std::string(what) + " in " + std::string(url));
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Passwords are percent-encoded in URLs, as redis-py reads them ("p%40ss" is "p@ss").
std::string decode(std::string_view text, std::string_view url) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 2 >= text.size()) bad("bad percent-escape", url);
        const int high = hex_digit(text[i + 1]);
        const int low = hex_digit(text[i + 2]);
        if (high < 0 || low < 0) bad("bad percent-escape", url);
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return out;
}

int number(std::string_view text, std::string_view what, std::string_view url, int max) {
    int value = -1;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 0 ||
        value > max)
        bad("bad " + std::string(what) + " '" + std::string(text) + "'", url);
    return value;
}

void read_userinfo(std::string_view userinfo, Endpoint& endpoint, std::string_view url) {
    const auto colon = userinfo.find(':');
    if (colon == std::string_view::npos) {
        // redis-py reads a lone userinfo as the password ("redis://secret@host").
        endpoint.password = decode(userinfo, url);
        return;
    }
    endpoint.user = decode(userinfo.substr(0, colon), url);
    endpoint.password = decode(userinfo.substr(colon + 1), url);
}

void read_query(std::string_view query, Endpoint& endpoint, std::string_view url) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        const auto eq = pair.find('=');
        const auto name = pair.substr(0, eq);
        const auto value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
        if (name == "db") {
            endpoint.db = number(value, "database number", url, 1 << 20);
        } else if (name == "password") {
            endpoint.password = decode(value, url);
        } else if (name == "username" || name == "user") {
            endpoint.user = decode(value, url);
        } else {
            bad("unknown parameter '" + std::string(name) + "'", url);
        }
    }
}

}  // namespace

Endpoint parse_url(std::string_view url) {
    Endpoint endpoint;
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) bad("no scheme (redis:// or unix://)", url);
    const auto scheme = url.substr(0, scheme_end);
    auto rest = url.substr(scheme_end + 3);
    std::string_view query;
    if (const auto q = rest.find('?'); q != std::string_view::npos) {
        query = rest.substr(q + 1);
        rest = rest.substr(0, q);
    }

    if (scheme == "unix" || scheme == "redis+unix") {
        // unix://[[user]:password@]/path: the path is everything after the userinfo.
        if (const auto at = rest.find('@'); at != std::string_view::npos) {
            read_userinfo(rest.substr(0, at), endpoint, url);
            rest = rest.substr(at + 1);
        }
        if (rest.empty() || rest.front() != '/') bad("no absolute socket path", url);
        endpoint.socket_path = std::string(rest);
        endpoint.display = endpoint.socket_path;
        read_query(query, endpoint, url);
        return endpoint;
    }
    if (scheme == "rediss")
        bad("TLS (rediss://) is not available: Debian 12's hiredis 0.14 has no TLS", url);
    if (scheme != "redis") bad("unknown scheme '" + std::string(scheme) + "'", url);

    std::string_view authority = rest.substr(0, rest.find('/'));
    std::string_view path =
        rest.size() > authority.size() ? rest.substr(authority.size() + 1) : std::string_view();
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        read_userinfo(authority.substr(0, at), endpoint, url);
        authority = authority.substr(at + 1);
    }
    std::string_view host = authority, port;
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) bad("unclosed '[' in the host", url);
        host = authority.substr(1, close - 1);
        const auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') bad("junk after the IPv6 host", url);
            port = after.substr(1);
            if (port.empty()) bad("empty port", url);
        }
    } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
        if (port.empty()) bad("empty port", url);
    }
    if (host.empty()) bad("no host", url);
    endpoint.host = std::string(host);
    if (!port.empty()) endpoint.port = number(port, "port", url, 65535);
    if (endpoint.port == 0) bad("port 0", url);
    if (!path.empty()) endpoint.db = number(path, "database number", url, 1 << 20);
    read_query(query, endpoint, url);
    endpoint.display = (authority.starts_with('[') ? "[" + endpoint.host + "]" : endpoint.host) +
                       ":" + std::to_string(endpoint.port);
    return endpoint;
}

}  // namespace typhoon::redis::detail
