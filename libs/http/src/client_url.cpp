#include "client_url.hpp"

#include <typhoon/http/http_client_error.hpp>
#include <typhoon/http/url.hpp>

#include <cctype>
#include <vector>

namespace typhoon::httpclient::detail {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string ParsedUrl::host_port() const {
    return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
           std::to_string(port);
}

ParsedUrl parse_url(const std::string& url) {
    const auto sep = url.find("://");
    if (sep == std::string::npos) throw HTTPClientError(599, "Unsupported url: " + url);
    ParsedUrl out;
    out.scheme = lower(std::string_view(url).substr(0, sep));
    if (out.scheme != "http" && out.scheme != "https")
        throw HTTPClientError(599, "Unsupported url scheme: " + url);
    std::string_view rest = std::string_view(url).substr(sep + 3);
    const auto end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, end);
    std::string_view after = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
    if (const auto hash = after.find('#'); hash != std::string_view::npos)
        after = after.substr(0, hash);
    out.target =
        after.empty() || after.front() == '?' ? "/" + std::string(after) : std::string(after);
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        const std::string_view userinfo = authority.substr(0, at);
        const auto colon = userinfo.find(':');
        out.username = std::string(userinfo.substr(0, colon));
        if (colon != std::string_view::npos) out.password = std::string(userinfo.substr(colon + 1));
        authority = authority.substr(at + 1);
    }
    out.netloc = std::string(authority);
    auto [host, port] = httputil::split_host_and_port(authority);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host.empty()) throw HTTPClientError(599, "No host in url: " + url);
    if (port && (*port <= 0 || *port > 65535))
        throw HTTPClientError(599, "Invalid port in url: " + url);
    out.host = lower(host);
    out.port = static_cast<std::uint16_t>(port ? *port : out.scheme == "https" ? 443 : 80);
    return out;
}

namespace {

/// RFC 3986 §5.2.4: "/a/b/../c/./d" → "/a/c/d".
std::string remove_dot_segments(std::string_view path) {
    std::vector<std::string_view> segments;
    std::size_t start = 1;  // path starts with '/'
    while (start <= path.size()) {
        auto slash = path.find('/', start);
        if (slash == std::string_view::npos) slash = path.size();
        const auto segment = path.substr(start, slash - start);
        const bool last = slash == path.size();
        if (segment == "..") {
            if (!segments.empty()) segments.pop_back();
            if (last) segments.emplace_back();
        } else if (segment == ".") {
            if (last) segments.emplace_back();
        } else {
            segments.push_back(segment);
        }
        start = slash + 1;
    }
    std::string out;
    for (const auto& segment : segments) {
        out += '/';
        out += segment;
    }
    return out.empty() ? "/" : out;
}

}  // namespace

std::string resolve_location(const std::string& base, std::string_view location) {
    const auto scheme_end = location.find(':');
    const auto first_delimiter = location.find_first_of("/?#");
    if (scheme_end != std::string_view::npos && scheme_end > 0 &&
        (first_delimiter == std::string_view::npos || scheme_end < first_delimiter) &&
        std::isalpha(static_cast<unsigned char>(location.front())))
        return std::string(location);
    const auto sep = base.find("://");
    const std::string scheme = base.substr(0, sep);
    if (location.starts_with("//")) return scheme + ":" + std::string(location);
    const auto path_start = base.find_first_of("/?#", sep + 3);
    const std::string origin = base.substr(0, path_start);
    std::string_view base_rest = path_start == std::string::npos
                                     ? std::string_view{}
                                     : std::string_view(base).substr(path_start);
    if (const auto hash = base_rest.find('#'); hash != std::string_view::npos)
        base_rest = base_rest.substr(0, hash);
    const auto query = base_rest.find('?');
    std::string base_path(base_rest.substr(0, query));
    if (base_path.empty()) base_path = "/";
    if (location.empty()) return origin + std::string(base_rest);
    if (location.front() == '?') return origin + base_path + std::string(location);
    if (location.front() == '#') return origin + std::string(base_rest) + std::string(location);
    std::string_view loc_path = location, loc_tail;
    if (const auto tail = location.find_first_of("?#"); tail != std::string_view::npos) {
        loc_path = location.substr(0, tail);
        loc_tail = location.substr(tail);
    }
    std::string merged = loc_path.starts_with("/") ? std::string(loc_path)
                                                   : base_path.substr(0, base_path.rfind('/') + 1) +
                                                         std::string(loc_path);
    return origin + remove_dot_segments(merged) + std::string(loc_tail);
}

}  // namespace typhoon::httpclient::detail
