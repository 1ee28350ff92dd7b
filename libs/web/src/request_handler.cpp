#include <typhoon/web/request_handler.hpp>

#include <typhoon/http/http_input_error.hpp>
#include <typhoon/http/responses.hpp>

#include <typhoon/web/application.hpp>
#include <typhoon/web/http_error.hpp>

#include "arguments.hpp"
#include "digest.hpp"
#include "gzip_encoder.hpp"
#include "handler_internals.hpp"
#include "http_date.hpp"
#include "status_reasons.hpp"

#include <typhoon/core/escape.hpp>
#include <typhoon/core/json.hpp>
#include <typhoon/core/log.hpp>
#include <typhoon/http/timestamp.hpp>

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <typeinfo>
#include <utility>

namespace typhoon::web {

namespace json = boost::json;

namespace {

using Entry = RequestHandler::Entry;

struct MethodEntry {
    std::string_view name;
    unsigned bit;
    Entry entry;
};

// Tornado's SUPPORTED_METHODS, in its order (which is also the order of the Allow header).
const MethodEntry method_table[] = {
    {"GET", methods::get, &RequestHandler::get},
    {"HEAD", methods::head, &RequestHandler::head},
    {"POST", methods::post, &RequestHandler::post},
    {"DELETE", methods::delete_, &RequestHandler::delete_},
    {"PATCH", methods::patch, &RequestHandler::patch},
    {"PUT", methods::put, &RequestHandler::put},
    {"OPTIONS", methods::options, &RequestHandler::options},
};

const MethodEntry* find_method(std::string_view name) {
    for (const auto& method : method_table)
        if (method.name == name) return &method;
    return nullptr;
}

std::string exception_description(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        int status = 0;
        char* demangled = abi::__cxa_demangle(typeid(e).name(), nullptr, nullptr, &status);
        std::string type = status == 0 && demangled ? demangled : typeid(e).name();
        std::free(demangled);
        return type + ": " + e.what();
    } catch (...) {
        return "unknown exception";
    }
}

/// Server, Content-Type and Date, which Tornado's clear() starts every response with: made once a
/// second per thread and copied, which costs less than adding them one by one.
const httputil::HTTPHeaders& default_headers() {
    thread_local httputil::HTTPHeaders headers;
    thread_local std::string date;
    if (const std::string_view now = detail::current_http_date(); headers.empty() || now != date) {
        date = now;
        headers = httputil::HTTPHeaders();
        headers.add("Server", detail::server_header_value());
        headers.add("Content-Type", "text/html; charset=UTF-8");
        headers.add("Date", date);
    }
    return headers;
}

bool is_bodiless(int status) {
    return status == 204 || status == 304 || (status >= 100 && status < 200);
}

}  // namespace

RequestHandler::RequestHandler(Application& application, httputil::HTTPServerRequest& request,
                               httputil::HTTPConnection& connection)
    : application_(&application), request_(&request), connection_(&connection) {}

RequestHandler::~RequestHandler() = default;

// The entry points a subclass did not override: HTTPError(405). execute() never calls them for
// a handler made by handler<H>(), which knows what H overrides, but a direct call must fail too.
awaitable<void> RequestHandler::prepare() {
    co_return;
}
awaitable<void> RequestHandler::get() {
    throw HTTPError(405);
}
awaitable<void> RequestHandler::head() {
    throw HTTPError(405);
}
awaitable<void> RequestHandler::post() {
    throw HTTPError(405);
}
awaitable<void> RequestHandler::delete_() {
    throw HTTPError(405);
}
awaitable<void> RequestHandler::patch() {
    throw HTTPError(405);
}
awaitable<void> RequestHandler::put() {
    throw HTTPError(405);
}
awaitable<void> RequestHandler::options() {
    throw HTTPError(405);
}

const Settings& RequestHandler::settings() const noexcept {
    return application_->settings();
}

// --- status and headers --------------------------------------------------------------------------

void RequestHandler::set_status(int status_code, std::string_view reason) {
    detail::check_reason_phrase(reason);
    status_code_ = status_code;
    reason_ =
        reason.empty() ? std::string(httputil::reason_phrase(status_code)) : std::string(reason);
}

void RequestHandler::set_header(std::string_view name, std::string_view value) {
    // A header value with a line break would let a client's input forge headers or a response.
    if (std::any_of(value.begin(), value.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
        throw std::invalid_argument("Unsafe header value for " + std::string(name));
    headers_.set(name, value);
}

void RequestHandler::set_header(std::string_view name,
                                std::chrono::system_clock::time_point value) {
    headers_.set(name, httputil::format_timestamp(value));
}

void RequestHandler::add_header(std::string_view name, std::string_view value) {
    if (std::any_of(value.begin(), value.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
        throw std::invalid_argument("Unsafe header value for " + std::string(name));
    headers_.add(name, value);
}

void RequestHandler::clear_header(std::string_view name) {
    headers_.remove(name);
}

void RequestHandler::clear() {
    headers_.reserve(8);  // room for the usual response headers: the copy below fills it in place
    headers_ = default_headers();
    set_default_headers();
    body_.clear();
    status_code_ = 200;
    reason_ = "OK";
}

// --- body ----------------------------------------------------------------------------------------

void RequestHandler::write(std::string_view chunk) {
    if (finished_) throw std::logic_error("Cannot write() after finish()");
    body_.append(chunk);
}

void RequestHandler::write(const json::object& object) {
    if (finished_) throw std::logic_error("Cannot write() after finish()");
    body_ += escape::json_encode(object);
    headers_.set("Content-Type", "application/json; charset=UTF-8");
}

awaitable<void> RequestHandler::flush() {
    if (response_sent_) co_return;
    if (finished_) {
        co_await send_sealed_response();
        co_return;
    }
    const bool first = !headers_written_;
    std::string chunk = transform_body(std::move(body_), first, false);
    body_.clear();
    const bool head = request_->method == "HEAD";
    if (first) {
        headers_written_ = true;
        add_cookie_headers();
        co_await connection_->write_headers({"HTTP/1.1", status_code_, reason_},
                                            std::move(headers_),
                                            head ? std::string_view() : std::string_view(chunk));
    } else if (!head && !chunk.empty()) {
        co_await connection_->write(chunk);
    }
    co_await connection_->flush();
}

std::string RequestHandler::transform_body(std::string chunk, bool first, bool finishing) {
    if (!settings().compress_response) return chunk;
    if (first) {
        // Tornado's GZipContentEncoding: caches must keep compressed and plain answers apart.
        if (const auto vary = headers_.get("Vary"))
            headers_.set("Vary", *vary + ", Accept-Encoding");
        else
            headers_.set("Vary", "Accept-Encoding");
        static constexpr std::string_view compressible[] = {
            "application/javascript", "application/x-javascript", "application/xml",
            "application/atom+xml",   "application/json",         "application/xhtml+xml",
            "image/svg+xml"};
        const std::string content_type = headers_.get("Content-Type", "");
        const std::string_view type =
            std::string_view(content_type).substr(0, content_type.find(';'));
        const bool gzipping =
            request_->headers.get("Accept-Encoding", "").find("gzip") != std::string::npos &&
            (type.starts_with("text/") ||
             std::find(std::begin(compressible), std::end(compressible), type) !=
                 std::end(compressible)) &&
            (!finishing || chunk.size() >= 1024) && !headers_.contains("Content-Encoding");
        if (!gzipping) return chunk;
        headers_.set("Content-Encoding", "gzip");
        internals().gzip = std::make_unique<detail::GzipEncoder>(6);
        chunk = internals_->gzip->compress(chunk, finishing);
        if (headers_.contains("Content-Length")) {
            if (finishing)
                headers_.set("Content-Length", std::to_string(chunk.size()));
            else
                headers_.remove("Content-Length");
        }
        return chunk;
    }
    if (!internals_ || !internals_->gzip) return chunk;
    return internals_->gzip->compress(chunk, finishing);
}

void RequestHandler::finish(std::string_view chunk) {
    if (finished_) throw std::logic_error("finish() called twice");
    if (!chunk.empty()) write(chunk);
    if (!headers_written_) {
        if (status_code_ == 200 && (request_->method == "GET" || request_->method == "HEAD") &&
            !headers_.contains("Etag")) {
            // set_etag_header(), but known to be absent: added without another search.
            if (auto etag = compute_etag()) headers_.add("Etag", *etag);
            if (check_etag_header()) {
                body_.clear();
                set_status(304);
            }
        }
        if (is_bodiless(status_code_)) {
            if (!body_.empty())
                throw std::logic_error("Cannot send body with " + std::to_string(status_code_));
            // A 304 describes the cached representation, not an empty one.
            headers_.remove("Content-Encoding");
            headers_.remove("Content-Language");
            headers_.remove("Content-Type");
        } else if (!headers_.contains("Content-Length")) {
            headers_.add("Content-Length", std::to_string(body_.size()));
        }
    }
    finished_ = true;
}

awaitable<void> RequestHandler::send_sealed_response() {
    if (response_sent_) co_return;
    std::exception_ptr failure;
    try {
        co_await write_sealed_response();
        co_await connection_->finish();
    } catch (...) {
        failure = std::current_exception();  // the client left; the request still ends normally
    }
    end_request(failure);
}

awaitable<void> RequestHandler::write_sealed_response() {
    response_sent_ = true;
    const bool head = request_->method == "HEAD";
    const bool first = !headers_written_;
    if (settings().compress_response) body_ = transform_body(std::move(body_), first, true);
    if (first) {
        headers_written_ = true;
        add_cookie_headers();
        return connection_->write_headers({"HTTP/1.1", status_code_, reason_}, std::move(headers_),
                                          head ? std::string_view() : std::string_view(body_));
    }
    return connection_->write(head ? std::string_view() : std::string_view(body_));
}

void RequestHandler::end_request(std::exception_ptr failure) {
    application_->log_request(*this);
    on_finish();
    if (failure) std::rethrow_exception(failure);
}

iostream::Stream RequestHandler::detach() {
    if (headers_written_) throw httputil::HTTPOutputError("detach() after the headers were sent");
    auto detached = connection_->detach();
    connection_ = nullptr;
    finished_ = headers_written_ = response_sent_ = true;
    application_->log_request(*this);
    on_finish();
    return detached;
}

std::unique_ptr<RequestHandler> RequestHandler::release_after_detach() {
    if (connection_ || !owner_)
        throw std::logic_error(
            "release_after_detach() needs a handler made by an Application, after detach()");
    // The server lent the request for the request's processing, which ends when the method
    // returns; after a detach it does not read the request again, so it can be moved.
    owned_request_ = std::make_unique<httputil::HTTPServerRequest>(std::move(*request_));
    request_ = owned_request_.get();
    // Swapped with empty ones rather than assigned: an assigned empty string keeps the buffer.
    httputil::HTTPHeaders unsent_headers;
    std::swap(headers_, unsent_headers);
    std::string().swap(body_);
    std::string().swap(reason_);
    return std::move(*std::exchange(owner_, nullptr));
}

// --- the life cycle ------------------------------------------------------------------------------

// start() and complete() in one coroutine frame: the path of every request whose body is not
// streamed, so it is the one kept short.
awaitable<void> RequestHandler::execute(
    std::vector<std::string>&& raw_args,
    std::map<std::string, std::string, std::less<>>&& raw_kwargs, unsigned allowed_methods,
    bool calls_prepare) {
    allowed_methods_ = allowed_methods;
    std::exception_ptr error;
    try {
        begin(std::move(raw_args), std::move(raw_kwargs));
        if (calls_prepare) co_await prepare();
        if (!finished_) {
            co_await (this->*method_entry())();
            if (auto_finish_ && !finished_) finish();
        }
    } catch (...) {
        error = std::current_exception();
    }
    if (error) settle(error);
    if (!finished_) finish();
    // send_sealed_response() written out here: one coroutine frame less per request.
    if (response_sent_) co_return;
    std::exception_ptr failure;
    try {
        co_await write_sealed_response();
        co_await connection_->finish();
    } catch (...) {
        failure = std::current_exception();  // the client left; the request still ends normally
    }
    end_request(failure);
}

awaitable<void> RequestHandler::start(std::vector<std::string>&& raw_args,
                                      std::map<std::string, std::string, std::less<>>&& raw_kwargs,
                                      unsigned allowed_methods, bool calls_prepare) {
    allowed_methods_ = allowed_methods;
    std::exception_ptr error;
    try {
        begin(std::move(raw_args), std::move(raw_kwargs));
        if (calls_prepare) co_await prepare();
    } catch (...) {
        error = std::current_exception();
    }
    if (error) settle(error);
}

void RequestHandler::begin(std::vector<std::string>&& raw_args,
                           std::map<std::string, std::string, std::less<>>&& raw_kwargs) {
    const MethodEntry* method = find_method(request_->method);
    if (!method) throw HTTPError(405);
    method_bit_ = method->bit;
    for (auto& arg : raw_args)
        path_args_.push_back(detail::decode_argument(std::move(arg), "url"));
    for (auto& [name, value] : raw_kwargs)
        path_kwargs_.emplace(name, detail::decode_argument(std::move(value), "url"));
    check_xsrf_if_enabled();
}

RequestHandler::Entry RequestHandler::method_entry() const {
    for (const auto& entry : method_table)
        if (entry.bit == method_bit_ && (allowed_methods_ & entry.bit)) return entry.entry;
    // HEAD is GET without the body (RFC 9110 §9.3.2): get() runs, and flush() and the sealed
    // response leave its body out while its headers, Content-Length included, go as they are.
    if (method_bit_ == methods::head && (allowed_methods_ & methods::get))
        return &RequestHandler::get;
    throw HTTPError(405);  // a method the class does not override
}

awaitable<void> RequestHandler::receive(std::string_view chunk) {
    if (finished_) co_return;  // answered already (e.g. refused in prepare()): the rest is dropped
    received_ += chunk.size();
    std::exception_ptr error;
    try {
        if (max_body_size_ && received_ > *max_body_size_)
            throw HTTPError(413, "body over " + std::to_string(*max_body_size_) + " bytes");
        co_await data_received(chunk);
    } catch (...) {
        error = std::current_exception();
    }
    if (error) settle(error);
}

awaitable<void> RequestHandler::complete() {
    if (!finished_) {
        std::exception_ptr error;
        try {
            co_await (this->*method_entry())();
            if (auto_finish_ && !finished_) finish();
        } catch (...) {
            error = std::current_exception();
        }
        if (error) settle(error);
    }
    if (!finished_) finish();
    co_await send_sealed_response();
}

void RequestHandler::settle(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const Finish& early) {  // Tornado's `raise Finish()`: the response as it stands
        if (finished_) return;
        try {
            finish(early.chunk());
            return;
        } catch (...) {
            error = std::current_exception();
        }
    } catch (...) {
    }
    handle_request_exception(error);
}

awaitable<void> RequestHandler::data_received(std::string_view) {
    throw std::logic_error("a handler with stream_request_body must override data_received()");
}

void RequestHandler::set_max_body_size(std::size_t bytes) noexcept {
    max_body_size_ = bytes;
}

void RequestHandler::handle_request_exception(std::exception_ptr error) {
    try {
        log_exception(error);
    } catch (...) {
        log::app_log.exception("Error in exception logger");
    }
    if (finished_) return;
    int status = 500;
    try {
        std::rethrow_exception(error);
    } catch (const HTTPError& e) {
        status = e.status_code();
    } catch (...) {
    }
    send_error(status, error);
}

void RequestHandler::send_error(int status_code, std::exception_ptr error) {
    if (headers_written_) {
        log::gen_log.error("Cannot send error response after headers written");
        if (!finished_) {
            try {
                finish();
            } catch (...) {
                log::gen_log.exception("Failed to flush partial response");
            }
        }
        return;
    }
    clear();
    std::string reason;
    if (error) {
        try {
            std::rethrow_exception(error);
        } catch (const HTTPError& e) {
            reason = e.reason();
        } catch (...) {
        }
    }
    set_status(status_code, reason);
    if (status_code == 405 && allowed_methods_ != 0) {
        std::string allow;
        const unsigned served =
            allowed_methods_ | ((allowed_methods_ & methods::get) ? methods::head : 0u);
        for (const auto& method : method_table)
            if (served & method.bit)
                allow += (allow.empty() ? "" : ", ") + std::string(method.name);
        headers_.set("Allow", allow);
    }
    try {
        write_error(status_code, error);
    } catch (...) {
        log::app_log.exception("Uncaught exception in write_error");
    }
    if (!finished_) finish();
}

void RequestHandler::write_error(int status_code, std::exception_ptr error) {
    if (error && application_->serve_traceback()) {
        set_header("Content-Type", "text/plain");
        write("Traceback: " + exception_description(error) + "\n");
        finish();
        return;
    }
    const std::string line = std::to_string(status_code) + ": " + escape::xhtml_escape(reason_);
    finish("<html><title>" + line + "</title><body>" + line + "</body></html>");
}

void RequestHandler::log_exception(std::exception_ptr error) const {
    try {
        std::rethrow_exception(error);
    } catch (const HTTPError& e) {
        if (!e.log_message().empty())
            log::gen_log.warning(std::to_string(e.status_code()) + " " + request_summary() + ": " +
                                 e.log_message());
    } catch (...) {
        const auto& r = *request_;
        log::app_log.exception(
            "Uncaught exception " + request_summary() + "\nHTTPServerRequest(protocol='" +
                r.protocol + "', host='" + r.host + "', method='" + r.method + "', uri='" + r.uri +
                "', version='" + r.version + "', remote_ip='" + r.remote_ip + "')",
            error);
    }
}

std::string RequestHandler::request_summary() const {
    return request_->method + " " + request_->uri + " (" + request_->remote_ip + ")";
}

// --- caching -------------------------------------------------------------------------------------

std::optional<std::string> RequestHandler::compute_etag() const {
    return detail::quoted_sha1_hex(body_);
}

void RequestHandler::set_etag_header() {
    if (auto etag = compute_etag()) headers_.set("Etag", *etag);
}

bool RequestHandler::check_etag_header() const {
    if (!request_->headers.contains("If-None-Match")) return false;  // nearly always: no copies
    const auto computed = headers_.get("Etag", "");
    const auto wanted = request_->headers.get("If-None-Match", "");
    if (computed.empty() || wanted.empty()) return false;
    // The tags of If-None-Match: "*", or quoted tags with an optional W/ (weak) before each.
    const auto strong = [](std::string_view tag) {
        return tag.starts_with("W/") ? tag.substr(2) : tag;
    };
    std::string_view rest = wanted;
    bool first = true;
    while (!rest.empty()) {
        const auto star = rest.find('*');
        const auto quote = rest.find('"');
        if (star != std::string_view::npos && (quote == std::string_view::npos || star < quote)) {
            if (first) return true;
            rest.remove_prefix(star + 1);
            continue;
        }
        if (quote == std::string_view::npos) break;
        const auto end = rest.find('"', quote + 1);
        if (end == std::string_view::npos) break;
        const bool weak = quote >= 2 && rest.substr(quote - 2, 2) == "W/";
        const auto tag =
            rest.substr(weak ? quote - 2 : quote, end + 1 - (weak ? quote - 2 : quote));
        if (strong(tag) == strong(computed)) return true;
        first = false;
        rest.remove_prefix(end + 1);
    }
    return false;
}

RequestHandler::Internals& RequestHandler::internals() {
    if (!internals_) internals_ = std::make_unique<Internals>();
    return *internals_;
}

// --- redirects and URLs --------------------------------------------------------------------------

void RequestHandler::redirect(std::string_view url, RedirectOptions options) {
    if (headers_written_) throw std::logic_error("Cannot redirect after headers have been written");
    const int status = options.status.value_or(options.permanent ? 301 : 302);
    if (status < 300 || status > 399)
        throw std::invalid_argument("redirect status must be 3xx, got " + std::to_string(status));
    set_status(status);
    set_header("Location", url);
    finish();
}

std::string RequestHandler::reverse_url(std::string_view name,
                                        const std::vector<std::string>& args) const {
    return application_->reverse_url(name, args);
}

std::string RequestHandler::static_url(std::string_view path, StaticUrlOptions options) const {
    if (settings().static_path.empty())
        throw Error(
            "You must define the 'static_path' setting in your application to use "
            "static_url");
    std::string url = options.include_host ? request_->protocol + "://" + request_->host : "";
    url += settings().static_url_prefix;
    url += path;
    if (options.include_version) {
        const std::string version = application_->static_version(path);
        if (!version.empty()) url += "?v=" + version;
    }
    return url;
}

}  // namespace typhoon::web
