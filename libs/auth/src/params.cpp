#include "params.hpp"

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/escape.hpp>

#include <openssl/rand.h>

#include <chrono>
#include <stdexcept>

namespace typhoon::auth::detail {

std::string urlencode(const Params& params) {
    std::string out;
    for (const auto& [name, value] : params) {
        if (!out.empty()) out += '&';
        out += escape::url_escape(name);
        out += '=';
        out += escape::url_escape(value);
    }
    return out;
}

void set_param(Params& params, std::string_view name, std::string value) {
    for (auto& [existing, old] : params) {
        if (existing == name) {
            old = std::move(value);
            return;
        }
    }
    params.emplace_back(std::string(name), std::move(value));
}

void update_params(Params& params, const Params& more) {
    for (const auto& [name, value] : more)
        set_param(params, name, value);
}

namespace {

struct Parts {
    std::string_view scheme, authority, path, query, fragment;
    bool has_scheme = false, has_authority = false, has_query = false, has_fragment = false;
};

Parts split(std::string_view url) {
    Parts parts;
    if (const auto hash = url.find('#'); hash != std::string_view::npos) {
        parts.fragment = url.substr(hash + 1);
        parts.has_fragment = true;
        url = url.substr(0, hash);
    }
    if (const auto question = url.find('?'); question != std::string_view::npos) {
        parts.query = url.substr(question + 1);
        parts.has_query = true;
        url = url.substr(0, question);
    }
    const auto colon = url.find(':');
    if (colon != std::string_view::npos && colon > 0 &&
        url.substr(0, colon).find('/') == std::string_view::npos) {
        parts.scheme = url.substr(0, colon);
        parts.has_scheme = true;
        url.remove_prefix(colon + 1);
    }
    if (url.starts_with("//")) {
        url.remove_prefix(2);
        const auto slash = url.find('/');
        parts.authority = url.substr(0, slash);
        parts.has_authority = true;
        url = slash == std::string_view::npos ? std::string_view() : url.substr(slash);
    }
    parts.path = url;
    return parts;
}

/// RFC 3986 §5.2.4.
std::string remove_dot_segments(std::string_view path) {
    std::vector<std::string_view> kept;
    const bool absolute = path.starts_with('/');
    std::size_t start = absolute ? 1 : 0;
    bool trailing_slash = false;
    while (start <= path.size()) {
        auto end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        const auto segment = path.substr(start, end - start);
        const bool last = end == path.size();
        if (segment == "..") {
            if (!kept.empty()) kept.pop_back();
            trailing_slash = last;
        } else if (segment == ".") {
            trailing_slash = last;
        } else {
            kept.push_back(segment);
            trailing_slash = false;
        }
        start = end + 1;
    }
    std::string out = absolute ? "/" : "";
    for (std::size_t i = 0; i < kept.size(); ++i) {
        if (i > 0) out += '/';
        out += kept[i];
    }
    if (trailing_slash && !out.ends_with('/')) out += '/';
    return out;
}

}  // namespace

std::string urljoin(std::string_view base, std::string_view url) {
    if (base.empty()) return std::string(url);
    if (url.empty()) return std::string(base);
    const Parts b = split(base);
    const Parts r = split(url);
    if (r.has_scheme && r.scheme != b.scheme) return std::string(url);
    std::string scheme(b.scheme), authority(b.authority), path, query;
    bool has_query = false;
    if (r.has_authority) {
        authority = r.authority;
        path = remove_dot_segments(r.path);
        query = r.query;
        has_query = r.has_query;
    } else if (r.path.empty()) {
        path = b.path;
        query = r.has_query ? r.query : b.query;
        has_query = r.has_query || b.has_query;
    } else {
        if (r.path.starts_with('/')) {
            path = remove_dot_segments(r.path);
        } else {
            const auto slash = b.path.rfind('/');
            std::string merged = slash == std::string_view::npos
                                     ? (b.has_authority ? "/" : "")
                                     : std::string(b.path.substr(0, slash + 1));
            merged += r.path;
            path = remove_dot_segments(merged);
        }
        query = r.query;
        has_query = r.has_query;
    }
    std::string out = scheme.empty() ? "" : scheme + ":";
    if (r.has_authority || b.has_authority) out += "//" + authority;
    out += path;
    if (has_query) out += "?" + query;
    if (r.has_fragment) out += "#" + std::string(r.fragment);
    return out;
}

std::string without_query(std::string_view url) {
    return std::string(url.substr(0, url.find_first_of("?#")));
}

std::string oauth_nonce() {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("OpenSSL RAND_bytes failed");
    return escape::detail::hex_encode(
        std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

std::string oauth_timestamp() {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now).count());
}

}  // namespace typhoon::auth::detail
