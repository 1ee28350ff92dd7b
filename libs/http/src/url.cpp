#include <typhoon/http/url.hpp>

#include <typhoon/core/escape.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <iterator>

namespace typhoon::httputil {

namespace {

/// Python's urlparse splits `;params` off the last path segment and urlunparse writes them back
/// only when they are not empty, so "http://h/p;" comes back as "http://h/p". The schemes are
/// urllib.parse.uses_params.
std::string_view drop_empty_params(std::string_view base) {
    static constexpr std::string_view schemes_with_params[] = {
        "",     "ftp",   "hdl", "prospero", "http", "imap", "https", "shttp",
        "rtsp", "rtspu", "sip", "sips",     "mms",  "sftp", "tel"};
    std::size_t path_start = 0;
    std::string scheme;
    const auto colon = base.find(':');
    const bool has_scheme =
        colon != std::string_view::npos && colon > 0 &&
        std::isalpha(static_cast<unsigned char>(base[0])) &&
        std::all_of(base.begin(), base.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
        });
    if (has_scheme) {
        for (char c : base.substr(0, colon))
            scheme.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        path_start = colon + 1;
    }
    if (base.substr(path_start).starts_with("//")) {
        const auto slash = base.find('/', path_start + 2);
        path_start = slash == std::string_view::npos ? base.size() : slash;
    }
    if (std::find(std::begin(schemes_with_params), std::end(schemes_with_params), scheme) ==
        std::end(schemes_with_params))
        return base;
    const std::string_view path = base.substr(path_start);
    const auto last_slash = path.rfind('/');
    const auto semicolon = path.find(';', last_slash == std::string_view::npos ? 0 : last_slash);
    if (semicolon != std::string_view::npos && semicolon + 1 == path.size()) base.remove_suffix(1);
    return base;
}

}  // namespace

std::string url_concat(std::string_view raw_url,
                       const std::vector<std::pair<std::string, std::string>>& args) {
    // Python's urlsplit first drops leading control characters and spaces, and tabs and line
    // breaks anywhere (WHATWG URL rules, bpo-43882).
    std::string cleaned;
    std::size_t leading = 0;
    while (leading < raw_url.size() && static_cast<unsigned char>(raw_url[leading]) <= 0x20)
        ++leading;
    for (char c : raw_url.substr(leading))
        if (c != '\t' && c != '\r' && c != '\n') cleaned.push_back(c);
    const std::string_view url = cleaned;

    // The fragment starts at the first '#', the query at the first '?' before it.
    const auto hash = url.find('#');
    const std::string_view fragment =
        hash == std::string_view::npos ? std::string_view() : url.substr(hash + 1);
    std::string_view base = url.substr(0, hash);
    const auto question = base.find('?');
    const std::string_view query =
        question == std::string_view::npos ? std::string_view() : base.substr(question + 1);
    base = base.substr(0, question);
    base = drop_empty_params(base);

    std::string final_query;
    const auto append = [&](std::string_view name, std::string_view value) {
        if (!final_query.empty()) final_query += '&';
        final_query += escape::url_escape(name);
        final_query += '=';
        final_query += escape::url_escape(value);
    };
    // Python's parse_qsl(keep_blank_values=True) then urlencode(): fields are decoded as UTF-8
    // (bad bytes become U+FFFD) and encoded again.
    for (std::size_t start = 0; start <= query.size();) {
        const auto amp = query.find('&', start);
        const std::string_view field =
            query.substr(start, amp == std::string_view::npos ? amp : amp - start);
        if (!field.empty()) {
            const auto equals = field.find('=');
            append(escape::url_unescape(field.substr(0, equals)),
                   equals == std::string_view::npos
                       ? std::string()
                       : escape::url_unescape(field.substr(equals + 1)));
        }
        if (amp == std::string_view::npos) break;
        start = amp + 1;
    }
    for (const auto& [name, value] : args)
        append(name, value);

    std::string result(base);
    if (!final_query.empty()) result += "?" + final_query;
    if (!fragment.empty()) result += "#" + std::string(fragment);
    return result;
}

std::pair<std::string, std::optional<int>> split_host_and_port(std::string_view netloc) {
    const auto colon = netloc.rfind(':');
    if (colon != std::string_view::npos && colon > 0 && colon + 1 < netloc.size()) {
        const std::string_view digits = netloc.substr(colon + 1);
        int port = 0;
        const auto [end, error] =
            std::from_chars(digits.data(), digits.data() + digits.size(), port);
        if (error == std::errc() && end == digits.data() + digits.size() && digits.front() != '+' &&
            digits.front() != '-')
            return {std::string(netloc.substr(0, colon)), port};
    }
    return {std::string(netloc), std::nullopt};
}

}  // namespace typhoon::httputil
