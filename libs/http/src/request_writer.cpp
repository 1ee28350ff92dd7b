#include "request_writer.hpp"

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/error.hpp>
#include <typhoon/http/http_client_error.hpp>
#include <typhoon/http/timestamp.hpp>
#include <typhoon/net/detail/base64.hpp>

#include <string_view>

namespace typhoon::httpclient::detail {

using escape::detail::python_repr;
using httputil::HTTPHeaders;

namespace {

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
        throw HTTPClientError(599,
                              "Invalid character " +
                                  python_repr(std::string_view(request.url).substr(bad_url, 1)) +
                                  " in url: " + python_repr(request.url));
    if (request.method.empty()) throw Error("Empty HTTP method");
    const auto bad_method = first_disallowed(request.method, is_tchar);
    if (bad_method != std::string_view::npos)
        throw Error("Invalid character " +
                    python_repr(std::string_view(request.method).substr(bad_method, 1)) +
                    " in HTTP method " + python_repr(request.method));
}

/// Whether the request goes to an HTTP proxy with the absolute URL in its request line.
bool absolute_form(const HTTPRequest& request, const ParsedUrl& url) {
    return !request.proxy_host.empty() && url.scheme == "http";
}

}  // namespace

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
        headers.set("Authorization", "Basic " + netutil::detail::base64_encode(
                                                    *username + ":" + password.value_or("")));
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
        headers.set("Proxy-Authorization",
                    "Basic " + netutil::detail::base64_encode(*request.proxy_username + ":" +
                                                              request.proxy_password.value_or("")));

    std::string head = request.method + " ";
    head += absolute ? url.scheme + "://" + url.netloc + url.target : url.target;
    head += " HTTP/1.1\r\n";
    for (const auto& [name, value] : headers.get_all()) {
        const auto bad_name = name.empty() ? 0 : first_disallowed(name, is_tchar);
        if (bad_name != std::string_view::npos)
            throw Error(name.empty()
                            ? std::string("Empty request header name")
                            : "Invalid character " + python_repr(name.substr(bad_name, 1)) +
                                  " in request header name " + python_repr(name));
        const auto bad_value = first_disallowed(value, is_field_value_byte);
        if (bad_value != std::string_view::npos)
            throw Error("Invalid character " + python_repr(value.substr(bad_value, 1)) +
                        " in the value of request header " + std::string(name) + ": " +
                        python_repr(value));
        head += name;
        head += ": ";
        head += value;
        head += "\r\n";
    }
    head += "\r\n";
    return head;
}

}  // namespace typhoon::httpclient::detail
